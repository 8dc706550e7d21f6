package bluesky_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/bluesky"
	"github.com/socialflow/socialflow/networks/bluesky/blueskytest"
)

type inboxFixture struct {
	srv      *blueskytest.Server
	ad       *bluesky.Adapter
	acct     networks.Account
	me, them blueskytest.Account
}

func newInboxFixture(t *testing.T, opts ...blueskytest.Option) *inboxFixture {
	t.Helper()
	srv := blueskytest.NewServer(append([]blueskytest.Option{blueskytest.WithAppView()}, opts...)...)
	t.Cleanup(srv.Close)
	me := srv.CreateAccount("bakery.test", "pw")
	them := srv.CreateAccount("ann.test", "pw2")
	ad, err := bluesky.New(srv.Client())
	require.NoError(t, err)
	tok, err := ad.Login(t.Context(), srv.URL(), "bakery.test", "pw")
	require.NoError(t, err)
	return &inboxFixture{srv: srv, ad: ad, me: me, them: them,
		acct: networks.Account{ID: "b1", Network: bluesky.Network, Handle: "bakery.test", BaseURL: srv.URL(), Tokens: oauth2.StaticTokenSource(tok)}}
}

func (f *inboxFixture) drain(t *testing.T, cursor string) ([]networks.Incoming, string, int) {
	t.Helper()
	var all []networks.Incoming
	calls := 0
	for {
		p, err := f.ad.Incoming(t.Context(), f.acct, cursor)
		require.NoError(t, err)
		calls++
		require.NotEmpty(t, p.Cursor)
		all = append(all, p.Items...)
		cursor = p.Cursor
		if !p.More {
			return all, cursor, calls
		}
	}
}

func ref(r blueskytest.Record) map[string]any { return map[string]any{"uri": r.URI, "cid": r.CID} }

func TestIncomingKindsAndReplyRefs(t *testing.T) {
	f := newInboxFixture(t)
	post, err := f.ad.Publish(t.Context(), f.acct, networks.Draft{Text: "fresh bread", Marker: "m-post"})
	require.NoError(t, err)
	_, c, _ := f.drain(t, "")
	var ours blueskytest.Record
	for _, r := range f.srv.Records() {
		if r.URI == string(post.ID) {
			ours = r
		}
	}

	reply := f.srv.Post(f.them.DID, map[string]any{"text": "yum", "langs": []any{"en"}, "reply": map[string]any{"root": ref(ours), "parent": ref(ours)}})
	mention := f.srv.Post(f.them.DID, map[string]any{"text": "@bakery.test open?", "facets": blueskytest.MentionFacet(f.me.DID, 12)})
	quote := f.srv.Post(f.them.DID, map[string]any{"text": "look", "embed": map[string]any{"$type": "app.bsky.embed.record", "record": ref(ours)}})
	f.srv.Post(f.them.DID, map[string]any{"text": "unrelated"})
	items, c, _ := f.drain(t, c)
	require.Len(t, items, 3)
	byID := map[networks.RemoteID]networks.Incoming{}
	for _, it := range items {
		byID[it.ID] = it
	}
	r, m, q := byID[networks.RemoteID(reply.URI)], byID[networks.RemoteID(mention.URI)], byID[networks.RemoteID(quote.URI)]
	assert.Equal(t, networks.ItemReply, r.Kind)
	assert.Equal(t, post.ID, r.InReplyTo)
	assert.Equal(t, string(post.ID), r.Thread, "the reply root")
	assert.Equal(t, "yum", r.Text)
	assert.Equal(t, "en", r.Lang)
	assert.Equal(t, f.them.DID, r.Author.ID)
	assert.Equal(t, "@ann.test", r.Author.Handle)
	assert.Contains(t, r.URL, "https://bsky.app/profile/"+f.them.DID+"/post/")
	assert.Equal(t, networks.ItemMention, m.Kind)
	assert.Equal(t, string(m.ID), m.Thread)
	assert.Equal(t, networks.ItemQuote, q.Kind)
	assert.Equal(t, post.ID, q.InReplyTo, "a quote names the quoted post")
	again, _, _ := f.drain(t, c)
	assert.Empty(t, again, "the cursor moved past them")

	// Our reply to ann's reply: parent is her post, root is ours.
	rec, err := f.ad.Reply(t.Context(), f.acct, r, networks.Draft{Text: "thanks!", Thread: []string{"come by"}, Marker: "m-reply"})
	require.NoError(t, err)
	recs := map[string]blueskytest.Record{}
	for _, x := range f.srv.Records() {
		recs[x.URI] = x
	}
	got := recs[string(rec.ID)].Value["reply"].(map[string]any)
	assert.Equal(t, ref(reply), got["parent"])
	assert.Equal(t, ref(ours), got["root"], "the root of the conversation, per the lexicon")
	found, ok, err := f.ad.FindByMarker(t.Context(), f.acct, "m-reply")
	require.NoError(t, err)
	require.True(t, ok, "the Finder finds a reply by its record key")
	assert.Equal(t, rec.ID, found.ID)
	var follow blueskytest.Record
	for _, x := range f.srv.Records() {
		if x.Value["text"] == "come by" {
			follow = x
		}
	}
	fr := follow.Value["reply"].(map[string]any)
	assert.Equal(t, ref(ours), fr["root"], "a thread under a reply keeps the conversation's root")
	assert.Equal(t, rec.ID, networks.RemoteID(fr["parent"].(map[string]any)["uri"].(string)))

	// Replying to a mention (which answers nothing): root = parent = it.
	rm, err := f.ad.Reply(t.Context(), f.acct, m, networks.Draft{Text: "yes, 8 to 6", Marker: "m-reply-2"})
	require.NoError(t, err)
	for _, x := range f.srv.Records() {
		if x.URI == string(rm.ID) {
			rr := x.Value["reply"].(map[string]any)
			assert.Equal(t, ref(mention), rr["root"])
			assert.Equal(t, ref(mention), rr["parent"])
		}
	}
}

