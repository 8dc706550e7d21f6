package linkedin_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/linkedin"
	"github.com/socialflow/socialflow/networks/linkedin/linkedintest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func item(kind assets.Kind, mime string, data []byte) networks.MediaItem {
	m := networks.MediaItem{Media: assets.Media{Kind: kind, MIME: mime, Size: int64(len(data)), Width: 1280, Height: 720}, Alt: "alt text"}
	if kind == assets.KindVideo {
		m.Duration = 10 * time.Second
	}
	m.Open = func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return m
}

// TestErrorMapping answers each documented LinkedIn error and checks the
// kind and the typed cause.
func TestErrorMapping(t *testing.T) {
	cases := []struct {
		name     string
		fault    linkedintest.Fault
		kind     error
		code     string
		existing networks.RemoteID
	}{
		{"expired token", linkedintest.Fault{Status: 401, Code: "EXPIRED_ACCESS_TOKEN", Message: "The token used in the request has expired"}, networks.ErrAuthExpired, "EXPIRED_ACCESS_TOKEN", ""},
		{"revoked token needs a person", linkedintest.Fault{Status: 401, Code: "REVOKED_ACCESS_TOKEN", Message: "revoked by the user"}, networks.ErrAuthExpired, "REVOKED_ACCESS_TOKEN", ""},
		{"invalid token (65600, no code)", linkedintest.Fault{Status: 401, Code: "INVALID_ACCESS_TOKEN", Message: "Invalid access token"}, networks.ErrAuthExpired, "INVALID_ACCESS_TOKEN", ""},
		{"access denied", linkedintest.Fault{Status: 403, Code: "ACCESS_DENIED", Message: "Not enough permissions"}, networks.ErrRejected, "ACCESS_DENIED", ""},
		{"duplicate names the existing post", linkedintest.Fault{Status: 422, Code: "DUPLICATE_POST", Message: "Content is a duplicate of urn:li:share:7141138937766391808"}, networks.ErrDuplicate, "DUPLICATE_POST", "urn:li:share:7141138937766391808"},
		{"sunset version", linkedintest.Fault{Status: 426, Code: "NONEXISTENT_VERSION", Message: "Requested version 202401 is not active"}, socialflow.ErrInvalid, "NONEXISTENT_VERSION", ""},
		{"validation", linkedintest.Fault{Status: 422, Message: "ERROR :: /commentary :: field is required"}, networks.ErrRejected, "", ""},
		{"throttled", linkedintest.Fault{Status: 429, Message: "Too Many Requests"}, networks.ErrRateLimited, "", ""},
		{"bad gateway HTML page", linkedintest.Fault{HTML: true}, networks.ErrTransient, "", ""},
		{"not found", linkedintest.Fault{Status: 404, Code: "NOT_FOUND", Message: "Not Found"}, networks.ErrNotFound, "NOT_FOUND", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
			h.Server.Script(c.fault)
			_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "hello", Marker: "m-" + c.name})
			require.ErrorIs(t, err, c.kind)
			assert.Empty(t, h.Posts())
			var ae *linkedin.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, c.code, ae.Code)
			if !c.fault.HTML {
				assert.Equal(t, c.fault.Status, ae.Status)
			}
			if c.existing != "" {
				var de *networks.DuplicateError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, c.existing, de.Existing)
			}
		})
	}
}

func TestRevokedTokenIsReauth(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
	h.Server.Script(linkedintest.Fault{Status: 401, Code: "REVOKED_ACCESS_TOKEN", Message: "revoked"})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x"})
	var re *networks.ReauthRequiredError
	assert.ErrorAs(t, err, &re)
}

// TestSunsetVersionIsSetupError: the real fake answers 426 to an inactive
// version; the error names the header and the version.
func TestSunsetVersionIsSetupError(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{}, linkedin.WithVersion("202401"))
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x"})
	var se *linkedin.SetupError
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.NotErrorIs(t, err, networks.ErrTransient)
	assert.Equal(t, "LinkedIn-Version header", se.Field)
	assert.Equal(t, "202401", se.Value)
	assert.Contains(t, err.Error(), "LinkedIn-Version")
	assert.Empty(t, h.Posts())
}

