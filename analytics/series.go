package analytics

import (
	"iter"
	"sort"
	"time"
)

// row is the dense form of one snapshot in a Series; its instant lives in the
// parallel Series.at slice so that scans over time touch 8 bytes per snapshot.
type row struct {
	c       Counters
	revenue int64
	cost    int64
	money   uint8 // moneyRevenue | moneyCost
}

const (
	moneyRevenue = 1 << iota
	moneyCost
)

// Series holds the snapshots of one target in time order. Snapshots may
// arrive late and out of order: [Series.Add] inserts each at its place. A
// counter that drops between two snapshots (a network correcting itself) is
// kept as reported, never clamped. A snapshot at the same instant as one
// already held replaces it, so a re-delivered snapshot is harmless.
//
// The zero value is an empty series that accepts the first target it sees. A
// Series is not safe for concurrent mutation.
type Series struct {
	target   string
	currency string
	at       []int64 // UnixNano, ascending, unique
	rows     []row
}

// NewSeries returns an empty series for target.
func NewSeries(target string) *Series { return &Series{target: target} }

// Target returns the target ID the series holds.
func (s *Series) Target() string { return s.target }

// Len returns the number of snapshots held.
func (s *Series) Len() int { return len(s.at) }

// Currency returns the currency of the series' money, "" if no snapshot
// carried money.
func (s *Series) Currency() string { return s.currency }

// Add validates snap and inserts it in time order. It fails, changing
// nothing, with a [*FieldError] if snap is invalid or belongs to another
// target, and a [*CurrencyError] if its money is in another currency than the
// series' earlier snapshots.
func (s *Series) Add(snap Snapshot) error {
	const op = "Series.Add"
	if err := snap.Validate(); err != nil {
		return err
	}
	if s.target == "" {
		s.target = snap.Target
	}
	if snap.Target != s.target {
		return &FieldError{Op: op, Field: "target", Value: snap.Target, Reason: "series holds " + s.target}
	}
	r := row{c: snap.Counters}
	if snap.HasRevenue {
		r.revenue, r.money = snap.Revenue, r.money|moneyRevenue
	}
	if snap.HasCost {
		r.cost, r.money = snap.Cost, r.money|moneyCost
	}
	if r.money != 0 {
		if s.currency != "" && s.currency != snap.Currency {
			return &CurrencyError{Op: op, Where: s.target, Want: s.currency, Got: snap.Currency}
		}
		s.currency = snap.Currency
	}
	t := snap.At.UnixNano()
	n := len(s.at)
	if n == 0 || t > s.at[n-1] { // the common case: in order
		s.at = append(s.at, t)
		s.rows = append(s.rows, r)
		return nil
	}
	i := sort.Search(n, func(i int) bool { return s.at[i] >= t })
	if s.at[i] == t {
		s.rows[i] = r
		return nil
	}
	s.at = append(s.at, 0)
	copy(s.at[i+1:], s.at[i:])
	s.at[i] = t
	s.rows = append(s.rows, row{})
	copy(s.rows[i+1:], s.rows[i:])
	s.rows[i] = r
	return nil
}

func (s *Series) snapshot(i int) Snapshot {
	r := &s.rows[i]
	out := Snapshot{Target: s.target, At: time.Unix(0, s.at[i]).UTC(), Counters: r.c}
	if r.money&moneyRevenue != 0 {
		out.Revenue, out.HasRevenue = r.revenue, true
	}
	if r.money&moneyCost != 0 {
		out.Cost, out.HasCost = r.cost, true
	}
	if r.money != 0 {
		out.Currency = s.currency
	}
	return out
}

// index returns the index of the latest snapshot at or before t, or -1.
func (s *Series) index(t time.Time) int {
	if t.Before(minInstant) {
		return -1
	}
	if t.After(maxInstant) {
		return len(s.at) - 1
	}
	n := t.UnixNano()
	return sort.Search(len(s.at), func(i int) bool { return s.at[i] > n }) - 1
}

// At returns the latest snapshot taken at or before t (binary search), and
// false if there is none. Its At is in UTC.
func (s *Series) At(t time.Time) (Snapshot, bool) {
	i := s.index(t)
	if i < 0 {
		return Snapshot{}, false
	}
	return s.snapshot(i), true
}

// Latest returns the most recent snapshot, and false if the series is empty.
func (s *Series) Latest() (Snapshot, bool) {
	if len(s.at) == 0 {
		return Snapshot{}, false
	}
	return s.snapshot(len(s.at) - 1), true
}

// All yields the snapshots in time order.
func (s *Series) All() iter.Seq[Snapshot] {
	return func(yield func(Snapshot) bool) {
		for i := range s.at {
			if !yield(s.snapshot(i)) {
				return
			}
		}
	}
}

// Growth is the change of one metric between two instants; see
// [Series.Growth].
type Growth struct {
	Metric   Metric
	From, To Value // the metric in the latest snapshot at or before each instant
	Change   Value // To − From
	Percent  Value // 100 × (To − From) / From; undefined when From is 0
}

// Growth returns how metric m changed between from and to, each read from the
// latest snapshot at or before that instant. A value is undefined when there
// is no snapshot yet or the metric is absent; Percent is undefined when From
// is 0. to before from is a [*RangeError].
func (s *Series) Growth(m Metric, from, to time.Time) (Growth, error) {
	if to.Before(from) {
		return Growth{}, &RangeError{Op: "Series.Growth", Field: "interval", Start: from, End: to}
	}
	if m >= NumMetrics {
		return Growth{}, &FieldError{Op: "Series.Growth", Field: "metric", Value: m.String(), Reason: "unknown metric"}
	}
	read := func(t time.Time) Value {
		i := s.index(t)
		if i < 0 {
			return undefined("no snapshot at or before " + t.UTC().Format(time.RFC3339))
		}
		v, ok := s.rows[i].c.Get(m)
		if !ok {
			return undefined(m.String() + " not reported")
		}
		return defined(float64(v))
	}
	g := Growth{Metric: m, From: read(from), To: read(to)}
	switch {
	case !g.From.OK:
		g.Change, g.Percent = g.From, g.From
	case !g.To.OK:
		g.Change, g.Percent = g.To, g.To
	default:
		g.Change = defined(g.To.V - g.From.V)
		g.Percent = PercentChange(g.To, g.From)
	}
	return g, nil
}
