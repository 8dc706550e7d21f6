package graphtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// call sends one request to the fake and decodes its JSON answer.
func call(t *testing.T, srv *graphtest.Server, method, path, auth string, h http.Header, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL()+"/"+metagraph.DefaultVersion+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range h {
		req.Header[k] = v
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	require.NoError(t, json.Unmarshal(data, &out), "%s", data)
	return res.StatusCode, out
}

func code(out map[string]any) float64 {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(float64)
	return c
}

// TestResumableUpload follows the Resumable Upload API as documented
// (https://developers.facebook.com/docs/graph-api/guides/upload): a
// session, bytes at file_offset with "Authorization: OAuth", the offset
// read back, the rest, and the handle.
func TestResumableUpload(t *testing.T) {
	srv := graphtest.NewServer(graphtest.Options{})
	defer srv.Close()
	srv.AddApp("app1", "s")
	srv.IssueToken("user", "u1", time.Time{})
	st, out := call(t, srv, "POST", "/app1/uploads?file_name=a.mp4&file_length=10&file_type=video/mp4", "OAuth user", nil, "")
	require.Equal(t, 200, st, "%v", out)
	session, _ := out["id"].(string)
	require.True(t, strings.HasPrefix(session, "upload:"), session)

	st, out = call(t, srv, "POST", "/"+session, "OAuth user", http.Header{"File_offset": {"3"}}, "abc")
	assert.Equal(t, 400, st, "an offset other than the bytes held is refused")
	assert.Equal(t, float64(100), code(out))

	st, out = call(t, srv, "POST", "/"+session, "OAuth user", http.Header{"File_offset": {"0"}}, "0123")
	require.Equal(t, 200, st)
	assert.Equal(t, float64(4), out["file_offset"], "a short body leaves the session part-way")
	st, out = call(t, srv, "GET", "/"+session, "OAuth user", nil, "")
	require.Equal(t, 200, st)
	assert.Equal(t, float64(4), out["file_offset"])
	st, out = call(t, srv, "POST", "/"+session, "OAuth user", http.Header{"File_offset": {"4"}}, "456789")
	require.Equal(t, 200, st)
	h, _ := out["h"].(string)
	require.NotEmpty(t, h, "the complete file gives its handle")
	_, ok := srv.UploadSum(h)
	assert.True(t, ok)

	st, out = call(t, srv, "POST", "/app2/uploads?file_name=a.mp4&file_length=10&file_type=video/mp4", "OAuth user", nil, "")
	assert.Equal(t, 400, st, "an unknown app")
	assert.Equal(t, float64(100), code(out))
	st, out = call(t, srv, "POST", "/app1/uploads?file_name=a.gif&file_length=10&file_type=image/gif", "OAuth user", nil, "")
	assert.Equal(t, 400, st, "a type the API does not take")
	assert.Equal(t, float64(100), code(out))
	st, out = call(t, srv, "GET", "/"+session, "", nil, "")
	assert.Equal(t, 400, st, "no token")
	assert.Equal(t, float64(2500), code(out))
}

// TestPageEndpoints: the Page token only for managers, posts only with the
// Page's token, code 506 for the same message twice within an hour, and
// code 100 for a removed insights metric.
func TestPageEndpoints(t *testing.T) {
	srv := graphtest.NewServer(graphtest.Options{})
	defer srv.Close()
	srv.IssueToken("user", "u1", time.Time{})
	srv.IssueToken("stranger", "u2", time.Time{})
	srv.AddPage("u1", "p1", "Bakery", "page-token")

	_, out := call(t, srv, "GET", "/p1?fields=access_token", "Bearer user", nil, "")
	assert.Equal(t, "page-token", out["access_token"])
	_, out = call(t, srv, "GET", "/p1?fields=access_token", "Bearer stranger", nil, "")
	assert.NotContains(t, out, "access_token", "no task on the Page, no Page token")

	st, out := call(t, srv, "POST", "/p1/feed", "Bearer user", http.Header{"Content-Type": {"application/json"}}, `{"message":"hi"}`)
	assert.Equal(t, 403, st, "a user token does not post as the Page")
	assert.Equal(t, float64(200), code(out))
	st, out = call(t, srv, "POST", "/p1/feed", "Bearer page-token", http.Header{"Content-Type": {"application/json"}}, `{"message":"hi"}`)
	require.Equal(t, 200, st)
	post, _ := out["id"].(string)
	assert.True(t, strings.HasPrefix(post, "p1_"), post)
	st, out = call(t, srv, "POST", "/p1/feed", "Bearer page-token", http.Header{"Content-Type": {"application/json"}}, `{"message":"hi"}`)
	assert.Equal(t, 400, st)
	assert.Equal(t, float64(506), code(out), "the same message again")

	st, out = call(t, srv, "GET", "/"+post+"/insights?metric=post_impressions_unique", "Bearer page-token", nil, "")
	assert.Equal(t, 400, st, "removed on 2025-06-15")
	assert.Equal(t, float64(100), code(out))
	st, out = call(t, srv, "GET", "/"+post+"/insights?metric=post_media_view", "Bearer page-token", nil, "")
	assert.Equal(t, 200, st)
	assert.Empty(t, out["data"], "no insights yet")

	st, _ = call(t, srv, "DELETE", "/"+post, "Bearer page-token", nil, "")
	assert.Equal(t, 200, st)
	st, out = call(t, srv, "DELETE", "/"+post, "Bearer page-token", nil, "")
	assert.Equal(t, 400, st)
	assert.Equal(t, float64(100), code(out), "deleted: code 100 subcode 33")
}
