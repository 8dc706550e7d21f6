package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/socialflow/socialflow/internal/wall"
)

// Resolve returns the instant at which the wall clock in loc reads the given
// date and time, following RFC 5545 §3.3.5 (which §3.3.10 applies to every
// recurrence instance):
//
//   - a wall time that does not exist because clocks spring forward is read
//     with the UTC offset in force before the gap, so it moves forward by the
//     length of the gap (New York 2026-03-08 02:30 is 03:30 EDT; Lord Howe's
//     2026-10-04 02:15 is 02:45 +11, its gap being 30 minutes);
//   - a wall time that occurs twice because clocks fall back is the first
//     occurrence (Oslo 2026-10-25 02:30 is 02:30 CEST, 00:30 UTC).
//
// time.Date leaves both choices unspecified (and in practice picks the
// earlier offset for some gaps and the later one for some repeats), so the
// calendar never uses it for wall-clock scheduling.
func Resolve(year int, month time.Month, day, hour, min, sec int, loc *time.Location) time.Time {
	return wall.Resolve(year, month, day, hour, min, sec, loc)
}

// TimeOfDay is a wall-clock time of day, minutes after midnight (0 to
// 1439). (A time source is a Clock everywhere in socialflow; this is not
// one.)
type TimeOfDay int

// ParseTimeOfDay parses "HH:MM" (00:00 to 23:59, two digits each).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, invalid("parse time of day", "time", s, "want HH:MM")
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || s[0] == '+' || s[0] == '-' || s[3] == '+' || s[3] == '-' {
		return 0, invalid("parse time of day", "time", s, "want HH:MM")
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, invalid("parse time of day", "time", s, "outside 00:00-23:59")
	}
	return TimeOfDay(h*60 + m), nil
}

