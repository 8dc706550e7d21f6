package youtube_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks/youtube"
	"github.com/socialflow/socialflow/networks/youtube/youtubetest"
)

// BenchmarkPublish publishes a 64 KiB video through the adapter to the fake;
// "bare" sends the same session POST and single PUT with bare net/http:
//
//	go test -run '^$' -bench BenchmarkPublish$ -benchmem ./networks/youtube
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		q, _ := youtube.NewQuota(youtube.QuotaConfig{Units: 1 << 30, Inserts: 1 << 30})
		h := youtubetest.NewHarness(b, youtube.WithQuota(q))
		i := 0
		for b.Loop() {
			i++
			d := h.Draft(i)
			d.Media[0] = youtubetest.SmallVideo(i, 64<<10)
			if _, err := h.YouTube().Publish(b.Context(), h.Account(), d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		srv := youtubetest.NewServer("tok")
		defer srv.Close()
		hc := srv.Client()
		file := bytes.Repeat([]byte{1}, 64<<10)
		for b.Loop() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status",
				bytes.NewReader([]byte(`{"snippet":{"title":"t","description":"d"},"status":{"privacyStatus":"public"}}`)))
			req.Header.Set("Authorization", "Bearer tok")
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Upload-Content-Length", fmt.Sprint(len(file)))
			resp, err := hc.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(err, resp.Status)
			}
			resp.Body.Close()
			put, _ := http.NewRequest(http.MethodPut, resp.Header.Get("Location"), bytes.NewReader(file))
			put.Header.Set("Authorization", "Bearer tok")
			put.Header.Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(file)-1, len(file)))
			resp, err = hc.Do(put)
			if err != nil || resp.StatusCode != 201 {
				b.Fatal(err, resp.Status)
			}
			resp.Body.Close()
		}
	})
}
