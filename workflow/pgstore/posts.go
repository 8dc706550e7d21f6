package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/workflow"
)

// ceilMicro rounds t up to PostgreSQL's microsecond resolution, so an index
// key is never earlier than the instant it stands for.
func ceilMicro(t time.Time) time.Time {
	t = t.UTC()
	if tr := t.Truncate(time.Microsecond); !tr.Equal(t) {
		return tr.Add(time.Microsecond)
	}
	return t.Round(0)
}

// floorMicro rounds t down to the microsecond: an instant compared against
// stored keys.
func floorMicro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// postRow is what a post write stores beside the document: the columns and
// the due-index keys.
type postRow struct {
	doc      []byte
	channels []string    // due targets: channel
	ats      []time.Time // and key, to the microsecond
	nss      []int32     // and the key's nanoseconds below the microsecond
	deadline *time.Time  // approval deadline key, nil when none
	dlNS     int32
	// The calendar range index: planned targets and their instants.
	planned    []string
	plannedAts []time.Time
	plannedNSs []int32
}

// splitNano splits t into PostgreSQL's microsecond instant and the
// nanoseconds below it.
func splitNano(t time.Time) (time.Time, int32) {
	t = t.UTC()
	us := t.Truncate(time.Microsecond)
	return us, int32(t.Sub(us))
}

// joinNano is splitNano's inverse.
func joinNano(us time.Time, ns int32) time.Time { return us.UTC().Add(time.Duration(ns)) }

// encodePost checks p's strings and computes what a write of p stores.
func encodePost(p workflow.Post) (postRow, error) {
	if err := text("post.id", p.ID, "post.workspace", p.Workspace, "post.state", string(p.State)); err != nil {
		return postRow{}, err
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return postRow{}, &InvalidError{Field: "post", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("post", doc); err != nil {
		return postRow{}, err
	}
	r := postRow{doc: doc, channels: []string{}, ats: []time.Time{}, nss: []int32{}, planned: []string{}, plannedAts: []time.Time{}, plannedNSs: []int32{}}
	seen := map[string]bool{}
	for _, t := range p.Targets {
		if seen[t.Channel] {
			continue // Post.Target(channel) is the first one
		}
		seen[t.Channel] = true
		if at, ok := p.PlannedAt(t.Channel); ok {
			us, ns := splitNano(at)
			r.planned = append(r.planned, t.Channel)
			r.plannedAts = append(r.plannedAts, us)
			r.plannedNSs = append(r.plannedNSs, ns)
		}
		if at, ok := t.NextAction(); ok {
			us, ns := splitNano(at)
			r.channels = append(r.channels, t.Channel)
			r.ats = append(r.ats, us)
			r.nss = append(r.nss, ns)
		}
	}
	if at, ok := p.NextDeadline(); ok {
		us, ns := splitNano(at)
		r.deadline, r.dlNS = &us, ns
	}
	return r, nil
}

// indexCTEs keeps both due indexes in step with the post written by the
// CTE "w" (which returns id): stale entries go, current ones are upserted,
// all in the write's statement. $2 is the workspace, $7 the channels, $8
// their keys and $10 the keys' nanoseconds, $9 the deadline key and $11 its
// nanoseconds; $12, $13 and $14 are the planned targets' channels, instants
// and nanoseconds (the calendar range index).
const indexCTEs = `,
dp AS (DELETE FROM {s}.planned_targets d USING w WHERE d.post = w.id AND NOT (d.channel = ANY ($12::text[]))),
ip AS (INSERT INTO {s}.planned_targets (post, channel, workspace, at, at_ns)
	SELECT w.id, u.c, $2, u.a, u.n FROM w, unnest($12::text[], $13::timestamptz[], $14::integer[]) AS u(c, a, n)
	ON CONFLICT (post, channel) DO UPDATE SET workspace = excluded.workspace, at = excluded.at, at_ns = excluded.at_ns),
dt AS (DELETE FROM {s}.due_targets d USING w WHERE d.post = w.id AND NOT (d.channel = ANY ($7::text[]))),
it AS (INSERT INTO {s}.due_targets (post, channel, at, at_ns, workspace)
	SELECT w.id, u.c, u.a, u.n, $2 FROM w, unnest($7::text[], $8::timestamptz[], $10::integer[]) AS u(c, a, n)
	ON CONFLICT (post, channel) DO UPDATE SET at = excluded.at, at_ns = excluded.at_ns, workspace = excluded.workspace),
dd AS (DELETE FROM {s}.due_deadlines d USING w WHERE d.post = w.id AND $9::timestamptz IS NULL),
id AS (INSERT INTO {s}.due_deadlines (post, at, at_ns, workspace)
	SELECT w.id, $9::timestamptz, $11::integer, $2 FROM w WHERE $9::timestamptz IS NOT NULL
	ON CONFLICT (post) DO UPDATE SET at = excluded.at, at_ns = excluded.at_ns, workspace = excluded.workspace)
SELECT rev FROM w`

// CreatePost implements [workflow.PostStore]: one statement stores the post
// and its due-index entries.
func (s *Store) CreatePost(ctx context.Context, p workflow.Post) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	p = p.Clone()
	p.Rev = 1
	r, err := encodePost(p)
	if err != nil {
		return workflow.Post{}, err
	}
	var rev int64
	err = s.pool.QueryRow(ctx, s.sql(`WITH w AS (
		INSERT INTO {s}.posts (id, workspace, state, rev, doc, created_at, updated_at)
		VALUES ($1, $2, $3, 1, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id, rev)`+indexCTEs),
		p.ID, p.Workspace, string(p.State), r.doc, p.CreatedAt, p.UpdatedAt, r.channels, r.ats, r.deadline, r.nss, r.dlNS, r.planned, r.plannedAts, r.plannedNSs).Scan(&rev)
	if errors.Is(err, pgx.ErrNoRows) {
		cur, _ := s.currentRev(ctx, p.ID)
		return workflow.Post{}, &workflow.ConflictError{Kind: workflow.ConflictPost, ID: p.ID, Current: cur}
	}
	if err != nil {
		return workflow.Post{}, s.err("create post", err)
	}
	return p, nil
}

// currentRev returns the stored revision of post id, or a *NotFoundError.
func (s *Store) currentRev(ctx context.Context, id string) (int64, error) {
	var rev int64
	err := s.pool.QueryRow(ctx, s.sql(`SELECT rev FROM {s}.posts WHERE id = $1`), id).Scan(&rev)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, &workflow.NotFoundError{Kind: "post", ID: id}
	}
	return rev, s.err("read post revision", err)
}

