package analytics_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSnapshotValidate(t *testing.T) {
	at := utc(2026, 3, 2, 9, 0)
	money := func(s analytics.Snapshot, rev, cost int64, cur string) analytics.Snapshot {
		s.Revenue, s.HasRevenue, s.Cost, s.HasCost, s.Currency = rev, true, cost, true, cur
		return s
	}
	for _, tt := range []struct {
		name  string
		s     analytics.Snapshot
		field string
	}{
		{name: "valid", s: snap("p", at, analytics.Likes, 3)},
		{name: "valid with money", s: money(snap("p", at), 10, 5, "EUR")},
		{name: "no target", s: snap("", at), field: "target"},
		{name: "no instant", s: snap("p", time.Time{}), field: "at"},
		{name: "negative counter", s: snap("p", at, analytics.Likes, -1), field: "counters.likes"},
		{name: "negative cost", s: money(snap("p", at), 10, -5, "EUR"), field: "cost"},
		{name: "negative revenue", s: money(snap("p", at), -10, 5, "EUR"), field: "revenue"},
		{name: "money without currency", s: money(snap("p", at), 10, 5, ""), field: "currency"},
		{name: "malformed currency", s: money(snap("p", at), 10, 5, "eur"), field: "currency"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var fe *analytics.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
		})
	}
}

func TestCountersJSON(t *testing.T) {
	var c analytics.Counters
	c.Set(analytics.Likes, 3)
	c.Set(analytics.Reach, 0) // present and zero is not absent
	c.Set(analytics.VideoViews, 12)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, `{"reach":0,"likes":3,"video_views":12}`, string(b))

	var back analytics.Counters
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)
	assert.False(t, back.Has(analytics.Impressions))
	assert.Equal(t, 3, back.Len())

	s := snap("p", utc(2026, 3, 2, 9, 0), analytics.Comments, 2)
	b, err = json.Marshal(s)
	require.NoError(t, err)
	var s2 analytics.Snapshot
	require.NoError(t, json.Unmarshal(b, &s2))
	assert.Equal(t, s.Counters, s2.Counters)

	err = json.Unmarshal([]byte(`{"likes":1,"hearts":2}`), &back)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	var fe *analytics.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "hearts", fe.Value)
	assert.Equal(t, c, back, "a failed decode changes nothing")
}

// go test -fuzz=^FuzzCountersJSON$ -fuzztime=30s ./analytics
func FuzzCountersJSON(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `{"likes":3}`, `{"reach":-1,"quotes":9}`, `{"x":1}`, `[1]`, `{"likes":1e99}`, `{"likes":"3"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var c analytics.Counters
		if err := json.Unmarshal([]byte(s), &c); err != nil {
			return
		}
		b, err := json.Marshal(c)
		require.NoError(t, err)
		var back analytics.Counters
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, c, back, "round trip of %s", s)
	})
}

func TestParseNames(t *testing.T) {
	for _, k := range analytics.KPIs() {
		got, err := analytics.ParseKPI(k.String())
		require.NoError(t, err)
		assert.Equal(t, k, got)
	}
	for m := range analytics.NumMetrics {
		got, err := analytics.ParseMetric(m.String())
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
	_, err := analytics.ParseKPI("virality")
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = analytics.ParseAction("liked")
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	a, err := analytics.ParseAction("changes_requested")
	require.NoError(t, err)
	assert.Equal(t, analytics.ChangesRequested, a)
}

func TestSeries(t *testing.T) {
	s := analytics.NewSeries("p")
	t0 := utc(2026, 3, 2, 9, 0)
	// Out of order, with a late snapshot and a correction downwards.
	require.NoError(t, s.Add(snap("p", t0.Add(2*time.Hour), analytics.Likes, 10)))
	require.NoError(t, s.Add(snap("p", t0, analytics.Likes, 2)))
	require.NoError(t, s.Add(snap("p", t0.Add(3*time.Hour), analytics.Likes, 8))) // drop kept
	require.NoError(t, s.Add(snap("p", t0.Add(time.Hour), analytics.Likes, 5)))
	require.NoError(t, s.Add(snap("p", t0.Add(time.Hour), analytics.Likes, 6))) // same instant replaces
	assert.Equal(t, 4, s.Len())

	var got []int64
	for x := range s.All() {
		v, _ := x.Counters.Get(analytics.Likes)
		got = append(got, v)
	}
	assert.Equal(t, []int64{2, 6, 10, 8}, got)

	for _, tt := range []struct {
		at   time.Time
		want int64
		ok   bool
	}{
		{t0.Add(-time.Second), 0, false},
		{t0, 2, true},
		{t0.Add(90 * time.Minute), 6, true},
		{t0.Add(2 * time.Hour), 10, true},
		{t0.Add(100 * time.Hour), 8, true},
	} {
		x, ok := s.At(tt.at)
		require.Equal(t, tt.ok, ok, tt.at)
		v, _ := x.Counters.Get(analytics.Likes)
		assert.Equal(t, tt.want, v, tt.at)
	}

	g, err := s.Growth(analytics.Likes, t0, t0.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 8.0, g.Change.V)
	assert.Equal(t, 400.0, g.Percent.V)
	g, err = s.Growth(analytics.Likes, t0.Add(-time.Hour), t0)
	require.NoError(t, err)
	assert.False(t, g.Percent.OK, "no snapshot before the start")
	g, err = s.Growth(analytics.Impressions, t0, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.False(t, g.Change.OK, "metric not reported")
	_, err = s.Growth(analytics.Likes, t0, t0.Add(-time.Hour))
	var re *analytics.RangeError
	require.ErrorAs(t, err, &re)
	require.ErrorIs(t, err, socialflow.ErrInvalid)

	// Bad snapshots change nothing.
	require.ErrorIs(t, s.Add(snap("q", t0)), socialflow.ErrInvalid)
	require.ErrorIs(t, s.Add(snap("p", t0, analytics.Likes, -4)), socialflow.ErrInvalid)
	eur := snap("p", t0.Add(5*time.Hour))
	eur.Revenue, eur.HasRevenue, eur.Currency = 100, true, "EUR"
	require.NoError(t, s.Add(eur))
	usd := snap("p", t0.Add(6*time.Hour))
	usd.Cost, usd.HasCost, usd.Currency = 100, true, "USD"
	err = s.Add(usd)
	var ce *analytics.CurrencyError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "USD", ce.Got)
	assert.Equal(t, 5, s.Len())
}

// FuzzSeriesOrder checks that any insertion order yields sorted, unique
// instants and that At agrees with a linear scan.
func FuzzSeriesOrder(f *testing.F) {
	f.Add([]byte{3, 1, 2, 2, 0, 9})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, offs []byte) {
		s := analytics.NewSeries("p")
		t0 := utc(2026, 1, 1, 0, 0)
		latest := map[byte]int{}
		for i, o := range offs {
			require.NoError(t, s.Add(snap("p", t0.Add(time.Duration(o)*time.Minute), analytics.Likes, i)))
			latest[o] = i
		}
		require.Equal(t, len(latest), s.Len())
		var prev time.Time
		for x := range s.All() {
			require.True(t, x.At.After(prev))
			prev = x.At
		}
		for q := range 260 {
			best := -1
			for o := range latest {
				if int(o) <= q && (best < 0 || int(o) > best) {
					best = int(o)
				}
			}
			x, ok := s.At(t0.Add(time.Duration(q) * time.Minute))
			require.Equal(t, best >= 0, ok)
			if ok {
				v, _ := x.Counters.Get(analytics.Likes)
				require.Equal(t, int64(latest[byte(best)]), v)
			}
		}
	})
}
