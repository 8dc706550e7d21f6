package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/pgstore"
	"github.com/socialflow/socialflow/workflow/pgstore/internal/pgtest"
	"github.com/socialflow/socialflow/workflow/team"
)

// throwaway is a PostgreSQL of the test's own, started by
// .ci/postgres/start.sh --throwaway on a free port in a directory of its
// own: the test stops and starts it, never the machine's shared server.
type throwaway struct {
	dir, port, bindir string
	url               string
}

// startThrowaway starts the server, or skips (fails under CI) with the
// script's output when it cannot.
func startThrowaway(t *testing.T) *throwaway {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, ln.Close())
	// Not t.TempDir: the postgres user must reach the directory.
	dir, err := os.MkdirTemp("", "socialflow-pg-outage.")
	require.NoError(t, err)
	s := &throwaway{dir: dir, port: port, url: "postgres://postgres@127.0.0.1:" + port + "/test"}
	t.Cleanup(func() {
		cmd := exec.Command("bash", "../../.ci/postgres/stop.sh")
		cmd.Env = append(os.Environ(), "TMPDIR="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("stopping the throwaway server: %v\n%s", err, out)
		}
		_ = os.RemoveAll(dir)
	})
	if out, err := s.start(); err != nil {
		msg := fmt.Sprintf("the throwaway PostgreSQL did not start (.ci/postgres/start.sh --throwaway needs the postgresql package and root or the postgres user): %v\n%s", err, out)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	require.NotEmpty(t, bins)
	s.bindir = filepath.Dir(bins[len(bins)-1])
	return s
}

// start runs the script: initdb the first time, then pg_ctl start.
func (s *throwaway) start() ([]byte, error) {
	cmd := exec.Command("bash", "../../.ci/postgres/start.sh", "--throwaway")
	// TMPDIR keeps the script's marker file in the test's directory, so a
	// throwaway server CI itself started is never the one stop.sh finds.
	cmd.Env = append(os.Environ(), "THROWAWAY_PGPORT="+s.port, "SOCIALFLOW_PG_DIR="+s.dir, "TMPDIR="+s.dir)
	return cmd.CombinedOutput()
}

