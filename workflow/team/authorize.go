package team

import (
	"context"
	"slices"
	"time"
)

// Authorize is the single authorization gate: it returns nil when member may
// use perm in scope, and otherwise a [*ForbiddenError] (matching
// socialflow.ErrForbidden) naming the member, the permission, the scope
// (with the channel's network filled in) and the [Reason]:
//
//   - [ReasonNoMembership]: the member holds no membership in the workspace
//     (unknown members and workspaces answer the same, revealing nothing);
//   - [ReasonSuspended]: the membership is suspended;
//   - [ReasonRoleLacks]: the role does not grant perm;
//   - [ReasonOutsideScope]: the scope names a channel or network outside a
//     restricted membership, or a channel of another workspace;
//   - [ReasonChannelRequired]: perm is channel-bound, the membership is
//     restricted and the scope names no channel.
//
// An unknown permission is an error matching socialflow.ErrInvalid, and an
// unknown channel one matching socialflow.ErrNotFound. Authorize does not
// consult the host's plan: see [Gate].
func (t *Team) Authorize(member string, perm Permission, scope Scope) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.authorize(member, perm, scope)
}

func (t *Team) authorize(member string, perm Permission, scope Scope) error {
	if !perm.Valid() {
		return &ValidationError{Field: "permission", Value: string(perm), Reason: "unknown permission"}
	}
	deny := func(r Reason, role string) error {
		return &ForbiddenError{Member: member, Permission: perm, Scope: scope, Reason: r, Role: role}
	}
	if scope.Channel != "" {
		c, ok := t.channels[scope.Channel]
		if !ok {
			return &NotFoundError{Kind: "channel", ID: scope.Channel}
		}
		if scope.Network != "" && scope.Network != c.Network {
			return deny(ReasonOutsideScope, "")
		}
		scope.Network = c.Network
		if c.WorkspaceID != scope.Workspace {
			return deny(ReasonOutsideScope, "")
		}
	}
	m, ok := t.memberships[msKey{member, scope.Workspace}]
	if !ok {
		return deny(ReasonNoMembership, "")
	}
	if m.Suspended {
		return deny(ReasonSuspended, m.Role)
	}
	role, ok := t.roles[m.Role]
	if !ok || !role.Has(perm) {
		return deny(ReasonRoleLacks, m.Role)
	}
	if !m.Restricted() {
		return nil
	}
	switch {
	case scope.Channel != "":
		if !slices.Contains(m.Channels, scope.Channel) && !slices.Contains(m.Networks, scope.Network) {
			return deny(ReasonOutsideScope, m.Role)
		}
	case scope.Network != "":
		if !slices.Contains(m.Networks, scope.Network) {
			return deny(ReasonOutsideScope, m.Role)
		}
	case perm.ChannelBound():
		return deny(ReasonChannelRequired, m.Role)
	}
	return nil
}

// Can reports whether [Team.Authorize] allows the action.
func (t *Team) Can(member string, perm Permission, scope Scope) bool {
	return t.Authorize(member, perm, scope) == nil
}

// Invite gives m.MemberID the membership m, on behalf of actor. actor needs
// [PermManageMembers] in the workspace and may grant only what they hold
// themselves: every permission of the new role, and no wider channel or
// network scope than their own. The owner role cannot be restricted to
// channels or networks. Nothing changes when an error is returned.
func (t *Team) Invite(actor string, m Membership, now time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	if err := t.validMembership(m); err != nil {
		return err
	}
	if _, ok := t.memberships[msKey{m.MemberID, m.WorkspaceID}]; ok {
		return &ValidationError{Field: "membership", Value: m.MemberID + "@" + m.WorkspaceID, Reason: "already a member"}
	}
	if err := t.mayGrant(actor, m); err != nil {
		return err
	}
	m = cloneMembership(m)
	m.Since, m.Suspended = now, false
	t.memberships[msKey{m.MemberID, m.WorkspaceID}] = m
	return nil
}

