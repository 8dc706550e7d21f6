// Package storetest is the conformance suite for [workflow.Store]
// implementations, in the manner of gocloud's drivertest: a host runs
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) workflow.Store { return newMyStore(t) })
//	}
//
// and each contract sentence of workflow.Store becomes a named subtest, so
// -run can pick one.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func post(id string) workflow.Post {
	return workflow.Post{
		ID: id, Workspace: "ws", Author: "ana", State: workflow.StateDraft, Version: 1,
		Content:   workflow.Content{Text: "hello", Media: []workflow.MediaRef{{Asset: "a1"}}},
		Targets:   []workflow.Target{{Channel: "c1", Network: "x", State: workflow.TargetPending}},
		Labels:    []string{"l1"},
		CreatedAt: t0, UpdatedAt: t0,
	}
}

// storeCase is one contract sentence of workflow.Store, as a subtest.
type storeCase struct {
	name string
	f    func(t *testing.T, s workflow.Store)
}

// coreCases cover posts, versions, comments, tasks, the audit trail,
// leases and single-use keys.
var coreCases = []storeCase{
	{"CreateThenGet", createThenGet},
	{"CreateExistingConflicts", createExistingConflicts},
	{"GetMissingIsNotFound", getMissing},
	{"StaleUpdateConflicts", staleUpdate},
	{"TwoWritersOneWins", twoWriters},
	{"ReturnedValuesAreCopies", copies},
	{"ListFiltersAndOrders", listFilters},
	{"VersionsInOrderAndUnique", versions},
	{"CommentsCreateAndReplace", comments},
	{"TasksFilterAndOrder", tasks},
	{"EventsAppendInSequence", events},
	{"ConcurrentAuditAppendsKeepTheChain", concurrentAudit},
	{"LeaseIsExclusiveUntilExpiry", leaseExclusive},
	{"LeaseTokenGrows", leaseTokens},
	{"RenewAfterLossConflicts", renewAfterLoss},
	{"FencedUpdateNeedsCurrentLease", fenced},
	{"SpendIsOnce", spend},
	{"CanceledContextFails", canceled},
}

// Run runs every case with a fresh store from newStore: the core cases and
// those of the team, planning and due-index concerns (teamCases,
// planCases, dueCases and inboxCases, each in its own file), and those of
// the optional extensions [workflow.Claimer] and [workflow.ChainAppender]
// (claimCases), which skip a store that does not implement them.
func Run(t *testing.T, newStore func(t *testing.T) workflow.Store) {
	for _, group := range [][]storeCase{coreCases, teamCases, planCases, dueCases, inboxCases, claimCases} {
		for _, c := range group {
			t.Run(c.name, func(t *testing.T) { c.f(t, newStore(t)) })
		}
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func createThenGet(t *testing.T, s workflow.Store) {
	got, err := s.CreatePost(ctx(t), post("p1"))
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Rev)
	again, err := s.GetPost(ctx(t), "p1")
	require.NoError(t, err)
	assert.Equal(t, got, again)
	assert.Equal(t, "hello", again.Content.Text)
}

func createExistingConflicts(t *testing.T, s workflow.Store) {
	_, err := s.CreatePost(ctx(t), post("p1"))
	require.NoError(t, err)
	_, err = s.CreatePost(ctx(t), post("p1"))
	require.ErrorIs(t, err, socialflow.ErrConflict)
	conflictKind(t, err, workflow.ConflictPost)
}

// conflictKind checks that err is a *workflow.ConflictError of kind: the
// Dispatcher and the Service decide from the kind (see
// [workflow.ConflictKind]), so a Store must report the kind its method
// documents.
func conflictKind(t *testing.T, err error, kind workflow.ConflictKind) {
	t.Helper()
	var ce *workflow.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, kind, ce.Kind)
}

func getMissing(t *testing.T, s workflow.Store) {
	_, err := s.GetPost(ctx(t), "nope")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	_, err = s.UpdatePost(ctx(t), post("nope"))
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func staleUpdate(t *testing.T, s workflow.Store) {
	p, err := s.CreatePost(ctx(t), post("p1"))
	require.NoError(t, err)
	p.Content.Text = "v2"
	p2, err := s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Equal(t, int64(2), p2.Rev)
	p.Content.Text = "stale"
	_, err = s.UpdatePost(ctx(t), p) // still Rev 1
	var ce *workflow.ConflictError
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	assert.Equal(t, workflow.ConflictPost, ce.Kind)
	assert.Equal(t, int64(2), ce.Current, "the conflict names the current revision")
	cur, err := s.GetPost(ctx(t), "p1")
	require.NoError(t, err)
	assert.Equal(t, "v2", cur.Content.Text, "a stale write changes nothing")
}

func twoWriters(t *testing.T, s workflow.Store) {
	base, err := s.CreatePost(ctx(t), post("p1"))
	require.NoError(t, err)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := base.Clone()
			p.Content.Text = fmt.Sprint("writer ", i)
			_, errs[i] = s.UpdatePost(context.Background(), p)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			require.ErrorIs(t, err, socialflow.ErrConflict)
		}
	}
	assert.Equal(t, 1, wins, "exactly one writer of the same revision wins")
}