func TestIncomingCatchesUpAcrossPagesAndCalls(t *testing.T) {
	f := newInboxFixture(t)
	_, c, _ := f.drain(t, "")
	const n = bluesky.InboxPageSize*bluesky.InboxPages + 30 // more than one call reads
	for i := range n {
		f.srv.Post(f.them.DID, map[string]any{"text": fmt.Sprint("@bakery.test ", i), "facets": blueskytest.MentionFacet(f.me.DID, 12)})
	}
	items, c, calls := f.drain(t, c)
	assert.Equal(t, 2, calls, "More until the catch-up ends")
	seen := map[networks.RemoteID]int{}
	for _, it := range items {
		seen[it.ID]++
	}
	assert.Len(t, seen, n, "every item")
	for id, k := range seen {
		assert.Equal(t, 1, k, "%s listed once", id)
	}
	f.srv.Post(f.them.DID, map[string]any{"text": "@bakery.test one more", "facets": blueskytest.MentionFacet(f.me.DID, 12)})
	items, _, _ = f.drain(t, c)
	require.Len(t, items, 1)
	assert.Equal(t, "@bakery.test one more", items[0].Text)
}

func TestIncomingFirstCallOnAnEmptyInboxListsFromTheStart(t *testing.T) {
	f := newInboxFixture(t)
	p, err := f.ad.Incoming(t.Context(), f.acct, "")
	require.NoError(t, err)
	assert.Empty(t, p.Items)
	for i := range bluesky.InboxPageSize + 5 {
		f.srv.Post(f.them.DID, map[string]any{"text": fmt.Sprint("@bakery.test ", i), "facets": blueskytest.MentionFacet(f.me.DID, 12)})
	}
	items, _, _ := f.drain(t, p.Cursor)
	assert.Len(t, items, bluesky.InboxPageSize+5, "nothing before the first item is lost")
}

func TestIncomingErrors(t *testing.T) {
	f := newInboxFixture(t)
	for _, c := range []string{"x", "v1.!!", "v1.e30", "v1." + "eyJiIjoibm9wZSJ9"} {
		_, err := f.ad.Incoming(t.Context(), f.acct, c)
		var fe *networks.FieldError
		require.ErrorAs(t, err, &fe, "%q", c)
		assert.Equal(t, "cursor", fe.Field)
	}
	bare := blueskytest.NewServer()
	t.Cleanup(bare.Close)
	bare.CreateAccount("solo.test", "pw")
	ad, err := bluesky.New(bare.Client())
	require.NoError(t, err)
	tok, err := ad.Login(t.Context(), bare.URL(), "solo.test", "pw")
	require.NoError(t, err)
	_, err = ad.Incoming(t.Context(), networks.Account{ID: "s", BaseURL: bare.URL(), Tokens: oauth2.StaticTokenSource(tok)}, "")
	require.ErrorIs(t, err, socialflow.ErrRejected, "a PDS without an app view has no notifications")
	assert.Contains(t, err.Error(), "No service configured")

	_, err = f.ad.Reply(t.Context(), f.acct, networks.Incoming{ID: "https://bsky.app/x"}, networks.Draft{Text: "x", Marker: "m"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = f.ad.Reply(t.Context(), f.acct, networks.Incoming{ID: networks.RemoteID("at://" + f.them.DID + "/app.bsky.feed.post/3kzzzzzzzzzzz")},
		networks.Draft{Text: "x", Marker: "m"})
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	before := len(f.srv.Records())
	assert.Len(t, f.srv.Records(), before, "nothing was written")
}
