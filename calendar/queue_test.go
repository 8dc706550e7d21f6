package calendar_test

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
)

// weekdays 09:00 and 15:00 in Oslo; Monday 2 March 2026 is CET (+01:00).
var osloTwiceDaily = calendar.Schedule{Zone: "Europe/Oslo",
	Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	Times: []string{"09:00", "15:00"}}

func newQueue(t *testing.T, posts ...string) *calendar.Queue {
	t.Helper()
	q, err := calendar.NewQueue("acme", "x-acme", osloTwiceDaily)
	require.NoError(t, err)
	for _, p := range posts {
		require.NoError(t, q.Add(p))
	}
	return q
}

type planned map[string]string // post -> UTC "01-02 15:04"

func plan(t *testing.T, q *calendar.Queue, now time.Time, cal *calendar.Calendar, r calendar.Rules) planned {
	t.Helper()
	as, err := q.Plan(now, cal, r)
	require.NoError(t, err)
	out := planned{}
	for _, a := range as {
		out[a.PostID] = a.At.UTC().Format("01-02 15:04")
	}
	return out
}

func TestQueueSemantics(t *testing.T) {
	now := utc(2026, 3, 2, 7, 0) // Monday 08:00 Oslo
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules)
		want  planned
	}{
		{"add takes next free slots in order", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			return newQueue(t, "a", "b", "c"), nil, calendar.Rules{}
		}, planned{"a": "03-02 08:00", "b": "03-02 14:00", "c": "03-03 08:00"}},
		{"slot held by a calendar entry is skipped: one slot, one post", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			c := calendar.New()
			e := entry("fixed", utc(2026, 3, 2, 14, 0))
			e.Channel = "x-acme"
			require.NoError(t, c.Add(e))
			return newQueue(t, "a", "b"), c, calendar.Rules{}
		}, planned{"a": "03-02 08:00", "b": "03-03 08:00"}},
		{"insert at the top", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			q := newQueue(t, "a", "b")
			require.NoError(t, q.InsertTop("urgent"))
			return q, nil, calendar.Rules{}
		}, planned{"urgent": "03-02 08:00", "a": "03-02 14:00", "b": "03-03 08:00"}},
		{"reorder", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			q := newQueue(t, "a", "b", "c")
			require.NoError(t, q.Reorder([]string{"c", "a", "b"}))
			return q, nil, calendar.Rules{}
		}, planned{"c": "03-02 08:00", "a": "03-02 14:00", "b": "03-03 08:00"}},
		{"remove and close the gap", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			q := newQueue(t, "a", "b", "c")
			require.NoError(t, q.Remove("a", true))
			return q, nil, calendar.Rules{}
		}, planned{"b": "03-02 08:00", "c": "03-02 14:00"}},
		{"remove and leave the gap", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			q := newQueue(t, "a", "b", "c")
			require.NoError(t, q.Remove("a", false))
			return q, nil, calendar.Rules{}
		}, planned{"b": "03-02 14:00", "c": "03-03 08:00"}},
		{"add fills the gap first", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			q := newQueue(t, "a", "b", "c")
			require.NoError(t, q.Remove("b", false))
			require.NoError(t, q.Add("d"))
			return q, nil, calendar.Rules{}
		}, planned{"a": "03-02 08:00", "d": "03-02 14:00", "c": "03-03 08:00"}},
		{"blackout and max per day skip slots", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			return newQueue(t, "a", "b", "c"), nil, calendar.Rules{MaxPerDay: 1, Blackouts: []calendar.Blackout{
				{ID: "crisis", Start: utc(2026, 3, 3, 0, 0), End: utc(2026, 3, 4, 0, 0)}}}
		}, planned{"a": "03-02 08:00", "b": "03-04 08:00", "c": "03-05 08:00"}},
		{"minimum gap", func(t *testing.T) (*calendar.Queue, *calendar.Calendar, calendar.Rules) {
			return newQueue(t, "a", "b"), nil, calendar.Rules{MinGap: 8 * time.Hour}
		}, planned{"a": "03-02 08:00", "b": "03-03 08:00"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, cal, r := tt.setup(t)
			assert.Equal(t, tt.want, plan(t, q, now, cal, r))
		})
	}
}

func TestQueueShuffleIsSeeded(t *testing.T) {
	order := func(seed uint64) []string {
		q := newQueue(t, "a", "b", "c", "d", "e", "f")
		q.Shuffle(seed)
		var out []string
		for _, it := range q.Items() {
			out = append(out, it.PostID)
		}
		return out
	}
	assert.Equal(t, order(42), order(42))
	assert.ElementsMatch(t, []string{"a", "b", "c", "d", "e", "f"}, order(42))
	assert.NotEqual(t, order(1), order(2))
}

