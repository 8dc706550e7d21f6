package analytics

import (
	"strconv"
	"time"
)

// Granularity is the length of the periods an aggregation reports.
type Granularity uint8

// Granularities. Periods are calendar periods in the query's zone, so a day
// is 23 or 25 hours long across a DST change and weeks start on Monday
// (ISO 8601).
const (
	Whole Granularity = iota // one period: the whole query interval
	Hour
	Day
	Week
	Month
)

var granularityNames = [...]string{"whole", "hour", "day", "week", "month"}

// String returns the granularity's name, e.g. "day".
func (g Granularity) String() string {
	if int(g) < len(granularityNames) {
		return granularityNames[g]
	}
	return "granularity(" + strconv.Itoa(int(g)) + ")"
}

// floorPeriod returns the start of the g-period that contains t, in loc.
func floorPeriod(t time.Time, g Granularity, loc *time.Location) time.Time {
	l := t.In(loc)
	switch g {
	case Hour:
		// Subtracting the local minutes and seconds lands on the local hour
		// boundary even in zones offset by 30 or 45 minutes.
		return l.Add(-time.Duration(l.Minute())*time.Minute - time.Duration(l.Second())*time.Second -
			time.Duration(l.Nanosecond()))
	case Day:
		y, m, d := l.Date()
		return dayStart(y, m, d, loc)
	case Week:
		y, m, d := l.Date()
		back := (int(l.Weekday()) + 6) % 7 // days since Monday
		return dayStart(y, m, d-back, loc)
	case Month:
		y, m, _ := l.Date()
		return dayStart(y, m, 1, loc)
	}
	return t
}

// nextPeriod returns the start of the period after the one starting at start.
func nextPeriod(start time.Time, g Granularity, loc *time.Location) time.Time {
	l := start.In(loc)
	y, m, d := l.Date()
	switch g {
	case Hour:
		return floorPeriod(start.Add(time.Hour+time.Minute), Hour, loc)
	case Day:
		return dayStart(y, m, d+1, loc)
	case Week:
		return dayStart(y, m, d+7, loc)
	case Month:
		return dayStart(y, m+1, 1, loc)
	}
	return start
}

// dayStart returns the first instant of the local day y-m-d. Where midnight
// does not exist (a DST jump at 00:00), that is the instant of the jump.
func dayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	want := time.Date(y, m, d, 12, 0, 0, 0, time.UTC) // normalised y-m-d
	wy, wm, wd := want.Date()
	for range 16 { // time.Date may normalise a missing midnight backwards
		ty, tm, td := t.Date()
		if ty == wy && tm == wm && td == wd {
			break
		}
		t = t.Add(15 * time.Minute)
	}
	return t
}
