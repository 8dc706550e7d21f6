package workflow_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// soakFeed fills each channel's feed with items: five per thread, listed
// out of order within pages, 5 % of them listed again later, every third
// listing with a cursor that goes backwards.
func soakFeed(e *inboxEnv, channels, items int, seed uint64) (unique int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	per := items / channels
	e.src.pageSize, e.src.back = 100, 3
	for c := range channels {
		ch := fmt.Sprintf("c%d", c)
		feed := make([]networks.Incoming, 0, per+per/20)
		for i := range per {
			text := "hello"
			if i%7 == 0 {
				text = "this is awful"
			}
			feed = append(feed, incoming(ch, fmt.Sprintf("%s-%d", ch, i), fmt.Sprintf("%s-t%d", ch, i/5), text, inboxT0.Add(time.Duration(i)*time.Second)))
		}
		for i := 0; i+10 <= len(feed); i += 10 { // out of order within runs of ten
			rng.Shuffle(10, func(a, b int) { feed[i+a], feed[i+b] = feed[i+b], feed[i+a] })
		}
		for range per / 20 {
			feed = append(feed, feed[rng.IntN(per)])
		}
		e.src.push(ch, feed...)
		unique += per
	}
	return unique
}

// runInboxReplicas runs three Services, each with its own poller, over one
// memstore: they poll every channel, members reply to every fourth
// conversation (two members racing for each claim), and the pollers
// deliver under 20 % publish faults, lost answers included. It checks
// every item stored once, no conversation assigned twice, and no reply
// published twice.
func runInboxReplicas(t *testing.T, channels, items int) {
	e := newInboxEnv(t, channels)
	e.net = fakenet.New(fakenet.Options{Spec: unlimitedSpec(), AllowDuplicateContent: true, Now: e.clock.Now, Seed: 7, FaultRate: 0.2,
		RandomFaults: []fakenet.Kind{fakenet.KindServerError, fakenet.KindLostResponse, fakenet.KindTimeout}})
	e.src = newInboxNet(e.net)
	e.conn = e.connect(t, e.src)
	unique := soakFeed(e, channels, items, 1)
	var svcs []*workflow.Service
	var polls []*workflow.InboxPoller
	for i := range 3 {
		svc := e.svc
		if i > 0 {
			var err error
			svc, err = workflow.NewService(nil, e.store, workflow.WithNotifier(e.notes), workflow.WithClock(e.clock), workflow.WithClassifier(lexicon{}))
			require.NoError(t, err)
		}
		svcs = append(svcs, svc)
		polls = append(polls, e.poller(t, svc, fmt.Sprint("replica-", i)))
	}
	step := func() {
		var wg sync.WaitGroup
		for _, p := range polls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := p.RunOnce(context.Background(), e.clock.Now())
				assert.NoError(t, err)
				assert.Empty(t, r.Errors)
			}()
		}
		wg.Wait()
	}
	for range 3 {
		step()
	}
	all, err := e.store.Conversations(t.Context(), workflow.ConversationQuery{Workspace: "w"})
	require.NoError(t, err)
	stored := 0
	for _, c := range all {
		stored += c.Items
	}
	assert.Equal(t, unique, stored, "every item stored once")
	routes := map[string]int{}
	for _, ev := range e.events(t, "inbox.route") {
		routes[ev.Object]++
	}
	doubles := 0
	for _, c := range all {
		if routes["conversation:"+c.ID] > 1 {
			doubles++
		}
		assert.Equal(t, workflow.ConvAssigned, c.State, "%s", c.ID)
	}
	assert.Zero(t, doubles, "double assignments")

	// Members answer every fourth conversation; two race for each claim.
	var replied []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, c := range all {
		if i%4 != 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			winners := 0
			for j, m := range []string{"cam", "dee"} {
				if _, err := svcs[j%3].OpenConversation(context.Background(), m, c.ID); err == nil {
					winners++
					_, err := svcs[(j+1)%3].Reply(context.Background(), m, workflow.ReplyRequest{Conversation: c.ID, Text: "thanks for writing, " + c.ID})
					assert.NoError(t, err)
					mu.Lock()
					replied = append(replied, c.ID)
					mu.Unlock()
				}
			}
			assert.Equal(t, 1, winners, "one claim per conversation")
		}()
	}
	wg.Wait()
	for round := 0; round < 40; round++ {
		e.clock.Add(5 * time.Minute)
		step()
		out, err := e.store.Conversations(t.Context(), workflow.ConversationQuery{Workspace: "w", Outbox: true})
		require.NoError(t, err)
		if len(out) == 0 {
			break
		}
	}
	sent, twice := 0, 0
	for _, id := range replied {
		c, err := e.store.Conversation(t.Context(), id)
		require.NoError(t, err)
		require.Len(t, c.Replies, 1)
		r := c.Replies[0]
		n := e.net.Published(r.Marker)
		if n > 1 {
			twice++
		}
		if r.State == workflow.ReplySent {
			sent++
			assert.Equal(t, 1, n, "a sent reply is on the network once")
		} else {
			assert.Equal(t, workflow.ReplyFailed, r.State, "settled: %s", r.Cause)
		}
	}
	assert.Zero(t, twice, "replies published twice")
	assert.Greater(t, sent, len(replied)*8/10)
	t.Logf("%d items over %d channels by 3 replicas: %d stored once, %d conversations, %d double assignments; %d replies, %d sent, %d published twice, %d failed; faults injected %v",
		unique, channels, stored, len(all), doubles, len(replied), sent, twice, len(replied)-sent, e.net.Faults())
}

// TestInboxReplicas is the small version of the soak, in every run.
// The network's waits (backoff, timeouts) run in synctest's virtual time.
func TestInboxReplicas(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { runInboxReplicas(t, 10, 2000) })
}

// TestInboxSoak is the figure: SOCIALFLOW_SOAK=1 go test -run TestInboxSoak -v ./workflow
func TestInboxSoak(t *testing.T) {
	if os.Getenv("SOCIALFLOW_SOAK") == "" {
		t.Skip("the full soak: SOCIALFLOW_SOAK=1 go test -run TestInboxSoak -v ./workflow")
	}
	synctest.Test(t, func(t *testing.T) { runInboxReplicas(t, 50, 100000) })
}
