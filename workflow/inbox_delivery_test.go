package workflow_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// noFinder is the inbox adapter without a Finder: a lost answer cannot be
// looked up.
type noFinder struct {
	networks.Adapter
	src *inboxNet
}

func (a noFinder) Incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	return a.src.Incoming(ctx, acct, cursor)
}

func (a noFinder) Reply(ctx context.Context, acct networks.Account, _ networks.Incoming, d networks.Draft) (networks.Receipt, error) {
	return a.Adapter.Publish(ctx, acct, d)
}

// replyReady ingests one item on c0, claims it for cam and writes a reply.
func replyReady(t *testing.T, e *inboxEnv, text string) (string, workflow.InboxReply) {
	t.Helper()
	_, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{incoming("c0", "r-"+text, "t-"+text, "hello?", inboxT0)})
	require.NoError(t, err)
	id := e.conversation(t, "c0", "t-"+text).ID
	_, err = e.svc.OpenConversation(t.Context(), "cam", id)
	require.NoError(t, err)
	r, err := e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id, Text: text})
	require.NoError(t, err)
	return id, r
}

// TestInboxDeliveryOutcomes: each publish result becomes the documented
// reply state, and nothing is ever sent twice.
func TestInboxDeliveryOutcomes(t *testing.T) {
	t.Run("lost answer and no Finder: parked for a person", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newInboxEnv(t, 1)
			e.conn = e.connect(t, noFinder{Adapter: e.net.AdapterWithoutFinder(), src: e.src})
			id, r := replyReady(t, e, "parked")
			e.net.Script(fakenet.Fault{Op: networks.OpPublish, Kind: fakenet.KindLostResponse})
			d, err := e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
			require.NoError(t, err)
			assert.Equal(t, 1, d.Unconfirmed)
			c := e.conversation(t, "c0", "t-parked")
			got := c.Reply(r.ID)
			assert.Equal(t, workflow.ReplyUnconfirmed, got.State)
			assert.True(t, got.Parked)
			assert.False(t, c.Outbox(), "a parked reply waits for a person, not for delivery")
			ns := e.notes.Notices(workflow.NoticeReplyFailed)
			require.Len(t, ns, 1)
			assert.Equal(t, []string{"cam"}, ns[0].To)
			e.clock.Add(time.Hour)
			_, err = e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
			require.NoError(t, err)
			assert.Equal(t, 1, e.net.Published(r.Marker), "never sent again")
			assert.Equal(t, workflow.ConvAssigned, e.conversation(t, "c0", "t-parked").State, id)
		})
	})
	t.Run("transient failures: retried later, sent once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newInboxEnv(t, 1)
			_, r := replyReady(t, e, "retry")
			e.net.Script(fakenet.Fault{Op: networks.OpPublish, Kind: fakenet.KindServerError}, fakenet.Fault{Op: networks.OpPublish, Kind: fakenet.KindServerError},
				fakenet.Fault{Op: networks.OpPublish, Kind: fakenet.KindServerError})
			d, err := e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
			require.NoError(t, err)
			assert.Equal(t, 1, d.Retry)
			c := e.conversation(t, "c0", "t-retry")
			got := c.Reply(r.ID)
			assert.Equal(t, workflow.ReplyQueued, got.State)
			assert.True(t, got.NextTry.After(e.clock.Now()))
			d, err = e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
			require.NoError(t, err)
			assert.Zero(t, d.Sent+d.Retry, "not before its next try")
			e.clock.Add(time.Minute)
			d, err = e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
			require.NoError(t, err)
			assert.Equal(t, 1, d.Sent)
			assert.Equal(t, 1, e.net.Published(r.Marker))
			assert.Len(t, e.events(t, "inbox.reply_retry"), 1)
		})
	})
	t.Run("rejected by the network: failed with its cause", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newInboxEnv(t, 1)
			_, r := replyReady(t, e, "rejected")
			e.net.Script(fakenet.Fault{Op: networks.OpPublish, Kind: fakenet.KindRejected, Reason: "the author blocked you"})
			d, err := e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
			require.NoError(t, err)
			assert.Equal(t, 1, d.Failed)
			c := e.conversation(t, "c0", "t-rejected")
			got := c.Reply(r.ID)
			assert.Equal(t, workflow.ReplyFailed, got.State)
			assert.Contains(t, got.Cause, "blocked")
			assert.Len(t, e.events(t, "inbox.reply_failed"), 1)
		})
	})
	t.Run("another worker holds the reply", func(t *testing.T) {
		e := newInboxEnv(t, 1)
		id, r := replyReady(t, e, "busy")
		_, err := e.store.Acquire(t.Context(), "inbox-reply:"+id+"/"+r.ID, "other", e.clock.Now(), time.Minute)
		require.NoError(t, err)
		d, err := e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
		require.NoError(t, err)
		assert.Equal(t, 1, d.Busy)
		assert.Zero(t, e.net.Published(r.Marker))
	})
}

