package tiktok_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
)

func video(d time.Duration) networks.MediaItem {
	v := tiktoktest.SmallVideo(1, 4096)
	v.Duration = d
	return v
}

func photo(url string) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 1000, Width: 1080, Height: 1350}, URL: url}
}

// violations returns the fields of err's violations.
func violations(t *testing.T, err error) []string {
	t.Helper()
	var ve *networks.ValidationError
	require.ErrorAs(t, err, &ve)
	var out []string
	for _, v := range ve.Violations {
		assert.Equal(t, tiktok.Network, v.Network)
		out = append(out, v.Field)
	}
	return out
}

// The draft is checked against the spec, the media and the creator's
// current options before anything is posted: nothing reaches video/init.
func TestValidationBeforeAnyUpload(t *testing.T) {
	limited := tiktoktest.Creator{Username: "c", PrivacyOptions: []string{tiktok.FollowerOfCreator, tiktok.SelfOnly},
		CommentDisabled: true, DuetDisabled: true, StitchDisabled: true, MaxVideoDurationSec: 60}
	noBytes := video(time.Minute)
	noBytes.Open = nil
	for _, tt := range []struct {
		name    string
		creator *tiktoktest.Creator
		d       networks.Draft
		s       tiktok.Settings
		fields  []string
	}{
		{"privacy not offered", &limited, networks.Draft{Text: "x", Media: []networks.MediaItem{video(30 * time.Second)}},
			tiktok.Settings{DisableComment: true, DisableDuet: true, DisableStitch: true}, []string{"settings.privacy"}},
		{"longer than the creator may post", &limited, networks.Draft{Text: "x", Media: []networks.MediaItem{video(90 * time.Second)}},
			tiktok.Settings{Privacy: tiktok.SelfOnly, DisableComment: true, DisableDuet: true, DisableStitch: true}, []string{"media[0].duration"}},
		{"interactions the creator turned off", &limited, networks.Draft{Text: "x", Media: []networks.MediaItem{video(30 * time.Second)}},
			tiktok.Settings{Privacy: tiktok.SelfOnly}, []string{"settings.disable_comment", "settings.disable_duet", "settings.disable_stitch"}},
		{"duet and stitch do not apply to photos", &limited, networks.Draft{Title: "t", Text: "x", Media: []networks.MediaItem{photo("https://cdn.example/1.jpg")}},
			tiktok.Settings{Privacy: tiktok.SelfOnly}, []string{"settings.disable_comment"}},
		{"every violation at once", &limited, networks.Draft{Text: "x", Media: []networks.MediaItem{video(2 * time.Minute)}},
			tiktok.Settings{}, []string{"settings.privacy", "media[0].duration", "settings.disable_comment", "settings.disable_duet", "settings.disable_stitch"}},
		{"spec: no media", nil, networks.Draft{Text: "x"}, tiktok.Settings{}, []string{"media"}},
		{"spec: video too short", nil, networks.Draft{Text: "x", Media: []networks.MediaItem{video(time.Second)}}, tiktok.Settings{}, []string{"media[0].duration"}},
		{"spec: PNG photo", nil, networks.Draft{Text: "x", Media: []networks.MediaItem{{Media: assets.Media{Kind: assets.KindImage, MIME: "image/png", Size: 10, Width: 10, Height: 10}, URL: "https://cdn.example/a.png"}}},
			tiktok.Settings{}, []string{"media[0].mime"}},
		{"photo without a URL", nil, networks.Draft{Text: "x", Media: []networks.MediaItem{photo("")}}, tiktok.Settings{}, []string{"media[0].url"}},
		{"video without bytes or URL", nil, networks.Draft{Text: "x", Media: []networks.MediaItem{noBytes}}, tiktok.Settings{}, []string{"media[0].open"}},
		{"a title on a video", nil, networks.Draft{Title: "t", Text: "x", Media: []networks.MediaItem{video(time.Minute)}}, tiktok.Settings{}, []string{"title"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := tiktoktest.NewHarness(t)
			if tt.creator != nil {
				h.Server.SetCreator(*tt.creator)
			}
			_, err := h.TikTok().PublishWith(t.Context(), h.Account(), tt.d, tt.s)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			assert.Equal(t, tt.fields, violations(t, err))
			assert.Zero(t, h.Server.Inits(), "nothing was posted")
			assert.Zero(t, h.TikTok().PostCap().Used(h.Account().ID, h.Now()), "a refused draft costs no post of the cap")
		})
	}
}

