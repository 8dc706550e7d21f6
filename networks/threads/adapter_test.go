package threads_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/text"
	"github.com/socialflow/socialflow/networks/threads"
)

func image(w, h int) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 300_000, Width: w, Height: h},
		URL: fmt.Sprintf("https://cdn.example.com/%dx%d.jpg", w, h), Alt: "a picture"}
}

func video(d time.Duration, url string) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: 20 << 20, Width: 1080, Height: 1920, Duration: d},
		URL: url}
}

// fixture is a harness on a manual clock; wait advances it.
type fixture struct {
	*graphtest.ThreadsHarness
	clk *apikittest.Clock
}

func newFixture(t *testing.T, o graphtest.ThreadsOptions, opts ...threads.Option) *fixture {
	t.Helper()
	clk := apikittest.NewClock(time.Now().UTC().Truncate(time.Second)) // oauth2.Token.Valid reads the real time
	o.Now = clk.Now
	wait := threads.WithWait(func(ctx context.Context, d time.Duration) error { clk.Advance(d); return ctx.Err() })
	return &fixture{ThreadsHarness: graphtest.NewThreadsHarness(t, o, append([]threads.Option{wait}, opts...)...), clk: clk}
}

func (f *fixture) publish(t *testing.T, d networks.Draft) (networks.Receipt, error) {
	t.Helper()
	if d.Marker == "" {
		d.Marker = fmt.Sprint("m-", time.Now().UnixNano())
	}
	return f.Adapter().Publish(t.Context(), f.Account(), d)
}

func posts(f *fixture) int { return len(f.Server.Posts()) }

func TestBadInputIsCaughtBeforeAnyCall(t *testing.T) {
	limit := threads.Spec().Text.MaxLength
	twentyOne := make([]networks.MediaItem, 21)
	for i := range twentyOne {
		twentyOne[i] = image(1080, 1080)
	}
	png := image(1080, 1080)
	png.MIME = "image/gif"
	huge := image(1080, 1080)
	huge.Size = 9 << 20
	narrow := image(200, 200)
	noURL := image(1080, 1080)
	noURL.URL = ""
	relative := image(1080, 1080)
	relative.URL = "/img/a.jpg"
	doc := networks.MediaItem{Media: assets.Media{Kind: assets.KindDocument, MIME: "application/pdf", Size: 1000}, URL: "https://cdn.example.com/a.pdf"}
	cases := []struct {
		name  string
		d     networks.Draft
		field string
	}{
		{"text over the limit", networks.Draft{Text: strings.Repeat("a", limit+1)}, "text"},
		{"emoji count their bytes", networks.Draft{Text: strings.Repeat("😀", limit/4+1)}, "text"},
		{"six links", networks.Draft{Text: "a.com b.com c.com d.com e.com f.com"}, "links"},
		{"two topic tags", networks.Draft{Text: "hello #one #two"}, "hashtags"},
		{"thread part over the limit", networks.Draft{Text: "root", Thread: []string{"ok", strings.Repeat("b", limit+1)}}, "thread[1]"},
		{"empty thread part", networks.Draft{Text: "root", Thread: []string{" "}}, "thread[0]"},
		{"empty post", networks.Draft{}, "text"},
		{"a thread of 101 parts", networks.Draft{Text: "root", Thread: strings.Split(strings.Repeat("x,", 100)[:199], ",")}, "thread"},
		{"carousel of 21", networks.Draft{Text: "x", Media: twentyOne}, "media"},
		{"GIF file", networks.Draft{Media: []networks.MediaItem{png}}, "media[0]"},
		{"image over 8 MB", networks.Draft{Media: []networks.MediaItem{huge}}, "media[0]"},
		{"image under 320 px wide", networks.Draft{Media: []networks.MediaItem{narrow}}, "media[0]"},
		{"video over 5 min", networks.Draft{Media: []networks.MediaItem{video(5*time.Minute+time.Second, "https://cdn.example.com/v.mp4")}}, "media[0]"},
		{"a document", networks.Draft{Media: []networks.MediaItem{doc}}, "media[0]"},
		{"no URL", networks.Draft{Media: []networks.MediaItem{noURL}}, "media[0].url"},
		{"relative URL", networks.Draft{Media: []networks.MediaItem{relative}}, "media[0].url"},
		{"first comment", networks.Draft{Text: "x", FirstComment: "first!"}, "first_comment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, graphtest.ThreadsOptions{})
			_, err := f.publish(t, c.d)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			assert.Contains(t, err.Error(), c.field, "the error names the field")
			assert.Contains(t, err.Error(), "threads", "the error names the network")
			assert.Empty(t, f.Server.Requests(), "nothing is sent")
		})
	}
}

