package memstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

// CreatePost implements workflow.Store.
func (s *Store) CreatePost(ctx context.Context, p workflow.Post) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.posts[p.ID]; ok {
		return workflow.Post{}, &workflow.ConflictError{Kind: workflow.ConflictPost, ID: p.ID, Current: cur.Rev}
	}
	p = p.Clone()
	p.Rev = 1
	s.posts[p.ID] = p
	s.indexPost(nil, p)
	return p.Clone(), nil
}

// GetPost implements workflow.Store.
func (s *Store) GetPost(ctx context.Context, id string) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.posts[id]
	if !ok {
		return workflow.Post{}, &workflow.NotFoundError{Kind: "post", ID: id}
	}
	return p.Clone(), nil
}

func (s *Store) update(p workflow.Post) (workflow.Post, error) {
	cur, ok := s.posts[p.ID]
	if !ok {
		return workflow.Post{}, &workflow.NotFoundError{Kind: "post", ID: p.ID}
	}
	if cur.Rev != p.Rev {
		return workflow.Post{}, &workflow.ConflictError{Kind: workflow.ConflictPost, ID: p.ID, Current: cur.Rev}
	}
	p = p.Clone()
	p.Rev++
	s.posts[p.ID] = p
	s.indexPost(&cur, p)
	return p.Clone(), nil
}

// UpdatePost implements workflow.Store.
func (s *Store) UpdatePost(ctx context.Context, p workflow.Post) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.update(p)
}

// UpdatePostFenced implements workflow.Store.
func (s *Store) UpdatePostFenced(ctx context.Context, p workflow.Post, l workflow.Lease, now time.Time) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.current(l, now); err != nil {
		return workflow.Post{}, err
	}
	return s.update(p)
}

// ListPosts implements workflow.Store.
func (s *Store) ListPosts(ctx context.Context, q workflow.PostQuery) ([]workflow.Post, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []workflow.Post
	for _, p := range s.posts {
		if q.Workspace != "" && p.Workspace != q.Workspace {
			continue
		}
		if len(q.States) > 0 && !slices.Contains(q.States, p.State) {
			continue
		}
		out = append(out, p.Clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// AddVersion implements workflow.Store.
func (s *Store) AddVersion(ctx context.Context, v workflow.Version) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, old := range s.versions[v.Post] {
		if old.Number == v.Number {
			return &workflow.ConflictError{Kind: workflow.ConflictVersion, ID: fmt.Sprintf("%s#%d", v.Post, v.Number), Current: int64(len(s.versions[v.Post]))}
		}
	}
	s.versions[v.Post] = append(s.versions[v.Post], cloneVersion(v))
	return nil
}

// Versions implements workflow.Store.
func (s *Store) Versions(ctx context.Context, post string) ([]workflow.Version, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]workflow.Version, 0, len(s.versions[post]))
	for _, v := range s.versions[post] {
		out = append(out, cloneVersion(v))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

func cloneVersion(v workflow.Version) workflow.Version { return v.Clone() }
