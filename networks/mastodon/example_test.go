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
