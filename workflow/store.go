package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
)

// Store persists posts, versions, comments, tasks, audit events and publish
// leases. The host implements it over its own database; [memstore] is the
// embedded default and [storetest] the conformance suite every
// implementation must pass.
//
// Contract, checked by storetest:
//
//   - Every method takes ctx first and returns ctx.Err() (wrapped) when ctx
//     is done before it did anything.
//   - Returned values are copies: changing them changes nothing stored.
//   - Optimistic concurrency: UpdatePost stores p only when p.Rev equals the
//     stored Rev, and stores it with Rev+1; otherwise it returns a
//     [*ConflictError] (matching socialflow.ErrConflict) naming the current
//     Rev, and nothing changes. Two writers that read the same Rev: exactly
//     one wins.
//   - Leases: Acquire grants key to holder until now+ttl unless a lease of
//     key is still valid at now, whoever holds it ([*ConflictError]; the
//     holder extends its own lease with Renew). Each grant
//     carries a fencing Token larger than any earlier grant of that key.
//     Renew extends a lease that is still the current grant and valid at
//     now; Release ends it. UpdatePostFenced writes like UpdatePost but only
//     while lease is the current grant of its key and valid at now, so a
//     worker that lost its lease cannot record a result.
//   - Methods are safe for concurrent use.
//
// [memstore]: https://pkg.go.dev/github.com/socialflow/socialflow/workflow/memstore
// [storetest]: https://pkg.go.dev/github.com/socialflow/socialflow/workflow/storetest
type Store interface {
	PostStore
	CollabStore
	AuditStore
	KeyStore
	LeaseStore
	TeamStore
	PlanStore
	DueIndex
	InboxStore
}

// PostStore persists posts and their versions (see [Store] for the
// contract every method keeps).
type PostStore interface {
	// CreatePost stores a new post with Rev 1 and returns it. An existing
	// ID is a *ConflictError.
	CreatePost(ctx context.Context, p Post) (Post, error)
	// GetPost returns the post, or a *NotFoundError.
	GetPost(ctx context.Context, id string) (Post, error)
	// UpdatePost stores p if p.Rev is current (see the type documentation).
	UpdatePost(ctx context.Context, p Post) (Post, error)
	// UpdatePostFenced is UpdatePost guarded by lease (see the type
	// documentation).
	UpdatePostFenced(ctx context.Context, p Post, lease Lease, now time.Time) (Post, error)
	// ListPosts returns the posts matching q, ordered by ID.
	ListPosts(ctx context.Context, q PostQuery) ([]Post, error)

	// AddVersion stores a content version. A (Post, Number) pair that
	// exists is a *ConflictError.
	AddVersion(ctx context.Context, v Version) error
	// Versions returns the versions of a post, oldest first.
	Versions(ctx context.Context, post string) ([]Version, error)
}

// CollabStore persists comments and tasks.
type CollabStore interface {
	// PutComment creates or replaces the comment with c.ID.
	PutComment(ctx context.Context, c Comment) error
	// Comments returns the comments of a post, in creation order.
	Comments(ctx context.Context, post string) ([]Comment, error)

	// PutTask creates or replaces the task with t.ID. A task ID stored
	// for another workspace is a *ConflictError (Kind "task"): an ID never
	// crosses workspaces.
	PutTask(ctx context.Context, t Task) error
	// Tasks returns the tasks matching q, ordered by due time then ID.
	Tasks(ctx context.Context, q TaskQuery) ([]Task, error)
}

// AuditStore persists the audit trail: one chain per workspace (events
// without a workspace form their own chain under ""), so writers serving
// different workspaces never contend on one sequence.
type AuditStore interface {
	// AppendEvent appends e to the chain of e.Workspace. e.Seq must be one
	// more than the last stored event's of that chain (1 for the first):
	// otherwise a *ConflictError (Kind "event"), so concurrent appenders
	// cannot fork a chain.
	AppendEvent(ctx context.Context, e Event) error
	// Events returns up to limit events of workspace's chain with Seq >
	// after, in order (limit <= 0: all).
	Events(ctx context.Context, workspace string, after int64, limit int) ([]Event, error)
	// LastEvent returns the last event of workspace's chain, and false
	// when that chain is empty.
	LastEvent(ctx context.Context, workspace string) (Event, bool, error)
}

