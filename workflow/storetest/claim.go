package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
)

// claimCases cover the optional extensions a store may implement: batch
// claims ([workflow.Claimer]) and chained appends
// ([workflow.ChainAppender]). Each case skips a store without the
// extension.
var claimCases = []storeCase{
	{"ClaimDueInDueOrderWithPosts", claimOrder},
	{"ClaimDueSkipsLiveLeasesTakesExpired", claimLeases},
	{"ClaimDueConcurrentClaimersDisjoint", claimConcurrent},
	{"ClaimDueRefusesBadArguments", claimBad},
	{"AppendAfterChecksTheHead", appendAfter},
	{"AppendAfterConcurrentKeepsTheChain", appendAfterConcurrent},
}

func claimer(t *testing.T, s workflow.Store) workflow.Claimer {
	t.Helper()
	c, ok := s.(workflow.Claimer)
	if !ok {
		t.Skip("the store does not implement workflow.Claimer")
	}
	return c
}

func claimKeys(cs []workflow.DueClaim) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Lease.Key)
	}
	return out
}

func claimOrder(t *testing.T, s workflow.Store) {
	c := claimer(t, s)
	create(t, s,
		withTargets("p2", target("c1", workflow.TargetScheduled, t0.Add(2*time.Minute), time.Time{})),
		withTargets("p1", target("c2", workflow.TargetScheduled, t0, time.Time{}), target("c1", workflow.TargetScheduled, t0, time.Time{})),
		withTargets("later", target("c1", workflow.TargetScheduled, t0.Add(time.Hour), time.Time{})),
		withTargets("done", target("c1", workflow.TargetPublished, t0, time.Time{})),
	)
	now := t0.Add(5 * time.Minute)
	cs, err := c.ClaimDue(ctx(t), "h1", now, time.Minute, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"p1/c1", "p1/c2"}, claimKeys(cs), "due order: (At, Post, Channel)")
	for _, cl := range cs {
		assert.Equal(t, workflow.TargetKey(cl.Entry.Post, cl.Entry.Channel), cl.Lease.Key)
		assert.Equal(t, "h1", cl.Lease.Holder)
		assert.Equal(t, now.Add(time.Minute), cl.Lease.Expires)
		assert.Positive(t, cl.Lease.Token)
		assert.Equal(t, "ws", cl.Entry.Workspace)
		assert.True(t, cl.Entry.At.Equal(t0))
		stored, err := s.GetPost(ctx(t), cl.Entry.Post)
		require.NoError(t, err)
		assert.Equal(t, stored, cl.Post, "the claim carries the stored post")
	}
	cs[0].Post.Content.Text = "changed"
	stored, err := s.GetPost(ctx(t), "p1")
	require.NoError(t, err)
	assert.Equal(t, "hello", stored.Content.Text, "a claim's post is a copy")

	more, err := c.ClaimDue(ctx(t), "h2", now, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"p2/c1"}, claimKeys(more), "claimed targets are not claimed again; not yet due, published: never")
	none, err := c.ClaimDue(ctx(t), "h2", now, time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, none)

	// A claim's lease is a lease like Acquire's: exclusive, fencing.
	_, err = s.Acquire(ctx(t), "p1/c1", "h2", now, time.Minute)
	conflictKind(t, err, workflow.ConflictLease)
	p := cs[0].Post
	p.Target(cs[0].Entry.Channel).State = workflow.TargetPublished
	_, err = s.UpdatePostFenced(ctx(t), p, cs[0].Lease, now)
	require.NoError(t, err)
	require.NoError(t, s.Release(ctx(t), cs[1].Lease))
	again, err := c.ClaimDue(ctx(t), "h3", now, time.Minute, 10)
	require.NoError(t, err)
	require.Equal(t, []string{"p1/c2"}, claimKeys(again), "a released lease is claimed again; a published target is not due")
	assert.Greater(t, again[0].Lease.Token, cs[1].Lease.Token)
}

func claimLeases(t *testing.T, s workflow.Store) {
	c := claimer(t, s)
	create(t, s,
		withTargets("a", target("c1", workflow.TargetScheduled, t0, time.Time{})),
		withTargets("b", target("c1", workflow.TargetScheduled, t0.Add(time.Second), time.Time{})))
	now := t0.Add(time.Hour)
	held, err := s.Acquire(ctx(t), "a/c1", "other", now, time.Minute)
	require.NoError(t, err)
	cs, err := c.ClaimDue(ctx(t), "h", now, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"b/c1"}, claimKeys(cs), "a live lease is skipped")

	// The lease held elsewhere expires: the claim takes it over with a
	// larger token, and the old holder's fenced write fails.
	later := now.Add(time.Minute)
	cs, err = c.ClaimDue(ctx(t), "h", later, time.Minute, 10)
	require.NoError(t, err)
	require.Equal(t, []string{"a/c1", "b/c1"}, claimKeys(cs), "expired leases are taken over")
	assert.Greater(t, cs[0].Lease.Token, held.Token)
	p, err := s.GetPost(ctx(t), "a")
	require.NoError(t, err)
	_, err = s.UpdatePostFenced(ctx(t), p, held, later)
	conflictKind(t, err, workflow.ConflictLease)
	_, err = s.UpdatePostFenced(ctx(t), p, cs[0].Lease, later)
	require.NoError(t, err)
}

