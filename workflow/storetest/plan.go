package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/workflow"
)

// planCases cover the planning state ([workflow.PlanStore]).
var planCases = []storeCase{
	{"PlanOfNewChannelIsEmpty", planEmpty},
	{"PlanPutAndGetRoundTrips", planRoundTrip},
	{"PlanStaleRevConflicts", planStale},
	{"PlanTwoWritersOneWins", planTwoWriters},
	{"PlanConcurrentBookingsAllKept", planConcurrentBookings},
	{"PlansListsAWorkspace", plansList},
	{"WorkspacePlanOptimistic", workspacePlan},
	{"CalendarEventsPutListDelete", calendarEvents},
	{"PlannedPostsByRange", plannedPosts},
	{"PlannedPostsFollowUpdates", plannedPostsUpdates},
	{"PlannedPostsManyTargets", plannedPostsMany},
}

func planEmpty(t *testing.T, s workflow.Store) {
	pl, err := s.Plan(ctx(t), "c1")
	require.NoError(t, err)
	assert.Equal(t, workflow.ChannelPlan{Channel: "c1"}, pl)
	wp, err := s.WorkspacePlan(ctx(t), "ws")
	require.NoError(t, err)
	assert.Equal(t, workflow.WorkspacePlan{Workspace: "ws"}, wp)
}

func samplePlan() workflow.ChannelPlan {
	return workflow.ChannelPlan{
		Channel: "c1", Workspace: "ws",
		Slots:    &calendar.Schedule{Zone: "Europe/Oslo", Days: []time.Weekday{time.Monday}, Times: []string{"09:00"}},
		Rules:    calendar.Rules{MinGap: time.Hour, MaxPerDay: 2, Blackouts: []calendar.Blackout{{ID: "b", Start: t0, End: t0.Add(time.Hour), Channels: []string{"c1"}}}},
		Paused:   true,
		Queue:    []workflow.QueueSlot{{Key: "p1/c1"}},
		Bookings: map[string]workflow.Booking{"p1/c1": {At: t0, Zone: "Europe/Oslo"}},
	}
}

func planRoundTrip(t *testing.T, s workflow.Store) {
	in := samplePlan()
	out, err := s.PutPlan(ctx(t), in)
	require.NoError(t, err)
	assert.Equal(t, int64(1), out.Rev)
	got, err := s.Plan(ctx(t), "c1")
	require.NoError(t, err)
	want := in.Clone()
	want.Rev = 1
	assert.Equal(t, want, got)
	// Returned values are copies.
	got.Bookings["p2/c1"] = workflow.Booking{At: t0}
	got.Slots.Times[0] = "10:00"
	got.Queue[0].Key = "changed"
	again, err := s.Plan(ctx(t), "c1")
	require.NoError(t, err)
	assert.Equal(t, want, again)
}

func planStale(t *testing.T, s workflow.Store) {
	_, err := s.PutPlan(ctx(t), samplePlan())
	require.NoError(t, err)
	_, err = s.PutPlan(ctx(t), samplePlan()) // Rev 0 again
	var ce *workflow.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.True(t, errors.Is(err, socialflow.ErrConflict))
	assert.Equal(t, workflow.ConflictPlan, ce.Kind)
	assert.Equal(t, int64(1), ce.Current)
}

func planTwoWriters(t *testing.T, s workflow.Store) {
	base, err := s.PutPlan(ctx(t), workflow.ChannelPlan{Channel: "c1", Workspace: "ws"})
	require.NoError(t, err)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			pl := base.Clone()
			pl.Bookings = map[string]workflow.Booking{fmt.Sprintf("p%d/c1", i): {At: t0, Zone: "UTC"}}
			_, errs[i] = s.PutPlan(ctx(t), pl)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			assert.ErrorIs(t, err, socialflow.ErrConflict)
		}
	}
	assert.Equal(t, 1, wins, "two writers of one revision: exactly one wins")
	got, err := s.Plan(ctx(t), "c1")
	require.NoError(t, err)
	assert.Len(t, got.Bookings, 1)
	assert.Equal(t, int64(2), got.Rev)
}

