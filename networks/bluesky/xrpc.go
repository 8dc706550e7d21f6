package bluesky

import (
	"context"
	"net/url"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

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

// do sends c to the PDS at base through the adapter kit and decodes a 200
// answer into out (when out is not nil). A non-2xx answer becomes an
// *XRPCError classified into the networks error classes by classifyXRPC.
func (a *Adapter) do(ctx context.Context, base string, c call, out any) (apikit.Response, error) {
	u, err := xrpcURL(base, c.nsid, c.query)
	if err != nil {
		return apikit.Response{}, err
	}
	return a.api.Do(ctx, &apikit.Request{
		Method: c.method, URL: u, Name: c.nsid,
		JSON: c.in, Body: c.raw, ContentType: c.ctype, Token: c.token,
		Write: c.write, Credentials: c.session,
		Op: c.op, AccountID: c.account, Marker: c.marker, Target: c.target,
	}, out)
}

// xrpcURL joins base (any PDS URL, with or without a path) with /xrpc/nsid.
func xrpcURL(base, nsid string, q url.Values) (string, error) {
	u, ok := apikit.JoinURL(base, "/xrpc/"+nsid, q)
	if !ok {
		return "", &ConfigError{Field: "base_url", Value: base, Reason: "not an absolute http(s) URL"}
	}
	return u, nil
}

// rateHeaders are the RateLimit-* headers the PDS sends (IETF draft style;
// RateLimit-Reset in Unix seconds).
var rateHeaders = apikit.IETFDraftHeaders

// ParseReset parses a RateLimit-Reset header value. The atproto PDS sends
// the Unix time (seconds) at which the window refills; the IETF draft it
// follows uses delta-seconds. A value smaller than ten years of seconds is
// read as a delta from now, anything else as a Unix time. ok is false for
// a missing, malformed or negative value.
func ParseReset(v string, now time.Time) (time.Time, bool) { return rateHeaders.ParseReset(v, now) }
