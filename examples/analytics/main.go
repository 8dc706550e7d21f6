// Command analytics generates a quarter of synthetic history for three
// channels, prints a KPI table, the top posts and the best times to post, and
// writes heatmap.svg (the best-time map of the first channel) and trend.svg
// (weekly engagements per channel) to the folder given by -out.
//
//	go run ./examples/analytics -out /tmp/report -seed 1
//
// The same seed always produces the same history and the same output.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/socialflow/socialflow/analytics"
)

// channel describes one synthetic account: what its network reports, its
// audience, and the local hours when its followers really are most engaged.
type channel struct {
	id, network, zone string
	followers         int64
	metrics           []analytics.Metric
	peak              [2]int // the best local hours
	peakDay           time.Weekday
	money             bool // ad spend and attributed revenue
}

var channels = []channel{
	{id: "acme-x", network: "x", zone: "America/New_York", followers: 12000, peak: [2]int{9, 18}, peakDay: time.Tuesday,
		metrics: []analytics.Metric{analytics.Impressions, analytics.Likes, analytics.Comments, analytics.Shares,
			analytics.Quotes, analytics.Saves, analytics.Clicks, analytics.VideoViews, analytics.Followers}},
	{id: "acme-mastodon", network: "mastodon", zone: "Europe/Berlin", followers: 3000, peak: [2]int{8, 20}, peakDay: time.Thursday,
		metrics: []analytics.Metric{analytics.Likes, analytics.Comments, analytics.Shares, analytics.Followers}},
	{id: "acme-linkedin", network: "linkedin", zone: "Europe/London", followers: 8000, peak: [2]int{8, 12}, peakDay: time.Wednesday, money: true,
		metrics: []analytics.Metric{analytics.Impressions, analytics.Reach, analytics.Likes, analytics.Comments,
			analytics.Shares, analytics.Clicks, analytics.Conversions, analytics.Followers}},
}

var (
	campaigns = []string{"always-on", "spring-launch"}
	authors   = []string{"ana", "bo", "cy"}
	// Cumulative share of a post's final counts reached at each reading.
	readings = []struct {
		after time.Duration
		share float64
	}{{time.Hour, 0.3}, {6 * time.Hour, 0.6}, {24 * time.Hour, 0.85}, {48 * time.Hour, 0.95}, {7 * 24 * time.Hour, 1}}
)

