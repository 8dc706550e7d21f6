package pinterest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/internal/dispatchsoak"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/pinterest"
	"github.com/socialflow/socialflow/networks/pinterest/pinteresttest"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestSoakDispatcher runs the workflow Dispatcher over the fake Pinterest
// API with 20 % random faults (errors before the effect, answers lost after
// it, throttling; uploads failing or losing their answer), 400 targets over
// 10 accounts, each pinning to its own board, a quarter of them videos whose
// processing outlasts the publish (pending, pinned by Check), in virtual
// time: every target is pinned exactly once and recorded published. It
// runs once per seed of [soakSeeds] (the faults differ; the goroutines'
// interleaving varies from run to run besides).
//
//	go test -race -run TestSoakDispatcher -v ./networks/pinterest
func TestSoakDispatcher(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	for _, seed := range soakSeeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { soakDispatcher(t, seed) })
	}
}

// soakSeeds seed the soak's random faults. 17 is the seed the soak was
// first written with.
var soakSeeds = []uint64{17, 1, 2, 3, 2026}

func soakDispatcher(t *testing.T, seed uint64) {
	const accounts, targets = 10, 400
	// Started outside the bubble (its listener waits on a real socket); the
	// adapter reaches it in memory, and time.Now read by its handlers is
	// the bubble's.
	srv := pinteresttest.New(pinteresttest.Config{Now: time.Now})
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		srv.SetProcessingPolls(1)
		dests := pinterest.DestinationMap{}
		for i := range accounts {
			srv.IssueTokens(fmt.Sprint("tok-", i), "", time.Time{})
			dests[fmt.Sprint("acct-", i)] = pinterest.Destination{Board: srv.AddBoard(fmt.Sprint("board ", i))}
		}
		srv.SetFaultRate(0.20, seed)
		ad, err := pinterest.New(&http.Client{Transport: srv.Transport()}, pinterest.WithBaseURL(srv.APIURL()), pinterest.WithDestinations(dests))
		require.NoError(t, err)
		pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(3), networks.WithBackOff(time.Second, time.Minute))
		require.NoError(t, err)

		accts := make([]networks.Account, accounts)
		for i := range accounts {
			accts[i] = networks.Account{ID: fmt.Sprint("acct-", i), Network: pinterest.Network,
				Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fmt.Sprint("tok-", i)})}
		}
		media := func(_ context.Context, _ team.Channel, ref workflow.MediaRef) (networks.MediaItem, error) {
			if ref.Asset[0] == 'v' {
				return pinteresttest.Video(1, 2048), nil
			}
			it := pinteresttest.Image(1)
			it.URL = "https://cdn.example.com/" + ref.Asset
			return it, nil
		}
		s := dispatchsoak.New(t, dispatchsoak.Config{Network: pinterest.Network, Publisher: pub, Channel: "pin", Accounts: accts,
			Dispatcher: []workflow.DispatcherOption{workflow.WithMedia(media), workflow.WithMaxAttempts(1000)}})
		for i := range targets {
			asset := fmt.Sprintf("i%d.jpg", i)
			if i%4 == 0 {
				asset = fmt.Sprintf("v%d.mp4", i)
			}
			s.Schedule(ctx, t, i, workflow.Content{Text: fmt.Sprint("soak description ", i),
				Media: []workflow.MediaRef{{Asset: asset}}})
		}
		states, elapsed := s.Run(ctx, t, 10*time.Minute, 10*24*time.Hour, nil)

		pins := srv.Pins()
		descriptions := make([]string, len(pins))
		remote := map[string]bool{}
		for i, p := range pins {
			descriptions[i] = p.Description
			remote[p.ID] = true
		}
		dups := dispatchsoak.Duplicates(descriptions)
		lost := s.Lost(ctx, t, func(id string) bool { return remote[id] })
		faults := srv.Faults()
		t.Logf("soak (seed %d): %d targets over %d accounts: %d pins, %d duplicates, %d lost, faults %v, %d uploads, %d requests, %s virtual",
			seed, targets, accounts, len(pins), dups, lost, faults, srv.Uploads(), len(srv.Requests()), elapsed.Round(time.Minute))
		assert.Equal(t, targets, states[workflow.TargetPublished], "every target published: %v", states)
		assert.Zero(t, dups, "no pin twice")
		assert.Zero(t, lost, "no target lost")
		assert.Len(t, pins, targets)
		assert.Positive(t, faults["lost"], "the faults included lost answers")
	})
}
