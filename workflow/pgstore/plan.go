package pgstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/workflow"
)

// Plan implements [workflow.PlanStore].
func (s *Store) Plan(ctx context.Context, channel string) (workflow.ChannelPlan, error) {
	if err := done(ctx); err != nil {
		return workflow.ChannelPlan{}, err
	}
	if err := text("plan.channel", channel); err != nil {
		return workflow.ChannelPlan{}, err
	}
	var (
		rev int64
		doc []byte
	)
	err := s.pool.QueryRow(ctx, s.sql(`SELECT rev, doc FROM {s}.channel_plans WHERE channel = $1`), channel).Scan(&rev, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.ChannelPlan{Channel: channel}, nil
	}
	if err != nil {
		return workflow.ChannelPlan{}, s.err("get plan", err)
	}
	var pl workflow.ChannelPlan
	if err := json.Unmarshal(doc, &pl); err != nil {
		return workflow.ChannelPlan{}, &DBError{Op: "decode plan", Err: err}
	}
	pl.Rev = rev
	return pl, nil
}

// PutPlan implements [workflow.PlanStore]: optimistic concurrency on Rev in
// one statement, so booking a slot is atomic.
func (s *Store) PutPlan(ctx context.Context, pl workflow.ChannelPlan) (workflow.ChannelPlan, error) {
	if err := done(ctx); err != nil {
		return workflow.ChannelPlan{}, err
	}
	if pl.Channel == "" {
		return workflow.ChannelPlan{}, &workflow.ValidationError{Field: "plan.channel", Reason: "required"}
	}
	if err := text("plan.channel", pl.Channel, "plan.workspace", pl.Workspace); err != nil {
		return workflow.ChannelPlan{}, err
	}
	pl = pl.Clone()
	base := pl.Rev
	pl.Rev++
	doc, err := json.Marshal(pl)
	if err != nil {
		return workflow.ChannelPlan{}, &InvalidError{Field: "plan", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("plan", doc); err != nil {
		return workflow.ChannelPlan{}, err
	}
	sql := `UPDATE {s}.channel_plans SET workspace = $2, rev = rev + 1, doc = $3 WHERE channel = $1 AND rev = $4`
	if base == 0 {
		sql = `INSERT INTO {s}.channel_plans (channel, workspace, rev, doc) SELECT $1, $2, 1, $3 WHERE $4::bigint = 0 ON CONFLICT DO NOTHING`
	}
	tag, err := s.pool.Exec(ctx, s.sql(sql), pl.Channel, pl.Workspace, doc, base)
	if err != nil {
		return workflow.ChannelPlan{}, s.err("put plan", err)
	}
	if tag.RowsAffected() == 0 {
		var cur int64
		if err := s.pool.QueryRow(ctx, s.sql(`SELECT coalesce((SELECT rev FROM {s}.channel_plans WHERE channel = $1), 0)`), pl.Channel).Scan(&cur); err != nil {
			return workflow.ChannelPlan{}, s.err("put plan", err)
		}
		return workflow.ChannelPlan{}, &workflow.ConflictError{Kind: workflow.ConflictPlan, ID: pl.Channel, Current: cur}
	}
	return pl.Clone(), nil
}

// Plans implements [workflow.PlanStore].
func (s *Store) Plans(ctx context.Context, workspace string) ([]workflow.ChannelPlan, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("workspace", workspace); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, s.sql(`SELECT rev, doc FROM {s}.channel_plans WHERE workspace = $1 ORDER BY channel`), workspace)
	if err != nil {
		return nil, s.err("list plans", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (workflow.ChannelPlan, error) {
		var (
			pl  workflow.ChannelPlan
			rev int64
			doc []byte
		)
		if err := r.Scan(&rev, &doc); err != nil {
			return pl, err
		}
		err := json.Unmarshal(doc, &pl)
		pl.Rev = rev
		return pl, err
	})
	if err != nil {
		return nil, s.err("list plans", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// WorkspacePlan implements [workflow.PlanStore].
func (s *Store) WorkspacePlan(ctx context.Context, workspace string) (workflow.WorkspacePlan, error) {
	if err := done(ctx); err != nil {
		return workflow.WorkspacePlan{}, err
	}
	if err := text("workspace", workspace); err != nil {
		return workflow.WorkspacePlan{}, err
	}
	var (
		rev int64
		doc []byte
	)
	err := s.pool.QueryRow(ctx, s.sql(`SELECT rev, doc FROM {s}.workspace_plans WHERE workspace = $1`), workspace).Scan(&rev, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.WorkspacePlan{Workspace: workspace}, nil
	}
	if err != nil {
		return workflow.WorkspacePlan{}, s.err("get workspace plan", err)
	}
	var wp workflow.WorkspacePlan
	if err := json.Unmarshal(doc, &wp); err != nil {
		return workflow.WorkspacePlan{}, &DBError{Op: "decode workspace plan", Err: err}
	}
	wp.Rev = rev
	return wp, nil
}

// PutWorkspacePlan implements [workflow.PlanStore].
func (s *Store) PutWorkspacePlan(ctx context.Context, wp workflow.WorkspacePlan) (workflow.WorkspacePlan, error) {
	if err := done(ctx); err != nil {
		return workflow.WorkspacePlan{}, err
	}
	if wp.Workspace == "" {
		return workflow.WorkspacePlan{}, &workflow.ValidationError{Field: "workspace_plan.workspace", Reason: "required"}
	}
	if err := text("workspace_plan.workspace", wp.Workspace); err != nil {
		return workflow.WorkspacePlan{}, err
	}
	wp = wp.Clone()
	base := wp.Rev
	wp.Rev++
	doc, err := json.Marshal(wp)
	if err != nil {
		return workflow.WorkspacePlan{}, &InvalidError{Field: "workspace_plan", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("workspace_plan", doc); err != nil {
		return workflow.WorkspacePlan{}, err
	}
	sql := `UPDATE {s}.workspace_plans SET rev = rev + 1, doc = $2 WHERE workspace = $1 AND rev = $3`
	if base == 0 {
		sql = `INSERT INTO {s}.workspace_plans (workspace, rev, doc) SELECT $1, 1, $2 WHERE $3::bigint = 0 ON CONFLICT DO NOTHING`
	}
	tag, err := s.pool.Exec(ctx, s.sql(sql), wp.Workspace, doc, base)
	if err != nil {
		return workflow.WorkspacePlan{}, s.err("put workspace plan", err)
	}
	if tag.RowsAffected() == 0 {
		var cur int64
		if err := s.pool.QueryRow(ctx, s.sql(`SELECT coalesce((SELECT rev FROM {s}.workspace_plans WHERE workspace = $1), 0)`), wp.Workspace).Scan(&cur); err != nil {
			return workflow.WorkspacePlan{}, s.err("put workspace plan", err)
		}
		return workflow.WorkspacePlan{}, &workflow.ConflictError{Kind: workflow.ConflictWorkspacePlan, ID: wp.Workspace, Current: cur}
	}
	return wp.Clone(), nil
}

// PutCalendarEvent implements [workflow.PlanStore].
func (s *Store) PutCalendarEvent(ctx context.Context, ev calendar.Event) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("event.workspace", ev.Workspace, "event.id", ev.ID); err != nil {
		return err
	}
	doc, err := json.Marshal(ev)
	if err != nil {
		return &InvalidError{Field: "calendar event", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("calendar event", doc); err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.calendar_events (workspace, id, doc) VALUES ($1, $2, $3)
		ON CONFLICT (workspace, id) DO UPDATE SET doc = excluded.doc`), ev.Workspace, ev.ID, doc)
	return s.err("put calendar event", err)
}

// DeleteCalendarEvent implements [workflow.PlanStore].
func (s *Store) DeleteCalendarEvent(ctx context.Context, workspace, id string) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("workspace", workspace, "event.id", id); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`DELETE FROM {s}.calendar_events WHERE workspace = $1 AND id = $2`), workspace, id)
	if err != nil {
		return s.err("delete calendar event", err)
	}
	if tag.RowsAffected() == 0 {
		return &workflow.NotFoundError{Kind: "calendar event", ID: id}
	}
	return nil
}

// CalendarEvents implements [workflow.PlanStore].
func (s *Store) CalendarEvents(ctx context.Context, workspace string) ([]calendar.Event, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("workspace", workspace); err != nil {
		return nil, err
	}
	out, err := queryDocs[calendar.Event](ctx, s, "list calendar events", `SELECT doc FROM {s}.calendar_events WHERE workspace = $1 ORDER BY id`, workspace)
	if len(out) == 0 {
		return nil, err
	}
	return out, err
}

// PlannedPosts implements [workflow.PlanStore]: a range scan of
// planned_targets_range for the workspace and [From, To), each post once
// at its earliest instant.
func (s *Store) PlannedPosts(ctx context.Context, q workflow.PlanQuery) ([]workflow.Post, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, &workflow.ValidationError{Field: "plan query", Value: q.From.String() + "/" + q.To.String(), Reason: "needs From and To, To not before From"}
	}
	if err := text("query.workspace", q.Workspace); err != nil {
		return nil, err
	}
	var lim *int
	if q.Limit > 0 {
		lim = &q.Limit
	}
	fUS, fNS := splitNano(q.From)
	tUS, tNS := splitNano(q.To)
	rows, err := s.pool.Query(ctx, s.sql(`WITH t AS (
		SELECT DISTINCT ON (post) post, at, at_ns FROM {s}.planned_targets
		WHERE workspace = $1 AND (at, at_ns) >= ($2, $3) AND (at, at_ns) < ($4, $5)
		ORDER BY post, at, at_ns)
	SELECT p.rev, p.doc FROM t JOIN {s}.posts p ON p.id = t.post
	ORDER BY t.at, t.at_ns, t.post LIMIT $6`), q.Workspace, fUS, fNS, tUS, tNS, lim)
	if err != nil {
		return nil, s.err("planned posts", err)
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
		return nil, s.err("planned posts", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
