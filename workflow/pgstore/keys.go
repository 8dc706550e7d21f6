package pgstore

import (
	"context"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

// Spend implements [workflow.KeyStore]: the primary key of spent_keys is
// the single-use check, so check and record are one statement.
func (s *Store) Spend(ctx context.Context, key string, now time.Time) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("key", key); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.spent_keys (key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING`), key, now.UTC())
	if err != nil {
		return s.err("spend key", err)
	}
	if tag.RowsAffected() == 0 {
		return &workflow.ConflictError{Kind: workflow.ConflictSpent, ID: key}
	}
	return nil
}

// Spent implements [workflow.KeyStore].
func (s *Store) Spent(ctx context.Context, key string) (bool, error) {
	if err := done(ctx); err != nil {
		return false, err
	}
	if err := text("key", key); err != nil {
		return false, err
	}
	var ok bool
	err := s.pool.QueryRow(ctx, s.sql(`SELECT EXISTS (SELECT 1 FROM {s}.spent_keys WHERE key = $1)`), key).Scan(&ok)
	return ok, s.err("read key", err)
}
