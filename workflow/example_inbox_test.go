package workflow_test

import (
	"context"
	"fmt"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// The community inbox end to end: a poller stores what arrived (each item
// once, grouped by thread, assigned by the rules), a member opens the
// conversation (claiming it) and replies, and the next step publishes the
// reply exactly once.
func ExampleInboxPoller() {
	ctx := context.Background()
	clock := &stepClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	tm, _ := team.NewTeam()
	_ = tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany})
	_ = tm.AddMember(team.Member{ID: "boss"})
	_ = tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", clock.Now())
	_ = tm.AddChannel(team.Channel{ID: "shop", WorkspaceID: "w", Network: fakenet.Network})
	_ = tm.AddMember(team.Member{ID: "cam"})
	_ = tm.Invite("boss", team.Membership{MemberID: "cam", WorkspaceID: "w", Role: team.RoleCommunity}, clock.Now())

	store := memstore.New()
	svc, err := workflow.NewService(tm, store, workflow.WithClock(clock))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Only cam answers the shop's channel.
	_ = svc.SetInboxSettings(ctx, "boss", "w", workflow.InboxSettings{Rules: []workflow.AssignRule{{Name: "shop", When: workflow.InboxCondition{Channels: []string{"shop"}}, Members: []string{"cam"}}}})

	net := fakenet.New(fakenet.Options{Now: clock.Now})
	src := newInboxNet(net) // an adapter with an InboxSource and a Replier
	pub, _ := networks.NewPublisher(src, networks.WithClock(clock))
	conns := &workflow.Connections{}
	conns.SetPublisher(fakenet.Network, pub)
	_, tok := net.Connect("shop")
	conns.SetAccount("shop", net.ConnectToken("shop", tok))

	ask := networks.Incoming{ID: "m1", AccountID: "shop", Kind: networks.ItemReply, Thread: "post-9",
		Author: networks.Author{ID: "u1", Handle: "@ola"}, Text: "Is the bakery open on Sunday?", At: clock.Now()}
	more := ask
	more.ID, more.Text, more.At = "m2", "And <b>Monday</b>?", clock.Now().Add(time.Minute)
	src.push("shop", ask, more, ask) // the network lists m1 twice

	poller, _ := workflow.NewInboxPoller(svc, conns, workflow.WithPollHolder("inbox-1"))
	r, _ := poller.RunOnce(ctx, clock.Now())
	fmt.Printf("stored %d, listed again %d\n", r.Ingest.Stored, r.Ingest.Duplicates)

	cs, _ := svc.Conversations(ctx, "cam", workflow.ConversationQuery{Workspace: "w"})
	c := cs[0]
	fmt.Printf("conversation on %s: %d items, %s to %s by %s\n", c.Channel, c.Items, c.State, c.Assignee, c.AssignedBy)

	if _, err := svc.OpenConversation(ctx, "cam", c.ID); err != nil {
		fmt.Println(err)
		return
	}
	reply, err := svc.Reply(ctx, "cam", workflow.ReplyRequest{Conversation: c.ID, Text: "Sunday 8–14, Monday closed!"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ = poller.RunOnce(ctx, clock.Now())
	c, _ = store.Conversation(ctx, c.ID)
	fmt.Printf("reply %s, on the network %d time(s); conversation %s\n", c.Reply(reply.ID).State, net.Published(reply.Marker), c.State)
	// Output:
	// stored 2, listed again 1
	// conversation on shop: 2 items, assigned to cam by rule:shop
	// reply sent, on the network 1 time(s); conversation replied
}
