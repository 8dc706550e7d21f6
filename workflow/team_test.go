package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow/team"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fixture: agency "acme" with workspaces "brand" (channels ig, x) and
// "other" (channel li). Member "boss" owns both; one member per built-in
// role in "brand", named after the role.
func fixture(t testing.TB) *team.Team {
	t.Helper()
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "acme", Name: "Acme", Kind: team.OrgAgency}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss", OrgID: "acme"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "brand", OrgID: "acme"}, "boss", t0))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "other", OrgID: "acme"}, "boss", t0))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "ig", WorkspaceID: "brand", Network: "instagram"}))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "x", WorkspaceID: "brand", Network: "x"}))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "li", WorkspaceID: "other", Network: "linkedin"}))
	for _, r := range team.BuiltinRoles() {
		if r.Name == team.RoleOwner {
			continue
		}
		require.NoError(t, tm.AddMember(team.Member{ID: r.Name}))
		require.NoError(t, tm.Invite("boss", team.Membership{MemberID: r.Name, WorkspaceID: "brand", Role: r.Name}, t0))
	}
	return tm
}

// readmeMatrix parses the role × permission table between the README's
// markers: the documented expectation the code is tested against.
func readmeMatrix(t *testing.T) (roles []string, granted map[string]map[team.Permission]bool) {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	s := string(data)
	start := strings.Index(s, "<!-- roles:begin -->")
	end := strings.Index(s, "<!-- roles:end -->")
	require.True(t, start >= 0 && end > start, "README lacks the roles markers")
	lines := strings.Split(strings.TrimSpace(s[start+len("<!-- roles:begin -->"):end]), "\n")
	require.Greater(t, len(lines), 2)
	for _, c := range strings.Split(strings.Trim(lines[0], "| "), "|")[1:] {
		roles = append(roles, strings.TrimSpace(c))
	}
	granted = map[string]map[team.Permission]bool{}
	for _, r := range roles {
		granted[r] = map[team.Permission]bool{}
	}
	for _, l := range lines[2:] {
		cells := strings.Split(strings.Trim(l, "|"), "|")
		p := team.Permission(strings.Trim(strings.TrimSpace(cells[0]), "`"))
		for i, c := range cells[1:] {
			granted[roles[i]][p] = strings.TrimSpace(c) == "✓"
		}
	}
	return roles, granted
}

func TestREADMEMatrixMatchesCode(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	want := team.RoleMatrix(team.BuiltinRoles())
	assert.Contains(t, string(data), "<!-- roles:begin -->\n"+want+"<!-- roles:end -->",
		"README role matrix is out of date; regenerate it with team.RoleMatrix(team.BuiltinRoles())")
}

func TestAuthorizeEveryRolePermissionScope(t *testing.T) {
	tm := fixture(t)
	roles, granted := readmeMatrix(t)
	require.Len(t, roles, len(team.BuiltinRoles()))
	scopes := []struct {
		name     string
		scope    team.Scope
		outside  bool // never allowed, whatever the role
		notFound bool
	}{
		{name: "workspace", scope: team.Scope{Workspace: "brand"}},
		{name: "channel", scope: team.Scope{Workspace: "brand", Channel: "ig"}},
		{name: "network", scope: team.Scope{Workspace: "brand", Network: "x"}},
		{name: "other workspace", scope: team.Scope{Workspace: "other"}, outside: true},
		{name: "channel of other workspace", scope: team.Scope{Workspace: "brand", Channel: "li"}, outside: true},
		{name: "unknown channel", scope: team.Scope{Workspace: "brand", Channel: "nope"}, notFound: true},
	}
	for _, role := range roles {
		member := role
		if role == team.RoleOwner {
			member = "boss"
		}
		for _, p := range team.AllPermissions() {
			for _, sc := range scopes {
				t.Run(fmt.Sprintf("%s/%s/%s", role, p, sc.name), func(t *testing.T) {
					err := tm.Authorize(member, p, sc.scope)
					switch {
					case sc.notFound:
						require.ErrorIs(t, err, socialflow.ErrNotFound)
					case sc.outside && role != team.RoleOwner, sc.name == "channel of other workspace":
						require.ErrorIs(t, err, socialflow.ErrForbidden)
					case granted[role][p]:
						require.NoError(t, err)
					default:
						require.ErrorIs(t, err, socialflow.ErrForbidden)
						var fe *team.ForbiddenError
						require.ErrorAs(t, err, &fe)
						assert.Equal(t, member, fe.Member)
						assert.Equal(t, p, fe.Permission)
						assert.Equal(t, team.ReasonRoleLacks, fe.Reason)
						assert.Equal(t, role, fe.Role)
					}
				})
			}
		}
	}
}

