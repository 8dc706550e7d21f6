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
	"github.com/socialflow/socialflow/workflow"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fixture: agency "acme" with workspaces "brand" (channels ig, x) and
// "other" (channel li). Member "boss" owns both; one member per built-in
// role in "brand", named after the role.
func fixture(t testing.TB) *workflow.Team {
	t.Helper()
	team, err := workflow.NewTeam()
	require.NoError(t, err)
	require.NoError(t, team.AddOrganization(workflow.Organization{ID: "acme", Name: "Acme", Kind: workflow.OrgAgency}))
	require.NoError(t, team.AddMember(workflow.Member{ID: "boss", OrgID: "acme"}))
	require.NoError(t, team.AddWorkspace(workflow.Workspace{ID: "brand", OrgID: "acme"}, "boss", t0))
	require.NoError(t, team.AddWorkspace(workflow.Workspace{ID: "other", OrgID: "acme"}, "boss", t0))
	require.NoError(t, team.AddChannel(workflow.Channel{ID: "ig", WorkspaceID: "brand", Network: "instagram"}))
	require.NoError(t, team.AddChannel(workflow.Channel{ID: "x", WorkspaceID: "brand", Network: "x"}))
	require.NoError(t, team.AddChannel(workflow.Channel{ID: "li", WorkspaceID: "other", Network: "linkedin"}))
	for _, r := range workflow.BuiltinRoles() {
		if r.Name == workflow.RoleOwner {
			continue
		}
		require.NoError(t, team.AddMember(workflow.Member{ID: r.Name}))
		require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: r.Name, WorkspaceID: "brand", Role: r.Name}, t0))
	}
	return team
}

// readmeMatrix parses the role × permission table between the README's
// markers: the documented expectation the code is tested against.
func readmeMatrix(t *testing.T) (roles []string, granted map[string]map[workflow.Permission]bool) {
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
	granted = map[string]map[workflow.Permission]bool{}
	for _, r := range roles {
		granted[r] = map[workflow.Permission]bool{}
	}
	for _, l := range lines[2:] {
		cells := strings.Split(strings.Trim(l, "|"), "|")
		p := workflow.Permission(strings.Trim(strings.TrimSpace(cells[0]), "`"))
		for i, c := range cells[1:] {
			granted[roles[i]][p] = strings.TrimSpace(c) == "✓"
		}
	}
	return roles, granted
}

func TestREADMEMatrixMatchesCode(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	want := workflow.RoleMatrix(workflow.BuiltinRoles())
	assert.Contains(t, string(data), "<!-- roles:begin -->\n"+want+"<!-- roles:end -->",
		"README role matrix is out of date; regenerate it with workflow.RoleMatrix(workflow.BuiltinRoles())")
}

func TestAuthorizeEveryRolePermissionScope(t *testing.T) {
	team := fixture(t)
	roles, granted := readmeMatrix(t)
	require.Len(t, roles, len(workflow.BuiltinRoles()))
	scopes := []struct {
		name     string
		scope    workflow.Scope
		outside  bool // never allowed, whatever the role
		notFound bool
	}{
		{name: "workspace", scope: workflow.Scope{Workspace: "brand"}},
		{name: "channel", scope: workflow.Scope{Workspace: "brand", Channel: "ig"}},
		{name: "network", scope: workflow.Scope{Workspace: "brand", Network: "x"}},
		{name: "other workspace", scope: workflow.Scope{Workspace: "other"}, outside: true},
		{name: "channel of other workspace", scope: workflow.Scope{Workspace: "brand", Channel: "li"}, outside: true},
		{name: "unknown channel", scope: workflow.Scope{Workspace: "brand", Channel: "nope"}, notFound: true},
	}
	for _, role := range roles {
		member := role
		if role == workflow.RoleOwner {
			member = "boss"
		}
		for _, p := range workflow.AllPermissions() {
			for _, sc := range scopes {
				t.Run(fmt.Sprintf("%s/%s/%s", role, p, sc.name), func(t *testing.T) {
					err := team.Authorize(member, p, sc.scope)
					switch {
					case sc.notFound:
						require.ErrorIs(t, err, socialflow.ErrNotFound)
					case sc.outside && role != workflow.RoleOwner, sc.name == "channel of other workspace":
						require.ErrorIs(t, err, socialflow.ErrForbidden)
					case granted[role][p]:
						require.NoError(t, err)
					default:
						require.ErrorIs(t, err, socialflow.ErrForbidden)
						var fe *workflow.ForbiddenError
						require.ErrorAs(t, err, &fe)
						assert.Equal(t, member, fe.Member)
						assert.Equal(t, p, fe.Permission)
						assert.Equal(t, workflow.ReasonRoleLacks, fe.Reason)
						assert.Equal(t, role, fe.Role)
					}
				})
			}
		}
	}
}

