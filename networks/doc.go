// Package networks describes social networks (specs and text rules), defines
// the Adapter contract every network implements, and provides the Publisher
// that adds rate limiting, retries, token refresh and idempotency to any
// adapter.
package networks