func TestRateLimitHoldsUntilMidnightUTC(t *testing.T) {
	now := time.Date(2026, 12, 1, 22, 30, 0, 0, time.UTC)
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{}, linkedin.WithClock(func() time.Time { return now }))
	h.Server.Script(linkedintest.Fault{Status: 429, Message: "throttled"})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x"})
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), rl.Reset)
	h.Server.Script(linkedintest.Fault{Status: 429, Message: "throttled", RetryAfter: 90 * time.Second})
	_, err = h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "y"})
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 90*time.Second, rl.RetryAfter, "a Retry-After LinkedIn sends wins")
}

func TestSetupErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		acct  func(networks.Account) networks.Account
		field string
	}{
		{"handle not a URN", func(a networks.Account) networks.Account { a.Handle = "@someone"; return a }, "account.handle"},
		{"base URL not http", func(a networks.Account) networks.Account { a.BaseURL = "ftp://x"; return a }, "account.base_url"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := linkedintest.NewHarness(t, linkedintest.Member, linkedintest.Options{})
			_, err := h.Adapter().Publish(t.Context(), c.acct(h.Account()), networks.Draft{Text: "x"})
			var se *linkedin.SetupError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, c.field, se.Field)
			assert.Empty(t, h.Server.Requests(), "nothing is sent")
		})
	}
	_, err := linkedin.New(nil, linkedin.WithVersion("2026-05"))
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestPublishMedia(t *testing.T) {
	img := bytes.Repeat([]byte{0xff}, 1000)
	video := bytes.Repeat([]byte("v"), 2500)
	cases := []struct {
		name    string
		draft   networks.Draft
		content string // a field of the post's content
		prefix  string
	}{
		{"one image", networks.Draft{Text: "pic", Media: []networks.MediaItem{item(assets.KindImage, "image/png", img)}}, `"media"`, "urn:li:share:"},
		{"multi image", networks.Draft{Text: "pics", Media: []networks.MediaItem{item(assets.KindImage, "image/png", img), item(assets.KindImage, "image/jpeg", img)}}, `"multiImage"`, "urn:li:share:"},
		{"video in parts", networks.Draft{Text: "clip", Title: "Clip", Media: []networks.MediaItem{item(assets.KindVideo, "video/mp4", video)}}, `"title":"Clip"`, "urn:li:ugcPost:"},
		{"article", networks.Draft{Text: "read", Link: "https://example.com/a", Title: "A"}, `"article"`, "urn:li:share:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var waits []time.Duration
			h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{PartSize: 1000, VideoPolls: 2},
				linkedin.WithWait(func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }))
			r, err := h.Adapter().Publish(t.Context(), h.Account(), c.draft)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(r.ID), c.prefix), r.ID)
			posts := h.Server.Posts()
			require.Len(t, posts, 1)
			assert.Contains(t, string(posts[0].Content), c.content)
			if c.name == "video in parts" {
				assert.Equal(t, []time.Duration{2 * time.Second, 3 * time.Second}, waits, "polled while PROCESSING, backing off")
				var parts int
				for _, l := range h.Server.Requests() {
					if l.Method == "PUT" {
						parts++
					}
				}
				assert.Equal(t, 3, parts, "2500 bytes in 1000-byte parts")
			}
		})
	}
}

func TestVideoProcessingFailedIsRejected(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{FailVideo: true})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "clip",
		Media: []networks.MediaItem{item(assets.KindVideo, "video/mp4", bytes.Repeat([]byte("v"), 100))}})
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "PROCESSING_FAILED", re.Code)
	assert.Empty(t, h.Posts(), "nothing is posted")
}

