package memstore

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/workflow"
)

// planState holds the planning state and the calendar range index. Its
// maps are made on first use; every access holds Store.mu.
type planState struct {
	plans   map[string]workflow.ChannelPlan
	wplans  map[string]workflow.WorkspacePlan
	events  map[string]map[string]calendar.Event // workspace → id → event
	targets map[string]*timeIndex                // workspace → targets by planned instant
}

func (st *planState) init() {
	if st.plans == nil {
		st.plans = map[string]workflow.ChannelPlan{}
		st.wplans = map[string]workflow.WorkspacePlan{}
		st.events = map[string]map[string]calendar.Event{}
		st.targets = map[string]*timeIndex{}
	}
}

// index moves the targets of a post in the range index: old's planned
// targets out, p's in.
func (st *planState) index(old *workflow.Post, p workflow.Post) {
	st.init()
	if old != nil {
		if x := st.targets[old.Workspace]; x != nil {
			for _, t := range old.Targets {
				if at, ok := old.PlannedAt(t.Channel); ok {
					x.remove(keyOf(at, old.ID, t.Channel))
				}
			}
		}
	}
	x := st.targets[p.Workspace]
	if x == nil {
		x = &timeIndex{}
		st.targets[p.Workspace] = x
	}
	for _, t := range p.Targets {
		if at, ok := p.PlannedAt(t.Channel); ok {
			x.insert(keyOf(at, p.ID, t.Channel))
		}
	}
}

