package workflow

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/socialflow/socialflow"
)

// Event is one entry of the audit trail: who did what, when, to which
// object and version. Events are hash-chained: Hash covers every other field
// and Prev, the Hash of the event before, so editing, removing or reordering
// an event breaks the chain ([VerifyChain]).
type Event struct {
	Seq       int64             `json:"seq"` // 1, 2, 3, ... without gaps, per workspace
	At        time.Time         `json:"at"`
	Workspace string            `json:"workspace,omitempty"`
	Actor     string            `json:"actor"`  // a member ID, "system:" + the dispatcher's holder name, or "system:deadlines"
	Action    string            `json:"action"` // e.g. "post.submit", "target.published" (README.md lists them all)
	Object    string            `json:"object"` // e.g. "post:p1", "post:p1/channel:ig"
	Version   int               `json:"version,omitempty"`
	Summary   string            `json:"summary,omitempty"`
	Data      map[string]string `json:"data,omitempty"` // e.g. {"cause": "..."}; never secrets
	Prev      string            `json:"prev"`           // hex hash of the previous event ("" for the first)
	Hash      string            `json:"hash"`           // hex HMAC-SHA256 (or SHA-256) of this event
}

// hashEvent computes e's hash: HMAC-SHA256 keyed with key over the JSON of
// every field but Hash (encoding/json writes struct fields in order and map
// keys sorted, so the encoding is canonical), or plain SHA-256 without a key.
func hashEvent(e Event, key []byte) string {
	e.Hash = ""
	e.At = e.At.UTC()
	data, _ := json.Marshal(e) // cannot fail: only strings, ints and a time
	if len(key) == 0 {
		sum := sha256.Sum256(data)
		return hex.EncodeToString(sum[:])
	}
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return hex.EncodeToString(m.Sum(nil))
}

// TamperKind says how a chain was broken.
type TamperKind string

// The ways a chain can break. [VerifyChain] reports the first break with the
// most precise kind the events allow.
const (
	// TamperEdited: the event was altered: its content no longer matches
	// its hash, and it is not an event inserted between intact ones.
	TamperEdited TamperKind = "edited"
	// TamperRemoved: events are missing before this one (its sequence
	// number is ahead, and the missing numbers appear nowhere later).
	TamperRemoved TamperKind = "removed"
	// TamperInserted: the event does not belong here: a copy of an event
	// found earlier in the trail, or one whose hash does not verify while
	// the event after it continues the chain as if it were absent.
	TamperInserted TamperKind = "inserted"
	// TamperReordered: intact events are out of order (swapped or moved):
	// this event's number is ahead and a skipped number appears later, or
	// it is behind and is not a copy of an earlier event.
	TamperReordered TamperKind = "reordered"
	// TamperLinked: the event verifies and is numbered right, but Prev does
	// not name the event before.
	TamperLinked TamperKind = "broken link"
	// TamperHead: the last event is not the expected head ([VerifyHead]).
	TamperHead TamperKind = "head does not match"
)

// TamperError reports where an audit chain breaks. It matches
// socialflow.ErrConflict (the stored trail disagrees with itself).
type TamperError struct {
	Index int   // position in the verified slice
	Seq   int64 // the event's sequence number (as stored, so possibly forged)
	Kind  TamperKind
}

func (e *TamperError) Error() string {
	return fmt.Sprintf("workflow: audit trail broken at event %d (position %d): %s", e.Seq, e.Index, e.Kind)
}

// Is reports whether target is socialflow.ErrConflict.
func (e *TamperError) Is(target error) bool { return target == socialflow.ErrConflict }

// VerifyChain checks one workspace's trail ([AuditStore]) that starts at
// its first event (Seq 1): every event belongs to the workspace of the
// first, every hash matches its content under key, every Prev names the
// event before, and sequence numbers run 1, 2, 3 without gaps. An event of
// another workspace's chain is [TamperInserted]. It returns nil or a
// [*TamperError] naming the first place where the chain breaks and how:
// [TamperEdited], [TamperRemoved], [TamperInserted], [TamperReordered] or
// [TamperLinked]. Removing events at the end cannot be seen from the events
// alone: compare the last hash with one kept elsewhere ([AuditLog.Head])
// with [VerifyHead].
func VerifyChain(events []Event, key []byte) error {
	prev := ""
	for i, e := range events {
		want := int64(i + 1)
		if e.Workspace != events[0].Workspace {
			return &TamperError{Index: i, Seq: e.Seq, Kind: TamperInserted}
		}
		if e.Seq == want && e.Prev == prev && validHash(e, key) {
			prev = e.Hash
			continue
		}
		return &TamperError{Index: i, Seq: e.Seq, Kind: tamperKind(events, i, prev, key)}
	}
	return nil
}

