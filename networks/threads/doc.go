// Package threads is the socialflow adapter for Meta's Threads API
// (graph.threads.net, version v1.0), on the shared Graph API client
// [metagraph]: text, image, video and carousel posts, threads of replies,
// the publishing limit, container status, a [networks.Finder], delete,
// insights, and the Threads tokens (authorization code, long-lived
// exchange, refresh). Its fake is graphtest.ThreadsServer.
//
// # What the docs say
//
//   - Publishing takes two steps: POST /{threads-user-id}/threads creates a
//     container (media_type TEXT, IMAGE with image_url or VIDEO with
//     video_url; carousel children with is_carousel_item, then a CAROUSEL
//     container with up to 20 children; reply_to_id makes it a reply), and
//     POST /{threads-user-id}/threads_publish?creation_id= publishes it.
//     GET /{threads-container-id}?fields=status,error_message says
//     IN_PROGRESS, FINISHED, PUBLISHED, ERROR (with error_message such as
//     FAILED_DOWNLOADING_VIDEO) or EXPIRED (not published within 24 hours).
//     https://developers.facebook.com/docs/threads/posts
//     https://developers.facebook.com/docs/threads/reference/publishing
//     https://developers.facebook.com/docs/threads/troubleshooting
//   - Text is limited to 500 characters, "emojis are counted as the number
//     of UTF-8 bytes" (networks/text's Threads method); more than five
//     links fail with THREADS_API__LINK_LIMIT_EXCEEDED.
//   - A profile publishes at most 250 posts (a carousel is one) and 1,000
//     replies in a moving 24 hours, enforced on threads_publish;
//     GET /{threads-user-id}/threads_publishing_limit gives quota_usage,
//     config, reply_quota_usage and reply_config.
//     https://developers.facebook.com/docs/threads/overview
//   - Lists: GET /{threads-user-id}/threads (posts) and /replies (the
//     profile's replies); GET /{threads-media-id}/conversation (every reply
//     under a post, oldest first with reverse=false).
//     https://developers.facebook.com/docs/threads/retrieve-and-discover-posts/retrieve-posts
//     https://developers.facebook.com/docs/threads/retrieve-and-manage-replies/replies-and-conversations
//   - Delete: DELETE /{threads-media-id} (threads_delete, 100 per day).
//     https://developers.facebook.com/docs/threads/posts/delete-posts
//   - Insights: GET /{threads-media-id}/insights?metric=views,likes,replies,reposts,quotes,shares.
//     https://developers.facebook.com/docs/threads/insights
//   - Tokens: the authorization window at threads.net/oauth/authorize, the
//     code exchanged at POST /oauth/access_token for a one-hour token,
//     GET /access_token?grant_type=th_exchange_token for a 60-day token,
//     GET /refresh_access_token?grant_type=th_refresh_token to renew an
//     unexpired token at least 24 hours old.
//     https://developers.facebook.com/docs/threads/get-started/long-lived-tokens
//   - Permissions: threads_basic for every call, threads_content_publish to
//     publish, threads_manage_replies to publish replies and
//     threads_read_replies to list them (a thread's publish reads them),
//     threads_manage_insights for Metrics, threads_delete for Delete.
//     https://developers.facebook.com/docs/threads/get-started
//   - Errors are the Graph error object (type THApiException or
//     OAuthException); some codes are strings (THREADS_API__…). There is no
//     idempotency key; usage headers are not documented for Threads.
//
// # What we chose
//
//   - Every part carries an invisible marker tag ([Tag], [TagLen] code
//     points taken from the 500, see [Spec]); FindByMarker matches the
//     root's among the 100 most recent posts and the other parts' among the
//     first 100 replies of the root's conversation (a thread's parts come
//     first there, whatever else the profile posts). The last part's tag
//     differs, so a thread counts as found only when it is whole; a thread
//     that stopped midway is published again with the same marker and
//     Publish continues after its published parts (an *apikit.ThreadError
//     says which). Meta does not document whether zero-width characters survive
//     in a post's text; the fake keeps them.
//   - Publish reads the publishing limit first and creates nothing when the
//     posts window is full or the replies left cannot take the thread; the
//     *networks.RateLimitError's Reset is when the oldest post (reply) of
//     the window leaves it, as far as the 100 most recent show. Receipts
//     report the posts quota (when a post fills the window, with that same
//     Reset, so the Publisher's limiter waits no longer than Threads);
//     [Adapter.PublishingLimit] reads both.
//   - Container creation is not a write for the kit (an unpublished
//     container is invisible and expires); threads_publish is. A single post
//     whose container is IN_PROGRESS is a StatusPending receipt that Check
//     resolves; a thread waits for its root (at most
//     [DefaultProcessingTimeout]) because Check cannot publish its replies.
//   - The Threads counter (networks/text) counts code points outside
//     emoji; Meta's page links grapheme-splitter, which suggests graphemes.
//     Code points are never fewer than graphemes, so text without emoji
//     that validates fits either way; which characters Meta counts as emoji
//     is not documented (text-style symbols such as © count 1 here).
//   - Draft.Link is the link_attachment of a text-only root, counted with
//     the text's URLs against the five links; [Adapter.PublishWith] adds
//     reply_control (every part), topic_tag and quote_post_id (the root).
//   - Metrics: views → Impressions, likes, replies → Comments, quotes,
//     reposts + shares → Shares; a metric not returned is absent.
//   - Long-lived tokens refresh themselves: their RefreshToken is the
//     access token and their Expiry [RefreshMargin] before Meta's, so the
//     Publisher's [networks.Refresher] ([Adapter.Refresher]) renews them
//     while Meta still accepts it.
//   - Duplicate content has no documented Threads error; the first comment
//     is not supported (a draft with one fails validation).
package threads
