package uploadtest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash/crc32"
	"io"
	"sync/atomic"

	"github.com/socialflow/socialflow"
)

// period is a Source's content, repeated: byte i of a file is
// period[i % len(period)]. Its length is prime (65521), so a byte sent at
// a wrong offset (chunks and cuts are never a multiple of it) changes the
// checksum.
var period = func() []byte {
	p := make([]byte, 65521)
	for i := range p {
		p[i] = byte(i*31 + i>>8)
	}
	return p
}()

// SampleEvery is how often a Source reports to its [HeapPeak]: each time
// a reading crosses a multiple of 4 MiB of the file.
const SampleEvery = 4 << 20

// Source is a generated file of Size bytes, produced as it is read and
// never held: any number of openings read the same content, each from the
// first byte. Its Open method has the signature of a networks.MediaItem's
// Open. The fields are set before the first Open and not changed after; a
// Source is safe for concurrent openings. Do not copy a Source once used.
type Source struct {
	// Size is the file's length in bytes.
	Size int64
	// Seekable makes each opening an [io.Seeker] (io.SeekStart only, within
	// the file), as a file on disk, so an adapter can resume without
	// opening the source again.
	Seekable bool
	// Heap, when not nil, is sampled every [SampleEvery] bytes read.
	Heap *HeapPeak

	read  atomic.Int64
	opens atomic.Int32
}

// Open opens the file from its first byte.
func (s *Source) Open(context.Context) (io.ReadCloser, error) {
	s.opens.Add(1)
	r := &reader{src: s}
	if s.Seekable {
		return seeker{r}, nil
	}
	return r, nil
}

// Opens is the number of times the file was opened.
func (s *Source) Opens() int { return int(s.opens.Load()) }

// Read is the number of bytes read from every opening together.
func (s *Source) Read() int64 { return s.read.Load() }

// CRC32C is the Castagnoli CRC-32 (RFC 3720 §B.4) of the file's content.
// Computing it reads nothing from the Source's counters.
func (s *Source) CRC32C() uint32 {
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	_, _ = io.Copy(h, Content(s.Size))
	return h.Sum32()
}

// SHA256 is the SHA-256 of the file's content. Computing it reads nothing
// from the Source's counters.
func (s *Source) SHA256() []byte {
	h := sha256.New()
	_, _ = io.Copy(h, Content(s.Size))
	return h.Sum(nil)
}

// Content is a reader of the content of a Source of size bytes, counted
// nowhere and sampled by no HeapPeak.
func Content(size int64) io.Reader { return &reader{src: &Source{Size: size}, quiet: true} }

// reader is one opening of a Source.
type reader struct {
	src   *Source
	off   int64
	quiet bool // counts nothing: Content's reader
}

func (r *reader) Read(p []byte) (int, error) {
	size := r.src.Size
	if r.off >= size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), size-r.off)]
	for n := 0; n < len(p); {
		n += copy(p[n:], period[(r.off+int64(n))%int64(len(period)):])
	}
	before := r.off
	r.off += int64(len(p))
	if !r.quiet {
		r.src.read.Add(int64(len(p)))
		if h := r.src.Heap; h != nil && before/SampleEvery != r.off/SampleEvery {
			h.Sample()
		}
	}
	return len(p), nil
}

func (r *reader) Close() error { return nil }

// seeker is a seekable opening.
type seeker struct{ *reader }

// SeekError is a Seek a Source refuses: a whence other than io.SeekStart
// or an offset outside the file. It matches [socialflow.ErrInvalid].
type SeekError struct {
	Offset int64
	Whence int
	Size   int64
}

func (e *SeekError) Error() string {
	return fmt.Sprintf("uploadtest: seek to %d (whence %d) in a file of %d bytes: only io.SeekStart within the file", e.Offset, e.Whence, e.Size)
}

// Is matches socialflow.ErrInvalid.
func (e *SeekError) Is(target error) bool { return target == socialflow.ErrInvalid }

func (s seeker) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekStart || off < 0 || off > s.src.Size {
		return 0, &SeekError{Offset: off, Whence: whence, Size: s.src.Size}
	}
	s.off = off
	return off, nil
}
