package networks_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

func ExampleValidate() {
	d := networks.Draft{Text: strings.Repeat("a", 285)}
	err := networks.Validate(networks.XSpec(), d)
	var ve *networks.ValidationError
	if errors.As(err, &ve) {
		for _, v := range ve.Violations {
			fmt.Printf("%s %s: %d > %d, overflows at byte %d\n", v.Network, v.Field, v.Value, v.Limit, v.Offset)
		}
	}
	// Output: x text: 285 > 280, overflows at byte 280
}

func ExampleValidate_allViolations() {
	d := networks.Draft{
		Text:   "a poll with a video",
		Thread: []string{"and a thread"},
		Poll:   &networks.Poll{Options: []string{"yes", "no"}, Duration: time.Hour},
	}
	err := networks.Validate(networks.LinkedInSpec(), d)
	var ve *networks.ValidationError
	if errors.As(err, &ve) {
		for _, v := range ve.Violations {
			fmt.Println(v.Field, v.Rule)
		}
	}
	// Output:
	// thread unsupported
	// poll unsupported
}

func ExamplePublisher_Publish() {
	fake := fakenet.New(fakenet.Options{})
	fake.Script(fakenet.ServerError(), fakenet.LostResponse())
	p, err := networks.NewPublisher(fake.Adapter(), networks.WithBackOff(time.Millisecond, time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	r, err := p.Publish(context.Background(), fake.Account(), networks.Draft{Text: "Hello, world", Marker: "post-1"})
	if err != nil {
		log.Fatal(err)
	}
	// The 503 was retried; the lost response was resolved by the marker,
	// so the post exists exactly once.
	fmt.Println(r.Status, r.Attempts, fake.Published("post-1"))
	// Output: published 2 1
}

func ExampleMarkPublished() {
	spec := fakenet.DefaultSpec()
	spec.Manual = true
	p, err := networks.NewPublisher(fakenet.New(fakenet.Options{Spec: spec}).Adapter())
	if err != nil {
		log.Fatal(err)
	}
	r, err := p.Publish(context.Background(), networks.Account{ID: "brand"}, networks.Draft{Text: "Story time"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status, r.Manual.Draft.Text)
	r, err = networks.MarkPublished(r, "https://fakenet.invalid/brand/42", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status, r.URL)
	// Output:
	// manual Story time
	// published https://fakenet.invalid/brand/42
}

func ExampleParseRetryAfter() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, h := range []string{"120", "Thu, 01 Jan 2026 00:00:30 GMT", "later"} {
		d, ok := networks.ParseRetryAfter(h, now)
		fmt.Println(d, ok)
	}
	// Output:
	// 2m0s true
	// 30s true
	// 0s false
}

func ExampleRegistry() {
	reg, err := networks.NewRegistry(networks.DefaultSpecs()...)
	if err != nil {
		log.Fatal(err)
	}
	bsky, err := reg.Spec(networks.Bluesky)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bsky.Text.Method, bsky.Text.MaxLength, bsky.Text.MaxBytes, bsky.Rate.PerAccount)
	// Output: graphemes 300 3000 1666/1h0m0s
}

func ExampleMastodonSpec() {
	var c networks.MastodonConfiguration // decoded from GET /api/v2/instance
	c.Statuses.MaxCharacters = 11000
	s := networks.MastodonSpec(c)
	fmt.Println(s.Text.MaxLength, s.Media.MaxItems)
	// Output: 11000 4
}
