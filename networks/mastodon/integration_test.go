package mastodon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/text"
)

// gts is the real GoToSocial server to test against: SOCIALFLOW_GTS_URL and
// the tokens of two accounts, SOCIALFLOW_GTS_TOKEN and SOCIALFLOW_GTS_TOKEN_2,
// as .ci/peers/gotosocial/start.sh prints them (GTS_URL, GTS_TOKEN,
// GTS_TOKEN_2). Without them the test skips, or fails when CI is set: in CI
// the peer must be there.
type gts struct{ url, token, token2 string }

func realGTS(t testing.TB) gts {
	t.Helper()
	g := gts{os.Getenv("SOCIALFLOW_GTS_URL"), os.Getenv("SOCIALFLOW_GTS_TOKEN"), os.Getenv("SOCIALFLOW_GTS_TOKEN_2")}
	if g.url == "" || g.token == "" || g.token2 == "" {
		const how = "bash .ci/peers/gotosocial/start.sh, then export SOCIALFLOW_GTS_URL, SOCIALFLOW_GTS_TOKEN and SOCIALFLOW_GTS_TOKEN_2 from its GTS_URL, GTS_TOKEN and GTS_TOKEN_2"
		if os.Getenv("CI") != "" {
			t.Fatal("SOCIALFLOW_GTS_URL, SOCIALFLOW_GTS_TOKEN or SOCIALFLOW_GTS_TOKEN_2 is not set in CI: start the GoToSocial peer (" + how + ")")
		}
		t.Skip("no real GoToSocial to test against (" + how + ")")
	}
	return g
}

func (g gts) account(id, token string) networks.Account {
	return networks.Account{ID: id, Network: mastodon.Network, BaseURL: g.url,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})}
}

