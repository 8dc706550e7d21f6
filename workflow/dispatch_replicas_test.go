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

	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// TestReplicasPublishEachTargetOnce: two Services, each with its own
// Dispatcher, over one store, stepping at the same time over the same due
// set (two targets per post, pages smaller than the set): every target is
// published exactly once, the due index ends empty, and the workspace's
// audit chain verifies with one outcome event per target.
func TestReplicasPublishEachTargetOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newDispatchEnv(t, fakenet.Options{Spec: unlimitedSpec(), AllowDuplicateContent: true})
		other, err := workflow.NewService(e.svc.Team(), e.store, workflow.WithNotifier(e.inbox))
		require.NoError(t, err)
		const n = 120
		now := time.Now()
		for i := range n {
			e.scheduled(t, fmt.Sprint("replica ", i), now.Add(-time.Duration(i%7)*time.Second), "a", "b")
		}
		var ds []*workflow.Dispatcher
		for i, svc := range []*workflow.Service{e.svc, other} {
			d, err := workflow.NewDispatcher(svc, e.connect(t), workflow.WithHolder(fmt.Sprint("replica-", i)), workflow.WithBatchSize(16))
			require.NoError(t, err)
			ds = append(ds, d)
		}
		var mu sync.Mutex
		published := 0
		for round := 0; round < 5; round++ {
			var wg sync.WaitGroup
			for _, d := range ds {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := d.RunOnce(context.Background(), time.Now())
					assert.NoError(t, err)
					mu.Lock()
					published += r.Published
					mu.Unlock()
				}()
			}
			wg.Wait()
		}
		assert.Equal(t, 2*n, published, "every target published once across both replicas")
		for name, net := range e.nets {
			seen := map[string]int{}
			for _, p := range net.Posts() {
				seen[p.Draft.Text]++
			}
			assert.Len(t, seen, n, "on %s", name)
			for text, c := range seen {
				assert.Equal(t, 1, c, "%s on %s", text, name)
			}
		}
		due, err := e.store.DueTargets(t.Context(), workflow.DueQuery{Before: time.Now().Add(time.Hour)})
		require.NoError(t, err)
		assert.Empty(t, due)
		require.NoError(t, e.svc.Audit().Verify(t.Context(), "w"))
		evs, err := other.AuditTrail(t.Context(), "boss", "w", 0)
		require.NoError(t, err)
		outcomes := 0
		for _, ev := range evs {
			if ev.Action == "target.published" {
				outcomes++
			}
		}
		assert.Equal(t, 2*n, outcomes)
	})
}

// scanCounter counts ListPosts calls: a dispatcher step must not scan.
type scanCounter struct {
	workflow.Store
	mu    sync.Mutex
	scans int
}

func (s *scanCounter) ListPosts(ctx context.Context, q workflow.PostQuery) ([]workflow.Post, error) {
	s.mu.Lock()
	s.scans++
	s.mu.Unlock()
	return s.Store.ListPosts(ctx, q)
}

// TestDispatchStepDoesNotScanPosts: after the first step (which checks the
// wiring once), a step, the deadline check included, reads only the due
// index and the due posts, in pages, and still publishes everything due.
func TestDispatchStepDoesNotScanPosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newDispatchEnv(t, fakenet.Options{Spec: unlimitedSpec(), AllowDuplicateContent: true})
		sc := &scanCounter{Store: e.store}
		svc, err := workflow.NewService(e.svc.Team(), sc)
		require.NoError(t, err)
		d, err := workflow.NewDispatcher(svc, e.connect(t), workflow.WithBatchSize(3))
		require.NoError(t, err)
		_, err = d.RunOnce(t.Context(), time.Now())
		require.NoError(t, err)
		for i := range 10 {
			e.scheduled(t, fmt.Sprint("paged ", i), time.Now().Add(-time.Duration(i)*time.Second), "a", "b")
		}
		sc.scans = 0
		r, err := d.RunOnce(t.Context(), time.Now())
		require.NoError(t, err)
		assert.Equal(t, 20, r.Due)
		assert.Equal(t, 20, r.Published, "pages of 3 until nothing due is left")
		assert.Zero(t, sc.scans)
		assert.Equal(t, 2, e.onNetwork("paged 7"), "once on each network")
	})
}
