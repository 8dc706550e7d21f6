package networks_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

var hello = networks.Draft{Text: "hello from socialflow"}

func newPublisher(t *testing.T, a networks.Adapter, opts ...networks.Option) *networks.Publisher {
	t.Helper()
	p, err := networks.NewPublisher(a, opts...)
	require.NoError(t, err)
	return p
}

func TestPublisherWaitsForRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.RateLimited(30 * time.Second))
		p := newPublisher(t, fake.Adapter())
		start := time.Now()
		r, err := p.Publish(t.Context(), fake.Account(), hello)
		require.NoError(t, err)
		assert.Equal(t, 30*time.Second, time.Since(start)) // exact: bubble time is virtual
		assert.Equal(t, 2, r.Attempts)
		assert.Equal(t, networks.StatusPublished, r.Status)
		assert.Equal(t, 1, fake.Published(r.Marker))
	})
}

func TestPublisherHonoursResetForTheWholeApp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.RateLimitedUntil(5*time.Minute, networks.ScopeApp))
		p := newPublisher(t, fake.Adapter())
		a1, a2 := fake.Account(), fake.ConnectToken("acct-2", &oauth2.Token{AccessToken: "t2"})
		start := time.Now()
		_, err := p.Publish(t.Context(), a1, hello)
		require.NoError(t, err)
		assert.Equal(t, 5*time.Minute, time.Since(start))
		_, err = p.Publish(t.Context(), a2, hello)
		require.NoError(t, err)
		assert.Equal(t, 0, fake.Violations())
	})
}

func TestPublisherRetries(t *testing.T) {
	for _, tt := range []struct {
		name      string
		faults    []fakenet.Fault
		wantKind  error
		attempts  int // publish calls the network saw
		published int
	}{
		{name: "server errors then success", faults: fakenet.ServerError().Times(2), attempts: 3, published: 1},
		{name: "rejection is not retried", faults: []fakenet.Fault{fakenet.Rejected("policy")}, wantKind: socialflow.ErrRejected, attempts: 1},
		{name: "duplicate is not retried", faults: []fakenet.Fault{fakenet.DuplicateContent()}, wantKind: socialflow.ErrDuplicate, attempts: 1},
		{name: "retries run out", faults: fakenet.ServerError().Times(10), wantKind: socialflow.ErrTransient, attempts: 4},
		{name: "lost response is found, not reposted", faults: []fakenet.Fault{fakenet.LostResponse()}, attempts: 1, published: 1},
		{name: "timeout then not found is posted once", faults: []fakenet.Fault{fakenet.Timeout(time.Minute)}, attempts: 2, published: 1},
		{name: "expired static token", faults: []fakenet.Fault{fakenet.ExpiredToken()}, wantKind: socialflow.ErrAuthExpired, attempts: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{})
				fake.Script(tt.faults...)
				var hooks atomic.Int32
				p := newPublisher(t, fake.Adapter(), networks.WithMaxAttempts(4),
					networks.WithAttemptHook(func(networks.Attempt) { hooks.Add(1) }))
				d := hello
				d.Marker = "m-1"
				r, err := p.Publish(t.Context(), fake.Account(), d)
				if tt.wantKind != nil {
					require.ErrorIs(t, err, tt.wantKind)
				} else {
					require.NoError(t, err)
					assert.Equal(t, "m-1", r.Marker)
				}
				assert.Equal(t, tt.attempts, fake.Attempts("m-1"))
				assert.Equal(t, tt.published, fake.Published("m-1"))
				assert.GreaterOrEqual(t, int(hooks.Load()), tt.attempts)
			})
		})
	}
}

func TestPublisherUnknownOutcomeWithoutFinder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.LostResponse())
		p := newPublisher(t, fake.AdapterWithoutFinder())
		d := hello
		d.Marker = "m-lost"
		_, err := p.Publish(t.Context(), fake.Account(), d)
		require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
		var ou *networks.OutcomeUnknownError
		require.ErrorAs(t, err, &ou)
		assert.Equal(t, "m-lost", ou.Marker)
		assert.Equal(t, 1, fake.Attempts("m-lost"), "never retried blindly")
		assert.Equal(t, 1, fake.Published("m-lost"))
	})
}

