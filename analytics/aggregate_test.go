package analytics_test

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "time/tzdata"
)

// handDataset is the dataset of the hand-computed aggregation tables. Oslo
// leaves summer time on 2026-10-25 at 03:00, so that day lasts 25 hours.
func handDataset(t *testing.T) *analytics.Dataset {
	t.Helper()
	d := analytics.NewDataset()
	for _, tg := range []analytics.Target{
		{ID: "p1", Network: "x", Channel: "acme-x", Campaign: "spring", Labels: []string{"a", "b", "a"}, Author: "ana", Zone: "Europe/Oslo"},
		{ID: "p2", Network: "mastodon", Channel: "acme-m", Campaign: "spring", Author: "bo", Zone: "Europe/Oslo"},
		{ID: "p3", Network: "x", Channel: "acme-x", Campaign: "fall", Labels: []string{"b"}, Author: "ana", Zone: "Europe/Oslo"},
	} {
		require.NoError(t, d.AddTarget(tg))
	}
	s3 := snap("p3", utc(2026, 10, 26, 10, 0), analytics.Impressions, 1000, analytics.Clicks, 20,
		analytics.Conversions, 2, analytics.Likes, 10)
	s3.Revenue, s3.HasRevenue, s3.Cost, s3.HasCost, s3.Currency = 5000, true, 2000, true, "EUR"
	for _, s := range []analytics.Snapshot{
		// Given out of order on purpose.
		snap("p1", utc(2026, 10, 24, 20, 0), analytics.Likes, 8, analytics.Impressions, 200, analytics.Clicks, 10, analytics.Reach, 150),
		snap("p1", utc(2026, 10, 23, 12, 0), analytics.Likes, 1, analytics.Impressions, 10, analytics.Clicks, 0, analytics.Reach, 8),
		snap("p1", utc(2026, 10, 24, 10, 0), analytics.Likes, 5, analytics.Impressions, 100, analytics.Clicks, 4, analytics.Reach, 80),
		// 23:30 UTC is 00:30 on the 26th in Oslo (UTC+1 after the change): a correction down.
		snap("p1", utc(2026, 10, 25, 23, 30), analytics.Likes, 7, analytics.Impressions, 300, analytics.Clicks, 12, analytics.Reach, 200),
		// 22:30 UTC is 23:30 on the 25th in Oslo.
		snap("p2", utc(2026, 10, 25, 22, 30), analytics.Likes, 3, analytics.Shares, 2, analytics.Followers, 50),
		snap("p2", utc(2026, 10, 28, 0, 0), analytics.Likes, 99), // after the query: ignored
		s3,
	} {
		require.NoError(t, d.Add(s))
	}
	return d
}

func osloDays() analytics.Query {
	oslo := mustZone("Europe/Oslo")
	return analytics.Query{By: analytics.ByCampaign, Every: analytics.Day, Zone: "Europe/Oslo",
		Start: time.Date(2026, 10, 24, 0, 0, 0, 0, oslo), End: time.Date(2026, 10, 27, 0, 0, 0, 0, oslo)}
}

