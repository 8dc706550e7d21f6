package memstore

import (
	"context"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

// Spend implements workflow.Store.
func (s *Store) Spend(ctx context.Context, key string, now time.Time) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.spent[key]; ok {
		return &workflow.ConflictError{Kind: workflow.ConflictSpent, ID: key}
	}
	s.spent[key] = now
	return nil
}

// Spent implements workflow.Store.
func (s *Store) Spent(ctx context.Context, key string) (bool, error) {
	if err := done(ctx); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.spent[key]
	return ok, nil
}
