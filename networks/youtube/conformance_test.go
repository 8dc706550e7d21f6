package youtube_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/youtube/youtubetest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness { return youtubetest.NewHarness(t) })
}
