// Package metagraph is the Graph API client the Meta adapters (facebook,
// instagram, threads) share, built on the adapter kit ([apikit]): a
// versioned base URL, the app-secret proof, the Graph error object mapped
// to the networks error kinds, the usage headers read as quotas, and the
// token helpers (long-lived exchange, Page tokens, debug_token, the
// Facebook Login OAuth 2.0 endpoints).
//
// # What the docs say
//
//   - Every error answer is {"error": {"message", "type", "code",
//     "error_subcode", "fbtrace_id", "is_transient"}}; the codes are listed
//     at https://developers.facebook.com/docs/graph-api/guides/error-handling.
//   - Usage headers: X-App-Usage (the app's platform limit) and
//     X-Page-Usage carry {"call_count", "total_cputime", "total_time"} as
//     percentages; X-Business-Use-Case-Usage maps a business id to a list of
//     {"type", "call_count", "total_cputime", "total_time",
//     "estimated_time_to_regain_access"} with the last in minutes
//     (https://developers.facebook.com/docs/graph-api/overview/rate-limiting).
//     Calls fail once a percentage reaches 100.
//   - appsecret_proof is the hex HMAC-SHA256 of the access token keyed by the
//     app secret, sent as a query parameter when the app requires it
//     (https://developers.facebook.com/docs/graph-api/securing-requests).
//
// # What we chose
//
//   - Each usage header becomes a [networks.Quota] with Limit 100 and
//     Remaining 100 minus the highest of its three percentages, so the
//     Publisher's limiter slows down before Meta answers "limit reached";
//     its Reset is now plus estimated_time_to_regain_access when Meta gives
//     it, else one hour (the platform limit's rolling window).
//   - A throttling error's wait is estimated_time_to_regain_access from the
//     answer's X-Business-Use-Case-Usage, else its Retry-After, else none.
//   - Codes are mapped by [ErrorMapping]; an unlisted code is classified by
//     its HTTP status, and a body that is not a Graph error object (a
//     proxy's HTML page, a truncated answer) by its status alone.
package metagraph
