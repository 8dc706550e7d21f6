// Package bluesky is socialflow's adapter for Bluesky and any other AT
// Protocol PDS: it implements [networks.Adapter], [networks.Finder],
// [networks.InboxSource] and [networks.Replier] over XRPC, through the
// host's *http.Client.
//
// # Sessions
//
// [Adapter.Login] opens a session with an app password
// (com.atproto.server.createSession); the access JWT lives 120 minutes on
// a stock PDS and the refresh JWT 90 days. [Adapter.Refresher] renews it
// with com.atproto.server.refreshSession [RefreshMargin] before expiry and
// is the [networks.Refresher] the Publisher uses to save rotated tokens in
// its TokenStore. An expired access token comes back as HTTP 400
// ExpiredToken (not 401) and is classified by its XRPC error name.
//
// # Publishing
//
// A post is an app.bsky.feed.post record. The text is limited to 300
// graphemes and 3000 UTF-8 bytes (checked before sending); links, mentions
// (resolved to DIDs) and hashtags become facets at UTF-8 byte offsets
// ([DetectFacets], [CheckFacets]); up to 4 images are uploaded as blobs
// with alt text and aspect ratio; [networks.Draft].Thread becomes a reply
// chain. Record keys derive from the publish marker ([RecordKey]), so a
// retried publish never posts twice and [Adapter.FindByMarker] recovers a
// lost answer. Metrics come from app.bsky.feed.getPosts where an app view
// answers (likes, reposts, replies, quotes; no impressions); a bare PDS has
// none and the snapshot is empty.
//
// # Inbox
//
// [Adapter.Incoming] lists the replies, mentions and quotes of
// app.bsky.notification.listNotifications, which the PDS forwards to its
// app view; a PDS without one (the CI peer) answers "No service
// configured", a rejection. The API pages backwards from the newest, so
// the inbox's cursor catches up from the newest back to what it listed
// before, losing nothing and listing nothing twice, even over several
// calls (More). [Adapter.Reply] answers an item with the reply refs of
// the lexicon: parent the item, root the item's own root, both read with
// getRecord before anything is written; its record key derives from the
// marker like a publish's. Direct messages live in Bluesky's chat service
// (chat.bsky.convo.*), not on a PDS: the inbox lists none.
//
// # Endpoints
//
//   - com.atproto.server.createSession: https://docs.bsky.app/docs/api/com-atproto-server-create-session
//   - com.atproto.server.refreshSession: https://docs.bsky.app/docs/api/com-atproto-server-refresh-session
//   - com.atproto.repo.createRecord: https://docs.bsky.app/docs/api/com-atproto-repo-create-record
//   - com.atproto.repo.getRecord: https://docs.bsky.app/docs/api/com-atproto-repo-get-record
//   - com.atproto.repo.deleteRecord: https://docs.bsky.app/docs/api/com-atproto-repo-delete-record
//   - com.atproto.repo.uploadBlob: https://docs.bsky.app/docs/api/com-atproto-repo-upload-blob
//   - com.atproto.identity.resolveHandle: https://docs.bsky.app/docs/api/com-atproto-identity-resolve-handle
//   - app.bsky.feed.getPosts: https://docs.bsky.app/docs/api/app-bsky-feed-get-posts
//   - app.bsky.notification.listNotifications: https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications
//   - reply refs: https://docs.bsky.app/docs/advanced-guides/posts#replies
//   - post record and facets: https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json,
//     https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/richtext/facet.json,
//     https://docs.bsky.app/docs/advanced-guides/post-richtext
//   - images embed: https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/images.json
//   - record keys (TID): https://atproto.com/specs/tid, https://atproto.com/specs/record-key
//   - rate limits and RateLimit-* headers: https://docs.bsky.app/docs/advanced-guides/rate-limits
//
// # Errors
//
// Every XRPC error is mapped to a networks error class by [ErrorMapping]
// (name, status, class, source) and wrapped around an *[XRPCError]. A
// write whose answer is lost is a *networks.OutcomeUnknownError; a 5xx
// from createRecord is resolved by reading the record key back.
//
// # Testing
//
// Package blueskytest is a fake PDS for hosts' tests; the package's own
// integration test runs against the real @atproto/pds when
// SOCIALFLOW_PDS_URL is set (.ci/peers/bluesky-pds/start.sh starts one);
// its inbox test puts a stand-in app view, built from the real repos, in
// front of it.
package bluesky