func validHash(e Event, key []byte) bool {
	return hmac.Equal([]byte(hashEvent(e, key)), []byte(e.Hash))
}

// tamperKind classifies the break at events[i], the first event that does
// not continue the chain ending in prev (so events[:i] are intact and
// numbered 1..i).
func tamperKind(events []Event, i int, prev string, key []byte) TamperKind {
	e := events[i]
	want := int64(i + 1)
	if !validHash(e, key) {
		if i+1 < len(events) {
			if n := events[i+1]; n.Seq == want && n.Prev == prev && validHash(n, key) {
				return TamperInserted
			}
		}
		return TamperEdited
	}
	switch {
	case e.Seq < want:
		for _, before := range events[:i] {
			if hmac.Equal([]byte(before.Hash), []byte(e.Hash)) {
				return TamperInserted
			}
		}
		return TamperReordered
	case e.Seq > want:
		for _, later := range events[i+1:] {
			if later.Seq >= want && later.Seq < e.Seq && validHash(later, key) {
				return TamperReordered
			}
		}
		return TamperRemoved
	}
	return TamperLinked
}

// VerifyHead checks the chain and that its last event's hash is head (kept
// by the host outside the store, for example in a log shipped elsewhere), so
// events removed from the end are detected too.
func VerifyHead(events []Event, key []byte, head string) error {
	if err := VerifyChain(events, key); err != nil {
		return err
	}
	last := ""
	if n := len(events); n > 0 {
		last = events[n-1].Hash
	}
	if !hmac.Equal([]byte(last), []byte(head)) {
		return &TamperError{Index: len(events) - 1, Seq: int64(len(events)), Kind: TamperHead}
	}
	return nil
}

// AuditLog appends hash-chained events to a [Store], one chain per
// workspace (events without a workspace chain under ""). The zero AuditLog
// is not usable; create one with [NewAuditLog]. It is safe for concurrent
// use: its own appends to one workspace are serialized, concurrent appends
// by other AuditLogs over the same store (other replicas) are ordered by
// the store's sequence check, and appends to different workspaces do not
// contend. Its String, GoString and LogValue say whether it is keyed and
// never show the key, so a log may be printed or logged with any verb.
//
// It remembers the head of each chain it last read or wrote, so an append
// is one store write: the remembered head is only a guess the store checks
// (the sequence number, and with a [ChainAppender] the hash too), and a
// guess another writer made stale is replaced by the stored head and the
// append retried. Over a ChainAppender, events that arrive while an append
// to their chain is in flight are chained and appended together by the
// next write (up to 256 at once), so a chain's appends, which cannot run in
// parallel, share the database's commits.
type AuditLog struct {
	store Store
	key   []byte
	heads *chainHeads
}

// chainHeads is an AuditLog's memory of chain heads.
type chainHeads struct {
	mu     sync.Mutex
	chains map[string]*chainHead
}

// chainHead is one chain's remembered head and the appends waiting for
// it; mu guards every field.
type chainHead struct {
	mu    sync.Mutex
	known bool  // found and last hold what this log last read or wrote
	found bool  // the chain is not empty
	last  Event // its last event, when found
	busy  bool  // an append is writing; later ones queue
	queue []*pendingEvent
}

// pendingEvent is one Append waiting for the write that carries it.
type pendingEvent struct {
	e      Event
	done   chan struct{} // closed when written, or when writer is set
	writer bool          // it is this Append's turn to write
	out    Event
	err    error
}

// maxAuditBatch bounds how many events one write appends.
const maxAuditBatch = 256

func (h *chainHeads) chain(workspace string) *chainHead {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.chains[workspace]
	if !ok {
		c = &chainHead{}
		h.chains[workspace] = c
	}
	return c
}

// String describes the log without its key: whether it is keyed, never
// the key itself.
func (a AuditLog) String() string {
	if len(a.key) == 0 {
		return "workflow.AuditLog{key: none}"
	}
	return "workflow.AuditLog{key: keyed (HMAC-SHA256)}"
}

// GoString is String, so %#v never prints the key.
func (a AuditLog) GoString() string { return a.String() }

// LogValue implements [slog.LogValuer]: whether the log is keyed, never
// the key.
func (a AuditLog) LogValue() slog.Value {
	if len(a.key) == 0 {
		return slog.GroupValue(slog.String("key", "none"))
	}
	return slog.GroupValue(slog.String("key", "keyed (HMAC-SHA256)"))
}

