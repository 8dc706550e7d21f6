package calendar_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
)

func entry(id string, at time.Time) calendar.Entry {
	return calendar.Entry{ID: id, Workspace: "acme", Channel: "x-acme", Network: "x", At: at, Zone: "Europe/Oslo", Status: calendar.StatusScheduled, Title: "post " + id}
}

func TestCalendarAddMoveRemove(t *testing.T) {
	c := calendar.New()
	require.NoError(t, c.Add(entry("b", utc(2026, 3, 2, 9, 0))))
	require.NoError(t, c.Add(entry("a", utc(2026, 3, 2, 9, 0))))
	require.NoError(t, c.Add(entry("c", utc(2026, 3, 1, 9, 0))))
	got, err := c.Entries(calendar.Query{Workspace: "acme"})
	require.NoError(t, err)
	assert.Equal(t, []string{"c", "a", "b"}, ids(got), "ordered by (At, ID)")

	require.NoError(t, c.Move("c", utc(2026, 3, 3, 9, 0)))
	got, _ = c.Entries(calendar.Query{Workspace: "acme"})
	assert.Equal(t, []string{"a", "b", "c"}, ids(got))
	e, ok := c.Get("c")
	require.True(t, ok)
	assert.Equal(t, "Europe/Oslo", e.Zone, "move keeps the zone")

	pub := entry("p", utc(2026, 3, 4, 9, 0))
	pub.Status = calendar.StatusPublished
	require.NoError(t, c.Add(pub))
	pub.Title = "edited"
	require.NoError(t, c.Update(pub))

	require.NoError(t, c.Remove("a"))
	got, _ = c.Entries(calendar.Query{Workspace: "acme"})
	assert.Equal(t, []string{"b", "c", "p"}, ids(got))
	assert.Equal(t, 3, c.Len())

	for _, tt := range []struct {
		name string
		op   func() error
		kind error
	}{
		{"duplicate ID", func() error { return c.Add(entry("b", utc(2026, 5, 1, 0, 0))) }, socialflow.ErrConflict},
		{"move published", func() error { return c.Move("p", utc(2026, 5, 1, 0, 0)) }, socialflow.ErrConflict},
		{"move published through Update", func() error {
			moved := pub
			moved.At = utc(2026, 5, 1, 0, 0)
			return c.Update(moved)
		}, socialflow.ErrConflict},
		{"move unknown", func() error { return c.Move("zz", utc(2026, 5, 1, 0, 0)) }, socialflow.ErrNotFound},
		{"move to zero time", func() error { return c.Move("b", time.Time{}) }, socialflow.ErrInvalid},
		{"remove unknown", func() error { return c.Remove("zz") }, socialflow.ErrNotFound},
		{"update unknown", func() error { return c.Update(entry("zz", utc(2026, 5, 1, 0, 0))) }, socialflow.ErrNotFound},
		{"unknown zone", func() error { e := entry("z1", utc(2026, 5, 1, 0, 0)); e.Zone = "Europe/Atlantis"; return c.Add(e) }, socialflow.ErrInvalid},
		{"unknown status", func() error { e := entry("z2", utc(2026, 5, 1, 0, 0)); e.Status = "done"; return c.Add(e) }, socialflow.ErrInvalid},
		{"no workspace", func() error { e := entry("z3", utc(2026, 5, 1, 0, 0)); e.Workspace = ""; return c.Add(e) }, socialflow.ErrInvalid},
		{"no instant", func() error { return c.Add(entry("z4", time.Time{})) }, socialflow.ErrInvalid},
		{"control char in label", func() error { e := entry("z5", utc(2026, 5, 1, 0, 0)); e.Labels = []string{"a\nb"}; return c.Add(e) }, socialflow.ErrInvalid},
		{"batch with duplicate", func() error {
			return c.AddAll([]calendar.Entry{entry("n1", utc(2026, 5, 1, 0, 0)), entry("n1", utc(2026, 5, 2, 0, 0))})
		}, socialflow.ErrConflict},
		{"range end before start", func() error {
			_, err := c.Entries(calendar.Query{From: utc(2026, 5, 1, 0, 0), To: utc(2026, 4, 1, 0, 0)})
			return err
		}, socialflow.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.ErrorIs(t, tt.op(), tt.kind)
			got, _ := c.Entries(calendar.Query{Workspace: "acme"})
			assert.Equal(t, []string{"b", "c", "p"}, ids(got), "nothing changed")
		})
	}
	var ie *calendar.InvalidError
	e2 := entry("z1", utc(2026, 5, 1, 0, 0))
	e2.Zone = "Europe/Atlantis"
	require.ErrorAs(t, c.Add(e2), &ie)
	assert.Equal(t, "zone", ie.Field)
	assert.Equal(t, "Europe/Atlantis", ie.Value)
}

