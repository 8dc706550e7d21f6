package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/workflow"
)

// DueTargets implements [workflow.DueIndex]: one range scan of the index
// due_targets_at, from the cursor on.
func (s *Store) DueTargets(ctx context.Context, q workflow.DueQuery) ([]workflow.DueEntry, error) {
	return s.due(ctx, "due targets", `SELECT at, at_ns, post, channel, workspace FROM {s}.due_targets
		WHERE (at, at_ns) <= ($1, $2) AND (at, at_ns, post, channel) > ($3, $4, $5, $6) ORDER BY at, at_ns, post, channel LIMIT $7`, q)
}

// DueDeadlines implements [workflow.DueIndex]: one range scan of the index
// due_deadlines_at.
func (s *Store) DueDeadlines(ctx context.Context, q workflow.DueQuery) ([]workflow.DueEntry, error) {
	return s.due(ctx, "due deadlines", `SELECT at, at_ns, post, '', workspace FROM {s}.due_deadlines
		WHERE (at, at_ns) <= ($1, $2) AND (at, at_ns, post) > ($3, $4, $5) ORDER BY at, at_ns, post LIMIT $6`, q)
}

func (s *Store) due(ctx context.Context, op, sql string, q workflow.DueQuery) ([]workflow.DueEntry, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("query.after.post", q.After.Post, "query.after.channel", q.After.Channel); err != nil {
		return nil, err
	}
	var lim *int
	if q.Limit > 0 {
		lim = &q.Limit
	}
	bUS, bNS := splitNano(q.Before)
	aUS, aNS := splitNano(q.After.At)
	args := []any{bUS, bNS, aUS, aNS, q.After.Post, q.After.Channel, lim}
	if op == "due deadlines" {
		args = []any{bUS, bNS, aUS, aNS, q.After.Post, lim}
	}
	rows, err := s.pool.Query(ctx, s.sql(sql), args...)
	if err != nil {
		return nil, s.err(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (workflow.DueEntry, error) {
		var (
			e  workflow.DueEntry
			ns int32
		)
		err := r.Scan(&e.At, &ns, &e.Post, &e.Channel, &e.Workspace)
		e.At = joinNano(e.At, ns)
		return e, err
	})
	if err != nil {
		return nil, s.err(op, err)
	}
	return out, nil
}

var _ workflow.Claimer = (*Store)(nil)

// ClaimDue implements [workflow.Claimer]: it claims up to limit targets due
// at now for holder, in due order, in one statement that reads the due
// index with FOR UPDATE SKIP LOCKED (so concurrent claimers take disjoint
// batches without waiting), skips targets whose lease is live at now,
// grants each of the rest a lease until now+ttl — a new row with token 1,
// or a take-over of an expired or released lease with its token plus one —
// and returns each with its post. Each returned lease fences the writes of
// its target's results ([Store.UpdatePostFenced]). The statement commits on
// its own: no transaction stays open while the caller publishes.
func (s *Store) ClaimDue(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]workflow.DueClaim, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if ttl <= 0 {
		return nil, &workflow.ValidationError{Field: "lease ttl", Value: ttl.String(), Reason: "must be positive"}
	}
	if limit < 1 {
		return nil, &workflow.ValidationError{Field: "claim limit", Value: itoa(limit), Reason: "must be at least 1"}
	}
	if err := text("lease.holder", holder); err != nil {
		return nil, err
	}
	exp := now.Add(ttl)
	nowUS, nowNS := splitNano(now)
	rows, err := s.pool.Query(ctx, s.sql(`WITH due AS (
		SELECT d.at, d.at_ns, d.post, d.channel, d.workspace, d.post || '/' || d.channel AS key
		FROM {s}.due_targets d
		WHERE (d.at, d.at_ns) <= ($5, $6) AND NOT EXISTS (
			SELECT 1 FROM {s}.leases l WHERE l.key = d.post || '/' || d.channel AND l.expires > $1)
		ORDER BY d.at, d.at_ns, d.post, d.channel LIMIT $4
		FOR UPDATE OF d SKIP LOCKED),
	granted AS (
		INSERT INTO {s}.leases AS l (key, holder, token, expires)
		SELECT key, $2, 1, $3 FROM due
		ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, token = l.token + 1, expires = excluded.expires
		WHERE l.expires <= $1
		RETURNING l.key, l.token)
	SELECT due.at, due.at_ns, due.post, due.channel, due.workspace, granted.token, p.rev, p.doc
	FROM due JOIN granted ON granted.key = due.key JOIN {s}.posts p ON p.id = due.post
	ORDER BY due.at, due.at_ns, due.post, due.channel`), floorMicro(now), holder, ceilMicro(exp), limit, nowUS, nowNS)
	if err != nil {
		return nil, s.err("claim due targets", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (workflow.DueClaim, error) {
		var (
			c   workflow.DueClaim
			ns  int32
			rev int64
			doc []byte
		)
		if err := r.Scan(&c.Entry.At, &ns, &c.Entry.Post, &c.Entry.Channel, &c.Entry.Workspace, &c.Lease.Token, &rev, &doc); err != nil {
			return c, err
		}
		c.Entry.At = joinNano(c.Entry.At, ns)
		p, err := decodePost(doc, rev)
		c.Post = p
		c.Lease.Key = c.Entry.Post + "/" + c.Entry.Channel
		c.Lease.Holder = holder
		c.Lease.Expires = exp
		return c, err
	})
	if err != nil {
		return nil, s.err("claim due targets", err)
	}
	return out, nil
}
