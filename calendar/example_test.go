package calendar_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"
	_ "time/tzdata"

	"github.com/socialflow/socialflow/calendar"
)

func ExampleResolve() {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		log.Fatal(err)
	}
	// 02:30 does not exist on 8 March 2026 in New York: it moves forward.
	fmt.Println(calendar.Resolve(2026, time.March, 8, 2, 30, 0, ny))
	// 01:30 happens twice on 1 November 2026: the first one counts.
	fmt.Println(calendar.Resolve(2026, time.November, 1, 1, 30, 0, ny))
	// Output:
	// 2026-03-08 03:30:00 -0400 EDT
	// 2026-11-01 01:30:00 -0400 EDT
}

func ExampleSchedule_Compile() {
	s := calendar.Schedule{
		Zone:  "Europe/Oslo",
		Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Times: []string{"09:00", "12:30", "17:00"},
	}
	slots, err := s.Compile()
	if err != nil {
		log.Fatal(err)
	}
	// Clocks go forward on Sunday 29 March 2026; the slots keep their wall time.
	from := time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)
	ts, err := slots.Between(from, from.AddDate(0, 0, 4))
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range ts {
		fmt.Println(t.UTC().Format("Mon 15:04Z"), "=", t.In(slots.Location()).Format("15:04 MST"))
	}
	// Output:
	// Fri 08:00Z = 09:00 CET
	// Fri 11:30Z = 12:30 CET
	// Fri 16:00Z = 17:00 CET
	// Mon 07:00Z = 09:00 CEST
	// Mon 10:30Z = 12:30 CEST
	// Mon 15:00Z = 17:00 CEST
}

func ExampleQueue_Plan() {
	q, err := calendar.NewQueue("acme", "x-acme", calendar.Schedule{Zone: "UTC", Times: []string{"09:00", "15:00"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range []string{"tips", "news", "promo"} {
		if err := q.Add(p); err != nil {
			log.Fatal(err)
		}
	}
	if err := q.InsertTop("cat-day"); err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 8, 7, 10, 0, 0, 0, time.UTC)
	plan, err := q.Plan(now, nil, calendar.Rules{})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range plan {
		fmt.Println(a.At.Format("Jan 2 15:04"), a.PostID)
	}
	// Output:
	// Aug 7 15:00 cat-day
	// Aug 8 09:00 tips
	// Aug 8 15:00 news
	// Aug 9 09:00 promo
}

func ExampleCalendar_WeekView() {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		log.Fatal(err)
	}
	c := calendar.New()
	for i, title := range []string{"Monday tip", "Launch teaser", "Launch!"} {
		err := c.Add(calendar.Entry{ID: fmt.Sprint("p", i), Workspace: "acme", Channel: "x-acme",
			At: time.Date(2026, 3, 2+i*2, 9, 0, 0, 0, oslo), Zone: "Europe/Oslo", Status: calendar.StatusScheduled, Title: title})
		if err != nil {
			log.Fatal(err)
		}
	}
	v, err := c.WeekView(calendar.Query{Workspace: "acme"}, time.Date(2026, 3, 4, 0, 0, 0, 0, oslo), oslo, time.Monday)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range v.Days {
		for _, e := range d.Entries {
			fmt.Println(d.Date.Format("Mon 2 Jan"), e.At.In(oslo).Format("15:04"), e.Title)
		}
	}
	// Output:
	// Mon 2 Mar 09:00 Monday tip
	// Wed 4 Mar 09:00 Launch teaser
	// Fri 6 Mar 09:00 Launch!
}

func ExampleCalendar_ImportCSV() {
	const file = `id,workspace,channel,at,zone,status,title
p1,acme,x-acme,2026-03-02 09:00,Europe/Oslo,scheduled,Hello
p2,acme,x-acme,2026-03-02 25:00,Europe/Oslo,scheduled,Bad time
p3,acme,x-acme,2026-03-03 09:00,Mars/Olympus,draft,Bad zone
`
	c := calendar.New()
	_, err := c.ImportCSV(strings.NewReader(file), calendar.ImportOptions{})
	var ie *calendar.ImportError
	if errors.As(err, &ie) {
		for _, row := range ie.Rows {
			var bad *calendar.InvalidError
			if errors.As(row, &bad) {
				fmt.Printf("line %d: %s %q\n", row.Line, bad.Field, bad.Value)
			}
		}
	}
	fmt.Println("imported:", c.Len())
	// Output:
	// line 3: at "2026-03-02 25:00"
	// line 4: zone "Mars/Olympus"
	// imported: 0
}

func ExampleWriteICal() {
	e := calendar.Entry{ID: "p1", Workspace: "acme", Channel: "x-acme", At: time.Date(2026, 8, 8, 9, 0, 0, 0, time.UTC),
		Zone: "UTC", Status: calendar.StatusScheduled, Title: "Cats, everywhere; happy International Cat Day to every one of you and yours"}
	var out strings.Builder
	err := calendar.WriteICal(&out, []calendar.Entry{e}, nil, calendar.ICalOptions{Stamp: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	os.Stdout.WriteString(strings.ReplaceAll(out.String(), "\r\n", "⏎\n"))
	// Output:
	// BEGIN:VCALENDAR⏎
	// VERSION:2.0⏎
	// PRODID:-//socialflow//calendar//EN⏎
	// CALSCALE:GREGORIAN⏎
	// METHOD:PUBLISH⏎
	// BEGIN:VEVENT⏎
	// UID:post-p1@socialflow.invalid⏎
	// DTSTAMP:20260801T000000Z⏎
	// DTSTART:20260808T090000Z⏎
	// DTEND:20260808T091500Z⏎
	// SUMMARY:Cats\, everywhere\; happy International Cat Day to every one of you⏎
	//   and yours⏎
	// DESCRIPTION:Channel: x-acme\nStatus: scheduled⏎
	// STATUS:CONFIRMED⏎
	// END:VEVENT⏎
	// END:VCALENDAR⏎
}
