package memstore

import (
	"context"
	"slices"
	"sort"

	"github.com/socialflow/socialflow/workflow"
)

// PutComment implements workflow.Store.
func (s *Store) PutComment(ctx context.Context, c workflow.Comment) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Mentions = slices.Clone(c.Mentions)
	list := s.comments[c.Post]
	for i := range list {
		if list[i].ID == c.ID {
			list[i] = c
			return nil
		}
	}
	s.comments[c.Post] = append(list, c)
	return nil
}

// Comments implements workflow.Store.
func (s *Store) Comments(ctx context.Context, post string) ([]workflow.Comment, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.comments[post])
	for i := range out {
		out[i].Mentions = slices.Clone(out[i].Mentions)
	}
	return out, nil
}

// PutTask implements workflow.Store.
func (s *Store) PutTask(ctx context.Context, t workflow.Task) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.tasks[t.ID]; ok && cur.Workspace != t.Workspace {
		return &workflow.ConflictError{Kind: workflow.ConflictTask, ID: t.ID}
	}
	s.tasks[t.ID] = t
	return nil
}

// Tasks implements workflow.Store.
func (s *Store) Tasks(ctx context.Context, q workflow.TaskQuery) ([]workflow.Task, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []workflow.Task
	for _, t := range s.tasks {
		if (q.ID != "" && t.ID != q.ID) || (q.Workspace != "" && t.Workspace != q.Workspace) || (q.Assignee != "" && t.Assignee != q.Assignee) ||
			(q.Post != "" && t.Post != q.Post) || (q.Open && t.Done) {
			continue
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Due.Equal(out[j].Due) {
			return out[i].Due.Before(out[j].Due)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
