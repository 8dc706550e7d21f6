package analytics

import (
	"math"
	"sort"
	"strconv"
	"time"
)

// Action is what a workflow [Event] records.
type Action uint8

// Actions analytics reads from the workflow.
const (
	Drafted          Action = iota + 1 // a member wrote or edited a draft
	Submitted                          // sent for review; Due is the review deadline
	Approved                           // a reviewer approved
	ChangesRequested                   // a reviewer asked for changes
	Rejected                           // a reviewer rejected
	Scheduled                          // put on the calendar; Due is the slot
	Published                          // went out; Due is the slot it was planned for
	PublishFailed                      // a publish failed for good; Cause says why
	DeadlineMissed                     // the review deadline passed undecided
)

var actionNames = [...]string{"", "drafted", "submitted", "approved", "changes_requested", "rejected",
	"scheduled", "published", "publish_failed", "deadline_missed"}

// String returns the action's snake_case name, e.g. "changes_requested".
func (a Action) String() string {
	if a > 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "action(" + strconv.Itoa(int(a)) + ")"
}

// ParseAction returns the action named name. An unknown name is a
// [*FieldError].
func ParseAction(name string) (Action, error) {
	for i := 1; i < len(actionNames); i++ {
		if actionNames[i] == name {
			return Action(i), nil
		}
	}
	return 0, &FieldError{Op: "ParseAction", Field: "action", Value: name, Reason: "unknown action"}
}

