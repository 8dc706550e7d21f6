// Package linkedin is socialflow's adapter for LinkedIn members' profiles
// and organization pages: it implements [networks.Adapter] and
// [networks.Finder] over LinkedIn's versioned REST API, on the adapter kit
// (networks/apikit), through the host's *http.Client. linkedintest is its
// fake server and networktest harness.
//
// # Accounts and auth
//
// An account's Handle is its author URN: urn:li:person:{id} (a member; the
// id is the OpenID sub of /v2/userinfo) or urn:li:organization:{id} (a page
// the member administers as ADMINISTRATOR, DIRECT_SPONSORED_CONTENT_POSTER
// or CONTENT_ADMIN). Tokens come from 3-legged OAuth 2.0 ([OAuthConfig],
// [MemberScopes], [OrganizationScopes]); the *oauth2.Config is the
// Refresher the Publisher uses. Access tokens live 60 days; refresh tokens
// (approved apps only) 365 days, neither extended nor rotated by a refresh.
//
// # Endpoints
//
//   - POST, GET, DELETE /rest/posts, GET /rest/posts?q=author:
//     https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
//   - POST /rest/images?action=initializeUpload, GET /rest/images/{urn}:
//     https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
//   - POST /rest/videos?action=initializeUpload|finalizeUpload, GET /rest/videos/{urn}:
//     https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api
//   - POST /rest/documents?action=initializeUpload:
//     https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/documents-api
//   - POST /rest/socialActions/{urn}/comments:
//     https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api
//   - GET /rest/socialActions/{urn}:
//     https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/social-actions-api
//   - GET /rest/organizationalEntityShareStatistics:
//     https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics
//   - errors: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling;
//     throttling: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits;
//     versions: https://learn.microsoft.com/en-us/linkedin/marketing/versioning
//
// # What the docs say, and what we chose
//
//   - Every call carries LinkedIn-Version (YYYYMM, [WithVersion], default
//     [DefaultVersion]) and X-Restli-Protocol-Version: 2.0.0. A version
//     LinkedIn sunset answers 426 NONEXISTENT_VERSION: a [*SetupError]
//     naming the header (matching socialflow.ErrInvalid) — no retry or
//     reconnect fixes it, the host moves the pin forward.
//   - The post URN comes in the x-restli-id header of the 201 (empty body).
//     A 201 without it is an unknown outcome: the post exists, its ID does
//     not; never a retry.
//   - Commentary is LinkedIn's little text format: [EscapeText] escapes
//     every reserved character, so the post shows the draft's text exactly
//     (unescaped parentheses silently cut a post short).
//   - Media are uploaded and waited for (AVAILABLE) before the post is
//     made, so receipts are never pending: images and documents in one PUT
//     (bounded by their declared size), videos in LinkedIn's parts (about
//     4 MiB, read one part at a time), with the ETags given to
//     finalizeUpload in order. Polls back off from 2 s to 30 s within
//     [WithMediaTimeout]; PROCESSING_FAILED is a rejection. Uploads are
//     reads in the kit's sense: an unused asset is never shown. The bearer
//     token goes only to LinkedIn hosts an upload URL names.
//   - LinkedIn has no idempotency key (the x-li-idempotency-key some
//     clients send is not documented) and no field a marker can ride on.
//     Publish writes the marker, author and a digest of the commentary to
//     a [Journal] before posting; [Adapter.FindByMarker] lists the
//     author's recent posts (q=author, newest 50) and matches the digest
//     and creation time. A lost answer is therefore reconciled by the
//     Publisher through the Finder. A 5xx answer to the create is settled
//     at once the same way: the post found is the receipt, none found is a
//     transient failure (retried), a failed lookup keeps it unknown.
//     The journal must be shared by every replica that publishes (the
//     default [MemJournal] is per process).
//   - Listing needs r_organization_social for a page; for a member, the
//     restricted r_member_social ("approved partners only"). Without it
//     LinkedIn answers 403 ACCESS_DENIED, FindByMarker returns that
//     rejection, and a lost member publish stays unconfirmed for a person
//     (workflow's Service.ResolveUnconfirmed).
//   - DUPLICATE_POST (422) names the existing post: a
//     [*networks.DuplicateError] whose Existing is that URN. LinkedIn may
//     keep answering it for a day or two after a delete, naming a post
//     that is gone.
//   - A first comment (Comments API) is posted after the post. Its failure
//     never fails the publish — a retry would post twice: Publish returns
//     the published receipt, and the [*CommentError] goes to
//     [WithCommentReport]; [Adapter.Comment] posts it again.
//   - Throttling: daily limits per application and per member, reset at
//     midnight UTC, numbers only in the Developer Portal, no quota headers.
//     A 429 is a [*networks.RateLimitError] held until the Retry-After
//     LinkedIn sends or, without one, the next 00:00 UTC; receipts carry no
//     Quotas. The spec's 150 posts a day per member is Ayrshare's figure.
//   - Delete reads the post first: LinkedIn answers a repeated DELETE 204
//     ("deletions are idempotent"), and socialflow's contract says the
//     second delete is not found.
//   - Metrics: a page's post reads organizationalEntityShareStatistics
//     (lifetime, organic, past 12 months; rw_organization_admin):
//     impressions, reach (unique impressions), clicks, likes, comments,
//     shares. A member's post reads the Social Actions summary (likes,
//     first-level comments; r_member_social); everything else is absent,
//     never zero. Video views are absent for both.
//   - Errors: [ErrorMapping] lists each documented code with its class:
//     EXPIRED_ACCESS_TOKEN and INVALID_ACCESS_TOKEN (65600) → auth expired
//     (refresh), REVOKED_ACCESS_TOKEN → reauth required, ACCESS_DENIED →
//     rejected, 5xx → transient for reads and unknown for writes. Bodies
//     that are not LinkedIn's JSON (a proxy's HTML, a truncated answer)
//     are classified by status.
package linkedin
