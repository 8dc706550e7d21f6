package tiktok_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
	"github.com/socialflow/socialflow/networks/upload/uploadtest"
)

// figureSize is the figure's video: 200 MiB.
const figureSize = 200 << 20

type figure struct {
	wire, received int64
	cuts           int
	post           tiktoktest.Post
	want           uint32
	receipt        networks.Receipt
}

// uploadCut publishes the 200 MiB video through connections cut at 30, 60
// and 90 % of the bytes written in all. heap, when not nil, is sampled as
// the file is read.
func uploadCut(tb testing.TB, heap *uploadtest.HeapPeak) figure {
	srv := tiktoktest.NewServer("tok")
	defer srv.Close()
	c, err := uploadtest.NewCutter(uploadtest.Total, uploadtest.Percent(figureSize, 30, 60, 90)...)
	require.NoError(tb, err)
	ad, err := tiktok.New(c.Client(), tiktok.WithBaseURL(srv.URL()), tiktok.WithClock(srv.Now))
	require.NoError(tb, err)
	acct := networks.Account{ID: "a", Network: tiktok.Network, Handle: "fakecreator",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok"})}
	src := &uploadtest.Source{Size: figureSize, Heap: heap}
	d := networks.Draft{Text: "200 MiB through three cuts", Media: []networks.MediaItem{{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: figureSize, Width: 1080, Height: 1920, Duration: 3 * time.Minute},
		Open:  src.Open,
	}}}
	r, err := ad.Publish(context.Background(), acct, d)
	require.NoError(tb, err)
	f := figure{received: srv.Received(), want: src.CRC32C(), receipt: r}
	for _, p := range srv.Posts() {
		if string(r.ID) == p.ID {
			f.post = p
		}
	}
	f.wire, f.cuts = c.Written(), c.Cuts()
	return f
}

// TestUploadSurvivesCutConnections is the upload figure: a 200 MiB video
// whose connection is cut at 30 %, 60 % and 90 % completes, with at most
// 1.1 × its size on the wire and a peak heap under 32 MiB.
func TestUploadSurvivesCutConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 200 MiB")
	}
	heap := uploadtest.NewHeapPeak()
	f := uploadCut(t, heap)
	peak := heap.Peak()
	assert.Equal(t, 3, f.cuts, "the connection was cut three times")
	assert.Equal(t, networks.StatusPublished, f.receipt.Status)
	assert.Equal(t, int64(figureSize), f.post.Size, "the whole file arrived")
	assert.Equal(t, f.want, f.post.CRC32, "every byte arrived once, at its offset")
	assert.LessOrEqual(t, f.wire, int64(figureSize*11/10), "bytes sent ≤ 1.1 × the file size")
	assert.Less(t, peak, uint64(32<<20), "peak heap under 32 MiB")
	t.Logf("sent %d bytes for %d (%.3f×), server read %d, peak heap %.1f MiB", f.wire, figureSize, float64(f.wire)/figureSize, f.received, float64(peak)/(1<<20))
}

// BenchmarkUploadCut times the figure's upload:
//
//	go test -run '^$' -bench BenchmarkUploadCut -benchmem -benchtime 3x ./networks/tiktok
func BenchmarkUploadCut(b *testing.B) {
	b.SetBytes(figureSize)
	for b.Loop() {
		if f := uploadCut(b, nil); f.cuts != 3 || f.post.Size != figureSize {
			b.Fatalf("cuts %d, size %d", f.cuts, f.post.Size)
		}
	}
}
