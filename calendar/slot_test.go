package calendar_test

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

// TestResolveDST checks RFC 5545 §3.3.5 at the DST edges of three zones.
func TestResolveDST(t *testing.T) {
	for _, tt := range []struct {
		name           string
		zone           string
		y              int
		m              time.Month
		d, h, mi       int
		want           time.Time // UTC
		wantWallH      int
		wantWallMinute int
	}{
		{"oslo normal", "Europe/Oslo", 2026, 3, 28, 2, 30, utc(2026, 3, 28, 1, 30), 2, 30},
		{"oslo gap moves forward an hour", "Europe/Oslo", 2026, 3, 29, 2, 30, utc(2026, 3, 29, 1, 30), 3, 30},
		{"oslo gap start", "Europe/Oslo", 2026, 3, 29, 2, 0, utc(2026, 3, 29, 1, 0), 3, 0},
		{"oslo after gap", "Europe/Oslo", 2026, 3, 29, 3, 0, utc(2026, 3, 29, 1, 0), 3, 0},
		{"oslo repeat is first (CEST)", "Europe/Oslo", 2026, 10, 25, 2, 30, utc(2026, 10, 25, 0, 30), 2, 30},
		{"oslo after repeat", "Europe/Oslo", 2026, 10, 25, 3, 0, utc(2026, 10, 25, 2, 0), 3, 0},
		{"new york gap (RFC example)", "America/New_York", 2007, 3, 11, 2, 30, utc(2007, 3, 11, 7, 30), 3, 30},
		{"new york repeat (RFC example, EDT)", "America/New_York", 2007, 11, 4, 1, 30, utc(2007, 11, 4, 5, 30), 1, 30},
		{"new york 2026 gap", "America/New_York", 2026, 3, 8, 2, 30, utc(2026, 3, 8, 7, 30), 3, 30},
		{"new york 2026 repeat", "America/New_York", 2026, 11, 1, 1, 30, utc(2026, 11, 1, 5, 30), 1, 30},
		{"lord howe 30 min gap", "Australia/Lord_Howe", 2026, 10, 4, 2, 15, utc(2026, 10, 3, 15, 45), 2, 45},
		{"lord howe gap end", "Australia/Lord_Howe", 2026, 10, 4, 2, 30, utc(2026, 10, 3, 15, 30), 2, 30},
		{"lord howe 30 min repeat is first (+11)", "Australia/Lord_Howe", 2026, 4, 5, 1, 45, utc(2026, 4, 4, 14, 45), 1, 45},
		{"lord howe after repeat", "Australia/Lord_Howe", 2026, 4, 5, 2, 0, utc(2026, 4, 4, 15, 30), 2, 0},
		{"utc", "UTC", 2026, 3, 29, 2, 30, utc(2026, 3, 29, 2, 30), 2, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			got := calendar.Resolve(tt.y, tt.m, tt.d, tt.h, tt.mi, 0, loc)
			assert.True(t, tt.want.Equal(got), "got %v (%v), want %v", got, got.UTC(), tt.want)
			assert.Equal(t, tt.wantWallH, got.In(loc).Hour())
			assert.Equal(t, tt.wantWallMinute, got.In(loc).Minute())
		})
	}
}

// TestResolveProperty checks every quarter hour of a year in each zone: the
// result shows the requested wall time and is its first occurrence, or the
// wall time does not exist and the result is the requested time read with
// the offset before the gap.
func TestResolveProperty(t *testing.T) {
	for _, zone := range []string{"Europe/Oslo", "America/New_York", "Australia/Lord_Howe"} {
		loc := mustZone(t, zone)
		for w := utc(2026, 1, 1, 0, 0); w.Year() == 2026; w = w.Add(15 * time.Minute) {
			got := calendar.Resolve(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, loc)
			l := got.In(loc)
			wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
			if wall.Equal(w) {
				for _, d := range []time.Duration{30 * time.Minute, time.Hour} {
					e := got.Add(-d).In(loc)
					earlier := time.Date(e.Year(), e.Month(), e.Day(), e.Hour(), e.Minute(), 0, 0, time.UTC)
					require.False(t, earlier.Equal(w), "%s %v: an earlier instant %v shows the same wall time", zone, w, got.Add(-d))
				}
				continue
			}
			// Gap: the offset before is the one an instant just before got has.
			periodStart, _ := got.In(loc).ZoneBounds()
			_, before := periodStart.Add(-time.Second).In(loc).Zone()
			require.True(t, got.Equal(w.Add(-time.Duration(before)*time.Second)), "%s %v: got %v", zone, w, got)
			require.True(t, wall.After(w), "%s %v: gap time must move forward", zone, w)
		}
	}
}

