package mastodon_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
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
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
)

type fixture struct {
	srv  *mastodontest.Server
	ad   *mastodon.Adapter
	acct networks.Account
	tok  string
}

func newFixture(t testing.TB, opts ...mastodon.Option) *fixture {
	t.Helper()
	srv := mastodontest.NewServer()
	t.Cleanup(srv.Close)
	cfg, err := mastodon.FetchConfiguration(t.Context(), srv.Client(), srv.URL())
	require.NoError(t, err)
	ad, err := mastodon.New(srv.Client(), append([]mastodon.Option{mastodon.WithConfiguration(cfg)}, opts...)...)
	require.NoError(t, err)
	tok := srv.IssueToken(mastodon.Scopes...)
	return &fixture{srv: srv, ad: ad, tok: tok, acct: networks.Account{ID: "m1", Network: mastodon.Network, BaseURL: srv.URL(),
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})}}
}

func item(mime string, data []byte, alt string) networks.MediaItem {
	kind := assets.KindImage
	if strings.HasPrefix(mime, "video/") {
		kind = assets.KindVideo
	}
	return networks.MediaItem{Media: assets.Media{Kind: kind, MIME: mime, Size: int64(len(data)), Width: 10, Height: 10},
		Alt: alt, Open: func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

func TestPublishThreadWithImageAndOptions(t *testing.T) {
	fx := newFixture(t, mastodon.WithPostOptions(mastodon.PostOptions{Visibility: mastodon.Unlisted, SpoilerText: "cw: test", Language: "en"}))
	d := networks.Draft{Text: "root https://example.com", Thread: []string{"two", "three"}, Marker: "k1",
		Media: []networks.MediaItem{item("image/png", []byte("\x89PNG fake"), "alt text")}}
	r, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	assert.Equal(t, fx.srv.URL()+"/@user/"+string(r.ID), r.URL)
	require.NotEmpty(t, r.Quotas)
	assert.Equal(t, mastodontest.RateLimit, r.Quotas[0].Limit)
	assert.False(t, r.Quotas[0].Reset.IsZero(), "ISO 8601 reset parsed")

	sts := fx.srv.Statuses()
	require.Len(t, sts, 3)
	assert.Equal(t, "unlisted", sts[0].Visibility)
	assert.Equal(t, "cw: test", sts[0].SpoilerText)
	assert.Equal(t, "en", sts[0].Language)
	require.Len(t, sts[0].MediaIDs, 1)
	m, ok := fx.srv.Media(sts[0].MediaIDs[0])
	require.True(t, ok)
	assert.Equal(t, "alt text", m.Description)
	assert.Equal(t, sts[0].ID, sts[1].InReplyToID)
	assert.Equal(t, sts[1].ID, sts[2].InReplyToID)

	// Same marker again: the idempotency keys return the same statuses.
	r2, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)
	assert.Equal(t, r.ID, r2.ID)
	assert.Len(t, fx.srv.Statuses(), 3)
}

func TestVideoIsPendingUntilProcessed(t *testing.T) {
	fx := newFixture(t)
	d := networks.Draft{Text: "a video", Thread: []string{"reply"}, Marker: "v1", Media: []networks.MediaItem{item("video/mp4", []byte("mp4 bytes"), "clip")}}
	r, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status)
	assert.Equal(t, mastodon.DefaultCheckAfter, r.CheckAfter)
	assert.Empty(t, fx.srv.Statuses(), "nothing posted while the media processes")

	r, err = fx.ad.Check(t.Context(), fx.acct, r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPending, r.Status, "GET /api/v1/media/:id answered 206")

	fx.srv.FinishProcessing()
	pub, err := fx.ad.Check(t.Context(), fx.acct, r)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, pub.Status)
	sts := fx.srv.Statuses()
	require.Len(t, sts, 2)
	assert.Equal(t, string(pub.ID), sts[0].ID)
	assert.Len(t, sts[0].MediaIDs, 1)

	// Checking the pending receipt again (another worker) posts nothing twice.
	again, err := fx.ad.Check(t.Context(), fx.acct, r)
	require.NoError(t, err)
	assert.Equal(t, pub.ID, again.ID)
	assert.Len(t, fx.srv.Statuses(), 2)
	same, err := fx.ad.Check(t.Context(), fx.acct, pub)
	require.NoError(t, err)
	assert.Equal(t, pub, same)

	_, err = fx.ad.Check(t.Context(), fx.acct, networks.Receipt{Status: networks.StatusPending, ID: "pending:%%%"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestPoll(t *testing.T) {
	fx := newFixture(t)
	_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "pick", Marker: "p",
		Poll: &networks.Poll{Options: []string{"a", "b"}, Duration: time.Hour}})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, fx.srv.Statuses()[0].PollOptions)
}

