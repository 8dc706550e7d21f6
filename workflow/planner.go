package workflow

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// Planning state lives in the [PlanStore] (part of every [Store]): each
// channel's posting slots, rules, pause, queue and bookings, each
// workspace's emergency pause and guidelines, and the calendar events. The
// Service decides only from what the store holds, so a second Service over
// the same store, or the same one after a restart, plans exactly the same.
//
// Booking: every schedule ([Service.Schedule], [Service.PublishNow],
// [Service.AddToQueue], queue reorders) books each target's slot in its
// channel's plan and checks the channel's rules against the plan's
// bookings and the other planned targets in one compare-and-swap of the
// plan (retried on a conflict); the post is written after, and a failed
// post write releases the booking. A queue slot holds one booking. A booking is released when its target leaves the plan:
// published, failed, cancelled, unscheduled, archived or edited back to
// review.

// Planner keeps an in-process [calendar.Calendar] in step with the posts
// this Service writes, for hosts that export it (iCalendar, CSV). It is a
// projection only: no decision reads it, and the Service's views are built
// from the store ([Service.MonthView]). Give it to the Service with
// [WithPlanner].
//
// The zero Planner is not usable; call [NewPlanner]. It is safe for
// concurrent use.
type Planner struct {
	cal *calendar.Calendar
}

// NewPlanner returns a Planner over cal (a new calendar when nil).
func NewPlanner(cal *calendar.Calendar) *Planner {
	if cal == nil {
		cal = calendar.New()
	}
	return &Planner{cal: cal}
}

// Calendar returns the calendar the planner keeps in step with the posts.
func (pl *Planner) Calendar() *calendar.Calendar { return pl.cal }

// WithPlanner mirrors the posts the Service writes into the planner's
// calendar. Default: no mirror (planning works without it).
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
// (minimum gap, maximum per day, blackouts). It matches
// socialflow.ErrConflict.
type RuleError struct {
	Post       string
	Violations []calendar.Violation
}

// ViolationSlotTaken is a queue slot another target of the channel
// already holds: one slot holds one post. A queue skips such slots.
const ViolationSlotTaken calendar.ViolationKind = "slot-taken"

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

// zoneOf returns the zone a target of p is planned in: the post's, else
// the channel's, else UTC.
func (s *Service) zoneOf(p Post, channel string) string {
	if p.Zone != "" {
		return p.Zone
	}
	if c, ok := s.team.Channel(channel); ok && c.Zone != "" {
		return c.Zone
	}
	return "UTC"
}

// entries returns the calendar entries of p: one per target with a time.
func (s *Service) entries(p Post) []calendar.Entry {
	var out []calendar.Entry
	for _, t := range p.Targets {
		at, ok := p.PlannedAt(t.Channel)
		if !ok {
			continue
		}
		c := p.ContentFor(t.Channel)
		var assets []string
		for _, m := range c.Media {
			assets = append(assets, m.Asset)
		}
		out = append(out, calendar.Entry{
			ID: TargetKey(p.ID, t.Channel), Workspace: p.Workspace, Channel: t.Channel, Network: t.Network,
			At: at, Zone: s.zoneOf(p, t.Channel), Title: preview(c.Text), Labels: slices.Clone(p.Labels),
			Campaign: p.Campaign, Assets: assets, Link: c.Link, Status: entryStatus(p, t),
			Host: map[string]string{"post": p.ID, "state": string(p.State)},
		})
	}
	return out
}

// sync mirrors p into the planner's calendar: targets with a time are
// upserted, the others removed.
func (s *Service) sync(p Post) {
	if s.planner == nil {
		return
	}
	cal := s.planner.cal
	keep := map[string]bool{}
	for _, e := range s.entries(p) {
		keep[e.ID] = true
		if _, ok := cal.Get(e.ID); ok {
			_ = cal.Update(e)
		} else {
			_ = cal.Add(e)
		}
	}
	for _, t := range p.Targets {
		if id := TargetKey(p.ID, t.Channel); !keep[id] {
			_ = cal.Remove(id)
		}
	}
}

// mirror is the Store the Service uses when it has a Planner: every post
// it writes is mirrored into the calendar after the write succeeded.
type mirror struct {
	Store
	s *Service
}

func (m *mirror) CreatePost(ctx context.Context, p Post) (Post, error) {
	p, err := m.Store.CreatePost(ctx, p)
	if err == nil {
		m.s.sync(p)
	}
	return p, err
}