func TestAuthorizeRestrictedMemberships(t *testing.T) {
	tm := fixture(t)
	require.NoError(t, tm.AddMember(team.Member{ID: "insta"}))
	require.NoError(t, tm.AddMember(team.Member{ID: "xonly"}))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "insta", WorkspaceID: "brand", Role: team.RoleManager, Networks: []string{"instagram"}}, t0))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "xonly", WorkspaceID: "brand", Role: team.RoleManager, Channels: []string{"x"}}, t0))
	for _, tt := range []struct {
		member string
		perm   team.Permission
		scope  team.Scope
		want   team.Reason // "" means allowed
	}{
		{"insta", team.PermPublishNow, team.Scope{Workspace: "brand", Channel: "ig"}, ""},
		{"insta", team.PermPublishNow, team.Scope{Workspace: "brand", Channel: "x"}, team.ReasonOutsideScope},
		{"insta", team.PermPublishNow, team.Scope{Workspace: "brand", Network: "instagram"}, ""},
		{"insta", team.PermPublishNow, team.Scope{Workspace: "brand"}, team.ReasonChannelRequired},
		{"insta", team.PermViewAnalytics, team.Scope{Workspace: "brand"}, ""},
		{"insta", team.PermViewAnalytics, team.Scope{Workspace: "brand", Channel: "x"}, team.ReasonOutsideScope},
		{"insta", team.PermPublishNow, team.Scope{Workspace: "brand", Channel: "ig", Network: "x"}, team.ReasonOutsideScope},
		{"xonly", team.PermSchedule, team.Scope{Workspace: "brand", Channel: "x"}, ""},
		{"xonly", team.PermSchedule, team.Scope{Workspace: "brand", Channel: "ig"}, team.ReasonOutsideScope},
		{"xonly", team.PermSchedule, team.Scope{Workspace: "brand", Network: "x"}, team.ReasonOutsideScope},
		{"xonly", team.PermSchedule, team.Scope{Workspace: "other", Channel: "li"}, team.ReasonNoMembership},
		{"nobody", team.PermViewCalendar, team.Scope{Workspace: "brand"}, team.ReasonNoMembership},
	} {
		t.Run(fmt.Sprintf("%s/%s/%s", tt.member, tt.perm, tt.scope), func(t *testing.T) {
			err := tm.Authorize(tt.member, tt.perm, tt.scope)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var fe *team.ForbiddenError
			require.ErrorAs(t, err, &fe)
			require.ErrorIs(t, err, socialflow.ErrForbidden)
			assert.Equal(t, tt.want, fe.Reason)
		})
	}
}

func TestAgencyMemberHoldsDifferentRolesPerClient(t *testing.T) {
	tm := fixture(t)
	require.NoError(t, tm.AddMember(team.Member{ID: "kim", OrgID: "acme"}))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "kim", WorkspaceID: "brand", Role: team.RoleCreator}, t0))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "kim", WorkspaceID: "other", Role: team.RoleApprover}, t0))
	assert.True(t, tm.Can("kim", team.PermCreateDraft, team.Scope{Workspace: "brand"}))
	assert.False(t, tm.Can("kim", team.PermApprove, team.Scope{Workspace: "brand"}))
	assert.True(t, tm.Can("kim", team.PermApprove, team.Scope{Workspace: "other"}))
	assert.False(t, tm.Can("kim", team.PermCreateDraft, team.Scope{Workspace: "other"}))
	assert.Equal(t, []string{"brand", "other"}, tm.WorkspacesOf("kim"))
	assert.Equal(t, []string{"brand"}, tm.WorkspacesOf(team.RoleClient), "a client sees only their own workspace")
}

