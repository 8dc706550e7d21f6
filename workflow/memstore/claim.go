package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

var _ workflow.Claimer = (*Store)(nil)

// ClaimDue implements [workflow.Claimer]: under the store's lock it walks
// the due index from its start, skips targets whose lease is valid at now
// and grants the rest a lease, as Acquire would.
func (s *Store) ClaimDue(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]workflow.DueClaim, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if ttl <= 0 {
		return nil, &workflow.ValidationError{Field: "lease ttl", Value: ttl.String(), Reason: "must be positive"}
	}
	if limit < 1 {
		return nil, &workflow.ValidationError{Field: "claim limit", Value: fmt.Sprint(limit), Reason: "must be at least 1"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []workflow.DueClaim
	q := workflow.DueQuery{Before: now, Limit: limit}
	for len(out) < limit {
		page := s.due.targets.page(q)
		for _, e := range page {
			key := workflow.TargetKey(e.Post, e.Channel)
			if cur, ok := s.leases[key]; ok && now.Before(cur.Expires) {
				continue
			}
			s.tokens[key]++
			l := workflow.Lease{Key: key, Holder: holder, Token: s.tokens[key], Expires: now.Add(ttl)}
			s.leases[key] = l
			out = append(out, workflow.DueClaim{Entry: e, Lease: l, Post: s.posts[e.Post].Clone()})
			if len(out) == limit {
				break
			}
		}
		if len(page) < q.Limit {
			break
		}
		q.After = page[len(page)-1]
	}
	return out, nil
}
