package fakenet_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

func Example() {
	fake := fakenet.New(fakenet.Options{})
	// The first publish is accepted but its response is lost.
	fake.Script(fakenet.LostResponse())

	ctx := context.Background()
	a, acct := fake.Adapter(), fake.Account()
	d := networks.Draft{Text: "Launch day!", Marker: "launch-1"}
	_, err := a.Publish(ctx, acct, d)
	fmt.Println(errors.Is(err, socialflow.ErrOutcomeUnknown))

	// The post exists anyway, and the Finder finds it by its marker.
	r, found, err := a.(networks.Finder).FindByMarker(ctx, acct, "launch-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(found, r.ID, fake.Published("launch-1"), fake.Attempts("launch-1"))
	// Output:
	// true
	// true fake-2 1 1
}

func ExampleNet_MetricsAt() {
	fake := fakenet.New(fakenet.Options{})
	r, err := fake.Adapter().Publish(context.Background(), fake.Account(), networks.Draft{Text: "metrics"})
	if err != nil {
		log.Fatal(err)
	}
	// Metrics are a pure function of the post and the instant.
	for _, after := range []time.Duration{0, time.Hour, 2 * time.Hour} {
		s, _ := fake.MetricsAt(r.ID, r.At.Add(after))
		imp, _ := s.Counters.Get(0)
		_, hasReach := s.Counters.Get(1)
		fmt.Println(imp > 0, hasReach)
	}
	// Output:
	// false false
	// true false
	// true false
}

// ExampleNet_Arrive scripts a conversation: @alice replies to a post, the
// inbox lists her reply, and the Publisher answers it once although the
// network loses the answer's response.
func ExampleNet_Arrive() {
	fake := fakenet.New(fakenet.Options{})
	ctx := context.Background()
	acct := fake.Account()
	pub, err := networks.NewPublisher(fake.Adapter())
	if err != nil {
		log.Fatal(err)
	}
	post, err := pub.Publish(ctx, acct, networks.Draft{Text: "New menu today"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemReply, From: "alice", To: post.ID, Text: "Any vegan options?"}); err != nil {
		log.Fatal(err)
	}

	page, err := pub.Incoming(ctx, acct, "")
	if err != nil {
		log.Fatal(err)
	}
	in := page.Items[0]
	fmt.Println(in.Kind, in.Author.Handle, in.InReplyTo == post.ID, in.Text)

	fake.Script(fakenet.LostResponse().On(networks.OpReply))
	r, err := pub.Reply(ctx, acct, in, networks.Draft{Text: "Yes: the lentil soup!", Marker: "reply-1"})
	if err != nil {
		log.Fatal(err)
	}
	replies := fake.Replies(in.ID)
	fmt.Println(len(replies), replies[0].ID == r.ID, fake.Published("reply-1"))
	// Output:
	// reply @alice true Any vegan options?
	// 1 true 1
}

// ExampleTraffic generates a day of random incoming items in virtual time:
// the same seed gives the same items, whenever the test polls.
func ExampleTraffic() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	fake := fakenet.New(fakenet.Options{Seed: 1, Now: func() time.Time { return now },
		Traffic: &fakenet.Traffic{PerHour: 2, Duplicates: 0.2, Disorder: 0.5}})
	acct := fake.Account()
	now = now.Add(24 * time.Hour)
	kinds := map[networks.ItemKind]int{}
	for _, it := range fake.Items(acct.ID) {
		kinds[it.Kind]++
	}
	fmt.Println(len(fake.Items(acct.ID)) > 20, kinds[networks.ItemMessage] > 0)
	// Output: true true
}
