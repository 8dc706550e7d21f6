package apikit_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

const secret = "tok-SECRET-123"

func server(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func client(s *httptest.Server) *apikit.Client {
	return &apikit.Client{Network: "demo", HTTP: s.Client(), Quotas: apikit.XRateLimitHeaders,
		Now: func() time.Time { return time.Unix(1_800_000_000, 0) }}
}

func TestDoClassifiesAnswers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		ctype  string
		body   string
		write  bool
		kind   error
	}{
		{"json ok", 200, "application/json", `{"id":"1"}`, true, nil},
		{"html 200 on a write", 200, "text/html", "<html>proxy</html>", true, socialflow.ErrOutcomeUnknown},
		{"html 200 on a read", 200, "text/html", "<html>proxy</html>", false, socialflow.ErrTransient},
		{"truncated 200 on a write", 200, "application/json", `{"id":"1`, true, socialflow.ErrOutcomeUnknown},
		{"html 502 on a read", 502, "text/html", "<html>Bad Gateway</html>", false, socialflow.ErrTransient},
		{"html 502 on a write", 502, "text/html", "<html>Bad Gateway</html>", true, socialflow.ErrOutcomeUnknown},
		{"401", 401, "application/json", `{}`, false, socialflow.ErrAuthExpired},
		{"404", 404, "", "", false, socialflow.ErrNotFound},
		{"409", 409, "", "", true, socialflow.ErrDuplicate},
		{"422", 422, "application/json", `{"error":"nope"}`, true, socialflow.ErrRejected},
		{"429", 429, "", "", true, socialflow.ErrRateLimited},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := server(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			var out struct{ ID string }
			_, err := client(s).Do(t.Context(), &apikit.Request{Method: "POST", URL: s.URL, Name: "POST /x", Write: tt.write, Token: secret, Op: networks.OpPublish, Marker: "m"}, &out)
			if tt.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, "1", out.ID)
				return
			}
			require.ErrorIs(t, err, tt.kind)
			assert.NotContains(t, err.Error(), secret)
			assert.Contains(t, err.Error(), "demo")
		})
	}
}

func TestDoSendsRequest(t *testing.T) {
	var got *http.Request
	var body string
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		got = r
		buf := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(buf)
		body = string(buf)
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "299")
		w.Header().Set("X-RateLimit-Reset", "1800000900")
		_, _ = w.Write([]byte(`{}`))
	})
	acct := networks.Account{ID: "a", Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secret})}
	res, err := client(s).Do(t.Context(), &apikit.Request{Method: "POST", URL: s.URL + "/2/tweets", Name: "POST /2/tweets",
		JSON: map[string]string{"text": "hi"}, Header: http.Header{"X-Restli-Protocol-Version": {"2.0.0"}}, Account: &acct}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Bearer "+secret, got.Header.Get("Authorization"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	assert.Equal(t, "2.0.0", got.Header.Get("X-Restli-Protocol-Version"))
	assert.JSONEq(t, `{"text":"hi"}`, body)
	require.Len(t, res.Quotas, 1)
	assert.Equal(t, networks.Quota{Scope: networks.ScopeAccount, Limit: 300, Remaining: 299, Reset: time.Unix(1800000900, 0).UTC()}, res.Quotas[0])
}

func TestDoFailuresBeforeAndDuringSending(t *testing.T) {
	var hits int
	s := server(t, func(w http.ResponseWriter, r *http.Request) { hits++ })
	c := client(s)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Do(ctx, &apikit.Request{Method: "POST", URL: s.URL, Name: "n", Write: true}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown, "nothing was sent")

	_, err = c.Do(t.Context(), &apikit.Request{Method: "GET", URL: s.URL, Name: "n", Account: &networks.Account{ID: "a"}}, nil)
	require.ErrorIs(t, err, socialflow.ErrInvalid, "no credentials: networks.AccessToken's rule")

	_, err = c.Do(t.Context(), &apikit.Request{Method: "POST", URL: s.URL, Name: "n", JSON: math.Inf(1), Token: secret}, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	assert.Zero(t, hits)

	dead := "http://user:pw@127.0.0.1:1/x?access_token=" + secret
	_, err = c.Do(t.Context(), &apikit.Request{Method: "POST", URL: dead, Name: "n", Write: true, Marker: "m"}, nil)
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown, "a write that may have been sent")
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, err.Error(), "pw@")
	_, err = c.Do(t.Context(), &apikit.Request{Method: "GET", URL: dead, Name: "n"}, nil)
	require.ErrorIs(t, err, socialflow.ErrTransient, "a read")
}