// planConcurrentBookings: writers that re-read and retry on a conflict
// all get their booking in, none lost.
func planConcurrentBookings(t *testing.T, s workflow.Store) {
	const writers = 8
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for {
				pl, err := s.Plan(ctx(t), "c1")
				if !assert.NoError(t, err) {
					return
				}
				pl.Workspace = "ws"
				if pl.Bookings == nil {
					pl.Bookings = map[string]workflow.Booking{}
				}
				pl.Bookings[fmt.Sprintf("p%d/c1", i)] = workflow.Booking{At: t0.Add(time.Duration(i) * time.Hour), Zone: "UTC"}
				_, err = s.PutPlan(ctx(t), pl)
				if err == nil {
					return
				}
				if !assert.ErrorIs(t, err, socialflow.ErrConflict) {
					return
				}
			}
		})
	}
	wg.Wait()
	got, err := s.Plan(ctx(t), "c1")
	require.NoError(t, err)
	assert.Len(t, got.Bookings, writers)
}

func plansList(t *testing.T, s workflow.Store) {
	for _, c := range []string{"c2", "c1"} {
		_, err := s.PutPlan(ctx(t), workflow.ChannelPlan{Channel: c, Workspace: "ws"})
		require.NoError(t, err)
	}
	_, err := s.PutPlan(ctx(t), workflow.ChannelPlan{Channel: "other", Workspace: "ws2"})
	require.NoError(t, err)
	got, err := s.Plans(ctx(t), "ws")
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "c1", got[0].Channel)
	assert.Equal(t, "c2", got[1].Channel)
}

func workspacePlan(t *testing.T, s workflow.Store) {
	wp := workflow.WorkspacePlan{Workspace: "ws", Paused: true, Guidelines: workflow.Guidelines{BannedWords: []string{"cheap"}}}
	out, err := s.PutWorkspacePlan(ctx(t), wp)
	require.NoError(t, err)
	assert.Equal(t, int64(1), out.Rev)
	got, err := s.WorkspacePlan(ctx(t), "ws")
	require.NoError(t, err)
	assert.True(t, got.Paused)
	assert.Equal(t, []string{"cheap"}, got.Guidelines.BannedWords)
	got.Guidelines.BannedWords[0] = "changed"
	again, _ := s.WorkspacePlan(ctx(t), "ws")
	assert.Equal(t, []string{"cheap"}, again.Guidelines.BannedWords, "returned values are copies")
	_, err = s.PutWorkspacePlan(ctx(t), wp)
	var ce *workflow.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, workflow.ConflictWorkspacePlan, ce.Kind)

	// Two writers of one revision: one wins.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { _, errs[i] = s.PutWorkspacePlan(ctx(t), got) })
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		}
	}
	assert.Equal(t, 1, wins)
}

func calendarEvents(t *testing.T, s workflow.Store) {
	evs := []calendar.Event{
		{ID: "b", Workspace: "ws", Kind: calendar.EventLaunch, Title: "launch", Start: t0, End: t0.Add(time.Hour), Zone: "UTC"},
		{ID: "a", Workspace: "ws", Kind: calendar.EventHoliday, Title: "holiday", Start: t0, End: t0.Add(24 * time.Hour), Zone: "UTC", RRule: "FREQ=YEARLY"},
		{ID: "a", Workspace: "ws2", Kind: calendar.EventHoliday, Title: "other", Start: t0, End: t0.Add(time.Hour), Zone: "UTC"},
	}
	for _, ev := range evs {
		require.NoError(t, s.PutCalendarEvent(ctx(t), ev))
	}
	replaced := evs[0]
	replaced.Title = "launch day"
	require.NoError(t, s.PutCalendarEvent(ctx(t), replaced))
	got, err := s.CalendarEvents(ctx(t), "ws")
	require.NoError(t, err)
	assert.Equal(t, []calendar.Event{evs[1], replaced}, got)
	require.NoError(t, s.DeleteCalendarEvent(ctx(t), "ws", "a"))
	assert.ErrorIs(t, s.DeleteCalendarEvent(ctx(t), "ws", "a"), socialflow.ErrNotFound)
	got, _ = s.CalendarEvents(ctx(t), "ws")
	assert.Equal(t, []calendar.Event{replaced}, got)
	other, _ := s.CalendarEvents(ctx(t), "ws2")
	assert.Len(t, other, 1, "workspaces are separate")
}

// planned returns a scheduled post with one target per channel at the
// given instants.
func planned(id, ws string, at ...time.Time) workflow.Post {
	p := post(id)
	p.Workspace, p.State, p.Targets = ws, workflow.StateScheduled, nil
	for i, a := range at {
		p.Targets = append(p.Targets, workflow.Target{Channel: fmt.Sprintf("c%d", i+1), Network: "x", State: workflow.TargetScheduled, At: a})
	}
	return p
}

