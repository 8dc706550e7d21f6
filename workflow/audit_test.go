package workflow_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
)

func trail(t testing.TB, n int, key []byte) (*memstore.Store, *workflow.AuditLog) {
	t.Helper()
	s := memstore.New()
	log := workflow.NewAuditLog(s, key)
	for i := range n {
		_, err := log.Append(context.Background(), workflow.Event{
			At: t0, Actor: "ana", Action: "post.edit", Object: fmt.Sprintf("post:p%d", i), Version: i,
			Data: map[string]string{"k": "v"},
		})
		require.NoError(t, err)
	}
	return s, log
}

func TestAuditDetectsTampering(t *testing.T) {
	key := []byte("audit-key")
	for _, tt := range []struct {
		name   string
		tamper func([]workflow.Event) []workflow.Event
		kind   workflow.TamperKind
		seq    int64
	}{
		{"intact", func(e []workflow.Event) []workflow.Event { return e }, "", 0},
		{"edited actor", func(e []workflow.Event) []workflow.Event { e[2].Actor = "mallory"; return e }, workflow.TamperEdited, 3},
		{"edited data", func(e []workflow.Event) []workflow.Event { e[1].Data = map[string]string{"k": "w"}; return e }, workflow.TamperEdited, 2},
		{"edited time", func(e []workflow.Event) []workflow.Event { e[0].At = e[0].At.Add(1); return e }, workflow.TamperEdited, 1},
		{"removed middle", func(e []workflow.Event) []workflow.Event { return slices.Delete(e, 2, 3) }, workflow.TamperRemoved, 4},
		{"removed first", func(e []workflow.Event) []workflow.Event { return e[1:] }, workflow.TamperRemoved, 2},
		{"removed last two but one", func(e []workflow.Event) []workflow.Event { return slices.Delete(e, 3, 4) }, workflow.TamperRemoved, 5},
		{"swapped", func(e []workflow.Event) []workflow.Event { e[1], e[2] = e[2], e[1]; return e }, workflow.TamperReordered, 3},
		{"swapped first two", func(e []workflow.Event) []workflow.Event { e[0], e[1] = e[1], e[0]; return e }, workflow.TamperReordered, 2},
		{"moved back", func(e []workflow.Event) []workflow.Event { e[3], e[2] = e[2], e[3]; e[2], e[1] = e[1], e[2]; return e }, workflow.TamperReordered, 4},
		{"moved to the end", func(e []workflow.Event) []workflow.Event { m := e[1]; e = slices.Delete(e, 1, 2); return append(e, m) }, workflow.TamperReordered, 3},
		{"moved to the front", func(e []workflow.Event) []workflow.Event {
			m := e[4]
			e = slices.Delete(e, 4, 5)
			return slices.Insert(e, 0, m)
		}, workflow.TamperReordered, 5},
		{"duplicated", func(e []workflow.Event) []workflow.Event { return slices.Insert(e, 2, e[1]) }, workflow.TamperInserted, 2},
		{"duplicated first at the end", func(e []workflow.Event) []workflow.Event { return append(e, e[0]) }, workflow.TamperInserted, 1},
		{"forged event inserted", func(e []workflow.Event) []workflow.Event {
			forged := e[2]
			forged.Actor = "mallory"
			return slices.Insert(e, 2, forged)
		}, workflow.TamperInserted, 3},
		{"forged event with its own number inserted", func(e []workflow.Event) []workflow.Event {
			forged := workflow.Event{Seq: 99, Actor: "mallory", Action: "post.approve", Prev: e[0].Hash, Hash: e[0].Hash}
			return slices.Insert(e, 1, forged)
		}, workflow.TamperInserted, 99},
		{"edited sequence number", func(e []workflow.Event) []workflow.Event { e[2].Seq = 7; return e }, workflow.TamperEdited, 7},
		{"edited hash", func(e []workflow.Event) []workflow.Event { e[3].Hash = e[2].Hash; return e }, workflow.TamperEdited, 4},
		{"renumbered and rehashed without the key", func(e []workflow.Event) []workflow.Event {
			e = slices.Delete(e, 1, 2)
			for i := range e {
				e[i].Seq = int64(i + 1)
			}
			return e
		}, workflow.TamperEdited, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, log := trail(t, 5, key)
			s.Tamper("", tt.tamper)
			err := log.Verify(t.Context(), "")
			if tt.kind == "" {
				require.NoError(t, err)
				return
			}
			var te *workflow.TamperError
			require.ErrorAs(t, err, &te)
			require.ErrorIs(t, err, socialflow.ErrConflict)
			assert.Equal(t, tt.kind, te.Kind)
			assert.Equal(t, tt.seq, te.Seq)
		})
	}
}

