package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// request is one REST call.
type request struct {
	method string
	path   string // e.g. "/api/v1/statuses"
	query  url.Values
	json   any    // JSON body
	body   []byte // raw body (multipart), with ctype
	ctype  string
	token  string
	idem   string // Idempotency-Key
	write  bool   // a lost answer is an unknown outcome

	op      string
	account string
	marker  string
	target  networks.RemoteID
}

// APIError is an error answer of a Mastodon server: the HTTP status and the
// documented error body {"error": Message}. The adapter wraps it in one of
// the networks error classes (as the [networks.Adapter] contract says); reach it with errors.As.
type APIError struct {
	Method, Path string // the call, e.g. "POST", "/api/v1/statuses"
	Status       int
	Message      string // the "error" field, e.g. "Validation failed: Text character limit of 500 exceeded"
	// Reset is X-RateLimit-Reset (an ISO 8601 time), zero when absent.
	Reset time.Time
	// RetryAfter is the Retry-After header, zero when absent.
	RetryAfter time.Duration
}

// Error describes the failure; it never holds a token.
func (e *APIError) Error() string {
	msg := "mastodon: " + echo.Short(e.Method) + " " + echo.Clip(e.Path, 200) + ": HTTP " + strconv.Itoa(e.Status)
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// do sends r to the instance at base through the adapter kit and decodes
// a 2xx answer into out (when out is not nil). A non-2xx answer becomes an
// *APIError wrapped in its networks error class by [classify].
func (a *Adapter) do(ctx context.Context, base string, r request, out any) (apikit.Response, error) {
	u, err := endpoint(base, r.path, r.query)
	if err != nil {
		return apikit.Response{}, err
	}
	var h http.Header
	if r.idem != "" {
		h = http.Header{"Idempotency-Key": {r.idem}}
	}
	return a.api.Do(ctx, &apikit.Request{
		Method: r.method, URL: u, Name: r.method + " " + r.path,
		JSON: r.json, Body: r.body, ContentType: r.ctype, Header: h, Token: r.token,
		Write: r.write, Op: r.op, AccountID: r.account, Marker: r.marker, Target: r.target,
	}, out)
}

// Mapping is one row of [ErrorMapping]: an HTTP status, the networks
// error class it becomes and the documentation that defines it.
type Mapping struct {
	Status int
	Class  string
	Source string
}

// ErrorMapping lists how HTTP statuses are classified, with sources. A 5xx
// not listed is transient; another 4xx is rejected.
var ErrorMapping = []Mapping{
	{401, "auth_expired (*networks.AuthExpiredError): the token was revoked or replaced; Mastodon has no refresh grant, so the Publisher reloads the token store once and otherwise reports *networks.ReauthRequiredError",
		"https://docs.joinmastodon.org/api/oauth-tokens/, https://docs.joinmastodon.org/methods/statuses/#401-unauthorized"},
	{403, "rejected (*networks.RejectedError): not allowed (e.g. login disabled, suspended)", "https://docs.joinmastodon.org/methods/statuses/"},
	{404, "not_found (*networks.NotFoundError)", "https://docs.joinmastodon.org/methods/statuses/#404-not-found"},
	{410, "not_found (*networks.NotFoundError)", "https://docs.joinmastodon.org/methods/media/"},
	{422, "rejected (*networks.RejectedError) with the server's \"Validation failed: ...\" message", "https://docs.joinmastodon.org/methods/statuses/#422-unprocessable-entity"},
	{429, "rate_limited (*networks.RateLimitError) with X-RateLimit-Reset (ISO 8601)", "https://docs.joinmastodon.org/api/rate-limits/"},
	{500, "transient (*networks.TransientError); retrying POST /api/v1/statuses is safe for an hour on Mastodon thanks to Idempotency-Key; GoToSocial's 503 under load carries Retry-After: 30", "https://docs.joinmastodon.org/methods/statuses/#create"},
}

// classify is the adapter kit's classify hook: it reads the documented
// error body {"error": Message} (a body that is not that JSON — a proxy's
// HTML page, a truncated answer — keeps the status only) and wraps the
// *APIError in the networks error class of its status, as [ErrorMapping]
// lists. A 5xx is a *networks.TransientError even for a write: the server
// answered, and on Mastodon the status's Idempotency-Key makes the retry
// return a status that was created after all.
func classify(f *apikit.Failure) error {
	method, path, _ := strings.Cut(f.Req.Name, " ")
	ae := &APIError{Method: method, Path: path, Status: f.Status, Reset: f.Reset, RetryAfter: f.RetryAfter}
	var b struct {
		Error string `json:"error"`
	}
	if f.DecodeJSON(&b) {
		ae.Message = apikit.Message(b.Error)
	}
	switch s := f.Status; {
	case s == http.StatusUnauthorized:
		return f.Error(apikit.ClassAuthExpired, "", ae.Message, ae)
	case s == http.StatusNotFound || s == http.StatusGone:
		return f.Error(apikit.ClassNotFound, "", ae.Message, ae)
	case s == http.StatusTooManyRequests:
		return f.Error(apikit.ClassRateLimited, "", ae.Message, ae)
	case s >= 500:
		return &networks.TransientError{Network: Network, Op: f.Req.Op, Status: s, Err: ae}
	default:
		return f.Error(apikit.ClassRejected, strconv.Itoa(s), ae.Message, ae)
	}
}

// rateHeaders are the X-RateLimit-* headers an instance sends, with its
// reset as an ISO 8601 time: microseconds on Mastodon
// (2020-09-08T13:25:00.019685Z, https://docs.joinmastodon.org/api/rate-limits/),
// milliseconds on GoToSocial (2026-12-01T21:41:20.000Z,
// https://docs.gotosocial.org/en/latest/api/ratelimiting/), never Unix
// seconds. GoToSocial limits per IP address, so its quotas and 429s are
// app-wide (networks.ScopeApp): every account the host posts for shares them.
func rateHeaders(sw Software) apikit.RateHeaders {
	h := apikit.XRateLimitHeaders
	h.Form = apikit.ResetTime
	if sw == SoftwareGoToSocial {
		h.Scope = networks.ScopeApp
	}
	return h
}

// ParseQuotas reads X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset, an ISO 8601 time with any fraction of a second
// (microseconds on Mastodon, milliseconds on GoToSocial), as a Mastodon account's quota. It returns nil when any
// is missing or malformed (a reset in Unix seconds is malformed).
func ParseQuotas(h http.Header) []networks.Quota {
	return rateHeaders(SoftwareMastodon).Parse(h, time.Time{})
}

// endpoint joins an instance URL, an API path and a query.
func endpoint(base, path string, q url.Values) (string, error) {
	u, ok := apikit.JoinURL(base, path, q)
	if !ok {
		return "", &networks.FieldError{Network: Network, Field: "account.base_url", Value: base, Reason: "not an absolute http(s) URL of an instance"}
	}
	return u, nil
}
