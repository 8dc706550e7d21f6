package threads_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// BenchmarkPublish publishes one text post through the adapter (limit
// read, container, status, threads_publish) to the fake; "bare" sends the
// same four calls with net/http, so the adapter's cost is the difference:
//
//	go test -run '^$' -bench BenchmarkPublish -benchmem -benchtime 2000x ./networks/threads
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		h := graphtest.NewThreadsHarness(b, graphtest.ThreadsOptions{Options: graphtest.Options{PublishLimit: 1 << 30, CallBudget: 1 << 30}})
		i := 0
		for b.Loop() {
			i++
			if _, err := h.Adapter().Publish(b.Context(), h.Account(), networks.Draft{Text: "bench", Marker: fmt.Sprint("bench-", i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		srv := graphtest.NewThreadsServer(graphtest.ThreadsOptions{Options: graphtest.Options{PublishLimit: 1 << 30, CallBudget: 1 << 30}})
		defer srv.Close()
		srv.IssueToken("tok", graphtest.ThreadsUser, time.Time{})
		hc := srv.Client()
		base := srv.URL() + "/" + metagraph.ThreadsVersion + "/" + graphtest.ThreadsUser
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
			do("GET", base+"/threads_publishing_limit?fields=quota_usage,config,reply_quota_usage,reply_config", nil)
			out := do("POST", base+"/threads", []byte(`{"media_type":"TEXT","text":"bench"}`))
			id := string(bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(out), []byte(`{"id":"`)), []byte(`"}`)))
			do("GET", srv.URL()+"/"+metagraph.ThreadsVersion+"/"+id+"?fields=id,status,error_message", nil)
			do("POST", base+"/threads_publish", []byte(`{"creation_id":"`+id+`"}`))
		}
	})
}
