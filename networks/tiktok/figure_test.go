package tiktok_test

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
	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
)

// figureSize is the figure's video: 200 MiB.
const figureSize = 200 << 20

// source generates the figure's bytes without holding them and samples
// the heap every 4 MiB read.
type source struct {
	off, size int64
	peak      *uint64
}

// period is the source's content repeated: a prime length, so a byte at a
// wrong offset changes the CRC.
var period = func() []byte {
	b := make([]byte, 65521)
	for i := range b {
		b[i] = byte(i) ^ byte(i>>7)
	}
	return b
}()

func (s *source) Read(p []byte) (int, error) {
	if s.off >= s.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), s.size-s.off)]
	for n := 0; n < len(p); {
		n += copy(p[n:], period[(s.off+int64(n))%int64(len(period)):])
	}
	before := s.off
	s.off += int64(len(p))
	if s.peak != nil && before>>22 != s.off>>22 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		*s.peak = max(*s.peak, ms.HeapAlloc)
	}
	return len(p), nil
}

func (s *source) Close() error { return nil }

// cuts counts the bytes every connection of its client writes and breaks
// the connection whose write crosses the next threshold, as a network
// dropping mid-upload.
type cuts struct {
	mu      sync.Mutex
	at      []int64
	done    int
	written int64
}

type cutConn struct {
	net.Conn
	c *cuts
}

func (cc *cutConn) Write(p []byte) (int, error) {
	c := cc.c
	c.mu.Lock()
	if c.done < len(c.at) && c.written+int64(len(p)) >= c.at[c.done] {
		n := int(c.at[c.done] - c.written)
		c.written += int64(n)
		c.done++
		c.mu.Unlock()
		_, _ = cc.Conn.Write(p[:n])
		_ = cc.Conn.Close()
		return n, errors.New("cut")
	}
	c.written += int64(len(p))
	c.mu.Unlock()
	return cc.Conn.Write(p)
}

func (c *cuts) client() *http.Client {
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &cutConn{Conn: conn, c: c}, nil
	}}}
}

type figure struct {
	wire, received int64
	cuts           int
	post           tiktoktest.Post
	want           uint32
	receipt        networks.Receipt
}

// uploadCut publishes the 200 MiB video through connections cut at 30, 60
// and 90 % of the bytes written.
func uploadCut(tb testing.TB, peak *uint64) figure {
	srv := tiktoktest.NewServer("tok")
	defer srv.Close()
	c := &cuts{at: []int64{figureSize * 3 / 10, figureSize * 6 / 10, figureSize * 9 / 10}}
	ad, err := tiktok.New(c.client(), tiktok.WithBaseURL(srv.URL()), tiktok.WithClock(srv.Now))
	require.NoError(tb, err)
	acct := networks.Account{ID: "a", Network: tiktok.Network, Handle: "fakecreator",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok"})}
	d := networks.Draft{Text: "200 MiB through three cuts", Media: []networks.MediaItem{{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: figureSize, Width: 1080, Height: 1920, Duration: 3 * time.Minute},
		Open:  func(context.Context) (io.ReadCloser, error) { return &source{size: figureSize, peak: peak}, nil },
	}}}
	r, err := ad.Publish(context.Background(), acct, d)
	require.NoError(tb, err)
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	_, _ = io.Copy(h, &source{size: figureSize})
	f := figure{received: srv.Received(), want: h.Sum32(), receipt: r}
	for _, p := range srv.Posts() {
		if string(r.ID) == p.ID {
			f.post = p
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f.wire, f.cuts = c.written, c.done
	return f
}

// TestUploadSurvivesCutConnections is the upload figure: a 200 MiB video
// whose connection is cut at 30 %, 60 % and 90 % completes, with at most
// 1.1 × its size on the wire and a peak heap under 32 MiB.
func TestUploadSurvivesCutConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 200 MiB")
	}
	runtime.GC()
	var peak uint64
	f := uploadCut(t, &peak)
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
