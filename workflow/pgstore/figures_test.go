package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/pgstore"
	"github.com/socialflow/socialflow/workflow/pgstore/internal/pgtest"
	"github.com/socialflow/socialflow/workflow/team"
)

// EnvFigures turns on TestFigures, which takes minutes (it stores a million
// targets):
//
//	SOCIALFLOW_PG_FIGURES=1 SOCIALFLOW_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//	  go test -count=1 -run '^TestFigures$' -v -timeout 30m ./workflow/pgstore/
const envFigures = "SOCIALFLOW_PG_FIGURES"

// roundTrips counts what a pool sends to the server: every statement
// (Begin and Commit included, as pgx sends them as statements) and every
// batch as one.
type roundTrips struct {
	n      atomic.Int64
	mu     sync.Mutex
	byKind map[string]int // e.g. "SELECT due_targets", "begin"
}

// statementTable finds the first table a statement names.
var statementTable = regexp.MustCompile(`"[a-z0-9_]+"\.(\w+)`)

func (c *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	kind := strings.ToUpper(strings.Fields(d.SQL + " ?")[0])
	if m := statementTable.FindStringSubmatch(d.SQL); m != nil {
		kind += " " + m[1]
	}
	c.mu.Lock()
	if c.byKind == nil {
		c.byKind = map[string]int{}
	}
	c.byKind[kind]++
	c.mu.Unlock()
	return ctx
}

// perTarget lists the statement kinds by count per target, most first.
func (c *roundTrips) perTarget(n int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var kinds []string
	for k := range c.byKind {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b string) int { return c.byKind[b] - c.byKind[a] })
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %.2f", k, float64(c.byKind[k])/float64(n)))
	}
	return strings.Join(parts, ", ")
}
func (c *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// figStore is a migrated store in a fresh schema over a pool of its own
// whose round trips are counted.
func figStore(t *testing.T, conns int32) (*pgstore.Store, *roundTrips) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	require.NoError(t, err)
	rt := &roundTrips{}
	cfg.ConnConfig.Tracer = rt
	cfg.MaxConns = conns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	st, err := pgstore.New(pool, pgstore.WithSchema(pgtest.Schema(t)))
	require.NoError(t, err)
	require.NoError(t, st.Migrate(context.Background()))
	return st, rt
}

func figTeam(t *testing.T) *team.Team {
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "a", WorkspaceID: "w", Network: fakenet.Network}))
	return tm
}

// scheduledPost is a post scheduled on channel a at at, as the Service
// stores one (approval not required).
func scheduledPost(id string, at time.Time) workflow.Post {
	return workflow.Post{ID: id, Workspace: "w", Author: "boss", State: workflow.StateScheduled, Version: 1,
		Content: workflow.Content{Text: "figure " + id}, At: at, CreatedAt: at.Add(-time.Hour), UpdatedAt: at.Add(-time.Hour),
		Targets: []workflow.Target{{Channel: "a", Network: fakenet.Network, State: workflow.TargetScheduled, At: at}}}
}

// createPosts stores posts through the store, 8 at a time.
func createPosts(t *testing.T, st *pgstore.Store, posts []workflow.Post) {
	t.Helper()
	var wg sync.WaitGroup
	next := make(chan workflow.Post)
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				if _, err := st.CreatePost(context.Background(), p); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, p := range posts {
		next <- p
	}
	close(next)
	wg.Wait()
	close(errs)
	require.NoError(t, <-errs)
}

// fill copies the stored post template n times in SQL (ids f0000001...),
// each row in posts and, at the instants at(i) gives, in the table index
// names (due_targets or planned_targets): how the set-up reaches 100k and
// 1M rows in seconds rather than hours. The copies are never read by the
// figure measured; they are there to be skipped by the index.
func fill(t *testing.T, st *pgstore.Store, template string, n int, index string, from time.Time, step time.Duration) {
	t.Helper()
	ctx := context.Background()
	s := pgx.Identifier{st.Schema()}.Sanitize()
	_, err := st.Pool().Exec(ctx, `INSERT INTO `+s+`.posts (id, workspace, state, rev, doc, created_at, updated_at)
		SELECT 'f' || lpad(g::text, 7, '0'), workspace, state, rev, doc, created_at, updated_at
		FROM `+s+`.posts, generate_series(1, $2::int) g WHERE id = $1`, template, n)
	require.NoError(t, err)
	cols := "post, channel, workspace, at, at_ns"
	_, err = st.Pool().Exec(ctx, `INSERT INTO `+s+`.`+index+` (`+cols+`)
		SELECT 'f' || lpad(g::text, 7, '0'), 'a', 'w', $1::timestamptz + g * $2::interval, 0 FROM generate_series(1, $3::int) g`,
		from, step, n)
	require.NoError(t, err)
	_, err = st.Pool().Exec(ctx, `ANALYZE `+s+`.posts; ANALYZE `+s+`.`+index)
	require.NoError(t, err)
}