func TestPublisherFinderFailureKeepsOutcomeUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.LostResponse().On(networks.OpPublish))
		fake.Script(fakenet.ServerError().On(networks.OpFind).Times(10)...)
		p := newPublisher(t, fake.Adapter(), networks.WithMaxAttempts(3))
		d := hello
		d.Marker = "m-x"
		_, err := p.Publish(t.Context(), fake.Account(), d)
		require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
		assert.Equal(t, 1, fake.Attempts("m-x"))
	})
}

func TestPublisherAsyncProcessing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.Processing(2 * time.Minute))
		p := newPublisher(t, fake.Adapter())
		acct := fake.Account()
		r, err := p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)
		require.Equal(t, networks.StatusPending, r.Status)
		assert.Equal(t, 2*time.Minute, r.CheckAfter)

		r, err = p.Check(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPending, r.Status)

		time.Sleep(2 * time.Minute) // virtual
		r, err = p.Check(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPublished, r.Status)
	})
}

func TestPublisherDeleteAndMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		p := newPublisher(t, fake.Adapter())
		acct := fake.Account()
		r, err := p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)
		time.Sleep(time.Hour)
		fake.Script(fakenet.ServerError().On(networks.OpMetrics))
		s1, err := p.Metrics(t.Context(), acct, r.ID)
		require.NoError(t, err)
		time.Sleep(time.Hour)
		s2, err := p.Metrics(t.Context(), acct, r.ID)
		require.NoError(t, err)
		i1, _ := s1.Counters.Get(0)
		i2, ok := s2.Counters.Get(0)
		require.True(t, ok)
		assert.Greater(t, i2, i1, "metrics grow with time")
		_, ok = s2.Counters.Get(1)
		assert.False(t, ok, "reach is absent, not zero")

		require.NoError(t, p.Delete(t.Context(), acct, r.ID))
		require.ErrorIs(t, p.Delete(t.Context(), acct, r.ID), socialflow.ErrNotFound)
	})
}

// recordingStore records what was saved and checks it was saved before use.
type recordingStore struct {
	networks.MemTokenStore
	mu    sync.Mutex
	saved []oauth2.Token
}

func (s *recordingStore) Save(ctx context.Context, id string, t *oauth2.Token) error {
	s.mu.Lock()
	s.saved = append(s.saved, *t)
	s.mu.Unlock()
	return s.MemTokenStore.Save(ctx, id, t)
}

func (s *recordingStore) Swap(ctx context.Context, id string, old, t *oauth2.Token) error {
	s.mu.Lock()
	s.saved = append(s.saved, *t)
	s.mu.Unlock()
	return s.MemTokenStore.Swap(ctx, id, old, t)
}

func (s *recordingStore) wasSaved(access string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.saved {
		if t.AccessToken == access {
			return true
		}
	}
	return false
}

// checkingSource wraps the adapter to assert every token it uses was saved.
type checkingAdapter struct {
	networks.Adapter
	store *recordingStore
	t     *testing.T
}

func (c checkingAdapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	tok, err := acct.Tokens.Token()
	if err == nil {
		assert.True(c.t, c.store.wasSaved(tok.AccessToken), "a token is saved before it is used")
	}
	return c.Adapter.Publish(ctx, acct, d)
}