// TestRRuleGoAtDSTEdges documents where rrule-go alone (which follows
// time.Date) differs from RFC 5545 and that Recurrence corrects it.
func TestRRuleGoAtDSTEdges(t *testing.T) {
	for _, tt := range []struct {
		name     string
		zone     string
		dtstart  time.Time // wall clock in zone (fields only)
		rule     string
		day      time.Time // the DST day, as a UTC range start
		wantUTC  []time.Time
		libDiffs bool // rrule-go alone gets this day wrong
	}{
		{"new york daily 02:30 spring", "America/New_York", utc(2026, 3, 7, 2, 30), "FREQ=DAILY;COUNT=3",
			utc(2026, 3, 8, 0, 0), []time.Time{utc(2026, 3, 8, 7, 30)}, true},
		{"oslo daily 02:30 autumn", "Europe/Oslo", utc(2026, 10, 24, 2, 30), "FREQ=DAILY;COUNT=3",
			utc(2026, 10, 24, 22, 0), []time.Time{utc(2026, 10, 25, 0, 30)}, true},
		{"oslo daily 02:30 spring", "Europe/Oslo", utc(2026, 3, 28, 2, 30), "FREQ=DAILY;COUNT=3",
			utc(2026, 3, 28, 23, 0), []time.Time{utc(2026, 3, 29, 1, 30)}, false},
		{"lord howe daily 01:45 autumn", "Australia/Lord_Howe", utc(2026, 4, 4, 1, 45), "FREQ=DAILY;COUNT=3",
			utc(2026, 4, 4, 13, 0), []time.Time{utc(2026, 4, 4, 14, 45)}, true},
		{"oslo hourly over the gap: no duplicate", "Europe/Oslo", utc(2026, 3, 29, 0, 30), "FREQ=HOURLY;COUNT=4",
			utc(2026, 3, 28, 23, 0), []time.Time{utc(2026, 3, 28, 23, 30), utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			rec, err := calendar.NewRecurrence(tt.rule, tt.dtstart, tt.zone)
			require.NoError(t, err)
			got, err := rec.Between(tt.day, tt.day.Add(24*time.Hour), 1000)
			require.NoError(t, err)
			assertInstants(t, tt.wantUTC, got)

			// rrule-go on its own, anchored in the zone.
			opt, err := rrule.StrToROption(tt.rule)
			require.NoError(t, err)
			d := tt.dtstart
			opt.Dtstart = time.Date(d.Year(), d.Month(), d.Day(), d.Hour(), d.Minute(), 0, 0, loc)
			r, err := rrule.NewRRule(*opt)
			require.NoError(t, err)
			var lib []time.Time
			for _, o := range r.All() {
				if !o.Before(tt.day) && o.Before(tt.day.Add(24*time.Hour)) {
					lib = append(lib, o)
				}
			}
			same := len(lib) == len(tt.wantUTC)
			for i := 0; same && i < len(lib); i++ {
				same = lib[i].Equal(tt.wantUTC[i])
			}
			assert.Equal(t, tt.libDiffs, !same, "rrule-go alone gave %v", lib)
		})
	}
}

func assertInstants(t *testing.T, want, got []time.Time) {
	t.Helper()
	require.Len(t, got, len(want), "got %v", got)
	for i := range want {
		assert.True(t, want[i].Equal(got[i]), "[%d] got %v, want %v", i, got[i].UTC(), want[i])
	}
}

