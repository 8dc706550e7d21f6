package pgstore_test

import (
	"testing"

	"github.com/socialflow/socialflow/assets"
	assetstest "github.com/socialflow/socialflow/assets/storetest"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/pgstore/internal/pgtest"
	"github.com/socialflow/socialflow/workflow/storetest"
)

// Each case runs in parallel in a schema of its own: newStore calls
// t.Parallel on the case's own t.

func TestWorkflowConformance(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	storetest.Run(t, func(t *testing.T) workflow.Store { t.Parallel(); return pgtest.Store(t) })
}

func TestTokenStoreConformance(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	networktest.RunTokenStore(t, func(t *testing.T) networks.TokenStore { t.Parallel(); return pgtest.Store(t).Tokens() })
}

func TestAssetStoreConformance(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	assetstest.Run(t, func(t *testing.T) assets.Store { t.Parallel(); return pgtest.Store(t).Assets() })
}
