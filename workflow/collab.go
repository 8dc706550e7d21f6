package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// CommentRequest is a comment for [Service.Comment].
type CommentRequest struct {
	Post       string     // the post's ID
	Parent     string     // the comment answered, if any
	Body       string     // the text; members @mentioned by ID are notified
	Visibility Visibility // Internal or ClientVisible
}

// Comment adds a comment to a post's current version, optionally answering
// r.Parent. actor must see the post ([Service.Post]); internal comments need
// [team.PermCommentInternal], client-visible ones [team.PermCommentClient]. Members
// @mentioned by ID are notified (those who may see the post).
func (s *Service) Comment(ctx context.Context, actor string, r CommentRequest) (Comment, error) {
	post, parent, body, vis := r.Post, r.Parent, r.Body, r.Visibility
	p, _, err := s.readPost(ctx, actor, post)
	if err != nil {
		return Comment{}, err
	}
	perm := team.PermCommentInternal
	switch vis {
	case Internal:
	case ClientVisible:
		perm = team.PermCommentClient
	default:
		return Comment{}, &ValidationError{Field: "visibility", Value: string(vis), Reason: "must be internal or client"}
	}
	if err := s.allow(ctx, actor, perm, team.Scope{Workspace: p.Workspace}); err != nil {
		return Comment{}, err
	}
	if strings.TrimSpace(body) == "" {
		return Comment{}, &ValidationError{Field: "comment.body", Reason: "must not be empty"}
	}
	if err := validText("comment.body", body); err != nil {
		return Comment{}, err
	}
	if parent != "" {
		cs, err := s.store.Comments(ctx, post)
		if err != nil {
			return Comment{}, err
		}
		i := slices.IndexFunc(cs, func(c Comment) bool { return c.ID == parent })
		if i < 0 || (cs[i].Visibility == Internal && !s.team.Can(actor, team.PermCommentInternal, team.Scope{Workspace: p.Workspace})) {
			// A comment the actor cannot see does not exist for them.
			return Comment{}, &NotFoundError{Kind: "comment", ID: parent}
		}
		if cs[i].Visibility == Internal && vis == ClientVisible {
			return Comment{}, &ValidationError{Field: "visibility", Value: string(vis), Reason: "a client-visible reply cannot answer an internal comment"}
		}
	}
	known := func(id string) bool {
		if vis == ClientVisible {
			return s.team.Can(id, team.PermViewCalendar, team.Scope{Workspace: p.Workspace})
		}
		return s.team.Can(id, team.PermCommentInternal, team.Scope{Workspace: p.Workspace})
	}
	c := Comment{
		ID: s.newID(), Post: post, Parent: parent, Author: actor, Body: body, Visibility: vis,
		Version: p.Version, Mentions: Mentions(body, known), At: s.now(),
	}
	if err := s.store.PutComment(ctx, c); err != nil {
		return Comment{}, err
	}
	if err := s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "comment.add", Object: "post:" + post + "/comment:" + c.ID,
		Version: p.Version, Summary: preview(body), Data: map[string]string{"visibility": string(vis)}}); err != nil {
		return c, err
	}
	if len(c.Mentions) > 0 {
		s.notify(ctx, Notice{Kind: NoticeMentioned, Workspace: p.Workspace, Post: post, To: c.Mentions, Actor: actor, Summary: preview(body)})
	}
	return c, nil
}

// Comments returns a post's comments that actor may see: clients (members
// without [team.PermCommentInternal]) see only client-visible ones.
func (s *Service) Comments(ctx context.Context, actor, post string) ([]Comment, error) {
	p, err := s.Post(ctx, actor, post)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.Comments(ctx, post)
	if err != nil {
		return nil, err
	}
	if !s.team.Can(actor, team.PermCommentInternal, team.Scope{Workspace: p.Workspace}) {
		cs = slices.DeleteFunc(cs, func(c Comment) bool { return c.Visibility == Internal })
	}
	return cs, nil
}

