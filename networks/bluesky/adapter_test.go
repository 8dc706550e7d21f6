package bluesky_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/bluesky"
	"github.com/socialflow/socialflow/networks/bluesky/blueskytest"
)

// fixture is a fake PDS with one logged-in account.
type fixture struct {
	srv  *blueskytest.Server
	ad   *bluesky.Adapter
	acct networks.Account
	tok  *oauth2.Token
	did  string
}

func newFixture(t testing.TB, opts ...blueskytest.Option) *fixture {
	t.Helper()
	srv := blueskytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	a := srv.CreateAccount("alice.test", "app-pass-1")
	srv.CreateAccount("bob.test", "app-pass-2")
	ad, err := bluesky.New(srv.Client())
	require.NoError(t, err)
	tok, err := ad.Login(t.Context(), srv.URL(), "alice.test", "app-pass-1")
	require.NoError(t, err)
	return &fixture{
		srv: srv, ad: ad, tok: tok, did: a.DID,
		acct: networks.Account{ID: "acct-1", Network: bluesky.Network, Handle: "alice.test", BaseURL: srv.URL(), Tokens: oauth2.StaticTokenSource(tok)},
	}
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func imageItem(data []byte, alt string, w, h int) networks.MediaItem {
	return networks.MediaItem{
		Media: assets.Media{Kind: assets.KindImage, MIME: "image/png", Size: int64(len(data)), Width: w, Height: h},
		Alt:   alt,
		Open:  func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

func TestPublishTextWithFacets(t *testing.T) {
	fx := newFixture(t)
	text := "héllo @bob.test #go https://example.com @nobody.test"
	r, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: text, Marker: "m-1"})
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	assert.Equal(t, "at://"+fx.did+"/app.bsky.feed.post/"+bluesky.RecordKey("m-1", 0), string(r.ID))
	assert.Equal(t, "https://bsky.app/profile/"+fx.did+"/post/"+bluesky.RecordKey("m-1", 0), r.URL)
	assert.Equal(t, "m-1", r.Marker)
	require.NotEmpty(t, r.Quotas, "RateLimit-* headers are reported")
	assert.Equal(t, blueskytest.RateLimit, r.Quotas[0].Limit)

	recs := fx.srv.Records()
	require.Len(t, recs, 1)
	assert.Equal(t, text, recs[0].Value["text"])
	facets := recs[0].Value["facets"].([]any)
	require.Len(t, facets, 3, "the unresolvable @nobody.test stays plain text")
	mention := facets[0].(map[string]any)
	assert.Equal(t, map[string]any{"byteStart": 7.0, "byteEnd": 16.0}, mention["index"])
	feat := mention["features"].([]any)[0].(map[string]any)
	assert.Equal(t, "app.bsky.richtext.facet#mention", feat["$type"])
	assert.True(t, strings.HasPrefix(feat["did"].(string), "did:plc:"))
}

func TestPublishThreadWithImage(t *testing.T) {
	fx := newFixture(t)
	img := pngBytes(t, 40, 20)
	d := networks.Draft{Text: "root", Thread: []string{"second", "third"}, Marker: "thread-1",
		Media: []networks.MediaItem{imageItem(img, "a red dot", 0, 0)}}
	r, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)

	recs := fx.srv.Records()
	require.Len(t, recs, 3)
	embed := recs[0].Value["embed"].(map[string]any)
	im := embed["images"].([]any)[0].(map[string]any)
	assert.Equal(t, "a red dot", im["alt"])
	assert.Equal(t, map[string]any{"width": 40.0, "height": 20.0}, im["aspectRatio"], "decoded from the PNG")
	for i := 1; i < 3; i++ {
		reply := recs[i].Value["reply"].(map[string]any)
		assert.Equal(t, string(r.ID), reply["root"].(map[string]any)["uri"])
		assert.Equal(t, recs[i-1].URI, reply["parent"].(map[string]any)["uri"])
		assert.Equal(t, recs[i-1].CID, reply["parent"].(map[string]any)["cid"])
	}

	// The same draft again (a retry after a lost answer) posts nothing new.
	r2, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)
	assert.Equal(t, r.ID, r2.ID)
	assert.Len(t, fx.srv.Records(), 3)
}

