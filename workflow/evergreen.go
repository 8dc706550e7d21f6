package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
)

// Evergreen makes a queued post come back after it is published: when
// the dispatcher records a target published, the workflow books the
// target again into its channel's next free posting slot at least
// Interval after that record (on the workflow's clock), as a new
// publishing round of the same approved version (a new round gives a new idempotency marker, so the
// network's Finder never confuses the repeats). The approval is kept
// because the content did not change; an edit sends the post back to
// review and ends the cycle, like every exit from the queue (cancel,
// unschedule, a schedule at a fixed time, archive).
//
// The cycle ends after MaxRepeats returns (0: no limit) or when the next
// free slot is at or after Until (zero: no limit). Missed returns are not
// replayed: a return is booked only after a publish, so a post held by a
// pause comes back once, never several times in a row.
//
// The settings are stored in the channel's plan with the queue position
// ([QueueSlot]), so every replica and a restarted Service continue the
// cycle.
type Evergreen struct {
	Interval   time.Duration `json:"interval"`              // at least this long after a publish; 1h to 10 years
	MaxRepeats int           `json:"max_repeats,omitempty"` // returns after the first publish; 0: no limit
	Until      time.Time     `json:"until,omitzero"`        // no return at or after this instant; zero: none
}

// Bounds of [Evergreen].
const (
	minEvergreenInterval = time.Hour
	maxEvergreenInterval = 10 * 366 * 24 * time.Hour
	maxEvergreenRepeats  = 10_000
)

// Validate reports settings out of bounds as a *ValidationError naming
// the field, the limit and the value.
func (ev Evergreen) Validate() error {
	switch {
	case ev.Interval < minEvergreenInterval || ev.Interval > maxEvergreenInterval:
		return &ValidationError{Field: "evergreen.interval", Value: ev.Interval.String(), Reason: "must be 1h to 10 years"}
	case ev.MaxRepeats < 0 || ev.MaxRepeats > maxEvergreenRepeats:
		return &ValidationError{Field: "evergreen.max_repeats", Value: strconv.Itoa(ev.MaxRepeats), Reason: fmt.Sprintf("must be 0 (no limit) to %d", maxEvergreenRepeats)}
	}
	return nil
}

// String describes the settings for audit summaries.
func (ev Evergreen) String() string {
	s := "every ≥" + ev.Interval.String()
	if ev.MaxRepeats > 0 {
		s += fmt.Sprintf(", at most %d return(s)", ev.MaxRepeats)
	}
	if !ev.Until.IsZero() {
		s += ", until " + ev.Until.UTC().Format(time.RFC3339)
	}
	return s
}

// QueueEvergreen queues an approved post like [Service.AddToQueue] and
// makes it come back after each publish as ev says (see [Evergreen]). A
// post queued again with AddToQueue or InsertTop, or scheduled at a fixed
// time, is no longer evergreen. actor needs [team.PermSchedule] on every
// target channel; the action is audited as post.queue_evergreen, each
// return as post.requeue and the end of the cycle as post.requeue_end.
func (s *Service) QueueEvergreen(ctx context.Context, actor, id string, ev Evergreen) (Post, error) {
	if err := ev.Validate(); err != nil {
		return Post{}, err
	}
	ev.Until = ev.Until.UTC()
	return s.addToQueue(ctx, actor, id, false, &ev)
}

// evergreenBack is a booked return of an evergreen target.
type evergreenBack struct {
	at      time.Time
	round   int
	returns int
}

// errEvergreenUntil stops a return whose next free slot is past Until,
// errEvergreenGone one whose queue position left meanwhile; neither
// leaves this file.
var (
	errEvergreenUntil = errors.New("workflow: evergreen until reached")
	errEvergreenGone  = errors.New("workflow: evergreen position left the queue")
)

