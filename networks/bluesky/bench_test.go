package bluesky_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/bluesky"
)

// go test -run '^$' -bench . -benchmem ./networks/bluesky
func BenchmarkDetectFacets(b *testing.B) {
	text := "héllo 👋 @alice.bsky.social, see https://example.com/a?b=1 and #golang #socialflow (@bob.test)"
	for b.Loop() {
		bluesky.DetectFacets(text)
	}
}

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

// BenchmarkPublishRealPDS publishes to the real PDS at SOCIALFLOW_PDS_URL
// (skipped without it).
func BenchmarkPublishRealPDS(b *testing.B) {
	ad, acct := realAccount(b)
	i := 0
	for b.Loop() {
		i++
		if _, err := ad.Publish(b.Context(), acct, networks.Draft{Text: "bench #go https://example.com", Marker: fmt.Sprint("rb", i, "-", acct.Handle)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublish publishes through the adapter (and the adapter kit) to
// the fake PDS; its "bare" sub-benchmark sends the same createRecord with a
// bare net/http round trip to the same fake, so the adapter's cost is the
// difference:
//
//	go test -run '^$' -bench BenchmarkPublish$ -benchmem ./networks/bluesky
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
		hc, u := fx.srv.Client(), fx.srv.URL()+"/xrpc/com.atproto.repo.createRecord"
		i := 0
		for b.Loop() {
			i++
			body, _ := json.Marshal(map[string]any{"repo": fx.did, "collection": "app.bsky.feed.post", "rkey": bluesky.RecordKey(fmt.Sprint("b", i), 0),
				"record": map[string]any{"$type": "app.bsky.feed.post", "text": "bench", "createdAt": "2026-11-23T12:00:00.000Z"}})
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, u, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+fx.tok.AccessToken)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out struct{ URI string }
			err = json.NewDecoder(resp.Body).Decode(&out)
			_ = resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Fatal(resp.StatusCode, err)
			}
		}
	})
}