func ids(ps []workflow.Post) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func plannedPosts(t *testing.T, s workflow.Store) {
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	for _, p := range []workflow.Post{
		planned("late", "ws", h(5)),
		planned("early", "ws", h(1)),
		planned("two", "ws", h(3), h(-2)), // one target before the range
		planned("out", "ws", h(10)),
		planned("elsewhere", "ws2", h(2)),
		post("unplanned"), // no time
	} {
		_, err := s.CreatePost(ctx(t), p)
		require.NoError(t, err)
	}
	got, err := s.PlannedPosts(ctx(t), workflow.PlanQuery{Workspace: "ws", From: h(0), To: h(10)})
	require.NoError(t, err)
	assert.Equal(t, []string{"early", "two", "late"}, ids(got), "by earliest instant in range; To is exclusive")
	got, err = s.PlannedPosts(ctx(t), workflow.PlanQuery{Workspace: "ws", From: h(-2), To: h(4)})
	require.NoError(t, err)
	assert.Equal(t, []string{"two", "early"}, ids(got), "each post once")
	got, err = s.PlannedPosts(ctx(t), workflow.PlanQuery{Workspace: "ws", From: h(0), To: h(24), Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"early", "two"}, ids(got))
	_, err = s.PlannedPosts(ctx(t), workflow.PlanQuery{Workspace: "ws"})
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
}

func plannedPostsUpdates(t *testing.T, s workflow.Store) {
	p, err := s.CreatePost(ctx(t), planned("p", "ws", t0))
	require.NoError(t, err)
	in := func(from, to time.Time) []string {
		got, err := s.PlannedPosts(ctx(t), workflow.PlanQuery{Workspace: "ws", From: from, To: to})
		require.NoError(t, err)
		return ids(got)
	}
	assert.Equal(t, []string{"p"}, in(t0, t0.Add(time.Minute)))
	p.Targets[0].At = t0.Add(48 * time.Hour)
	p, err = s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Empty(t, in(t0, t0.Add(time.Minute)), "a moved target leaves its old instant")
	assert.Equal(t, []string{"p"}, in(t0.Add(47*time.Hour), t0.Add(49*time.Hour)))
	p.State = workflow.StateCancelled
	p.Targets[0].State = workflow.TargetCancelled
	_, err = s.UpdatePost(ctx(t), p)
	require.NoError(t, err)
	assert.Empty(t, in(t0.Add(47*time.Hour), t0.Add(49*time.Hour)), "a cancelled post leaves the calendar")
}

// plannedPostsMany checks the range index against a brute-force filter
// over enough posts to need more than a trivial structure.
func plannedPostsMany(t *testing.T, s workflow.Store) {
	r := rand.New(rand.NewPCG(1, 2))
	at := map[string]time.Time{}
	for i := range 1500 {
		id := fmt.Sprintf("p%04d", i)
		a := t0.Add(time.Duration(r.IntN(1000)) * time.Minute)
		p, err := s.CreatePost(ctx(t), planned(id, "ws", a))
		require.NoError(t, err)
		at[id] = a
		if i%3 == 0 { // move a third, cancel a ninth
			p.Targets[0].At = a.Add(time.Duration(r.IntN(500)) * time.Minute)
			if i%9 == 0 {
				p.State, p.Targets[0].State = workflow.StateCancelled, workflow.TargetCancelled
				delete(at, id)
			} else {
				at[id] = p.Targets[0].At
			}
			_, err = s.UpdatePost(ctx(t), p)
			require.NoError(t, err)
		}
	}
	for range 20 {
		from := t0.Add(time.Duration(r.IntN(1500)) * time.Minute)
		to := from.Add(time.Duration(r.IntN(200)) * time.Minute)
		var want []string
		for id, a := range at {
			if !a.Before(from) && a.Before(to) {
				want = append(want, id)
			}
		}
		slices.SortFunc(want, func(a, b string) int {
			if c := at[a].Compare(at[b]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		got, err := s.PlannedPosts(ctx(t), workflow.PlanQuery{Workspace: "ws", From: from, To: to})
		require.NoError(t, err)
		assert.Equal(t, want, ids(got))
	}
}
