package facebook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
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
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func photo(n int) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 200_000, Width: 1200, Height: 900},
		URL: fmt.Sprintf("https://cdn.example.com/photo-%d.jpg", n)}
}

func videoURL(u string) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: 20 << 20, Width: 1280, Height: 720, Duration: time.Minute}, URL: u}
}

// bytesItem is a media item whose bytes come from Open.
func bytesItem(kind assets.Kind, mime string, data []byte) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: kind, MIME: mime, Size: int64(len(data)), Width: 1280, Height: 720, Duration: time.Minute},
		Open: func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

func TestBadInputIsCaughtBeforeAnyCall(t *testing.T) {
	gif := photo(1)
	gif.Kind, gif.MIME = assets.KindGIF, "image/gif"
	big := photo(2)
	big.Size = 5 << 20
	noSource := photo(3)
	noSource.URL = ""
	badURL := photo(4)
	badURL.URL = "ftp://cdn.example.com/x.jpg"
	eleven := make([]networks.MediaItem, 11)
	for i := range eleven {
		eleven[i] = photo(i)
	}
	noSize := bytesItem(assets.KindVideo, "video/mp4", nil)
	cases := []struct {
		name  string
		d     networks.Draft
		opts  []facebook.Option
		field string
	}{
		{"message over 63,173 code points", networks.Draft{Text: strings.Repeat("é", 63_174)}, nil, "text"},
		{"link and media", networks.Draft{Text: "x", Link: "https://example.com", Media: []networks.MediaItem{photo(1)}}, nil, "link"},
		{"a GIF", networks.Draft{Text: "x", Media: []networks.MediaItem{gif}}, nil, "media[0]"},
		{"photo over 4 MiB", networks.Draft{Text: "x", Media: []networks.MediaItem{big}}, nil, "media[0]"},
		{"eleven photos", networks.Draft{Text: "x", Media: eleven}, nil, "media"},
		{"photo and video", networks.Draft{Text: "x", Media: []networks.MediaItem{photo(1), videoURL("https://cdn.example.com/v.mp4")}}, nil, "media"},
		{"no URL and no bytes", networks.Draft{Text: "x", Media: []networks.MediaItem{noSource}}, nil, "media[0].url"},
		{"not an http URL", networks.Draft{Text: "x", Media: []networks.MediaItem{badURL}}, nil, "media[0].url"},
		{"video bytes without the app id", networks.Draft{Text: "x", Media: []networks.MediaItem{bytesItem(assets.KindVideo, "video/mp4", []byte("mp4"))}},
			[]facebook.Option{}, "media[0].url"},
		{"video bytes without a size", networks.Draft{Text: "x", Media: []networks.MediaItem{noSize}}, []facebook.Option{facebook.WithAppID("1")}, "media[0]"},
		{"first comment on a video", networks.Draft{Text: "x", FirstComment: "hi", Media: []networks.MediaItem{videoURL("https://cdn.example.com/v.mp4")}},
			nil, "first_comment"},
		{"a title", networks.Draft{Text: "x", Title: "T"}, nil, "title"},
		{"nothing to post", networks.Draft{}, nil, "text"},
		{"only spaces", networks.Draft{Text: "  \n "}, nil, "text"},
		{"a thread", networks.Draft{Text: "x", Thread: []string{"y"}}, nil, "thread"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := graphtest.NewServer(graphtest.Options{})
			defer srv.Close()
			ad, err := facebook.New(srv.Client(), append([]facebook.Option{facebook.WithBaseURL(srv.URL())}, c.opts...)...)
			require.NoError(t, err)
			c.d.Marker = "m"
			_, err = ad.Publish(t.Context(), account("tok"), c.d)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			assert.Contains(t, err.Error(), c.field, "the error names the field")
			assert.Contains(t, err.Error(), "facebook", "the error names the network")
			assert.Empty(t, srv.Requests(), "nothing is sent")
		})
	}
}

