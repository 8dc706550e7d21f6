package bluesky_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
)

// notificationsView stands in for the app view the CI PDS lacks: it
// answers app.bsky.notification.listNotifications for did from the real
// records of the others' repos on the real PDS (replies whose parent is in
// did's repo, posts with a mention facet of did), newest first, and proxies
// every other call to the PDS. The inbox thus reads records the real PDS
// wrote, with their real CIDs.
func notificationsView(t *testing.T, pds, did string, others ...string) string {
	t.Helper()
	target, err := url.Parse(pds)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/xrpc/app.bsky.notification.listNotifications" {
			proxy.ServeHTTP(w, r)
			return
		}
		type view struct {
			URI       string         `json:"uri"`
			CID       string         `json:"cid"`
			Reason    string         `json:"reason"`
			Record    map[string]any `json:"record"`
			IndexedAt string         `json:"indexedAt"`
			Author    map[string]any `json:"author"`
		}
		var out []view
		for _, o := range others {
			status, list := rawXRPC(t, pds, http.MethodGet, "com.atproto.repo.listRecords",
				url.Values{"repo": {o}, "collection": {"app.bsky.feed.post"}, "limit": {"100"}}, nil, "")
			if status != http.StatusOK {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			for _, x := range list["records"].([]any) {
				rec := x.(map[string]any)
				val := rec["value"].(map[string]any)
				reason := ""
				if rp, ok := val["reply"].(map[string]any); ok && strings.HasPrefix(rp["parent"].(map[string]any)["uri"].(string), "at://"+did+"/") {
					reason = "reply"
				} else if fs, ok := val["facets"].([]any); ok {
					for _, f := range fs {
						for _, ft := range f.(map[string]any)["features"].([]any) {
							if ft.(map[string]any)["did"] == did {
								reason = "mention"
							}
						}
					}
				}
				if reason != "" {
					out = append(out, view{URI: rec["uri"].(string), CID: rec["cid"].(string), Reason: reason, Record: val,
						IndexedAt: val["createdAt"].(string), Author: map[string]any{"did": o, "handle": o}})
				}
			}
		}
		slices.SortFunc(out, func(a, b view) int { return strings.Compare(b.IndexedAt, a.IndexedAt) })
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"notifications": out})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRealPDSInbox proves the Bluesky inbox and replies against the real
// PDS: a second account replies to our post and mentions us; the inbox
// (through the stand-in app view) lists both; our reply is written with the
// reply refs the lexicon asks for, read back from the PDS; the Finder finds
// it by its record key. The PDS itself has no notifications without an app
// view, which the adapter reports as a rejection.
func TestRealPDSInbox(t *testing.T) {
	ad, acct, _, did := newRealAccount(t)
	ad2, acct2, _, did2 := newRealAccount(t)
	base := acct.BaseURL

	_, err := ad.Incoming(t.Context(), acct, "")
	require.ErrorIs(t, err, socialflow.ErrRejected, "a bare PDS serves no notifications")
	assert.Contains(t, err.Error(), "app.bsky.notification.listNotifications")

	acct.BaseURL = notificationsView(t, base, did, did2)
	stamp := fmt.Sprint(time.Now().UnixNano())
	post, err := ad.Publish(t.Context(), acct, networks.Draft{Text: "new loaf " + stamp, Marker: "post-" + stamp})
	require.NoError(t, err)
	first, err := ad.Incoming(t.Context(), acct, "")
	require.NoError(t, err)
	assert.Empty(t, first.Items)

	// The second account answers our post (through our adapter's Reply, so
	// its reply refs are the adapter's too) and mentions us.
	theirs, err := ad2.Reply(t.Context(), acct2, networks.Incoming{ID: post.ID}, networks.Draft{Text: "is it rye? " + stamp, Marker: "reply-" + stamp})
	require.NoError(t, err)
	_, err = ad2.Publish(t.Context(), acct2, networks.Draft{Text: "@" + acct.Handle + " open today? " + stamp, Marker: "mention-" + stamp})
	require.NoError(t, err)

	page, err := ad.Incoming(t.Context(), acct, first.Cursor)
	require.NoError(t, err)
	require.Len(t, page.Items, 2, "the reply and the mention: %v", page.Items)
	var reply, mention networks.Incoming
	for _, it := range page.Items {
		switch it.Kind {
		case networks.ItemReply:
			reply = it
		case networks.ItemMention:
			mention = it
		}
	}
	assert.Equal(t, theirs.ID, reply.ID)
	assert.Equal(t, post.ID, reply.InReplyTo)
	assert.Equal(t, string(post.ID), reply.Thread)
	assert.Equal(t, "is it rye? "+stamp, reply.Text)
	assert.Equal(t, did2, reply.Author.ID)
	assert.Equal(t, "@"+acct.Handle+" open today? "+stamp, mention.Text)
	again, err := ad.Incoming(t.Context(), acct, page.Cursor)
	require.NoError(t, err)
	assert.Empty(t, again.Items, "the cursor moved past both")

	// Our reply, through the Publisher, threaded under theirs.
	p, err := networks.NewPublisher(ad, networks.WithRateLimits(networks.RateLimits{}))
	require.NoError(t, err)
	ours, err := p.Reply(t.Context(), acct, reply, networks.Draft{Text: "yes, rye and spelt " + stamp, Marker: "answer-" + stamp})
	require.NoError(t, err)
	get := func(uri networks.RemoteID) map[string]any {
		repo, rkey, _ := strings.Cut(strings.TrimPrefix(string(uri), "at://"), "/app.bsky.feed.post/")
		status, rec := rawXRPC(t, base, http.MethodGet, "com.atproto.repo.getRecord",
			url.Values{"repo": {repo}, "collection": {"app.bsky.feed.post"}, "rkey": {rkey}}, nil, "")
		require.Equal(t, http.StatusOK, status, "getRecord %s: %v", uri, rec)
		return rec
	}
	root, parent := get(post.ID), get(theirs.ID)
	refs := get(ours.ID)["value"].(map[string]any)["reply"].(map[string]any)
	assert.Equal(t, map[string]any{"uri": root["uri"], "cid": root["cid"]}, refs["root"], "root: our post")
	assert.Equal(t, map[string]any{"uri": parent["uri"], "cid": parent["cid"]}, refs["parent"], "parent: their reply")
	found, ok, err := ad.FindByMarker(t.Context(), acct, "answer-"+stamp)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, ours.ID, found.ID)

	// Sending the reply again with its marker writes nothing twice.
	again2, err := p.Reply(t.Context(), acct, reply, networks.Draft{Text: "yes, rye and spelt " + stamp, Marker: "answer-" + stamp})
	require.NoError(t, err)
	assert.Equal(t, ours.ID, again2.ID)
}
