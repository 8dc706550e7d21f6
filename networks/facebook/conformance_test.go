package facebook_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestConformance(t *testing.T) {
	t.Run("page token derived from the user token", func(t *testing.T) {
		networktest.Run(t, func(t *testing.T) networktest.Harness {
			return graphtest.NewFacebookHarness(t, graphtest.Options{})
		})
	})
	t.Run("page token given", func(t *testing.T) {
		networktest.Run(t, func(t *testing.T) networktest.Harness {
			return graphtest.NewFacebookHarness(t, graphtest.Options{}, facebook.WithTokenKind(facebook.PageTokens)).
				WithAccountToken(graphtest.FacebookPageToken)
		})
	})
}