// KeyStore records single-use keys.
type KeyStore interface {
	// Spend records that the single-use key (an approval link's token ID)
	// was used at now. A key spent before is a *ConflictError of
	// [ConflictSpent], matching socialflow.ErrDuplicate; the check and the record
	// are one atomic step.
	Spend(ctx context.Context, key string, now time.Time) error
	// Spent reports whether key was spent, without spending it.
	Spent(ctx context.Context, key string) (bool, error)
}

// LeaseStore grants fenced leases.
type LeaseStore interface {
	// Acquire, Renew and Release manage leases (see the type documentation).
	Acquire(ctx context.Context, key, holder string, now time.Time, ttl time.Duration) (Lease, error)
	Renew(ctx context.Context, l Lease, now time.Time, ttl time.Duration) (Lease, error)
	Release(ctx context.Context, l Lease) error
}

// PostQuery filters [PostStore.ListPosts]. Zero fields match everything.
// What is due is answered by the [DueIndex], not by a query over posts.
type PostQuery struct {
	Workspace string
	States    []State
}

// TaskQuery filters [CollabStore.Tasks]. Zero fields match everything.
type TaskQuery struct {
	// ID keeps only the task with this ID, of whichever workspace. The
	// Service checks the IDs it gets back, so a store that ignores ID is
	// correct, only slower.
	ID        string
	Workspace string
	Assignee  string
	Post      string
	Open      bool // only tasks not done
}

// Lease is a time-limited claim of a key (a post target) by one holder.
type Lease struct {
	Key     string    `json:"key"`
	Holder  string    `json:"holder"`
	Token   int64     `json:"token"` // fencing token, grows with every grant of Key
	Expires time.Time `json:"expires"`
}

// ConflictKind says what a [ConflictError] lost its race on. The
// Dispatcher and the Service decide from it (a stale post revision is
// merged and retried, a lost lease gives the work up, a stale team or plan
// revision is re-read and retried), so every [Store] must report the kind
// named on each of its methods; storetest checks them.
type ConflictKind string

// The conflict kinds a [Store] reports.
const (
	ConflictPost          ConflictKind = "post"           // CreatePost of a stored ID; UpdatePost, UpdatePostFenced of a stale Rev
	ConflictVersion       ConflictKind = "version"        // AddVersion of a stored number
	ConflictEvent         ConflictKind = "event"          // AppendEvent out of sequence
	ConflictLease         ConflictKind = "lease"          // Acquire of a live lease; Renew, UpdatePostFenced with a lost lease
	ConflictSpent         ConflictKind = "spent"          // a single-use key used again; matches socialflow.ErrDuplicate
	ConflictTask          ConflictKind = "task"           // a task ID of another workspace
	ConflictTeam          ConflictKind = "team"           // SaveTeam of a stale revision
	ConflictPlan          ConflictKind = "plan"           // PutPlan of a stale revision
	ConflictWorkspacePlan ConflictKind = "workspace_plan" // PutWorkspacePlan of a stale revision
)

// ConflictError reports a write that lost a race: a stale revision, an
// existing ID, or a lease held by someone else. It matches
// socialflow.ErrConflict (socialflow.ErrDuplicate for [ConflictSpent]).
type ConflictError struct {
	Kind    ConflictKind
	ID      string
	Current int64  // the current revision (posts, team, plans), sequence (events) or token (leases)
	Holder  string // the current lease holder, for leases
}

func (e *ConflictError) Error() string {
	id := echo.Quote(e.ID)
	switch e.Kind {
	case ConflictLease:
		return fmt.Sprintf("workflow: lease %s is held by %s (token %d)", id, echo.Quote(e.Holder), e.Current)
	case ConflictPost:
		return fmt.Sprintf("workflow: post %s changed meanwhile: current revision %d", id, e.Current)
	case ConflictSpent:
		return fmt.Sprintf("workflow: %s was already used", id)
	}
	return fmt.Sprintf("workflow: %s %s conflicts (current %d)", e.Kind, id, e.Current)
}

// Is reports whether target is socialflow.ErrConflict, or, for a spent
// single-use key ([ConflictSpent]), socialflow.ErrDuplicate.
func (e *ConflictError) Is(target error) bool {
	if e.Kind == ConflictSpent {
		return target == socialflow.ErrDuplicate
	}
	return target == socialflow.ErrConflict
}
