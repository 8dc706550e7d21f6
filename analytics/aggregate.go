package analytics

import (
	"slices"
	"sort"
	"strconv"
	"time"
)

// Dimension is the target attribute an aggregation groups by.
type Dimension uint8

// Dimensions. A target lacking the attribute falls in the group "". With
// ByLabel a target counts once in each of its labels' groups, so label groups
// overlap and do not add up to the whole.
const (
	All         Dimension = iota // one group, "", holding every target
	ByNetwork                    // Target.Network
	ByChannel                    // Target.Channel
	ByWorkspace                  // Target.Workspace
	ByCampaign                   // Target.Campaign
	ByLabel                      // each of Target.Labels
	ByAuthor                     // Target.Author
	ByPost                       // Target.ID: one group per target
)

var dimensionNames = [...]string{"all", "network", "channel", "workspace", "campaign", "label", "author", "post"}

// String returns the dimension's name, e.g. "campaign".
func (d Dimension) String() string {
	if int(d) < len(dimensionNames) {
		return dimensionNames[d]
	}
	return "dimension(" + strconv.Itoa(int(d)) + ")"
}

// MaxCells bounds groups × periods in one aggregation (each cell holds 112
// bytes per metric set reported in the group). A query over the limit is a
// [*FieldError].
const MaxCells = 1 << 20

// MaxPeriods bounds the number of periods in one query.
const MaxPeriods = 1 << 17

// Query says how to aggregate: by which dimension, in which periods of which
// zone, over which interval. Start and End are widened to the boundaries of
// the periods that contain them (End excluded). The zero Zone is UTC.
type Query struct {
	By         Dimension
	Every      Granularity
	Zone       string
	Start, End time.Time
}

// Row holds the figures of one group in one period [Start, End).
//
// Total sums, over the group's targets, each target's latest snapshot taken
// before End: the cumulative state at the period's end (a target without a
// snapshot yet does not count). Gain is what changed during the period: Total
// minus the same sum at Start, so ratio KPIs of Gain are rates of the
// period's own activity (engagements gained per impression gained). In Gain,
// Posts counts the targets that got their first snapshot in the period, while
// "how many posts report a metric" (which decides whether a KPI is defined)
// is taken from Total. A counter a network corrected downwards makes a Gain
// negative, as reported.
type Row struct {
	Group      string
	Start, End time.Time
	Total      Figures
	Gain       Figures
}

// Table is the result of an aggregation: one row per group and period,
// ordered by group, then period.
type Table struct {
	Query Query
	Rows  []Row
}

// periods returns the period boundaries covering q, and q's zone.
func (q Query) periods(op string) ([]time.Time, error) {
	loc, err := loadZone(op, "query.zone", q.Zone)
	if err != nil {
		return nil, err
	}
	if !q.End.After(q.Start) {
		return nil, &RangeError{Op: op, Field: "query", Start: q.Start, End: q.End}
	}
	if q.Start.Before(minInstant) || q.End.After(maxInstant) {
		return nil, &FieldError{Op: op, Field: "query.start", Value: q.Start.String(), Reason: "outside 1678..2262"}
	}
	if q.By > ByPost {
		return nil, &FieldError{Op: op, Field: "query.by", Value: q.By.String(), Reason: "unknown dimension"}
	}
	if q.Every > Month {
		return nil, &FieldError{Op: op, Field: "query.every", Value: q.Every.String(), Reason: "unknown granularity"}
	}
	if q.Every == Whole {
		return []time.Time{q.Start.In(loc), q.End.In(loc)}, nil
	}
	b := []time.Time{floorPeriod(q.Start, q.Every, loc)}
	for b[len(b)-1].Before(q.End) {
		if len(b) > MaxPeriods {
			return nil, &FieldError{Op: op, Field: "query", Value: strconv.Itoa(len(b)), Reason: "more than MaxPeriods periods"}
		}
		b = append(b, nextPeriod(b[len(b)-1], q.Every, loc))
	}
	return b, nil
}

func (d *Dataset) keys(t *Target, by Dimension, buf []string) []string {
	buf = buf[:0]
	switch by {
	case All:
		return append(buf, "")
	case ByNetwork:
		return append(buf, t.Network)
	case ByChannel:
		return append(buf, t.Channel)
	case ByWorkspace:
		return append(buf, t.Workspace)
	case ByCampaign:
		return append(buf, t.Campaign)
	case ByAuthor:
		return append(buf, t.Author)
	case ByPost:
		return append(buf, t.ID)
	case ByLabel:
		if len(t.Labels) == 0 {
			return append(buf, "")
		}
		for _, l := range t.Labels {
			if !slices.Contains(buf, l) {
				buf = append(buf, l)
			}
		}
	}
	return buf
}

