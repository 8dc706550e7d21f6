package blueskytest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/bluesky/blueskytest"
)

// call sends one XRPC request and returns the status and the error name.
func call(t *testing.T, srv *blueskytest.Server, method, nsid, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL()+"/xrpc/"+nsid, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// The fake answers as @atproto/pds 0.4.217 was seen to answer.
func TestServerMatchesRealPDS(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	srv := blueskytest.NewServer(blueskytest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	acct := srv.CreateAccount("alice.test", "pw")
	st, sess := call(t, srv, http.MethodPost, "com.atproto.server.createSession", "", `{"identifier":"alice.test","password":"pw"}`)
	require.Equal(t, 200, st)
	tok, refresh := sess["accessJwt"].(string), sess["refreshJwt"].(string)
	rec := func(rkey, text string) string {
		b, _ := json.Marshal(map[string]any{"repo": acct.DID, "collection": "app.bsky.feed.post", "rkey": rkey,
			"record": map[string]any{"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-11-23T12:00:00.000Z"}})
		return string(bytes.TrimSpace(b))
	}
	for _, tt := range []struct {
		name, method, nsid, token, body string
		status                          int
		errName                         string
	}{
		{"wrong password", "POST", "com.atproto.server.createSession", "", `{"identifier":"alice.test","password":"x"}`, 401, "AuthenticationRequired"},
		{"no token", "POST", "com.atproto.repo.createRecord", "", rec("3kabcdefghij2", "x"), 401, "AuthMissing"},
		{"bad token", "POST", "com.atproto.repo.createRecord", "garbage", rec("3kabcdefghij2", "x"), 400, "InvalidToken"},
		{"refresh token as access", "POST", "com.atproto.repo.createRecord", refresh, rec("3kabcdefghij2", "x"), 400, "InvalidToken"},
		{"access token as refresh", "POST", "com.atproto.server.refreshSession", tok, "", 400, "InvalidToken"},
		{"create", "POST", "com.atproto.repo.createRecord", tok, rec("3kabcdefghij2", "x"), 200, ""},
		{"same key again", "POST", "com.atproto.repo.createRecord", tok, rec("3kabcdefghij2", "y"), 500, "InternalServerError"},
		{"key not a TID", "POST", "com.atproto.repo.createRecord", tok, rec("sf-marker-1", "x"), 400, "InvalidRequest"},
		{"301 graphemes", "POST", "com.atproto.repo.createRecord", tok, rec("", strings.Repeat("a", 301)), 400, "InvalidRequest"},
		{"3001 bytes", "POST", "com.atproto.repo.createRecord", tok, rec("", strings.Repeat("€", 1000)+"a"), 400, "InvalidRequest"},
		{"166 family emoji, 2988 bytes", "POST", "com.atproto.repo.createRecord", tok, rec("", strings.Repeat("👨‍👩‍👧", 166)), 200, ""},
		{"get missing", "GET", "com.atproto.repo.getRecord?repo=" + acct.DID + "&collection=app.bsky.feed.post&rkey=3kzzzzzzzzzz2", "", "", 400, "RecordNotFound"},
		{"delete missing is 200", "POST", "com.atproto.repo.deleteRecord", tok, `{"repo":"` + acct.DID + `","collection":"app.bsky.feed.post","rkey":"3kzzzzzzzzzz2"}`, 200, ""},
		{"unknown handle", "GET", "com.atproto.identity.resolveHandle?handle=nobody.test", "", "", 400, "InvalidRequest"},
		{"no app view", "GET", "app.bsky.feed.getPosts?uris=at://x", tok, "", 400, "InvalidRequest"},
		{"wrong method", "GET", "com.atproto.repo.createRecord", tok, "", 400, "InvalidRequest"},
		{"unknown method", "GET", "com.example.nope", "", "", 501, "MethodNotImplemented"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, body := call(t, srv, tt.method, tt.nsid, tt.token, tt.body)
			assert.Equal(t, tt.status, st, "%v", body)
			if tt.errName != "" {
				assert.Equal(t, tt.errName, body["error"])
			}
		})
	}
	// Two hours later the access token has expired: 400 ExpiredToken.
	now = now.Add(blueskytest.AccessTTL)
	st, body := call(t, srv, "POST", "com.atproto.repo.createRecord", tok, rec("", "late"))
	assert.Equal(t, 400, st)
	assert.Equal(t, "ExpiredToken", body["error"])
	st, body = call(t, srv, "POST", "com.atproto.server.refreshSession", refresh, "")
	require.Equal(t, 200, st, "%v", body)
	st, _ = call(t, srv, "POST", "com.atproto.server.refreshSession", refresh, "")
	assert.Equal(t, 400, st, "refresh tokens rotate")
}

func TestRateLimitHeaders(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	srv := blueskytest.NewServer(blueskytest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	srv.Script(blueskytest.Fault{Status: 429, Error: "RateLimitExceeded", Reset: now.Add(time.Minute)})
	resp, err := srv.Client().Get(srv.URL() + "/xrpc/com.atproto.repo.getRecord")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "0", resp.Header.Get("RateLimit-Remaining"))
	assert.Equal(t, "1795435260", resp.Header.Get("RateLimit-Reset"))
	assert.Equal(t, "5000;w=3600", resp.Header.Get("RateLimit-Policy"))
	assert.Equal(t, []string{"GET com.atproto.repo.getRecord"}, srv.Requests())
}
