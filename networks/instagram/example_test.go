package instagram_test

import (
	"context"
	"fmt"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/instagram"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

func Example() {
	srv := graphtest.NewServer(graphtest.Options{})
	defer srv.Close()
	srv.IssueToken("page-token", "17841400000000009", time.Time{})

	ad, err := instagram.New(srv.Client(), instagram.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	acct := networks.Account{ID: "17841400000000009", Network: instagram.Network, Tokens: staticToken("page-token")}
	r, err := ad.Publish(context.Background(), acct, networks.Draft{
		Text:   "Hello from socialflow",
		Marker: "example-1",
		Media: []networks.MediaItem{{
			Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 120_000, Width: 1080, Height: 1080},
			URL:   "https://cdn.example.com/hello.jpg",
		}},
	})
	if err != nil {
		panic(err)
	}
	found, ok, _ := ad.FindByMarker(context.Background(), acct, "example-1")
	fmt.Println(r.Status, ok, found.ID == r.ID)
	// Output: published true true
}
