package tiktok_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { return tiktoktest.NewHarness(t) })
}