func TestSetupMistakesFailAtConstruction(t *testing.T) {
	for name, opt := range map[string]facebook.Option{
		"base URL":       facebook.WithBaseURL("not a url"),
		"video base URL": facebook.WithVideoBaseURL("ftp://x"),
		"version":        facebook.WithVersion("v23.0/x"),
		"app id":         facebook.WithAppID("1/2"),
		"nil clock":      facebook.WithClock(nil),
		"nil page id":    facebook.WithPageID(nil),
		"token kind":     facebook.WithTokenKind(7),
		"nil report":     facebook.WithCommentReport(nil),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := facebook.New(nil, opt)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
	ad, err := facebook.New(nil)
	require.NoError(t, err)
	_, err = ad.Publish(t.Context(), networks.Account{ID: "a/b", Tokens: staticToken("t")}, networks.Draft{Text: "x", Marker: "m"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Contains(t, err.Error(), "account.page_id")
}

func account(tok string) networks.Account {
	return networks.Account{ID: graphtest.FacebookPage, Network: facebook.Network, Tokens: staticToken(tok)}
}

func staticToken(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
}

// TestGraphErrorsAreClassified scripts each documented Graph error code on
// POST /{page-id}/feed and checks the kind the adapter reports
// (https://developers.facebook.com/docs/graph-api/guides/error-handling).
func TestGraphErrorsAreClassified(t *testing.T) {
	type check func(t *testing.T, err error)
	reauth := func(t *testing.T, err error) {
		var re *networks.ReauthRequiredError
		assert.ErrorAs(t, err, &re, "a person must log in again")
	}
	expired := func(t *testing.T, err error) {
		var ae *networks.AuthExpiredError
		assert.ErrorAs(t, err, &ae, "a fresh token may fix it")
	}
	scope := func(want networks.Scope) check {
		return func(t *testing.T, err error) {
			var rl *networks.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, want, rl.Scope)
			assert.True(t, rl.RetryAfter > 0 || !rl.Reset.IsZero(), "a wait is given")
		}
	}
	rejected := func(code string) check {
		return func(t *testing.T, err error) {
			var re *networks.RejectedError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, code, re.Code)
			assert.NotEmpty(t, re.Reason)
		}
	}
	cases := []struct {
		name          string
		status        int
		code, subcode int
		kind          error
		check         check
	}{
		{"190/458 app not installed", 400, 190, 458, socialflow.ErrAuthExpired, reauth},
		{"190/460 password changed", 400, 190, 460, socialflow.ErrAuthExpired, reauth},
		{"190/463 token expired", 400, 190, 463, socialflow.ErrAuthExpired, expired},
		{"190/467 invalid token", 400, 190, 467, socialflow.ErrAuthExpired, expired},
		{"4 app throttled", 400, 4, 0, socialflow.ErrRateLimited, scope(networks.ScopeApp)},
		{"17 user throttled", 400, 17, 0, socialflow.ErrRateLimited, scope(networks.ScopeAccount)},
		{"32 page throttled", 400, 32, 0, socialflow.ErrRateLimited, scope(networks.ScopeAccount)},
		{"613 custom rate limit", 400, 613, 0, socialflow.ErrRateLimited, scope(networks.ScopeAccount)},
		{"80001 pages business use case", 400, 80001, 0, socialflow.ErrRateLimited, scope(networks.ScopeAccount)},
		{"368 blocked for policy", 400, 368, 0, socialflow.ErrRejected, rejected("368")},
		{"100 invalid parameter", 400, 100, 0, socialflow.ErrRejected, rejected("100")},
		{"200 permission", 403, 200, 0, socialflow.ErrRejected, rejected("200")},
		{"10 permission", 403, 10, 0, socialflow.ErrRejected, rejected("10")},
		{"506 duplicate", 400, 506, 0, socialflow.ErrDuplicate, nil},
		// A server error on the write: the marker is not among the posts,
		// so nothing was written and it is transient.
		{"1 unknown", 500, 1, 0, socialflow.ErrTransient, nil},
		{"2 service", 503, 2, 0, socialflow.ErrTransient, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := graphtest.NewFacebookHarness(t, graphtest.Options{})
			h.Server.Script(graphtest.Fault{Path: "/feed", Status: c.status, Code: c.code, Subcode: c.subcode, Message: "scripted " + c.name,
				RegainAccess: 2 * time.Minute})
			_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "hello", Marker: "m-" + c.name})
			require.ErrorIs(t, err, c.kind)
			for _, k := range []error{socialflow.ErrTransient, socialflow.ErrRateLimited, socialflow.ErrAuthExpired, socialflow.ErrRejected,
				socialflow.ErrDuplicate, socialflow.ErrOutcomeUnknown, socialflow.ErrNotFound, socialflow.ErrInvalid} {
				if k != c.kind {
					assert.NotErrorIs(t, err, k, "one kind only")
				}
			}
			var ge *metagraph.Error
			require.ErrorAs(t, err, &ge, "the Graph error is the cause")
			assert.Equal(t, c.code, ge.Code)
			assert.Contains(t, err.Error(), "facebook")
			assert.NotContains(t, err.Error(), networktest.Secret)
			assert.NotContains(t, err.Error(), graphtest.FacebookPageToken)
			if c.check != nil {
				c.check(t, err)
			}
			assert.Empty(t, h.Posts(), "nothing was posted")
		})
	}
}