func TestClassifyHookSeesRedactedBody(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.Header().Set("X-Ratelimit-Reset", "2027-01-15T12:00:00Z")
		w.WriteHeader(429)
		_, _ = w.Write([]byte(`{"detail":"slow down ` + secret + `"}`))
	})
	c := client(s)
	var seen string
	c.Classify = func(f *apikit.Failure) error {
		seen = string(f.Body)
		f.Scope = networks.ScopeApp
		return f.Error(apikit.ClassRateLimited, "", "", errors.New(seen))
	}
	_, err := c.Do(t.Context(), &apikit.Request{Method: "GET", URL: s.URL, Name: "n", Token: secret}, nil)
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, networks.ScopeApp, rl.Scope)
	assert.Equal(t, 30*time.Second, rl.RetryAfter)
	assert.Equal(t, time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC), rl.Reset)
	assert.NotContains(t, seen, secret)
	assert.NotContains(t, err.Error(), secret)

	c.Classify = func(*apikit.Failure) error { return nil }
	_, err = c.Do(t.Context(), &apikit.Request{Method: "GET", URL: s.URL, Name: "n"}, nil)
	require.ErrorIs(t, err, socialflow.ErrRateLimited, "a hook returning nil falls back to the status")
}

func TestMaxBody(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"a":"` + strings.Repeat("x", 100) + `"}`))
	})
	c := client(s)
	c.MaxBody = 50
	var out map[string]string
	_, err := c.Do(t.Context(), &apikit.Request{Method: "GET", URL: s.URL, Name: "n"}, &out)
	require.ErrorIs(t, err, socialflow.ErrTransient)
}

func TestRateHeaders(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	isoOnly := apikit.XRateLimitHeaders
	isoOnly.Form = apikit.ResetTime
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, tt := range []struct {
		name string
		rh   apikit.RateHeaders
		hd   http.Header
		want []networks.Quota
	}{
		{"x epoch", apikit.XAPIHeaders, h("x-rate-limit-limit", "300", "x-rate-limit-remaining", "0", "x-rate-limit-reset", "1795435200"),
			[]networks.Quota{{Scope: networks.ScopeAccount, Limit: 300, Remaining: 0, Reset: time.Unix(1795435200, 0).UTC()}}},
		{"mastodon iso", apikit.XRateLimitHeaders, h("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "7", "X-RateLimit-Reset", "2026-11-23T12:05:00.019685Z"),
			[]networks.Quota{{Scope: networks.ScopeAccount, Limit: 300, Remaining: 7, Reset: time.Date(2026, 11, 23, 12, 5, 0, 19685000, time.UTC)}}},
		{"ietf delta", apikit.IETFDraftHeaders, h("RateLimit-Limit", "10", "RateLimit-Remaining", "9", "RateLimit-Reset", "60"),
			[]networks.Quota{{Scope: networks.ScopeAccount, Limit: 10, Remaining: 9, Reset: now.Add(time.Minute)}}},
		{"app scope", apikit.RateHeaders{Limit: "L", Remaining: "R", Reset: "T", Scope: networks.ScopeApp}, h("L", "1", "R", "1", "T", "1795435200"),
			[]networks.Quota{{Scope: networks.ScopeApp, Limit: 1, Remaining: 1, Reset: time.Unix(1795435200, 0).UTC()}}},
		{"missing", apikit.XRateLimitHeaders, h("X-RateLimit-Limit", "300"), nil},
		{"negative", apikit.XRateLimitHeaders, h("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "-1", "X-RateLimit-Reset", "1"), nil},
		{"garbage reset", apikit.XRateLimitHeaders, h("X-RateLimit-Limit", "1", "X-RateLimit-Remaining", "1", "X-RateLimit-Reset", "soon"), nil},
		{"none configured", apikit.RateHeaders{}, h("X-RateLimit-Limit", "1"), nil},
		{"iso only: iso", isoOnly, h("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "1", "X-RateLimit-Reset", "2026-11-23T12:05:00.000Z"),
			[]networks.Quota{{Scope: networks.ScopeAccount, Limit: 300, Remaining: 1, Reset: time.Date(2026, 11, 23, 12, 5, 0, 0, time.UTC)}}},
		{"iso only: epoch is malformed", isoOnly, h("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "1", "X-RateLimit-Reset", "1795435200"), nil},
	} {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.rh.Parse(tt.hd, now)) })
	}
}

func TestJoinURLAndSanitize(t *testing.T) {
	u, ok := apikit.JoinURL("https://pds.example/base/", "/xrpc/a.b", nil)
	assert.True(t, ok)
	assert.Equal(t, "https://pds.example/base/xrpc/a.b", u)
	for _, bad := range []string{"", "ftp://x", "/relative", "http://"} {
		_, ok := apikit.JoinURL(bad, "/x", nil)
		assert.False(t, ok, bad)
	}
	assert.Equal(t, "x REDACTED y REDACTED", string(apikit.Redact([]byte("x s1 y s2"), "s1", "s2", "")))
	assert.Len(t, apikit.NewMarker(), 32)
	assert.Equal(t, "m", apikit.Marker(networks.Draft{Marker: "m"}))
}

func TestStatusErrorBounded(t *testing.T) {
	err := &apikit.StatusError{Name: strings.Repeat("n", 10_000), Status: 502, ContentType: "text/html"}
	assert.Less(t, len(err.Error()), 300)
}