// ChangeMembership replaces the role and scope of an existing membership on
// behalf of actor, under the rules of [Team.Invite]; in addition actor may
// not change a member whose current role holds permissions actor lacks, and a
// workspace never loses its last active owner ([*LastOwnerError]).
func (t *Team) ChangeMembership(actor string, m Membership) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	if err := t.validMembership(m); err != nil {
		return err
	}
	cur, err := t.target(actor, m.MemberID, m.WorkspaceID)
	if err != nil {
		return err
	}
	if err := t.mayGrant(actor, m); err != nil {
		return err
	}
	if cur.Role == RoleOwner && m.Role != RoleOwner && !cur.Suspended {
		if err := t.keepsOwner(m.WorkspaceID, m.MemberID); err != nil {
			return err
		}
	}
	m = cloneMembership(m)
	m.Since, m.Suspended = cur.Since, cur.Suspended
	t.memberships[msKey{m.MemberID, m.WorkspaceID}] = m
	return nil
}

// Suspend suspends member's membership in workspace on behalf of actor: it
// grants nothing until [Team.Resume]. The rules of [Team.ChangeMembership]
// apply.
func (t *Team) Suspend(actor, member, workspace string) error {
	return t.setSuspended(actor, member, workspace, true)
}

// Resume lifts a suspension, on behalf of actor.
func (t *Team) Resume(actor, member, workspace string) error {
	return t.setSuspended(actor, member, workspace, false)
}

func (t *Team) setSuspended(actor, member, workspace string, suspended bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	cur, err := t.target(actor, member, workspace)
	if err != nil {
		return err
	}
	if suspended && cur.Role == RoleOwner && !cur.Suspended {
		if err := t.keepsOwner(workspace, member); err != nil {
			return err
		}
	}
	cur.Suspended = suspended
	t.memberships[msKey{member, workspace}] = cur
	return nil
}

// Remove ends member's membership in workspace on behalf of actor. The rules
// of [Team.ChangeMembership] apply.
func (t *Team) Remove(actor, member, workspace string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.mutable(); err != nil {
		return err
	}
	cur, err := t.target(actor, member, workspace)
	if err != nil {
		return err
	}
	if cur.Role == RoleOwner && !cur.Suspended {
		if err := t.keepsOwner(workspace, member); err != nil {
			return err
		}
	}
	delete(t.memberships, msKey{member, workspace})
	return nil
}

// validMembership checks that everything m names exists.
func (t *Team) validMembership(m Membership) error {
	if err := CheckID("membership.member_id", m.MemberID); err != nil {
		return err
	}
	if err := CheckID("membership.workspace_id", m.WorkspaceID); err != nil {
		return err
	}
	if _, ok := t.members[m.MemberID]; !ok {
		return &NotFoundError{Kind: "member", ID: m.MemberID}
	}
	if _, ok := t.workspaces[m.WorkspaceID]; !ok {
		return &NotFoundError{Kind: "workspace", ID: m.WorkspaceID}
	}
	if _, ok := t.roles[m.Role]; !ok {
		return &ValidationError{Field: "membership.role", Value: m.Role, Reason: "unknown role"}
	}
	if m.Role == RoleOwner && m.Restricted() {
		return &ValidationError{Field: "membership.channels", Value: m.MemberID, Reason: "an owner cannot be restricted to channels or networks"}
	}
	for _, c := range m.Channels {
		ch, ok := t.channels[c]
		if !ok || ch.WorkspaceID != m.WorkspaceID {
			return &ValidationError{Field: "membership.channels", Value: c, Reason: "not a channel of workspace " + m.WorkspaceID}
		}
	}
	for _, n := range m.Networks {
		if err := CheckID("membership.networks", n); err != nil {
			return err
		}
	}
	return nil
}