// String formats c as "HH:MM".
func (c TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Schedule describes a channel's posting slots in wall time of Zone, in one
// of two forms:
//
//   - the simple weekly form: Days (empty means every day) at each of Times
//     ("09:00", "12:30", "17:00");
//   - an RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=0")
//     with Start, DTSTART's local time in RFC 5545 form ("20260105T090000").
//     FREQ must be HOURLY or coarser: posting slots are not per minute.
//
// Both forms follow the DST rule of [Resolve]. The zero Schedule is not
// valid; Validate says why.
type Schedule struct {
	Zone  string         `json:"zone"`
	Days  []time.Weekday `json:"days,omitempty"`
	Times []string       `json:"times,omitempty"`
	RRule string         `json:"rrule,omitempty"`
	Start string         `json:"start,omitempty"`
}

// Validate checks s and returns an *InvalidError naming the bad field.
func (s Schedule) Validate() error {
	_, err := s.Compile()
	return err
}

// Slots is a compiled [Schedule]: it lists slot instants. It is immutable and
// safe for concurrent use.
type Slots struct {
	loc   *time.Location
	days  [7]bool
	times []TimeOfDay // sorted, unique
	rec   *Recurrence
}

// Compile validates s and returns its Slots.
func (s Schedule) Compile() (*Slots, error) {
	loc, err := loadZone("slots", s.Zone)
	if err != nil {
		return nil, err
	}
	sl := &Slots{loc: loc}
	if s.RRule != "" {
		if len(s.Days) > 0 || len(s.Times) > 0 {
			return nil, invalid("slots", "rrule", s.RRule, "give either days and times or an RRULE, not both")
		}
		start, err := parseLocal(s.Start)
		if err != nil {
			return nil, err
		}
		rec, err := newRecurrence("slots", s.RRule, start, loc)
		if err != nil {
			return nil, err
		}
		sl.rec = rec
		return sl, nil
	}
	if s.Start != "" {
		return nil, invalid("slots", "start", s.Start, "start is only for the RRULE form")
	}
	if len(s.Times) == 0 {
		return nil, invalid("slots", "times", "", "at least one time is required")
	}
	if len(s.Times) > 1440 {
		return nil, invalid("slots", "times", strconv.Itoa(len(s.Times)), "more than 1440 times")
	}
	for i, t := range s.Times {
		c, err := ParseTimeOfDay(t)
		if err != nil {
			ie := err.(*InvalidError)
			ie.Op, ie.Field = "slots", fmt.Sprintf("times[%d]", i)
			return nil, ie
		}
		sl.times = append(sl.times, c)
	}
	slices.Sort(sl.times)
	sl.times = slices.Compact(sl.times)
	if len(s.Days) == 0 {
		for i := range sl.days {
			sl.days[i] = true
		}
	}
	for i, d := range s.Days {
		if d < time.Sunday || d > time.Saturday {
			return nil, invalid("slots", fmt.Sprintf("days[%d]", i), strconv.Itoa(int(d)), "not a weekday")
		}
		sl.days[d] = true
	}
	return sl, nil
}

// Location returns the zone the slots are in.
func (sl *Slots) Location() *time.Location { return sl.loc }

// maxSlotRange bounds one Between call.
const maxSlotRange = 10 * 366 * 24 * time.Hour

// maxSlots bounds the number of slots one call lists.
const maxSlots = 100000

// Between returns the slot instants in [from, to), sorted and without
// duplicates (two wall times that resolve to one instant are one slot).
// A range over ten years, or one holding over 100000 slots, is an
// *InvalidError.
func (sl *Slots) Between(from, to time.Time) ([]time.Time, error) {
	if to.Before(from) {
		return nil, invalid("slots", "to", to.String(), "end before start")
	}
	if to.Sub(from) > maxSlotRange {
		return nil, invalid("slots", "range", to.Sub(from).String(), "longer than ten years")
	}
	if sl.rec != nil {
		return sl.rec.Between(from, to, maxSlots)
	}
	var out []time.Time
	d := from.In(sl.loc).AddDate(0, 0, -1)
	y, m, dd := d.Date()
	day := time.Date(y, m, dd, 12, 0, 0, 0, time.UTC) // walk civil dates at noon UTC
	endDay := to.In(sl.loc).AddDate(0, 0, 1)
	ey, em, ed := endDay.Date()
	last := time.Date(ey, em, ed, 12, 0, 0, 0, time.UTC)
	for ; !day.After(last); day = day.AddDate(0, 0, 1) {
		if !sl.days[day.Weekday()] {
			continue
		}
		y, m, dd := day.Date()
		for _, c := range sl.times {
			t := Resolve(y, m, dd, int(c)/60, int(c)%60, 0, sl.loc)
			if !t.Before(from) && t.Before(to) {
				out = append(out, t)
				if len(out) > maxSlots {
					return nil, invalid("slots", "range", to.Sub(from).String(), "more than 100000 slots")
				}
			}
		}
	}
	return sortUnique(out), nil
}

// Next returns the first slot strictly after after. It looks up to ten years
// ahead; a schedule with no slot left is a *NotFoundError.
func (sl *Slots) Next(after time.Time) (time.Time, error) {
	from := after.Add(time.Nanosecond)
	for _, span := range []time.Duration{8 * 24 * time.Hour, 62 * 24 * time.Hour, 400 * 24 * time.Hour, maxSlotRange} {
		ts, err := sl.Between(from, from.Add(span))
		if err != nil {
			return time.Time{}, err
		}
		if len(ts) > 0 {
			return ts[0], nil
		}
	}
	return time.Time{}, &NotFoundError{Op: "next slot", ID: after.UTC().Format(time.RFC3339)}
}

func sortUnique(ts []time.Time) []time.Time {
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(ts, func(a, b time.Time) bool { return a.Equal(b) })
}

// parseLocal parses an RFC 5545 local DATE-TIME ("20260105T090000").
func parseLocal(s string) (time.Time, error) {
	t, err := time.Parse("20060102T150405", s)
	if err != nil {
		return time.Time{}, &InvalidError{Op: "slots", Field: "start", Value: s, Reason: "want local time YYYYMMDDTHHMMSS", Err: err}
	}
	if t.Year() < 1900 {
		return time.Time{}, invalid("slots", "start", s, "year before 1900")
	}
	return t, nil
}

// Recurrence is an RFC 5545 RRULE anchored at a DTSTART wall time in a zone.
// rrule-go expands it in floating wall time; each instance is then placed in
// the zone by [Resolve], which makes it correct across DST (rrule-go alone
// inherits time.Date's unspecified choice, see DST tests). It is immutable
// and safe for concurrent use.
type Recurrence struct {
	opt  rrule.ROption // floating: times are wall clock readings in UTC fields
	rule string        // the RRULE value as given, normalised to upper case
	loc  *time.Location
}

// NewRecurrence parses rule (an RRULE value, with or without the "RRULE:"
// prefix) anchored at dtstart's clock reading, taken as the local time in
// zone. DTSTART inside rule, BYEASTER, FREQ=SECONDLY and FREQ=MINUTELY are
// refused; UNTIL in UTC form is converted to the zone's wall time.
func NewRecurrence(rule string, dtstart time.Time, zone string) (*Recurrence, error) {
	loc, err := loadZone("rrule", zone)
	if err != nil {
		return nil, err
	}
	y, m, d := dtstart.Date()
	h, mi, s := dtstart.Clock()
	return newRecurrence("rrule", rule, time.Date(y, m, d, h, mi, s, 0, time.UTC), loc)
}

func newRecurrence(op, rule string, naiveStart time.Time, loc *time.Location) (*Recurrence, error) {
	raw := rule
	if len(rule) > 1024 {
		return nil, invalid(op, "rrule", rule, "longer than 1024 bytes")
	}
	rule = strings.ToUpper(strings.TrimSpace(rule))
	rule = strings.TrimPrefix(rule, "RRULE:")
	if rule == "" || strings.ContainsAny(rule, "\r\n\t :\"") || strings.Contains(rule, "DTSTART") || strings.Contains(rule, "BYEASTER") {
		return nil, invalid(op, "rrule", raw, "not an RRULE value")
	}
	opt, err := rrule.StrToROptionInLocation(rule, time.UTC)
	if err != nil {
		return nil, &InvalidError{Op: op, Field: "rrule", Value: raw, Reason: "not an RRULE value", Err: err}
	}
	if opt.Freq == rrule.SECONDLY || opt.Freq == rrule.MINUTELY {
		return nil, invalid(op, "rrule", raw, "FREQ finer than HOURLY")
	}
	for _, part := range strings.Split(rule, ";") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "INTERVAL", "COUNT":
			if n, err := strconv.Atoi(v); err != nil || n < 1 {
				return nil, invalid(op, "rrule", raw, k+" must be a positive integer")
			}
		case "UNTIL":
			if len(v) == 8 {
				return nil, invalid(op, "rrule", raw, "UNTIL must be a date-time, as DTSTART is")
			}
			if strings.HasSuffix(v, "Z") {
				// A UTC instant: compare it with floating times as the
				// zone's wall clock reading at that instant.
				u := opt.Until.In(loc)
				y, m, d := u.Date()
				h, mi, s := u.Clock()
				opt.Until = time.Date(y, m, d, h, mi, s, 0, time.UTC)
			}
		}
	}
	if naiveStart.Year() < 1900 || naiveStart.Year() > 9999 {
		return nil, invalid(op, "start", naiveStart.String(), "year outside 1900-9999")
	}
	opt.Dtstart = naiveStart
	if _, err := rrule.NewRRule(*opt); err != nil {
		return nil, &InvalidError{Op: op, Field: "rrule", Value: raw, Reason: "not an RRULE value", Err: err}
	}
	rec := &Recurrence{opt: *opt, rule: rule, loc: loc}
	probe := rec.opt
	probe.Until, probe.Count = time.Time{}, 1
	if !opt.Until.IsZero() {
		probe.Until = opt.Until
	}
	next, _, err := rec.iterate(probe)
	if err != nil {
		return nil, err
	}
	if _, ok := next(); !ok {
		return nil, invalid(op, "rrule", raw, "yields no instance")
	}
	return rec, nil
}

