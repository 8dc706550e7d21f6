package x_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/x"
	"github.com/socialflow/socialflow/networks/x/xtest"
)

func item(kind assets.Kind, mime string, size int, alt string) networks.MediaItem {
	data := bytes.Repeat([]byte{7}, size)
	return networks.MediaItem{Media: assets.Media{Kind: kind, MIME: mime, Size: int64(size), Width: 640, Height: 360, Duration: 10 * time.Second}, Alt: alt,
		Open: func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

func TestUploadChunksAndProcessing(t *testing.T) {
	cases := []struct {
		name     string
		m        networks.MediaItem
		segments int
		waits    []time.Duration
	}{
		{"image with alt", item(assets.KindImage, "image/png", 1000, "a cat"), 1, nil},
		{"video in 3 chunks", item(assets.KindVideo, "video/mp4", 2*x.ChunkSize+5, ""), 3, []time.Duration{time.Second, 2 * time.Second}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var waits []time.Duration
			h := xtest.NewHarness(t, x.WithWait(func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }))
			id, err := h.X().Upload(t.Context(), h.Account(), c.m)
			require.NoError(t, err)
			u := h.Server.Upload(id)
			require.NotNil(t, u)
			assert.Equal(t, c.segments, u.Segments)
			assert.Equal(t, c.m.Size, u.Got)
			assert.Equal(t, c.m.Alt, u.Alt)
			assert.Equal(t, c.waits, waits, "waits follow check_after_secs")
		})
	}
}

func TestProcessingTimeoutIsTransient(t *testing.T) {
	h := xtest.NewHarness(t, x.WithProcessingTimeout(2*time.Second), x.WithWait(func(context.Context, time.Duration) error { return nil }))
	_, err := h.X().Upload(t.Context(), h.Account(), item(assets.KindVideo, "video/mp4", 10, ""))
	require.ErrorIs(t, err, networks.ErrTransient)
	var pe *x.ProcessingError
	require.ErrorAs(t, err, &pe)
}

func TestPublishWithImage(t *testing.T) {
	h := xtest.NewHarness(t)
	r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "pic", Marker: "img", Media: []networks.MediaItem{item(assets.KindImage, "image/png", 10, "alt")}})
	require.NoError(t, err)
	assert.NotEmpty(t, r.ID)
}
