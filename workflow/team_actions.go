package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// Team actions. Each one authorizes through the Service's gate (the plan
// included), applies the change to the stored team under the rules of the
// pure model ([team.Team.Invite] and the others: the last active owner stays,
// nobody grants above their own rights), saves it with compare-and-swap
// (retrying when another replica changed the team meanwhile), refreshes the
// Service's snapshot and appends an audit event. Every replica enforces the
// change from its next action. Nothing is stored when an error is returned,
// except an audit failure (see [Service]).

// MemberRef names one membership: a member in a workspace.
type MemberRef struct {
	Member    string `json:"member"`
	Workspace string `json:"workspace"`
}

// MembershipRequest is a membership to grant ([Service.Invite]) or the
// whole new role and scope of one ([Service.ChangeMembership]). Channels and
// Networks restrict it (see [team.Membership]).
type MembershipRequest struct {
	Member    string   `json:"member"`
	Workspace string   `json:"workspace"`
	Role      string   `json:"role"`
	Channels  []string `json:"channels,omitempty"`
	Networks  []string `json:"networks,omitempty"`
}

func (r MembershipRequest) membership() team.Membership {
	return team.Membership{MemberID: r.Member, WorkspaceID: r.Workspace, Role: r.Role,
		Channels: slices.Clone(r.Channels), Networks: slices.Clone(r.Networks)}
}

// RoleChangeRequest changes the role of a membership, keeping its scope.
type RoleChangeRequest struct {
	Member    string `json:"member"`
	Workspace string `json:"workspace"`
	Role      string `json:"role"`
}

// RestrictRequest replaces the channel and network scope of a membership,
// keeping its role. Empty Channels and Networks lift the restriction.
type RestrictRequest struct {
	Member    string   `json:"member"`
	Workspace string   `json:"workspace"`
	Channels  []string `json:"channels,omitempty"`
	Networks  []string `json:"networks,omitempty"`
}

// OrganizationRequest registers an organization (for example a client
// company, the employer of its people). From is a workspace where the actor
// holds [team.PermManageMembers]: that permission authorizes the change.
type OrganizationRequest struct {
	From         string            `json:"from"`
	Organization team.Organization `json:"organization"`
}

// MemberRequest registers a person. From is a workspace where the actor
// holds [team.PermManageMembers]. Registering gives no membership: invite them
// next.
type MemberRequest struct {
	From   string      `json:"from"`
	Member team.Member `json:"member"`
}

// WorkspaceRequest creates a workspace with Owner as its first owner. From
// is a workspace of the same organization where the actor holds
// [team.PermManageMembers] (an agency's owner adds a client workspace).
type WorkspaceRequest struct {
	From      string         `json:"from"`
	Workspace team.Workspace `json:"workspace"`
	Owner     string         `json:"owner"`
}

// RoleRequest defines ([Service.AddRole]) or replaces
// ([Service.ReplaceRole]) a custom role. From is a workspace where the
// actor holds [team.PermManageMembers] and every permission of the role.
type RoleRequest struct {
	From string    `json:"from"`
	Role team.Role `json:"role"`
}

// changeTeam applies change to the stored team and saves it with
// compare-and-swap, retrying on a lost race; it refreshes the snapshot.
func (s *Service) changeTeam(ctx context.Context, change func(t *team.Team) error) error {
	for attempt := 0; ; attempt++ {
		doc, err := s.store.LoadTeam(ctx)
		if err != nil {
			return fmt.Errorf("workflow: load the team: %w", err)
		}
		t, err := team.TeamFromDoc(doc)
		if err != nil {
			return fmt.Errorf("workflow: the stored team (revision %d) is invalid: %w", doc.Rev, err)
		}
		if err := change(t); err != nil {
			return err
		}
		next := t.Doc()
		next.Rev = doc.Rev
		saved, err := s.store.SaveTeam(ctx, next)
		var ce *ConflictError
		if errors.As(err, &ce) && ce.Kind == ConflictTeam && attempt < teamRetries {
			continue
		}
		if err != nil {
			return fmt.Errorf("workflow: save the team: %w", err)
		}
		s.team.set(t, saved.Rev)
		return nil
	}
}

