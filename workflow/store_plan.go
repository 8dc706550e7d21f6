package workflow

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/socialflow/socialflow/calendar"
)

// PlanStore persists the planning state: one [ChannelPlan] per channel
// (posting slots, rules, pause, queue order and the bookings of targets
// not yet published), one [WorkspacePlan] per workspace (emergency pause,
// guidelines), the workspace's calendar events, and a range index over
// post targets by workspace and calendar time (see [Post.PlannedAt]).
//
// Plans are written under optimistic concurrency like posts: PutPlan and
// PutWorkspacePlan store their argument only when its Rev equals the
// stored Rev (0 for one never stored) and store it with Rev+1; otherwise
// they return a [*ConflictError] (Kind "plan" or "workspace_plan") naming
// the current Rev, and nothing changes. Booking a slot and checking the
// rules against the channel's bookings is therefore one atomic step: two
// writers that read the same Rev cannot both book.
type PlanStore interface {
	// Plan returns the plan of channel; a channel never planned gives a
	// plan with Rev 0 and only Channel set (not an error).
	Plan(ctx context.Context, channel string) (ChannelPlan, error)
	// PutPlan stores pl if pl.Rev is current (see the type documentation).
	PutPlan(ctx context.Context, pl ChannelPlan) (ChannelPlan, error)
	// Plans returns the stored plans of a workspace's channels, by channel.
	Plans(ctx context.Context, workspace string) ([]ChannelPlan, error)

	// WorkspacePlan returns the plan of workspace; one never stored has
	// Rev 0 and only Workspace set.
	WorkspacePlan(ctx context.Context, workspace string) (WorkspacePlan, error)
	// PutWorkspacePlan stores wp if wp.Rev is current.
	PutWorkspacePlan(ctx context.Context, wp WorkspacePlan) (WorkspacePlan, error)

	// PutCalendarEvent creates or replaces the event with (ev.Workspace, ev.ID).
	PutCalendarEvent(ctx context.Context, ev calendar.Event) error
	// DeleteCalendarEvent removes an event; a missing one is a *NotFoundError.
	DeleteCalendarEvent(ctx context.Context, workspace, id string) error
	// CalendarEvents returns a workspace's events, ordered by ID.
	CalendarEvents(ctx context.Context, workspace string) ([]calendar.Event, error)

	// PlannedPosts returns the posts of q.Workspace with at least one
	// target whose [Post.PlannedAt] lies in [q.From, q.To), each once,
	// ordered by the earliest such instant (then post ID), at most q.Limit
	// of them (0: all). A store indexes targets by (workspace, instant), so
	// the cost grows with the posts returned, not with those stored.
	PlannedPosts(ctx context.Context, q PlanQuery) ([]Post, error)
}

// PlanQuery selects posts for [PlanStore.PlannedPosts].
type PlanQuery struct {
	Workspace string
	From, To  time.Time // [From, To); both required
	Limit     int
}

// ChannelPlan is the planning document of one channel. Bookings hold the
// instant of every target on the channel that is scheduled and not yet
// published, failed or cancelled (keyed by [TargetKey]); one instant holds
// at most one booking. Queue lists the bookings made through the queue, in
// queue order (which is the order of their instants).
type ChannelPlan struct {
	Channel   string             `json:"channel"`
	Workspace string             `json:"workspace,omitempty"`
	Rev       int64              `json:"rev"`
	Slots     *calendar.Schedule `json:"slots,omitempty"` // posting slots; nil: none set
	Rules     calendar.Rules     `json:"rules,omitzero"`
	// Paused stops the channel: its queue plans nothing and the
	// dispatcher publishes nothing on it until resumed.
	Paused   bool               `json:"paused,omitempty"`
	Queue    []QueueSlot        `json:"queue,omitempty"`
	Bookings map[string]Booking `json:"bookings,omitempty"`
}

// QueueSlot is one queued target of a channel's queue. An evergreen slot
// ([Service.QueueEvergreen]) keeps its settings and how often it came back:
// the workflow books its next return when the target is published, so the
// cycle lives in the plan and ends with the queue position (cancelled,
// unscheduled, scheduled at a fixed time, edited back to review).
type QueueSlot struct {
	Key       string     `json:"key"`                 // TargetKey(post, channel)
	Evergreen *Evergreen `json:"evergreen,omitempty"` // nil: published once
	Returns   int        `json:"returns,omitempty"`   // returns booked so far
	Round     int        `json:"round,omitempty"`     // the publishing round the last return was booked for
}

// Booking is the slot a target holds on its channel.
type Booking struct {
	At   time.Time `json:"at"`   // UTC
	Zone string    `json:"zone"` // the IANA zone it was planned in (for max per day)
}

// Clone returns a deep copy of pl.
func (pl ChannelPlan) Clone() ChannelPlan {
	if pl.Slots != nil {
		sc := *pl.Slots
		sc.Days, sc.Times = slices.Clone(sc.Days), slices.Clone(sc.Times)
		pl.Slots = &sc
	}
	pl.Rules.Blackouts = slices.Clone(pl.Rules.Blackouts)
	for i := range pl.Rules.Blackouts {
		pl.Rules.Blackouts[i].Channels = slices.Clone(pl.Rules.Blackouts[i].Channels)
	}
	pl.Queue = slices.Clone(pl.Queue)
	for i := range pl.Queue {
		if ev := pl.Queue[i].Evergreen; ev != nil {
			e := *ev
			pl.Queue[i].Evergreen = &e
		}
	}
	pl.Bookings = maps.Clone(pl.Bookings)
	return pl
}

// WorkspacePlan is the planning document of one workspace.
type WorkspacePlan struct {
	Workspace string `json:"workspace"`
	Rev       int64  `json:"rev"`
	// Paused is the emergency pause: nothing of the workspace is
	// published while it is set.
	Paused     bool       `json:"paused,omitempty"`
	Guidelines Guidelines `json:"guidelines,omitzero"`
	// Inbox is the community inbox's settings and surge state.
	Inbox InboxSettings `json:"inbox,omitzero"`
}

// Clone returns a deep copy of wp.
func (wp WorkspacePlan) Clone() WorkspacePlan {
	wp.Guidelines = cloneGuidelines(wp.Guidelines)
	wp.Inbox = wp.Inbox.Clone()
	return wp
}

// PlannedAt returns the instant the target of channel shows on the
// calendar: its own time, else the post's; false for a target without a
// time, a cancelled target, or a cancelled or archived post. Stores index
// targets by it ([PlanStore.PlannedPosts]).
func (p Post) PlannedAt(channel string) (time.Time, bool) {
	t := p.Target(channel)
	if t == nil || t.State == TargetCancelled || p.State == StateCancelled || p.State == StateArchived {
		return time.Time{}, false
	}
	at := t.At
	if at.IsZero() {
		at = p.At
	}
	return at, !at.IsZero()
}

func cloneGuidelines(g Guidelines) Guidelines {
	for _, l := range []*[]string{&g.BannedWords, &g.RequiredWords, &g.BannedHashtags, &g.RequiredHashtags,
		&g.DisclosureLabels, &g.DisclosureTags, &g.RequiredURLParams, &g.BannedDomains} {
		*l = slices.Clone(*l)
	}
	g.Notes = maps.Clone(g.Notes)
	return g
}
