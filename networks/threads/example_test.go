package threads_test

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/threads"
)

// Example publishes a thread of three posts to the fake Threads API and
// finds it again by its marker.
func Example() {
	srv := graphtest.NewThreadsServer(graphtest.ThreadsOptions{})
	defer srv.Close()
	srv.IssueToken("threads-token", "27000000000000009", time.Time{})

	ad, err := threads.New(srv.Client(), threads.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	acct := networks.Account{ID: "27000000000000009", Network: threads.Network,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "threads-token"})}
	r, err := ad.Publish(context.Background(), acct, networks.Draft{
		Text:   "Three things we learned this week 🧵",
		Thread: []string{"1. Ship small.", "2. Measure."},
		Marker: "example-1",
	})
	if err != nil {
		panic(err)
	}
	found, ok, _ := ad.FindByMarker(context.Background(), acct, "example-1")
	lim, _ := ad.PublishingLimit(context.Background(), acct)
	fmt.Println(r.Status, len(srv.Posts()), ok, found.ID == r.ID)
	fmt.Println("posts left:", lim.Posts.Remaining, "replies left:", lim.Replies.Remaining)
	// Output:
	// published 3 true true
	// posts left: 249 replies left: 998
}