func TestPublisherRefreshesAndSavesRotatedTokens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{TokenTTL: time.Hour, AllowDuplicateContent: true})
		acct, tok := fake.Connect("ana")
		acct.Tokens = nil // the TokenStore supplies it
		store := &recordingStore{}
		require.NoError(t, store.Save(t.Context(), "ana", tok))
		p := newPublisher(t, checkingAdapter{fake.Adapter(), store, t}, networks.WithTokenStore(store, fake.Refresher()))

		_, err := p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)
		assert.Equal(t, 0, fake.Refreshes())

		time.Sleep(2 * time.Hour) // the token expires
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Go(func() {
				d := hello
				d.Text = fmt.Sprint("post ", i)
				_, err := p.Publish(t.Context(), acct, d)
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		assert.Equal(t, 1, fake.Refreshes(), "one refresh in flight per account")
		saved, err := store.Load(t.Context(), "ana")
		require.NoError(t, err)
		assert.NotEqual(t, tok.RefreshToken, saved.RefreshToken, "the rotated refresh token is saved")

		fake.Script(fakenet.ExpiredToken()) // the network revokes the access token early
		_, err = p.Publish(t.Context(), acct, networks.Draft{Text: "after revocation"})
		require.NoError(t, err)
		assert.Equal(t, 2, fake.Refreshes())
	})
}

func TestPublisherReauthRequired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{TokenTTL: time.Hour})
		acct, tok := fake.Connect("ana")
		acct.Tokens = nil // the TokenStore supplies it
		store := networks.NewMemTokenStore()
		stale := *tok
		stale.RefreshToken = "revoked-refresh-token"
		require.NoError(t, store.Save(t.Context(), "ana", &stale))
		p := newPublisher(t, fake.Adapter(), networks.WithTokenStore(store, fake.Refresher()))
		time.Sleep(2 * time.Hour)
		_, err := p.Publish(t.Context(), acct, hello)
		require.ErrorIs(t, err, socialflow.ErrAuthExpired)
		var re *networks.ReauthRequiredError
		require.ErrorAs(t, err, &re)
		assert.NotContains(t, err.Error(), "revoked-refresh-token")
		assert.Equal(t, 0, fake.Calls(networks.OpPublish))
	})
}

func TestPublisherBadInputPublishesNothing(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	p := newPublisher(t, fake.Adapter())
	acct := fake.Account()
	noCreds, _ := fake.Connect("no-creds")
	noCreds.Tokens = nil // an account without credentials
	for _, tt := range []struct {
		name string
		acct networks.Account
		d    networks.Draft
		want error
	}{
		{"invalid utf-8", acct, networks.Draft{Text: "bad \xc3\x28"}, socialflow.ErrInvalid},
		{"BOM", acct, networks.Draft{Text: "\ufeffhello"}, socialflow.ErrInvalid},
		{"U+FFFE", acct, networks.Draft{Text: "a\ufffe"}, socialflow.ErrInvalid},
		{"unknown media kind", acct, networks.Draft{Text: "a", Media: []networks.MediaItem{{}}}, socialflow.ErrInvalid},
		{"account without credentials", noCreds, hello, socialflow.ErrInvalid},
		{"account without id", networks.Account{Tokens: acct.Tokens}, hello, socialflow.ErrInvalid},
		{"account of another network", networks.Account{ID: "a", Network: "x", Tokens: acct.Tokens}, hello, socialflow.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Publish(t.Context(), tt.acct, tt.d)
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, 0, fake.Calls(networks.OpPublish), "nothing was sent")
		})
	}
	var fe *networks.FieldError
	_, err := p.Publish(t.Context(), noCreds, hello)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "account.credentials", fe.Field)
}