func msObject(member, workspace string) string { return "membership:" + member + "@" + workspace }

func scopeData(channels, networks []string) map[string]string {
	d := map[string]string{}
	if len(channels) > 0 {
		d["channels"] = strings.Join(channels, ",")
	}
	if len(networks) > 0 {
		d["networks"] = strings.Join(networks, ",")
	}
	return d
}

// Invite gives a member a membership, on behalf of actor, who needs
// [team.PermManageMembers] in the workspace and may grant only what they hold
// (see [team.Team.Invite]). It returns the membership stored.
func (s *Service) Invite(ctx context.Context, actor string, r MembershipRequest) (team.Membership, error) {
	if err := s.allow(ctx, actor, team.PermManageMembers, team.Scope{Workspace: r.Workspace}); err != nil {
		return team.Membership{}, err
	}
	now := s.now()
	var out team.Membership
	if err := s.changeTeam(ctx, func(t *team.Team) error {
		if err := t.Invite(actor, r.membership(), now); err != nil {
			return err
		}
		out, _ = t.Membership(r.Member, r.Workspace)
		return nil
	}); err != nil {
		return team.Membership{}, err
	}
	data := scopeData(r.Channels, r.Networks)
	data["role"] = r.Role
	return out, s.record(ctx, Event{Workspace: r.Workspace, Actor: actor, Action: "team.invite", Object: msObject(r.Member, r.Workspace),
		Summary: fmt.Sprintf("invited %s as %s", echo.Quote(r.Member), echo.Quote(r.Role)), Data: data})
}

// ChangeMembership replaces the role and scope of a membership on behalf of
// actor, under the rules of [team.Team.ChangeMembership].
func (s *Service) ChangeMembership(ctx context.Context, actor string, r MembershipRequest) (team.Membership, error) {
	return s.changeMembership(ctx, actor, r.Member, r.Workspace, "team.change_membership", func(cur team.Membership) team.Membership {
		return r.membership()
	})
}

// ChangeRole changes the role of a membership, keeping its scope, under the
// rules of [team.Team.ChangeMembership].
func (s *Service) ChangeRole(ctx context.Context, actor string, r RoleChangeRequest) (team.Membership, error) {
	return s.changeMembership(ctx, actor, r.Member, r.Workspace, "team.change_role", func(cur team.Membership) team.Membership {
		cur.Role = r.Role
		return cur
	})
}

// Restrict replaces the channel and network scope of a membership, keeping
// its role, under the rules of [team.Team.ChangeMembership].
func (s *Service) Restrict(ctx context.Context, actor string, r RestrictRequest) (team.Membership, error) {
	return s.changeMembership(ctx, actor, r.Member, r.Workspace, "team.restrict", func(cur team.Membership) team.Membership {
		cur.Channels, cur.Networks = slices.Clone(r.Channels), slices.Clone(r.Networks)
		return cur
	})
}

func (s *Service) changeMembership(ctx context.Context, actor, member, workspace, action string, next func(cur team.Membership) team.Membership) (team.Membership, error) {
	if err := s.allow(ctx, actor, team.PermManageMembers, team.Scope{Workspace: workspace}); err != nil {
		return team.Membership{}, err
	}
	var before, out team.Membership
	if err := s.changeTeam(ctx, func(t *team.Team) error {
		cur, ok := t.Membership(member, workspace)
		if !ok {
			return &NotFoundError{Kind: "membership", ID: member + "@" + workspace}
		}
		m := next(cur)
		m.MemberID, m.WorkspaceID = member, workspace
		if err := t.ChangeMembership(actor, m); err != nil {
			return err
		}
		before = cur
		out, _ = t.Membership(member, workspace)
		return nil
	}); err != nil {
		return team.Membership{}, err
	}
	data := scopeData(out.Channels, out.Networks)
	data["role"], data["previous_role"] = out.Role, before.Role
	return out, s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: action, Object: msObject(member, workspace),
		Summary: fmt.Sprintf("%s is now %s", echo.Quote(member), echo.Quote(out.Role)), Data: data})
}

