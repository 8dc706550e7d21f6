// Command integration-testing shows how a host product embeds socialflow and
// tests itself against fake networks: the product here is a tiny
// "announcer" that posts a release note to every channel of a workspace.
// main_test.go is the interesting part: it tests the announcer against
// fakenet and memstore, with injected faults, in virtual time.
//
//	go run ./examples/integration-testing
//	go test ./examples/integration-testing
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// Announcer is the host's product code: it announces releases.
type Announcer struct {
	svc       *workflow.Service
	dispatch  *workflow.Dispatcher
	workspace string
	bot       string // the member the announcer acts as
}

// Announce publishes text to every channel of the workspace now and returns
// the post's final state after one dispatch step.
func (a *Announcer) Announce(ctx context.Context, text string) (workflow.Post, error) {
	var chans []string
	for _, c := range a.svc.Team().Channels(a.workspace) {
		chans = append(chans, c.ID)
	}
	p, err := a.svc.CreatePost(ctx, a.bot, workflow.NewPost{Workspace: a.workspace, Channels: chans, Content: workflow.Content{Text: text}})
	if err != nil {
		return p, err
	}
	if _, err := a.svc.Submit(ctx, a.bot, p.ID); err != nil {
		return p, err
	}
	if _, err := a.svc.PublishNow(ctx, a.bot, p.ID); err != nil {
		return p, err
	}
	if _, err := a.dispatch.RunOnce(ctx, time.Now()); err != nil {
		return p, err
	}
	return a.svc.Post(ctx, a.bot, p.ID)
}

// NewAnnouncer wires the announcer on embedded defaults: memstore and the
// given fake networks, with a workspace holding one channel per network.
func NewAnnouncer(nets map[string]*fakenet.Net) (*Announcer, error) {
	tm, err := team.NewTeam()
	if err != nil {
		return nil, err
	}
	steps := []error{
		tm.AddOrganization(team.Organization{ID: "acme", Kind: team.OrgCompany}),
		tm.AddMember(team.Member{ID: "release-bot"}),
		tm.AddWorkspace(team.Workspace{ID: "acme", OrgID: "acme"}, "release-bot", time.Now()),
	}
	for name := range nets {
		steps = append(steps, tm.AddChannel(team.Channel{ID: "acme-" + name, WorkspaceID: "acme", Network: name}))
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	// One Publisher per network, one account per channel.
	conns := &workflow.Connections{}
	for name, n := range nets {
		pub, err := networks.NewPublisher(n.Adapter(), networks.WithMaxElapsedTime(time.Minute))
		if err != nil {
			return nil, err
		}
		conns.SetPublisher(name, pub)
		acct, tok := n.Connect("acme-" + name)
		acct.Tokens = oauth2.StaticTokenSource(tok)
		conns.SetAccount("acme-"+name, acct)
	}
	svc, d, err := workflow.New(context.Background(), workflow.Config{Team: tm, Store: memstore.New(), Connector: conns})
	if err != nil {
		return nil, err
	}
	return &Announcer{svc: svc, dispatch: d, workspace: "acme", bot: "release-bot"}, nil
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	net := fakenet.New(fakenet.Options{})
	a, err := NewAnnouncer(map[string]*fakenet.Net{fakenet.Network: net})
	if err != nil {
		return err
	}
	p, err := a.Announce(context.Background(), "socialflow v1.0 is out")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "announcement: %s\n", p.State)
	for _, t := range net.Posts() {
		fmt.Fprintf(w, "on %s: %q by %s\n", fakenet.Network, t.Draft.Text, t.AccountID)
	}
	return nil
}