func TestAuthorizeRestrictedMemberships(t *testing.T) {
	team := fixture(t)
	require.NoError(t, team.AddMember(workflow.Member{ID: "insta"}))
	require.NoError(t, team.AddMember(workflow.Member{ID: "xonly"}))
	require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: "insta", WorkspaceID: "brand", Role: workflow.RoleManager, Networks: []string{"instagram"}}, t0))
	require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: "xonly", WorkspaceID: "brand", Role: workflow.RoleManager, Channels: []string{"x"}}, t0))
	for _, tt := range []struct {
		member string
		perm   workflow.Permission
		scope  workflow.Scope
		want   workflow.Reason // "" means allowed
	}{
		{"insta", workflow.PermPublishNow, workflow.Scope{Workspace: "brand", Channel: "ig"}, ""},
		{"insta", workflow.PermPublishNow, workflow.Scope{Workspace: "brand", Channel: "x"}, workflow.ReasonOutsideScope},
		{"insta", workflow.PermPublishNow, workflow.Scope{Workspace: "brand", Network: "instagram"}, ""},
		{"insta", workflow.PermPublishNow, workflow.Scope{Workspace: "brand"}, workflow.ReasonChannelRequired},
		{"insta", workflow.PermViewAnalytics, workflow.Scope{Workspace: "brand"}, ""},
		{"insta", workflow.PermViewAnalytics, workflow.Scope{Workspace: "brand", Channel: "x"}, workflow.ReasonOutsideScope},
		{"insta", workflow.PermPublishNow, workflow.Scope{Workspace: "brand", Channel: "ig", Network: "x"}, workflow.ReasonOutsideScope},
		{"xonly", workflow.PermSchedule, workflow.Scope{Workspace: "brand", Channel: "x"}, ""},
		{"xonly", workflow.PermSchedule, workflow.Scope{Workspace: "brand", Channel: "ig"}, workflow.ReasonOutsideScope},
		{"xonly", workflow.PermSchedule, workflow.Scope{Workspace: "brand", Network: "x"}, workflow.ReasonOutsideScope},
		{"xonly", workflow.PermSchedule, workflow.Scope{Workspace: "other", Channel: "li"}, workflow.ReasonNoMembership},
		{"nobody", workflow.PermViewCalendar, workflow.Scope{Workspace: "brand"}, workflow.ReasonNoMembership},
	} {
		t.Run(fmt.Sprintf("%s/%s/%s", tt.member, tt.perm, tt.scope), func(t *testing.T) {
			err := team.Authorize(tt.member, tt.perm, tt.scope)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var fe *workflow.ForbiddenError
			require.ErrorAs(t, err, &fe)
			require.ErrorIs(t, err, socialflow.ErrForbidden)
			assert.Equal(t, tt.want, fe.Reason)
		})
	}
}

func TestAgencyMemberHoldsDifferentRolesPerClient(t *testing.T) {
	team := fixture(t)
	require.NoError(t, team.AddMember(workflow.Member{ID: "kim", OrgID: "acme"}))
	require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: "kim", WorkspaceID: "brand", Role: workflow.RoleCreator}, t0))
	require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: "kim", WorkspaceID: "other", Role: workflow.RoleApprover}, t0))
	assert.True(t, team.Can("kim", workflow.PermCreateDraft, workflow.Scope{Workspace: "brand"}))
	assert.False(t, team.Can("kim", workflow.PermApprove, workflow.Scope{Workspace: "brand"}))
	assert.True(t, team.Can("kim", workflow.PermApprove, workflow.Scope{Workspace: "other"}))
	assert.False(t, team.Can("kim", workflow.PermCreateDraft, workflow.Scope{Workspace: "other"}))
	assert.Equal(t, []string{"brand", "other"}, team.WorkspacesOf("kim"))
	assert.Equal(t, []string{"brand"}, team.WorkspacesOf(workflow.RoleClient), "a client sees only their own workspace")
}

