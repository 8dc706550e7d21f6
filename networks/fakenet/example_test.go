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