func (m *mirror) UpdatePost(ctx context.Context, p Post) (Post, error) {
	p, err := m.Store.UpdatePost(ctx, p)
	if err == nil {
		m.s.sync(p)
	}
	return p, err
}

func (m *mirror) UpdatePostFenced(ctx context.Context, p Post, l Lease, now time.Time) (Post, error) {
	p, err := m.Store.UpdatePostFenced(ctx, p, l, now)
	if err == nil {
		m.s.sync(p)
	}
	return p, err
}

// holdsSlot reports whether target t of p keeps its booking: it is
// scheduled or being published.
func holdsSlot(p Post, t Target) bool {
	return dispatchable(p.State) && (t.State == TargetScheduled || t.State == TargetPublishing)
}

// maxPlanTries bounds the compare-and-swap retries of one plan write.
const maxPlanTries = 64

// updatePlan applies f to channel's plan and stores it, retrying when
// another writer changed the plan meanwhile. f returns false to store
// nothing.
func (s *Service) updatePlan(ctx context.Context, channel string, f func(pl *ChannelPlan) (bool, error)) (ChannelPlan, error) {
	return s.updatePlanFrom(ctx, channel, nil, f)
}

// updatePlanFrom is updatePlan starting from known, the plan of channel as
// read a moment ago, instead of reading it (nil: read it). The plan's
// revision check catches a known plan that is stale; a known plan on which
// f writes nothing is taken at its word, so only a caller that knows
// nothing it cares about changed since may pass one.
func (s *Service) updatePlanFrom(ctx context.Context, channel string, known *ChannelPlan, f func(pl *ChannelPlan) (bool, error)) (ChannelPlan, error) {
	for range maxPlanTries {
		var pl ChannelPlan
		var err error
		if known != nil && known.Channel == channel {
			pl, known = known.Clone(), nil
		} else if pl, err = s.store.Plan(ctx, channel); err != nil {
			return ChannelPlan{}, err
		}
		if pl.Workspace == "" {
			if c, ok := s.team.Channel(channel); ok {
				pl.Workspace = c.WorkspaceID
			}
		}
		write, err := f(&pl)
		if err != nil || !write {
			return pl, err
		}
		out, err := s.store.PutPlan(ctx, pl)
		var ce *ConflictError
		if errors.As(err, &ce) && ce.Kind == ConflictPlan {
			continue
		}
		return out, err
	}
	return ChannelPlan{}, &ConflictError{Kind: ConflictPlan, ID: channel}
}

// checker checks candidate instants of one target against a channel's
// plan: its bookings and the other planned targets of the channel (those
// published, awaiting or unconfirmed, which hold no booking).
type checker struct {
	s    *Service
	ctx  context.Context
	pl   ChannelPlan
	post Post
	key  string
	zone string
	// oneSlot refuses an instant another booking holds (a queue's slot
	// holds one post; an explicit schedule is bound by the rules only).
	oneSlot bool
}

// violations returns the rules a booking of the target at at would break.
func (c *checker) violations(at time.Time) ([]calendar.Violation, error) {
	ch := c.pl.Channel
	for k, b := range c.pl.Bookings {
		if c.oneSlot && k != c.key && b.At.Equal(at) {
			return []calendar.Violation{{Kind: ViolationSlotTaken, Workspace: c.pl.Workspace, Channel: ch, At: at, EntryIDs: []string{k, c.key}, Limit: "1"}}, nil
		}
	}
	r := c.pl.Rules
	if r.MinGap == 0 && r.MaxPerDay == 0 && len(r.Blackouts) == 0 {
		return nil, nil
	}
	pad := r.MinGap + 50*time.Hour
	var entries []calendar.Entry
	for k, b := range c.pl.Bookings {
		if k != c.key && !b.At.Before(at.Add(-pad)) && b.At.Before(at.Add(pad)) {
			entries = append(entries, calendar.Entry{ID: k, Workspace: c.pl.Workspace, Channel: ch, At: b.At, Zone: b.Zone, Status: calendar.StatusScheduled})
		}
	}
	others, err := c.s.store.PlannedPosts(c.ctx, PlanQuery{Workspace: c.pl.Workspace, From: at.Add(-pad), To: at.Add(pad)})
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		if o.ID == c.post.ID {
			continue
		}
		for _, e := range c.s.entries(o) {
			if _, booked := c.pl.Bookings[e.ID]; e.Channel == ch && !booked {
				entries = append(entries, e)
			}
		}
	}
	cal := calendar.New()
	if err := cal.AddAll(entries); err != nil {
		return nil, err
	}
	return cal.Check(r, calendar.Entry{ID: c.key, Workspace: c.pl.Workspace, Channel: ch, At: at, Zone: c.zone, Status: calendar.StatusScheduled})
}

