package fakenet_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestFaults(t *testing.T) {
	for _, tt := range []struct {
		name      string
		fault     fakenet.Fault
		want      error
		published int
		took      time.Duration
	}{
		{"server error", fakenet.ServerError(), socialflow.ErrTransient, 0, 0},
		{"rate limited", fakenet.RateLimited(time.Minute), socialflow.ErrRateLimited, 0, 0},
		{"timeout", fakenet.Timeout(30 * time.Second), socialflow.ErrOutcomeUnknown, 0, 30 * time.Second},
		{"latency", fakenet.Latency(5 * time.Second), nil, 1, 5 * time.Second},
		{"expired token", fakenet.ExpiredToken(), socialflow.ErrAuthExpired, 0, 0},
		{"duplicate", fakenet.DuplicateContent(), socialflow.ErrDuplicate, 0, 0},
		{"rejected", fakenet.Rejected("spam"), socialflow.ErrRejected, 0, 0},
		{"lost response", fakenet.LostResponse(), socialflow.ErrOutcomeUnknown, 1, 0},
		{"processing", fakenet.Processing(time.Minute), nil, 1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{})
				fake.Script(tt.fault)
				start := time.Now()
				_, err := fake.Adapter().Publish(t.Context(), fake.Account(), networks.Draft{Text: "x", Marker: "m"})
				if tt.want == nil {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, tt.want)
				}
				assert.Equal(t, tt.took, time.Since(start))
				assert.Equal(t, tt.published, fake.Published("m"))
				assert.Equal(t, 1, fake.Attempts("m"))
				// The script is consumed: the next call succeeds.
				_, err = fake.Adapter().Publish(t.Context(), fake.Account(), networks.Draft{Text: "y", Marker: "m2"})
				if tt.fault.Kind == fakenet.KindExpiredToken {
					require.ErrorIs(t, err, socialflow.ErrAuthExpired, "the token really expired")
				} else {
					require.NoError(t, err)
				}
			})
		})
	}
}

func TestRateLimitFaultDetails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.RateLimitedUntil(15*time.Minute, networks.ScopeApp))
		_, err := fake.Adapter().Publish(t.Context(), fake.Account(), networks.Draft{Text: "x"})
		var rl *networks.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, networks.ScopeApp, rl.Scope)
		assert.Equal(t, 15*time.Minute, rl.Wait(time.Now()))
	})
}

func TestScriptTargetsOperation(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	fake.Script(fakenet.ServerError().On(networks.OpMetrics))
	a, acct := fake.Adapter(), fake.Account()
	r, err := a.Publish(t.Context(), acct, networks.Draft{Text: "x"})
	require.NoError(t, err, "a metrics fault does not hit a publish")
	_, err = a.Metrics(t.Context(), acct, r.ID)
	require.ErrorIs(t, err, socialflow.ErrTransient)
	_, err = a.Metrics(t.Context(), acct, r.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, fake.Calls(networks.OpMetrics))
}

func TestReadsNeverLoseOutcomes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		a, acct := fake.Adapter(), fake.Account()
		r, err := a.Publish(t.Context(), acct, networks.Draft{Text: "x"})
		require.NoError(t, err)
		fake.Script(fakenet.LostResponse(), fakenet.Timeout(time.Second))
		_, err = a.Metrics(t.Context(), acct, r.ID)
		require.ErrorIs(t, err, socialflow.ErrTransient)
		_, _, err = a.(networks.Finder).FindByMarker(t.Context(), acct, r.Marker)
		require.ErrorIs(t, err, socialflow.ErrTransient)
	})
}

func TestDuplicateContentAndIdempotentMarkers(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	a, acct := fake.Adapter(), fake.Account()
	r, err := a.Publish(t.Context(), acct, networks.Draft{Text: "same"})
	require.NoError(t, err)
	_, err = a.Publish(t.Context(), acct, networks.Draft{Text: "same"})
	var de *networks.DuplicateError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, r.ID, de.Existing)
	require.NoError(t, a.Delete(t.Context(), acct, r.ID))
	_, err = a.Publish(t.Context(), acct, networks.Draft{Text: "same"})
	require.NoError(t, err, "after deletion the text may be posted again")

	idem := fakenet.New(fakenet.Options{IdempotentMarkers: true, AllowDuplicateContent: true})
	a, acct = idem.Adapter(), idem.Account()
	r1, err := a.Publish(t.Context(), acct, networks.Draft{Text: "a", Marker: "k"})
	require.NoError(t, err)
	r2, err := a.Publish(t.Context(), acct, networks.Draft{Text: "a", Marker: "k"})
	require.NoError(t, err)
	assert.Equal(t, r1.ID, r2.ID)
	assert.Equal(t, 1, idem.Published("k"))
	assert.Equal(t, 2, idem.Attempts("k"))
}

