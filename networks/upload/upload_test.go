package upload_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/upload"
)

func TestChunkerReadsInOrderAndResumesWithinTheChunk(t *testing.T) {
	src := []byte("abcdefghij")
	c := upload.NewChunker(bytes.NewReader(src), int64(len(src)), 4)
	var got []string
	for !c.Done() || c.End() == 0 {
		b, err := c.Next(4)
		require.NoError(t, err)
		got = append(got, string(b))
	}
	assert.Equal(t, []string{"abcd", "efgh", "ij"}, got)
	rest, ok := c.From(9)
	require.True(t, ok)
	assert.Equal(t, "j", string(rest))
	_, ok = c.From(7)
	assert.False(t, ok, "bytes before the current chunk are gone")
	_, err := c.Next(4)
	assert.ErrorIs(t, err, io.EOF)
}

func TestChunkerLastChunkTakesTheRemainder(t *testing.T) {
	c := upload.NewChunker(strings.NewReader("abcdefghij"), 10, 4)
	b, err := c.Next(4)
	require.NoError(t, err)
	assert.Equal(t, "abcd", string(b))
	b, err = c.Next(6)
	require.NoError(t, err)
	assert.Equal(t, "efghij", string(b))
	assert.True(t, c.Done())
}

func TestChunkerShortSource(t *testing.T) {
	c := upload.NewChunker(strings.NewReader("abc"), 10, 4)
	_, err := c.Next(4)
	var se *upload.ShortError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, int64(3), se.Got)
	assert.Equal(t, int64(10), se.Size)
}

func TestContentRange(t *testing.T) {
	cases := []struct {
		start int64
		n     int
		total int64
		want  string
	}{
		{0, 4, 10, "bytes 0-3/10"},
		{8, 2, 10, "bytes 8-9/10"},
		{0, 0, 10, "bytes */10"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, upload.ContentRange(c.start, c.n, c.total))
		s, n, tot, q, ok := upload.ParseContentRange(c.want)
		require.True(t, ok, c.want)
		assert.Equal(t, c.n == 0, q)
		assert.Equal(t, c.total, tot)
		if !q {
			assert.Equal(t, c.start, s)
			assert.Equal(t, int64(c.n), n)
		}
	}
}

func TestParseReceived(t *testing.T) {
	cases := []struct {
		h    string
		want int64
		ok   bool
	}{
		{"", 0, true},
		{"bytes=0-9", 10, true},
		{"bytes=0-10", 0, false}, // past the end of a 10-byte file
		{"bytes=5-9", 0, false},
		{"0-9", 0, false},
		{"bytes=0-x", 0, false},
		{"bytes=0--1", 0, false},
	}
	for _, c := range cases {
		got, ok := upload.ParseReceived(c.h, 10)
		assert.Equal(t, c.ok, ok, c.h)
		assert.Equal(t, c.want, got, c.h)
	}
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-3/10", "bytes */10", "bytes 9-3/10", "bytes -1-2/3", "", "bytes 0-/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		s, n, total, q, ok := upload.ParseContentRange(h)
		if ok && !q && (s < 0 || n <= 0 || s+n > total) {
			t.Fatalf("%q: bad range %d+%d/%d", h, s, n, total)
		}
		_, _ = upload.ParseReceived(h, 10)
	})
}
