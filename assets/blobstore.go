package assets

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// BlobStore holds the bytes of media assets under string keys; the [Library]
// keeps metadata in the [Store] and a key into the BlobStore. The host
// implements it over its object storage;
// [github.com/socialflow/socialflow/assets/memblob] is the in-memory default
// and [github.com/socialflow/socialflow/assets/blobstoretest] the
// conformance suite an implementation runs in its own tests.
//
// Contract, checked by blobstoretest:
//   - Every method takes ctx first and returns ctx.Err() (wrapped or not) if
//     ctx is done before it starts.
//   - Methods are safe for concurrent use; a Put is atomic: readers see the
//     old bytes or the new ones, never a mix or a prefix.
//   - Keys are checked with [ValidateBlobKey]; a bad key matches
//     [socialflow.ErrInvalid] and nothing is stored.
//   - A missing key matches [socialflow.ErrNotFound].
//   - A BlobStore never retries; a backend failure worth retrying should
//     match [socialflow.ErrTransient].
type BlobStore interface {
	// Put stores exactly size bytes read from r under key, replacing any
	// bytes there. If r yields fewer or more than size bytes, Put fails with
	// an error matching ErrInvalid and stores nothing; an error from r is
	// returned wrapped and nothing is stored.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error

	// NewRangeReader reads length bytes of key from offset; a negative
	// length reads to the end. An offset outside [0, size] matches
	// ErrInvalid. The caller closes the reader.
	NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)

	// Attributes returns the size and content type of key.
	Attributes(ctx context.Context, key string) (BlobAttributes, error)

	// Delete removes key (ErrNotFound if absent).
	Delete(ctx context.Context, key string) error
}

// BlobAttributes describe stored bytes.
type BlobAttributes struct {
	Size        int64
	ContentType string
}

// MaxBlobKeyLen is the longest key a BlobStore must accept.
const MaxBlobKeyLen = 1024

// ValidateBlobKey checks a blob key: non-empty valid UTF-8 of at most
// [MaxBlobKeyLen] bytes, without control characters, a leading slash or a
// "." or ".." segment, so a file-system or object-store backend can map it
// to a path safely. Errors are *[FieldError].
func ValidateBlobKey(key string) error {
	bad := func(reason string) error { return &FieldError{Field: "blob key", Value: key, Reason: reason} }
	switch {
	case key == "":
		return bad("empty")
	case len(key) > MaxBlobKeyLen:
		return bad(fmt.Sprintf("longer than %d bytes", MaxBlobKeyLen))
	case !utf8.ValidString(key):
		return bad("invalid UTF-8")
	case strings.HasPrefix(key, "/"):
		return bad("leading slash")
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return bad("control character")
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "." || seg == ".." {
			return bad("dot segment")
		}
	}
	return nil
}

// blobReaderAt reads a blob through NewRangeReader, for probing stored bytes
// without downloading them.
type blobReaderAt struct {
	ctx context.Context
	bs  BlobStore
	key string
}

func (b *blobReaderAt) ReadAt(p []byte, off int64) (int, error) {
	rc, err := b.bs.NewRangeReader(b.ctx, b.key, off, int64(len(p)))
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	n, err := io.ReadFull(rc, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}