func TestTokensExpireAndRotate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{TokenTTL: time.Hour})
		acct, tok := fake.Connect("ana")
		acct.Tokens = oauth2.StaticTokenSource(tok)
		a := fake.Adapter()
		_, err := a.Publish(t.Context(), acct, networks.Draft{Text: "1"})
		require.NoError(t, err)
		time.Sleep(time.Hour)
		_, err = a.Publish(t.Context(), acct, networks.Draft{Text: "2"})
		require.ErrorIs(t, err, socialflow.ErrAuthExpired)

		src := fake.Refresher().TokenSource(t.Context(), tok)
		fresh, err := src.Token()
		require.NoError(t, err)
		assert.NotEqual(t, tok.RefreshToken, fresh.RefreshToken, "refresh tokens rotate")
		acct.Tokens = oauth2.StaticTokenSource(fresh)
		_, err = a.Publish(t.Context(), acct, networks.Draft{Text: "2"})
		require.NoError(t, err)

		time.Sleep(2 * time.Hour)
		_, err = fake.Refresher().TokenSource(t.Context(), tok).Token()
		var re *oauth2.RetrieveError
		require.ErrorAs(t, err, &re, "the rotated-out refresh token no longer works")
		assert.Equal(t, "invalid_grant", re.ErrorCode)
		assert.Equal(t, 1, fake.Refreshes())
	})
}

func TestForeignOrUnknownTokens(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	a := fake.Adapter()
	_, err := a.Publish(t.Context(), networks.Account{ID: "x", Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "forged"})}, networks.Draft{Text: "x"})
	var ae *networks.AuthExpiredError
	require.ErrorAs(t, err, &ae, "an unknown token is a 401 of the network: refreshable")
	_, err = a.Publish(t.Context(), networks.Account{ID: "x"}, networks.Draft{Text: "x"})
	require.ErrorIs(t, err, socialflow.ErrInvalid, "an account without a token source is a set-up mistake")
	assert.Empty(t, fake.Posts())
}

func TestMetricsGrowWithVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		a, acct := fake.Adapter(), fake.Account()
		r, err := a.Publish(t.Context(), acct, networks.Draft{Text: "x"})
		require.NoError(t, err)
		var last int64 = -1
		for range 5 {
			s, err := a.Metrics(t.Context(), acct, r.ID)
			require.NoError(t, err)
			imp, ok := s.Counters.Get(analytics.Impressions)
			require.True(t, ok)
			assert.Greater(t, imp, last)
			likes, _ := s.Counters.Get(analytics.Likes)
			assert.LessOrEqual(t, likes, imp)
			assert.False(t, s.Counters.Has(analytics.Reach), "reach is absent, not zero")
			last = imp
			time.Sleep(10 * time.Minute)
		}
	})
}

func TestAsyncProcessingCompletesLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{ProcessingTime: 3 * time.Minute})
		a, acct := fake.Adapter(), fake.Account()
		r, err := a.Publish(t.Context(), acct, networks.Draft{Text: "video"})
		require.NoError(t, err)
		require.Equal(t, networks.StatusPending, r.Status)
		time.Sleep(time.Minute)
		r, err = a.Check(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPending, r.Status)
		assert.Equal(t, 2*time.Minute, r.CheckAfter)
		time.Sleep(2 * time.Minute)
		r, err = a.Check(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPublished, r.Status)
	})
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	run := func(seed uint64) []string {
		var out []string
		synctest.Test(t, func(t *testing.T) {
			fake := fakenet.New(fakenet.Options{Seed: seed, FaultRate: 0.5, AllowDuplicateContent: true})
			a, acct := fake.Adapter(), fake.Account()
			for i := range 40 {
				_, err := a.Publish(t.Context(), acct, networks.Draft{Text: "x", Marker: fmt.Sprint(i)})
				out = append(out, fmt.Sprintf("%T", err))
			}
		})
		return out
	}
	a, b, c := run(7), run(7), run(8)
	assert.Equal(t, a, b, "same seed, same faults")
	assert.NotEqual(t, a, c)
	assert.Contains(t, a, "<nil>")
	assert.Contains(t, a, "*networks.TransientError")
}

