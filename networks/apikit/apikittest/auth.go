package apikittest

import (
	"strings"
	"time"
)

// Token is what the server knows of a bearer token it issued.
type Token struct {
	Subject string    // the account it acts for
	Kind    string    // e.g. "access", "refresh"
	Expiry  time.Time // zero: never expires
}

// AuthProblem is why [Server.Bearer] refused a request's token.
type AuthProblem int

// The problems, each answered as the network documents it.
const (
	AuthOK        AuthProblem = iota
	AuthMissing               // no "Authorization: Bearer" header
	AuthInvalid               // a token the server never issued, or revoked
	AuthWrongKind             // a token of another kind (a refresh token as access)
	AuthExpired               // past its Expiry, expired by ExpireTokens, or Fault.ExpireToken
)

// IssueToken registers tok.
func (s *Server) IssueToken(tok string, t Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = t
}

// RevokeToken forgets tok (a rotated refresh token, a revoked grant).
func (s *Server) RevokeToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tok)
}

// ExpireTokens makes every token of kind issued so far expired.
func (s *Server) ExpireTokens(kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, t := range s.tokens {
		if t.Kind == kind {
			t.Expiry = time.Unix(1, 0)
			s.tokens[k] = t
		}
	}
}

// HasBearer reports whether c carries an Authorization: Bearer header.
func HasBearer(c *Call) bool { return c.Header.Get("Authorization") != "" }

// Bearer checks c's bearer token is a live token of kind and returns it
// (and its string), or the problem.
func (s *Server) Bearer(c *Call, kind string) (Token, string, AuthProblem) {
	tok, ok := strings.CutPrefix(c.Request.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return Token{}, "", AuthMissing
	}
	now := s.Now()
	s.mu.Lock()
	t, known := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !known:
		return Token{}, tok, AuthInvalid
	case t.Kind != kind:
		return t, tok, AuthWrongKind
	case c.Fault.ExpireToken || (!t.Expiry.IsZero() && !now.Before(t.Expiry)):
		return t, tok, AuthExpired
	}
	return t, tok, AuthOK
}
