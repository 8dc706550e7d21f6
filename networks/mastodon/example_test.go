package mastodon_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
)

func ExampleAdapter_Publish() {
	srv := mastodontest.NewServer() // a fake instance; use the real instance URL in production
	defer srv.Close()
	ctx := context.Background()

	cfg, err := mastodon.FetchConfiguration(ctx, srv.Client(), srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	ad, err := mastodon.New(srv.Client(), mastodon.WithConfiguration(cfg))
	if err != nil {
		log.Fatal(err)
	}
	acct := networks.Account{ID: "m1", Network: mastodon.Network, BaseURL: srv.URL(),
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.IssueToken(mastodon.Scopes...)})}
	r, err := ad.Publish(ctx, acct, networks.Draft{Text: "Hello, fediverse", Thread: []string{"and a reply"}, Marker: "post-7"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status, len(srv.Statuses()), ad.Spec().Text.MaxLength)
	// Output: published 2 500
}

func ExampleAdapter_Incoming() {
	srv := mastodontest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	ad, err := mastodon.New(srv.Client())
	if err != nil {
		log.Fatal(err)
	}
	acct := networks.Account{ID: "m1", Network: mastodon.Network, BaseURL: srv.URL(),
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.IssueToken(mastodon.Scopes...)})}
	post, err := ad.Publish(ctx, acct, networks.Draft{Text: "We are open on Sunday", Marker: "post-8"})
	if err != nil {
		log.Fatal(err)
	}
	// Another account answers (it mentions us, so Mastodon notifies us).
	if _, err := srv.Arrive(mastodontest.Arrival{From: "ann", Kind: "reply", To: string(post.ID), Text: "@user from when?"}); err != nil {
		log.Fatal(err)
	}
	page, err := ad.Incoming(ctx, acct, "")
	if err != nil {
		log.Fatal(err)
	}
	in := page.Items[0]
	fmt.Println(in.Kind, in.Author.Handle, in.Text)
	r, err := ad.Reply(ctx, acct, in, networks.Draft{Text: "from 9 am", Marker: "reply-8"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.Replies(string(in.ID))[0].ID == string(r.ID))
	// Output:
	// reply @ann@remote.example @user from when?
	// true
}
