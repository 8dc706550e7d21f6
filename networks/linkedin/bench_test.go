package linkedin_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/linkedin/linkedintest"
	"github.com/socialflow/socialflow/networks/networktest"
)

// BenchmarkPublish publishes a text post through the adapter (and the
// adapter kit) to the fake; "bare" sends the same POST /rest/posts with a
// bare net/http round trip to the same fake, so the adapter's cost is the
// difference:
//
//	go test -run '^$' -bench BenchmarkPublish$ -benchmem ./networks/linkedin
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		h := linkedintest.NewHarness(b, linkedintest.Organization, linkedintest.Options{})
		i := 0
		for b.Loop() {
			i++
			if _, err := h.Adapter().Publish(b.Context(), h.Account(), networks.Draft{Text: fmt.Sprint("bench ", i), Marker: fmt.Sprint("b", i)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		h := linkedintest.NewHarness(b, linkedintest.Organization, linkedintest.Options{})
		hc, u := h.Server.Client(), h.Server.URL()+"/rest/posts"
		i := 0
		for b.Loop() {
			i++
			body, _ := json.Marshal(map[string]any{"author": linkedintest.Organization, "commentary": fmt.Sprint("bench ", i), "visibility": "PUBLIC",
				"lifecycleState": "PUBLISHED", "distribution": map[string]any{"feedDistribution": "MAIN_FEED"}})
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, u, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+networktest.Secret)
			req.Header.Set("LinkedIn-Version", "202605")
			req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body) // drain, so the connection is reused as the kit does
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusCreated || resp.Header.Get("x-restli-id") == "" {
				b.Fatal(resp.StatusCode)
			}
		}
	})
}