func TestMembershipChanges(t *testing.T) {
	type op func(tm *team.Team) error
	for _, tt := range []struct {
		name    string
		op      op
		wantErr error
		reason  team.Reason
	}{
		{name: "owner invites", op: func(tm *team.Team) error {
			return tm.Invite("boss", team.Membership{MemberID: "new", WorkspaceID: "brand", Role: team.RoleAnalyst}, t0)
		}},
		{name: "unknown role", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.Invite("boss", team.Membership{MemberID: "new", WorkspaceID: "brand", Role: "wizard"}, t0)
		}},
		{name: "empty member id", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.Invite("boss", team.Membership{WorkspaceID: "brand", Role: team.RoleAnalyst}, t0)
		}},
		{name: "unknown member", wantErr: socialflow.ErrNotFound, op: func(tm *team.Team) error {
			return tm.Invite("boss", team.Membership{MemberID: "ghost", WorkspaceID: "brand", Role: team.RoleAnalyst}, t0)
		}},
		{name: "already a member", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.Invite("boss", team.Membership{MemberID: "analyst", WorkspaceID: "brand", Role: team.RoleAnalyst}, t0)
		}},
		{name: "channel of another workspace", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.Invite("boss", team.Membership{MemberID: "new", WorkspaceID: "brand", Role: team.RoleAnalyst, Channels: []string{"li"}}, t0)
		}},
		{name: "restricted owner", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.Invite("boss", team.Membership{MemberID: "new", WorkspaceID: "brand", Role: team.RoleOwner, Networks: []string{"x"}}, t0)
		}},
		{name: "manager cannot invite", wantErr: socialflow.ErrForbidden, reason: team.ReasonRoleLacks, op: func(tm *team.Team) error {
			return tm.Invite("manager", team.Membership{MemberID: "new", WorkspaceID: "brand", Role: team.RoleClient}, t0)
		}},
		{name: "last owner cannot leave", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.Remove("boss", "boss", "brand")
		}},
		{name: "last owner cannot be suspended", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.Suspend("boss", "boss", "brand")
		}},
		{name: "last owner cannot be demoted", wantErr: socialflow.ErrInvalid, op: func(tm *team.Team) error {
			return tm.ChangeMembership("boss", team.Membership{MemberID: "boss", WorkspaceID: "brand", Role: team.RoleManager})
		}},
		{name: "remove a member", op: func(tm *team.Team) error { return tm.Remove("boss", "analyst", "brand") }},
		{name: "remove a non-member", wantErr: socialflow.ErrNotFound, op: func(tm *team.Team) error { return tm.Remove("boss", "new", "brand") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tm := fixture(t)
			require.NoError(t, tm.AddMember(team.Member{ID: "new"}))
			before := tm.Memberships("brand")
			err := tt.op(tm)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			assert.Equal(t, before, tm.Memberships("brand"), "a refused change changes nothing")
			if tt.reason != "" {
				var fe *team.ForbiddenError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.reason, fe.Reason)
			}
		})
	}
}

func TestNobodyGrantsAboveOwnRights(t *testing.T) {
	// A custom "lead" role manages members but cannot publish.
	lead := team.Role{Name: "lead", Permissions: []team.Permission{team.PermManageMembers, team.PermViewCalendar, team.PermCreateDraft}}
	tm, err := team.NewTeam(lead)
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	for _, id := range []string{"boss", "lead", "a", "b"} {
		require.NoError(t, tm.AddMember(team.Member{ID: id}))
	}
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", t0))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "ig", WorkspaceID: "w", Network: "instagram"}))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "x", WorkspaceID: "w", Network: "x"}))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "lead", WorkspaceID: "w", Role: "lead", Channels: []string{"ig"}}, t0))

	var fe *team.ForbiddenError
	err = tm.Invite("lead", team.Membership{MemberID: "a", WorkspaceID: "w", Role: team.RoleManager}, t0)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, team.ReasonGrantAboveOwn, fe.Reason)

	err = tm.Invite("lead", team.Membership{MemberID: "a", WorkspaceID: "w", Role: "lead", Channels: []string{"x"}}, t0)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, team.ReasonGrantAboveOwn, fe.Reason, "wider channel scope")

	err = tm.Invite("lead", team.Membership{MemberID: "a", WorkspaceID: "w", Role: "lead"}, t0)
	require.ErrorAs(t, err, &fe, "an unrestricted grant is wider than a restricted actor")

	require.NoError(t, tm.Invite("lead", team.Membership{MemberID: "a", WorkspaceID: "w", Role: "lead", Channels: []string{"ig"}}, t0))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "b", WorkspaceID: "w", Role: team.RoleManager}, t0))
	err = tm.Suspend("lead", "b", "w")
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, team.ReasonActorOutranked, fe.Reason)
}

