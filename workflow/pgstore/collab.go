package pgstore

import (
	"context"
	"encoding/json"

	"github.com/socialflow/socialflow/workflow"
)

// PutComment implements [workflow.CollabStore]. A replaced comment keeps
// its place in the creation order.
func (s *Store) PutComment(ctx context.Context, c workflow.Comment) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("comment.id", c.ID, "comment.post", c.Post); err != nil {
		return err
	}
	doc, err := json.Marshal(c)
	if err != nil {
		return &InvalidError{Field: "comment", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("comment", doc); err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.comments (post, id, doc) VALUES ($1, $2, $3)
		ON CONFLICT (post, id) DO UPDATE SET doc = excluded.doc`), c.Post, c.ID, doc)
	return s.err("put comment", err)
}

// Comments implements [workflow.CollabStore].
func (s *Store) Comments(ctx context.Context, post string) ([]workflow.Comment, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("post.id", post); err != nil {
		return nil, err
	}
	return queryDocs[workflow.Comment](ctx, s, "list comments", `SELECT doc FROM {s}.comments WHERE post = $1 ORDER BY seq`, post)
}

// PutTask implements [workflow.CollabStore]: the upsert replaces a task
// only within its workspace, in the same statement.
func (s *Store) PutTask(ctx context.Context, t workflow.Task) error {
	if err := done(ctx); err != nil {
		return err
	}
	if err := text("task.id", t.ID, "task.workspace", t.Workspace, "task.assignee", t.Assignee, "task.post", t.Post); err != nil {
		return err
	}
	doc, err := json.Marshal(t)
	if err != nil {
		return &InvalidError{Field: "task", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("task", doc); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.tasks (id, workspace, assignee, post, done, due, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET assignee = excluded.assignee, post = excluded.post, done = excluded.done, due = excluded.due, doc = excluded.doc
		WHERE tasks.workspace = excluded.workspace`), t.ID, t.Workspace, t.Assignee, t.Post, t.Done, t.Due.UTC(), doc)
	if err != nil {
		return s.err("put task", err)
	}
	if tag.RowsAffected() == 0 {
		return &workflow.ConflictError{Kind: workflow.ConflictTask, ID: t.ID}
	}
	return nil
}

// Tasks implements [workflow.CollabStore]. The query picks the index of
// the most selective field set (ID, post, assignee, workspace).
func (s *Store) Tasks(ctx context.Context, q workflow.TaskQuery) ([]workflow.Task, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("query.id", q.ID, "query.workspace", q.Workspace, "query.assignee", q.Assignee, "query.post", q.Post); err != nil {
		return nil, err
	}
	const filter = ` ($1 = '' OR id = $1) AND ($2 = '' OR workspace = $2) AND ($3 = '' OR assignee = $3)
		AND ($4 = '' OR post = $4) AND (NOT $5 OR NOT done) ORDER BY due, id`
	lead := `SELECT doc FROM {s}.tasks WHERE`
	switch {
	case q.ID != "":
		lead += ` id = $1 AND`
	case q.Post != "":
		lead += ` post = $4 AND`
	case q.Assignee != "":
		lead += ` assignee = $3 AND`
	case q.Workspace != "":
		lead += ` workspace = $2 AND`
	}
	return queryDocs[workflow.Task](ctx, s, "list tasks", lead+filter, q.ID, q.Workspace, q.Assignee, q.Post, q.Open)
}
