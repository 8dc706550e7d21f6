package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
)

// inboxCases cover the community inbox ([workflow.InboxStore]).
var inboxCases = []storeCase{
	{"InboxItemStoredOnce", inboxOnce},
	{"InboxItemsGroupIntoConversations", inboxGroup},
	{"InboxConcurrentAddsStoreOnce", inboxConcurrent},
	{"InboxArrivalReopens", inboxReopen},
	{"InboxConversationStaleUpdateConflicts", inboxStale},
	{"InboxConversationsFilterAndOrder", inboxQuery},
	{"InboxClaimExclusiveUntilExpiry", inboxClaim},
	{"InboxConcurrentClaimsOneWins", inboxClaimRace},
	{"InboxCursorCompareAndSwap", inboxCursor},
	{"InboxNextTurnIsUnique", inboxTurns},
	{"InboxReturnedValuesAreCopies", inboxCopies},
	{"InboxCanceledContextFails", inboxCanceled},
}

func item(remote, thread string, at time.Time) workflow.InboxItem {
	in := networks.Incoming{Network: "x", AccountID: "acct", ID: networks.RemoteID(remote), Kind: networks.ItemReply,
		Author: networks.Author{ID: "u1", Handle: "@u1"}, Text: "hello " + remote, At: at, Thread: thread}
	th := thread
	if th == "" {
		th = remote
	}
	return workflow.InboxItem{
		ID: workflow.InboxItemID("x", "acct", in.ID), Workspace: "ws", Channel: "c1",
		Conversation: workflow.ConversationID("x", "acct", th), Item: in, Received: at,
		Class: analytics.Classification{Sentiment: analytics.SentimentNeutral, Labels: []string{"question"}},
	}
}

