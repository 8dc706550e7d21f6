package graphtest

import (
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// LongLived is how long a token from the fake's long-lived exchange lives
// (about 60 days, https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived).
const LongLived = 60 * 24 * time.Hour

// exchangeToken is GET /oauth/access_token?grant_type=fb_exchange_token:
// a live user token of the app's user becomes a new token of the same
// user that lives LongLived.
func (s *Server) exchangeToken(c *apikittest.Call) (any, error) {
	q := c.URL.Query()
	s.mu.Lock()
	secret, ok := s.fb.apps[q.Get("client_id")]
	s.mu.Unlock()
	switch {
	case q.Get("grant_type") != "fb_exchange_token":
		return nil, graphErr(400, 100, 0, "(#100) grant_type must be fb_exchange_token")
	case !ok:
		return nil, graphErr(400, 101, 0, "Error validating application. Invalid application ID.")
	case q.Get("client_secret") != secret:
		return nil, graphErr(400, 1, 0, "Error validating client secret.")
	}
	short := q.Get("fb_exchange_token")
	c.Header.Set("Authorization", "Bearer "+short)
	tok, _, p := s.kit.Bearer(c, "access")
	switch p {
	case apikittest.AuthOK:
	case apikittest.AuthExpired:
		return nil, graphErr(400, 190, 463, "Error validating access token: Session has expired.")
	default:
		return nil, graphErr(400, 190, 0, "Invalid OAuth access token - Cannot parse access token")
	}
	long := "long-" + short
	s.kit.IssueToken(long, apikittest.Token{Subject: tok.Subject, Kind: "access", Expiry: s.Now().Add(LongLived)})
	return map[string]any{"access_token": long, "token_type": "bearer", "expires_in": int64(LongLived / time.Second)}, nil
}

// debugToken is GET /debug_token?input_token=, called with the app token
// "{app-id}|{app-secret}": what the fake knows of the input token. An
// expired or unknown token is answered is_valid false, as Meta does.
func (s *Server) debugToken(c *apikittest.Call) (any, error) {
	app, ok := strings.CutPrefix(c.Header.Get("Authorization"), "Bearer ")
	id, secret, _ := strings.Cut(app, "|")
	s.mu.Lock()
	want, known := s.fb.apps[id]
	s.mu.Unlock()
	if !ok || !known || secret != want {
		return nil, graphErr(400, 190, 0, "Invalid OAuth access token - the app token is not valid")
	}
	in := c.URL.Query().Get("input_token")
	c.Header.Set("Authorization", "Bearer "+in)
	tok, _, p := s.kit.Bearer(c, "access")
	data := map[string]any{"app_id": id, "type": "USER", "application": "graphtest", "is_valid": p == apikittest.AuthOK}
	switch p {
	case apikittest.AuthOK, apikittest.AuthExpired:
		s.mu.Lock()
		if _, page := s.fb.pages[tok.Subject]; page {
			data["type"], data["profile_id"] = "PAGE", tok.Subject
		}
		s.mu.Unlock()
		data["user_id"] = tok.Subject
		data["scopes"] = []string{"pages_show_list", "pages_read_engagement", "pages_manage_posts", "read_insights"}
		data["expires_at"] = int64(0)
		if !tok.Expiry.IsZero() {
			data["expires_at"] = tok.Expiry.Unix()
		}
		if p == apikittest.AuthExpired {
			data["error"] = map[string]any{"code": 190, "subcode": 463, "message": "Error validating access token: Session has expired."}
		}
	default:
		data["error"] = map[string]any{"code": 190, "message": "Invalid OAuth access token."}
	}
	return map[string]any{"data": data}, nil
}
