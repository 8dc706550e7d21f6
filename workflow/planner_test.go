package workflow_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

func plannerEnv(t *testing.T) (*workflow.Service, *workflow.Planner, *fakeClock) {
	t.Helper()
	tm := fixture(t)
	require.NoError(t, tm.AddChannel(team.Channel{ID: "oslo", WorkspaceID: "brand", Network: "bluesky", Zone: "Europe/Oslo"}))
	pl := workflow.NewPlanner(nil)
	clock := &fakeClock{t: time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)} // Friday before the spring-forward Sunday
	svc, err := workflow.NewService(tm, memstore.New(), workflow.WithPlanner(pl), workflow.WithClock(clock))
	require.NoError(t, err)
	return svc, pl, clock
}

func approvedPost(t *testing.T, svc *workflow.Service, text string, channels ...string) workflow.Post {
	t.Helper()
	p, err := svc.CreatePost(t.Context(), "boss", workflow.NewPost{Workspace: "brand", Channels: channels, Content: workflow.Content{Text: text}})
	require.NoError(t, err)
	p, err = svc.Submit(t.Context(), "boss", p.ID)
	require.NoError(t, err)
	require.Equal(t, workflow.StateApproved, p.State)
	return p
}

func TestQueueTakesNextFreeSlotAcrossDST(t *testing.T) {
	svc, pl, _ := plannerEnv(t)
	ctx := t.Context()
	// Slots at 02:30 Oslo every day: on Sunday 29 March 2026 02:30 does not
	// exist (clocks jump 02:00 → 03:00) and the slot moves to 03:30 CEST.
	require.NoError(t, svc.SetPostingSlots(ctx, "boss", "oslo", calendar.Schedule{Zone: "Europe/Oslo", Times: []string{"02:30"}}))
	require.ErrorIs(t, svc.SetPostingSlots(ctx, "boss", "oslo", calendar.Schedule{Zone: "Europe/Oslo", Times: []string{"25:00"}}), socialflow.ErrInvalid)

	var got []time.Time
	for _, text := range []string{"sat", "sun", "mon"} {
		p := approvedPost(t, svc, text, "oslo")
		p, err := svc.AddToQueue(ctx, "boss", p.ID)
		require.NoError(t, err)
		assert.Equal(t, workflow.StateScheduled, p.State)
		got = append(got, p.Targets[0].At)
	}
	assert.Equal(t, []time.Time{
		time.Date(2026, 3, 28, 1, 30, 0, 0, time.UTC), // Sat 02:30 CET
		time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), // Sun: 02:30 is skipped, 03:30 CEST = 01:30 UTC
		time.Date(2026, 3, 30, 0, 30, 0, 0, time.UTC), // Mon 02:30 CEST
	}, got)

	oslo, _ := time.LoadLocation("Europe/Oslo")
	v, err := svc.WeekView(ctx, "boss", "brand", time.Date(2026, 3, 28, 12, 0, 0, 0, oslo), "Europe/Oslo", time.Monday)
	require.NoError(t, err)
	assert.Len(t, v.Entries(), 2, "Monday 30 March starts the next week")
	assert.Len(t, v.Days, 7)
	assert.Equal(t, 23*time.Hour, v.Days[6].End.Sub(v.Days[6].Start), "Sunday 29 March is 23 hours long in Oslo")
	assert.Equal(t, 3, pl.Calendar().Len())
}

func TestScheduleChecksCalendarRules(t *testing.T) {
	svc, pl, _ := plannerEnv(t)
	ctx := t.Context()
	require.NoError(t, svc.SetRules(ctx, "boss", "oslo", calendar.Rules{MinGap: 2 * time.Hour}))
	a := approvedPost(t, svc, "first", "oslo")
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	_, err := svc.Schedule(ctx, "boss", a.ID, at)
	require.NoError(t, err)
	b := approvedPost(t, svc, "too close", "oslo")
	_, err = svc.Schedule(ctx, "boss", b.ID, at.Add(time.Hour))
	var re *workflow.RuleError
	require.ErrorAs(t, err, &re)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	assert.Equal(t, calendar.ViolationMinGap, re.Violations[0].Kind)
	got, err := svc.Post(ctx, "boss", b.ID)
	require.NoError(t, err)
	assert.Equal(t, workflow.StateApproved, got.State, "a refused schedule changes nothing")
	_, err = svc.Schedule(ctx, "boss", b.ID, at.Add(2*time.Hour))
	require.NoError(t, err)

	// Cancelling takes the post off the calendar.
	_, err = svc.Cancel(ctx, "boss", a.ID)
	require.NoError(t, err)
	_, ok := pl.Calendar().Get(workflow.TargetKey(a.ID, "oslo"))
	assert.False(t, ok)
}

// TestPublishNowRespectsABlackout: publishing now is scheduling at now, so a
// crisis pause stops it like any other schedule.
func TestPublishNowRespectsABlackout(t *testing.T) {
	svc, _, clock := plannerEnv(t)
	ctx := t.Context()
	require.NoError(t, svc.SetRules(ctx, "boss", "oslo", calendar.Rules{Blackouts: []calendar.Blackout{
		{ID: "crisis", Reason: "crisis pause", Start: clock.t.Add(-time.Hour), End: clock.t.Add(time.Hour)},
	}}))
	p := approvedPost(t, svc, "now please", "oslo")
	_, err := svc.PublishNow(ctx, "boss", p.ID)
	var re *workflow.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, calendar.ViolationBlackout, re.Violations[0].Kind)
	clock.advance(2 * time.Hour)
	p, err = svc.PublishNow(ctx, "boss", p.ID)
	require.NoError(t, err)
	assert.Equal(t, workflow.StateScheduled, p.State)
	assert.Equal(t, clock.t, p.Targets[0].At)
}
