package x_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/x/xtest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { return xtest.NewHarness(t) })
}
