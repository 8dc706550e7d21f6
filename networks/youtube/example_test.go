package youtube_test

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/youtube"
	"github.com/socialflow/socialflow/networks/youtube/youtubetest"
)

// Publish a video to the fake, wait for processing, read its statistics.
func Example() {
	srv := youtubetest.NewServer("access-token")
	defer srv.Close()
	ad, err := youtube.New(srv.Client(), youtube.WithBaseURL(srv.URL()), youtube.WithClock(srv.Now),
		youtube.WithMetadata(youtube.Metadata{Privacy: youtube.Unlisted, Tags: []string{"demo"}}))
	if err != nil {
		panic(err)
	}
	acct := networks.Account{ID: "chan-1", Network: youtube.Network,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "access-token"})}
	d := networks.Draft{Title: "Launch day", Text: "Our launch #go", Marker: "m1",
		Media: []networks.MediaItem{youtubetest.SmallVideo(1, 1<<20)}}
	r, err := ad.Publish(context.Background(), acct, d)
	if err != nil {
		panic(err)
	}
	r, err = ad.Check(context.Background(), acct, r)
	if err != nil {
		panic(err)
	}
	units, inserts := ad.Quota().Remaining(srv.Now())
	fmt.Println(r.Status, srv.Videos()[0].Privacy, units, inserts)
	// Output: published unlisted 9999 99
}