// book books p's target on channel at the instant pick chooses (given the
// current plan and a checker), in one compare-and-swap of the plan; with
// queued the booking joins the channel's queue. It returns the instant.
func (s *Service) book(ctx context.Context, p Post, channel string, queued *QueueSlot, pick func(pl ChannelPlan, c *checker) (time.Time, error)) (time.Time, error) {
	key := TargetKey(p.ID, channel)
	zone := s.zoneOf(p, channel)
	var at time.Time
	_, err := s.updatePlan(ctx, channel, func(pl *ChannelPlan) (bool, error) {
		var err error
		at, err = pick(*pl, &checker{s: s, ctx: ctx, pl: *pl, post: p, key: key, zone: zone})
		if err != nil {
			return false, err
		}
		if pl.Bookings == nil {
			pl.Bookings = map[string]Booking{}
		}
		pl.Bookings[key] = Booking{At: at.UTC(), Zone: zone}
		pl.Queue = slices.DeleteFunc(pl.Queue, func(q QueueSlot) bool { return q.Key == key })
		if queued != nil {
			pl.Queue = append(pl.Queue, *queued)
		}
		sortQueue(pl)
		return true, nil
	})
	return at.UTC(), err
}

// sortQueue keeps a plan's queue in the order of its bookings' instants.
func sortQueue(pl *ChannelPlan) {
	slices.SortStableFunc(pl.Queue, func(a, b QueueSlot) int {
		return pl.Bookings[a.Key].At.Compare(pl.Bookings[b.Key].At)
	})
}