func TestEnforcesRateLimitsAndCountsViolations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		spec := fakenet.DefaultSpec()
		spec.Rate.PerAccount = networks.Window{Count: 2, Per: time.Minute}
		fake := fakenet.New(fakenet.Options{Spec: spec, AllowDuplicateContent: true})
		a, acct := fake.Adapter(), fake.Account()
		for range 2 {
			r, err := a.Publish(t.Context(), acct, networks.Draft{Text: "x"})
			require.NoError(t, err)
			require.Len(t, r.Quotas, 1)
		}
		_, err := a.Publish(t.Context(), acct, networks.Draft{Text: "x"})
		var rl *networks.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, time.Minute, rl.Wait(time.Now()))
		assert.Equal(t, 1, fake.Violations())
		time.Sleep(time.Minute)
		_, err = a.Publish(t.Context(), acct, networks.Draft{Text: "x"})
		require.NoError(t, err, "the window slid")
	})
}

func TestCanceledContextDuringLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{Latency: time.Minute})
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		_, err := fake.Adapter().Publish(ctx, fake.Account(), networks.Draft{Text: "x"})
		require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown, "a write in flight has an unknown outcome")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		_, err = fake.Adapter().Metrics(ctx, fake.Account(), "fake-1")
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestFaultTimes(t *testing.T) {
	assert.Len(t, fakenet.ServerError().Times(3), 3)
	assert.Empty(t, fakenet.ServerError().Times(-1))
	assert.Equal(t, fakenet.Network, fakenet.New(fakenet.Options{FaultRate: 7}).Spec().Network)
	assert.Len(t, fakenet.New(fakenet.Options{}).Timeline(), 0)
}

func TestFaultsAreCounted(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	fake.Script(fakenet.ServerError(), fakenet.ServerError(), fakenet.Rejected("no"))
	for range 4 {
		_, _ = fake.Adapter().Publish(t.Context(), fake.Account(), networks.Draft{Text: "x"})
	}
	assert.Equal(t, map[fakenet.Kind]int{fakenet.KindServerError: 2, fakenet.KindRejected: 1}, fake.Faults())
}

func TestConnectIsReadyToPublish(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Hour} {
		t.Run(ttl.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{TokenTTL: ttl})
				acct, _ := fake.Connect("ana")
				require.NotNil(t, acct.Tokens, "no token source to add by hand")
				p, err := networks.NewPublisher(fake.Adapter())
				require.NoError(t, err)
				_, err = p.Publish(t.Context(), acct, networks.Draft{Text: "first"})
				require.NoError(t, err)
				time.Sleep(3 * time.Hour) // past any expiry: the source refreshes itself
				_, err = fake.Adapter().Publish(t.Context(), acct, networks.Draft{Text: "second", Marker: "m2"})
				require.NoError(t, err)
				assert.Len(t, fake.Posts(), 2)
				assert.NotContains(t, fmt.Sprintf("%v %+v %#v", acct, acct, acct), "fake-access")
			})
		})
	}
}

func TestFakeValuesNeverPrintTokens(t *testing.T) {
	fake := fakenet.New(fakenet.Options{TokenTTL: time.Hour})
	acct, tok := fake.Connect("ana")
	secrets := []string{tok.AccessToken, tok.RefreshToken}
	for name, v := range map[string]any{
		"*Net":                fake,
		"Connect's account":   acct,
		"its token source":    acct.Tokens,
		"the Refresher":       fake.Refresher(),
		"a refreshing source": fake.Refresher().TokenSource(t.Context(), tok),
		"the adapter":         fake.Adapter(),
	} {
		t.Run(name, func(t *testing.T) { networktest.AssertNoSecret(t, v, secrets...) })
	}
}