// target checks that actor may manage members and may act on member's
// current membership, and returns it.
func (t *Team) target(actor, member, workspace string) (Membership, error) {
	if err := t.authorize(actor, PermManageMembers, Scope{Workspace: workspace}); err != nil {
		return Membership{}, err
	}
	cur, ok := t.memberships[msKey{member, workspace}]
	if !ok {
		return Membership{}, &NotFoundError{Kind: "membership", ID: member + "@" + workspace}
	}
	actorRole := t.roles[t.memberships[msKey{actor, workspace}].Role]
	for _, p := range t.roles[cur.Role].Permissions {
		if !actorRole.Has(p) {
			return Membership{}, &ForbiddenError{Member: actor, Permission: p, Scope: Scope{Workspace: workspace}, Reason: ReasonActorOutranked, Role: actorRole.Name}
		}
	}
	return cur, nil
}

// mayGrant checks that actor manages members and holds everything m grants.
func (t *Team) mayGrant(actor string, m Membership) error {
	ws := Scope{Workspace: m.WorkspaceID}
	if err := t.authorize(actor, PermManageMembers, ws); err != nil {
		return err
	}
	own := t.memberships[msKey{actor, m.WorkspaceID}]
	ownRole := t.roles[own.Role]
	for _, p := range t.roles[m.Role].Permissions {
		if !ownRole.Has(p) {
			return &ForbiddenError{Member: actor, Permission: p, Scope: ws, Reason: ReasonGrantAboveOwn, Role: own.Role}
		}
	}
	if !own.Restricted() {
		return nil
	}
	wider := !m.Restricted()
	for _, c := range m.Channels {
		if !slices.Contains(own.Channels, c) && !slices.Contains(own.Networks, t.channels[c].Network) {
			wider = true
		}
	}
	for _, n := range m.Networks {
		if !slices.Contains(own.Networks, n) {
			wider = true
		}
	}
	if wider {
		return &ForbiddenError{Member: actor, Permission: PermManageMembers, Scope: ws, Reason: ReasonGrantAboveOwn, Role: own.Role}
	}
	return nil
}

// keepsOwner returns a *LastOwnerError unless workspace has an active owner
// other than member.
func (t *Team) keepsOwner(workspace, member string) error {
	for k, m := range t.memberships {
		if k.workspace == workspace && k.member != member && m.Role == RoleOwner && !m.Suspended {
			return nil
		}
	}
	return &LastOwnerError{Workspace: workspace, Member: member}
}

// Entitlements is what the host's plan allows, as opposed to what a member
// is allowed ([Team.Authorize]). It is optional: a host without plans passes
// nil to [Gate]. Implementations are consulted only after authorization
// succeeded; neither check can switch the other off.
type Entitlements interface {
	// Entitled returns nil when the plan of workspace includes perm, and an
	// error otherwise (its message is shown to the user; it is wrapped in a
	// *ForbiddenError with [ReasonNotEntitled]). It must be safe for
	// concurrent use.
	Entitled(ctx context.Context, workspace string, perm Permission) error
}

// EntitlementsFunc adapts a function to [Entitlements].
type EntitlementsFunc func(ctx context.Context, workspace string, perm Permission) error

// Entitled calls f.
func (f EntitlementsFunc) Entitled(ctx context.Context, workspace string, perm Permission) error {
	return f(ctx, workspace, perm)
}

// Gate combines the team's authorization with the host's plan: [Gate.Allow]
// passes only when both pass. The zero Gate is not usable: Team is required;
// Plan may be nil (no plan limits).
type Gate struct {
	Team *Team
	Plan Entitlements
}

// Allow returns [Team.Authorize]'s error, or, when that passes and a plan is
// set, a [*ForbiddenError] with [ReasonNotEntitled] wrapping the plan's
// refusal.
func (g Gate) Allow(ctx context.Context, member string, perm Permission, scope Scope) error {
	if err := g.Team.Authorize(member, perm, scope); err != nil {
		return err
	}
	if g.Plan == nil {
		return nil
	}
	if err := g.Plan.Entitled(ctx, scope.Workspace, perm); err != nil {
		return &ForbiddenError{Member: member, Permission: perm, Scope: scope, Reason: ReasonNotEntitled, Err: err}
	}
	return nil
}
