// Package wall turns wall-clock times in an IANA zone into instants the way
// RFC 5545 §3.3.5 says, which Go's time.Date leaves unspecified: a local time
// that a DST change skips is read with the UTC offset in effect before the
// gap (so it moves forward by the length of the gap), and a local time that
// happens twice means its first occurrence.
package wall

import "time"

// Resolve returns the instant, in loc, at which the wall clock in loc reads
// the given date and time (see the package documentation for the rule).
func Resolve(year int, month time.Month, day, hour, min, sec int, loc *time.Location) time.Time {
	naive := time.Date(year, month, day, hour, min, sec, 0, time.UTC)
	if loc == nil || loc == time.UTC {
		return naive
	}
	// Walk the zone periods around the naive instant, earliest first. Offsets
	// are within ±26h, so a period holding the answer starts after naive-30h.
	p := naive.Add(-30 * time.Hour)
	limit := naive.Add(30 * time.Hour)
	for i := 0; i < 16 && p.Before(limit); i++ {
		lp := p.In(loc)
		start, end := lp.ZoneBounds()
		_, off := lp.Zone()
		cand := naive.Add(-time.Duration(off) * time.Second)
		if (start.IsZero() || !cand.Before(start)) && (end.IsZero() || cand.Before(end)) {
			return cand.In(loc) // exists in this period; the first such period is the first occurrence
		}
		if end.IsZero() {
			break
		}
		if !cand.Before(end) {
			// The wall time lies after this period. If the next period starts
			// with a jump over it, it is in the gap: use this period's offset.
			_, nextOff := end.In(loc).Zone()
			if naive.Add(-time.Duration(nextOff) * time.Second).Before(end) {
				return cand.In(loc)
			}
		}
		p = end
	}
	return time.Date(year, month, day, hour, min, sec, 0, loc)
}
