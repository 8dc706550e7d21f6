package workflow_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
)

// TestInboxReport: the measures read the stored conversations, a restricted
// member is measured on their channels only, the read is gated and audited.
func TestInboxReport(t *testing.T) {
	e := newInboxEnv(t, 2)
	_, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{
		incoming("c0", "r1", "t1", "hello?", inboxT0), incoming("c0", "r2", "t2", "anyone?", inboxT0)})
	require.NoError(t, err)
	_, err = e.svc.IngestIncoming(t.Context(), "test", "c1", []networks.Incoming{incoming("c1", "r3", "t3", "hi", inboxT0)})
	require.NoError(t, err)

	one := e.conversation(t, "c0", "t1").ID
	_, err = e.svc.OpenConversation(t.Context(), "cam", one)
	require.NoError(t, err)
	_, err = e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: one, Text: "hello back"})
	require.NoError(t, err)
	e.clock.Add(12 * time.Minute)
	_, err = e.svc.DeliverReplies(t.Context(), e.conn, "d1", e.clock.Now())
	require.NoError(t, err)
	e.clock.Add(48 * time.Minute)

	opts := analytics.InboxOptions{SLAs: []analytics.SLA{{FirstResponse: 30 * time.Minute}}}
	rep, err := e.svc.InboxReport(t.Context(), "eve", "w", opts)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.All.Conversations)
	assert.Equal(t, 1, rep.All.Answered)
	assert.Equal(t, analytics.Duration{D: 12 * time.Minute, OK: true}, rep.All.FirstMedian)
	assert.Len(t, rep.Breaches, 2, "two conversations unanswered for an hour, past 30 minutes")
	for _, b := range rep.Breaches {
		assert.True(t, b.Open)
		assert.Equal(t, time.Hour, b.Took)
	}

	// kim is restricted to c0: her report holds c0's two conversations.
	kim, err := e.svc.InboxReport(t.Context(), "kim", "w", opts)
	require.NoError(t, err)
	assert.Equal(t, 2, kim.All.Conversations)
	require.Len(t, kim.ByChannel, 1)
	assert.Equal(t, "c0", kim.ByChannel[0].Key)

	// ann (approver) has no analytics.view.
	_, err = e.svc.InboxReport(t.Context(), "ann", "w", opts)
	assert.ErrorIs(t, err, socialflow.ErrForbidden)
	_, err = e.svc.InboxReport(t.Context(), "eve", "", opts)
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = e.svc.InboxReport(t.Context(), "eve", "w", analytics.InboxOptions{SLAs: []analytics.SLA{{}, {}}})
	assert.ErrorIs(t, err, socialflow.ErrInvalid, "the measures' own errors pass through")

	var reports int
	for _, ev := range e.events(t, "analytics.view") {
		if ev.Summary == "inbox report" {
			reports++
		}
	}
	assert.Equal(t, 2, reports, "each successful read is audited")
}

// TestInboxSettingsNameMembers: settings naming someone without a
// membership in the workspace are refused, naming the field, and leave the
// stored settings as they were.
func TestInboxSettingsNameMembers(t *testing.T) {
	e := newInboxEnv(t, 1)
	good := workflow.InboxSettings{Teams: map[string][]string{"care": {"ann"}}, Rota: []workflow.DutyShift{{Member: "cam", Zone: "Europe/Oslo", Start: "08:00", End: "16:00"}}}
	require.NoError(t, e.svc.SetInboxSettings(t.Context(), "boss", "w", good))
	tests := []struct {
		name  string
		st    workflow.InboxSettings
		field string
	}{
		{"rule", workflow.InboxSettings{Rules: []workflow.AssignRule{{Name: "r", Members: []string{"cam", "zed"}}}}, "rules[0].members[1]"},
		{"shift", workflow.InboxSettings{Rota: []workflow.DutyShift{{Member: "zed", Zone: "Europe/Oslo", Start: "08:00", End: "16:00"}}}, "rota[0].member"},
		{"team", workflow.InboxSettings{Teams: map[string][]string{"care": {"ann", "zed"}}}, `teams["care"][1]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.SetInboxSettings(t.Context(), "boss", "w", tt.st)
			var ve *workflow.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Equal(t, "zed", ve.Value)
			got, err := e.svc.InboxSettings(t.Context(), "boss", "w")
			require.NoError(t, err)
			assert.Equal(t, good.Teams, got.Teams, "the stored settings are unchanged")
		})
	}
}