func TestTextLimitIsThreadsCount(t *testing.T) {
	limit := threads.Spec().Text.MaxLength
	assert.Equal(t, 500-threads.TagLen, limit)
	// Emoji count their UTF-8 bytes: 4 for 😀, so limit/4 of them fit, with
	// the rest in letters; Threads (the fake counts as Threads does) takes
	// it with the tag.
	s := strings.Repeat("😀", limit/4) + strings.Repeat("a", limit%4)
	n, err := text.Count(text.Threads, s)
	require.NoError(t, err)
	require.Equal(t, limit, n)
	f := newFixture(t, graphtest.ThreadsOptions{})
	r, err := f.publish(t, networks.Draft{Text: s})
	require.NoError(t, err)
	require.Equal(t, networks.StatusPublished, r.Status)
	got := f.Server.Posts()[0].Text
	n, err = text.Count(text.Threads, got)
	require.NoError(t, err)
	assert.Equal(t, 500, n, "text and tag use exactly the 500")
	assert.True(t, strings.HasPrefix(got, s))
}

func TestTagIsInvisibleAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range []string{"a", "b", "sf-p1-c1-v1-r1"} {
		for part := range 3 {
			for _, last := range []bool{false, true} {
				tag := threads.Tag(m, part, last)
				n, err := text.Count(text.Threads, tag)
				require.NoError(t, err)
				assert.Equal(t, threads.TagLen, n)
				assert.Equal(t, threads.TagLen, len([]rune(tag)))
				assert.Equal(t, tag, threads.Tag(m, part, last), "stable")
				assert.False(t, seen[tag], "distinct per marker, part and last")
				seen[tag] = true
				assert.Empty(t, text.ExtractURLs("see https://example.com" + tag)[0].Text[len("https://example.com"):], "the tag ends a URL")
			}
		}
	}
}

func TestPublishEachKind(t *testing.T) {
	carousel := []networks.MediaItem{image(1080, 1080), video(20*time.Second, "https://cdn.example.com/c.mp4"), image(1440, 720)}
	cases := []struct {
		name       string
		d          networks.Draft
		containers int
		mediaType  string
		pending    bool
	}{
		{"text", networks.Draft{Text: "hello"}, 1, "TEXT_POST", false},
		{"image", networks.Draft{Text: "a photo", Media: []networks.MediaItem{image(1080, 1350)}}, 1, "IMAGE", false},
		{"video", networks.Draft{Text: "a clip", Media: []networks.MediaItem{video(30*time.Second, "https://cdn.example.com/v.mp4")}}, 1, "VIDEO", true},
		{"carousel", networks.Draft{Text: "three", Media: carousel}, 4, "CAROUSEL_ALBUM", true},
		{"media only", networks.Draft{Media: []networks.MediaItem{image(1080, 1080)}}, 1, "IMAGE", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, graphtest.ThreadsOptions{})
			r, err := f.publish(t, c.d)
			require.NoError(t, err)
			assert.Equal(t, c.containers, f.Server.Containers())
			if c.pending {
				require.Equal(t, networks.StatusPending, r.Status)
				assert.Zero(t, posts(f), "nothing is published while the container processes")
				f.clk.Advance(31 * time.Second)
				r, err = f.Adapter().Check(t.Context(), f.Account(), r)
				require.NoError(t, err)
			}
			require.Equal(t, networks.StatusPublished, r.Status)
			ps := f.Server.Posts()
			require.Len(t, ps, 1)
			assert.Equal(t, networks.RemoteID(ps[0].ID), r.ID)
			assert.Equal(t, c.mediaType, ps[0].MediaType)
			assert.True(t, strings.HasPrefix(ps[0].Text, c.d.Text))
			if len(c.d.Media) > 1 {
				assert.Equal(t, len(c.d.Media), ps[0].Children)
			}
			require.NotEmpty(t, r.Quotas, "the receipt reports the publishing quota")
			assert.Equal(t, 249, r.Quotas[len(r.Quotas)-1].Remaining)
		})
	}
}