func TestSettingsAreChecked(t *testing.T) {
	for _, s := range []tiktok.Settings{
		{Privacy: "EVERYONE"},
		{Privacy: tiktok.SelfOnly, BrandContent: true},
		{CoverTimestamp: -time.Second},
	} {
		_, err := tiktok.New(nil, tiktok.WithSettings(s))
		var fe *networks.FieldError
		require.ErrorAs(t, err, &fe, "%+v", s)
		assert.Contains(t, fe.Field, "settings.")
	}
	for _, o := range []tiktok.Option{tiktok.WithBaseURL("ftp://x"), tiktok.WithChunkSize(1 << 20), tiktok.WithChunkSize(65_000_000),
		tiktok.WithClock(nil), tiktok.WithJournal(nil), tiktok.WithPostCap(nil)} {
		_, err := tiktok.New(nil, o)
		require.ErrorIs(t, err, socialflow.ErrInvalid)
	}
	_, err := tiktok.NewPostCap(-1)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

// What the adapter sends: the settings, the caption, the source.
func TestPublishSendsThePost(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	s := tiktok.Settings{Privacy: tiktok.MutualFollowFriends, DisableComment: true, DisableStitch: true, BrandOrganic: true, AIGenerated: true}
	r, err := h.TikTok().PublishWith(t.Context(), h.Account(), networks.Draft{Text: "caption #tag", Media: []networks.MediaItem{video(time.Minute)}}, s)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	posts := h.Server.Posts()
	require.Len(t, posts, 1)
	p := posts[0]
	assert.Equal(t, string(r.ID), p.ID)
	assert.Equal(t, "https://www.tiktok.com/@fakecreator/video/"+p.ID, r.URL)
	assert.Equal(t, []string{"VIDEO", "FILE_UPLOAD", "caption #tag", tiktok.MutualFollowFriends}, []string{p.Media, p.Source, p.Title, p.Privacy})
	assert.Equal(t, []bool{true, false, true, false, true, true}, []bool{p.DisableComment, p.DisableDuet, p.DisableStitch, p.BrandContent, p.BrandOrganic, p.AIGC})
	assert.Equal(t, int64(4096), p.Size)
	assert.Equal(t, 1, h.TikTok().PostCap().Used(h.Account().ID, h.Now()))
	for _, l := range h.Server.Requests() {
		if l.Method == "PUT" {
			assert.Equal(t, "/upload/", l.Path)
		}
	}
}

func TestPullFromURLAndPhotos(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	v := video(time.Minute)
	v.Open, v.URL = nil, "https://cdn.example/v.mp4"
	r, err := h.TikTok().Publish(t.Context(), h.Account(), networks.Draft{Text: "pulled", Media: []networks.MediaItem{v}})
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	_, err = h.TikTok().Publish(t.Context(), h.Account(), networks.Draft{Title: "Lookbook", Text: "a long description",
		Media: []networks.MediaItem{photo("https://cdn.example/1.jpg"), photo("https://cdn.example/2.jpg")}})
	require.NoError(t, err)
	posts := h.Server.Posts()
	require.Len(t, posts, 2)
	assert.Equal(t, []string{"VIDEO", "PULL_FROM_URL", "https://cdn.example/v.mp4", "pulled"}, []string{posts[0].Media, posts[0].Source, posts[0].VideoURL, posts[0].Title})
	assert.Equal(t, []string{"PHOTO", "PULL_FROM_URL", "Lookbook", "a long description"}, []string{posts[1].Media, posts[1].Source, posts[1].Title, posts[1].Description})
	assert.Equal(t, []string{"https://cdn.example/1.jpg", "https://cdn.example/2.jpg"}, posts[1].Photos)
	assert.Zero(t, h.Server.Received(), "pulled media sends no bytes")

	h.Server.SetVerifiedPrefix("https://verified.example/")
	_, err = h.TikTok().Publish(t.Context(), h.Account(), networks.Draft{Text: "pulled", Media: []networks.MediaItem{v}})
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "url_ownership_unverified", re.Code)
	assert.Contains(t, re.Reason, "media.url")
}

