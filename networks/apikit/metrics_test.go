package apikit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks/apikit"
)

func TestSetCounters(t *testing.T) {
	zero, five := int64(0), int64(5)
	var c analytics.Counters
	apikit.SetCounters(&c, apikit.Counter{Metric: analytics.Likes, Value: &five},
		apikit.Counter{Metric: analytics.Shares, Value: &zero}, apikit.Counter{Metric: analytics.Quotes})
	for m, want := range map[analytics.Metric]struct {
		v  int64
		ok bool
	}{analytics.Likes: {5, true}, analytics.Shares: {0, true}, analytics.Quotes: {0, false}} {
		v, ok := c.Get(m)
		assert.Equal(t, want.ok, ok, "%v present", m)
		assert.Equal(t, want.v, v, "%v", m)
	}
}
