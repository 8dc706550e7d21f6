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

func ExampleAdapter_Reply() {
	pds := blueskytest.NewServer(blueskytest.WithAppView()) // notifications come from an app view
	defer pds.Close()
	pds.CreateAccount("alice.test", "app-password")
	bob := pds.CreateAccount("bob.test", "bob-password")

	ctx := context.Background()
	ad, err := bluesky.New(pds.Client())
	if err != nil {
		log.Fatal(err)
	}
	tok, err := ad.Login(ctx, pds.URL(), "alice.test", "app-password")
	if err != nil {
		log.Fatal(err)
	}
	acct := networks.Account{ID: "a1", Network: bluesky.Network, BaseURL: pds.URL(), Tokens: oauth2.StaticTokenSource(tok)}
	post, err := ad.Publish(ctx, acct, networks.Draft{Text: "Bread is out of the oven", Marker: "post-43"})
	if err != nil {
		log.Fatal(err)
	}
	// Bob replies to the post.
	root := map[string]any{"uri": string(post.ID), "cid": pds.Records()[0].CID}
	pds.Post(bob.DID, map[string]any{"text": "save me a loaf", "reply": map[string]any{"root": root, "parent": root}})

	page, err := ad.Incoming(ctx, acct, "")
	if err != nil {
		log.Fatal(err)
	}
	in := page.Items[0]
	fmt.Println(in.Kind, in.Author.Handle, in.Text, in.Thread == string(post.ID))
	r, err := ad.Reply(ctx, acct, in, networks.Draft{Text: "done!", Marker: "reply-43"})
	if err != nil {
		log.Fatal(err)
	}
	refs := pds.Records()[2].Value["reply"].(map[string]any)
	fmt.Println(r.ID == networks.RemoteID(pds.Records()[2].URI), refs["root"].(map[string]any)["uri"] == string(post.ID),
		refs["parent"].(map[string]any)["uri"] == string(in.ID))
	// Output:
	// reply @bob.test save me a loaf true
	// true true true
}