// stop stops the server fast: open connections are terminated.
func (s *throwaway) stop(t *testing.T) {
	t.Helper()
	ctl := fmt.Sprintf("'%s/pg_ctl' -D '%s/data' -m fast -w stop", s.bindir, s.dir)
	cmd := exec.Command("sh", "-c", ctl)
	if os.Getuid() == 0 {
		cmd = exec.Command("su", "postgres", "-s", "/bin/sh", "-c", ctl)
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// errLog keeps the errors the dispatchers log.
type errLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *errLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *errLog) WithGroup(string) slog.Handler            { return l }
func (l *errLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

func (l *errLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// TestDatabaseGoesAwayMidRun: two dispatchers (each a Service over a pool
// of its own) publish to one fake network while the PostgreSQL they share
// is stopped and started again. Every post ends published exactly once on
// the network's record, none is lost, the audit chain verifies with one
// outcome per target, and every error the dispatchers logged while the
// database was away is a *pgstore.DBError naming the operation and the
// cause, matching socialflow.ErrTransient.
func TestDatabaseGoesAwayMidRun(t *testing.T) {
	pgtest.URL(t) // PostgreSQL tests run when the URL is set (CI sets it)
	if testing.Short() {
		t.Skip("starts, stops and restarts a throwaway PostgreSQL")
	}
	srv := startThrowaway(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func() *pgstore.Store {
		st, err := pgstore.Open(ctx, srv.url, pgstore.WithSchema("outage"))
		require.NoError(t, err)
		t.Cleanup(st.Close)
		return st
	}
	st := open()
	require.NoError(t, st.Migrate(ctx))

	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", time.Now()))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "a", WorkspaceID: "w", Network: fakenet.Network}))
	spec := fakenet.DefaultSpec()
	spec.Rate = networks.RateLimits{}
	fnet := fakenet.New(fakenet.Options{Spec: spec, AllowDuplicateContent: true})
	pub, err := networks.NewPublisher(fnet.Adapter(), networks.WithRateLimits(networks.RateLimits{}))
	require.NoError(t, err)
	conns := &workflow.Connections{}
	conns.SetPublisher(fakenet.Network, pub)
	_, tok := fnet.Connect("a")
	conns.SetAccount("a", fnet.ConnectToken("a", tok))

	logs := &errLog{}
	svc, err := workflow.NewService(tm, st, workflow.WithLogger(slog.New(logs)))
	require.NoError(t, err)
	// The posts fall due over a few seconds, so some are published before
	// the outage, some during (publish done, outcome not recorded) and
	// some after.
	const n = 40
	start := time.Now().Add(300 * time.Millisecond)
	var ids []string
	for i := range n {
		p, err := svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "w", Channels: []string{"a"}, Content: workflow.Content{Text: fmt.Sprint("outage ", i)}})
		require.NoError(t, err)
		_, err = svc.Submit(ctx, "boss", p.ID)
		require.NoError(t, err)
		_, err = svc.Schedule(ctx, "boss", p.ID, start.Add(time.Duration(i)*100*time.Millisecond))
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	var wg sync.WaitGroup
	for i, s := range []*pgstore.Store{st, open()} {
		rsvc, err := workflow.NewService(svc.Team(), s, workflow.WithLogger(slog.New(logs)))
		require.NoError(t, err)
		d, err := workflow.NewDispatcher(rsvc, conns, workflow.WithHolder(fmt.Sprint("d", i)),
			workflow.WithLeaseTTL(2*time.Second), workflow.WithInterval(100*time.Millisecond), workflow.WithBatchSize(4))
		require.NoError(t, err)
		wg.Add(1)
		go func() { defer wg.Done(); _ = d.Run(ctx) }()
	}
	defer wg.Wait()
	defer cancel()

	waitFor := func(what string, within time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(within)
		for !ok() {
			require.True(t, time.Now().Before(deadline), "waited %s for %s", within, what)
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor("the first publishes", 20*time.Second, func() bool { return len(fnet.Posts()) >= n/4 })
	srv.stop(t)
	before := len(fnet.Posts())
	waitFor("the dispatchers to hit the outage", 20*time.Second, func() bool { return len(logs.all()) >= 6 })
	out, err := srv.start()
	require.NoError(t, err, "%s", out)
	waitFor("every target to settle", 60*time.Second, func() bool {
		for _, id := range ids {
			p, err := st.GetPost(ctx, id)
			if err != nil || p.Targets[0].State != workflow.TargetPublished {
				return false
			}
		}
		return true
	})
	cancel()
	wg.Wait()
	t.Logf("%d posts out before the outage, %d errors logged", before, len(logs.all()))

	assert.Empty(t, fnet.Duplicates(), "nothing published twice")
	seen := map[string]int{}
	for _, p := range fnet.Posts() {
		seen[p.Draft.Text]++
	}
	assert.Len(t, seen, n, "nothing lost")
	for text, c := range seen {
		assert.Equal(t, 1, c, text)
	}
	vctx := context.Background()
	require.NoError(t, svc.Audit().Verify(vctx, "w"))
	evs, err := svc.AuditTrail(vctx, "boss", "w", 0)
	require.NoError(t, err)
	published := 0
	for _, ev := range evs {
		if ev.Action == "target.published" {
			published++
		}
	}
	assert.Equal(t, n, published, "one outcome event per target")

	var outage int
	for _, err := range logs.all() {
		var dbe *pgstore.DBError
		if !errors.As(err, &dbe) {
			assert.Fail(t, "a logged error is not a pgstore.DBError", "%v", err)
			continue
		}
		outage++
		t.Logf("logged: %v", err)
		assert.ErrorIs(t, err, socialflow.ErrTransient, "%v", err)
		assert.NotEmpty(t, dbe.Op)
		assert.True(t, strings.Contains(err.Error(), "pgstore: "+dbe.Op+": "), "the error names the operation and the cause: %v", err)
	}
	assert.Positive(t, outage)
}
