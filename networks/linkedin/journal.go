package linkedin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Sent is what a [Journal] keeps of one publish: the author URN, a digest
// of the commentary sent ([Digest]) and when it was sent. It holds no text
// and no credential.
type Sent struct {
	Author string    `json:"author"`
	Digest string    `json:"digest"`
	At     time.Time `json:"at"`
}

// Journal keeps, per publish marker, what was sent, so that
// [Adapter.FindByMarker] can recognise the post after a lost answer:
// LinkedIn has no idempotency key and no field a marker could ride on.
// Put is called before the post is sent; a later Put for the same marker
// replaces the entry. Get reports false when the marker is unknown.
// Implementations must be safe for concurrent use; a host running several
// replicas stores entries where all of them read (beside its TokenStore).
type Journal interface {
	Put(ctx context.Context, marker string, s Sent) error
	Get(ctx context.Context, marker string) (Sent, bool, error)
}

// MemJournal is an in-memory [Journal] of one process. The zero value is
// ready to use; it is safe for concurrent use.
type MemJournal struct {
	mu sync.Mutex
	m  map[string]Sent
}

// Put notes s for marker.
func (j *MemJournal) Put(ctx context.Context, marker string, s Sent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.m == nil {
		j.m = map[string]Sent{}
	}
	j.m[marker] = s
	return nil
}

// Get returns what was noted for marker.
func (j *MemJournal) Get(ctx context.Context, marker string) (Sent, bool, error) {
	if err := ctx.Err(); err != nil {
		return Sent{}, false, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	s, ok := j.m[marker]
	return s, ok, nil
}

// Digest is the SHA-256 (hex) of a post's commentary as sent, the form the
// Journal compares.
func Digest(commentary string) string {
	h := sha256.Sum256([]byte(commentary))
	return hex.EncodeToString(h[:])
}