func TestAuditHeadDetectsTruncation(t *testing.T) {
	s, log := trail(t, 4, nil)
	head, err := log.Head(t.Context(), "")
	require.NoError(t, err)
	s.Tamper("", func(e []workflow.Event) []workflow.Event { return e[:3] })
	events, err := s.Events(t.Context(), "", 0, 0)
	require.NoError(t, err)
	require.NoError(t, workflow.VerifyChain(events, nil), "a truncated chain is still a chain")
	var te *workflow.TamperError
	require.ErrorAs(t, workflow.VerifyHead(events, nil, head), &te)
	assert.Equal(t, workflow.TamperHead, te.Kind)
}

func TestAuditKeyMatters(t *testing.T) {
	s, _ := trail(t, 3, []byte("k1"))
	events, err := s.Events(t.Context(), "", 0, 0)
	require.NoError(t, err)
	require.NoError(t, workflow.VerifyChain(events, []byte("k1")))
	require.ErrorIs(t, workflow.VerifyChain(events, []byte("k2")), socialflow.ErrConflict)
}

// FuzzAuditChain flips one byte of one field of one event: the chain must
// never verify afterwards, and verification never panics.
func FuzzAuditChain(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint16(0), byte(1))
	f.Add(uint8(3), uint8(2), uint16(5), byte(0x80))
	f.Add(uint8(2), uint8(6), uint16(64), byte(0xff))
	s, _ := trail(f, 4, []byte("key"))
	orig, err := s.Events(context.Background(), "", 0, 0)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, idx, field uint8, pos uint16, x byte) {
		if x == 0 {
			return
		}
		events := slices.Clone(orig)
		e := &events[int(idx)%len(events)]
		flip := func(s string) string {
			if s == "" {
				return string([]byte{x})
			}
			b := []byte(s)
			b[int(pos)%len(b)] ^= x
			return string(b)
		}
		switch field % 7 {
		case 0:
			e.Actor = flip(e.Actor)
		case 1:
			e.Action = flip(e.Action)
		case 2:
			e.Object = flip(e.Object)
		case 3:
			e.Hash = flip(e.Hash)
		case 4:
			e.Prev = flip(e.Prev)
		case 5:
			e.Summary = flip(e.Summary)
		case 6:
			e.Version ^= int(x)
		}
		if workflow.VerifyChain(events, []byte("key")) == nil {
			t.Fatalf("a changed event verified: %+v", *e)
		}
	})
}

