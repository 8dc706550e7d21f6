package calendar

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// Evergreen makes a queued post come back after it goes out: every
// EveryDays days (same wall time, in the queue's zone), or at the instances
// of RRule (anchored at Start, local "YYYYMMDDTHHMMSS"), whichever is set.
//
// Missed recurrences are not replayed: after a pause the post comes back
// once, in the first free slot, never several times in a row.
type Evergreen struct {
	EveryDays int    `json:"every_days,omitempty"`
	RRule     string `json:"rrule,omitempty"`
	Start     string `json:"start,omitempty"`
}

// next returns when the post may next go out after going out at last.
func (ev *Evergreen) next(last time.Time, loc *time.Location, rec *Recurrence) (time.Time, error) {
	if rec != nil {
		ts, err := rec.Between(last.Add(time.Nanosecond), last.AddDate(10, 0, 0), maxSlots)
		if err != nil {
			return time.Time{}, err
		}
		if len(ts) == 0 {
			return time.Time{}, &NotFoundError{Op: "evergreen", ID: "no recurrence left"}
		}
		return ts[0], nil
	}
	l := last.In(loc)
	y, m, d := l.Date()
	h, mi, s := l.Clock()
	return Resolve(y, m, d+ev.EveryDays, h, mi, s, loc), nil
}

// QueueItem is one position in a queue: a post, or an empty position left
// by removing a post without closing the gap (PostID "").
type QueueItem struct {
	PostID    string     `json:"post_id,omitempty"`
	Evergreen *Evergreen `json:"evergreen,omitempty"`
	NotBefore time.Time  `json:"not_before,omitzero"` // an evergreen post waits until then
	rec       *Recurrence
}

// Assignment gives a queued post its slot.
type Assignment struct {
	PostID string
	At     time.Time
}

// Queue is a channel's posting queue: an ordered list of posts that take the
// channel's free slots in order. "Add to queue" takes the next free slot (an
// empty position left by a removal first); one slot holds one post. Plan
// computes the times from now, so a paused queue that resumes starts at the
// next free slot instead of bunching what it missed.
//
// The zero Queue is not usable; call [NewQueue]. A Queue is not safe for
// concurrent use.
type Queue struct {
	Workspace, Channel string
	slots              *Slots
	items              []QueueItem
	paused             bool
}

// NewQueue returns an empty queue for a channel with its slot schedule.
func NewQueue(workspace, channel string, s Schedule) (*Queue, error) {
	if err := checkID("queue", "workspace", workspace); err != nil {
		return nil, err
	}
	if err := checkID("queue", "channel", channel); err != nil {
		return nil, err
	}
	sl, err := s.Compile()
	if err != nil {
		return nil, err
	}
	return &Queue{Workspace: workspace, Channel: channel, slots: sl}, nil
}

// Items returns the queue's positions in order.
func (q *Queue) Items() []QueueItem { return slices.Clone(q.items) }

func (q *Queue) index(postID string) int {
	return slices.IndexFunc(q.items, func(it QueueItem) bool { return it.PostID != "" && it.PostID == postID })
}

func (q *Queue) newItem(op, postID string, ev *Evergreen) (QueueItem, error) {
	if err := checkID(op, "post", postID); err != nil {
		return QueueItem{}, err
	}
	if q.index(postID) >= 0 {
		return QueueItem{}, &ConflictError{Op: op, ID: postID, Reason: "already in the queue"}
	}
	it := QueueItem{PostID: postID}
	if ev != nil {
		e := *ev
		switch {
		case e.RRule != "" && e.EveryDays != 0:
			return QueueItem{}, invalid(op, "evergreen", e.RRule, "give every_days or rrule, not both")
		case e.RRule != "":
			start, err := parseLocal(e.Start)
			if err != nil {
				return QueueItem{}, err
			}
			rec, err := newRecurrence(op, e.RRule, start, q.slots.loc)
			if err != nil {
				return QueueItem{}, err
			}
			it.rec = rec
		case e.EveryDays < 1 || e.EveryDays > 3660:
			return QueueItem{}, invalid(op, "every_days", itoa(e.EveryDays), "must be 1 to 3660")
		}
		it.Evergreen = &e
	}
	return it, nil
}

// Add puts a post in the queue's next free position: the first empty
// position if there is one, else the end. A post already queued is a
// *ConflictError.
func (q *Queue) Add(postID string) error { return q.add("add", postID, nil) }

