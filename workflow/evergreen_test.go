package workflow_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// newEvergreenEnv is a plan environment whose fake network accepts
// repeated content (as Instagram and LinkedIn do; X refuses a duplicate of
// a live post, and such a return fails like any refused publish).
func newEvergreenEnv(t *testing.T) planEnv {
	e := newPlanEnv(t)
	e.nets[fakenet.Network] = fakenet.New(fakenet.Options{AllowDuplicateContent: true})
	return e
}

// markersOf returns the idempotency markers of the fake network's posts
// carrying text, in publishing order.
func (e planEnv) markersOf(text string) []string {
	var out []string
	for _, p := range e.nets[fakenet.Network].Posts() {
		if p.Draft.Text == text {
			out = append(out, p.Marker)
		}
	}
	return out
}

func (e planEnv) actions(t *testing.T, svc *workflow.Service) map[string]int {
	t.Helper()
	evs, err := svc.AuditTrail(t.Context(), "boss", "w", 0)
	require.NoError(t, err)
	n := map[string]int{}
	for _, ev := range evs {
		n[ev.Action]++
	}
	return n
}

// TestEvergreenComesBack: an evergreen post publishes, comes back into
// the first free slot at least the interval later as a new round of the
// same approved version (a second post on the network with another
// marker), and stops after its maximum of returns; the cycle is carried
// by two replicas, each seeing the other's returns.
func TestEvergreenComesBack(t *testing.T) {
	e := newEvergreenEnv(t)
	ctx := t.Context()
	other := e.replica(t)
	d1, err := workflow.NewDispatcher(e.replica(t), e.connect(t))
	require.NoError(t, err)
	d2, err := workflow.NewDispatcher(other, e.connect(t))
	require.NoError(t, err)

	p := e.approved(t, e.svc, "evergreen tip")
	for _, c := range []struct {
		name  string
		actor string
		ev    workflow.Evergreen
		want  error
	}{
		{"no interval", "boss", workflow.Evergreen{}, socialflow.ErrInvalid},
		{"interval too short", "boss", workflow.Evergreen{Interval: time.Minute}, socialflow.ErrInvalid},
		{"negative repeats", "boss", workflow.Evergreen{Interval: 24 * time.Hour, MaxRepeats: -1}, socialflow.ErrInvalid},
		{"not a member", "creator", workflow.Evergreen{Interval: 24 * time.Hour}, socialflow.ErrForbidden},
	} {
		_, err := e.svc.QueueEvergreen(ctx, c.actor, p.ID, c.ev)
		assert.ErrorIs(t, err, c.want, c.name)
	}
	p, err = e.svc.QueueEvergreen(ctx, "boss", p.ID, workflow.Evergreen{Interval: 48 * time.Hour, MaxRepeats: 2})
	require.NoError(t, err)
	require.Equal(t, slot(0, 18), p.Targets[0].At)
	// Fillers take the next four slots, up to slot(2, 18), the first one
	// 48 h after the first publish.
	for _, text := range []string{"f1", "f2", "f3", "f4"} {
		e.queue(t, e.svc, text)
	}

	e.clock.t = slot(0, 18)
	r, err := d1.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	require.Equal(t, 1, r.Published)
	got := e.get(t, p.ID)
	tg := got.Targets[0]
	assert.Equal(t, workflow.StateScheduled, got.State)
	assert.Equal(t, workflow.TargetScheduled, tg.State)
	assert.Equal(t, slot(3, 9), tg.At, "the first free slot at least 48h later (slot(2,18) is taken)")
	assert.Equal(t, 1, tg.Outcome.Round)
	require.Len(t, tg.Earlier, 1)
	assert.NotEmpty(t, tg.Earlier[0].RemoteID)
	assert.Equal(t, p.Version, got.Version, "the same approved version")

	// The other replica sees the return in the plan and on the calendar.
	pl, err := other.ChannelPlan(ctx, "boss", "a")
	require.NoError(t, err)
	key := workflow.TargetKey(p.ID, "a")
	assert.Equal(t, slot(3, 9), pl.Bookings[key].At)
	require.NotEmpty(t, pl.Queue)
	i := slicesIndex(pl.Queue, key)
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, 1, pl.Queue[i].Returns)
	entries, err := other.CalendarRange(ctx, "boss", workflow.CalendarQuery{Workspace: "w", From: slot(3, 0), To: slot(4, 0)})
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	assert.Equal(t, key, entries[0].ID)

	// The second round goes out through the other replica's dispatcher.
	e.clock.t = slot(3, 9)
	_, err = d2.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	got = e.get(t, p.ID)
	assert.Equal(t, slot(5, 9), got.Targets[0].At, "free 48h later")
	assert.Equal(t, 2, got.Targets[0].Outcome.Round)

	// The third publish is the last: two returns at most.
	e.clock.t = slot(5, 9)
	r, err = d1.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Published)
	got = e.get(t, p.ID)
	assert.Equal(t, workflow.StatePublished, got.State)
	assert.Equal(t, workflow.TargetPublished, got.Targets[0].State)
	assert.Len(t, got.Targets[0].Earlier, 2)
	pl, err = e.svc.ChannelPlan(ctx, "boss", "a")
	require.NoError(t, err)
	assert.NotContains(t, pl.Bookings, key)
	assert.Negative(t, slicesIndex(pl.Queue, key), "the cycle ended: the position is released")

	markers := e.markersOf("evergreen tip")
	require.Len(t, markers, 3, "three posts on the network")
	assert.Equal(t, []string{got.Targets[0].Earlier[0].Marker, got.Targets[0].Earlier[1].Marker, got.Targets[0].Outcome.Marker}, markers)
	assert.Len(t, map[string]bool{markers[0]: true, markers[1]: true, markers[2]: true}, 3, "distinct markers")

	e.clock.t = slot(30, 9)
	_, err = d2.RunOnce(ctx, e.clock.t)
	require.NoError(t, err)
	assert.Len(t, e.markersOf("evergreen tip"), 3, "nothing after the last return")
	n := e.actions(t, other)
	assert.Equal(t, 1, n["post.queue_evergreen"])
	assert.Equal(t, 2, n["post.requeue"])
	assert.Equal(t, 1, n["post.requeue_end"])
}

