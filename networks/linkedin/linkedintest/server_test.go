package linkedintest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/linkedin/linkedintest"
)

// TestServerAnswersAsDocumented sends the fake raw requests and checks the
// documented statuses and bodies of bad input.
func TestServerAnswersAsDocumented(t *testing.T) {
	post := `{"author":"urn:li:person:a","commentary":"hi","visibility":"PUBLIC","lifecycleState":"PUBLISHED","distribution":{"feedDistribution":"MAIN_FEED"}}`
	cases := []struct {
		name    string
		version string
		token   string
		body    string
		status  int
		code    string
	}{
		{"created", "202605", "tok", post, 201, ""},
		{"no version header", "", "tok", post, 400, "VERSION_MISSING"},
		{"sunset version", "202401", "tok", post, 426, "NONEXISTENT_VERSION"},
		{"no token", "202605", "", post, 401, ""},
		{"unknown token", "202605", "other", post, 401, "INVALID_ACCESS_TOKEN"},
		{"malformed body", "202605", "tok", `{"author":`, 400, "ILLEGAL_ARGUMENT"},
		{"missing fields", "202605", "tok", `{}`, 422, ""},
		{"oversized commentary", "202605", "tok", strings.Replace(post, `"hi"`, `"`+strings.Repeat("a", 3001)+`"`, 1), 422, "INVALID_FIELD"},
		{"another member as author", "202605", "tok", strings.Replace(post, "person:a", "person:b", 1), 403, "ACCESS_DENIED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := linkedintest.NewServer(linkedintest.Options{})
			defer srv.Close()
			srv.IssueToken("tok", "urn:li:person:a", time.Time{})
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+"/rest/posts", strings.NewReader(c.body))
			require.NoError(t, err)
			if c.version != "" {
				req.Header.Set("LinkedIn-Version", c.version)
			}
			req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, c.status, resp.StatusCode)
			if c.status == 201 {
				assert.True(t, strings.HasPrefix(resp.Header.Get("x-restli-id"), "urn:li:share:"))
				return
			}
			var b struct {
				Status  int    `json:"status"`
				Code    string `json:"code"`
				Message string `json:"message"`
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&b))
			assert.Equal(t, c.status, b.Status)
			assert.Equal(t, c.code, b.Code)
			assert.NotEmpty(t, b.Message)
		})
	}
}

// TestServerDailyLimitResetsAtMidnightUTC: the member limit answers 429
// until the UTC day changes.
func TestServerDailyLimitResetsAtMidnightUTC(t *testing.T) {
	clock := apikittest.NewClock(time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC))
	srv := linkedintest.NewServer(linkedintest.Options{Clock: clock, DailyPosts: 1})
	defer srv.Close()
	srv.IssueToken("tok", "urn:li:person:a", time.Time{})
	send := func(text string) int {
		body := `{"author":"urn:li:person:a","commentary":"` + text + `","visibility":"PUBLIC","lifecycleState":"PUBLISHED"}`
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+"/rest/posts", bytes.NewReader([]byte(body)))
		req.Header.Set("LinkedIn-Version", "202605")
		req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 201, send("one"))
	assert.Equal(t, 429, send("two"))
	clock.Advance(time.Hour)
	assert.Equal(t, 201, send("three"), "a new UTC day")
}
