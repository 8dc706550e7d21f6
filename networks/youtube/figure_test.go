package youtube_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/upload/uploadtest"
	"github.com/socialflow/socialflow/networks/youtube"
	"github.com/socialflow/socialflow/networks/youtube/youtubetest"
)

const figureSize = 200 << 20

// uploadCut publishes the 200 MB video through connections cut at 30, 60
// and 90 % of the bytes written in all (the resumable upload carries on
// where it stopped). heap, when not nil, is sampled as the file is read.
func uploadCut(tb testing.TB, heap *uploadtest.HeapPeak) (wire int64, cuts int, got youtubetest.Video, want uint32) {
	srv := youtubetest.NewServer("tok")
	defer srv.Close()
	c, err := uploadtest.NewCutter(uploadtest.Total, uploadtest.Percent(figureSize, 30, 60, 90)...)
	require.NoError(tb, err)
	ad, err := youtube.New(c.Client(), youtube.WithBaseURL(srv.URL()), youtube.WithClock(srv.Now))
	require.NoError(tb, err)
	acct := networks.Account{ID: "a", Network: youtube.Network, Tokens: staticToken("tok")}
	src := &uploadtest.Source{Size: figureSize, Heap: heap}
	d := networks.Draft{Title: "200 MB", Text: "figure", Media: []networks.MediaItem{{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: figureSize, Width: 1920, Height: 1080, Duration: 10 * time.Minute},
		Open:  src.Open,
	}}}
	r, err := ad.Publish(context.Background(), acct, d)
	require.NoError(tb, err)
	for _, v := range srv.Videos() {
		if v.ID == string(r.ID) {
			got = v
		}
	}
	return c.Written(), c.Cuts(), got, src.CRC32C()
}

// TestUploadSurvivesCutConnections is the upload figure: a 200 MB video
// whose connection is cut at 30 %, 60 % and 90 % completes, with at most
// 1.1 × its size on the wire and a peak heap under 32 MiB.
func TestUploadSurvivesCutConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 200 MB")
	}
	heap := uploadtest.NewHeapPeak()
	wire, cuts, v, want := uploadCut(t, heap)
	peak := heap.Peak()
	assert.Equal(t, 3, cuts, "the connection was cut three times")
	assert.Equal(t, int64(figureSize), v.Size, "the whole file arrived")
	assert.Equal(t, want, v.CRC32, "every byte arrived once, at its offset")
	assert.LessOrEqual(t, wire, int64(figureSize*11/10), "bytes sent ≤ 1.1 × the file size")
	assert.Less(t, peak, uint64(32<<20), "peak heap under 32 MiB")
	t.Logf("sent %d bytes for %d (%.3f×), peak heap %.1f MiB", wire, figureSize, float64(wire)/figureSize, float64(peak)/(1<<20))
}

// BenchmarkUploadCut times the figure's upload:
//
//	go test -run '^$' -bench BenchmarkUploadCut -benchmem ./networks/youtube
func BenchmarkUploadCut(b *testing.B) {
	b.SetBytes(figureSize)
	for b.Loop() {
		if _, cuts, v, _ := uploadCut(b, nil); cuts != 3 || v.Size != figureSize {
			b.Fatalf("cuts %d, size %d", cuts, v.Size)
		}
	}
}

func staticToken(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
}