func TestServerErrors(t *testing.T) {
	reset := time.Date(2030, 1, 2, 3, 4, 5, 19685000, time.UTC)
	for _, tt := range []struct {
		name  string
		fault mastodontest.Fault
		kind  error
		check func(t *testing.T, err error)
	}{
		{name: "401 revoked", fault: mastodontest.Fault{Status: 401, Error: "The access token is invalid"}, kind: socialflow.ErrAuthExpired, check: func(t *testing.T, err error) {
			var ae *networks.AuthExpiredError
			require.ErrorAs(t, err, &ae, "a 401 of the API is refreshable (the Publisher reloads the store)")
		}},
		{name: "403", fault: mastodontest.Fault{Status: 403, Error: "Your login is currently disabled"}, kind: socialflow.ErrRejected},
		{name: "422", fault: mastodontest.Fault{Status: 422, Error: "Validation failed: Text character limit of 500 exceeded"}, kind: socialflow.ErrRejected, check: func(t *testing.T, err error) {
			var re *networks.RejectedError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "422", re.Code)
			assert.Equal(t, "Validation failed: Text character limit of 500 exceeded", re.Reason)
		}},
		{name: "429", fault: mastodontest.Fault{Status: 429, Error: "Too many requests", Reset: reset}, kind: socialflow.ErrRateLimited, check: func(t *testing.T, err error) {
			var rl *networks.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.True(t, reset.Equal(rl.Reset), "got %v", rl.Reset)
		}},
		{name: "500", fault: mastodontest.Fault{Status: 500, Error: "oops"}, kind: socialflow.ErrTransient},
		{name: "502", fault: mastodontest.Fault{Status: 502}, kind: socialflow.ErrTransient},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.srv.Script(tt.fault)
			_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "hi", Marker: "e"})
			require.ErrorIs(t, err, tt.kind)
			assert.NotContains(t, err.Error(), fx.tok)
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

// net/http retries a request whose reused connection closed before any
// answer when it carries an Idempotency-Key header; the server's key then
// returns the status it created, so a lost answer costs nothing. (On a fresh
// connection the loss is an unknown outcome: see the conformance case
// LostResponseIsOutcomeUnknown.)
func TestLostAnswerOnReusedConnectionIsRetriedSafely(t *testing.T) {
	fx := newFixture(t) // FetchConfiguration left an idle connection
	fx.srv.Script(mastodontest.Fault{Lost: true})
	r, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "hi", Marker: "lost"})
	require.NoError(t, err)
	sts := fx.srv.Statuses()
	require.Len(t, sts, 1, "posted once")
	assert.Equal(t, sts[0].ID, string(r.ID))
}

func TestRevokedTokenAndScopes(t *testing.T) {
	fx := newFixture(t)
	fx.srv.Revoke(fx.tok)
	_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "hi", Marker: "r"})
	var ae *networks.AuthExpiredError
	require.ErrorAs(t, err, &ae)

	readOnly := fx.srv.IssueToken("read:statuses")
	fx.acct.Tokens = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: readOnly})
	_, err = fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "hi", Marker: "r"})
	require.ErrorIs(t, err, socialflow.ErrRejected, "403 outside the authorized scopes")
}