// bookAt books every target of p at its own instant, checking the rules;
// on a refusal nothing stays booked.
func (s *Service) bookAt(ctx context.Context, p Post) error {
	var done []string
	var errs []error
	for _, t := range p.Targets {
		_, err := s.book(ctx, p, t.Channel, nil, func(_ ChannelPlan, c *checker) (time.Time, error) {
			vs, err := c.violations(t.At)
			if err != nil {
				return time.Time{}, err
			}
			if len(vs) > 0 {
				return time.Time{}, &RuleError{Post: p.ID, Violations: vs}
			}
			return t.At, nil
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		done = append(done, t.Channel)
	}
	if err := joinRuleErrors(p.ID, errs); err != nil {
		s.unbook(ctx, p.ID, done)
		return err
	}
	return nil
}

// joinRuleErrors merges the RuleErrors of several channels into one.
func joinRuleErrors(post string, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	all := &RuleError{Post: post}
	for _, err := range errs {
		var re *RuleError
		if !errors.As(err, &re) {
			return errors.Join(errs...)
		}
		all.Violations = append(all.Violations, re.Violations...)
	}
	return all
}

// unbook releases the bookings (and queue positions) of post on channels.
// A failure is logged: a stale booking only keeps a slot free.
func (s *Service) unbook(ctx context.Context, post string, channels []string) {
	s.unbookKnown(ctx, post, channels, nil)
}

// unbookKnown is unbook starting from known, the plan of one of the
// channels as read a moment ago (see updatePlanFrom; nil: none).
func (s *Service) unbookKnown(ctx context.Context, post string, channels []string, known *ChannelPlan) {
	for _, ch := range channels {
		key := TargetKey(post, ch)
		_, err := s.updatePlanFrom(context.WithoutCancel(ctx), ch, known, func(pl *ChannelPlan) (bool, error) {
			_, booked := pl.Bookings[key]
			if !booked && !slices.ContainsFunc(pl.Queue, func(q QueueSlot) bool { return q.Key == key }) {
				return false, nil
			}
			delete(pl.Bookings, key)
			pl.Queue = slices.DeleteFunc(pl.Queue, func(q QueueSlot) bool { return q.Key == key })
			return true, nil
		})
		if err != nil {
			s.log.WarnContext(ctx, "release booking", "post", post, "channel", ch, "err", err)
		}
	}
}

// release releases what the targets of p that left the plan held: their
// bookings and queue positions, and their asset usages. Every exit from
// the plan calls it after the post was written: published, failed,
// cancelled, unscheduled, archived, edited back to review.
func (s *Service) release(ctx context.Context, p Post) {
	s.releaseKnown(ctx, p, nil)
}

// releaseKnown is release starting from known, the plan of one of p's
// channels as read a moment ago (see updatePlanFrom; nil: none).
func (s *Service) releaseKnown(ctx context.Context, p Post, known *ChannelPlan) {
	var gone []string
	for _, t := range p.Targets {
		if !holdsSlot(p, t) {
			gone = append(gone, t.Channel)
		}
	}
	if len(gone) == 0 {
		return
	}
	s.unbookKnown(ctx, p.ID, gone, known)
	r, ok := s.assets.(assetReleaser)
	if !ok {
		return
	}
	for _, ch := range gone {
		for _, m := range p.ContentFor(ch).Media {
			if err := r.ReleaseAsset(ctx, m.Asset, p.ID, ch); err != nil && !errors.Is(err, socialflow.ErrNotFound) {
				s.log.WarnContext(ctx, "release asset usage", "post", p.ID, "asset", m.Asset, "err", err)
			}
		}
	}
}

// assetReleaser is implemented by asset checkers that track usage.
type assetReleaser interface {
	ReleaseAsset(ctx context.Context, asset, post, channel string) error
}

// ReleaseAsset removes the usage of asset by post on channel: the target
// left the plan (published, cancelled, unscheduled, archived or edited
// back to review), so it no longer keeps the asset from being deleted.
func (l LibraryAssets) ReleaseAsset(ctx context.Context, asset, post, channel string) error {
	return l.Lib.Release(ctx, asset, post, channel)
}

// queueChannel checks that actor may manage channel's queue, and returns
// the channel.
func (s *Service) queueChannel(ctx context.Context, actor, channel string) (team.Channel, error) {
	c, ok := s.team.Channel(channel)
	if !ok {
		return team.Channel{}, &NotFoundError{Kind: "channel", ID: channel}
	}
	return c, s.allow(ctx, actor, team.PermManageQueue, team.Scope{Workspace: c.WorkspaceID, Channel: channel})
}

// SetPostingSlots sets a channel's posting slots; the queue keeps its
// posts and their slots. actor needs [team.PermManageQueue] on the channel.
func (s *Service) SetPostingSlots(ctx context.Context, actor, channel string, sc calendar.Schedule) error {
	c, err := s.queueChannel(ctx, actor, channel)
	if err != nil {
		return err
	}
	if sc.Zone == "" {
		sc.Zone = c.Zone
	}
	if _, err := sc.Compile(); err != nil {
		return err
	}
	if _, err := s.updatePlan(ctx, channel, func(pl *ChannelPlan) (bool, error) { pl.Slots = &sc; return true, nil }); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: "queue.slots", Object: "channel:" + channel,
		Summary: fmt.Sprintf("%v %v %s %s", sc.Days, sc.Times, sc.RRule, sc.Zone)})
}

// SetRules sets a channel's scheduling rules (minimum gap, maximum per day,
// blackouts), checked on every booking and, for blackouts, again by the
// dispatcher at the slot. actor needs [team.PermManageQueue].
func (s *Service) SetRules(ctx context.Context, actor, channel string, r calendar.Rules) error {
	c, err := s.queueChannel(ctx, actor, channel)
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	if _, err := s.updatePlan(ctx, channel, func(pl *ChannelPlan) (bool, error) { pl.Rules = r; return true, nil }); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: "queue.rules", Object: "channel:" + channel})
}

// ChannelPlan returns a channel's stored plan (slots, rules, pause, queue
// and bookings). actor needs [team.PermViewCalendar] on the channel.
func (s *Service) ChannelPlan(ctx context.Context, actor, channel string) (ChannelPlan, error) {
	c, ok := s.team.Channel(channel)
	if !ok {
		return ChannelPlan{}, &NotFoundError{Kind: "channel", ID: channel}
	}
	if err := s.allow(ctx, actor, team.PermViewCalendar, team.Scope{Workspace: c.WorkspaceID, Channel: channel}); err != nil {
		return ChannelPlan{}, err
	}
	return s.store.Plan(ctx, channel)
}