func TestVideoProcessingTimeoutIsTransient(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{VideoPolls: 1000},
		linkedin.WithWait(func(context.Context, time.Duration) error { return nil }), linkedin.WithMediaTimeout(time.Minute))
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "clip",
		Media: []networks.MediaItem{item(assets.KindVideo, "video/mp4", bytes.Repeat([]byte("v"), 100))}})
	var te *networks.TransientError
	require.ErrorAs(t, err, &te)
	assert.Empty(t, h.Posts())
}

func TestMediaMixIsInvalid(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
	img := item(assets.KindImage, "image/png", []byte("png"))
	vid := item(assets.KindVideo, "video/mp4", []byte("mp4"))
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Media: []networks.MediaItem{img, vid}})
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Empty(t, h.Server.Requests())
}

// TestFirstComment: the comment follows the post; a comment that fails
// leaves the post published, is reported, and is never a reason to post
// again.
func TestFirstComment(t *testing.T) {
	t.Run("posted", func(t *testing.T) {
		h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "post", FirstComment: "link in (comment)"})
		require.NoError(t, err)
		assert.Equal(t, []string{`link in \(comment\)`}, h.Server.Posts()[0].Comments)
	})
	t.Run("fails after the post", func(t *testing.T) {
		var mu sync.Mutex
		var reported []*linkedin.CommentError
		h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{},
			linkedin.WithCommentReport(func(_ context.Context, r networks.Receipt, err *linkedin.CommentError) {
				mu.Lock()
				defer mu.Unlock()
				reported = append(reported, err)
			}))
		h.Server.Script(linkedintest.Fault{}, linkedintest.Fault{Status: 500, Message: "Internal Server Error"})
		p, err := networks.NewPublisher(h.Adapter(), networks.WithMaxAttempts(3), networks.WithBackOff(time.Millisecond, time.Millisecond))
		require.NoError(t, err)
		r, err := p.Publish(t.Context(), h.Account(), networks.Draft{Text: "post", FirstComment: "first!", Marker: "fc-1"})
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPublished, r.Status)
		assert.Len(t, h.Posts(), 1, "the post is made once")
		require.Len(t, reported, 1)
		assert.Equal(t, r.ID, reported[0].Post)
		assert.ErrorIs(t, reported[0], networks.ErrOutcomeUnknown, "a 500 on the comment write may have commented")
		require.NoError(t, h.LinkedIn().Comment(t.Context(), h.Account(), r.ID, "first!"), "the host may post the comment again")
		assert.Len(t, h.Server.Posts()[0].Comments, 1)
	})
}

// TestServerErrorOnCreateIsSettled: a 500 from POST /rest/posts is settled
// by listing the author's posts — found: published; the listing refused
// (a member without r_member_social): still unknown.
func TestServerErrorOnCreateIsSettled(t *testing.T) {
	t.Run("member without r_member_social stays unknown", func(t *testing.T) {
		h := linkedintest.NewHarness(t, linkedintest.Member, linkedintest.Options{})
		h.Server.Script(linkedintest.Fault{Status: 500, Message: "Internal Server Error"})
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Marker: "m1"})
		assert.ErrorIs(t, err, networks.ErrOutcomeUnknown)
		_, _, err = h.LinkedIn().FindByMarker(t.Context(), h.Account(), "m1")
		var re *networks.RejectedError
		require.ErrorAs(t, err, &re, "listing a member's posts needs r_member_social")
		assert.Equal(t, "ACCESS_DENIED", re.Code)
	})
	t.Run("lost answer found by marker", func(t *testing.T) {
		h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
		h.Server.Script(linkedintest.Fault{Lost: true})
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "lost #1", Marker: "m2"})
		require.ErrorIs(t, err, networks.ErrOutcomeUnknown)
		r, found, err := h.LinkedIn().FindByMarker(t.Context(), h.Account(), "m2")
		require.NoError(t, err)
		require.True(t, found)
		assert.Equal(t, networks.RemoteID(h.Server.Posts()[0].ID), r.ID)
	})
}