func TestAggregateHandComputed(t *testing.T) {
	d := handDataset(t)
	tab, err := d.Aggregate(osloDays())
	require.NoError(t, err)
	require.Len(t, tab.Rows, 6)
	assert.Equal(t, []string{"fall", "spring"}, tab.Groups())

	spring := tab.Rows[3:]
	assert.Equal(t, []time.Duration{24 * time.Hour, 25 * time.Hour, 24 * time.Hour},
		[]time.Duration{spring[0].End.Sub(spring[0].Start), spring[1].End.Sub(spring[1].Start), spring[2].End.Sub(spring[2].Start)})

	type want struct {
		k     analytics.KPI
		total float64
		gain  float64
		ok    bool
	}
	likes, impr := analytics.MetricKPI(analytics.Likes), analytics.MetricKPI(analytics.Impressions)
	for i, wants := range [][]want{
		{ // Oct 24: p1 at 20:00 UTC (22:00 local).
			{analytics.Posts, 1, 0, true}, {likes, 8, 7, true}, {impr, 200, 190, true},
			{analytics.ClickThroughRate, 10.0 / 200, 10.0 / 190, true},
			{analytics.AverageReach, 150, 142, true}, {analytics.EngagementRateByReach, 8.0 / 150, 7.0 / 142, true},
		},
		{ // Oct 25: p2 joins; it reports no impressions and no reach.
			{analytics.Posts, 2, 1, true}, {likes, 11, 3, true}, {analytics.Engagements, 13, 5, true},
			{analytics.EngagementRateByImpressions, 8.0 / 200, 0, false}, // no impression gained
			{analytics.EngagementRateByFollowers, 5.0 / 50, 5.0 / 50, true},
			{analytics.AverageReach, 150, 0, true},
		},
		{ // Oct 26: p1 corrected its likes down to 7.
			{likes, 10, -1, true}, {impr, 300, 100, true},
		},
	} {
		for _, w := range wants {
			got, gain := spring[i].Total.KPI(w.k), spring[i].Gain.KPI(w.k)
			require.True(t, got.OK, "day %d %s: %s", i, w.k, got.Why)
			assert.InDelta(t, w.total, got.V, 1e-12, "day %d total %s", i, w.k)
			assert.Equal(t, w.ok, gain.OK, "day %d gain %s: %s", i, w.k, gain.Why)
			if w.ok {
				assert.InDelta(t, w.gain, gain.V, 1e-12, "day %d gain %s", i, w.k)
			}
		}
	}
	fall := tab.Rows[:3]
	assert.Equal(t, 0.0, fall[0].Total.KPI(analytics.Posts).V)
	assert.False(t, fall[0].Total.KPI(analytics.ROI).OK)
	for k, v := range map[analytics.KPI]float64{
		analytics.ROI: 1.5, analytics.ConversionRate: 0.1, analytics.ClickThroughRate: 0.02,
		analytics.CostPerClick: 100, analytics.CostPerEngagement: 200, analytics.Revenue: 5000,
	} {
		assert.InDelta(t, v, fall[2].Total.KPI(k).V, 1e-12, k.String())
	}
	assert.Equal(t, "EUR", fall[2].Total.Currency)

	// Labels: p1 counts once in "a" and once in "b"; p2 has none.
	lab := osloDays()
	lab.By, lab.Every = analytics.ByLabel, analytics.Whole
	tab, err = d.Aggregate(lab)
	require.NoError(t, err)
	assert.Equal(t, []string{"", "a", "b"}, tab.Groups())
	assert.Equal(t, 2.0, tab.Rows[2].Total.KPI(analytics.Posts).V) // p1 and p3
	assert.Equal(t, 1.0, tab.Rows[1].Total.KPI(analytics.Posts).V)
}

func TestAggregateBadInput(t *testing.T) {
	d := handDataset(t)
	q := osloDays()
	for _, tt := range []struct {
		name   string
		mutate func(*analytics.Query)
		target any
	}{
		{"end before start", func(q *analytics.Query) { q.End = q.Start.Add(-time.Hour) }, new(*analytics.RangeError)},
		{"empty interval", func(q *analytics.Query) { q.End = q.Start }, new(*analytics.RangeError)},
		{"unknown zone", func(q *analytics.Query) { q.Zone = "Mars/Olympus_Mons" }, new(*analytics.ZoneError)},
		{"unknown dimension", func(q *analytics.Query) { q.By = 99 }, new(*analytics.FieldError)},
		{"too many periods", func(q *analytics.Query) { q.Every = analytics.Hour; q.End = q.Start.AddDate(30, 0, 0) }, new(*analytics.FieldError)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			qq := q
			tt.mutate(&qq)
			_, err := d.Aggregate(qq)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			require.ErrorAs(t, err, tt.target)
		})
	}

	t.Run("mixed currencies", func(t *testing.T) {
		require.NoError(t, d.AddTarget(analytics.Target{ID: "p4", Campaign: "fall"}))
		s := snap("p4", utc(2026, 10, 24, 10, 0))
		s.Cost, s.HasCost, s.Currency = 100, true, "USD"
		require.NoError(t, d.Add(s))
		_, err := d.Aggregate(q)
		var ce *analytics.CurrencyError
		require.ErrorAs(t, err, &ce)
		require.ErrorIs(t, err, socialflow.ErrInvalid)
		assert.Equal(t, []string{"EUR", "USD"}, []string{ce.Want, ce.Got})
		byPost := q
		byPost.By = analytics.ByPost
		_, err = d.Aggregate(byPost) // each post alone is fine
		require.NoError(t, err)
	})
	t.Run("unknown target and zone", func(t *testing.T) {
		err := d.Add(snap("nope", utc(2026, 10, 24, 10, 0)))
		require.ErrorIs(t, err, socialflow.ErrNotFound)
		var ue *analytics.UnknownTargetError
		require.ErrorAs(t, err, &ue)
		err = d.AddTarget(analytics.Target{ID: "p9", Zone: "Europe/Atlantis"})
		var ze *analytics.ZoneError
		require.ErrorAs(t, err, &ze)
		require.ErrorIs(t, err, socialflow.ErrInvalid)
		assert.Equal(t, 4, d.Len())
	})
}