func TestCarouselOfTwenty(t *testing.T) {
	items := make([]networks.MediaItem, 20)
	for i := range items {
		items[i] = image(1080, 1080)
	}
	f := newFixture(t, graphtest.ThreadsOptions{})
	r, err := f.publish(t, networks.Draft{Text: "twenty", Media: items})
	require.NoError(t, err)
	require.Equal(t, networks.StatusPublished, r.Status)
	assert.Equal(t, 20, f.Server.Posts()[0].Children)
}

func TestPendingContainerIsResolvedByCheck(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	ad, acct := f.Adapter(), f.Account()
	r, err := f.publish(t, networks.Draft{Text: "reel", Marker: "video-1", Media: []networks.MediaItem{video(time.Minute, "https://cdn.example.com/v.mp4")}})
	require.NoError(t, err)
	require.Equal(t, networks.StatusPending, r.Status)
	container := r.ID

	r, err = ad.Check(t.Context(), acct, r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status, "still processing")
	assert.Positive(t, r.CheckAfter)

	// The container finishes; the threads_publish answer is lost: Check
	// stays pending or finds the post, never publishes twice.
	f.clk.Advance(time.Minute)
	f.Server.Script(graphtest.Fault{Path: "/threads_publish", Lost: true})
	r, err = ad.Check(t.Context(), acct, r)
	require.NoError(t, err)
	if r.Status == networks.StatusPending {
		r, err = ad.Check(t.Context(), acct, r)
		require.NoError(t, err)
	}
	require.Equal(t, networks.StatusPublished, r.Status)
	require.Equal(t, 1, posts(f))
	assert.Equal(t, networks.RemoteID(f.Server.Posts()[0].ID), r.ID)

	// A stale pending receipt of the published container gives the same post.
	again, err := ad.Check(t.Context(), acct, networks.Receipt{Network: threads.Network, AccountID: acct.ID, ID: container, Status: networks.StatusPending, Marker: "video-1"})
	require.NoError(t, err)
	assert.Equal(t, r.ID, again.ID)
	assert.Equal(t, 1, posts(f))

	same, err := ad.Check(t.Context(), acct, r)
	require.NoError(t, err)
	assert.Equal(t, r, same, "a published receipt is returned unchanged")
}

func TestFailedAndExpiredContainersAreRejected(t *testing.T) {
	t.Run("error", func(t *testing.T) {
		f := newFixture(t, graphtest.ThreadsOptions{})
		r, err := f.publish(t, networks.Draft{Text: "x", Media: []networks.MediaItem{video(time.Minute, "https://cdn.example.com/fail.mp4")}})
		require.NoError(t, err)
		f.clk.Advance(time.Minute)
		_, err = f.Adapter().Check(t.Context(), f.Account(), r)
		var re *networks.RejectedError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "ERROR", re.Code)
		assert.Contains(t, re.Reason, "FAILED_DOWNLOADING_VIDEO")
		var ce *threads.ContainerError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, string(r.ID), ce.ID)
	})
	t.Run("expired", func(t *testing.T) {
		f := newFixture(t, graphtest.ThreadsOptions{})
		r, err := f.publish(t, networks.Draft{Text: "x", Media: []networks.MediaItem{video(time.Minute, "https://cdn.example.com/v.mp4")}})
		require.NoError(t, err)
		f.clk.Advance(25 * time.Hour)
		_, err = f.Adapter().Check(t.Context(), f.Account(), r)
		var re *networks.RejectedError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "EXPIRED", re.Code)
		assert.Zero(t, posts(f))
	})
}

