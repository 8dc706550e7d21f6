package workflow_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// leaseLog is a Store that remembers the last lease it granted or renewed
// for each key.
type leaseLog struct {
	workflow.Store
	mu     sync.Mutex
	leases map[string]workflow.Lease
}

func (s *leaseLog) keep(l workflow.Lease, err error) (workflow.Lease, error) {
	if err == nil {
		s.mu.Lock()
		s.leases[l.Key] = l
		s.mu.Unlock()
	}
	return l, err
}

func (s *leaseLog) Acquire(ctx context.Context, key, holder string, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	return s.keep(s.Store.Acquire(ctx, key, holder, now, ttl))
}

func (s *leaseLog) Renew(ctx context.Context, l workflow.Lease, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	return s.keep(s.Store.Renew(ctx, l, now, ttl))
}

func (s *leaseLog) lease(key string) workflow.Lease {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.leases[key]
}

// deadlineAdapter records, for every publish, the network call's deadline
// and the lease the store last granted for the target.
type deadlineAdapter struct {
	networks.Adapter
	finder networks.Finder
	store  *leaseLog
	key    string
	mu     sync.Mutex
	calls  []deadlineCall
}

type deadlineCall struct {
	deadline time.Time
	has      bool
	lease    workflow.Lease
}

func (a *deadlineAdapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	dl, ok := ctx.Deadline()
	a.mu.Lock()
	a.calls = append(a.calls, deadlineCall{deadline: dl, has: ok, lease: a.store.lease(a.key)})
	a.mu.Unlock()
	return a.Adapter.Publish(ctx, acct, d)
}

func (a *deadlineAdapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	return a.finder.FindByMarker(ctx, acct, marker)
}

// slowConnector makes the first Connect slow: pre-publish work that eats
// into the lease.
type slowConnector struct {
	workflow.Connector
	slow time.Duration
	once sync.Once
}

func (c *slowConnector) Connect(ctx context.Context, ch team.Channel) (*networks.Publisher, networks.Account, error) {
	c.once.Do(func() { time.Sleep(c.slow) })
	return c.Connector.Connect(ctx, ch)
}

// TestDispatcherBoundsThePublishByTheLeaseLeft: slow work before the
// network call must not let the call outlive the lease, and a second
// dispatcher that runs meanwhile never publishes the same target.
func TestDispatcherBoundsThePublishByTheLeaseLeft(t *testing.T) {
	for _, tt := range []struct {
		name     string
		slow     time.Duration // the first dispatcher's pre-publish work
		latency  time.Duration // the network call
		second   time.Duration // when the second dispatcher steps, after the first started
		wantBy   string        // which dispatcher publishes
		wantCall int           // network publish calls
	}{
		{"slow set-up, slow network", 90 * time.Second, 60 * time.Second, 125 * time.Second, "d1", 1},
		{"set-up outlives the lease", 130 * time.Second, 0, 125 * time.Second, "d2", 1},
		{"fast set-up", time.Second, 100 * time.Second, 110 * time.Second, "d1", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const ttl = 2 * time.Minute
				e := newDispatchEnv(t, fakenet.Options{AllowDuplicateContent: true})
				net := e.nets[fakenet.Network]
				if tt.latency > 0 {
					net.Script(fakenet.Latency(tt.latency).On(networks.OpPublish))
				}
				p := e.scheduled(t, "once only", time.Now())
				store := &leaseLog{Store: e.store, leases: map[string]workflow.Lease{}}
				svc := e.svcOver(t, store)
				conns := e.connect(t)
				ad := &deadlineAdapter{Adapter: net.Adapter(), finder: net.Adapter().(networks.Finder), store: store, key: workflow.TargetKey(p.ID, "a")}
				pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(1))
				require.NoError(t, err)
				conns.SetPublisher(fakenet.Network, pub)

				d1, err := workflow.NewDispatcher(svc, &slowConnector{Connector: conns, slow: tt.slow}, workflow.WithHolder("d1"), workflow.WithLeaseTTL(ttl))
				require.NoError(t, err)
				d2, err := workflow.NewDispatcher(svc, conns, workflow.WithHolder("d2"), workflow.WithLeaseTTL(ttl))
				require.NoError(t, err)

				start := time.Now()
				done := make(chan struct{})
				go func() {
					defer close(done)
					_, _ = d1.RunOnce(t.Context(), start)
				}()
				time.Sleep(tt.second)
				_, err = d2.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
				<-done
				synctest.Wait()

				assert.Equal(t, 1, e.onNetwork("once only"), "published exactly once")
				ad.mu.Lock()
				calls := ad.calls
				ad.mu.Unlock()
				require.Len(t, calls, tt.wantCall)
				for _, c := range calls {
					require.True(t, c.has, "the network call has a deadline")
					assert.False(t, c.deadline.After(c.lease.Expires), "deadline %v after the lease's expiry %v", c.deadline, c.lease.Expires)
					assert.Equal(t, tt.wantBy, c.lease.Holder)
				}
				got := e.get(t, p.ID).Target("a")
				assert.Equal(t, workflow.TargetPublished, got.State)
			})
		})
	}
}