// ResolveComment marks a comment resolved. actor must see the post
// ([Service.Post]); the comment's author or anyone with [team.PermEditAnyDraft]
// may resolve it.
func (s *Service) ResolveComment(ctx context.Context, actor, post, id string) (Comment, error) {
	p, _, err := s.readPost(ctx, actor, post)
	if err != nil {
		return Comment{}, err
	}
	cs, err := s.store.Comments(ctx, post)
	if err != nil {
		return Comment{}, err
	}
	i := slices.IndexFunc(cs, func(c Comment) bool { return c.ID == id })
	if i < 0 || (cs[i].Visibility == Internal && !s.team.Can(actor, team.PermCommentInternal, team.Scope{Workspace: p.Workspace})) {
		return Comment{}, &NotFoundError{Kind: "comment", ID: id}
	}
	c := cs[i]
	perm := team.PermEditAnyDraft
	if c.Author == actor {
		perm = team.PermViewCalendar
	}
	if err := s.allow(ctx, actor, perm, team.Scope{Workspace: p.Workspace}); err != nil {
		return Comment{}, err
	}
	if c.Resolved {
		return c, nil
	}
	c.Resolved, c.ResolvedBy, c.ResolvedAt = true, actor, s.now()
	if err := s.store.PutComment(ctx, c); err != nil {
		return Comment{}, err
	}
	return c, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "comment.resolve", Object: "post:" + post + "/comment:" + id})
}

// AssignTask assigns a post, or a step of it, to a member with a due time.
// actor needs [team.PermAssignTasks]; the assignee must be able to view the
// workspace and, for a task on a post, the post ([Service.Post]), which
// actor must see too. The assignee is notified.
//
// t.ID is optional (the service generates one when empty). An ID of a task
// of another workspace is an *IDTakenError (socialflow.ErrConflict):
// nothing of another workspace is ever overwritten; an ID of a task of the
// same workspace reassigns that task.
func (s *Service) AssignTask(ctx context.Context, actor string, t Task) (Task, error) {
	if err := s.allow(ctx, actor, team.PermAssignTasks, team.Scope{Workspace: t.Workspace}); err != nil {
		return Task{}, err
	}
	if err := team.CheckID("task.assignee", t.Assignee); err != nil {
		return Task{}, err
	}
	if !s.team.Can(t.Assignee, team.PermViewCalendar, team.Scope{Workspace: t.Workspace}) {
		return Task{}, &ValidationError{Field: "task.assignee", Value: t.Assignee, Reason: "not an active member of workspace " + t.Workspace}
	}
	if t.Post != "" {
		p, err := s.store.GetPost(ctx, t.Post)
		if err != nil {
			return Task{}, err
		}
		if p.Workspace != t.Workspace {
			return Task{}, &ValidationError{Field: "task.post", Value: t.Post, Reason: "not a post of workspace " + t.Workspace}
		}
		if _, _, err := s.readPost(ctx, actor, t.Post); err != nil {
			return Task{}, err
		}
		if _, _, err := s.readPost(ctx, t.Assignee, t.Post); err != nil {
			return Task{}, &ValidationError{Field: "task.assignee", Value: t.Assignee, Reason: "cannot see post " + t.Post + " (channel scope)"}
		}
	}
	now := s.now()
	if t.ID == "" {
		t.ID = s.newID()
	}
	if err := s.ownsTask(ctx, t.Workspace, t.ID); err != nil {
		return Task{}, err
	}
	t.AssignedBy, t.CreatedAt, t.Done, t.DoneAt = actor, now, false, time.Time{}
	if err := s.store.PutTask(ctx, t); err != nil {
		if ce := (*ConflictError)(nil); errors.As(err, &ce) && ce.Kind == ConflictTask {
			return Task{}, &IDTakenError{Kind: "task", ID: t.ID}
		}
		return Task{}, err
	}
	if err := s.record(ctx, Event{Workspace: t.Workspace, Actor: actor, Action: "task.assign", Object: "task:" + t.ID,
		Summary: strings.TrimSpace(fmt.Sprintf("%s %s to %s%s", echo.Short(t.Post), echo.Short(t.Step), t.Assignee, due(t.Due)))}); err != nil {
		return t, err
	}
	s.notify(ctx, Notice{Kind: NoticeTaskAssigned, Workspace: t.Workspace, Post: t.Post, To: []string{t.Assignee}, Actor: actor,
		Summary: strings.TrimSpace(echo.Short(t.Step) + due(t.Due))})
	return t, nil
}

