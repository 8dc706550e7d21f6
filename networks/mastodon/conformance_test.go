package mastodon_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { return mastodontest.NewHarness(t) })
}

func TestConformanceGoToSocial(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { return mastodontest.NewGoToSocialHarness(t) })
}
