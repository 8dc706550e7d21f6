package memstore_test

import (
	"testing"

	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) workflow.Store { return memstore.New() })
}
