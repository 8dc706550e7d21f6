package calendar

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ICalOptions tunes iCalendar export. Stamp is required; the rest have
// defaults.
type ICalOptions struct {
	// Stamp is every VEVENT's DTSTAMP: when the file was made. Required
	// (the package never reads the clock).
	Stamp time.Time
	// ProdID is the PRODID; default "-//socialflow//calendar//EN".
	ProdID string
	// Domain makes UIDs globally unique: "post-<id>@<domain>" and
	// "event-<id>@<domain>". Default "socialflow.invalid".
	Domain string
	// Name, when set, is written as X-WR-CALNAME (the name calendar apps show).
	Name string
	// PostDuration is each post's length in calendars; default 15 minutes.
	PostDuration time.Duration
	// UTC writes one-off times in UTC ("…Z") instead of TZID with a
	// VTIMEZONE. Recurring events always keep their TZID: a recurrence in
	// UTC would drift an hour at each DST change.
	UTC bool
	// ZoneHorizon is how far past the last exported time each VTIMEZONE
	// lists the zone's transitions; default one year. Recurring events
	// beyond it are shown with the zone's last listed offset.
	ZoneHorizon time.Duration
}

func (o *ICalOptions) defaults() error {
	if o.Stamp.IsZero() {
		return invalid("export ical", "stamp", "", "DTSTAMP time is required")
	}
	if o.ProdID == "" {
		o.ProdID = "-//socialflow//calendar//EN"
	}
	if o.Domain == "" {
		o.Domain = "socialflow.invalid"
	}
	if o.PostDuration == 0 {
		o.PostDuration = 15 * time.Minute
	}
	if o.PostDuration < 0 {
		return invalid("export ical", "post_duration", o.PostDuration.String(), "negative")
	}
	if o.ZoneHorizon == 0 {
		o.ZoneHorizon = 366 * 24 * time.Hour
	}
	if o.ZoneHorizon < 0 {
		return invalid("export ical", "zone_horizon", o.ZoneHorizon.String(), "negative")
	}
	return nil
}

// PostUID returns the iCalendar UID of the entry with the given ID.
func PostUID(id, domain string) string { return "post-" + id + "@" + domain }

// EventUID returns the iCalendar UID of the event with the given ID.
func EventUID(id, domain string) string { return "event-" + id + "@" + domain }

