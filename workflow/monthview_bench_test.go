package workflow_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
)

// BenchmarkMonthViewService: a month view through the Service (authorized,
// scoped, built from the store's range index) with 10k and 1M targets
// stored. Every month holds the same 300 targets, so the figure shows what
// the view costs per stored target: nothing, when the index is O(log n + k).
//
//	go test -run '^$' -bench BenchmarkMonthViewService -benchmem ./workflow/
func BenchmarkMonthViewService(b *testing.B) {
	const perMonth = 300
	start := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("targets=%s", map[int]string{10_000: "10k", 1_000_000: "1M"}[n]), func(b *testing.B) {
			ctx := context.Background()
			store := memstore.New()
			tm := fixture(b)
			svc, err := workflow.NewService(tm, store)
			require.NoError(b, err)
			months := n / perMonth
			for i := range n {
				m, k := i%months, i/months
				at := start.AddDate(0, m, 0).Add(time.Duration(k) * 2 * time.Hour)
				p := workflow.Post{ID: fmt.Sprintf("p%07d", i), Workspace: "brand", Author: "boss", State: workflow.StateScheduled, Version: 1,
					Content: workflow.Content{Text: "hello"}, At: at,
					Targets: []workflow.Target{{Channel: "ig", Network: "instagram", State: workflow.TargetScheduled, At: at}}}
				_, err := store.CreatePost(ctx, p)
				require.NoError(b, err)
			}
			day := start.AddDate(0, months/2, 10)
			v, err := svc.MonthView(ctx, "boss", "brand", day, "UTC", time.Monday)
			require.NoError(b, err)
			require.GreaterOrEqual(b, len(v.Entries()), perMonth)
			runtime.GC() // the set-up's garbage is not the view's
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := svc.MonthView(ctx, "boss", "brand", day, "UTC", time.Monday); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
