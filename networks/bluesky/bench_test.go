package bluesky_test

import (
	"fmt"
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
