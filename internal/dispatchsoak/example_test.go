package dispatchsoak_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/socialflow/socialflow/internal/dispatchsoak"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// A soak over fakenet: two accounts, four posts, the Dispatcher stepped
// every 10 virtual minutes until all are published.
func Example() {
	t := &testing.T{} // in a soak: the test's own t
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		fake := fakenet.New(fakenet.Options{})
		pub, _ := networks.NewPublisher(fake.Adapter())
		a0, _ := fake.Connect("a0")
		a1, _ := fake.Connect("a1")
		s := dispatchsoak.New(t, dispatchsoak.Config{Network: fakenet.Network, Publisher: pub, Channel: "fk",
			Accounts: []networks.Account{a0, a1}})
		for i := range 4 {
			s.Schedule(ctx, t, i, workflow.Content{Text: fmt.Sprint("post ", i)})
		}
		states, elapsed := s.Run(ctx, t, 10*time.Minute, time.Hour, nil)
		fmt.Println(states[workflow.TargetPublished], "published in", elapsed, "on", len(fake.Posts()), "posts")
	})
	// Output: 4 published in 10m0s on 4 posts
}
