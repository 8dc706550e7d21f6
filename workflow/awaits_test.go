package workflow_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
)

// TestAwaitingShowsEachMembersApprovalsAndTasks: approvals go to the
// approvers the open stage awaits, tasks to their assignee with their due
// reminder, overdue items are flagged, and the member's scope applies.
func TestAwaitingShowsEachMembersApprovalsAndTasks(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	p := e.draft(t, "Croissants at nine")
	_, err := e.svc.Submit(ctx, "cat", p.ID)
	require.NoError(t, err)
	onX, err := e.svc.CreatePost(ctx, "cat", workflow.NewPost{Workspace: "brand", Channels: []string{"x"}, Content: workflow.Content{Text: "x only"}})
	require.NoError(t, err)
	_, err = e.svc.Submit(ctx, "cat", onX.ID)
	require.NoError(t, err)
	_, err = e.svc.AssignTask(ctx, "mgr", workflow.Task{Workspace: "brand", Post: p.ID, Step: "design", Assignee: "cat", Due: t0.Add(time.Hour)})
	require.NoError(t, err)
	_, err = e.svc.AssignTask(ctx, "mgr", workflow.Task{Workspace: "brand", Post: onX.ID, Step: "copy", Assignee: "cat", Due: t0.Add(3 * time.Hour)})
	require.NoError(t, err)
	e.clock.advance(2 * time.Hour)

	cases := []struct {
		member    string
		approvals []string
		tasks     int
		overdue   int
	}{
		{"app", []string{p.ID, onX.ID}, 0, 0},
		{"mgr", []string{p.ID, onX.ID}, 0, 0},
		{"lee", nil, 0, 0},
		{"cat", nil, 2, 1},
	}
	for _, c := range cases {
		t.Run(c.member, func(t *testing.T) {
			a, err := e.svc.Awaiting(ctx, c.member, "brand")
			require.NoError(t, err)
			var ids []string
			for _, ap := range a.Approvals {
				ids = append(ids, ap.Post)
				assert.Equal(t, 1, ap.Version)
			}
			assert.ElementsMatch(t, c.approvals, ids)
			assert.Len(t, a.Tasks, c.tasks)
			assert.Equal(t, c.overdue, a.Overdue)
			if c.tasks > 0 {
				assert.True(t, a.Tasks[0].Overdue, "the earliest reminder comes first and is overdue")
				assert.Equal(t, "design", a.Tasks[0].Task.Step)
			}
		})
	}

	// A member restricted to ig sees only what is on ig.
	_, err = e.svc.Restrict(ctx, "boss", workflow.RestrictRequest{Member: "cat", Workspace: "brand", Channels: []string{"ig"}})
	require.NoError(t, err)
	a, err := e.svc.Awaiting(ctx, "cat", "brand")
	require.NoError(t, err)
	require.Len(t, a.Tasks, 1)
	assert.Equal(t, p.ID, a.Tasks[0].Task.Post)

	_, err = e.svc.Awaiting(ctx, "cat", "other")
	require.ErrorIs(t, err, socialflow.ErrForbidden)
}
