package tiktoktest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// SetClient sets the app's client key and secret the token endpoint
// accepts.
func (s *Server) SetClient(key, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clientKey, s.secret = key, secret
}

// IssueCode registers an authorization code, with the PKCE code verifier
// it needs ("" for none).
func (s *Server) IssueCode(code, verifier string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = verifier
}

// IssueRefreshToken registers a refresh token of the creator.
func (s *Server) IssueRefreshToken(tok string) {
	s.Server.IssueToken(tok, apikittest.Token{Subject: "open-fake", Kind: kindRefresh})
}

// oauthToken is POST /v2/oauth/token/: grant_type authorization_code or
// refresh_token with client_key and client_secret in the form. A refresh
// rotates the refresh token: the old one stops working.
func (s *Server) oauthToken(c *apikittest.Call) (any, error) {
	refuse := func(code, desc string) (any, error) {
		c.SetStatus(http.StatusBadRequest)
		return map[string]any{"error": code, "error_description": desc, "log_id": "202603011200000000FAKE"}, nil
	}
	if err := c.ParseForm(); err != nil {
		return refuse("invalid_request", "the body is not a form")
	}
	f := c.PostForm
	s.mu.Lock()
	key, secret := s.clientKey, s.secret
	s.mu.Unlock()
	if f.Get("client_key") != key || f.Get("client_secret") != secret || key == "" {
		return refuse("invalid_client", "Client key or secret is incorrect.")
	}
	switch f.Get("grant_type") {
	case "authorization_code":
		s.mu.Lock()
		verifier, ok := s.codes[f.Get("code")]
		delete(s.codes, f.Get("code"))
		s.mu.Unlock()
		if !ok || verifier != f.Get("code_verifier") {
			return refuse("invalid_grant", "Authorization code is expired.")
		}
	case "refresh_token":
		old := f.Get("refresh_token")
		if old == "" {
			return refuse("invalid_request", "refresh_token is required")
		}
		r := c.Request.Clone(c.Context())
		r.Header.Set("Authorization", "Bearer "+old)
		if _, _, p := s.Server.Bearer(&apikittest.Call{Request: r}, kindRefresh); p != apikittest.AuthOK {
			return refuse("invalid_grant", "Refresh token is invalid or expired.")
		}
		s.Server.RevokeToken(old)
	default:
		return refuse("unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
	}
	s.mu.Lock()
	s.seq++
	n := strconv.Itoa(s.seq)
	s.mu.Unlock()
	access, refresh := "act.fake"+n, "rft.fake"+n
	s.Server.IssueToken(access, apikittest.Token{Subject: "open-fake", Kind: kindAccess, Expiry: s.Now().Add(24 * time.Hour)})
	s.IssueRefreshToken(refresh)
	return map[string]any{"access_token": access, "expires_in": 86400, "open_id": "open-fake", "refresh_expires_in": 31536000,
		"refresh_token": refresh, "scope": "user.info.basic,video.publish,video.list", "token_type": "Bearer"}, nil
}
