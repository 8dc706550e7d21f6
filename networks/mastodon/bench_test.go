package mastodon_test

import (
	"fmt"
	"testing"

	"github.com/socialflow/socialflow/networks"
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
