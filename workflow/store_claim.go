package workflow

import (
	"context"
	"fmt"
	"time"
)

// Claimer is an optional extension of a [Store]: claiming due targets in
// batches. When the Store of a [Dispatcher]'s Service implements it
// (type-asserted, as [networks.Publisher] does with [networks.Finder]), each
// step claims its work with ClaimDue — one atomic step for a batch —
// instead of reading the [DueIndex] and acquiring a lease per target.
// workflow/memstore and workflow/pgstore implement it; storetest checks it
// for every store that does.
type Claimer interface {
	// ClaimDue claims, for holder, up to limit targets due at now, in due
	// order ((At, Post, Channel), as [DueIndex.DueTargets] returns them):
	// targets whose lease is valid at now are skipped, and each of the
	// rest is granted the lease of key TargetKey(post, channel) until
	// now+ttl, with a fencing token larger than any earlier grant of that
	// key, exactly as [LeaseStore.Acquire] would grant it. Each claim
	// carries the post as stored when it was claimed. The batch is
	// claimed atomically: concurrent claimers never get the same target.
	// A ttl that is not positive or a limit below 1 is a
	// *ValidationError.
	ClaimDue(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]DueClaim, error)
}

// DueClaim is one target a [Claimer] claimed: its due-index entry, the lease
// granted for it, and its post as stored when claimed. The lease fences
// every write of the target's results ([PostStore.UpdatePostFenced]).
type DueClaim struct {
	Entry DueEntry
	Lease Lease
	Post  Post
}

// ChainAppender is an optional extension of an [AuditStore]: appending
// events after a known chain head, several in one step, and learning the
// head in the same step when it is not the one expected. [AuditLog] keeps
// the head of each chain it last wrote and appends the events that arrive
// while a write is in flight together, so with a ChainAppender an append
// is one store call shared by every event waiting, and a lost race costs
// one more instead of a read and a retry. Without one, AuditLog appends
// one event at a time with [AuditStore.AppendEvent] and reads heads with
// [AuditStore.LastEvent].
type ChainAppender interface {
	// AppendAfter appends events, in order, to the chain of their
	// workspace when events[0] continues the chain's last event: that
	// event has Seq events[0].Seq-1 and Hash events[0].Prev (for Seq 1,
	// the chain is empty and Prev is ""). The events must share one
	// workspace and continue each other (Seq one more, Prev the Hash of
	// the one before); otherwise, or when events is empty, it is a
	// *ValidationError. The check and the append are one atomic step:
	// all events are stored, or none. When the head is not the expected
	// one nothing is stored, and it returns the chain's last event (false
	// when the chain is empty) with a *ConflictError of [ConflictEvent]
	// whose Current is that event's Seq; a head returned beside a
	// conflict may already be stale, so callers retry. On success it
	// returns the last event appended and true.
	AppendAfter(ctx context.Context, events []Event) (last Event, found bool, err error)
}

// CheckChained returns a *ValidationError unless events is a non-empty
// run of one workspace's chain: each event's Seq is one more than the one
// before, and its Prev is that event's Hash. Stores implementing
// [ChainAppender] check their argument with it.
func CheckChained(events []Event) error {
	if len(events) == 0 {
		return &ValidationError{Field: "events", Reason: "must not be empty"}
	}
	for i, e := range events[1:] {
		b := events[i]
		switch {
		case e.Workspace != b.Workspace:
			return &ValidationError{Field: "events.workspace", Value: e.Workspace, Reason: "every event must belong to the workspace of the first, " + b.Workspace}
		case e.Seq != b.Seq+1:
			return &ValidationError{Field: "events.seq", Value: fmt.Sprint(e.Seq), Reason: fmt.Sprintf("must follow %d", b.Seq)}
		case e.Prev != b.Hash:
			return &ValidationError{Field: "events.prev", Value: fmt.Sprint(e.Seq), Reason: "must be the hash of the event before"}
		}
	}
	return nil
}
