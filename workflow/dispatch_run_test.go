package workflow_test

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
)

// countingStore counts due-index reads and ends the run when they pass a
// bound, so a dispatcher that spins fails the test instead of hanging it.
type countingStore struct {
	*memstore.Store
	reads  atomic.Int64
	limit  int64
	cancel context.CancelFunc
}

func (c *countingStore) DueTargets(ctx context.Context, q workflow.DueQuery) ([]workflow.DueEntry, error) {
	if c.reads.Add(1) > c.limit {
		c.cancel()
	}
	return c.Store.DueTargets(ctx, q)
}

// TestRunWaitsWhileAnotherDispatcherHoldsTheDueTargets: a replica whose due
// targets are all leased by another dispatcher sleeps its interval between
// steps instead of stepping again at once.
func TestRunWaitsWhileAnotherDispatcherHoldsTheDueTargets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newDispatchEnv(t, fakenet.Options{})
		p := e.scheduled(t, "held elsewhere", time.Now().Add(time.Minute))
		_, err := e.store.Acquire(t.Context(), workflow.TargetKey(p.ID, "a"), "dispatcher-a", time.Now(), time.Hour)
		require.NoError(t, err)

		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
		defer cancel()
		cs := &countingStore{Store: e.store, limit: 10_000, cancel: cancel}
		svc, err := workflow.NewService(e.svc.Team(), cs, workflow.WithNotifier(e.inbox))
		require.NoError(t, err)
		d, err := workflow.NewDispatcher(svc, e.connect(t), workflow.WithInterval(15*time.Second), workflow.WithHolder("dispatcher-b"))
		require.NoError(t, err)
		_ = d.Run(ctx)

		// Ten minutes at one step per 15 s are 40 steps, each reading the
		// index a few times; a spinning Run reaches the bound at once.
		assert.Less(t, cs.reads.Load(), int64(400), "due-index reads in ten minutes")
		assert.Zero(t, e.onNetwork("held elsewhere"), "the other dispatcher's lease is respected")
	})
}
