package wall_test

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/internal/wall"
)

func TestResolve(t *testing.T) {
	for _, tt := range []struct {
		zone      string
		y         int
		m         time.Month
		d, h, min int
		want      string // UTC
	}{
		{"Europe/Oslo", 2026, 3, 29, 2, 30, "2026-03-29T01:30:00Z"},         // gap: 02:30 → 03:30 CEST
		{"Europe/Oslo", 2026, 10, 25, 2, 30, "2026-10-25T00:30:00Z"},        // repeated: first (CEST)
		{"America/New_York", 2026, 3, 8, 2, 30, "2026-03-08T07:30:00Z"},     // gap: → 03:30 EDT
		{"America/New_York", 2026, 11, 1, 1, 30, "2026-11-01T05:30:00Z"},    // repeated: first (EDT)
		{"Australia/Lord_Howe", 2026, 10, 4, 2, 15, "2026-10-03T15:45:00Z"}, // 30-minute gap → 02:45 +11
		{"America/Santiago", 2026, 9, 6, 0, 0, "2026-09-06T04:00:00Z"},      // midnight skipped → 01:00 -03
		{"Europe/Oslo", 2026, 6, 1, 9, 0, "2026-06-01T07:00:00Z"},           // ordinary
	} {
		t.Run(fmt.Sprintf("%s %d-%02d-%02d %02d:%02d", tt.zone, tt.y, tt.m, tt.d, tt.h, tt.min), func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			require.NoError(t, err)
			got := wall.Resolve(tt.y, tt.m, tt.d, tt.h, tt.min, 0, loc)
			assert.Equal(t, tt.want, got.UTC().Format(time.RFC3339))
		})
	}
}

// Every quarter hour of 2026 in three zones: an existing wall time maps to an
// instant showing that wall time, the earliest such; a skipped one moves
// forward by the gap.
func TestResolveProperty(t *testing.T) {
	for _, zone := range []string{"Europe/Oslo", "America/Santiago", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.Add(15 * time.Minute) {
			got := wall.Resolve(d.Year(), d.Month(), d.Day(), d.Hour(), d.Minute(), 0, loc)
			l := got.In(loc)
			same := l.Year() == d.Year() && l.YearDay() == d.YearDay() && l.Hour() == d.Hour() && l.Minute() == d.Minute()
			if same {
				if earlier := got.Add(-time.Hour); earlier.In(loc).Hour() == d.Hour() && earlier.In(loc).Minute() == d.Minute() && earlier.In(loc).YearDay() == d.YearDay() {
					t.Fatalf("%s %v: %v is not the first occurrence", zone, d, got)
				}
				continue
			}
			// Skipped: the result is after the wall time would have been.
			if !l.After(time.Date(d.Year(), d.Month(), d.Day(), d.Hour(), d.Minute(), 0, 0, loc).Add(-time.Nanosecond)) {
				t.Fatalf("%s %v: gap time resolved backwards to %v", zone, d, l)
			}
		}
	}
}