// planHorizon is how far ahead a queue looks for a free slot.
const planHorizon = 2 * 366 * 24 * time.Hour

// nextFree returns the first posting slot after now that c accepts.
func nextFree(pl ChannelPlan, c *checker, now time.Time) (time.Time, error) {
	if pl.Slots == nil {
		return time.Time{}, &ValidationError{Field: "channel", Value: pl.Channel, Reason: "has no posting slots (SetPostingSlots)"}
	}
	if pl.Paused {
		return time.Time{}, &ValidationError{Field: "queue", Value: pl.Channel, Reason: "the queue is paused"}
	}
	sl, err := pl.Slots.Compile()
	if err != nil {
		return time.Time{}, err
	}
	c.oneSlot = true
	const step = 31 * 24 * time.Hour
	for from := now; from.Before(now.Add(planHorizon)); from = from.Add(step) {
		slots, err := sl.Between(from.Add(time.Nanosecond), from.Add(step).Add(time.Nanosecond))
		if err != nil {
			return time.Time{}, err
		}
		for _, at := range slots {
			vs, err := c.violations(at)
			if err != nil {
				return time.Time{}, err
			}
			if len(vs) == 0 {
				return at, nil
			}
		}
	}
	return time.Time{}, &ValidationError{Field: "queue", Value: pl.Channel, Reason: "no free slot within two years"}
}

// AddToQueue schedules an approved post into each target channel's next
// free posting slot (a slot holds one post and keeps the channel's rules;
// a slot freed by a cancelled, unscheduled or edited post is taken again).
// Targets on different channels may get different times. actor needs
// [team.PermSchedule] on every target channel.
func (s *Service) AddToQueue(ctx context.Context, actor, id string) (Post, error) {
	return s.addToQueue(ctx, actor, id, false, nil)
}

// InsertTop puts an approved post first in each target channel's queue:
// it takes the queue's earliest slot and every queued post moves to the
// next one (the last to the next free slot). actor needs [team.PermSchedule]
// and [team.PermManageQueue] on every target channel.
func (s *Service) InsertTop(ctx context.Context, actor, id string) (Post, error) {
	return s.addToQueue(ctx, actor, id, true, nil)
}

func (s *Service) addToQueue(ctx context.Context, actor, id string, top bool, ev *Evergreen) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, team.PermSchedule, p); err != nil {
		return Post{}, err
	}
	if top {
		if err := s.allowTargets(ctx, actor, team.PermManageQueue, p); err != nil {
			return Post{}, err
		}
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
	var booked []string
	for _, t := range p.Targets {
		at, err := s.book(ctx, p, t.Channel, &QueueSlot{Key: TargetKey(id, t.Channel), Evergreen: ev}, func(pl ChannelPlan, c *checker) (time.Time, error) {
			return nextFree(pl, c, now)
		})
		if err != nil {
			s.unbook(ctx, id, booked)
			return Post{}, err
		}
		booked = append(booked, t.Channel)
		slots[t.Channel] = at
	}
	if err := s.assetsUsable(ctx, p, slots); err != nil {
		s.unbook(ctx, id, booked)
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
		s.unbook(ctx, id, booked)
		return Post{}, err
	}
	s.recordUsage(ctx, p, now)
	action := "post.queue"
	if top {
		for _, t := range p.Targets {
			if err := s.moveToTop(ctx, actor, t.Channel, TargetKey(id, t.Channel)); err != nil {
				return p, err
			}
		}
		action = "post.queue_top"
		if p, err = s.store.GetPost(ctx, id); err != nil {
			return Post{}, err
		}
		first = p.At
	}
	summary, data := "first slot "+first.UTC().Format(time.RFC3339), map[string]string{"at": first.UTC().Format(time.RFC3339Nano)}
	if ev != nil {
		action = "post.queue_evergreen"
		summary += ", evergreen " + ev.String()
		data["evergreen"] = ev.String()
	}
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: action, Object: "post:" + p.ID, Version: p.Version,
		Summary: summary, Data: data})
}

// moveToTop moves key to the front of channel's queue.
func (s *Service) moveToTop(ctx context.Context, actor, channel, key string) error {
	return s.reorder(ctx, actor, channel, func(keys []string) ([]string, error) {
		rest := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == key })
		return append([]string{key}, rest...), nil
	}, "")
}

