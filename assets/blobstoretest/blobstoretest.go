// Package blobstoretest is the conformance suite for [assets.BlobStore]
// implementations. A host blob store runs it from one test:
//
//	func TestConformance(t *testing.T) {
//		blobstoretest.Run(t, func(t *testing.T) assets.BlobStore { return newMyBucket(t) })
//	}
//
// Each case is a named subtest (select one with -run).
package blobstoretest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
)

// Run runs every conformance case as a subtest, each on a fresh, empty blob
// store from newStore.
func Run(t *testing.T, newStore func(t *testing.T) assets.BlobStore) {
	t.Helper()
	cases := []struct {
		name string
		fn   func(t *testing.T, b assets.BlobStore)
	}{
		{"PutThenRead", putThenRead},
		{"PutEmptyBlob", putEmpty},
		{"RangeReads", rangeReads},
		{"RangeOutsideIsInvalid", rangeOutside},
		{"OverwriteReplaces", overwrite},
		{"MissingIsNotFound", missing},
		{"DeleteThenNotFound", deleteThenNotFound},
		{"InvalidKeyIsInvalid", invalidKey},
		{"SizeMismatchStoresNothing", sizeMismatch},
		{"ReaderErrorStoresNothing", readerError},
		{"ConcurrentPutsAreAtomic", concurrentPuts},
		{"CanceledContextStops", canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newStore(t)) })
	}
}

func put(t *testing.T, b assets.BlobStore, key string, data []byte) {
	t.Helper()
	require.NoError(t, b.Put(t.Context(), key, bytes.NewReader(data), int64(len(data)), "application/octet-stream"))
}

func readRange(t *testing.T, b assets.BlobStore, key string, off, n int64) []byte {
	t.Helper()
	rc, err := b.NewRangeReader(t.Context(), key, off, n)
	require.NoError(t, err)
	defer rc.Close()
	data, err := io.ReadAll(rc)
	require.NoError(t, err)
	return data
}

func putThenRead(t *testing.T, b assets.BlobStore) {
	data := []byte("hello, blob")
	require.NoError(t, b.Put(t.Context(), "sha256/abc", bytes.NewReader(data), int64(len(data)), "text/plain"))
	assert.Equal(t, data, readRange(t, b, "sha256/abc", 0, -1))
	attrs, err := b.Attributes(t.Context(), "sha256/abc")
	require.NoError(t, err)
	assert.Equal(t, assets.BlobAttributes{Size: int64(len(data)), ContentType: "text/plain"}, attrs)
}

func putEmpty(t *testing.T, b assets.BlobStore) {
	put(t, b, "empty", nil)
	assert.Empty(t, readRange(t, b, "empty", 0, -1))
	attrs, err := b.Attributes(t.Context(), "empty")
	require.NoError(t, err)
	assert.Zero(t, attrs.Size)
}

func rangeReads(t *testing.T, b assets.BlobStore) {
	data := []byte("0123456789")
	put(t, b, "k", data)
	for _, tt := range []struct {
		off, n int64
		want   string
	}{
		{0, 3, "012"}, {7, -1, "789"}, {7, 100, "789"}, {10, -1, ""}, {4, 0, ""}, {0, 10, "0123456789"},
	} {
		assert.Equal(t, tt.want, string(readRange(t, b, "k", tt.off, tt.n)), "offset %d length %d", tt.off, tt.n)
	}
}

func rangeOutside(t *testing.T, b assets.BlobStore) {
	put(t, b, "k", []byte("0123"))
	for _, off := range []int64{-1, 5} {
		_, err := b.NewRangeReader(t.Context(), "k", off, 1)
		require.ErrorIs(t, err, socialflow.ErrInvalid, "offset %d", off)
	}
}

func overwrite(t *testing.T, b assets.BlobStore) {
	put(t, b, "k", []byte("first version"))
	put(t, b, "k", []byte("second"))
	assert.Equal(t, "second", string(readRange(t, b, "k", 0, -1)))
}

func missing(t *testing.T, b assets.BlobStore) {
	_, err := b.NewRangeReader(t.Context(), "nope", 0, -1)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	_, err = b.Attributes(t.Context(), "nope")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	require.ErrorIs(t, b.Delete(t.Context(), "nope"), socialflow.ErrNotFound)
}

func deleteThenNotFound(t *testing.T, b assets.BlobStore) {
	put(t, b, "k", []byte("x"))
	require.NoError(t, b.Delete(t.Context(), "k"))
	_, err := b.Attributes(t.Context(), "k")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	require.ErrorIs(t, b.Delete(t.Context(), "k"), socialflow.ErrNotFound)
}

func invalidKey(t *testing.T, b assets.BlobStore) {
	for _, key := range []string{"", "/abs", "a/../b", "a\x00b", "\xff", strings.Repeat("k", assets.MaxBlobKeyLen+1)} {
		err := b.Put(t.Context(), key, strings.NewReader("x"), 1, "")
		require.ErrorIs(t, err, socialflow.ErrInvalid, "key %q", key)
		_, err = b.Attributes(t.Context(), key)
		require.ErrorIs(t, err, socialflow.ErrInvalid, "key %q", key)
	}
}

func sizeMismatch(t *testing.T, b assets.BlobStore) {
	for _, size := range []int64{3, 10} {
		err := b.Put(t.Context(), "k", strings.NewReader("12345"), size, "")
		require.ErrorIs(t, err, socialflow.ErrInvalid, "declared %d for 5 bytes", size)
		_, err = b.Attributes(t.Context(), "k")
		require.ErrorIs(t, err, socialflow.ErrNotFound, "nothing stored")
	}
	put(t, b, "kept", []byte("old"))
	require.Error(t, b.Put(t.Context(), "kept", strings.NewReader("new!"), 9, ""))
	assert.Equal(t, "old", string(readRange(t, b, "kept", 0, -1)), "a failed put leaves the old bytes")
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func readerError(t *testing.T, b assets.BlobStore) {
	boom := errors.New("disk on fire")
	err := b.Put(t.Context(), "k", io.MultiReader(strings.NewReader("12"), failingReader{boom}), 5, "")
	require.ErrorIs(t, err, boom)
	_, err = b.Attributes(t.Context(), "k")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func concurrentPuts(t *testing.T, b assets.BlobStore) {
	const writers = 8
	var wg sync.WaitGroup
	contents := map[string]bool{}
	for i := range writers {
		data := strings.Repeat(fmt.Sprint(i), 1000)
		contents[data] = true
		wg.Go(func() {
			assert.NoError(t, b.Put(context.Background(), "k", strings.NewReader(data), int64(len(data)), ""))
		})
	}
	wg.Wait()
	assert.True(t, contents[string(readRange(t, b, "k", 0, -1))], "the stored bytes are one writer's, whole")
}

func canceled(t *testing.T, b assets.BlobStore) {
	put(t, b, "k", []byte("x"))
	c, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, b.Put(c, "k2", strings.NewReader("x"), 1, ""), context.Canceled)
	_, err := b.NewRangeReader(c, "k", 0, -1)
	require.ErrorIs(t, err, context.Canceled)
	_, err = b.Attributes(c, "k")
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, b.Delete(c, "k"), context.Canceled)
	_, err = b.Attributes(t.Context(), "k2")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}
