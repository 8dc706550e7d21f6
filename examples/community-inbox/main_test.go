package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

var update = flag.Bool("update", false, "rewrite testdata/day.golden from the program's output")

const golden = "testdata/day.golden"

// TestDayMatchesGolden runs the day as `go run ./examples/community-inbox`
// does (seed 1) and compares its output with testdata/day.golden. Run
// `go test ./examples/community-inbox -update` to rewrite the file.
func TestDayMatchesGolden(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, options{seed: 1}))
	want, err := os.ReadFile(golden)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
		t.Logf("rewrote %s", golden)
		return
	}
	require.NoError(t, err, "run `go test ./examples/community-inbox -update` to create it")
	if got := out.String(); got != string(want) {
		diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: difflib.SplitLines(string(want)), B: difflib.SplitLines(got),
			FromFile: golden, ToFile: "go run ./examples/community-inbox", Context: 2,
		})
		t.Errorf("the day's output changed; if that is intended, run `go test ./examples/community-inbox -update`:\n%s", diff)
	}
}

// TestDayIsDeterministic: the same seed gives the same day, another seed
// another random traffic.
func TestDayIsDeterministic(t *testing.T) {
	var a, b, c bytes.Buffer
	require.NoError(t, run(t.Context(), &a, options{seed: 7}))
	require.NoError(t, run(t.Context(), &b, options{seed: 7}))
	require.NoError(t, run(t.Context(), &c, options{seed: 8}))
	assert.Equal(t, a.String(), b.String())
	assert.NotEqual(t, a.String(), c.String())
}

// TestDayBehaviour checks what the printed lines claim, on the networks and
// in the store, for several seeds of random traffic.
func TestDayBehaviour(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		var out bytes.Buffer
		res, err := runDay(t.Context(), &out, seed)
		require.NoError(t, err, "seed %d", seed)
		s := out.String()

		// Every item the networks listed is stored once, although they
		// listed many twice and the webhook delivered one again.
		listed := 0
		for ch, net := range res.nets {
			listed += len(net.Items(ch))
			assert.Empty(t, net.Duplicates(), "seed %d: nothing published twice on %s", seed, ch)
		}
		assert.Equal(t, listed, res.stored, "seed %d", seed)
		assert.Positive(t, res.duplicates, "seed %d: the fake listed items again", seed)
		assert.Contains(t, s, "the webhook delivers @nora's question again: 0 new, 1 listed again")

		// The conflict names cam and since when.
		assert.Contains(t, s, `is claimed by "cam" since 2026-03-31T07:12:00Z (until 2026-03-31T07:27:00Z)`)
		assert.Contains(t, s, `may not community.reply in workspace "bakery" channel "bakery-masto"`)

		// The question's answer and the complaint's approved answer are on
		// the network exactly once, under their items; the complaint's
		// went out once although the network lost its answer.
		masto := res.nets[chMasto]
		q := masto.Replies(res.question.ID)
		require.Len(t, q, 1, "seed %d", seed)
		assert.Equal(t, "Hi nora! We are open 10:00-16:00 on Easter Monday. See you soon — the Bakery team", q[0].Draft.Text)
		c := masto.Replies(res.complaint.ID)
		require.Len(t, c, 1, "seed %d", seed)
		assert.Equal(t, res.complaintRe.Marker, c[0].Marker)
		assert.Equal(t, 1, masto.Published(res.complaintRe.Marker))
		assert.Equal(t, 1, masto.Faults()[fakenet.KindLostResponse])
		assert.Equal(t, workflow.ReplySent, res.complaintRe.State)
		require.Len(t, res.complaintRe.Decisions, 1)
		assert.Equal(t, "max", res.complaintRe.Decisions[0].Approver, "sent only after max approved")

		// Assignment follows the rota, the delegation and the scopes.
		all, err := res.svc.Conversations(t.Context(), "mia", workflow.ConversationQuery{Workspace: workspace})
		require.NoError(t, err)
		require.NotEmpty(t, all)
		for _, cv := range all {
			if !strings.HasPrefix(cv.AssignedBy, "rule:") {
				continue
			}
			at := cv.Assigned
			assert.False(t, at.Before(oslo(8, 0)) || !at.Before(oslo(18, 0)), "seed %d: %s assigned at %s, outside every shift", seed, cv.ID, at)
			if cv.Channel == chMasto {
				assert.NotEqual(t, "kim", cv.Assignee, "seed %d: kim's scope is bakery-bsky only", seed)
			}
			switch {
			case at.Before(oslo(10, 0)):
				assert.Equal(t, "cam", cv.Assignee, "seed %d: only cam is on duty before 10:00", seed)
			case at.Before(oslo(13, 0)):
				assert.Contains(t, []string{"cam", "kim"}, cv.Assignee, "seed %d", seed)
			default:
				assert.NotEqual(t, "cam", cv.Assignee, "seed %d: dee covers cam's turns after 13:00 (%s at %s)", seed, cv.ID, at)
			}
		}
		for _, cv := range all {
			if cv.Opened.After(oslo(18, 0)) && cv.State != workflow.ConvSpam {
				assert.Empty(t, cv.Assignee, "seed %d: nobody is on duty after 18:00", seed)
			}
		}

		// Untrusted text is stored valid UTF-8, without NUL, bounded.
		for _, cv := range all {
			v, err := res.svc.Conversation(t.Context(), "mia", cv.ID)
			require.NoError(t, err)
			for _, it := range v.Items {
				assert.True(t, utf8.ValidString(it.Item.Text), "seed %d: %s", seed, it.ID)
				assert.NotContains(t, it.Item.Text, "\x00")
				assert.LessOrEqual(t, len(it.Item.Text), workflow.MaxItemText)
			}
		}
		// kim sees only the channel her membership covers.
		mine, err := res.svc.Conversations(t.Context(), "kim", workflow.ConversationQuery{Workspace: workspace})
		require.NoError(t, err)
		require.NotEmpty(t, mine)
		for _, cv := range mine {
			assert.Equal(t, chBsky, cv.Channel)
		}

		// One surge alert; one hand-off, to customer service.
		assert.Equal(t, 1, strings.Count(s, "ALERT inbox_surge to max,mia:"), "seed %d", seed)
		assert.Contains(t, s, "dee hands it off: notice inbox_hand_off to ola:")

		// The report covers both channels and every conversation.
		rep := res.report
		assert.Equal(t, len(all), rep.All.Conversations)
		require.Len(t, rep.ByChannel, 2)
		assert.Equal(t, chBsky, rep.ByChannel[0].Key)
		assert.Equal(t, chMasto, rep.ByChannel[1].Key)
		assert.True(t, rep.All.FirstMedian.OK)
		assert.LessOrEqual(t, rep.All.FirstMedian.D, rep.All.FirstP90.D)
		assert.Contains(t, s, "inbox report at 20:00")
	}
}

// TestFlags: the live run needs the server and both tokens.
func TestFlags(t *testing.T) {
	for _, o := range []options{{token: "t"}, {token2: "t"}, {server: "http://127.0.0.1:1"}, {server: "http://127.0.0.1:1", token: "t"}} {
		err := run(t.Context(), &bytes.Buffer{}, o)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "t\"", "no token echoed")
	}
	var out bytes.Buffer
	err := run(t.Context(), &out, options{server: "http://127.0.0.1:1", token: "secret-token-1", token2: "secret-token-2"})
	require.Error(t, err, "no server listens there")
	assert.NotContains(t, err.Error(), "secret-token")
}
