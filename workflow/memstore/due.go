package memstore

import (
	"context"

	"github.com/socialflow/socialflow/workflow"
)

// dueState holds the due index: the targets by [workflow.Target.NextAction]
// and the posts in review by [workflow.Post.NextDeadline], each an ordered
// skip list (O(log n) to insert, remove and seek), plus the key each
// target or post is stored under, so a write removes its old entry without
// a search. Only targets and posts that have a next action are indexed, so
// published and old posts cost nothing.
type dueState struct {
	targets   skipList
	deadlines skipList
	targetKey map[targetID]workflow.DueEntry
	postKey   map[string]workflow.DueEntry
}

type targetID struct{ post, channel string }

// index moves p's targets and deadline in the index: old's entries out,
// p's in. It runs under Store.mu.
func (st *dueState) index(old *workflow.Post, p workflow.Post) {
	if st.targetKey == nil {
		st.targetKey = map[targetID]workflow.DueEntry{}
		st.postKey = map[string]workflow.DueEntry{}
	}
	if old != nil {
		for _, t := range old.Targets {
			id := targetID{old.ID, t.Channel}
			if k, ok := st.targetKey[id]; ok {
				st.targets.remove(k)
				delete(st.targetKey, id)
			}
		}
		if k, ok := st.postKey[old.ID]; ok {
			st.deadlines.remove(k)
			delete(st.postKey, old.ID)
		}
	}
	for _, t := range p.Targets {
		if at, ok := t.NextAction(); ok {
			k := workflow.DueEntry{At: at, Post: p.ID, Channel: t.Channel, Workspace: p.Workspace}
			st.targets.insert(k)
			st.targetKey[targetID{p.ID, t.Channel}] = k
		}
	}
	if at, ok := p.NextDeadline(); ok {
		k := workflow.DueEntry{At: at, Post: p.ID, Workspace: p.Workspace}
		st.deadlines.insert(k)
		st.postKey[p.ID] = k
	}
}

// DueTargets implements workflow.DueIndex.
func (s *Store) DueTargets(ctx context.Context, q workflow.DueQuery) ([]workflow.DueEntry, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.due.targets.page(q), nil
}

// DueDeadlines implements workflow.DueIndex.
func (s *Store) DueDeadlines(ctx context.Context, q workflow.DueQuery) ([]workflow.DueEntry, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.due.deadlines.page(q), nil
}

// skipList is an ordered set of due entries (by workflow.DueEntry.Compare).
// Its zero value is empty and ready; it is not safe for concurrent use.
type skipList struct {
	head  [maxLevel]*slNode
	level int    // levels in use
	seed  uint64 // xorshift state for node heights
}

const maxLevel = 32

type slNode struct {
	key  workflow.DueEntry
	next []*slNode
}

// height draws a node height with P(h > k) = 4^-k.
func (l *skipList) height() int {
	if l.seed == 0 {
		l.seed = 0x9e3779b97f4a7c15
	}
	l.seed ^= l.seed << 13
	l.seed ^= l.seed >> 7
	l.seed ^= l.seed << 17
	h, x := 1, l.seed
	for h < maxLevel && x&3 == 0 {
		h++
		x >>= 2
	}
	return h
}

// path fills prev with, per level, the last node before key (nil: the
// head), and returns the first node at or after key.
func (l *skipList) path(key workflow.DueEntry, prev *[maxLevel]*slNode) *slNode {
	var x *slNode
	for i := l.level - 1; i >= 0; i-- {
		for {
			n := l.next(x, i)
			if n == nil || n.key.Compare(key) >= 0 {
				break
			}
			x = n
		}
		prev[i] = x
	}
	return l.next(x, 0)
}

func (l *skipList) next(x *slNode, i int) *slNode {
	if x == nil {
		return l.head[i]
	}
	return x.next[i]
}

func (l *skipList) link(x *slNode, i int, n *slNode) {
	if x == nil {
		l.head[i] = n
		return
	}
	x.next[i] = n
}

func (l *skipList) insert(key workflow.DueEntry) {
	var prev [maxLevel]*slNode
	if n := l.path(key, &prev); n != nil && n.key.Compare(key) == 0 {
		n.key = key
		return
	}
	h := l.height()
	for l.level < h {
		prev[l.level] = nil
		l.level++
	}
	n := &slNode{key: key, next: make([]*slNode, h)}
	for i := range h {
		n.next[i] = l.next(prev[i], i)
		l.link(prev[i], i, n)
	}
}

func (l *skipList) remove(key workflow.DueEntry) {
	var prev [maxLevel]*slNode
	n := l.path(key, &prev)
	if n == nil || n.key.Compare(key) != 0 {
		return
	}
	for i := range n.next {
		l.link(prev[i], i, n.next[i])
	}
	for l.level > 0 && l.head[l.level-1] == nil {
		l.level--
	}
}

// page returns the entries strictly after q.After and not after q.Before,
// at most q.Limit (all when Limit <= 0), in order.
func (l *skipList) page(q workflow.DueQuery) []workflow.DueEntry {
	var prev [maxLevel]*slNode
	n := l.path(q.After, &prev)
	if n != nil && n.key.Compare(q.After) == 0 {
		n = n.next[0]
	}
	var out []workflow.DueEntry
	for ; n != nil && !n.key.At.After(q.Before); n = n.next[0] {
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
		out = append(out, n.key)
	}
	return out
}
