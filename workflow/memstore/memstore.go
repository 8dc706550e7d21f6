// Package memstore is the in-memory [workflow.Store], socialflow's embedded
// default. It passes the storetest conformance suite. Data lives as long as
// the Store value; use it for tests, examples and single-process hosts that
// do not need durability.
package memstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

// Store is an in-memory workflow.Store. The zero value is not usable; call
// [New]. It is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	posts    map[string]workflow.Post
	versions map[string][]workflow.Version
	comments map[string][]workflow.Comment
	tasks    map[string]workflow.Task
	events   []workflow.Event
	leases   map[string]workflow.Lease
	tokens   map[string]int64
	spent    map[string]time.Time
}

var _ workflow.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		posts:    map[string]workflow.Post{},
		versions: map[string][]workflow.Version{},
		comments: map[string][]workflow.Comment{},
		tasks:    map[string]workflow.Task{},
		leases:   map[string]workflow.Lease{},
		tokens:   map[string]int64{},
		spent:    map[string]time.Time{},
	}
}

func done(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	return nil
}

// CreatePost implements workflow.Store.
func (s *Store) CreatePost(ctx context.Context, p workflow.Post) (workflow.Post, error) {
	if err := done(ctx); err != nil {
		return workflow.Post{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.posts[p.ID]; ok {
		return workflow.Post{}, &workflow.ConflictError{Kind: "post", ID: p.ID, Current: cur.Rev}
	}
	p = p.Clone()
	p.Rev = 1
	s.posts[p.ID] = p
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
		return workflow.Post{}, &workflow.ConflictError{Kind: "post", ID: p.ID, Current: cur.Rev}
	}
	p = p.Clone()
	p.Rev++
	s.posts[p.ID] = p
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
		if !q.DueBefore.IsZero() && !p.DueAt(q.DueBefore) {
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
			return &workflow.ConflictError{Kind: "version", ID: fmt.Sprintf("%s#%d", v.Post, v.Number), Current: int64(len(s.versions[v.Post]))}
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
		return &workflow.ConflictError{Kind: "task", ID: t.ID}
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

// AppendEvent implements workflow.Store.
func (s *Store) AppendEvent(ctx context.Context, e workflow.Event) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if want := int64(len(s.events)) + 1; e.Seq != want {
		return &workflow.ConflictError{Kind: "event", ID: fmt.Sprint(e.Seq), Current: want - 1}
	}
	s.events = append(s.events, cloneEvent(e))
	return nil
}

// Events implements workflow.Store.
func (s *Store) Events(ctx context.Context, after int64, limit int) ([]workflow.Event, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if after < 0 {
		after = 0
	}
	var out []workflow.Event
	for _, e := range s.events[min(int(after), len(s.events)):] {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, cloneEvent(e))
	}
	return out, nil
}

// LastEvent implements workflow.Store.
func (s *Store) LastEvent(ctx context.Context) (workflow.Event, bool, error) {
	if err := done(ctx); err != nil {
		return workflow.Event{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.events) == 0 {
		return workflow.Event{}, false, nil
	}
	return cloneEvent(s.events[len(s.events)-1]), true, nil
}

// Tamper gives direct access to the stored events so tests can simulate an
// attacker with write access to the database. Production code never needs it.
func (s *Store) Tamper(f func(events []workflow.Event) []workflow.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = f(s.events)
}

func cloneEvent(e workflow.Event) workflow.Event {
	if e.Data != nil {
		d := make(map[string]string, len(e.Data))
		for k, v := range e.Data {
			d[k] = v
		}
		e.Data = d
	}
	return e
}

// Acquire implements workflow.Store.
func (s *Store) Acquire(ctx context.Context, key, holder string, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	if err := done(ctx); err != nil {
		return workflow.Lease{}, err
	}
	if ttl <= 0 {
		return workflow.Lease{}, &workflow.ValidationError{Field: "lease ttl", Value: ttl.String(), Reason: "must be positive"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.leases[key]; ok && now.Before(cur.Expires) {
		return workflow.Lease{}, &workflow.ConflictError{Kind: "lease", ID: key, Current: cur.Token, Holder: cur.Holder}
	}
	s.tokens[key]++
	l := workflow.Lease{Key: key, Holder: holder, Token: s.tokens[key], Expires: now.Add(ttl)}
	s.leases[key] = l
	return l, nil
}

// current reports whether l is the current, unexpired grant of its key.
func (s *Store) current(l workflow.Lease, now time.Time) error {
	cur, ok := s.leases[l.Key]
	if !ok || cur.Token != l.Token || !now.Before(cur.Expires) {
		holder, tok := "", int64(0)
		if ok {
			holder, tok = cur.Holder, cur.Token
		}
		return &workflow.ConflictError{Kind: "lease", ID: l.Key, Current: tok, Holder: holder}
	}
	return nil
}

// Renew implements workflow.Store.
func (s *Store) Renew(ctx context.Context, l workflow.Lease, now time.Time, ttl time.Duration) (workflow.Lease, error) {
	if err := done(ctx); err != nil {
		return workflow.Lease{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.current(l, now); err != nil {
		return workflow.Lease{}, err
	}
	l.Expires = now.Add(ttl)
	s.leases[l.Key] = l
	return l, nil
}

// Release implements workflow.Store.
func (s *Store) Release(ctx context.Context, l workflow.Lease) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.leases[l.Key]; ok && cur.Token == l.Token {
		delete(s.leases, l.Key)
	}
	return nil
}

// Spend implements workflow.Store.
func (s *Store) Spend(ctx context.Context, key string, now time.Time) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.spent[key]; ok {
		return &workflow.ConflictError{Kind: "spent", ID: key}
	}
	s.spent[key] = now
	return nil
}

// Spent implements workflow.Store.
func (s *Store) Spent(ctx context.Context, key string) (bool, error) {
	if err := done(ctx); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.spent[key]
	return ok, nil
}
