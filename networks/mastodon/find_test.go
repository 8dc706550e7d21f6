package mastodon_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
	"github.com/socialflow/socialflow/networks/text"
)

// servers are the fake's two behaviours, Mastodon and GoToSocial.
var servers = []struct {
	name string
	opts []mastodontest.Option
}{
	{"mastodon", nil},
	{"gotosocial", []mastodontest.Option{mastodontest.WithGoToSocial()}},
}

// instanceFixture is a fixture whose adapter comes from NewForInstance.
func instanceFixture(t *testing.T, srvOpts []mastodontest.Option, opts ...mastodon.Option) *fixture {
	t.Helper()
	srv := mastodontest.NewServer(srvOpts...)
	t.Cleanup(srv.Close)
	ad, err := mastodon.NewForInstance(t.Context(), srv.Client(), srv.URL(), opts...)
	require.NoError(t, err)
	tok := srv.IssueToken(mastodon.Scopes...)
	return &fixture{srv: srv, ad: ad, tok: tok, acct: networks.Account{ID: "m1", Network: mastodon.Network, BaseURL: srv.URL(),
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})}}
}

func TestSpecComesFromTheInstance(t *testing.T) {
	tests := []struct {
		name     string
		opts     []mastodontest.Option
		software mastodon.Software
		method   text.Method
		max      int
		items    int
	}{
		{"mastodon", nil, mastodon.SoftwareMastodon, text.Mastodon, 500, 4},
		{"gotosocial", []mastodontest.Option{mastodontest.WithGoToSocial()}, mastodon.SoftwareGoToSocial, text.CodePoints, 5000 - 18, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mastodontest.NewServer(tt.opts...)
			defer srv.Close()
			in, err := mastodon.FetchInstance(t.Context(), srv.Client(), srv.URL())
			require.NoError(t, err)
			assert.Equal(t, tt.software, in.Software)
			ad, err := mastodon.NewForInstance(t.Context(), srv.Client(), srv.URL())
			require.NoError(t, err)
			sp := ad.Spec()
			assert.Equal(t, tt.method, sp.Text.Method)
			assert.Equal(t, tt.max, sp.Text.MaxLength)
			assert.Equal(t, tt.items, sp.Media.MaxItems)
			require.NoError(t, sp.Validate())
		})
	}
}

func TestFetchInstanceFallsBackToV1(t *testing.T) {
	tests := []struct {
		name, body string
		max        int
		software   mastodon.Software
	}{
		{"v1 configuration", `{"version":"3.5.3","configuration":{"statuses":{"max_characters":1000}}}`, 1000, mastodon.SoftwareMastodon},
		{"max_toot_chars", `{"version":"2.7.0","max_toot_chars":700}`, 700, mastodon.SoftwareMastodon},
		{"gotosocial version", `{"version":"3.5.3+gotosocial-0.10","configuration":{"statuses":{"max_characters":5000}}}`, 5000, mastodon.SoftwareGoToSocial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				paths = append(paths, r.URL.Path)
				if r.URL.Path != "/api/v1/instance" {
					http.Error(w, `{"error":"Not Found"}`, http.StatusNotFound)
					return
				}
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			in, err := mastodon.FetchInstance(t.Context(), srv.Client(), srv.URL)
			require.NoError(t, err)
			assert.Equal(t, []string{"/api/v2/instance", "/api/v1/instance"}, paths)
			assert.Equal(t, tt.max, in.Configuration.Statuses.MaxCharacters)
			assert.Equal(t, tt.software, in.Software)
		})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
	}))
	defer srv.Close()
	_, err := mastodon.FetchInstance(t.Context(), srv.Client(), srv.URL)
	require.ErrorIs(t, err, socialflow.ErrTransient, "a 5xx on v2 is not a reason to read v1")
	_, err = mastodon.New(nil, mastodon.WithInstance(mastodon.Instance{Software: "pleroma"}))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestMarkerTagIsInvisibleAndFree(t *testing.T) {
	tag := mastodon.MarkerTag("m-1")
	assert.Equal(t, tag, mastodon.MarkerTag("m-1"))
	assert.NotEqual(t, tag, mastodon.MarkerTag("m-2"))
	assert.Equal(t, 18, len([]rune(tag)))
	for _, r := range tag {
		assert.True(t, r >= 0xE0020 && r <= 0xE007E, "U+%X is a tag character", r)
	}
	tests := []struct{ name, text, want string }{
		{"plain", "hello", "hello" + tag},
		{"trailing newline", "hello\n\n", "hello" + tag + "\n\n"},
		{"emoji", "hi 👋🏽", "hi 👋🏽" + tag},
		{"empty with media", "", tag},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			d := networks.Draft{Text: tt.text, Marker: "m-1"}
			if tt.text == "" {
				d.Media = []networks.MediaItem{item("image/png", []byte("\x89PNG"), "")}
			}
			_, err := fx.ad.Publish(t.Context(), fx.acct, d)
			require.NoError(t, err)
			sts := fx.srv.Statuses()
			require.Len(t, sts, 1, "case %d", i)
			assert.Equal(t, tt.want, sts[0].Text)
			if tt.text != "" {
				n, err := text.Count(text.Mastodon, sts[0].Text)
				require.NoError(t, err)
				m, _ := text.Count(text.Mastodon, tt.text)
				assert.Equal(t, m, n, "the tag adds no character on Mastodon")
			}
		})
	}
	// A status of exactly the instance's limit still fits with its tag.
	fx := newFixture(t)
	_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: strings.Repeat("é", 500), Marker: "full"})
	require.NoError(t, err)
}

