// Command calendar builds a month of posts for two channels in two zones
// with the calendar package, prints one week as a planner sees it and, with
// -ics FILE, writes the month as an iCalendar file any calendar app opens.
//
//	go run ./examples/calendar [-ics plan.ics]
//
// Everything is computed from fixed inputs, so the output is the same on
// every run. The week shown (23-29 March 2026) ends on the Sunday Oslo moves
// its clocks forward; New York did so on 8 March.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/socialflow/socialflow/calendar"
)

func main() {
	ics := flag.String("ics", "", "write the month as an iCalendar file to this path")
	flag.Parse()
	if err := run(os.Stdout, *ics); err != nil {
		log.Fatal(err)
	}
}

// channel is one connected account with its zone and posting slots.
type channel struct {
	id, network string
	schedule    calendar.Schedule
	posts       []string
}

var (
	now      = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // when the plan is made
	monthDay = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	weekDay  = time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC)
)

func channels() []channel {
	return []channel{
		{
			id: "x-acme", network: "x",
			schedule: calendar.Schedule{Zone: "Europe/Oslo",
				Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
				Times: []string{"09:00", "12:30", "17:00"}},
			posts: titles("Tip", 60),
		},
		{
			id: "li-acme", network: "linkedin",
			schedule: calendar.Schedule{Zone: "America/New_York",
				RRule: "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=8;BYMINUTE=30", Start: "20260303T083000"},
			posts: titles("Case study", 9),
		},
	}
}

func titles(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s #%d", prefix, i+1)
	}
	return out
}

// rules: at most two posts a day per channel, two hours apart, and a crisis
// pause on 12 March.
var rules = calendar.Rules{
	MinGap:    2 * time.Hour,
	MaxPerDay: 2,
	Blackouts: []calendar.Blackout{{ID: "crisis", Reason: "incident review",
		Start: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC)}},
}

func build() (*calendar.Calendar, error) {
	c := calendar.New()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return nil, err
	}
	events := []calendar.Event{
		{ID: "womens-day", Workspace: "acme", Kind: calendar.EventObservance, Title: "International Women's Day",
			Start: time.Date(2026, 3, 8, 0, 0, 0, 0, oslo), End: time.Date(2026, 3, 9, 0, 0, 0, 0, oslo), Zone: "Europe/Oslo", RRule: "FREQ=YEARLY"},
		{ID: "spring", Workspace: "acme", Kind: calendar.EventCampaign, Title: "Spring campaign",
			Start: time.Date(2026, 3, 23, 0, 0, 0, 0, oslo), End: time.Date(2026, 3, 28, 0, 0, 0, 0, oslo), Zone: "Europe/Oslo"},
	}
	for _, ev := range events {
		if err := c.AddEvent(ev); err != nil {
			return nil, err
		}
	}
	end := now.AddDate(0, 1, 0)
	for _, ch := range channels() {
		q, err := calendar.NewQueue("acme", ch.id, ch.schedule)
		if err != nil {
			return nil, err
		}
		for _, p := range ch.posts {
			if err := q.Add(p); err != nil {
				return nil, err
			}
		}
		plan, err := q.Plan(now, c, rules)
		if err != nil {
			return nil, err
		}
		var batch []calendar.Entry
		for i, a := range plan {
			if !a.At.Before(end) {
				break // the month is full; the rest stays queued
			}
			batch = append(batch, calendar.Entry{
				ID: fmt.Sprintf("%s-%02d", ch.id, i+1), Workspace: "acme", Channel: ch.id, Network: ch.network,
				At: a.At, Zone: ch.schedule.Zone, Title: a.PostID, Status: calendar.StatusScheduled,
				Labels: []string{"queue"}, Campaign: "spring",
			})
		}
		if err := c.AddAll(batch); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func run(w io.Writer, icsPath string) error {
	c, err := build()
	if err != nil {
		return err
	}
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return err
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		return err
	}
	q := calendar.Query{Workspace: "acme"}
	month, err := c.MonthView(q, monthDay, oslo, time.Monday)
	if err != nil {
		return err
	}
	inMonth := 0
	for _, d := range month.Days {
		if d.InRange {
			inMonth += len(d.Entries)
		}
	}
	violations, err := c.CheckRange(rules, calendar.Query{Workspace: "acme", From: month.Start, To: month.End})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "March 2026: %d posts on 2 channels, %d rule violations\n\n", inMonth, len(violations))

	week, err := c.WeekView(q, weekDay, oslo, time.Monday)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Week of 23 March 2026, Europe/Oslo (Monday first):")
	for _, d := range week.Days {
		fmt.Fprintf(w, "%s  (%gh)\n", d.Date.Format("Mon 02 Jan"), d.End.Sub(d.Start).Hours())
		for _, ev := range d.Events {
			fmt.Fprintf(w, "         [%s] %s\n", ev.Kind, ev.Title)
		}
		for _, e := range d.Entries {
			local := e.At.In(oslo).Format("15:04 MST")
			if e.Zone == "America/New_York" {
				local += " = " + e.At.In(ny).Format("15:04 MST") + " New York"
			}
			fmt.Fprintf(w, "  %-32s %-8s %s\n", local, e.Network, e.Title)
		}
	}
	if icsPath == "" {
		return nil
	}
	f, err := os.Create(icsPath)
	if err != nil {
		return err
	}
	err = c.ExportICal(f, calendar.Query{Workspace: "acme", From: month.Start, To: month.End},
		calendar.ICalOptions{Stamp: now, Domain: "acme.example", Name: "Acme, March 2026"})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errors.Join(err, os.Remove(icsPath))
	}
	fmt.Fprintf(w, "\nwrote %s\n", icsPath)
	return nil
}
