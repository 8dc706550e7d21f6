package tiktok_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
)

// BenchmarkPublish publishes a 64 KiB video through the adapter to the fake
// (creator_info/query, video/init, one PUT, one status read); "bare" sends
// the same four requests with bare net/http:
//
//	go test -run '^$' -bench 'BenchmarkPublish$' -benchmem -benchtime 2000x ./networks/tiktok
func BenchmarkPublish(b *testing.B) {
	b.Run("adapter", func(b *testing.B) {
		cap, _ := tiktok.NewPostCap(0)
		h := tiktoktest.NewHarness(b, tiktok.WithPostCap(cap))
		h.Server.SetRateLimits(false)
		h.Server.SetDailyCap(0)
		video := tiktoktest.SmallVideo(1, 64<<10)
		i := 0
		for b.Loop() {
			i++
			d := h.Draft(i)
			d.Media[0] = video
			if _, err := h.TikTok().Publish(b.Context(), h.Account(), d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		srv := tiktoktest.NewServer("tok")
		defer srv.Close()
		srv.SetRateLimits(false)
		srv.SetDailyCap(0)
		hc := srv.Client()
		file := bytes.Repeat([]byte{1}, 64<<10)
		post := func(path, body string, out any) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL()+path, bytes.NewReader([]byte(body)))
			req.Header.Set("Authorization", "Bearer tok")
			req.Header.Set("Content-Type", "application/json; charset=UTF-8")
			resp, err := hc.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(err, resp.Status)
			}
			defer resp.Body.Close()
			if out != nil {
				_ = json.NewDecoder(resp.Body).Decode(out)
			}
			_, _ = io.Copy(io.Discard, resp.Body) // drained, so the connection is reused
		}
		for b.Loop() {
			post("/v2/post/publish/creator_info/query/", "", nil)
			var init struct {
				Data struct {
					PublishID string `json:"publish_id"`
					UploadURL string `json:"upload_url"`
				} `json:"data"`
			}
			post("/v2/post/publish/video/init/", fmt.Sprintf(`{"post_info":{"title":"t","privacy_level":"PUBLIC_TO_EVERYONE"},"source_info":{"source":"FILE_UPLOAD","video_size":%d,"chunk_size":%[1]d,"total_chunk_count":1}}`, len(file)), &init)
			put, _ := http.NewRequest(http.MethodPut, init.Data.UploadURL, bytes.NewReader(file))
			put.Header.Set("Content-Type", "video/mp4")
			put.Header.Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(file)-1, len(file)))
			resp, err := hc.Do(put)
			if err != nil || resp.StatusCode != 201 {
				b.Fatal(err, resp.Status)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			post("/v2/post/publish/status/fetch/", `{"publish_id":"`+init.Data.PublishID+`"}`, nil)
		}
	})
}
