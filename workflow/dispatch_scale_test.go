package workflow_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// BenchmarkDispatchScale measures the real time the dispatcher spends per
// dispatched target (claim, re-check, record intent, publish to fakenet,
// record outcome, audit) with many posts already stored: mostly published
// long ago, some drafts, and some scheduled far ahead (so the due index is
// not empty either). Each op is one due target, scheduled with the timer
// stopped, in steps of up to 100 due targets (the Dispatcher's default
// concurrency). The cost must not grow with the posts stored.
//
//	go test -run '^$' -bench BenchmarkDispatchScale -benchmem ./workflow
//	SOCIALFLOW_BENCH_1M=1 go test -run '^$' -bench 'BenchmarkDispatchScale/posts=1M' -benchmem ./workflow
func BenchmarkDispatchScale(b *testing.B) {
	sizes := []struct {
		name string
		n    int
	}{{"posts=1k", 1_000}, {"posts=100k", 100_000}, {"posts=1M", 1_000_000}}
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			if sz.n >= 1_000_000 && testing.Short() {
				b.Skip("short: 1M posts")
			}
			e := newDispatchEnv(b, fakenet.Options{Spec: unlimitedSpec(), AllowDuplicateContent: true})
			seedPosts(b, e, sz.n)
			d, err := workflow.NewDispatcher(e.svc, e.connect(b))
			require.NoError(b, err)
			// The first step checks the wiring once; keep it out of the figure.
			_, err = d.RunOnce(context.Background(), time.Now())
			require.NoError(b, err)
			// Steps of up to 100 due targets, scheduled with the timer
			// stopped: an op is one dispatched target.
			b.ResetTimer()
			for done := 0; done < b.N; {
				k := min(100, b.N-done)
				b.StopTimer()
				for i := range k {
					e.scheduled(b, fmt.Sprint("bench ", done+i), time.Now().Add(-time.Second))
				}
				b.StartTimer()
				r, err := d.RunOnce(context.Background(), time.Now())
				if err != nil || r.Published != k {
					b.Fatalf("step: %+v, %v", r, err)
				}
				done += k
			}
		})
	}
}

// seedPosts stores n posts straight into the store: 90 % published a year
// ago, 5 % drafts, 5 % scheduled a year ahead.
func seedPosts(b *testing.B, e dispatchEnv, n int) {
	b.Helper()
	ctx := context.Background()
	old := time.Now().AddDate(-1, 0, 0)
	ahead := time.Now().AddDate(1, 0, 0)
	for i := range n {
		p := workflow.Post{ID: fmt.Sprintf("seed-%07d", i), Workspace: "w", Author: "boss", Version: 1,
			Content: workflow.Content{Text: fmt.Sprint("seeded ", i)}, CreatedAt: old, UpdatedAt: old}
		tg := workflow.Target{Channel: "a", Network: fakenet.Network}
		switch i % 20 {
		case 0:
			p.State, tg.State = workflow.StateDraft, workflow.TargetPending
		case 1:
			p.State, p.At, tg.State, tg.At = workflow.StateScheduled, ahead.Add(time.Duration(i)*time.Second), workflow.TargetScheduled, ahead.Add(time.Duration(i)*time.Second)
		default:
			p.State, p.At, tg.State, tg.At = workflow.StatePublished, old, workflow.TargetPublished, old
			tg.Outcome = workflow.TargetResult{RemoteID: fmt.Sprint("r", i), PublishedAt: old, Attempts: 1}
		}
		p.Targets = []workflow.Target{tg}
		_, err := e.store.CreatePost(ctx, p)
		require.NoError(b, err)
	}
}
