package workflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// Schedule schedules an approved post at an instant for all its targets.
// actor needs [team.PermSchedule] on every target channel; the approval must
// allow publishing, and assets must be usable at that instant.
func (s *Service) Schedule(ctx context.Context, actor, id string, at time.Time) (Post, error) {
	if at.IsZero() {
		return Post{}, &ValidationError{Field: "at", Reason: "required"}
	}
	return s.schedule(ctx, actor, id, func(time.Time) time.Time { return at.UTC() }, team.PermSchedule, "post.schedule")
}

// schedule puts an approved post on the calendar at when(now) for all its
// targets: the permission on every target channel, the transition, approval
// and asset rights at that instant, the calendar rules; then saves, records
// asset usage and audits.
func (s *Service) schedule(ctx context.Context, actor, id string, when func(now time.Time) time.Time, perm team.Permission, action string) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, perm, p); err != nil {
		return Post{}, err
	}
	next, err := Transition(p.ID, p.State, ActSchedule, false, false)
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	at := when(now)
	if err := s.publishable(ctx, p, at, now); err != nil {
		return Post{}, err
	}
	p.State, p.At, p.UpdatedAt = next, at, now
	for i := range p.Targets {
		p.Targets[i].State, p.Targets[i].At = TargetScheduled, at
		p.Targets[i].Outcome = TargetResult{}
	}
	if err := s.bookAt(ctx, p); err != nil {
		return Post{}, err
	}
	saved, err := s.store.UpdatePost(ctx, p)
	if err != nil {
		s.unbook(ctx, p.ID, channelsOf(p))
		return Post{}, err
	}
	p = saved
	s.recordUsage(ctx, p, now)
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: action, Object: "post:" + p.ID, Version: p.Version,
		Summary: "at " + at.Format(time.RFC3339), Data: map[string]string{"at": at.Format(time.RFC3339Nano)}})
}

// channelsOf returns the channels p targets.
func channelsOf(p Post) []string {
	out := make([]string, len(p.Targets))
	for i, t := range p.Targets {
		out[i] = t.Channel
	}
	return out
}

// recordUsage tells a usage-tracking asset checker which scheduled targets
// use which assets. A failure is logged: the post is scheduled, and the
// dispatcher checks the assets again at publish time.
func (s *Service) recordUsage(ctx context.Context, p Post, now time.Time) {
	u, ok := s.assets.(assetUser)
	if !ok {
		return
	}
	for _, t := range p.Targets {
		c, _ := s.team.Channel(t.Channel)
		for _, m := range p.ContentFor(t.Channel).Media {
			if err := u.UseAsset(ctx, m.Asset, p.ID, c, t.At, now); err != nil {
				s.log.WarnContext(ctx, "record asset usage", "post", p.ID, "asset", m.Asset, "err", err)
			}
		}
	}
}

// publishable checks approval and assets for publishing p at instant at.
func (s *Service) publishable(ctx context.Context, p Post, at, now time.Time) error {
	if err := s.approved(p, now); err != nil {
		return err
	}
	slots := map[string]time.Time{}
	for _, t := range p.Targets {
		slots[t.Channel] = at
	}
	return s.assetsUsable(ctx, p, slots)
}

// approved returns a *NotApprovedError unless p's approval allows
// publishing at now.
func (s *Service) approved(p Post, now time.Time) error {
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
	if err != nil {
		return err
	}
	if !res.Publishable {
		return &NotApprovedError{Post: p.ID, Version: p.Version, Outcome: string(res.Outcome), Reason: res.Reason}
	}
	return nil
}

