package analytics_test

import (
	"time"

	"github.com/socialflow/socialflow/analytics"
)

// snap builds a snapshot from metric/value pairs.
func snap(target string, at time.Time, kv ...any) analytics.Snapshot {
	s := analytics.Snapshot{Target: target, At: at}
	for i := 0; i < len(kv); i += 2 {
		s.Counters.Set(kv[i].(analytics.Metric), int64(kv[i+1].(int)))
	}
	return s
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