func TestPageTokenIsDerivedOnceAndForgottenWhenRefused(t *testing.T) {
	h := graphtest.NewFacebookHarness(t, graphtest.Options{})
	derives := func() int {
		n := 0
		for _, r := range h.Server.Requests() {
			if r.Method == http.MethodGet && r.Path == "/"+metagraph.DefaultVersion+"/"+graphtest.FacebookPage {
				n++
			}
		}
		return n
	}
	for i := range 3 {
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: fmt.Sprint("post ", i), Marker: fmt.Sprint("m", i)})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, derives(), "the Page token is derived once and kept")

	h.Server.Script(graphtest.Fault{Path: "/feed", ExpireToken: true})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "refused", Marker: "m-refused"})
	require.ErrorIs(t, err, socialflow.ErrAuthExpired)
	_, err = h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "again", Marker: "m-again"})
	require.NoError(t, err)
	assert.Equal(t, 2, derives(), "a refused Page token is derived again")

	h.Server.RemoveManager(graphtest.FacebookUser, graphtest.FacebookPage)
	other := h.Account()
	other.Tokens = staticToken("another-user-token")
	h.Server.IssueToken("another-user-token", graphtest.FacebookUser, time.Time{})
	_, err = h.Adapter().Publish(t.Context(), other, networks.Draft{Text: "no task", Marker: "m-no-task"})
	var re *networks.ReauthRequiredError
	require.ErrorAs(t, err, &re, "a user without a task on the Page must connect it again")
	assert.Equal(t, graphtest.FacebookPage, re.AccountID)
	assert.Contains(t, err.Error(), "no Page token")
}

func TestPostKinds(t *testing.T) {
	jpeg := bytes.Repeat([]byte{0xff}, 150_000)
	cases := []struct {
		name       string
		d          networks.Draft
		photos     int
		link       string
		wantPhotos [2]int // published, unpublished on the fake
	}{
		{"text", networks.Draft{Text: "just words"}, 0, "", [2]int{}},
		{"link", networks.Draft{Text: "read this", Link: "https://example.com/story"}, 0, "https://example.com/story", [2]int{}},
		{"one photo by URL", networks.Draft{Text: "a photo", Media: []networks.MediaItem{photo(1)}}, 1, "", [2]int{1, 0}},
		{"one photo by bytes", networks.Draft{Text: "uploaded", Media: []networks.MediaItem{bytesItem(assets.KindImage, "image/jpeg", jpeg)}}, 1, "", [2]int{1, 0}},
		{"three photos", networks.Draft{Text: "an album", Media: []networks.MediaItem{photo(1), bytesItem(assets.KindImage, "image/png", jpeg), photo(3)}},
			3, "", [2]int{3, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := graphtest.NewFacebookHarness(t, graphtest.Options{})
			c.d.Marker = "kind-" + c.name
			r, err := h.Adapter().Publish(t.Context(), h.Account(), c.d)
			require.NoError(t, err)
			assert.Equal(t, networks.StatusPublished, r.Status)
			posts := h.Server.PagePosts(graphtest.FacebookPage)
			require.Len(t, posts, 1, "one post")
			p := posts[0]
			assert.Equal(t, networks.RemoteID(p.ID), r.ID, "the receipt names the Page post")
			assert.Equal(t, c.d.Text+facebook.Tag(c.d.Marker), p.Message, "the message carries the marker tag")
			assert.Equal(t, c.link, p.Link)
			assert.Len(t, p.PhotoIDs, c.photos)
			pub, unpub := h.Server.Photos(graphtest.FacebookPage)
			assert.Equal(t, c.wantPhotos, [2]int{pub, unpub})
			assert.True(t, strings.HasPrefix(r.URL, "https://www.facebook.com/"+graphtest.FacebookPage+"/posts/"), r.URL)
		})
	}
}

