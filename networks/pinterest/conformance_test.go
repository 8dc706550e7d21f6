package pinterest_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/networktest"
)

// TestConformance runs the conformance suite with every request and answer
// validated against Pinterest's OpenAPI description.
func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { h, _ := newHarness(t); return h })
}
