package pinterest_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/pinterest/pinteresttest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { return pinteresttest.NewHarness(t) })
}
