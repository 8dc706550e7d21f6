package workflow

import (
	"context"
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
	ClaimDue(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]Claim, error)
}

// Claim is one target a [Claimer] claimed: its due-index entry, the lease
// granted for it, and its post as stored when claimed. The lease fences
// every write of the target's results ([PostStore.UpdatePostFenced]).
type Claim struct {
	Entry DueEntry
	Lease Lease
	Post  Post
}

// ChainAppender is an optional extension of an [AuditStore]: appending an
// event after a known chain head, and learning the head in the same step
// when it is not the one expected. [AuditLog] keeps the head of each chain
// it last wrote, so with a ChainAppender an append is one store call, and a
// lost race costs one more instead of a read and a retry. Without one,
// AuditLog uses [AuditStore.AppendEvent] and [AuditStore.LastEvent].
type ChainAppender interface {
	// AppendAfter appends e to the chain of e.Workspace when e continues
	// the chain's last event: that event has Seq e.Seq-1 and Hash e.Prev
	// (for Seq 1, the chain is empty and Prev is ""). The check and the
	// append are one atomic step. Otherwise nothing is stored, and it
	// returns the chain's last event (false when the chain is empty) with
	// a *ConflictError of [ConflictEvent] whose Current is that event's
	// Seq; a head returned beside a conflict may already be stale, so
	// callers retry. On success it returns e and true.
	AppendAfter(ctx context.Context, e Event) (last Event, found bool, err error)
}
