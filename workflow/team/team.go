package team

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
)

// OrgKind says whether an organization is an agency (managing client
// workspaces) or a company (managing its own brands).
type OrgKind string

// The organization kinds.
const (
	OrgAgency  OrgKind = "agency"
	OrgCompany OrgKind = "company"
)

// Organization is an agency or a company. Its workspaces are its brands, or
// an agency's clients.
type Organization struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	Kind OrgKind `json:"kind"`
}

// Workspace is one brand, or one client of an agency. Members hold roles per
// workspace; a client member typically belongs to exactly one.
type Workspace struct {
	ID     string `json:"id"`
	OrgID  string `json:"org_id"`
	Name   string `json:"name"`
	Client string `json:"client,omitempty"` // the client's name when an agency manages it
}

// Channel is one connected account on one network inside one workspace, for
// example the brand's Instagram business account. Zone is the IANA zone its
// posting slots are planned in.
type Channel struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id"`
	Network     string `json:"network"` // e.g. "instagram", "x", "bluesky"
	Handle      string `json:"handle"`
	Zone        string `json:"zone,omitempty"`
}

// Member is a person who uses the product. OrgID is their employer (the
// agency, or the client company for a client's people).
type Member struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	OrgID string `json:"org_id,omitempty"`
}

// Membership gives a member a role in a workspace. When Channels or Networks
// is non-empty the membership is restricted: channel-bound permissions (see
// [Permission.ChannelBound]) apply only to those channels or to channels on
// those networks, and no permission applies to a channel outside them. A
// suspended membership grants nothing.
type Membership struct {
	MemberID    string    `json:"member_id"`
	WorkspaceID string    `json:"workspace_id"`
	Role        string    `json:"role"`
	Channels    []string  `json:"channels,omitempty"`
	Networks    []string  `json:"networks,omitempty"`
	Suspended   bool      `json:"suspended,omitempty"`
	Since       time.Time `json:"since,omitzero"`
}

// Restricted reports whether m is limited to some channels or networks.
func (m Membership) Restricted() bool { return len(m.Channels) > 0 || len(m.Networks) > 0 }

// Scope is where an action happens: a workspace, optionally narrowed to one
// channel. Network is derived from the channel when the channel is known to
// the team; a Scope may also name only a network (an action about, say, all
// Instagram channels of the workspace).
type Scope struct {
	Workspace string `json:"workspace"`
	Channel   string `json:"channel,omitempty"`
	Network   string `json:"network,omitempty"`
}

// String returns "workspace W", "workspace W channel C (network N)" and so on.
func (s Scope) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "workspace %s", echo.Quote(s.Workspace))
	if s.Channel != "" {
		fmt.Fprintf(&b, " channel %s", echo.Quote(s.Channel))
	}
	if s.Network != "" {
		fmt.Fprintf(&b, " network %s", echo.Quote(s.Network))
	}
	return b.String()
}

// Team is the team model: organizations, workspaces, channels, members, roles
// and memberships, and the authorization gate [Team.Authorize]. Every change
// is validated and either applies whole or not at all.
//
// The zero Team is not usable; create one with [NewTeam]. A Team is safe for
// concurrent use. It is the pure in-memory model: a workflow.Service keeps
// the team in its workflow.TeamStore (as a [TeamDoc]) and changes it only
// through its team actions (Service.Invite and the others). A Team handed to
// workflow.NewService, and every Team Service.Team returns, is frozen
// ([Team.Freeze]): its change methods return an error matching
// socialflow.ErrInvalid instead of diverging silently from the stored team.
type Team struct {
	mu          sync.RWMutex
	frozen      bool
	orgs        map[string]Organization
	workspaces  map[string]Workspace
	channels    map[string]Channel
	members     map[string]Member
	roles       map[string]Role
	roleOrder   []string
	memberships map[msKey]Membership
}

type msKey struct{ member, workspace string }

