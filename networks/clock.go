package networks

import "time"

// Clock is the one time source of socialflow: every package that tells the
// time takes a Clock (workflow.WithClock, [WithClock] for the Publisher), so
// a host or a test drives them all from one fake. Its method set matches the
// clock interfaces of common backoff and rate-limit libraries. A time of day
// is a calendar.TimeOfDay, never a Clock. (It lives here, below workflow,
// because the root package holds only the error kinds.)
type Clock interface{ Now() time.Time }

// ClockFunc adapts a function to [Clock]: ClockFunc(time.Now) is the real
// time.
type ClockFunc func() time.Time

// Now returns f().
func (f ClockFunc) Now() time.Time { return f() }