func TestFirstCommentFailureIsReportedNeverReposted(t *testing.T) {
	var mu sync.Mutex
	var reported []*facebook.CommentError
	h := graphtest.NewFacebookHarness(t, graphtest.Options{}, facebook.WithCommentReport(func(_ context.Context, r networks.Receipt, err *facebook.CommentError) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err)
	}))
	r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "with a comment", FirstComment: "first!", Marker: "c1"})
	require.NoError(t, err)
	posts := h.Server.PagePosts(graphtest.FacebookPage)
	require.Len(t, posts, 1)
	assert.Equal(t, []string{"first!"}, posts[0].Comments)
	assert.Empty(t, reported)

	h.Server.Script(graphtest.Fault{Path: "/comments", Status: 400, Code: 368, Message: "temporarily blocked"})
	r2, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "comment blocked", FirstComment: "second!", Marker: "c2"})
	require.NoError(t, err, "the post is published: the comment's failure does not fail it")
	assert.Equal(t, networks.StatusPublished, r2.Status)
	require.Len(t, reported, 1)
	assert.Equal(t, r2.ID, reported[0].Post)
	assert.ErrorIs(t, reported[0], socialflow.ErrRejected)
	assert.Contains(t, reported[0].Error(), "the post is published")
	assert.Len(t, h.Server.PagePosts(graphtest.FacebookPage), 2, "nothing was posted twice")

	require.NoError(t, h.Facebook().Comment(t.Context(), h.Account(), r2.ID, "second!"), "the host may comment later")
	assert.NotEqual(t, r.ID, r2.ID)
}

func TestVideoIsPendingUntilProcessed(t *testing.T) {
	srv := graphtest.NewServer(graphtest.Options{VideoDelay: 90 * time.Second})
	defer srv.Close()
	srv.IssueToken("user-tok", graphtest.FacebookUser, time.Time{})
	srv.AddPage(graphtest.FacebookUser, graphtest.FacebookPage, "Bakery", "page-tok")
	synctest.Test(t, func(t *testing.T) {
		ad, err := facebook.New(&http.Client{Transport: srv.Transport()}, facebook.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		acct := account("user-tok")
		r, err := ad.Publish(t.Context(), acct, networks.Draft{Text: "a video", Media: []networks.MediaItem{videoURL("https://cdn.example.com/v.mp4")}, Marker: "v1"})
		require.NoError(t, err)
		require.Equal(t, networks.StatusPending, r.Status, "the video is processing")
		assert.Positive(t, r.CheckAfter)
		assert.Empty(t, srv.PagePosts(graphtest.FacebookPage), "no post until processed")

		found, ok, err := ad.FindByMarker(t.Context(), acct, "v1")
		require.NoError(t, err)
		require.True(t, ok, "a processing video is found by its marker")
		assert.Equal(t, r.ID, found.ID)
		assert.Equal(t, networks.StatusPending, found.Status)

		r, err = ad.Check(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPending, r.Status)
		time.Sleep(90 * time.Second)
		r, err = ad.Check(t.Context(), acct, r)
		require.NoError(t, err)
		require.Equal(t, networks.StatusPublished, r.Status)
		assert.Contains(t, r.URL, "/videos/")
		require.Len(t, srv.PagePosts(graphtest.FacebookPage), 1)

		again, err := ad.Check(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, r, again, "a published receipt is returned unchanged")

		bad, err := ad.Publish(t.Context(), acct, networks.Draft{Text: "broken", Media: []networks.MediaItem{videoURL("https://cdn.example.com/fail.mp4")}, Marker: "v2"})
		require.NoError(t, err)
		require.Equal(t, networks.StatusPending, bad.Status)
		time.Sleep(90 * time.Second)
		_, err = ad.Check(t.Context(), acct, bad)
		require.ErrorIs(t, err, socialflow.ErrRejected)
		var ve *facebook.VideoError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "error", ve.Status)
		assert.Equal(t, bad.ID, ve.ID)
	})
}