// Plan implements workflow.PlanStore.
func (s *Store) Plan(ctx context.Context, channel string) (workflow.ChannelPlan, error) {
	if err := done(ctx); err != nil {
		return workflow.ChannelPlan{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	pl, ok := s.plan.plans[channel]
	if !ok {
		return workflow.ChannelPlan{Channel: channel}, nil
	}
	return pl.Clone(), nil
}

// PutPlan implements workflow.PlanStore.
func (s *Store) PutPlan(ctx context.Context, pl workflow.ChannelPlan) (workflow.ChannelPlan, error) {
	if err := done(ctx); err != nil {
		return workflow.ChannelPlan{}, err
	}
	if pl.Channel == "" {
		return workflow.ChannelPlan{}, &workflow.ValidationError{Field: "plan.channel", Reason: "required"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	if cur := s.plan.plans[pl.Channel].Rev; cur != pl.Rev {
		return workflow.ChannelPlan{}, &workflow.ConflictError{Kind: workflow.ConflictPlan, ID: pl.Channel, Current: cur}
	}
	pl = pl.Clone()
	pl.Rev++
	s.plan.plans[pl.Channel] = pl
	return pl.Clone(), nil
}

// Plans implements workflow.PlanStore.
func (s *Store) Plans(ctx context.Context, workspace string) ([]workflow.ChannelPlan, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	var out []workflow.ChannelPlan
	for _, pl := range s.plan.plans {
		if pl.Workspace == workspace {
			out = append(out, pl.Clone())
		}
	}
	slices.SortFunc(out, func(a, b workflow.ChannelPlan) int { return strings.Compare(a.Channel, b.Channel) })
	return out, nil
}

// WorkspacePlan implements workflow.PlanStore.
func (s *Store) WorkspacePlan(ctx context.Context, workspace string) (workflow.WorkspacePlan, error) {
	if err := done(ctx); err != nil {
		return workflow.WorkspacePlan{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	wp, ok := s.plan.wplans[workspace]
	if !ok {
		return workflow.WorkspacePlan{Workspace: workspace}, nil
	}
	return wp.Clone(), nil
}

// PutWorkspacePlan implements workflow.PlanStore.
func (s *Store) PutWorkspacePlan(ctx context.Context, wp workflow.WorkspacePlan) (workflow.WorkspacePlan, error) {
	if err := done(ctx); err != nil {
		return workflow.WorkspacePlan{}, err
	}
	if wp.Workspace == "" {
		return workflow.WorkspacePlan{}, &workflow.ValidationError{Field: "workspace_plan.workspace", Reason: "required"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	if cur := s.plan.wplans[wp.Workspace].Rev; cur != wp.Rev {
		return workflow.WorkspacePlan{}, &workflow.ConflictError{Kind: workflow.ConflictWorkspacePlan, ID: wp.Workspace, Current: cur}
	}
	wp = wp.Clone()
	wp.Rev++
	s.plan.wplans[wp.Workspace] = wp
	return wp.Clone(), nil
}

// PutCalendarEvent implements workflow.PlanStore.
func (s *Store) PutCalendarEvent(ctx context.Context, ev calendar.Event) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	m := s.plan.events[ev.Workspace]
	if m == nil {
		m = map[string]calendar.Event{}
		s.plan.events[ev.Workspace] = m
	}
	m[ev.ID] = ev
	return nil
}

// DeleteCalendarEvent implements workflow.PlanStore.
func (s *Store) DeleteCalendarEvent(ctx context.Context, workspace, id string) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	if _, ok := s.plan.events[workspace][id]; !ok {
		return &workflow.NotFoundError{Kind: "calendar event", ID: id}
	}
	delete(s.plan.events[workspace], id)
	return nil
}

// CalendarEvents implements workflow.PlanStore.
func (s *Store) CalendarEvents(ctx context.Context, workspace string) ([]calendar.Event, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	var out []calendar.Event
	for _, ev := range s.plan.events[workspace] {
		out = append(out, ev)
	}
	slices.SortFunc(out, func(a, b calendar.Event) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// PlannedPosts implements workflow.PlanStore in O(log n + k) for k
// targets in the range.
func (s *Store) PlannedPosts(ctx context.Context, q workflow.PlanQuery) ([]workflow.Post, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, &workflow.ValidationError{Field: "plan query", Value: q.From.String() + "/" + q.To.String(), Reason: "needs From and To, To not before From"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.init()
	x := s.plan.targets[q.Workspace]
	if x == nil {
		return nil, nil
	}
	var ids []string
	seen := map[string]bool{}
	x.scan(keyOf(q.From, "", ""), func(k tkey) bool {
		if !k.before(q.To) {
			return false
		}
		if !seen[k.post] {
			seen[k.post] = true
			ids = append(ids, k.post)
		}
		return q.Limit <= 0 || len(ids) < q.Limit
	})
	out := make([]workflow.Post, len(ids))
	for i, id := range ids {
		out[i] = s.posts[id].Clone()
	}
	return out, nil
}

// tkey orders targets by planned instant, then post and channel.
type tkey struct {
	sec           int64
	nsec          int32
	post, channel string
}

func keyOf(at time.Time, post, channel string) tkey {
	return tkey{sec: at.Unix(), nsec: int32(at.Nanosecond()), post: post, channel: channel}
}

func (k tkey) before(t time.Time) bool {
	return k.sec < t.Unix() || (k.sec == t.Unix() && k.nsec < int32(t.Nanosecond()))
}

func cmpKey(a, b tkey) int {
	return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.nsec, b.nsec), strings.Compare(a.post, b.post), strings.Compare(a.channel, b.channel))
}

// timeIndex is a sorted sequence of keys in chunks of at most chunkMax:
// insert and remove cost O(log n + chunkMax), a range scan O(log n + k).
type timeIndex struct {
	chunks [][]tkey
}

const chunkMax = 256

// chunk returns the first chunk whose last key is >= k (the last chunk
// when k is beyond every key).
func (x *timeIndex) chunk(k tkey) int {
	i := sort.Search(len(x.chunks), func(i int) bool { c := x.chunks[i]; return cmpKey(c[len(c)-1], k) >= 0 })
	return min(i, len(x.chunks)-1)
}

func (x *timeIndex) insert(k tkey) {
	if len(x.chunks) == 0 {
		x.chunks = [][]tkey{{k}}
		return
	}
	i := x.chunk(k)
	c := x.chunks[i]
	j, found := slices.BinarySearchFunc(c, k, cmpKey)
	if found {
		return
	}
	c = slices.Insert(c, j, k)
	if len(c) > chunkMax {
		h := len(c) / 2
		right := slices.Clone(c[h:])
		x.chunks[i] = c[:h:h]
		x.chunks = slices.Insert(x.chunks, i+1, right)
		return
	}
	x.chunks[i] = c
}

func (x *timeIndex) remove(k tkey) {
	if len(x.chunks) == 0 {
		return
	}
	i := x.chunk(k)
	c := x.chunks[i]
	j, found := slices.BinarySearchFunc(c, k, cmpKey)
	if !found {
		return
	}
	c = slices.Delete(c, j, j+1)
	if len(c) == 0 {
		x.chunks = slices.Delete(x.chunks, i, i+1)
		return
	}
	x.chunks[i] = c
}

// scan calls fn for every key >= from, in order, while fn returns true.
func (x *timeIndex) scan(from tkey, fn func(tkey) bool) {
	if len(x.chunks) == 0 {
		return
	}
	i := x.chunk(from)
	j, _ := slices.BinarySearchFunc(x.chunks[i], from, cmpKey)
	for ; i < len(x.chunks); i, j = i+1, 0 {
		for _, k := range x.chunks[i][j:] {
			if !fn(k) {
				return
			}
		}
	}
}
