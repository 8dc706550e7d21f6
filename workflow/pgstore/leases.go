package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/workflow"
)

// Leases are rows of {s}.leases kept for ever, so a key's token only grows:
// a grant inserts the row with token 1 or, when the stored lease is no
// longer valid at now, takes it over with token+1 — one upsert whose WHERE
// is the validity check. Release sets expires to -infinity. Expiry
// instants are stored rounded up to the microsecond and compared with now
// rounded down, so a lease is never taken over early.

// Acquire implements [workflow.LeaseStore].
func (s *Store) Acquire(ctx context.Context, key, holder string, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	if err := done(ctx); err != nil {
		return workflow.Lease{}, err
	}
	if ttl <= 0 {
		return workflow.Lease{}, &workflow.ValidationError{Field: "lease ttl", Value: ttl.String(), Reason: "must be positive"}
	}
	if err := text("lease.key", key, "lease.holder", holder); err != nil {
		return workflow.Lease{}, err
	}
	exp := now.Add(ttl)
	var token int64
	err := s.pool.QueryRow(ctx, s.sql(`INSERT INTO {s}.leases AS l (key, holder, token, expires) VALUES ($1, $2, 1, $3)
		ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, token = l.token + 1, expires = excluded.expires
		WHERE l.expires <= $4 RETURNING token`), key, holder, ceilMicro(exp), floorMicro(now)).Scan(&token)
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.Lease{}, s.leaseConflict(ctx, key)
	}
	if err != nil {
		return workflow.Lease{}, s.err("acquire lease", err)
	}
	return workflow.Lease{Key: key, Holder: holder, Token: token, Expires: exp}, nil
}

// leaseConflict reads key's current grant into a *ConflictError.
func (s *Store) leaseConflict(ctx context.Context, key string) error {
	ce := &workflow.ConflictError{Kind: workflow.ConflictLease, ID: key}
	err := s.pool.QueryRow(ctx, s.sql(`SELECT holder, token FROM {s}.leases WHERE key = $1`), key).Scan(&ce.Holder, &ce.Current)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return s.err("read lease", err)
	}
	return ce
}

// leaseCurrent returns nil when l is the current grant of its key, valid
// at now, and a *ConflictError otherwise.
func (s *Store) leaseCurrent(ctx context.Context, l workflow.Lease, now time.Time) error {
	var ok bool
	err := s.pool.QueryRow(ctx, s.sql(`SELECT EXISTS (SELECT 1 FROM {s}.leases WHERE key = $1 AND token = $2 AND expires > $3)`),
		l.Key, l.Token, floorMicro(now)).Scan(&ok)
	if err != nil {
		return s.err("read lease", err)
	}
	if !ok {
		return s.leaseConflict(ctx, l.Key)
	}
	return nil
}

// Renew implements [workflow.LeaseStore].
func (s *Store) Renew(ctx context.Context, l workflow.Lease, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	if err := done(ctx); err != nil {
		return workflow.Lease{}, err
	}
	if ttl <= 0 {
		return workflow.Lease{}, &workflow.ValidationError{Field: "lease ttl", Value: ttl.String(), Reason: "must be positive"}
	}
	if err := text("lease.key", l.Key); err != nil {
		return workflow.Lease{}, err
	}
	exp := now.Add(ttl)
	tag, err := s.pool.Exec(ctx, s.sql(`UPDATE {s}.leases SET expires = $4 WHERE key = $1 AND token = $2 AND expires > $3`),
		l.Key, l.Token, floorMicro(now), ceilMicro(exp))
	if err != nil {
		return workflow.Lease{}, s.err("renew lease", err)
	}
	if tag.RowsAffected() == 0 {
		return workflow.Lease{}, s.leaseConflict(ctx, l.Key)
	}
	l.Expires = exp
	return l, nil
}

// Release implements [workflow.LeaseStore]. Releasing a lease that is no
// longer the current grant does nothing.
func (s *Store) Release(ctx context.Context, l workflow.Lease) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("lease.key", l.Key); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, s.sql(`UPDATE {s}.leases SET expires = '-infinity' WHERE key = $1 AND token = $2`), l.Key, l.Token)
	return s.err("release lease", err)
}
