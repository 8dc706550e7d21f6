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
)

// callCount is a Store counting the calls the Dispatcher makes. It hides
// memstore's optional extensions unless claims is set; then it passes
// ClaimDue through.
type callCount struct {
	workflow.Store
	mu    sync.Mutex
	calls map[string]int
}

func (c *callCount) count(name string) {
	c.mu.Lock()
	c.calls[name]++
	c.mu.Unlock()
}

func (c *callCount) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[name]
}

func (c *callCount) Acquire(ctx context.Context, key, holder string, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	c.count("Acquire")
	return c.Store.Acquire(ctx, key, holder, now, ttl)
}

func (c *callCount) Renew(ctx context.Context, l workflow.Lease, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	c.count("Renew")
	return c.Store.Renew(ctx, l, now, ttl)
}

func (c *callCount) Release(ctx context.Context, l workflow.Lease) error {
	c.count("Release")
	return c.Store.Release(ctx, l)
}

func (c *callCount) GetPost(ctx context.Context, id string) (workflow.Post, error) {
	c.count("GetPost")
	return c.Store.GetPost(ctx, id)
}

func (c *callCount) Plan(ctx context.Context, channel string) (workflow.ChannelPlan, error) {
	c.count("Plan")
	return c.Store.Plan(ctx, channel)
}

// claiming passes memstore's Claimer through.
type claiming struct{ *callCount }

func (c claiming) ClaimDue(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]workflow.DueClaim, error) {
	c.count("ClaimDue")
	return c.Store.(workflow.Claimer).ClaimDue(ctx, holder, now, ttl, limit)
}

// TestDispatcherClaimsInBatchesWhenTheStoreCan: over a Claimer the
// Dispatcher claims min(batch, 4 × concurrency) targets per call, reads
// no post and acquires no lease of its own; over a store without the
// extension it acquires a lease and reads the post per target. Both read
// each channel plan once per target (one worker, so no plan write races
// the known plan), renew no fresh lease, let published targets' leases run
// out, and publish everything once.
func TestDispatcherClaimsInBatchesWhenTheStoreCan(t *testing.T) {
	for _, claims := range []bool{true, false} {
		t.Run(fmt.Sprint("claims=", claims), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newDispatchEnv(t, fakenet.Options{})
				cc := &callCount{Store: e.store, calls: map[string]int{}}
				var st workflow.Store = cc
				if claims {
					st = claiming{cc}
				}
				svc, err := workflow.NewService(e.svc.Team(), st)
				require.NoError(t, err)
				const n = 20
				for i := range n {
					e.scheduled(t, fmt.Sprint("post ", i), time.Now().Add(time.Minute))
				}
				d, err := workflow.NewDispatcher(svc, e.connect(t), workflow.WithConcurrency(1))
				require.NoError(t, err)
				time.Sleep(time.Minute)
				r, err := d.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
				assert.Equal(t, n, r.Published)
				assert.Equal(t, n, r.Due)
				for i := range n {
					assert.Equal(t, 1, e.onNetwork(fmt.Sprint("post ", i)))
				}
				assert.Equal(t, n, cc.get("Plan"), "one plan read per target")
				assert.Zero(t, cc.get("Renew"), "a fresh lease is not renewed")
				assert.Zero(t, cc.get("Release"), "a published target's lease runs out")
				if claims {
					assert.Equal(t, 6, cc.get("ClaimDue"), "4 at a time (four per worker), then an empty claim")
					assert.Zero(t, cc.get("Acquire"))
					assert.Zero(t, cc.get("GetPost"), "the claim carries the post")
				} else {
					assert.Equal(t, n, cc.get("Acquire"))
					assert.Equal(t, n, cc.get("GetPost"))
				}
				// Nothing is claimed twice, and nothing is left due.
				r, err = d.RunOnce(t.Context(), time.Now().Add(time.Hour))
				require.NoError(t, err)
				assert.Zero(t, r.Due)
			})
		})
	}
}

// TestDispatcherWorksATargetOncePerStep: a publish whose answer is lost
// leaves the target unconfirmed and due again at once; the step that did
// it does not work on it again (a claim that returns it again keeps its
// lease until the step ends, then gives it back), and the next step
// reconciles it by its marker. Over either path.
func TestDispatcherWorksATargetOncePerStep(t *testing.T) {
	for _, claims := range []bool{true, false} {
		t.Run(fmt.Sprint("claims=", claims), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newDispatchEnv(t, fakenet.Options{})
				net := e.nets[fakenet.Network]
				// The answer is lost and the Publisher's own lookup fails:
				// the outcome is unknown, and no time passes.
				net.Script(fakenet.LostResponse().On(networks.OpPublish), fakenet.ServerError().On(networks.OpFind))
				c := e.connect(t)
				pub, err := networks.NewPublisher(net.Adapter(), networks.WithMaxAttempts(1))
				require.NoError(t, err)
				c.SetPublisher(fakenet.Network, pub)
				cc := &callCount{Store: e.store, calls: map[string]int{}}
				var st workflow.Store = cc
				if claims {
					st = claiming{cc}
				}
				svc, err := workflow.NewService(e.svc.Team(), st)
				require.NoError(t, err)
				// Batches of one: the step claims (or reads) again after
				// the target, and meets it due again.
				d, err := workflow.NewDispatcher(svc, c, workflow.WithBatchSize(1))
				require.NoError(t, err)
				p := e.scheduled(t, "lost once", time.Now())
				r, err := d.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
				assert.Equal(t, 1, r.Due, "worked on once")
				assert.Equal(t, 1, r.Unconfirmed)
				assert.Zero(t, r.Reconciled, "not in the same step")
				if claims {
					assert.Equal(t, 2, cc.get("ClaimDue"), "claimed again, passed by")
				}
				tg := e.get(t, p.ID).Target("a")
				require.Equal(t, workflow.TargetUnconfirmed, tg.State)
				next, ok := tg.NextAction()
				require.True(t, ok)
				assert.False(t, next.After(time.Now()), "due again at once")
				// The lease is free again: another dispatcher could take it.
				l, err := e.store.Acquire(t.Context(), workflow.TargetKey(p.ID, "a"), "other", time.Now(), time.Minute)
				require.NoError(t, err, "the step gave the lease back")
				require.NoError(t, e.store.Release(t.Context(), l))

				r, err = d.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
				assert.Equal(t, 1, r.Reconciled)
				assert.Equal(t, 1, r.Published)
				assert.Equal(t, workflow.TargetPublished, e.get(t, p.ID).Target("a").State)
				assert.Equal(t, 1, e.onNetwork("lost once"), "found by its marker, not sent again")
			})
		})
	}
}
