// Package x is the socialflow adapter for X API v2
// (https://docs.x.com/x-api/introduction): posts and threads through POST
// /2/tweets, delete, the dedicated chunked media upload with processing for
// video and GIF, metrics from public_metrics (and the author-only
// non_public_metrics / organic_metrics), a [networks.Finder] over the
// account's recent posts, and OAuth 2.0 authorization code with PKCE and
// rotating refresh tokens ([OAuthConfig]). xtest is its fake.
//
// # What the docs say / what we chose
//
//   - No idempotency key. X has none and no hidden field a client can set,
//     so the marker travels in the text as an invisible tag ([MarkerTag]):
//     21 zero-width characters of weight 1, which cost 21 of the 280
//     weighted characters ([Adapter.Spec] says 259). A publish whose answer
//     was lost is reconciled by [Adapter.FindByMarker], which reads the
//     account's 100 most recent posts (GET /2/users/:id/tweets, billed as an
//     owned read) and matches the tag. X's duplicate-content refusal is the
//     second net: a publish repeated with the same marker has the same text
//     and tag, X refuses it, and Publish resolves that to the existing post.
//     Open question: X does not say whether it keeps zero-width characters
//     in every client's text; if it dropped them, FindByMarker would answer
//     false and the duplicate refusal would still stop a second post.
//   - Threads are reply chains. Every part carries the tag of its index;
//     a thread's publish reads the recent posts once first and skips the
//     parts already there, so a thread that failed midway (a *[ThreadError]
//     with the published parts) is finished by publishing it again with the
//     same marker, never posted twice. X does not say whether a reply to the
//     account's own post counts as "summoned" on self-serve plans.
//   - Errors: problem-details and legacy bodies, matched by the type URI's
//     last segment (api.twitter.com and api.x.com alike); see
//     [ErrorMapping]. 403 duplicate content → *networks.DuplicateError; other
//     403s → *networks.RejectedError with X's detail; 401 →
//     *networks.AuthExpiredError; 402 (pay-per-use credits) → rejected; 429
//     → *networks.RateLimitError with x-rate-limit-reset, app-wide when the
//     24-hour app budget is exhausted or the usage is capped. A 500/502/503
//     on POST /2/tweets is checked by tag: absent, transient.
//   - Media: initialize / append (1 MiB multipart segments, streamed) /
//     finalize, then STATUS after each check_after_secs up to the processing
//     timeout; alt text through POST /2/media/metadata. Unattached media
//     expires, so uploads are retried freely.
//   - Metrics: Clicks comes only from the private groups (posts under 30
//     days, the author's token); when X refuses them it is absent.
//   - IDs that are not 1–19 digits cannot name a post: Delete and Metrics
//     answer *networks.NotFoundError without a request.
package x
