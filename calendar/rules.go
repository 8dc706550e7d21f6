package calendar

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rules are a channel's scheduling rules. They apply to every channel alike
// (give each channel its own Rules by checking per channel). Entries with
// status idea or failed never count: they will not go out.
//
// The zero Rules allows everything.
type Rules struct {
	// MinGap is the least time between two posts on one channel; 0 means
	// no minimum. Posts exactly MinGap apart are fine.
	MinGap time.Duration `json:"min_gap,omitempty"`
	// MaxPerDay caps posts per channel per civil day in the zone each entry
	// was planned in; 0 means no cap.
	MaxPerDay int `json:"max_per_day,omitempty"`
	// Blackouts are periods when nothing may go out (a crisis pause).
	Blackouts []Blackout `json:"blackouts,omitempty"`
}

// Blackout is a period [Start, End) in which no post may go out. An empty
// Workspace or Channels matches every workspace or channel.
type Blackout struct {
	ID        string    `json:"id"`
	Reason    string    `json:"reason,omitempty"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Workspace string    `json:"workspace,omitempty"`
	Channels  []string  `json:"channels,omitempty"`
}

func (b *Blackout) covers(workspace, channel string, at time.Time) bool {
	if b.Workspace != "" && b.Workspace != workspace {
		return false
	}
	if len(b.Channels) > 0 && !slices.Contains(b.Channels, channel) {
		return false
	}
	return !at.Before(b.Start) && at.Before(b.End)
}

// Validate checks r: no negative limits, every blackout ends after it starts.
func (r Rules) Validate() error {
	if r.MinGap < 0 {
		return invalid("rules", "min_gap", r.MinGap.String(), "negative")
	}
	if r.MaxPerDay < 0 {
		return invalid("rules", "max_per_day", strconv.Itoa(r.MaxPerDay), "negative")
	}
	for i, b := range r.Blackouts {
		if !b.End.After(b.Start) {
			return invalid("rules", "blackouts["+strconv.Itoa(i)+"].end", b.End.String(), "end is not after start")
		}
	}
	return nil
}

// ViolationKind names a broken rule.
type ViolationKind string

// The kinds of violation.
const (
	ViolationMinGap    ViolationKind = "min-gap"
	ViolationMaxPerDay ViolationKind = "max-per-day"
	ViolationBlackout  ViolationKind = "blackout"
)

// Violation is one broken rule: which kind, which entries, where and when.
type Violation struct {
	Kind      ViolationKind
	Workspace string
	Channel   string
	At        time.Time // the (later) entry's instant, or the day's start for max-per-day
	EntryIDs  []string  // the entries involved, in time order
	Blackout  string    // the blackout's ID, for ViolationBlackout
	Limit     string    // the limit broken: "2h0m0s", "3"
}

func counts(s Status) bool { return s != StatusIdea && s != StatusFailed }

// Check lists every rule the proposed entry e would break against the
// calendar's entries. If the calendar holds an entry with e's ID, e is
// checked as its replacement. An entry that does not count (idea, failed)
// breaks nothing.
func (c *Calendar) Check(r Rules, e Entry) ([]Violation, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := e.validate("check"); err != nil {
		return nil, err
	}
	e.At = e.At.UTC()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.check(r, &e, nil), nil
}

// CheckRange lists every rule broken by the entries q selects, each pair or
// day once. q.To before q.From is an *InvalidError.
func (c *Calendar) CheckRange(r Rules, q Query) ([]Violation, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if !q.To.IsZero() && q.To.Before(q.From) {
		return nil, invalid("check range", "to", q.To.String(), "end before start")
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	seen := map[string]bool{}
	var out []Violation
	c.scan(q, func(e *Entry) {
		out = append(out, c.check(r, e, seen)...)
	})
	return out, nil
}

// check lists e's violations; with seen, each pair or day is listed once.
func (c *Calendar) check(r Rules, e *Entry, seen map[string]bool) []Violation {
	if !counts(e.Status) {
		return nil
	}
	var out []Violation
	list := c.ws[e.Workspace]
	same := func(o *Entry) bool { return o.ID != e.ID && o.Channel == e.Channel && counts(o.Status) }
	if r.MinGap > 0 {
		c.scanList(list, Query{From: e.At.Add(-r.MinGap + 1), To: e.At.Add(r.MinGap)}, func(o *Entry) {
			if !same(o) {
				return
			}
			first, second := o, e
			if compareEntry(e, o.At, o.ID) < 0 {
				first, second = e, o
			}
			key := "gap\x00" + first.ID + "\x00" + second.ID
			if seen != nil {
				if seen[key] {
					return
				}
				seen[key] = true
			}
			out = append(out, Violation{Kind: ViolationMinGap, Workspace: e.Workspace, Channel: e.Channel,
				At: second.At, EntryIDs: []string{first.ID, second.ID}, Limit: r.MinGap.String()})
		})
	}
	if r.MaxPerDay > 0 {
		loc, err := loadZone("check", e.Zone)
		if err == nil {
			y, m, d := e.At.In(loc).Date()
			start := Resolve(y, m, d, 0, 0, 0, loc)
			end := Resolve(y, m, d+1, 0, 0, 0, loc)
			key := "day\x00" + e.Workspace + "\x00" + e.Channel + "\x00" + e.Zone + "\x00" + start.String()
			if seen == nil || !seen[key] {
				var ids []*Entry
				c.scanList(list, Query{From: start, To: end}, func(o *Entry) {
					if same(o) {
						ids = append(ids, o)
					}
				})
				ids = append(ids, e)
				if len(ids) > r.MaxPerDay {
					slices.SortFunc(ids, func(a, b *Entry) int { return compareEntry(a, b.At, b.ID) })
					v := Violation{Kind: ViolationMaxPerDay, Workspace: e.Workspace, Channel: e.Channel,
						At: start, Limit: strconv.Itoa(r.MaxPerDay)}
					for _, o := range ids {
						v.EntryIDs = append(v.EntryIDs, o.ID)
					}
					out = append(out, v)
					if seen != nil {
						seen[key] = true
					}
				}
			}
		}
	}
	for _, b := range r.Blackouts {
		if b.covers(e.Workspace, e.Channel, e.At) {
			out = append(out, Violation{Kind: ViolationBlackout, Workspace: e.Workspace, Channel: e.Channel,
				At: e.At, EntryIDs: []string{e.ID}, Blackout: b.ID, Limit: b.Start.UTC().Format(time.RFC3339) + "/" + b.End.UTC().Format(time.RFC3339)})
		}
	}
	return out
}

// String formats v for people, e.g. "min-gap on x/acme at 2026-03-02T09:00:00Z: a, b (limit 2h0m0s)".
func (v Violation) String() string {
	s := string(v.Kind) + " on " + v.Workspace + "/" + v.Channel + " at " + v.At.UTC().Format(time.RFC3339) + ": " + strings.Join(v.EntryIDs, ", ")
	if v.Blackout != "" {
		s += " (blackout " + v.Blackout + ")"
	} else {
		s += " (limit " + v.Limit + ")"
	}
	return s
}