func TestWeeklySlotsAcrossDST(t *testing.T) {
	for _, tt := range []struct {
		name     string
		sched    calendar.Schedule
		from, to time.Time
		want     []time.Time
	}{
		{
			name:  "oslo weekdays keep 09:00 wall time over spring forward",
			sched: calendar.Schedule{Zone: "Europe/Oslo", Days: []time.Weekday{time.Friday, time.Monday}, Times: []string{"09:00"}},
			from:  utc(2026, 3, 27, 0, 0), to: utc(2026, 3, 31, 0, 0),
			want: []time.Time{utc(2026, 3, 27, 8, 0), utc(2026, 3, 30, 7, 0)},
		},
		{
			name:  "oslo 02:30 on spring-forward day moves to 03:30, not lost",
			sched: calendar.Schedule{Zone: "Europe/Oslo", Times: []string{"02:30"}},
			from:  utc(2026, 3, 28, 23, 0), to: utc(2026, 3, 29, 22, 0),
			want: []time.Time{utc(2026, 3, 29, 1, 30)},
		},
		{
			name:  "oslo 02:30 and 03:30 on spring-forward day are one slot",
			sched: calendar.Schedule{Zone: "Europe/Oslo", Times: []string{"03:30", "02:30"}},
			from:  utc(2026, 3, 28, 23, 0), to: utc(2026, 3, 29, 22, 0),
			want: []time.Time{utc(2026, 3, 29, 1, 30)},
		},
		{
			name:  "oslo 02:30 on fall-back day happens once",
			sched: calendar.Schedule{Zone: "Europe/Oslo", Times: []string{"02:30"}},
			from:  utc(2026, 10, 24, 22, 0), to: utc(2026, 10, 25, 23, 0),
			want: []time.Time{utc(2026, 10, 25, 0, 30)},
		},
		{
			name:  "new york 02:15 on spring-forward day moves to 03:15",
			sched: calendar.Schedule{Zone: "America/New_York", Days: []time.Weekday{time.Sunday}, Times: []string{"02:15", "12:00"}},
			from:  utc(2026, 3, 8, 0, 0), to: utc(2026, 3, 9, 0, 0),
			want: []time.Time{utc(2026, 3, 8, 7, 15), utc(2026, 3, 8, 16, 0)},
		},
		{
			name:  "new york 01:30 on fall-back day happens once (EDT)",
			sched: calendar.Schedule{Zone: "America/New_York", Times: []string{"01:30"}},
			from:  utc(2026, 11, 1, 4, 0), to: utc(2026, 11, 2, 4, 0),
			want: []time.Time{utc(2026, 11, 1, 5, 30)},
		},
		{
			name:  "lord howe 02:10 moves 30 minutes to 02:40",
			sched: calendar.Schedule{Zone: "Australia/Lord_Howe", Times: []string{"02:10"}},
			from:  utc(2026, 10, 3, 13, 0), to: utc(2026, 10, 4, 13, 0),
			want: []time.Time{utc(2026, 10, 3, 15, 40)},
		},
		{
			name:  "lord howe 01:50 in the repeated half hour happens once",
			sched: calendar.Schedule{Zone: "Australia/Lord_Howe", Times: []string{"01:50"}},
			from:  utc(2026, 4, 4, 13, 0), to: utc(2026, 4, 5, 13, 0),
			want: []time.Time{utc(2026, 4, 4, 14, 50)},
		},
		{
			name:  "rrule form: Mon-Fri 09:00 and 17:00 New York over spring forward",
			sched: calendar.Schedule{Zone: "America/New_York", RRule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,17;BYMINUTE=0", Start: "20260302T090000"},
			from:  utc(2026, 3, 6, 0, 0), to: utc(2026, 3, 10, 0, 0),
			want: []time.Time{utc(2026, 3, 6, 14, 0), utc(2026, 3, 6, 22, 0), utc(2026, 3, 9, 13, 0), utc(2026, 3, 9, 21, 0)},
		},
		{
			name:  "rrule UNTIL in UTC is honoured in wall time",
			sched: calendar.Schedule{Zone: "Europe/Oslo", RRule: "RRULE:FREQ=DAILY;UNTIL=20260330T070000Z", Start: "20260328T090000"},
			from:  utc(2026, 3, 1, 0, 0), to: utc(2026, 4, 10, 0, 0),
			want: []time.Time{utc(2026, 3, 28, 8, 0), utc(2026, 3, 29, 7, 0), utc(2026, 3, 30, 7, 0)},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sl, err := tt.sched.Compile()
			require.NoError(t, err)
			got, err := sl.Between(tt.from, tt.to)
			require.NoError(t, err)
			assertInstants(t, tt.want, got)
		})
	}
}

