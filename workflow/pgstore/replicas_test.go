package pgstore_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/pgstore/internal/pgtest"
	"github.com/socialflow/socialflow/workflow/team"
)

// proc is one child process of the replica binary.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func start(t *testing.T, bin string, args ...string) (*proc, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err, "the %s process did not start", args[0])
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-p.done })
	return p, strings.TrimSpace(line)
}

func (p *proc) kill() { _ = p.cmd.Process.Signal(syscall.SIGKILL); <-p.done }

func replicaTeam(t *testing.T) *team.Team {
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "m", WorkspaceID: "w", Network: mastodon.Network}))
	return tm
}

// TestReplicasAcrossProcesses: three OS processes, each a Service and a
// Dispatcher over one PostgreSQL schema, publish to one fake Mastodon
// served by a fourth process over loopback HTTP. Dispatchers are killed
// with SIGKILL at random moments and restarted. The network's own record
// must hold every post exactly once, and every target must end published
// (or, if not, with a cause).
func TestReplicasAcrossProcesses(t *testing.T) {
	url := pgtest.URL(t)
	if testing.Short() {
		t.Skip("builds and runs several processes")
	}
	t.Parallel()
	st := pgtest.Store(t)
	bin := filepath.Join(t.TempDir(), "replica")
	build := exec.Command("go", "build", "-o", bin, "./internal/replica")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	_, line := start(t, bin, "mastodon")
	var base, token, dump string
	_, err := fmt.Sscanf(line, "URL=%s TOKEN=%s DUMP=%s", &base, &token, &dump)
	require.NoError(t, err, line)

	ctx := t.Context()
	svc, err := workflow.NewService(replicaTeam(t), st)
	require.NoError(t, err)
	const n = 60
	now := time.Now()
	for i := range n {
		p, err := svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "w", Channels: []string{"m"}, Content: workflow.Content{Text: fmt.Sprintf("replica post %d", i)}})
		require.NoError(t, err)
		_, err = svc.Submit(ctx, "boss", p.ID)
		require.NoError(t, err)
		_, err = svc.Schedule(ctx, "boss", p.ID, now.Add(time.Duration(i%10)*100*time.Millisecond))
		require.NoError(t, err)
	}

	var (
		mu    sync.Mutex
		procs = make([]*proc, 3)
	)
	run := func(i int, gen int) {
		p, ready := start(t, bin, "dispatch", url, st.Schema(), base, token, fmt.Sprintf("proc-%d-%d", i, gen))
		require.Equal(t, "READY", ready)
		mu.Lock()
		procs[i] = p
		mu.Unlock()
	}
	for i := range procs {
		run(i, 0)
	}
	// Kill and restart dispatchers at random moments for a while.
	rng := rand.New(rand.NewPCG(1, uint64(now.UnixNano())))
	kills := 0
	for gen := 1; time.Since(now) < 6*time.Second; gen++ {
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		i := rng.IntN(len(procs))
		procs[i].kill()
		kills++
		run(i, gen)
	}
	// Then let them finish: nothing left due, every target settled.
	deadline := time.Now().Add(60 * time.Second)
	var posts []workflow.Post
	for time.Now().Before(deadline) {
		posts, err = st.ListPosts(ctx, workflow.PostQuery{Workspace: "w"})
		require.NoError(t, err)
		settled := 0
		for _, p := range posts {
			switch p.Targets[0].State {
			case workflow.TargetPublished, workflow.TargetFailed, workflow.TargetUnconfirmed:
				settled++
			}
		}
		if settled == n {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	resp, err := http.Get(dump)
	require.NoError(t, err)
	defer resp.Body.Close()
	var statuses []mastodontest.Status
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&statuses))

	seen := map[string]int{}
	for _, s := range statuses {
		// The adapter appends an invisible idempotency marker (tag
		// characters, U+E0000 block) to the text.
		seen[strings.TrimRightFunc(s.Text, func(r rune) bool { return r >= 0xE0000 && r <= 0xE007F })]++
	}
	states := map[string]int{}
	for _, p := range posts {
		tg := p.Targets[0]
		states[fmt.Sprintf("%s/%s cause=%q", p.State, tg.State, tg.Outcome.Cause)]++
	}
	t.Logf("states: %v", states)
	published := 0
	for _, p := range posts {
		tg := p.Targets[0]
		switch tg.State {
		case workflow.TargetPublished:
			published++
			assert.NotEmpty(t, tg.Outcome.RemoteID, p.ID)
		default:
			assert.NotEmpty(t, tg.Outcome.Cause, "post %s ended %s without a cause", p.ID, tg.State)
		}
	}
	t.Logf("%d kills; %d statuses on the network; %d targets published", kills, len(statuses), published)
	assert.Equal(t, n, published, "none lost")
	for i := range n {
		text := fmt.Sprintf("replica post %d", i)
		assert.Equal(t, 1, seen[text], "%q on the network", text)
	}
	assert.Len(t, statuses, n, "nothing else, nothing twice")
}