// Suspend suspends a membership on behalf of actor ([team.Team.Suspend]): it
// grants nothing until [Service.Resume].
func (s *Service) Suspend(ctx context.Context, actor string, r MemberRef) error {
	return s.memberStep(ctx, actor, r, "team.suspend", func(t *team.Team) error { return t.Suspend(actor, r.Member, r.Workspace) })
}

// Resume lifts a suspension on behalf of actor ([team.Team.Resume]).
func (s *Service) Resume(ctx context.Context, actor string, r MemberRef) error {
	return s.memberStep(ctx, actor, r, "team.resume", func(t *team.Team) error { return t.Resume(actor, r.Member, r.Workspace) })
}

// Remove ends a membership on behalf of actor ([team.Team.Remove]).
func (s *Service) Remove(ctx context.Context, actor string, r MemberRef) error {
	return s.memberStep(ctx, actor, r, "team.remove", func(t *team.Team) error { return t.Remove(actor, r.Member, r.Workspace) })
}

func (s *Service) memberStep(ctx context.Context, actor string, r MemberRef, action string, change func(t *team.Team) error) error {
	if err := s.allow(ctx, actor, team.PermManageMembers, team.Scope{Workspace: r.Workspace}); err != nil {
		return err
	}
	if err := s.changeTeam(ctx, change); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: r.Workspace, Actor: actor, Action: action, Object: msObject(r.Member, r.Workspace),
		Summary: fmt.Sprintf("%s: %s", strings.TrimPrefix(action, "team."), echo.Quote(r.Member))})
}

// AddChannel connects a channel to its workspace on behalf of actor, who
// needs [team.PermManageChannels] there ([team.Team.AddChannel] validates it).
func (s *Service) AddChannel(ctx context.Context, actor string, c team.Channel) error {
	if err := team.CheckID("channel.workspace_id", c.WorkspaceID); err != nil {
		return err
	}
	if err := s.allow(ctx, actor, team.PermManageChannels, team.Scope{Workspace: c.WorkspaceID}); err != nil {
		return err
	}
	if err := s.changeTeam(ctx, func(t *team.Team) error { return t.AddChannel(c) }); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: "channel.add", Object: "channel:" + c.ID,
		Summary: fmt.Sprintf("connected %s on %s", echo.Quote(c.Handle), echo.Quote(c.Network)), Data: map[string]string{"network": c.Network}})
}

// AddOrganization registers an organization on behalf of actor (see
// [OrganizationRequest]).
func (s *Service) AddOrganization(ctx context.Context, actor string, r OrganizationRequest) error {
	if err := s.allowFrom(ctx, actor, r.From); err != nil {
		return err
	}
	if err := s.changeTeam(ctx, func(t *team.Team) error { return t.AddOrganization(r.Organization) }); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: r.From, Actor: actor, Action: "team.add_organization", Object: "organization:" + r.Organization.ID,
		Summary: fmt.Sprintf("registered %s %s", r.Organization.Kind, echo.Quote(r.Organization.Name))})
}

// AddMember registers a person on behalf of actor (see [MemberRequest]).
func (s *Service) AddMember(ctx context.Context, actor string, r MemberRequest) error {
	if err := s.allowFrom(ctx, actor, r.From); err != nil {
		return err
	}
	if err := s.changeTeam(ctx, func(t *team.Team) error { return t.AddMember(r.Member) }); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: r.From, Actor: actor, Action: "team.add_member", Object: "member:" + r.Member.ID,
		Summary: fmt.Sprintf("registered %s", echo.Quote(r.Member.Name))})
}