func TestThreadFailingMidwayReportsPublishedParts(t *testing.T) {
	fx := newFixture(t)
	d := networks.Draft{Text: "one", Thread: []string{"two", "three"}, Marker: "tm"}
	// createRecord #1 succeeds, #2 is refused.
	fx.srv.Script(blueskytest.Fault{}, blueskytest.Fault{Status: 400, Error: "InvalidRequest", Message: "nope"})
	r, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.ErrorIs(t, err, socialflow.ErrRejected)
	var te *bluesky.ThreadError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Failed)
	require.Len(t, te.Published, 1)
	assert.Equal(t, r.ID, te.Published[0])
	assert.Len(t, fx.srv.Records(), 1)

	// Publishing again resumes: the root is not posted twice.
	_, err = fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)
	recs := fx.srv.Records()
	require.Len(t, recs, 3)
	assert.Equal(t, []any{"one", "two", "three"}, []any{recs[0].Value["text"], recs[1].Value["text"], recs[2].Value["text"]})
}

func TestPublishRefusesBadInputBeforeSending(t *testing.T) {
	big := bytes.Repeat([]byte{0}, bluesky.DefaultImageMaxSize+1)
	for _, tt := range []struct {
		name  string
		draft networks.Draft
		field string
	}{
		{name: "301 graphemes", draft: networks.Draft{Text: strings.Repeat("a", 301)}, field: "text"},
		{name: "3001 bytes", draft: networks.Draft{Text: strings.Repeat("€", 1000) + "a"}, field: "text"},
		{name: "long reply", draft: networks.Draft{Text: "ok", Thread: []string{strings.Repeat("b", 301)}}, field: "thread[0]"},
		{name: "image over the limit", draft: networks.Draft{Text: "x", Media: []networks.MediaItem{imageItem(big, "", 1, 1)}}, field: "media[0].size"},
		{name: "image lying about its size", draft: networks.Draft{Text: "x", Media: []networks.MediaItem{func() networks.MediaItem {
			m := imageItem(big, "", 1, 1)
			m.Size = 10
			return m
		}()}}, field: "media[0].size"},
		{name: "five images", draft: networks.Draft{Text: "x", Media: func() []networks.MediaItem {
			var ms []networks.MediaItem
			for range 5 {
				ms = append(ms, imageItem([]byte("png"), "", 1, 1))
			}
			return ms
		}()}, field: "media"},
		{name: "invalid utf8", draft: networks.Draft{Text: "a\xffb"}, field: "text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			before := len(fx.srv.Requests())
			tt.draft.Marker = "bad"
			_, err := fx.ad.Publish(t.Context(), fx.acct, tt.draft)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var v *networks.Violation
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tt.field, v.Field)
			assert.Empty(t, fx.srv.Records())
			for _, req := range fx.srv.Requests()[before:] {
				assert.NotContains(t, req, "createRecord", "nothing may be written")
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	reset := time.Now().Add(90 * time.Second).Truncate(time.Second)
	for _, tt := range []struct {
		name  string
		fault blueskytest.Fault
		kind  error
		check func(t *testing.T, err error)
	}{
		{name: "expired token", fault: blueskytest.Fault{Expire: true}, kind: socialflow.ErrAuthExpired, check: func(t *testing.T, err error) {
			var ae *networks.AuthExpiredError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "acct-1", ae.AccountID)
		}},
		{name: "auth missing", fault: blueskytest.Fault{Status: 401, Error: "AuthMissing"}, kind: socialflow.ErrAuthExpired},
		{name: "2fa", fault: blueskytest.Fault{Status: 401, Error: "AuthFactorTokenRequired"}, kind: socialflow.ErrAuthExpired, check: func(t *testing.T, err error) {
			var re *networks.ReauthRequiredError
			require.ErrorAs(t, err, &re)
		}},
		{name: "rate limited", fault: blueskytest.Fault{Status: 429, Error: "RateLimitExceeded", Reset: reset}, kind: socialflow.ErrRateLimited, check: func(t *testing.T, err error) {
			var rl *networks.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.True(t, reset.Equal(rl.Reset), "reset %v, want %v", rl.Reset, reset)
			assert.Equal(t, networks.ScopeAccount, rl.Scope)
		}},
		{name: "invalid request", fault: blueskytest.Fault{Status: 400, Error: "InvalidRequest", Message: "bad record"}, kind: socialflow.ErrRejected, check: func(t *testing.T, err error) {
			var re *networks.RejectedError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "InvalidRequest", re.Code)
			assert.Equal(t, "bad record", re.Reason)
		}},
		{name: "payload too large", fault: blueskytest.Fault{Status: 413, Error: "PayloadTooLarge"}, kind: socialflow.ErrRejected},
		{name: "500 with nothing written", fault: blueskytest.Fault{Status: 500, Error: "InternalServerError"}, kind: socialflow.ErrTransient},
		{name: "503 with nothing written", fault: blueskytest.Fault{Status: 503, Error: "NotEnoughResources"}, kind: socialflow.ErrTransient},
		{name: "504 may still commit", fault: blueskytest.Fault{Status: 504, Error: "UpstreamTimeout"}, kind: socialflow.ErrOutcomeUnknown},
		{name: "lost response", fault: blueskytest.Fault{Lost: true}, kind: socialflow.ErrOutcomeUnknown},
		{name: "unknown 4xx", fault: blueskytest.Fault{Status: 400, Error: "SomethingNew"}, kind: socialflow.ErrRejected},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.srv.Script(tt.fault)
			_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "hello", Marker: "em"})
			require.ErrorIs(t, err, tt.kind)
			var xe *bluesky.XRPCError
			if tt.fault.Status != 0 || tt.fault.Expire {
				require.ErrorAs(t, err, &xe)
			}
			assert.NotContains(t, err.Error(), fx.tok.AccessToken)
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestLostResponseIsFoundByMarker(t *testing.T) {
	fx := newFixture(t)
	_, found, err := fx.ad.FindByMarker(t.Context(), fx.acct, "lost-1")
	require.NoError(t, err)
	assert.False(t, found)

	fx.srv.Script(blueskytest.Fault{Lost: true})
	_, err = fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "hello", Marker: "lost-1"})
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)

	r, found, err := fx.ad.FindByMarker(t.Context(), fx.acct, "lost-1")
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, fx.srv.Records()[0].URI, string(r.ID))
	assert.Equal(t, networks.StatusPublished, r.Status)
}

