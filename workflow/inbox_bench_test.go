package workflow_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
)

// BenchmarkInboxIngest: items ingested and assigned per second on the
// memstore (classified by the default lexicon classifier, stored once,
// grouped, routed round robin, audited), in pages of 100 over 10 channels,
// five items per conversation.
//
//	go test -run '^$' -bench BenchmarkInboxIngest -benchmem ./workflow
func BenchmarkInboxIngest(b *testing.B) {
	lex, err := analytics.NewLexiconClassifier(analytics.DefaultLexicon())
	if err != nil {
		b.Fatal(err)
	}
	e := newInboxEnv(b, 10, workflow.WithClassifier(lex))
	ctx := context.Background()
	page := make([]networks.Incoming, 0, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; {
		ch := fmt.Sprintf("c%d", (i/100)%10)
		page = page[:0]
		for j := 0; j < 100 && i < b.N; j, i = j+1, i+1 {
			page = append(page, incoming(ch, fmt.Sprint("b", i), fmt.Sprint("bt", i/5), "hello, is this awful or fine?", inboxT0.Add(time.Duration(i)*time.Millisecond)))
		}
		r, err := e.svc.IngestIncoming(ctx, "bench", ch, page)
		if err != nil || r.Stored != len(page) {
			b.Fatalf("ingest: %+v %v", r, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
	cs, _ := e.store.Conversations(ctx, workflow.ConversationQuery{Workspace: "w", Limit: 1})
	if b.N >= 5 && (len(cs) == 0 || cs[0].Assignee == "") {
		b.Fatal("conversations were not assigned")
	}
}
