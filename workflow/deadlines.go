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

// CheckDeadlines applies the approval deadlines of every post in review at
// now, as each post's policy says (approval.Deadline):
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
	posts, err := s.store.ListPosts(ctx, PostQuery{States: []State{StateInReview}})
	if err != nil {
		return r, err
	}
	for _, p := range posts {
		if err := s.deadline(ctx, p, now, &r); err != nil && !errors.Is(err, socialflow.ErrConflict) {
			return r, err
		}
	}
	return r, nil
}

func (s *Service) deadline(ctx context.Context, p Post, now time.Time, r *DeadlineReport) error {
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
	if err != nil || res.Schedule.Due.IsZero() && res.Outcome == approval.Pending {
		return nil // no deadline (or a policy error Submit already reported)
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
		key := res.Stage + "@" + res.Schedule.Opened.UTC().Format(time.RFC3339)
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
