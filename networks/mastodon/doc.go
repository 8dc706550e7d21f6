// Package mastodon is socialflow's adapter for Mastodon: it implements
// [networks.Adapter], [networks.Finder], [networks.InboxSource] and
// [networks.Replier] against any instance's REST API
// (Mastodon, and GoToSocial, which implements Mastodon's client API)
// through the host's *http.Client.
//
// Connect an account with OAuth 2.0 authorization code: [Adapter.RegisterApp]
// once per instance, [OAuthConfig] with [Scopes] (write:statuses,
// write:media, read:statuses, read:accounts, read:notifications), then
// [Adapter.Exchange]. Tokens do not
// expire and cannot be refreshed; a 401 is a *networks.AuthExpiredError, as
// on every network: the networks.Publisher then reloads its TokenStore once
// (a person may have reconnected the account) and otherwise reports
// *networks.ReauthRequiredError, the account must be connected again.
//
// # Limits from the instance
//
// Create the adapter with [NewForInstance] (or [FetchInstance] and
// [WithInstance]): the Spec is then the instance's own limits (characters,
// attachments, media sizes and types, alt text, polls) from GET
// /api/v2/instance, falling back to GET /api/v1/instance, never constants,
// and its length is counted as that server counts: grapheme clusters with
// URLs as 23 on Mastodon, code points with URLs in full on GoToSocial.
// Media that the server processes asynchronously make Publish return a
// pending receipt that [Adapter.Check] completes, so the adapter never
// sleeps. Visibility, content warning (counted with the text) and language
// are [PostOptions]. Rate limits come from X-RateLimit-Limit / -Remaining /
// -Reset (an ISO 8601 time) ([ParseQuotas]); errors are mapped by HTTP
// status as [ErrorMapping] lists.
//
// # Exactly once
//
// Every status carries an invisible marker tag ([MarkerTag]: "sf" and a
// hash of its [IdempotencyKey], written in Unicode tag characters, which
// readers and screen readers do not show), placed after its last visible
// character. [Adapter.FindByMarker] ([networks.Finder]) reads the
// account's recent statuses for it, so the networks.Publisher resolves a
// publish whose answer was lost instead of posting again. On Mastodon the
// status also carries Idempotency-Key (honoured for an hour); GoToSocial
// ignores that header, so it is not sent there (see below) and the Finder
// alone reconciles. FindByMarker needs the read:accounts scope ([Scopes]).
//
// # Inbox
//
// [Adapter.Incoming] lists the mention notifications of GET
// /api/v1/notifications (and quotes on Mastodon 4.5), paging forward with
// min_id: replies to the account's statuses, mentions and direct messages
// (statuses of visibility direct), each with its conversation's root as
// Thread (read from the status's context, see [WithoutThreadRoots]). A
// reply that does not mention the account is not notified by either
// server, so it is not listed: checked against GoToSocial.
// [Adapter.Reply] posts with in_reply_to_id, starts
// the text with the author's handle as clients do, keeps a reply to a
// direct message direct and carries the marker tag, so the Finder finds a
// reply whose answer was lost (direct ones included, on GoToSocial).
//
// # What a real GoToSocial taught
//
// The package's integration test runs against GoToSocial v0.19.2
// (.ci/peers/gotosocial/start.sh):
//
//  1. Idempotency-Key is ignored: the same key twice posts twice. Worse,
//     net/http's Transport replays a POST that carries the header when a
//     reused connection drops, which against GoToSocial would post twice
//     without the adapter ever knowing; so the key is sent to Mastodon only.
//  2. The instance says what it is by source_url
//     (https://codeberg.org/superseriousbusiness/gotosocial); its version
//     is "v0.19.2", not Mastodon's "3.5.3+…" compatibility string.
//  3. Length is code points of content warning plus text, URLs in full
//     (characters_reserved_per_url: 25 is reported, not applied): 5000 by
//     default, and over it is 400 "Bad Request: text with spoiler exceed
//     max chars (5000)", not 422. Validation errors are 400 with bodies
//     {"error": "Bad Request: …"}.
//  4. The marker tag survives: the status's text and its rendered content
//     hold it as sent. Statuses and accounts have 26-character ULID ids.
//  5. X-RateLimit-Reset has milliseconds (…T21:41:20.000Z); the limit is
//     per IP (300 per 5 minutes by default), so a 429 is app-wide
//     (networks.ScopeApp) and quotas are reported so; the 429 carries no
//     Retry-After. The test suite exhausted it once: the peer allows 3000.
//  6. DELETE answers 200 before the status is gone: a GET or the account's
//     list may show it for a few more reads, and a second DELETE then
//     succeeds. FindByMarker therefore confirms a match with GET
//     /api/v1/statuses/:id.
//  7. Images are processed before the upload answers (200 with a url, never
//     202); quotes_count is null, so Metrics has no quotes; deleting
//     another account's status is 403 (rejected), not 404; a token the
//     server does not know is 401 "Unauthorized: token not supplied".
//
// # Endpoints
//
//   - POST /api/v1/apps: https://docs.joinmastodon.org/methods/apps/#create
//   - GET /oauth/authorize, POST /oauth/token: https://docs.joinmastodon.org/methods/oauth/
//   - scopes: https://docs.joinmastodon.org/api/oauth-scopes/
//   - GET /api/v2/instance, GET /api/v1/instance: https://docs.joinmastodon.org/methods/instance/
//   - GET /api/v1/accounts/verify_credentials, GET /api/v1/accounts/:id/statuses: https://docs.joinmastodon.org/methods/accounts/
//   - GoToSocial's API and rate limits: https://docs.gotosocial.org/en/latest/api/ratelimiting/
//   - POST /api/v2/media, GET /api/v1/media/:id: https://docs.joinmastodon.org/methods/media/
//   - POST /api/v1/statuses, GET and DELETE /api/v1/statuses/:id: https://docs.joinmastodon.org/methods/statuses/
//   - GET /api/v1/notifications: https://docs.joinmastodon.org/methods/notifications/#get,
//     https://docs.joinmastodon.org/entities/Notification/, pagination: https://docs.joinmastodon.org/api/guidelines/#pagination
//   - Status entity (counters): https://docs.joinmastodon.org/entities/Status/
//   - rate limits: https://docs.joinmastodon.org/api/rate-limits/
//
// Package mastodontest is a fake instance for hosts' tests, which behaves
// as Mastodon or, with WithGoToSocial, as GoToSocial.
package mastodon