func TestFindByMarker(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			fx := instanceFixture(t, append(s.opts, mastodontest.WithClock(clock)), mastodon.WithClock(clock))
			r, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "find me", Thread: []string{"and me"}, Marker: "fm-1"})
			require.NoError(t, err)
			got, ok, err := fx.ad.FindByMarker(t.Context(), fx.acct, "fm-1")
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, r.ID, got.ID)
			assert.Equal(t, r.URL, got.URL)
			assert.Equal(t, "fm-1", got.Marker)
			assert.Equal(t, networks.StatusPublished, got.Status)

			// Pages of 40 back: a root under 90 newer statuses is found.
			for i := range 90 {
				_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "filler", Marker: "f" + string(rune('a'+i%26)) + strings.Repeat("x", i)})
				require.NoError(t, err)
			}
			got, ok, err = fx.ad.FindByMarker(t.Context(), fx.acct, "fm-1")
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, r.ID, got.ID)

			_, ok, err = fx.ad.FindByMarker(t.Context(), fx.acct, "never-used")
			require.NoError(t, err)
			assert.False(t, ok, "the list ended: a definite not found")

			_, _, err = fx.ad.FindByMarker(t.Context(), fx.acct, "")
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			noScope := fx.acct
			noScope.Tokens = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fx.srv.IssueToken("write:statuses", "read:statuses")})
			_, _, err = fx.ad.FindByMarker(t.Context(), noScope, "fm-1")
			require.ErrorIs(t, err, socialflow.ErrRejected, "a token without read:accounts cannot say")
		})
	}
}