// AddWorkspace creates a workspace on behalf of actor (see
// [WorkspaceRequest]).
func (s *Service) AddWorkspace(ctx context.Context, actor string, r WorkspaceRequest) error {
	if err := s.allowFrom(ctx, actor, r.From); err != nil {
		return err
	}
	if from, _ := s.team.Workspace(r.From); from.OrgID != r.Workspace.OrgID {
		return &team.ForbiddenError{Member: actor, Permission: team.PermManageMembers, Scope: team.Scope{Workspace: r.From}, Reason: team.ReasonOutsideScope}
	}
	now := s.now()
	if err := s.changeTeam(ctx, func(t *team.Team) error { return t.AddWorkspace(r.Workspace, r.Owner, now) }); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: r.Workspace.ID, Actor: actor, Action: "team.add_workspace", Object: "workspace:" + r.Workspace.ID,
		Summary: fmt.Sprintf("created %s owned by %s", echo.Quote(r.Workspace.Name), echo.Quote(r.Owner)), Data: map[string]string{"from": r.From}})
}

// AddRole defines a custom role on behalf of actor, who may define only a
// role within their own rights in r.From.
func (s *Service) AddRole(ctx context.Context, actor string, r RoleRequest) error {
	return s.roleStep(ctx, actor, r, "role.add", func(t *team.Team) error { return t.AddRole(r.Role) })
}

// ReplaceRole replaces a custom role on behalf of actor. The new role must
// be within the actor's rights in r.From, and because every membership
// holding the role changes at once, actor also needs [team.PermManageMembers] in
// every workspace where it is held, with every permission the role had and
// will have.
func (s *Service) ReplaceRole(ctx context.Context, actor string, r RoleRequest) error {
	return s.roleStep(ctx, actor, r, "role.replace", func(t *team.Team) error {
		old, ok := t.Role(r.Role.Name)
		if !ok {
			return &NotFoundError{Kind: "role", ID: r.Role.Name}
		}
		for _, ws := range t.WorkspacesHolding(r.Role.Name) {
			if err := withinRights(t, actor, ws, append(old.Permissions, r.Role.Permissions...)); err != nil {
				return err
			}
		}
		return t.ReplaceRole(r.Role)
	})
}

func (s *Service) roleStep(ctx context.Context, actor string, r RoleRequest, action string, change func(t *team.Team) error) error {
	if err := s.allowFrom(ctx, actor, r.From); err != nil {
		return err
	}
	if err := s.changeTeam(ctx, func(t *team.Team) error {
		if err := withinRights(t, actor, r.From, r.Role.Permissions); err != nil {
			return err
		}
		return change(t)
	}); err != nil {
		return err
	}
	ps := make([]string, len(r.Role.Permissions))
	for i, p := range r.Role.Permissions {
		ps[i] = string(p)
	}
	return s.record(ctx, Event{Workspace: r.From, Actor: actor, Action: action, Object: "role:" + r.Role.Name,
		Summary: fmt.Sprintf("role %s: %d permissions", echo.Quote(r.Role.Name), len(ps)), Data: map[string]string{"permissions": strings.Join(ps, ",")}})
}

// allowFrom checks that actor manages members in workspace from, the
// authority of a change that is not bound to one existing workspace.
func (s *Service) allowFrom(ctx context.Context, actor, from string) error {
	if err := team.CheckID("from", from); err != nil {
		return err
	}
	return s.allow(ctx, actor, team.PermManageMembers, team.Scope{Workspace: from})
}

// withinRights checks that actor manages members in workspace and holds
// every permission of ps there (no grants above one's own rights).
func withinRights(t *team.Team, actor, workspace string, ps []team.Permission) error {
	ws := team.Scope{Workspace: workspace}
	if err := t.Authorize(actor, team.PermManageMembers, ws); err != nil {
		return err
	}
	for _, p := range ps {
		if err := t.Authorize(actor, p, ws); err != nil {
			var fe *team.ForbiddenError
			if errors.As(err, &fe) && fe.Reason == team.ReasonRoleLacks {
				return &team.ForbiddenError{Member: actor, Permission: p, Scope: ws, Reason: team.ReasonGrantAboveOwn, Role: fe.Role}
			}
			if p.Valid() {
				return err
			}
		}
	}
	return nil
}
