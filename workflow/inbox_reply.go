package workflow

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// ReplyRequest answers an item of a conversation: with Text, or with the
// saved reply or template Saved rendered with the item's values
// ("author" — the author's handle, "author_name", "network", "channel",
// "post" — what the item answers, "url" — the item's link) and Values,
// which override them.
type ReplyRequest struct {
	Conversation string            `json:"conversation"`
	Item         string            `json:"item,omitempty"` // default: the conversation's newest item
	Text         string            `json:"text,omitempty"`
	Saved        string            `json:"saved,omitempty"`
	Values       map[string]string `json:"values,omitempty"`
}

// Reply writes a reply on behalf of actor, who needs
// [team.PermReplyCommunity] on the conversation's channel (and
// [team.PermUseSavedReplies] there for a saved reply) and must hold the
// conversation's live claim ([Service.OpenConversation]; otherwise a
// [*ClaimedError]). The text is checked against the workspace's guidelines
// (a [*GuidelineError] lists every finding) and the network's rules, and
// routed like a post with subject kind "reply": a reply whose policy
// requires approval waits ([ReplyAwaitingApproval]) and is not sent until
// approved ([Service.DecideReply]); otherwise it is queued. Queued replies
// are published by [Service.DeliverReplies] exactly once.
func (s *Service) Reply(ctx context.Context, actor string, r ReplyRequest) (InboxReply, error) {
	c, err := s.allowConversation(ctx, actor, team.PermReplyCommunity, r.Conversation)
	if err != nil {
		return InboxReply{}, err
	}
	itemID := r.Item
	if itemID == "" {
		itemID = c.LastItem
	}
	it, err := s.store.InboxItem(ctx, itemID)
	if err != nil {
		return InboxReply{}, err
	}
	if it.Conversation != c.ID {
		return InboxReply{}, &ValidationError{Field: "item", Value: itemID, Reason: "not an item of conversation " + echo.Quote(c.ID)}
	}
	now := s.now()
	if !c.Claim.Live(now) || c.Claim.Member != actor {
		return InboxReply{}, claimError(&c, actor, now)
	}
	text := r.Text
	if r.Saved != "" {
		if text != "" {
			return InboxReply{}, &ValidationError{Field: "text", Reason: "give a text or a saved reply, not both"}
		}
		if text, err = s.renderSaved(ctx, actor, c, it, r); err != nil {
			return InboxReply{}, err
		}
	}
	if strings.TrimSpace(text) == "" {
		return InboxReply{}, &ValidationError{Field: "text", Reason: "required: the reply's text or a saved reply"}
	}
	wp, err := s.store.WorkspacePlan(ctx, c.Workspace)
	if err != nil {
		return InboxReply{}, err
	}
	if f := wp.Guidelines.Check(text, nil); len(f) > 0 {
		return InboxReply{}, &GuidelineError{Findings: f}
	}
	ch, _ := s.team.Channel(c.Channel)
	if rv, ok := s.validator.(replyValidator); ok {
		if err := rv.ValidateReply(ctx, ch, text); err != nil {
			return InboxReply{}, err
		}
	} else if s.validator != nil {
		if err := s.validator.ValidateContent(ctx, ch, Content{Text: text}); err != nil {
			return InboxReply{}, err
		}
	}
	a := approval.Attributes{Workspace: c.Workspace, Channel: c.Channel, Network: c.Network, Kind: "reply", Labels: it.Class.Labels, Text: text}
	if m, ok := s.team.Membership(actor, c.Workspace); ok {
		a.AuthorRole = m.Role
	}
	policy, match, err := s.router.Route(a)
	if err != nil {
		return InboxReply{}, err
	}
	id := s.newID()
	reply := InboxReply{ID: id, Item: itemID, Author: actor, Text: text, Saved: r.Saved, Policy: policy, SubmittedAt: now,
		Marker: "sfr-" + strings.TrimPrefix(c.ID, "cv-") + "-" + id, NextTry: now}
	res, err := approval.Evaluate(policy, replySubject(c.ID, reply), nil, now)
	if err != nil {
		return InboxReply{}, err
	}
	reply.State = ReplyQueued
	if !res.Publishable {
		reply.State = ReplyAwaitingApproval
	}
	saved, err := s.changeConversation(ctx, actor, team.PermReplyCommunity, c.ID, func(c *Conversation, now time.Time) error {
		if !c.Claim.Live(now) || c.Claim.Member != actor {
			return claimError(c, actor, now)
		}
		if err := ConversationTransition(c.ID, c.State, ConvReplied); err != nil {
			return err
		}
		reply.ClaimToken = c.Claim.Token
		c.Replies = append(c.Replies, reply)
		return nil
	}, func(c Conversation) Event {
		return Event{Action: "inbox.reply", Summary: "reply " + string(reply.State) + " (" + match.String() + "): " + echo.Quote(preview(text)),
			Data: map[string]string{"reply": id, "state": string(reply.State), "policy": policy.Name, "saved": r.Saved, "marker": reply.Marker}}
	})
	if err != nil {
		return InboxReply{}, err
	}
	if reply.State == ReplyAwaitingApproval && len(res.Awaiting) > 0 {
		s.notify(ctx, Notice{Kind: NoticeReplyApproval, Workspace: saved.Workspace, Channel: saved.Channel, To: res.Awaiting, Actor: actor,
			Summary: echo.Quote(actor) + " asks you to approve a reply on " + echo.Quote(saved.Channel) + ": " + echo.Quote(preview(text)),
			Data:    map[string]string{"conversation": saved.ID, "reply": id}})
	}
	return *saved.Reply(id), nil
}