func copies(t *testing.T, s workflow.Store) {
	p, err := s.CreatePost(ctx(t), post("p1"))
	require.NoError(t, err)
	p.Content.Media[0].Asset = "changed"
	p.Labels[0] = "changed"
	p.Targets[0].State = workflow.TargetFailed
	got, err := s.GetPost(ctx(t), "p1")
	require.NoError(t, err)
	assert.Equal(t, "a1", got.Content.Media[0].Asset)
	assert.Equal(t, "l1", got.Labels[0])
	assert.Equal(t, workflow.TargetPending, got.Targets[0].State)
}

func listFilters(t *testing.T, s workflow.Store) {
	for _, id := range []string{"p3", "p1", "p2"} {
		p := post(id)
		if id == "p2" {
			p.Workspace = "other"
		}
		if id == "p3" {
			p.State = workflow.StateApproved
		}
		_, err := s.CreatePost(ctx(t), p)
		require.NoError(t, err)
	}
	all, err := s.ListPosts(ctx(t), workflow.PostQuery{})
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, []string{"p1", "p2", "p3"}, []string{all[0].ID, all[1].ID, all[2].ID})
	ws, err := s.ListPosts(ctx(t), workflow.PostQuery{Workspace: "ws", States: []workflow.State{workflow.StateApproved}})
	require.NoError(t, err)
	require.Len(t, ws, 1)
	assert.Equal(t, "p3", ws[0].ID)
}

func versions(t *testing.T, s workflow.Store) {
	for _, n := range []int{2, 1} {
		require.NoError(t, s.AddVersion(ctx(t), workflow.Version{Post: "p1", Number: n, Author: "ana", At: t0, Content: workflow.Content{Text: fmt.Sprint("v", n)}}))
	}
	err := s.AddVersion(ctx(t), workflow.Version{Post: "p1", Number: 2})
	require.ErrorIs(t, err, socialflow.ErrConflict)
	conflictKind(t, err, workflow.ConflictVersion)
	vs, err := s.Versions(ctx(t), "p1")
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Equal(t, "v1", vs[0].Content.Text)
	assert.Equal(t, "v2", vs[1].Content.Text)
}

func comments(t *testing.T, s workflow.Store) {
	c := workflow.Comment{ID: "c1", Post: "p1", Author: "ana", Body: "hi", Visibility: workflow.Internal, At: t0}
	require.NoError(t, s.PutComment(ctx(t), c))
	require.NoError(t, s.PutComment(ctx(t), workflow.Comment{ID: "c2", Post: "p1", Parent: "c1", Author: "ben", Body: "yo", At: t0}))
	c.Resolved = true
	require.NoError(t, s.PutComment(ctx(t), c))
	got, err := s.Comments(ctx(t), "p1")
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "c1", got[0].ID)
	assert.True(t, got[0].Resolved)
	assert.Equal(t, "c1", got[1].Parent)
}

func tasks(t *testing.T, s workflow.Store) {
	require.NoError(t, s.PutTask(ctx(t), workflow.Task{ID: "t2", Workspace: "ws", Assignee: "ana", Due: t0.Add(2 * time.Hour)}))
	require.NoError(t, s.PutTask(ctx(t), workflow.Task{ID: "t1", Workspace: "ws", Assignee: "ana", Due: t0}))
	require.NoError(t, s.PutTask(ctx(t), workflow.Task{ID: "t3", Workspace: "ws", Assignee: "ben", Due: t0}))
	require.NoError(t, s.PutTask(ctx(t), workflow.Task{ID: "t4", Workspace: "ws", Assignee: "ana", Due: t0, Done: true}))
	got, err := s.Tasks(ctx(t), workflow.TaskQuery{Assignee: "ana", Open: true})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "t1", got[0].ID)
	assert.Equal(t, "t2", got[1].ID)

	err = s.PutTask(ctx(t), workflow.Task{ID: "t1", Workspace: "other", Assignee: "eve"})
	require.ErrorIs(t, err, socialflow.ErrConflict, "a task ID of another workspace")
	var ce *workflow.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, workflow.ConflictTask, ce.Kind)
	got, err = s.Tasks(ctx(t), workflow.TaskQuery{Workspace: "other"})
	require.NoError(t, err)
	assert.Empty(t, got, "nothing changed")
	require.NoError(t, s.PutTask(ctx(t), workflow.Task{ID: "t1", Workspace: "ws", Assignee: "ben", Due: t0}), "the same workspace replaces its task")
}

