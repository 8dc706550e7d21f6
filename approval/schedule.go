package approval

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/internal/wall"
)

// BusinessHours is a working week in one IANA time zone: the working days,
// the daily opening hours in wall time, and holidays. Deadlines measured in
// business hours only count time inside those hours.
//
// The zero BusinessHours is Monday to Friday, 09:00 to 17:00 UTC, with no
// holidays. Days are civil dates in the zone and opening hours are wall
// times, so a working day keeps its wall-clock hours across DST changes. An
// opening or closing time that a DST change skips moves forward by the gap,
// and one that happens twice means its first occurrence (RFC 5545 §3.3.5);
// zones whose clocks skip midnight (America/Santiago) work too.
type BusinessHours struct {
	// Zone is the IANA zone name ("Europe/Oslo"); "" means UTC. It is
	// resolved with [time.LoadLocation] on every use unless Location is set,
	// so a host that computes many deadlines sets Location once.
	Zone string `json:"zone,omitempty"`
	// Location, when set, is used instead of Zone.
	Location *time.Location `json:"-"`
	// Days are the working weekdays; empty means Monday to Friday.
	Days []time.Weekday `json:"days,omitempty"`
	// Start and End are the daily hours as "15:04" wall time; empty means
	// "09:00" and "17:00". End may be "24:00". Start must be before End.
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	// Holidays are non-working dates as "2006-01-02" in the zone.
	Holidays []string `json:"holidays,omitempty"`
}

// maxScanDays bounds the day-by-day walk of [BusinessHours.Add].
const maxScanDays = 20000

type hours struct {
	loc        *time.Location
	days       [7]bool
	start, end int // minutes after midnight
	holidays   map[[3]int]bool
}

// Validate checks the zone, days, hours and holidays and returns a
// *[PolicyError] (errors.Is ErrInvalid) for the first problem.
func (b BusinessHours) Validate() error {
	_, err := b.compile()
	return err
}

func parseClock(field, s, def string) (int, error) {
	if s == "" {
		s = def
	}
	bad := &PolicyError{Field: field, Value: s, Reason: "not a wall time such as \"09:00\""}
	if len(s) != 5 || s[2] != ':' {
		return 0, bad
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) || s[0] == '+' || s[3] == '+' {
		return 0, bad
	}
	return h*60 + m, nil
}

func (b BusinessHours) compile() (*hours, error) {
	h := &hours{loc: b.Location}
	if h.loc == nil {
		if b.Zone == "" {
			h.loc = time.UTC
		} else {
			loc, err := time.LoadLocation(b.Zone)
			if err != nil {
				return nil, &PolicyError{Field: "zone", Value: b.Zone, Reason: "unknown IANA time zone"}
			}
			h.loc = loc
		}
	}
	if len(b.Days) == 0 {
		for d := time.Monday; d <= time.Friday; d++ {
			h.days[d] = true
		}
	}
	for i, d := range b.Days {
		if d < time.Sunday || d > time.Saturday {
			return nil, &PolicyError{Field: fmt.Sprintf("days[%d]", i), Value: strconv.Itoa(int(d)), Reason: "weekday must be 0 (Sunday) to 6 (Saturday)"}
		}
		h.days[d] = true
	}
	var err error
	if h.start, err = parseClock("start", b.Start, "09:00"); err != nil {
		return nil, err
	}
	if h.end, err = parseClock("end", b.End, "17:00"); err != nil {
		return nil, err
	}
	if h.start >= h.end {
		return nil, &PolicyError{Field: "end", Value: b.End, Reason: "working hours must end after they start"}
	}
	if len(b.Holidays) > 0 {
		h.holidays = make(map[[3]int]bool, len(b.Holidays))
	}
	for i, s := range b.Holidays {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, &PolicyError{Field: fmt.Sprintf("holidays[%d]", i), Value: s, Reason: "not a date such as \"2026-12-25\""}
		}
		h.holidays[[3]int{t.Year(), int(t.Month()), t.Day()}] = true
	}
	return h, nil
}

// Add returns the instant at which d of working time has elapsed after
// start: time outside the working hours, on non-working days and on holidays
// does not count. A start outside working hours begins counting at the next
// opening. d must be positive. It returns a *[PolicyError] for invalid
// hours, or when the working time cannot be found within about 50 years.
func (b BusinessHours) Add(start time.Time, d time.Duration) (time.Time, error) {
	h, err := b.compile()
	if err != nil {
		return time.Time{}, err
	}
	return h.add(start, d)
}