// TestInboxIngestProperty: whatever the batches, repeats and order, and
// however two replicas interleave, each item is stored once, each
// conversation counts its own items, lists them in network-time order and
// knows its newest one.
func TestInboxIngestProperty(t *testing.T) {
	for seed := range uint64(30) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 2))
			e := newInboxEnv(t, 1)
			other, err := workflow.NewService(nil, e.store, workflow.WithClock(e.clock))
			require.NoError(t, err)
			var listing []networks.Incoming
			want := map[string]map[string]time.Time{} // thread → item → at
			for range 60 {
				i := rng.IntN(25)
				id, thread := fmt.Sprint("i", i), fmt.Sprint("t", i%6)
				at := inboxT0.Add(time.Duration(i) * time.Minute)
				listing = append(listing, incoming("c0", id, thread, "x", at))
				if want[thread] == nil {
					want[thread] = map[string]time.Time{}
				}
				want[thread][id] = at
			}
			for len(listing) > 0 {
				n := min(len(listing), 1+rng.IntN(9))
				svc := []*workflow.Service{e.svc, other}[rng.IntN(2)]
				_, err := svc.IngestIncoming(t.Context(), "p", "c0", listing[:n])
				require.NoError(t, err)
				listing = listing[n:]
			}
			for thread, items := range want {
				c := e.conversation(t, "c0", thread)
				assert.Equal(t, len(items), c.Items)
				var newest time.Time
				for _, at := range items {
					if at.After(newest) {
						newest = at
					}
				}
				assert.True(t, c.LastAt.Equal(newest))
				got, err := e.store.ConversationItems(t.Context(), c.ID)
				require.NoError(t, err)
				require.Len(t, got, len(items))
				assert.True(t, slices.IsSortedFunc(got, func(a, b workflow.InboxItem) int { return a.Item.At.Compare(b.Item.At) }))
			}
		})
	}
}

// TestInboxRoundRobinIsFair: with members on duty taking turns, no member
// gets more than one conversation more than another.
func TestInboxRoundRobinIsFair(t *testing.T) {
	e := newInboxEnv(t, 1)
	require.NoError(t, e.svc.SetInboxSettings(t.Context(), "boss", "w", workflow.InboxSettings{
		Rules: []workflow.AssignRule{{Name: "team", Members: []string{"cam", "dee", "kim", "eve"}}}})) // eve cannot reply
	var items []networks.Incoming
	for i := range 101 {
		items = append(items, incoming("c0", fmt.Sprint("q", i), "", "hi", inboxT0))
	}
	_, err := e.svc.IngestIncoming(t.Context(), "p", "c0", items)
	require.NoError(t, err)
	cs, err := e.store.Conversations(t.Context(), workflow.ConversationQuery{Workspace: "w"})
	require.NoError(t, err)
	count := map[string]int{}
	for _, c := range cs {
		count[c.Assignee]++
	}
	assert.Len(t, count, 3, "cam, dee and kim; never eve")
	assert.Zero(t, count["eve"])
	lo, hi := 101, 0
	for _, n := range count {
		lo, hi = min(lo, n), max(hi, n)
	}
	assert.LessOrEqual(t, hi-lo, 1)
}

// TestInboxPollerSkipsNetworksWithoutInbox: a channel whose adapter lists
// nothing is counted, not an error; Run polls on its interval until ctx
// ends.
func TestInboxPollerRunAndNoInbox(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newInboxEnv(t, 2)
		plain := &workflow.Connections{}
		// Only the Adapter methods: fakenet's own inbox is hidden.
		pub, err := networks.NewPublisher(struct{ networks.Adapter }{e.net.Adapter()})
		require.NoError(t, err)
		plain.SetPublisher(fakenet.Network, pub)
		for _, ch := range []string{"c0", "c1"} {
			_, tok := e.net.Connect(ch)
			plain.SetAccount(ch, e.net.ConnectToken(ch, tok))
		}
		p, err := workflow.NewInboxPoller(e.svc, plain, workflow.WithPollHolder("plain"))
		require.NoError(t, err)
		r, err := p.RunOnce(t.Context(), e.clock.Now())
		require.NoError(t, err)
		assert.Equal(t, 2, r.NoInbox)
		assert.Zero(t, r.Channels)
		assert.Empty(t, r.Errors)

		stray := incoming("c1", "x", "", "hi", inboxT0)
		stray.AccountID = "someone-else"
		e.src.push("c1", incoming("c1", "a", "", "hi", inboxT0), stray)
		run, err := workflow.NewInboxPoller(e.svc, e.conn, workflow.WithPollHolder("run"), workflow.WithPollInterval(time.Minute))
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
		defer cancel()
		go func() {
			time.Sleep(30 * time.Second)
			e.src.push("c1", incoming("c1", "b", "", "hi", inboxT0))
		}()
		require.ErrorIs(t, run.Run(ctx), context.DeadlineExceeded)
		assert.Equal(t, "run", run.Holder())
		cs, err := e.store.Conversations(t.Context(), workflow.ConversationQuery{Workspace: "w"})
		require.NoError(t, err)
		assert.Len(t, cs, 2, "the item pushed between steps was picked up by the next one")
	})
}
