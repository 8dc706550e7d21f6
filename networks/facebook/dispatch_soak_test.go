package facebook_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/internal/dispatchsoak"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestSoakDispatcher runs the workflow Dispatcher over the fake Graph API
// with 20 % random faults (errors before the effect, answers lost after
// it, throttling) and 600 targets over 6 Pages — text posts, photo posts
// and videos that take 30 s to process (pending, resolved by Check) — in
// virtual time: every target is published exactly once.
//
//	go test -race -run TestSoakDispatcher -v ./networks/facebook
func TestSoakDispatcher(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	const pages, targets = 6, 600
	srv := graphtest.NewServer(graphtest.Options{CallBudget: 100_000})
	defer srv.Close()
	srv.SetFaultRate(0.20, 23)
	for i := range pages {
		srv.IssueToken(fmt.Sprint("user-", i), fmt.Sprint("u", i), time.Time{})
		srv.AddPage(fmt.Sprint("u", i), pageID(i), fmt.Sprint("Page ", i), fmt.Sprint("page-tok-", i))
	}
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		ad, err := facebook.New(&http.Client{Transport: srv.Transport()}, facebook.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(3), networks.WithBackOff(time.Second, time.Minute))
		require.NoError(t, err)

		accts := make([]networks.Account, pages)
		for i := range pages {
			accts[i] = networks.Account{ID: pageID(i), Network: facebook.Network, Tokens: staticToken(fmt.Sprint("user-", i))}
		}
		media := func(_ context.Context, _ team.Channel, ref workflow.MediaRef) (networks.MediaItem, error) {
			if strings.HasSuffix(ref.Asset, ".mp4") {
				return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: 20 << 20, Width: 1280, Height: 720, Duration: time.Minute},
					URL: "https://cdn.example.com/" + ref.Asset}, nil
			}
			return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 300_000, Width: 1200, Height: 900},
				URL: "https://cdn.example.com/" + ref.Asset}, nil
		}
		s := dispatchsoak.New(t, dispatchsoak.Config{Network: facebook.Network, Publisher: pub, Channel: "fb", Accounts: accts,
			Dispatcher: []workflow.DispatcherOption{workflow.WithMedia(media), workflow.WithMaxAttempts(1000)}})
		for i := range targets {
			c := workflow.Content{Text: fmt.Sprint("soak post ", i)}
			switch i % 3 {
			case 1:
				c.Media = []workflow.MediaRef{{Asset: fmt.Sprintf("p%d.jpg", i)}}
			case 2:
				c.Media = []workflow.MediaRef{{Asset: fmt.Sprintf("v%d.mp4", i)}}
			}
			s.Schedule(ctx, t, i, c)
		}
		states, elapsed := s.Run(ctx, t, 5*time.Minute, 5*24*time.Hour, nil)
		srv.SetFaultRate(0, 0)

		var messages []string
		remote := map[string]bool{}
		for i := range pages {
			for _, p := range srv.PagePosts(pageID(i)) {
				messages = append(messages, p.Message)
				remote[p.ID] = true
				if p.VideoID != "" {
					remote[p.VideoID] = true
				}
			}
		}
		live := len(messages)
		dups := dispatchsoak.Duplicates(messages)
		lost := s.Lost(ctx, t, func(id string) bool { return remote[id] })
		lostAnswers := 0
		for _, r := range srv.Requests() {
			if r.Status == 0 {
				lostAnswers++
			}
		}
		t.Logf("soak: %d targets over %d Pages: %d live posts, %d duplicates, %d lost, %d requests, %d answers lost, %s virtual",
			targets, pages, live, dups, lost, len(srv.Requests()), lostAnswers, elapsed.Round(time.Minute))
		assert.Equal(t, targets, states[workflow.TargetPublished], "every target published: %v", states)
		assert.Zero(t, dups, "no post twice")
		assert.Zero(t, lost, "no target lost")
		assert.Equal(t, targets, live)
		assert.Positive(t, lostAnswers, "the faults included lost answers")
	})
}

func pageID(i int) string { return fmt.Sprintf("1002003004%05d", i) }