func events(t *testing.T, s workflow.Store) {
	for _, ws := range []string{"ws", ""} {
		_, ok, err := s.LastEvent(ctx(t), ws)
		require.NoError(t, err)
		assert.False(t, ok)
	}
	require.ErrorIs(t, s.AppendEvent(ctx(t), workflow.Event{Workspace: "ws", Seq: 2}), socialflow.ErrConflict, "a gap")
	for i := int64(1); i <= 3; i++ {
		require.NoError(t, s.AppendEvent(ctx(t), workflow.Event{Workspace: "ws", Seq: i, Action: fmt.Sprint("a", i), Data: map[string]string{"k": "v"}}))
	}
	require.ErrorIs(t, s.AppendEvent(ctx(t), workflow.Event{Workspace: "ws", Seq: 3}), socialflow.ErrConflict, "a reused sequence number")
	var ce *workflow.ConflictError
	require.ErrorAs(t, s.AppendEvent(ctx(t), workflow.Event{Workspace: "ws", Seq: 3}), &ce)
	assert.Equal(t, workflow.ConflictEvent, ce.Kind)
	assert.Equal(t, int64(3), ce.Current)

	// Every workspace has its own chain, and events without one chain
	// under "": each starts at 1, whatever the others hold.
	require.NoError(t, s.AppendEvent(ctx(t), workflow.Event{Workspace: "other", Seq: 1, Action: "o1"}))
	require.NoError(t, s.AppendEvent(ctx(t), workflow.Event{Seq: 1, Action: "g1"}))
	require.ErrorIs(t, s.AppendEvent(ctx(t), workflow.Event{Workspace: "other", Seq: 4}), socialflow.ErrConflict, "another chain's sequence")

	last, ok, err := s.LastEvent(ctx(t), "ws")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(3), last.Seq)
	assert.Equal(t, "a3", last.Action)
	last, ok, err = s.LastEvent(ctx(t), "")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "g1", last.Action)
	got, err := s.Events(ctx(t), "ws", 1, 1)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "a2", got[0].Action)
	got[0].Data["k"] = "changed"
	all, err := s.Events(ctx(t), "ws", 0, 0)
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, "v", all[1].Data["k"], "returned events are copies")
	other, err := s.Events(ctx(t), "other", 0, 0)
	require.NoError(t, err)
	require.Len(t, other, 1)
	assert.Equal(t, "o1", other[0].Action)
	none, err := s.Events(ctx(t), "ws", 3, 0)
	require.NoError(t, err)
	assert.Empty(t, none)
	none, err = s.Events(ctx(t), "nobody", 0, 0)
	require.NoError(t, err)
	assert.Empty(t, none)
}

// concurrentAudit: writers racing on two workspaces' chains at once keep
// both chains whole, each numbered 1..n without gaps.
func concurrentAudit(t *testing.T, s workflow.Store) {
	log := workflow.NewAuditLog(s, []byte("key"))
	// Two logs over one store, as two replicas: each remembers chain
	// heads the other makes stale.
	logs := []*workflow.AuditLog{log, workflow.NewAuditLog(s, []byte("key"))}
	var wg sync.WaitGroup
	workspaces := []string{"ws", "other", ""}
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := logs[i/3%2].Append(context.Background(), workflow.Event{At: t0, Workspace: workspaces[i%3], Actor: "ana", Action: "post.edit", Object: fmt.Sprint("post:", i)})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	for _, ws := range workspaces {
		require.NoError(t, log.Verify(ctx(t), ws))
		all, err := s.Events(ctx(t), ws, 0, 0)
		require.NoError(t, err)
		require.Len(t, all, 10)
		for i, e := range all {
			assert.Equal(t, int64(i+1), e.Seq)
			assert.Equal(t, ws, e.Workspace)
		}
	}
}

