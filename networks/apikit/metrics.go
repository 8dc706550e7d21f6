package apikit

import "github.com/socialflow/socialflow/analytics"

// Counter is one metric of a network's answer: Value is nil when the
// answer leaves the metric out (a null or missing field), which is not 0.
type Counter struct {
	Metric analytics.Metric
	Value  *int64
}

// SetCounters sets in c every counter the answer reported; the others stay
// absent from c.
func SetCounters(c *analytics.Counters, counters ...Counter) {
	for _, x := range counters {
		if x.Value != nil {
			c.Set(x.Metric, *x.Value)
		}
	}
}