func TestPeriodBoundaries(t *testing.T) {
	d := analytics.NewDataset()
	require.NoError(t, d.AddTarget(analytics.Target{ID: "p"}))
	require.NoError(t, d.Add(snap("p", utc(2026, 1, 1, 0, 0), analytics.Likes, 1)))
	ny, kolkata := mustZone("America/New_York"), mustZone("Asia/Kolkata")
	for _, tt := range []struct {
		name       string
		q          analytics.Query
		firstStart time.Time
		lengths    []time.Duration
	}{
		{"spring forward day", analytics.Query{Every: analytics.Day, Zone: "America/New_York",
			Start: time.Date(2026, 3, 7, 12, 0, 0, 0, ny), End: time.Date(2026, 3, 9, 1, 0, 0, 0, ny)},
			time.Date(2026, 3, 7, 0, 0, 0, 0, ny), []time.Duration{24 * time.Hour, 23 * time.Hour, 24 * time.Hour}},
		{"hours across fall back", analytics.Query{Every: analytics.Hour, Zone: "America/New_York",
			Start: time.Date(2026, 11, 1, 0, 30, 0, 0, ny), End: time.Date(2026, 11, 1, 3, 0, 0, 0, ny)},
			time.Date(2026, 11, 1, 0, 0, 0, 0, ny), []time.Duration{time.Hour, time.Hour, time.Hour, time.Hour}},
		{"half-hour zone hours", analytics.Query{Every: analytics.Hour, Zone: "Asia/Kolkata",
			Start: time.Date(2026, 5, 1, 10, 15, 0, 0, kolkata), End: time.Date(2026, 5, 1, 12, 0, 0, 0, kolkata)},
			time.Date(2026, 5, 1, 10, 0, 0, 0, kolkata), []time.Duration{time.Hour, time.Hour}},
		{"weeks start on Monday", analytics.Query{Every: analytics.Week, Zone: "America/New_York",
			Start: time.Date(2026, 3, 4, 0, 0, 0, 0, ny), End: time.Date(2026, 3, 10, 0, 0, 0, 0, ny)},
			time.Date(2026, 3, 2, 0, 0, 0, 0, ny), []time.Duration{7*24*time.Hour - time.Hour, 7 * 24 * time.Hour}},
		{"months", analytics.Query{Every: analytics.Month,
			Start: utc(2026, 2, 10, 0, 0), End: utc(2026, 3, 2, 0, 0)},
			utc(2026, 2, 1, 0, 0), []time.Duration{28 * 24 * time.Hour, 31 * 24 * time.Hour}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := d.Aggregate(tt.q)
			require.NoError(t, err)
			require.Len(t, tab.Rows, len(tt.lengths))
			assert.True(t, tab.Rows[0].Start.Equal(tt.firstStart), "first period starts %s", tab.Rows[0].Start)
			for i, r := range tab.Rows {
				assert.Equal(t, tt.lengths[i], r.End.Sub(r.Start), "period %d", i)
				if i > 0 {
					assert.True(t, r.Start.Equal(tab.Rows[i-1].End))
				}
			}
		})
	}
}

// randomDataset builds n targets with random attributes and snapshots around
// [start, start+30 days), some out of order, some with counters dropping and
// metrics appearing late.
func randomDataset(t *testing.T, rng *rand.Rand, n int, start time.Time) ([]analytics.Target, []analytics.Snapshot) {
	t.Helper()
	var targets []analytics.Target
	var snaps []analytics.Snapshot
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	for i := range n {
		tg := analytics.Target{ID: "t" + strconv.Itoa(i), Network: pick("x", "mastodon", "linkedin"),
			Channel: pick("c1", "c2", "c3", "c4"), Workspace: pick("w1", "w2"), Campaign: pick("", "k1", "k2", "k3"),
			Author: pick("ana", "bo", "cy"), Zone: pick("", "Europe/Oslo")}
		for range rng.IntN(3) {
			tg.Labels = append(tg.Labels, pick("l1", "l2", "l3"))
		}
		targets = append(targets, tg)
		var c analytics.Counters
		money := rng.IntN(2) == 0
		for range rng.IntN(12) {
			at := start.Add(time.Duration(rng.Int64N(int64(34*24*time.Hour))) - 2*24*time.Hour)
			for m := range analytics.NumMetrics {
				switch rng.IntN(8) {
				case 0:
					continue // unchanged, or still absent
				case 1:
					c.Delete(m) // the network stopped reporting it
					continue
				}
				v, _ := c.Get(m)
				v += rng.Int64N(50) - 5
				c.Set(m, max(v, 0))
			}
			s := analytics.Snapshot{Target: tg.ID, At: at, Counters: c}
			if money {
				s.Revenue, s.HasRevenue = rng.Int64N(1000), rng.IntN(3) > 0
				s.Cost, s.HasCost = rng.Int64N(1000), true
				s.Currency = "EUR"
			}
			snaps = append(snaps, s)
		}
	}
	return targets, snaps
}