// ExportICal writes the entries q selects and the events overlapping
// [q.From, q.To) (every event when both are zero) as one iCalendar file.
func (c *Calendar) ExportICal(w io.Writer, q Query, opts ICalOptions) error {
	entries, err := c.Entries(q)
	if err != nil {
		return err
	}
	var events []Event
	c.mu.RLock()
	for _, ev := range c.events {
		if q.Workspace != "" && ev.Workspace != q.Workspace {
			continue
		}
		if !q.From.IsZero() || !q.To.IsZero() {
			to := q.To
			if to.IsZero() {
				to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			if len(ev.occurrencesOverlapping(q.From, to)) == 0 {
				continue
			}
		}
		events = append(events, ev.Event)
	}
	c.mu.RUnlock()
	return WriteICal(w, entries, events, opts)
}

// WriteICal writes entries and events as an RFC 5545 VCALENDAR: CRLF line
// ends, lines folded at 75 octets (never inside a UTF-8 sequence), TEXT
// escaped (§3.3.11), stable UIDs ([PostUID], [EventUID]), DTSTAMP from
// opts, and times with TZID plus a VTIMEZONE generated from the zone data
// (or in UTC with opts.UTC). Output is deterministic: events are ordered
// by start, then UID. Invalid entries or events are an *InvalidError and
// nothing is written.
func WriteICal(w io.Writer, entries []Entry, events []Event, opts ICalOptions) error {
	if err := opts.defaults(); err != nil {
		return err
	}
	type vevent struct {
		start time.Time
		uid   string
		lines []string
	}
	var vevents []vevent
	zones := map[string]*time.Location{}
	var lo, hi time.Time
	span := func(a, b time.Time) {
		if lo.IsZero() || a.Before(lo) {
			lo = a
		}
		if b.After(hi) {
			hi = b
		}
	}
	stamp := "DTSTAMP:" + opts.Stamp.UTC().Format("20060102T150405Z")
	for i := range entries {
		e := &entries[i]
		if err := e.validate("export ical"); err != nil {
			return err
		}
		loc, _ := loadZone("export ical", e.Zone)
		end := e.At.Add(opts.PostDuration)
		uid := PostUID(e.ID, opts.Domain)
		lines := []string{"BEGIN:VEVENT", "UID:" + EscapeText(uid), stamp}
		lines = append(lines, dateTime("DTSTART", e.At, loc, opts.UTC), dateTime("DTEND", end, loc, opts.UTC))
		if !opts.UTC && loc != time.UTC {
			zones[e.Zone] = loc
		}
		span(e.At, end)
		lines = append(lines, "SUMMARY:"+EscapeText(PostSummary(*e)))
		desc := "Channel: " + e.Channel
		if e.Network != "" {
			desc += " (" + e.Network + ")"
		}
		desc += "\nStatus: " + string(e.Status)
		if e.Campaign != "" {
			desc += "\nCampaign: " + e.Campaign
		}
		if len(e.Assets) > 0 {
			desc += "\nAssets: " + strings.Join(e.Assets, ", ")
		}
		if e.Link != "" {
			desc += "\nLink: " + e.Link
		}
		lines = append(lines, "DESCRIPTION:"+EscapeText(desc))
		if len(e.Labels) > 0 {
			cats := make([]string, len(e.Labels))
			for i, l := range e.Labels {
				cats[i] = EscapeText(l)
			}
			lines = append(lines, "CATEGORIES:"+strings.Join(cats, ","))
		}
		if e.Link != "" {
			lines = append(lines, "URL:"+e.Link)
		}
		lines = append(lines, "STATUS:"+icalStatus(e.Status), "END:VEVENT")
		vevents = append(vevents, vevent{e.At, uid, lines})
	}
	for i := range events {
		ce, err := events[i].compile("export ical")
		if err != nil {
			return err
		}
		uid := EventUID(ce.ID, opts.Domain)
		lines := []string{"BEGIN:VEVENT", "UID:" + EscapeText(uid), stamp}
		useUTC := opts.UTC && ce.rec == nil
		lines = append(lines, dateTime("DTSTART", ce.Start, ce.loc, useUTC), dateTime("DTEND", ce.End, ce.loc, useUTC))
		if !useUTC && ce.loc != time.UTC {
			zones[ce.Zone] = ce.loc
		}
		span(ce.Start, ce.End)
		if ce.rec != nil {
			lines = append(lines, "RRULE:"+ce.rec.ICalValue())
		}
		lines = append(lines, "SUMMARY:"+EscapeText(ce.Title), "CATEGORIES:"+EscapeText(string(ce.Kind)), "TRANSP:TRANSPARENT", "END:VEVENT")
		vevents = append(vevents, vevent{ce.Start, uid, lines})
	}
	slices.SortFunc(vevents, func(a, b vevent) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return strings.Compare(a.uid, b.uid)
	})

	bw := bufio.NewWriter(w)
	put := func(line string) { writeFolded(bw, line) }
	put("BEGIN:VCALENDAR")
	put("VERSION:2.0")
	put("PRODID:" + EscapeText(opts.ProdID))
	put("CALSCALE:GREGORIAN")
	put("METHOD:PUBLISH")
	if opts.Name != "" {
		put("X-WR-CALNAME:" + EscapeText(opts.Name))
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range zones {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, l := range vtimezone(name, zones[name], lo.Add(-48*time.Hour), hi.Add(opts.ZoneHorizon)) {
			put(l)
		}
	}
	for _, ve := range vevents {
		for _, l := range ve.lines {
			put(l)
		}
	}
	put("END:VCALENDAR")
	return bw.Flush()
}

// PostSummary is the SUMMARY an entry is exported with: its title, or
// "Post on <channel>" when it has none.
func PostSummary(e Entry) string {
	if strings.TrimSpace(e.Title) == "" {
		return "Post on " + e.Channel
	}
	return e.Title
}

func icalStatus(s Status) string {
	switch s {
	case StatusApproved, StatusScheduled, StatusPublished:
		return "CONFIRMED"
	case StatusFailed:
		return "CANCELLED"
	default:
		return "TENTATIVE"
	}
}

// dateTime writes t with TZID, or in UTC when asked or when t's local time
// occurs twice (a fall-back repeat). RFC 5545 §3.3.5 reads such a time as
// the first occurrence, so the second cannot be written with a TZID at all,
// and widely used parsers (ical.js 2.2.1) read even the first one as the
// second; UTC names the instant in every parser.
func dateTime(name string, t time.Time, loc *time.Location, utc bool) string {
	if !utc && loc != time.UTC && repeated(t, loc) {
		utc = true
	}
	if utc || loc == time.UTC {
		return name + ":" + t.UTC().Format("20060102T150405Z")
	}
	return name + ";TZID=" + loc.String() + ":" + t.In(loc).Format("20060102T150405")
}

// repeated reports whether t's wall clock reading in loc also names
// another instant (it lies in a fall-back repeat).
func repeated(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	start, end := l.ZoneBounds()
	_, off := l.Zone()
	var neighbours []int
	if !start.IsZero() {
		_, p := start.Add(-time.Second).In(loc).Zone()
		neighbours = append(neighbours, p)
	}
	if !end.IsZero() {
		_, n := end.In(loc).Zone()
		neighbours = append(neighbours, n)
	}
	for _, o := range neighbours {
		if o == off {
			continue
		}
		other := t.Add(time.Duration(off-o) * time.Second) // same wall reading under offset o
		if _, oo := other.In(loc).Zone(); oo == o {
			return true
		}
	}
	return false
}

// vtimezone describes loc from the zone data: the observance in force at
// from, then every transition up to to, each as its own STANDARD or
// DAYLIGHT sub-component (no RRULE, so it is exact for the exported range
// whatever the zone's history).
func vtimezone(name string, loc *time.Location, from, to time.Time) []string {
	lines := []string{"BEGIN:VTIMEZONE", "TZID:" + name}
	obs := func(at time.Time, prevOff int) {
		lt := at.In(loc)
		abbr, off := lt.Zone()
		kind := "STANDARD"
		if lt.IsDST() {
			kind = "DAYLIGHT"
		}
		local := at.UTC().Add(time.Duration(prevOff) * time.Second)
		lines = append(lines, "BEGIN:"+kind,
			"DTSTART:"+local.Format("20060102T150405"),
			"TZOFFSETFROM:"+utcOffset(prevOff),
			"TZOFFSETTO:"+utcOffset(off),
			"TZNAME:"+EscapeText(abbr),
			"END:"+kind)
	}
	first := from.In(loc)
	start, _ := first.ZoneBounds()
	_, off := first.Zone()
	if start.IsZero() {
		obs(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(off)*time.Second), off)
	} else {
		_, prev := start.Add(-time.Second).In(loc).Zone()
		obs(start, prev)
	}
	t := first
	for i := 0; i < 1000; i++ {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(to) {
			break
		}
		_, prev := t.Zone()
		obs(end, prev)
		t = end.In(loc)
	}
	return append(lines, "END:VTIMEZONE")
}

func utcOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign = '-'
		sec = -sec
	}
	s := fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec%3600/60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// EscapeText escapes s as an RFC 5545 TEXT value (§3.3.11): backslash,
// semicolon and comma get a backslash, a line break (CRLF, LF or a lone CR)
// becomes "\n", other control characters except tab are dropped (TEXT may
// not hold them), and invalid UTF-8 becomes U+FFFD.
func EscapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\', ch == ';', ch == ',':
			b.WriteByte('\\')
			b.WriteByte(ch)
		case ch == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case ch == '\n':
			b.WriteString(`\n`)
		case ch == '\t':
			b.WriteByte(ch)
		case ch < 0x20 || ch == 0x7f:
			// dropped: not allowed in TEXT
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// maxLineOctets is RFC 5545 §3.1's limit, not counting the CRLF.
const maxLineOctets = 75

// FoldLine splits one content line into physical lines of at most 75
// octets each (RFC 5545 §3.1), continuation lines starting with a space,
// never inside a UTF-8 sequence; it returns them joined by CRLF, with a
// final CRLF.
func FoldLine(line string) string {
	var b strings.Builder
	writeFolded(&b, line)
	return b.String()
}

type stringWriter interface {
	WriteString(string) (int, error)
}

func writeFolded(w stringWriter, line string) {
	limit := maxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if cut == 0 { // no rune start in reach: cannot happen with valid UTF-8 (runes ≤ 4 octets)
			cut = limit
		}
		w.WriteString(line[:cut])
		w.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLineOctets - 1 // the leading space counts
	}
	w.WriteString(line)
	w.WriteString("\r\n")
}
