package team

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
)

// TeamDoc is the stored form of a [Team]: everything the team model holds,
// as one document a workflow.TeamStore keeps under one revision. Slices are
// sorted by ID (memberships by workspace, then member); Roles holds the custom
// roles only, in definition order (the built-in roles are code). It is plain
// data with JSON tags, so a host may store it as one JSON column.
type TeamDoc struct {
	Rev           int64          `json:"rev"`
	Organizations []Organization `json:"organizations,omitempty"`
	Workspaces    []Workspace    `json:"workspaces,omitempty"`
	Channels      []Channel      `json:"channels,omitempty"`
	Members       []Member       `json:"members,omitempty"`
	Roles         []Role         `json:"roles,omitempty"`
	Memberships   []Membership   `json:"memberships,omitempty"`
}

// Empty reports whether d holds nothing (whatever its Rev).
func (d TeamDoc) Empty() bool {
	return len(d.Organizations)+len(d.Workspaces)+len(d.Channels)+len(d.Members)+len(d.Roles)+len(d.Memberships) == 0
}

// Doc returns the team as a document with Rev 0. The result shares nothing
// with t.
func (t *Team) Doc() TeamDoc {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var d TeamDoc
	for _, o := range t.orgs {
		d.Organizations = append(d.Organizations, o)
	}
	for _, w := range t.workspaces {
		d.Workspaces = append(d.Workspaces, w)
	}
	for _, c := range t.channels {
		d.Channels = append(d.Channels, c)
	}
	for _, m := range t.members {
		d.Members = append(d.Members, m)
	}
	builtin := len(BuiltinRoles())
	for _, n := range t.roleOrder[builtin:] {
		r := t.roles[n]
		r.Permissions = slices.Clone(r.Permissions)
		d.Roles = append(d.Roles, r)
	}
	for _, m := range t.memberships {
		d.Memberships = append(d.Memberships, cloneMembership(m))
	}
	slices.SortFunc(d.Organizations, func(a, b Organization) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Workspaces, func(a, b Workspace) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Channels, func(a, b Channel) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Members, func(a, b Member) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Memberships, func(a, b Membership) int {
		return cmp.Or(strings.Compare(a.WorkspaceID, b.WorkspaceID), strings.Compare(a.MemberID, b.MemberID))
	})
	return d
}

// TeamFromDoc rebuilds a Team from its stored form, validating it as the
// Add methods and [Team.Invite] do: unique IDs, references that exist,
// valid roles, and at least one active owner per workspace. An invalid
// document is an error matching socialflow.ErrInvalid or
// socialflow.ErrNotFound naming what is wrong; no Team is returned then.
func TeamFromDoc(d TeamDoc) (*Team, error) {
	t, err := NewTeam(d.Roles...)
	if err != nil {
		return nil, err
	}
	for _, o := range d.Organizations {
		if err := t.AddOrganization(o); err != nil {
			return nil, err
		}
	}
	for _, m := range d.Members {
		if err := t.AddMember(m); err != nil {
			return nil, err
		}
	}
	for _, w := range d.Workspaces {
		if err := CheckID("workspace.id", w.ID); err != nil {
			return nil, err
		}
		if _, ok := t.workspaces[w.ID]; ok {
			return nil, duplicate("workspace.id", w.ID)
		}
		if _, ok := t.orgs[w.OrgID]; !ok {
			return nil, &NotFoundError{Kind: "organization", ID: w.OrgID}
		}
		t.workspaces[w.ID] = w
	}
	for _, c := range d.Channels {
		if err := t.AddChannel(c); err != nil {
			return nil, err
		}
	}
	for _, m := range d.Memberships {
		if err := t.validMembership(m); err != nil {
			return nil, err
		}
		k := msKey{m.MemberID, m.WorkspaceID}
		if _, ok := t.memberships[k]; ok {
			return nil, &ValidationError{Field: "membership", Value: m.MemberID + "@" + m.WorkspaceID, Reason: "stored twice"}
		}
		t.memberships[k] = cloneMembership(m)
	}
	for _, w := range d.Workspaces {
		if err := t.keepsOwner(w.ID, ""); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Clone returns an unfrozen deep copy of t.
func (t *Team) Clone() *Team {
	c, err := TeamFromDoc(t.Doc())
	if err != nil {
		// t was valid, so its document is: unreachable, kept safe.
		c, _ = NewTeam()
	}
	return c
}

// FirstDifference names the first part ("organizations", "workspaces",
// "channels", "members", "custom roles", "memberships") in which a and b
// differ, or "" when they hold the same team (revisions aside).
func FirstDifference(a, b TeamDoc) string {
	parts := []struct {
		name string
		x, y any
	}{
		{"organizations", a.Organizations, b.Organizations},
		{"workspaces", a.Workspaces, b.Workspaces},
		{"channels", a.Channels, b.Channels},
		{"members", a.Members, b.Members},
		{"custom roles", a.Roles, b.Roles},
		{"memberships", a.Memberships, b.Memberships},
	}
	for _, p := range parts {
		if !sameDocPart(p.x, p.y) {
			return p.name
		}
	}
	return ""
}

func sameDocPart(x, y any) bool {
	vx, vy := reflect.ValueOf(x), reflect.ValueOf(y)
	if vx.Len() == 0 && vy.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(x, y)
}
