package approval_test

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func TestBusinessHoursAdd(t *testing.T) {
	oslo := zone(t, "Europe/Oslo")
	ny := zone(t, "America/New_York")
	dubai := zone(t, "Asia/Dubai")
	for _, tt := range []struct {
		name  string
		hours approval.BusinessHours
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{name: "zero value is Mon-Fri 9-17 UTC", start: t0, d: 8 * time.Hour, want: time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)},
		{name: "spills to next day", start: t0.Add(4 * time.Hour), d: 8 * time.Hour, want: time.Date(2026, 3, 3, 13, 0, 0, 0, time.UTC)},
		{name: "start on Saturday waits for Monday", start: time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), d: time.Hour,
			want: time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)},
		{name: "start before opening", start: time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC), d: 30 * time.Minute,
			want: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)},
		{name: "start after closing", start: time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC), d: 30 * time.Minute,
			want: time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)},
		{name: "over the spring DST weekend in Oslo", hours: approval.BusinessHours{Zone: "Europe/Oslo"},
			start: time.Date(2026, 3, 27, 16, 0, 0, 0, oslo), d: 8 * time.Hour, want: time.Date(2026, 3, 30, 16, 0, 0, 0, oslo)},
		{name: "over the autumn DST weekend in Oslo", hours: approval.BusinessHours{Location: oslo},
			start: time.Date(2026, 10, 23, 16, 0, 0, 0, oslo), d: 8 * time.Hour, want: time.Date(2026, 10, 26, 16, 0, 0, 0, oslo)},
		{name: "holidays are skipped", hours: approval.BusinessHours{Zone: "Europe/Oslo", Holidays: []string{"2026-12-24", "2026-12-25"}},
			start: time.Date(2026, 12, 24, 9, 0, 0, 0, oslo), d: 16 * time.Hour, want: time.Date(2026, 12, 29, 17, 0, 0, 0, oslo)},
		{name: "round the clock counts real time across a DST gap", hours: approval.BusinessHours{Zone: "America/New_York",
			Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: "00:00", End: "24:00"},
			start: time.Date(2026, 3, 7, 12, 0, 0, 0, ny), d: 24 * time.Hour, want: time.Date(2026, 3, 8, 13, 0, 0, 0, ny)},
		{name: "Sunday to Thursday week", hours: approval.BusinessHours{Zone: "Asia/Dubai",
			Days: []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday}, Start: "08:00", End: "16:00"},
			start: time.Date(2026, 3, 5, 15, 0, 0, 0, dubai), d: 2 * time.Hour, want: time.Date(2026, 3, 8, 9, 0, 0, 0, dubai)},
		{name: "exactly at closing", start: t0, d: 16 * time.Hour, want: time.Date(2026, 3, 3, 17, 0, 0, 0, time.UTC)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.hours.Add(tt.start, tt.d)
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(got), "want %s, got %s", tt.want, got)
		})
	}
}