func TestSlotsNext(t *testing.T) {
	sl, err := calendar.Schedule{Zone: "Europe/Oslo", Days: []time.Weekday{time.Monday}, Times: []string{"09:00"}}.Compile()
	require.NoError(t, err)
	got, err := sl.Next(utc(2026, 3, 30, 7, 0)) // exactly a slot: strictly after
	require.NoError(t, err)
	assert.True(t, utc(2026, 4, 6, 7, 0).Equal(got), "got %v", got)

	done, err := calendar.Schedule{Zone: "UTC", RRule: "FREQ=DAILY;COUNT=2", Start: "20260101T090000"}.Compile()
	require.NoError(t, err)
	_, err = done.Next(utc(2026, 1, 5, 0, 0))
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func TestScheduleInvalid(t *testing.T) {
	for _, tt := range []struct {
		name  string
		s     calendar.Schedule
		field string
	}{
		{"no times", calendar.Schedule{Zone: "UTC"}, "times"},
		{"24:00", calendar.Schedule{Zone: "UTC", Times: []string{"24:00"}}, "times[0]"},
		{"minute 60", calendar.Schedule{Zone: "UTC", Times: []string{"09:00", "10:60"}}, "times[1]"},
		{"one digit hour", calendar.Schedule{Zone: "UTC", Times: []string{"9:00"}}, "times[0]"},
		{"negative", calendar.Schedule{Zone: "UTC", Times: []string{"-1:00"}}, "times[0]"},
		{"unknown zone", calendar.Schedule{Zone: "Mars/Olympus", Times: []string{"09:00"}}, "zone"},
		{"bad weekday", calendar.Schedule{Zone: "UTC", Days: []time.Weekday{7}, Times: []string{"09:00"}}, "days[0]"},
		{"invalid rrule", calendar.Schedule{Zone: "UTC", RRule: "FREQ=SOMETIMES", Start: "20260101T090000"}, "rrule"},
		{"rrule without freq", calendar.Schedule{Zone: "UTC", RRule: "BYDAY=MO", Start: "20260101T090000"}, "rrule"},
		{"rrule secondly", calendar.Schedule{Zone: "UTC", RRule: "FREQ=SECONDLY", Start: "20260101T090000"}, "rrule"},
		{"rrule interval 0", calendar.Schedule{Zone: "UTC", RRule: "FREQ=DAILY;INTERVAL=0", Start: "20260101T090000"}, "rrule"},
		{"rrule byhour 24", calendar.Schedule{Zone: "UTC", RRule: "FREQ=DAILY;BYHOUR=24", Start: "20260101T090000"}, "rrule"},
		{"rrule with DTSTART", calendar.Schedule{Zone: "UTC", RRule: "DTSTART=20260101T090000;FREQ=DAILY", Start: "20260101T090000"}, "rrule"},
		{"rrule date UNTIL", calendar.Schedule{Zone: "UTC", RRule: "FREQ=DAILY;UNTIL=20260105", Start: "20260101T090000"}, "rrule"},
		{"rrule with no instance", calendar.Schedule{Zone: "UTC", RRule: "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", Start: "20260101T090000"}, "rrule"},
		{"rrule without start", calendar.Schedule{Zone: "UTC", RRule: "FREQ=DAILY"}, "start"},
		{"both forms", calendar.Schedule{Zone: "UTC", Times: []string{"09:00"}, RRule: "FREQ=DAILY", Start: "20260101T090000"}, "rrule"},
		{"start without rrule", calendar.Schedule{Zone: "UTC", Times: []string{"09:00"}, Start: "20260101T090000"}, "start"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var ie *calendar.InvalidError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
		})
	}
	sl, err := calendar.Schedule{Zone: "UTC", Times: []string{"09:00"}}.Compile()
	require.NoError(t, err)
	_, err = sl.Between(utc(2026, 2, 1, 0, 0), utc(2026, 1, 1, 0, 0))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = sl.Between(utc(2000, 1, 1, 0, 0), utc(2026, 1, 1, 0, 0))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestParseTimeOfDay(t *testing.T) {
	c, err := calendar.ParseTimeOfDay("17:05")
	require.NoError(t, err)
	assert.Equal(t, calendar.TimeOfDay(17*60+5), c)
	assert.Equal(t, "17:05", c.String())
	for _, s := range []string{"", "1705", "17:5", "+1:05", "17:-5", "aa:bb", "23:60", "24:00"} {
		_, err := calendar.ParseTimeOfDay(s)
		assert.ErrorIs(t, err, socialflow.ErrInvalid, s)
	}
}

// go test -fuzz=^FuzzParseTimeOfDay$ -fuzztime=30s ./calendar
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"09:00", "23:59", "00:00", "24:00", "9:00", "+9:00", "١٢:٠٠", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := calendar.ParseTimeOfDay(s)
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("ParseTimeOfDay(%q) error %v is not ErrInvalid", s, err)
			}
			return
		}
		if c < 0 || c > 1439 || c.String() != s {
			t.Fatalf("ParseTimeOfDay(%q) = %v, does not round-trip", s, c)
		}
	})
}

