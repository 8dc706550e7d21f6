package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	assetstore "github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestInboxStoresEachItemOnce: a network listing items twice, out of order
// and with a cursor that goes backwards gets every item stored once,
// grouped by thread, and the cursor stored after the items.
func TestInboxStoresEachItemOnce(t *testing.T) {
	e := newInboxEnv(t, 2)
	e.src.pageSize, e.src.back = 3, 2
	var feed []networks.Incoming
	for i := range 10 {
		feed = append(feed, incoming("c1", fmt.Sprint("i", i), fmt.Sprint("t", i%3), "hello", inboxT0.Add(-time.Duration(i)*time.Minute)))
	}
	feed = append(feed, feed[2], feed[0], feed[7]) // listed again
	e.src.push("c1", feed...)
	p := e.poller(t, nil, "p1")
	for range 4 {
		r, err := p.RunOnce(t.Context(), e.clock.Now())
		require.NoError(t, err)
		require.Empty(t, r.Errors)
	}
	cs, err := e.svc.Conversations(t.Context(), "cam", workflow.ConversationQuery{Workspace: "w"})
	require.NoError(t, err)
	require.Len(t, cs, 3)
	total := 0
	for _, c := range cs {
		total += c.Items
		items, err := e.store.ConversationItems(t.Context(), c.ID)
		require.NoError(t, err)
		for i := 1; i < len(items); i++ {
			assert.False(t, items[i].Item.At.Before(items[i-1].Item.At), "items in network-time order")
		}
	}
	assert.Equal(t, 10, total, "each item once")
	cur, err := e.store.InboxCursor(t.Context(), "c1")
	require.NoError(t, err)
	assert.NotEmpty(t, cur.Cursor)
	stored := 0
	for _, ev := range e.events(t, "inbox.ingest") {
		assert.Equal(t, "system:p1", ev.Actor)
		var n int
		fmt.Sscan(ev.Data["stored"], &n)
		stored += n
	}
	assert.Equal(t, 10, stored, "the audit trail counts each item once")
}

// TestInboxAssignmentRules: rules are data, the first match wins, round
// robin among members on duty, and a member outside the channel's scope is
// never assigned.
func TestInboxAssignmentRules(t *testing.T) {
	settings := []byte(`{"rules": [
		{"name": "spam", "when": {"keywords": ["crypto giveaway"]}, "spam": true},
		{"name": "angry", "when": {"sentiments": ["negative"]}, "members": ["dee"]},
		{"name": "german", "when": {"languages": ["de"]}, "members": ["kim", "cam"]},
		{"name": "vip", "when": {"authors": ["@bigfan"], "channels": ["c1"]}, "members": ["cam"]},
		{"name": "c0", "when": {"channels": ["c0"], "kinds": ["mention"]}, "members": ["kim"]}
	]}`)
	st, err := workflow.ParseInboxSettings(settings)
	require.NoError(t, err)
	cases := []struct {
		name  string
		in    networks.Incoming
		state workflow.ConversationState
		want  []string // assignees in turn, for items sent one after another
	}{
		{"spam keyword", mod(incoming("c1", "s1", "", "a CRYPTO giveaway!!", inboxT0), nil), workflow.ConvSpam, nil},
		{"sentiment", mod(incoming("c1", "n1", "", "this is awful", inboxT0), nil), workflow.ConvAssigned, []string{"dee"}},
		{"language and scope: kim is only on c0", mod(incoming("c1", "d1", "", "hallo", inboxT0), func(in *networks.Incoming) { in.Lang = "de-AT" }), workflow.ConvAssigned, []string{"cam", "cam"}},
		{"author", mod(incoming("c1", "v1", "", "hi", inboxT0), func(in *networks.Incoming) { in.Author.Handle = "@BigFan" }), workflow.ConvAssigned, []string{"cam"}},
		{"channel and kind", mod(incoming("c0", "m1", "", "hi", inboxT0), func(in *networks.Incoming) { in.Kind = networks.ItemMention }), workflow.ConvAssigned, []string{"kim"}},
		{"default: everyone who may reply, in turn", mod(incoming("c1", "x1", "", "hi", inboxT0), nil), workflow.ConvAssigned, []string{"boss", "cam", "dee", "boss"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newInboxEnv(t, 2)
			require.NoError(t, e.svc.SetInboxSettings(t.Context(), "boss", "w", st))
			n := max(1, len(c.want))
			for i := range n {
				in := c.in
				in.ID = networks.RemoteID(fmt.Sprint(in.ID, "-", i))
				in.Thread = string(in.ID)
				r, err := e.svc.IngestIncoming(t.Context(), "test", in.AccountID, []networks.Incoming{in})
				require.NoError(t, err)
				require.Equal(t, 1, r.Stored)
				conv := e.conversation(t, in.AccountID, in.Thread)
				assert.Equal(t, c.state, conv.State)
				if len(c.want) > 0 {
					assert.Equal(t, c.want[i], conv.Assignee, "item %d", i)
				}
			}
		})
	}
}

