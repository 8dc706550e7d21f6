package workflow_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	assetstore "github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// planMonday is a Monday noon; slots are daily at 09:00 and 18:00 UTC.
var planMonday = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

type planEnv struct {
	dispatchEnv
	clock *fakeClock
}

// newPlanEnv: the dispatch environment (workspace w, channels a and b)
// with a clock, daily slots on a and b, and a second Service constructor.
func newPlanEnv(t *testing.T, opts ...workflow.ServiceOption) planEnv {
	t.Helper()
	e := planEnv{dispatchEnv: newDispatchEnv(t, fakenet.Options{}), clock: &fakeClock{t: planMonday}}
	e.svc = e.replica(t, opts...)
	for _, ch := range []string{"a", "b"} {
		require.NoError(t, e.svc.SetPostingSlots(t.Context(), "boss", ch, calendar.Schedule{Zone: "UTC", Times: []string{"09:00", "18:00"}}))
	}
	return e
}

// replica is another Service over the same store and team, as a second
// process or a restart would build it.
func (e planEnv) replica(t *testing.T, opts ...workflow.ServiceOption) *workflow.Service {
	t.Helper()
	svc, err := workflow.NewService(e.dispatchEnv.svc.Team(), e.store, append([]workflow.ServiceOption{workflow.WithClock(e.clock)}, opts...)...)
	require.NoError(t, err)
	return svc
}

func (e planEnv) approved(t *testing.T, svc *workflow.Service, text string, channels ...string) workflow.Post {
	t.Helper()
	if len(channels) == 0 {
		channels = []string{"a"}
	}
	p, err := svc.CreatePost(context.Background(), "boss", workflow.NewPost{Workspace: "w", Channels: channels, Content: workflow.Content{Text: text}})
	require.NoError(t, err)
	p, err = svc.Submit(context.Background(), "boss", p.ID)
	require.NoError(t, err)
	return p
}

func (e planEnv) queue(t *testing.T, svc *workflow.Service, text string) workflow.Post {
	t.Helper()
	p, err := svc.AddToQueue(t.Context(), "boss", e.approved(t, svc, text).ID)
	require.NoError(t, err)
	return p
}

func slot(day, hour int) time.Time {
	return time.Date(2026, 3, 2+day, hour, 0, 0, 0, time.UTC)
}

// TestPlanningSurvivesRestart: a month of planning through one Service,
// then a new Service over the same store sees the same slots, rules,
// queue, pause, events, guidelines and calendar.
func TestPlanningSurvivesRestart(t *testing.T) {
	e := newPlanEnv(t)
	ctx := t.Context()
	svc := e.svc
	require.NoError(t, svc.SetRules(ctx, "boss", "a", calendar.Rules{MaxPerDay: 1}))
	require.NoError(t, svc.SetGuidelines(ctx, "boss", "w", workflow.Guidelines{BannedWords: []string{"cheap"}}))
	require.NoError(t, svc.AddCalendarEvent(ctx, "boss", calendar.Event{ID: "launch", Workspace: "w", Kind: calendar.EventLaunch,
		Title: "spring launch", Start: slot(3, 0), End: slot(4, 0), Zone: "UTC"}))
	var queued []workflow.Post
	for _, text := range []string{"one", "two", "three"} {
		queued = append(queued, e.queue(t, svc, text))
	}
	sched := e.approved(t, svc, "explicit", "b")
	_, err := svc.Schedule(ctx, "boss", sched.ID, slot(10, 10))
	require.NoError(t, err)
	require.NoError(t, svc.PauseQueue(ctx, "boss", "b", true))

	month := func(s *workflow.Service) calendar.View {
		v, err := s.MonthView(ctx, "boss", "w", planMonday, "UTC", time.Monday)
		require.NoError(t, err)
		return v
	}
	before := month(svc)
	require.Len(t, before.Entries(), 4)

	restarted := e.replica(t)
	assert.Equal(t, before, month(restarted), "the month view after a restart shows the stored posts and events")
	for _, ch := range []string{"a", "b"} {
		p1, err := svc.ChannelPlan(ctx, "boss", ch)
		require.NoError(t, err)
		p2, err := restarted.ChannelPlan(ctx, "boss", ch)
		require.NoError(t, err)
		assert.Equal(t, p1, p2)
	}
	pa, _ := restarted.ChannelPlan(ctx, "boss", "a")
	assert.Len(t, pa.Queue, 3)
	assert.Equal(t, 1, pa.Rules.MaxPerDay)
	pb, _ := restarted.ChannelPlan(ctx, "boss", "b")
	assert.True(t, pb.Paused)
	g, err := restarted.Guidelines(ctx, "boss", "w")
	require.NoError(t, err)
	assert.Equal(t, []string{"cheap"}, g.BannedWords)
	_, err = restarted.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "w", Channels: []string{"a"}, Content: workflow.Content{Text: "so cheap"}})
	require.NoError(t, err)
	posts, _ := restarted.Posts(ctx, "boss", "w", workflow.StateDraft)
	_, err = restarted.Submit(ctx, "boss", posts[0].ID)
	var ge *workflow.GuidelineError
	assert.ErrorAs(t, err, &ge, "the stored guidelines apply on the restarted Service")

	// The queue continues where it was: the next post takes the next day
	// (max one a day), not a slot the first Service handed out.
	next := e.queue(t, restarted, "four")
	assert.Equal(t, slot(3, 9), next.Targets[0].At)
	assert.Equal(t, []time.Time{slot(0, 18), slot(1, 9), slot(2, 9)}, []time.Time{queued[0].Targets[0].At, queued[1].Targets[0].At, queued[2].Targets[0].At})
	evs, err := restarted.CalendarEvents(ctx, "boss", "w")
	require.NoError(t, err)
	require.Len(t, evs, 1)
	found := false
	for _, d := range month(restarted).Days {
		for _, o := range d.Events {
			found = found || o.ID == "launch"
		}
	}
	assert.True(t, found, "stored events show in the views")
}