// Each documented error.code of video/init maps to one kind, naming the
// field where there is one.
func TestErrorCodes(t *testing.T) {
	for _, tt := range []struct {
		status int
		code   string
		kind   error
		check  func(t *testing.T, err error)
	}{
		{401, "access_token_invalid", socialflow.ErrAuthExpired, func(t *testing.T, err error) {
			var ae *networks.AuthExpiredError
			assert.ErrorAs(t, err, &ae)
		}},
		{401, "scope_not_authorized", socialflow.ErrAuthExpired, func(t *testing.T, err error) {
			var re *networks.ReauthRequiredError
			assert.ErrorAs(t, err, &re)
		}},
		{429, "rate_limit_exceeded", socialflow.ErrRateLimited, func(t *testing.T, err error) {
			var rl *networks.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, networks.ScopeAccount, rl.Scope)
			assert.Equal(t, time.Minute, rl.Wait(rl.Reset.Add(-time.Minute)), "the documented one-minute window")
		}},
		{403, "spam_risk_too_many_posts", socialflow.ErrRateLimited, func(t *testing.T, err error) {
			var rl *networks.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, 24*time.Hour, rl.Wait(rl.Reset.Add(-24*time.Hour)), "the daily cap")
		}},
		{403, "reached_active_user_cap", socialflow.ErrRateLimited, func(t *testing.T, err error) {
			var rl *networks.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, networks.ScopeApp, rl.Scope)
		}},
		{403, "spam_risk_user_banned_from_posting", socialflow.ErrRejected, nil},
		{403, "unaudited_client_can_only_post_to_private_accounts", socialflow.ErrRejected, func(t *testing.T, err error) {
			var re *networks.RejectedError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, re.Reason, "settings.privacy")
		}},
		{400, "privacy_level_option_mismatch", socialflow.ErrRejected, func(t *testing.T, err error) {
			var re *networks.RejectedError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "privacy_level_option_mismatch", re.Code)
			assert.Contains(t, re.Reason, "settings.privacy")
		}},
		{400, "invalid_params", socialflow.ErrRejected, func(t *testing.T, err error) {
			var ce *tiktok.CodeError
			require.ErrorAs(t, err, &ce)
			assert.NotEmpty(t, ce.LogID, "TikTok's log_id is kept for its support")
			assert.Equal(t, 400, ce.Status)
			assert.Equal(t, "invalid_params", ce.Code)
		}},
		{500, "internal_error", socialflow.ErrTransient, nil},
		{503, "", socialflow.ErrTransient, nil},
		{418, "some_new_code", socialflow.ErrRejected, func(t *testing.T, err error) {
			var re *networks.RejectedError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "some_new_code", re.Code)
		}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			h := tiktoktest.NewHarness(t)
			h.Server.Script(apikittest.Fault{}, apikittest.Fault{Status: tt.status, Code: tt.code, Message: "TikTok says no"})
			_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(1))
			require.ErrorIs(t, err, tt.kind)
			assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown, "a refused FILE_UPLOAD init posted nothing")
			assert.Empty(t, h.Server.Posts())
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

