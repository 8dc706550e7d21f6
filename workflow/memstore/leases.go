package memstore

import (
	"context"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

// Acquire implements workflow.Store.
func (s *Store) Acquire(ctx context.Context, key, holder string, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	if err := done(ctx); err != nil {
		return workflow.Lease{}, err
	}
	if ttl <= 0 {
		return workflow.Lease{}, &workflow.ValidationError{Field: "lease ttl", Value: ttl.String(), Reason: "must be positive"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.leases[key]; ok && now.Before(cur.Expires) {
		return workflow.Lease{}, &workflow.ConflictError{Kind: workflow.ConflictLease, ID: key, Current: cur.Token, Holder: cur.Holder}
	}
	s.tokens[key]++
	l := workflow.Lease{Key: key, Holder: holder, Token: s.tokens[key], Expires: now.Add(ttl)}
	s.leases[key] = l
	return l, nil
}

// current reports whether l is the current, unexpired grant of its key.
func (s *Store) current(l workflow.Lease, now time.Time) error {
	cur, ok := s.leases[l.Key]
	if !ok || cur.Token != l.Token || !now.Before(cur.Expires) {
		holder, tok := "", int64(0)
		if ok {
			holder, tok = cur.Holder, cur.Token
		}
		return &workflow.ConflictError{Kind: workflow.ConflictLease, ID: l.Key, Current: tok, Holder: holder}
	}
	return nil
}

// Renew implements workflow.Store.
func (s *Store) Renew(ctx context.Context, l workflow.Lease, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	if err := done(ctx); err != nil {
		return workflow.Lease{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.current(l, now); err != nil {
		return workflow.Lease{}, err
	}
	l.Expires = now.Add(ttl)
	s.leases[l.Key] = l
	return l, nil
}

// Release implements workflow.Store.
func (s *Store) Release(ctx context.Context, l workflow.Lease) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.leases[l.Key]; ok && cur.Token == l.Token {
		delete(s.leases, l.Key)
	}
	return nil
}
