package analytics_test

import (
	"testing"

	"github.com/socialflow/socialflow/analytics"
	"github.com/stretchr/testify/assert"
)

func TestKPIFormulas(t *testing.T) {
	at := utc(2026, 3, 2, 9, 0)
	full := snap("p", at,
		analytics.Impressions, 2000, analytics.Reach, 1500, analytics.Likes, 60, analytics.Comments, 10,
		analytics.Shares, 20, analytics.Saves, 5, analytics.Quotes, 5, analytics.Clicks, 40,
		analytics.Followers, 10000, analytics.Conversions, 4, analytics.VideoViews, 900)
	full.Revenue, full.HasRevenue, full.Cost, full.HasCost, full.Currency = 30000, true, 12000, true, "EUR"
	// Mastodon-like: no impressions, no reach, no clicks, no money.
	masto := snap("m", at, analytics.Likes, 7, analytics.Shares, 3, analytics.Comments, 0, analytics.Followers, 0)
	zeroImpr := snap("z", at, analytics.Impressions, 0, analytics.Clicks, 0, analytics.Likes, 0)

	// Hand-computed: engagements = 60+10+20+5+5 = 100.
	for _, tt := range []struct {
		name string
		s    analytics.Snapshot
		k    analytics.KPI
		want float64
		ok   bool
	}{
		{"engagements", full, analytics.Engagements, 100, true},
		{"er by reach", full, analytics.EngagementRateByReach, 100.0 / 1500, true},
		{"er by impressions", full, analytics.EngagementRateByImpressions, 100.0 / 2000, true},
		{"er by followers", full, analytics.EngagementRateByFollowers, 100.0 / 10000, true},
		{"ctr", full, analytics.ClickThroughRate, 40.0 / 2000, true},
		{"conversion rate", full, analytics.ConversionRate, 4.0 / 40, true},
		{"roi", full, analytics.ROI, (30000.0 - 12000) / 12000, true},
		{"cost per engagement", full, analytics.CostPerEngagement, 120, true},
		{"cost per click", full, analytics.CostPerClick, 300, true},
		{"average reach", full, analytics.AverageReach, 1500, true},
		{"video views", full, analytics.MetricKPI(analytics.VideoViews), 900, true},
		{"reach is never a total", full, analytics.MetricKPI(analytics.Reach), 0, false},
		{"revenue", full, analytics.Revenue, 30000, true},
		{"mastodon engagements", masto, analytics.Engagements, 10, true},
		{"mastodon er by impressions undefined", masto, analytics.EngagementRateByImpressions, 0, false},
		{"mastodon ctr undefined", masto, analytics.ClickThroughRate, 0, false},
		{"mastodon roi undefined", masto, analytics.ROI, 0, false},
		{"followers 0 is undefined", masto, analytics.EngagementRateByFollowers, 0, false},
		{"impressions 0 is undefined", zeroImpr, analytics.ClickThroughRate, 0, false},
		{"clicks 0 is undefined", zeroImpr, analytics.ConversionRate, 0, false},
		{"nothing reported", snap("e", at), analytics.Engagements, 0, false},
		{"posts", snap("e", at), analytics.Posts, 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := analytics.Compute(tt.s, tt.k)
			assert.Equal(t, tt.ok, got.OK, got.Why)
			if tt.ok {
				assert.InDelta(t, tt.want, got.V, 1e-12)
			} else {
				assert.NotEmpty(t, got.Why)
				assert.Equal(t, "undefined", got.String())
				assert.Empty(t, got.Format(2))
			}
		})
	}
}

func TestFiguresAddAndPercent(t *testing.T) {
	at := utc(2026, 3, 2, 9, 0)
	a := analytics.FiguresOf(snap("a", at, analytics.Reach, 100, analytics.Likes, 10))
	b := analytics.FiguresOf(snap("b", at, analytics.Reach, 300, analytics.Likes, 10, analytics.Impressions, 50))
	assert.NoError(t, a.Add(b))
	// Reach-weighted mean of 10/100 and 10/300 = 20/400.
	assert.InDelta(t, 0.05, a.KPI(analytics.EngagementRateByReach).V, 1e-12)
	assert.InDelta(t, 200, a.KPI(analytics.AverageReach).V, 1e-12)
	// Only b reports impressions: 10/50.
	assert.InDelta(t, 0.2, a.KPI(analytics.EngagementRateByImpressions).V, 1e-12)
	assert.Equal(t, int64(1), a.Reporting(analytics.Impressions))
	assert.False(t, a.Total(analytics.Reach).OK)

	eur, usd := snap("e", at), snap("u", at)
	eur.Cost, eur.HasCost, eur.Currency = 1, true, "EUR"
	usd.Cost, usd.HasCost, usd.Currency = 1, true, "USD"
	fe := analytics.FiguresOf(eur)
	before := fe
	var ce *analytics.CurrencyError
	assert.ErrorAs(t, fe.Add(analytics.FiguresOf(usd)), &ce)
	assert.Equal(t, before, fe)

	v := func(x float64) analytics.Value {
		return analytics.Compute(snap("x", at, analytics.Likes, int(x)), analytics.Engagements)
	}
	assert.InDelta(t, 50.0, analytics.PercentChange(v(15), v(10)).V, 1e-12)
	assert.InDelta(t, -100.0, analytics.PercentChange(v(0), v(10)).V, 1e-12)
	assert.False(t, analytics.PercentChange(v(5), v(0)).OK, "base 0")
	assert.False(t, analytics.PercentChange(v(5), analytics.Value{}).OK)
}
