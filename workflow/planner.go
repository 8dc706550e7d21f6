package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/internal/echo"
)

// Planner connects the Service to the content calendar: it mirrors every
// post target into a [calendar.Calendar] (one entry per target, keyed by
// [TargetKey]), holds each channel's posting slots, queue and scheduling
// rules, checks the rules when a post is scheduled, and plans queued posts
// into free slots. Give it to the Service with [WithPlanner].
//
// The zero Planner is not usable; call [NewPlanner]. It is safe for
// concurrent use.
type Planner struct {
	cal    *calendar.Calendar
	mu     sync.Mutex
	rules  map[string]calendar.Rules
	queues map[string]*calendar.Queue
}

// NewPlanner returns a Planner over cal (a new calendar when nil).
func NewPlanner(cal *calendar.Calendar) *Planner {
	if cal == nil {
		cal = calendar.New()
	}
	return &Planner{cal: cal, rules: map[string]calendar.Rules{}, queues: map[string]*calendar.Queue{}}
}

// Calendar returns the calendar the planner keeps in step with the posts.
func (pl *Planner) Calendar() *calendar.Calendar { return pl.cal }

// WithPlanner mirrors posts into the planner's calendar, enforces its
// scheduling rules on [Service.Schedule] and enables [Service.AddToQueue].
// Default: no calendar.
func WithPlanner(pl *Planner) ServiceOption {
	return func(s *Service) error {
		if pl == nil {
			return &ValidationError{Field: "planner", Reason: "must not be nil"}
		}
		s.planner = pl
		return nil
	}
}

// RuleError lists the scheduling rules a post would break on the calendar
// (minimum gap, maximum per day, blackouts). It matches socialflow.ErrConflict.
type RuleError struct {
	Post       string
	Violations []calendar.Violation
}

func (e *RuleError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.String()
	}
	return fmt.Sprintf("workflow: scheduling post %s breaks the calendar rules: %s", echo.Quote(e.Post), echo.Clip(strings.Join(parts, "; "), summaryMax))
}

// Is reports whether target is socialflow.ErrConflict.
func (e *RuleError) Is(target error) bool { return target == socialflow.ErrConflict }

func entryStatus(p Post, t Target) calendar.Status {
	switch t.State {
	case TargetPublished:
		return calendar.StatusPublished
	case TargetFailed:
		return calendar.StatusFailed
	case TargetScheduled, TargetPublishing, TargetAwaiting, TargetUnconfirmed, TargetManual:
		return calendar.StatusScheduled
	}
	switch p.State {
	case StateInReview:
		return calendar.StatusInReview
	case StateApproved:
		return calendar.StatusApproved
	case StateDraft, StateChangesRequested, StateRejected:
		return calendar.StatusDraft
	}
	return calendar.StatusIdea
}

// entries returns the calendar entries of p: one per target with a time.
func (pl *Planner) entries(p Post, ch func(string) (Channel, bool)) []calendar.Entry {
	var out []calendar.Entry
	for _, t := range p.Targets {
		at := t.At
		if at.IsZero() {
			at = p.At
		}
		if at.IsZero() || t.State == TargetCancelled || p.State == StateCancelled || p.State == StateArchived {
			continue
		}
		zone := p.Zone
		if c, ok := ch(t.Channel); ok && c.Zone != "" && zone == "" {
			zone = c.Zone
		}
		if zone == "" {
			zone = "UTC"
		}
		c := p.ContentFor(t.Channel)
		var assets []string
		for _, m := range c.Media {
			assets = append(assets, m.Asset)
		}
		out = append(out, calendar.Entry{
			ID: TargetKey(p.ID, t.Channel), Workspace: p.Workspace, Channel: t.Channel, Network: t.Network,
			At: at, Zone: zone, Title: preview(c.Text), Labels: slices.Clone(p.Labels),
			Campaign: p.Campaign, Assets: assets, Link: c.Link, Status: entryStatus(p, t),
			Host: map[string]string{"post": p.ID, "state": string(p.State)},
		})
	}
	return out
}

// sync mirrors p into the calendar: targets with a time are upserted, the
// others removed.
func (pl *Planner) sync(p Post, ch func(string) (Channel, bool)) {
	keep := map[string]bool{}
	for _, e := range pl.entries(p, ch) {
		keep[e.ID] = true
		if _, ok := pl.cal.Get(e.ID); ok {
			_ = pl.cal.Update(e)
		} else {
			_ = pl.cal.Add(e)
		}
	}
	for _, t := range p.Targets {
		if id := TargetKey(p.ID, t.Channel); !keep[id] {
			_ = pl.cal.Remove(id)
		}
	}
}