func slicesIndex(q []workflow.QueueSlot, key string) int {
	for i, s := range q {
		if s.Key == key {
			return i
		}
	}
	return -1
}

// TestEvergreenCycleStops: every exit from the queue ends the cycle
// (cancel, unschedule, an edit back to review, queued again without
// evergreen, a fixed schedule), and so does Until.
func TestEvergreenCycleStops(t *testing.T) {
	for _, c := range []struct {
		name  string
		until time.Time
		exit  func(t *testing.T, e planEnv, id string)
		ended bool // the cycle ends at the publish (post.requeue_end)
		dup   bool // the network refuses a repeat of a live post
	}{
		{name: "cancel", exit: func(t *testing.T, e planEnv, id string) {
			_, err := e.svc.Cancel(t.Context(), "boss", id)
			require.NoError(t, err)
		}},
		{name: "unschedule", exit: func(t *testing.T, e planEnv, id string) {
			_, err := e.svc.Unschedule(t.Context(), "boss", id)
			require.NoError(t, err)
		}},
		{name: "edit back to review", exit: func(t *testing.T, e planEnv, id string) {
			p := e.get(t, id)
			_, err := e.svc.EditPost(t.Context(), "boss", id, workflow.Edit{Rev: p.Rev, Content: &workflow.Content{Text: "changed"}})
			require.NoError(t, err)
		}},
		{name: "fixed schedule", exit: func(t *testing.T, e planEnv, id string) {
			_, err := e.svc.Unschedule(t.Context(), "boss", id)
			require.NoError(t, err)
			_, err = e.svc.Schedule(t.Context(), "boss", id, slot(2, 10))
			require.NoError(t, err)
		}},
		{name: "until", until: slot(1, 12), ended: true},
		{name: "network refuses the repeat", dup: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEvergreenEnv(t)
			if c.dup {
				e = newPlanEnv(t)
			}
			ctx := t.Context()
			d, err := workflow.NewDispatcher(e.replica(t), e.connect(t))
			require.NoError(t, err)
			p := e.approved(t, e.svc, "tip")
			_, err = e.svc.QueueEvergreen(ctx, "boss", p.ID, workflow.Evergreen{Interval: 24 * time.Hour, Until: c.until})
			require.NoError(t, err)
			e.clock.t = slot(0, 18)
			r, err := d.RunOnce(ctx, e.clock.t)
			require.NoError(t, err)
			require.Equal(t, 1, r.Published)
			got := e.get(t, p.ID)
			if c.ended {
				assert.Equal(t, workflow.StatePublished, got.State)
				assert.Equal(t, 1, e.actions(t, e.svc)["post.requeue_end"])
			} else {
				require.Equal(t, slot(1, 18), got.Targets[0].At, "a slot exactly the interval later qualifies")
				if c.exit != nil {
					c.exit(t, e, p.ID)
				}
			}
			e.clock.t = slot(1, 18)
			_, err = d.RunOnce(ctx, e.clock.t)
			require.NoError(t, err)
			if c.dup {
				assert.Equal(t, workflow.TargetFailed, e.get(t, p.ID).Targets[0].State, "refused as a duplicate")
			}
			if c.name == "fixed schedule" {
				e.clock.t = slot(2, 10)
				_, err = d.RunOnce(ctx, e.clock.t)
				require.NoError(t, err)
				assert.Len(t, e.markersOf("tip"), 2, "the fixed schedule publishes once more")
			}
			e.clock.t = slot(20, 9)
			_, err = d.RunOnce(ctx, e.clock.t)
			require.NoError(t, err)
			want := 1
			if c.name == "fixed schedule" {
				want = 2
			}
			assert.Len(t, e.markersOf("tip"), want, "no return after the exit")
			pl, err := e.svc.ChannelPlan(ctx, "boss", "a")
			require.NoError(t, err)
			assert.NotContains(t, pl.Bookings, workflow.TargetKey(p.ID, "a"))
			assert.Negative(t, slicesIndex(pl.Queue, workflow.TargetKey(p.ID, "a")))
		})
	}
}