func TestThreadIsAReplyChain(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	d := networks.Draft{Text: "1/3 root", Thread: []string{"2/3 middle", "3/3 end"}, Media: []networks.MediaItem{video(time.Minute, "https://cdn.example.com/v.mp4")}}
	r, err := f.publish(t, d)
	require.NoError(t, err, "a thread waits for its root container instead of going pending")
	require.Equal(t, networks.StatusPublished, r.Status)
	ps := f.Server.Posts()
	require.Len(t, ps, 3)
	assert.Equal(t, networks.RemoteID(ps[0].ID), r.ID, "the receipt names the root")
	assert.Empty(t, ps[0].ReplyTo)
	assert.Equal(t, ps[0].ID, ps[1].ReplyTo, "each part replies to the one before")
	assert.Equal(t, ps[1].ID, ps[2].ReplyTo)
	assert.True(t, strings.HasPrefix(ps[2].Text, "3/3 end"))

	found, ok, err := f.Threads().FindByMarker(t.Context(), f.Account(), r.Marker)
	require.NoError(t, err)
	require.True(t, ok, "a whole thread is found")
	assert.Equal(t, r.ID, found.ID)
}

func TestThreadWaitsAtMostTheProcessingTimeout(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{Options: graphtest.Options{VideoDelay: time.Hour}}, threads.WithProcessingTimeout(2*time.Minute))
	_, err := f.publish(t, networks.Draft{Text: "root", Thread: []string{"reply"}, Media: []networks.MediaItem{video(time.Minute, "https://cdn.example.com/v.mp4")}})
	var te *networks.TransientError
	require.ErrorAs(t, err, &te)
	assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown, "nothing was published")
	assert.Zero(t, posts(f))
}

func TestThreadResumesAfterALostReply(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	d := networks.Draft{Text: "root", Thread: []string{"second", "third"}, Marker: "thread-1"}
	// The root publishes; the answer to the second part's threads_publish
	// is lost after it took effect.
	f.Server.Script(graphtest.Fault{Path: "/threads_publish"}, graphtest.Fault{Path: "/threads_publish", Lost: true})
	r, err := f.publish(t, d)
	var te *apikit.ThreadError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Failed)
	require.Len(t, te.Published, 1)
	assert.Equal(t, r.ID, te.Published[0], "the root's receipt comes with the error")
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
	assert.Equal(t, 2, posts(f), "root and second are live")

	_, ok, err := f.Threads().FindByMarker(t.Context(), f.Account(), d.Marker)
	require.NoError(t, err)
	assert.False(t, ok, "a thread without its last part is not found, so it is published again")

	before := f.Server.Containers()
	again, err := f.publish(t, d)
	require.NoError(t, err)
	assert.Equal(t, r.ID, again.ID, "the same root")
	ps := f.Server.Posts()
	require.Len(t, ps, 3, "only the missing part is published")
	assert.Equal(t, ps[1].ID, ps[2].ReplyTo)
	assert.Equal(t, before+1, f.Server.Containers(), "one container: the third part")

	once, err := f.publish(t, d)
	require.NoError(t, err)
	assert.Equal(t, r.ID, once.ID)
	assert.Len(t, f.Server.Posts(), 3, "publishing a whole thread again posts nothing")
}

