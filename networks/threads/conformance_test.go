package threads_test

import (
	"fmt"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness {
		return graphtest.NewThreadsHarness(t, graphtest.ThreadsOptions{})
	})
}

// imageHarness publishes image posts: the suite through the IMAGE
// container path.
type imageHarness struct{ *graphtest.ThreadsHarness }

func (h imageHarness) Draft(n int) networks.Draft {
	d := h.ThreadsHarness.Draft(n)
	d.Media = []networks.MediaItem{image(1080, 1350)}
	d.Media[0].URL = fmt.Sprintf("https://cdn.example.com/networktest-%d.jpg", n)
	return d
}

func TestConformanceImages(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness {
		return imageHarness{graphtest.NewThreadsHarness(t, graphtest.ThreadsOptions{})}
	})
}