// check returns the rule violations p's entries would cause, ignoring p's
// own current entries.
func (pl *Planner) check(p Post, ch func(string) (Channel, bool)) ([]calendar.Violation, error) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	var out []calendar.Violation
	for _, e := range pl.entries(p, ch) {
		r := pl.rules[e.Channel]
		vs, err := pl.cal.Check(r, e)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// queueChannel checks that a planner is configured and that actor may
// manage channel's queue, and returns the channel.
func (s *Service) queueChannel(ctx context.Context, actor, channel string) (Channel, error) {
	if s.planner == nil {
		return Channel{}, &ValidationError{Field: "planner", Reason: "not configured (WithPlanner)"}
	}
	c, ok := s.team.Channel(channel)
	if !ok {
		return Channel{}, &NotFoundError{Kind: "channel", ID: channel}
	}
	return c, s.allow(ctx, actor, PermManageQueue, Scope{Workspace: c.WorkspaceID, Channel: channel})
}

// SetPostingSlots sets a channel's posting slots (and gives it an empty
// queue, or keeps its queue with the new slots' order). actor needs
// [PermManageQueue] on the channel.
func (s *Service) SetPostingSlots(ctx context.Context, actor, channel string, sc calendar.Schedule) error {
	c, err := s.queueChannel(ctx, actor, channel)
	if err != nil {
		return err
	}
	if sc.Zone == "" {
		sc.Zone = c.Zone
	}
	q, err := calendar.NewQueue(c.WorkspaceID, channel, sc)
	if err != nil {
		return err
	}
	s.planner.mu.Lock()
	if old, ok := s.planner.queues[channel]; ok {
		for _, it := range old.Items() {
			if it.PostID != "" {
				_ = q.Add(it.PostID)
			}
		}
	}
	s.planner.queues[channel] = q
	s.planner.mu.Unlock()
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: "queue.slots", Object: "channel:" + channel,
		Summary: fmt.Sprintf("%v %v %s %s", sc.Days, sc.Times, sc.RRule, sc.Zone)})
}

// SetRules sets a channel's scheduling rules (minimum gap, maximum per day,
// blackouts), checked on every schedule. actor needs [PermManageQueue].
func (s *Service) SetRules(ctx context.Context, actor, channel string, r calendar.Rules) error {
	c, err := s.queueChannel(ctx, actor, channel)
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	s.planner.mu.Lock()
	s.planner.rules[channel] = r
	s.planner.mu.Unlock()
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: "queue.rules", Object: "channel:" + channel})
}

// AddToQueue schedules an approved post into each target channel's next
// free posting slot (a slot holds one post and keeps the channel's rules).
// Targets on different channels may get different times. actor needs
// [PermSchedule] on every target channel.
func (s *Service) AddToQueue(ctx context.Context, actor, id string) (Post, error) {
	if s.planner == nil {
		return Post{}, &ValidationError{Field: "planner", Reason: "not configured (WithPlanner)"}
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, PermSchedule, p); err != nil {
		return Post{}, err
	}
	next, err := Transition(p.ID, p.State, ActSchedule, false, false)
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	if err := s.approved(p, now); err != nil {
		return Post{}, err
	}
	slots := map[string]time.Time{}
	s.planner.mu.Lock()
	for _, t := range p.Targets {
		q, ok := s.planner.queues[t.Channel]
		if !ok {
			s.planner.mu.Unlock()
			return Post{}, &ValidationError{Field: "channel", Value: t.Channel, Reason: "has no posting slots (SetPostingSlots)"}
		}
		plan, err := planWith(q, TargetKey(id, t.Channel), now, s.planner.cal, s.planner.rules[t.Channel])
		if err != nil {
			s.planner.mu.Unlock()
			return Post{}, err
		}
		slots[t.Channel] = plan.UTC()
	}
	for _, t := range p.Targets {
		// Queue items are named like calendar entries, so the queue knows
		// its own posts' entries from other posts'.
		_ = s.planner.queues[t.Channel].Add(TargetKey(id, t.Channel))
	}
	s.planner.mu.Unlock()
	if err := s.assetsUsable(ctx, p, slots); err != nil {
		s.dequeue(p)
		return Post{}, err
	}
	first := time.Time{}
	for i := range p.Targets {
		at := slots[p.Targets[i].Channel]
		p.Targets[i].State, p.Targets[i].At, p.Targets[i].Outcome = TargetScheduled, at, TargetResult{}
		if first.IsZero() || at.Before(first) {
			first = at
		}
	}
	p.State, p.At, p.Queue, p.UpdatedAt = next, first, true, now
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		s.dequeue(p)
		return Post{}, err
	}
	s.recordUsage(ctx, p, now)
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.queue", Object: "post:" + p.ID, Version: p.Version,
		Summary: "first slot " + first.UTC().Format(time.RFC3339), Data: map[string]string{"at": first.UTC().Format(time.RFC3339Nano)}})
}