func TestPublisherFinishesAnInterruptedThread(t *testing.T) {
	srv := graphtest.NewThreadsServer(graphtest.ThreadsOptions{}) // outside the bubble: its listener is not durably blocked
	defer srv.Close()
	srv.IssueToken("tok", "42", time.Time{})
	synctest.Test(t, func(t *testing.T) {
		ad, err := threads.New(&http.Client{Transport: srv.Transport()}, threads.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		p, err := networks.NewPublisher(ad, networks.WithMaxAttempts(3), networks.WithBackOff(time.Second, time.Second))
		require.NoError(t, err)
		acct := networks.Account{ID: "42", Network: threads.Network, Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok"})}
		// The answer of the fourth part's threads_publish is lost.
		srv.Script(graphtest.Fault{Path: "/threads_publish"}, graphtest.Fault{Path: "/threads_publish"},
			graphtest.Fault{Path: "/threads_publish"}, graphtest.Fault{Path: "/threads_publish", Lost: true})
		r, err := p.Publish(t.Context(), acct, networks.Draft{Text: "a", Thread: []string{"b", "c", "d", "e"}, Marker: "thread-2"})
		require.NoError(t, err)
		ps := srv.Posts()
		require.Len(t, ps, 5, "every part once")
		assert.Equal(t, networks.RemoteID(ps[0].ID), r.ID)
		for i := 1; i < len(ps); i++ {
			assert.Equal(t, ps[i-1].ID, ps[i].ReplyTo)
		}
		assert.Equal(t, 2, r.Attempts, "the Finder said the thread was not whole, so it was published again and resumed")
	})
}

func TestPublishingLimitIsRespectedAndReported(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{Options: graphtest.Options{PublishLimit: 2}})
	var last networks.Receipt
	for i := range 2 {
		r, err := f.publish(t, networks.Draft{Text: fmt.Sprint("post ", i)})
		require.NoError(t, err)
		last = r
		f.clk.Advance(time.Hour)
	}
	q := last.Quotas[len(last.Quotas)-1]
	assert.Equal(t, networks.Quota{Scope: networks.ScopeAccount, Limit: 2, Remaining: 0, Reset: q.Reset}, q)
	assert.True(t, f.Server.Posts()[0].Timestamp.Add(24*time.Hour).Equal(q.Reset),
		"the quota that fills the window resets when its oldest post leaves it, not 24 h from now: %v", q.Reset)
	before := len(f.Server.Requests())
	_, err := f.publish(t, networks.Draft{Text: "one too many"})
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	var le *threads.LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "posts", le.Kind)
	assert.Equal(t, 2, le.Total)
	oldest := f.Server.Posts()[0].Timestamp
	assert.True(t, oldest.Add(24*time.Hour).Equal(rl.Reset), "the oldest post leaves the window in 24 h: %v", rl.Reset)
	for _, r := range f.Server.Requests()[before:] {
		assert.NotEqual(t, http.MethodPost, r.Method, "no container is created over the limit")
	}
	assert.Zero(t, f.Server.Refused(), "threads_publish is never called over the limit")

	lim, err := f.Threads().PublishingLimit(t.Context(), f.Account())
	require.NoError(t, err)
	assert.Equal(t, 0, lim.Posts.Remaining)
	assert.Equal(t, 1000, lim.Replies.Remaining)
}

