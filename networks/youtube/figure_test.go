package youtube_test

import (
	"context"
	"errors"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/youtube"
	"github.com/socialflow/socialflow/networks/youtube/youtubetest"
)

// pattern is the generated video's content: byte i of the file is
// pattern[i % len(pattern)], a prime length so that a byte sent at the wrong
// offset changes the CRC.
var pattern = func() []byte {
	p := make([]byte, 65521)
	for i := range p {
		p[i] = byte(i*31 + i>>8)
	}
	return p
}()

// genReader generates size bytes of the pattern without holding them, and
// samples the heap every 4 MiB.
type genReader struct {
	off, size int64
	peak      *uint64
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	if int64(len(p)) > g.size-g.off {
		p = p[:g.size-g.off]
	}
	n := 0
	for n < len(p) {
		k := copy(p[n:], pattern[(g.off+int64(n))%int64(len(pattern)):])
		n += k
	}
	before := g.off
	g.off += int64(n)
	if g.peak != nil && before/(4<<20) != g.off/(4<<20) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		*g.peak = max(*g.peak, ms.HeapAlloc)
	}
	return n, nil
}

func (g *genReader) Close() error { return nil }

// cutter counts the bytes every connection writes and cuts the connection
// that crosses each threshold, as a network that drops mid-upload.
type cutter struct {
	mu      sync.Mutex
	written int64
	cuts    []int64
	done    int
}

type cutConn struct {
	net.Conn
	c *cutter
}

func (cc *cutConn) Write(p []byte) (int, error) {
	c := cc.c
	c.mu.Lock()
	if c.done < len(c.cuts) && c.written+int64(len(p)) >= c.cuts[c.done] {
		n := int(c.cuts[c.done] - c.written)
		c.done++
		c.written += int64(n)
		c.mu.Unlock()
		_, _ = cc.Conn.Write(p[:n])
		_ = cc.Conn.Close()
		return n, errors.New("connection cut")
	}
	c.written += int64(len(p))
	c.mu.Unlock()
	return cc.Conn.Write(p)
}

func (c *cutter) client() *http.Client {
	d := &net.Dialer{}
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &cutConn{Conn: conn, c: c}, nil
	}}}
}

const figureSize = 200 << 20

func uploadCut(tb testing.TB, peak *uint64) (wire int64, cuts int, got youtubetest.Video, want uint32) {
	srv := youtubetest.NewServer("tok")
	defer srv.Close()
	c := &cutter{cuts: []int64{figureSize * 3 / 10, figureSize * 6 / 10, figureSize * 9 / 10}}
	ad, err := youtube.New(c.client(), youtube.WithBaseURL(srv.URL()), youtube.WithClock(srv.Now))
	require.NoError(tb, err)
	acct := networks.Account{ID: "a", Network: youtube.Network, Tokens: staticToken("tok")}
	d := networks.Draft{Title: "200 MB", Text: "figure", Media: []networks.MediaItem{{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: figureSize, Width: 1920, Height: 1080, Duration: 10 * time.Minute},
		Open:  func(context.Context) (io.ReadCloser, error) { return &genReader{size: figureSize, peak: peak}, nil },
	}}}
	r, err := ad.Publish(context.Background(), acct, d)
	require.NoError(tb, err)
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	_, _ = io.Copy(h, &genReader{size: figureSize})
	for _, v := range srv.Videos() {
		if v.ID == string(r.ID) {
			got = v
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written, c.done, got, h.Sum32()
}

// TestUploadSurvivesCutConnections is the upload figure: a 200 MB video
// whose connection is cut at 30 %, 60 % and 90 % completes, with at most
// 1.1 × its size on the wire and a peak heap under 32 MiB.
func TestUploadSurvivesCutConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 200 MB")
	}
	runtime.GC()
	var peak uint64
	wire, cuts, v, want := uploadCut(t, &peak)
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
