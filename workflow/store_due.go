package workflow

import (
	"cmp"
	"context"
	"strings"
	"time"
)

// DueIndex finds the work that falls due at or before an instant without
// scanning every post: the targets the [Dispatcher] must look at, and the
// posts in review whose approval deadlines [Service.CheckDeadlines] must
// apply. A store keeps both indexes in step with every post write
// (CreatePost, UpdatePost, UpdatePostFenced), in the same atomic step as the
// write, so a reader never sees a post and an index that disagree.
//
// Due means, precisely:
//
//   - a target is due at T when [Target.NextAction] returns (at, true)
//     and at is not after T; its key is at. The post's state does not
//     matter (the Dispatcher settles targets of a post that is no longer
//     dispatchable);
//   - a post's deadline is due at T when [Post.NextDeadline] returns
//     (at, true) and at is not after T; its key is at.
//
// Both methods return entries ordered by (At, Post, Channel), strictly
// after q.After, and at most q.Limit of them. In a database they are one
// range scan over an index on the stored key, O(log n + k); memstore keeps
// an ordered skip list.
type DueIndex interface {
	// DueTargets returns the targets due at or before q.Before (see the
	// type documentation).
	DueTargets(ctx context.Context, q DueQuery) ([]DueEntry, error)
	// DueDeadlines returns the posts whose approval deadline is due at or
	// before q.Before (see the type documentation); Channel is empty.
	DueDeadlines(ctx context.Context, q DueQuery) ([]DueEntry, error)
}

// DueQuery selects a page of a [DueIndex].
type DueQuery struct {
	// Before is the instant: entries due at or before it are returned.
	Before time.Time
	// After is a cursor: only entries ordered strictly after it are
	// returned (the zero DueEntry starts at the beginning). Pass the last
	// entry of a page to get the next page.
	After DueEntry
	// Limit bounds the page; zero or less means no bound.
	Limit int
}

// DueEntry is one entry of a [DueIndex]: a post's target (or, for
// deadlines, the post itself) and when it falls due.
type DueEntry struct {
	At        time.Time `json:"at"`
	Post      string    `json:"post"`
	Channel   string    `json:"channel,omitempty"`
	Workspace string    `json:"workspace"`
}

// Compare orders entries by At, then Post, then Channel (the order of a
// [DueIndex]); it returns -1, 0 or +1.
func (e DueEntry) Compare(o DueEntry) int {
	return cmp.Or(e.At.Compare(o.At), strings.Compare(e.Post, o.Post), strings.Compare(e.Channel, o.Channel))
}