func TestDeleteTwiceIsNotFound(t *testing.T) {
	fx := newFixture(t)
	r, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "bye", Marker: "d"})
	require.NoError(t, err)
	require.NoError(t, fx.ad.Delete(t.Context(), fx.acct, r.ID))
	assert.Empty(t, fx.srv.Records())
	err = fx.ad.Delete(t.Context(), fx.acct, r.ID)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	var nf *networks.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, r.ID, nf.ID)

	require.ErrorIs(t, fx.ad.Delete(t.Context(), fx.acct, "https://bsky.app/x"), socialflow.ErrNotFound)
}

func TestMetrics(t *testing.T) {
	t.Run("no app view: counters absent", func(t *testing.T) {
		fx := newFixture(t)
		r, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "m", Marker: "m"})
		require.NoError(t, err)
		snap, err := fx.ad.Metrics(t.Context(), fx.acct, r.ID)
		require.NoError(t, err)
		assert.Equal(t, string(r.ID), snap.Target)
		for m := range analytics.NumMetrics {
			assert.False(t, snap.Counters.Has(m), "metric %v", m)
		}
		_, err = fx.ad.Metrics(t.Context(), fx.acct, networks.RemoteID("at://"+fx.did+"/app.bsky.feed.post/"+bluesky.RecordKey("none", 0)))
		require.ErrorIs(t, err, socialflow.ErrNotFound)
	})
	t.Run("app view", func(t *testing.T) {
		fx := newFixture(t, blueskytest.WithAppView())
		r, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "m", Marker: "m"})
		require.NoError(t, err)
		fx.srv.SetMetrics(string(r.ID), 5, 2, 1, 3)
		snap, err := fx.ad.Metrics(t.Context(), fx.acct, r.ID)
		require.NoError(t, err)
		for m, want := range map[analytics.Metric]int64{analytics.Likes: 5, analytics.Shares: 2, analytics.Comments: 1, analytics.Quotes: 3} {
			got, ok := snap.Counters.Get(m)
			assert.True(t, ok, "metric %v", m)
			assert.Equal(t, want, got, "metric %v", m)
		}
		assert.False(t, snap.Counters.Has(analytics.Impressions))
	})
}

