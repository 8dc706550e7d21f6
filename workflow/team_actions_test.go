package workflow_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

func teamService(t *testing.T, store workflow.Store, seed *team.Team, opts ...workflow.ServiceOption) *workflow.Service {
	t.Helper()
	svc, err := workflow.NewService(seed, store, append([]workflow.ServiceOption{workflow.WithClock(&fakeClock{t: t0})}, opts...)...)
	require.NoError(t, err)
	return svc
}

// recStore is a Store that remembers the last audit event appended to any
// workspace's chain, and how many were.
type recStore struct {
	workflow.Store
	mu   sync.Mutex
	last workflow.Event
	n    int64
}

func newRecStore() *recStore { return &recStore{Store: memstore.New()} }

func (r *recStore) AppendEvent(ctx context.Context, e workflow.Event) error {
	if err := r.Store.AppendEvent(ctx, e); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last, r.n = e, r.n+1
	return nil
}

// lastEvent returns the last event appended through store (a *recStore),
// with Seq set to the number of events appended so far, so two calls tell
// whether anything was recorded in between.
func lastEvent(t *testing.T, store workflow.Store) (workflow.Event, bool) {
	t.Helper()
	r, ok := store.(*recStore)
	require.True(t, ok, "lastEvent needs a store from newRecStore")
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.last
	e.Seq = r.n
	return e, r.n > 0
}

// verifyChains verifies the audit chain of every workspace the tests use.
func verifyChains(t *testing.T, svc *workflow.Service) {
	t.Helper()
	for _, ws := range []string{"", "brand", "other", "second"} {
		require.NoError(t, svc.Audit().Verify(t.Context(), ws), "chain %q", ws)
	}
}