// TestReplicasNeverBookOneSlot: two Services over one store queue posts
// and schedule at once; no slot is booked twice and "at most 1 a day"
// holds.
func TestReplicasNeverBookOneSlot(t *testing.T) {
	e := newPlanEnv(t)
	ctx := t.Context()
	require.NoError(t, e.svc.SetRules(ctx, "boss", "a", calendar.Rules{MaxPerDay: 1}))
	replicas := []*workflow.Service{e.svc, e.replica(t)}
	const each = 6
	posts := make([][]workflow.Post, 2)
	for i, svc := range replicas {
		for range each {
			posts[i] = append(posts[i], e.approved(t, svc, "q"))
		}
	}
	var wg sync.WaitGroup
	at := make(chan time.Time, 2*each)
	for i, svc := range replicas {
		wg.Go(func() {
			for _, p := range posts[i] {
				got, err := svc.AddToQueue(ctx, "boss", p.ID)
				if assert.NoError(t, err) {
					at <- got.Targets[0].At
				}
			}
		})
	}
	wg.Wait()
	close(at)
	days := map[string]bool{}
	for a := range at {
		d := a.Format(time.DateOnly)
		assert.False(t, days[d], "two posts on %s", d)
		days[d] = true
	}
	assert.Len(t, days, 2*each)

	// Two explicit schedules on one day from two replicas: one wins.
	x, y := e.approved(t, replicas[0], "x"), e.approved(t, replicas[1], "y")
	errs := make([]error, 2)
	for i, p := range []workflow.Post{x, y} {
		wg.Go(func() { _, errs[i] = replicas[i].Schedule(ctx, "boss", p.ID, slot(40, 10+i)) })
	}
	wg.Wait()
	fails := 0
	for _, err := range errs {
		if err != nil {
			fails++
			var re *workflow.RuleError
			assert.ErrorAs(t, err, &re)
		}
	}
	assert.Equal(t, 1, fails, "concurrent schedules never break max-per-day")
}

