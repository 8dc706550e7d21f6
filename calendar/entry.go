package calendar

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where an entry stands in the post lifecycle, as the host reports
// it. The calendar only indexes and filters by it; it never changes it.
type Status string

// The statuses an entry may have.
const (
	StatusIdea      Status = "idea"
	StatusDraft     Status = "draft"
	StatusInReview  Status = "in review"
	StatusApproved  Status = "approved"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
	StatusFailed    Status = "failed"
)

var statuses = []Status{StatusIdea, StatusDraft, StatusInReview, StatusApproved, StatusScheduled, StatusPublished, StatusFailed}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool {
	for _, v := range statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Entry is one planned target of a post on one channel: what the calendar
// shows. The calendar indexes what the host tells it; it does not own posts.
//
// At is the instant (stored in UTC); Zone is the IANA zone it was planned in,
// used to show it in the planner's wall time and to export it with a TZID.
// The zero Entry is not valid: ID, Workspace, Channel, At, Zone and Status
// are required.
type Entry struct {
	ID        string            `json:"id"`
	Workspace string            `json:"workspace"`
	Channel   string            `json:"channel"`
	Network   string            `json:"network,omitempty"`
	At        time.Time         `json:"at"`
	Zone      string            `json:"zone"`
	Title     string            `json:"title,omitempty"` // title or copy preview
	Labels    []string          `json:"labels,omitempty"`
	Campaign  string            `json:"campaign,omitempty"`
	Assets    []string          `json:"assets,omitempty"` // asset references
	Link      string            `json:"link,omitempty"`
	Status    Status            `json:"status"`
	Host      map[string]string `json:"host,omitempty"` // the host's own fields, kept as given
}

// Limits on entry fields.
const (
	MaxIDLen    = 256
	MaxTitleLen = 4096
	MaxLabels   = 64
)

// Validate checks e and returns an *InvalidError naming the first bad field.
func (e *Entry) Validate() error {
	return e.validate("validate")
}

func (e *Entry) validate(op string) error { return e.validateIn(op, nil) }

// zoneCache remembers loaded zones during one batch: LoadLocation reads the
// zone data every time.
type zoneCache map[string]*time.Location

func (zc zoneCache) load(op, name string) (*time.Location, error) {
	if loc, ok := zc[name]; ok {
		return loc, nil
	}
	loc, err := loadZone(op, name)
	if err == nil && zc != nil {
		zc[name] = loc
	}
	return loc, err
}

func (e *Entry) validateIn(op string, zc zoneCache) error {
	for _, f := range []struct{ name, v string }{{"id", e.ID}, {"workspace", e.Workspace}, {"channel", e.Channel}} {
		if err := checkID(op, f.name, f.v); err != nil {
			return err
		}
	}
	if e.At.IsZero() {
		return invalid(op, "at", "", "instant is required")
	}
	if e.At.Year() < 1900 || e.At.Year() > 9999 {
		return invalid(op, "at", e.At.String(), "year outside 1900-9999")
	}
	if _, err := zc.load(op, e.Zone); err != nil {
		return err
	}
	if !e.Status.Valid() {
		return invalid(op, "status", string(e.Status), "unknown status")
	}
	if len(e.Title) > MaxTitleLen || !utf8.ValidString(e.Title) {
		return invalid(op, "title", e.Title, "longer than 4096 bytes or not UTF-8")
	}
	if len(e.Labels) > MaxLabels {
		return invalid(op, "labels", strings.Join(e.Labels, ";"), "more than 64 labels")
	}
	for _, l := range e.Labels {
		if err := checkName(op, "labels", l); err != nil {
			return err
		}
	}
	for _, a := range e.Assets {
		if err := checkName(op, "assets", a); err != nil {
			return err
		}
	}
	if e.Campaign != "" {
		if err := checkName(op, "campaign", e.Campaign); err != nil {
			return err
		}
	}
	if e.Network != "" {
		if err := checkName(op, "network", e.Network); err != nil {
			return err
		}
	}
	if e.Link != "" {
		if err := checkName(op, "link", e.Link); err != nil {
			return err
		}
		if strings.ContainsAny(e.Link, " \t\"<>") {
			return invalid(op, "link", e.Link, "not a URI")
		}
	}
	return nil
}

func checkID(op, field, v string) error {
	if v == "" {
		return invalid(op, field, v, "required")
	}
	return checkName(op, field, v)
}

// checkName accepts short UTF-8 text without control characters.
func checkName(op, field, v string) error {
	if v == "" {
		return invalid(op, field, v, "empty")
	}
	if len(v) > MaxIDLen {
		return invalid(op, field, v, "longer than 256 bytes")
	}
	if !utf8.ValidString(v) {
		return invalid(op, field, v, "not UTF-8")
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return invalid(op, field, v, "contains a control character")
		}
	}
	return nil
}