func build(t *testing.T, targets []analytics.Target, snaps []analytics.Snapshot, keep func(i int) bool) *analytics.Dataset {
	t.Helper()
	d := analytics.NewDataset()
	idx := map[string]int{}
	for i, tg := range targets {
		idx[tg.ID] = i
		if keep(i) {
			require.NoError(t, d.AddTarget(tg))
		}
	}
	for _, s := range snaps {
		if keep(idx[s.Target]) {
			require.NoError(t, d.Add(s))
		}
	}
	return d
}

func queries(start time.Time) []analytics.Query {
	var out []analytics.Query
	for by := analytics.All; by <= analytics.ByPost; by++ {
		for _, every := range []analytics.Granularity{analytics.Whole, analytics.Hour, analytics.Day, analytics.Week, analytics.Month} {
			end := start.Add(30 * 24 * time.Hour)
			if every == analytics.Hour {
				end = start.Add(50 * time.Hour)
			}
			for _, zone := range []string{"", "Europe/Oslo", "Asia/Kolkata"} {
				out = append(out, analytics.Query{By: by, Every: every, Zone: zone, Start: start, End: end})
			}
		}
	}
	return out
}

// TestMergeProperty: aggregating a partition of the targets and merging the
// parts equals aggregating the whole.
func TestMergeProperty(t *testing.T) {
	start := utc(2026, 3, 1, 0, 0)
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 42))
		targets, snaps := randomDataset(t, rng, 30, start)
		part := make([]int, len(targets))
		for i := range part {
			part[i] = rng.IntN(3)
		}
		whole := build(t, targets, snaps, func(int) bool { return true })
		parts := make([]*analytics.Dataset, 3)
		for p := range parts {
			parts[p] = build(t, targets, snaps, func(i int) bool { return part[i] == p })
		}
		for _, q := range queries(start) {
			want, err := whole.Aggregate(q)
			require.NoError(t, err)
			got, err := parts[0].Aggregate(q)
			require.NoError(t, err)
			for _, p := range parts[1:] {
				tp, err := p.Aggregate(q)
				require.NoError(t, err)
				got, err = analytics.Merge(got, tp)
				require.NoError(t, err)
			}
			require.Len(t, got.Rows, len(want.Rows), "seed %d %+v", seed, q)
			for i := range want.Rows {
				w, g := want.Rows[i], got.Rows[i]
				require.Equal(t, w.Group, g.Group)
				require.True(t, w.Start.Equal(g.Start) && w.End.Equal(g.End))
				if w.Total != g.Total || w.Gain != g.Gain { // compare with == first: testify's diff is slow under -race
					require.Equal(t, w.Total, g.Total, "seed %d %s/%s/%q row %d", seed, q.By, q.Every, q.Zone, i)
					require.Equal(t, w.Gain, g.Gain, "seed %d %s/%s/%q row %d", seed, q.By, q.Every, q.Zone, i)
				}
			}
		}
	}
}

