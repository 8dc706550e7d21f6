package bluesky

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

	"github.com/socialflow/socialflow/internal/httpx"
	"github.com/socialflow/socialflow/networks"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// call is one XRPC request.
type call struct {
	method string     // http.MethodGet or http.MethodPost
	nsid   string     // e.g. "com.atproto.repo.createRecord"
	query  url.Values // GET parameters
	in     any        // JSON body (POST); nil for none
	raw    []byte     // raw body (uploadBlob); used when in is nil
	ctype  string     // content type of raw
	token  string     // bearer token; empty for none
	write  bool       // the call changes state: a lost response is an unknown outcome

	op      string            // the networks operation, e.g. networks.OpPublish
	account string            // the account ID, for errors
	marker  string            // the publish marker, for errors
	target  networks.RemoteID // the post concerned, for not-found errors
	session bool              // createSession / refreshSession: auth failures need a person
}

// response is what a successful call returned besides its decoded body.
type response struct {
	quotas []networks.Quota
}

// do sends c to the PDS at base and decodes a 200 answer into out (when out
// is not nil). A non-2xx answer becomes an *XRPCError classified into the
// networks error classes by classify.
func (a *Adapter) do(ctx context.Context, base string, c call, out any) (response, error) {
	if err := ctx.Err(); err != nil {
		return response{}, fmt.Errorf("bluesky: %s: %w", c.nsid, err)
	}
	u, err := xrpcURL(base, c.nsid, c.query)
	if err != nil {
		return response{}, err
	}
	req, err := httpx.NewRequest(ctx, c.method, u, c.in, c.raw, c.ctype, c.token)
	if err != nil {
		return response{}, fmt.Errorf("bluesky: %s: %w", c.nsid, err)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return response{}, a.transportError(ctx, c, err)
	}
	defer resp.Body.Close()
	now := a.now()
	r := response{quotas: parseQuotas(resp.Header, now)}
	if resp.StatusCode/100 != 2 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		xe := parseXRPCError(c.nsid, resp.StatusCode, resp.Header, data, now)
		return r, classify(c, xe)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return r, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		if c.write {
			// The write succeeded but its answer is unreadable: the record
			// exists, we just do not know its URI.
			return r, &networks.OutcomeUnknownError{Network: Network, Op: c.op, AccountID: c.account, Marker: c.marker, Err: fmt.Errorf("%s: decode answer: %w", c.nsid, err)}
		}
		return r, &networks.TransientError{Network: Network, Op: c.op, Status: resp.StatusCode, Err: fmt.Errorf("%s: decode answer: %w", c.nsid, err)}
	}
	return r, nil
}

// transportError classifies a failure of the HTTP round trip itself.
func (a *Adapter) transportError(ctx context.Context, c call, err error) error {
	err = sanitize(err)
	if ctxErr := ctx.Err(); ctxErr != nil && !c.write {
		return fmt.Errorf("bluesky: %s: %w", c.nsid, ctxErr)
	}
	if c.write {
		// The request may have reached the PDS: never report it as
		// transient (a retry could post twice).
		return &networks.OutcomeUnknownError{Network: Network, Op: c.op, AccountID: c.account, Marker: c.marker, Err: fmt.Errorf("%s: %w", c.nsid, err)}
	}
	return &networks.TransientError{Network: Network, Op: c.op, Err: fmt.Errorf("%s: %w", c.nsid, err)}
}

// sanitize strips the query (which never holds a secret here, but may hold
// user data) from *url.Error messages, keeping the cause for errors.Is.
func sanitize(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			u.User = nil
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

// xrpcURL joins base (any PDS URL, with or without a path) with /xrpc/nsid.
func xrpcURL(base, nsid string, q url.Values) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &ConfigError{Field: "base_url", Value: base, Reason: "not an absolute http(s) URL"}
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/xrpc/" + nsid
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String(), nil
}

// parseQuotas reads the RateLimit-* headers the PDS sends (IETF draft
// style; RateLimit-Reset in Unix seconds). It returns nil when they are
// absent or malformed.
func parseQuotas(h http.Header, now time.Time) []networks.Quota {
	lim, err1 := strconv.Atoi(strings.TrimSpace(h.Get("RateLimit-Limit")))
	rem, err2 := strconv.Atoi(strings.TrimSpace(h.Get("RateLimit-Remaining")))
	reset, ok := parseReset(h.Get("RateLimit-Reset"), now)
	if err1 != nil || err2 != nil || !ok || lim < 0 || rem < 0 {
		return nil
	}
	return []networks.Quota{{Scope: networks.ScopeAccount, Limit: lim, Remaining: rem, Reset: reset}}
}

// ParseReset parses a RateLimit-Reset header value. The atproto PDS sends
// the Unix time (seconds) at which the window refills; the IETF draft it
// follows uses delta-seconds. A value smaller than ten years of seconds is
// read as a delta from now, anything else as a Unix time. ok is false for
// a missing, malformed or negative value.
func ParseReset(v string, now time.Time) (time.Time, bool) { return parseReset(v, now) }

func parseReset(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 1<<40 {
		return time.Time{}, false
	}
	const tenYears = 10 * 365 * 24 * 3600
	if n < tenYears {
		return now.Add(time.Duration(n) * time.Second), true
	}
	return time.Unix(n, 0).UTC(), true
}
