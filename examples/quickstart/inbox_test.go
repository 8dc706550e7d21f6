package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
)

// playMonth runs the quickstart's month (with the inbox's week) on
// memstore, as run does, without printing.
func playMonth(t *testing.T, seed uint64) (*sim, stores) {
	t.Helper()
	tm, err := buildAgency(monthStart)
	require.NoError(t, err)
	ctx := context.Background()
	st, err := openStore(ctx, "")
	require.NoError(t, err)
	s, err := newSim(tm, seed, st)
	require.NoError(t, err)
	require.NoError(t, s.setup(ctx))
	s.plan()
	s.scriptInbox()
	s.faults()
	require.NoError(t, s.runMonth(ctx))
	return s, st
}

// TestQuickstartInboxWeek checks the week's invariants on the stores and
// the fake networks, for two seeds: every item listed is stored once in
// its conversation, every reply sent is on the network exactly once and
// threaded under the item it answers, nothing is left half-sent, and the
// report counts what the store holds.
func TestQuickstartInboxWeek(t *testing.T) {
	for _, seed := range []uint64{1, 7} {
		s, st := playMonth(t, seed)
		ctx := context.Background()
		items, sent := 0, 0
		for _, ws := range []string{"bakery", "cycles"} {
			cs, err := st.workflow.Conversations(ctx, workflow.ConversationQuery{Workspace: ws})
			require.NoError(t, err)
			rep, err := s.svc.InboxReport(ctx, "mia", ws, analyticsOptions())
			require.NoError(t, err)
			assert.Equal(t, len(cs), rep.All.Conversations, "seed %d %s: the report counts every conversation", seed, ws)
			for _, c := range cs {
				its, err := st.workflow.ConversationItems(ctx, c.ID)
				require.NoError(t, err)
				assert.Len(t, its, c.Items, "seed %d: %s holds its items once", seed, c.ID)
				items += len(its)
				for _, r := range c.Replies {
					switch r.State {
					case workflow.ReplySent:
						sent++
						net := s.nets[c.Network]
						assert.Equal(t, 1, net.Published(r.Marker), "seed %d: reply %s on the network once", seed, r.ID)
						it, err := st.workflow.InboxItem(ctx, r.Item)
						require.NoError(t, err)
						var under []string
						for _, p := range net.Replies(it.Item.ID) {
							under = append(under, p.Marker)
						}
						assert.Contains(t, under, r.Marker, "seed %d: reply %s threaded under the item it answers", seed, r.ID)
					case workflow.ReplyQueued, workflow.ReplySending, workflow.ReplyUnconfirmed, workflow.ReplyAwaitingApproval:
						t.Errorf("seed %d: reply %s left %s after the week", seed, r.ID, r.State)
					}
				}
			}
		}
		listed := 0
		for _, ch := range []string{"bakery-ig", "bakery-li", "cycles-x", "cycles-bsky"} {
			c, _ := s.team.Channel(ch)
			listed += len(s.nets[c.Network].Items(ch))
		}
		assert.Equal(t, listed, items, "seed %d: every item that arrived is stored, once", seed)
		assert.Equal(t, s.desk.ingest.Stored, items, "seed %d", seed)
		assert.Equal(t, s.desk.delivery.Sent, sent, "seed %d", seed)
		assert.Positive(t, sent, "seed %d", seed)
		for _, n := range s.nets {
			assert.Empty(t, n.Duplicates(), "seed %d: nothing published twice on %s", seed, n.Spec().Network)
		}
		assert.Equal(t, 1, s.nets[networks.Instagram].Faults()["lost_response"], "seed %d: the scripted lost answer happened", seed)
	}
}
