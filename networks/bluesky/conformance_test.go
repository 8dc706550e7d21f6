package bluesky_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/bluesky/blueskytest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { return blueskytest.NewHarness(t) })
}
