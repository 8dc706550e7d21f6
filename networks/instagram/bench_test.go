package instagram_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// BenchmarkPublish publishes one JPEG through the adapter (limit read,
// container, status, media_publish) to the fake; "bare" sends the same four
// calls with net/http, so the adapter's cost is the difference:
//
//	go test -run '^$' -bench BenchmarkPublish -benchmem ./networks/instagram
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		h := graphtest.NewInstagramHarness(b, graphtest.Options{PublishLimit: 1 << 30})
		i := 0
		for b.Loop() {
			i++
			d := h.Draft(i)
			d.Marker = fmt.Sprint("bench-", i)
			if _, err := h.Adapter().Publish(b.Context(), h.Account(), d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		srv := graphtest.NewServer(graphtest.Options{PublishLimit: 1 << 30})
		defer srv.Close()
		srv.IssueToken("tok", graphtest.InstagramUser, time.Time{})
		hc := srv.Client()
		base := srv.URL() + "/" + metagraph.DefaultVersion + "/" + graphtest.InstagramUser
		do := func(method, url string, body []byte) []byte {
			req, _ := http.NewRequestWithContext(b.Context(), method, url, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer tok")
			req.Header.Set("Content-Type", "application/json")
			res, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			defer res.Body.Close()
			out, _ := io.ReadAll(res.Body)
			return out
		}
		for b.Loop() {
			do("GET", base+"/content_publishing_limit?fields=quota_usage,config", nil)
			out := do("POST", base+"/media", []byte(`{"image_url":"https://cdn.example.com/x.jpg","caption":"bench"}`))
			id := string(bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(out), []byte(`{"id":"`)), []byte(`"}`)))
			do("GET", srv.URL()+"/"+metagraph.DefaultVersion+"/"+id+"?fields=id,status_code,status", nil)
			do("POST", base+"/media_publish", []byte(`{"creation_id":"`+id+`"}`))
		}
	})
}