// TestQueueReleasesOnEveryExit: a queued post that leaves the plan frees
// its slot, the next queued post takes it, and the post can be queued again.
func TestQueueReleasesOnEveryExit(t *testing.T) {
	exits := []struct {
		name string
		exit func(t *testing.T, e planEnv, p workflow.Post)
	}{
		{"cancel", func(t *testing.T, e planEnv, p workflow.Post) {
			_, err := e.svc.Cancel(t.Context(), "boss", p.ID)
			require.NoError(t, err)
		}},
		{"cancel then archive", func(t *testing.T, e planEnv, p workflow.Post) {
			_, err := e.svc.Cancel(t.Context(), "boss", p.ID)
			require.NoError(t, err)
			_, err = e.svc.Archive(t.Context(), "boss", p.ID)
			require.NoError(t, err)
		}},
		{"unschedule", func(t *testing.T, e planEnv, p workflow.Post) {
			_, err := e.svc.Unschedule(t.Context(), "boss", p.ID)
			require.NoError(t, err)
		}},
		{"edit back to review", func(t *testing.T, e planEnv, p workflow.Post) {
			c := p.Content
			c.Text = "edited"
			_, err := e.svc.EditPost(t.Context(), "boss", p.ID, workflow.Edit{Rev: p.Rev, Content: &c})
			require.NoError(t, err)
		}},
	}
	for _, x := range exits {
		t.Run(x.name, func(t *testing.T) {
			e := newPlanEnv(t)
			first := e.queue(t, e.svc, "first")
			second := e.queue(t, e.svc, "second")
			require.Equal(t, slot(0, 18), first.Targets[0].At)
			require.Equal(t, slot(1, 9), second.Targets[0].At)
			x.exit(t, e, first)
			pl, err := e.svc.ChannelPlan(t.Context(), "boss", "a")
			require.NoError(t, err)
			assert.Len(t, pl.Queue, 1, "the position is released")
			assert.NotContains(t, pl.Bookings, workflow.TargetKey(first.ID, "a"))
			third := e.queue(t, e.svc, "third")
			assert.Equal(t, slot(0, 18), third.Targets[0].At, "the freed slot is reused")
			if x.name == "unschedule" {
				again, err := e.svc.AddToQueue(t.Context(), "boss", first.ID)
				require.NoError(t, err, "an unscheduled post can be queued again")
				assert.Equal(t, slot(1, 18), again.Targets[0].At)
			}
		})
	}
	t.Run("publish", func(t *testing.T) {
		e := newPlanEnv(t)
		first := e.queue(t, e.svc, "first")
		d, err := workflow.NewDispatcher(e.svc, e.connect(t))
		require.NoError(t, err)
		e.clock.t = slot(0, 18)
		r, err := d.RunOnce(t.Context(), e.clock.t)
		require.NoError(t, err)
		require.Equal(t, 1, r.Published)
		pl, _ := e.svc.ChannelPlan(t.Context(), "boss", "a")
		assert.Empty(t, pl.Queue)
		assert.NotContains(t, pl.Bookings, workflow.TargetKey(first.ID, "a"))
		next := e.queue(t, e.svc, "next")
		assert.Equal(t, slot(1, 9), next.Targets[0].At, "the next post takes the next slot, not one pushed back")
	})
}

// TestCancelReleasesAssetUsage: a cancelled post no longer keeps its image
// from being deleted.
func TestCancelReleasesAssetUsage(t *testing.T) {
	ctx := t.Context()
	lib, err := assets.NewLibrary(assetstore.New(), memblob.New(), assets.WithApprovalRequired(false))
	require.NoError(t, err)
	img := pngBytes(t, 64, 48)
	a, err := lib.AddMedia(ctx, assets.NewAsset{Name: "bun.png", MIME: "image/png", AltText: "a bun"}, bytes.NewReader(img), int64(len(img)), planMonday)
	require.NoError(t, err)
	e := newPlanEnv(t, workflow.WithAssetChecker(workflow.LibraryAssets{Lib: lib}))
	p, err := e.svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "w", Channels: []string{"a"}, Content: workflow.Content{Text: "bun", Media: []workflow.MediaRef{{Asset: a.ID}}}})
	require.NoError(t, err)
	_, err = e.svc.Submit(ctx, "boss", p.ID)
	require.NoError(t, err)
	_, err = e.svc.AddToQueue(ctx, "boss", p.ID)
	require.NoError(t, err)
	var inUse *assets.InUseError
	require.ErrorAs(t, lib.Delete(ctx, a.ID, a.Version, planMonday), &inUse)
	_, err = e.svc.Cancel(ctx, "boss", p.ID)
	require.NoError(t, err)
	assert.NoError(t, lib.Delete(ctx, a.ID, a.Version, planMonday), "the cancelled post released its usage")
}

