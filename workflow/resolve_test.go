package workflow_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
)

// TestResolvingATargetByHand: what a person reports is checked like
// networks.MarkPublished checks it, the remote ID is kept for metrics, and
// a state mismatch is a conflict.
func TestResolvingATargetByHand(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	put := func(t *testing.T, id string, st workflow.TargetState, out workflow.TargetResult) {
		t.Helper()
		state := workflow.StateUnconfirmed
		if st == workflow.TargetManual {
			state = workflow.StatePublishing
		}
		_, err := e.store.CreatePost(ctx, workflow.Post{ID: id, Workspace: "brand", Author: "cat", State: state, Version: 1,
			Content: workflow.Content{Text: "by hand"}, Targets: []workflow.Target{{Channel: "ig", Network: "instagram", State: st, Outcome: out}}})
		require.NoError(t, err)
	}
	unconfirmed := func(id string, r workflow.Resolution) (workflow.Post, error) {
		r.Post, r.Channel = id, "ig"
		return e.svc.ResolveUnconfirmed(ctx, "mgr", r)
	}
	manual := func(id string, r workflow.Resolution) (workflow.Post, error) {
		return e.svc.MarkPublishedManually(ctx, "mgr", workflow.ManualPublication{Post: id, Channel: "ig", URL: r.URL, RemoteID: r.RemoteID})
	}
	cases := []struct {
		name       string
		state      workflow.TargetState
		had        workflow.TargetResult
		call       func(string, workflow.Resolution) (workflow.Post, error)
		in         workflow.Resolution
		wantIs     error
		wantRemote string
		wantURL    string
	}{
		{"javascript URL", workflow.TargetUnconfirmed, workflow.TargetResult{}, unconfirmed, workflow.Resolution{Published: true, URL: "javascript:alert(1)"}, socialflow.ErrInvalid, "", ""},
		{"relative URL", workflow.TargetManual, workflow.TargetResult{}, manual, workflow.Resolution{URL: "/p/1"}, socialflow.ErrInvalid, "", ""},
		{"no URL", workflow.TargetManual, workflow.TargetResult{}, manual, workflow.Resolution{}, socialflow.ErrInvalid, "", ""},
		{"remote ID with a space", workflow.TargetManual, workflow.TargetResult{}, manual, workflow.Resolution{URL: "https://ig.example/p/1", RemoteID: "a b"}, socialflow.ErrInvalid, "", ""},
		{"a URL for a target not published", workflow.TargetUnconfirmed, workflow.TargetResult{}, unconfirmed, workflow.Resolution{URL: "https://ig.example/p/1"}, socialflow.ErrInvalid, "", ""},
		{"manual call on an unconfirmed target", workflow.TargetUnconfirmed, workflow.TargetResult{}, manual, workflow.Resolution{URL: "https://ig.example/p/1"}, socialflow.ErrConflict, "", ""},
		{"unconfirmed call on a manual target", workflow.TargetManual, workflow.TargetResult{}, unconfirmed, workflow.Resolution{Published: true, URL: "https://ig.example/p/1"}, socialflow.ErrConflict, "", ""},
		{"remote ID given", workflow.TargetUnconfirmed, workflow.TargetResult{}, unconfirmed, workflow.Resolution{Published: true, URL: "https://ig.example/p/1", RemoteID: "1789"}, nil, "1789", "https://ig.example/p/1"},
		{"remote ID the target had", workflow.TargetUnconfirmed, workflow.TargetResult{RemoteID: "r-42"}, unconfirmed, workflow.Resolution{Published: true, URL: "https://ig.example/p/42"}, nil, "r-42", "https://ig.example/p/42"},
		{"no remote ID: the URL stands for it", workflow.TargetManual, workflow.TargetResult{}, manual, workflow.Resolution{URL: "https://ig.example/p/7"}, nil, "https://ig.example/p/7", "https://ig.example/p/7"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := "r" + string(rune('a'+i))
			put(t, id, c.state, c.had)
			got, err := c.call(id, c.in)
			if c.wantIs != nil {
				require.ErrorIs(t, err, c.wantIs)
				if c.wantIs == socialflow.ErrConflict {
					var se *workflow.TargetStateError
					require.ErrorAs(t, err, &se)
					assert.Equal(t, c.state, se.State)
				}
				stored, err := e.store.GetPost(ctx, id)
				require.NoError(t, err)
				assert.Equal(t, c.state, stored.Targets[0].State, "nothing changed")
				return
			}
			require.NoError(t, err)
			tg := got.Target("ig")
			assert.Equal(t, workflow.TargetPublished, tg.State)
			assert.Equal(t, c.wantRemote, tg.Outcome.RemoteID)
			assert.Equal(t, c.wantURL, tg.Outcome.URL)
			assert.Equal(t, workflow.StatePublished, got.State)
		})
	}

	put(t, "again", workflow.TargetUnconfirmed, workflow.TargetResult{Round: 2, Marker: "m"})
	got, err := unconfirmed("again", workflow.Resolution{})
	require.NoError(t, err)
	assert.Equal(t, workflow.TargetScheduled, got.Target("ig").State, "not published: scheduled again")
	assert.Equal(t, 3, got.Target("ig").Outcome.Round, "in a new round")
}