// AddEvergreen adds a post that comes back after it goes out (see
// [Queue.Published]).
func (q *Queue) AddEvergreen(postID string, ev Evergreen) error {
	return q.add("add evergreen", postID, &ev)
}

func (q *Queue) add(op, postID string, ev *Evergreen) error {
	it, err := q.newItem(op, postID, ev)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(q.items, func(it QueueItem) bool { return it.PostID == "" }); i >= 0 {
		q.items[i] = it
		return nil
	}
	q.items = append(q.items, it)
	return nil
}

// InsertTop puts a post first in the queue; the others move one slot later.
func (q *Queue) InsertTop(postID string) error {
	it, err := q.newItem("insert top", postID, nil)
	if err != nil {
		return err
	}
	q.items = slices.Insert(q.items, 0, it)
	return nil
}

// Remove takes a post out of the queue. With closeGap the posts after it
// move up one slot; without, its position stays empty until the next Add.
func (q *Queue) Remove(postID string, closeGap bool) error {
	i := q.index(postID)
	if i < 0 {
		return &NotFoundError{Op: "queue remove", ID: postID}
	}
	if closeGap {
		q.items = slices.Delete(q.items, i, i+1)
	} else {
		q.items[i] = QueueItem{}
	}
	for len(q.items) > 0 && q.items[len(q.items)-1].PostID == "" {
		q.items = q.items[:len(q.items)-1] // trailing gaps hold nothing
	}
	return nil
}

// Reorder puts the queued posts in the order of postIDs, which must list
// each queued post exactly once. Empty positions stay where they are.
func (q *Queue) Reorder(postIDs []string) error {
	var posts []QueueItem
	for _, it := range q.items {
		if it.PostID != "" {
			posts = append(posts, it)
		}
	}
	if len(postIDs) != len(posts) {
		return invalid("reorder", "post_ids", itoa(len(postIDs)), "must list each queued post once")
	}
	byID := map[string]QueueItem{}
	for _, it := range posts {
		byID[it.PostID] = it
	}
	ordered := make([]QueueItem, 0, len(posts))
	for _, id := range postIDs {
		it, ok := byID[id]
		if !ok {
			return invalid("reorder", "post_ids", id, "not queued, or listed twice")
		}
		delete(byID, id)
		ordered = append(ordered, it)
	}
	q.fill(ordered)
	return nil
}

