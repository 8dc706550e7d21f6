package workflow

import (
	"context"
	"fmt"
	"slices"

	"github.com/socialflow/socialflow/workflow/team"
)

// Post returns a post as actor may see it. actor needs [team.PermViewCalendar];
// a member restricted to some channels or networks sees a post only when it
// targets one of them, and then only those targets (and their variants):
// the same scope as the calendar views. The content a target publishes is
// [Post.ContentFor].
func (s *Service) Post(ctx context.Context, actor, id string) (Post, error) {
	p, _, err := s.readPost(ctx, actor, id)
	return p, err
}

// Posts lists a workspace's posts, optionally in some states, as actor may
// see them (see [Service.Post]). actor needs [team.PermViewCalendar].
func (s *Service) Posts(ctx context.Context, actor, workspace string, states ...State) ([]Post, error) {
	v, err := s.viewScope(ctx, actor, workspace)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListPosts(ctx, PostQuery{Workspace: workspace, States: states})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, p := range all {
		if p, err := v.post(p); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// Versions returns a post's versions, oldest first, as actor may see them:
// the post must be visible ([Service.Post]) and variants of channels and
// networks outside actor's scope are left out. actor needs
// [team.PermViewCalendar].
func (s *Service) Versions(ctx context.Context, actor, id string) ([]Version, error) {
	_, v, err := s.readPost(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.Versions(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range vs {
		vs[i] = v.version(vs[i], s.networkOf)
	}
	return vs, nil
}

func (s *Service) networkOf(channel string) string {
	c, _ := s.team.Channel(channel)
	return c.Network
}

// DiffVersions returns the word diff of the base copy between versions a
// and b of a post. The read is that of [Service.Versions].
func (s *Service) DiffVersions(ctx context.Context, actor, id string, a, b int) ([]DiffSpan, error) {
	vs, err := s.Versions(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	find := func(n int) (Version, error) {
		for _, v := range vs {
			if v.Number == n {
				return v, nil
			}
		}
		return Version{}, &NotFoundError{Kind: "version", ID: fmt.Sprintf("%s#%d", id, n)}
	}
	va, err := find(a)
	if err != nil {
		return nil, err
	}
	vb, err := find(b)
	if err != nil {
		return nil, err
	}
	return Diff(va.Content.Text, vb.Content.Text), nil
}

// AuditTrail returns the events of workspace's audit chain after seq (each
// workspace has its own chain and sequence). actor needs [team.PermViewAudit]
// in workspace; for a member restricted to some channels or networks the
// events about posts, channels and tasks outside that scope (the scope of
// [Service.Post]) are left out.
func (s *Service) AuditTrail(ctx context.Context, actor, workspace string, after int64) ([]Event, error) {
	if err := s.allow(ctx, actor, team.PermViewAudit, team.Scope{Workspace: workspace}); err != nil {
		return nil, err
	}
	v, err := s.viewScope(ctx, actor, workspace)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Events(ctx, workspace, after, 0)
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(e Event) bool { return e.Workspace != workspace })
	if v.all {
		return all, nil
	}
	posts := map[string]*Post{}
	post := func(id string) (Post, bool) {
		if p, ok := posts[id]; ok {
			return derefPost(p)
		}
		p, err := s.store.GetPost(ctx, id)
		if err != nil {
			posts[id] = nil
			return Post{}, false
		}
		posts[id] = &p
		return p, true
	}
	var tasks map[string]string
	taskPost := func(id string) string {
		if tasks == nil {
			tasks = map[string]string{}
			ts, _ := s.store.Tasks(ctx, TaskQuery{Workspace: workspace})
			for _, t := range ts {
				tasks[t.ID] = t.Post
			}
		}
		return tasks[id]
	}
	return slices.DeleteFunc(all, func(e Event) bool { return !v.eventVisible(e, post, taskPost) }), nil
}

func derefPost(p *Post) (Post, bool) {
	if p == nil {
		return Post{}, false
	}
	return *p, true
}
