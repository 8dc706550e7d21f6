package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// Inbox actions: every one goes through the gate with the permission it
// names — [team.PermReplyCommunity] on the conversation's channel for
// reading, claiming, replying and changing state (a member restricted to
// other channels is refused, and never assigned), [team.PermAssignTasks]
// for assigning someone else, [team.PermApprove] for deciding replies,
// [team.PermManagePolicies] for the settings — and every write is audited.

// ConversationView is a conversation with its items, oldest first.
type ConversationView struct {
	Conversation Conversation `json:"conversation"`
	Items        []InboxItem  `json:"items"`
}

// allowConversation loads conversation id and checks perm on its channel.
func (s *Service) allowConversation(ctx context.Context, actor string, perm team.Permission, id string) (Conversation, error) {
	c, err := s.store.Conversation(ctx, id)
	if err != nil {
		return Conversation{}, err
	}
	if err := s.allow(ctx, actor, perm, team.Scope{Workspace: c.Workspace, Channel: c.Channel}); err != nil {
		return Conversation{}, err
	}
	return c, nil
}

// Conversations lists the conversations of q.Workspace that actor may
// answer: with q.Channel, actor needs [team.PermReplyCommunity] on it;
// without, actor needs it on at least one channel of the workspace, and
// sees only the conversations of the channels in their scope.
func (s *Service) Conversations(ctx context.Context, actor string, q ConversationQuery) ([]Conversation, error) {
	if q.Workspace == "" {
		return nil, &ValidationError{Field: "workspace", Reason: "required"}
	}
	if q.Channel != "" {
		if err := s.allow(ctx, actor, team.PermReplyCommunity, team.Scope{Workspace: q.Workspace, Channel: q.Channel}); err != nil {
			return nil, err
		}
	} else {
		err := s.allow(ctx, actor, team.PermReplyCommunity, team.Scope{Workspace: q.Workspace})
		if err != nil && !slices.ContainsFunc(s.team.Channels(q.Workspace), func(c team.Channel) bool {
			return s.team.Can(actor, team.PermReplyCommunity, team.Scope{Workspace: q.Workspace, Channel: c.ID})
		}) {
			return nil, err
		}
	}
	cs, err := s.store.Conversations(ctx, q)
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		if s.team.Can(actor, team.PermReplyCommunity, team.Scope{Workspace: c.Workspace, Channel: c.Channel}) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Conversation returns a conversation and its items without claiming it.
// actor needs [team.PermReplyCommunity] on its channel.
func (s *Service) Conversation(ctx context.Context, actor, id string) (ConversationView, error) {
	c, err := s.allowConversation(ctx, actor, team.PermReplyCommunity, id)
	if err != nil {
		return ConversationView{}, err
	}
	items, err := s.store.ConversationItems(ctx, id)
	return ConversationView{Conversation: c, Items: items}, err
}

// OpenConversation opens a conversation to answer it: it claims it for
// actor (who needs [team.PermReplyCommunity] on its channel) for the
// workspace's claim TTL ([InboxSettings.ClaimTTL], default 15 minutes;
// opening again extends the claim) and returns it with its items. While
// another member's claim is live the answer is a [*ClaimedError] naming
// them and since when; a claim that expired is taken over with a new
// fencing token, so the former holder's replies are refused.
func (s *Service) OpenConversation(ctx context.Context, actor, id string) (ConversationView, error) {
	c, err := s.allowConversation(ctx, actor, team.PermReplyCommunity, id)
	if err != nil {
		return ConversationView{}, err
	}
	wp, err := s.store.WorkspacePlan(ctx, c.Workspace)
	if err != nil {
		return ConversationView{}, err
	}
	now := s.now()
	before := c.ClaimToken
	c, err = s.store.ClaimConversation(ctx, id, actor, now, wp.Inbox.claimTTL())
	if err != nil {
		return ConversationView{}, err
	}
	items, err := s.store.ConversationItems(ctx, id)
	if err != nil {
		return ConversationView{}, err
	}
	v := ConversationView{Conversation: c, Items: items}
	if c.ClaimToken == before {
		return v, nil // an extension of actor's own claim
	}
	return v, s.record(ctx, Event{Workspace: c.Workspace, Actor: actor, Action: "inbox.claim", Object: "conversation:" + id,
		Summary: "claimed until " + c.Claim.Expires.UTC().Format(time.RFC3339), Data: map[string]string{"token": fmt.Sprint(c.Claim.Token), "channel": c.Channel}})
}

// ReleaseConversation ends actor's claim of a conversation. Releasing a
// claim actor does not hold is a [*ClaimedError].
func (s *Service) ReleaseConversation(ctx context.Context, actor, id string) error {
	_, err := s.changeConversation(ctx, actor, team.PermReplyCommunity, id, func(c *Conversation, now time.Time) error {
		if !c.Claim.Live(now) || c.Claim.Member != actor {
			return claimError(c, actor, now)
		}
		c.Claim.Expires = now
		return nil
	}, func(c Conversation) Event {
		return Event{Action: "inbox.release", Summary: "claim released"}
	})
	return err
}

func claimError(c *Conversation, actor string, now time.Time) error {
	e := &ClaimedError{Conversation: c.ID, Member: actor}
	if c.Claim.Live(now) {
		e.Holder, e.Since, e.Expires = c.Claim.Member, c.Claim.Since, c.Claim.Expires
	}
	return e
}

// changeConversation is the one write path of member actions on a
// conversation: gate, then change under optimistic concurrency (change is
// applied to a fresh copy on every try), then audit.
func (s *Service) changeConversation(ctx context.Context, actor string, perm team.Permission, id string,
	change func(c *Conversation, now time.Time) error, event func(c Conversation) Event) (Conversation, error) {
	c, err := s.allowConversation(ctx, actor, perm, id)
	if err != nil {
		return Conversation{}, err
	}
	for range maxPlanTries {
		now := s.now()
		next := c.Clone()
		if err := change(&next, now); err != nil {
			return Conversation{}, err
		}
		saved, err := s.store.UpdateConversation(ctx, next)
		var ce *ConflictError
		if errors.As(err, &ce) && ce.Kind == ConflictConversation {
			if c, err = s.store.Conversation(ctx, id); err != nil {
				return Conversation{}, err
			}
			continue
		}
		if err != nil {
			return Conversation{}, err
		}
		e := event(saved)
		e.Workspace, e.Actor, e.Object = saved.Workspace, actor, "conversation:"+saved.ID
		if e.Data == nil {
			e.Data = map[string]string{}
		}
		e.Data["channel"] = saved.Channel
		return saved, s.record(ctx, e)
	}
	return Conversation{}, &ConflictError{Kind: ConflictConversation, ID: id}
}

// AssignConversation assigns a conversation to member. Taking it oneself
// needs [team.PermReplyCommunity] on its channel; assigning someone else
// needs [team.PermAssignTasks] in the workspace too. member must be able
// to reply on the channel (a membership restricted to other channels is
// refused with the gate's *ForbiddenError).
func (s *Service) AssignConversation(ctx context.Context, actor, id, member string) (Conversation, error) {
	c, err := s.allowConversation(ctx, actor, team.PermReplyCommunity, id)
	if err != nil {
		return Conversation{}, err
	}
	if member != actor {
		if err := s.allow(ctx, actor, team.PermAssignTasks, team.Scope{Workspace: c.Workspace}); err != nil {
			return Conversation{}, err
		}
	}
	if err := s.team.team().Authorize(member, team.PermReplyCommunity, team.Scope{Workspace: c.Workspace, Channel: c.Channel}); err != nil {
		return Conversation{}, err
	}
	saved, err := s.changeConversation(ctx, actor, team.PermReplyCommunity, id, func(c *Conversation, now time.Time) error {
		if err := ConversationTransition(c.ID, c.State, ConvAssigned); err != nil {
			return err
		}
		c.State, c.Assignee, c.AssignedBy, c.Assigned = ConvAssigned, member, actor, now
		return nil
	}, func(c Conversation) Event {
		return Event{Action: "inbox.assign", Summary: "assigned to " + echo.Quote(member), Data: map[string]string{"assignee": member}}
	})
	if err != nil {
		return Conversation{}, err
	}
	if member != actor {
		s.notify(ctx, Notice{Kind: NoticeInboxAssigned, Workspace: saved.Workspace, Channel: saved.Channel, To: []string{member}, Actor: actor,
			Summary: echo.Quote(actor) + " assigned you a conversation on " + echo.Quote(saved.Channel), Data: map[string]string{"conversation": saved.ID}})
	}
	return saved, nil
}

// SetConversationState moves a conversation to new (unassigned, to be
// routed again), waiting, closed or spam, as the transition table allows
// ([ConversationTransition]); actor needs [team.PermReplyCommunity] on its
// channel. Assigned, replied and handed_off are reached through
// AssignConversation, a delivered reply and HandOff.
func (s *Service) SetConversationState(ctx context.Context, actor, id string, to ConversationState) (Conversation, error) {
	switch to {
	case ConvNew, ConvWaiting, ConvClosed, ConvSpam:
	default:
		return Conversation{}, &ValidationError{Field: "state", Value: string(to), Reason: "want new, waiting, closed or spam"}
	}
	return s.changeConversation(ctx, actor, team.PermReplyCommunity, id, func(c *Conversation, now time.Time) error {
		if err := ConversationTransition(c.ID, c.State, to); err != nil {
			return err
		}
		c.State = to
		if to == ConvNew {
			c.Assignee, c.AssignedBy = "", ""
		}
		switch to {
		case ConvClosed, ConvSpam:
			c.Resolved = now
			if c.Claim.Live(now) {
				c.Claim.Expires = now
			}
		default:
			c.Resolved = time.Time{}
		}
		return nil
	}, func(c Conversation) Event {
		return Event{Action: "inbox.state", Summary: "now " + string(c.State), Data: map[string]string{"state": string(c.State)}}
	})
}

// HandOffRequest hands a conversation to another team.
type HandOffRequest struct {
	Conversation string `json:"conversation"`
	Team         string `json:"team"` // a team of the workspace's InboxSettings.Teams
	Note         string `json:"note,omitempty"`
}

// HandOff gives a conversation to another team ([InboxSettings.Teams]):
// the conversation becomes handed_off, actor's claim ends, and the team's
// members get a [NoticeInboxHandOff] with what they need to take it over —
// the conversation, channel, network, author, the newest item's text
// (bounded) and link, its mood and labels, how many items it has, who had
// it and the note. actor needs [team.PermReplyCommunity] on the channel.
func (s *Service) HandOff(ctx context.Context, actor string, r HandOffRequest) (Conversation, error) {
	c, err := s.allowConversation(ctx, actor, team.PermReplyCommunity, r.Conversation)
	if err != nil {
		return Conversation{}, err
	}
	wp, err := s.store.WorkspacePlan(ctx, c.Workspace)
	if err != nil {
		return Conversation{}, err
	}
	members, ok := wp.Inbox.Teams[r.Team]
	if !ok || len(members) == 0 {
		return Conversation{}, &ValidationError{Field: "team", Value: r.Team, Reason: "not a team of the workspace's inbox settings (InboxSettings.Teams)"}
	}
	note := echo.Clip(r.Note, dataMax)
	saved, err := s.changeConversation(ctx, actor, team.PermReplyCommunity, r.Conversation, func(c *Conversation, now time.Time) error {
		if err := ConversationTransition(c.ID, c.State, ConvHandedOff); err != nil {
			return err
		}
		c.State, c.Resolved = ConvHandedOff, now
		c.HandOff = &HandOffRecord{Team: r.Team, By: actor, At: now, Note: note}
		if c.Claim.Live(now) {
			c.Claim.Expires = now
		}
		return nil
	}, func(c Conversation) Event {
		return Event{Action: "inbox.hand_off", Summary: "handed off to " + echo.Quote(r.Team), Data: map[string]string{"team": r.Team, "note": note}}
	})
	if err != nil {
		return Conversation{}, err
	}
	data := map[string]string{
		"conversation": saved.ID, "team": r.Team, "channel": saved.Channel, "network": saved.Network, "thread": saved.Thread,
		"mood": string(saved.Mood), "labels": strings.Join(saved.Labels, ","), "items": fmt.Sprint(saved.Items),
		"assignee": saved.Assignee, "by": actor, "note": note,
	}
	if last, err := s.store.InboxItem(ctx, saved.LastItem); err == nil {
		data["author"] = last.Item.Author.Handle
		data["author_id"] = last.Item.Author.ID
		data["text"] = echo.Clip(last.Item.Text, dataMax)
		data["url"] = last.Item.URL
		data["item"] = last.ID
	}
	s.notify(ctx, Notice{Kind: NoticeInboxHandOff, Workspace: saved.Workspace, Channel: saved.Channel, To: slices.Clone(members), Actor: actor,
		Summary: echo.Quote(actor) + " handed a conversation on " + echo.Quote(saved.Channel) + " to " + echo.Quote(r.Team) + ": " + echo.Quote(preview(data["text"])),
		Data:    data})
	return saved, nil
}

// SetInboxSettings stores the inbox settings of workspace (rules, rota,
// delegations, teams, claim TTL, surge alert), after [InboxSettings.Validate];
// the surge detector's state is kept. actor needs
// [team.PermManagePolicies].
func (s *Service) SetInboxSettings(ctx context.Context, actor, workspace string, st InboxSettings) error {
	if err := s.allow(ctx, actor, team.PermManagePolicies, team.Scope{Workspace: workspace}); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	if err := s.checkInboxMembers(ctx, workspace, st); err != nil {
		return err
	}
	st = st.Clone()
	if err := s.updateWorkspacePlan(ctx, workspace, func(wp *WorkspacePlan) {
		state := wp.Inbox.SurgeState
		wp.Inbox = st.Clone()
		wp.Inbox.SurgeState = state
	}); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "inbox.settings", Object: "workspace:" + workspace,
		Summary: fmt.Sprintf("%d rule(s), %d shift(s), %d delegation(s), surge threshold %d", len(st.Rules), len(st.Rota), len(st.Delegations), st.Surge.Threshold)})
}