// TestTeamActionsAuthorizeStoreAndAudit: every team action passes the gate,
// keeps the model's rules, is stored and audited when allowed, and changes
// and records nothing when refused.
func TestTeamActionsAuthorizeStoreAndAudit(t *testing.T) {
	legal := team.Role{Name: "legal", Permissions: []team.Permission{team.PermViewCalendar, team.PermApprove}}
	cases := []struct {
		name   string
		do     func(ctx context.Context, s *workflow.Service, actor string) error
		actor  string
		wantIs error  // nil: allowed
		action string // audit action when allowed
		check  func(t *testing.T, tm *team.Team)
	}{
		{"invite by owner", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.Invite(ctx, a, workflow.MembershipRequest{Member: "creator", Workspace: "other", Role: team.RoleCreator})
			return err
		}, "boss", nil, "team.invite", func(t *testing.T, tm *team.Team) {
			m, ok := tm.Membership("creator", "other")
			require.True(t, ok)
			assert.Equal(t, team.RoleCreator, m.Role)
			assert.Equal(t, t0, m.Since)
		}},
		{"invite by manager lacks team.manage", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.Invite(ctx, a, workflow.MembershipRequest{Member: "creator", Workspace: "brand", Role: team.RoleCreator})
			return err
		}, "manager", socialflow.ErrForbidden, "", nil},
		{"invite existing member", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.Invite(ctx, a, workflow.MembershipRequest{Member: "creator", Workspace: "brand", Role: team.RoleCreator})
			return err
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"change role", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.ChangeRole(ctx, a, workflow.RoleChangeRequest{Member: "creator", Workspace: "brand", Role: team.RoleDesigner})
			return err
		}, "boss", nil, "team.change_role", func(t *testing.T, tm *team.Team) {
			m, _ := tm.Membership("creator", "brand")
			assert.Equal(t, team.RoleDesigner, m.Role)
		}},
		{"last owner cannot become manager", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.ChangeRole(ctx, a, workflow.RoleChangeRequest{Member: "boss", Workspace: "brand", Role: team.RoleManager})
			return err
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"restrict", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.Restrict(ctx, a, workflow.RestrictRequest{Member: "manager", Workspace: "brand", Channels: []string{"ig"}})
			return err
		}, "boss", nil, "team.restrict", func(t *testing.T, tm *team.Team) {
			m, _ := tm.Membership("manager", "brand")
			assert.Equal(t, []string{"ig"}, m.Channels)
			assert.Equal(t, team.RoleManager, m.Role)
			assert.False(t, tm.Can("manager", team.PermSchedule, team.Scope{Workspace: "brand", Channel: "x"}))
		}},
		{"restrict to another workspace's channel", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.Restrict(ctx, a, workflow.RestrictRequest{Member: "manager", Workspace: "brand", Channels: []string{"li"}})
			return err
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"change membership", func(ctx context.Context, s *workflow.Service, a string) error {
			_, err := s.ChangeMembership(ctx, a, workflow.MembershipRequest{Member: "analyst", Workspace: "brand", Role: team.RoleCreator, Networks: []string{"x"}})
			return err
		}, "boss", nil, "team.change_membership", func(t *testing.T, tm *team.Team) {
			m, _ := tm.Membership("analyst", "brand")
			assert.Equal(t, team.RoleCreator, m.Role)
			assert.Equal(t, []string{"x"}, m.Networks)
		}},
		{"suspend", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.Suspend(ctx, a, workflow.MemberRef{Member: "creator", Workspace: "brand"})
		}, "boss", nil, "team.suspend", func(t *testing.T, tm *team.Team) {
			assert.False(t, tm.Can("creator", team.PermCreateDraft, team.Scope{Workspace: "brand"}))
		}},
		{"suspend the last owner", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.Suspend(ctx, a, workflow.MemberRef{Member: "boss", Workspace: "brand"})
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"suspend by creator", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.Suspend(ctx, a, workflow.MemberRef{Member: "analyst", Workspace: "brand"})
		}, "creator", socialflow.ErrForbidden, "", nil},
		{"resume", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.Resume(ctx, a, workflow.MemberRef{Member: "creator", Workspace: "brand"})
		}, "boss", nil, "team.resume", func(t *testing.T, tm *team.Team) {
			assert.True(t, tm.Can("creator", team.PermCreateDraft, team.Scope{Workspace: "brand"}))
		}},
		{"remove", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.Remove(ctx, a, workflow.MemberRef{Member: "client", Workspace: "brand"})
		}, "boss", nil, "team.remove", func(t *testing.T, tm *team.Team) {
			_, ok := tm.Membership("client", "brand")
			assert.False(t, ok)
		}},
		{"remove the last owner", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.Remove(ctx, a, workflow.MemberRef{Member: "boss", Workspace: "brand"})
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"remove unknown membership", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.Remove(ctx, a, workflow.MemberRef{Member: "nobody", Workspace: "brand"})
		}, "boss", socialflow.ErrNotFound, "", nil},
		{"add channel by manager", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddChannel(ctx, a, team.Channel{ID: "bs", WorkspaceID: "brand", Network: "bluesky", Zone: "Europe/Oslo"})
		}, "manager", nil, "channel.add", func(t *testing.T, tm *team.Team) {
			c, ok := tm.Channel("bs")
			require.True(t, ok)
			assert.Equal(t, "Europe/Oslo", c.Zone)
		}},
		{"add channel by creator", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddChannel(ctx, a, team.Channel{ID: "bs", WorkspaceID: "brand", Network: "bluesky"})
		}, "creator", socialflow.ErrForbidden, "", nil},
		{"add channel with a bad zone", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddChannel(ctx, a, team.Channel{ID: "bs", WorkspaceID: "brand", Network: "bluesky", Zone: "Mars/Olympus"})
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"add organization", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddOrganization(ctx, a, workflow.OrganizationRequest{From: "brand", Organization: team.Organization{ID: "client-co", Kind: team.OrgCompany}})
		}, "boss", nil, "team.add_organization", func(t *testing.T, tm *team.Team) {
			assert.Len(t, tm.Doc().Organizations, 2)
		}},
		{"add organization without authority", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddOrganization(ctx, a, workflow.OrganizationRequest{From: "brand", Organization: team.Organization{ID: "client-co", Kind: team.OrgCompany}})
		}, "manager", socialflow.ErrForbidden, "", nil},
		{"add member", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddMember(ctx, a, workflow.MemberRequest{From: "brand", Member: team.Member{ID: "new", Name: "New"}})
		}, "boss", nil, "team.add_member", func(t *testing.T, tm *team.Team) {
			_, ok := tm.Member("new")
			assert.True(t, ok)
		}},
		{"add member without a From workspace", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddMember(ctx, a, workflow.MemberRequest{Member: team.Member{ID: "new"}})
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"add workspace", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddWorkspace(ctx, a, workflow.WorkspaceRequest{From: "brand", Workspace: team.Workspace{ID: "third", OrgID: "acme"}, Owner: "manager"})
		}, "boss", nil, "team.add_workspace", func(t *testing.T, tm *team.Team) {
			m, ok := tm.Membership("manager", "third")
			require.True(t, ok)
			assert.Equal(t, team.RoleOwner, m.Role)
		}},
		{"add workspace of another organization", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddWorkspace(ctx, a, workflow.WorkspaceRequest{From: "brand", Workspace: team.Workspace{ID: "third", OrgID: "elsewhere"}, Owner: "boss"})
		}, "boss", socialflow.ErrForbidden, "", nil},
		{"add role", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddRole(ctx, a, workflow.RoleRequest{From: "brand", Role: legal})
		}, "boss", nil, "role.add", func(t *testing.T, tm *team.Team) {
			_, ok := tm.Role("legal")
			assert.True(t, ok)
		}},
		{"add role with a built-in name", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.AddRole(ctx, a, workflow.RoleRequest{From: "brand", Role: team.Role{Name: team.RoleClient}})
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"replace a built-in role", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.ReplaceRole(ctx, a, workflow.RoleRequest{From: "brand", Role: team.Role{Name: team.RoleClient}})
		}, "boss", socialflow.ErrInvalid, "", nil},
		{"replace an unknown role", func(ctx context.Context, s *workflow.Service, a string) error {
			return s.ReplaceRole(ctx, a, workflow.RoleRequest{From: "brand", Role: team.Role{Name: "ghost"}})
		}, "boss", socialflow.ErrNotFound, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := t.Context()
			store := newRecStore()
			svc := teamService(t, store, fixture(t))
			before, _ := lastEvent(t, store)
			revBefore, err := store.TeamRev(ctx)
			require.NoError(t, err)

			err = c.do(ctx, svc, c.actor)
			rev, rerr := store.TeamRev(ctx)
			require.NoError(t, rerr)
			after, _ := lastEvent(t, store)
			if c.wantIs != nil {
				require.ErrorIs(t, err, c.wantIs)
				assert.Equal(t, revBefore, rev, "a refused change stores nothing")
				assert.Equal(t, before.Seq, after.Seq, "a refused change records nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, revBefore+1, rev)
			assert.Equal(t, c.action, after.Action)
			assert.Equal(t, c.actor, after.Actor)
			verifyChains(t, svc)
			// Visible to a second Service over the same store at once.
			other := teamService(t, store, nil)
			c.check(t, other.Team())
			c.check(t, svc.Team())
		})
	}
}

