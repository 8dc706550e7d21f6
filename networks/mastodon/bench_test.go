package mastodon_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
)

// go test -run '^$' -bench . -benchmem ./networks/mastodon
func BenchmarkPublishFake(b *testing.B) {
	fx := newFixture(b)
	i := 0
	for b.Loop() {
		i++
		if _, err := fx.ad.Publish(b.Context(), fx.acct, networks.Draft{Text: "bench #go https://example.com", Marker: fmt.Sprint("b", i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublish publishes through the adapter (and the adapter kit) to
// the fake instance; its "bare" sub-benchmark sends the same POST
// /api/v1/statuses (body with the marker tag, Idempotency-Key, bearer
// token) with a bare net/http round trip to the same fake, so the
// adapter's cost is the difference:
//
//	go test -run '^$' -bench BenchmarkPublish$ -benchmem ./networks/mastodon
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		fx := newFixture(b)
		i := 0
		for b.Loop() {
			i++
			if _, err := fx.ad.Publish(b.Context(), fx.acct, networks.Draft{Text: "bench", Marker: fmt.Sprint("b", i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		fx := newFixture(b)
		hc, u := fx.srv.Client(), fx.srv.URL()+"/api/v1/statuses"
		i := 0
		for b.Loop() {
			i++
			marker := fmt.Sprint("b", i)
			body, _ := json.Marshal(map[string]any{"status": "bench" + mastodon.MarkerTag(marker)})
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, u, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", "Bearer "+fx.tok)
			req.Header.Set("Idempotency-Key", marker)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out struct {
				ID, URL, CreatedAt string
			}
			err = json.NewDecoder(resp.Body).Decode(&out)
			_ = resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Fatal(resp.StatusCode, err)
			}
		}
	})
}

// BenchmarkIncoming lists a full page of mention notifications
// ([mastodon.InboxPageSize]) from the fake instance through the adapter,
// with a cursor, so each iteration is one GET /api/v1/notifications and
// the mapping of its page:
//
//	go test -run '^$' -bench BenchmarkIncoming -benchmem ./networks/mastodon
func BenchmarkIncoming(b *testing.B) {
	fx := newFixture(b)
	first, err := fx.ad.Incoming(b.Context(), fx.acct, "")
	if err != nil {
		b.Fatal(err)
	}
	for i := range mastodon.InboxPageSize {
		if _, err := fx.srv.Arrive(mastodontest.Arrival{From: "u", Text: fmt.Sprintf("@user <b>hello</b> &amp; item %d https://example.com", i)}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		p, err := fx.ad.Incoming(b.Context(), fx.acct, first.Cursor)
		if err != nil || len(p.Items) != mastodon.InboxPageSize {
			b.Fatal(err, len(p.Items))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/mastodon.InboxPageSize, "ns/item")
}
