package instagram_test

import (
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/instagram"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

func jpeg(w, h int) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 100_000, Width: w, Height: h},
		URL: fmt.Sprintf("https://cdn.example.com/%dx%d.jpg", w, h)}
}

func TestBadInputIsCaughtBeforeAnyCall(t *testing.T) {
	png := jpeg(1080, 1080)
	png.MIME = "image/png"
	reel := networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: 10 << 20, Width: 1080, Height: 1920, Duration: 16 * time.Minute},
		URL: "https://cdn.example.com/r.mp4"}
	noURL := jpeg(1080, 1080)
	noURL.URL = ""
	eleven := make([]networks.MediaItem, 11)
	for i := range eleven {
		eleven[i] = jpeg(1080, 1080)
	}
	cases := []struct {
		name  string
		media []networks.MediaItem
		field string
	}{
		{"PNG", []networks.MediaItem{png}, "media[0]"},
		{"too wide (2:1)", []networks.MediaItem{jpeg(1400, 700)}, "media[0]"},
		{"too tall (9:16)", []networks.MediaItem{jpeg(720, 1280)}, "media[0]"},
		{"reel over 15 min", []networks.MediaItem{reel}, "media[0]"},
		{"carousel of 11", eleven, "media"},
		{"no media", nil, "media"},
		{"no URL", []networks.MediaItem{noURL}, "media[0].url"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := graphtest.NewInstagramHarness(t, graphtest.Options{})
			_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "bad", Media: c.media, Marker: "m"})
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			assert.Contains(t, err.Error(), c.field, "the error names the field")
			assert.Empty(t, h.Server.Requests(), "nothing is sent")
		})
	}
}

func TestPendingContainerIsResolvedByCheck(t *testing.T) {
	srv := graphtest.NewServer(graphtest.Options{})
	defer srv.Close()
	srv.IssueToken("tok", graphtest.InstagramUser, time.Time{})
	synctest.Test(t, func(t *testing.T) {
		ad, err := instagram.New(&http.Client{Transport: srv.Transport()}, instagram.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		acct := networks.Account{ID: graphtest.InstagramUser, Network: instagram.Network, Tokens: staticToken("tok")}
		reel := networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: 10 << 20, Width: 1080, Height: 1920, Duration: time.Minute},
			URL: "https://cdn.example.com/r.mp4"}
		r, err := ad.Publish(t.Context(), acct, networks.Draft{Text: "a reel", Media: []networks.MediaItem{reel}, Marker: "reel-1"})
		require.NoError(t, err)
		require.Equal(t, networks.StatusPending, r.Status, "a video container is still IN_PROGRESS")
		container := r.ID

		r, err = ad.Check(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPending, r.Status)
		assert.Positive(t, r.CheckAfter)

		time.Sleep(r.CheckAfter)
		// The media_publish answer is lost: Check stays pending or finds the
		// post; it never publishes twice.
		srv.Script(graphtest.Fault{Path: "/media_publish", Lost: true})
		r, err = ad.Check(t.Context(), acct, networks.Receipt{Network: instagram.Network, AccountID: acct.ID, ID: container, Status: networks.StatusPending, Marker: "reel-1"})
		require.NoError(t, err)
		if r.Status == networks.StatusPending {
			r, err = ad.Check(t.Context(), acct, r)
			require.NoError(t, err)
		}
		require.Equal(t, networks.StatusPublished, r.Status)
		require.Len(t, srv.Media(), 1, "one post")
		assert.Equal(t, networks.RemoteID(srv.Media()[0].ID), r.ID)

		// A stale pending receipt of the published container resolves to the same post.
		again, err := ad.Check(t.Context(), acct, networks.Receipt{Network: instagram.Network, AccountID: acct.ID, ID: container, Status: networks.StatusPending, Marker: "reel-1"})
		require.NoError(t, err)
		assert.Equal(t, r.ID, again.ID)
		assert.Len(t, srv.Media(), 1)
	})
}

func TestPublishingLimitIsRespectedAndReported(t *testing.T) {
	h := graphtest.NewInstagramHarness(t, graphtest.Options{PublishLimit: 2})
	var last networks.Receipt
	for i := range 2 {
		r, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(i))
		require.NoError(t, err)
		last = r
	}
	var q *networks.Quota
	for i := range last.Quotas {
		if last.Quotas[i].Limit == 2 {
			q = &last.Quotas[i]
		}
	}
	require.NotNil(t, q, "the receipt reports the publishing quota: %+v", last.Quotas)
	assert.Equal(t, 0, q.Remaining)
	before := len(h.Server.Requests())
	_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(3))
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	var le *instagram.LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 2, le.Total)
	assert.WithinDuration(t, h.Server.Now().Add(24*time.Hour), rl.Reset, 2*time.Second, "the oldest post leaves the window in 24 h")
	assert.Len(t, h.Server.Media(), 2)
	assert.Zero(t, h.Server.Refused(), "media_publish is never called over the limit")
	for _, r := range h.Server.Requests()[before:] {
		assert.NotEqual(t, http.MethodPost, r.Method, "no container is created over the limit")
	}
}

func TestFirstCommentIsRefusedNotDropped(t *testing.T) {
	h := graphtest.NewInstagramHarness(t, graphtest.Options{})
	d := h.Draft(1)
	d.FirstComment = "first!"
	_, err := h.Adapter().Publish(t.Context(), h.Account(), d)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Contains(t, err.Error(), "first_comment")
	assert.Empty(t, h.Server.Requests())
}