// String returns the RRULE value (without "RRULE:"), upper case.
func (r *Recurrence) String() string { return r.rule }

// ICalValue returns the RRULE value for a DTSTART with a TZID: as String,
// but a floating UNTIL is converted to UTC, as RFC 5545 §3.3.10 requires.
func (r *Recurrence) ICalValue() string {
	parts := strings.Split(r.rule, ";")
	for i, p := range parts {
		if v, ok := strings.CutPrefix(p, "UNTIL="); ok && !strings.HasSuffix(v, "Z") {
			u := r.opt.Until
			t := Resolve(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), r.loc)
			parts[i] = "UNTIL=" + t.UTC().Format("20060102T150405Z")
		}
	}
	return strings.Join(parts, ";")
}

// Between returns the instances in [from, to), sorted and without duplicates.
// Listing more than max instances from DTSTART through to is an
// *InvalidError.
func (r *Recurrence) Between(from, to time.Time, max int) ([]time.Time, error) {
	if to.Before(from) {
		return nil, invalid("rrule", "to", to.String(), "end before start")
	}
	// Wall clock readings lie within ±26h of the instant they name.
	nf := naiveOf(from).Add(-27 * time.Hour)
	nt := naiveOf(to).Add(27 * time.Hour)
	if nt.Before(r.opt.Dtstart) {
		return nil, nil
	}
	opt := r.opt
	if opt.Until.IsZero() || nt.Before(opt.Until) {
		opt.Until = nt // stops rrule-go's generator at the range end
	}
	next, shift, err := r.iterate(opt)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for n := 0; ; n++ {
		w, ok := next()
		if !ok {
			break
		}
		if n >= max {
			return nil, invalid("rrule", "range", to.Sub(from).String(), fmt.Sprintf("more than %d instances", max))
		}
		w = w.AddDate(-shift, 0, 0)
		if w.Before(nf) {
			continue
		}
		y, m, d := w.Date()
		h, mi, s := w.Clock()
		t := Resolve(y, m, d, h, mi, s, r.loc)
		if !t.Before(from) && t.Before(to) {
			out = append(out, t)
		}
	}
	return sortUnique(out), nil
}

