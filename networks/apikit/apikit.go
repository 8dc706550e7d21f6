// Package apikit is the HTTP round trip every network adapter shares: it
// builds a request (JSON or raw body, headers, a bearer token got through
// [networks.AccessToken]), sends it, reads the rate-limit headers, and
// classifies every failure into the networks error kinds, so that the part
// of an adapter that decides "could this post twice?" is written once.
//
// The contract of [Client.Do], in the order it is applied:
//
//   - ctx done before sending: an error wrapping ctx.Err(); nothing is sent.
//   - the request's token source fails: the error of [networks.AccessToken]
//     (its one rule), nothing sent.
//   - the request cannot be built (a body that does not encode, a bad URL):
//     a plain error naming the request; nothing sent.
//   - the round trip fails (connection refused or lost, timeout, ctx done
//     after sending): for a write ([Request].Write) an
//     [*networks.OutcomeUnknownError] — the request may have reached the
//     network, so a retry could post twice; for a read, ctx's error when
//     ctx is done, else a [*networks.TransientError].
//   - a non-2xx answer: the network's [ClassifyFunc] decides, from the
//     status, the headers and the body (at most [Client].MaxErrorBody
//     bytes, with the request's token replaced by "REDACTED"); a body that
//     is not JSON, is truncated or is a proxy's HTML page reaches the hook
//     like any other and is classified by its status.
//   - a 2xx answer whose body does not decode into out (not JSON,
//     truncated, larger than [Client].MaxBody): for a write an
//     [*networks.OutcomeUnknownError] (the write happened, its answer is
//     unreadable), for a read a [*networks.TransientError].
//
// Every error names the network and the request ([Request].Name), never a
// token: URLs in transport errors lose their query and user info, and error
// bodies lose the bearer token before any hook sees them.
package apikit

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// Default bounds of the bodies a [Client] reads.
const (
	DefaultMaxBody      = 8 << 20  // a 2xx answer
	DefaultMaxErrorBody = 64 << 10 // a non-2xx answer
)

// Client sends one network's requests. Fill its fields once, when the
// adapter is built; it is then safe for concurrent use. The zero value of
// each optional field has the documented default.
type Client struct {
	// Network is the network key put in every error, e.g. networks.Bluesky.
	Network string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// Now is the clock for Retry-After dates and relative resets; nil
	// means time.Now.
	Now func() time.Time
	// Quotas says which rate-limit headers the network sends; the zero
	// value reads none.
	Quotas RateHeaders
	// Classify maps a non-2xx answer to an error of the networks kinds;
	// nil means [ByStatus].
	Classify ClassifyFunc
	// MaxBody and MaxErrorBody bound what is read of a 2xx and a non-2xx
	// answer, in bytes; zero means DefaultMaxBody / DefaultMaxErrorBody.
	MaxBody, MaxErrorBody int64
}

// Request is one call to a network's API.
type Request struct {
	Method string // http.MethodGet, http.MethodPost, ...
	URL    string // absolute; see [JoinURL]
	// Name names the call in errors: an XRPC NSID, "POST /2/tweets".
	Name string

	JSON        any    // a body encoded as JSON; nil for none
	Body        []byte // a raw body, used when JSON is nil
	ContentType string // the type of Body (or Stream)
	// Stream, used when JSON and Body are nil, is a body read as it is
	// sent (an upload that must not be held in memory), of StreamLength
	// bytes (sent as Content-Length; negative: unknown, sent chunked). It
	// is read at most once: a Request with a Stream is sent once.
	Stream       io.Reader
	StreamLength int64
	Header       http.Header // extra headers (Idempotency-Key, LinkedIn-Version)

	// Token is the bearer token sent; when it is empty and Account is not
	// nil, the token is got with [networks.AccessToken] for Account, as
	// oauth2.Transport would, but with the networks failure rule.
	Token   string
	Account *networks.Account

	// Write says the call changes state: once it may have been sent, a
	// lost or unreadable answer is an unknown outcome, never transient.
	Write bool
	// Credentials says the call presents credentials to get a session (a
	// login, a refresh): an auth failure means a person must reconnect.
	Credentials bool

	// For errors: the networks operation (networks.OpPublish), the
	// account, the publish marker and the post concerned.
	Op        string
	AccountID string
	Marker    string
	Target    networks.RemoteID
}

// Response is what a call returned besides its decoded body.
type Response struct {
	Status int
	Header http.Header
	// Quotas is what the rate-limit headers reported; nil without them.
	Quotas []networks.Quota
}

