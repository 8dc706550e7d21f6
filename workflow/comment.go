package workflow

import (
	"regexp"
	"slices"
	"time"
)

// Visibility says who sees a comment.
type Visibility string

// The comment visibilities.
const (
	Internal      Visibility = "internal" // the team only
	ClientVisible Visibility = "client"   // the team and the workspace's clients
)

// Comment is a remark on a post, threaded through Parent, attached to the
// content version it was made on.
type Comment struct {
	ID         string     `json:"id"`
	Post       string     `json:"post"`
	Parent     string     `json:"parent,omitempty"` // the comment this answers
	Author     string     `json:"author"`
	Body       string     `json:"body"`
	Visibility Visibility `json:"visibility"`
	Version    int        `json:"version"`
	Mentions   []string   `json:"mentions,omitempty"` // member IDs @mentioned in Body
	At         time.Time  `json:"at"`
	Resolved   bool       `json:"resolved,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	ResolvedAt time.Time  `json:"resolved_at,omitzero"`
}

var mentionRE = regexp.MustCompile(`(?:^|[^\w@])@([A-Za-z0-9_.\-]+[A-Za-z0-9_])`)

// Mentions returns the distinct @names in body that exist according to
// known, in order of appearance. An @name that is not a member is ignored
// (it may be a handle on a network).
func Mentions(body string, known func(id string) bool) []string {
	var out []string
	for _, m := range mentionRE.FindAllStringSubmatch(body, -1) {
		if id := m[1]; known(id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Task assigns a post, or one step of it, to a member with a due time.
type Task struct {
	ID         string    `json:"id"`
	Workspace  string    `json:"workspace"`
	Post       string    `json:"post,omitempty"`
	Step       string    `json:"step,omitempty"` // e.g. "design", "legal review"
	Assignee   string    `json:"assignee"`
	AssignedBy string    `json:"assigned_by"`
	Due        time.Time `json:"due,omitzero"`
	Done       bool      `json:"done,omitempty"`
	DoneAt     time.Time `json:"done_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

// Overdue reports whether t is open and past its due time at now.
func (t Task) Overdue(now time.Time) bool { return !t.Done && !t.Due.IsZero() && now.After(t.Due) }