// Aggregate computes q over the dataset: for every group and period, the
// [Row] with the period-end totals and the period's gain. Targets with no
// snapshot before the end of the interval have no group. It fails, with
// nothing computed, on an invalid query ([*RangeError], [*ZoneError],
// [*FieldError]) or when a group's targets carry money in different
// currencies ([*CurrencyError]); all match socialflow.ErrInvalid.
//
// The work is one pass over each target's snapshot instants with a moving
// period cursor (no per-snapshot allocation, map or zone conversion), plus
// one pass over groups × periods.
func (d *Dataset) Aggregate(q Query) (Table, error) {
	const op = "Aggregate"
	bounds, err := q.periods(op)
	if err != nil {
		return Table{}, err
	}
	P := len(bounds) - 1
	bn := make([]int64, len(bounds))
	for i, b := range bounds {
		bn[i] = b.UnixNano()
	}
	endN := bn[P]

	// Group assignment: a flat list of group indices per target.
	gIndex := map[string]int32{}
	var names []string
	off := make([]int32, len(d.targets)+1)
	var list []int32
	var buf []string
	for ti := range d.targets {
		s := d.series[ti]
		if len(s.at) > 0 && s.at[0] < endN {
			buf = d.keys(&d.targets[ti], q.By, buf)
			for _, k := range buf {
				g, ok := gIndex[k]
				if !ok {
					g = int32(len(names))
					gIndex[k] = g
					names = append(names, k)
				}
				list = append(list, g)
			}
		}
		off[ti+1] = int32(len(list))
	}
	G := len(names)
	if G*(P+1) > MaxCells {
		return Table{}, &FieldError{Op: op, Field: "query", Value: strconv.Itoa(G) + " groups × " + strconv.Itoa(P) + " periods", Reason: "more than MaxCells cells"}
	}
	currency := make([]string, G)
	for ti, s := range d.series {
		if s.currency == "" {
			continue
		}
		for _, g := range list[off[ti]:off[ti+1]] {
			switch currency[g] {
			case "":
				currency[g] = s.currency
			case s.currency:
			default:
				return Table{}, &CurrencyError{Op: op, Where: q.By.String() + " " + strconv.Quote(names[g]), Want: currency[g], Got: s.currency}
			}
		}
	}

	// Bucket k (k = 0..P) of a (group, presence mask) slab collects the
	// changes of state at the end of period k; bucket 0 holds the state
	// before the first period.
	stride := P + 1
	a := aggregator{bn: bn, stride: stride, slot: map[uint64]int{}, groupSlabs: make([][]int, G)}
	for ti, s := range d.series {
		gs := list[off[ti]:off[ti+1]]
		if len(gs) == 0 {
			continue
		}
		a.series(s, gs)
	}

	rows := make([]Row, 0, G*P)
	order := make([]int, G)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return names[order[a]] < names[order[b]] })
	var run []hot
	for _, g := range order {
		run = run[:0]
		for _, id := range a.groupSlabs[g] {
			run = append(run, a.slabs[id].cells[0])
		}
		for k := 1; k <= P; k++ {
			r := Row{Group: names[g], Start: bounds[k-1], End: bounds[k]}
			for j, id := range a.groupSlabs[g] {
				sl := &a.slabs[id]
				gain := &sl.cells[k]
				for i := range run[j] {
					run[j][i] += gain[i]
				}
				expand(sl.mask, &run[j], &r.Total.c)
				expand(sl.mask, gain, &r.Gain.c)
			}
			r.Gain.countsFrom(&r.Total)
			if currency[g] != "" {
				r.Total.Currency, r.Gain.Currency = currency[g], currency[g]
			}
			rows = append(rows, r)
		}
	}
	return Table{Query: q, Rows: rows}, nil
}

// slab holds the buckets of one group for the targets reporting exactly
// mask: one hot state per period (plus the state before the first).
type slab struct {
	mask  uint32
	cells []hot
}

// aggregator holds the buckets of one aggregation: one slab per (group,
// presence mask) seen. Most targets keep one mask, so a group has as many
// slabs as its networks have metric sets.
type aggregator struct {
	bn         []int64 // period boundaries, UnixNano
	stride     int     // periods + 1
	slot       map[uint64]int
	slabs      []slab
	groupSlabs [][]int // slab IDs per group
	ids        []int   // per group of the current target: its slab IDs
	touched    uint32  // keeps the prefetching loads alive
}