// TestQueueReorderShuffleInsertTop: the queue's slots stay, the posts
// take them in the new order; reached through the Service, authorized
// and audited.
func TestQueueReorderShuffleInsertTop(t *testing.T) {
	e := newPlanEnv(t)
	ctx := t.Context()
	p1, p2, p3 := e.queue(t, e.svc, "1"), e.queue(t, e.svc, "2"), e.queue(t, e.svc, "3")
	at := func(id string) time.Time {
		p, err := e.store.GetPost(ctx, id)
		require.NoError(t, err)
		return p.Targets[0].At
	}
	require.NoError(t, e.svc.ReorderQueue(ctx, "boss", "a", []string{p3.ID, p1.ID, p2.ID}))
	assert.Equal(t, []time.Time{slot(0, 18), slot(1, 9), slot(1, 18)}, []time.Time{at(p3.ID), at(p1.ID), at(p2.ID)})
	assert.ErrorIs(t, e.svc.ReorderQueue(ctx, "boss", "a", []string{p1.ID}), socialflow.ErrInvalid)
	assert.ErrorIs(t, e.svc.ReorderQueue(ctx, "creator", "a", []string{p3.ID, p1.ID, p2.ID}), socialflow.ErrForbidden)

	top, err := e.svc.InsertTop(ctx, "boss", e.approved(t, e.svc, "urgent").ID)
	require.NoError(t, err)
	assert.Equal(t, slot(0, 18), top.Targets[0].At)
	assert.Equal(t, []time.Time{slot(1, 9), slot(1, 18), slot(2, 9)}, []time.Time{at(p3.ID), at(p1.ID), at(p2.ID)})

	require.NoError(t, e.svc.ShuffleQueue(ctx, "boss", "a", 7))
	seen := map[time.Time]bool{}
	for _, id := range []string{top.ID, p1.ID, p2.ID, p3.ID} {
		seen[at(id)] = true
	}
	assert.Len(t, seen, 4, "a shuffle keeps the queue's slots")
	pl, _ := e.svc.ChannelPlan(ctx, "boss", "a")
	for i := 1; i < len(pl.Queue); i++ {
		assert.True(t, pl.Bookings[pl.Queue[i-1].Key].At.Before(pl.Bookings[pl.Queue[i].Key].At), "queue order is slot order")
	}
	trail, err := e.svc.AuditTrail(ctx, "boss", "w", 0)
	require.NoError(t, err)
	var actions []string
	for _, ev := range trail {
		actions = append(actions, ev.Action)
	}
	assert.Contains(t, actions, "queue.reorder")
	assert.Contains(t, actions, "queue.shuffle")
	assert.Contains(t, actions, "post.queue_top")
}