func TestReplyQuotaIsRespected(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{ReplyLimit: 2})
	_, err := f.publish(t, networks.Draft{Text: "root", Thread: []string{"a", "b", "c"}})
	var le *threads.LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "replies", le.Kind)
	assert.Equal(t, 3, le.Need)
	require.ErrorIs(t, err, socialflow.ErrRateLimited)
	assert.Zero(t, posts(f), "nothing of the thread is published")
	_, err = f.publish(t, networks.Draft{Text: "root", Thread: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Equal(t, 3, posts(f))
}

func TestMetricsAreInsights(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	r, err := f.publish(t, networks.Draft{Text: "measured"})
	require.NoError(t, err)
	snap, err := f.Adapter().Metrics(t.Context(), f.Account(), r.ID)
	require.NoError(t, err)
	want := map[analytics.Metric]int64{analytics.Impressions: 100, analytics.Likes: 7, analytics.Comments: 3, analytics.Quotes: 1, analytics.Shares: 2 + 4}
	for m, w := range want {
		v, ok := snap.Counters.Get(m)
		require.True(t, ok, m)
		assert.Equal(t, w, v, m)
	}
	assert.Equal(t, len(want), snap.Counters.Len(), "nothing else")

	g := newFixture(t, graphtest.ThreadsOptions{OmitMetrics: []string{"views", "shares"}})
	r, err = g.publish(t, networks.Draft{Text: "measured"})
	require.NoError(t, err)
	snap, err = g.Adapter().Metrics(t.Context(), g.Account(), r.ID)
	require.NoError(t, err)
	_, ok := snap.Counters.Get(analytics.Impressions)
	assert.False(t, ok, "views not returned: Impressions absent, not zero")
	v, ok := snap.Counters.Get(analytics.Shares)
	require.True(t, ok)
	assert.Equal(t, int64(2), v, "reposts alone")
}

func TestDeleteAndMissing(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	r, err := f.publish(t, networks.Draft{Text: "gone soon"})
	require.NoError(t, err)
	require.NoError(t, f.Adapter().Delete(t.Context(), f.Account(), r.ID))
	err = f.Adapter().Delete(t.Context(), f.Account(), r.ID)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	for _, id := range []networks.RemoteID{"", "a/b", "x?y"} {
		before := len(f.Server.Requests())
		assert.ErrorIs(t, f.Adapter().Delete(t.Context(), f.Account(), id), socialflow.ErrInvalid)
		_, err := f.Adapter().Metrics(t.Context(), f.Account(), id)
		assert.ErrorIs(t, err, socialflow.ErrInvalid)
		assert.Len(t, f.Server.Requests(), before, "a bad id is refused without a request")
	}
}

func TestOptionsAreValidated(t *testing.T) {
	for name, o := range map[string]threads.Option{
		"nil clock":       threads.WithClock(nil),
		"nil user id":     threads.WithUserID(nil),
		"nil wait":        threads.WithWait(nil),
		"zero timeout":    threads.WithProcessingTimeout(0),
		"relative base":   threads.WithBaseURL("graph.threads.net"),
		"version w/slash": threads.WithVersion("v1.0/x"),
	} {
		_, err := threads.New(nil, o)
		assert.ErrorIs(t, err, socialflow.ErrInvalid, name)
	}
	ad, err := threads.New(nil, nil)
	require.NoError(t, err)
	_, err = ad.Publish(t.Context(), networks.Account{ID: "a/b"}, networks.Draft{Text: "x"})
	assert.ErrorIs(t, err, socialflow.ErrInvalid, "an account whose id cannot be a user id")
	assert.Contains(t, err.Error(), "account.user_id")
}

func TestLinkAttachment(t *testing.T) {
	five := "a.com b.com c.com d.com https://e.com"
	cases := []struct {
		name  string
		d     networks.Draft
		field string // empty: published
	}{
		{"text post with a link", networks.Draft{Text: "read this", Link: "https://example.com/post"}, ""},
		{"the same URL as the text counts once", networks.Draft{Text: five, Link: "https://e.com"}, ""},
		{"a sixth link", networks.Draft{Text: five, Link: "https://f.com"}, "links"},
		{"with media", networks.Draft{Text: "x", Link: "https://example.com", Media: []networks.MediaItem{image(1080, 1080)}}, "link"},
		{"not a URL", networks.Draft{Text: "x", Link: "example"}, "link"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, graphtest.ThreadsOptions{})
			r, err := f.publish(t, c.d)
			if c.field != "" {
				require.ErrorIs(t, err, socialflow.ErrInvalid)
				assert.Contains(t, err.Error(), c.field)
				assert.Empty(t, f.Server.Requests())
				return
			}
			require.NoError(t, err)
			ps := f.Server.Posts()
			require.Len(t, ps, 1)
			assert.Equal(t, r.ID, networks.RemoteID(ps[0].ID))
			assert.Equal(t, c.d.Link, ps[0].LinkAttachment)
		})
	}
}