func TestMembershipChanges(t *testing.T) {
	type op func(team *workflow.Team) error
	for _, tt := range []struct {
		name    string
		op      op
		wantErr error
		reason  workflow.Reason
	}{
		{name: "owner invites", op: func(tm *workflow.Team) error {
			return tm.Invite("boss", workflow.Membership{MemberID: "new", WorkspaceID: "brand", Role: workflow.RoleAnalyst}, t0)
		}},
		{name: "unknown role", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.Invite("boss", workflow.Membership{MemberID: "new", WorkspaceID: "brand", Role: "wizard"}, t0)
		}},
		{name: "empty member id", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.Invite("boss", workflow.Membership{WorkspaceID: "brand", Role: workflow.RoleAnalyst}, t0)
		}},
		{name: "unknown member", wantErr: socialflow.ErrNotFound, op: func(tm *workflow.Team) error {
			return tm.Invite("boss", workflow.Membership{MemberID: "ghost", WorkspaceID: "brand", Role: workflow.RoleAnalyst}, t0)
		}},
		{name: "already a member", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.Invite("boss", workflow.Membership{MemberID: "analyst", WorkspaceID: "brand", Role: workflow.RoleAnalyst}, t0)
		}},
		{name: "channel of another workspace", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.Invite("boss", workflow.Membership{MemberID: "new", WorkspaceID: "brand", Role: workflow.RoleAnalyst, Channels: []string{"li"}}, t0)
		}},
		{name: "restricted owner", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.Invite("boss", workflow.Membership{MemberID: "new", WorkspaceID: "brand", Role: workflow.RoleOwner, Networks: []string{"x"}}, t0)
		}},
		{name: "manager cannot invite", wantErr: socialflow.ErrForbidden, reason: workflow.ReasonRoleLacks, op: func(tm *workflow.Team) error {
			return tm.Invite("manager", workflow.Membership{MemberID: "new", WorkspaceID: "brand", Role: workflow.RoleClient}, t0)
		}},
		{name: "last owner cannot leave", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.Remove("boss", "boss", "brand")
		}},
		{name: "last owner cannot be suspended", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.Suspend("boss", "boss", "brand")
		}},
		{name: "last owner cannot be demoted", wantErr: socialflow.ErrInvalid, op: func(tm *workflow.Team) error {
			return tm.ChangeMembership("boss", workflow.Membership{MemberID: "boss", WorkspaceID: "brand", Role: workflow.RoleManager})
		}},
		{name: "remove a member", op: func(tm *workflow.Team) error { return tm.Remove("boss", "analyst", "brand") }},
		{name: "remove a non-member", wantErr: socialflow.ErrNotFound, op: func(tm *workflow.Team) error { return tm.Remove("boss", "new", "brand") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			team := fixture(t)
			require.NoError(t, team.AddMember(workflow.Member{ID: "new"}))
			before := team.Memberships("brand")
			err := tt.op(team)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			assert.Equal(t, before, team.Memberships("brand"), "a refused change changes nothing")
			if tt.reason != "" {
				var fe *workflow.ForbiddenError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.reason, fe.Reason)
			}
		})
	}
}