// NewTeam returns an empty team knowing the built-in roles and the custom
// roles given (see [ParseRoles]). A custom role that is invalid or reuses a
// name is an error matching socialflow.ErrInvalid.
func NewTeam(custom ...Role) (*Team, error) {
	t := &Team{
		orgs:        map[string]Organization{},
		workspaces:  map[string]Workspace{},
		channels:    map[string]Channel{},
		members:     map[string]Member{},
		roles:       map[string]Role{},
		memberships: map[msKey]Membership{},
	}
	for _, r := range append(BuiltinRoles(), custom...) {
		if err := r.Validate(); err != nil {
			return nil, err
		}
		if _, dup := t.roles[r.Name]; dup {
			return nil, &ValidationError{Field: "role.name", Value: r.Name, Reason: "defined twice"}
		}
		r.Permissions = slices.Clone(r.Permissions)
		t.roles[r.Name] = r
		t.roleOrder = append(t.roleOrder, r.Name)
	}
	return t, nil
}

// mutable returns an error when t is frozen (see the type documentation).
// It runs under t.mu.
func (t *Team) mutable() error {
	if t.frozen {
		return &ValidationError{Field: "team", Reason: "this Team belongs to a Service (or is a snapshot of one): change the team through the Service's team actions"}
	}
	return nil
}

// Freeze makes t's change methods fail (see the type documentation): the
// workflow freezes the Team it is given and every snapshot it holds, so a
// team changes only through the Service's team actions.
func (t *Team) Freeze() {
	t.mu.Lock()
	t.frozen = true
	t.mu.Unlock()
}

// CheckID returns a *ValidationError naming field when id is empty or
// blank: the one rule for every ID of the team model and the workflow.
func CheckID(field, id string) error {
	if strings.TrimSpace(id) == "" {
		return &ValidationError{Field: field, Reason: "must not be empty"}
	}
	return nil
}

func duplicate(field, id string) error {
	return &ValidationError{Field: field, Value: id, Reason: "already exists"}
}

