package facebook_test

import (
	"context"
	"fmt"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// The account's token is the user token of a person who manages the Page;
// the adapter derives the Page token from it. Three photos make one
// multi-photo post, found again by its marker.
func Example() {
	srv := graphtest.NewServer(graphtest.Options{})
	defer srv.Close()
	srv.IssueToken("user-token", "10001", time.Time{})
	srv.AddPage("10001", "2002", "Bakery", "page-token")

	ad, err := facebook.New(srv.Client(), facebook.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	acct := networks.Account{ID: "2002", Network: facebook.Network, Tokens: staticToken("user-token")}
	var photos []networks.MediaItem
	for i := range 3 {
		photos = append(photos, networks.MediaItem{
			Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 120_000, Width: 1200, Height: 900},
			URL:   fmt.Sprintf("https://cdn.example.com/croissant-%d.jpg", i),
		})
	}
	r, err := ad.Publish(context.Background(), acct, networks.Draft{
		Text: "Fresh this morning", Media: photos, FirstComment: "Open 7-18 today", Marker: "example-1",
	})
	if err != nil {
		panic(err)
	}
	found, ok, _ := ad.FindByMarker(context.Background(), acct, "example-1")
	post := srv.PagePosts("2002")[0]
	fmt.Println(r.Status, r.ID == found.ID, ok, len(post.PhotoIDs), post.Comments)
	// Output: published true true 3 [Open 7-18 today]
}
