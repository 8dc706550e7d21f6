package bluesky

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
)

// sessionJSON is the output of com.atproto.server.createSession and
// refreshSession.
type sessionJSON struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	Handle     string `json:"handle"`
	DID        string `json:"did"`
}

// RefreshMargin is how long before the access JWT's exp a session token
// expires for its holders, so it is refreshed before the PDS answers
// ExpiredToken.
const RefreshMargin = 5 * time.Minute

// token converts a session into an oauth2 token whose Expiry is
// RefreshMargin before the access JWT's exp claim and whose extras hold
// "did" and "handle" (the adapter reads the DID from the JWT's sub claim,
// since stores may drop extras).
func (s sessionJSON) token() *oauth2.Token {
	tok := &oauth2.Token{AccessToken: s.AccessJwt, RefreshToken: s.RefreshJwt, TokenType: "Bearer"}
	if c, ok := jwtClaims(s.AccessJwt); ok && c.Exp > 0 {
		tok.Expiry = time.Unix(c.Exp, 0).UTC().Add(-RefreshMargin)
	}
	return tok.WithExtra(map[string]any{"did": s.DID, "handle": s.Handle})
}

// claims are the JWT claims the adapter reads (never verifies: the PDS
// does).
type claims struct {
	Sub   string `json:"sub"`
	Exp   int64  `json:"exp"`
	Scope string `json:"scope"`
}

// jwtClaims decodes the payload of a compact JWT without verifying it.
func jwtClaims(jwt string) (claims, bool) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return claims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return claims{}, false
	}
	var c claims
	if json.Unmarshal(raw, &c) != nil {
		return claims{}, false
	}
	return c, true
}

// Login opens a session on the PDS at pdsURL with an identifier (handle,
// DID or email) and an app password, through
// com.atproto.server.createSession
// (https://docs.bsky.app/docs/api/com-atproto-server-create-session). The
// token's AccessToken is the access JWT (120 minutes on a stock PDS), its
// RefreshToken the refresh JWT (90 days), its Expiry [RefreshMargin] before
// the access JWT's exp,
// and Extra("did") / Extra("handle") name the account. Store it through the
// host's networks.TokenStore; createSession is rate-limited (30 per 5
// minutes, 300 per day per account), so reuse sessions.
//
// A wrong password or a two-factor challenge yields a
// *networks.ReauthRequiredError (its Reason is the XRPC error name).
func (a *Adapter) Login(ctx context.Context, pdsURL, identifier, password string) (*oauth2.Token, error) {
	var out sessionJSON
	_, err := a.do(ctx, pdsURL, call{
		method: http.MethodPost, nsid: "com.atproto.server.createSession",
		in: map[string]string{"identifier": identifier, "password": password},
		op: networks.OpRefresh, account: identifier, session: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return out.token(), nil
}

// Refresh renews a session through com.atproto.server.refreshSession
// (https://docs.bsky.app/docs/api/com-atproto-server-refresh-session),
// authenticated by tok.RefreshToken. The PDS rotates the refresh token:
// persist the returned token. An expired, revoked or missing refresh token
// yields a *networks.ReauthRequiredError.
func (a *Adapter) Refresh(ctx context.Context, pdsURL string, tok *oauth2.Token) (*oauth2.Token, error) {
	if tok == nil || tok.RefreshToken == "" {
		return nil, &networks.ReauthRequiredError{Network: Network, Reason: "no refresh token"}
	}
	var out sessionJSON
	_, err := a.do(ctx, pdsURL, call{
		method: http.MethodPost, nsid: "com.atproto.server.refreshSession",
		token: tok.RefreshToken, op: networks.OpRefresh, session: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return out.token(), nil
}

// Refresher returns the [networks.Refresher] of accounts on the PDS at
// pdsURL: give it to the Publisher (or call its TokenSource) so sessions
// are renewed through [Adapter.Refresh] and saved through the TokenStore.
func (a *Adapter) Refresher(pdsURL string) *Refresher { return &Refresher{a: a, pds: pdsURL} }

// Refresher renews Bluesky sessions of one PDS. It implements
// [networks.Refresher]; it is immutable and safe for concurrent use.
type Refresher struct {
	a   *Adapter
	pds string
}

// TokenSource returns a TokenSource that serves t while it is valid (its
// Expiry is [RefreshMargin] before the access JWT expires) and then renews
// it once with refreshSession. ctx is kept for every later refresh (as
// oauth2.Config.TokenSource keeps its context): pass a long-lived one.
func (r *Refresher) TokenSource(ctx context.Context, t *oauth2.Token) oauth2.TokenSource {
	return &sessionSource{pds: r.pds, src: oauth2.ReuseTokenSource(t, &refresher{ctx: ctx, a: r.a, pds: r.pds, tok: t})}
}

// String, GoString and LogValue name the PDS only.
func (r *Refresher) String() string       { return "bluesky.Refresher{pds:" + strconv.Quote(r.pds) + "}" }
func (r *Refresher) GoString() string     { return r.String() }
func (r *Refresher) LogValue() slog.Value { return slog.StringValue(r.String()) }

// sessionSource is the session token source Refresher.TokenSource returns;
// it prints and logs without its tokens.
type sessionSource struct {
	pds string
	src oauth2.TokenSource
}

// Token implements oauth2.TokenSource.
func (s *sessionSource) Token() (*oauth2.Token, error) { return s.src.Token() }

// String, GoString and LogValue never show the session's tokens.
func (s *sessionSource) String() string {
	return "bluesky.SessionSource{pds:" + strconv.Quote(s.pds) + " tokens:REDACTED}"
}
func (s *sessionSource) GoString() string     { return s.String() }
func (s *sessionSource) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String, GoString and LogValue never show the session's tokens.
func (r *refresher) String() string {
	return "bluesky.refresher{pds:" + strconv.Quote(r.pds) + " tokens:REDACTED}"
}
func (r *refresher) GoString() string     { return r.String() }
func (r *refresher) LogValue() slog.Value { return slog.StringValue(r.String()) }

// String, GoString and LogValue never show the session's tokens.
func (s sessionJSON) String() string {
	return "bluesky.session{did:" + strconv.Quote(s.DID) + " tokens:REDACTED}"
}
func (s sessionJSON) GoString() string     { return s.String() }
func (s sessionJSON) LogValue() slog.Value { return slog.StringValue(s.String()) }

// refresher renews the last token it saw.
type refresher struct {
	ctx context.Context
	a   *Adapter
	pds string
	mu  sync.Mutex
	tok *oauth2.Token
}

// Token implements oauth2.TokenSource.
func (r *refresher) Token() (*oauth2.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, err := r.a.Refresh(r.ctx, r.pds, r.tok)
	if err != nil {
		return nil, err
	}
	r.tok = t
	return t, nil
}

var _ networks.Refresher = (*Refresher)(nil)