// assetsUsable checks every asset of every target at that target's slot.
func (s *Service) assetsUsable(ctx context.Context, p Post, slots map[string]time.Time) error {
	if s.assets == nil {
		return nil
	}
	var errs []error
	for _, t := range p.Targets {
		c, _ := s.team.Channel(t.Channel)
		for _, m := range p.ContentFor(t.Channel).Media {
			if err := s.assets.CheckAsset(ctx, m.Asset, c, slots[t.Channel]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// NotApprovedError reports a post that may not be published because its
// approval does not allow it. It matches socialflow.ErrForbidden.
type NotApprovedError struct {
	Post    string
	Version int
	Outcome string
	Reason  string
}

func (e *NotApprovedError) Error() string {
	return fmt.Sprintf("workflow: post %s version %d is not approved for publishing (%s): %s", echo.Quote(e.Post), e.Version, e.Outcome, echo.Clip(e.Reason, summaryMax))
}

// Is reports whether target is socialflow.ErrForbidden.
func (e *NotApprovedError) Is(target error) bool { return target == socialflow.ErrForbidden }

// PublishNow schedules an approved post at the current instant, so the next
// dispatcher step publishes it. It is [Service.Schedule] at now, with
// [team.PermPublishNow] on every target instead: approval, asset rights and the
// calendar rules (a blackout stops it too) are checked the same way.
func (s *Service) PublishNow(ctx context.Context, actor, id string) (Post, error) {
	return s.schedule(ctx, actor, id, func(now time.Time) time.Time { return now }, team.PermPublishNow, "post.publish_now")
}

// simple applies a permission-checked transition without other effects.
func (s *Service) simple(ctx context.Context, actor, id string, perm team.Permission, a Action, f func(p *Post)) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if perm == team.PermDeleteAnyDraft && p.Author == actor && s.team.Can(actor, team.PermDeleteOwnDraft, team.Scope{Workspace: p.Workspace}) {
		perm = team.PermDeleteOwnDraft
	}
	if err := s.allowTargets(ctx, actor, perm, p); err != nil {
		return Post{}, err
	}
	next, err := Transition(p.ID, p.State, a, false, false)
	if err != nil {
		return Post{}, err
	}
	p.State, p.UpdatedAt = next, s.now()
	if f != nil {
		f(&p)
	}
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	s.release(ctx, p)
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post." + string(a), Object: "post:" + p.ID, Version: p.Version})
}

// Unschedule takes a scheduled post off the calendar (it stays approved).
// actor needs [team.PermSchedule].
func (s *Service) Unschedule(ctx context.Context, actor, id string) (Post, error) {
	return s.simple(ctx, actor, id, team.PermSchedule, ActUnschedule, func(p *Post) {
		p.At = time.Time{}
		for i := range p.Targets {
			p.Targets[i].State, p.Targets[i].At = TargetPending, time.Time{}
		}
	})
}

// Cancel cancels a post that has not started publishing; the dispatcher
// will not pick it up. actor needs [team.PermDeleteOwnDraft] for their own post
// or [team.PermDeleteAnyDraft].
func (s *Service) Cancel(ctx context.Context, actor, id string) (Post, error) {
	return s.simple(ctx, actor, id, team.PermDeleteAnyDraft, ActCancel, func(p *Post) {
		for i := range p.Targets {
			p.Targets[i].State = TargetCancelled
		}
	})
}

// Archive archives a draft, cancelled, rejected, failed or published post.
// The permission is that of [Service.Cancel].
func (s *Service) Archive(ctx context.Context, actor, id string) (Post, error) {
	return s.simple(ctx, actor, id, team.PermDeleteAnyDraft, ActArchive, nil)
}

// Retry reschedules the failed targets of a failed or partially published
// post at the current instant. actor needs [team.PermPublishNow].
func (s *Service) Retry(ctx context.Context, actor, id string) (Post, error) {
	now := s.now()
	return s.simple(ctx, actor, id, team.PermPublishNow, ActRetry, func(p *Post) {
		for i := range p.Targets {
			if t := &p.Targets[i]; t.State == TargetFailed {
				t.State, t.At = TargetScheduled, now
				t.Outcome = TargetResult{Round: t.Outcome.Round + 1}
			}
		}
	})
}