func leaseExclusive(t *testing.T, s workflow.Store) {
	l, err := s.Acquire(ctx(t), "k", "a", t0, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, t0.Add(time.Minute), l.Expires)
	_, err = s.Acquire(ctx(t), "k", "b", t0.Add(59*time.Second), time.Minute)
	var ce *workflow.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, workflow.ConflictLease, ce.Kind)
	assert.Equal(t, "a", ce.Holder)
	_, err = s.Acquire(ctx(t), "k", "a", t0.Add(30*time.Second), time.Minute)
	require.ErrorIs(t, err, socialflow.ErrConflict, "not even the same holder takes a live lease again (it renews)")
	l2, err := s.Acquire(ctx(t), "k", "b", t0.Add(time.Minute), time.Minute)
	require.NoError(t, err, "an expired lease can be taken")
	assert.Equal(t, "b", l2.Holder)
	require.NoError(t, s.Release(ctx(t), l2))
	_, err = s.Acquire(ctx(t), "k", "c", t0.Add(61*time.Second), time.Minute)
	require.NoError(t, err, "a released lease can be taken")
}

func leaseTokens(t *testing.T, s workflow.Store) {
	var last int64
	for i := range 5 {
		l, err := s.Acquire(ctx(t), "k", fmt.Sprint("h", i), t0.Add(time.Duration(i)*time.Hour), time.Minute)
		require.NoError(t, err)
		assert.Greater(t, l.Token, last)
		last = l.Token
	}
}

func renewAfterLoss(t *testing.T, s workflow.Store) {
	l, err := s.Acquire(ctx(t), "k", "a", t0, time.Minute)
	require.NoError(t, err)
	l, err = s.Renew(ctx(t), l, t0.Add(30*time.Second), time.Minute)
	require.NoError(t, err)
	assert.Equal(t, t0.Add(90*time.Second), l.Expires)
	_, err = s.Acquire(ctx(t), "k", "b", t0.Add(2*time.Minute), time.Minute)
	require.NoError(t, err)
	_, err = s.Renew(ctx(t), l, t0.Add(2*time.Minute), time.Minute)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	conflictKind(t, err, workflow.ConflictLease)
}

func fenced(t *testing.T, s workflow.Store) {
	p, err := s.CreatePost(ctx(t), post("p1"))
	require.NoError(t, err)
	la, err := s.Acquire(ctx(t), "p1/c1", "a", t0, time.Minute)
	require.NoError(t, err)
	p.Content.Text = "by a"
	p, err = s.UpdatePostFenced(ctx(t), p, la, t0.Add(time.Second))
	require.NoError(t, err)

	// a's lease expires and b takes over: a can no longer record anything.
	lb, err := s.Acquire(ctx(t), "p1/c1", "b", t0.Add(2*time.Minute), time.Minute)
	require.NoError(t, err)
	p.Content.Text = "stale a"
	_, err = s.UpdatePostFenced(ctx(t), p, la, t0.Add(2*time.Minute))
	require.ErrorIs(t, err, socialflow.ErrConflict)
	conflictKind(t, err, workflow.ConflictLease)
	// The current lease with a stale revision: a post conflict, which the
	// Dispatcher merges and retries (a lease conflict it gives up on).
	stale := p
	stale.Rev--
	_, err = s.UpdatePostFenced(ctx(t), stale, lb, t0.Add(2*time.Minute))
	require.ErrorIs(t, err, socialflow.ErrConflict)
	conflictKind(t, err, workflow.ConflictPost)
	_, err = s.UpdatePostFenced(ctx(t), p, lb, t0.Add(4*time.Minute))
	require.ErrorIs(t, err, socialflow.ErrConflict, "an expired lease fences too")
	conflictKind(t, err, workflow.ConflictLease)
	got, err := s.GetPost(ctx(t), "p1")
	require.NoError(t, err)
	assert.Equal(t, "by a", got.Content.Text)
}

func canceled(t *testing.T, s workflow.Store) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.CreatePost(c, post("p1"))
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
	_, err = s.GetPost(c, "p1")
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Acquire(c, "k", "a", t0, time.Minute)
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.GetPost(context.Background(), "p1")
	require.ErrorIs(t, err, socialflow.ErrNotFound, "nothing was created")
}

func spend(t *testing.T, s workflow.Store) {
	spent, err := s.Spent(ctx(t), "link:1")
	require.NoError(t, err)
	assert.False(t, spent)
	require.NoError(t, s.Spend(ctx(t), "link:1", t0))
	require.NoError(t, s.Spend(ctx(t), "link:2", t0))
	spent, err = s.Spent(ctx(t), "link:1")
	require.NoError(t, err)
	assert.True(t, spent)
	err = s.Spend(ctx(t), "link:1", t0.Add(time.Hour))
	require.ErrorIs(t, err, socialflow.ErrDuplicate)
	conflictKind(t, err, workflow.ConflictSpent)
	var wg sync.WaitGroup
	wins := make(chan struct{}, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.Spend(context.Background(), "link:3", t0) == nil {
				wins <- struct{}{}
			}
		}()
	}
	wg.Wait()
	close(wins)
	assert.Len(t, wins, 1, "one of concurrent spends wins")
}
