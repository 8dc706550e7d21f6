package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/socialflow/socialflow/workflow"
)

// AppendEvent implements [workflow.AuditStore]. The insert is conditional
// on e.Seq following the chain's last event, and the primary key
// (workspace, seq) makes two concurrent appenders of one number collide, so
// a chain never forks.
func (s *Store) AppendEvent(ctx context.Context, e workflow.Event) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("event.workspace", e.Workspace); err != nil {
		return err
	}
	doc, err := json.Marshal(e)
	if err != nil {
		return &InvalidError{Field: "event", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("event", doc); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.events (workspace, seq, doc)
		SELECT $1::text, $2::bigint, $3::jsonb WHERE $2::bigint = 1 + coalesce((SELECT max(seq) FROM {s}.events WHERE workspace = $1), 0)
		ON CONFLICT DO NOTHING`), e.Workspace, e.Seq, doc)
	if err != nil {
		return s.err("append event", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var last int64
	if err := s.pool.QueryRow(ctx, s.sql(`SELECT coalesce(max(seq), 0) FROM {s}.events WHERE workspace = $1`), e.Workspace).Scan(&last); err != nil {
		return s.err("append event", err)
	}
	return &workflow.ConflictError{Kind: workflow.ConflictEvent, ID: fmt.Sprint(e.Seq), Current: last}
}

var _ workflow.ChainAppender = (*Store)(nil)

// AppendAfter implements [workflow.ChainAppender] in one statement: it
// reads the chain's last event and inserts the events only when the first
// continues it (its Seq is one more and its Prev is that event's hash). The
// primary key (workspace, seq) still makes two concurrent appenders of one
// number collide, and the statement then fails as a whole, so a chain never
// forks and a batch is stored entirely or not at all. On a conflict the
// same statement returns the head it read (after a collision, one more
// read).
func (s *Store) AppendAfter(ctx context.Context, events []workflow.Event) (workflow.Event, bool, error) {
	if err := done(ctx); err != nil {
		return workflow.Event{}, false, err
	}
	if err := workflow.CheckChained(events); err != nil {
		return workflow.Event{}, false, err
	}
	first := events[0]
	if err := text("event.workspace", first.Workspace, "event.prev", first.Prev); err != nil {
		return workflow.Event{}, false, err
	}
	seqs := make([]int64, len(events))
	docs := make([][]byte, len(events))
	for i, e := range events {
		doc, err := json.Marshal(e)
		if err != nil {
			return workflow.Event{}, false, &InvalidError{Field: "event", Reason: "cannot be encoded as JSON: " + err.Error()}
		}
		if err := document("event", doc); err != nil {
			return workflow.Event{}, false, err
		}
		seqs[i], docs[i] = e.Seq, doc
	}
	var (
		inserted int64
		headSeq  *int64
		headDoc  []byte
	)
	err := s.pool.QueryRow(ctx, s.sql(`WITH head AS (
		SELECT seq, doc FROM {s}.events WHERE workspace = $1 ORDER BY seq DESC LIMIT 1),
	ins AS (
		INSERT INTO {s}.events (workspace, seq, doc)
		SELECT $1::text, u.seq, u.doc FROM unnest($2::bigint[], $3::jsonb[]) AS u(seq, doc)
		WHERE coalesce((SELECT seq FROM head), 0) = $4::bigint - 1 AND coalesce((SELECT doc->>'hash' FROM head), '') = $5::text
		RETURNING seq)
	SELECT (SELECT count(*) FROM ins), (SELECT seq FROM head), (SELECT doc FROM head)`),
		first.Workspace, seqs, docs, first.Seq, first.Prev).Scan(&inserted, &headSeq, &headDoc)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		// A concurrent appender took a number first: read its head.
		last, ok, err := s.LastEvent(ctx, first.Workspace)
		if err != nil {
			return workflow.Event{}, false, err
		}
		return last, ok, &workflow.ConflictError{Kind: workflow.ConflictEvent, ID: fmt.Sprint(first.Seq), Current: last.Seq}
	}
	if err != nil {
		return workflow.Event{}, false, s.err("append event", err)
	}
	if inserted == int64(len(events)) {
		return events[len(events)-1], true, nil
	}
	if headSeq == nil {
		return workflow.Event{}, false, &workflow.ConflictError{Kind: workflow.ConflictEvent, ID: fmt.Sprint(first.Seq)}
	}
	var last workflow.Event
	if err := json.Unmarshal(headDoc, &last); err != nil {
		return workflow.Event{}, false, &DBError{Op: "decode event", Err: err}
	}
	return last, true, &workflow.ConflictError{Kind: workflow.ConflictEvent, ID: fmt.Sprint(first.Seq), Current: *headSeq}
}

// Events implements [workflow.AuditStore].
func (s *Store) Events(ctx context.Context, workspace string, after int64, limit int) ([]workflow.Event, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("workspace", workspace); err != nil {
		return nil, err
	}
	var lim *int
	if limit > 0 {
		lim = &limit
	}
	out, err := queryDocs[workflow.Event](ctx, s, "list events",
		`SELECT doc FROM {s}.events WHERE workspace = $1 AND seq > $2 ORDER BY seq LIMIT $3`, workspace, after, lim)
	if len(out) == 0 {
		return nil, err
	}
	return out, err
}

// LastEvent implements [workflow.AuditStore].
func (s *Store) LastEvent(ctx context.Context, workspace string) (workflow.Event, bool, error) {
	if err := done(ctx); err != nil {
		return workflow.Event{}, false, err
	}
	if err := text("workspace", workspace); err != nil {
		return workflow.Event{}, false, err
	}
	var doc []byte
	err := s.pool.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.events WHERE workspace = $1 ORDER BY seq DESC LIMIT 1`), workspace).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.Event{}, false, nil
	}
	if err != nil {
		return workflow.Event{}, false, s.err("last event", err)
	}
	var e workflow.Event
	if err := json.Unmarshal(doc, &e); err != nil {
		return workflow.Event{}, false, &DBError{Op: "decode event", Err: err}
	}
	return e, true, nil
}
