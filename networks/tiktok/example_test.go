package tiktok_test

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
)

// Publishing a video: the adapter reads the creator's options, checks the
// draft against them, uploads the file in chunks and reads the status.
func Example() {
	srv := tiktoktest.NewServer("act.example")
	defer srv.Close()
	srv.SetCreator(tiktoktest.Creator{Username: "fakecreator", MaxVideoDurationSec: 180,
		PrivacyOptions: []string{tiktok.PublicToEveryone, tiktok.FollowerOfCreator, tiktok.SelfOnly}})
	ad, err := tiktok.New(srv.Client(), tiktok.WithBaseURL(srv.URL()), tiktok.WithClock(srv.Now),
		tiktok.WithSettings(tiktok.Settings{Privacy: tiktok.FollowerOfCreator, DisableDuet: true}))
	if err != nil {
		panic(err)
	}
	acct := networks.Account{ID: "brand-tt", Network: tiktok.Network, Handle: "fakecreator",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "act.example"})}
	d := networks.Draft{Text: "New in store #bakery", Media: []networks.MediaItem{tiktoktest.SmallVideo(1, 4096)}}

	r, err := ad.Publish(context.Background(), acct, d)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Status, r.URL)

	_, err = ad.Publish(context.Background(), acct, networks.Draft{Text: "too long", Media: []networks.MediaItem{longVideo()}})
	fmt.Println(err)

	fmt.Println(ad.Delete(context.Background(), acct, r.ID))
	// Output:
	// published https://www.tiktok.com/@fakecreator/video/7300000000000000002
	// networks: tiktok 1 violation(s): media[0].duration is 300000000000, limit 180000000000: 5m0s; the creator may post videos up to 3m0s
	// networks: tiktok delete: rejected (no_delete_endpoint): TikTok's API cannot delete posts; delete it in the TikTok app
}

func longVideo() networks.MediaItem {
	v := tiktoktest.SmallVideo(2, 4096)
	v.Duration = 5 * time.Minute
	return v
}