// go test -fuzz=^FuzzSchedule$ -fuzztime=60s ./calendar
func FuzzSchedule(f *testing.F) {
	zones := []string{"Europe/Oslo", "America/New_York", "Australia/Lord_Howe", "UTC"}
	for _, s := range []struct {
		rule, start, times string
		zone               uint8
	}{
		{"FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0", "20260302T090000", "", 0},
		{"FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "20260301T023000", "", 1},
		{"FREQ=HOURLY;INTERVAL=7", "20260301T000000", "", 2},
		{"FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12", "20260131T120000", "", 0},
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "20260101T090000", "", 3},
		{"FREQ=MINUTELY", "20260101T000000", "", 0},
		{"FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "20260101T000000", "", 0},
		{"FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=3", "19000101T000000", "", 1},
		{"", "", "09:00,12:30,17:00", 0},
		{"", "", "02:15,02:45", 2},
		{"", "", "24:00", 1},
	} {
		f.Add(s.rule, s.start, s.times, s.zone, int64(0))
	}
	f.Fuzz(func(t *testing.T, rule, start, times string, zone uint8, offsetHours int64) {
		s := calendar.Schedule{Zone: zones[int(zone)%len(zones)], RRule: rule, Start: start}
		if times != "" {
			s.Times = splitComma(times)
		}
		sl, err := s.Compile()
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("Compile(%+v) error %v is not ErrInvalid", s, err)
			}
			return
		}
		from := utc(2026, 3, 1, 0, 0).Add(time.Duration(offsetHours%(24*400)) * time.Hour)
		to := from.Add(45 * 24 * time.Hour)
		got, err := sl.Between(from, to)
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("Between error %v is not ErrInvalid", err)
			}
			return
		}
		for i, g := range got {
			if g.Before(from) || !g.Before(to) {
				t.Fatalf("slot %v outside [%v, %v)", g, from, to)
			}
			if i > 0 && !got[i-1].Before(g) {
				t.Fatalf("slots not strictly increasing: %v then %v", got[i-1], g)
			}
		}
	})
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
