package pinterest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"
)

// Entry is what a [Journal] keeps of one publish, by its marker: where the
// pin went, a digest of its title and description ([Digest]) and when it
// was sent, so [Adapter.FindByMarker] can recognise it among the board's
// pins; and, for a video pin whose media was still processing, the pin
// request that [Adapter.Check] sends once the media is ready. It holds no
// credential.
type Entry struct {
	Board  string    `json:"board"`
	Digest string    `json:"digest"`
	At     time.Time `json:"at"`
	// Media is the video's media id while the pin waits for it; Pin is
	// the POST /v5/pins body to send then. Both are empty for pins made
	// at once.
	Media string          `json:"media,omitempty"`
	Pin   json.RawMessage `json:"pin,omitempty"`
	// Sent says POST /v5/pins for the waiting pin was sent at least once,
	// so Check looks the pin up before sending it again.
	Sent bool `json:"sent,omitempty"`
}

// Journal keeps an [Entry] per publish marker. Pinterest has no
// idempotency key and no private field a marker could ride on (a pin's
// title, description, alt text and link are all public; API v5 has no
// note), so the adapter writes the entry before anything is sent. Put
// replaces an earlier entry of the marker; Get reports false for an unknown
// marker. Implementations must be safe for concurrent use; a host running
// several replicas, or resolving pending video pins after a restart, keeps
// entries where every replica reads them (beside its TokenStore).
type Journal interface {
	Put(ctx context.Context, marker string, e Entry) error
	Get(ctx context.Context, marker string) (Entry, bool, error)
}

// MemJournal is an in-memory [Journal] of one process. The zero value is
// ready to use; it is safe for concurrent use.
type MemJournal struct {
	mu sync.Mutex
	m  map[string]Entry
}

// Put notes e for marker.
func (j *MemJournal) Put(ctx context.Context, marker string, e Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.m == nil {
		j.m = map[string]Entry{}
	}
	e.Pin = append(json.RawMessage(nil), e.Pin...)
	j.m[marker] = e
	return nil
}

// Get returns what was noted for marker.
func (j *MemJournal) Get(ctx context.Context, marker string) (Entry, bool, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, false, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.m[marker]
	e.Pin = append(json.RawMessage(nil), e.Pin...)
	return e, ok, nil
}

// Digest is the SHA-256 (hex) of a pin's title and description as sent, the
// form the Journal compares.
func Digest(title, description string) string {
	h := sha256.New()
	h.Write([]byte(title))
	h.Write([]byte{0})
	h.Write([]byte(description))
	return hex.EncodeToString(h.Sum(nil))
}