// evergreenReturn books the next return of p's target on channel, just
// published, when its queue position is evergreen and the cycle goes on.
// It returns the booked return (nil when none) and, when the cycle ends,
// why. Booking is idempotent per round: a dispatcher that records the
// same publish again (after a crash between the plan write and the post
// write) finds the return already booked.
//
// known, when not nil, is the channel's plan as read a moment ago by a
// caller that knows nothing it cares about changed since (see
// updatePlanFrom): a known plan without an evergreen position for the
// target saves the read.
func (s *Service) evergreenReturn(ctx context.Context, p Post, channel string, now time.Time, known *ChannelPlan) (*evergreenBack, string) {
	t := p.Target(channel)
	if t == nil {
		return nil, ""
	}
	key := TargetKey(p.ID, channel)
	evergreen := func(pl ChannelPlan) bool {
		i := slices.IndexFunc(pl.Queue, func(q QueueSlot) bool { return q.Key == key })
		return i >= 0 && pl.Queue[i].Evergreen != nil
	}
	if known != nil && known.Channel == channel && !evergreen(*known) {
		return nil, ""
	}
	pl, err := s.store.Plan(ctx, channel)
	if err != nil {
		return nil, "plan unreadable: " + err.Error()
	}
	i := slices.IndexFunc(pl.Queue, func(q QueueSlot) bool { return q.Key == key })
	if i < 0 || pl.Queue[i].Evergreen == nil {
		return nil, ""
	}
	qs := pl.Queue[i]
	ev := *qs.Evergreen
	round := t.Outcome.Round + 1
	if qs.Round != round {
		if ev.MaxRepeats > 0 && qs.Returns >= ev.MaxRepeats {
			return nil, fmt.Sprintf("came back %d time(s), the most allowed", qs.Returns)
		}
		qs.Returns++
		qs.Round = round
	}
	// Measured on the workflow's clock from when the publish is recorded
	// (a network's own time may drift); a slot exactly Interval later
	// qualifies.
	notBefore := now.Add(ev.Interval)
	at, err := s.book(ctx, p, channel, &qs, func(pl ChannelPlan, c *checker) (time.Time, error) {
		j := slices.IndexFunc(pl.Queue, func(q QueueSlot) bool { return q.Key == key })
		if j < 0 || pl.Queue[j].Evergreen == nil {
			return time.Time{}, errEvergreenGone
		}
		if b, ok := pl.Bookings[key]; ok && pl.Queue[j].Round == round {
			return b.At, nil // booked by an earlier record of this publish
		}
		// A paused queue keeps its evergreen posts: they come back into a
		// slot and wait there like every other target.
		pl.Paused = false
		at, err := nextFree(pl, c, notBefore.Add(-time.Nanosecond))
		if err != nil {
			return time.Time{}, err
		}
		if !ev.Until.IsZero() && !at.Before(ev.Until) {
			return time.Time{}, errEvergreenUntil
		}
		return at, nil
	})
	switch {
	case errors.Is(err, errEvergreenGone):
		return nil, ""
	case errors.Is(err, errEvergreenUntil):
		return nil, "the next free slot is at or after its end " + ev.Until.Format(time.RFC3339)
	case err != nil:
		return nil, "no return booked: " + err.Error()
	}
	return &evergreenBack{at: at, round: round, returns: qs.Returns}, ""
}

// apply turns the published target of channel into its next round at
// the booked slot; the published outcome moves to [Target.Earlier].
func (b *evergreenBack) apply(p *Post, channel string) {
	t := p.Target(channel)
	t.Earlier = append(t.Earlier, t.Outcome)
	t.State, t.At, t.Outcome = TargetScheduled, b.at, TargetResult{Round: b.round}
	p.At = time.Time{}
	for _, o := range p.Targets {
		if o.State == TargetScheduled && (p.At.IsZero() || o.At.Before(p.At)) {
			p.At = o.At
		}
	}
	if !slices.ContainsFunc(p.Targets, func(o Target) bool {
		return o.State != TargetScheduled && o.State != TargetPending && o.State != TargetCancelled
	}) {
		p.State = StateScheduled
	}
}

// releaseStale releases a return booked for a post whose write failed:
// when the stored post's targets no longer hold their slots (a person
// cancelled or edited it meanwhile), their bookings go. A target still
// being published keeps its return for the dispatcher that records it.
func (s *Service) releaseStale(ctx context.Context, id string) {
	p, err := s.store.GetPost(context.WithoutCancel(ctx), id)
	if err != nil {
		s.log.WarnContext(ctx, "release evergreen return", "post", id, "err", err)
		return
	}
	s.release(ctx, p)
}

// recordEvergreen audits a return (post.requeue) or the end of an
// evergreen cycle (post.requeue_end).
func (s *Service) recordEvergreen(ctx context.Context, p Post, channel, actor string, now time.Time, back *evergreenBack, end string) {
	obj := "post:" + p.ID + "/channel:" + channel
	switch {
	case back != nil:
		at := back.at.UTC().Format(time.RFC3339Nano)
		_ = s.record(ctx, Event{At: now, Workspace: p.Workspace, Actor: actor, Action: "post.requeue", Object: obj, Version: p.Version,
			Summary: fmt.Sprintf("evergreen return %d at %s", back.returns, back.at.UTC().Format(time.RFC3339)),
			Data:    map[string]string{"at": at, "round": strconv.Itoa(back.round), "returns": strconv.Itoa(back.returns)}})
	case end != "":
		_ = s.record(ctx, Event{At: now, Workspace: p.Workspace, Actor: actor, Action: "post.requeue_end", Object: obj, Version: p.Version,
			Summary: echo.Clip(end, summaryMax)})
	}
}