// After TikTok says the daily cap is reached, the adapter refuses the
// creator's next posts itself for 24 hours, sending nothing.
func TestDailyCap(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	h.Server.SetDailyCap(2)
	for i := range 2 {
		_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(i))
		require.NoError(t, err)
		h.Server.Advance(time.Minute)
	}
	_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(3))
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	sent := len(h.Server.Requests())
	_, err = h.Adapter().Publish(t.Context(), h.Account(), h.Draft(4))
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, sent+1, len(h.Server.Requests()), "only creator_info was asked: the cap refused the init before sending")
	assert.Equal(t, h.Now().Add(24*time.Hour), rl.Reset, "full for 24 hours from TikTok's refusal")
	h.Server.Advance(24 * time.Hour)
	_, err = h.Adapter().Publish(t.Context(), h.Account(), h.Draft(5))
	require.NoError(t, err)

	// The local cap: the third post in 24 hours is refused before sending,
	// until the first one leaves the window.
	local, _ := tiktok.NewPostCap(2)
	h = tiktoktest.NewHarness(t, tiktok.WithPostCap(local))
	start := h.Now()
	for i := range 2 {
		_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(i))
		require.NoError(t, err)
		h.Server.Advance(time.Hour)
	}
	_, err = h.Adapter().Publish(t.Context(), h.Account(), h.Draft(3))
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, start.Add(24*time.Hour), rl.Reset)
	assert.Equal(t, 2, h.Server.Inits())
}

// The documented 6 inits a minute: the seventh is refused with the window.
func TestPerMinuteLimit(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	for i := range 6 {
		_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(i))
		require.NoError(t, err)
	}
	_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(7))
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, h.Now().Add(time.Minute), rl.Reset)
	assert.Equal(t, 6, h.TikTok().PostCap().Used(h.Account().ID, h.Now()), "the refused init costs no post")
	h.Server.Advance(time.Minute)
	_, err = h.Adapter().Publish(t.Context(), h.Account(), h.Draft(8))
	require.NoError(t, err)
}

// Check: pending while TikTok processes, then published; FAILED is the
// fail_reason as a typed error.
func TestCheck(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	h.Server.SetProcessingPolls(3) // Publish's own status read, then two Checks
	r, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(1))
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status)
	assert.Equal(t, 30*time.Second, r.CheckAfter)
	publishID := r.ID
	r, err = h.Adapter().Check(t.Context(), h.Account(), r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status)
	r, err = h.Adapter().Check(t.Context(), h.Account(), r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	assert.NotEqual(t, publishID, r.ID, "the receipt now names the post")
	same, err := h.Adapter().Check(t.Context(), h.Account(), r)
	require.NoError(t, err)
	assert.Equal(t, r, same)

}

func TestFailReasons(t *testing.T) {
	for _, tt := range []struct {
		reason string
		kind   error
		field  string
	}{
		{"duration_check_failed", socialflow.ErrRejected, "media.duration"},
		{"frame_rate_check_failed", socialflow.ErrRejected, "media.frame_rate"},
		{"picture_size_check_failed", socialflow.ErrRejected, "media.dimensions"},
		{"file_format_check_failed", socialflow.ErrRejected, "media.mime"},
		{"spam_risk_text", socialflow.ErrRejected, "text"},
		{"internal", socialflow.ErrRejected, ""},
		{"publish_cancelled", socialflow.ErrRejected, ""},
		{"never_heard_of", socialflow.ErrRejected, ""},
		{"spam_risk_too_many_posts", socialflow.ErrRateLimited, ""},
		{"auth_removed", socialflow.ErrAuthExpired, ""},
	} {
		t.Run(tt.reason, func(t *testing.T) {
			h := tiktoktest.NewHarness(t)
			h.Server.FailNext(tt.reason)
			r, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(1))
			require.NoError(t, err, "the publish was accepted; its failure shows in Check")
			require.Equal(t, networks.StatusPending, r.Status)
			_, err = h.Adapter().Check(t.Context(), h.Account(), r)
			require.ErrorIs(t, err, tt.kind)
			var re *networks.RejectedError
			if errors.As(err, &re) {
				assert.Equal(t, tt.reason, re.Code)
				assert.Contains(t, re.Reason, tt.field)
			}
			var ce *tiktok.CodeError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.reason, ce.Code)
		})
	}
}

// A private post has no public post ID: it is published under its
// publish_id, without a URL.
func TestPrivatePostKeepsThePublishID(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	r, err := h.TikTok().PublishWith(t.Context(), h.Account(), h.Draft(1), tiktok.Settings{Privacy: tiktok.SelfOnly})
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	assert.Equal(t, h.Server.Posts()[0].PublishID, string(r.ID))
	assert.Empty(t, r.URL)
}