// loadZone loads an IANA zone; "" and "UTC" are UTC.
func loadZone(op, name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, invalid(op, "zone", name, "unknown IANA zone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &InvalidError{Op: op, Field: "zone", Value: name, Reason: "unknown IANA zone", Err: err}
	}
	return loc, nil
}

// EventKind says what a non-post calendar event is.
type EventKind string

// The kinds of non-post events.
const (
	EventHoliday    EventKind = "holiday"
	EventObservance EventKind = "observance" // "International Cat Day"
	EventLaunch     EventKind = "launch"
	EventCampaign   EventKind = "campaign" // a campaign window
)

// Event is a calendar event that is not a post: a holiday, an observance, a
// launch or a campaign window. It appears in the same views as entries, on
// every day its [Start, End) overlaps, and repeats by RRule when set (e.g.
// "FREQ=YEARLY" for an observance), in wall time of Zone. End must be after
// Start.
type Event struct {
	ID        string    `json:"id"`
	Workspace string    `json:"workspace"`
	Kind      EventKind `json:"kind"`
	Title     string    `json:"title"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Zone      string    `json:"zone"`
	RRule     string    `json:"rrule,omitempty"`
	Campaign  string    `json:"campaign,omitempty"`
}

// Validate checks ev and returns an *InvalidError naming the first bad field.
func (ev *Event) Validate() error {
	_, err := ev.compile("validate")
	return err
}

// compiledEvent is an Event with its zone and recurrence resolved.
type compiledEvent struct {
	Event
	loc   *time.Location
	rec   *Recurrence // nil when the event does not repeat
	dur   time.Duration
	first time.Time
}

func (ev *Event) compile(op string) (*compiledEvent, error) {
	if err := checkID(op, "id", ev.ID); err != nil {
		return nil, err
	}
	if err := checkID(op, "workspace", ev.Workspace); err != nil {
		return nil, err
	}
	switch ev.Kind {
	case EventHoliday, EventObservance, EventLaunch, EventCampaign:
	default:
		return nil, invalid(op, "kind", string(ev.Kind), "unknown event kind")
	}
	if len(ev.Title) > MaxTitleLen || !utf8.ValidString(ev.Title) {
		return nil, invalid(op, "title", ev.Title, "longer than 4096 bytes or not UTF-8")
	}
	if ev.Start.IsZero() || ev.Start.Year() < 1900 || ev.Start.Year() > 9999 {
		return nil, invalid(op, "start", ev.Start.String(), "missing or year outside 1900-9999")
	}
	if !ev.End.After(ev.Start) {
		return nil, invalid(op, "end", ev.End.String(), "end is not after start")
	}
	loc, err := loadZone(op, ev.Zone)
	if err != nil {
		return nil, err
	}
	c := &compiledEvent{Event: *ev, loc: loc, dur: ev.End.Sub(ev.Start), first: ev.Start}
	if ev.RRule != "" {
		rec, err := NewRecurrence(ev.RRule, ev.Start.In(loc), ev.Zone)
		if err != nil {
			return nil, err
		}
		c.rec = rec
	}
	return c, nil
}

// occurrencesOverlapping returns the starts of occurrences whose
// [start, start+dur) overlaps [from, to).
func (c *compiledEvent) occurrencesOverlapping(from, to time.Time) []time.Time {
	if c.rec == nil {
		if c.first.Before(to) && c.first.Add(c.dur).After(from) {
			return []time.Time{c.first}
		}
		return nil
	}
	starts, _ := c.rec.Between(from.Add(-c.dur), to, maxEventOccurrences)
	out := starts[:0]
	for _, s := range starts {
		if s.Before(to) && s.Add(c.dur).After(from) {
			out = append(out, s)
		}
	}
	return out
}

const maxEventOccurrences = 100000