// InboxSettings returns the stored inbox settings of workspace. actor needs
// [team.PermViewCalendar] there.
func (s *Service) InboxSettings(ctx context.Context, actor, workspace string) (InboxSettings, error) {
	if err := s.allow(ctx, actor, team.PermViewCalendar, team.Scope{Workspace: workspace}); err != nil {
		return InboxSettings{}, err
	}
	wp, err := s.store.WorkspacePlan(ctx, workspace)
	return wp.Inbox, err
}

// checkInboxMembers refuses settings that name a member without a
// membership in workspace (in a rule, a shift, a delegation or a hand-off
// team): such a member could never be assigned or told, and the settings
// would fail silently.
func (s *Service) checkInboxMembers(ctx context.Context, workspace string, st InboxSettings) error {
	if err := s.team.refresh(ctx); err != nil {
		return err
	}
	check := func(field, member string) error {
		if _, ok := s.team.Membership(member, workspace); !ok {
			return &ValidationError{Field: field, Value: member, Reason: "not a member of workspace " + strconv.Quote(workspace)}
		}
		return nil
	}
	for i, r := range st.Rules {
		for j, m := range r.Members {
			if err := check(fmt.Sprintf("rules[%d].members[%d]", i, j), m); err != nil {
				return err
			}
		}
	}
	for i, sh := range st.Rota {
		if err := check(fmt.Sprintf("rota[%d].member", i), sh.Member); err != nil {
			return err
		}
	}
	for i, d := range st.Delegations {
		if err := check(fmt.Sprintf("delegations[%d].from", i), d.From); err != nil {
			return err
		}
		if err := check(fmt.Sprintf("delegations[%d].to", i), d.To); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(st.Teams))
	for name := range st.Teams {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for j, m := range st.Teams[name] {
			if err := check(fmt.Sprintf("teams[%q][%d]", name, j), m); err != nil {
				return err
			}
		}
	}
	return nil
}