func TestMetrics(t *testing.T) {
	h := graphtest.NewFacebookHarness(t, graphtest.Options{})
	r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "measured", FirstComment: "c", Marker: "mx"})
	require.NoError(t, err)
	get := func(id networks.RemoteID) analytics.Snapshot {
		s, err := h.Adapter().Metrics(t.Context(), h.Account(), id)
		require.NoError(t, err)
		assert.Equal(t, string(id), s.Target)
		return s
	}
	has := func(s analytics.Snapshot) map[analytics.Metric]int64 {
		out := map[analytics.Metric]int64{}
		for m := range analytics.NumMetrics {
			if v, ok := s.Counters.Get(m); ok {
				out[m] = v
			}
		}
		return out
	}
	assert.Equal(t, map[analytics.Metric]int64{analytics.Likes: 0, analytics.Comments: 1}, has(get(r.ID)),
		"no shares field and no insights yet: absent, not zero")

	h.Server.SetPostMetrics(string(r.ID), graphtest.PostMetrics{Reactions: 12, Shares: 3,
		Insights: map[string]int64{"post_media_view": 400, "post_total_media_view_unique": 310, "post_clicks": 17}})
	assert.Equal(t, map[analytics.Metric]int64{analytics.Likes: 12, analytics.Comments: 1, analytics.Shares: 3,
		analytics.Impressions: 400, analytics.Reach: 310, analytics.Clicks: 17}, has(get(r.ID)))

	h.Server.SetPostMetrics(string(r.ID), graphtest.PostMetrics{Reactions: 12, Insights: map[string]int64{"post_media_view": -1}})
	assert.Equal(t, map[analytics.Metric]int64{analytics.Likes: 12, analytics.Comments: 1}, has(get(r.ID)),
		"insights Meta refuses are absent; the counts of the post remain")

	h.Server.Script(graphtest.Fault{Path: "/insights", Status: 400, Code: 4, Message: "Application request limit reached"})
	_, err = h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
	require.ErrorIs(t, err, socialflow.ErrRateLimited, "throttling is an error, not absent metrics")

	_, err = h.Adapter().Metrics(t.Context(), h.Account(), graphtest.FacebookPage+"_999")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func TestVideoMetrics(t *testing.T) {
	h := graphtest.NewFacebookHarness(t, graphtest.Options{VideoDelay: time.Nanosecond})
	r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "clip", Media: []networks.MediaItem{videoURL("https://cdn.example.com/v.mp4")}, Marker: "vm"})
	require.NoError(t, err)
	require.Equal(t, networks.StatusPublished, r.Status, "processed at once")
	h.Server.SetPostMetrics(string(r.ID), graphtest.PostMetrics{Reactions: 4, Insights: map[string]int64{"total_video_views": 900, "total_video_impressions_unique": 700}})
	s, err := h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
	require.NoError(t, err)
	for m, want := range map[analytics.Metric]int64{analytics.VideoViews: 900, analytics.Reach: 700, analytics.Likes: 4, analytics.Comments: 0} {
		got, ok := s.Counters.Get(m)
		assert.True(t, ok, "%v present", m)
		assert.Equal(t, want, got, "%v", m)
	}
	assert.False(t, s.Counters.Has(analytics.Shares))
}

