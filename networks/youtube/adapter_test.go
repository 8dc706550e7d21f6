package youtube_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/youtube"
	"github.com/socialflow/socialflow/networks/youtube/youtubetest"
)

func TestQuotaWaitsForTheResetInsteadOfSending(t *testing.T) {
	cases := []struct {
		name string
		cfg  youtube.QuotaConfig
		ok   int // publishes that fit
	}{
		{"own insert bucket", youtube.QuotaConfig{Units: 10_000, Inserts: 2}, 2},
		{"legacy 1600 units", youtube.QuotaConfig{Units: 10_000, InsertCost: youtube.LegacyInsertCost}, 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := youtube.NewQuota(c.cfg)
			require.NoError(t, err)
			h := youtubetest.NewHarness(t, youtube.WithQuota(q))
			for i := range c.ok {
				_, err := h.YouTube().Publish(t.Context(), h.Account(), h.Draft(i))
				require.NoError(t, err)
			}
			before := len(h.Server.Requests())
			_, err = h.YouTube().Publish(t.Context(), h.Account(), h.Draft(99))
			var rl *networks.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, networks.ScopeApp, rl.Scope)
			assert.Equal(t, youtube.NextQuotaReset(h.Now()), rl.Reset)
			var qe *youtube.QuotaError
			assert.ErrorAs(t, err, &qe)
			assert.Len(t, h.Server.Requests(), before, "nothing is sent")
		})
	}
}

func TestQuotaExceededFromTheNetworkExhaustsTheTracker(t *testing.T) {
	h := youtubetest.NewHarness(t)
	h.Server.Script(apikittest.Fault{Status: 403, Code: "quotaExceeded", Message: "The request cannot be completed because you have exceeded your quota."})
	_, err := h.YouTube().Publish(t.Context(), h.Account(), h.Draft(1))
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, networks.ScopeApp, rl.Scope)
	assert.Equal(t, youtube.NextQuotaReset(h.Now()), rl.Reset)
	units, inserts := h.YouTube().Quota().Remaining(h.Now())
	assert.Zero(t, units)
	assert.Zero(t, inserts)
}

func TestNextQuotaResetIsMidnightPacific(t *testing.T) {
	pt, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone database")
	}
	cases := []struct{ now, want time.Time }{
		{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 0, 0, 0, 0, pt)}, // PST
		{time.Date(2026, 7, 1, 6, 59, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, pt)}, // 23:59 PDT on June 30
		{time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC), time.Date(2026, 7, 2, 0, 0, 0, 0, pt)},  // midnight PDT exactly
	}
	for _, c := range cases {
		assert.True(t, c.want.Equal(youtube.NextQuotaReset(c.now)), "%v", c.now)
	}
}

func TestLostFinalAnswerIsRecoveredByTheStatusQuery(t *testing.T) {
	h := youtubetest.NewHarness(t)
	h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
	r, err := h.YouTube().Publish(t.Context(), h.Account(), h.Draft(1))
	require.NoError(t, err, "the session says the upload completed")
	assert.Len(t, h.Server.Videos(), 1, "one video, not two")
	assert.Equal(t, networks.RemoteID(h.Server.Videos()[0].ID), r.ID)
}

func TestLostChunkBeforeTheLastIsTransient(t *testing.T) {
	h := youtubetest.NewHarness(t, youtube.WithChunkSize(youtube.ChunkUnit))
	d := h.Draft(1)
	d.Media = []networks.MediaItem{youtubetest.SmallVideo(1, 3*youtube.ChunkUnit)}
	// init, chunk 1 lost, then every status query lost.
	h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true}, apikittest.Fault{Lost: true})
	_, err := h.YouTube().Publish(t.Context(), h.Account(), d)
	require.ErrorIs(t, err, networks.ErrTransient)
	assert.NotErrorIs(t, err, networks.ErrOutcomeUnknown, "no video exists without its last chunk")
	assert.Empty(t, h.Server.Videos())
}

func TestPublishSendsMetadataAndThumbnail(t *testing.T) {
	var thumbErr error
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	h := youtubetest.NewHarness(t, youtube.WithMetadata(youtube.Metadata{Tags: []string{"go", "sdk"}, MadeForKids: true, PublishAt: at}),
		youtube.WithThumbnailErrors(func(_ networks.RemoteID, err error) { thumbErr = err }))
	d := h.Draft(1)
	thumb := youtubetest.SmallVideo(2, 1000)
	thumb.Kind, thumb.MIME, thumb.Duration = "image", "image/png", 0
	d.Media = append(d.Media, thumb)
	d.Marker = "m-1"
	_, err := h.YouTube().Publish(t.Context(), h.Account(), d)
	require.NoError(t, err)
	require.NoError(t, thumbErr)
	v := h.Server.Videos()[0]
	assert.Equal(t, "private", v.Privacy, "a scheduled video is private until publishAt")
	assert.Equal(t, at.Format(time.RFC3339), v.PublishAt)
	assert.True(t, v.MadeForKids)
	assert.Equal(t, []string{"go", "sdk", "sf-m-1"}, v.Tags)
	assert.Equal(t, 1000, v.Thumbnail)
}

