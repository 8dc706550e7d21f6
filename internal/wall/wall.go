// Package wall turns wall-clock times in an IANA zone into instants the way
// RFC 5545 §3.3.5 says, which Go's time.Date leaves unspecified: a local time
// that a DST change skips is read with the UTC offset in effect before the
// gap (so it moves forward by the length of the gap), and a local time that
// happens twice means its first occurrence.
package wall

import "time"

// Resolve returns the instant of the wall time y-m-d h:min:sec in loc, in loc.
func Resolve(y int, m time.Month, d, h, min, sec int, loc *time.Location) time.Time {
	u := time.Date(y, m, d, h, min, sec, 0, time.UTC)
	// The offsets in force well before and well after cover both sides of
	// any transition on that day.
	_, before := u.Add(-48 * time.Hour).In(loc).Zone()
	_, after := u.Add(48 * time.Hour).In(loc).Zone()
	first, found := time.Time{}, false
	for _, off := range []int{before, after} {
		c := u.Add(-time.Duration(off) * time.Second)
		l := c.In(loc)
		if l.Year() == y && l.Month() == m && l.Day() == d && l.Hour() == h && l.Minute() == min && l.Second() == sec {
			if !found || c.Before(first) {
				first, found = c, true
			}
		}
	}
	if found {
		return first.In(loc)
	}
	// Skipped by a gap: read it with the offset before the gap.
	return u.Add(-time.Duration(before) * time.Second).In(loc)
}