// TestEvergreenReplicasRace: two dispatchers of two replicas record the
// same due evergreen target at once: it is published once and comes back
// once.
func TestEvergreenReplicasRace(t *testing.T) {
	e := newEvergreenEnv(t)
	ctx := t.Context()
	p := e.approved(t, e.svc, "raced")
	_, err := e.svc.QueueEvergreen(ctx, "boss", p.ID, workflow.Evergreen{Interval: 24 * time.Hour})
	require.NoError(t, err)
	var ds []*workflow.Dispatcher
	for _, h := range []string{"d1", "d2"} {
		d, err := workflow.NewDispatcher(e.replica(t), e.connect(t), workflow.WithHolder(h))
		require.NoError(t, err)
		ds = append(ds, d)
	}
	e.clock.t = slot(0, 18)
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Go(func() {
			_, err := d.RunOnce(ctx, slot(0, 18))
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Len(t, e.markersOf("raced"), 1)
	pl, err := e.svc.ChannelPlan(ctx, "boss", "a")
	require.NoError(t, err)
	i := slicesIndex(pl.Queue, workflow.TargetKey(p.ID, "a"))
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, 1, pl.Queue[i].Returns)
	assert.Equal(t, slot(1, 18), e.get(t, p.ID).Targets[0].At)
	assert.Equal(t, 1, e.actions(t, e.svc)["post.requeue"])
}
