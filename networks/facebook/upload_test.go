package facebook_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// pattern is a synthetic file: byte i is a function of i, so any offset
// can be produced without holding the file.
type pattern struct {
	size, off int64
	read      *atomic.Int64 // bytes read from every opening
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.size-p.off))
	for i := range n {
		x := uint64(p.off + int64(i))
		b[i] = byte(x*2654435761>>13 ^ x)
	}
	p.off += int64(n)
	p.read.Add(int64(n))
	return n, nil
}

func (p *pattern) Close() error { return nil }

// seekable adds io.Seeker to a pattern.
type seekable struct{ *pattern }

func (s seekable) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekStart || off < 0 || off > s.size {
		return 0, errors.New("bad seek")
	}
	s.off = off
	return off, nil
}

func patternSum(size int64) []byte {
	h := sha256.New()
	_, _ = io.Copy(h, &pattern{size: size, read: new(atomic.Int64)})
	return h.Sum(nil)
}

// videoFile is a video item of size bytes read from a pattern; opens
// counts the openings.
func videoFile(size int64, seek bool, read *atomic.Int64, opens *atomic.Int32) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: size, Width: 1280, Height: 720, Duration: time.Minute},
		Open: func(context.Context) (io.ReadCloser, error) {
			opens.Add(1)
			p := &pattern{size: size, read: read}
			if seek {
				return seekable{p}, nil
			}
			return p, nil
		}}
}

// heapPeak samples the heap in use until stop is called, and returns the
// highest sample.
func heapPeak() (stop func() uint64) {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
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
	want := patternSum(size)
	for _, seek := range []bool{true, false} {
		t.Run(fmt.Sprintf("seekable=%t", seek), func(t *testing.T) {
			h := graphtest.NewFacebookHarness(t, graphtest.Options{})
			h.Server.CutUploads(0.3, 0.6, 0.9)
			var read atomic.Int64
			var opens atomic.Int32
			runtime.GC()
			stop := heapPeak()
			r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "a long video",
				Media: []networks.MediaItem{videoFile(size, seek, &read, &opens)}, Marker: "upload-cut"})
			peak := stop()
			require.NoError(t, err)
			assert.Equal(t, networks.StatusPending, r.Status)
			require.Contains(t, h.Server.PageVideos(graphtest.FacebookPage), string(r.ID))
			sum, ok := h.Server.UploadSum("4::" + lastUploadID(h) + "-handle")
			require.True(t, ok, "the upload completed")
			assert.Equal(t, want, sum, "the file arrived whole")
			assert.Equal(t, int64(size), h.Server.UploadReceived(), "the fake read each byte once")
			wantOpens := int32(1)
			if !seek {
				wantOpens = 4
			}
			assert.Equal(t, wantOpens, opens.Load(), "a plain source is opened again for each resume")
			t.Logf("64 MiB, cut at 30/60/90 %%: received %d bytes for %d (%.2f×), read %d from the source (%.2f×), %d opening(s), peak heap in use %.1f MiB",
				h.Server.UploadReceived(), size, float64(h.Server.UploadReceived())/size, read.Load(), float64(read.Load())/size, opens.Load(), float64(peak)/(1<<20))
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
		item := videoFile(1<<20, false, new(atomic.Int64), new(atomic.Int32))
		item.Size = 2 << 20
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "short", Media: []networks.MediaItem{item}, Marker: "short"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
		assert.Contains(t, err.Error(), "ended after")
		assert.Empty(t, h.Server.PageVideos(graphtest.FacebookPage), "no video")
	})
	t.Run("the source cannot be opened", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		item := videoFile(1<<20, false, new(atomic.Int64), new(atomic.Int32))
		item.Open = func(context.Context) (io.ReadCloser, error) { return nil, errors.New("blob store down") }
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Media: []networks.MediaItem{item}, Marker: "open"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
		assert.Contains(t, err.Error(), "blob store down")
	})
	t.Run("the source gives no reader", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{})
		item := videoFile(1<<20, false, new(atomic.Int64), new(atomic.Int32))
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
			Media: []networks.MediaItem{videoFile(1<<20, true, new(atomic.Int64), new(atomic.Int32))}, Marker: "stall"})
		require.ErrorIs(t, err, socialflow.ErrTransient)
		assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown, "an upload publishes nothing")
		assert.Contains(t, err.Error(), "without progress")
		assert.Empty(t, h.Server.PageVideos(graphtest.FacebookPage))
	})
	t.Run("an app id Meta does not know", func(t *testing.T) {
		h := graphtest.NewFacebookHarness(t, graphtest.Options{}, facebook.WithAppID("999"))
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x",
			Media: []networks.MediaItem{videoFile(1<<20, true, new(atomic.Int64), new(atomic.Int32))}, Marker: "app"})
		require.ErrorIs(t, err, socialflow.ErrRejected, "a setup mistake, not a missing post")
		assert.NotErrorIs(t, err, socialflow.ErrNotFound)
		assert.Contains(t, err.Error(), "app id")
	})
}
