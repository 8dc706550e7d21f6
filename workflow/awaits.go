package workflow

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/workflow/team"
)

// Awaiting is what awaits one member in one workspace ([Service.Awaiting]):
// the approvals awaiting their decision and their open tasks, each sorted
// by due time (undated last) then ID, with what is overdue flagged.
type Awaiting struct {
	At        time.Time         `json:"at"`
	Approvals []AwaitedApproval `json:"approvals,omitempty"`
	Tasks     []AwaitedTask     `json:"tasks,omitempty"`
	Overdue   int               `json:"overdue"` // approvals and tasks past due at At
}

// AwaitedApproval is a post in review whose open stage awaits the member.
type AwaitedApproval struct {
	Post    string    `json:"post"`
	Version int       `json:"version"`
	Stage   string    `json:"stage"`
	Preview string    `json:"preview"`
	Due     time.Time `json:"due,omitzero"`
	Overdue bool      `json:"overdue,omitempty"`
}

// AwaitedTask is an open task assigned to the member; Due is its reminder.
type AwaitedTask struct {
	Task    Task `json:"task"`
	Overdue bool `json:"overdue,omitempty"`
}

// Awaiting returns what awaits actor in workspace: approvals awaiting their
// decision (posts in review whose open stage names them, or names nobody
// and actor holds [team.PermApprove]), and their open tasks with their due
// reminders. It is a read through actor's view scope: a member restricted
// to some channels sees only posts and tasks on them.
func (s *Service) Awaiting(ctx context.Context, actor, workspace string) (Awaiting, error) {
	v, err := s.viewScope(ctx, actor, workspace)
	if err != nil {
		return Awaiting{}, err
	}
	now := s.now()
	out := Awaiting{At: now}
	posts, err := s.store.ListPosts(ctx, PostQuery{Workspace: workspace, States: []State{StateInReview}})
	if err != nil {
		return Awaiting{}, err
	}
	canApprove := s.team.Can(actor, team.PermApprove, team.Scope{Workspace: workspace})
	for _, p := range posts {
		if _, err := v.post(p); err != nil {
			continue
		}
		res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
		if err != nil || res.Outcome != approval.Pending {
			continue
		}
		if !slices.Contains(res.Awaiting, actor) && (res.Awaiting != nil || !canApprove) {
			continue
		}
		a := AwaitedApproval{Post: p.ID, Version: p.Version, Stage: res.Stage, Preview: preview(p.Content.Text), Due: res.Due, Overdue: res.Overdue}
		out.Approvals = append(out.Approvals, a)
	}
	tasks, err := s.store.Tasks(ctx, TaskQuery{Workspace: workspace, Assignee: actor, Open: true})
	if err != nil {
		return Awaiting{}, err
	}
	for _, t := range tasks {
		if t.Workspace != workspace || t.Assignee != actor || t.Done {
			continue
		}
		if t.Post != "" && !v.all {
			p, err := s.store.GetPost(ctx, t.Post)
			if err != nil {
				continue
			}
			if _, err := v.post(p); err != nil {
				continue
			}
		}
		out.Tasks = append(out.Tasks, AwaitedTask{Task: t, Overdue: t.Overdue(now)})
	}
	slices.SortFunc(out.Approvals, func(a, b AwaitedApproval) int {
		return cmp.Or(byDue(a.Due, b.Due), strings.Compare(a.Post, b.Post))
	})
	slices.SortFunc(out.Tasks, func(a, b AwaitedTask) int {
		return cmp.Or(byDue(a.Task.Due, b.Task.Due), strings.Compare(a.Task.ID, b.Task.ID))
	})
	for _, a := range out.Approvals {
		if a.Overdue {
			out.Overdue++
		}
	}
	for _, t := range out.Tasks {
		if t.Overdue {
			out.Overdue++
		}
	}
	return out, nil
}

// byDue orders instants, the zero instant (no due time) last.
func byDue(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}