func replySubject(conv string, r InboxReply) approval.Subject {
	return approval.Subject{ID: conv + "/" + r.ID, Kind: "reply", Version: 1, Author: r.Author, SubmittedAt: r.SubmittedAt}
}

// renderSaved renders a saved reply with the item's values.
func (s *Service) renderSaved(ctx context.Context, actor string, c Conversation, it InboxItem, r ReplyRequest) (string, error) {
	if err := s.allow(ctx, actor, team.PermUseSavedReplies, team.Scope{Workspace: c.Workspace, Channel: c.Channel}); err != nil {
		return "", err
	}
	lib, err := s.library()
	if err != nil {
		return "", err
	}
	values := map[string]string{
		"author": strings.TrimPrefix(it.Item.Author.Handle, "@"), "author_name": it.Item.Author.Name, "network": c.Network,
		"channel": c.Channel, "post": string(it.Item.InReplyTo), "url": it.Item.URL,
	}
	if values["author"] == "" {
		values["author"] = it.Item.Author.ID
	}
	maps.Copy(values, r.Values)
	// Render is strict both ways: keep the values the template names.
	a, err := lib.Get(ctx, r.Saved)
	if err != nil {
		return "", err
	}
	tpl, err := assets.ParseTemplate(a.Body)
	if err != nil {
		return "", err
	}
	used := make(map[string]string, len(values))
	for _, n := range tpl.Placeholders() {
		if v, ok := values[n]; ok {
			used[n] = v
		}
	}
	return lib.Render(ctx, r.Saved, used, s.now())
}

// DecideReplyRequest is an approver's verdict on a reply awaiting
// approval.
type DecideReplyRequest struct {
	Conversation string           `json:"conversation"`
	Reply        string           `json:"reply"`
	Verdict      approval.Verdict `json:"verdict"`
	Stage        string           `json:"stage,omitempty"`
	Comment      string           `json:"comment,omitempty"`
}

// DecideReply records actor's decision on a reply awaiting approval; actor
// needs [team.PermApprove] on the conversation's channel, and the policy's
// rules apply ([approval.Check]: approvers, stages, no self-approval). An
// approved reply is queued for delivery; a rejected one, or one whose
// approver asked for changes, is not sent (write a new reply).
func (s *Service) DecideReply(ctx context.Context, actor string, r DecideReplyRequest) (InboxReply, error) {
	var out InboxReply
	role := ""
	_, err := s.changeConversation(ctx, actor, team.PermApprove, r.Conversation, func(c *Conversation, now time.Time) error {
		rp := c.Reply(r.Reply)
		if rp == nil {
			return &NotFoundError{Kind: "reply", ID: r.Reply}
		}
		if rp.State != ReplyAwaitingApproval {
			return &ValidationError{Field: "reply", Value: r.Reply, Reason: "is " + string(rp.State) + ", not awaiting approval"}
		}
		if m, ok := s.team.Membership(actor, c.Workspace); ok {
			role = m.Role
		}
		d := approval.Decision{Approver: actor, Verdict: r.Verdict, Stage: r.Stage, Version: 1, At: now, Comment: echo.Clip(r.Comment, dataMax), Role: role}
		subj := replySubject(c.ID, *rp)
		if err := approval.Check(rp.Policy, subj, rp.Decisions, d, now); err != nil {
			return err
		}
		rp.Decisions = append(rp.Decisions, d)
		res, err := approval.Evaluate(rp.Policy, subj, rp.Decisions, now)
		if err != nil {
			return err
		}
		switch {
		case res.Outcome == approval.Rejected || res.Outcome == approval.ChangesRequested:
			rp.State, rp.Cause = ReplyRejected, res.Reason
		case res.Publishable:
			rp.State, rp.NextTry = ReplyQueued, now
		}
		out = *rp
		return nil
	}, func(c Conversation) Event {
		return Event{Action: "inbox.reply_decide", Summary: string(r.Verdict) + ": reply " + string(out.State),
			Data: map[string]string{"reply": r.Reply, "verdict": string(r.Verdict), "state": string(out.State)}}
	})
	return out, err
}

// updateReply applies f to reply id of conversation conv under optimistic
// concurrency, re-reading on a conflict (items arriving change the
// conversation's Rev), and returns the stored conversation.
func (s *Service) updateReply(ctx context.Context, conv, id string, f func(c *Conversation, r *InboxReply) error) (Conversation, error) {
	for range maxPlanTries {
		c, err := s.store.Conversation(ctx, conv)
		if err != nil {
			return Conversation{}, err
		}
		r := c.Reply(id)
		if r == nil {
			return Conversation{}, &NotFoundError{Kind: "reply", ID: id}
		}
		if err := f(&c, r); err != nil {
			return Conversation{}, err
		}
		saved, err := s.store.UpdateConversation(ctx, c)
		var ce *ConflictError
		if errors.As(err, &ce) && ce.Kind == ConflictConversation {
			continue
		}
		return saved, err
	}
	return Conversation{}, &ConflictError{Kind: ConflictConversation, ID: conv}
}

// errNotPending stops a delivery whose reply another worker settled.
var errNotPending = fmt.Errorf("workflow: the reply is no longer pending")