func TestSuspendAndResume(t *testing.T) {
	tm := fixture(t)
	require.NoError(t, tm.Suspend("boss", "creator", "brand"))
	var fe *team.ForbiddenError
	require.ErrorAs(t, tm.Authorize("creator", team.PermCreateDraft, team.Scope{Workspace: "brand"}), &fe)
	assert.Equal(t, team.ReasonSuspended, fe.Reason)
	require.NoError(t, tm.Resume("boss", "creator", "brand"))
	require.NoError(t, tm.Authorize("creator", team.PermCreateDraft, team.Scope{Workspace: "brand"}))

	require.NoError(t, tm.AddMember(team.Member{ID: "co"}))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "co", WorkspaceID: "brand", Role: team.RoleOwner}, t0))
	require.NoError(t, tm.Suspend("co", "boss", "brand"), "a second owner may suspend the first")
	require.ErrorIs(t, tm.Remove("co", "co", "brand"), socialflow.ErrInvalid, "the suspended owner does not count")
}

func TestGateKeepsAuthorizationAndPlanApart(t *testing.T) {
	tm := fixture(t)
	noAnalytics := team.EntitlementsFunc(func(_ context.Context, ws string, p team.Permission) error {
		if p == team.PermExportReports {
			return errors.New("reports need the Pro plan")
		}
		return nil
	})
	g := team.Gate{Team: tm, Plan: noAnalytics}
	ctx := context.Background()
	brand := team.Scope{Workspace: "brand"}
	require.NoError(t, g.Allow(ctx, "analyst", team.PermViewAnalytics, brand))

	var fe *team.ForbiddenError
	err := g.Allow(ctx, "analyst", team.PermExportReports, brand)
	require.ErrorAs(t, err, &fe)
	require.ErrorIs(t, err, socialflow.ErrForbidden)
	assert.Equal(t, team.ReasonNotEntitled, fe.Reason)
	assert.Contains(t, err.Error(), "Pro plan")

	allowAll := team.EntitlementsFunc(func(context.Context, string, team.Permission) error { return nil })
	err = team.Gate{Team: tm, Plan: allowAll}.Allow(ctx, "client", team.PermPublishNow, brand)
	require.ErrorAs(t, err, &fe, "a generous plan does not grant what the role lacks")
	assert.Equal(t, team.ReasonRoleLacks, fe.Reason)
}

func TestParseRoles(t *testing.T) {
	for _, tt := range []struct {
		name    string
		json    string
		want    int
		wantErr error
	}{
		{name: "one role", json: `{"roles":[{"name":"legal","permissions":["calendar.view","post.approve"]}]}`, want: 1},
		{name: "empty list", json: `{"roles":[]}`, want: 0},
		{name: "unknown permission", json: `{"roles":[{"name":"legal","permissions":["post.fly"]}]}`, wantErr: socialflow.ErrInvalid},
		{name: "duplicate role", json: `{"roles":[{"name":"a","permissions":[]},{"name":"a","permissions":[]}]}`, wantErr: socialflow.ErrInvalid},
		{name: "clash with built-in", json: `{"roles":[{"name":"owner","permissions":[]}]}`, wantErr: socialflow.ErrInvalid},
		{name: "empty name", json: `{"roles":[{"name":" ","permissions":[]}]}`, wantErr: socialflow.ErrInvalid},
		{name: "permission twice", json: `{"roles":[{"name":"a","permissions":["calendar.view","calendar.view"]}]}`, wantErr: socialflow.ErrInvalid},
		{name: "unknown field", json: `{"roles":[{"name":"a","perms":[]}]}`, wantErr: socialflow.ErrInvalid},
		{name: "malformed", json: `{"roles":[`, wantErr: socialflow.ErrInvalid},
		{name: "trailing data", json: `{"roles":[]} {}`, wantErr: socialflow.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			roles, err := team.ParseRoles([]byte(tt.json))
			require.ErrorIs(t, err, tt.wantErr)
			assert.Len(t, roles, tt.want)
		})
	}
}

func FuzzParseRoles(f *testing.F) {
	for _, s := range []string{
		`{"roles":[{"name":"legal","permissions":["calendar.view","post.approve"]}]}`,
		`{"roles":[]}`, `{"roles":[{"name":"","permissions":["x"]}]}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		roles, err := team.ParseRoles(data)
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			if roles != nil {
				t.Fatal("roles returned with an error")
			}
			return
		}
		// Whatever parses must be usable by a team.
		if _, err := team.NewTeam(roles...); err != nil {
			t.Fatalf("parsed roles rejected by NewTeam: %v", err)
		}
	})
}
