package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/workflow"
)

// dueCases cover the due index ([workflow.DueIndex]).
var dueCases = []storeCase{
	{"DueTargetsInDueOrder", dueOrder},
	{"DueTargetsLimitAndCursor", dueLimit},
	{"DueIndexFollowsUpdates", dueUpdates},
	{"DueIndexTwoWritersRacing", dueRacing},
	{"DueIndexReturnsCopies", dueCopies},
	{"DueDeadlinesFollowTheReview", dueDeadlines},
}

// target is a target of channel in state st at at, next try next.
func target(channel string, st workflow.TargetState, at, next time.Time) workflow.Target {
	return workflow.Target{Channel: channel, Network: "x", State: st, At: at, Outcome: workflow.TargetResult{NextTry: next}}
}

func withTargets(id string, ts ...workflow.Target) workflow.Post {
	p := post(id)
	p.State = workflow.StateScheduled
	p.Targets = ts
	return p
}

func create(t *testing.T, s workflow.Store, ps ...workflow.Post) {
	t.Helper()
	for _, p := range ps {
		_, err := s.CreatePost(ctx(t), p)
		require.NoError(t, err)
	}
}

func dueKeys(t *testing.T, s workflow.Store, q workflow.DueQuery) []string {
	t.Helper()
	got, err := s.DueTargets(ctx(t), q)
	require.NoError(t, err)
	var out []string
	for _, e := range got {
		out = append(out, fmt.Sprintf("%s/%s@%s", e.Post, e.Channel, e.At.Sub(t0)))
	}
	return out
}

func dueOrder(t *testing.T, s workflow.Store) {
	never := time.Time{}
	create(t, s,
		withTargets("b", target("c2", workflow.TargetScheduled, t0, never), target("c1", workflow.TargetScheduled, t0, never)),
		withTargets("a", target("c1", workflow.TargetScheduled, t0.Add(-time.Hour), never),
			target("c2", workflow.TargetScheduled, t0.Add(-2*time.Hour), t0.Add(time.Minute))), // a retry later than its slot
		withTargets("stuck", target("c1", workflow.TargetPublishing, t0.Add(-time.Hour), t0.Add(-time.Minute))),
		withTargets("async", target("c1", workflow.TargetAwaiting, t0.Add(-time.Hour), t0.Add(-30*time.Minute))),
		withTargets("parked", target("c1", workflow.TargetUnconfirmed, t0.Add(-time.Hour), never)),
		withTargets("done", target("c1", workflow.TargetPublished, t0.Add(-time.Hour), never),
			target("c2", workflow.TargetFailed, t0.Add(-time.Hour), never), target("c3", workflow.TargetCancelled, t0, never),
			target("c4", workflow.TargetManual, t0, never), target("c5", workflow.TargetPending, t0, never)),
		withTargets("later", target("c1", workflow.TargetScheduled, t0.Add(time.Hour), never)),
		post("draft"),
	)
	want := []string{"a/c1@-1h0m0s", "async/c1@-30m0s", "stuck/c1@-1m0s", "b/c1@0s", "b/c2@0s"}
	assert.Equal(t, want, dueKeys(t, s, workflow.DueQuery{Before: t0}), "due order, then post, then channel; nothing that needs no action")
	assert.Equal(t, append(want, "a/c2@1m0s", "later/c1@1h0m0s"), dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Hour)}), "at or before the instant")
	got, err := s.DueTargets(ctx(t), workflow.DueQuery{Before: t0, Limit: 1})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, workflow.DueEntry{At: t0.Add(-time.Hour), Post: "a", Channel: "c1", Workspace: "ws"}, got[0])
	assert.Empty(t, dueKeys(t, s, workflow.DueQuery{Before: t0.Add(-3 * time.Hour)}))
}

func dueLimit(t *testing.T, s workflow.Store) {
	for i := range 25 {
		create(t, s, withTargets(fmt.Sprintf("p%02d", i), target("c1", workflow.TargetScheduled, t0.Add(time.Duration(i%5)*time.Minute), time.Time{})))
	}
	var all []string
	q := workflow.DueQuery{Before: t0.Add(time.Hour), Limit: 7}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10, "paging ends")
		got, err := s.DueTargets(ctx(t), q)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(got), 7)
		for _, e := range got {
			all = append(all, e.Post)
		}
		if len(got) < q.Limit {
			break
		}
		q.After = got[len(got)-1]
	}
	require.Len(t, all, 25, "every entry once, across pages")
	want := dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Hour)})
	require.Len(t, want, 25)
	assert.Equal(t, "p00/c1@0s", want[0])
	assert.Equal(t, "p05/c1@0s", want[1], "ties by post")
	assert.Equal(t, "p24/c1@4m0s", want[24])
	assert.Len(t, dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Minute)}), 10)
}

