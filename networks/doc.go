// Package networks describes social networks (specs and validation), defines
// the Adapter contract every network implements, and provides the Publisher
// that adds rate limiting, retries, token refresh and idempotency to any
// adapter.
//
// # Specs and validation
//
// A [Spec] is a network's rules as data, with the sources they come from:
// how text is counted (X's weighted length, Bluesky's graphemes plus a byte
// cap, Mastodon's 23-character URLs, Threads' emoji bytes — see the
// networks/text package), hashtag, mention and link caps, media rules (count,
// kinds, mixing, MIME types, size, dimensions, aspect, duration), native
// features (threads, first comment, alt text, polls, scheduling) and
// publishing rate limits per account and per app. [DefaultSpecs] returns the
// ten networks socialflow knows; values the sources disagree on are ordinary
// fields the host overrides, and [MastodonSpec] takes a server's own
// configuration. A [Registry] is a value the host builds from specs and
// adapters; there is no global state.
//
// [Validate] checks a [Draft] against a Spec and returns every [Violation] at
// once — network, field, limit, actual value and, for text, the byte offset
// where it overflows — so a UI can show them all.
//
// # Adapters
//
// An [Adapter] translates one network's API: Publish (which may return a
// pending [Receipt] that Check resolves), Delete, Metrics and, optionally,
// [Finder].FindByMarker. Adapters classify every failure into the error types
// of this package — [*RateLimitError] (with Retry-After, reset and scope),
// [*AuthExpiredError], [*ReauthRequiredError], [*TransientError],
// [*RejectedError] (with the network's reason), [*DuplicateError],
// [*OutcomeUnknownError] and [*NotFoundError] — each matching one of the
// root socialflow error kinds through errors.Is and carrying its details for
// errors.As. They never retry, sleep, rate-limit or refresh. The
// networks/networktest package is the conformance suite every adapter passes;
// networks/fakenet is an in-process network that passes it, for tests.
//
// # Publishing
//
// A [Publisher] wraps one adapter. For each publish it validates the draft,
// puts an idempotency marker on it, waits for the per-account and per-app
// limiters (golang.org/x/time/rate, from the spec and from what the network
// reports), calls the adapter and classifies the result:
//
//   - transient failures and rate limits are retried with exponential
//     backoff and jitter (github.com/cenkalti/backoff/v4), never sooner than
//     the network's Retry-After or reset, within [WithMaxElapsedTime],
//     [WithMaxAttempts] and the context; a wait that cannot fit the
//     context's deadline ends the call at once with the rate-limit or
//     transient error, never with a context error after sleeping;
//   - an expired token is refreshed once (through the host's [TokenStore] and
//     an oauth2 [Refresher]; the refreshed token, rotated refresh token
//     included, is saved with a compare-and-swap ([TokenStore.Swap]) before
//     it is used, one refresh per account at a time) and the call retried;
//     when the refresh is refused or the swap loses, the token stored
//     meanwhile (by another replica, or a reconnect) is loaded and tried
//     once; only then is it a [*ReauthRequiredError];
//   - a failing token source is classified by one rule for every adapter
//     ([AccessToken]);
//   - an unknown outcome (a lost response, a timeout after sending) is never
//     retried blindly: the Publisher asks the adapter's Finder for the
//     marker, returns the post if it exists and publishes again only if the
//     network says it does not; without a Finder the [*OutcomeUnknownError]
//     goes back to the caller, who marks the target unconfirmed;
//   - rejections and duplicates are returned at once.
//
// A spec or account marked manual makes Publish return a receipt with
// Status [StatusManual] carrying the ready content for a person;
// [MarkPublished] records the URL they report.
//
// Logging goes to an optional *slog.Logger ([WithLogger]) and every attempt
// to an optional hook ([WithAttemptHook]). Tokens never appear in errors or
// log lines: [Account], [MemTokenStore], the [Publisher] and its token
// sources redact themselves in String, GoString and LogValue, and the
// Publisher replaces any error whose chain shows the account's tokens with a
// scrubbed stand-in (errors.Is and errors.As keep working on scrubbed
// copies; the original is unreachable). Every value an error echoes is
// bounded in length.
//
// # Inbox
//
// Adapters may also implement [InboxSource] (what arrived for an account
// after a cursor: replies, mentions, quotes, direct messages as [Incoming]
// items) and [Replier] (a reply threaded under an item). [Publisher.Incoming]
// reads through the same retries and token refresh as every call but spends
// no publishing budget; [Publisher.Reply] is a publish in every respect —
// validation, marker, limits, retries, and a lost answer found by the marker
// before anything is sent again. Without the interfaces both return
// [ErrNoInbox].
//
// # Time
//
// The Publisher reads the real clock (time.Now, time.NewTimer). Tests run it
// inside a testing/synctest bubble, where waits for Retry-After, backoff and
// rate limits take no wall time and can be asserted exactly.
package networks