func TestSessions(t *testing.T) {
	fx := newFixture(t)
	_, err := fx.ad.Login(t.Context(), fx.srv.URL(), "alice.test", "wrong")
	require.ErrorIs(t, err, socialflow.ErrAuthExpired)
	var re *networks.ReauthRequiredError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "AuthenticationRequired", re.Reason)

	c, ok := fx.tok.Extra("did").(string)
	require.True(t, ok)
	assert.Equal(t, fx.did, c)
	assert.WithinDuration(t, time.Now().Add(blueskytest.AccessTTL-bluesky.RefreshMargin), fx.tok.Expiry, time.Minute)

	// An expired session: the adapter reports it, the Refresher renews it.
	fx.srv.ExpireSessions()
	_, err = fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "x", Marker: "s"})
	var ae *networks.AuthExpiredError
	require.ErrorAs(t, err, &ae)

	stale := *fx.tok
	stale.Expiry = time.Now().Add(-time.Minute)
	ts := fx.ad.Refresher(fx.srv.URL()).TokenSource(t.Context(), &stale)
	fresh, err := ts.Token()
	require.NoError(t, err)
	assert.NotEqual(t, fx.tok.AccessToken, fresh.AccessToken)
	assert.NotEqual(t, fx.tok.RefreshToken, fresh.RefreshToken, "rotated")
	fx.acct.Tokens = ts
	_, err = fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "x", Marker: "s"})
	require.NoError(t, err)

	// The old refresh token was rotated away: a person must log in again.
	_, err = fx.ad.Refresh(t.Context(), fx.srv.URL(), fx.tok)
	require.ErrorAs(t, err, &re)
	_, err = fx.ad.Refresh(t.Context(), fx.srv.URL(), &oauth2.Token{})
	require.ErrorAs(t, err, &re)
}

func TestAccountProblems(t *testing.T) {
	fx := newFixture(t)
	for _, tt := range []struct {
		name string
		acct networks.Account
		kind error
	}{
		{name: "no base url", acct: networks.Account{ID: "a", Tokens: fx.acct.Tokens}, kind: socialflow.ErrInvalid},
		{name: "no tokens", acct: networks.Account{ID: "a", BaseURL: fx.srv.URL()}, kind: socialflow.ErrInvalid},
		{name: "unreachable PDS", acct: networks.Account{ID: "a", BaseURL: "http://127.0.0.1:1", Tokens: fx.acct.Tokens}, kind: socialflow.ErrOutcomeUnknown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fx.ad.Publish(t.Context(), tt.acct, networks.Draft{Text: "x", Marker: "p"})
			require.ErrorIs(t, err, tt.kind)
		})
	}
	// A read against an unreachable PDS is transient.
	_, _, err := fx.ad.FindByMarker(t.Context(), networks.Account{ID: "a", BaseURL: "http://127.0.0.1:1", Tokens: fx.acct.Tokens}, "m")
	require.ErrorIs(t, err, socialflow.ErrTransient)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	before := len(fx.srv.Requests())
	_, err = fx.ad.Publish(ctx, fx.acct, networks.Draft{Text: "x", Marker: "c"})
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, fx.srv.Requests(), before, "nothing sent")
}

func TestNewOptions(t *testing.T) {
	_, err := bluesky.New(nil, bluesky.WithImageMaxSize(0))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = bluesky.New(nil, bluesky.WithAppView("ftp://x"))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = bluesky.New(nil, bluesky.WithClock(nil))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	a, err := bluesky.New(http.DefaultClient, bluesky.WithImageMaxSize(2_000_000))
	require.NoError(t, err)
	assert.Equal(t, int64(2_000_000), a.Spec().Media.Kinds[assets.KindImage].MaxSize)
	assert.Equal(t, a.Spec(), a.Spec())
	require.NoError(t, a.Spec().Validate())
}

func TestParseReset(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1795435200", time.Unix(1795435200, 0).UTC(), true},
		{"30", now.Add(30 * time.Second), true},
		{" 0 ", now, true},
		{"", time.Time{}, false},
		{"-5", time.Time{}, false},
		{"soon", time.Time{}, false},
	} {
		got, ok := bluesky.ParseReset(tt.in, now)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.True(t, tt.want.Equal(got), "%q: got %v want %v", tt.in, got, tt.want)
	}
}

func FuzzParseReset(f *testing.F) {
	for _, s := range []string{"1795435200", "30", "", "-1", "9999999999999999999", "1e3"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if r, ok := bluesky.ParseReset(s, now); ok && r.Before(time.Unix(0, 0)) {
			t.Fatalf("ParseReset(%q) = %v, before the epoch", s, r)
		}
	})
}
