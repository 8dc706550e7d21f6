// Package memstore is the in-memory [assets.Store]: the embedded default for
// tests, examples and single-process hosts. It passes
// [github.com/socialflow/socialflow/assets/storetest].
//
// Searches by tag use an inverted index: for every tag, the assets carrying
// it kept sorted in each of the three search orders. A search walks the
// rarest queried tag's list in the asked order from the cursor's position and
// stops after one page of matches, so a tag search over 100,000 assets reads
// about a page of assets, not the whole list.
package memstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/assets"
)

// sortKeys are the search orders the index keeps.
var sortKeys = [...]assets.SortKey{assets.SortName, assets.SortCreated, assets.SortUpdated}

// entry is one asset: every version, current last, and the current
// version's sort values (one per sortKeys).
type entry struct {
	versions []assets.Asset
	keys     [len(sortKeys)]string
}

func (e *entry) current() *assets.Asset { return &e.versions[len(e.versions)-1] }

// posting lists the entries carrying one tag, sorted by (key, ID) for each
// of sortKeys.
type posting [len(sortKeys)][]*entry

// Store is an in-memory asset store. The zero value is not usable; call
// [New]. It is safe for concurrent use; every method is atomic.
type Store struct {
	mu        sync.RWMutex
	entries   map[string]*entry
	checksums map[string]string // checksum -> id
	tags      map[string]*posting
	usages    map[string]map[string]assets.Usage // asset id -> usage key -> usage
}

var _ assets.Store = (*Store)(nil)

// New returns an empty Store.
func New() *Store {
	return &Store{
		entries:   map[string]*entry{},
		checksums: map[string]string{},
		tags:      map[string]*posting{},
		usages:    map[string]map[string]assets.Usage{},
	}
}

func compareEntry(k int) func(x *entry, key, id string) int {
	return func(x *entry, key, id string) int {
		return cmp.Or(strings.Compare(x.keys[k], key), strings.Compare(x.current().ID, id))
	}
}

// index adds e, with its current keys and tags, to the tag index.
func (s *Store) index(e *entry) {
	a := e.current()
	for i, k := range sortKeys {
		e.keys[i] = assets.Query{Sort: k}.SortValue(*a)
	}
	for _, t := range a.Tags {
		p := s.tags[t]
		if p == nil {
			p = &posting{}
			s.tags[t] = p
		}
		for k := range sortKeys {
			at, _ := slices.BinarySearchFunc(p[k], e, func(x, y *entry) int { return compareEntry(k)(x, y.keys[k], y.current().ID) })
			p[k] = slices.Insert(p[k], at, e)
		}
	}
}

// unindex removes e, with its current keys and tags, from the tag index.
func (s *Store) unindex(e *entry) {
	a := e.current()
	for _, t := range a.Tags {
		p := s.tags[t]
		if p == nil {
			continue
		}
		for k := range sortKeys {
			if at, ok := slices.BinarySearchFunc(p[k], e, func(x, y *entry) int { return compareEntry(k)(x, y.keys[k], a.ID) }); ok {
				p[k] = slices.Delete(p[k], at, at+1)
			}
		}
		if len(p[0]) == 0 {
			delete(s.tags, t)
		}
	}
}

// Create implements [assets.Store.Create].
func (s *Store) Create(ctx context.Context, a assets.Asset) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if a.Version != 1 {
		return &assets.FieldError{Field: "version", Value: fmt.Sprint(a.Version), Reason: "a new asset is version 1"}
	}
	a = a.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[a.ID]; ok {
		return &assets.ExistsError{ID: a.ID}
	}
	if a.Checksum != "" {
		if id, ok := s.checksums[a.Checksum]; ok {
			return &assets.DuplicateError{Checksum: a.Checksum, ExistingID: id}
		}
		s.checksums[a.Checksum] = a.ID
	}
	e := &entry{versions: []assets.Asset{a}}
	s.entries[a.ID] = e
	s.index(e)
	return nil
}

// Get implements [assets.Store.Get].
func (s *Store) Get(ctx context.Context, id string) (assets.Asset, error) {
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[id]
	if !ok {
		return assets.Asset{}, &assets.NotFoundError{What: "asset", ID: id}
	}
	return e.current().Clone(), nil
}

// GetVersion implements [assets.Store.GetVersion].
func (s *Store) GetVersion(ctx context.Context, id string, v int) (assets.Asset, error) {
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[id]
	if !ok {
		return assets.Asset{}, &assets.NotFoundError{What: "asset", ID: id}
	}
	if v < 1 || v > len(e.versions) {
		return assets.Asset{}, &assets.NotFoundError{What: "version", ID: fmt.Sprintf("%s@%d", id, v)}
	}
	return e.versions[v-1].Clone(), nil
}

// FindChecksum implements [assets.Store.FindChecksum].
func (s *Store) FindChecksum(ctx context.Context, sum string) (assets.Asset, error) {
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.checksums[sum]
	if !ok || sum == "" {
		return assets.Asset{}, &assets.NotFoundError{What: "checksum", ID: sum}
	}
	return s.entries[id].current().Clone(), nil
}