func inboxOnce(t *testing.T, s workflow.Store) {
	it := item("r1", "t1", t0)
	got, c, created, err := s.AddItem(ctx(t), it)
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, it, got)
	assert.EqualValues(t, 1, c.Rev)
	assert.Equal(t, 1, c.Items)
	assert.Equal(t, workflow.ConvNew, c.State)
	// Listed again, even with other content: the first one stays.
	again := it
	again.Item.Text = "changed"
	got, c2, created, err := s.AddItem(ctx(t), again)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, "hello r1", got.Item.Text)
	assert.Equal(t, c, c2)
	stored, err := s.InboxItem(ctx(t), it.ID)
	require.NoError(t, err)
	assert.Equal(t, it, stored)
	_, err = s.InboxItem(ctx(t), "nope")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func inboxGroup(t *testing.T, s workflow.Store) {
	// Out of order: the newest item decides the conversation's LastItem.
	for i, at := range []time.Time{t0.Add(2 * time.Minute), t0, t0.Add(time.Minute)} {
		_, _, created, err := s.AddItem(ctx(t), item(fmt.Sprintf("r%d", i), "t1", at))
		require.NoError(t, err)
		require.True(t, created)
	}
	_, _, _, err := s.AddItem(ctx(t), item("other", "t2", t0))
	require.NoError(t, err)
	conv := workflow.ConversationID("x", "acct", "t1")
	c, err := s.Conversation(ctx(t), conv)
	require.NoError(t, err)
	assert.Equal(t, 3, c.Items)
	assert.Equal(t, item("r0", "t1", t0).ID, c.LastItem)
	assert.True(t, c.LastAt.Equal(t0.Add(2*time.Minute)))
	items, err := s.ConversationItems(ctx(t), conv)
	require.NoError(t, err)
	require.Len(t, items, 3)
	for i, want := range []string{"r1", "r2", "r0"} {
		assert.Equal(t, networks.RemoteID(want), items[i].Item.ID, "ordered by network time")
	}
	_, err = s.Conversation(ctx(t), "cv-none")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func inboxConcurrent(t *testing.T, s workflow.Store) {
	var created atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				_, _, ok, err := s.AddItem(context.Background(), item(fmt.Sprintf("r%d", (i+w)%20), "t1", t0.Add(time.Duration(i)*time.Second)))
				assert.NoError(t, err)
				if ok {
					created.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 20, created.Load())
	c, err := s.Conversation(ctx(t), workflow.ConversationID("x", "acct", "t1"))
	require.NoError(t, err)
	assert.Equal(t, 20, c.Items)
	assert.EqualValues(t, 20, c.Rev)
}

func inboxReopen(t *testing.T, s workflow.Store) {
	_, c, _, err := s.AddItem(ctx(t), item("r1", "t1", t0))
	require.NoError(t, err)
	c.State, c.Assignee = workflow.ConvReplied, "ana"
	c, err = s.UpdateConversation(ctx(t), c)
	require.NoError(t, err)
	_, c, _, err = s.AddItem(ctx(t), item("r2", "t1", t0.Add(time.Minute)))
	require.NoError(t, err)
	assert.Equal(t, workflow.ConvAssigned, c.State, "back to its assignee")
	assert.Equal(t, 1, c.Reopened)
	c.State = workflow.ConvClosed
	c, err = s.UpdateConversation(ctx(t), c)
	require.NoError(t, err)
	_, c, _, err = s.AddItem(ctx(t), item("r3", "t1", t0.Add(2*time.Minute)))
	require.NoError(t, err)
	assert.Equal(t, workflow.ConvNew, c.State)
	assert.Empty(t, c.Assignee, "a closed conversation is routed again")
}

func inboxStale(t *testing.T, s workflow.Store) {
	_, c, _, err := s.AddItem(ctx(t), item("r1", "t1", t0))
	require.NoError(t, err)
	a, b := c, c
	a.Assignee, b.Assignee = "ana", "bo"
	a.State, b.State = workflow.ConvAssigned, workflow.ConvAssigned
	_, err = s.UpdateConversation(ctx(t), a)
	require.NoError(t, err)
	_, err = s.UpdateConversation(ctx(t), b)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	conflictKind(t, err, workflow.ConflictConversation)
	got, err := s.Conversation(ctx(t), c.ID)
	require.NoError(t, err)
	assert.Equal(t, "ana", got.Assignee)
	missing := c
	missing.ID = "cv-missing"
	_, err = s.UpdateConversation(ctx(t), missing)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func inboxQuery(t *testing.T, s workflow.Store) {
	var ids []string
	for i := range 5 {
		_, c, _, err := s.AddItem(ctx(t), item(fmt.Sprintf("r%d", i), fmt.Sprintf("t%d", i), t0))
		require.NoError(t, err)
		ids = append(ids, c.ID)
		if i%2 == 0 {
			c.State, c.Assignee = workflow.ConvAssigned, "ana"
			c.Replies = []workflow.InboxReply{{ID: "rp", State: workflow.ReplyQueued, Marker: "m"}}
			_, err = s.UpdateConversation(ctx(t), c)
			require.NoError(t, err)
		}
	}
	other := item("o1", "o1", t0)
	other.Workspace = "ws2"
	_, _, _, err := s.AddItem(ctx(t), other)
	require.NoError(t, err)
	all, err := s.Conversations(ctx(t), workflow.ConversationQuery{Workspace: "ws"})
	require.NoError(t, err)
	require.Len(t, all, 5)
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].ID, all[i].ID)
	}
	assigned, err := s.Conversations(ctx(t), workflow.ConversationQuery{Workspace: "ws", States: []workflow.ConversationState{workflow.ConvAssigned}, Assignee: "ana"})
	require.NoError(t, err)
	assert.Len(t, assigned, 3)
	outbox, err := s.Conversations(ctx(t), workflow.ConversationQuery{Workspace: "ws", Outbox: true})
	require.NoError(t, err)
	assert.Len(t, outbox, 3)
	page, err := s.Conversations(ctx(t), workflow.ConversationQuery{Workspace: "ws", After: all[1].ID, Limit: 2})
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, all[2].ID, page[0].ID)
	// Settling the reply takes the conversation out of the outbox.
	c := outbox[0]
	c.Replies[0].State = workflow.ReplySent
	_, err = s.UpdateConversation(ctx(t), c)
	require.NoError(t, err)
	outbox, err = s.Conversations(ctx(t), workflow.ConversationQuery{Workspace: "ws", Outbox: true})
	require.NoError(t, err)
	assert.Len(t, outbox, 2)
	_ = ids
}

