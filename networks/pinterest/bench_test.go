package pinterest_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks/pinterest/pinteresttest"
)

// BenchmarkPublish publishes an image pin by URL through the adapter to the
// fake; "bare" sends the same POST /v5/pins with bare net/http:
//
//	go test -run '^$' -bench 'BenchmarkPublish$' -benchmem -count 3 ./networks/pinterest
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		h := pinteresttest.NewHarness(b)
		i := 0
		for b.Loop() {
			i++
			if _, err := h.Pinterest().Publish(b.Context(), h.Account(), h.Draft(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		srv := pinteresttest.NewServer("tok")
		defer srv.Close()
		hc := srv.Client()
		body := []byte(`{"board_id":"` + srv.Board() + `","title":"networktest pin 1","description":"a description 1","link":"https://example.com/post",` +
			`"media_source":{"source_type":"image_url","url":"https://cdn.example.com/img/1.jpg"}}`)
		for b.Loop() {
			req, _ := http.NewRequest(http.MethodPost, srv.APIURL()+"/pins", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer tok")
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			if err != nil || resp.StatusCode != http.StatusCreated {
				b.Fatal(err, resp.Status)
			}
			_, _ = io.Copy(io.Discard, resp.Body) // drained, so the connection is reused as the kit's is
			resp.Body.Close()
		}
	})
}
