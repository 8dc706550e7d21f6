package x_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/x"
)

func TestOAuthPKCEExchange(t *testing.T) {
	for _, c := range []struct {
		name, secret string
		basic        bool
	}{{"confidential", "s3cret", true}, {"public", "", false}} {
		t.Run(c.name, func(t *testing.T) {
			var challenge string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				_, _, basic := r.BasicAuth()
				sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
				if basic != c.basic || r.PostForm.Get("grant_type") != "authorization_code" ||
					base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(400)
					_, _ = w.Write([]byte(`{"error":"invalid_request"}`))
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"token_type":"bearer","expires_in":7200,"access_token":"at-1","refresh_token":"rt-1","scope":"tweet.read tweet.write users.read media.write offline.access"}`))
			}))
			defer srv.Close()
			cfg := x.OAuthConfig("client", c.secret, "https://app.example/cb", srv.URL)
			u, verifier := x.AuthCodeURL(cfg, "state-1")
			pu, err := url.Parse(u)
			require.NoError(t, err)
			q := pu.Query()
			assert.Equal(t, "S256", q.Get("code_challenge_method"))
			assert.Contains(t, q.Get("scope"), "offline.access")
			assert.Equal(t, "x.com", pu.Host)
			challenge = q.Get("code_challenge")
			tok, err := x.Exchange(t.Context(), srv.Client(), cfg, "code-1", verifier)
			require.NoError(t, err)
			assert.Equal(t, "rt-1", tok.RefreshToken)
			_, err = x.Exchange(t.Context(), srv.Client(), cfg, "code-1", "wrong-verifier")
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}
