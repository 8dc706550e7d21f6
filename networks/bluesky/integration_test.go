package bluesky_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/bluesky"
)

// pdsURL returns the real PDS to test against (SOCIALFLOW_PDS_URL, started
// by .ci/peers/bluesky-pds/start.sh). Without it the test skips, or
// fails when CI is set: in CI the peer must be there.
func pdsURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("SOCIALFLOW_PDS_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SOCIALFLOW_PDS_URL is not set in CI: start the PDS peer (bash .ci/peers/bluesky-pds/start.sh) and export the PDS_URL it prints")
		}
		t.Skip("SOCIALFLOW_PDS_URL not set: no real PDS to test against (bash .ci/peers/bluesky-pds/start.sh; export SOCIALFLOW_PDS_URL=http://127.0.0.1:2583)")
	}
	return u
}

// rawXRPC calls the PDS without the adapter and returns the status and the
// decoded JSON body.
func rawXRPC(t testing.TB, base, method, nsid string, q url.Values, body any, token string) (int, map[string]any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, base+"/xrpc/"+nsid+"?"+q.Encode(), rd)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// newRealAccount creates an account on the real PDS and logs in.
func newRealAccount(t testing.TB) (ad *bluesky.Adapter, acct networks.Account, tok *oauth2.Token, did string) {
	t.Helper()
	base := pdsURL(t)
	stamp := time.Now().UnixNano()
	handle := fmt.Sprintf("sf%d.test", stamp%1_000_000_000_000) // 3..18 characters before .test
	password := fmt.Sprintf("sf-pass-%d", stamp)
	status, acc := rawXRPC(t, base, http.MethodPost, "com.atproto.server.createAccount", nil,
		map[string]string{"handle": handle, "email": strings.TrimSuffix(handle, ".test") + "@example.com", "password": password}, "")
	require.Equal(t, http.StatusOK, status, "createAccount: %v", acc)
	did = acc["did"].(string)
	ad, err := bluesky.New(nil)
	require.NoError(t, err)
	tok, err = ad.Login(t.Context(), base, handle, password)
	require.NoError(t, err)
	acct = networks.Account{ID: "real-1", Network: bluesky.Network, Handle: handle, BaseURL: base, Tokens: oauth2.StaticTokenSource(tok)}
	return ad, acct, tok, did
}

func realAccount(b *testing.B) (*bluesky.Adapter, networks.Account) {
	ad, acct, _, _ := newRealAccount(b)
	return ad, acct
}

