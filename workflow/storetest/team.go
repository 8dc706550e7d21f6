package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// teamCases cover the team model ([workflow.TeamStore]).
var teamCases = []storeCase{
	{"TeamEmptyUntilSaved", teamEmpty},
	{"TeamSaveThenLoad", teamSaveLoad},
	{"TeamStaleSaveConflicts", teamStale},
	{"TeamTwoWritersOneWins", teamTwoWriters},
	{"TeamReturnedValuesAreCopies", teamCopies},
	{"TeamCanceledContextFails", teamCanceled},
}

func teamDoc() team.TeamDoc {
	return team.TeamDoc{
		Organizations: []team.Organization{{ID: "org", Name: "Org", Kind: team.OrgAgency}},
		Workspaces:    []team.Workspace{{ID: "ws", OrgID: "org", Name: "WS"}},
		Channels:      []team.Channel{{ID: "c1", WorkspaceID: "ws", Network: "x", Handle: "@c1", Zone: "Europe/Paris"}},
		Members:       []team.Member{{ID: "ana", Name: "Ana", OrgID: "org"}, {ID: "bo", Name: "Bo"}},
		Roles:         []team.Role{{Name: "legal", Permissions: []team.Permission{team.PermViewCalendar, team.PermApprove}}},
		Memberships: []team.Membership{
			{MemberID: "ana", WorkspaceID: "ws", Role: team.RoleOwner, Since: t0},
			{MemberID: "bo", WorkspaceID: "ws", Role: "legal", Channels: []string{"c1"}, Networks: []string{"x"}, Since: t0},
		},
	}
}

func teamEmpty(t *testing.T, s workflow.Store) {
	rev, err := s.TeamRev(ctx(t))
	require.NoError(t, err)
	assert.Zero(t, rev)
	d, err := s.LoadTeam(ctx(t))
	require.NoError(t, err)
	assert.Zero(t, d.Rev)
	assert.True(t, d.Empty())
}

func teamSaveLoad(t *testing.T, s workflow.Store) {
	want := teamDoc()
	saved, err := s.SaveTeam(ctx(t), want)
	require.NoError(t, err)
	assert.EqualValues(t, 1, saved.Rev)
	got, err := s.LoadTeam(ctx(t))
	require.NoError(t, err)
	want.Rev = 1
	assert.Equal(t, want, got)
	rev, err := s.TeamRev(ctx(t))
	require.NoError(t, err)
	assert.EqualValues(t, 1, rev)

	got.Members = append(got.Members, team.Member{ID: "cy"})
	saved, err = s.SaveTeam(ctx(t), got)
	require.NoError(t, err)
	assert.EqualValues(t, 2, saved.Rev)
	again, err := s.LoadTeam(ctx(t))
	require.NoError(t, err)
	assert.Len(t, again.Members, 3)
	assert.EqualValues(t, 2, again.Rev)
}

func teamStale(t *testing.T, s workflow.Store) {
	_, err := s.SaveTeam(ctx(t), teamDoc())
	require.NoError(t, err)
	for _, rev := range []int64{0, 2, 7} {
		d := teamDoc()
		d.Rev = rev
		d.Members = nil
		_, err := s.SaveTeam(ctx(t), d)
		var ce *workflow.ConflictError
		require.ErrorAs(t, err, &ce, "rev %d", rev)
		assert.Equal(t, workflow.ConflictTeam, ce.Kind)
		assert.EqualValues(t, 1, ce.Current)
		assert.ErrorIs(t, err, socialflow.ErrConflict)
	}
	got, err := s.LoadTeam(ctx(t))
	require.NoError(t, err)
	assert.Len(t, got.Members, 2, "a refused save changes nothing")
}

func teamTwoWriters(t *testing.T, s workflow.Store) {
	base, err := s.SaveTeam(ctx(t), teamDoc())
	require.NoError(t, err)
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := base
			d.Members = append(append([]team.Member(nil), base.Members...), team.Member{ID: string(rune('c' + i))})
			_, err := s.SaveTeam(context.Background(), d)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, socialflow.ErrConflict):
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, wins)
	assert.Equal(t, n-1, conflicts)
	got, err := s.LoadTeam(ctx(t))
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Rev)
	assert.Len(t, got.Members, 3)
}

func teamCopies(t *testing.T, s workflow.Store) {
	in := teamDoc()
	saved, err := s.SaveTeam(ctx(t), in)
	require.NoError(t, err)
	in.Memberships[1].Channels[0] = "changed"
	in.Roles[0].Permissions[0] = team.PermViewAudit
	saved.Memberships[1].Networks[0] = "changed"
	got, err := s.LoadTeam(ctx(t))
	require.NoError(t, err)
	got.Members[0].Name = "changed"
	again, err := s.LoadTeam(ctx(t))
	require.NoError(t, err)
	want := teamDoc()
	want.Rev = 1
	assert.Equal(t, want, again)
}

func teamCanceled(t *testing.T, s workflow.Store) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err := s.LoadTeam(c)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.TeamRev(c)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.SaveTeam(c, teamDoc())
	assert.ErrorIs(t, err, context.Canceled)
	rev, err := s.TeamRev(ctx(t))
	require.NoError(t, err)
	assert.Zero(t, rev, "a canceled save stores nothing")
}
