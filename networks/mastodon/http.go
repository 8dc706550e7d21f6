package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/internal/httpx"
	"github.com/socialflow/socialflow/networks"
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

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

// answer is what a successful call returned besides its body.
type answer struct {
	status int
	quotas []networks.Quota
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

// do sends r to the instance at base and decodes a 2xx answer into out.
func (a *Adapter) do(ctx context.Context, base string, r request, out any) (answer, error) {
	if err := ctx.Err(); err != nil {
		return answer{}, fmt.Errorf("mastodon: %s: %w", r.op, err)
	}
	u, err := endpoint(base, r.path)
	if err != nil {
		return answer{}, err
	}
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := httpx.NewRequest(ctx, r.method, u, r.json, r.body, r.ctype, r.token)
	if err != nil {
		return answer{}, fmt.Errorf("mastodon: %s: %w", r.op, err)
	}
	if r.idem != "" {
		req.Header.Set("Idempotency-Key", r.idem)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !r.write {
			return answer{}, fmt.Errorf("mastodon: %s: %w", r.op, ctxErr)
		}
		err = sanitize(err)
		if r.write {
			return answer{}, &networks.OutcomeUnknownError{Network: Network, Op: r.op, AccountID: r.account, Marker: r.marker, Err: err}
		}
		return answer{}, &networks.TransientError{Network: Network, Op: r.op, Err: err}
	}
	defer resp.Body.Close()
	now := a.now()
	ans := answer{status: resp.StatusCode, quotas: ParseQuotas(resp.Header)}
	if a.software == SoftwareGoToSocial {
		for i := range ans.quotas {
			ans.quotas[i].Scope = networks.ScopeApp
		}
	}
	if resp.StatusCode/100 != 2 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		ae := &APIError{Method: r.method, Path: r.path, Status: resp.StatusCode}
		var eb struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &eb) == nil {
			ae.Message = eb.Error
		}
		if len(ae.Message) > 500 {
			ae.Message = strings.ToValidUTF8(ae.Message[:500], "")
		}
		if t, ok := parseReset(resp.Header.Get("X-RateLimit-Reset")); ok {
			ae.Reset = t
		}
		if d, ok := networks.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			ae.RetryAfter = d
		}
		err := classify(r, ae)
		var rl *networks.RateLimitError
		if a.software == SoftwareGoToSocial && errors.As(err, &rl) {
			rl.Scope = networks.ScopeApp // GoToSocial limits per IP: every account this host posts for
		}
		return ans, err
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return ans, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		err = fmt.Errorf("%s %s: decode answer: %w", r.method, r.path, err)
		if r.write {
			return ans, &networks.OutcomeUnknownError{Network: Network, Op: r.op, AccountID: r.account, Marker: r.marker, Err: err}
		}
		return ans, &networks.TransientError{Network: Network, Op: r.op, Status: resp.StatusCode, Err: err}
	}
	return ans, nil
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

// classify wraps ae in the networks error class of its status.
func classify(r request, ae *APIError) error {
	switch s := ae.Status; {
	case s == http.StatusUnauthorized:
		return &networks.AuthExpiredError{Network: Network, Op: r.op, AccountID: r.account, Err: ae}
	case s == http.StatusNotFound || s == http.StatusGone:
		return &networks.NotFoundError{Network: Network, Op: r.op, ID: r.target, Err: ae}
	case s == http.StatusTooManyRequests:
		return &networks.RateLimitError{Network: Network, Op: r.op, Scope: networks.ScopeAccount, Reset: ae.Reset, RetryAfter: ae.RetryAfter, Err: ae}
	case s >= 500:
		return &networks.TransientError{Network: Network, Op: r.op, Status: s, Err: ae}
	default:
		return &networks.RejectedError{Network: Network, Op: r.op, Code: strconv.Itoa(s), Reason: ae.Message, Err: ae}
	}
}

// ParseQuotas reads X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset: an ISO 8601 timestamp, with microseconds on Mastodon
// (2020-09-08T13:25:00.019685Z, https://docs.joinmastodon.org/api/rate-limits/)
// and milliseconds on GoToSocial (2026-12-01T21:41:20.000Z,
// https://docs.gotosocial.org/en/latest/api/ratelimiting/). It returns nil
// when any is missing or malformed.
func ParseQuotas(h http.Header) []networks.Quota {
	lim, err1 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	rem, err2 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	reset, ok := parseReset(h.Get("X-RateLimit-Reset"))
	if err1 != nil || err2 != nil || !ok || lim < 0 || rem < 0 {
		return nil
	}
	return []networks.Quota{{Scope: networks.ScopeAccount, Limit: lim, Remaining: rem, Reset: reset.UTC()}}
}

// parseReset reads X-RateLimit-Reset, an ISO 8601 time.
func parseReset(v string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
	return t, err == nil
}

// endpoint joins an instance URL and an API path.
func endpoint(base, path string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &networks.FieldError{Network: Network, Field: "account.base_url", Value: base, Reason: "not an absolute http(s) URL of an instance"}
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

// sanitize drops the query and user info from *url.Error messages.
func sanitize(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery, u.User = "", nil
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}