// planWith returns the slot post would get if added to q now (q is left
// as it was).
func planWith(q *calendar.Queue, post string, now time.Time, cal *calendar.Calendar, r calendar.Rules) (time.Time, error) {
	if err := q.Add(post); err != nil {
		return time.Time{}, err
	}
	defer func() { _ = q.Remove(post, true) }()
	plan, err := q.Plan(now, cal, r)
	for _, a := range plan {
		if a.PostID == post {
			return a.At, nil
		}
	}
	if err == nil {
		err = &ValidationError{Field: "queue", Value: q.Channel, Reason: "no free slot"}
		if q.Paused() {
			err = &ValidationError{Field: "queue", Value: q.Channel, Reason: "the queue is paused"}
		}
	}
	return time.Time{}, err
}

func (s *Service) dequeue(p Post) {
	s.planner.mu.Lock()
	defer s.planner.mu.Unlock()
	for _, t := range p.Targets {
		if q, ok := s.planner.queues[t.Channel]; ok {
			_ = q.Remove(TargetKey(p.ID, t.Channel), true)
		}
	}
}

// PauseQueue pauses (or resumes) a channel's queue: a paused queue plans
// nothing. actor needs [PermManageQueue].
func (s *Service) PauseQueue(ctx context.Context, actor, channel string, paused bool) error {
	c, err := s.queueChannel(ctx, actor, channel)
	if err != nil {
		return err
	}
	s.planner.mu.Lock()
	q, ok := s.planner.queues[channel]
	if ok {
		if paused {
			q.Pause()
		} else {
			q.Resume()
		}
	}
	s.planner.mu.Unlock()
	if !ok {
		return &ValidationError{Field: "channel", Value: channel, Reason: "has no posting slots (SetPostingSlots)"}
	}
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: "queue.pause", Object: "channel:" + channel, Summary: fmt.Sprint(paused)})
}

// WeekView returns the week containing day as seen in zone, weeks starting
// on weekStart, for the channels of workspace actor may see. actor needs
// [PermViewCalendar].
func (s *Service) WeekView(ctx context.Context, actor, workspace string, day time.Time, zone string, weekStart time.Weekday) (calendar.View, error) {
	if err := s.allow(ctx, actor, PermViewCalendar, Scope{Workspace: workspace}); err != nil {
		return calendar.View{}, err
	}
	if s.planner == nil {
		return calendar.View{}, &ValidationError{Field: "planner", Reason: "not configured (WithPlanner)"}
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return calendar.View{}, &ValidationError{Field: "zone", Value: zone, Reason: "unknown IANA time zone"}
	}
	q := calendar.Query{Workspace: workspace}
	if v, err := s.viewScope(ctx, actor, workspace); err != nil {
		return calendar.View{}, err
	} else if !v.all {
		for _, c := range s.team.Channels(workspace) {
			if v.channel(c.ID) {
				q.Channels = append(q.Channels, c.ID)
			}
		}
		if len(q.Channels) == 0 {
			return calendar.View{}, v.denied
		}
	}
	return s.planner.cal.WeekView(q, day, loc, weekStart)
}

// mirror is the Store the Service uses when it has a Planner: every post
// it writes is mirrored into the calendar after the write succeeded, so the
// calendar never shows what the store refused.
type mirror struct {
	Store
	pl   *Planner
	team *teamView
}

func (m *mirror) CreatePost(ctx context.Context, p Post) (Post, error) {
	p, err := m.Store.CreatePost(ctx, p)
	if err == nil {
		m.pl.sync(p, m.team.Channel)
	}
	return p, err
}

func (m *mirror) UpdatePost(ctx context.Context, p Post) (Post, error) {
	p, err := m.Store.UpdatePost(ctx, p)
	if err == nil {
		m.pl.sync(p, m.team.Channel)
	}
	return p, err
}

func (m *mirror) UpdatePostFenced(ctx context.Context, p Post, l Lease, now time.Time) (Post, error) {
	p, err := m.Store.UpdatePostFenced(ctx, p, l, now)
	if err == nil {
		m.pl.sync(p, m.team.Channel)
	}
	return p, err
}
