package calendar

import (
	"slices"
	"strings"
	"time"
)

// EventOccurrence is one occurrence of an [Event] as shown in a view.
type EventOccurrence struct {
	Event
	Start, End time.Time // this occurrence
}

// Day is one civil day of a view in the viewer's zone: [Start, End) may be
// 23, 24 or 25 hours long (or 23.5 on Lord Howe Island).
type Day struct {
	Date    time.Time // midnight of the day, in the viewer's zone (or the first instant after a missing midnight)
	Start   time.Time // first instant of the day
	End     time.Time // first instant of the next day
	InRange bool      // false for the leading and trailing days of a month grid
	Entries []Entry   // entries with At in [Start, End), by (At, ID)
	Events  []EventOccurrence
}

// View is a day, week or month as a list of days in the viewer's zone.
type View struct {
	Start, End time.Time // [Start, End) covers Days
	Days       []Day
}

// Entries returns every entry of the view, in order.
func (v View) Entries() []Entry {
	var out []Entry
	for _, d := range v.Days {
		out = append(out, d.Entries...)
	}
	return out
}

// DayView returns the civil day holding day in loc. q's From and To are
// ignored; its filters apply.
func (c *Calendar) DayView(q Query, day time.Time, loc *time.Location) (View, error) {
	if loc == nil {
		return View{}, invalid("day view", "zone", "", "nil location")
	}
	y, m, d := day.In(loc).Date()
	return c.view(q, civil(y, m, d), 1, loc, nil)
}

// WeekView returns the seven days of the week holding day in loc, starting
// on weekStart, which must be time.Monday or time.Sunday.
func (c *Calendar) WeekView(q Query, day time.Time, loc *time.Location, weekStart time.Weekday) (View, error) {
	if loc == nil {
		return View{}, invalid("week view", "zone", "", "nil location")
	}
	if weekStart != time.Monday && weekStart != time.Sunday {
		return View{}, invalid("week view", "week start", weekStart.String(), "must be Monday or Sunday")
	}
	y, m, d := day.In(loc).Date()
	first := civil(y, m, d)
	first = first.AddDate(0, 0, -((int(first.Weekday()) - int(weekStart) + 7) % 7))
	return c.view(q, first, 7, loc, nil)
}

// MonthView returns the month holding day in loc as a grid of whole weeks
// starting on weekStart (time.Monday or time.Sunday). Days outside the month
// have InRange false and hold their entries too, as calendar apps show them.
func (c *Calendar) MonthView(q Query, day time.Time, loc *time.Location, weekStart time.Weekday) (View, error) {
	if loc == nil {
		return View{}, invalid("month view", "zone", "", "nil location")
	}
	if weekStart != time.Monday && weekStart != time.Sunday {
		return View{}, invalid("month view", "week start", weekStart.String(), "must be Monday or Sunday")
	}
	y, m, _ := day.In(loc).Date()
	first := civil(y, m, 1)
	last := first.AddDate(0, 1, -1)
	gridStart := first.AddDate(0, 0, -((int(first.Weekday()) - int(weekStart) + 7) % 7))
	gridEnd := last.AddDate(0, 0, 6-((int(last.Weekday())-int(weekStart)+7)%7))
	n := int(gridEnd.Sub(gridStart).Hours()/24) + 1
	return c.view(q, gridStart, n, loc, func(d time.Time) bool { return d.Month() == m })
}

// civil returns a civil date as noon UTC, safe for AddDate and Weekday.
func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func (c *Calendar) view(q Query, first time.Time, n int, loc *time.Location, inRange func(time.Time) bool) (View, error) {
	if first.Year() < 1900 || first.Year() > 9999 {
		return View{}, invalid("view", "day", first.String(), "year outside 1900-9999")
	}
	days := make([]Day, n)
	for i := range days {
		d := first.AddDate(0, 0, i)
		y, m, dd := d.Date()
		start := Resolve(y, m, dd, 0, 0, 0, loc)
		ny, nm, nd := d.AddDate(0, 0, 1).Date()
		days[i] = Day{Date: start, Start: start, End: Resolve(ny, nm, nd, 0, 0, 0, loc), InRange: inRange == nil || inRange(d)}
	}
	v := View{Start: days[0].Start, End: days[n-1].End, Days: days}
	q.From, q.To = v.Start, v.End
	c.mu.RLock()
	defer c.mu.RUnlock()
	var hits []*Entry
	c.scan(q, func(e *Entry) { hits = append(hits, e) })
	// One allocation for all entries; each day gets a capped sub-slice.
	all := make([]Entry, len(hits))
	i, lo := 0, 0
	for k, e := range hits {
		all[k] = *e
		for i < n-1 && !e.At.Before(days[i].End) {
			days[i].Entries = all[lo:k:k]
			i, lo = i+1, k
		}
	}
	days[i].Entries = all[lo:len(hits):len(hits)]
	for j := range days {
		if len(days[j].Entries) == 0 {
			days[j].Entries = nil
		}
	}
	for _, ev := range c.events {
		if q.Workspace != "" && ev.Workspace != q.Workspace {
			continue
		}
		if len(q.Campaigns) > 0 && !slices.Contains(q.Campaigns, ev.Campaign) {
			continue
		}
		for _, s := range ev.occurrencesOverlapping(v.Start, v.End) {
			occ := EventOccurrence{Event: ev.Event, Start: s, End: s.Add(ev.dur)}
			for j := range days {
				if occ.Start.Before(days[j].End) && occ.End.After(days[j].Start) {
					days[j].Events = append(days[j].Events, occ)
				}
			}
		}
	}
	for j := range days {
		slices.SortFunc(days[j].Events, func(a, b EventOccurrence) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
	}
	return v, nil
}