// ReorderQueue puts a channel's queued posts in the order of posts (post
// IDs, each queued post exactly once): the queue's slots stay, and the
// posts take them in the new order. actor needs [team.PermManageQueue].
func (s *Service) ReorderQueue(ctx context.Context, actor, channel string, posts []string) error {
	return s.reorder(ctx, actor, channel, func(keys []string) ([]string, error) {
		if len(posts) != len(keys) {
			return nil, &ValidationError{Field: "posts", Value: fmt.Sprint(len(posts)), Reason: fmt.Sprintf("must list each of the %d queued posts once", len(keys))}
		}
		out := make([]string, 0, len(posts))
		for _, id := range posts {
			k := TargetKey(id, channel)
			if !slices.Contains(keys, k) || slices.Contains(out, k) {
				return nil, &ValidationError{Field: "posts", Value: echo.Short(id), Reason: "not queued on the channel, or listed twice"}
			}
			out = append(out, k)
		}
		return out, nil
	}, "queue.reorder")
}

// ShuffleQueue puts a channel's queued posts in a random order drawn from
// seed (the same seed gives the same order); the queue's slots stay.
// actor needs [team.PermManageQueue].
func (s *Service) ShuffleQueue(ctx context.Context, actor, channel string, seed uint64) error {
	return s.reorder(ctx, actor, channel, func(keys []string) ([]string, error) {
		out := slices.Clone(keys)
		r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out, nil
	}, "queue.shuffle")
}

// reorder gives the queue's slots (its bookings' instants, in time order)
// to the queued targets in the order order returns, in one plan write,
// then moves each post whose slot changed. Only targets still scheduled
// take part. With an action, the change is audited.
func (s *Service) reorder(ctx context.Context, actor, channel string, order func(keys []string) ([]string, error), action string) error {
	c, err := s.queueChannel(ctx, actor, channel)
	if err != nil {
		return err
	}
	moved := map[string]time.Time{}
	_, err = s.updatePlan(ctx, channel, func(pl *ChannelPlan) (bool, error) {
		clear(moved)
		sortQueue(pl)
		keys := make([]string, len(pl.Queue))
		instants := make([]time.Time, len(pl.Queue))
		for i, q := range pl.Queue {
			keys[i], instants[i] = q.Key, pl.Bookings[q.Key].At
		}
		next, err := order(keys)
		if err != nil {
			return false, err
		}
		byKey := map[string]QueueSlot{}
		for _, q := range pl.Queue {
			byKey[q.Key] = q
		}
		for i, k := range next {
			b := pl.Bookings[k]
			if !b.At.Equal(instants[i]) {
				b.At = instants[i]
				pl.Bookings[k] = b
				moved[k] = instants[i]
			}
			pl.Queue[i] = byKey[k]
		}
		return len(moved) > 0, nil
	})
	if err != nil {
		return err
	}
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(moved)) {
		post := strings.TrimSuffix(k, "/"+channel)
		if err := s.moveTarget(ctx, post, channel, moved[k]); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if action == "" {
		return nil
	}
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: action, Object: "channel:" + channel, Summary: fmt.Sprintf("%d post(s) moved", len(moved))})
}

// moveTarget sets the instant of a scheduled target (its booking already
// moved), retrying on a concurrent change of the post.
func (s *Service) moveTarget(ctx context.Context, post, channel string, at time.Time) error {
	for range maxPlanTries {
		p, err := s.store.GetPost(ctx, post)
		if err != nil {
			return err
		}
		t := p.Target(channel)
		if t == nil || t.State != TargetScheduled {
			return nil // it left the queue meanwhile
		}
		t.At = at
		p.At = time.Time{}
		for _, o := range p.Targets {
			if o.State == TargetScheduled && (p.At.IsZero() || o.At.Before(p.At)) {
				p.At = o.At
			}
		}
		p.UpdatedAt = s.now()
		_, err = s.store.UpdatePost(ctx, p)
		var ce *ConflictError
		if errors.As(err, &ce) && ce.Kind == ConflictPost {
			continue
		}
		return err
	}
	return &ConflictError{Kind: ConflictPost, ID: post}
}