// raw calls the server without the adapter and decodes the JSON answer.
func (g gts) raw(t testing.TB, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd.Reset(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, g.url+path, &rd)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, G: uint8(x), A: 255})
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestRealGoToSocial(t *testing.T) {
	g := realGTS(t)
	ad, err := mastodon.NewForInstance(t.Context(), nil, g.url)
	require.NoError(t, err)
	in, err := mastodon.FetchInstance(t.Context(), nil, g.url)
	require.NoError(t, err)
	assert.Equal(t, mastodon.SoftwareGoToSocial, in.Software, "recognised by its source_url")
	sp := ad.Spec()
	assert.Equal(t, text.CodePoints, sp.Text.Method)
	assert.Equal(t, in.Configuration.Statuses.MaxCharacters-18, sp.Text.MaxLength, "the instance's limit less the marker tag")
	alice, bob := g.account("alice", g.token), g.account("bob", g.token2)

	// A thread with an image: publish, then read it back.
	marker := fmt.Sprintf("it-%d", time.Now().UnixNano())
	body := "héllo 👋 #socialflow https://example.com/x"
	img := pngBytes(t, 64, 32)
	d := networks.Draft{Text: body, Thread: []string{"reply one", "reply two"}, Marker: marker,
		Media: []networks.MediaItem{item("image/png", img, "a 64×32 test image")}}
	began := time.Now()
	r, err := ad.Publish(t.Context(), alice, d)
	require.NoError(t, err)
	require.Equal(t, networks.StatusPublished, r.Status, "GoToSocial processes images before it answers")
	status, st := g.raw(t, http.MethodGet, "/api/v1/statuses/"+string(r.ID), g.token, nil)
	elapsed := time.Since(began)
	require.Equal(t, http.StatusOK, status, "%v", st)
	t.Logf("publish → read-back round trip against GoToSocial: %d ms (a thread of 3 with one image)", elapsed.Milliseconds())
	assert.Equal(t, body+mastodon.MarkerTag(marker), st["text"], "the text as sent, with the invisible marker tag")
	assert.Contains(t, st["content"], mastodon.MarkerTag(marker), "the tag survives rendering")
	assert.Equal(t, r.URL, st["url"])
	media := st["media_attachments"].([]any)
	require.Len(t, media, 1)
	assert.Equal(t, "a 64×32 test image", media[0].(map[string]any)["description"])
	assert.NotEmpty(t, media[0].(map[string]any)["url"])
	require.NotEmpty(t, r.Quotas, "X-RateLimit-* read")
	assert.False(t, r.Quotas[0].Reset.IsZero(), "ISO reset with milliseconds parsed")

	// The replies chain under the root.
	status, ctxt := g.raw(t, http.MethodGet, "/api/v1/statuses/"+string(r.ID)+"/context", g.token, nil)
	require.Equal(t, http.StatusOK, status)
	desc := ctxt["descendants"].([]any)
	require.Len(t, desc, 2)
	prev := string(r.ID)
	for i, x := range desc {
		rep := x.(map[string]any)
		assert.Equal(t, prev, rep["in_reply_to_id"], "reply %d", i+1)
		assert.Equal(t, d.Thread[i]+mastodon.MarkerTag(mastodon.IdempotencyKey(marker, i+1)), rep["text"])
		prev = rep["id"].(string)
	}

	// The Finder: the marker finds the root; another marker, or another
	// account, finds nothing.
	found, ok, err := ad.FindByMarker(t.Context(), alice, marker)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, r.ID, found.ID)
	_, ok, err = ad.FindByMarker(t.Context(), alice, marker+"-never")
	require.NoError(t, err)
	assert.False(t, ok)
	_, ok, err = ad.FindByMarker(t.Context(), bob, marker)
	require.NoError(t, err)
	assert.False(t, ok, "bob's statuses do not hold alice's marker")

	// GoToSocial ignores Idempotency-Key: the same key twice is two statuses.
	k := fmt.Sprintf("idem-%d", time.Now().UnixNano())
	var ids []string
	for range 2 {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, g.url+"/api/v1/statuses", strings.NewReader(`{"status":"idempotency probe"}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+g.token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", k)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var out struct{ ID string }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		_ = resp.Body.Close()
		ids = append(ids, out.ID)
	}
	assert.NotEqual(t, ids[0], ids[1], "GoToSocial posted the same Idempotency-Key twice")
	for _, id := range ids {
		require.NoError(t, ad.Delete(t.Context(), alice, networks.RemoteID(id)))
	}

	// The Publisher resolves a lost publish through the Finder.
	p, err := networks.NewPublisher(ad)
	require.NoError(t, err)
	pr, ok, err := p.Find(t.Context(), alice, marker)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, r.ID, pr.ID)

	// Metrics: replies counted, no quotes counter on GoToSocial.
	snap, err := ad.Metrics(t.Context(), alice, r.ID)
	require.NoError(t, err)
	assert.True(t, snap.Counters.Has(analytics.Comments))
	assert.False(t, snap.Counters.Has(analytics.Quotes), "quotes_count is null on GoToSocial")

	// Length: one code point over the Spec is refused before sending; URLs
	// count in full; the server's own limit answers 400.
	long := strings.Repeat("a", sp.Text.MaxLength+1)
	_, err = ad.Publish(t.Context(), alice, networks.Draft{Text: long, Marker: marker + "-long"})
	var v *networks.Violation
	require.ErrorAs(t, err, &v)
	assert.Equal(t, int64(sp.Text.MaxLength), v.Limit)
	status, e := g.raw(t, http.MethodPost, "/api/v1/statuses", g.token, map[string]string{"status": strings.Repeat("a", in.Configuration.Statuses.MaxCharacters+1)})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, fmt.Sprintf("Bad Request: text with spoiler exceed max chars (%d)", in.Configuration.Statuses.MaxCharacters), e["error"])
	url := "https://example.com/" + strings.Repeat("u", 200)
	full, err := ad.Publish(t.Context(), alice, networks.Draft{Text: url + strings.Repeat("a", sp.Text.MaxLength-len(url)), Marker: marker + "-full"})
	require.NoError(t, err, "exactly the Spec's limit with a long URL, plus the tag, is the instance's limit")
	require.NoError(t, ad.Delete(t.Context(), alice, full.ID))

	// Another account cannot delete the status; the owner can, once.
	err = ad.Delete(t.Context(), bob, r.ID)
	require.Error(t, err)
	t.Logf("bob deleting alice's status: %v", err)
	require.NoError(t, ad.Delete(t.Context(), alice, r.ID))
	// GoToSocial answers DELETE before the status is gone: a read right
	// after may still see it. Read until it is gone (bounded, no sleep).
	reads := 0
	for status = http.StatusOK; status == http.StatusOK && reads < 500; reads++ {
		status, _ = g.raw(t, http.MethodGet, "/api/v1/statuses/"+string(r.ID), g.token, nil)
	}
	assert.Equal(t, http.StatusNotFound, status)
	t.Logf("GET after DELETE answered 404 at read %d", reads)
	require.ErrorIs(t, ad.Delete(t.Context(), alice, r.ID), socialflow.ErrNotFound)
	_, ok, err = ad.FindByMarker(t.Context(), alice, marker)
	require.NoError(t, err)
	assert.False(t, ok, "a deleted status is not found")
	for _, x := range desc {
		require.NoError(t, ad.Delete(t.Context(), alice, networks.RemoteID(x.(map[string]any)["id"].(string))))
	}

	// A wrong token is an auth error, not a post.
	_, err = ad.Publish(t.Context(), g.account("x", "not-a-token"), networks.Draft{Text: "x", Marker: marker + "-bad"})
	require.ErrorIs(t, err, socialflow.ErrAuthExpired)
}

// realHarness runs networktest against the real server as bob. It scripts
// an expired token (the next request carries a token the server does not
// know, a real 401); other faults cannot be produced on a real server and
// are skipped. Posts are bob's live statuses.
type realHarness struct {
	g   gts
	ad  *mastodon.Adapter
	id  string
	t   testing.TB
	bad atomic.Bool // the next token is wrong
}

// Adapter returns the adapter, wrapped so that a Delete returns once the
// server no longer shows the status: GoToSocial answers DELETE first and
// removes the status just after, which the suite's immediate checks would
// otherwise race.
func (h *realHarness) Adapter() networks.Adapter { return settled{h.ad, h} }

type settled struct {
	*mastodon.Adapter
	h *realHarness
}

func (s settled) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := s.Adapter.Delete(ctx, acct, id); err != nil {
		return err
	}
	for range 500 {
		if status, _ := s.h.g.raw(s.h.t, http.MethodGet, "/api/v1/statuses/"+string(id), s.h.g.token2, nil); status == http.StatusNotFound {
			return nil
		}
	}
	return fmt.Errorf("status %s still readable after 500 reads", id)
}
func (h *realHarness) Account() networks.Account {
	acct := h.g.account("bob", h.g.token2)
	acct.Tokens = h
	return acct
}

// Token implements oauth2.TokenSource: bob's token, or once a wrong one.
func (h *realHarness) Token() (*oauth2.Token, error) {
	if h.bad.Swap(false) {
		return &oauth2.Token{AccessToken: "revoked-" + h.g.token2[:4], TokenType: "Bearer"}, nil
	}
	return &oauth2.Token{AccessToken: h.g.token2, TokenType: "Bearer"}, nil
}

func (h *realHarness) Script(f networktest.Fault) bool {
	if f.Kind != networktest.ExpiredToken {
		return false
	}
	h.bad.Store(true)
	return true
}

// Posts lists bob's statuses and keeps those GET /api/v1/statuses/:id
// still has (the list shows a just-deleted status for a moment).
func (h *realHarness) Posts() []networks.Receipt {
	ctx := context.Background() // also called from cleanups, where t.Context is done
	get := func(path string, out any) int {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.g.url+path, nil)
		require.NoError(h.t, err)
		req.Header.Set("Authorization", "Bearer "+h.g.token2)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(h.t, err)
		defer resp.Body.Close()
		if out != nil && resp.StatusCode == http.StatusOK {
			require.NoError(h.t, json.NewDecoder(resp.Body).Decode(out))
		}
		return resp.StatusCode
	}
	var sts []struct{ ID string }
	require.Equal(h.t, http.StatusOK, get("/api/v1/accounts/"+h.id+"/statuses?limit=40", &sts))
	var out []networks.Receipt
	for _, st := range sts {
		if get("/api/v1/statuses/"+st.ID, nil) == http.StatusOK {
			out = append(out, networks.Receipt{Network: mastodon.Network, AccountID: "bob", ID: networks.RemoteID(st.ID), Status: networks.StatusPublished})
		}
	}
	return out
}

// Arrive has alice post for bob, as networktest.Inbox asks: a reply to his
// status to or a mention, each mentioning him (GoToSocial notifies
// mentions only), then waits until bob's notifications list it.
func (h *realHarness) Arrive(t *testing.T, kind networks.ItemKind, to networks.RemoteID, text string) bool {
	body := map[string]any{"status": "@bob " + text}
	switch kind {
	case networks.ItemReply:
		body["in_reply_to_id"] = string(to)
	case networks.ItemMention:
	case networks.ItemMessage:
		body["visibility"] = "direct"
	default:
		return false
	}
	status, st := h.g.raw(t, http.MethodPost, "/api/v1/statuses", h.g.token, body)
	require.Equal(t, http.StatusOK, status, "%v", st)
	id := st["id"].(string)
	t.Cleanup(func() {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, h.g.url+"/api/v1/statuses/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+h.g.token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	})
	for range settlePolls {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, h.g.url+"/api/v1/notifications?limit=30&types[]=mention", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+h.g.token2)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var notes []struct {
			Status struct{ ID string } `json:"status"`
		}
		err = json.NewDecoder(resp.Body).Decode(&notes)
		_ = resp.Body.Close()
		require.NoError(t, err)
		for _, n := range notes {
			if n.Status.ID == id {
				return true
			}
		}
		time.Sleep(settleGap) // GoToSocial's worker has not notified yet
	}
	t.Fatalf("bob was not notified of status %s", id)
	return false
}

// Replies returns bob's statuses answering id, from its context.
func (h *realHarness) Replies(t *testing.T, id networks.RemoteID) []networks.RemoteID {
	status, ctxt := h.g.raw(t, http.MethodGet, "/api/v1/statuses/"+string(id)+"/context", h.g.token2, nil)
	require.Equal(t, http.StatusOK, status)
	var out []networks.RemoteID
	for _, x := range ctxt["descendants"].([]any) {
		st := x.(map[string]any)
		if st["in_reply_to_id"] == string(id) && st["account"].(map[string]any)["id"] == h.id {
			out = append(out, networks.RemoteID(st["id"].(string)))
		}
	}
	return out
}

func TestRealGoToSocialConformance(t *testing.T) {
	g := realGTS(t)
	networktest.Run(t, func(t *testing.T) networktest.Harness {
		ad, err := mastodon.NewForInstance(t.Context(), nil, g.url)
		require.NoError(t, err)
		status, me := g.raw(t, http.MethodGet, "/api/v1/accounts/verify_credentials", g.token2, nil)
		require.Equal(t, http.StatusOK, status)
		h := &realHarness{g: g, ad: ad, id: me["id"].(string), t: t}
		t.Cleanup(func() {
			for _, p := range h.Posts() {
				_ = ad.Delete(context.Background(), h.g.account("bob", g.token2), p.ID) // t.Context is done in cleanups
			}
			// GoToSocial deletes in a worker: a status it has accepted to
			// delete can still be read for a moment, and the next case,
			// which counts bob's posts before and after, would count it.
			for range settlePolls {
				if len(h.Posts()) == 0 {
					return
				}
				time.Sleep(settleGap)
			}
			t.Errorf("bob's posts were not all deleted: %v", h.Posts())
		})
		return h
	})
}