func TestMetrics(t *testing.T) {
	t.Run("organization: share statistics", func(t *testing.T) {
		h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
		r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "m"})
		require.NoError(t, err)
		s, err := h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
		require.NoError(t, err)
		for m, want := range map[analytics.Metric]int64{analytics.Impressions: 120, analytics.Reach: 80, analytics.Clicks: 7, analytics.Likes: 3, analytics.Shares: 1, analytics.Comments: 0} {
			got, ok := s.Counters.Get(m)
			assert.True(t, ok, m.String())
			assert.Equal(t, want, got, m.String())
		}
		assert.False(t, s.Counters.Has(analytics.VideoViews), "absent, never zero")
	})
	t.Run("member: social actions only", func(t *testing.T) {
		h := linkedintest.NewHarness(t, linkedintest.Member, linkedintest.Options{MemberFinder: true})
		r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "m"})
		require.NoError(t, err)
		s, err := h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, s.Counters.Len(), "likes and comments")
		assert.False(t, s.Counters.Has(analytics.Impressions))
	})
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"a (b) #c @d":        `a \(b\) \#c \@d`,
		`x\y|{}[]<>*_~`:      `x\\y\|\{\}\[\]\<\>\*\_\~`,
		"héllo 👋 (emoji)":    `héllo 👋 \(emoji\)`,
		"https://x.test/a_b": `https://x.test/a\_b`,
	} {
		assert.Equal(t, want, linkedin.EscapeText(in), in)
	}
}

func TestOAuthConfig(t *testing.T) {
	cfg := linkedin.OAuthConfig("id", "secret", "https://app.test/cb", linkedin.OrganizationScopes)
	u := cfg.AuthCodeURL("state-1")
	assert.True(t, strings.HasPrefix(u, linkedin.AuthURL+"?"))
	assert.Contains(t, u, "scope=openid+profile+w_organization_social")
	assert.NotContains(t, u, "secret")
	var _ networks.Refresher = cfg
}

func TestNoSecretInErrors(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
	h.Server.Script(linkedintest.Fault{Status: 401, Code: "INVALID_ACCESS_TOKEN", Message: "token " + networktest.Secret + " is bad"})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), networktest.Secret)
}

// TestUploadTokenOnlyToLinkedIn: an upload URL on another host gets the
// bytes but never the bearer token.
func TestUploadTokenOnlyToLinkedIn(t *testing.T) {
	var target string
	var mu sync.Mutex
	var auth []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		u, _ := url.Parse(target)
		httputil.NewSingleHostReverseProxy(u).ServeHTTP(w, r)
	}))
	defer proxy.Close()
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{UploadBase: proxy.URL})
	target = h.Server.URL()
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "pic", Media: []networks.MediaItem{item(assets.KindImage, "image/png", []byte("png-bytes"))}})
	require.NoError(t, err)
	require.Len(t, auth, 1)
	assert.Empty(t, auth[0], "no token to a host that is not LinkedIn's")
}

// TestDailyLimitThroughAdapter: LinkedIn's daily member limit is a rate
// limit held until midnight UTC, and nothing is posted.
func TestDailyLimitThroughAdapter(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Member, linkedintest.Options{DailyPosts: 1})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "one"})
	require.NoError(t, err)
	_, err = h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "two"})
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 0, rl.Reset.Hour())
	assert.True(t, rl.Reset.After(time.Now()))
	assert.Len(t, h.Posts(), 1)
}

// TestPublisherReconcilesLostAnswer: through networks.Publisher, a lost
// answer is resolved by the Finder, and the post is made once.
func TestPublisherReconcilesLostAnswer(t *testing.T) {
	h := linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{})
	h.Server.Script(linkedintest.Fault{Lost: true})
	p, err := networks.NewPublisher(h.Adapter(), networks.WithMaxAttempts(3), networks.WithBackOff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	r, err := p.Publish(t.Context(), h.Account(), networks.Draft{Text: "lost once", Marker: "sf-p1-c1-v1-r1"})
	require.NoError(t, err)
	require.Len(t, h.Posts(), 1, "posted once")
	assert.Equal(t, h.Posts()[0].ID, r.ID)
}