func TestImageContainerErrorIsRejectedAtPublish(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	bad := image(1080, 1080)
	bad.URL = "https://cdn.example.com/fail.jpg"
	_, err := f.publish(t, networks.Draft{Text: "x", Media: []networks.MediaItem{bad}})
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "ERROR", re.Code)
	assert.Zero(t, posts(f))
}

// A thread resumes by its root's conversation, not the profile's recent
// replies: 105 later replies of the profile do not hide its parts.
func TestThreadResumesPastManyLaterReplies(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	d := networks.Draft{Text: "root", Thread: []string{"second", "third"}, Marker: "thread-old"}
	f.Server.Script(graphtest.Fault{Path: "/threads_publish"}, graphtest.Fault{Path: "/threads_publish", Lost: true})
	_, err := f.publish(t, d)
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
	for i := range 35 {
		f.clk.Advance(time.Minute)
		_, err := f.publish(t, networks.Draft{Text: fmt.Sprint("other ", i), Thread: []string{"a", "b", "c"}, Marker: fmt.Sprint("other-", i)})
		require.NoError(t, err)
	}
	_, ok, err := f.Threads().FindByMarker(t.Context(), f.Account(), d.Marker)
	require.NoError(t, err)
	require.False(t, ok)
	_, err = f.publish(t, d)
	require.NoError(t, err)
	assert.Len(t, f.Server.Posts(), 3+35*4, "the interrupted thread's two live parts were not posted again")
	_, ok, err = f.Threads().FindByMarker(t.Context(), f.Account(), d.Marker)
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestPostOptions(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	quoted, err := f.publish(t, networks.Draft{Text: "the original"})
	require.NoError(t, err)
	o := threads.PostOptions{ReplyControl: "followers_only", TopicTag: "Go programming", QuotePostID: string(quoted.ID)}
	r, err := f.Threads().PublishWith(t.Context(), f.Account(), networks.Draft{Text: "quoting", Thread: []string{"and more"}, Marker: "po-1"}, o)
	require.NoError(t, err)
	ps := f.Server.Posts()
	require.Len(t, ps, 3)
	root, reply := ps[1], ps[2]
	assert.Equal(t, r.ID, networks.RemoteID(root.ID))
	assert.Equal(t, "followers_only", root.ReplyControl)
	assert.Equal(t, "Go programming", root.TopicTag)
	assert.Equal(t, quoted.ID, networks.RemoteID(root.QuotePostID))
	assert.Equal(t, "followers_only", reply.ReplyControl, "every part")
	assert.Empty(t, reply.TopicTag, "the root only")
	assert.Empty(t, reply.QuotePostID)

	for name, o := range map[string]threads.PostOptions{
		"reply_control": {ReplyControl: "friends"},
		"topic_tag":     {TopicTag: "a.b"},
		"quote_post_id": {QuotePostID: "12/34"},
	} {
		before := len(f.Server.Requests())
		_, err := f.Threads().PublishWith(t.Context(), f.Account(), networks.Draft{Text: "x", Marker: "po-2"}, o)
		require.ErrorIs(t, err, socialflow.ErrInvalid, name)
		assert.Contains(t, err.Error(), name)
		assert.Len(t, f.Server.Requests(), before, "nothing is sent")
	}
	_, err = f.Threads().PublishWith(t.Context(), f.Account(), networks.Draft{Text: "x", Marker: "po-3"}, threads.PostOptions{TopicTag: strings.Repeat("t", 51)})
	require.ErrorIs(t, err, socialflow.ErrInvalid, "a topic of 51 characters")
}
