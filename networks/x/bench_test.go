package x_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/x/xtest"
)

// BenchmarkPublish publishes through the adapter to the fake; "bare" sends
// the same POST /2/tweets with net/http alone:
//
//	go test -run '^$' -bench BenchmarkPublish$ -benchmem ./networks/x
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		h := xtest.NewHarness(b)
		i := 0
		for b.Loop() {
			i++
			if _, err := h.Adapter().Publish(b.Context(), h.Account(), networks.Draft{Text: fmt.Sprint("bench ", i), Marker: fmt.Sprint("b", i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		h := xtest.NewHarness(b)
		hc, u := h.Server.Client(), h.Server.URL()+"/2/tweets"
		i := 0
		for b.Loop() {
			i++
			body, _ := json.Marshal(map[string]string{"text": fmt.Sprint("bench ", i)})
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, u, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+networktest.Secret)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out struct{ Data struct{ ID string } }
			err = json.NewDecoder(resp.Body).Decode(&out)
			_ = resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusCreated {
				b.Fatal(resp.StatusCode, err)
			}
		}
	})
}
