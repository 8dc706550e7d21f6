package pinterest_test

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/pinterest"
	"github.com/socialflow/socialflow/networks/pinterest/pinteresttest"
)

// Pick a board, publish a carousel to it, then a video whose processing
// takes a while, resolved with Check.
func Example() {
	srv := pinteresttest.NewServer("access-token")
	defer srv.Close()
	srv.SetProcessingPolls(1)
	ctx := context.Background()
	acct := networks.Account{ID: "brand-pin", Network: pinterest.Network,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "access-token"})}

	// The host lets a person choose the board when the account connects.
	boards := pinterest.DestinationMap{}
	ad, err := pinterest.New(srv.Client(), pinterest.WithBaseURL(srv.APIURL()), pinterest.WithClock(srv.Now), pinterest.WithDestinations(boards))
	if err != nil {
		panic(err)
	}
	list, err := ad.Boards(ctx, acct)
	if err != nil {
		panic(err)
	}
	boards[acct.ID] = pinterest.Destination{Board: list[0].ID}

	carousel := networks.Draft{Title: "Spring salads", Text: "Three salads", Link: "https://example.com/salads", Marker: "m1",
		Media: []networks.MediaItem{pinteresttest.Image(1), pinteresttest.Image(2), pinteresttest.Image(3)}}
	r, err := ad.Publish(ctx, acct, carousel)
	if err != nil {
		panic(err)
	}
	fmt.Println(list[0].Name, r.Status)

	video := networks.Draft{Title: "How to", Text: "A salad in a minute", Marker: "m2", Media: []networks.MediaItem{pinteresttest.Video(1, 1<<20)}}
	r, err = ad.Publish(ctx, acct, video)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Status)
	for r.Status == networks.StatusPending {
		srv.Advance(r.CheckAfter) // a host waits CheckAfter (the Publisher's AwaitPublished does)
		if r, err = ad.Check(ctx, acct, r); err != nil {
			panic(err)
		}
	}
	fmt.Println(r.Status, len(srv.Pins()))
	// Output:
	// socialflow published
	// pending
	// published 2
}