func ids(es []calendar.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

var (
	propWorkspaces = []string{"w1", "w2", "w3"}
	propChannels   = []string{"c1", "c2", "c3", "c4"}
	propNetworks   = []string{"x", "bluesky", "linkedin"}
	propLabels     = []string{"promo", "evergreen", "news", "cat"}
	propCampaigns  = []string{"", "spring", "launch"}
	propStatuses   = []calendar.Status{calendar.StatusIdea, calendar.StatusDraft, calendar.StatusScheduled, calendar.StatusPublished}
	propZones      = []string{"Europe/Oslo", "America/New_York", "Australia/Lord_Howe", "UTC"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func subset[T any](r *rand.Rand, xs []T) []T {
	var out []T
	for _, x := range xs {
		if r.IntN(3) == 0 {
			out = append(out, x)
		}
	}
	return out
}

func randomEntry(r *rand.Rand, id int) calendar.Entry {
	e := calendar.Entry{
		ID: fmt.Sprintf("e%04d", id), Workspace: pick(r, propWorkspaces), Channel: pick(r, propChannels),
		Network: pick(r, propNetworks), At: utc(2026, 1, 1, 0, 0).Add(time.Duration(r.IntN(120*24*4)) * 15 * time.Minute),
		Zone: pick(r, propZones), Status: pick(r, propStatuses), Campaign: pick(r, propCampaigns), Labels: subset(r, propLabels),
	}
	return e
}

// TestRangeMatchesBruteForce: on random calendars with random adds, moves
// and removes, every range query equals a scan of all entries.
func TestRangeMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 25; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		c := calendar.New()
		all := map[string]calendar.Entry{}
		var batch []calendar.Entry
		for i := 0; i < 300; i++ {
			e := randomEntry(r, i)
			if i < 150 {
				batch = append(batch, e)
			} else {
				require.NoError(t, c.Add(e))
			}
			all[e.ID] = e
		}
		require.NoError(t, c.AddAll(batch))
		for i := 0; i < 60; i++ {
			id := fmt.Sprintf("e%04d", r.IntN(300))
			e, ok := all[id]
			if !ok {
				continue
			}
			switch r.IntN(3) {
			case 0:
				require.NoError(t, c.Remove(id))
				delete(all, id)
			case 1:
				at := utc(2026, 1, 1, 0, 0).Add(time.Duration(r.IntN(120*24)) * time.Hour)
				err := c.Move(id, at)
				if e.Status == calendar.StatusPublished {
					require.ErrorIs(t, err, socialflow.ErrConflict)
					continue
				}
				require.NoError(t, err)
				e.At = at
				all[id] = e
			case 2:
				e.Status = pick(r, propStatuses)
				require.NoError(t, c.Update(e))
				all[id] = e
			}
		}
		for i := 0; i < 40; i++ {
			from := utc(2026, 1, 1, 0, 0).Add(time.Duration(r.IntN(130*24)) * time.Hour)
			q := calendar.Query{From: from, To: from.Add(time.Duration(r.IntN(40*24)) * time.Hour),
				Channels: subset(r, propChannels), Networks: subset(r, propNetworks), Labels: subset(r, propLabels),
				Campaigns: subset(r, propCampaigns), Statuses: subset(r, propStatuses)}
			if r.IntN(4) > 0 {
				q.Workspace = pick(r, propWorkspaces)
			}
			got, err := c.Entries(q)
			require.NoError(t, err)
			assert.Equal(t, bruteForce(all, q), ids(got), "seed %d query %+v", seed, q)
		}
	}
}

func bruteForce(all map[string]calendar.Entry, q calendar.Query) []string {
	var hits []calendar.Entry
	for _, e := range all {
		if q.Workspace != "" && e.Workspace != q.Workspace {
			continue
		}
		if e.At.Before(q.From) || !e.At.Before(q.To) {
			continue
		}
		if len(q.Channels) > 0 && !slices.Contains(q.Channels, e.Channel) ||
			len(q.Networks) > 0 && !slices.Contains(q.Networks, e.Network) ||
			len(q.Campaigns) > 0 && !slices.Contains(q.Campaigns, e.Campaign) ||
			len(q.Statuses) > 0 && !slices.Contains(q.Statuses, e.Status) {
			continue
		}
		if len(q.Labels) > 0 {
			hit := false
			for _, l := range e.Labels {
				hit = hit || slices.Contains(q.Labels, l)
			}
			if !hit {
				continue
			}
		}
		hits = append(hits, e)
	}
	slices.SortFunc(hits, func(a, b calendar.Entry) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := make([]string, len(hits))
	for i, e := range hits {
		out[i] = e.ID
	}
	return out
}

func TestViews(t *testing.T) {
	oslo := mustZone(t, "Europe/Oslo")
	ny := mustZone(t, "America/New_York")
	c := calendar.New()
	// Sunday 29 March 2026 is Oslo's spring-forward day.
	require.NoError(t, c.Add(entry("late-sat", time.Date(2026, 3, 28, 23, 30, 0, 0, oslo))))
	require.NoError(t, c.Add(entry("sun-9", time.Date(2026, 3, 29, 9, 0, 0, 0, oslo))))
	require.NoError(t, c.Add(entry("sun-8", time.Date(2026, 3, 29, 8, 0, 0, 0, oslo))))
	require.NoError(t, c.Add(entry("mon", time.Date(2026, 3, 30, 0, 0, 0, 0, oslo))))
	require.NoError(t, c.Add(entry("apr", time.Date(2026, 4, 1, 12, 0, 0, 0, oslo))))
	require.NoError(t, c.AddEvent(calendar.Event{ID: "easter", Workspace: "acme", Kind: calendar.EventHoliday, Title: "Easter",
		Start: time.Date(2026, 4, 2, 0, 0, 0, 0, oslo), End: time.Date(2026, 4, 7, 0, 0, 0, 0, oslo), Zone: "Europe/Oslo"}))
	require.NoError(t, c.AddEvent(calendar.Event{ID: "cat", Workspace: "acme", Kind: calendar.EventObservance, Title: "International Cat Day",
		Start: time.Date(2025, 8, 8, 0, 0, 0, 0, oslo), End: time.Date(2025, 8, 9, 0, 0, 0, 0, oslo), Zone: "Europe/Oslo", RRule: "FREQ=YEARLY"}))
	require.NoError(t, c.AddEvent(calendar.Event{ID: "other", Workspace: "zeta", Kind: calendar.EventLaunch, Title: "not ours",
		Start: time.Date(2026, 3, 29, 0, 0, 0, 0, oslo), End: time.Date(2026, 3, 29, 1, 0, 0, 0, oslo), Zone: "Europe/Oslo"}))
	q := calendar.Query{Workspace: "acme"}

	day, err := c.DayView(q, time.Date(2026, 3, 29, 12, 0, 0, 0, oslo), oslo)
	require.NoError(t, err)
	require.Len(t, day.Days, 1)
	assert.Equal(t, 23*time.Hour, day.End.Sub(day.Start), "spring-forward day is 23 hours")
	assert.Equal(t, []string{"sun-8", "sun-9"}, ids(day.Days[0].Entries))
	assert.Empty(t, day.Days[0].Events)

	for _, tt := range []struct {
		name      string
		loc       *time.Location
		weekStart time.Weekday
		first     string
		perDay    map[int][]string
	}{
		{"monday week in oslo", oslo, time.Monday, "2026-03-23", map[int][]string{5: {"late-sat"}, 6: {"sun-8", "sun-9"}}},
		{"sunday week in oslo", oslo, time.Sunday, "2026-03-29", map[int][]string{0: {"sun-8", "sun-9"}, 1: {"mon"}, 3: {"apr"}}},
		// In New York, 23:30 Saturday Oslo is 18:30 Saturday; Monday 00:00 Oslo is Sunday 18:00.
		{"sunday week in new york", ny, time.Sunday, "2026-03-29", map[int][]string{0: {"sun-8", "sun-9", "mon"}, 3: {"apr"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := c.WeekView(q, time.Date(2026, 3, 29, 12, 0, 0, 0, oslo), tt.loc, tt.weekStart)
			require.NoError(t, err)
			require.Len(t, v.Days, 7)
			assert.Equal(t, tt.first, v.Days[0].Date.Format("2006-01-02"))
			assert.Equal(t, tt.weekStart, v.Days[0].Date.Weekday())
			for i, d := range v.Days {
				assert.Equal(t, tt.perDay[i], nilIfEmpty(ids(d.Entries)), "day %d", i)
				if i > 0 {
					assert.True(t, v.Days[i-1].End.Equal(d.Start), "days are contiguous")
				}
			}
		})
	}

	m, err := c.MonthView(q, time.Date(2026, 4, 15, 12, 0, 0, 0, oslo), oslo, time.Monday)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-30", m.Days[0].Date.Format("2006-01-02"))
	assert.Equal(t, "2026-05-03", m.Days[len(m.Days)-1].Date.Format("2006-01-02"))
	assert.Len(t, m.Days, 35)
	assert.False(t, m.Days[0].InRange)
	assert.True(t, m.Days[2].InRange)
	assert.Equal(t, []string{"mon", "apr"}, ids(m.Entries()))
	var easterDays []string
	for _, d := range m.Days {
		for _, ev := range d.Events {
			if ev.ID == "easter" {
				easterDays = append(easterDays, d.Date.Format("02"))
			}
		}
	}
	assert.Equal(t, []string{"02", "03", "04", "05", "06"}, easterDays)

	aug, err := c.MonthView(q, time.Date(2027, 8, 1, 12, 0, 0, 0, oslo), oslo, time.Sunday)
	require.NoError(t, err)
	var cat []string
	for _, d := range aug.Days {
		for _, ev := range d.Events {
			cat = append(cat, d.Date.Format("2006-01-02")+" "+ev.Title)
		}
	}
	assert.Equal(t, []string{"2027-08-08 International Cat Day"}, cat, "yearly observance recurs")

	_, err = c.WeekView(q, time.Now(), oslo, time.Wednesday)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = c.MonthView(q, time.Now(), nil, time.Monday)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestEventInvalid(t *testing.T) {
	c := calendar.New()
	base := calendar.Event{ID: "e", Workspace: "w", Kind: calendar.EventLaunch, Title: "Launch", Start: utc(2026, 1, 1, 0, 0), End: utc(2026, 1, 1, 1, 0), Zone: "UTC"}
	for _, tt := range []struct {
		name  string
		mod   func(*calendar.Event)
		field string
	}{
		{"end before start", func(e *calendar.Event) { e.End = e.Start.Add(-time.Hour) }, "end"},
		{"unknown zone", func(e *calendar.Event) { e.Zone = "Nowhere/Land" }, "zone"},
		{"invalid rrule", func(e *calendar.Event) { e.RRule = "FREQ=FORTNIGHTLY" }, "rrule"},
		{"unknown kind", func(e *calendar.Event) { e.Kind = "party" }, "kind"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev := base
			tt.mod(&ev)
			err := c.AddEvent(ev)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var ie *calendar.InvalidError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Empty(t, c.Events())
		})
	}
	require.NoError(t, c.AddEvent(base))
	require.NoError(t, c.RemoveEvent("e"))
	require.ErrorIs(t, c.RemoveEvent("e"), socialflow.ErrNotFound)
}

// BenchmarkMonthView measures a month view of one workspace as the calendar
// grows. Entries are spread over 10 workspaces at 10 posts per workspace
// per day, so the month returns the same k (~350 entries) at every size and
// the span of time grows with n.
//
//	go test -run '^$' -bench BenchmarkMonthView -benchmem ./calendar
func BenchmarkMonthView(b *testing.B) {
	oslo := mustZone(b, "Europe/Oslo")
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("entries=%s", sizeName(n)), func(b *testing.B) {
			c := calendar.New()
			const workspaces, perDay = 10, 10
			days := n / (workspaces * perDay)
			// The viewed month, March 2026, sits in the middle at every size.
			mid := utc(2026, 3, 15, 12, 0)
			start := mid.Add(-time.Duration(days/2) * 24 * time.Hour)
			batch := make([]calendar.Entry, 0, n)
			wsNames := make([]string, workspaces)
			for i := range wsNames {
				wsNames[i] = fmt.Sprintf("w%d", i)
			}
			for i := 0; i < n; i++ {
				ws := i % workspaces
				slot := i / workspaces // per workspace: day = slot/perDay
				at := start.Add(time.Duration(slot/perDay)*24*time.Hour + time.Duration(slot%perDay)*90*time.Minute)
				batch = append(batch, calendar.Entry{ID: fmt.Sprintf("e%07d", i), Workspace: wsNames[ws],
					Channel: "c", At: at, Zone: "Europe/Oslo", Status: calendar.StatusScheduled})
			}
			require.NoError(b, c.AddAll(batch))
			q := calendar.Query{Workspace: "w3"}
			v, err := c.MonthView(q, mid, oslo, time.Monday)
			require.NoError(b, err)
			require.NotEmpty(b, v.Entries())
			batch = nil
			runtime.GC() // start from the index alone, not the garbage of building it
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.MonthView(q, mid, oslo, time.Monday); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func sizeName(n int) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%dM", n/1_000_000)
	default:
		return fmt.Sprintf("%dk", n/1000)
	}
}

// BenchmarkMove measures moving one entry to a random time in a single
// workspace of n entries: a delete and an insert in its sorted index.
//
//	go test -run '^$' -bench BenchmarkMove -benchmem ./calendar
func BenchmarkMove(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("entries=%s", sizeName(n)), func(b *testing.B) {
			c := calendar.New()
			start := utc(2020, 1, 1, 0, 0)
			batch := make([]calendar.Entry, n)
			for i := range batch {
				batch[i] = calendar.Entry{ID: fmt.Sprintf("e%07d", i), Workspace: "w", Channel: "c",
					At: start.Add(time.Duration(i) * time.Hour), Zone: "UTC", Status: calendar.StatusScheduled}
			}
			require.NoError(b, c.AddAll(batch))
			batch = nil
			runtime.GC()
			r := rand.New(rand.NewPCG(1, 2))
			span := time.Duration(n) * time.Hour
			for b.Loop() {
				id := fmt.Sprintf("e%07d", r.IntN(n))
				if err := c.Move(id, start.Add(time.Duration(r.Int64N(int64(span))))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