func main() {
	out := flag.String("out", ".", "folder to write heatmap.svg and trend.svg to")
	seed := flag.Uint64("seed", 1, "seed of the synthetic history")
	flag.Parse()
	if err := run(os.Stdout, *out, *seed); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, out string, seed uint64) error {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	d, err := generate(rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), start, end)
	if err != nil {
		return err
	}

	// KPI table: one row per channel over the quarter.
	tab, err := d.Aggregate(analytics.Query{By: analytics.ByChannel, Start: start, End: end})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Quarter %s – %s, %d posts\n\n", start.Format("2006-01-02"), end.Add(-time.Second).Format("2006-01-02"), d.Len())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	kpis := []analytics.KPI{analytics.Posts, analytics.Engagements, analytics.AverageReach,
		analytics.EngagementRateByImpressions, analytics.EngagementRateByFollowers, analytics.ClickThroughRate,
		analytics.ConversionRate, analytics.ROI, analytics.CostPerClick}
	fmt.Fprint(tw, "channel\t")
	for _, k := range []string{"posts", "engagements", "avg reach", "ER/impr %", "ER/foll %", "CTR %", "conv %", "ROI %", "CPC"} {
		fmt.Fprintf(tw, "%s\t", k)
	}
	fmt.Fprintln(tw)
	for _, r := range tab.Rows {
		fmt.Fprintf(tw, "%s\t", r.Group)
		for _, k := range kpis {
			fmt.Fprintf(tw, "%s\t", cell(k, r.Total.KPI(k), r.Total.Currency))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n(– undefined: the network does not report an input, or it is 0)")

	// Month over month, by campaign.
	monthly, err := d.Aggregate(analytics.Query{By: analytics.ByCampaign, Every: analytics.Month, Start: start, End: end})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nEngagements gained per month, by campaign:")
	for _, c := range monthly.PeriodOverPeriod(analytics.Engagements, analytics.InPeriod) {
		fmt.Fprintf(w, "  %-14s %s  %8s  change %s\n", c.Group, c.Start.Format("Jan"), orDash(c.Current.Format(0)), pct(c.Percent))
	}

	top, err := d.Top(analytics.Engagements, 3, end, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nTop posts by engagements:")
	for _, p := range top {
		fmt.Fprintf(w, "  %-28s %-14s %6.0f\n", p.Target.ID, p.Target.Channel, p.Value.V)
	}

	maps, err := d.BestTimes(analytics.BestTimeOptions{Now: end, Weeks: 13})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nBest times to post (local time, smoothed engagements, confidence):")
	for _, m := range maps {
		fmt.Fprintf(w, "  %-14s", m.Channel)
		for _, s := range m.PostingSlots(3) {
			fmt.Fprintf(w, "  %s %02d:%02d (%.2f)", s.Weekday.String()[:3], s.Hour, s.Minute, s.Confidence)
		}
		fmt.Fprintf(w, "  %s\n", m.Zone)
	}

	// Charts.
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	heat, err := os.Create(filepath.Join(out, "heatmap.svg"))
	if err != nil {
		return err
	}
	first := maps[0]
	for _, m := range maps {
		if m.Channel == channels[0].id {
			first = m
		}
	}
	if err := analytics.WriteHeatmapSVG(heat, first, ""); err != nil {
		heat.Close()
		return err
	}
	if err := heat.Close(); err != nil {
		return err
	}
	weekly, err := d.Aggregate(analytics.Query{By: analytics.ByChannel, Every: analytics.Week, Start: start, End: end})
	if err != nil {
		return err
	}
	trend, err := os.Create(filepath.Join(out, "trend.svg"))
	if err != nil {
		return err
	}
	chart := analytics.TrendChart(weekly, analytics.Engagements, analytics.InPeriod, "Engagements per week (Monday to Sunday; first and last weeks partial)")
	if err := chart.WriteSVG(trend); err != nil {
		trend.Close()
		return err
	}
	if err := trend.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwrote %s and %s\n", filepath.Join(out, "heatmap.svg"), filepath.Join(out, "trend.svg"))
	return nil
}

func cell(k analytics.KPI, v analytics.Value, currency string) string {
	if !v.OK {
		return "–"
	}
	switch k {
	case analytics.Posts, analytics.Engagements, analytics.AverageReach:
		return fmt.Sprintf("%.0f", v.V)
	case analytics.CostPerClick:
		return fmt.Sprintf("%.2f %s", v.V/100, currency)
	}
	return fmt.Sprintf("%.2f", 100*v.V)
}

func pct(v analytics.Value) string {
	if !v.OK {
		return "–"
	}
	return fmt.Sprintf("%+.1f%%", v.V)
}

// generate builds the synthetic history: one to two posts a day per channel,
// engagement driven by the local hour and weekday, counters read five times
// per post (delivered out of order), and the odd downward correction.
func generate(rng *rand.Rand, start, end time.Time) (*analytics.Dataset, error) {
	d := analytics.NewDataset()
	n := 0
	for _, ch := range channels {
		loc, err := time.LoadLocation(ch.zone)
		if err != nil {
			return nil, err
		}
		for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
			for range 1 + rng.IntN(2) {
				local := time.Date(day.Year(), day.Month(), day.Day(), 7+rng.IntN(15), 5*rng.IntN(12), 0, 0, loc)
				campaign := campaigns[0]
				if local.Month() == time.March && rng.IntN(2) == 0 {
					campaign = campaigns[1]
				}
				n++
				t := analytics.Target{ID: fmt.Sprintf("%s-%04d", ch.id, n), Network: ch.network, Channel: ch.id,
					Workspace: "acme", Campaign: campaign, Author: authors[rng.IntN(len(authors))],
					Labels: []string{[]string{"product", "culture", "tips"}[rng.IntN(3)]}, PublishedAt: local, Zone: ch.zone}
				if err := d.AddTarget(t); err != nil {
					return nil, err
				}
				if err := addReadings(d, rng, ch, t, campaign == campaigns[1]); err != nil {
					return nil, err
				}
			}
		}
	}
	return d, nil
}

func addReadings(d *analytics.Dataset, rng *rand.Rand, ch channel, t analytics.Target, paid bool) error {
	local := t.PublishedAt
	// How engaged the audience is at this hour: two bumps around the peaks.
	h := float64(local.Hour())
	factor := 0.4 + math.Exp(-math.Pow(h-float64(ch.peak[0]), 2)/4) + 0.8*math.Exp(-math.Pow(h-float64(ch.peak[1]), 2)/4)
	if local.Weekday() == ch.peakDay {
		factor *= 1.5
	}
	if local.Weekday() == time.Saturday || local.Weekday() == time.Sunday {
		factor *= 0.6
	}
	final := map[analytics.Metric]float64{}
	impressions := float64(ch.followers) * (0.2 + 0.3*rng.Float64()) * factor
	final[analytics.Impressions] = impressions
	final[analytics.Reach] = impressions * 0.7
	final[analytics.Likes] = impressions * 0.02 * (0.5 + rng.Float64())
	final[analytics.Comments] = final[analytics.Likes] * 0.1
	final[analytics.Shares] = final[analytics.Likes] * 0.15
	final[analytics.Quotes] = final[analytics.Likes] * 0.03
	final[analytics.Saves] = final[analytics.Likes] * 0.05
	final[analytics.Clicks] = impressions * 0.01 * (0.5 + rng.Float64())
	final[analytics.VideoViews] = impressions * 0.3
	final[analytics.Conversions] = final[analytics.Clicks] * 0.05
	var cost, revenue float64
	if ch.money && paid {
		cost = 5000 + 5000*rng.Float64() // minor units: 50–100 EUR of ad spend
		revenue = final[analytics.Conversions] * 9000
	}
	order := rng.Perm(len(readings)) // snapshots arrive out of order
	for _, i := range order {
		r := readings[i]
		s := analytics.Snapshot{Target: t.ID, At: local.Add(r.after)}
		for _, m := range ch.metrics {
			v := final[m] * r.share
			if m == analytics.Followers {
				v = float64(ch.followers)
			}
			s.Counters.Set(m, int64(math.Round(v)))
		}
		if i == 3 && rng.IntN(20) == 0 { // a network correcting itself downwards
			likes, _ := s.Counters.Get(analytics.Likes)
			s.Counters.Set(analytics.Likes, likes*8/10)
		}
		if cost > 0 {
			s.Cost, s.HasCost = int64(cost), true
			s.Revenue, s.HasRevenue = int64(revenue*r.share), true
			s.Currency = "EUR"
		}
		if err := d.Add(s); err != nil {
			return err
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