// NewAuditLog returns an audit log over store. key, when not empty, makes
// the chain an HMAC chain: someone who can write the store but does not hold
// the key cannot forge a consistent trail. Keep the key out of the store.
//
// Without a key the chain is plain SHA-256: it detects accidental or partial
// changes, but whoever can rewrite the store can rewrite the whole chain so
// that it verifies again. Production hosts should pass a key (and keep
// [AuditLog.Head] somewhere else too).
func NewAuditLog(store Store, key []byte) *AuditLog {
	return &AuditLog{store: store, key: append([]byte(nil), key...), heads: &chainHeads{chains: map[string]*chainHead{}}}
}

// Append chains e after the last event of e.Workspace's chain and stores
// it, retrying when a concurrent append took the sequence number. It
// returns the stored event. A ctx already done stores nothing; once e is
// queued for a write, the write finishes (bounded by ten seconds) even if
// ctx ends, since the action it records is already saved.
func (a *AuditLog) Append(ctx context.Context, e Event) (Event, error) {
	if err := ctx.Err(); err != nil {
		return Event{}, err
	}
	e.At = e.At.UTC()
	p := &pendingEvent{e: e, done: make(chan struct{})}
	c := a.heads.chain(e.Workspace)
	c.mu.Lock()
	c.queue = append(c.queue, p)
	if c.busy {
		c.mu.Unlock()
		<-p.done
		if !p.writer {
			return p.out, p.err
		}
		c.mu.Lock() // handed the writing over: p heads the queue
	}
	c.busy = true
	n := min(len(c.queue), maxAuditBatch)
	batch := c.queue[:n:n]
	c.queue = c.queue[n:]
	c.mu.Unlock()
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	a.write(wctx, c, batch, p)
	c.mu.Lock()
	if len(c.queue) > 0 {
		// The first of those who queued meanwhile writes next.
		next := c.queue[0]
		next.writer = true
		close(next.done)
	} else {
		c.busy = false
	}
	c.mu.Unlock()
	return p.out, p.err
}

// write appends batch to c's chain and tells every Append waiting in it
// but self, the one writing, how it went. c.mu is not held: only the
// chain's one writer calls it.
func (a *AuditLog) write(ctx context.Context, c *chainHead, batch []*pendingEvent, self *pendingEvent) {
	err := a.append(ctx, c, batch)
	for _, p := range batch {
		if err != nil {
			p.err = err
		}
		if p.err == nil {
			p.out = p.e
		}
		if p != self {
			close(p.done)
		}
	}
}

func (a *AuditLog) append(ctx context.Context, c *chainHead, batch []*pendingEvent) error {
	ca, chained := a.store.(ChainAppender)
	if !chained && len(batch) > 1 {
		for _, p := range batch {
			if err := a.append(ctx, c, []*pendingEvent{p}); err != nil {
				p.err = err
			}
		}
		return nil
	}
	events := make([]Event, len(batch))
	for {
		if !c.known {
			last, ok, err := a.store.LastEvent(ctx, batch[0].e.Workspace)
			if err != nil {
				return err
			}
			c.known, c.found, c.last = true, ok, last
		}
		head := Event{}
		if c.found {
			head = c.last
		}
		for i, p := range batch {
			e := p.e
			e.Seq, e.Prev = head.Seq+1, head.Hash
			e.Hash = hashEvent(e, a.key)
			events[i], head = e, e
			p.e = e
		}
		var err error
		if chained {
			var last Event
			var ok bool
			last, ok, err = ca.AppendAfter(ctx, events)
			if err != nil && errors.Is(err, socialflow.ErrConflict) {
				c.found, c.last = ok, last // the store's head: retry after it
				continue
			}
		} else {
			err = a.store.AppendEvent(ctx, events[0])
			if err != nil && errors.Is(err, socialflow.ErrConflict) {
				c.known = false // read the head again
				continue
			}
		}
		if err != nil {
			c.known = false // the write may or may not have landed
			return err
		}
		c.found, c.last = true, head
		return nil
	}
}

// Verify reads workspace's whole chain and checks it with [VerifyChain].
func (a *AuditLog) Verify(ctx context.Context, workspace string) error {
	events, err := a.store.Events(ctx, workspace, 0, 0)
	if err != nil {
		return err
	}
	return VerifyChain(events, a.key)
}

// Head returns the hash of the last event of workspace's chain ("" when
// empty), for the host to keep elsewhere and check later with
// [VerifyHead].
func (a *AuditLog) Head(ctx context.Context, workspace string) (string, error) {
	last, _, err := a.store.LastEvent(ctx, workspace)
	return last.Hash, err
}
