package networks_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

// A wait that cannot fit the caller's deadline fails at once with the error
// that caused it (as rate.Limiter.WaitN does), never with the context's
// error after sleeping until the deadline, and sends nothing more.
func TestPublisherWaitsThatCannotFitTheDeadlineFailFast(t *testing.T) {
	limited := fakenet.DefaultSpec()
	limited.Rate = networks.RateLimits{PerAccount: networks.Window{Count: 1, Per: time.Hour}}
	cases := []struct {
		name      string
		spec      networks.Spec
		warmup    bool // publish once first, to spend the limiter's token
		quota     bool // the network reported an exhausted quota for 10 minutes
		faults    []fakenet.Fault
		opts      []networks.Option
		kind      error
		scope     networks.Scope
		wait      time.Duration // the RetryAfter or Reset - now the error carries, at least
		calls     int           // publish calls the network saw in the timed call
		published int
	}{
		{name: "429 Retry-After past the deadline", faults: []fakenet.Fault{fakenet.RateLimited(10 * time.Minute)},
			kind: socialflow.ErrRateLimited, scope: networks.ScopeAccount, wait: 10 * time.Minute, calls: 1},
		{name: "429 app reset past the deadline", faults: []fakenet.Fault{fakenet.RateLimitedUntil(10*time.Minute, networks.ScopeApp)},
			kind: socialflow.ErrRateLimited, scope: networks.ScopeApp, wait: 10 * time.Minute, calls: 1},
		{name: "the Publisher's own limiter", spec: limited, warmup: true,
			kind: socialflow.ErrRateLimited, scope: networks.ScopeAccount, wait: 59 * time.Minute, calls: 0},
		{name: "an exhausted quota the network reported", quota: true,
			kind: socialflow.ErrRateLimited, scope: networks.ScopeAccount, wait: 10 * time.Minute, calls: 0},
		{name: "backoff after a 5xx", faults: []fakenet.Fault{fakenet.ServerError()}, opts: []networks.Option{networks.WithBackOff(5*time.Minute, 5*time.Minute)},
			kind: socialflow.ErrTransient, calls: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{Spec: c.spec})
				p := newPublisher(t, fake.Adapter(), c.opts...)
				acct := fake.Account()
				if c.warmup {
					_, err := p.Publish(t.Context(), acct, networks.Draft{Text: "warm-up"})
					require.NoError(t, err)
				}
				if c.quota {
					p.LearnQuotas(acct.ID, []networks.Quota{{Scope: networks.ScopeAccount, Remaining: 0, Reset: time.Now().Add(10 * time.Minute)}})
				}
				before := fake.Calls(networks.OpPublish)
				fake.Script(c.faults...)
				ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
				defer cancel()
				start := time.Now()
				_, err := p.Publish(ctx, acct, hello)
				require.ErrorIs(t, err, c.kind)
				assert.False(t, errors.Is(err, context.DeadlineExceeded), "not a context error: %v", err)
				assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown)
				assert.Equal(t, time.Duration(0), time.Since(start), "fails at once, without waiting")
				assert.Equal(t, c.calls, fake.Calls(networks.OpPublish)-before)
				assert.Equal(t, c.published, len(fake.Posts())-boolInt(c.warmup))
				if c.kind == socialflow.ErrRateLimited {
					var rl *networks.RateLimitError
					require.ErrorAs(t, err, &rl)
					assert.Equal(t, c.scope, rl.Scope)
					assert.GreaterOrEqual(t, rl.Wait(time.Now()), c.wait, "carries when to retry")
					if c.calls == 0 { // the Publisher's own limiter: it says when the wait ends
						assert.Equal(t, time.Now().Add(rl.RetryAfter), rl.Reset)
					}
				}
			})
		})
	}
}

// A wait that fits the deadline is still waited.
func TestPublisherWaitsThatFitTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		fake.Script(fakenet.RateLimited(30 * time.Second))
		p := newPublisher(t, fake.Adapter())
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start := time.Now()
		_, err := p.Publish(ctx, fake.Account(), hello)
		require.NoError(t, err)
		assert.Equal(t, 30*time.Second, time.Since(start))
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
