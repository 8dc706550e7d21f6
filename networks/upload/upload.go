// Package upload holds what the chunked video uploads of the YouTube and
// TikTok adapters share: reading a file sequentially one chunk at a time
// (so no more than one chunk is ever in memory), the Content-Range header
// of a chunk (RFC 9110 §14.4) and the Range header a resumable-upload
// server answers with to say how many bytes it holds.
//
// It does no I/O of its own besides reading the source: each adapter sends
// the chunks through the adapter kit with its own requests and errors.
package upload

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Chunker reads a file of a known size as consecutive chunks of at most a
// fixed size, keeping only the current chunk in its buffer. The zero value
// is not usable; create one with [NewChunker]. A Chunker is not safe for
// concurrent use.
type Chunker struct {
	r     io.Reader
	size  int64
	buf   []byte
	start int64 // offset of buf[0] in the file
	n     int   // bytes of the current chunk in buf
}

// NewChunker returns a Chunker reading size bytes from r in chunks of
// chunk bytes (the last one may be shorter, or longer when the caller
// folds the remainder into it, see [Chunker.Next]).
func NewChunker(r io.Reader, size int64, chunk int) *Chunker {
	return &Chunker{r: r, size: size, buf: make([]byte, 0, int(min(int64(chunk), max(size, 0))))}
}

// Size is the file's size.
func (c *Chunker) Size() int64 { return c.size }

// Start is the offset of the current chunk; End is the offset just past
// it. Before the first [Chunker.Next] both are zero.
func (c *Chunker) Start() int64 { return c.start }

// End is the offset just past the current chunk.
func (c *Chunker) End() int64 { return c.start + int64(c.n) }

// Done reports whether the current chunk is the file's last one.
func (c *Chunker) Done() bool { return c.End() >= c.size }

// Next reads the chunk that follows the current one, of want bytes (at most
// what remains of the file) and returns it; the slice is valid until the
// next call. want may exceed the chunk size given to NewChunker (TikTok's
// last chunk takes the remainder): the buffer then grows once. A source that
// ends before size bytes yields a *ShortError.
func (c *Chunker) Next(want int) ([]byte, error) {
	c.start += int64(c.n)
	c.n = 0
	rest := c.size - c.start
	if int64(want) > rest {
		want = int(rest)
	}
	if want <= 0 {
		return nil, io.EOF
	}
	if cap(c.buf) < want {
		c.buf = make([]byte, want)
	}
	c.buf = c.buf[:want]
	n, err := io.ReadFull(c.r, c.buf)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, &ShortError{Size: c.size, Got: c.start + int64(n)}
		}
		return nil, fmt.Errorf("upload: read at offset %d: %w", c.start+int64(n), err)
	}
	c.n = n
	return c.buf[:n], nil
}

// From returns the bytes of the current chunk from file offset off to the
// chunk's end, and false when off is not within the current chunk (the
// bytes before it are gone: the caller must start over).
func (c *Chunker) From(off int64) ([]byte, bool) {
	if off < c.start || off > c.End() {
		return nil, false
	}
	return c.buf[off-c.start : c.n], true
}

// ShortError reports a source that ended before the size its metadata gave
// (the asset probe's assets.Media.Size).
type ShortError struct {
	Size, Got int64
}

// Error implements error.
func (e *ShortError) Error() string {
	return fmt.Sprintf("upload: the source ended after %d of the %d bytes its metadata gives", e.Got, e.Size)
}

// ContentRange is the Content-Range header of the bytes [start, start+n) of
// a file of total bytes (RFC 9110 §14.4): "bytes start-end/total"; with
// n == 0, the status query form "bytes */total" that the Google resumable
// upload protocol uses.
func ContentRange(start int64, n int, total int64) string {
	if n == 0 {
		return "bytes */" + strconv.FormatInt(total, 10)
	}
	return "bytes " + strconv.FormatInt(start, 10) + "-" + strconv.FormatInt(start+int64(n)-1, 10) + "/" + strconv.FormatInt(total, 10)
}

// ParseReceived reads the Range header of a resumable-upload server's 308
// answer ("bytes=0-N", N the last byte it holds) and returns the number of
// bytes held, N+1. An empty header means the server holds nothing (0, true);
// a malformed one, a range not starting at 0, or an end at or past total
// gives false.
func ParseReceived(h string, total int64) (int64, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, true
	}
	rest, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return 0, false
	}
	from, to, ok := strings.Cut(rest, "-")
	if !ok || from != "0" {
		return 0, false
	}
	end, err := strconv.ParseInt(to, 10, 64)
	if err != nil || end < 0 || end >= total {
		return 0, false
	}
	return end + 1, true
}

// ParseContentRange reads a request's Content-Range header as a server sees
// it: "bytes start-end/total" (ok with n = end-start+1) or the status query
// "bytes */total" (ok with query true). It never panics on any input.
func ParseContentRange(h string) (start, n, total int64, query, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(h), "bytes ")
	if !found {
		return 0, 0, 0, false, false
	}
	span, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, 0, false, false
	}
	total, err := strconv.ParseInt(tot, 10, 64)
	if err != nil || total < 0 {
		return 0, 0, 0, false, false
	}
	if span == "*" {
		return 0, 0, total, true, true
	}
	a, b, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, 0, false, false
	}
	s, err1 := strconv.ParseInt(a, 10, 64)
	e, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || s < 0 || e < s || e >= total {
		return 0, 0, 0, false, false
	}
	return s, e - s + 1, total, false, true
}
