// Package pinterest is socialflow's Pinterest adapter: pins (one image, a
// carousel of 2 to 5 images, a video), boards and board sections, pin
// analytics, on the Pinterest API v5 with hand-written requests on the
// adapter kit (networks/apikit). pinteresttest is its fake server and
// networktest harness; the tests validate every request the adapter sends
// and every answer the fake gives against Pinterest's OpenAPI description
// (pinterest/api-description v5/openapi.json, release 5.23.0, copied with
// its licence into pinteresttest/testdata).
//
// # Endpoints
//
// Each by its operationId in the OpenAPI description
// (https://github.com/pinterest/api-description, v5/openapi.json; reference
// pages under https://developers.pinterest.com/docs/api/v5/introduction):
//
//   - pins/create (POST /v5/pins), pins/get (GET /v5/pins/{pin_id}),
//     pins/delete (DELETE /v5/pins/{pin_id}), pins/analytics
//     (GET /v5/pins/{pin_id}/analytics);
//   - media/create (POST /v5/media), media/get (GET /v5/media/{media_id}),
//     and the upload between them as the video guide shows it
//     (https://developers.pinterest.com/docs/content/update/);
//   - boards/list and boards/create (GET, POST /v5/boards),
//     board_sections/list and board_sections/create (GET, POST
//     /v5/boards/{board_id}/sections), boards/list_pins (GET
//     /v5/boards/{board_id}/pins): the guide
//     https://developers.pinterest.com/docs/work-with-organic-content-and-users/create-boards-and-pins/;
//   - oauth/token (POST /v5/oauth/token):
//     https://developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/;
//   - limits: https://developers.pinterest.com/docs/reference/rate-limits/,
//     https://developers.pinterest.com/docs/key-concepts/access-tiers/ (Trial
//     access: pins visible only to their creator, 1,000 requests a day).
//
// # What the docs say, and what we chose
//
//   - Boards: every pin goes on a board (PinCreate.board_id, optionally
//     board_section_id), and neither networks.Account nor networks.Draft
//     names one, so the host says which board each account pins to with
//     [WithDestinations] (required; a [DestinationMap] by account ID, or a
//     [DestinationFunc] reading the host's own records). The host picks
//     the board when the account connects: [Adapter.Boards] and
//     [Adapter.Sections] list them, [Adapter.CreateBoard] and
//     [Adapter.CreateSection] make them. An account without a destination
//     is a *networks.FieldError naming account.destination, before
//     anything is sent.
//   - Media: an image by URL is image_url (Pinterest fetches it), by bytes
//     image_base64 (JPEG or PNG only, the description's ContentType); 2 to
//     5 images are a carousel (multiple_image_urls or
//     multiple_image_base64: all by URL, or all by bytes); a carousel has
//     one alt text, the first image's (differing ones are refused, never
//     dropped). A video is registered, uploaded, polled and pinned as
//     media_source video_id; an image beside it is its cover, else the
//     frame at [DefaultCoverKeyFrame] s.
//   - Video upload: POST /v5/media answers an upload_url (a presigned S3
//     POST) and upload_parameters; the file goes there as one
//     multipart/form-data POST, the parameters as fields and the file last,
//     answered 204. That protocol has no resume and no way to ask what
//     arrived: a cut connection fails the attempt as transient (no pin
//     exists without POST /v5/pins) and the Publisher's next attempt
//     registers and uploads again from the first byte. The body streams
//     from MediaItem.Open with a Content-Length (S3 takes no chunked
//     POST); only the framing is in memory, and no bearer token goes to the
//     upload URL. S3's XML errors are classified ([UploadError]): an
//     expired policy (AccessDenied) is transient, SlowDown a rate limit,
//     EntityTooLarge a rejection. Figure (TestUploadSurvivesCutConnections):
//     a 200 MB video with the connection cut at 30, 60 and 90 % completes
//     in four uploads, 2.80 × its size on the wire (the 1.1 × of a
//     resumable upload is out of reach), peak heap about 1.5 MiB.
//   - Processing: GET /v5/media/{id} is registered, processing, succeeded
//     or failed. Publish reads it once after the upload: succeeded pins at
//     once; otherwise the receipt is pending, naming the media, and
//     [Adapter.Check] pins once it succeeded; failed is a
//     *networks.RejectedError; a lost answer to the create Check sends
//     keeps the receipt pending (the next Check looks on the board first).
//     The pin request waits in the [Journal]
//     (Check gets only the receipt); a journal that lost it (an in-memory
//     one across a restart) makes Check a rejection naming the media.
//   - Markers and the Finder: Pinterest has no idempotency key, and no
//     private field (title, description, alt text and link are public; v5
//     has no note), so nothing rides on the pin. Publish writes the
//     marker, board and a digest of title and description ([Digest]) to
//     the [Journal] before sending; [Adapter.FindByMarker] lists the
//     board's pins (2 pages of 100 by default, [WithFindPages]) for that
//     digest, made no earlier than a minute before the entry. A lost answer
//     to POST /v5/pins is an unknown outcome the Publisher resolves with it;
//     Pinterest's own 5xx error object is settled at once the same way
//     (found: the receipt; none: transient). A gateway's HTML 502 stays
//     unknown: the pin may still be made. The journal must be shared by the
//     replicas that publish ([MemJournal] is per process).
//   - Errors: the documented object {"code", "message"} (Pinterest.Lib.Error),
//     its codes mapped by [ErrorMapping] (2 Authentication failed: expired
//     token; 3 insufficient permissions and 30 user not found: reconnect;
//     8 rate limited; 40 board not found: rejected, the destination is
//     gone; 50 pin not found), others by status.
//   - Rate limits: 429 code 8, with Retry-After when sent; the
//     x-ratelimit-limit, -remaining and -reset headers ([RateHeaders]) are
//     read into receipt quotas when present. The page documents the
//     per-category limits (create pin org_write, analytics org_analytics;
//     Standard access 100 requests per second per user and app) but not the
//     headers' form, so a missing or malformed header is ignored.
//   - Metrics: summary metrics over the [AnalyticsDays] (90) days ending
//     today, the analytics' retention: IMPRESSION as impressions, SAVE as
//     saves, OUTBOUND_CLICK as clicks, VIDEO_MRC_VIEW as video views (video
//     pins only), lifetime TOTAL_COMMENTS and TOTAL_REACTIONS as comments
//     and likes; absent when Pinterest leaves them out. PIN_CLICK (to the
//     close-up) has no counter of its own: [Adapter.Analytics] returns
//     every metric as Pinterest gave it.
//   - Ids: every Pinterest id is decimal digits (the description's ^\d+$);
//     Delete and Metrics of another id answer *networks.NotFoundError
//     without a request.
//   - Auth: OAuth 2.0 authorization code ([OAuthConfig], [AuthCodeURL]
//     with comma-separated scopes); the token endpoint takes the client id
//     and secret as HTTP Basic auth and may rotate the refresh token, which
//     the Publisher saves through its TokenStore before use.
package pinterest
