// Package youtube is socialflow's YouTube adapter: videos.insert through
// the resumable upload protocol, thumbnails.set, processing status,
// videos.delete and statistics, on the YouTube Data API v3
// (https://developers.google.com/youtube/v3/docs).
//
// # What the docs say / what we chose
//
//   - Client: hand-written requests on the adapter kit (networks/apikit),
//     not google.golang.org/api/youtube/v3. That client is one of the
//     largest generated Go modules and brings Google's auth, gRPC and
//     telemetry dependencies into every host; its media uploader retries
//     and sleeps on its own (adapters must not: the Publisher does) and
//     reports a lost answer as an opaque transport error, where the kit
//     tells a lost write (unknown outcome) from a refused one. The
//     protocol is four small requests, written here.
//   - Upload (https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
//     a POST opens a session (Location header); the file goes in chunks
//     of [DefaultChunkSize] (a multiple of 256 KiB) with Content-Range;
//     the server answers 308 with the Range it holds. After a lost
//     connection or a 5xx, the adapter asks ("Content-Range: bytes */size")
//     and resumes from the server's offset within the chunk it holds, so a
//     cut costs only the bytes in flight. One chunk is in memory at a time.
//     Figure (TestUploadSurvivesCutConnections): a 200 MB video with the
//     connection cut at 30, 60 and 90 % completes with 1.000 × its size on
//     the wire and a peak heap of about 10 MiB.
//   - Outcome: opening the session creates no video (an unfinished session
//     expires); a failure before the chunk with the file's last byte is
//     transient. Only a lost answer to that chunk that the status query
//     cannot resolve is an unknown outcome. There is no idempotency key:
//     the marker rides as a tag ("sf-" + marker) and [Adapter.FindByMarker]
//     looks for it among the channel's 50 latest uploads.
//   - Quota (https://developers.google.com/youtube/v3/determine_quota_cost):
//     the page now gives videos.insert its own bucket (100 calls a day,
//     1 per call) beside 10,000 units for everything else; older projects
//     pay 1,600 units per insert ([LegacyInsertCost]). [Quota] tracks both
//     models and charges before sending, so a publish that would exceed it
//     is a *networks.RateLimitError (app scope) with Reset at the next
//     midnight Pacific Time, and the Publisher waits instead of spending a
//     call the network refuses. The network's quotaExceeded empties the
//     tracker until the reset.
//   - Metadata: title = Draft.Title, description = Draft.Text, and
//     [Metadata] (privacy, made-for-kids, tags, category, publishAt; a
//     scheduled video is private until then). A draft's image is set as
//     the thumbnail once the video exists; its failure cannot undo the
//     video, so it is reported through [WithThumbnailErrors].
//   - Check: uploadStatus processed is published; failed and rejected are
//     a *networks.RejectedError with YouTube's reason.
//   - Metrics: viewCount, likeCount and commentCount; a count YouTube
//     hides is absent. favoriteCount is deprecated and never reported.
//   - Auth: Google OAuth 2.0 ([OAuthConfig], [AuthCodeURL] with offline
//     access for a refresh token).
package youtube
