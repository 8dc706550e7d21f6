package analytics

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The benchmark data: 10 M snapshots of 25 000 targets in 50 campaigns, 400
// snapshots per target spread over a quarter (about 4 a day, as a poller
// reading fresh posts often and old ones rarely would produce). It is built
// once, lazily, so plain `go test` never pays for it.
const (
	benchTargets   = 25_000
	benchPerTarget = 400
	benchCampaigns = 50
)

var (
	benchOnce sync.Once
	benchData *Dataset
	benchQ    Query
)

func benchDataset(b *testing.B) (*Dataset, Query) {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 3, 0)
		span := end.Sub(start)
		rng := rand.New(rand.NewPCG(7, 7))
		d := NewDataset()
		for i := range benchTargets {
			id := "t" + strconv.Itoa(i)
			if err := d.AddTarget(Target{ID: id, Network: "x", Channel: "c" + strconv.Itoa(i%7),
				Campaign: "camp" + strconv.Itoa(i%benchCampaigns)}); err != nil {
				panic(err)
			}
			s := d.series[i]
			s.at = make([]int64, 0, benchPerTarget)
			s.rows = make([]row, 0, benchPerTarget)
			var c Counters
			for j := range benchPerTarget {
				at := start.Add(time.Duration(j) * span / benchPerTarget).Add(time.Duration(rng.Int64N(int64(time.Hour))))
				for m := range NumMetrics {
					v, _ := c.Get(m)
					c.Set(m, v+rng.Int64N(20))
				}
				snap := Snapshot{Target: id, At: at, Counters: c, Revenue: int64(j * 10), HasRevenue: true,
					Cost: int64(j * 5), HasCost: true, Currency: "EUR"}
				if err := s.Add(snap); err != nil {
					panic(err)
				}
			}
		}
		benchData = d
		benchQ = Query{By: ByCampaign, Every: Day, Zone: "UTC", Start: start, End: end}
	})
	return benchData, benchQ
}

func BenchmarkAggregate(b *testing.B) {
	d, q := benchDataset(b)
	b.ReportAllocs()
	for b.Loop() {
		t, err := d.Aggregate(q)
		if err != nil || len(t.Rows) != benchCampaigns*90 {
			b.Fatalf("Aggregate: %d rows, %v", len(t.Rows), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(benchTargets*benchPerTarget), "ns/snapshot")
}

// BenchmarkSumLoop is the floor: a plain loop summing the same fields (every
// counter, revenue and cost) of the same snapshots, without grouping.
func BenchmarkSumLoop(b *testing.B) {
	d, q := benchDataset(b)
	endN := q.End.UnixNano()
	b.ReportAllocs()
	var sink [NumMetrics + 2]int64
	for b.Loop() {
		var sum [NumMetrics + 2]int64
		for _, s := range d.series {
			for i, at := range s.at {
				if at >= endN {
					break
				}
				r := &s.rows[i]
				for m := range NumMetrics {
					sum[m] += r.c.v[m]
				}
				sum[NumMetrics] += r.revenue
				sum[NumMetrics+1] += r.cost
			}
		}
		sink = sum
	}
	_ = sink
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(benchTargets*benchPerTarget), "ns/snapshot")
}