func mod(in networks.Incoming, f func(*networks.Incoming)) networks.Incoming {
	if f != nil {
		f(&in)
	}
	return in
}

// TestInboxRotaAndDelegation: who is on duty follows the rota's wall
// times in the zone across the DST change (Oslo, Sunday 29 March 2026);
// an away member's turns go to their delegate; nobody on duty leaves the
// conversation new.
func TestInboxRotaAndDelegation(t *testing.T) {
	oslo, _ := time.LoadLocation("Europe/Oslo")
	st := workflow.InboxSettings{
		Rota: []workflow.DutyShift{
			{Member: "cam", Zone: "Europe/Oslo", Start: "08:00", End: "16:00"},
			{Member: "dee", Zone: "Europe/Oslo", Start: "16:00", End: "01:00"}, // past midnight
		},
		Delegations: []workflow.Delegation{{From: "cam", To: "boss", Since: time.Date(2026, 3, 10, 0, 0, 0, 0, oslo), Until: time.Date(2026, 3, 11, 0, 0, 0, 0, oslo)}},
	}
	cases := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 3, 2, 8, 0, 0, 0, oslo), "cam"},
		{time.Date(2026, 3, 2, 15, 59, 0, 0, oslo), "cam"},
		{time.Date(2026, 3, 2, 16, 0, 0, 0, oslo), "dee"},
		{time.Date(2026, 3, 3, 0, 30, 0, 0, oslo), "dee"}, // Monday's shift, after midnight
		{time.Date(2026, 3, 3, 3, 0, 0, 0, oslo), ""},     // nobody
		{time.Date(2026, 3, 10, 9, 0, 0, 0, oslo), "boss"},
		// After the change to summer time, shifts keep their wall hours.
		{time.Date(2026, 3, 30, 8, 0, 0, 0, oslo), "cam"},  // 06:00 UTC
		{time.Date(2026, 3, 30, 7, 59, 0, 0, oslo), ""},    // 05:59 UTC
		{time.Date(2026, 3, 29, 0, 30, 0, 0, oslo), "dee"}, // Saturday's shift, the night of the change
	}
	for _, c := range cases {
		t.Run(c.at.Format(time.RFC3339), func(t *testing.T) {
			e := newInboxEnv(t, 1)
			require.NoError(t, e.svc.SetInboxSettings(t.Context(), "boss", "w", st))
			e.clock.t = c.at.UTC()
			in := incoming("c0", "r1", "", "hi", c.at)
			r, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{in})
			require.NoError(t, err)
			conv := e.conversation(t, "c0", "r1")
			assert.Equal(t, c.want, conv.Assignee)
			if c.want == "" {
				assert.Equal(t, workflow.ConvNew, conv.State)
				assert.Equal(t, 1, r.Unassigned)
			}
		})
	}
}

