package x_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/x/xtest"
)

// Example publishes a two-part thread to the fake X and reads its metrics.
func Example() {
	h := xtest.NewHarness(&testing.T{})
	defer h.Server.Close()
	ctx := context.Background()
	r, err := h.Adapter().Publish(ctx, h.Account(), networks.Draft{Text: "Hello X", Thread: []string{"and a reply"}, Marker: "example-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Status, len(h.Server.Posts()), "posts")
	found, ok, _ := h.X().FindByMarker(ctx, h.Account(), "example-1")
	fmt.Println(ok, found.ID == r.ID)
	// Output:
	// published 2 posts
	// true true
}
