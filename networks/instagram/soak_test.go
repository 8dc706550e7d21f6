package instagram_test

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
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/internal/dispatchsoak"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/instagram"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestSoakDispatcher runs the workflow Dispatcher over the fake Graph API
// with 20 % random faults (errors before the effect, answers lost after it
// — on container creation and on media_publish alike —, throttling), 1,000
// Instagram targets over 20 accounts and a publishing limit of 25 posts per
// 24 hours, in virtual time: every target is published exactly once and no
// account ever has more than 25 posts in a 24-hour window.
//
//	go test -race -run TestSoakDispatcher -v ./networks/instagram
func TestSoakDispatcher(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	const accounts, targets, limit = 20, 1000, 25
	srv := graphtest.NewServer(graphtest.Options{PublishLimit: limit, CallBudget: 100_000})
	defer srv.Close()
	srv.SetFaultRate(0.20, 16)
	for i := range accounts {
		srv.IssueToken(fmt.Sprint("tok-", i), userID(i), time.Time{})
	}
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		ad, err := instagram.New(&http.Client{Transport: srv.Transport()}, instagram.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(3), networks.WithBackOff(time.Second, time.Minute))
		require.NoError(t, err)

		accts := make([]networks.Account, accounts)
		for i := range accounts {
			accts[i] = networks.Account{ID: userID(i), Network: instagram.Network, Tokens: staticToken(fmt.Sprint("tok-", i))}
		}
		media := func(_ context.Context, _ team.Channel, ref workflow.MediaRef) (networks.MediaItem, error) {
			return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 300_000, Width: 1080, Height: 1350},
				URL: "https://cdn.example.com/" + ref.Asset}, nil
		}
		s := dispatchsoak.New(t, dispatchsoak.Config{Network: instagram.Network, Publisher: pub, Channel: "ig", Accounts: accts,
			Dispatcher: []workflow.DispatcherOption{workflow.WithMedia(media)}})
		for i := range targets {
			asset := fmt.Sprintf("a%d.jpg", i)
			if i%2 == 0 {
				asset = fmt.Sprintf("slow-a%d.jpg", i) // processed for 30 s: published by Check
			}
			s.Schedule(ctx, t, i, workflow.Content{Text: fmt.Sprint("soak post ", i), Media: []workflow.MediaRef{{Asset: asset}}})
		}
		states, elapsed := s.Run(ctx, t, 10*time.Minute, 10*24*time.Hour, nil)

		live := srv.Media()
		captions := make([]string, len(live))
		remote := map[string]bool{}
		for i, m := range live {
			captions[i] = m.Caption
			remote[m.ID] = true
		}
		dups := dispatchsoak.Duplicates(captions)
		lost := s.Lost(ctx, t, func(id string) bool { return remote[id] })
		peak := 0
		for i := range accounts {
			peak = max(peak, srv.Peak(userID(i)))
		}
		writes, lostAnswers := 0, 0
		for _, r := range srv.Requests() {
			if r.Method == http.MethodPost {
				writes++
			}
			if r.Status == 0 && strings.HasSuffix(r.Path, "/media_publish") {
				lostAnswers++
			}
		}
		t.Logf("soak: %d targets, %d accounts, limit %d/24h: %d published, %d duplicates, %d lost, peak %d per 24h, %d media_publish refused for the limit, %d POSTs, %d lost media_publish answers, %d requests, %s virtual",
			targets, accounts, limit, len(live), dups, lost, peak, srv.Refused(), writes, lostAnswers, len(srv.Requests()), elapsed.Round(time.Minute))
		assert.Equal(t, targets, states[workflow.TargetPublished], "every target published: %v", states)
		assert.Zero(t, dups, "no post twice")
		assert.Zero(t, lost, "no target lost")
		assert.Equal(t, targets, len(live))
		assert.LessOrEqual(t, peak, limit, "the publishing limit is never exceeded")
		assert.Positive(t, lostAnswers, "the faults included lost media_publish answers")
	})
}

func userID(i int) string { return fmt.Sprintf("178414000%08d", i) }

func staticToken(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
}
