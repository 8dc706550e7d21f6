package workflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// DeliveryReport counts what [Service.DeliverReplies] did.
type DeliveryReport struct {
	Sent        int // published (or found published by marker)
	Retry       int // to be tried again later
	Unconfirmed int // the network's answer was lost: looked up by marker next time
	Failed      int
	Reconciled  int // replies whose outcome a marker lookup settled
	Busy        int // replies another worker holds
}

// replyLeaseTTL bounds one reply's delivery; the network call ends a tenth
// of it before the lease does.
const replyLeaseTTL = 2 * time.Minute

// DeliverReplies publishes the queued replies of workspaces (all of the
// team's when none is named) through conn, exactly once each, as the
// [Dispatcher] publishes targets:
//
//  1. the reply is leased in the [LeaseStore] (key "inbox-reply:" + the
//     conversation and reply IDs), so replicas share the work;
//  2. the intent — state sending, the reply's stable marker — is stored
//     before the network is called;
//  3. [networks.Publisher.Reply] carries the marker, and resolves a lost
//     answer through the network's Finder;
//  4. the outcome is stored as [ClassifyPublish] decides; a reply found
//     sending or unconfirmed (a worker stopped mid-call, an answer lost) is
//     looked up by its marker before anything is sent again, and parked
//     for a person ([NoticeReplyFailed]) when the network cannot be
//     searched.
//
// A sent reply moves its conversation to replied when the transition table
// allows it. holder names the caller in leases and the audit trail.
func (s *Service) DeliverReplies(ctx context.Context, conn Connector, holder string, now time.Time, workspaces ...string) (DeliveryReport, error) {
	var rep DeliveryReport
	if conn == nil {
		return rep, &ValidationError{Field: "connector", Reason: "required to deliver replies"}
	}
	if err := s.team.refresh(ctx); err != nil {
		return rep, err
	}
	if len(workspaces) == 0 {
		for _, w := range s.team.team().Doc().Workspaces {
			workspaces = append(workspaces, w.ID)
		}
	}
	for _, ws := range workspaces {
		after := ""
		for {
			cs, err := s.store.Conversations(ctx, ConversationQuery{Workspace: ws, Outbox: true, After: after, Limit: 256})
			if err != nil {
				return rep, err
			}
			for _, c := range cs {
				for _, r := range c.Replies {
					if !r.pending() || r.NextTry.After(now) {
						continue
					}
					if err := s.deliver(ctx, conn, holder, c.ID, r.ID, now, &rep); err != nil {
						if ctx.Err() != nil {
							return rep, ctx.Err()
						}
						s.log.WarnContext(ctx, "inbox: delivery failed", "conversation", c.ID, "reply", r.ID, "err", err)
					}
				}
			}
			if len(cs) < 256 {
				break
			}
			after = cs[len(cs)-1].ID
		}
	}
	return rep, nil
}

// deliver works one reply under its lease.
func (s *Service) deliver(ctx context.Context, conn Connector, holder, conv, id string, now time.Time, rep *DeliveryReport) error {
	lease, err := s.store.Acquire(ctx, "inbox-reply:"+conv+"/"+id, holder, now, replyLeaseTTL)
	if err != nil {
		if errors.Is(err, socialflow.ErrConflict) {
			rep.Busy++
			return nil
		}
		return err
	}
	defer func() { _ = s.store.Release(context.WithoutCancel(ctx), lease) }()
	c, err := s.store.Conversation(ctx, conv)
	if err != nil {
		return err
	}
	r := c.Reply(id)
	if r == nil || !r.pending() || r.NextTry.After(now) {
		return nil
	}
	ch, ok := s.team.Channel(c.Channel)
	if !ok {
		return s.settle(ctx, holder, c, *r, replyOutcome{state: ReplyFailed, cause: "channel " + echo.Quote(c.Channel) + " no longer exists"}, rep)
	}
	pub, acct, err := conn.Connect(ctx, ch)
	if err != nil {
		return s.settle(ctx, holder, c, *r, replyOutcome{state: r.State, retry: true, cause: "no connection: " + err.Error()}, rep)
	}
	it, err := s.store.InboxItem(ctx, r.Item)
	if err != nil {
		return err
	}
	if r.State == ReplySending || r.State == ReplyUnconfirmed {
		// A former attempt may have landed: look it up before sending.
		rec, found, err := pub.Find(ctx, acct, r.Marker)
		switch {
		case err == nil && found:
			rep.Reconciled++
			return s.settle(ctx, holder, c, *r, replyOutcome{state: ReplySent, rec: rec}, rep)
		case err == nil:
			rep.Reconciled++ // definitely not on the network: send again with the same marker
		case errors.Is(err, socialflow.ErrOutcomeUnknown):
			return s.settle(ctx, holder, c, *r, replyOutcome{state: ReplyUnconfirmed, parked: true,
				cause: "the reply may have been published and the network cannot be searched by marker: check by hand"}, rep)
		default:
			return s.settle(ctx, holder, c, *r, replyOutcome{state: ReplyUnconfirmed, retry: true, cause: "lookup failed: " + err.Error()}, rep)
		}
	}
	// The intent, before anything is sent.
	c, err = s.updateReply(ctx, conv, id, func(c *Conversation, r *InboxReply) error {
		if !r.pending() {
			return errNotPending
		}
		r.State, r.NextTry = ReplySending, lease.Expires
		r.Attempts++
		return nil
	})
	if errors.Is(err, errNotPending) {
		return nil
	}
	if err != nil {
		return err
	}
	r = c.Reply(id)
	lease, err = s.store.Renew(ctx, lease, s.now(), replyLeaseTTL)
	if err != nil {
		return err // lost: nothing was sent; the next holder looks it up by marker
	}
	left := lease.Expires.Sub(s.now()) - replyLeaseTTL/10
	if left <= 0 {
		return &ConflictError{Kind: ConflictLease, ID: lease.Key, Holder: lease.Holder, Current: lease.Token}
	}
	pctx, cancel := context.WithTimeout(ctx, left)
	defer cancel()
	rec, err := pub.Reply(pctx, acct, it.Item, networks.Draft{Text: r.Text, Marker: r.Marker})
	return s.settle(ctx, holder, c, *r, s.replyOutcome(ctx, pub, acct, *r, rec, err), rep)
}