func TestMetrics(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	r, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(1))
	require.NoError(t, err)
	h.Server.SetCounts(string(r.ID), 1200, 80, 7, 3)
	snap, err := h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
	require.NoError(t, err)
	assert.Equal(t, string(r.ID), snap.Target)
	for m, want := range map[analytics.Metric]int64{analytics.VideoViews: 1200, analytics.Likes: 80, analytics.Comments: 7, analytics.Shares: 3} {
		got, ok := snap.Counters.Get(m)
		assert.True(t, ok, m)
		assert.Equal(t, want, got, m)
	}
	_, ok := snap.Counters.Get(analytics.Impressions)
	assert.False(t, ok, "TikTok reports no impressions: absent, not zero")

	h.Server.RevokeScope("video.list")
	_, err = h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
	var re *networks.ReauthRequiredError
	require.ErrorAs(t, err, &re, "without video.list the account must be reconnected with it")
}

func TestDeleteIsRefused(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	err := h.Adapter().Delete(t.Context(), h.Account(), "7300000000000000001")
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, tiktok.CodeNoDelete, re.Code)
	assert.Equal(t, networks.OpDelete, re.Op)
	assert.Empty(t, h.Server.Requests(), "nothing is sent")
	assert.False(t, h.Adapter().Spec().Features.Delete)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, h.Adapter().Delete(ctx, h.Account(), "x"), context.Canceled)
}

// An error object in a 200 answer is an error too, classified by its code,
// and a token TikTok echoes never reaches the error.
func TestErrorObjectInA200(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	h.Server.CreatorInfoError("spam_risk_user_banned_from_posting", "user of tok-SECRET is banned")
	_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(1))
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "spam_risk_user_banned_from_posting", re.Code)
	assert.NotContains(t, err.Error(), "tok-SECRET")
	assert.Contains(t, err.Error(), "REDACTED")
	assert.Zero(t, h.Server.Inits())

	h.Server.CreatorInfoError("spam_risk_too_many_posts", "daily cap")
	_, err = h.Adapter().Publish(t.Context(), h.Account(), h.Draft(2))
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	sent := len(h.Server.Requests())
	_, err = h.Adapter().Publish(t.Context(), h.Account(), h.Draft(3))
	require.ErrorAs(t, err, &rl, "the cap is full for a day")
	assert.Equal(t, sent+1, len(h.Server.Requests()), "creator_info only; no init")
}

// Processing that takes time: pending until the clock passes it.
func TestProcessingTakesTime(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	h.Server.SetProcessingTime(45 * time.Second)
	v := video(time.Minute)
	v.Open, v.URL = nil, "https://cdn.example/v.mp4"
	r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "pulled", Media: []networks.MediaItem{v}})
	require.NoError(t, err)
	require.Equal(t, networks.StatusPending, r.Status)
	h.Server.Advance(r.CheckAfter)
	r, err = h.Adapter().Check(t.Context(), h.Account(), r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status, "30 s of 45")
	_, err = h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
	require.ErrorIs(t, err, socialflow.ErrNotFound, "a publish_id is not a post")
	h.Server.Advance(r.CheckAfter)
	r, err = h.Adapter().Check(t.Context(), h.Account(), r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	_, err = h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
	require.NoError(t, err)
}

// An unaudited app may only post privately: TikTok's refusal names the
// setting to change, and SELF_ONLY goes through.
func TestUnauditedClient(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	h.Server.SetUnaudited(true)
	_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(1))
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "unaudited_client_can_only_post_to_private_accounts", re.Code)
	assert.Contains(t, re.Reason, "settings.privacy")
	assert.Zero(t, h.TikTok().PostCap().Used(h.Account().ID, h.Now()))
	r, err := h.TikTok().PublishWith(t.Context(), h.Account(), h.Draft(2), tiktok.Settings{Privacy: tiktok.SelfOnly})
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
}
