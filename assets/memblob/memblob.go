// Package memblob is the in-memory [assets.BlobStore]: the embedded default
// for tests, examples and single-process hosts. It passes
// [github.com/socialflow/socialflow/assets/blobstoretest].
package memblob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/socialflow/socialflow/assets"
)

// Bucket is an in-memory BlobStore. The zero value is not usable; call
// [New]. It is safe for concurrent use.
type Bucket struct {
	mu    sync.RWMutex
	blobs map[string]blob
}

type blob struct {
	data        []byte // never mutated once stored
	contentType string
}

var _ assets.BlobStore = (*Bucket)(nil)

// New returns an empty Bucket.
func New() *Bucket { return &Bucket{blobs: map[string]blob{}} }

// Put implements [assets.BlobStore.Put]: it reads all of r before storing,
// so readers never see a partial write.
func (b *Bucket) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := assets.ValidateBlobKey(key); err != nil {
		return err
	}
	if size < 0 {
		return &assets.FieldError{Field: "size", Value: fmt.Sprint(size), Reason: "must not be negative"}
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, size+1))
	if err != nil {
		return fmt.Errorf("memblob: reading %q: %w", key, err)
	}
	if n != size {
		return &assets.FieldError{Field: "size", Value: fmt.Sprint(size), Reason: fmt.Sprintf("reader gave %s bytes", readCount(n, size))}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.blobs[key] = blob{data: buf.Bytes(), contentType: contentType}
	return nil
}

func readCount(n, size int64) string {
	if n > size {
		return fmt.Sprintf("more than %d", size)
	}
	return fmt.Sprint(n)
}

func (b *Bucket) get(ctx context.Context, key string) (blob, error) {
	if err := ctx.Err(); err != nil {
		return blob{}, err
	}
	if err := assets.ValidateBlobKey(key); err != nil {
		return blob{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	bl, ok := b.blobs[key]
	if !ok {
		return blob{}, &assets.NotFoundError{What: "blob", ID: key}
	}
	return bl, nil
}

// NewRangeReader implements [assets.BlobStore.NewRangeReader].
func (b *Bucket) NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	bl, err := b.get(ctx, key)
	if err != nil {
		return nil, err
	}
	size := int64(len(bl.data))
	if offset < 0 || offset > size {
		return nil, &assets.FieldError{Field: "offset", Value: fmt.Sprint(offset), Reason: fmt.Sprintf("outside [0, %d]", size)}
	}
	end := size
	if length >= 0 && length < size-offset {
		end = offset + length
	}
	return io.NopCloser(bytes.NewReader(bl.data[offset:end])), nil
}

// Attributes implements [assets.BlobStore.Attributes].
func (b *Bucket) Attributes(ctx context.Context, key string) (assets.BlobAttributes, error) {
	bl, err := b.get(ctx, key)
	if err != nil {
		return assets.BlobAttributes{}, err
	}
	return assets.BlobAttributes{Size: int64(len(bl.data)), ContentType: bl.contentType}, nil
}

// Delete implements [assets.BlobStore.Delete].
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if _, err := b.get(ctx, key); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.blobs[key]; !ok {
		return &assets.NotFoundError{What: "blob", ID: key}
	}
	delete(b.blobs, key)
	return nil
}

// Len returns the number of blobs stored.
func (b *Bucket) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.blobs)
}
