package analytics

import (
	"sort"
	"strconv"
	"time"
)

// Ranked is one post in a top-N ranking.
type Ranked struct {
	Target   Target
	Snapshot Snapshot // the latest snapshot at or before the ranking instant
	Value    Value    // the KPI of Snapshot, always defined
}

// Top returns the n posts with the highest KPI k, each read from its latest
// snapshot at or before at; where, if not nil, selects the targets
// considered. Posts whose KPI is undefined are left out, ties are broken by
// target ID, and fewer than n posts come back when fewer qualify. n < 1 is a
// [*FieldError].
func (d *Dataset) Top(k KPI, n int, at time.Time, where func(Target) bool) ([]Ranked, error) {
	if n < 1 {
		return nil, &FieldError{Op: "Top", Field: "n", Value: strconv.Itoa(n), Reason: "must be at least 1"}
	}
	var out []Ranked
	for i, t := range d.targets {
		if where != nil && !where(t) {
			continue
		}
		snap, ok := d.series[i].At(at)
		if !ok {
			continue
		}
		v := Compute(snap, k)
		if !v.OK {
			continue
		}
		out = append(out, Ranked{Target: t, Snapshot: snap, Value: v})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Value.V != out[b].Value.V {
			return out[a].Value.V > out[b].Value.V
		}
		return out[a].Target.ID < out[b].Target.ID
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// Basis chooses which figures of a [Row] a comparison reads.
type Basis uint8

// Bases.
const (
	AtEnd    Basis = iota // Row.Total: the cumulative state at the period's end
	InPeriod              // Row.Gain: what happened during the period
)

func (b Basis) of(r Row) Figures {
	if b == InPeriod {
		return r.Gain
	}
	return r.Total
}

// Change compares a KPI of one group between two periods.
type Change struct {
	Group      string
	Start, End time.Time // the current period
	Current    Value
	Previous   Value
	Percent    Value // PercentChange(Current, Previous): undefined when Previous is 0
}

// PeriodOverPeriod compares KPI k of each row with the previous period of the
// same group. The first period of each group has an undefined Previous.
func (t Table) PeriodOverPeriod(k KPI, b Basis) []Change {
	out := make([]Change, 0, len(t.Rows))
	for i, r := range t.Rows {
		c := Change{Group: r.Group, Start: r.Start, End: r.End, Current: b.of(r).KPI(k)}
		if i > 0 && t.Rows[i-1].Group == r.Group {
			c.Previous = b.of(t.Rows[i-1]).KPI(k)
		} else {
			c.Previous = undefined("no previous period")
		}
		c.Percent = PercentChange(c.Current, c.Previous)
		out = append(out, c)
	}
	return out
}

// Compare compares KPI k of each row of cur with the row of prev for the same
// group at the same position (e.g. this quarter against the last, both
// aggregated with the same granularity). A group missing from prev has an
// undefined Previous.
func Compare(cur, prev Table, k KPI, b Basis) []Change {
	pos := map[string][]Row{}
	for _, r := range prev.Rows {
		pos[r.Group] = append(pos[r.Group], r)
	}
	out := make([]Change, 0, len(cur.Rows))
	n := 0
	for i, r := range cur.Rows {
		if i == 0 || cur.Rows[i-1].Group != r.Group {
			n = 0
		}
		c := Change{Group: r.Group, Start: r.Start, End: r.End, Current: b.of(r).KPI(k)}
		if p := pos[r.Group]; n < len(p) {
			c.Previous = b.of(p[n]).KPI(k)
		} else {
			c.Previous = undefined("group absent from the previous table")
		}
		c.Percent = PercentChange(c.Current, c.Previous)
		out = append(out, c)
		n++
	}
	return out
}