func TestQueuePauseResume(t *testing.T) {
	q := newQueue(t, "a", "b")
	q.Pause()
	assert.True(t, q.Paused())
	as, err := q.Plan(utc(2026, 3, 2, 7, 0), nil, calendar.Rules{})
	require.NoError(t, err)
	assert.Empty(t, as, "a paused queue plans nothing")
	q.Resume()
	// Resumed a week later: the queue starts at the next free slot, not in the past.
	assert.Equal(t, planned{"a": "03-09 14:00", "b": "03-10 08:00"}, plan(t, q, utc(2026, 3, 9, 10, 0), nil, calendar.Rules{}))
}

func TestEvergreenWithoutBunching(t *testing.T) {
	q := newQueue(t)
	require.NoError(t, q.AddEvergreen("tips", calendar.Evergreen{EveryDays: 2}))
	require.NoError(t, q.Add("news"))
	now := utc(2026, 3, 2, 7, 0)
	assert.Equal(t, planned{"tips": "03-02 08:00", "news": "03-02 14:00"}, plan(t, q, now, nil, calendar.Rules{}))

	require.NoError(t, q.Published("tips", utc(2026, 3, 2, 8, 0)))
	require.NoError(t, q.Published("news", utc(2026, 3, 2, 14, 0)))
	// Comes back two days later at the first free slot.
	assert.Equal(t, planned{"tips": "03-04 08:00"}, plan(t, q, utc(2026, 3, 2, 15, 0), nil, calendar.Rules{}))

	// Paused for three weeks: on resume it comes back once, not once per missed recurrence.
	q.Pause()
	q.Resume()
	assert.Equal(t, planned{"tips": "03-23 14:00"}, plan(t, q, utc(2026, 3, 23, 12, 0), nil, calendar.Rules{}))

	// A regular post added meanwhile is not held back by the evergreen's wait.
	require.NoError(t, q.Published("tips", utc(2026, 3, 23, 14, 0)))
	require.NoError(t, q.Add("fresh"))
	assert.Equal(t, planned{"tips": "03-25 14:00", "fresh": "03-24 08:00"}, plan(t, q, utc(2026, 3, 23, 15, 0), nil, calendar.Rules{}))
}

func TestEvergreenByRRule(t *testing.T) {
	q := newQueue(t)
	// Back on the first Monday of each month (Oslo wall time).
	require.NoError(t, q.AddEvergreen("monthly", calendar.Evergreen{RRule: "FREQ=MONTHLY;BYDAY=1MO", Start: "20260105T000000"}))
	require.NoError(t, q.Published("monthly", utc(2026, 3, 2, 8, 0)))
	// Next recurrence 6 April 00:00 CEST; first slot 09:00 CEST = 07:00 UTC, after the DST change.
	assert.Equal(t, planned{"monthly": "04-06 07:00"}, plan(t, q, utc(2026, 3, 2, 9, 0), nil, calendar.Rules{}))
}

func TestQueueErrors(t *testing.T) {
	q := newQueue(t, "a", "b")
	for _, tt := range []struct {
		name string
		err  error
		kind error
	}{
		{"add twice", q.Add("a"), socialflow.ErrConflict},
		{"insert twice", q.InsertTop("b"), socialflow.ErrConflict},
		{"empty post", q.Add(""), socialflow.ErrInvalid},
		{"remove unknown", q.Remove("zz", true), socialflow.ErrNotFound},
		{"published unknown", q.Published("zz", utc(2026, 3, 2, 8, 0)), socialflow.ErrNotFound},
		{"reorder missing one", q.Reorder([]string{"a"}), socialflow.ErrInvalid},
		{"reorder unknown", q.Reorder([]string{"a", "zz"}), socialflow.ErrInvalid},
		{"reorder twice", q.Reorder([]string{"a", "a"}), socialflow.ErrInvalid},
		{"evergreen zero days", q.AddEvergreen("c", calendar.Evergreen{}), socialflow.ErrInvalid},
		{"evergreen bad rrule", q.AddEvergreen("c", calendar.Evergreen{RRule: "FREQ=NEVER", Start: "20260101T000000"}), socialflow.ErrInvalid},
		{"evergreen both", q.AddEvergreen("c", calendar.Evergreen{EveryDays: 3, RRule: "FREQ=DAILY", Start: "20260101T000000"}), socialflow.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.ErrorIs(t, tt.err, tt.kind)
			assert.Len(t, q.Items(), 2, "nothing changed")
		})
	}
	_, err := calendar.NewQueue("acme", "x", calendar.Schedule{Zone: "UTC", Times: []string{"25:00"}})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = q.Plan(utc(2026, 3, 2, 8, 0), nil, calendar.Rules{MaxPerDay: -1})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}
