// Package memstore is the in-memory [workflow.Store], socialflow's embedded
// default. It passes the storetest conformance suite. Data lives as long as
// the Store value; use it for tests, examples and single-process hosts that
// do not need durability.
package memstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

// Store is an in-memory workflow.Store. The zero value is not usable; call
// [New]. It is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	posts    map[string]workflow.Post
	versions map[string][]workflow.Version
	comments map[string][]workflow.Comment
	tasks    map[string]workflow.Task
	events   map[string][]workflow.Event // audit chains by workspace
	leases   map[string]workflow.Lease
	tokens   map[string]int64
	spent    map[string]time.Time

	// State of the other concerns, each in its own file.
	team  teamState
	plan  planState
	due   dueState
	inbox inboxState
}

var _ workflow.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		posts:    map[string]workflow.Post{},
		versions: map[string][]workflow.Version{},
		comments: map[string][]workflow.Comment{},
		tasks:    map[string]workflow.Task{},
		leases:   map[string]workflow.Lease{},
		tokens:   map[string]int64{},
		spent:    map[string]time.Time{},
	}
}

// indexPost keeps the indexes over posts in step with a write: old is the
// stored post before the write (nil for a new post), p the post stored.
// It runs under s.mu, after the write succeeded.
func (s *Store) indexPost(old *workflow.Post, p workflow.Post) {
	s.due.index(old, p)
	s.plan.index(old, p)
}

func done(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	return nil
}