// TestInboxClaims: a second member opening a claimed conversation gets a
// typed conflict naming who holds it and since when; claims expire; a
// reply without the live claim is refused.
func TestInboxClaims(t *testing.T) {
	e := newInboxEnv(t, 1)
	_, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{incoming("c0", "r1", "t1", "where is my order?", inboxT0)})
	require.NoError(t, err)
	id := e.conversation(t, "c0", "t1").ID
	v, err := e.svc.OpenConversation(t.Context(), "cam", id)
	require.NoError(t, err)
	require.Len(t, v.Items, 1)
	assert.Equal(t, "cam", v.Conversation.Claim.Member)
	since := e.clock.Now()

	e.clock.Add(5 * time.Minute)
	_, err = e.svc.OpenConversation(t.Context(), "dee", id)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	var ce *workflow.ClaimedError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "cam", ce.Holder)
	assert.True(t, ce.Since.Equal(since))
	assert.Contains(t, err.Error(), `"cam"`)
	_, err = e.svc.Reply(t.Context(), "dee", workflow.ReplyRequest{Conversation: id, Text: "on its way"})
	require.ErrorAs(t, err, &ce, "a reply without the claim is refused")

	e.clock.Add(11 * time.Minute) // cam's 15-minute claim expired
	v, err = e.svc.OpenConversation(t.Context(), "dee", id)
	require.NoError(t, err)
	assert.EqualValues(t, 2, v.Conversation.Claim.Token, "a new fencing token")
	_, err = e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id, Text: "late"})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "dee", ce.Holder)
	r, err := e.svc.Reply(t.Context(), "dee", workflow.ReplyRequest{Conversation: id, Text: "on its way"})
	require.NoError(t, err)
	assert.EqualValues(t, 2, r.ClaimToken)
	require.NoError(t, e.svc.ReleaseConversation(t.Context(), "dee", id))
	assert.Error(t, e.svc.ReleaseConversation(t.Context(), "dee", id), "released already")
	assert.Len(t, e.events(t, "inbox.claim"), 2)
	assert.Len(t, e.events(t, "inbox.release"), 1)
}

// TestInboxReplyPublishedOnce: a queued reply is published through
// Publisher.Reply once: a lost answer is found by marker, a reply found
// sending after a crash is looked up before anything is sent again.
func TestInboxReplyPublishedOnce(t *testing.T) {
	e := newInboxEnv(t, 1)
	_, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{
		incoming("c0", "r1", "t1", "hello?", inboxT0), incoming("c0", "r2", "t2", "hi?", inboxT0)})
	require.NoError(t, err)
	one, two := e.conversation(t, "c0", "t1").ID, e.conversation(t, "c0", "t2").ID
	for _, id := range []string{one, two} {
		_, err = e.svc.OpenConversation(t.Context(), "cam", id)
		require.NoError(t, err)
	}
	r1, err := e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: one, Text: "hello back"})
	require.NoError(t, err)
	assert.Equal(t, workflow.ReplyQueued, r1.State)

	// The network takes the reply and the answer is lost.
	e.net.Script(fakenet.Fault{Op: networks.OpPublish, Kind: fakenet.KindLostResponse})
	d, err := e.svc.DeliverReplies(t.Context(), e.conn, "d1", e.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, d.Sent)
	assert.Equal(t, 1, e.net.Published(r1.Marker), "published once")
	c := e.conversation(t, "c0", "t1")
	assert.Equal(t, workflow.ConvReplied, c.State)
	assert.True(t, c.FirstResponse.Equal(e.clock.Now()), "the first response time")
	assert.Equal(t, workflow.ReplySent, c.Reply(r1.ID).State)
	assert.NotEmpty(t, c.Reply(r1.ID).RemoteID)

	// Delivering again sends nothing.
	d, err = e.svc.DeliverReplies(t.Context(), e.conn, "d2", e.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, d.Sent)
	assert.Equal(t, 1, e.net.Published(r1.Marker))

	// A worker stopped after the network took the reply: the reply is found
	// sending and looked up by its marker.
	r2, err := e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: two, Text: "hi back"})
	require.NoError(t, err)
	c = e.conversation(t, "c0", "t2")
	c.Reply(r2.ID).State = workflow.ReplySending
	_, err = e.store.UpdateConversation(t.Context(), c)
	require.NoError(t, err)
	acct := e.net.ConnectToken("c0", mustToken(t, e.net, "c0"))
	_, err = e.net.Adapter().Publish(t.Context(), acct, networks.Draft{Text: r2.Text, Marker: r2.Marker})
	require.NoError(t, err)
	d, err = e.svc.DeliverReplies(t.Context(), e.conn, "d3", e.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, d.Sent)
	assert.Equal(t, 1, d.Reconciled)
	assert.Equal(t, 1, e.net.Published(r2.Marker), "found, not sent again")
	assert.Len(t, e.events(t, "inbox.reply_sent"), 2)
}

