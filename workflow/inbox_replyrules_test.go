package workflow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// A reply is checked by the network's reply rules (networks.Spec.ForReply):
// on Instagram, whose posts need media, a text reply is accepted, and the
// text limits still apply.
func TestReplyIsCheckedByTheNetworksReplyRules(t *testing.T) {
	ctx := t.Context()
	clock := &stepClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", clock.Now()))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "ig", WorkspaceID: "w", Network: networks.Instagram, Zone: "Europe/Oslo"}))
	specs, err := networks.NewRegistry(networks.DefaultSpecs()...)
	require.NoError(t, err)
	v, err := workflow.NewNetworkValidator(specs, nil)
	require.NoError(t, err)
	svc, err := workflow.NewService(tm, memstore.New(), workflow.WithClock(clock), workflow.WithValidator(v))
	require.NoError(t, err)

	_, err = svc.IngestIncoming(ctx, "t", "ig", []networks.Incoming{{AccountID: "ig", ID: "c1", Kind: networks.ItemReply,
		Author: networks.Author{ID: "u1", Handle: "@ola"}, Text: "open on Sunday?", Thread: "post-1", At: clock.Now()}})
	require.NoError(t, err)
	conv := workflow.ConversationID(networks.Instagram, "ig", "post-1")
	_, err = svc.OpenConversation(ctx, "boss", conv)
	require.NoError(t, err)

	r, err := svc.Reply(ctx, "boss", workflow.ReplyRequest{Conversation: conv, Text: "Yes, 8-14!"})
	require.NoError(t, err, "a reply needs no media")
	assert.Equal(t, workflow.ReplyQueued, r.State)

	_, err = svc.Reply(ctx, "boss", workflow.ReplyRequest{Conversation: conv, Text: strings.Repeat("a", 5000)})
	require.ErrorIs(t, err, socialflow.ErrInvalid, "the text limit still applies")
	var viol *networks.ValidationError
	require.ErrorAs(t, err, &viol)
	assert.Contains(t, err.Error(), "text")

	require.Error(t, v.ValidateContent(ctx, team.Channel{ID: "ig", Network: networks.Instagram}, workflow.Content{Text: "a post"}), "a post still needs media")
}
