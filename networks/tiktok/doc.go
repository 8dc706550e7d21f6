// Package tiktok is socialflow's TikTok adapter: direct posts of videos and
// photo posts through the Content Posting API, their status, metrics from
// the Display API's video query, and TikTok's OAuth 2.0, on the TikTok API
// v2 (https://developers.tiktok.com/doc/content-posting-api-get-started).
//
// # What the docs say / what we chose
//
//   - Creator info first
//     (https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info):
//     every publish reads creator_info/query (20 a minute per token) and
//     checks the draft against it before anything is uploaded: the privacy
//     level must be among privacy_level_options, a video at most
//     max_video_post_duration_sec long, and an interaction the creator
//     turned off (comment_disabled, duet_disabled, stitch_disabled) must be
//     off in the post. A refusal is a *networks.ValidationError naming the
//     field ("settings.privacy", "media[0].duration",
//     "settings.disable_comment"). TikTok asks that a person picks the
//     privacy level and interactions; the host passes them as [Settings]
//     ([WithSettings], [Adapter.PublishWith]); an empty privacy is
//     PUBLIC_TO_EVERYONE.
//   - Videos (https://developers.tiktok.com/doc/content-posting-api-reference-direct-post):
//     video/init with PULL_FROM_URL when the MediaItem has a URL (TikTok
//     fetches it from a verified domain: url_ownership_unverified
//     otherwise), else FILE_UPLOAD from MediaItem.Open. The caption is the
//     draft's Text (post_info.title, 2200 characters); a video has no
//     separate title, so a draft with one is refused rather than dropped.
//   - Chunks (https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide):
//     [Plan] follows the restrictions — chunks of 5 to 64 MB, the final one
//     taking the trailing bytes (up to 128 MB), a video under 5 MB whole,
//     over 64 MB in at least two chunks, 1 to 1000 chunks, total_chunk_count
//     = video_size / chunk_size rounded down — and each chunk is a PUT to
//     the upload_url with Content-Range, in order, without the bearer token
//     (the URL carries its own). [DefaultChunkSize] is 5 MiB, so a cut
//     connection costs at most 5 MiB and memory holds under 10 MiB. After a
//     lost or 5xx answer the adapter reads status/fetch's uploaded_bytes:
//     TikTok holds the chunk (go on) or not (send it again). Figure
//     (TestUploadSurvivesCutConnections): a 200 MiB video with the
//     connection cut at 30, 60 and 90 % completes with 1.075 × its size on
//     the wire and a peak heap under 9 MiB.
//   - Photos (https://developers.tiktok.com/doc/content-posting-api-reference-photo-post):
//     content/init, media_type PHOTO, post_mode DIRECT_POST, PULL_FROM_URL
//     only (every image needs a URL); title is the draft's Title (90),
//     description its Text (4000; the spec's 2200 applies first).
//   - Outcome: a FILE_UPLOAD init makes no post until the whole file
//     arrived (the upload URL expires), so its lost answer is transient;
//     a pull or photo init is the write itself, and so is the chunk with the
//     file's last byte when the status cannot tell: those are unknown
//     outcomes, which the Finder resolves (a photo post's excepted: see
//     Finder). Publish reads the status once: PUBLISH_COMPLETE gives a
//     published receipt, anything else a pending one (ID = publish_id,
//     CheckAfter 30 s) that [Adapter.Check] resolves.
//   - Status (https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status):
//     PROCESSING_UPLOAD, PROCESSING_DOWNLOAD, SEND_TO_USER_INBOX pending;
//     PUBLISH_COMPLETE published with publicaly_available_post_id (a private
//     post has none and keeps its publish_id, without URL); FAILED maps
//     fail_reason: the *_check_failed reasons, video_pull_failed,
//     photo_pull_failed, spam_risk_text, spam_risk,
//     spam_risk_user_banned_from_posting, publish_cancelled and internal
//     are a *networks.RejectedError with the reason as Code and the field
//     named ("media.duration", "media.frame_rate", "media.dimensions",
//     "media.mime", "media.url", "text"); spam_risk_too_many_posts a
//     *networks.RateLimitError of a day; auth_removed a
//     *networks.ReauthRequiredError.
//   - Errors (https://developers.tiktok.com/doc/tiktok-api-v2-error-handling):
//     every answer carries error.code ("ok" on success, also checked on a
//     200). access_token_invalid → *networks.AuthExpiredError (the
//     Publisher refreshes); scope_not_authorized, scope_permission_missed →
//     *networks.ReauthRequiredError (reconnect with the scope);
//     rate_limit_exceeded → *networks.RateLimitError with Reset a minute
//     ahead when TikTok sends no Retry-After (its windows are sliding
//     minutes); spam_risk_too_many_posts → a day, and the creator's
//     [PostCap] is full; reached_active_user_cap → a day, app scope (an
//     unaudited client has at most 5 posting users a day);
//     unaudited_client_can_only_post_to_private_accounts,
//     privacy_level_option_mismatch, url_ownership_unverified,
//     invalid_params, invalid_file_upload, spam_risk_* →
//     *networks.RejectedError naming the field; internal_error and 5xx →
//     transient. The cause is a [*CodeError] with TikTok's log_id.
//   - Rate limits (https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit):
//     video/init and content/init 6 a minute per token (the spec's
//     per-account window, which the Publisher's limiter keeps), status/fetch
//     30, creator_info 20, video/query and video/list 600. A publish costs
//     one creator_info, one init and one status read (plus one per
//     resumed chunk), inside every window at 6 publishes a minute. The
//     creator's daily post cap is documented without a number
//     (spam_risk_too_many_posts); [PostCap] counts posts per creator in 24
//     hours ([DefaultDailyPosts] = 15, from third-party reports) and
//     refuses the next one with its reset before anything is sent.
//   - Metrics (https://developers.tiktok.com/doc/tiktok-api-v2-video-query):
//     view_count (video views), like_count, comment_count, share_count; a
//     missing count is absent. A post video/query does not return is a
//     *networks.NotFoundError.
//   - Finder: TikTok has no idempotency key, and a caption shows every
//     character (no hidden tag as on Mastodon), so the marker rides in a
//     [Journal], as on LinkedIn: marker → publish_id, media type and the
//     caption's digest. [Adapter.FindByMarker] asks the status of the
//     journal's publish_id, or, when a video init's answer was lost, looks
//     for the digest among the 60 latest posts of video/list
//     (https://developers.tiktok.com/doc/tiktok-api-v2-video-list), which
//     lists only public videos past processing and moderation: within the
//     settle window ([DefaultSettleWindow], 10 minutes) a miss is "ask
//     again", after it "not found" — or "cannot tell" for a video sent with
//     a privacy level other than PUBLIC_TO_EVERYONE, which video/list does
//     not list (only a public video still in moderation after the window
//     can then be posted twice). A photo post whose content/init answer
//     was lost (or was a 5xx) cannot be found: status/fetch needs the lost
//     publish_id, and TikTok documents no listing of photo posts
//     (video/list lists videos; video/query needs the post's ID). So the
//     Finder says "cannot tell" (a *networks.OutcomeUnknownError), never
//     "not found": the Publisher keeps the unknown outcome, and the
//     workflow Dispatcher parks the target as unconfirmed with a notice
//     for a person, who checks the profile and resolves it
//     (workflow.Service.ResolveUnconfirmed) — it is never posted twice.
//     Soak (TestSoakDispatcher: the Dispatcher, 300 targets over 10
//     creators, 20 % faults): 0 duplicates; exactly the photo inits whose
//     outcome was unknown end unconfirmed (12–21 of 100 photo posts over
//     six runs: the 6–10 whose answer was lost are on the profile, the
//     5–12 answered 500 are not and are published again after the
//     person's answer); every other target is published once by the
//     Dispatcher.
//   - Delete: TikTok's API has no delete; [Adapter.Delete] returns a
//     *networks.RejectedError with Code [CodeNoDelete], and the spec says
//     Features.Delete false.
//   - Auth (https://developers.tiktok.com/doc/oauth-user-access-token-management):
//     OAuth 2.0 with client_key instead of client_id, so [OAuthConfig]
//     speaks to /v2/oauth/token/ itself and is the networks.Refresher;
//     refresh tokens may rotate (the newest is kept); PKCE for mobile and
//     desktop apps. The pages read disagree on lifetimes (24 h / 365 days
//     vs 2 h / 180 days); the adapter relies on expires_in only.
package tiktok
