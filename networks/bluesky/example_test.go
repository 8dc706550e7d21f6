package bluesky_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/bluesky"
	"github.com/socialflow/socialflow/networks/bluesky/blueskytest"
)

func ExampleDetectFacets() {
	for _, f := range bluesky.DetectFacets("héllo @alice.test #go https://example.com") {
		fmt.Println(f.Kind, f.Start, f.End, f.Value)
	}
	// Output:
	// mention 7 18 alice.test
	// tag 19 22 go
	// link 23 42 https://example.com
}

func ExampleAdapter_Publish() {
	pds := blueskytest.NewServer() // a fake PDS; use the real PDS URL in production
	defer pds.Close()
	pds.CreateAccount("alice.test", "app-password")

	ctx := context.Background()
	ad, err := bluesky.New(pds.Client())
	if err != nil {
		log.Fatal(err)
	}
	tok, err := ad.Login(ctx, pds.URL(), "alice.test", "app-password")
	if err != nil {
		log.Fatal(err)
	}
	acct := networks.Account{ID: "a1", Network: bluesky.Network, BaseURL: pds.URL(),
		Tokens: oauth2.StaticTokenSource(tok)}
	r, err := ad.Publish(ctx, acct, networks.Draft{Text: "Hello #bluesky", Thread: []string{"and a reply"}, Marker: "post-42"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status, len(pds.Records()), r.ID == networks.RemoteID(pds.Records()[0].URI))
	fmt.Println(bluesky.RecordKey("post-42", 0) == pds.Records()[0].URI[len(pds.Records()[0].URI)-13:])
	// Output:
	// published 2 true
	// true
}
