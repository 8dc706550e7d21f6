package workflow

import (
	"context"
	"slices"
	"strings"

	"github.com/socialflow/socialflow/workflow/team"
)

// viewScope is what one member may see of one workspace: every channel, or
// only some. It is computed by [Service.viewScope], the one place that
// decides read access, through the same gate as writes; every read (posts,
// versions, diffs, comments, tasks, the audit trail, the calendar views)
// and every notice goes through it.
type viewScope struct {
	workspace string
	all       bool
	channels  map[string]bool // when !all: the visible channels
	denied    error           // the gate's refusal of the first channel left out
}

// viewScope returns what actor may see of workspace: it needs
// [team.PermViewCalendar] in the workspace; a membership restricted to some
// channels or networks sees only the channels the gate allows it.
func (s *Service) viewScope(ctx context.Context, actor, workspace string) (viewScope, error) {
	ws := team.Scope{Workspace: workspace}
	if err := s.allow(ctx, actor, team.PermViewCalendar, ws); err != nil {
		return viewScope{}, err
	}
	v := viewScope{workspace: workspace, all: true}
	m, ok := s.team.Membership(actor, workspace)
	if !ok || !m.Restricted() {
		return v, nil
	}
	v.all, v.channels = false, map[string]bool{}
	for _, c := range s.team.Channels(workspace) {
		err := s.allow(ctx, actor, team.PermViewCalendar, team.Scope{Workspace: workspace, Channel: c.ID})
		if err == nil {
			v.channels[c.ID] = true
		} else if v.denied == nil {
			v.denied = err
		}
	}
	if v.denied == nil {
		v.denied = &team.ForbiddenError{Member: actor, Permission: team.PermViewCalendar, Scope: ws, Reason: team.ReasonOutsideScope, Role: m.Role}
	}
	return v, nil
}

// channel reports whether the channel is visible.
func (v viewScope) channel(id string) bool { return v.all || v.channels[id] }

// post returns p as the scope shows it: only the targets on visible
// channels (with their variants), only the network variants of the
// networks those targets publish to. A post of another workspace, or with
// no visible target, is refused with the gate's error.
func (v viewScope) post(p Post) (Post, error) {
	if p.Workspace != v.workspace {
		return Post{}, &team.ForbiddenError{Permission: team.PermViewCalendar, Scope: team.Scope{Workspace: p.Workspace}, Reason: team.ReasonNoMembership}
	}
	if v.all {
		return p, nil
	}
	p = p.Clone()
	p.Targets = slices.DeleteFunc(p.Targets, func(t Target) bool { return !v.channels[t.Channel] })
	if len(p.Targets) == 0 {
		return Post{}, v.denied
	}
	for n := range p.NetworkVariants {
		if !slices.ContainsFunc(p.Targets, func(t Target) bool { return t.Network == n }) {
			delete(p.NetworkVariants, n)
		}
	}
	return p, nil
}

// version returns ver as the scope shows it: the variants of channels and
// networks outside it are left out.
func (v viewScope) version(ver Version, networkOf func(channel string) string) Version {
	if v.all {
		return ver
	}
	var nets []string
	for ch := range v.channels {
		nets = append(nets, networkOf(ch))
	}
	for ch := range ver.Variants {
		if !v.channels[ch] {
			delete(ver.Variants, ch)
		}
	}
	for n := range ver.NetworkVariants {
		if !slices.Contains(nets, n) {
			delete(ver.NetworkVariants, n)
		}
	}
	return ver
}

// readPost loads a post and applies actor's view scope to it.
func (s *Service) readPost(ctx context.Context, actor, id string) (Post, viewScope, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, viewScope{}, err
	}
	v, err := s.viewScope(ctx, actor, p.Workspace)
	if err != nil {
		return Post{}, viewScope{}, err
	}
	p, err = v.post(p)
	if err != nil {
		return Post{}, viewScope{}, err
	}
	return p, v, nil
}

// eventVisible reports whether an audit event of the scope's workspace is
// visible: events about a post need a visible target of it (post looks the
// post up), events about a channel need that channel, events about a task
// of a post need that post.
func (v viewScope) eventVisible(e Event, post func(id string) (Post, bool), taskPost func(id string) string) bool {
	if v.all {
		return true
	}
	obj := e.Object
	if i := strings.Index(obj, "/channel:"); i >= 0 {
		return v.channels[obj[i+len("/channel:"):]]
	}
	kind, id, _ := strings.Cut(obj, ":")
	if kind == "post" {
		id, _, _ = strings.Cut(id, "/")
	}
	switch kind {
	case "channel":
		return v.channels[id]
	case "task":
		if pid := taskPost(id); pid != "" {
			return v.visiblePost(pid, post)
		}
		return true
	case "post":
		return v.visiblePost(id, post)
	}
	return true
}

func (v viewScope) visiblePost(id string, post func(id string) (Post, bool)) bool {
	p, ok := post(id)
	if !ok {
		return false
	}
	_, err := v.post(p)
	return err == nil
}

// recipients filters who a notice may go to: only members the view scope
// lets see it (an active membership in the notice's workspace and, for a
// member restricted to some channels, the notice's channel or, for a notice
// about a post, one of the post's channels). Duplicates are dropped. A
// notice carries a content preview, so nobody outside that scope gets one —
// whatever a routing table or a policy names.
func (s *Service) recipients(ctx context.Context, n Notice) []string {
	var channels []string
	switch {
	case n.Channel != "":
		channels = []string{n.Channel}
	case n.Post != "":
		p, err := s.store.GetPost(ctx, n.Post)
		if err != nil || p.Workspace != n.Workspace {
			channels = nil // restricted members get nothing they cannot be checked for
			break
		}
		for _, t := range p.Targets {
			channels = append(channels, t.Channel)
		}
	}
	var out []string
	for _, id := range n.To {
		if slices.Contains(out, id) {
			continue
		}
		v, err := s.viewScope(ctx, id, n.Workspace)
		if err != nil {
			continue
		}
		if !v.all && (n.Channel != "" || n.Post != "") && !slices.ContainsFunc(channels, v.channel) {
			continue
		}
		out = append(out, id)
	}
	return out
}