func TestNewPublisherRejectsBadConfig(t *testing.T) {
	bad := fakenet.DefaultSpec()
	bad.Text.MaxLength = -1
	_, err := networks.NewPublisher(fakenet.New(fakenet.Options{Spec: bad}).Adapter())
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	var fe *networks.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "text.max_length", fe.Field)

	a := fakenet.New(fakenet.Options{}).Adapter()
	for _, opt := range []networks.Option{
		networks.WithMaxAttempts(0), networks.WithBackOff(0, time.Second), networks.WithMaxElapsedTime(-1),
		networks.WithTokenStore(nil, nil), networks.WithRateLimits(networks.RateLimits{PerApp: networks.Window{Count: -1, Per: time.Second}}),
		networks.WithMarkers(nil),
	} {
		_, err := networks.NewPublisher(a, opt)
		require.ErrorIs(t, err, socialflow.ErrInvalid)
	}
	_, err = networks.NewPublisher(nil)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestPublisherManual(t *testing.T) {
	spec := fakenet.DefaultSpec()
	spec.Manual = true
	fake := fakenet.New(fakenet.Options{Spec: spec})
	p := newPublisher(t, fake.Adapter())
	r, err := p.Publish(t.Context(), networks.Account{ID: "ig"}, hello)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusManual, r.Status)
	require.NotNil(t, r.Manual)
	assert.Equal(t, hello.Text, r.Manual.Draft.Text)
	assert.Equal(t, "spec", r.Manual.Reason)
	assert.Equal(t, 0, fake.Calls(networks.OpPublish))

	byHand := newPublisher(t, fakenet.New(fakenet.Options{}).Adapter())
	r, err = byHand.Publish(t.Context(), networks.Account{ID: "a", Manual: true}, hello)
	require.NoError(t, err)
	assert.Equal(t, "account", r.Manual.Reason)
	done, err := networks.MarkPublished(r, "https://fakenet.invalid/a/1", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, done.Status)

	_, err = byHand.Publish(t.Context(), networks.Account{ID: "a", Manual: true}, networks.Draft{Text: "\ufeff"})
	require.ErrorIs(t, err, socialflow.ErrInvalid, "manual content is validated too")
}

func TestPublisherContextBoundsRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.RateLimited(10 * time.Minute))
		p := newPublisher(t, fake.Adapter())
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start := time.Now()
		_, err := p.Publish(ctx, fake.Account(), hello)
		require.ErrorIs(t, err, socialflow.ErrRateLimited, "a wait past the deadline fails fast with the rate limit")
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Duration(0), time.Since(start))
		assert.Equal(t, 1, fake.Calls(networks.OpPublish))

		canceled, cancel2 := context.WithCancel(t.Context())
		cancel2()
		_, err = p.Publish(canceled, fake.Account(), hello)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, fake.Calls(networks.OpPublish))
	})
}

func TestPublisherMaxElapsedTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.RateLimited(2 * time.Hour))
		p := newPublisher(t, fake.Adapter(), networks.WithMaxElapsedTime(time.Hour))
		start := time.Now()
		_, err := p.Publish(t.Context(), fake.Account(), hello)
		var rl *networks.RateLimitError
		require.ErrorAs(t, err, &rl, "a wait past the budget returns the rate limit to the caller")
		assert.Equal(t, 2*time.Hour, rl.RetryAfter)
		assert.Equal(t, time.Duration(0), time.Since(start))
	})
}

func TestPublisherFollowsReportedQuota(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		spec := fakenet.DefaultSpec()
		spec.Rate = networks.RateLimits{PerAccount: networks.Window{Count: 20, Per: time.Hour}}
		fake := fakenet.New(fakenet.Options{Spec: spec})
		// The Publisher allows 100/s; the network reports its own 20/h budget.
		p := newPublisher(t, fake.Adapter(), networks.WithRateLimits(networks.RateLimits{PerAccount: networks.Window{Count: 100, Per: time.Second}}))
		acct := fake.Account()
		for i := range 40 {
			_, err := p.Publish(t.Context(), acct, networks.Draft{Text: fmt.Sprint("post ", i)})
			require.NoError(t, err)
		}
		assert.Equal(t, 0, fake.Violations(), "the reported quota keeps the Publisher under the network's limit")
	})
}

func TestPublisherLogsAndHooksCarryNoToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		acct := fake.ConnectToken("a", &oauth2.Token{AccessToken: "tok-SECRET"})
		var seen []error
		var mu sync.Mutex
		p := newPublisher(t, fake.Adapter(), networks.WithLogger(nil), networks.WithAttemptHook(func(a networks.Attempt) {
			mu.Lock()
			seen = append(seen, a.Err)
			mu.Unlock()
		}))
		fake.Script(fakenet.ServerError(), fakenet.Rejected("no tok-SECRET here"))
		_, err := p.Publish(t.Context(), acct, hello)
		require.ErrorIs(t, err, socialflow.ErrRejected)
		assert.NotContains(t, err.Error(), "tok-SECRET", "the Publisher redacts secrets an adapter leaked")
		var re *networks.RejectedError
		require.ErrorAs(t, err, &re, "redaction keeps the error chain")
		require.Len(t, seen, 2)
		for _, e := range seen {
			assert.NotContains(t, e.Error(), "tok-SECRET")
		}
	})
}

func TestPublisherAppAndAccountLimitsTogether(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		spec := fakenet.DefaultSpec()
		spec.Rate = networks.RateLimits{
			PerAccount: networks.Window{Count: 5, Per: time.Minute},
			PerApp:     networks.Window{Count: 8, Per: time.Minute},
		}
		fake := fakenet.New(fakenet.Options{Spec: spec})
		p := newPublisher(t, fake.Adapter())
		var wg sync.WaitGroup
		for a := range 4 {
			acct := fake.ConnectToken(fmt.Sprint("a", a), &oauth2.Token{AccessToken: fmt.Sprint("tok", a)})
			for i := range 10 {
				wg.Go(func() {
					_, err := p.Publish(t.Context(), acct, networks.Draft{Text: fmt.Sprint("post ", i)})
					assert.NoError(t, err)
				})
			}
		}
		wg.Wait()
		assert.Equal(t, 0, fake.Violations())
		assert.Len(t, fake.Posts(), 40)
	})
}

// flakyStore fails the next failSaves saves.
type flakyStore struct {
	networks.MemTokenStore
	mu        sync.Mutex
	failSaves int
}

func (s *flakyStore) Save(ctx context.Context, id string, t *oauth2.Token) error {
	s.mu.Lock()
	fail := s.failSaves > 0
	if fail {
		s.failSaves--
	}
	s.mu.Unlock()
	if fail {
		return fmt.Errorf("disk full while writing %s", t.AccessToken) // a careless store leaks the token
	}
	return s.MemTokenStore.Save(ctx, id, t)
}

func (s *flakyStore) Swap(ctx context.Context, id string, old, t *oauth2.Token) error {
	s.mu.Lock()
	fail := s.failSaves > 0
	if fail {
		s.failSaves--
	}
	s.mu.Unlock()
	if fail {
		return fmt.Errorf("disk full while writing %s", t.AccessToken) // a careless store leaks the token
	}
	return s.MemTokenStore.Swap(ctx, id, old, t)
}

func TestPublisherRetriesTheSaveNotTheRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{TokenTTL: time.Hour})
		acct, tok := fake.Connect("ana")
		acct.Tokens = nil // the TokenStore supplies it
		store := &flakyStore{}
		require.NoError(t, store.Save(t.Context(), "ana", tok))
		store.failSaves = 2
		var errs []error
		p := newPublisher(t, fake.Adapter(), networks.WithTokenStore(store, fake.Refresher()),
			networks.WithAttemptHook(func(a networks.Attempt) { errs = append(errs, a.Err) }))
		time.Sleep(2 * time.Hour)
		r, err := p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)
		assert.Equal(t, 1, r.Attempts, "the network saw one publish")
		assert.Equal(t, 1, fake.Refreshes(), "the rotated refresh token was kept in memory until saved, not refreshed again")
		saved, err := store.Load(t.Context(), "ana")
		require.NoError(t, err)
		assert.NotEqual(t, tok.RefreshToken, saved.RefreshToken)
		require.Len(t, errs, 3)
		for _, e := range errs[:2] {
			require.ErrorIs(t, e, socialflow.ErrTransient)
			assert.NotContains(t, e.Error(), "fake-access", "store errors are redacted")
		}
	})
}