func TestMetadataIsCheckedBeforeSending(t *testing.T) {
	cases := []struct {
		name string
		m    youtube.Metadata
	}{
		{"privacy", youtube.Metadata{Privacy: "friends"}},
		{"scheduled public", youtube.Metadata{Privacy: youtube.Public, PublishAt: time.Unix(1e9, 0)}},
		{"tag with <", youtube.Metadata{Tags: []string{"<b>"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := youtubetest.NewHarness(t)
			_, err := h.YouTube().PublishVideo(t.Context(), h.Account(), h.Draft(1), c.m)
			require.ErrorIs(t, err, networks.ErrInvalid)
			var fe *networks.FieldError
			assert.ErrorAs(t, err, &fe)
			assert.Empty(t, h.Server.Requests())
		})
	}
}

func TestDraftNeedsOneVideo(t *testing.T) {
	h := youtubetest.NewHarness(t)
	d := h.Draft(1)
	d.Media[0].Kind, d.Media[0].MIME, d.Media[0].Duration = "image", "image/png", 0
	_, err := h.YouTube().Publish(t.Context(), h.Account(), d)
	require.ErrorIs(t, err, networks.ErrInvalid)
	var v *networks.Violation
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "media", v.Field)
	assert.Empty(t, h.Server.Requests())
}

func TestCheckWaitsForProcessing(t *testing.T) {
	h := youtubetest.NewHarness(t)
	h.Server.SetProcessingPolls(1)
	r, err := h.YouTube().Publish(t.Context(), h.Account(), h.Draft(1))
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status)
	r, err = h.YouTube().Check(t.Context(), h.Account(), r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status)
	r, err = h.YouTube().Check(t.Context(), h.Account(), r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
}

func TestMetricsAreTheStatistics(t *testing.T) {
	h := youtubetest.NewHarness(t)
	r, err := h.YouTube().Publish(t.Context(), h.Account(), h.Draft(1))
	require.NoError(t, err)
	h.Server.SetStatistics(string(r.ID), 120, 7, 3)
	s, err := h.YouTube().Metrics(t.Context(), h.Account(), r.ID)
	require.NoError(t, err)
	for m, want := range map[analytics.Metric]int64{analytics.VideoViews: 120, analytics.Likes: 7, analytics.Comments: 3} {
		got, ok := s.Counters.Get(m)
		assert.True(t, ok, m.String())
		assert.Equal(t, want, got, m.String())
	}
	assert.False(t, s.Counters.Has(analytics.Impressions), "YouTube's statistics give no impressions: absent, not zero")
}

func TestDocumentedErrors(t *testing.T) {
	for _, m := range youtube.ErrorMapping {
		t.Run(m.Reason, func(t *testing.T) {
			h := youtubetest.NewHarness(t)
			status := map[apikit.Class]int{apikit.ClassAuthExpired: 401, apikit.ClassReauthRequired: 401, apikit.ClassNotFound: 404,
				apikit.ClassTransient: 503, apikit.ClassRateLimited: 403, apikit.ClassRejected: 400}[m.Class]
			h.Server.Script(apikittest.Fault{Status: status, Code: m.Reason, Message: "documented"})
			err := h.YouTube().Delete(t.Context(), h.Account(), "vid-x")
			want := map[apikit.Class]error{apikit.ClassAuthExpired: networks.ErrAuthExpired, apikit.ClassReauthRequired: networks.ErrAuthExpired,
				apikit.ClassNotFound: networks.ErrNotFound, apikit.ClassTransient: networks.ErrOutcomeUnknown, // delete is a write
				apikit.ClassRateLimited: networks.ErrRateLimited, apikit.ClassRejected: networks.ErrRejected}[m.Class]
			require.ErrorIs(t, err, want)
			var ae *youtube.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, m.Reason, ae.Reason)
			if m.Class == apikit.ClassReauthRequired {
				var re *networks.ReauthRequiredError
				assert.ErrorAs(t, err, &re)
			}
		})
	}
}

func TestHTMLAndTruncatedAnswers(t *testing.T) {
	h := youtubetest.NewHarness(t)
	h.Server.Script(apikittest.Fault{HTML: true})
	_, err := h.YouTube().Publish(t.Context(), h.Account(), h.Draft(1))
	assert.ErrorIs(t, err, networks.ErrTransient, "the session's POST creates no video")
	h.Server.Script(apikittest.Fault{Truncate: true})
	_, err = h.YouTube().Metrics(t.Context(), h.Account(), "vid-x")
	assert.ErrorIs(t, err, networks.ErrTransient)
}

func TestUploadSessionOnAnotherHostIsRefused(t *testing.T) {
	h := youtubetest.NewHarness(t)
	u, _ := url.Parse(h.Server.URL())
	ad, err := youtube.New(h.Server.Client(), youtube.WithBaseURL("http://localhost:"+u.Port()))
	require.NoError(t, err)
	_, err = ad.Publish(t.Context(), h.Account(), h.Draft(1))
	require.ErrorIs(t, err, networks.ErrTransient, "the token is not sent to a session URL on another host")
	assert.Empty(t, h.Server.Videos())
}

func TestOAuthConfig(t *testing.T) {
	c := youtube.OAuthConfig("id", "secret", "https://host.example/cb")
	u, err := url.Parse(youtube.AuthCodeURL(c, "st"))
	require.NoError(t, err)
	assert.Equal(t, "offline", u.Query().Get("access_type"))
	assert.Equal(t, "consent", u.Query().Get("prompt"))
	assert.Contains(t, u.Query().Get("scope"), "youtube.upload")
	var _ networks.Refresher = c
}
