// Package facebook is the socialflow adapter for Facebook Pages, on the
// shared Graph API client [metagraph] (versioned base URL, appsecret_proof,
// the Graph error object mapped to the networks error kinds, the usage
// headers read as quotas).
//
// # What the docs say
//
//   - Publishing to a Page needs a Page access token of a person who can
//     perform the CREATE_CONTENT task on the Page, with pages_manage_posts,
//     pages_read_engagement and pages_show_list. A Page token is derived
//     from that person's user token (GET /{page-id}?fields=access_token, or
//     GET /me/accounts); derived from a long-lived user token it does not
//     expire.
//     https://developers.facebook.com/docs/pages-api/getting-started
//     https://developers.facebook.com/docs/facebook-login/guides/access-tokens#pagetokens
//   - Text and link posts: POST /{page-id}/feed with message and link.
//     Photos: POST /{page-id}/photos with url (Meta fetches it) or the
//     bytes as the multipart "source", and message; with published=false
//     the photo stays unpublished and is attached to a post of several
//     photos with POST /{page-id}/feed and attached_media=[{"media_fbid"}].
//     https://developers.facebook.com/docs/pages-api/posts
//     https://developers.facebook.com/docs/graph-api/reference/page/photos
//   - Videos: POST /{page-id}/videos on graph-video.facebook.com with
//     file_url, or with fbuploader_video_file_chunk, the handle of a file
//     uploaded with the Resumable Upload API: POST /{app-id}/uploads
//     (file_name, file_length, file_type) opens a session "upload:…", POST
//     /upload:{session} with "Authorization: OAuth {user-token}" and
//     file_offset sends the bytes and answers {"h": handle}, and GET
//     /upload:{session} gives the file_offset to resume an interrupted
//     upload from. A video is processed after it is posted:
//     GET /{video-id}?fields=status gives status.video_status (processing,
//     ready, error).
//     https://developers.facebook.com/docs/video-api/guides/publishing
//     https://developers.facebook.com/docs/graph-api/guides/upload
//     https://developers.facebook.com/docs/graph-api/reference/video-status
//   - Comments: POST /{object-id}/comments with message. Delete: DELETE
//     /{post-id}. A Page's posts: GET /{page-id}/posts; its videos: GET
//     /{page-id}/videos.
//     https://developers.facebook.com/docs/graph-api/reference/object/comments
//     https://developers.facebook.com/docs/graph-api/reference/page/feed
//   - Insights: GET /{post-id}/insights?metric=…; Meta removed the post
//     impressions metrics on 2025-06-15 (post_total_media_view_unique
//     replaces post_impressions_unique), and answers a request naming any
//     removed metric with an invalid-metric error for the whole request.
//     Videos: GET /{video-id}/video_insights. Page insights need 100 likes.
//     https://developers.facebook.com/docs/graph-api/reference/insights
//     https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics
//   - Errors and limits: the Graph error codes (1 and 2 temporary; 4, 17,
//     32, 613, 80001 throttling with X-App-Usage, X-Page-Usage and
//     X-Business-Use-Case-Usage; 190 with subcodes 458, 459, 460, 463, 464,
//     467; 368 policy block; 506 duplicate; 10 and 200-299 permissions; 100
//     invalid parameter), mapped in [metagraph.ErrorMapping].
//     https://developers.facebook.com/docs/graph-api/guides/error-handling
//     https://developers.facebook.com/docs/graph-api/overview/rate-limiting
//   - There is no idempotency key.
//
// # What we chose
//
//   - Account.Tokens gives the user token by default ([UserTokens]): the
//     adapter derives the Page token once per Page and user token, keeps it
//     in memory (keyed by a hash, never printed) and forgets it when Meta
//     refuses it, so the next attempt derives a fresh one. A user without a
//     task on the Page is a *networks.ReauthRequiredError. [PageTokens]
//     takes a Page token the host stored instead. The Page id is Account.ID
//     unless [WithPageID] says otherwise.
//   - The marker travels at the end of the message (or video description)
//     as the invisible [Tag] (33 code points taken from the 63,206 of
//     [networks.FacebookSpec], see [Spec]). The Finder looks it up in the
//     Page's 100 latest posts, then in its 100 latest videos, where a video
//     still processing is found too. Meta does not document whether
//     zero-width characters survive in messages; the fake keeps them.
//   - The post is the one write. Unpublished photos and upload sessions are
//     invisible, so their failures are transient and the next attempt
//     makes new ones. A post answered with a server error is looked up by
//     its marker at once: found, it is the receipt; not found, the failure
//     is transient.
//   - A photo's bytes are read whole (at most the spec's 4 MiB); a video's
//     bytes stream from MediaItem.Open as one body per transfer, never held.
//     After a cut, the upload resumes from the session's file_offset,
//     seeking the source when it is an io.Seeker or opening it again and
//     skipping to the offset; three transfers in a row without progress
//     give up (transient). The upload needs the app id ([WithAppID]);
//     without it a video must come with a public URL.
//   - A video's receipt is pending (its id is the video id) until
//     video_status is ready; Check resolves it; error is a
//     *networks.RejectedError with a [*VideoError].
//   - d.FirstComment is posted after the post; its failure is reported to
//     [WithCommentReport] and never fails or repeats the publish. A video
//     draft with a first comment is refused (the video is still
//     processing when Publish returns).
//   - Metrics: reactions (as Likes), comments and shares from the object,
//     and post_media_view (Impressions), post_total_media_view_unique
//     (Reach) and post_clicks (Clicks) from the post's insights, or
//     total_video_views and total_video_impressions_unique for a video.
//     Shares Meta leaves out, and every insight when Meta refuses the
//     insights call, are absent, never zero.
//   - Alt text and a title are not supported (the spec refuses them); link
//     posts carry no media.
package facebook
