package mastodontest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
)

func TestServerChecksRequests(t *testing.T) {
	srv := mastodontest.NewServer()
	defer srv.Close()
	full := srv.IssueToken("write:statuses", "write:media", "read:statuses")
	readOnly := srv.IssueToken("read")
	for _, tt := range []struct {
		name, method, path, token, idem, body string
		status                                int
	}{
		{"no token", "POST", "/api/v1/statuses", "", "", `{"status":"x"}`, 401},
		{"read scope cannot post", "POST", "/api/v1/statuses", readOnly, "", `{"status":"x"}`, 403},
		{"blank", "POST", "/api/v1/statuses", full, "", `{"status":" "}`, 422},
		{"too long", "POST", "/api/v1/statuses", full, "", `{"status":"` + strings.Repeat("a", 501) + `"}`, 422},
		{"bad visibility", "POST", "/api/v1/statuses", full, "", `{"status":"x","visibility":"secret"}`, 422},
		{"unprocessed media id", "POST", "/api/v1/statuses", full, "", `{"status":"x","media_ids":["1"]}`, 422},
		{"poll too short", "POST", "/api/v1/statuses", full, "", `{"status":"x","poll":{"options":["a","b"],"expires_in":60}}`, 422},
		{"reply to missing", "POST", "/api/v1/statuses", full, "", `{"status":"x","in_reply_to_id":"42"}`, 404},
		{"form body", "POST", "/api/v1/statuses", full, "", "status=hello&visibility=unlisted", 200},
		{"ok", "POST", "/api/v1/statuses", full, "k1", `{"status":"x"}`, 200},
		{"same key", "POST", "/api/v1/statuses", full, "k1", `{"status":"other"}`, 200},
		{"missing status", "GET", "/api/v1/statuses/1", full, "", "", 404},
		{"instance is public", "GET", "/api/v2/instance", "", "", "", 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL()+tt.path, strings.NewReader(tt.body))
			require.NoError(t, err)
			if strings.HasPrefix(tt.body, "{") {
				req.Header.Set("Content-Type", "application/json")
			} else if tt.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			if tt.idem != "" {
				req.Header.Set("Idempotency-Key", tt.idem)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.NotEmpty(t, resp.Header.Get("X-RateLimit-Reset"))
		})
	}
	sts := srv.Statuses()
	require.Len(t, sts, 2, "the repeated Idempotency-Key posted nothing")
	assert.Equal(t, "unlisted", sts[0].Visibility)
	assert.Equal(t, "x", sts[1].Text)
}
