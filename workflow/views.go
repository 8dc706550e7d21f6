package workflow

import (
	"context"
	"slices"
	"time"

	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/workflow/team"
)

// The calendar views are built from the store on every call: a range
// query over the workspace's planned targets ([PlanStore.PlannedPosts],
// indexed by workspace and time) and its stored events, so every replica
// and a restarted Service show the same calendar. Each view authorizes
// [team.PermViewCalendar] and applies the member's view scope: a member
// restricted to some channels sees only their entries.

// CalendarQuery selects the entries of [Service.CalendarRange].
type CalendarQuery struct {
	Workspace string
	From, To  time.Time // [From, To), both required
	// Channels and Statuses filter further (empty: all the actor may see).
	Channels []string
	Statuses []calendar.Status
}

// CalendarRange returns the calendar entries of a workspace in [q.From,
// q.To), one per planned target, ordered by (At, ID). actor needs
// [team.PermViewCalendar].
func (s *Service) CalendarRange(ctx context.Context, actor string, q CalendarQuery) ([]calendar.Entry, error) {
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, &ValidationError{Field: "calendar range", Value: q.From.String() + "/" + q.To.String(), Reason: "needs From and To, To not before From"}
	}
	cal, cq, err := s.calendarOf(ctx, actor, q.Workspace, q.From, q.To)
	if err != nil {
		return nil, err
	}
	cq.From, cq.To, cq.Statuses = q.From, q.To, q.Statuses
	if len(q.Channels) > 0 {
		cq.Channels = slices.DeleteFunc(slices.Clone(q.Channels), func(c string) bool {
			return len(cq.Channels) > 0 && !slices.Contains(cq.Channels, c)
		})
		if len(cq.Channels) == 0 {
			return nil, nil
		}
	}
	return cal.Entries(cq)
}

// DayView returns the civil day holding day in zone, for the channels of
// workspace actor may see. actor needs [team.PermViewCalendar].
func (s *Service) DayView(ctx context.Context, actor, workspace string, day time.Time, zone string) (calendar.View, error) {
	loc, err := loadZone(zone)
	if err != nil {
		return calendar.View{}, err
	}
	cal, q, err := s.calendarOf(ctx, actor, workspace, day.AddDate(0, 0, -2), day.AddDate(0, 0, 2))
	if err != nil {
		return calendar.View{}, err
	}
	return cal.DayView(q, day, loc)
}

// WeekView returns the week containing day as seen in zone, weeks starting
// on weekStart, for the channels of workspace actor may see. actor needs
// [team.PermViewCalendar].
func (s *Service) WeekView(ctx context.Context, actor, workspace string, day time.Time, zone string, weekStart time.Weekday) (calendar.View, error) {
	loc, err := loadZone(zone)
	if err != nil {
		return calendar.View{}, err
	}
	cal, q, err := s.calendarOf(ctx, actor, workspace, day.AddDate(0, 0, -9), day.AddDate(0, 0, 9))
	if err != nil {
		return calendar.View{}, err
	}
	return cal.WeekView(q, day, loc, weekStart)
}

// MonthView returns the month holding day in zone as a grid of whole weeks
// starting on weekStart (see [calendar.Calendar.MonthView]), for the
// channels of workspace actor may see. actor needs [team.PermViewCalendar].
func (s *Service) MonthView(ctx context.Context, actor, workspace string, day time.Time, zone string, weekStart time.Weekday) (calendar.View, error) {
	loc, err := loadZone(zone)
	if err != nil {
		return calendar.View{}, err
	}
	y, m, _ := day.In(loc).Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	cal, q, err := s.calendarOf(ctx, actor, workspace, first.AddDate(0, 0, -9), first.AddDate(0, 1, 9))
	if err != nil {
		return calendar.View{}, err
	}
	return cal.MonthView(q, day, loc, weekStart)
}

func loadZone(zone string) (*time.Location, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		return nil, &ValidationError{Field: "zone", Value: zone, Reason: "unknown IANA time zone"}
	}
	return loc, nil
}

// calendarOf returns a calendar of the workspace's entries planned in
// [from, to) that actor may see, with its stored events, and the query
// selecting them (the actor's visible channels).
func (s *Service) calendarOf(ctx context.Context, actor, workspace string, from, to time.Time) (*calendar.Calendar, calendar.Query, error) {
	v, err := s.viewScope(ctx, actor, workspace)
	if err != nil {
		return nil, calendar.Query{}, err
	}
	q := calendar.Query{Workspace: workspace}
	if !v.all {
		for _, c := range s.team.Channels(workspace) {
			if v.channel(c.ID) {
				q.Channels = append(q.Channels, c.ID)
			}
		}
		if len(q.Channels) == 0 {
			return nil, calendar.Query{}, v.denied
		}
	}
	posts, err := s.store.PlannedPosts(ctx, PlanQuery{Workspace: workspace, From: from, To: to})
	if err != nil {
		return nil, calendar.Query{}, err
	}
	entries := make([]calendar.Entry, 0, len(posts))
	for _, p := range posts {
		for _, e := range s.entries(p) {
			if v.channel(e.Channel) && !e.At.Before(from) && e.At.Before(to) {
				entries = append(entries, e)
			}
		}
	}
	cal := calendar.New()
	if err := cal.AddAll(entries); err != nil {
		return nil, calendar.Query{}, err
	}
	evs, err := s.store.CalendarEvents(ctx, workspace)
	if err != nil {
		return nil, calendar.Query{}, err
	}
	for _, ev := range evs {
		if err := cal.AddEvent(ev); err != nil {
			return nil, calendar.Query{}, err
		}
	}
	return cal, q, nil
}

// AddCalendarEvent stores a calendar event that is not a post (a holiday,
// an observance, a launch, a campaign window), shown in every view of its
// workspace; an event with the same ID is replaced. actor needs
// [team.PermManageQueue] in the event's workspace; the change is audited.
func (s *Service) AddCalendarEvent(ctx context.Context, actor string, ev calendar.Event) error {
	if err := s.allow(ctx, actor, team.PermManageQueue, team.Scope{Workspace: ev.Workspace}); err != nil {
		return err
	}
	if err := ev.Validate(); err != nil {
		return err
	}
	if err := s.store.PutCalendarEvent(ctx, ev); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: ev.Workspace, Actor: actor, Action: "calendar.event_add", Object: "event:" + ev.ID,
		Summary: string(ev.Kind) + " " + preview(ev.Title)})
}

// RemoveCalendarEvent removes a stored calendar event. actor needs
// [team.PermManageQueue] in the workspace; the change is audited.
func (s *Service) RemoveCalendarEvent(ctx context.Context, actor, workspace, id string) error {
	if err := s.allow(ctx, actor, team.PermManageQueue, team.Scope{Workspace: workspace}); err != nil {
		return err
	}
	if err := s.store.DeleteCalendarEvent(ctx, workspace, id); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "calendar.event_remove", Object: "event:" + id})
}

// CalendarEvents returns a workspace's stored calendar events, by ID.
// actor needs [team.PermViewCalendar].
func (s *Service) CalendarEvents(ctx context.Context, actor, workspace string) ([]calendar.Event, error) {
	if _, err := s.viewScope(ctx, actor, workspace); err != nil {
		return nil, err
	}
	return s.store.CalendarEvents(ctx, workspace)
}