func inboxClaim(t *testing.T, s workflow.Store) {
	_, c, _, err := s.AddItem(ctx(t), item("r1", "t1", t0))
	require.NoError(t, err)
	got, err := s.ClaimConversation(ctx(t), c.ID, "ana", t0, time.Minute)
	require.NoError(t, err)
	require.NotNil(t, got.Claim)
	assert.Equal(t, "ana", got.Claim.Member)
	assert.EqualValues(t, 1, got.Claim.Token)
	assert.Equal(t, c.Rev+1, got.Rev)
	_, err = s.ClaimConversation(ctx(t), c.ID, "bo", t0.Add(30*time.Second), time.Minute)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	var ce *workflow.ClaimedError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "ana", ce.Holder)
	assert.True(t, ce.Since.Equal(t0))
	// The holder extends; the token stays.
	got, err = s.ClaimConversation(ctx(t), c.ID, "ana", t0.Add(50*time.Second), time.Minute)
	require.NoError(t, err)
	assert.EqualValues(t, 1, got.Claim.Token)
	// Expired: taken over with a larger token.
	got, err = s.ClaimConversation(ctx(t), c.ID, "bo", t0.Add(111*time.Second), time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "bo", got.Claim.Member)
	assert.EqualValues(t, 2, got.Claim.Token)
	_, err = s.ClaimConversation(ctx(t), "cv-missing", "bo", t0, time.Minute)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func inboxClaimRace(t *testing.T, s workflow.Store) {
	_, c, _, err := s.AddItem(ctx(t), item("r1", "t1", t0))
	require.NoError(t, err)
	var won atomic.Int64
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.ClaimConversation(context.Background(), c.ID, fmt.Sprintf("m%d", i), t0, time.Minute); err == nil {
				won.Add(1)
			} else {
				assert.ErrorIs(t, err, socialflow.ErrConflict)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, won.Load())
}

func inboxCursor(t *testing.T, s workflow.Store) {
	c, err := s.InboxCursor(ctx(t), "c1")
	require.NoError(t, err)
	assert.Equal(t, workflow.InboxCursor{Channel: "c1"}, c)
	c.Cursor = "page-2"
	saved, err := s.PutInboxCursor(ctx(t), c)
	require.NoError(t, err)
	assert.EqualValues(t, 1, saved.Rev)
	_, err = s.PutInboxCursor(ctx(t), c) // stale: Rev 0
	require.ErrorIs(t, err, socialflow.ErrConflict)
	conflictKind(t, err, workflow.ConflictInboxCursor)
	got, err := s.InboxCursor(ctx(t), "c1")
	require.NoError(t, err)
	assert.Equal(t, "page-2", got.Cursor)
	assert.EqualValues(t, 1, got.Rev)
}

func inboxTurns(t *testing.T, s workflow.Store) {
	seen := sync.Map{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				n, err := s.NextTurn(context.Background(), "rr:ws/default")
				assert.NoError(t, err)
				_, dup := seen.LoadOrStore(n, true)
				assert.False(t, dup, "turn %d given twice", n)
			}
		}()
	}
	wg.Wait()
	n, err := s.NextTurn(ctx(t), "rr:ws/default")
	require.NoError(t, err)
	assert.EqualValues(t, 81, n)
	n, err = s.NextTurn(ctx(t), "rr:ws/other")
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}

func inboxCopies(t *testing.T, s workflow.Store) {
	got, c, _, err := s.AddItem(ctx(t), item("r1", "t1", t0))
	require.NoError(t, err)
	got.Class.Labels[0] = "changed"
	c.Labels[0] = "changed"
	it, err := s.InboxItem(ctx(t), got.ID)
	require.NoError(t, err)
	assert.Equal(t, "question", it.Class.Labels[0])
	c2, err := s.Conversation(ctx(t), c.ID)
	require.NoError(t, err)
	assert.Equal(t, "question", c2.Labels[0])
}

func inboxCanceled(t *testing.T, s workflow.Store) {
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, _, err := s.AddItem(cctx, item("r1", "t1", t0))
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.NextTurn(cctx, "k")
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Conversations(cctx, workflow.ConversationQuery{Workspace: "ws"})
	require.ErrorIs(t, err, context.Canceled)
}