// GetPost implements [workflow.PostStore].
func (s *Store) GetPost(ctx context.Context, id string) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	if err := text("post.id", id); err != nil {
		return workflow.Post{}, err
	}
	var (
		doc []byte
		rev int64
	)
	err := s.pool.QueryRow(ctx, s.sql(`SELECT rev, doc FROM {s}.posts WHERE id = $1`), id).Scan(&rev, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.Post{}, &workflow.NotFoundError{Kind: "post", ID: id}
	}
	if err != nil {
		return workflow.Post{}, s.err("get post", err)
	}
	return decodePost(doc, rev)
}

func decodePost(doc []byte, rev int64) (workflow.Post, error) {
	var p workflow.Post
	if err := json.Unmarshal(doc, &p); err != nil {
		return workflow.Post{}, &DBError{Op: "decode post", Err: err}
	}
	p.Rev = rev
	return p, nil
}

// update is UpdatePost and UpdatePostFenced: one statement that writes p
// when its Rev is current (and, with a lease, while the lease is the
// current grant of its key and valid at now, the lease row held FOR SHARE
// so a take-over waits for the write), and keeps the due indexes in step.
func (s *Store) update(ctx context.Context, p workflow.Post, l *workflow.Lease, now time.Time) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	p = p.Clone()
	base := p.Rev
	p.Rev++
	r, err := encodePost(p)
	if err != nil {
		return workflow.Post{}, err
	}
	args := []any{p.ID, p.Workspace, string(p.State), r.doc, base, p.UpdatedAt, r.channels, r.ats, r.deadline, r.nss, r.dlNS, r.planned, r.plannedAts, r.plannedNSs}
	fence := ""
	if l != nil {
		if err := text("lease.key", l.Key); err != nil {
			return workflow.Post{}, err
		}
		fence = ` AND EXISTS (SELECT 1 FROM {s}.leases WHERE key = $15 AND token = $16 AND expires > $17 FOR SHARE)`
		args = append(args, l.Key, l.Token, floorMicro(now))
	}
	var rev int64
	err = s.pool.QueryRow(ctx, s.sql(`WITH w AS (
		UPDATE {s}.posts SET workspace = $2, state = $3, rev = rev + 1, doc = $4, updated_at = $6
		WHERE id = $1 AND rev = $5`+fence+` RETURNING id, rev)`+indexCTEs), args...).Scan(&rev)
	if err == nil {
		return p, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return workflow.Post{}, s.err("update post", err)
	}
	if l != nil {
		if err := s.leaseCurrent(ctx, *l, now); err != nil {
			return workflow.Post{}, err
		}
	}
	cur, err := s.currentRev(ctx, p.ID)
	if err != nil {
		return workflow.Post{}, err
	}
	return workflow.Post{}, &workflow.ConflictError{Kind: workflow.ConflictPost, ID: p.ID, Current: cur}
}