// TestUsageHeadersSlowThePublisherBeforeMetaRefuses: the fake's Page
// budget is 4 calls an hour; the receipt of the call that reaches 100 %
// of X-Page-Usage carries a quota with nothing remaining, and the
// Publisher then waits for the reset instead of sending the call Meta
// would refuse with code 80001.
func TestUsageHeadersSlowThePublisherBeforeMetaRefuses(t *testing.T) {
	h := graphtest.NewFacebookHarness(t, graphtest.Options{CallBudget: 4})
	p, err := networks.NewPublisher(h.Adapter(), networks.WithRateLimits(networks.RateLimits{}), networks.WithMaxAttempts(1))
	require.NoError(t, err)
	var last networks.Receipt
	for i := range 4 {
		last, err = p.Publish(t.Context(), h.Account(), networks.Draft{Text: fmt.Sprint("budget ", i), Marker: fmt.Sprint("b", i)})
		require.NoError(t, err, "call %d", i)
	}
	var exhausted bool
	for _, q := range last.Quotas {
		exhausted = exhausted || (q.Remaining == 0 && q.Limit == 100)
	}
	require.True(t, exhausted, "the fourth answer says the budget is used: %+v", last.Quotas)
	before := len(h.Server.Requests())
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // far shorter than the hour to wait, long enough for a loaded machine
	defer cancel()
	_, err = p.Publish(ctx, h.Account(), networks.Draft{Text: "one too many", Marker: "b5"})
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl, "the Publisher refuses to send before the reset")
	assert.WithinDuration(t, time.Now().Add(time.Hour), rl.Reset, time.Minute, "the usage window is a rolling hour")
	assert.Len(t, h.Server.Requests(), before, "nothing was sent: no code 80001 from Meta")
	assert.Len(t, h.Server.PagePosts(graphtest.FacebookPage), 4)
}

// TestFakeAnswersDocumentedStates: the states behind the documented codes,
// produced by the fake itself rather than scripted.
func TestFakeAnswersDocumentedStates(t *testing.T) {
	t.Run("190/460: the password changed", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "before", Marker: "p1"})
		require.NoError(t, err)
		h.Server.InvalidateUser(graphtest.FacebookUser, 460)
		_, err = h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "after", Marker: "p2"})
		var re *networks.ReauthRequiredError
		require.ErrorAs(t, err, &re, "the cached Page token is refused too; a person must log in again")
		_, err = h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "again", Marker: "p3"})
		require.ErrorAs(t, err, &re, "deriving a new Page token fails the same way")
	})
	t.Run("190/458: the app was removed", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		h.Server.InvalidateUser(graphtest.FacebookUser, 458)
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Marker: "a1"})
		var re *networks.ReauthRequiredError
		require.ErrorAs(t, err, &re)
		assert.Contains(t, err.Error(), "190/458")
	})
	t.Run("368: posting blocked for a while", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		h.Server.BlockPosting(graphtest.FacebookPage, time.Hour)
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Marker: "b1"})
		var re *networks.RejectedError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "368", re.Code)
		_, err = h.Adapter().Metrics(t.Context(), h.Account(), "404_1")
		require.ErrorIs(t, err, socialflow.ErrNotFound, "reads still work")
	})
	t.Run("17: the user's budget", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{CallBudget: 1})
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Marker: "u1"})
		require.NoError(t, err, "one derivation and one post: one call each for the user and the Page")
		other := h.Account()
		other.Tokens = staticToken("second-user-token")
		h.Server.IssueToken("second-user-token", graphtest.FacebookUser, time.Time{})
		_, err = h.Adapter().Publish(t.Context(), other, networks.Draft{Text: "y", Marker: "u2"})
		var rl *networks.RateLimitError
		require.ErrorAs(t, err, &rl, "the second derivation is over the user's budget")
		var ge *metagraph.Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, 17, ge.Code)
		assert.Equal(t, time.Hour, rl.RetryAfter, "estimated_time_to_regain_access: 60 minutes")
	})
}