func TestThreadFailingMidway(t *testing.T) {
	fx := newFixture(t)
	d := networks.Draft{Text: "one", Thread: []string{"two", "three"}, Marker: "tm"}
	fx.srv.Script(mastodontest.Fault{}, mastodontest.Fault{Status: 503})
	r, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.ErrorIs(t, err, socialflow.ErrTransient)
	var te *mastodon.ThreadError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Failed)
	assert.Equal(t, []networks.RemoteID{r.ID}, te.Published)
	// Retrying with the same marker resumes: the root comes back by its key.
	r2, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)
	assert.Equal(t, r.ID, r2.ID)
	assert.Len(t, fx.srv.Statuses(), 3)
}

func TestInstanceLimits(t *testing.T) {
	var cfg networks.MastodonConfiguration
	cfg.Statuses.MaxCharacters = 20
	srv := mastodontest.NewServer(mastodontest.WithConfiguration(cfg))
	defer srv.Close()
	got, err := mastodon.FetchConfiguration(t.Context(), srv.Client(), srv.URL())
	require.NoError(t, err)
	assert.Equal(t, 20, got.Statuses.MaxCharacters)
	ad, err := mastodon.New(srv.Client(), mastodon.WithConfiguration(got))
	require.NoError(t, err)
	assert.Equal(t, 20, ad.Spec().Text.MaxLength)
	acct := networks.Account{ID: "x", BaseURL: srv.URL(), Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.IssueToken(mastodon.Scopes...)})}
	_, err = ad.Publish(t.Context(), acct, networks.Draft{Text: strings.Repeat("a", 21), Marker: "l"})
	var v *networks.Violation
	require.ErrorAs(t, err, &v)
	assert.Equal(t, int64(20), v.Limit)
	assert.Empty(t, srv.Statuses())

	// A stock adapter against this small instance: the server's 422 is a rejection.
	stock, err := mastodon.New(srv.Client())
	require.NoError(t, err)
	_, err = stock.Publish(t.Context(), acct, networks.Draft{Text: strings.Repeat("a", 21), Marker: "l"})
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, re.Reason, "character limit")

	_, err = mastodon.FetchConfiguration(t.Context(), nil, "http://127.0.0.1:1")
	require.ErrorIs(t, err, socialflow.ErrTransient, "an unreachable instance")
}

func TestMetricsAndDelete(t *testing.T) {
	fx := newFixture(t)
	r, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "m", Marker: "m"})
	require.NoError(t, err)
	fx.srv.SetCounts(string(r.ID), 1, 2, 3, 4)
	snap, err := fx.ad.Metrics(t.Context(), fx.acct, r.ID)
	require.NoError(t, err)
	for m, want := range map[analytics.Metric]int64{analytics.Comments: 1, analytics.Shares: 2, analytics.Likes: 3, analytics.Quotes: 4} {
		got, ok := snap.Counters.Get(m)
		assert.True(t, ok)
		assert.Equal(t, want, got, "%v", m)
	}
	assert.False(t, snap.Counters.Has(analytics.Impressions))
	require.NoError(t, fx.ad.Delete(t.Context(), fx.acct, r.ID))
	require.ErrorIs(t, fx.ad.Delete(t.Context(), fx.acct, r.ID), socialflow.ErrNotFound)
	_, err = fx.ad.Metrics(t.Context(), fx.acct, r.ID)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	require.ErrorIs(t, fx.ad.Delete(t.Context(), fx.acct, "../x"), socialflow.ErrNotFound)
}