func (h *hours) add(start time.Time, d time.Duration) (time.Time, error) {
	if d <= 0 {
		return time.Time{}, &PolicyError{Field: "within", Value: d.String(), Reason: "duration must be positive"}
	}
	t := start.In(h.loc)
	remaining := d
	// Walk civil dates (noon UTC stands for a date, so a skipped local
	// midnight cannot stall the walk) and place each day's opening and
	// closing with RFC 5545 §3.3.5's rule for gaps and repeats.
	y0, m0, d0 := t.Date()
	date := time.Date(y0, m0, d0, 12, 0, 0, 0, time.UTC)
	for range maxScanDays {
		y, m, day := date.Date()
		if h.days[date.Weekday()] && !h.holidays[[3]int{y, int(m), day}] {
			open := wall.Resolve(y, m, day, h.start/60, h.start%60, 0, h.loc)
			closing := wall.Resolve(y, m, day, h.end/60, h.end%60, 0, h.loc)
			from := t
			if from.Before(open) {
				from = open
			}
			if from.Before(closing) {
				avail := closing.Sub(from)
				if remaining <= avail {
					return from.Add(remaining), nil
				}
				remaining -= avail
			}
		}
		date = date.AddDate(0, 0, 1)
	}
	return time.Time{}, &PolicyError{Field: "business_hours", Value: d.String(), Limit: maxScanDays, Reason: "working time not reached within the scan limit in days"}
}

// Schedule is the timetable of one stage's deadline: when it opened, when it
// is due, when to remind, and when and to whom it escalates. The zero
// Schedule has no times and means "no deadline".
type Schedule struct {
	Opened    time.Time   // when the stage opened
	Due       time.Time   // when the deadline passes
	Reminders []time.Time // in increasing order, from Deadline.Reminders
	// EscalateAt is Due when OnExpiry is Escalate, zero otherwise.
	EscalateAt time.Time
	// EscalateTo lists the backup approvers (groups resolved) that join the
	// stage at EscalateAt; filled by [Evaluate], empty from
	// [Deadline.Schedule].
	EscalateTo []string
	OnExpiry   ExpiryAction // never "": Block when the deadline left it empty
}

// Schedule computes the timetable of d for a stage opened at opened. With
// BusinessHours, Within and the reminder percentages are counted in working
// time. It returns a *[PolicyError] for an invalid deadline.
func (d Deadline) Schedule(opened time.Time) (Schedule, error) {
	var h *hours
	if d.BusinessHours != nil {
		var err error
		if h, err = d.BusinessHours.compile(); err != nil {
			return Schedule{}, err
		}
	}
	return d.schedule(h, opened)
}

func (d Deadline) schedule(h *hours, opened time.Time) (Schedule, error) {
	if d.Within <= 0 {
		return Schedule{}, &PolicyError{Field: "within", Value: d.Within.String(), Reason: "deadline must be positive"}
	}
	add := func(x time.Duration) (time.Time, error) {
		if h == nil || x <= 0 {
			return opened.Add(x), nil
		}
		return h.add(opened, x)
	}
	s := Schedule{Opened: opened, OnExpiry: d.OnExpiry}
	if s.OnExpiry == "" {
		s.OnExpiry = Block
	}
	var err error
	if s.Due, err = add(time.Duration(d.Within)); err != nil {
		return Schedule{}, err
	}
	if len(d.Reminders) > 0 {
		s.Reminders = make([]time.Time, 0, len(d.Reminders))
		for _, pct := range d.Reminders {
			if pct < 1 || pct > 99 {
				return Schedule{}, &PolicyError{Field: "reminders", Value: strconv.Itoa(pct), Limit: 99, Reason: "reminder percentage must be 1–99"}
			}
			at, err := add(time.Duration(d.Within) / 100 * time.Duration(pct))
			if err != nil {
				return Schedule{}, err
			}
			s.Reminders = append(s.Reminders, at)
		}
		slices.SortFunc(s.Reminders, func(a, b time.Time) int { return a.Compare(b) })
	}
	if s.OnExpiry == Escalate {
		s.EscalateAt = s.Due
	}
	return s, nil
}