func TestRealPDS(t *testing.T) {
	ad, acct, tok, did := newRealAccount(t)
	base, handle := acct.BaseURL, acct.Handle
	var err error

	// A thread with an image, a mention of ourselves, a hashtag and a link.
	img := pngBytes(t, 64, 32)
	marker := fmt.Sprintf("it-%d", time.Now().UnixNano())
	text := "héllo 👋 @" + handle + " #socialflow https://example.com/x"
	d := networks.Draft{Text: text, Thread: []string{"reply one", "reply two"}, Marker: marker,
		Media: []networks.MediaItem{imageItem(img, "a 64×32 test image", 0, 0)}}
	r, err := ad.Publish(t.Context(), acct, d)
	require.NoError(t, err)
	assert.Equal(t, "at://"+did+"/app.bsky.feed.post/"+bluesky.RecordKey(marker, 0), string(r.ID))

	get := func(rkey string) (int, map[string]any) {
		return rawXRPC(t, base, http.MethodGet, "com.atproto.repo.getRecord",
			url.Values{"repo": {did}, "collection": {"app.bsky.feed.post"}, "rkey": {rkey}}, nil, "")
	}
	status, rec := get(bluesky.RecordKey(marker, 0))
	require.Equal(t, http.StatusOK, status, "getRecord: %v", rec)
	val := rec["value"].(map[string]any)
	assert.Equal(t, text, val["text"])
	facets := val["facets"].([]any)
	require.Len(t, facets, 3)
	want := bluesky.DetectFacets(text)
	for i, f := range facets {
		idx := f.(map[string]any)["index"].(map[string]any)
		assert.Equal(t, float64(want[i].Start), idx["byteStart"], "facet %d", i)
		assert.Equal(t, float64(want[i].End), idx["byteEnd"], "facet %d", i)
	}
	mention := facets[0].(map[string]any)["features"].([]any)[0].(map[string]any)
	assert.Equal(t, did, mention["did"], "the handle resolved to our DID")
	images := val["embed"].(map[string]any)["images"].([]any)
	require.Len(t, images, 1)
	im := images[0].(map[string]any)
	assert.Equal(t, "a 64×32 test image", im["alt"])
	assert.Equal(t, map[string]any{"width": 64.0, "height": 32.0}, im["aspectRatio"])
	assert.Equal(t, float64(len(img)), im["image"].(map[string]any)["size"])

	for i := 1; i <= 2; i++ {
		status, rep := get(bluesky.RecordKey(marker, i))
		require.Equal(t, http.StatusOK, status)
		reply := rep["value"].(map[string]any)["reply"].(map[string]any)
		assert.Equal(t, string(r.ID), reply["root"].(map[string]any)["uri"])
		assert.Equal(t, "at://"+did+"/app.bsky.feed.post/"+bluesky.RecordKey(marker, i-1), reply["parent"].(map[string]any)["uri"])
	}

	// The marker finds the post; publishing again posts nothing twice
	// (the PDS answers 500 for an existing key; the adapter resolves it).
	found, ok, err := ad.FindByMarker(t.Context(), acct, marker)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, r.ID, found.ID)
	r2, err := ad.Publish(t.Context(), acct, d)
	require.NoError(t, err)
	assert.Equal(t, r.ID, r2.ID)
	status, list := rawXRPC(t, base, http.MethodGet, "com.atproto.repo.listRecords",
		url.Values{"repo": {did}, "collection": {"app.bsky.feed.post"}}, nil, "")
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, list["records"], 3, "no duplicate records")

	// No app view behind this PDS: a snapshot without counters.
	snap, err := ad.Metrics(t.Context(), acct, r.ID)
	require.NoError(t, err)
	for m := range analytics.NumMetrics {
		assert.False(t, snap.Counters.Has(m))
	}

	// 301 graphemes: refused by us before sending, and by the PDS when sent raw.
	long := strings.Repeat("a", 301)
	_, err = ad.Publish(t.Context(), acct, networks.Draft{Text: long, Marker: marker + "-long"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	var v *networks.Violation
	require.ErrorAs(t, err, &v)
	assert.Equal(t, int64(300), v.Limit)
	_, ok, err = ad.FindByMarker(t.Context(), acct, marker+"-long")
	require.NoError(t, err)
	assert.False(t, ok, "nothing was posted")
	for _, raw := range []string{long, strings.Repeat("€", 1000) + "a"} {
		status, body := rawXRPC(t, base, http.MethodPost, "com.atproto.repo.createRecord", nil, map[string]any{
			"repo": did, "collection": "app.bsky.feed.post",
			"record": map[string]any{"$type": "app.bsky.feed.post", "text": raw, "createdAt": time.Now().UTC().Format(time.RFC3339)},
		}, tok.AccessToken)
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "InvalidRequest", body["error"])
		_, err = ad.Publish(t.Context(), acct, networks.Draft{Text: raw, Marker: marker + "-raw"})
		require.ErrorIs(t, err, socialflow.ErrInvalid)
	}

	// A refreshed session keeps working.
	fresh, err := ad.Refresh(t.Context(), base, tok)
	require.NoError(t, err)
	acct.Tokens = oauth2.StaticTokenSource(fresh)

	// Delete the root; deleting again is not found.
	require.NoError(t, ad.Delete(t.Context(), acct, r.ID))
	status, body := get(bluesky.RecordKey(marker, 0))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "RecordNotFound", body["error"])
	require.ErrorIs(t, ad.Delete(t.Context(), acct, r.ID), socialflow.ErrNotFound)

	// A revoked (unverifiable) token is an auth error, not a post.
	acct.Tokens = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "revoked"})
	_, err = ad.Publish(t.Context(), acct, networks.Draft{Text: "x", Marker: marker + "-revoked"})
	require.ErrorIs(t, err, socialflow.ErrAuthExpired)
}