func mustToken(t testing.TB, n *fakenet.Net, id string) *oauth2.Token {
	t.Helper()
	_, tok := n.Connect(id)
	return tok
}

// TestInboxReplyApproval: a policy routing replies (subject kind "reply")
// holds a reply until approved; a rejected one is never sent.
func TestInboxReplyApproval(t *testing.T) {
	router, err := approval.NewRouter(approval.RouterConfig{
		Policies: map[string]approval.Policy{
			"none":  {Name: "none", Kind: approval.None},
			"legal": {Name: "legal", Kind: approval.Required, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: []string{"ann"}}, Quorum: approval.Quorum{Rule: approval.Any}}}},
		},
		Rules:   []approval.Rule{{Name: "replies", When: approval.Condition{Kinds: []string{"reply"}}, Policy: "legal"}},
		Default: "none",
	})
	require.NoError(t, err)
	e := newInboxEnv(t, 1, workflow.WithRouter(router))
	_, err = e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{incoming("c0", "r1", "t1", "hello?", inboxT0)})
	require.NoError(t, err)
	id := e.conversation(t, "c0", "t1").ID
	_, err = e.svc.OpenConversation(t.Context(), "cam", id)
	require.NoError(t, err)
	r, err := e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id, Text: "we will refund you"})
	require.NoError(t, err)
	assert.Equal(t, workflow.ReplyAwaitingApproval, r.State)
	assert.Len(t, e.notes.Notices(workflow.NoticeReplyApproval), 1)
	d, err := e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, d.Sent)
	assert.Zero(t, e.net.Published(r.Marker), "not sent until approved")

	_, err = e.svc.DecideReply(t.Context(), "cam", workflow.DecideReplyRequest{Conversation: id, Reply: r.ID, Verdict: approval.Approve})
	require.ErrorIs(t, err, socialflow.ErrForbidden, "the community role does not approve")
	got, err := e.svc.DecideReply(t.Context(), "ann", workflow.DecideReplyRequest{Conversation: id, Reply: r.ID, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Equal(t, workflow.ReplyQueued, got.State)
	d, err = e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, d.Sent)
	assert.Equal(t, 1, e.net.Published(r.Marker))

	r2, err := e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id, Text: "and a voucher"})
	require.NoError(t, err)
	got, err = e.svc.DecideReply(t.Context(), "ann", workflow.DecideReplyRequest{Conversation: id, Reply: r2.ID, Verdict: approval.Reject, Comment: "no vouchers"})
	require.NoError(t, err)
	assert.Equal(t, workflow.ReplyRejected, got.State)
	_, err = e.svc.DeliverReplies(t.Context(), e.conn, "d", e.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, e.net.Published(r2.Marker))
	assert.Len(t, e.events(t, "inbox.reply_decide"), 2)
}

// TestInboxSavedReplyAndGuidelines: a saved reply is rendered with the
// item's placeholders; guidelines and the network's rules refuse a reply
// with every finding, saving nothing.
func TestInboxSavedReplyAndGuidelines(t *testing.T) {
	lib, err := assets.NewLibrary(assetstore.New(), memblob.New())
	require.NoError(t, err)
	reg, err := networks.NewRegistry(unlimitedSpec())
	require.NoError(t, err)
	v, err := workflow.NewNetworkValidator(reg, nil)
	require.NoError(t, err)
	e := newInboxEnv(t, 1, workflow.WithAssetChecker(workflow.LibraryAssets{Lib: lib}), workflow.WithValidator(v))
	a, err := lib.AddText(t.Context(), assets.NewAsset{Kind: assets.KindSavedReply, Name: "thanks", Body: "Thanks {author}, we saw your note on {network} about {post}."}, inboxT0)
	require.NoError(t, err)
	_, err = lib.Approve(t.Context(), a.ID, a.Version, "boss", inboxT0)
	require.NoError(t, err)
	require.NoError(t, e.svc.SetGuidelines(t.Context(), "boss", "w", workflow.Guidelines{BannedWords: []string{"cheap"}}))
	_, err = e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{incoming("c0", "r1", "t1", "hello?", inboxT0)})
	require.NoError(t, err)
	id := e.conversation(t, "c0", "t1").ID
	_, err = e.svc.OpenConversation(t.Context(), "cam", id)
	require.NoError(t, err)

	r, err := e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id, Saved: a.ID})
	require.NoError(t, err)
	assert.Equal(t, "Thanks fanr1, we saw your note on fakenet about post-1.", r.Text)
	assert.Equal(t, a.ID, r.Saved)

	_, err = e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id, Text: "so cheap!"})
	var ge *workflow.GuidelineError
	require.ErrorAs(t, err, &ge)
	_, err = e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id, Text: strings.Repeat("x", 501)})
	require.ErrorIs(t, err, socialflow.ErrInvalid, "fakenet's 500-character limit")
	_, err = e.svc.Reply(t.Context(), "cam", workflow.ReplyRequest{Conversation: id})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Len(t, e.conversation(t, "c0", "t1").Replies, 1, "refused replies are not saved")
}

