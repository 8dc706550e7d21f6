// Command replica is the process of pgstore's multi-process test
// (TestReplicasAcrossProcesses). It has two modes:
//
//	replica mastodon                 serve a fake Mastodon API (mastodontest) on loopback;
//	                                 prints "URL=... TOKEN=... DUMP=..." and serves until killed
//	replica dispatch URL SCHEMA MASTODON TOKEN HOLDER
//	                                 run a Service and a Dispatcher over the PostgreSQL
//	                                 schema, publishing to the fake Mastodon, until killed
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/pgstore"
	"github.com/socialflow/socialflow/workflow/team"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: replica mastodon | replica dispatch URL SCHEMA MASTODON TOKEN HOLDER")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "mastodon":
		err = serve()
	case "dispatch":
		if len(os.Args) != 7 {
			err = fmt.Errorf("dispatch needs URL SCHEMA MASTODON TOKEN HOLDER")
			break
		}
		err = dispatch(os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "replica:", err)
		os.Exit(1)
	}
}

// serve runs the fake Mastodon and a loopback endpoint that dumps the
// statuses it holds as JSON: the network's own record.
func serve() error {
	srv := mastodontest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(mastodon.Scopes...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() {
		_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_ = json.NewEncoder(w).Encode(srv.Statuses())
		}))
	}()
	fmt.Printf("URL=%s TOKEN=%s DUMP=http://%s\n", srv.URL(), tok, ln.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	<-stop
	return nil
}

// team is the team every process and the test use: workspace w with the
// Mastodon channel m, member boss.
func newTeam() (*team.Team, error) {
	tm, err := team.NewTeam()
	if err != nil {
		return nil, err
	}
	if err := tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}); err != nil {
		return nil, err
	}
	if err := tm.AddMember(team.Member{ID: "boss"}); err != nil {
		return nil, err
	}
	if err := tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		return nil, err
	}
	return tm, tm.AddChannel(team.Channel{ID: "m", WorkspaceID: "w", Network: mastodon.Network})
}

// connector publishes every channel to the one fake Mastodon.
type connector struct {
	pub  *networks.Publisher
	acct networks.Account
}

func (c connector) Connect(context.Context, team.Channel) (*networks.Publisher, networks.Account, error) {
	return c.pub, c.acct, nil
}

func dispatch(url, schema, base, token, holder string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	st, err := pgstore.Open(ctx, url, pgstore.WithSchema(schema))
	if err != nil {
		return err
	}
	defer st.Close()
	tm, err := newTeam()
	if err != nil {
		return err
	}
	svc, err := workflow.NewService(tm, st)
	if err != nil {
		return err
	}
	ad, err := mastodon.New(http.DefaultClient)
	if err != nil {
		return err
	}
	// The test publishes far more than a real account may in its window:
	// the Publisher's own limit is lifted, the fake server's stays.
	pub, err := networks.NewPublisher(ad, networks.WithRateLimits(networks.RateLimits{}))
	if err != nil {
		return err
	}
	acct := networks.Account{ID: "m", Network: mastodon.Network, Handle: "@m", BaseURL: base,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})}
	d, err := workflow.NewDispatcher(svc, connector{pub: pub, acct: acct}, workflow.WithHolder(holder),
		workflow.WithLeaseTTL(3*time.Second), workflow.WithInterval(200*time.Millisecond), workflow.WithBatchSize(8))
	if err != nil {
		return err
	}
	fmt.Println("READY")
	err = d.Run(ctx)
	if ctx.Err() != nil {
		return nil
	}
	return err
}
