package dispatchsoak_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/internal/dispatchsoak"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// soak wires a dispatchsoak over fakenet with accounts accounts and the
// given random fault rate.
func soak(t *testing.T, accounts int, faults float64) (*dispatchsoak.Soak, *fakenet.Net) {
	fake := fakenet.New(fakenet.Options{Seed: 7, FaultRate: faults})
	pub, err := networks.NewPublisher(fake.Adapter(), networks.WithMaxAttempts(3), networks.WithBackOff(time.Second, time.Minute))
	require.NoError(t, err)
	var accts []networks.Account
	for i := range accounts {
		a, _ := fake.Connect(fmt.Sprint("acct-", i))
		accts = append(accts, a)
	}
	s := dispatchsoak.New(t, dispatchsoak.Config{Network: fakenet.Network, Publisher: pub, Channel: "fk", Accounts: accts,
		Dispatcher: []workflow.DispatcherOption{workflow.WithMaxAttempts(1000)}})
	return s, fake
}

func TestSoak(t *testing.T) {
	for _, tc := range []struct {
		name             string
		accounts, posts  int
		faults           float64
		wantPublishedAll bool
	}{
		{"no faults", 3, 12, 0, true},
		{"faults", 4, 40, 0.3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := context.Background()
				s, fake := soak(t, tc.accounts, tc.faults)
				for i := range tc.posts {
					s.Schedule(ctx, t, i, workflow.Content{Text: fmt.Sprint("post ", i)})
				}
				require.Len(t, s.Posts, tc.posts)
				visits := 0
				states, elapsed := s.Run(ctx, t, 10*time.Minute, 24*time.Hour, func(workflow.Post) { visits++ })
				assert.Equal(t, tc.posts, states[workflow.TargetPublished], "%v", states)
				assert.Positive(t, elapsed)
				assert.Zero(t, visits%tc.posts, "each step visits every post")
				assert.GreaterOrEqual(t, visits, tc.posts)

				remote := map[string]bool{}
				var texts []string
				perChannel := map[string]int{}
				for _, p := range fake.Posts() {
					remote[string(p.ID)] = true
					texts = append(texts, p.Draft.Text)
					perChannel[p.AccountID]++
				}
				assert.Zero(t, s.Lost(ctx, t, func(id string) bool { return remote[id] }))
				assert.Equal(t, tc.posts, s.Lost(ctx, t, func(string) bool { return false }), "a target the network does not hold is lost")
				assert.Zero(t, dispatchsoak.Duplicates(texts))
				assert.Len(t, perChannel, tc.accounts, "posts go round robin over the accounts")
			})
		})
	}
}

func TestRunStopsWithin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s, _ := soak(t, 1, 0)
		s.Schedule(ctx, t, 0, workflow.Content{Text: "later"})
		// Scheduled a minute ahead: a step every 10 s within 30 s finds it
		// not yet due.
		states, elapsed := s.Run(ctx, t, 10*time.Second, 30*time.Second, nil)
		assert.Equal(t, 1, states[workflow.TargetScheduled], "%v", states)
		assert.Equal(t, 30*time.Second, elapsed)
	})
}

func TestChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := soak(t, 3, 0)
		assert.Equal(t, []string{"fk0", "fk1", "fk2", "fk0"}, []string{s.Channel(0), s.Channel(1), s.Channel(2), s.Channel(3)})
	})
}

func TestDuplicates(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want int
	}{
		{nil, 0},
		{[]string{"a", "b"}, 0},
		{[]string{"a", "a", "b", "a"}, 2},
	} {
		assert.Equal(t, tc.want, dispatchsoak.Duplicates(tc.keys), "%q", tc.keys)
	}
}