// Event is one step of the team's workflow, as the workflow package's audit
// log records it.
type Event struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`   // the member who acted
	Action  Action    `json:"action"`  // what happened
	Subject string    `json:"subject"` // the post (or target) acted on
	Version int       `json:"version,omitempty"`
	Due     time.Time `json:"due,omitzero"`    // review deadline (Submitted) or slot (Scheduled, Published)
	Cause   string    `json:"cause,omitempty"` // PublishFailed: the failure's cause
}

// Validate checks that the event has an instant, an actor, a subject and a
// known action.
func (e Event) Validate() error {
	const op = "Event.Validate"
	switch {
	case e.At.IsZero():
		return &FieldError{Op: op, Field: "at", Reason: "required"}
	case e.Actor == "":
		return &FieldError{Op: op, Field: "actor", Reason: "required"}
	case e.Subject == "":
		return &FieldError{Op: op, Field: "subject", Reason: "required"}
	case e.Action == 0 || int(e.Action) >= len(actionNames):
		return &FieldError{Op: op, Field: "action", Value: e.Action.String(), Reason: "unknown action"}
	}
	return nil
}

// TeamOptions configure [Team].
type TeamOptions struct {
	// Now closes the period: a review still open at Now whose deadline has
	// passed is a breach. Required.
	Now time.Time
	// OnTimeWithin is how far from its slot a publish may be and still be on
	// time. Default 15 minutes.
	OnTimeWithin time.Duration
}

// Duration is a duration that may be undefined (no sample).
type Duration struct {
	D   time.Duration
	OK  bool
	Why string
}

// CauseCount counts failed publishes with one cause.
type CauseCount struct {
	Cause string // "unknown" when the event had none
	Count int
}

// Contribution counts one member's workflow actions.
type Contribution struct {
	Member           string
	Drafted          int
	Submitted        int
	Approved         int
	ChangesRequested int
	Rejected         int
	Scheduled        int
	Published        int
}

// TeamReport holds team metrics; see [Team] for the definitions.
type TeamReport struct {
	Reviews              int      // review cycles closed by a decision
	OpenReviews          int      // review cycles still open at Now
	TimeInReviewMedian   Duration // median time from submission to first decision
	TimeInReviewP90      Duration // 90th percentile (nearest rank)
	DeadlineBreaches     int      // review cycles that missed their deadline
	Decisions            int      // approved + changes requested + rejected
	ChangesRequestedRate Value    // changes requested / decisions
	Published            int      // publishes
	PublishedWithSlot    int      // publishes that carried their planned slot
	OnTime               int      // of those, published within OnTimeWithin of the slot
	OnTimeRate           Value    // OnTime / PublishedWithSlot
	Failures             []CauseCount
	Members              []Contribution // sorted by member
}

// Team computes team metrics from workflow events, which may come in any
// order (they are sorted by time, stably).
//
//   - A review cycle of a subject opens at its first Submitted event and
//     closes at the next decision (Approved, ChangesRequested or Rejected); a
//     re-submission while open does not restart the clock. Time in review is
//     close − open; the median averages the two middle values of an even
//     count, the 90th percentile is the nearest rank ⌈0.9·n⌉.
//   - A cycle breaches its deadline when it closes after Due, is still open
//     at Now with Due passed, or a DeadlineMissed event names its subject
//     while it is open; each cycle counts once. A DeadlineMissed event with
//     no open cycle counts as one breach.
//   - Changes-requested rate = ChangesRequested / (Approved +
//     ChangesRequested + Rejected) events; undefined with no decision.
//   - On-time rate = publishes with |At − Due| ≤ OnTimeWithin / publishes
//     carrying a Due; undefined when none carries one.
//
// An invalid event is a [*FieldError] naming its index.
func Team(events []Event, opts TeamOptions) (TeamReport, error) {
	if opts.Now.IsZero() {
		return TeamReport{}, &FieldError{Op: "Team", Field: "now", Reason: "required"}
	}
	if opts.OnTimeWithin < 0 {
		return TeamReport{}, &FieldError{Op: "Team", Field: "on_time_within", Value: opts.OnTimeWithin.String(), Reason: "negative"}
	}
	if opts.OnTimeWithin == 0 {
		opts.OnTimeWithin = 15 * time.Minute
	}
	for i, e := range events {
		if err := e.Validate(); err != nil {
			fe := err.(*FieldError)
			fe.Field = "events[" + strconv.Itoa(i) + "]." + fe.Field
			return TeamReport{}, fe
		}
	}
	evs := append([]Event(nil), events...)
	sort.SliceStable(evs, func(a, b int) bool { return evs[a].At.Before(evs[b].At) })

	type cycle struct {
		open, due time.Time
		breached  bool
	}
	var rep TeamReport
	openCycles := map[string]*cycle{}
	members := map[string]*Contribution{}
	causes := map[string]int{}
	var durations []time.Duration
	changes := 0
	for _, e := range evs {
		m := members[e.Actor]
		if m == nil {
			m = &Contribution{Member: e.Actor}
			members[e.Actor] = m
		}
		switch e.Action {
		case Drafted:
			m.Drafted++
		case Submitted:
			m.Submitted++
			if openCycles[e.Subject] == nil {
				openCycles[e.Subject] = &cycle{open: e.At, due: e.Due}
			}
		case Approved, ChangesRequested, Rejected:
			rep.Decisions++
			switch e.Action {
			case Approved:
				m.Approved++
			case ChangesRequested:
				m.ChangesRequested++
				changes++
			default:
				m.Rejected++
			}
			if c := openCycles[e.Subject]; c != nil {
				delete(openCycles, e.Subject)
				rep.Reviews++
				durations = append(durations, e.At.Sub(c.open))
				if c.breached || (!c.due.IsZero() && e.At.After(c.due)) {
					rep.DeadlineBreaches++
				}
			}
		case DeadlineMissed:
			if c := openCycles[e.Subject]; c != nil {
				c.breached = true
			} else {
				rep.DeadlineBreaches++
			}
		case Scheduled:
			m.Scheduled++
		case Published:
			m.Published++
			rep.Published++
			if !e.Due.IsZero() {
				rep.PublishedWithSlot++
				if d := e.At.Sub(e.Due); d <= opts.OnTimeWithin && d >= -opts.OnTimeWithin {
					rep.OnTime++
				}
			}
		case PublishFailed:
			cause := e.Cause
			if cause == "" {
				cause = "unknown"
			}
			causes[cause]++
		}
	}
	for _, c := range openCycles {
		rep.OpenReviews++
		if c.breached || (!c.due.IsZero() && opts.Now.After(c.due)) {
			rep.DeadlineBreaches++
		}
	}
	rep.TimeInReviewMedian, rep.TimeInReviewP90 = median(durations, "no closed review"), percentile(durations, 90, "no closed review")
	if rep.Decisions > 0 {
		rep.ChangesRequestedRate = defined(float64(changes) / float64(rep.Decisions))
	} else {
		rep.ChangesRequestedRate = undefined("no review decision")
	}
	if rep.PublishedWithSlot > 0 {
		rep.OnTimeRate = defined(float64(rep.OnTime) / float64(rep.PublishedWithSlot))
	} else {
		rep.OnTimeRate = undefined("no publish carried its slot")
	}
	for cause, n := range causes {
		rep.Failures = append(rep.Failures, CauseCount{Cause: cause, Count: n})
	}
	sort.Slice(rep.Failures, func(a, b int) bool {
		fa, fb := rep.Failures[a], rep.Failures[b]
		if fa.Count != fb.Count {
			return fa.Count > fb.Count
		}
		return fa.Cause < fb.Cause
	})
	for _, m := range members {
		rep.Members = append(rep.Members, *m)
	}
	sort.Slice(rep.Members, func(a, b int) bool { return rep.Members[a].Member < rep.Members[b].Member })
	return rep, nil
}

// median is the middle of d (the mean of the two middle values of an even
// count); undefined with why when d is empty.
func median(d []time.Duration, why string) Duration {
	if len(d) == 0 {
		return Duration{Why: why}
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	n := len(s)
	if n%2 == 1 {
		return Duration{D: s[n/2], OK: true}
	}
	return Duration{D: s[n/2-1] + (s[n/2]-s[n/2-1])/2, OK: true}
}

// percentile is the nearest-rank p-th percentile of d, ⌈p/100·n⌉; undefined
// with why when d is empty.
func percentile(d []time.Duration, p float64, why string) Duration {
	if len(d) == 0 {
		return Duration{Why: why}
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	r := int(math.Ceil(p / 100 * float64(len(s))))
	return Duration{D: s[max(r, 1)-1], OK: true}
}