// TestInboxHandOffAndStates: the transition table, and a hand-off that
// tells the other team everything.
func TestInboxHandOffAndStates(t *testing.T) {
	e := newInboxEnv(t, 1)
	require.NoError(t, e.svc.SetInboxSettings(t.Context(), "boss", "w", workflow.InboxSettings{Teams: map[string][]string{"support": {"dee"}}}))
	_, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{incoming("c0", "r1", "t1", "I want a refund <b>now</b>", inboxT0)})
	require.NoError(t, err)
	id := e.conversation(t, "c0", "t1").ID
	_, err = e.svc.HandOff(t.Context(), "cam", workflow.HandOffRequest{Conversation: id, Team: "nobody"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	c, err := e.svc.HandOff(t.Context(), "cam", workflow.HandOffRequest{Conversation: id, Team: "support", Note: "billing"})
	require.NoError(t, err)
	assert.Equal(t, workflow.ConvHandedOff, c.State)
	ns := e.notes.Notices(workflow.NoticeInboxHandOff)
	require.Len(t, ns, 1)
	assert.Equal(t, []string{"dee"}, ns[0].To)
	for k, v := range map[string]string{"team": "support", "note": "billing", "author": "@fanr1", "text": "I want a refund <b>now</b>",
		"url": "https://fake.example/r1", "mood": "negative", "labels": "complaint", "conversation": id, "channel": "c0", "network": fakenet.Network} {
		assert.Equal(t, v, ns[0].Data[k], k)
	}
	_, err = e.svc.SetConversationState(t.Context(), "cam", id, workflow.ConvWaiting)
	var se *workflow.ConversationStateError
	require.ErrorAs(t, err, &se, "handed_off → waiting is not in the table")
	require.ErrorIs(t, err, socialflow.ErrConflict)
	c, err = e.svc.SetConversationState(t.Context(), "cam", id, workflow.ConvClosed)
	require.NoError(t, err)
	assert.True(t, c.Resolved.Equal(e.clock.Now()))
	_, err = e.svc.SetConversationState(t.Context(), "cam", id, workflow.ConvReplied)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	// A new item reopens a closed conversation.
	_, err = e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{incoming("c0", "r2", "t1", "hello?", inboxT0.Add(time.Minute))})
	require.NoError(t, err)
	c = e.conversation(t, "c0", "t1")
	assert.Equal(t, workflow.ConvAssigned, c.State, "reopened and routed again")
	assert.Equal(t, 1, c.Reopened)
	assert.True(t, c.Resolved.IsZero(), "open again")
}

// TestConversationTransitionTable: every pair of states is allowed
// exactly when the documented table says so.
func TestConversationTransitionTable(t *testing.T) {
	allowed := map[workflow.ConversationState]string{
		workflow.ConvNew: "assigned waiting replied closed handed_off spam", workflow.ConvAssigned: "new assigned waiting replied closed handed_off spam",
		workflow.ConvWaiting: "new assigned replied closed handed_off spam", workflow.ConvReplied: "new assigned waiting replied closed handed_off spam",
		workflow.ConvClosed: "new", workflow.ConvHandedOff: "new closed", workflow.ConvSpam: "new",
	}
	for _, from := range workflow.ConversationStates() {
		for _, to := range workflow.ConversationStates() {
			want := strings.Contains(" "+allowed[from]+" ", " "+string(to)+" ")
			err := workflow.ConversationTransition("c", from, to)
			assert.Equal(t, want, err == nil, "%s → %s", from, to)
		}
	}
	assert.Error(t, workflow.ConversationTransition("c", "bogus", workflow.ConvNew))
}

