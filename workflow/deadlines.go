package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/internal/echo"
)

// DeadlineReport counts what [Service.CheckDeadlines] did.
type DeadlineReport struct {
	Reminded     int // reminders sent
	Missed       int // stages whose deadline passed (announced once each)
	Escalated    int // of those, escalated to backup approvers
	AutoApproved int // posts approved because a deadline passed with auto-approve
	Expired      int // posts whose request expired and that miss their slot
}

// CheckDeadlines applies the approval deadlines due at now, as each post's
// policy says (approval.Deadline); it reads only the posts whose deadline
// is due ([DueIndex.DueDeadlines], keyed by [Post.NextDeadline]), page by
// page, never every post in review:
//
//   - reminders: the awaited approvers are notified ([NoticeReminderDue])
//     at each reminder time, once;
//   - a passed deadline is announced once per stage ([NoticeDeadlineMissed]
//     to the awaited approvers and the author, plus the backup approvers
//     when the stage escalates) and recorded in the audit trail
//     ("post.deadline_missed", which analytics counts as a breach);
//   - auto-approve: the post becomes approved;
//   - miss the slot: the request expires and the post is rejected until it
//     is resubmitted.
//
// The Dispatcher calls it on every step; hosts without a Dispatcher call it
// from their own timer. A post changed concurrently is left for the next
// call.
func (s *Service) CheckDeadlines(ctx context.Context, now time.Time) (DeadlineReport, error) {
	var r DeadlineReport
	q := DueQuery{Before: now, Limit: dueBatch}
	for {
		page, err := s.store.DueDeadlines(ctx, q)
		if err != nil {
			return r, err
		}
		for _, e := range page {
			p, err := s.store.GetPost(ctx, e.Post)
			if errors.Is(err, socialflow.ErrNotFound) {
				continue
			}
			if err != nil {
				return r, err
			}
			if err := s.deadline(ctx, p, now, &r); err != nil && !errors.Is(err, socialflow.ErrConflict) {
				return r, err
			}
		}
		if len(page) < dueBatch {
			return r, nil
		}
		q.After = page[len(page)-1]
	}
}

// dueBatch is how many entries one page of the [DueIndex] holds.
const dueBatch = 256

func (s *Service) deadline(ctx context.Context, p Post, now time.Time, r *DeadlineReport) error {
	if p.State != StateInReview {
		return nil // decided since the index was read
	}
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
	if err != nil || !deadlineActs(p, res, now) {
		return nil // nothing due (or a policy error Submit already reported)
	}
	var notices []Notice
	var events []Event
	changed := false
	base := Notice{Workspace: p.Workspace, Post: p.ID, At: now}
	switch res.Outcome {
	case approval.Approved:
		p.State, p.ApprovedVersion = StateApproved, p.Version
		changed = true
		r.AutoApproved++
		n := base
		n.Kind, n.To, n.Summary = NoticeApproved, []string{p.Author}, "approved automatically: "+res.Reason
		notices = append(notices, n)
		events = append(events, Event{Action: "post.auto_approve", Summary: res.Reason})
	case approval.Expired:
		p.State = StateRejected
		changed = true
		r.Expired++
		n := base
		n.Kind, n.To, n.Summary = NoticeDeadlineMissed, []string{p.Author}, "approval expired, the post misses its slot: "+res.Reason
		notices = append(notices, n)
		events = append(events, Event{Action: "post.deadline_missed", Summary: res.Reason, Data: map[string]string{"stage": res.Stage, "action": "miss_slot"}})
	case approval.Pending:
		for _, at := range res.Schedule.Reminders {
			if at.After(p.RemindedAt) && !at.After(now) {
				n := base
				n.Kind, n.To = NoticeReminderDue, res.Awaiting
				n.Summary = preview(p.Content.Text) + ": approval" + due(res.Due)
				notices = append(notices, n)
				p.RemindedAt = now
				changed = true
				r.Reminded++
				break
			}
		}
		key := overdueKey(res)
		if res.Overdue && p.OverdueNoticed != key {
			p.OverdueNoticed = key
			changed = true
			r.Missed++
			to := append(slices.Clone(res.Awaiting), p.Author)
			action := string(res.Schedule.OnExpiry)
			if res.Escalated {
				r.Escalated++
				to = append(to, res.Schedule.EscalateTo...)
			}
			slices.Sort(to)
			n := base
			n.Kind, n.To = NoticeDeadlineMissed, slices.Compact(to)
			n.Summary = fmt.Sprintf("approval of stage %s was%s (%s)", echo.Quote(res.Stage), due(res.Due), action)
			notices = append(notices, n)
			events = append(events, Event{Action: "post.deadline_missed", Summary: n.Summary, Data: map[string]string{"stage": res.Stage, "action": action}})
		}
	}
	if !changed {
		return nil
	}
	p.UpdatedAt = now
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return err
	}
	for _, e := range events {
		e.At, e.Workspace, e.Actor, e.Object, e.Version = now, p.Workspace, "system:deadlines", "post:"+p.ID, p.Version
		if err := s.record(ctx, e); err != nil {
			return err
		}
	}
	for _, n := range notices {
		s.notify(ctx, n)
	}
	return nil
}

