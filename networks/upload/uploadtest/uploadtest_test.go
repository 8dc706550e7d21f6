package uploadtest_test

import (
	"bytes"
	"crypto/sha256"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks/upload/uploadtest"
)

// TestSourceContent: every opening reads the same bytes, whatever the
// buffer sizes, the checksums are those of those bytes, and the counters
// count the openings' reads but not Content's.
func TestSourceContent(t *testing.T) {
	const size = 3*65521 + 17 // more than one period, not a multiple of it
	src := &uploadtest.Source{Size: size}
	want, err := io.ReadAll(uploadtest.Content(size))
	require.NoError(t, err)
	require.Len(t, want, size)
	assert.Equal(t, want[:100], want[65521:65621], "the content repeats with its period")
	assert.NotEqual(t, want[:100], want[1:101], "a byte off is another content")

	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		r, err := src.Open(t.Context())
		require.NoError(t, err)
		var got bytes.Buffer
		for {
			buf := make([]byte, 1+rng.IntN(100_000))
			n, err := r.Read(buf)
			got.Write(buf[:n])
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
		}
		require.NoError(t, r.Close())
		require.Equal(t, want, got.Bytes(), "each opening reads the same file")
	}
	assert.Equal(t, 20, src.Opens())
	assert.Equal(t, int64(20*size), src.Read())

	sum := sha256.Sum256(want)
	assert.Equal(t, sum[:], src.SHA256())
	assert.Equal(t, crc32.Checksum(want, crc32.MakeTable(crc32.Castagnoli)), src.CRC32C())
	assert.Equal(t, int64(20*size), src.Read(), "checksums count no read")
}

// TestSourceSeek: a seekable opening resumes at any offset within the
// file, and refuses what a file on disk would not do as ErrInvalid.
func TestSourceSeek(t *testing.T) {
	const size = 100_000
	want, _ := io.ReadAll(uploadtest.Content(size))
	src := &uploadtest.Source{Size: size, Seekable: true}
	r, err := src.Open(t.Context())
	require.NoError(t, err)
	sk, ok := r.(io.Seeker)
	require.True(t, ok, "a Seekable source opens as an io.Seeker")
	for _, off := range []int64{0, 1, 65521, 70_000, size} {
		got, err := sk.Seek(off, io.SeekStart)
		require.NoError(t, err)
		assert.Equal(t, off, got)
		rest, err := io.ReadAll(r)
		require.NoError(t, err)
		assert.Equal(t, want[off:], rest, "from %d", off)
	}
	for _, c := range []struct {
		off    int64
		whence int
	}{{-1, io.SeekStart}, {size + 1, io.SeekStart}, {0, io.SeekCurrent}, {0, io.SeekEnd}} {
		_, err := sk.Seek(c.off, c.whence)
		var se *uploadtest.SeekError
		require.ErrorAs(t, err, &se, "%+v", c)
		assert.ErrorIs(t, err, socialflow.ErrInvalid)
		assert.Equal(t, uploadtest.SeekError{Offset: c.off, Whence: c.whence, Size: size}, *se)
	}
	plain, err := (&uploadtest.Source{Size: size}).Open(t.Context())
	require.NoError(t, err)
	_, ok = plain.(io.Seeker)
	assert.False(t, ok, "a plain source is not seekable")
}

// TestHeapPeak: a Source samples its HeapPeak once per SampleEvery bytes
// read, and the peak is a real heap size.
func TestHeapPeak(t *testing.T) {
	h := uploadtest.NewHeapPeak()
	assert.Zero(t, h.Peak())
	src := &uploadtest.Source{Size: 5*uploadtest.SampleEvery + 1, Heap: h}
	r, _ := src.Open(t.Context())
	_, err := io.Copy(io.Discard, r)
	require.NoError(t, err)
	assert.Equal(t, 5, h.Samples(), "one sample per 4 MiB boundary crossed")
	assert.Positive(t, h.Peak())
	keep := make([]byte, 16<<20)
	h.Sample()
	assert.GreaterOrEqual(t, h.Peak(), uint64(len(keep)), "a sample sees what is held")
	keep[0] = 1
}

