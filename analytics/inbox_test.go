package analytics

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
)

func TestInbox(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	recs := []ConversationRecord{
		{ID: "c1", Channel: "ig", Network: "instagram", Member: "ana", State: "closed", Items: 3, Opened: at(0), FirstResponse: at(10), Resolved: at(60)},
		{ID: "c2", Channel: "ig", Network: "instagram", Member: "ben", State: "replied", Items: 1, Opened: at(0), FirstResponse: at(50)},
		{ID: "c3", Channel: "x", Network: "x", Member: "ana", State: "assigned", Items: 2, Opened: at(100)},
		{ID: "c4", Channel: "x", Network: "x", State: "new", Items: 1, Opened: at(170)},
		{ID: "c5", Channel: "x", Network: "x", Member: "ana", State: "closed", Items: 1, Opened: at(0), FirstResponse: at(20), Resolved: at(20)},
	}
	rep, err := Inbox(recs, InboxOptions{Now: at(180), SLAs: []SLA{
		{Channel: "", FirstResponse: 30 * time.Minute},
		{Channel: "ig", FirstResponse: 15 * time.Minute, Resolution: 2 * time.Hour},
	}})
	require.NoError(t, err)

	d := func(m int) Duration { return Duration{D: time.Duration(m) * time.Minute, OK: true} }
	assert.Equal(t, ResponseTimes{Conversations: 5, Answered: 3, Resolved: 2,
		FirstMedian: d(20), FirstP90: d(50), ResolveMedian: d(40), ResolveP90: d(60), Breaches: 3}, rep.All)
	assert.Equal(t, []ResponseTimes{
		{Key: "ig", Conversations: 2, Answered: 2, Resolved: 1, FirstMedian: d(30), FirstP90: d(50), ResolveMedian: d(60), ResolveP90: d(60), Breaches: 2},
		{Key: "x", Conversations: 3, Answered: 1, Resolved: 1, FirstMedian: d(20), FirstP90: d(20), ResolveMedian: d(20), ResolveP90: d(20), Breaches: 1},
	}, rep.ByChannel)
	require.Len(t, rep.ByMember, 2)
	assert.Equal(t, "ana", rep.ByMember[0].Key)
	assert.Equal(t, 3, rep.ByMember[0].Conversations)
	assert.Equal(t, Duration{Why: "no resolved conversation"}, rep.ByMember[1].ResolveMedian, "ben resolved nothing")
	assert.Equal(t, []Breach{
		// c1: answered after 10 min, within 15: no breach; c2 after 50 min.
		{Conversation: "c2", Channel: "ig", Member: "ben", Kind: BreachFirstResponse, Target: 15 * time.Minute, Took: 50 * time.Minute},
		// c2 unresolved for 180 min at Now, past 2 h.
		{Conversation: "c2", Channel: "ig", Member: "ben", Kind: BreachResolution, Target: 2 * time.Hour, Took: 180 * time.Minute, Open: true},
		// c3 unanswered for 80 min, past the default 30; c4 waited 10 min only.
		{Conversation: "c3", Channel: "x", Member: "ana", Kind: BreachFirstResponse, Target: 30 * time.Minute, Took: 80 * time.Minute, Open: true},
	}, rep.Breaches)
	assert.Equal(t, []Volume{
		{Network: "instagram", State: "closed", Conversations: 1, Items: 3},
		{Network: "instagram", State: "replied", Conversations: 1, Items: 1},
		{Network: "x", State: "assigned", Conversations: 1, Items: 2},
		{Network: "x", State: "closed", Conversations: 1, Items: 1},
		{Network: "x", State: "new", Conversations: 1, Items: 1},
	}, rep.Volume)
	assert.Equal(t, []Workload{
		{Member: "ana", Open: 1, Answered: 2, Resolved: 2, Items: 6},
		{Member: "ben", Open: 1, Answered: 1, Items: 1},
	}, rep.Workload)
}

func TestInboxEmptyAndOrderFree(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rep, err := Inbox(nil, InboxOptions{Now: now})
	require.NoError(t, err)
	assert.False(t, rep.All.FirstMedian.OK)
	assert.Equal(t, "no answered conversation", rep.All.FirstMedian.Why)

	recs := []ConversationRecord{
		{ID: "a", Channel: "c", State: "closed", Opened: now.Add(-3 * time.Hour), FirstResponse: now.Add(-2 * time.Hour), Resolved: now},
		{ID: "b", Channel: "c", State: "new", Opened: now.Add(-time.Hour)},
		{ID: "c", Channel: "d", State: "replied", Opened: now.Add(-time.Hour), FirstResponse: now},
	}
	opts := InboxOptions{Now: now, SLAs: []SLA{{FirstResponse: 30 * time.Minute}}}
	want, err := Inbox(recs, opts)
	require.NoError(t, err)
	rev := []ConversationRecord{recs[2], recs[0], recs[1]}
	got, err := Inbox(rev, opts)
	require.NoError(t, err)
	assert.Equal(t, want, got, "the order of the records does not matter")
}

func TestInboxRefuses(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ok := ConversationRecord{ID: "a", Channel: "c", State: "new", Opened: now}
	tests := []struct {
		name  string
		recs  []ConversationRecord
		opts  InboxOptions
		field string
	}{
		{"no now", nil, InboxOptions{}, "now"},
		{"two slas", nil, InboxOptions{Now: now, SLAs: []SLA{{Channel: "c"}, {Channel: "c"}}}, "slas[1].channel"},
		{"negative sla", nil, InboxOptions{Now: now, SLAs: []SLA{{FirstResponse: -1}}}, "slas[0]"},
		{"no id", []ConversationRecord{ok, {Channel: "c", State: "new", Opened: now}}, InboxOptions{Now: now}, "records[1].id"},
		{"reply before open", []ConversationRecord{{ID: "a", Channel: "c", State: "replied", Opened: now, FirstResponse: now.Add(-time.Second)}}, InboxOptions{Now: now}, "records[0].first_response"},
		{"negative items", []ConversationRecord{{ID: "a", Channel: "c", State: "new", Opened: now, Items: -1}}, InboxOptions{Now: now}, "records[0].items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Inbox(tt.recs, tt.opts)
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
}

func TestInboxResolvedWithoutReplyIsNotWaiting(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	recs := []ConversationRecord{
		{ID: "spam", Channel: "ig", State: "spam", Items: 1, Opened: at(0), Resolved: at(0)},
		{ID: "quick", Channel: "ig", Member: "ana", State: "closed", Items: 1, Opened: at(0), Resolved: at(20)},
		{ID: "slow", Channel: "ig", Member: "ana", State: "closed", Items: 1, Opened: at(0), Resolved: at(90)},
	}
	rep, err := Inbox(recs, InboxOptions{Now: at(24 * 60), SLAs: []SLA{{FirstResponse: time.Hour}}})
	require.NoError(t, err)
	assert.Equal(t, []Breach{
		{Conversation: "slow", Channel: "ig", Member: "ana", Kind: BreachFirstResponse, Target: time.Hour, Took: 90 * time.Minute},
	}, rep.Breaches, "spam and a quick close owe no first response; a slow close breached, and none is still waiting")
	assert.Zero(t, rep.All.Answered, "resolving is not answering")
}
