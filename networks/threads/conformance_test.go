package threads_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness {
		return graphtest.NewThreadsHarness(t, graphtest.ThreadsOptions{})
	})
}
