package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/pgstore/internal/pgtest"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestInboxReplicasOnPostgres: three Services over one PostgreSQL schema
// ingest overlapping, reordered listings of the same items at once, with
// hostile text: every item is stored once, every conversation routed once,
// round robin fair, and the text comes back as stored.
func TestInboxReplicasOnPostgres(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	st := pgtest.Store(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", now))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "c0", WorkspaceID: "w", Network: "fakenet"}))
	for _, m := range []string{"cam", "dee"} {
		require.NoError(t, tm.AddMember(team.Member{ID: m}))
		require.NoError(t, tm.Invite("boss", team.Membership{MemberID: m, WorkspaceID: "w", Role: team.RoleCommunity}, now))
	}
	clock := networks.ClockFunc(func() time.Time { return now })
	var svcs []*workflow.Service
	for i := range 3 {
		var t0 *team.Team
		if i == 0 {
			t0 = tm
		}
		svc, err := workflow.NewService(t0, st, workflow.WithClock(clock))
		require.NoError(t, err)
		svcs = append(svcs, svc)
	}
	const items = 120
	hostile := "<b>hi</b> \xff\x00 \u202e"
	listing := func(offset int) []networks.Incoming {
		var out []networks.Incoming
		for i := range items {
			j := (i*7 + offset) % items
			out = append(out, networks.Incoming{Network: "fakenet", AccountID: "c0", ID: networks.RemoteID(fmt.Sprint("i", j)),
				Thread: fmt.Sprint("t", j/4), Text: hostile, At: now.Add(time.Duration(j) * time.Second)})
		}
		return out
	}
	var wg sync.WaitGroup
	stored := make([]int, 3)
	for i, svc := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := listing(i * 13)
			for k := 0; k < len(l); k += 10 {
				r, err := svc.IngestIncoming(context.Background(), fmt.Sprint("replica-", i), "c0", l[k:k+10])
				assert.NoError(t, err)
				stored[i] += r.Stored
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, items, stored[0]+stored[1]+stored[2], "each item stored once")
	cs, err := st.Conversations(t.Context(), workflow.ConversationQuery{Workspace: "w"})
	require.NoError(t, err)
	require.Len(t, cs, items/4)
	per := map[string]int{}
	for _, c := range cs {
		assert.Equal(t, 4, c.Items)
		assert.Equal(t, workflow.ConvAssigned, c.State)
		per[c.Assignee]++
		got, err := st.ConversationItems(t.Context(), c.ID)
		require.NoError(t, err)
		require.Len(t, got, 4)
		assert.Equal(t, "<b>hi</b> \uFFFD\uFFFD \u202e", got[0].Item.Text)
	}
	// Round robin: two items of one new conversation stored at once by two
	// replicas may each draw a turn, and the loser's turn is skipped, so
	// under races the spread is a little wider than one.
	for _, m := range []string{"boss", "cam", "dee"} {
		assert.InDelta(t, items/4/3, per[m], 3, "round robin: %v", per)
	}
	routes := map[string]int{}
	evs, err := st.Events(t.Context(), "w", 0, 0)
	require.NoError(t, err)
	for _, e := range evs {
		if e.Action == "inbox.route" {
			routes[e.Object]++
		}
	}
	assert.Len(t, routes, items/4)
	for o, n := range routes {
		assert.Equal(t, 1, n, o)
	}
	require.NoError(t, svcs[1].Audit().Verify(t.Context(), "w"))
}
