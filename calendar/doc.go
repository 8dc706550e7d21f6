// Package calendar is the content calendar: an index of entries with fast
// range queries and day, week and month views, DST-correct posting slots and
// queues, scheduling rules, CSV import and export, and iCalendar export. It
// is pure: it never reads the clock (time is passed in), starts no
// goroutine and does no I/O beyond the readers and writers it is handed.
//
// # Entries, events and views
//
// An [Entry] is one planned target of a post on one channel, as the host
// reports it: an instant (kept in UTC) plus the IANA zone it was planned in,
// copy preview, labels, campaign, asset references, link, [Status] and the
// host's own fields. The calendar indexes entries; it does not own posts.
// An [Event] is something that is not a post (a holiday, an observance such
// as International Cat Day, a launch, a campaign window); it shows in the
// same views on every day it overlaps and may repeat by an RRULE.
//
// A [Calendar] keeps each workspace's entries sorted by (instant, ID), so
// [Calendar.Entries] and the views ([Calendar.DayView], [Calendar.WeekView],
// [Calendar.MonthView]) of one workspace cost O(log n + k) for n entries
// and k results. Views use the viewer's zone and week start (Monday or
// Sunday); a day is the civil day in that zone, 23 or 25 hours long on DST
// days.
//
// # The DST rule
//
// Posting slots ([Schedule], [Slots]), recurring events, evergreen posts and
// CSV wall times are wall-clock times in a zone. Each is placed on the
// timeline by [Resolve], which follows RFC 5545 §3.3.5, the rule §3.3.10
// applies to every recurrence instance whose local time does not exist or
// occurs twice:
//
//   - a wall time in the gap of a spring-forward day is read with the UTC
//     offset in force before the gap: it moves forward by the length of the
//     gap and is never lost (09:00 stays 09:00; 02:30 in New York on
//     8 March 2026 becomes 03:30 EDT; 02:15 on Lord Howe Island on
//     4 October 2026 becomes 02:45, its gap being 30 minutes);
//   - a wall time in the repeated hour of a fall-back day is its first
//     occurrence and happens once, not twice (02:30 in Oslo on
//     25 October 2026 is 02:30 CEST);
//   - if a moved slot lands on another slot, they are one slot.
//
// RRULEs are parsed and expanded by github.com/teambition/rrule-go in
// floating wall time and each instance is then placed by [Resolve]. rrule-go
// on its own inherits time.Date's choice, which the Go documentation leaves
// unspecified and which in practice moves New York's 02:30 back to 01:30
// EST and picks the second 02:30 in Oslo; the tests pin both differences.
// RFC 5545 §3.3.10 also says invalid dates (30 February) are skipped, as
// rrule-go does. RRULEs with FREQ=SECONDLY and
// MINUTELY are refused (slots are per hour at the finest; BYMINUTE is fine).
//
// # Queues and rules
//
// A [Queue] holds a channel's posts in order; [Queue.Plan] gives each the
// next free slot after now (one slot holds one post), skipping slots taken
// by other calendar entries and slots that would break the [Rules]
// (minimum gap, maximum per day, blackouts). Insert at the top, reorder,
// seeded shuffle, pause and resume, and removal that closes or leaves the
// gap are supported. Evergreen posts come back every N days or by an RRULE
// once they went out; missed recurrences are not replayed, so nothing
// bunches after a pause. [Calendar.Check] and [Calendar.CheckRange] list
// every rule a proposed entry or a range breaks.
//
// # Import and export
//
// [Calendar.ImportCSV] validates each row and reports every bad one with its
// line number; a file with errors imports nothing unless partial import is
// asked for. [ExportCSV] writes what ImportCSV reads.
//
// [WriteICal] and [Calendar.ExportICal] write RFC 5545: CRLF line ends,
// lines folded at 75 octets without splitting a UTF-8 sequence, TEXT
// escaped per §3.3.11, stable UIDs, DTSTAMP, and times with TZID plus a
// VTIMEZONE generated from Go's zone data (each transition from the exported
// range to a horizon as its own observance, so it is exact whatever the
// zone's history), or UTC. A one-off time whose local reading occurs twice is
// written in UTC, because it cannot be named unambiguously with a TZID.
// The output parses in Mozilla's ical.js 2.2.1 and Python's icalendar;
// tests check both. ical.js reads a recurrence instance that falls in a DST
// gap the way time.Date does, one hour off RFC 5545 on that day; the tests
// record it. github.com/emersion/go-ical is used only to read our output
// back in tests: its encoder neither folds lines nor accepts a CR in TEXT.
//
// # Errors
//
// Bad input is an [*InvalidError] (errors.Is socialflow.ErrInvalid) naming
// the field and value; a duplicate ID or moving a published entry is a
// [*ConflictError] (socialflow.ErrConflict); an unknown ID a
// [*NotFoundError] (socialflow.ErrNotFound). Nothing changes on error.
package calendar