func TestOAuth(t *testing.T) {
	fx := newFixture(t)
	app, err := fx.ad.RegisterApp(t.Context(), fx.srv.URL(), "socialflow", "urn:ietf:wg:oauth:2.0:oob", "")
	require.NoError(t, err)
	require.NotEmpty(t, app.ClientID)
	cfg := mastodon.OAuthConfig(fx.srv.URL(), app, "urn:ietf:wg:oauth:2.0:oob")
	assert.Equal(t, []string{"write:statuses", "write:media", "read:statuses", "read:accounts", "read:notifications"}, cfg.Scopes)
	assert.Contains(t, cfg.AuthCodeURL("state"), fx.srv.URL()+"/oauth/authorize?")
	code := fx.srv.Authorize(app.ClientID, mastodon.Scopes...)
	tok, err := fx.ad.Exchange(t.Context(), cfg, code)
	require.NoError(t, err)
	acct := fx.acct
	acct.Tokens = cfg.TokenSource(t.Context(), tok)
	_, err = fx.ad.Publish(t.Context(), acct, networks.Draft{Text: "via oauth", Marker: "o"})
	require.NoError(t, err)

	_, err = fx.ad.Exchange(t.Context(), cfg, code) // a code works once
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusBadRequest, re.Response.StatusCode)
}

func TestOptionsAndAccounts(t *testing.T) {
	_, err := mastodon.New(nil, mastodon.WithPostOptions(mastodon.PostOptions{Visibility: "secret"}))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = mastodon.New(nil, mastodon.WithCheckAfter(0))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = mastodon.New(nil, mastodon.WithClock(nil))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	fx := newFixture(t)
	_, err = fx.ad.PublishWith(t.Context(), fx.acct, networks.Draft{Text: "x"}, mastodon.PostOptions{Visibility: "nope"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = fx.ad.Publish(t.Context(), networks.Account{BaseURL: "ftp://x", Tokens: fx.acct.Tokens}, networks.Draft{Text: "x"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = fx.ad.Publish(t.Context(), networks.Account{BaseURL: fx.srv.URL()}, networks.Draft{Text: "x"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = fx.ad.Publish(t.Context(), networks.Account{BaseURL: "http://127.0.0.1:1", Tokens: fx.acct.Tokens}, networks.Draft{Text: "x", Marker: "u"})
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown, "an unreachable instance after sending")
	assert.Equal(t, "k", mastodon.IdempotencyKey("k", 0))
	assert.Equal(t, "k/2", mastodon.IdempotencyKey("k", 2))
}

func TestParseQuotas(t *testing.T) {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "300")
	h.Set("X-RateLimit-Remaining", "299")
	h.Set("X-RateLimit-Reset", "2020-09-08T13:25:00.019685Z")
	q := mastodon.ParseQuotas(h)
	require.Len(t, q, 1)
	assert.Equal(t, networks.Quota{Scope: networks.ScopeAccount, Limit: 300, Remaining: 299,
		Reset: time.Date(2020, 9, 8, 13, 25, 0, 19685000, time.UTC)}, q[0])
	h.Set("X-RateLimit-Reset", "1599571500")
	assert.Nil(t, mastodon.ParseQuotas(h), "Mastodon's reset is an ISO time, not Unix seconds")
	assert.Nil(t, mastodon.ParseQuotas(http.Header{}))
}

func FuzzParseQuotas(f *testing.F) {
	f.Add("300", "12", "2020-09-08T13:25:00.019685Z")
	f.Add("-1", "x", "")
	f.Fuzz(func(t *testing.T, lim, rem, reset string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", lim)
		h.Set("X-RateLimit-Remaining", rem)
		h.Set("X-RateLimit-Reset", reset)
		for _, q := range mastodon.ParseQuotas(h) {
			if q.Limit < 0 || q.Remaining < 0 || q.Reset.IsZero() {
				t.Fatalf("bad quota %+v", q)
			}
		}
	})
}

func TestAppNeverShowsItsSecret(t *testing.T) {
	app := mastodon.App{ClientID: "cid", ClientSecret: "s3cr3t-value"}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("registered", "app", app)
	for _, out := range []string{fmt.Sprint(app), fmt.Sprintf("%v %+v %#v %s", app, app, app, app), logs.String()} {
		if strings.Contains(out, "s3cr3t") {
			t.Fatalf("secret leaked: %s", out)
		}
	}
}
