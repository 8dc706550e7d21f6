package facebook_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/upload/uploadtest"
)

// videoFile is a video item read from src.
func videoFile(src *uploadtest.Source) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: src.Size, Width: 1280, Height: 720, Duration: time.Minute},
		Open: src.Open}
}

// TestUploadSurvivesCutConnections uploads a 64 MiB video through the
// Resumable Upload API over real sockets while the fake drops the
// connection at 30, 60 and 90 % of the file: each time the adapter asks
// the session for its offset and resumes from there, seeking a seekable
// source or opening a plain one again. The file arrives whole (SHA-256),
// the fake reads each byte once, and the heap stays far below the file.
//
//	go test -run TestUploadSurvivesCutConnections -v ./networks/facebook
func TestUploadSurvivesCutConnections(t *testing.T) {
	const size = 64 << 20
	for _, seek := range []bool{true, false} {
		t.Run(fmt.Sprintf("seekable=%t", seek), func(t *testing.T) {
			h := graphtest.NewFacebookHarness(t, graphtest.Options{})
			h.Server.CutUploads(0.3, 0.6, 0.9)
			heap := uploadtest.NewHeapPeak()
			src := &uploadtest.Source{Size: size, Seekable: seek, Heap: heap}
			r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "a long video",
				Media: []networks.MediaItem{videoFile(src)}, Marker: "upload-cut"})
			peak := heap.Peak()
			require.NoError(t, err)
			assert.Equal(t, networks.StatusPending, r.Status)
			require.Contains(t, h.Server.PageVideos(graphtest.FacebookPage), string(r.ID))
			sum, ok := h.Server.UploadSum("4::" + lastUploadID(h) + "-handle")
			require.True(t, ok, "the upload completed")
			assert.Equal(t, src.SHA256(), sum, "the file arrived whole")
			assert.Equal(t, int64(size), h.Server.UploadReceived(), "the fake read each byte once")
			wantOpens := 1
			if !seek {
				wantOpens = 4
			}
			assert.Equal(t, wantOpens, src.Opens(), "a plain source is opened again for each resume")
			t.Logf("64 MiB, cut at 30/60/90 %%: received %d bytes for %d (%.2f×), read %d from the source (%.2f×), %d opening(s), peak heap %.1f MiB",
				h.Server.UploadReceived(), size, float64(h.Server.UploadReceived())/size, src.Read(), float64(src.Read())/size, src.Opens(), float64(peak)/(1<<20))
			assert.Less(t, peak, uint64(size/2), "the file is never held in memory")
		})
	}
}

// lastUploadID is the id (without "upload:") of the harness's last upload
// session, read from the request log.
func lastUploadID(h *graphtest.FacebookHarness) string {
	id := ""
	for _, q := range h.Server.Requests() {
		if q.Method == "POST" {
			if _, rest, ok := cutUpload(q.Path); ok {
				id = rest
			}
		}
	}
	return id
}

func cutUpload(path string) (string, string, bool) {
	const marker = "/upload:"
	for i := 0; i+len(marker) <= len(path); i++ {
		if path[i:i+len(marker)] == marker {
			return path[:i], path[i+len(marker):], true
		}
	}
	return "", "", false
}

func TestUploadFailures(t *testing.T) {
	t.Run("a source shorter than its size", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		item := videoFile(&uploadtest.Source{Size: 1 << 20})
		item.Size = 2 << 20
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "short", Media: []networks.MediaItem{item}, Marker: "short"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
		assert.Contains(t, err.Error(), "ended after")
		assert.Empty(t, h.Server.PageVideos(graphtest.FacebookPage), "no video")
	})
	t.Run("the source cannot be opened", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		item := videoFile(&uploadtest.Source{Size: 1 << 20})
		item.Open = func(context.Context) (io.ReadCloser, error) { return nil, errors.New("blob store down") }
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Media: []networks.MediaItem{item}, Marker: "open"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
		assert.Contains(t, err.Error(), "blob store down")
	})
	t.Run("the source gives no reader", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		item := videoFile(&uploadtest.Source{Size: 1 << 20})
		item.Open = func(context.Context) (io.ReadCloser, error) { return nil, nil }
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Media: []networks.MediaItem{item}, Marker: "nil"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
		pic := photo(1)
		pic.URL, pic.Open = "", item.Open
		_, err = h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Media: []networks.MediaItem{pic}, Marker: "nil2"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
	})
	t.Run("the session stops making progress", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		h.Server.CutUploads(0.5, 0.5, 0.5, 0.5, 0.5)
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x",
			Media: []networks.MediaItem{videoFile(&uploadtest.Source{Size: 1 << 20, Seekable: true})}, Marker: "stall"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
		assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown, "an upload publishes nothing")
		assert.Contains(t, err.Error(), "without progress")
		assert.Empty(t, h.Server.PageVideos(graphtest.FacebookPage))
	})
	t.Run("an app id Meta does not know", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{}, facebook.WithAppID("999"))
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x",
			Media: []networks.MediaItem{videoFile(&uploadtest.Source{Size: 1 << 20, Seekable: true})}, Marker: "app"})
		require.ErrorIs(t, err, socialflow.ErrRejected, "a setup mistake, not a missing post")
		assert.NotErrorIs(t, err, socialflow.ErrNotFound)
		assert.Contains(t, err.Error(), "app id")
	})
}