// Update implements [assets.Store.Update].
func (s *Store) Update(ctx context.Context, a assets.Asset) (assets.Asset, error) {
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	if err := a.Validate(); err != nil {
		return assets.Asset{}, err
	}
	a = a.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[a.ID]
	if !ok {
		return assets.Asset{}, &assets.NotFoundError{What: "asset", ID: a.ID}
	}
	cur := e.current()
	if cur.Version != a.Version {
		return assets.Asset{}, &assets.ConflictError{ID: a.ID, Version: a.Version, Current: cur.Version}
	}
	if a.Kind != cur.Kind || a.Checksum != cur.Checksum || a.BlobKey != cur.BlobKey {
		return assets.Asset{}, &assets.FieldError{Field: "kind", Value: a.ID, Reason: "kind, checksum and blob key are immutable"}
	}
	a.Version++
	s.unindex(e)
	e.versions = append(e.versions, a)
	s.index(e)
	return a.Clone(), nil
}

// Delete implements [assets.Store.Delete].
func (s *Store) Delete(ctx context.Context, id string, version int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return &assets.NotFoundError{What: "asset", ID: id}
	}
	cur := e.current()
	if cur.Version != version {
		return &assets.ConflictError{ID: id, Version: version, Current: cur.Version}
	}
	if us := s.usages[id]; len(us) > 0 {
		return &assets.InUseError{ID: id, Usages: slices.SortedFunc(maps.Values(us), assets.CompareUsages)}
	}
	s.unindex(e)
	if cur.Checksum != "" {
		delete(s.checksums, cur.Checksum)
	}
	delete(s.entries, id)
	return nil
}

// Search implements [assets.Store.Search]. With tags it walks the index of
// the rarest queried tag in q's order from the cursor and stops after one
// page; without tags it runs [assets.Paginate] over every asset.
func (s *Store) Search(ctx context.Context, q assets.Query) (assets.Page, error) {
	if err := ctx.Err(); err != nil {
		return assets.Page{}, err
	}
	if err := q.Validate(); err != nil {
		return assets.Page{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var p assets.Page
	if len(q.Tags) > 0 {
		p = s.searchTags(q)
	} else {
		p = assets.Paginate(q, func(yield func(*assets.Asset) bool) {
			for _, e := range s.entries {
				if !yield(e.current()) {
					return
				}
			}
		})
	}
	for i := range p.Assets {
		p.Assets[i] = p.Assets[i].Clone()
	}
	return p, nil
}

func (s *Store) searchTags(q assets.Query) assets.Page {
	var rarest *posting
	for _, t := range q.Tags {
		p := s.tags[t]
		if p == nil {
			return assets.Page{}
		}
		if rarest == nil || len(p[0]) < len(rarest[0]) {
			rarest = p
		}
	}
	k := slices.Index(sortKeys[:], cmp.Or(q.Sort, assets.SortName))
	list := rarest[k]
	n := q.PageSize()
	hits := make([]assets.Asset, 0, min(n+1, len(list)))
	take := func(e *entry) bool { // reports whether the page is full
		a := e.current()
		if q.Match(*a) {
			hits = append(hits, *a)
		}
		return len(hits) > n
	}
	// q.After is monotonic along the list: false then true ascending, true
	// then false descending. Find the boundary, then walk from it.
	if q.Desc {
		end := len(list)
		if q.Cursor != "" {
			end = sort.Search(len(list), func(i int) bool { return !q.After(*list[i].current()) })
		}
		for i := end - 1; i >= 0 && !take(list[i]); i-- {
		}
	} else {
		start := 0
		if q.Cursor != "" {
			start = sort.Search(len(list), func(i int) bool { return q.After(*list[i].current()) })
		}
		for i := start; i < len(list) && !take(list[i]); i++ {
		}
	}
	var p assets.Page
	if len(hits) > n {
		hits = hits[:n]
		p.Next = q.CursorAfter(hits[n-1])
	}
	p.Assets = hits
	return p
}

// PutUsage implements [assets.Store.PutUsage].
func (s *Store) PutUsage(ctx context.Context, u assets.Usage) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[u.AssetID]; !ok {
		return &assets.NotFoundError{What: "asset", ID: u.AssetID}
	}
	us := s.usages[u.AssetID]
	if us == nil {
		us = map[string]assets.Usage{}
		s.usages[u.AssetID] = us
	}
	us[u.Key()] = u
	return nil
}

// RemoveUsage implements [assets.Store.RemoveUsage].
func (s *Store) RemoveUsage(ctx context.Context, assetID, postID, channel string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := assets.Usage{PostID: postID, Channel: channel}.Key()
	if _, ok := s.usages[assetID][key]; !ok {
		return &assets.NotFoundError{What: "usage", ID: assetID + "/" + postID + "/" + channel}
	}
	delete(s.usages[assetID], key)
	if len(s.usages[assetID]) == 0 {
		delete(s.usages, assetID)
	}
	return nil
}

// Usages implements [assets.Store.Usages].
func (s *Store) Usages(ctx context.Context, id string) ([]assets.Usage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.entries[id]; !ok {
		return nil, &assets.NotFoundError{What: "asset", ID: id}
	}
	return slices.SortedFunc(maps.Values(s.usages[id]), assets.CompareUsages), nil
}

// ScheduledUsages implements [assets.Store.ScheduledUsages].
func (s *Store) ScheduledUsages(ctx context.Context, from time.Time) ([]assets.Usage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []assets.Usage
	for _, us := range s.usages {
		for _, u := range us {
			if !u.At.IsZero() && !u.At.Before(from) {
				out = append(out, u)
			}
		}
	}
	slices.SortFunc(out, assets.CompareUsages)
	return out, nil
}

// Len returns the number of assets stored.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.entries)
}