func dueUpdates(t *testing.T, s workflow.Store) {
	p, err := s.CreatePost(ctx(t), withTargets("p", target("c1", workflow.TargetPending, t0, time.Time{}), target("c2", workflow.TargetPending, t0, time.Time{})))
	require.NoError(t, err)
	assert.Empty(t, dueKeys(t, s, workflow.DueQuery{Before: t0}), "pending: not in the index")

	p.Targets[0].State, p.Targets[1].State = workflow.TargetScheduled, workflow.TargetScheduled
	p, err = s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Equal(t, []string{"p/c1@0s", "p/c2@0s"}, dueKeys(t, s, workflow.DueQuery{Before: t0}), "scheduled: in")

	p.Targets[0].State, p.Targets[0].Outcome.NextTry = workflow.TargetPublishing, t0.Add(2*time.Minute)
	p, err = s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Equal(t, []string{"p/c2@0s", "p/c1@2m0s"}, dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Hour)}), "moved to its lease expiry")

	l, err := s.Acquire(ctx(t), "p/c2", "d", t0, time.Minute)
	require.NoError(t, err)
	p.Targets[1].State = workflow.TargetPublished
	p, err = s.UpdatePostFenced(ctx(t), p, l, t0)
	require.NoError(t, err)
	assert.Equal(t, []string{"p/c1@2m0s"}, dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Hour)}), "published: out, by a fenced write too")

	stale := p
	stale.Rev--
	stale.Targets[0].State = workflow.TargetScheduled
	_, err = s.UpdatePost(ctx(t), stale)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	assert.Equal(t, []string{"p/c1@2m0s"}, dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Hour)}), "a refused write moves nothing")

	p.Targets = p.Targets[1:]
	_, err = s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Empty(t, dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Hour)}), "a removed target leaves")
}

// dueRacing: writers racing on the same posts, from the same revisions.
// Whichever wins, the index holds exactly the due targets of the stored
// posts.
func dueRacing(t *testing.T, s workflow.Store) {
	const n = 20
	for i := range n {
		create(t, s, withTargets(fmt.Sprint("p", i), target("c1", workflow.TargetScheduled, t0, time.Time{})))
	}
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				p, err := s.GetPost(ctx(t), fmt.Sprint("p", i))
				if !assert.NoError(t, err) {
					return
				}
				if w == 0 {
					p.Targets[0].State = workflow.TargetPublished
				} else {
					p.Targets[0].Outcome.NextTry = t0.Add(time.Duration(i+1) * time.Minute)
				}
				if _, err := s.UpdatePost(ctx(t), p); err != nil {
					assert.ErrorIs(t, err, socialflow.ErrConflict)
				}
			}
		}()
	}
	wg.Wait()
	var want []string
	for i := range n {
		p, err := s.GetPost(ctx(t), fmt.Sprint("p", i))
		require.NoError(t, err)
		if at, ok := p.Targets[0].NextAction(); ok {
			want = append(want, fmt.Sprintf("%s/c1@%s", p.ID, at.Sub(t0)))
		}
	}
	got := dueKeys(t, s, workflow.DueQuery{Before: t0.Add(time.Hour)})
	assert.ElementsMatch(t, want, got, "the index agrees with the stored posts")
	assert.Len(t, got, len(want))
}

func dueCopies(t *testing.T, s workflow.Store) {
	create(t, s, withTargets("p", target("c1", workflow.TargetScheduled, t0, time.Time{})))
	got, err := s.DueTargets(ctx(t), workflow.DueQuery{Before: t0})
	require.NoError(t, err)
	require.Len(t, got, 1)
	got[0].Post, got[0].At = "changed", t0.Add(time.Hour)
	assert.Equal(t, []string{"p/c1@0s"}, dueKeys(t, s, workflow.DueQuery{Before: t0}))
}

func dueDeadlines(t *testing.T, s workflow.Store) {
	p := post("review")
	p.State, p.SubmittedAt = workflow.StateInReview, t0
	p.Policy = approval.Policy{Kind: approval.Required, Stages: []approval.Stage{{
		Approvers: approval.Approvers{Members: []string{"ben"}},
		Deadline:  &approval.Deadline{Within: approval.Duration(10 * time.Hour), Reminders: []int{50}},
	}}}
	plain := post("plain")
	plain.State, plain.SubmittedAt = workflow.StateInReview, t0
	plain.Policy = approval.Policy{Kind: approval.Required, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: []string{"ben"}}}}}
	create(t, s, p, plain)
	deadlines := func(before time.Time) []string {
		got, err := s.DueDeadlines(ctx(t), workflow.DueQuery{Before: before})
		require.NoError(t, err)
		var out []string
		for _, e := range got {
			assert.Empty(t, e.Channel)
			assert.Equal(t, "ws", e.Workspace)
			out = append(out, fmt.Sprintf("%s@%s", e.Post, e.At.Sub(t0)))
		}
		return out
	}
	assert.Empty(t, deadlines(t0.Add(4*time.Hour)), "nothing before the first reminder; no deadline: never")
	assert.Equal(t, []string{"review@5h0m0s"}, deadlines(t0.Add(5*time.Hour)), "the reminder at 50 %")

	p, err := s.GetPost(ctx(t), "review")
	require.NoError(t, err)
	p.RemindedAt = t0.Add(5 * time.Hour)
	p, err = s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Empty(t, deadlines(t0.Add(10*time.Hour)), "reminded; the deadline is missed only after Due")
	assert.Equal(t, []string{"review@10h0m0.000000001s"}, deadlines(t0.Add(11*time.Hour)))

	p.State = workflow.StateApproved
	_, err = s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Empty(t, deadlines(t0.Add(48*time.Hour)), "out of review: out of the index")
}