// CompleteTask marks a task done. The assignee or anyone with
// [team.PermAssignTasks] may complete it; a task on a post actor cannot see
// ([Service.Post]) does not exist for them.
func (s *Service) CompleteTask(ctx context.Context, actor, workspace, id string) (Task, error) {
	ts, err := s.store.Tasks(ctx, TaskQuery{Workspace: workspace})
	if err != nil {
		return Task{}, err
	}
	i := slices.IndexFunc(ts, func(t Task) bool { return t.ID == id })
	if i < 0 {
		return Task{}, &NotFoundError{Kind: "task", ID: id}
	}
	t := ts[i]
	if t.Post != "" {
		if _, _, err := s.readPost(ctx, actor, t.Post); err != nil {
			return Task{}, &NotFoundError{Kind: "task", ID: id}
		}
	}
	perm := team.PermAssignTasks
	if t.Assignee == actor {
		perm = team.PermViewCalendar
	}
	if err := s.allow(ctx, actor, perm, team.Scope{Workspace: workspace}); err != nil {
		return Task{}, err
	}
	t.Done, t.DoneAt = true, s.now()
	if err := s.store.PutTask(ctx, t); err != nil {
		return Task{}, err
	}
	return t, s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "task.done", Object: "task:" + id})
}

// MyTasks returns the open tasks assigned to actor in workspace, soonest
// due first, leaving out tasks on posts actor cannot see ([Service.Post]).
func (s *Service) MyTasks(ctx context.Context, actor, workspace string) ([]Task, error) {
	v, err := s.viewScope(ctx, actor, workspace)
	if err != nil {
		return nil, err
	}
	ts, err := s.store.Tasks(ctx, TaskQuery{Workspace: workspace, Assignee: actor, Open: true})
	if err != nil {
		return nil, err
	}
	return s.visibleTasks(ctx, v, ts), nil
}

// visibleTasks leaves out the tasks on posts outside v.
func (s *Service) visibleTasks(ctx context.Context, v viewScope, ts []Task) []Task {
	if v.all {
		return ts
	}
	return slices.DeleteFunc(ts, func(t Task) bool {
		if t.Post == "" {
			return false
		}
		p, err := s.store.GetPost(ctx, t.Post)
		if err != nil {
			return true
		}
		_, err = v.post(p)
		return err != nil
	})
}

// ownsTask returns an *IDTakenError when id names a task of a workspace
// other than workspace.
func (s *Service) ownsTask(ctx context.Context, workspace, id string) error {
	ts, err := s.store.Tasks(ctx, TaskQuery{ID: id})
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.ID == id && t.Workspace != workspace {
			return &IDTakenError{Kind: "task", ID: id}
		}
	}
	return nil
}

// OverdueTasks returns the open tasks of workspace past due at the service's
// current time, leaving out tasks on posts actor cannot see
// ([Service.Post]). actor needs [team.PermAssignTasks].
func (s *Service) OverdueTasks(ctx context.Context, actor, workspace string) ([]Task, error) {
	if err := s.allow(ctx, actor, team.PermAssignTasks, team.Scope{Workspace: workspace}); err != nil {
		return nil, err
	}
	v, err := s.viewScope(ctx, actor, workspace)
	if err != nil {
		return nil, err
	}
	ts, err := s.store.Tasks(ctx, TaskQuery{Workspace: workspace, Open: true})
	if err != nil {
		return nil, err
	}
	now := s.now()
	return slices.DeleteFunc(s.visibleTasks(ctx, v, ts), func(t Task) bool { return !t.Overdue(now) }), nil
}