// Do sends r and decodes a 2xx answer into out (nil: the body is
// discarded). The Response is set whenever an answer arrived, also with an
// error. See the package documentation for how each failure is reported.
func (c *Client) Do(ctx context.Context, r *Request, out any) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, fmt.Errorf("%s: %s: %w", c.Network, r.Name, err)
	}
	token := r.Token
	if token == "" && r.Account != nil {
		tok, err := networks.AccessToken(ctx, c.Network, *r.Account)
		if err != nil {
			return Response{}, err
		}
		token = tok.AccessToken
	}
	req, err := build(ctx, r, token)
	if err != nil {
		return Response{}, fmt.Errorf("%s: %s: %w", c.Network, r.Name, err)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return Response{}, c.transportError(ctx, r, err)
	}
	defer resp.Body.Close()
	now := c.now()
	res := Response{Status: resp.StatusCode, Header: resp.Header, Quotas: c.Quotas.Parse(resp.Header, now)}
	if resp.StatusCode/100 != 2 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, bound(c.MaxErrorBody, DefaultMaxErrorBody)))
		f := &Failure{Network: c.Network, Req: r, Status: resp.StatusCode, Header: resp.Header, Body: Redact(data, token), Now: now,
			Scope: c.Quotas.scope()}
		f.Reset, _ = c.Quotas.ParseReset(resp.Header.Get(c.Quotas.Reset), now)
		f.RetryAfter, _ = networks.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
		classify := c.Classify
		if classify == nil {
			classify = ByStatus
		}
		return res, c.nonNil(f, classify(f))
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, bound(c.MaxBody, DefaultMaxBody)))
		return res, nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, bound(c.MaxBody, DefaultMaxBody))).Decode(out); err != nil {
		err = fmt.Errorf("%s: decode answer: %w", r.Name, err)
		if r.Write {
			return res, c.unknown(r, err)
		}
		return res, &networks.TransientError{Network: c.Network, Op: r.Op, Status: resp.StatusCode, Err: err}
	}
	return res, nil
}

// nonNil keeps a hook that returned nil for a failure from turning it into
// a success.
func (c *Client) nonNil(f *Failure, err error) error {
	if err != nil {
		return err
	}
	return ByStatus(f)
}

// BuildRequest builds the *http.Request that [Client.Do] sends for r, with
// r.Token as its bearer token (r.Account is not consulted): a JSON body
// (Content-Type application/json) when r.JSON is not nil, else r.Body
// with r.ContentType, r.Header, and Accept: application/json unless
// r.Header sets Accept. The token is only put in the Authorization header,
// never in an error.
func BuildRequest(ctx context.Context, r *Request) (*http.Request, error) {
	return build(ctx, r, r.Token)
}

func build(ctx context.Context, r *Request, token string) (*http.Request, error) {
	var body io.Reader
	ctype := ""
	switch {
	case r.JSON != nil:
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, fmt.Errorf("encode: %w", err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case r.Body != nil:
		body, ctype = bytes.NewReader(r.Body), r.ContentType
	case r.Stream != nil:
		body, ctype = io.NopCloser(r.Stream), r.ContentType
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, SanitizeError(err)
	}
	if r.JSON == nil && r.Body == nil && r.Stream != nil {
		req.ContentLength = r.StreamLength
		if r.StreamLength == 0 {
			req.Body = http.NoBody
		}
	}
	for k, vs := range r.Header {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

// transportError classifies a failure of the round trip itself.
func (c *Client) transportError(ctx context.Context, r *Request, err error) error {
	err = SanitizeError(err)
	if ctxErr := ctx.Err(); ctxErr != nil && !r.Write {
		return fmt.Errorf("%s: %s: %w", c.Network, r.Name, ctxErr)
	}
	err = fmt.Errorf("%s: %w", r.Name, err)
	if r.Write {
		return c.unknown(r, err)
	}
	return &networks.TransientError{Network: c.Network, Op: r.Op, Err: err}
}

func (c *Client) unknown(r *Request, err error) error {
	return &networks.OutcomeUnknownError{Network: c.Network, Op: r.Op, AccountID: r.AccountID, Marker: r.Marker, Err: err}
}

func (c *Client) client() *http.Client {
	if c.HTTP == nil {
		return http.DefaultClient
	}
	return c.HTTP
}

func (c *Client) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func bound(n, def int64) int64 {
	if n <= 0 {
		return def
	}
	return n
}

// JoinURL joins base (an absolute http or https URL, with or without a
// path) and path, with query q (nil for none). It returns false when base
// is not such a URL; the adapter reports that with its own field error.
func JoinURL(base, path string, q url.Values) (string, bool) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String(), true
}

// SanitizeError returns err with the URL of a *url.Error stripped of its
// query (which may hold an access_token or user data) and user info; the
// cause stays reachable for errors.Is. Other errors are returned as they
// are.
func SanitizeError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery, u.User = "", nil
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
		return &url.Error{Op: ue.Op, URL: "(unparsable URL)", Err: ue.Err}
	}
	return err
}

// Redact returns body with every occurrence of each non-empty secret
// replaced by "REDACTED", so a server that echoes a token cannot put it in
// an error. body is not modified.
func Redact(body []byte, secrets ...string) []byte {
	for _, s := range secrets {
		if s != "" && bytes.Contains(body, []byte(s)) {
			body = bytes.ReplaceAll(body, []byte(s), []byte("REDACTED"))
		}
	}
	return body
}

// NewMarker returns a random marker (32 hex digits) for a draft that came
// without one: networks.Draft.Marker is set by the Publisher, so this only
// serves adapters called directly.
func NewMarker() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Marker returns d.Marker, or [NewMarker] when it is empty.
func Marker(d networks.Draft) string {
	if d.Marker != "" {
		return d.Marker
	}
	return NewMarker()
}