// svcOver returns a Service over store with e's team and inbox.
func (e dispatchEnv) svcOver(t testing.TB, store workflow.Store) *workflow.Service {
	t.Helper()
	svc, err := workflow.NewService(e.svc.Team(), store, workflow.WithNotifier(e.inbox))
	require.NoError(t, err)
	return svc
}

// claimLog is a leaseLog whose store claims in batches ([workflow.Claimer]),
// remembering each lease it grants.
type claimLog struct{ *leaseLog }

func (s claimLog) ClaimDue(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]workflow.DueClaim, error) {
	cs, err := s.Store.(workflow.Claimer).ClaimDue(ctx, holder, now, ttl, limit)
	for _, c := range cs {
		_, _ = s.keep(c.Lease, nil)
	}
	return cs, err
}

// checkAdapter records, for every Check, the call's deadline and the lease
// the store last granted for the target the receipt belongs to.
type checkAdapter struct {
	networks.Adapter
	store *leaseLog
	keys  map[string]string // marker → lease key
	mu    sync.Mutex
	calls []deadlineCall
}

func (a *checkAdapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	dl, ok := ctx.Deadline()
	a.mu.Lock()
	a.calls = append(a.calls, deadlineCall{deadline: dl, has: ok, lease: a.store.lease(a.keys[r.Marker])})
	a.mu.Unlock()
	return a.Adapter.Check(ctx, acct, r)
}

// TestDispatcherChecksUnderTheLease: a Check may be the write that makes
// the post (Pinterest creates the pin in Check), so its answer must be
// recorded. One worker checks batches of awaiting targets, each check
// slow: every check runs under a lease it cannot outlive (later batches'
// leases last a full TTL from the clock, not from the step's start, and a
// lease more than a tenth spent is renewed before the call), so every
// result is recorded and no target is checked twice. A check the lease's
// bound cuts short leaves its target awaiting, never failed.
func TestDispatcherChecksUnderTheLease(t *testing.T) {
	for _, tt := range []struct {
		name      string
		latency   time.Duration // of each check
		published bool          // every check's answer comes back in time
	}{
		{"slow checks", 50 * time.Second, true},
		{"checks outliving the lease", 3 * time.Minute, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const ttl, n = 2 * time.Minute, 10
				e := newDispatchEnv(t, fakenet.Options{ProcessingTime: time.Minute})
				net := e.nets[fakenet.Network]
				store := &leaseLog{Store: e.store, leases: map[string]workflow.Lease{}}
				svc := e.svcOver(t, claimLog{store})
				conns := e.connect(t)
				ad := &checkAdapter{Adapter: net.Adapter(), store: store, keys: map[string]string{}}
				pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(1))
				require.NoError(t, err)
				conns.SetPublisher(fakenet.Network, pub)
				d, err := workflow.NewDispatcher(svc, conns, workflow.WithConcurrency(1), workflow.WithLeaseTTL(ttl))
				require.NoError(t, err)

				var ids []string
				for i := range n {
					ids = append(ids, e.scheduled(t, fmt.Sprint("slow check ", i), time.Now()).ID)
				}
				r, err := d.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
				require.Equal(t, n, r.Awaiting, "published, processing")
				for _, id := range ids {
					tg := e.get(t, id).Target("a")
					ad.keys[tg.Outcome.Marker] = workflow.TargetKey(id, "a")
				}

				time.Sleep(2 * time.Minute) // processed, and every check due
				net.Script(fakenet.Latency(tt.latency).On(networks.OpCheck).Times(n)...)
				r, err = d.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
				first := len(ad.calls)
				require.Positive(t, first)
				if tt.published {
					// A claim whose lease ran out while it waited for the
					// worker sent nothing: due for the next steps.
					for range 5 {
						time.Sleep(time.Minute)
						_, err = d.RunOnce(t.Context(), time.Now())
						require.NoError(t, err)
					}
				}

				ad.mu.Lock()
				calls := ad.calls
				ad.mu.Unlock()
				if tt.published {
					require.Len(t, calls, n, "each target checked once: no check's answer was lost")
				}
				for _, c := range calls {
					if assert.True(t, c.has, "the check has a deadline") {
						assert.False(t, c.deadline.After(c.lease.Expires), "deadline %v after the lease's expiry %v", c.deadline, c.lease.Expires)
					}
				}
				for _, id := range ids {
					tg := e.get(t, id).Target("a")
					if tt.published {
						assert.Equal(t, workflow.TargetPublished, tg.State, "the check's answer is recorded: %s", tg.Outcome.Cause)
						continue
					}
					assert.Equal(t, workflow.TargetAwaiting, tg.State, "cut short or not reached: checked again, not failed: %s", tg.Outcome.Cause)
					next, ok := tg.NextAction()
					require.True(t, ok)
					assert.False(t, next.After(time.Now().Add(time.Minute)), "checked again soon")
				}
				if !tt.published {
					assert.Zero(t, r.Published)
				}
			})
		})
	}
}
