package pgstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// LoadTeam implements [workflow.TeamStore]: the schema's one team
// document, with Rev 0 while none is stored.
func (s *Store) LoadTeam(ctx context.Context) (team.TeamDoc, error) {
	if err := done(ctx); err != nil {
		return team.TeamDoc{}, err
	}
	var (
		rev int64
		doc []byte
	)
	err := s.pool.QueryRow(ctx, s.sql(`SELECT rev, doc FROM {s}.team WHERE id = 1`)).Scan(&rev, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return team.TeamDoc{}, nil
	}
	if err != nil {
		return team.TeamDoc{}, s.err("load team", err)
	}
	var d team.TeamDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return team.TeamDoc{}, &DBError{Op: "decode team", Err: err}
	}
	d.Rev = rev
	return d, nil
}

// TeamRev implements [workflow.TeamStore].
func (s *Store) TeamRev(ctx context.Context) (int64, error) {
	if err := done(ctx); err != nil {
		return 0, err
	}
	var rev int64
	err := s.pool.QueryRow(ctx, s.sql(`SELECT coalesce((SELECT rev FROM {s}.team WHERE id = 1), 0)`)).Scan(&rev)
	return rev, s.err("read team revision", err)
}

// SaveTeam implements [workflow.TeamStore]: one conditional statement
// (an insert for Rev 0, an update of the current Rev otherwise).
func (s *Store) SaveTeam(ctx context.Context, d team.TeamDoc) (team.TeamDoc, error) {
	if err := done(ctx); err != nil {
		return team.TeamDoc{}, err
	}
	base := d.Rev
	d.Rev++
	doc, err := json.Marshal(d)
	if err != nil {
		return team.TeamDoc{}, &InvalidError{Field: "team", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("team", doc); err != nil {
		return team.TeamDoc{}, err
	}
	sql := `UPDATE {s}.team SET rev = rev + 1, doc = $2 WHERE id = 1 AND rev = $1`
	if base == 0 {
		sql = `INSERT INTO {s}.team (id, rev, doc) SELECT 1, 1, $2 WHERE $1::bigint = 0 ON CONFLICT DO NOTHING`
	}
	tag, err := s.pool.Exec(ctx, s.sql(sql), base, doc)
	if err != nil {
		return team.TeamDoc{}, s.err("save team", err)
	}
	if tag.RowsAffected() == 0 {
		cur, err := s.TeamRev(ctx)
		if err != nil {
			return team.TeamDoc{}, err
		}
		return team.TeamDoc{}, &workflow.ConflictError{Kind: workflow.ConflictTeam, ID: "team", Current: cur}
	}
	// Round-trip through JSON so the result shares nothing with d.
	var out team.TeamDoc
	if err := json.Unmarshal(doc, &out); err != nil {
		return team.TeamDoc{}, &DBError{Op: "decode team", Err: err}
	}
	out.Rev = d.Rev
	return out, nil
}
