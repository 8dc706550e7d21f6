package networktest_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestRunAgainstFakenet(t *testing.T) {
	networktest.Run(t, func(*testing.T) networktest.Harness { return newFakeHarness() })
}

func TestRunTokenStoreAgainstMemTokenStore(t *testing.T) {
	networktest.RunTokenStore(t, func(*testing.T) networks.TokenStore { return &networks.MemTokenStore{} })
}