func TestFindByMarkerWindow(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	fx := instanceFixture(t, []mastodontest.Option{mastodontest.WithGoToSocial(), mastodontest.WithClock(clock)},
		mastodon.WithClock(clock), mastodon.WithFindWindow(time.Hour))
	_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "old", Marker: "old"})
	require.NoError(t, err)
	now = now.Add(2 * time.Hour)
	for i := range mastodon.FindPages * 40 {
		_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "new", Marker: "n" + strings.Repeat("y", i)})
		require.NoError(t, err)
	}
	_, _, err = fx.ad.FindByMarker(t.Context(), fx.acct, "missing")
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown, "every page read lies inside the window: it cannot say")
	var ou *networks.OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, networks.OpFind, ou.Op)

	// One more status past the pages' reach is older than the window: a definite answer.
	fx2 := instanceFixture(t, []mastodontest.Option{mastodontest.WithClock(clock)}, mastodon.WithClock(clock), mastodon.WithFindWindow(time.Hour))
	_, err = fx2.ad.Publish(t.Context(), fx2.acct, networks.Draft{Text: "old", Marker: "old"})
	require.NoError(t, err)
	now = now.Add(2 * time.Hour)
	for i := range 45 {
		_, err := fx2.ad.Publish(t.Context(), fx2.acct, networks.Draft{Text: "new", Marker: "n" + strings.Repeat("y", i)})
		require.NoError(t, err)
	}
	_, ok, err := fx2.ad.FindByMarker(t.Context(), fx2.acct, "missing")
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = mastodon.New(nil, mastodon.WithFindWindow(0))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestGoToSocialIgnoresIdempotencyKey(t *testing.T) {
	fx := instanceFixture(t, []mastodontest.Option{mastodontest.WithGoToSocial()})
	d := networks.Draft{Text: "once", Marker: "g-1"}
	_, err := fx.ad.Publish(t.Context(), fx.acct, d)
	require.NoError(t, err)

	// The answer is lost: an unknown outcome, and net/http does not replay
	// the POST (no Idempotency-Key is sent to GoToSocial).
	fx.srv.Script(mastodontest.Fault{Lost: true})
	_, err = fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "lost", Marker: "g-2"})
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
	assert.Len(t, fx.srv.Statuses(), 2, "posted once")

	// The Publisher resolves it through the Finder and posts nothing twice.
	p, err := networks.NewPublisher(fx.ad)
	require.NoError(t, err)
	r, ok, err := p.Find(t.Context(), fx.acct, "g-2")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, fx.srv.Statuses()[1].ID, string(r.ID))
}

func TestGoToSocialLimitsAndErrors(t *testing.T) {
	fx := instanceFixture(t, []mastodontest.Option{mastodontest.WithGoToSocial()})
	max := fx.ad.Spec().Text.MaxLength
	url := "https://example.com/" + strings.Repeat("p", 100)
	// URLs count in full: a text Mastodon would count as 23 + n is refused at its full length.
	_, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: url + strings.Repeat("a", max-len(url)+1), Marker: "long"})
	var v *networks.Violation
	require.ErrorAs(t, err, &v)
	assert.Equal(t, int64(max), v.Limit)
	_, err = fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: url + strings.Repeat("a", max-len(url)), Marker: "fits"})
	require.NoError(t, err, "exactly the limit, with the marker tag, fits")

	// The content warning counts with the text.
	cw, err := mastodon.New(fx.srv.Client(), mastodon.WithInstance(mastodon.Instance{Software: mastodon.SoftwareGoToSocial, Configuration: fx.srv.Configuration()}),
		mastodon.WithPostOptions(mastodon.PostOptions{SpoilerText: "cw"}))
	require.NoError(t, err)
	_, err = cw.Publish(t.Context(), fx.acct, networks.Draft{Text: strings.Repeat("a", max-1), Marker: "cw"})
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "text", v.Field)

	// A stock Mastodon adapter (URLs as 23, no room for the tag) against
	// GoToSocial: the server's 400 is a rejection.
	stock, err := mastodon.New(fx.srv.Client(), mastodon.WithConfiguration(fx.srv.Configuration()))
	require.NoError(t, err)
	_, err = stock.Publish(t.Context(), fx.acct, networks.Draft{Text: url + strings.Repeat("a", 5000-len(url)), Marker: "stock"})
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "400", re.Code)
	assert.Contains(t, re.Reason, "text with spoiler exceed max chars (5000)")
	fx.srv.Script(mastodontest.Fault{Status: 429, Error: "rate limit reached", Reset: time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)})
	_, err = fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "x", Marker: "rl"})
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC), rl.Reset.UTC(), "ISO reset with milliseconds, no Retry-After")
	assert.Zero(t, rl.RetryAfter)
	var ae *mastodon.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "Too Many Requests: rate limit reached", ae.Message)
}