type replyOutcome struct {
	state   ReplyState
	rec     networks.Receipt
	cause   string
	retry   bool
	retryAt time.Time
	parked  bool
}

// replyOutcome reads a Reply result by [ClassifyPublish].
func (s *Service) replyOutcome(ctx context.Context, pub *networks.Publisher, acct networks.Account, r InboxReply, rec networks.Receipt, err error) replyOutcome {
	cause := ""
	if err != nil {
		cause = err.Error()
	}
	switch d := ClassifyPublish(rec, err, s.now()); d.Verdict {
	case VerdictPublished, VerdictAwaiting:
		return replyOutcome{state: ReplySent, rec: rec}
	case VerdictReconcile:
		return replyOutcome{state: ReplyUnconfirmed, cause: cause}
	case VerdictPark:
		return replyOutcome{state: ReplyUnconfirmed, parked: true, cause: "outcome unknown and the network cannot be searched by marker: check by hand: " + cause}
	case VerdictRetry:
		return replyOutcome{state: ReplyQueued, retry: true, retryAt: d.RetryAt, cause: cause}
	case VerdictNotSent:
		return replyOutcome{state: ReplyQueued, retry: true, cause: "nothing sent: " + cause}
	case VerdictDuplicate:
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if found, ok, ferr := pub.Find(lctx, acct, r.Marker); ferr == nil && ok {
			return replyOutcome{state: ReplySent, rec: found}
		}
		return replyOutcome{state: ReplyFailed, cause: cause}
	default:
		return replyOutcome{state: ReplyFailed, cause: cause}
	}
}

// maxReplyAttempts bounds retries of one reply.
const maxReplyAttempts = 10

// settle stores a reply's outcome, audits it and notifies.
func (s *Service) settle(ctx context.Context, holder string, c Conversation, r InboxReply, o replyOutcome, rep *DeliveryReport) error {
	now := s.now()
	if o.retry && r.Attempts >= maxReplyAttempts {
		o.state, o.retry = ReplyFailed, false
		o.cause = fmt.Sprintf("gave up after %d attempts: %s", r.Attempts, o.cause)
	}
	saved, err := s.updateReply(ctx, c.ID, r.ID, func(c *Conversation, r *InboxReply) error {
		r.State, r.Cause, r.Parked = o.state, echo.Clip(o.cause, dataMax), o.parked
		r.NextTry = time.Time{}
		if o.retry {
			r.NextTry = now.Add(time.Duration(1<<min(r.Attempts, 8)) * time.Second)
			if o.retryAt.After(r.NextTry) {
				r.NextTry = o.retryAt
			}
		}
		if o.state == ReplySent {
			r.RemoteID, r.URL, r.SentAt, r.Cause = o.rec.ID, o.rec.URL, now, ""
			if c.FirstResponse.IsZero() {
				c.FirstResponse = now
			}
			if ConversationTransition(c.ID, c.State, ConvReplied) == nil {
				c.State = ConvReplied
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var action string
	switch {
	case o.state == ReplySent:
		rep.Sent++
		action = "inbox.reply_sent"
	case o.state == ReplyFailed:
		rep.Failed++
		action = "inbox.reply_failed"
	case o.state == ReplyUnconfirmed:
		rep.Unconfirmed++
		action = "inbox.reply_unconfirmed"
	default:
		rep.Retry++
		action = "inbox.reply_retry"
	}
	if o.state == ReplyFailed || o.parked {
		to := []string{r.Author}
		s.notify(ctx, Notice{Kind: NoticeReplyFailed, Workspace: saved.Workspace, Channel: saved.Channel, To: to, Actor: "system:" + holder,
			Summary: "reply on " + echo.Quote(saved.Channel) + " " + string(o.state) + ": " + echo.Short(o.cause),
			Data:    map[string]string{"conversation": saved.ID, "reply": r.ID, "marker": r.Marker}})
	}
	return s.record(ctx, Event{Workspace: saved.Workspace, Actor: "system:" + holder, Action: action, Object: "conversation:" + saved.ID,
		Summary: "reply " + echo.Quote(r.ID) + " " + string(o.state) + causeSuffix(o.cause),
		Data:    map[string]string{"reply": r.ID, "marker": r.Marker, "remote_id": string(o.rec.ID), "channel": saved.Channel}})
}

func causeSuffix(c string) string {
	if c == "" {
		return ""
	}
	return ": " + c
}

// inboxChannels lists the channels of the team (all workspaces).
func (s *Service) inboxChannels() []team.Channel {
	var out []team.Channel
	for _, w := range s.team.team().Doc().Workspaces {
		out = append(out, s.team.Channels(w.ID)...)
	}
	return out
}