func TestNobodyGrantsAboveOwnRights(t *testing.T) {
	// A custom "lead" role manages members but cannot publish.
	lead := workflow.Role{Name: "lead", Permissions: []workflow.Permission{workflow.PermManageMembers, workflow.PermViewCalendar, workflow.PermCreateDraft}}
	team, err := workflow.NewTeam(lead)
	require.NoError(t, err)
	require.NoError(t, team.AddOrganization(workflow.Organization{ID: "o", Kind: workflow.OrgCompany}))
	for _, id := range []string{"boss", "lead", "a", "b"} {
		require.NoError(t, team.AddMember(workflow.Member{ID: id}))
	}
	require.NoError(t, team.AddWorkspace(workflow.Workspace{ID: "w", OrgID: "o"}, "boss", t0))
	require.NoError(t, team.AddChannel(workflow.Channel{ID: "ig", WorkspaceID: "w", Network: "instagram"}))
	require.NoError(t, team.AddChannel(workflow.Channel{ID: "x", WorkspaceID: "w", Network: "x"}))
	require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: "lead", WorkspaceID: "w", Role: "lead", Channels: []string{"ig"}}, t0))

	var fe *workflow.ForbiddenError
	err = team.Invite("lead", workflow.Membership{MemberID: "a", WorkspaceID: "w", Role: workflow.RoleManager}, t0)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, workflow.ReasonGrantAboveOwn, fe.Reason)

	err = team.Invite("lead", workflow.Membership{MemberID: "a", WorkspaceID: "w", Role: "lead", Channels: []string{"x"}}, t0)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, workflow.ReasonGrantAboveOwn, fe.Reason, "wider channel scope")

	err = team.Invite("lead", workflow.Membership{MemberID: "a", WorkspaceID: "w", Role: "lead"}, t0)
	require.ErrorAs(t, err, &fe, "an unrestricted grant is wider than a restricted actor")

	require.NoError(t, team.Invite("lead", workflow.Membership{MemberID: "a", WorkspaceID: "w", Role: "lead", Channels: []string{"ig"}}, t0))
	require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: "b", WorkspaceID: "w", Role: workflow.RoleManager}, t0))
	err = team.Suspend("lead", "b", "w")
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, workflow.ReasonActorOutranked, fe.Reason)
}

func TestSuspendAndResume(t *testing.T) {
	team := fixture(t)
	require.NoError(t, team.Suspend("boss", "creator", "brand"))
	var fe *workflow.ForbiddenError
	require.ErrorAs(t, team.Authorize("creator", workflow.PermCreateDraft, workflow.Scope{Workspace: "brand"}), &fe)
	assert.Equal(t, workflow.ReasonSuspended, fe.Reason)
	require.NoError(t, team.Resume("boss", "creator", "brand"))
	require.NoError(t, team.Authorize("creator", workflow.PermCreateDraft, workflow.Scope{Workspace: "brand"}))

	require.NoError(t, team.AddMember(workflow.Member{ID: "co"}))
	require.NoError(t, team.Invite("boss", workflow.Membership{MemberID: "co", WorkspaceID: "brand", Role: workflow.RoleOwner}, t0))
	require.NoError(t, team.Suspend("co", "boss", "brand"), "a second owner may suspend the first")
	require.ErrorIs(t, team.Remove("co", "co", "brand"), socialflow.ErrInvalid, "the suspended owner does not count")
}

func TestGateKeepsAuthorizationAndPlanApart(t *testing.T) {
	team := fixture(t)
	noAnalytics := workflow.EntitlementsFunc(func(_ context.Context, ws string, p workflow.Permission) error {
		if p == workflow.PermExportReports {
			return errors.New("reports need the Pro plan")
		}
		return nil
	})
	g := workflow.Gate{Team: team, Plan: noAnalytics}
	ctx := context.Background()
	brand := workflow.Scope{Workspace: "brand"}
	require.NoError(t, g.Allow(ctx, "analyst", workflow.PermViewAnalytics, brand))

	var fe *workflow.ForbiddenError
	err := g.Allow(ctx, "analyst", workflow.PermExportReports, brand)
	require.ErrorAs(t, err, &fe)
	require.ErrorIs(t, err, socialflow.ErrForbidden)
	assert.Equal(t, workflow.ReasonNotEntitled, fe.Reason)
	assert.Contains(t, err.Error(), "Pro plan")

	allowAll := workflow.EntitlementsFunc(func(context.Context, string, workflow.Permission) error { return nil })
	err = workflow.Gate{Team: team, Plan: allowAll}.Allow(ctx, "client", workflow.PermPublishNow, brand)
	require.ErrorAs(t, err, &fe, "a generous plan does not grant what the role lacks")
	assert.Equal(t, workflow.ReasonRoleLacks, fe.Reason)
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
			roles, err := workflow.ParseRoles([]byte(tt.json))
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
		roles, err := workflow.ParseRoles(data)
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
		if _, err := workflow.NewTeam(roles...); err != nil {
			t.Fatalf("parsed roles rejected by NewTeam: %v", err)
		}
	})
}
