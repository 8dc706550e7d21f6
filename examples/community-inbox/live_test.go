package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
)

// liveServer is the real GoToSocial (or Mastodon) server to run against:
// SOCIALFLOW_GTS_URL and the tokens of two accounts, SOCIALFLOW_GTS_TOKEN
// and SOCIALFLOW_GTS_TOKEN_2, as networks/mastodon's real tests read them
// from .ci/peers/gotosocial/start.sh. Without them the test skips, saying
// how to start the server; in CI (CI set) it fails.
func liveServer(t *testing.T) (url, token, token2 string) {
	t.Helper()
	url, token, token2 = os.Getenv("SOCIALFLOW_GTS_URL"), os.Getenv("SOCIALFLOW_GTS_TOKEN"), os.Getenv("SOCIALFLOW_GTS_TOKEN_2")
	if url == "" || token == "" || token2 == "" {
		const how = "bash .ci/peers/gotosocial/start.sh, then export SOCIALFLOW_GTS_URL, SOCIALFLOW_GTS_TOKEN and SOCIALFLOW_GTS_TOKEN_2 from its GTS_URL, GTS_TOKEN and GTS_TOKEN_2"
		if os.Getenv("CI") != "" {
			t.Fatal("SOCIALFLOW_GTS_URL, SOCIALFLOW_GTS_TOKEN or SOCIALFLOW_GTS_TOKEN_2 is not set in CI: start the GoToSocial peer (" + how + ")")
		}
		t.Skip("no real GoToSocial to run the community inbox against (" + how + ")")
	}
	return url, token, token2
}

// status reads a status from the server as token's account.
func status(t *testing.T, url, token string, id networks.RemoteID) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/api/v1/statuses/"+string(id), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET /api/v1/statuses/%s", id)
	var st map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	return st
}

// TestLiveAgainstGoToSocial runs the program as
// `go run ./examples/community-inbox -mastodon URL -token T -token2 T2`
// does: the second account replies to our post and mentions us, the
// workflow's poller ingests both, cam claims each and replies, and the
// delivery publishes the replies. The test then reads each reply back from
// the server: ours, threaded under the item it answers (in_reply_to_id).
func TestLiveAgainstGoToSocial(t *testing.T) {
	url, token, token2 := liveServer(t)
	var out bytes.Buffer
	res, err := runLive(t.Context(), &out, url, token, token2)
	t.Cleanup(func() {
		del := func(tok string, id networks.RemoteID) {
			if id == "" {
				return
			}
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, url+"/api/v1/statuses/"+string(id), nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				_ = resp.Body.Close()
			}
		}
		for _, r := range res.Replies {
			del(token, r.Reply)
		}
		for _, id := range res.Theirs {
			del(token2, id)
		}
		del(token, res.Post)
	})
	t.Log(out.String())
	require.NoError(t, err)
	assert.Contains(t, out.String(), "delivery: 2 sent, 0 unconfirmed, 0 failed, 0 to retry")
	require.Len(t, res.Replies, 2, "a reply to the reply and one to the mention")
	kinds := map[networks.ItemKind]bool{}
	for _, r := range res.Replies {
		kinds[r.Kind] = true
		require.NotEmpty(t, r.Reply, "the reply to %s was published", r.Item)
		assert.Equal(t, 1, r.Attempt, "published in one attempt")
		st := status(t, url, token, r.Reply)
		assert.Equal(t, string(r.Item), st["in_reply_to_id"], "threaded under the item it answers")
		assert.Contains(t, st["text"], r.Text, "the text the workflow sent (after the author's handle)")
	}
	assert.True(t, kinds[networks.ItemReply] && kinds[networks.ItemMention], "both kinds came through the workflow: %v", kinds)
	// The item the reply answered is the second account's reply to our post.
	st := status(t, url, token, res.Theirs[0])
	assert.Equal(t, string(res.Post), st["in_reply_to_id"])
}
