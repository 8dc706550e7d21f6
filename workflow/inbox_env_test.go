package workflow_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// inboxNet is a small in-test adapter: fakenet with an inbox. Each
// account has a feed listed in order, a page at a time, with the cursor
// the index of the next item; the feed may repeat items and list them out
// of order, and every back-th listing returns a cursor that goes
// backwards, as real networks do. Replies go through fakenet's Publish, so
// its faults (lost responses) and its record of markers apply.
type inboxNet struct {
	networks.Adapter
	mu       sync.Mutex
	feeds    map[string][]networks.Incoming
	pageSize int
	back     int
	calls    int
}

func newInboxNet(n *fakenet.Net) *inboxNet {
	return &inboxNet{Adapter: n.Adapter(), feeds: map[string][]networks.Incoming{}, pageSize: 50}
}

func (a *inboxNet) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	return a.Adapter.(networks.Finder).FindByMarker(ctx, acct, marker)
}

func (a *inboxNet) Incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	if err := ctx.Err(); err != nil {
		return networks.IncomingPage{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	i := 0
	if cursor != "" {
		var err error
		if i, err = strconv.Atoi(cursor); err != nil {
			return networks.IncomingPage{}, &networks.RejectedError{Network: fakenet.Network, Op: networks.OpIncoming, Code: "400", Reason: "bad cursor"}
		}
	}
	feed := a.feeds[acct.ID]
	i = min(i, len(feed))
	j := min(i+a.pageSize, len(feed))
	page := networks.IncomingPage{Items: slices.Clone(feed[i:j]), Cursor: strconv.Itoa(j), More: j < len(feed)}
	a.calls++
	if a.back > 0 && a.calls%a.back == 0 && j >= 7 {
		page.Cursor = strconv.Itoa(j - 7) // the cursor goes backwards
	}
	return page, nil
}

func (a *inboxNet) Reply(ctx context.Context, acct networks.Account, to networks.Incoming, d networks.Draft) (networks.Receipt, error) {
	return a.Adapter.Publish(ctx, acct, d)
}

func (a *inboxNet) push(account string, items ...networks.Incoming) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.feeds[account] = append(a.feeds[account], items...)
}

// stepClock is a clock tests move by hand.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// lexicon is an in-test classifier: "awful" or "refund" is negative,
// "thanks" positive; "refund" labels complaint.
type lexicon struct{}

func (lexicon) Classify(_ context.Context, text, _ string) (analytics.Classification, error) {
	c := analytics.Classification{Sentiment: analytics.SentimentNeutral}
	for _, w := range []string{"awful", "refund"} {
		if containsWord(text, w) {
			c.Sentiment, c.Score = analytics.SentimentNegative, -0.8
		}
	}
	if containsWord(text, "refund") {
		c.Labels = []string{"complaint"}
	}
	if containsWord(text, "thanks") {
		c.Sentiment, c.Score = analytics.SentimentPositive, 0.7
	}
	return c, nil
}

func containsWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i:i+len(w)] == w {
			return true
		}
	}
	return false
}

// inboxEnv: workspace "w" with channels c0..c{n-1} on fakenet; boss
// (owner), cam and dee (community, all channels), kim (community, only
// c0), ann (approver), eve (analyst).
type inboxEnv struct {
	store *memstore.Store
	svc   *workflow.Service
	net   *fakenet.Net
	src   *inboxNet
	conn  *workflow.Connections
	notes *workflow.Inbox
	clock *stepClock
}

var inboxT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

func inboxTeam(t testing.TB, channels int) *team.Team {
	t.Helper()
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", inboxT0))
	for i := range channels {
		require.NoError(t, tm.AddChannel(team.Channel{ID: fmt.Sprintf("c%d", i), WorkspaceID: "w", Network: fakenet.Network, Zone: "Europe/Oslo"}))
	}
	for _, m := range []struct {
		id, role string
		chans    []string
	}{{"cam", team.RoleCommunity, nil}, {"dee", team.RoleCommunity, nil}, {"kim", team.RoleCommunity, []string{"c0"}}, {"ann", team.RoleApprover, nil}, {"eve", team.RoleAnalyst, nil}} {
		require.NoError(t, tm.AddMember(team.Member{ID: m.id}))
		require.NoError(t, tm.Invite("boss", team.Membership{MemberID: m.id, WorkspaceID: "w", Role: m.role, Channels: m.chans}, inboxT0))
	}
	return tm
}

func newInboxEnv(t testing.TB, channels int, opts ...workflow.ServiceOption) *inboxEnv {
	t.Helper()
	e := &inboxEnv{store: memstore.New(), notes: &workflow.Inbox{}, clock: &stepClock{t: inboxT0}}
	e.net = fakenet.New(fakenet.Options{Spec: unlimitedSpec(), AllowDuplicateContent: true, Now: e.clock.Now})
	e.src = newInboxNet(e.net)
	var err error
	e.svc, err = workflow.NewService(inboxTeam(t, channels), e.store, append([]workflow.ServiceOption{
		workflow.WithNotifier(e.notes), workflow.WithClock(e.clock), workflow.WithClassifier(lexicon{})}, opts...)...)
	require.NoError(t, err)
	e.conn = e.connect(t, e.src)
	return e
}

// connect wires a Publisher over adapter and one account per channel.
func (e *inboxEnv) connect(t testing.TB, adapter networks.Adapter) *workflow.Connections {
	t.Helper()
	c := &workflow.Connections{}
	pub, err := networks.NewPublisher(adapter, networks.WithMaxAttempts(3), networks.WithClock(e.clock))
	require.NoError(t, err)
	c.SetPublisher(fakenet.Network, pub)
	for _, ch := range e.svc.Team().Channels("w") {
		_, tok := e.net.Connect(ch.ID)
		c.SetAccount(ch.ID, e.net.ConnectToken(ch.ID, tok))
	}
	return c
}

func (e *inboxEnv) poller(t testing.TB, svc *workflow.Service, name string) *workflow.InboxPoller {
	t.Helper()
	if svc == nil {
		svc = e.svc
	}
	p, err := workflow.NewInboxPoller(svc, e.conn, workflow.WithPollHolder(name), workflow.WithPollPages(1000))
	require.NoError(t, err)
	return p
}

func incoming(channel, id, thread, text string, at time.Time) networks.Incoming {
	return networks.Incoming{Network: fakenet.Network, AccountID: channel, ID: networks.RemoteID(id), Kind: networks.ItemReply,
		Author: networks.Author{ID: "did:" + id, Handle: "@fan" + id, Name: "Fan " + id}, Text: text, At: at, Thread: thread,
		InReplyTo: "post-1", URL: "https://fake.example/" + id, Lang: "en"}
}

func (e *inboxEnv) conversation(t testing.TB, channel, thread string) workflow.Conversation {
	t.Helper()
	c, err := e.store.Conversation(context.Background(), workflow.ConversationID(fakenet.Network, channel, thread))
	require.NoError(t, err)
	return c
}

func (e *inboxEnv) events(t testing.TB, action string) []workflow.Event {
	t.Helper()
	evs, err := e.store.Events(context.Background(), "w", 0, 0)
	require.NoError(t, err)
	var out []workflow.Event
	for _, ev := range evs {
		if action == "" || ev.Action == action {
			out = append(out, ev)
		}
	}
	return out
}