func TestTransitions(t *testing.T) {
	for _, tt := range []struct {
		from    workflow.State
		act     workflow.Action
		reset   bool
		partial bool
		want    workflow.State // "" means refused
	}{
		{workflow.StateDraft, workflow.ActSubmit, false, false, workflow.StateInReview},
		{workflow.StateInReview, workflow.ActApprove, false, false, workflow.StateApproved},
		{workflow.StateInReview, workflow.ActRequestChanges, false, false, workflow.StateChangesRequested},
		{workflow.StateChangesRequested, workflow.ActSubmit, false, false, workflow.StateInReview},
		{workflow.StateApproved, workflow.ActEdit, true, false, workflow.StateInReview},
		{workflow.StateApproved, workflow.ActEdit, false, false, workflow.StateApproved},
		{workflow.StateScheduled, workflow.ActEdit, true, false, workflow.StateInReview},
		{workflow.StateApproved, workflow.ActSchedule, false, false, workflow.StateScheduled},
		{workflow.StateScheduled, workflow.ActPublishStart, false, false, workflow.StatePublishing},
		{workflow.StatePublishing, workflow.ActPublished, false, true, workflow.StatePartial},
		{workflow.StatePublishing, workflow.ActUnconfirmed, false, false, workflow.StateUnconfirmed},
		{workflow.StateUnconfirmed, workflow.ActPublished, false, false, workflow.StatePublished},
		{workflow.StateFailed, workflow.ActRetry, false, false, workflow.StateScheduled},
		{workflow.StateScheduled, workflow.ActCancel, false, false, workflow.StateCancelled},
		{workflow.StateCancelled, workflow.ActRestore, false, false, workflow.StateDraft},
		{workflow.StatePublished, workflow.ActArchive, false, false, workflow.StateArchived},
		// refused
		{workflow.StateDraft, workflow.ActApprove, false, false, ""},
		{workflow.StateDraft, workflow.ActSchedule, false, false, ""},
		{workflow.StatePublished, workflow.ActEdit, false, false, ""},
		{workflow.StatePublishing, workflow.ActCancel, false, false, ""},
		{workflow.StateArchived, workflow.ActSubmit, false, false, ""},
		{workflow.StatePublished, workflow.ActPublished, false, false, ""},
	} {
		t.Run(fmt.Sprintf("%s/%s", tt.from, tt.act), func(t *testing.T) {
			got, err := workflow.Transition("p1", tt.from, tt.act, tt.reset, tt.partial)
			if tt.want == "" {
				var te *workflow.TransitionError
				require.ErrorAs(t, err, &te)
				require.ErrorIs(t, err, socialflow.ErrConflict)
				assert.Equal(t, tt.from, te.State)
				assert.Equal(t, tt.act, te.Action)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDiff(t *testing.T) {
	for _, tt := range []struct{ a, b, want string }{
		{"Big sale today", "Big sale tomorrow", "Big sale [-today-]{+tomorrow+}"},
		{"a b c", "a b c", "a b c"},
		{"", "new text", "{+new text+}"},
		{"Only 9 € this week!", "Only 7 € this week! #ad", "Only [-9 -]{+7 +}€ this [-week!-]{+week! #ad+}"},
	} {
		spans := workflow.Diff(tt.a, tt.b)
		assert.Equal(t, tt.want, workflow.FormatDiff(spans))
		var a, b string
		for _, s := range spans {
			if s.Op != workflow.DiffInsert {
				a += s.Text
			}
			if s.Op != workflow.DiffDelete {
				b += s.Text
			}
		}
		assert.Equal(t, tt.a, a)
		assert.Equal(t, tt.b, b)
	}
}

// TestAuditLogNeverPrintsItsKey walks the audit log with every formatting
// verb and both slog handlers: the key never appears, in any encoding.
func TestAuditLogNeverPrintsItsKey(t *testing.T) {
	key := []byte("audit-key-s3cret")
	_, log := trail(t, 1, key)
	secrets := []string{string(key), fmt.Sprint(key), fmt.Sprintf("%x", key), fmt.Sprintf("%q", key),
		base64.StdEncoding.EncodeToString(key), fmt.Sprintf("%#v", key), strings.Trim(fmt.Sprint(key), "[]")}
	var outs []string
	for _, v := range []any{log, *log} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
			out := fmt.Sprintf(verb, v)
			if verb != "%x" && verb != "%X" {
				outs = append(outs, out)
			}
			for _, s := range secrets {
				assert.NotContains(t, out, s)
			}
		}
		for _, h := range []func(io.Writer) slog.Handler{
			func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
			func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		} {
			var b bytes.Buffer
			slog.New(h(&b)).Info("audit", "log", v, slog.Any("any", v), slog.Group("g", "log", v))
			outs = append(outs, b.String())
		}
	}
	for _, out := range outs {
		for _, s := range secrets {
			assert.NotContains(t, out, s)
		}
		assert.Contains(t, out, "keyed", "the output still says the log is keyed: %s", out)
	}
	assert.Equal(t, "workflow.AuditLog{key: none}", workflow.NewAuditLog(memstore.New(), nil).String())
}

// TestAuditChainsPerWorkspace: each workspace's chain verifies on its own,
// numbered from 1; an event moved from one chain into another is caught.
func TestAuditChainsPerWorkspace(t *testing.T) {
	s := memstore.New()
	log := workflow.NewAuditLog(s, []byte("k"))
	for i := range 6 {
		ws := []string{"w1", "w2", ""}[i%3]
		e, err := log.Append(t.Context(), workflow.Event{At: t0, Workspace: ws, Actor: "ana", Action: "post.edit", Object: fmt.Sprint("post:p", i)})
		require.NoError(t, err)
		assert.Equal(t, int64(i/3+1), e.Seq, "numbered within %q", ws)
	}
	for _, ws := range []string{"w1", "w2", ""} {
		require.NoError(t, log.Verify(t.Context(), ws))
		head, err := log.Head(t.Context(), ws)
		require.NoError(t, err)
		evs, err := s.Events(t.Context(), ws, 0, 0)
		require.NoError(t, err)
		require.NoError(t, workflow.VerifyHead(evs, []byte("k"), head))
	}
	w2, err := s.Events(t.Context(), "w2", 0, 0)
	require.NoError(t, err)
	s.Tamper("w1", func(e []workflow.Event) []workflow.Event { return append(e, w2[1]) })
	var te *workflow.TamperError
	require.ErrorAs(t, log.Verify(t.Context(), "w1"), &te)
	assert.Equal(t, workflow.TamperInserted, te.Kind)
	assert.Equal(t, 2, te.Index)
	require.NoError(t, log.Verify(t.Context(), "w2"), "the other chain is untouched")
}

// plainAudit hides memstore's workflow.ChainAppender: an AuditLog over it
// appends one event at a time with AppendEvent, as over a host's store
// without the extension.
type plainAudit struct{ workflow.Store }

// TestAuditLogsSharingAStoreKeepOneChain: replicas' audit logs over one
// store remember heads the others make stale; over a ChainAppender (batched
// appends) and without one, concurrent appends from every log, and a
// tampered store, still give one whole chain or a refusal, never a fork.
func TestAuditLogsSharingAStoreKeepOneChain(t *testing.T) {
	for _, chained := range []bool{true, false} {
		t.Run(fmt.Sprint("chained=", chained), func(t *testing.T) {
			ms := memstore.New()
			var s workflow.Store = ms
			if !chained {
				s = plainAudit{ms}
			}
			key := []byte("k")
			logs := []*workflow.AuditLog{workflow.NewAuditLog(s, key), workflow.NewAuditLog(s, key), workflow.NewAuditLog(s, key)}
			var wg sync.WaitGroup
			for i := range 90 {
				wg.Go(func() {
					e, err := logs[i%3].Append(context.Background(), workflow.Event{At: t0, Workspace: "w", Actor: "ana", Action: "post.edit", Object: fmt.Sprint("post:", i)})
					assert.NoError(t, err)
					assert.Positive(t, e.Seq)
					assert.NotEmpty(t, e.Hash)
				})
			}
			wg.Wait()
			require.NoError(t, logs[1].Verify(t.Context(), "w"))
			all, err := s.Events(t.Context(), "w", 0, 0)
			require.NoError(t, err)
			require.Len(t, all, 90)

			// Someone rewrites the last event in the store: the head the
			// logs remember is stale, and the next append chains after
			// the stored head, so the tampering stays visible where it is.
			ms.Tamper("w", func(es []workflow.Event) []workflow.Event {
				es[len(es)-1].Summary, es[len(es)-1].Hash = "forged", strings.Repeat("0", 64)
				return es
			})
			e, err := logs[0].Append(t.Context(), workflow.Event{At: t0, Workspace: "w", Actor: "ana", Action: "post.edit", Object: "post:x"})
			require.NoError(t, err)
			assert.Equal(t, int64(91), e.Seq)
			var te *workflow.TamperError
			require.ErrorAs(t, logs[0].Verify(t.Context(), "w"), &te)
			assert.Equal(t, int64(90), te.Seq)
		})
	}
}

func TestAuditAppendWithADoneContextStoresNothing(t *testing.T) {
	s := memstore.New()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := workflow.NewAuditLog(s, nil).Append(ctx, workflow.Event{At: t0, Workspace: "w", Action: "post.edit"})
	require.ErrorIs(t, err, context.Canceled)
	_, ok, err := s.LastEvent(t.Context(), "w")
	require.NoError(t, err)
	assert.False(t, ok)
}