// Shuffle puts the queued posts in a random order drawn from seed: the
// same seed gives the same order. Empty positions stay where they are.
func (q *Queue) Shuffle(seed uint64) {
	var posts []QueueItem
	for _, it := range q.items {
		if it.PostID != "" {
			posts = append(posts, it)
		}
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	r.Shuffle(len(posts), func(i, j int) { posts[i], posts[j] = posts[j], posts[i] })
	q.fill(posts)
}

func (q *Queue) fill(posts []QueueItem) {
	j := 0
	for i := range q.items {
		if q.items[i].PostID != "" {
			q.items[i] = posts[j]
			j++
		}
	}
}

// Pause stops the queue: Plan gives no slots until Resume.
func (q *Queue) Pause() { q.paused = true }

// Resume restarts a paused queue; Plan then starts at the next free slot.
func (q *Queue) Resume() { q.paused = false }

// Paused reports whether the queue is paused.
func (q *Queue) Paused() bool { return q.paused }

// Published records that a queued post went out at at. The post leaves the
// queue (closing its gap); an evergreen post goes back to the end, not
// before its next recurrence after at.
func (q *Queue) Published(postID string, at time.Time) error {
	i := q.index(postID)
	if i < 0 {
		return &NotFoundError{Op: "queue published", ID: postID}
	}
	it := q.items[i]
	if it.Evergreen != nil {
		nb, err := it.Evergreen.next(at, q.slots.loc, it.rec)
		if err != nil {
			return err
		}
		it.NotBefore = nb
	}
	q.items = slices.Delete(q.items, i, i+1)
	if it.Evergreen != nil {
		q.items = append(q.items, it)
	}
	return nil
}

// planHorizon is how far ahead Plan looks for free slots.
const planHorizon = 2 * 366 * 24 * time.Hour

// Plan gives each queued post its slot after now, in queue order: the first
// slot that is free (no calendar entry of the channel there, other than the
// queued posts themselves), keeps the rules (blackouts, minimum gap,
// maximum per day in the queue's zone) and is not before an evergreen
// post's NotBefore. An empty position keeps its slot empty. cal may be nil.
// A paused queue plans nothing. Posts that find no slot within two years
// are left out of the plan and reported by a *ConflictError alongside the
// partial plan.
func (q *Queue) Plan(now time.Time, cal *Calendar, r Rules) ([]Assignment, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if q.paused || len(q.items) == 0 {
		return nil, nil
	}
	queued := map[string]bool{}
	latest := now
	for _, it := range q.items {
		queued[it.PostID] = true
		if it.NotBefore.After(latest) {
			latest = it.NotBefore
		}
	}
	horizon := latest.Add(planHorizon)
	var taken []time.Time // instants of posts on the channel, sorted
	if cal != nil {
		cal.mu.RLock()
		cal.scanList(cal.ws[q.Workspace], Query{From: now.Add(-r.MinGap - 48*time.Hour), To: horizon.Add(r.MinGap + 48*time.Hour)}, func(e *Entry) {
			if e.Channel == q.Channel && !queued[e.ID] && counts(e.Status) {
				taken = append(taken, e.At)
			}
		})
		cal.mu.RUnlock()
	}
	reserved := map[int64]bool{} // slots kept empty by gaps
	var out []Assignment
	cursor := now
	var unplaced []string
	for _, it := range q.items {
		from := cursor
		if it.NotBefore.After(from) {
			from = it.NotBefore.Add(-time.Nanosecond)
		}
		at, ok, err := q.nextFree(from, horizon, taken, reserved, r)
		if err != nil {
			return nil, err
		}
		if !ok {
			if it.PostID != "" {
				unplaced = append(unplaced, it.PostID)
			}
			continue
		}
		if it.PostID == "" {
			reserved[at.UnixNano()] = true
		} else {
			taken = insertSorted(taken, at)
		}
		if it.NotBefore.IsZero() || !it.NotBefore.After(cursor) {
			cursor = at
		}
		if it.PostID != "" {
			out = append(out, Assignment{PostID: it.PostID, At: at})
		}
	}
	slices.SortStableFunc(out, func(a, b Assignment) int { return a.At.Compare(b.At) })
	if len(unplaced) > 0 {
		return out, &ConflictError{Op: "plan", ID: unplaced[0], Reason: "no free slot within two years for " + itoa(len(unplaced)) + " queued post(s)"}
	}
	return out, nil
}

// nextFree returns the first slot after from, before horizon, that keeps
// the rules against taken.
func (q *Queue) nextFree(from, horizon time.Time, taken []time.Time, reserved map[int64]bool, r Rules) (time.Time, bool, error) {
	step := 31 * 24 * time.Hour
	for start := from.Add(time.Nanosecond); start.Before(horizon); start = start.Add(step) {
		end := start.Add(step)
		if end.After(horizon) {
			end = horizon
		}
		slots, err := q.slots.Between(start, end)
		if err != nil {
			return time.Time{}, false, err
		}
		for _, s := range slots {
			if !reserved[s.UnixNano()] && q.fits(s, taken, r) {
				return s, true, nil
			}
		}
	}
	return time.Time{}, false, nil
}

func (q *Queue) fits(s time.Time, taken []time.Time, r Rules) bool {
	i, found := slices.BinarySearchFunc(taken, s, time.Time.Compare)
	if found {
		return false // one slot holds one post
	}
	if r.MinGap > 0 {
		if i > 0 && s.Sub(taken[i-1]) < r.MinGap {
			return false
		}
		if i < len(taken) && taken[i].Sub(s) < r.MinGap {
			return false
		}
	}
	for _, b := range r.Blackouts {
		if b.covers(q.Workspace, q.Channel, s) {
			return false
		}
	}
	if r.MaxPerDay > 0 {
		y, m, d := s.In(q.slots.loc).Date()
		start := Resolve(y, m, d, 0, 0, 0, q.slots.loc)
		end := Resolve(y, m, d+1, 0, 0, 0, q.slots.loc)
		lo, _ := slices.BinarySearchFunc(taken, start, time.Time.Compare)
		hi, _ := slices.BinarySearchFunc(taken, end, time.Time.Compare)
		if hi-lo >= r.MaxPerDay {
			return false
		}
	}
	return true
}

func insertSorted(ts []time.Time, t time.Time) []time.Time {
	i, _ := slices.BinarySearchFunc(ts, t, time.Time.Compare)
	return slices.Insert(ts, i, t)
}

func itoa(n int) string { return strconv.Itoa(n) }
