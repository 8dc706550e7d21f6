package storetest_test

import (
	"testing"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/assets/storetest"
)

// A host runs the suite against its own Store from one test function; here
// the in-memory store stands in for it.
func ExampleRun() {
	_ = func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) assets.Store { return memstore.New() })
	}
}
