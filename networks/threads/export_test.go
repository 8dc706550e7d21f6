package threads

import (
	"encoding/json"

	"github.com/socialflow/socialflow/analytics"
)

// ParseInsights decodes an insights answer as Metrics does.
func ParseInsights(b []byte) (analytics.Counters, error) {
	var in insightsJSON
	var c analytics.Counters
	if err := json.Unmarshal(b, &in); err != nil {
		return c, err
	}
	in.counters(&c)
	return c, nil
}