func claimConcurrent(t *testing.T, s workflow.Store) {
	c := claimer(t, s)
	for i := range 15 {
		create(t, s, withTargets(fmt.Sprintf("p%02d", i),
			target("c1", workflow.TargetScheduled, t0.Add(time.Duration(i)*time.Second), time.Time{}),
			target("c2", workflow.TargetScheduled, t0.Add(time.Duration(i)*time.Second), time.Time{})))
	}
	now := t0.Add(time.Hour)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		keys = map[string]string{}
	)
	for h := range 4 {
		wg.Go(func() {
			for {
				cs, err := c.ClaimDue(context.Background(), fmt.Sprint("h", h), now, time.Minute, 3)
				if !assert.NoError(t, err) || len(cs) == 0 {
					return
				}
				mu.Lock()
				for _, cl := range cs {
					_, dup := keys[cl.Lease.Key]
					assert.False(t, dup, "%s claimed twice", cl.Lease.Key)
					keys[cl.Lease.Key] = cl.Lease.Holder
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Len(t, keys, 30, "every due target claimed once")
}

func claimBad(t *testing.T, s workflow.Store) {
	c := claimer(t, s)
	_, err := c.ClaimDue(ctx(t), "h", t0, 0, 1)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = c.ClaimDue(ctx(t), "h", t0, time.Minute, 0)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	cctx, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err = c.ClaimDue(cctx, "h", t0, time.Minute, 1)
	require.ErrorIs(t, err, context.Canceled)
}

func chainAppender(t *testing.T, s workflow.Store) workflow.ChainAppender {
	t.Helper()
	c, ok := s.(workflow.ChainAppender)
	if !ok {
		t.Skip("the store does not implement workflow.ChainAppender")
	}
	return c
}

func appendAfter(t *testing.T, s workflow.Store) {
	c := chainAppender(t, s)
	one := func(e workflow.Event) []workflow.Event { return []workflow.Event{e} }
	first := workflow.Event{Workspace: "ws", Seq: 1, Action: "a1", Hash: "h1"}
	_, _, err := c.AppendAfter(ctx(t), one(workflow.Event{Workspace: "ws", Seq: 1, Prev: "x", Hash: "h1"}))
	conflictKind(t, err, workflow.ConflictEvent)
	_, found, err := c.AppendAfter(ctx(t), one(workflow.Event{Workspace: "ws", Seq: 2, Hash: "h2"}))
	conflictKind(t, err, workflow.ConflictEvent)
	assert.False(t, found, "an empty chain has no head")
	got, found, err := c.AppendAfter(ctx(t), one(first))
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, first, got)

	second := workflow.Event{Workspace: "ws", Seq: 2, Prev: "h1", Action: "a2", Hash: "h2", Data: map[string]string{"k": "v"}}
	third := workflow.Event{Workspace: "ws", Seq: 3, Prev: "h2", Action: "a3", Hash: "h3"}
	for _, bad := range [][]workflow.Event{
		one(workflow.Event{Workspace: "ws", Seq: 2, Prev: "forged", Hash: "hx"}),                   // the right number after the wrong head
		one(workflow.Event{Workspace: "ws", Seq: 1, Hash: "hx"}),                                   // a reused number
		one(workflow.Event{Workspace: "ws", Seq: 3, Prev: "h1", Hash: "hx"}),                       // a gap
		{{Workspace: "ws", Seq: 1, Hash: "hx"}, {Workspace: "ws", Seq: 2, Prev: "hx", Hash: "hy"}}, // a batch after the wrong head
	} {
		head, found, err := c.AppendAfter(ctx(t), bad)
		require.ErrorIs(t, err, socialflow.ErrConflict)
		var ce *workflow.ConflictError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, workflow.ConflictEvent, ce.Kind)
		assert.Equal(t, int64(1), ce.Current)
		assert.True(t, found)
		assert.Equal(t, first, head, "the conflict returns the head")
	}
	for _, bad := range [][]workflow.Event{
		nil,
		{second, {Workspace: "ws", Seq: 4, Prev: "h2", Hash: "h4"}},    // not numbered in a row
		{second, {Workspace: "ws", Seq: 3, Prev: "other", Hash: "h3"}}, // not linked
		{second, {Workspace: "other", Seq: 3, Prev: "h2", Hash: "h3"}}, // two chains
	} {
		_, _, err := c.AppendAfter(ctx(t), bad)
		require.ErrorIs(t, err, socialflow.ErrInvalid)
	}
	got, found, err = c.AppendAfter(ctx(t), []workflow.Event{second, third})
	require.NoError(t, err, "a batch continuing the head")
	assert.True(t, found)
	assert.Equal(t, third, got)
	_, _, err = c.AppendAfter(ctx(t), one(workflow.Event{Workspace: "other", Seq: 1, Hash: "o1"}))
	require.NoError(t, err, "every workspace has its own chain")
	all, err := s.Events(ctx(t), "ws", 0, 0)
	require.NoError(t, err)
	assert.Equal(t, []workflow.Event{first, second, third}, all)
	last, ok, err := s.LastEvent(ctx(t), "ws")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, third, last)
}

// appendAfterConcurrent: several audit logs over one store (replicas, each
// remembering chain heads that the others make stale, each batching the
// appends that wait) append at once; the chain stays whole and verifies.
func appendAfterConcurrent(t *testing.T, s workflow.Store) {
	chainAppender(t, s)
	key := []byte("key")
	logs := []*workflow.AuditLog{workflow.NewAuditLog(s, key), workflow.NewAuditLog(s, key), workflow.NewAuditLog(s, key)}
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			_, err := logs[i%3].Append(context.Background(), workflow.Event{At: t0, Workspace: "ws", Actor: "ana", Action: "post.edit", Object: fmt.Sprint("post:", i)})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	require.NoError(t, logs[0].Verify(ctx(t), "ws"))
	all, err := s.Events(ctx(t), "ws", 0, 0)
	require.NoError(t, err)
	require.Len(t, all, 60)
}