// TestNobodyDefinesARoleAboveOwnRights: a member managing members in one
// workspace cannot define or widen a role beyond their own permissions, nor
// replace one held in a workspace they do not manage.
func TestNobodyDefinesARoleAboveOwnRights(t *testing.T) {
	ctx := t.Context()
	tm := fixture(t)
	require.NoError(t, tm.AddRole(team.Role{Name: "hr", Permissions: []team.Permission{team.PermViewCalendar, team.PermManageMembers}}))
	require.NoError(t, tm.AddMember(team.Member{ID: "hrp"}))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "hrp", WorkspaceID: "brand", Role: "hr"}, t0))
	require.NoError(t, tm.AddRole(team.Role{Name: "legal", Permissions: []team.Permission{team.PermViewCalendar}}))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "approver", WorkspaceID: "other", Role: "legal"}, t0))
	store := memstore.New()
	svc := teamService(t, store, tm)

	err := svc.AddRole(ctx, "hrp", workflow.RoleRequest{From: "brand", Role: team.Role{Name: "pub", Permissions: []team.Permission{team.PermPublishNow}}})
	var fe *team.ForbiddenError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, team.ReasonGrantAboveOwn, fe.Reason)
	assert.Equal(t, team.PermPublishNow, fe.Permission)

	require.NoError(t, svc.AddRole(ctx, "hrp", workflow.RoleRequest{From: "brand", Role: team.Role{Name: "viewer", Permissions: []team.Permission{team.PermViewCalendar}}}))

	err = svc.ReplaceRole(ctx, "hrp", workflow.RoleRequest{From: "brand", Role: team.Role{Name: "legal", Permissions: []team.Permission{team.PermViewCalendar}}})
	require.ErrorIs(t, err, socialflow.ErrForbidden, "legal is held in workspace other, which hrp does not manage")

	require.NoError(t, svc.ReplaceRole(ctx, "boss", workflow.RoleRequest{From: "brand", Role: team.Role{Name: "legal", Permissions: []team.Permission{team.PermViewCalendar, team.PermApprove}}}))
	assert.True(t, teamService(t, store, nil).Team().Can("approver", team.PermApprove, team.Scope{Workspace: "other"}),
		"a replaced role applies to its holders on every replica")
}

