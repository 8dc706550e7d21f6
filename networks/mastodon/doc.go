// Package mastodon is socialflow's adapter for Mastodon: it implements
// [networks.Adapter] against any instance's REST API through the host's
// *http.Client.
//
// Connect an account with OAuth 2.0 authorization code: [Adapter.RegisterApp]
// once per instance, [OAuthConfig] with [Scopes] (write:statuses,
// write:media, read:statuses), then [Adapter.Exchange]. Tokens do not
// expire and cannot be refreshed; a 401 is a *networks.AuthExpiredError, as
// on every network: the networks.Publisher then reloads its TokenStore once
// (a person may have reconnected the account) and otherwise reports
// *networks.ReauthRequiredError, the account must be connected again.
//
// The instance's own limits (characters, attachments, media sizes and
// types, alt text, polls) come from GET /api/v2/instance through
// [FetchConfiguration] and [WithConfiguration], not from constants.
// Statuses carry an Idempotency-Key derived from the publish marker
// ([IdempotencyKey]); media that the server processes asynchronously make
// Publish return a pending receipt that [Adapter.Check] completes, so the
// adapter never sleeps. Visibility, content warning and language are
// [PostOptions]. Rate limits come from X-RateLimit-Limit / -Remaining /
// -Reset (an ISO 8601 time) ([ParseQuotas]); errors are mapped by HTTP
// status as [ErrorMapping] lists.
//
// The adapter has no Finder: Mastodon has no lookup by idempotency key, and
// re-sending the key would post when nothing was posted. Within an hour a
// retry with the same marker is itself safe.
//
// # Endpoints
//
//   - POST /api/v1/apps: https://docs.joinmastodon.org/methods/apps/#create
//   - GET /oauth/authorize, POST /oauth/token: https://docs.joinmastodon.org/methods/oauth/
//   - scopes: https://docs.joinmastodon.org/api/oauth-scopes/
//   - GET /api/v2/instance: https://docs.joinmastodon.org/methods/instance/#v2
//   - POST /api/v2/media, GET /api/v1/media/:id: https://docs.joinmastodon.org/methods/media/
//   - POST /api/v1/statuses, GET and DELETE /api/v1/statuses/:id: https://docs.joinmastodon.org/methods/statuses/
//   - Status entity (counters): https://docs.joinmastodon.org/entities/Status/
//   - rate limits: https://docs.joinmastodon.org/api/rate-limits/
//
// Package mastodontest is a fake instance for hosts' tests.
package mastodon