func TestBusinessHoursInvalid(t *testing.T) {
	for _, tt := range []struct {
		name  string
		hours approval.BusinessHours
		field string
	}{
		{name: "unknown zone", hours: approval.BusinessHours{Zone: "Nowhere/City"}, field: "zone"},
		{name: "end before start", hours: approval.BusinessHours{Start: "17:00", End: "09:00"}, field: "end"},
		{name: "bad clock", hours: approval.BusinessHours{End: "25:00"}, field: "end"},
		{name: "bad minutes", hours: approval.BusinessHours{Start: "09:60"}, field: "start"},
		{name: "bad weekday", hours: approval.BusinessHours{Days: []time.Weekday{9}}, field: "days[0]"},
		{name: "bad holiday", hours: approval.BusinessHours{Holidays: []string{"25.12.2026"}}, field: "holidays[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.hours.Validate()
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var pe *approval.PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
			_, err = tt.hours.Add(t0, time.Hour)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
	_, err := approval.BusinessHours{}.Add(t0, 0)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestDeadlineSchedule(t *testing.T) {
	oslo := zone(t, "Europe/Oslo")
	d := approval.Deadline{
		Within:        approval.Duration(16 * time.Hour), // two working days
		BusinessHours: &approval.BusinessHours{Location: oslo},
		Reminders:     []int{50, 90},
		OnExpiry:      approval.Escalate,
		EscalateTo:    approval.Approvers{Members: []string{"boss"}},
	}
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, oslo)
	s, err := d.Schedule(opened)
	require.NoError(t, err)
	assert.Equal(t, opened, s.Opened)
	assert.True(t, time.Date(2026, 3, 3, 17, 0, 0, 0, oslo).Equal(s.Due))
	require.Len(t, s.Reminders, 2)
	assert.True(t, time.Date(2026, 3, 2, 17, 0, 0, 0, oslo).Equal(s.Reminders[0]))
	assert.True(t, time.Date(2026, 3, 3, 15, 24, 0, 0, oslo).Equal(s.Reminders[1]))
	assert.Equal(t, s.Due, s.EscalateAt)
	assert.Equal(t, approval.Escalate, s.OnExpiry)

	cal, err := approval.Deadline{Within: approval.Duration(24 * time.Hour)}.Schedule(opened)
	require.NoError(t, err)
	assert.Equal(t, opened.Add(24*time.Hour), cal.Due)
	assert.Equal(t, approval.Block, cal.OnExpiry)
	assert.True(t, cal.EscalateAt.IsZero())

	_, err = approval.Deadline{}.Schedule(opened)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

// Property: adding working time in two steps equals adding it at once, the
// result never precedes start+d, and it lies inside working hours.
func TestBusinessHoursAddProperties(t *testing.T) {
	oslo := zone(t, "Europe/Oslo")
	h := approval.BusinessHours{Location: oslo, Holidays: []string{"2026-05-01", "2026-05-14", "2026-12-25"}}
	rng := rand.New(rand.NewPCG(3, 3))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, oslo)
	for range 500 {
		start := base.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
		a := time.Duration(1 + rng.Int64N(int64(40*time.Hour)))
		b := time.Duration(1 + rng.Int64N(int64(40*time.Hour)))
		once, err := h.Add(start, a+b)
		require.NoError(t, err)
		mid, err := h.Add(start, a)
		require.NoError(t, err)
		twice, err := h.Add(mid, b)
		require.NoError(t, err)
		require.True(t, once.Equal(twice), "start %s a %s b %s: %s vs %s", start, a, b, once, twice)
		require.False(t, once.Before(start.Add(a+b)))
		local := once.In(oslo)
		wd := local.Weekday()
		require.True(t, wd >= time.Monday && wd <= time.Friday, "%s", local)
		mins := local.Hour()*60 + local.Minute()
		require.True(t, mins >= 9*60 && (mins < 17*60 || (mins == 17*60 && local.Second() == 0 && local.Nanosecond() == 0)), "%s", local)
	}
}

// TestBusinessHoursWhereMidnightIsSkipped: Chile's clocks jump from 24:00 to
// 01:00 on the first Sunday of September; the walk over days must not stall.
func TestBusinessHoursWhereMidnightIsSkipped(t *testing.T) {
	b := approval.BusinessHours{Zone: "America/Santiago"}
	loc, err := time.LoadLocation("America/Santiago")
	require.NoError(t, err)
	start := time.Date(2026, 9, 4, 16, 0, 0, 0, loc) // Friday 16:00, one hour before closing
	got, err := b.Add(start, 8*time.Hour)
	require.NoError(t, err)
	// 1 h on Friday, the weekend (with the skipped midnight) does not count,
	// 7 h on Monday from 09:00 (now -03:00).
	assert.Equal(t, time.Date(2026, 9, 7, 16, 0, 0, 0, loc), got.In(loc))

	p := approval.Policy{Kind: approval.Required, Stages: []approval.Stage{{
		Approvers: approval.Approvers{Members: []string{"ana"}},
		Deadline:  &approval.Deadline{Within: approval.Duration(8 * time.Hour), BusinessHours: &b},
	}}}
	require.NoError(t, p.Validate())
	res, err := approval.Evaluate(p, approval.Subject{ID: "s", Version: 1, Author: "bo", SubmittedAt: start}, nil, start)
	require.NoError(t, err)
	assert.Equal(t, got, res.Due)
}