// TestAggregateMatchesNaive checks the one-pass aggregation against the
// definition: Total sums FiguresOf(latest snapshot before End) over the
// group's targets, and Gain is the difference of consecutive Totals.
func TestAggregateMatchesNaive(t *testing.T) {
	start := utc(2026, 3, 1, 0, 0)
	rng := rand.New(rand.NewPCG(9, 9))
	targets, snaps := randomDataset(t, rng, 40, start)
	d := build(t, targets, snaps, func(int) bool { return true })
	for _, q := range queries(start) {
		if q.By == analytics.ByLabel || q.By == analytics.ByPost {
			continue // keys below cover single-valued dimensions
		}
		tab, err := d.Aggregate(q)
		require.NoError(t, err)
		key := func(tg analytics.Target) string {
			return map[analytics.Dimension]string{analytics.All: "", analytics.ByNetwork: tg.Network,
				analytics.ByChannel: tg.Channel, analytics.ByWorkspace: tg.Workspace,
				analytics.ByCampaign: tg.Campaign, analytics.ByAuthor: tg.Author}[q.By]
		}
		naive := func(group string, before time.Time) analytics.Figures {
			var f analytics.Figures
			for tg, s := range d.Targets() {
				if key(tg) != group {
					continue
				}
				if x, ok := s.At(before.Add(-time.Nanosecond)); ok {
					require.NoError(t, f.Add(analytics.FiguresOf(x)))
				}
			}
			return f
		}
		for i, r := range tab.Rows {
			want := naive(r.Group, r.End)
			if want.Currency == "" {
				want.Currency = r.Total.Currency // a group's rows all carry its currency
			}
			if want != r.Total {
				require.Equal(t, want, r.Total, "%s/%s/%q row %d", q.By, q.Every, q.Zone, i)
			}
			base := naive(r.Group, r.Start)
			for _, k := range analytics.KPIs() {
				tot, b, g := r.Total.KPI(k), base.KPI(k), r.Gain.KPI(k)
				if k == analytics.Posts || (k >= analytics.MetricKPI(0) && k != analytics.MetricKPI(analytics.Reach) && tot.OK && b.OK && g.OK) {
					require.InDelta(t, tot.V-b.V, g.V, 1e-9, "%s gain", k)
				}
			}
		}
	}
}

func TestTopAndComparisons(t *testing.T) {
	d := handDataset(t)
	at := utc(2026, 10, 27, 0, 0)
	top, err := d.Top(analytics.MetricKPI(analytics.Likes), 2, at, nil)
	require.NoError(t, err)
	require.Len(t, top, 2)
	assert.Equal(t, []string{"p3", "p1"}, []string{top[0].Target.ID, top[1].Target.ID})
	top, err = d.Top(analytics.ClickThroughRate, 5, at, func(tg analytics.Target) bool { return tg.Network == "x" })
	require.NoError(t, err)
	assert.Len(t, top, 2, "p2 has no CTR and is filtered out anyway")
	_, err = d.Top(analytics.Engagements, 0, at, nil)
	require.ErrorIs(t, err, socialflow.ErrInvalid)

	tab, err := d.Aggregate(osloDays())
	require.NoError(t, err)
	pop := tab.PeriodOverPeriod(analytics.MetricKPI(analytics.Likes), analytics.AtEnd)
	require.Len(t, pop, 6)
	assert.False(t, pop[3].Previous.OK, "first period of spring")
	assert.InDelta(t, 100*(11.0-8)/8, pop[4].Percent.V, 1e-12)
	assert.InDelta(t, 100*(10.0-11)/11, pop[5].Percent.V, 1e-12)
	assert.False(t, pop[2].Percent.OK, "fall had no likes the day before")
	inPeriod := tab.PeriodOverPeriod(analytics.Posts, analytics.InPeriod)
	assert.False(t, inPeriod[4].Percent.OK, "base of 0 new posts is undefined")

	cmp := analytics.Compare(tab, tab, analytics.Posts, analytics.AtEnd)
	require.Len(t, cmp, 6)
	assert.InDelta(t, 0, cmp[4].Percent.V, 1e-12)
}

func TestWriteCSV(t *testing.T) {
	d := handDataset(t)
	tab, err := d.Aggregate(osloDays())
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, analytics.WriteCSV(&buf, tab, analytics.AtEnd))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 7)
	head := recs[0]
	assert.Equal(t, "campaign", head[0])
	assert.NotContains(t, head, "reach", "reach is never summed")
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	assert.Equal(t, "spring", recs[5][0])
	assert.Equal(t, "2026-10-25T00:00:00+02:00", recs[5][col["period_start"]])
	assert.Equal(t, "11", recs[5][col["likes"]])
	assert.Equal(t, "", recs[5][col["roi"]], "undefined is an empty cell")
	assert.Equal(t, "1.5", recs[3][col["roi"]])
	assert.Equal(t, "EUR", recs[3][col["currency"]])

	buf.Reset()
	require.NoError(t, analytics.WriteCSV(&buf, tab, analytics.InPeriod, analytics.Posts, analytics.Engagements))
	recs, err = csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"campaign", "period_start", "period_end", "posts", "engagements", "currency"}, recs[0])
}
