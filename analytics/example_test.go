package analytics_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/socialflow/socialflow/analytics"
)

// One post's KPIs. Mastodon reports no impressions, so a KPI that needs them
// is undefined rather than 0.
func Example() {
	var c analytics.Counters
	c.Set(analytics.Likes, 40)
	c.Set(analytics.Comments, 6)
	c.Set(analytics.Shares, 4)
	c.Set(analytics.Followers, 2000)
	s := analytics.Snapshot{Target: "post-1", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Counters: c}

	for _, k := range []analytics.KPI{analytics.Engagements, analytics.EngagementRateByFollowers, analytics.EngagementRateByImpressions} {
		v := analytics.Compute(s, k)
		if v.OK {
			fmt.Printf("%s = %v\n", k, v)
		} else {
			fmt.Printf("%s undefined: %s\n", k, v.Why)
		}
	}
	// Output:
	// engagements = 50
	// engagement_rate_by_followers = 0.025
	// engagement_rate_by_impressions undefined: no post reports both engagements and impressions
}

func ExampleDataset_Aggregate() {
	d := analytics.NewDataset()
	for _, t := range []analytics.Target{
		{ID: "a", Network: "x", Campaign: "launch"},
		{ID: "b", Network: "linkedin", Campaign: "launch"},
	} {
		if err := d.AddTarget(t); err != nil {
			log.Fatal(err)
		}
	}
	add := func(id string, day, impressions, clicks int) {
		var c analytics.Counters
		c.Set(analytics.Impressions, int64(impressions))
		c.Set(analytics.Clicks, int64(clicks))
		if err := d.Add(analytics.Snapshot{Target: id, At: time.Date(2026, 3, day, 12, 0, 0, 0, time.UTC), Counters: c}); err != nil {
			log.Fatal(err)
		}
	}
	add("a", 2, 1000, 10)
	add("b", 2, 500, 20)
	add("a", 3, 3000, 30) // cumulative: 2000 more impressions on day 3

	tab, err := d.Aggregate(analytics.Query{By: analytics.ByCampaign, Every: analytics.Day,
		Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range tab.Rows {
		fmt.Printf("%s %s impressions %v (+%v) ctr %.4f\n", r.Group, r.Start.Format("Jan 2"),
			r.Total.Total(analytics.Impressions), r.Gain.Total(analytics.Impressions),
			r.Total.KPI(analytics.ClickThroughRate).V)
	}
	// Output:
	// launch Mar 2 impressions 1500 (+1500) ctr 0.0200
	// launch Mar 3 impressions 3500 (+2000) ctr 0.0143
}

func ExampleWriteCSV() {
	d := analytics.NewDataset()
	if err := d.AddTarget(analytics.Target{ID: "a", Network: "mastodon"}); err != nil {
		log.Fatal(err)
	}
	var c analytics.Counters
	c.Set(analytics.Likes, 12)
	c.Set(analytics.Shares, 3)
	if err := d.Add(analytics.Snapshot{Target: "a", At: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), Counters: c}); err != nil {
		log.Fatal(err)
	}
	tab, err := d.Aggregate(analytics.Query{By: analytics.ByNetwork,
		Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	err = analytics.WriteCSV(os.Stdout, tab, analytics.AtEnd,
		analytics.Posts, analytics.Engagements, analytics.MetricKPI(analytics.Impressions), analytics.ClickThroughRate)
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// network,period_start,period_end,posts,engagements,impressions,click_through_rate,currency
	// mastodon,2026-03-01T00:00:00Z,2026-04-01T00:00:00Z,1,15,,,
}

func ExampleWeekMap_PostingSlots() {
	d := analytics.NewDataset()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		log.Fatal(err)
	}
	// Ten weeks of posts on Tuesdays at 09:00 and Thursdays at 15:00; the
	// Tuesday posts do twice as well.
	for w := range 10 {
		for _, p := range []struct{ day, hour, likes int }{{1, 9, 40}, {3, 15, 20}} {
			at := time.Date(2026, 1, 5+7*w+p.day, p.hour, 0, 0, 0, oslo)
			id := at.Format(time.RFC3339)
			if err := d.AddTarget(analytics.Target{ID: id, Network: "x", Channel: "acme", Zone: "Europe/Oslo", PublishedAt: at}); err != nil {
				log.Fatal(err)
			}
			var c analytics.Counters
			c.Set(analytics.Likes, int64(p.likes))
			if err := d.Add(analytics.Snapshot{Target: id, At: at.Add(24 * time.Hour), Counters: c}); err != nil {
				log.Fatal(err)
			}
		}
	}
	maps, err := d.BestTimes(analytics.BestTimeOptions{Now: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), MinPosts: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range maps[0].PostingSlots(1) {
		fmt.Printf("%s %02d:%02d %s (confidence %.2f)\n", s.Weekday, s.Hour, s.Minute, s.Zone, s.Confidence)
	}
	// Output:
	// Tuesday 09:00 Europe/Oslo (confidence 0.67)
}

func ExampleTeam() {
	at := func(h int) time.Time { return time.Date(2026, 5, 4, h, 0, 0, 0, time.UTC) }
	rep, err := analytics.Team([]analytics.Event{
		{At: at(9), Actor: "ana", Action: analytics.Submitted, Subject: "p1", Due: at(12)},
		{At: at(11), Actor: "bo", Action: analytics.Approved, Subject: "p1"},
		{At: at(9), Actor: "ana", Action: analytics.Submitted, Subject: "p2", Due: at(10)},
		{At: at(13), Actor: "bo", Action: analytics.ChangesRequested, Subject: "p2"},
		{At: at(14), Actor: "ana", Action: analytics.Published, Subject: "p1", Due: at(14)},
	}, analytics.TeamOptions{Now: at(18)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("median in review:", rep.TimeInReviewMedian.D)
	fmt.Println("breaches:", rep.DeadlineBreaches)
	fmt.Println("changes requested:", rep.ChangesRequestedRate)
	fmt.Println("on time:", rep.OnTimeRate)
	// Output:
	// median in review: 3h0m0s
	// breaches: 1
	// changes requested: 0.5
	// on time: 1
}