func TestPublisherStoreWithoutToken(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	acct, _ := fake.Connect("nobody")
	acct.Tokens = nil // the TokenStore supplies it
	p := newPublisher(t, fake.Adapter(), networks.WithTokenStore(networks.NewMemTokenStore(), fake.Refresher()))
	_, err := p.Publish(t.Context(), acct, hello)
	var fe *networks.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "account.credentials", fe.Field)
	assert.Equal(t, 0, fake.Calls(networks.OpPublish))
}

func TestPublisherCheckLeavesPublishedReceipts(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	p := newPublisher(t, fake.Adapter())
	r := networks.Receipt{Status: networks.StatusPublished, ID: "x"}
	got, err := p.Check(t.Context(), networks.Account{}, r)
	require.NoError(t, err)
	assert.Equal(t, r, got)
	assert.Equal(t, 0, fake.Calls(networks.OpCheck))
}

func TestPublisherLearnsExhaustedQuota(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{AllowDuplicateContent: true})
		p := newPublisher(t, fake.Adapter())
		p.LearnQuotas("acct-1", []networks.Quota{{Scope: networks.ScopeApp, Remaining: 0, Reset: time.Now().Add(10 * time.Minute)}})
		start := time.Now()
		_, err := p.Publish(t.Context(), fake.Account(), hello)
		require.NoError(t, err)
		assert.Equal(t, 10*time.Minute, time.Since(start))
	})
}

func TestPublisherAwait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{ProcessingTime: 90 * time.Second})
		p := newPublisher(t, fake.Adapter())
		acct := fake.Account()
		start := time.Now()
		r, err := p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)
		require.Equal(t, networks.StatusPending, r.Status)
		r, err = p.Await(t.Context(), acct, r)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPublished, r.Status)
		assert.Equal(t, 90*time.Second, time.Since(start), "the CheckAfter hint is followed exactly")

		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		pending, err := p.Publish(t.Context(), acct, networks.Draft{Text: "slow"})
		require.NoError(t, err)
		_, err = p.Await(ctx, acct, pending)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

type ctxKey struct{}

type ctxRefresher struct {
	networks.Refresher
	seen *atomic.Value
}

func (r ctxRefresher) TokenSource(ctx context.Context, t *oauth2.Token) oauth2.TokenSource {
	r.seen.Store(ctx.Value(ctxKey{}))
	return r.Refresher.TokenSource(ctx, t)
}

func TestPublisherRefreshContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{TokenTTL: time.Minute})
		acct, tok := fake.Connect("ana")
		acct.Tokens = nil // the TokenStore supplies it
		store := networks.NewMemTokenStore()
		require.NoError(t, store.Save(t.Context(), "ana", tok))
		var seen atomic.Value
		ctx := context.WithValue(t.Context(), ctxKey{}, "long-lived")
		p := newPublisher(t, fake.Adapter(), networks.WithTokenStore(store, ctxRefresher{fake.Refresher(), &seen}), networks.WithRefreshContext(ctx))
		time.Sleep(time.Hour)
		_, err := p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)
		assert.Equal(t, "long-lived", seen.Load(), "refreshes run in the configured context")
		var none context.Context // a host forgot to set it
		_, err = networks.NewPublisher(fake.Adapter(), networks.WithRefreshContext(none))
		require.ErrorIs(t, err, socialflow.ErrInvalid)
	})
}

func TestPublisherFind(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	p := newPublisher(t, fake.Adapter())
	acct := fake.Account()
	r, err := p.Publish(t.Context(), acct, networks.Draft{Text: "x", Marker: "target-7"})
	require.NoError(t, err)
	got, found, err := p.Find(t.Context(), acct, "target-7")
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, r.ID, got.ID)
	_, found, err = p.Find(t.Context(), acct, "target-8")
	require.NoError(t, err)
	assert.False(t, found)
	_, _, err = p.Find(t.Context(), acct, "")
	require.ErrorIs(t, err, socialflow.ErrInvalid)

	blind := newPublisher(t, fake.AdapterWithoutFinder())
	_, _, err = blind.Find(t.Context(), acct, "target-7")
	require.ErrorIs(t, err, networks.ErrNoFinder)
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
}
