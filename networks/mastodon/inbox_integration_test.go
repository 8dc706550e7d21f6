package mastodon_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
)

// settle bounds the waits for GoToSocial's asynchronous work (its worker
// creates notifications just after the status): at most 200 polls, 25 ms
// apart.
const (
	settlePolls = 200
	settleGap   = 25 * time.Millisecond
)

// TestRealGoToSocialInbox proves the inbox against the real server: bob,
// the second account, replies to alice's status, mentions her and writes
// her a direct message; alice's inbox lists the three with their kinds;
// her replies go out through the Publisher and are read back from the
// server threaded under bob's statuses, the direct one still direct, and
// the Finder finds a reply by its marker.
func TestRealGoToSocialInbox(t *testing.T) {
	g := realGTS(t)
	ad, err := mastodon.NewForInstance(t.Context(), nil, g.url)
	require.NoError(t, err)
	alice := g.account("alice", g.token)
	p, err := networks.NewPublisher(ad, networks.WithRateLimits(networks.RateLimits{}))
	require.NoError(t, err)
	var cleanup []func()
	t.Cleanup(func() {
		for _, f := range cleanup {
			f()
		}
	})
	del := func(token, id string) {
		cleanup = append(cleanup, func() {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, g.url+"/api/v1/statuses/"+id, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				_ = resp.Body.Close()
			}
		})
	}

	// The cursor before anything happens: the inbox is shared with other
	// tests, so the checks look for this run's texts only.
	first, err := p.Incoming(t.Context(), alice, "")
	require.NoError(t, err)
	cursor := first.Cursor
	for first.More {
		first, err = p.Incoming(t.Context(), alice, first.Cursor)
		require.NoError(t, err)
		cursor = first.Cursor
	}

	stamp := fmt.Sprintf("%d", time.Now().UnixNano())
	post, err := p.Publish(t.Context(), alice, networks.Draft{Text: "what should we bake next? " + stamp, Marker: "inbox-post-" + stamp})
	require.NoError(t, err)
	del(g.token, string(post.ID))

	bobPosts := func(body map[string]any) string {
		status, st := g.raw(t, http.MethodPost, "/api/v1/statuses", g.token2, body)
		require.Equal(t, http.StatusOK, status, "%v", st)
		id := st["id"].(string)
		del(g.token2, id)
		return id
	}
	replyText := "@alice sourdough please " + stamp
	mentionText := "hey @alice, are you open on sunday? " + stamp
	dmText := "@alice my order never arrived " + stamp
	silentText := "a reply that mentions nobody " + stamp
	reply := bobPosts(map[string]any{"status": replyText, "in_reply_to_id": string(post.ID)})
	mention := bobPosts(map[string]any{"status": mentionText})
	dm := bobPosts(map[string]any{"status": dmText, "visibility": "direct"})
	silent := bobPosts(map[string]any{"status": silentText, "in_reply_to_id": string(post.ID)})

	// Poll the inbox, following the cursor, until the three have arrived.
	got := map[string]networks.Incoming{}
	began := time.Now()
	polls := 0
	for ; polls < settlePolls && len(got) < 3; polls++ {
		page, err := p.Incoming(t.Context(), alice, cursor)
		require.NoError(t, err)
		require.NotEmpty(t, page.Cursor)
		for _, it := range page.Items {
			if strings.HasSuffix(it.Text, stamp) {
				got[string(it.ID)] = it
			}
		}
		cursor = page.Cursor
		if !page.More && len(got) < 3 {
			time.Sleep(settleGap) // GoToSocial's worker has not notified yet
		}
	}
	t.Logf("the inbox listed bob's three items after %d polls, %d ms", polls, time.Since(began).Milliseconds())
	require.Len(t, got, 3, "the reply, the mention and the direct message: %v", got)
	r, m, d := got[reply], got[mention], got[dm]
	assert.Equal(t, networks.ItemReply, r.Kind)
	assert.Equal(t, post.ID, r.InReplyTo)
	assert.Equal(t, string(post.ID), r.Thread)
	assert.Equal(t, replyText, r.Text, "the source text GoToSocial gives")
	assert.Equal(t, "@bob", r.Author.Handle)
	assert.NotEmpty(t, r.Author.ID)
	assert.Equal(t, networks.ItemMention, m.Kind)
	assert.Equal(t, mentionText, m.Text)
	assert.Equal(t, networks.ItemMessage, d.Kind, "a direct status is a message")
	assert.NotContains(t, got, silent, "GoToSocial notifies no reply that does not mention the account")
	for _, it := range got {
		assert.Equal(t, mastodon.Network, it.Network)
		assert.Equal(t, "alice", it.AccountID)
		assert.WithinDuration(t, time.Now(), it.At, time.Minute)
		assert.Contains(t, it.URL, g.url)
	}

	// The cursor moved past them.
	page, err := p.Incoming(t.Context(), alice, cursor)
	require.NoError(t, err)
	for _, it := range page.Items {
		assert.NotContains(t, got, string(it.ID), "listed again after the cursor moved past it")
	}

	// Alice answers the reply and the message through the Publisher.
	answer, err := p.Reply(t.Context(), alice, r, networks.Draft{Text: "sourdough it is! " + stamp, Marker: "inbox-answer-" + stamp})
	require.NoError(t, err)
	del(g.token, string(answer.ID))
	private, err := p.Reply(t.Context(), alice, d, networks.Draft{Text: "sorry! we will send another " + stamp, Marker: "inbox-dm-" + stamp})
	require.NoError(t, err)
	del(g.token, string(private.ID))

	// Read back from the server: threaded under bob's statuses.
	status, st := g.raw(t, http.MethodGet, "/api/v1/statuses/"+string(answer.ID), g.token, nil)
	require.Equal(t, http.StatusOK, status, "%v", st)
	assert.Equal(t, reply, st["in_reply_to_id"])
	assert.Equal(t, "@bob sourdough it is! "+stamp+mastodon.MarkerTag("inbox-answer-"+stamp), st["text"])
	status, ctxt := g.raw(t, http.MethodGet, "/api/v1/statuses/"+string(post.ID)+"/context", g.token, nil)
	require.Equal(t, http.StatusOK, status)
	var chain []string
	for _, x := range ctxt["descendants"].([]any) {
		chain = append(chain, x.(map[string]any)["id"].(string))
	}
	assert.Contains(t, chain, reply)
	assert.Contains(t, chain, string(answer.ID), "alice's answer is in the conversation of her post")
	status, st = g.raw(t, http.MethodGet, "/api/v1/statuses/"+string(private.ID), g.token2, nil)
	require.Equal(t, http.StatusOK, status, "bob can read the direct answer: %v", st)
	assert.Equal(t, dm, st["in_reply_to_id"])
	assert.Equal(t, "direct", st["visibility"], "a reply to a direct message stays direct")

	// Bob answers alice's answer: three levels down, the inbox still puts
	// it in the conversation of her post (its root, read from the context).
	deeper := bobPosts(map[string]any{"status": "@alice great, two loaves " + stamp, "in_reply_to_id": string(answer.ID)})
	var third networks.Incoming
	for polls = 0; polls < settlePolls && third.ID == ""; polls++ {
		page, err := p.Incoming(t.Context(), alice, cursor)
		require.NoError(t, err)
		for _, it := range page.Items {
			if string(it.ID) == deeper {
				third = it
			}
		}
		cursor = page.Cursor
		if third.ID == "" && !page.More {
			time.Sleep(settleGap) // GoToSocial's worker has not notified yet
		}
	}
	require.NotEmpty(t, third.ID, "bob's second reply is listed")
	assert.Equal(t, networks.ItemReply, third.Kind)
	assert.Equal(t, answer.ID, third.InReplyTo)
	assert.Equal(t, string(post.ID), third.Thread, "the conversation's root")

	// A lost reply would be found by its marker, the direct one included.
	for _, c := range []struct{ marker, id string }{{"inbox-answer-" + stamp, string(answer.ID)}, {"inbox-dm-" + stamp, string(private.ID)}} {
		found, ok, err := ad.FindByMarker(t.Context(), alice, c.marker)
		require.NoError(t, err)
		if assert.True(t, ok, "the reply with marker %s is found", c.marker) {
			assert.Equal(t, c.id, string(found.ID))
		}
	}
}
