package threads_test

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
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/threads"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestSoakDispatcher runs the workflow Dispatcher over the fake Threads API
// with 20 % random faults (errors before the effect, answers lost after it
// — on containers and threads_publish alike —, throttling), 600 targets over
// 10 accounts (text posts, images of which half process for 30 s, and
// threads of three parts) and a limit of 10 posts per 24 hours, in virtual
// time: every target is published once, every thread whole and in order,
// and no account ever has more than 10 posts in a 24-hour window.
//
//	go test -race -run TestSoakDispatcher -v ./networks/threads
func TestSoakDispatcher(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	const accounts, targets, limit = 10, 600, 10
	srv := graphtest.NewThreadsServer(graphtest.ThreadsOptions{Options: graphtest.Options{PublishLimit: limit, CallBudget: 1 << 30}})
	defer srv.Close()
	srv.SetFaultRate(0.20, 16)
	user := func(i int) string { return fmt.Sprintf("2700000%08d", i) }
	for i := range accounts {
		srv.IssueToken(fmt.Sprint("tok-", i), user(i), time.Time{})
	}
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		ad, err := threads.New(&http.Client{Transport: srv.Transport()}, threads.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(3), networks.WithBackOff(time.Second, time.Minute))
		require.NoError(t, err)

		accts := make([]networks.Account, accounts)
		for i := range accounts {
			accts[i] = networks.Account{ID: user(i), Network: threads.Network,
				Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fmt.Sprint("tok-", i)})}
		}
		media := func(_ context.Context, _ team.Channel, ref workflow.MediaRef) (networks.MediaItem, error) {
			return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 300_000, Width: 1080, Height: 1350},
				URL: "https://cdn.example.com/" + ref.Asset}, nil
		}
		// 1000 posts and replies on 10 accounts at 10 a day is a backlog
		// of 10 days, past the Dispatcher's default lateness of 7: the
		// soak drains it all, so it allows 15.
		s := dispatchsoak.New(t, dispatchsoak.Config{Network: threads.Network, Publisher: pub, Channel: "th", Accounts: accts,
			Dispatcher: []workflow.DispatcherOption{workflow.WithMedia(media), workflow.WithMaxAttempts(1000),
				workflow.WithMaxLateness(15 * 24 * time.Hour)}})
		for i := range targets {
			c := workflow.Content{Text: fmt.Sprintf("soak post %d", i)}
			switch i % 3 {
			case 1:
				asset := fmt.Sprintf("a%d.jpg", i)
				if i%2 == 0 {
					asset = fmt.Sprintf("slow-a%d.jpg", i) // processed for 30 s: published by Check
				}
				c.Media = []workflow.MediaRef{{Asset: asset}}
			case 2:
				c.Thread = []string{fmt.Sprintf("soak post %d part 1", i), fmt.Sprintf("soak post %d part 2", i)}
			}
			s.Schedule(ctx, t, i, c)
		}
		states, elapsed := s.Run(ctx, t, 10*time.Minute, 20*24*time.Hour, nil)

		live := srv.Posts()
		texts := make([]string, len(live))
		byID := map[string]graphtest.ThreadsPost{}
		for i, p := range live {
			texts[i] = strings.TrimRight(p.Text, "\u2063\u200b\u200c\u200d\u2060")
			byID[p.ID] = p
		}
		dups := dispatchsoak.Duplicates(texts)
		lost, broken := 0, 0
		for i, id := range s.Posts {
			p, err := s.Store.GetPost(ctx, id)
			require.NoError(t, err)
			tg := p.Targets[0]
			root, ok := byID[tg.Outcome.RemoteID]
			if tg.State != workflow.TargetPublished || !ok {
				if lost++; lost <= 3 {
					t.Logf("not published: %s: %s", tg.State, tg.Outcome.Cause)
				}
				continue
			}
			if i%3 == 2 { // the two replies follow the root, in order
				var chain []graphtest.ThreadsPost
				for _, q := range live {
					if strings.HasPrefix(q.Text, fmt.Sprintf("soak post %d part ", i)) {
						chain = append(chain, q)
					}
				}
				if len(chain) != 2 || chain[0].ReplyTo != root.ID || chain[1].ReplyTo != chain[0].ID {
					broken++
				}
			}
		}
		peak := 0
		for i := range accounts {
			peak = max(peak, srv.Peak(user(i)))
		}
		lostAnswers := 0
		for _, r := range srv.Requests() {
			if r.Status == 0 && strings.HasSuffix(r.Path, "/threads_publish") {
				lostAnswers++
			}
		}
		t.Logf("soak: %d targets (%d threads), %d accounts, limit %d/24h: %d live posts and replies, %d duplicates, %d lost, %d broken threads, peak %d per 24h, %d threads_publish refused, %d lost threads_publish answers, %d requests, %s virtual",
			targets, targets/3, accounts, limit, len(live), dups, lost, broken, peak, srv.Refused(), lostAnswers, len(srv.Requests()), elapsed.Round(time.Minute))
		assert.Equal(t, targets, states[workflow.TargetPublished], "every target published: %v", states)
		assert.Zero(t, dups, "no post or reply twice")
		assert.Zero(t, lost, "no target lost")
		assert.Zero(t, broken, "every thread whole and in order")
		assert.Equal(t, targets+2*(targets/3), len(live))
		assert.LessOrEqual(t, peak, limit, "the publishing limit is never exceeded")
		assert.Positive(t, lostAnswers, "the faults included lost threads_publish answers")
	})
}