// TestCutter: the thresholds cut in order, counted over every connection
// (Total) or on the connection writing (PerConnection); Written counts
// what was sent, the cut writes up to their threshold.
func TestCutter(t *testing.T) {
	type write struct {
		size, sent int  // bytes asked, bytes the Write reports sent
		cut        bool // the Write cuts the connection (ErrCut)
	}
	w := func(size, sent int, cut bool) write { return write{size, sent, cut} }
	for _, c := range []struct {
		name    string
		mode    Mode
		at      []int64
		conns   [][]write
		cuts    int
		written int64
	}{
		{"total spans connections", uploadtest.Total, []int64{150, 260},
			[][]write{{w(100, 100, false), w(100, 50, true)}, {w(100, 100, false)}, {w(100, 10, true)}}, 2, 260},
		{"per connection restarts the count", uploadtest.PerConnection, []int64{150, 260},
			[][]write{{w(100, 100, false), w(100, 50, true)}, {w(100, 100, false), w(100, 100, false), w(100, 60, true)}, {w(100, 100, false), w(100, 100, false)}}, 2, 610},
		{"a threshold at a write's end cuts there", uploadtest.Total, []int64{100},
			[][]write{{w(100, 100, true)}, {w(100, 100, false)}}, 1, 200},
		{"a zero threshold cuts the first write", uploadtest.Total, []int64{0},
			[][]write{{w(100, 0, true)}, {w(100, 100, false)}}, 1, 100},
		{"no thresholds never cut", uploadtest.Total, nil,
			[][]write{{w(100, 100, false), w(100, 100, false)}}, 0, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			cut, err := uploadtest.NewCutter(c.mode, c.at...)
			require.NoError(t, err)
			for i, ws := range c.conns {
				a, b := net.Pipe()
				go func() { _, _ = io.Copy(io.Discard, b) }()
				conn := cut.Conn(a)
				for j, wr := range ws {
					n, err := conn.Write(make([]byte, wr.size))
					assert.Equal(t, wr.sent, n, "connection %d write %d", i, j)
					if wr.cut {
						assert.ErrorIs(t, err, uploadtest.ErrCut, "connection %d write %d", i, j)
					} else {
						assert.NoError(t, err, "connection %d write %d", i, j)
					}
				}
				if ws[len(ws)-1].cut {
					n, err := conn.Write([]byte{1})
					assert.ErrorIs(t, err, uploadtest.ErrCut, "a cut connection stays cut")
					assert.Zero(t, n)
				}
				_ = conn.Close()
				_ = b.Close()
			}
			assert.Equal(t, c.cuts, cut.Cuts())
			assert.Equal(t, c.written, cut.Written())
		})
	}
}

type Mode = uploadtest.Mode

// TestCutterRefuses: thresholds a Cutter cannot honour are refused at
// construction as ErrInvalid, naming the threshold.
func TestCutterRefuses(t *testing.T) {
	for _, c := range []struct {
		mode Mode
		at   []int64
		want *uploadtest.ThresholdError
	}{
		{uploadtest.Total, []int64{10, -1}, &uploadtest.ThresholdError{Mode: uploadtest.Total, Index: 1, At: -1}},
		{uploadtest.PerConnection, []int64{-5}, &uploadtest.ThresholdError{Mode: uploadtest.PerConnection, Index: 0, At: -5}},
		{uploadtest.Total, []int64{10, 10}, &uploadtest.ThresholdError{Mode: uploadtest.Total, Index: 1, At: 10, Prev: 10}},
		{uploadtest.Total, []int64{30, 20}, &uploadtest.ThresholdError{Mode: uploadtest.Total, Index: 1, At: 20, Prev: 30}},
	} {
		_, err := uploadtest.NewCutter(c.mode, c.at...)
		assert.ErrorIs(t, err, socialflow.ErrInvalid)
		var te *uploadtest.ThresholdError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, c.want, te)
		assert.Contains(t, err.Error(), "threshold")
	}
	_, err := uploadtest.NewCutter(uploadtest.PerConnection, 30, 20)
	assert.NoError(t, err, "per-connection thresholds need not increase")
	_, err = uploadtest.NewCutter(Mode(7), 1)
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Contains(t, err.Error(), "Mode(7)")
}

// TestCutterClient: over real sockets, a request whose body crosses a
// threshold fails, the next one goes through, and the server got every
// byte of it.
func TestCutterClient(t *testing.T) {
	const size = 1 << 20
	var mu sync.Mutex
	var got []int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		mu.Lock()
		got = append(got, int(n))
		mu.Unlock()
	}))
	defer srv.Close()
	cut, err := uploadtest.NewCutter(uploadtest.Total, uploadtest.Percent(size, 50)...)
	require.NoError(t, err)
	hc := cut.Client()
	src := &uploadtest.Source{Size: size}
	for i, wantErr := range []bool{true, false} {
		body, _ := src.Open(t.Context())
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL, body)
		req.ContentLength = size
		resp, err := hc.Do(req)
		if wantErr {
			require.Error(t, err, "attempt %d", i)
			continue
		}
		require.NoError(t, err)
		_ = resp.Body.Close()
	}
	assert.Equal(t, 1, cut.Cuts())
	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, got, size, "the second upload arrived whole")
	assert.Greater(t, cut.Written(), int64(size+size/2), "both bodies' bytes counted")
}

// TestPercent rounds down like integer arithmetic on the size.
func TestPercent(t *testing.T) {
	assert.Equal(t, []int64{62914560, 125829120, 188743680}, uploadtest.Percent(200<<20, 30, 60, 90))
	assert.Equal(t, []int64{0, 3, 9}, uploadtest.Percent(10, 0, 33, 99))
	assert.Empty(t, uploadtest.Percent(10))
}