// TestInboxSurge: negative items passing the threshold within the window
// raise one alert, one audit event and pause the workspace — once per
// surge, whatever replica sees it.
func TestInboxSurge(t *testing.T) {
	e := newInboxEnv(t, 2)
	require.NoError(t, e.svc.SetInboxSettings(t.Context(), "boss", "w", workflow.InboxSettings{
		Surge: workflow.SurgeSettings{Threshold: 3, Window: 10 * time.Minute, Pause: true, Notify: []string{"boss"}}}))
	send := func(id, text string, at time.Time) {
		_, err := e.svc.IngestIncoming(t.Context(), "test", "c1", []networks.Incoming{incoming("c1", id, "", text, at)})
		require.NoError(t, err)
	}
	send("a", "awful", inboxT0.Add(-20*time.Minute)) // outside the window
	send("b", "awful", inboxT0.Add(-5*time.Minute))
	send("c", "thanks", inboxT0)
	send("d", "awful", inboxT0.Add(-time.Minute))
	assert.Empty(t, e.events(t, "inbox.surge"))
	send("e", "refund now", inboxT0)
	send("f", "awful", inboxT0)
	send("g", "awful", inboxT0)
	assert.Len(t, e.events(t, "inbox.surge"), 1, "audited once per surge")
	assert.Len(t, e.notes.Notices(workflow.NoticeInboxSurge), 1)
	wp, err := e.store.WorkspacePlan(t.Context(), "w")
	require.NoError(t, err)
	assert.True(t, wp.Paused)
	assert.True(t, wp.Inbox.SurgeState.Active)
	// Calm for an hour, then another surge.
	e.clock.Add(time.Hour)
	later := e.clock.Now()
	send("h", "awful", later)
	assert.False(t, mustPlan(t, e).Inbox.SurgeState.Active, "the surge ended")
	send("i", "awful", later)
	send("j", "awful", later)
	assert.Len(t, e.events(t, "inbox.surge"), 2)
}

func mustPlan(t testing.TB, e *inboxEnv) workflow.WorkspacePlan {
	wp, err := e.store.WorkspacePlan(t.Context(), "w")
	require.NoError(t, err)
	return wp
}

// TestInboxAuthorization: every inbox action, reads included, goes through
// the gate.
func TestInboxAuthorization(t *testing.T) {
	e := newInboxEnv(t, 2)
	_, err := e.svc.IngestIncoming(t.Context(), "test", "c1", []networks.Incoming{incoming("c1", "r1", "t1", "hi", inboxT0)})
	require.NoError(t, err)
	id := e.conversation(t, "c1", "t1").ID
	cases := []struct {
		name string
		call func() error
	}{
		{"analyst lists", func() error {
			_, err := e.svc.Conversations(t.Context(), "eve", workflow.ConversationQuery{Workspace: "w"})
			return err
		}},
		{"kim reads outside her channel", func() error { _, err := e.svc.Conversation(t.Context(), "kim", id); return err }},
		{"kim lists c1", func() error {
			_, err := e.svc.Conversations(t.Context(), "kim", workflow.ConversationQuery{Workspace: "w", Channel: "c1"})
			return err
		}},
		{"kim opens outside her channel", func() error { _, err := e.svc.OpenConversation(t.Context(), "kim", id); return err }},
		{"outsider reads", func() error { _, err := e.svc.Conversation(t.Context(), "nobody", id); return err }},
		{"community sets settings", func() error { return e.svc.SetInboxSettings(t.Context(), "cam", "w", workflow.InboxSettings{}) }},
		{"community assigns someone else", func() error { _, err := e.svc.AssignConversation(t.Context(), "cam", id, "dee"); return err }},
		{"assigning kim outside her scope", func() error { _, err := e.svc.AssignConversation(t.Context(), "boss", id, "kim"); return err }},
		{"analyst changes state", func() error {
			_, err := e.svc.SetConversationState(t.Context(), "eve", id, workflow.ConvClosed)
			return err
		}},
		{"analyst hands off", func() error {
			_, err := e.svc.HandOff(t.Context(), "eve", workflow.HandOffRequest{Conversation: id, Team: "x"})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			require.ErrorIs(t, err, socialflow.ErrForbidden)
			var fe *team.ForbiddenError
			assert.True(t, errors.As(err, &fe))
		})
	}
	// kim sees only c0's conversations when listing the workspace.
	cs, err := e.svc.Conversations(t.Context(), "kim", workflow.ConversationQuery{Workspace: "w"})
	require.NoError(t, err)
	assert.Empty(t, cs)
	c, err := e.svc.AssignConversation(t.Context(), "boss", id, "dee")
	require.NoError(t, err)
	assert.Equal(t, "dee", c.Assignee)
	assert.Len(t, e.notes.Notices(workflow.NoticeInboxAssigned), 2, "the rule's assignment and boss's")
}

