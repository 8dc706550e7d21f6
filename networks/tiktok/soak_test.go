package tiktok_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/internal/dispatchsoak"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestSoakDispatcher runs the workflow Dispatcher over the fake TikTok API
// with 20 % random faults (500 before any effect, 429, answers lost after
// the effect — on creator info, inits, chunks and status reads alike),
// 300 targets over 10 creators mixing uploaded videos, pulled videos and
// photo posts, a daily cap of 15 posts per creator and TikTok's per-minute
// limits, in virtual time: nothing is posted twice; a photo post whose
// content/init outcome is unknown (its answer lost, or a 500) cannot be
// found (TikTok's video/list lists videos, status/fetch needs the lost
// publish_id), so exactly those targets end unconfirmed, parked with a
// notice for a person, who resolves them (Service.ResolveUnconfirmed) from
// the creator's profile: published when the post is there, else scheduled
// again; every other target is published once by the Dispatcher; and no
// creator ever makes more than 15 posts in 24 hours.
//
//	go test -race -run TestSoakDispatcher -v ./networks/tiktok
func TestSoakDispatcher(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	const creators, targets, capPerDay = 10, 300, 15
	// The server's listener lives outside the bubble (a goroutine waiting on
	// a socket would hold the bubble's clock); requests are served in
	// memory, in the bubble, on its clock.
	srv := tiktoktest.NewServerAt("unused", time.Now)
	defer srv.Close()
	srv.SetFaultRate(0.20, 2026)
	srv.SetProcessingTime(40 * time.Second)
	for i := range creators {
		srv.IssueToken(fmt.Sprint("tok-", i), fmt.Sprint("open-", i))
	}
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		ad, err := tiktok.New(&http.Client{Transport: srv.Transport()}, tiktok.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(3), networks.WithBackOff(time.Second, time.Minute))
		require.NoError(t, err)

		accts := make([]networks.Account, creators)
		for i := range creators {
			accts[i] = networks.Account{ID: fmt.Sprint("open-", i), Network: tiktok.Network, Handle: fmt.Sprint("creator", i),
				Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fmt.Sprint("tok-", i)})}
		}
		var nmu sync.Mutex
		notices := map[string]int{} // unconfirmed notices by post
		notify := workflow.NotifierFunc(func(_ context.Context, n workflow.Notice) error {
			if n.Kind == workflow.NoticeUnconfirmed {
				nmu.Lock()
				notices[n.Post]++
				nmu.Unlock()
			}
			return nil
		})
		file := bytes.Repeat([]byte{7}, 4096)
		media := func(_ context.Context, _ team.Channel, ref workflow.MediaRef) (networks.MediaItem, error) {
			switch ref.Asset[0] {
			case 'u': // uploaded from the blob store
				return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: int64(len(file)), Width: 1080, Height: 1920, Duration: time.Minute},
					Open: func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(file)), nil }}, nil
			case 'p': // pulled by TikTok
				return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: 1 << 20, Width: 1080, Height: 1920, Duration: time.Minute},
					URL: "https://cdn.example/" + ref.Asset}, nil
			}
			return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 300_000, Width: 1080, Height: 1350},
				URL: "https://cdn.example/" + ref.Asset}, nil
		}
		s := dispatchsoak.New(t, dispatchsoak.Config{Network: tiktok.Network, Publisher: pub, Channel: "tt", Accounts: accts,
			Service:    []workflow.ServiceOption{workflow.WithNotifier(notify)},
			Dispatcher: []workflow.DispatcherOption{workflow.WithMedia(media), workflow.WithMaxAttempts(1000)}})
		photoPost := map[string]bool{} // post ID → a photo post
		for i := range targets {
			c := workflow.Content{Text: fmt.Sprint("soak post ", i)}
			switch i % 3 {
			case 0:
				c.Media = []workflow.MediaRef{{Asset: fmt.Sprintf("u%d.mp4", i)}}
			case 1:
				c.Media = []workflow.MediaRef{{Asset: fmt.Sprintf("p%d.mp4", i)}}
			default:
				c.Media = []workflow.MediaRef{{Asset: fmt.Sprintf("i%d-a.jpg", i)}, {Asset: fmt.Sprintf("i%d-b.jpg", i)}}
			}
			photoPost[s.Schedule(ctx, t, i, c)] = i%3 == 2
		}

		// A person checks a parked target on the creator's profile: the post
		// is there when the lost answer came after TikTok made it.
		onProfile := func(text string) (tiktoktest.Post, bool) {
			for _, p := range srv.Posts() {
				if p.Description == text {
					return p, true
				}
			}
			return tiktoktest.Post{}, false
		}
		parkedLive, parkedNone := 0, 0 // what the person found
		states, elapsed := s.Run(ctx, t, 10*time.Minute, 20*24*time.Hour, func(p workflow.Post) {
			tg := p.Targets[0]
			if tg.State != workflow.TargetUnconfirmed || !tg.Outcome.NextTry.IsZero() {
				return
			}
			// Parked for a person: no next try.
			assert.True(t, photoPost[p.ID], "only photo posts are parked: %s: %s", p.Content.Text, tg.Outcome.Cause)
			res := workflow.Resolution{Post: p.ID, Channel: tg.Channel}
			if tp, ok := onProfile(p.Content.Text); ok {
				assert.Equal(t, "PHOTO", tp.Media)
				res.Published, res.URL, res.RemoteID = true, "https://www.tiktok.com/@creator/photo/"+tp.ID, tp.ID
				parkedLive++
			} else {
				parkedNone++ // not posted: scheduled again at once
			}
			_, err := s.Service.ResolveUnconfirmed(ctx, dispatchsoak.Member, res)
			require.NoError(t, err)
		})

		live := srv.Posts()
		remote := map[string]bool{}
		for _, p := range live {
			remote[p.ID], remote[p.PublishID] = true, true
		}
		dups := map[string]int{} // by media type
		seen := map[string]bool{}
		for _, p := range live {
			if k := p.Title + "|" + p.Description; seen[k] {
				dups[p.Media]++
			} else {
				seen[k] = true
			}
		}
		// A photo init's outcome is unknown when its answer was lost (the
		// post exists) or was a 500 (TikTok may or may not have made it).
		lostAnswers, lostPhotoInits, failedPhotoInits := 0, 0, 0
		for _, r := range srv.Requests() {
			if r.Status == 0 {
				lostAnswers++
			}
			if r.Path == "/v2/post/publish/content/init/" {
				switch r.Status {
				case 0:
					lostPhotoInits++
				case 500:
					failedPhotoInits++
				}
			}
		}
		nmu.Lock()
		parkNotices := 0
		for _, n := range notices {
			parkNotices += n
		}
		nmu.Unlock()
		assert.Equal(t, lostPhotoInits, parkedLive, "each photo init whose answer was lost ended unconfirmed, and the person found its post")
		assert.Equal(t, failedPhotoInits, parkedNone, "each photo init answered 500 ended unconfirmed, and the person found nothing")
		assert.Equal(t, parkedLive+parkedNone, parkNotices, "each parked target notified a person")

		lost := s.Lost(ctx, t, func(id string) bool { return remote[id] })
		peak := 0
		for i := range creators {
			peak = max(peak, srv.Peak(fmt.Sprint("open-", i)))
		}
		t.Logf("soak: %d targets, %d creators, cap %d/24h: %d posts, duplicates %d videos / %d photo posts; unconfirmed for a person %d (%d photo inits lost their answer: found on the profile; %d answered 500: not posted, published again), %d lost, peak %d per 24h, %d inits, %d requests (%d answers lost), %s virtual",
			targets, creators, capPerDay, len(live), dups["VIDEO"], dups["PHOTO"], parkedLive+parkedNone, lostPhotoInits, failedPhotoInits, lost, peak, srv.Inits(), len(srv.Requests()), lostAnswers, elapsed.Round(time.Minute))
		assert.Equal(t, targets, states[workflow.TargetPublished], "every target published: %v", states)
		assert.Zero(t, dups["VIDEO"], "no video twice")
		assert.Zero(t, dups["PHOTO"], "no photo post twice")
		assert.Positive(t, lostPhotoInits, "the faults included lost photo init answers")
		assert.Zero(t, lost, "no target lost: each is published (by the dispatcher or a person) as the post TikTok holds")
		assert.Equal(t, targets, len(live), "every target is on TikTok exactly once")
		assert.LessOrEqual(t, peak, capPerDay, "the daily cap is never exceeded")
		assert.Positive(t, lostAnswers, "the faults included lost answers")
	})
}