func percentile(d []time.Duration, p float64) time.Duration {
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// pgbenchTPS runs pgbench -N (simple writes) with clients clients for secs
// seconds on the test database, its tables in a schema of their own
// (search_path), and returns the TPS it reports.
func pgbenchTPS(t *testing.T, clients, secs int) float64 {
	t.Helper()
	url := pgtest.URL(t)
	schema := pgtest.Schema(t)
	_, err := pgtest.Pool(t).Exec(context.Background(), `CREATE SCHEMA `+schema)
	require.NoError(t, err)
	env := append(os.Environ(), "PGOPTIONS=-c search_path="+schema)
	run := func(args ...string) string {
		cmd := exec.Command("pgbench", args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "pgbench %s\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	run("-i", "-q", "-s", "1", url)
	out := run("-N", "-n", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 2)), "-T", strconv.Itoa(secs), url)
	m := regexp.MustCompile(`tps = ([0-9.]+)`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	tps, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	return tps
}

// plainStore hides the optional extensions of the store it wraps
// (workflow.Claimer, workflow.ChainAppender): the Dispatcher then reads the
// due index and acquires a lease per target, and the audit log appends
// with AppendEvent, as over a host's store that has neither.
type plainStore struct{ workflow.Store }

// throughput publishes n due targets end to end with k dispatchers (each
// its own Service over the one store, default concurrency): claim, intent,
// publish to fakenet, outcome, audit. It returns targets per second and the
// round trips per target. plain hides the store's optional extensions.
func throughput(t *testing.T, k, n int, plain bool) (float64, float64, string) {
	t.Helper()
	pst, rt := figStore(t, 16)
	var st workflow.Store = pst
	if plain {
		st = plainStore{pst}
	}
	tm := figTeam(t)
	svc, err := workflow.NewService(tm, st)
	require.NoError(t, err)
	due := time.Now().Add(-time.Minute)
	posts := make([]workflow.Post, n)
	for i := range posts {
		posts[i] = scheduledPost(fmt.Sprintf("p%06d", i), due.Add(time.Duration(i)*time.Millisecond))
	}
	createPosts(t, pst, posts)
	spec := fakenet.DefaultSpec()
	spec.Rate = networks.RateLimits{}
	fnet := fakenet.New(fakenet.Options{Spec: spec, AllowDuplicateContent: true})
	pub, err := networks.NewPublisher(fnet.Adapter(), networks.WithRateLimits(networks.RateLimits{}))
	require.NoError(t, err)
	conns := &workflow.Connections{}
	conns.SetPublisher(fakenet.Network, pub)
	_, tok := fnet.Connect("a")
	conns.SetAccount("a", fnet.ConnectToken("a", tok))
	var ds []*workflow.Dispatcher
	for i := range k {
		rsvc, err := workflow.NewService(svc.Team(), st)
		require.NoError(t, err)
		d, err := workflow.NewDispatcher(rsvc, conns, workflow.WithHolder(fmt.Sprint("d", i)))
		require.NoError(t, err)
		ds = append(ds, d)
	}
	var published atomic.Int64
	rt.n.Store(0)
	rt.mu.Lock()
	rt.byKind = nil
	rt.mu.Unlock()
	began := time.Now()
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for published.Load() < int64(n) {
				r, err := d.RunOnce(context.Background(), time.Now())
				if err != nil {
					t.Error(err)
					return
				}
				published.Add(int64(r.Published))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	trips := rt.n.Load()
	require.Equal(t, int64(n), published.Load())
	require.Empty(t, fnet.Duplicates())
	require.Len(t, fnet.Posts(), n)
	require.NoError(t, svc.Audit().Verify(context.Background(), "w"), "the audit chain is whole")
	return float64(n) / elapsed.Seconds(), float64(trips) / float64(n), rt.perTarget(n)
}

// TestFigures measures the figures of issue 14 in one run and logs them as
// table rows: dispatch throughput by 1, 2 and 4 dispatchers beside pgbench
// -N on the same database, round trips per target, claim latency with 100k
// due targets, and the month view at 10k and 1M stored targets. It runs only
// with SOCIALFLOW_PG_FIGURES=1 (see envFigures for the command).
func TestFigures(t *testing.T) {
	pgtest.URL(t)
	if os.Getenv(envFigures) == "" {
		t.Skip("set " + envFigures + "=1 to measure the figures (minutes)")
	}
	var rows []string
	row := func(format string, args ...any) {
		rows = append(rows, fmt.Sprintf(format, args...))
		t.Log(rows[len(rows)-1])
	}

	defer func() { t.Log("\n" + strings.Join(rows, "\n")) }()

	t.Run("throughput", func(t *testing.T) {
		// The machine is shared, so its load drifts: each dispatch row is
		// measured between two pgbench runs of its own, and its ratio is
		// to their mean TPS.
		const clients = 4
		for _, plain := range []bool{true, false} {
			path := "batch claims, chained audit appends"
			if plain {
				path = "per-target leases, AppendEvent (a store without the extensions)"
			}
			for _, k := range []int{1, 2, 4} {
				before := pgbenchTPS(t, clients, 5)
				rate, trips, kinds := throughput(t, k, 1000, plain)
				after := pgbenchTPS(t, clients, 5)
				tps := (before + after) / 2
				row("| dispatch end to end, %s, %d dispatcher(s), 1000 targets | %.0f targets/s; pgbench -N (%d clients, 5 s) %.0f before, %.0f after: ratio %.2f |",
					path, k, rate, clients, before, after, rate/tps)
				if k == 1 {
					row("| round trips per target, %s (pgx tracer, 1 dispatcher) | %.1f |", path, trips)
					t.Logf("round trips per target by statement: %s", kinds)
				}
			}
		}
	})
	t.Run("claim", func(t *testing.T) { claimLatency(t, row) })
	t.Run("month", func(t *testing.T) { monthView(t, row) })
}

// claimLatency measures claiming a batch with 100k due targets.
func claimLatency(t *testing.T, row func(string, ...any)) {
	st, _ := figStore(t, 4)
	createPosts(t, st, []workflow.Post{scheduledPost("template", time.Now().Add(24*time.Hour))})
	ctx := context.Background()
	base := time.Now().Add(-48 * time.Hour)
	fill(t, st, "template", 100_000, "due_targets", base, time.Second)
	now := time.Now()
	const batch, rounds = 8, 300
	var claim, acquire []time.Duration
	for range rounds {
		t0 := time.Now()
		cs, err := st.ClaimDue(ctx, "bench", now, time.Minute, batch)
		claim = append(claim, time.Since(t0))
		require.NoError(t, err)
		require.Len(t, cs, batch)
		for _, c := range cs {
			require.NoError(t, st.Release(ctx, c.Lease))
		}
		t0 = time.Now()
		due, err := st.DueTargets(ctx, workflow.DueQuery{Before: now, Limit: batch})
		require.NoError(t, err)
		var ls []workflow.Lease
		for _, e := range due {
			l, err := st.Acquire(ctx, workflow.TargetKey(e.Post, e.Channel), "bench", now, time.Minute)
			require.NoError(t, err)
			ls = append(ls, l)
		}
		acquire = append(acquire, time.Since(t0))
		for _, l := range ls {
			require.NoError(t, st.Release(ctx, l))
		}
	}
	row("| claim %d of 100k due: ClaimDue p50 / p99 | %v / %v |", batch, percentile(claim, 0.5).Round(time.Microsecond), percentile(claim, 0.99).Round(time.Microsecond))
	row("| claim %d of 100k due: DueTargets + %d Acquire p50 / p99 | %v / %v |", batch, batch, percentile(acquire, 0.5).Round(time.Microsecond), percentile(acquire, 0.99).Round(time.Microsecond))

}

// monthView measures the month view through the Service: 300 targets in
// the month viewed, the rest of the stored targets in other months.
func monthView(t *testing.T, row func(string, ...any)) {
	ctx := context.Background()
	var month [2]time.Duration
	for i, n := range []int{10_000, 1_000_000} {
		st, _ := figStore(t, 4)
		tm := figTeam(t)
		svc, err := workflow.NewService(tm, st)
		require.NoError(t, err)
		start := time.Date(2030, 3, 1, 0, 0, 0, 0, time.UTC)
		var posts []workflow.Post
		for j := range 300 {
			posts = append(posts, scheduledPost(fmt.Sprintf("m%03d", j), start.Add(time.Duration(j)*2*time.Hour)))
		}
		createPosts(t, st, posts)
		fill(t, st, "m000", n-300, "planned_targets", start.AddDate(0, 2, 0), time.Minute)
		day := start.AddDate(0, 0, 10)
		v, err := svc.MonthView(ctx, "boss", "w", day, "UTC", time.Monday)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(v.Entries()), 300)
		var ds []time.Duration
		for range 50 {
			t0 := time.Now()
			_, err := svc.MonthView(ctx, "boss", "w", day, "UTC", time.Monday)
			ds = append(ds, time.Since(t0))
			require.NoError(t, err)
		}
		month[i] = percentile(ds, 0.5)
	}
	row("| month view through the Service (300 in the month), 10k stored, p50 | %v |", month[0].Round(time.Microsecond))
	row("| month view through the Service (300 in the month), 1M stored, p50 | %v (%.2f× the 10k figure) |", month[1].Round(time.Microsecond), float64(month[1])/float64(month[0]))
}