// TestInboxHostileText: huge, invalid, markup-laden text is stored once,
// valid and bounded, and echoed quoted.
func TestInboxHostileText(t *testing.T) {
	e := newInboxEnv(t, 1)
	texts := []string{strings.Repeat("ü", MaxItemTextForTest()), "\xff\xfe bad \x00 nul", "<script>alert(1)</script>\u202e\x1b[31m", ""}
	for i, text := range texts {
		in := incoming("c0", fmt.Sprint("h", i), "", text, inboxT0)
		in.Author.Handle = "@\x00evil\xff"
		for range 2 {
			_, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{in})
			require.NoError(t, err)
		}
		items, err := e.store.ConversationItems(t.Context(), e.conversation(t, "c0", string(in.ID)).ID)
		require.NoError(t, err)
		require.Len(t, items, 1)
		got := items[0]
		assert.True(t, utf8.ValidString(got.Item.Text))
		assert.NotContains(t, got.Item.Text, "\x00")
		assert.LessOrEqual(t, len(got.Item.Text), workflow.MaxItemText)
		assert.True(t, utf8.ValidString(got.Item.Author.Handle))
		if i == 0 {
			assert.True(t, got.Truncated)
			assert.Equal(t, len(text), got.TextBytes)
		}
	}
	for _, n := range e.notes.Notices(workflow.NoticeInboxAssigned) {
		assert.NotContains(t, n.Summary, "\x1b", "control characters are escaped in notices")
		assert.LessOrEqual(t, utf8.RuneCountInString(n.Summary), 240)
	}
}

// MaxItemTextForTest is a repeat count that makes a text larger than
// MaxItemText.
func MaxItemTextForTest() int { return workflow.MaxItemText }

// TestInboxRefusesBadItems: an item without an ID or of another network
// is refused with a typed error naming the field; the rest are stored.
func TestInboxRefusesBadItems(t *testing.T) {
	e := newInboxEnv(t, 1)
	bad := incoming("c0", "", "", "x", inboxT0)
	other := incoming("c0", "o1", "", "x", inboxT0)
	other.Network = "mastodon"
	r, err := e.svc.IngestIncoming(t.Context(), "test", "c0", []networks.Incoming{bad, incoming("c0", "ok", "", "x", inboxT0), other})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Stored)
	require.Len(t, r.Refused, 2)
	var ve *workflow.ValidationError
	require.ErrorAs(t, r.Refused[0], &ve)
	assert.Equal(t, "items[0].id", ve.Field)
	require.ErrorAs(t, r.Refused[1], &ve)
	assert.Equal(t, "items[2].network", ve.Field)
	_, err = e.svc.IngestIncoming(t.Context(), "test", "nope", nil)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	_, err = workflow.ParseInboxSettings([]byte(`{"rules":[{"name":"a"},{"name":"a"}]}`))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = workflow.ParseInboxSettings([]byte(`{"rota":[{"member":"cam","zone":"Mars/Base","start":"08:00","end":"09:00"}]}`))
	require.ErrorContains(t, err, "inbox.rota[0].zone")
	_, err = workflow.ParseInboxSettings([]byte(`{"surge":{"threshold":3}}`))
	require.ErrorContains(t, err, "inbox.surge.window")
	_, err = workflow.NewInboxPoller(nil, e.conn)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = workflow.NewInboxPoller(e.svc, nil)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = workflow.NewInboxPoller(e.svc, e.conn, workflow.WithPollPages(0))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

var _ = analytics.SentimentNegative
var _ = context.Background