// iterate starts rrule-go on opt moved forward by a multiple of 400 years
// (the Gregorian calendar repeats exactly every 400 years, weekdays
// included), so that its end lies within 400 years of rrule-go's last year,
// 9999. rrule-go checks UNTIL only on candidates its filters let through, so
// a rule whose filters reject everything would otherwise scan to year 9999.
// Results must be moved back by shift years.
func (r *Recurrence) iterate(opt rrule.ROption) (next func() (time.Time, bool), shift int, err error) {
	end := opt.Until
	if end.IsZero() {
		end = opt.Dtstart
	}
	shift = (9999 - end.Year()) / 400 * 400
	if shift < 0 {
		shift = 0
	}
	opt.Dtstart = opt.Dtstart.AddDate(shift, 0, 0)
	if !opt.Until.IsZero() {
		opt.Until = opt.Until.AddDate(shift, 0, 0)
	}
	rule, err := rrule.NewRRule(opt)
	if err != nil {
		return nil, 0, &InvalidError{Op: "rrule", Field: "rrule", Value: r.rule, Reason: "not an RRULE value", Err: err}
	}
	return rule.Iterator(), shift, nil
}

// naiveOf returns t's UTC clock reading; callers widen ranges by the
// largest UTC offset.
func naiveOf(t time.Time) time.Time { return t.UTC() }