// PauseQueue pauses (or resumes) a channel: a paused channel's queue
// plans nothing and the dispatcher publishes nothing on it. Targets keep
// their slots: on resume, those still in the future go out as planned and
// those that fell due during the pause go out at the next dispatcher
// step, unless a blackout covers that instant. actor needs
// [team.PermManageQueue] on the channel; the change is audited.
func (s *Service) PauseQueue(ctx context.Context, actor, channel string, paused bool) error {
	c, err := s.queueChannel(ctx, actor, channel)
	if err != nil {
		return err
	}
	if _, err := s.updatePlan(ctx, channel, func(pl *ChannelPlan) (bool, error) {
		if pl.Slots == nil {
			return false, &ValidationError{Field: "channel", Value: channel, Reason: "has no posting slots (SetPostingSlots)"}
		}
		pl.Paused = paused
		return true, nil
	}); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: c.WorkspaceID, Actor: actor, Action: "queue.pause", Object: "channel:" + channel, Summary: fmt.Sprint(paused)})
}

// PauseWorkspace is the emergency pause (or its end, with paused false):
// while set, the dispatcher publishes nothing of the workspace and every
// due target waits. Targets keep their slots, as with [Service.PauseQueue].
// actor needs [team.PermManageQueue] on the workspace (a member restricted to
// some channels cannot pause all of them); the change is audited with the
// reason.
func (s *Service) PauseWorkspace(ctx context.Context, actor, workspace string, paused bool, reason string) error {
	if err := s.allow(ctx, actor, team.PermManageQueue, team.Scope{Workspace: workspace}); err != nil {
		return err
	}
	if err := s.updateWorkspacePlan(ctx, workspace, func(wp *WorkspacePlan) { wp.Paused = paused }); err != nil {
		return err
	}
	action := "workspace.pause"
	if !paused {
		action = "workspace.resume"
	}
	return s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: action, Object: "workspace:" + workspace, Summary: reason})
}

// updateWorkspacePlan applies f to the workspace's plan under optimistic
// concurrency, retrying on a conflict.
func (s *Service) updateWorkspacePlan(ctx context.Context, workspace string, f func(wp *WorkspacePlan)) error {
	for range maxPlanTries {
		wp, err := s.store.WorkspacePlan(ctx, workspace)
		if err != nil {
			return err
		}
		f(&wp)
		_, err = s.store.PutWorkspacePlan(ctx, wp)
		var ce *ConflictError
		if errors.As(err, &ce) && ce.Kind == ConflictWorkspacePlan {
			continue
		}
		return err
	}
	return &ConflictError{Kind: ConflictWorkspacePlan, ID: workspace}
}

// HoldError says why the dispatcher holds a due target instead of
// publishing it: an emergency pause of the workspace or the channel, or a
// blackout covering the instant (Until is its end). It matches
// socialflow.ErrConflict.
type HoldError struct {
	Workspace, Channel string
	Reason             string    // "workspace paused", "channel paused", "blackout <id>"
	Until              time.Time // when a blackout ends; zero for a pause
}

func (e *HoldError) Error() string {
	return fmt.Sprintf("workflow: publishing on %s/%s is held: %s", echo.Quote(e.Workspace), echo.Quote(e.Channel), e.Reason)
}

// Is reports whether target is socialflow.ErrConflict.
func (e *HoldError) Is(target error) bool { return target == socialflow.ErrConflict }

// hold returns a *HoldError when a target on channel may not go out at
// now: the workspace or the channel is paused, or a blackout of the
// channel's rules covers now. It returns the channel's plan when it read
// it (nil when the workspace's pause decided first).
func (s *Service) hold(ctx context.Context, workspace, channel string, now time.Time) (*ChannelPlan, error) {
	wp, err := s.store.WorkspacePlan(ctx, workspace)
	if err != nil {
		return nil, err
	}
	if wp.Paused {
		return nil, &HoldError{Workspace: workspace, Channel: channel, Reason: "workspace paused"}
	}
	pl, err := s.store.Plan(ctx, channel)
	if err != nil {
		return nil, err
	}
	if pl.Paused {
		return &pl, &HoldError{Workspace: workspace, Channel: channel, Reason: "channel paused"}
	}
	for _, b := range pl.Rules.Blackouts {
		if (b.Workspace == "" || b.Workspace == workspace) && (len(b.Channels) == 0 || slices.Contains(b.Channels, channel)) &&
			!now.Before(b.Start) && now.Before(b.End) {
			return &pl, &HoldError{Workspace: workspace, Channel: channel, Reason: "blackout " + echo.Quote(b.ID), Until: b.End}
		}
	}
	return &pl, nil
}