// TestNewServiceSeedsTheTeamOnce: the team given to NewService is saved
// when the store holds none; afterwards the stored team is the truth, a
// different seed is logged and ignored, and nil is accepted. The seed and
// every snapshot are frozen.
func TestNewServiceSeedsTheTeamOnce(t *testing.T) {
	ctx := t.Context()
	store := memstore.New()
	_, err := workflow.NewService(nil, store)
	require.ErrorIs(t, err, socialflow.ErrInvalid, "no team stored and none given")

	seed := fixture(t)
	a := teamService(t, store, seed)
	err = seed.AddMember(team.Member{ID: "late"})
	require.ErrorIs(t, err, socialflow.ErrInvalid, "the seed belongs to the Service now")
	assert.Contains(t, err.Error(), "team actions")
	err = a.Team().Invite("boss", team.Membership{MemberID: "creator", WorkspaceID: "other", Role: team.RoleCreator}, t0)
	require.ErrorIs(t, err, socialflow.ErrInvalid, "a snapshot is frozen")

	_, err = a.Invite(ctx, "boss", workflow.MembershipRequest{Member: "creator", Workspace: "other", Role: team.RoleCreator})
	require.NoError(t, err)

	var logs bytes.Buffer
	b := teamService(t, store, fixture(t), workflow.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	assert.Contains(t, logs.String(), "differs_in=memberships")
	_, ok := b.Team().Membership("creator", "other")
	assert.True(t, ok, "the stored team wins over a stale seed")

	logs.Reset()
	teamService(t, store, a.Team(), workflow.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	assert.Empty(t, logs.String(), "the same team is no difference")

	rev, err := store.TeamRev(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, rev, "seeding again saves nothing")
}

// TestTeamSurvivesARestart: a team built through the Service, read by a
// new Service over the same store, is the same in everything a host reads.
func TestTeamSurvivesARestart(t *testing.T) {
	ctx := t.Context()
	store := memstore.New()
	seed, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, seed.AddOrganization(team.Organization{ID: "acme", Kind: team.OrgAgency}))
	require.NoError(t, seed.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, seed.AddWorkspace(team.Workspace{ID: "brand", OrgID: "acme", Name: "Brand"}, "boss", t0))
	svc := teamService(t, store, seed)
	steps := []func() error{
		func() error {
			return svc.AddOrganization(ctx, "boss", workflow.OrganizationRequest{From: "brand", Organization: team.Organization{ID: "client", Kind: team.OrgCompany}})
		},
		func() error {
			return svc.AddWorkspace(ctx, "boss", workflow.WorkspaceRequest{From: "brand", Workspace: team.Workspace{ID: "second", OrgID: "acme", Client: "Client"}, Owner: "boss"})
		},
		func() error {
			return svc.AddChannel(ctx, "boss", team.Channel{ID: "ig", WorkspaceID: "brand", Network: "instagram", Handle: "@b", Zone: "Europe/Oslo"})
		},
		func() error {
			return svc.AddChannel(ctx, "boss", team.Channel{ID: "x", WorkspaceID: "brand", Network: "x"})
		},
		func() error {
			return svc.AddRole(ctx, "boss", workflow.RoleRequest{From: "brand", Role: team.Role{Name: "legal", Permissions: []team.Permission{team.PermViewCalendar, team.PermApprove}}})
		},
		func() error {
			return svc.AddMember(ctx, "boss", workflow.MemberRequest{From: "brand", Member: team.Member{ID: "ann", Name: "Ann", OrgID: "client"}})
		},
		func() error {
			return svc.AddMember(ctx, "boss", workflow.MemberRequest{From: "brand", Member: team.Member{ID: "leo", Email: "leo@example.com"}})
		},
		func() error {
			_, err := svc.Invite(ctx, "boss", workflow.MembershipRequest{Member: "ann", Workspace: "brand", Role: "legal"})
			return err
		},
		func() error {
			_, err := svc.Invite(ctx, "boss", workflow.MembershipRequest{Member: "leo", Workspace: "brand", Role: team.RoleManager, Channels: []string{"ig"}})
			return err
		},
		func() error {
			_, err := svc.Invite(ctx, "boss", workflow.MembershipRequest{Member: "leo", Workspace: "second", Role: team.RoleCreator})
			return err
		},
		func() error { return svc.Suspend(ctx, "boss", workflow.MemberRef{Member: "leo", Workspace: "second"}) },
	}
	for i, s := range steps {
		require.NoError(t, s(), "step %d", i)
	}
	before := svc.Team()

	restarted := teamService(t, store, nil)
	after := restarted.Team()
	assert.Equal(t, before.Doc(), after.Doc())
	assert.Equal(t, before.Roles(), after.Roles())
	for _, ws := range []string{"brand", "second"} {
		assert.Equal(t, before.Memberships(ws), after.Memberships(ws))
		assert.Equal(t, before.Channels(ws), after.Channels(ws))
		w1, _ := before.Workspace(ws)
		w2, ok := after.Workspace(ws)
		assert.True(t, ok)
		assert.Equal(t, w1, w2)
	}
	for _, m := range []string{"boss", "ann", "leo"} {
		m1, _ := before.Member(m)
		m2, _ := after.Member(m)
		assert.Equal(t, m1, m2)
		assert.Equal(t, before.WorkspacesOf(m), after.WorkspacesOf(m))
		for _, p := range team.AllPermissions() {
			for _, sc := range []team.Scope{{Workspace: "brand"}, {Workspace: "brand", Channel: "ig"}, {Workspace: "brand", Channel: "x"}, {Workspace: "second"}} {
				assert.Equal(t, before.Can(m, p, sc), after.Can(m, p, sc), "%s %s %v", m, p, sc)
			}
		}
	}
	_, err = restarted.CreatePost(ctx, "leo", workflow.NewPost{Workspace: "second", Channels: nil, Content: workflow.Content{Text: "hi"}})
	require.ErrorIs(t, err, socialflow.ErrForbidden, "the suspension survives the restart")
}

// TestTeamReplicas: two Services over one store change the team at once
// (every change lands, none is lost to a race), and a change made on one is
// enforced by the other on its next action.
func TestTeamReplicas(t *testing.T) {
	ctx := t.Context()
	store := memstore.New()
	a := teamService(t, store, fixture(t))
	b := teamService(t, store, fixture(t))

	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := a
			if i%2 == 1 {
				svc = b
			}
			id := fmt.Sprintf("m%02d", i)
			if err := svc.AddMember(ctx, "boss", workflow.MemberRequest{From: "brand", Member: team.Member{ID: id}}); err != nil {
				t.Errorf("add %s: %v", id, err)
				return
			}
			if _, err := svc.Invite(ctx, "boss", workflow.MembershipRequest{Member: id, Workspace: "brand", Role: team.RoleCreator}); err != nil {
				t.Errorf("invite %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
	for _, svc := range []*workflow.Service{a, b} {
		for i := range n {
			_, ok := svc.Team().Membership(fmt.Sprintf("m%02d", i), "brand")
			assert.True(t, ok, "m%02d", i)
		}
	}
	verifyChains(t, a)

	// A change on A is enforced by B on the next action.
	_, err := b.CreatePost(ctx, "creator", workflow.NewPost{Workspace: "brand", Channels: []string{"ig"}, Content: workflow.Content{Text: "before"}})
	require.NoError(t, err)
	require.NoError(t, a.Suspend(ctx, "boss", workflow.MemberRef{Member: "creator", Workspace: "brand"}))
	_, err = b.CreatePost(ctx, "creator", workflow.NewPost{Workspace: "brand", Channels: []string{"ig"}, Content: workflow.Content{Text: "after"}})
	var fe *team.ForbiddenError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, team.ReasonSuspended, fe.Reason)

	// A channel added on B is usable on A at once.
	require.NoError(t, b.AddChannel(ctx, "boss", team.Channel{ID: "bs", WorkspaceID: "brand", Network: "bluesky"}))
	_, err = a.CreatePost(ctx, "manager", workflow.NewPost{Workspace: "brand", Channels: []string{"bs"}, Content: workflow.Content{Text: "on bluesky"}})
	require.NoError(t, err)
}