// AddOrganization registers o. An empty or duplicate ID, or a kind other
// than agency or company, is an error matching socialflow.ErrInvalid.
func (t *Team) AddOrganization(o Organization) error {
	if err := CheckID("organization.id", o.ID); err != nil {
		return err
	}
	if o.Kind != OrgAgency && o.Kind != OrgCompany {
		return &ValidationError{Field: "organization.kind", Value: string(o.Kind), Reason: "must be agency or company"}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	if _, ok := t.orgs[o.ID]; ok {
		return duplicate("organization.id", o.ID)
	}
	t.orgs[o.ID] = o
	return nil
}

// AddMember registers m. An empty or duplicate ID, or an unknown
// organization, is an error.
func (t *Team) AddMember(m Member) error {
	if err := CheckID("member.id", m.ID); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	if _, ok := t.members[m.ID]; ok {
		return duplicate("member.id", m.ID)
	}
	if m.OrgID != "" {
		if _, ok := t.orgs[m.OrgID]; !ok {
			return &NotFoundError{Kind: "organization", ID: m.OrgID}
		}
	}
	t.members[m.ID] = m
	return nil
}

// AddWorkspace registers w with owner as its first owner: a workspace always
// has at least one active owner. The organization and the owner must exist.
func (t *Team) AddWorkspace(w Workspace, owner string, now time.Time) error {
	if err := CheckID("workspace.id", w.ID); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	if _, ok := t.workspaces[w.ID]; ok {
		return duplicate("workspace.id", w.ID)
	}
	if _, ok := t.orgs[w.OrgID]; !ok {
		return &NotFoundError{Kind: "organization", ID: w.OrgID}
	}
	if _, ok := t.members[owner]; !ok {
		return &NotFoundError{Kind: "member", ID: owner}
	}
	t.workspaces[w.ID] = w
	t.memberships[msKey{owner, w.ID}] = Membership{MemberID: owner, WorkspaceID: w.ID, Role: RoleOwner, Since: now}
	return nil
}

// AddChannel registers c in its workspace. An empty or duplicate ID, an
// empty network or an unknown workspace is an error. Connecting a channel on
// behalf of a member goes through [Team.Authorize] with [PermManageChannels]
// first; AddChannel itself only records it.
func (t *Team) AddChannel(c Channel) error {
	if err := CheckID("channel.id", c.ID); err != nil {
		return err
	}
	if err := CheckID("channel.network", c.Network); err != nil {
		return err
	}
	if c.Zone != "" {
		if _, err := time.LoadLocation(c.Zone); err != nil {
			return &ValidationError{Field: "channel.zone", Value: c.Zone, Reason: "unknown IANA time zone"}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	if _, ok := t.channels[c.ID]; ok {
		return duplicate("channel.id", c.ID)
	}
	if _, ok := t.workspaces[c.WorkspaceID]; !ok {
		return &NotFoundError{Kind: "workspace", ID: c.WorkspaceID}
	}
	t.channels[c.ID] = c
	return nil
}

// Role returns the role named name.
func (t *Team) Role(name string) (Role, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	r, ok := t.roles[name]
	r.Permissions = slices.Clone(r.Permissions)
	return r, ok
}

// Roles returns every role the team knows, built-in roles first.
func (t *Team) Roles() []Role {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]Role, 0, len(t.roleOrder))
	for _, n := range t.roleOrder {
		r := t.roles[n]
		r.Permissions = slices.Clone(r.Permissions)
		out = append(out, r)
	}
	return out
}

// Member returns the member with the given ID.
func (t *Team) Member(id string) (Member, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m, ok := t.members[id]
	return m, ok
}

// Channel returns the channel with the given ID.
func (t *Team) Channel(id string) (Channel, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	c, ok := t.channels[id]
	return c, ok
}

// Workspace returns the workspace with the given ID.
func (t *Team) Workspace(id string) (Workspace, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	w, ok := t.workspaces[id]
	return w, ok
}

// Channels returns the channels of a workspace, sorted by ID.
func (t *Team) Channels(workspace string) []Channel {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []Channel
	for _, c := range t.channels {
		if c.WorkspaceID == workspace {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Membership returns member's membership in workspace.
func (t *Team) Membership(member, workspace string) (Membership, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m, ok := t.memberships[msKey{member, workspace}]
	return cloneMembership(m), ok
}

// Memberships returns the memberships of a workspace, sorted by member ID.
func (t *Team) Memberships(workspace string) []Membership {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []Membership
	for k, m := range t.memberships {
		if k.workspace == workspace {
			out = append(out, cloneMembership(m))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MemberID < out[j].MemberID })
	return out
}

// WorkspacesOf returns the IDs of the workspaces where member holds an
// active membership, sorted.
func (t *Team) WorkspacesOf(member string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []string
	for k, m := range t.memberships {
		if k.member == member && !m.Suspended {
			out = append(out, k.workspace)
		}
	}
	sort.Strings(out)
	return out
}

func cloneMembership(m Membership) Membership {
	m.Channels = slices.Clone(m.Channels)
	m.Networks = slices.Clone(m.Networks)
	return m
}

// AddRole defines the custom role r. An invalid role or a name already
// defined (built-in or custom) is an error matching socialflow.ErrInvalid.
func (t *Team) AddRole(r Role) error {
	return t.storeRole(r, func() error {
		if _, ok := t.roles[r.Name]; ok {
			return &ValidationError{Field: "role.name", Value: r.Name, Reason: "defined twice"}
		}
		t.roleOrder = append(t.roleOrder, r.Name)
		return nil
	})
}

// ReplaceRole replaces the permissions and description of the custom role
// named r.Name; every membership holding it gets the new permissions at
// once. A built-in role cannot be replaced, and an unknown one is a
// *NotFoundError.
func (t *Team) ReplaceRole(r Role) error {
	return t.storeRole(r, func() error {
		if isBuiltinRole(r.Name) {
			return &ValidationError{Field: "role.name", Value: r.Name, Reason: "a built-in role cannot be replaced"}
		}
		if _, ok := t.roles[r.Name]; !ok {
			return &NotFoundError{Kind: "role", ID: r.Name}
		}
		return nil
	})
}

// storeRole validates r and, under the lock of a mutable team, stores a copy
// of it once check (which sees the roles before the change) allows it.
func (t *Team) storeRole(r Role, check func() error) error {
	if err := r.Validate(); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	r.Permissions = slices.Clone(r.Permissions)
	t.roles[r.Name] = r
	return nil
}

// WorkspacesHolding returns the IDs of the workspaces in which some
// membership holds role, sorted.
func (t *Team) WorkspacesHolding(role string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []string
	for k, m := range t.memberships {
		if m.Role == role && !slices.Contains(out, k.workspace) {
			out = append(out, k.workspace)
		}
	}
	slices.Sort(out)
	return out
}

func isBuiltinRole(name string) bool {
	for _, b := range BuiltinRoles() {
		if b.Name == name {
			return true
		}
	}
	return false
}
