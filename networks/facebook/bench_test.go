package facebook_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// BenchmarkPublish publishes a text post through the adapter (the Page
// token is derived once, then cached: one POST /{page-id}/feed per
// publish) to the fake; "bare" sends the same POST with net/http, so the
// adapter's cost is the difference:
//
//	go test -run '^$' -bench 'BenchmarkPublish$' -benchmem -count 3 ./networks/facebook
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		h := graphtest.NewFacebookHarness(b, graphtest.Options{CallBudget: 1 << 30})
		i := 0
		for b.Loop() {
			i++
			if _, err := h.Adapter().Publish(b.Context(), h.Account(), networks.Draft{Text: fmt.Sprint("bench post ", i), Marker: fmt.Sprint("bench-", i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		srv := graphtest.NewServer(graphtest.Options{CallBudget: 1 << 30})
		defer srv.Close()
		srv.AddPage(graphtest.FacebookUser, graphtest.FacebookPage, "Bench", "page-tok")
		hc := srv.Client()
		u := srv.URL() + "/" + metagraph.DefaultVersion + "/" + graphtest.FacebookPage + "/feed"
		i := 0
		for b.Loop() {
			i++
			body := []byte(fmt.Sprintf(`{"message":"bench post %d"}`, i))
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, u, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer page-tok")
			req.Header.Set("Content-Type", "application/json")
			res, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.ReadAll(res.Body)
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatal(res.Status)
			}
		}
	})
}