// TestPauseAndBlackoutHoldAtTheSlot: the dispatcher re-checks at the
// slot. An emergency pause of the workspace (or the channel) holds due
// targets, which keep their slots and go out after resume; a blackout
// added after scheduling holds the target until it ends.
func TestPauseAndBlackoutHoldAtTheSlot(t *testing.T) {
	e := newPlanEnv(t)
	ctx := t.Context()
	d, err := workflow.NewDispatcher(e.replica(t), e.connect(t), workflow.WithInterval(time.Minute))
	require.NoError(t, err)
	p := e.queue(t, e.svc, "paused")
	assert.ErrorIs(t, e.svc.PauseWorkspace(ctx, "creator", "w", true, "crisis"), socialflow.ErrForbidden)
	require.NoError(t, e.svc.PauseWorkspace(ctx, "boss", "w", true, "crisis"))
	e.clock.t = slot(0, 18)
	r, err := d.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Held)
	assert.Zero(t, r.Published)
	assert.Zero(t, e.onNetwork("paused"))
	got := e.get(t, p.ID)
	assert.Equal(t, slot(0, 18), got.Targets[0].At, "a held target keeps its slot")
	require.NoError(t, e.svc.PauseWorkspace(ctx, "boss", "w", false, ""))
	e.clock.t = slot(0, 18).Add(time.Minute)
	r, err = d.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Published, "past due at resume: it goes out at the next step")

	// Channel pause.
	q := e.queue(t, e.svc, "channel paused")
	require.NoError(t, e.svc.PauseQueue(ctx, "boss", "a", true))
	e.clock.t = q.Targets[0].At
	r, err = d.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Held)
	_, err = e.svc.AddToQueue(ctx, "boss", e.approved(t, e.svc, "no slot").ID)
	assert.ErrorIs(t, err, socialflow.ErrInvalid, "a paused queue plans nothing")
	require.NoError(t, e.svc.PauseQueue(ctx, "boss", "a", false))
	e.clock.t = e.clock.t.Add(time.Minute)
	r, err = d.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Published)

	// A blackout added after scheduling.
	b := e.approved(t, e.svc, "blacked out", "b")
	at := slot(5, 10)
	_, err = e.svc.Schedule(ctx, "boss", b.ID, at)
	require.NoError(t, err)
	end := at.Add(3 * time.Hour)
	require.NoError(t, e.svc.SetRules(ctx, "boss", "b", calendar.Rules{Blackouts: []calendar.Blackout{{ID: "crisis", Start: at.Add(-time.Hour), End: end}}}))
	e.clock.t = at
	r, err = d.RunOnce(ctx, at)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Held)
	assert.Zero(t, e.onNetwork("blacked out"))
	held := e.get(t, b.ID)
	next, ok := held.Targets[0].NextAction()
	assert.True(t, ok)
	assert.Equal(t, end, next, "held until the blackout ends")
	e.clock.t = end
	r, err = d.RunOnce(ctx, end)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Published)
}

// TestViewsThroughTheService: day, week, month and range views, authorized
// and scoped: a member restricted to one channel sees only its entries.
func TestViewsThroughTheService(t *testing.T) {
	e := newPlanEnv(t)
	ctx := t.Context()
	e.queue(t, e.svc, "on a")
	pb := e.approved(t, e.svc, "on b", "b")
	_, err := e.svc.Schedule(ctx, "boss", pb.ID, slot(1, 12))
	require.NoError(t, err)
	require.NoError(t, e.svc.AddMember(ctx, "boss", workflow.MemberRequest{From: "w", Member: team.Member{ID: "ria"}}))
	_, err = e.svc.Invite(ctx, "boss", workflow.MembershipRequest{Member: "ria", Workspace: "w", Role: team.RoleCreator, Channels: []string{"b"}})
	require.NoError(t, err)
	require.NoError(t, e.svc.AddMember(ctx, "boss", workflow.MemberRequest{From: "w", Member: team.Member{ID: "stranger"}}))

	day, err := e.svc.DayView(ctx, "boss", "w", slot(0, 12), "UTC")
	require.NoError(t, err)
	assert.Len(t, day.Entries(), 1)
	week, err := e.svc.WeekView(ctx, "boss", "w", slot(0, 12), "UTC", time.Monday)
	require.NoError(t, err)
	assert.Len(t, week.Entries(), 2)
	month, err := e.svc.MonthView(ctx, "ria", "w", slot(0, 12), "UTC", time.Monday)
	require.NoError(t, err)
	require.Len(t, month.Entries(), 1, "a restricted member sees only their channels")
	assert.Equal(t, "b", month.Entries()[0].Channel)
	rng, err := e.svc.CalendarRange(ctx, "boss", workflow.CalendarQuery{Workspace: "w", From: slot(0, 0), To: slot(7, 0), Channels: []string{"a"}})
	require.NoError(t, err)
	assert.Len(t, rng, 1)
	_, err = e.svc.MonthView(ctx, "stranger", "w", slot(0, 12), "UTC", time.Monday)
	assert.ErrorIs(t, err, socialflow.ErrForbidden)
	_, err = e.svc.DayView(ctx, "boss", "w", slot(0, 12), "Mars/Olympus")
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = e.svc.CalendarRange(ctx, "boss", workflow.CalendarQuery{Workspace: "w"})
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
}
