package workflow_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// Example wires the whole workflow as a host does: a team, a store, a
// Publisher per network with an account per channel, approval routing, and
// one call to workflow.New; then a post goes from draft through approval
// to the network, and the audit chain verifies.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := networks.ClockFunc(func() time.Time { return now })
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}

	// The team: Ana owns the workspace, Cat writes, Leo approves.
	tm, err := team.NewTeam()
	must(err)
	must(tm.AddOrganization(team.Organization{ID: "acme", Kind: team.OrgCompany}))
	for _, id := range []string{"ana", "cat", "leo"} {
		must(tm.AddMember(team.Member{ID: id, OrgID: "acme"}))
	}
	must(tm.AddWorkspace(team.Workspace{ID: "shop", OrgID: "acme"}, "ana", now))
	must(tm.AddChannel(team.Channel{ID: "shop-fake", WorkspaceID: "shop", Network: fakenet.Network}))
	must(tm.Invite("ana", team.Membership{MemberID: "cat", WorkspaceID: "shop", Role: team.RoleCreator}, now))
	must(tm.Invite("ana", team.Membership{MemberID: "leo", WorkspaceID: "shop", Role: team.RoleApprover}, now))

	// One Publisher per network, one account per channel.
	net := fakenet.New(fakenet.Options{Now: clock.Now})
	pub, err := networks.NewPublisher(net.Adapter(), networks.WithClock(clock))
	must(err)
	conns := &workflow.Connections{}
	conns.SetPublisher(fakenet.Network, pub)
	acct, tok := net.Connect("shop-fake")
	acct.Tokens = oauth2.StaticTokenSource(tok)
	conns.SetAccount("shop-fake", acct)

	// Every post of the workspace needs Leo's approval.
	router, err := approval.ParseRouter([]byte(`{
	  "policies": {"brand": {"name": "brand", "kind": "required", "stages": [{"approvers": {"members": ["leo"]}}]}},
	  "rules": [], "default": "brand"}`))
	must(err)

	svc, disp, err := workflow.New(ctx, workflow.Config{
		Team: tm, Store: memstore.New(), Connector: conns, Router: router, Clock: clock,
		AuditKey: []byte("example audit key"),
	})
	must(err)

	p, err := svc.CreatePost(ctx, "cat", workflow.NewPost{Workspace: "shop", Channels: []string{"shop-fake"},
		Content: workflow.Content{Text: "Spring sale starts Monday"}})
	must(err)
	p, err = svc.Submit(ctx, "cat", p.ID)
	must(err)
	fmt.Println("submitted:", p.State)
	p, err = svc.Decide(ctx, "leo", workflow.DecideRequest{Post: p.ID, Verdict: approval.Approve})
	must(err)
	fmt.Println("decided:", p.State)
	p, err = svc.Schedule(ctx, "ana", p.ID, now.Add(time.Hour))
	must(err)
	fmt.Println("scheduled:", p.State)

	now = now.Add(time.Hour)
	rep, err := disp.RunOnce(ctx, now)
	must(err)
	p, err = svc.Post(ctx, "ana", p.ID)
	must(err)
	fmt.Println("published:", rep.Published, p.State)
	for _, np := range net.Posts() {
		fmt.Println("on the network:", np.Draft.Text)
	}
	must(svc.Audit().Verify(ctx, "shop"))
	events, err := svc.AuditTrail(ctx, "ana", "shop", 0)
	must(err)
	fmt.Println("audit events:", len(events), "chain verified")
	// Output:
	// submitted: in_review
	// decided: approved
	// scheduled: scheduled
	// published: 1 published
	// on the network: Spring sale starts Monday
	// audit events: 5 chain verified
}