// UpdatePost implements [workflow.PostStore] (optimistic concurrency on
// Rev, in one statement with the due-index changes).
func (s *Store) UpdatePost(ctx context.Context, p workflow.Post) (workflow.Post, error) {
	return s.update(ctx, p, nil, time.Time{})
}

// UpdatePostFenced implements [workflow.PostStore]: the fencing check is in
// the write's own statement.
func (s *Store) UpdatePostFenced(ctx context.Context, p workflow.Post, l workflow.Lease, now time.Time) (workflow.Post, error) {
	return s.update(ctx, p, &l, now)
}

// ListPosts implements [workflow.PostStore].
func (s *Store) ListPosts(ctx context.Context, q workflow.PostQuery) ([]workflow.Post, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	states := make([]string, 0, len(q.States))
	for _, st := range q.States {
		states = append(states, string(st))
	}
	if err := text("query.workspace", q.Workspace); err != nil {
		return nil, err
	}
	for _, st := range states {
		if err := text("query.states", st); err != nil {
			return nil, err
		}
	}
	var sql string
	switch {
	case q.Workspace != "" && len(states) > 0:
		sql = `SELECT rev, doc FROM {s}.posts WHERE workspace = $1 AND state = ANY ($2::text[]) ORDER BY id`
	case q.Workspace != "":
		sql = `SELECT rev, doc FROM {s}.posts WHERE workspace = $1 AND cardinality($2::text[]) = 0 ORDER BY id`
	case len(states) > 0:
		sql = `SELECT rev, doc FROM {s}.posts WHERE $1 = '' AND state = ANY ($2::text[]) ORDER BY id`
	default:
		sql = `SELECT rev, doc FROM {s}.posts WHERE $1 = '' AND cardinality($2::text[]) = 0 ORDER BY id`
	}
	rows, err := s.pool.Query(ctx, s.sql(sql), q.Workspace, states)
	if err != nil {
		return nil, s.err("list posts", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (workflow.Post, error) {
		var (
			rev int64
			doc []byte
		)
		if err := r.Scan(&rev, &doc); err != nil {
			return workflow.Post{}, err
		}
		return decodePost(doc, rev)
	})
	if err != nil {
		return nil, s.err("list posts", err)
	}
	return out, nil
}

// AddVersion implements [workflow.PostStore]; the primary key (post,
// number) refuses a second version of a number.
func (s *Store) AddVersion(ctx context.Context, v workflow.Version) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("version.post", v.Post); err != nil {
		return err
	}
	doc, err := json.Marshal(v)
	if err != nil {
		return &InvalidError{Field: "version", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("version", doc); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.versions (post, number, doc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`), v.Post, v.Number, doc)
	if err != nil {
		return s.err("add version", err)
	}
	if tag.RowsAffected() == 0 {
		var n int64
		_ = s.pool.QueryRow(ctx, s.sql(`SELECT count(*) FROM {s}.versions WHERE post = $1`), v.Post).Scan(&n)
		return &workflow.ConflictError{Kind: workflow.ConflictVersion, ID: fmt.Sprintf("%s#%d", v.Post, v.Number), Current: n}
	}
	return nil
}

// Versions implements [workflow.PostStore].
func (s *Store) Versions(ctx context.Context, post string) ([]workflow.Version, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("post.id", post); err != nil {
		return nil, err
	}
	return queryDocs[workflow.Version](ctx, s, "list versions", `SELECT doc FROM {s}.versions WHERE post = $1 ORDER BY number`, post)
}

// queryDocs runs a query whose single column is a JSON document and decodes
// each row into a T.
func queryDocs[T any](ctx context.Context, s *Store, op, sql string, args ...any) ([]T, error) {
	rows, err := s.pool.Query(ctx, s.sql(sql), args...)
	if err != nil {
		return nil, s.err(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) {
		var (
			doc []byte
			v   T
		)
		if err := r.Scan(&doc); err != nil {
			return v, err
		}
		return v, json.Unmarshal(doc, &v)
	})
	if err != nil {
		return nil, s.err(op, err)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}