// slabsFor writes into a.ids the slab of each group gs for mask.
func (a *aggregator) slabsFor(gs []int32, mask uint32) {
	a.ids = a.ids[:0]
	for _, g := range gs {
		key := uint64(g)<<32 | uint64(mask)
		id, ok := a.slot[key]
		if !ok {
			id = len(a.slabs)
			a.slot[key] = id
			a.slabs = append(a.slabs, slab{mask: mask, cells: make([]hot, a.stride)})
			a.groupSlabs[g] = append(a.groupSlabs[g], id)
		}
		a.ids = append(a.ids, id)
	}
}

// series is the hot path: it walks one target's instants with a period
// cursor and, each time the period changes, adds the difference between the
// last state of the finished period and the state already counted to the
// target's slab in every group. A map is consulted only when the target's
// presence mask changes, which for most targets is once.
func (a *aggregator) series(s *Series, gs []int32) {
	var prev, cur hot
	var touched uint32
	mask, started := uint32(0), false
	bn := a.bn
	endN := bn[len(bn)-1]
	flush := func(i, k int) {
		r := &s.rows[i]
		if m := r.mask(); m != mask || !started {
			if started { // move the target's counted state out of its old slabs
				for _, id := range a.ids {
					b := &a.slabs[id].cells[k]
					for c := range b {
						b[c] -= prev[c]
					}
				}
			}
			a.slabsFor(gs, m)
			prev, mask, started = hot{}, m, true
		}
		r.hot(&cur)
		for c := range cur {
			cur[c], prev[c] = cur[c]-prev[c], cur[c]
		}
		for _, id := range a.ids {
			b := &a.slabs[id].cells[k]
			for c := range b {
				b[c] += cur[c]
			}
		}
	}
	k, last := 0, -1
	rows := s.rows[:len(s.at)]
	for i, at := range s.at {
		// Touching every row keeps the access sequential, so the hardware
		// prefetcher streams the rows a flush reads instead of missing.
		touched += rows[i].c.has
		if at >= bn[k] {
			if at >= endN {
				break
			}
			if last >= 0 {
				flush(last, k)
			}
			for at >= bn[k] {
				k++
			}
		}
		last = i
	}
	if last >= 0 {
		flush(last, k)
	}
	a.touched += touched
}

// Groups returns the table's group names in order.
func (t Table) Groups() []string {
	var out []string
	for _, r := range t.Rows {
		if len(out) == 0 || out[len(out)-1] != r.Group {
			out = append(out, r.Group)
		}
	}
	return out
}

// Merge returns the aggregation of the union of two disjoint sets of targets
// from the aggregations of each: Merge(A(x), A(y)) equals A(x ∪ y). The tables
// must come from the same query (else a [*FieldError]); money of one group in
// two currencies is a [*CurrencyError].
func Merge(a, b Table) (Table, error) {
	qa, qb := a.Query, b.Query
	if qa.By != qb.By || qa.Every != qb.Every || qa.Zone != qb.Zone || !qa.Start.Equal(qb.Start) || !qa.End.Equal(qb.End) {
		return Table{}, &FieldError{Op: "Merge", Field: "query", Reason: "tables come from different queries"}
	}
	out := Table{Query: a.Query, Rows: make([]Row, 0, max(len(a.Rows), len(b.Rows)))}
	i, j := 0, 0
	for i < len(a.Rows) || j < len(b.Rows) {
		switch {
		case j == len(b.Rows) || (i < len(a.Rows) && a.Rows[i].Group < b.Rows[j].Group):
			out.Rows = append(out.Rows, a.Rows[i])
			i++
		case i == len(a.Rows) || b.Rows[j].Group < a.Rows[i].Group:
			out.Rows = append(out.Rows, b.Rows[j])
			j++
		default: // same group: same periods, in the same order
			r := a.Rows[i]
			if !r.Start.Equal(b.Rows[j].Start) {
				return Table{}, &FieldError{Op: "Merge", Field: "rows", Value: r.Group, Reason: "periods differ"}
			}
			if err := r.Total.Add(b.Rows[j].Total); err != nil {
				return Table{}, &CurrencyError{Op: "Merge", Where: strconv.Quote(r.Group), Want: r.Total.Currency, Got: b.Rows[j].Total.Currency}
			}
			if err := r.Gain.Add(b.Rows[j].Gain); err != nil {
				return Table{}, &CurrencyError{Op: "Merge", Where: strconv.Quote(r.Group), Want: r.Gain.Currency, Got: b.Rows[j].Gain.Currency}
			}
			out.Rows = append(out.Rows, r)
			i++
			j++
		}
	}
	return out, nil
}