// NextDeadline returns the first instant at which [Service.CheckDeadlines]
// has something to do for p, and false when it never will as p stands: p
// is not in review, its policy has no deadline, or every reminder was sent
// and the missed deadline announced. It is pure, so a store computes it on
// every post write and keeps it as the key of its deadline index
// ([DueIndex.DueDeadlines]); any write that changes what it depends on (the
// state, the policy, the decisions, SubmittedAt, RemindedAt,
// OverdueNoticed) moves the post in the index.
//
// The instant is the earliest of: the next reminder after RemindedAt; just
// after the open stage's deadline (approval acts once now is after Due), when
// that missed deadline was not announced yet or its expiry action changes
// the request (auto-approve opening the next stage, miss-the-slot). It is
// found by replaying the request ([approval.Evaluate]) from the post's last
// change, stage by stage, so a deadline that only opens the next stage of a
// multi-level policy yields that stage's first action rather than an
// instant at which nothing happens.
func (p Post) NextDeadline() (time.Time, bool) {
	if p.State != StateInReview {
		return time.Time{}, false
	}
	t := p.UpdatedAt
	for _, at := range []time.Time{p.SubmittedAt, p.RemindedAt} {
		if at.After(t) {
			t = at
		}
	}
	for _, d := range p.Decisions {
		if d.At.After(t) {
			t = d.At
		}
	}
	subject := approval.Subject{ID: p.ID, Kind: "post", Version: p.Version, Author: p.Author, SubmittedAt: p.SubmittedAt, MinorSince: p.MinorSince}
	// Each round moves t strictly forward to the next instant at which the
	// replay can change; a policy has finitely many stages and reminders.
	for range 64 {
		res, err := approval.Evaluate(p.Policy, subject, p.Decisions, t)
		if err != nil || res.Outcome != approval.Pending && res.Outcome != approval.Approved && res.Outcome != approval.Expired {
			return time.Time{}, false
		}
		if deadlineActs(p, res, t) {
			return t, true
		}
		var next time.Time
		for _, r := range res.Schedule.Reminders {
			if r.After(p.RemindedAt) && r.After(t) {
				next = r
				break
			}
		}
		if due := res.Schedule.Due; !due.IsZero() {
			if after := due.Add(time.Nanosecond); after.After(t) && (next.IsZero() || after.Before(next)) {
				next = after
			}
		}
		if next.IsZero() {
			return time.Time{}, false
		}
		t = next
	}
	return t, true
}

// deadlineActs reports whether [Service.deadline] changes p at now, given
// the request evaluated at now: the request closed by a deadline, a
// reminder is due, or a missed deadline is still to be announced.
func deadlineActs(p Post, res approval.Result, now time.Time) bool {
	switch res.Outcome {
	case approval.Approved, approval.Expired:
		return true
	case approval.Pending:
	default:
		return false
	}
	if res.Schedule.Due.IsZero() {
		return false
	}
	for _, at := range res.Schedule.Reminders {
		if at.After(p.RemindedAt) && !at.After(now) {
			return true
		}
	}
	return res.Overdue && p.OverdueNoticed != overdueKey(res)
}

// overdueKey names a stage opening, for Post.OverdueNoticed.
func overdueKey(res approval.Result) string {
	return res.Stage + "@" + res.Schedule.Opened.UTC().Format(time.RFC3339)
}
