package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/socialflow/socialflow/workflow/team"
)

// NewPost is the input of [Service.CreatePost].
type NewPost struct {
	Workspace string
	Content   Content
	// Channels are the channels to publish to. Variants optionally override
	// the content per channel, NetworkVariants per network (keyed by the
	// network, e.g. "x"), each field by field over the base (see
	// [Content]); a channel's variant wins over its network's.
	Channels        []string
	Variants        map[string]Content
	NetworkVariants map[string]Content
	Labels          []string
	Campaign        string
	Assignee        string
	Due             time.Time
	// At is the planned instant, shown on the calendar; the post is
	// scheduled for it only by [Service.Schedule] once approved.
	At time.Time
	// Zone is the IANA zone the post is planned in (default: the first
	// channel's zone, else UTC).
	Zone string
	// ID is optional; the service generates one when empty.
	ID string
}

func validText(field, s string) error {
	if !utf8.ValidString(s) {
		return &ValidationError{Field: field, Reason: "invalid UTF-8"}
	}
	return nil
}

func validContent(field string, c Content) error {
	for i, f := range c.Omit {
		if !slices.Contains(contentFields, f) {
			return &ValidationError{Field: fmt.Sprintf("%s.omit[%d]", field, i), Value: string(f), Reason: "not a content field (text, media, link, first_comment, thread)"}
		}
	}
	if err := validText(field+".text", c.Text); err != nil {
		return err
	}
	if err := validText(field+".first_comment", c.FirstComment); err != nil {
		return err
	}
	for i, part := range c.Thread {
		if err := validText(fmt.Sprintf("%s.thread[%d]", field, i), part); err != nil {
			return err
		}
	}
	for i, m := range c.Media {
		if strings.TrimSpace(m.Asset) == "" {
			return &ValidationError{Field: fmt.Sprintf("%s.media[%d].asset", field, i), Reason: "must not be empty"}
		}
	}
	return nil
}

// targetsFor resolves channel IDs to targets of workspace ws.
func (s *Service) targetsFor(ws string, channels []string, variants map[string]Content) ([]Target, error) {
	if len(channels) == 0 {
		return nil, &ValidationError{Field: "channels", Reason: "a post needs at least one channel"}
	}
	var out []Target
	for _, id := range channels {
		c, ok := s.team.Channel(id)
		if !ok {
			return nil, &NotFoundError{Kind: "channel", ID: id}
		}
		if c.WorkspaceID != ws {
			return nil, &ValidationError{Field: "channels", Value: id, Reason: "not a channel of workspace " + ws}
		}
		if slices.ContainsFunc(out, func(t Target) bool { return t.Channel == id }) {
			return nil, &ValidationError{Field: "channels", Value: id, Reason: "listed twice"}
		}
		t := Target{Channel: id, Network: c.Network, State: TargetPending}
		if v, ok := variants[id]; ok {
			if err := validContent("variants["+id+"]", v); err != nil {
				return nil, err
			}
			v = v.Clone()
			t.Variant = &v
		}
		out = append(out, t)
	}
	for id := range variants {
		if !slices.Contains(channels, id) {
			return nil, &ValidationError{Field: "variants", Value: id, Reason: "variant for a channel the post does not target"}
		}
	}
	return out, nil
}

// CreatePost creates a draft. actor needs [team.PermCreateDraft] in the
// workspace and, for each channel, the channel in their scope.
func (s *Service) CreatePost(ctx context.Context, actor string, in NewPost) (Post, error) {
	if err := s.allow(ctx, actor, team.PermCreateDraft, team.Scope{Workspace: in.Workspace}); err != nil {
		return Post{}, err
	}
	for _, ch := range in.Channels {
		if err := s.allow(ctx, actor, team.PermCreateDraft, team.Scope{Workspace: in.Workspace, Channel: ch}); err != nil {
			return Post{}, err
		}
	}
	if err := validBase(in.Content); err != nil {
		return Post{}, err
	}
	targets, err := s.targetsFor(in.Workspace, in.Channels, in.Variants)
	if err != nil {
		return Post{}, err
	}
	nv, err := networkVariants(targets, in.NetworkVariants)
	if err != nil {
		return Post{}, err
	}
	zone := in.Zone
	if zone == "" {
		c, _ := s.team.Channel(in.Channels[0])
		zone = c.Zone
	}
	if zone != "" {
		if _, err := time.LoadLocation(zone); err != nil {
			return Post{}, &ValidationError{Field: "zone", Value: zone, Reason: "unknown IANA time zone"}
		}
	}
	now := s.now()
	id := in.ID
	if id == "" {
		id = s.newID()
	}
	p := Post{
		ID: id, Workspace: in.Workspace, Author: actor, State: StateDraft, Version: 1,
		Content: in.Content.Clone(), NetworkVariants: nv, Targets: targets, Labels: slices.Clone(in.Labels), Campaign: in.Campaign,
		Assignee: in.Assignee, Due: in.Due, At: in.At.UTC(), Zone: zone, CreatedAt: now, UpdatedAt: now,
	}
	p, err = s.store.CreatePost(ctx, p)
	if ce := (*ConflictError)(nil); errors.As(err, &ce) && in.ID != "" {
		return Post{}, &IDTakenError{Kind: "post", ID: in.ID}
	}
	if err != nil {
		return Post{}, err
	}
	if err := s.store.AddVersion(ctx, versionOf(p, actor, now, "created", false)); err != nil {
		return p, err
	}
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.create", Object: "post:" + p.ID, Version: 1, Summary: preview(p.Content.Text)})
}

// validBase checks a post's base content: a variant's Omit has no meaning
// there.
func validBase(c Content) error {
	if len(c.Omit) > 0 {
		return &ValidationError{Field: "content.omit", Value: string(c.Omit[0]), Reason: "only a variant omits fields of the base"}
	}
	return validContent("content", c)
}

// networkVariants checks the per-network variants of a post with targets.
func networkVariants(targets []Target, in map[string]Content) (map[string]Content, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]Content, len(in))
	for n, v := range in {
		if !slices.ContainsFunc(targets, func(t Target) bool { return t.Network == n }) {
			return nil, &ValidationError{Field: "network_variants", Value: n, Reason: "variant for a network none of the post's channels is on"}
		}
		if err := validContent("network_variants["+n+"]", v); err != nil {
			return nil, err
		}
		out[n] = v.Clone()
	}
	return out, nil
}

func versionOf(p Post, author string, at time.Time, note string, minor bool) Version {
	v := Version{Post: p.ID, Number: p.Version, Author: author, At: at, Content: p.Content.Clone(), NetworkVariants: cloneVariants(p.NetworkVariants), Note: note, Minor: minor}
	for _, t := range p.Targets {
		if t.Variant != nil {
			if v.Variants == nil {
				v.Variants = map[string]Content{}
			}
			v.Variants[t.Channel] = t.Variant.Clone()
		}
	}
	return v
}

// Edit is the input of [Service.EditPost]. Nil fields keep their value.
type Edit struct {
	// Rev is the revision the editor saw ([Post.Rev] of the post read):
	// required (zero is an ErrInvalid naming Rev); a stale Rev is an
	// ErrConflict naming the current one, so two editors never overwrite
	// each other.
	Rev      int64
	Content  *Content
	Variants map[string]*Content // channel → variant (nil value: back to the base copy)
	// NetworkVariants sets per-network variants (network → variant; nil
	// value: removes the network's variant).
	NetworkVariants map[string]*Content
	Labels          *[]string
	Campaign        *string
	// Minor marks the edit minor (a typo): approvals survive it when the
	// post's policy allows ([approval.Policy.KeepOnMinorEdit]).
	Minor bool
	Note  string
}

// EditPost changes a post's content and makes a new version. actor needs
// [team.PermEditOwnDraft] for their own posts or [team.PermEditAnyDraft]. Editing an
// approved or scheduled post sends it back to review unless the edit is
// minor and the policy keeps approvals over minor edits; the record always
// names the version approved.
func (s *Service) EditPost(ctx context.Context, actor, id string, e Edit) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	perm := team.PermEditAnyDraft
	if p.Author == actor && s.team.Can(actor, team.PermEditOwnDraft, team.Scope{Workspace: p.Workspace}) {
		perm = team.PermEditOwnDraft
	}
	if err := s.allowTargets(ctx, actor, perm, p); err != nil {
		return Post{}, err
	}
	if e.Rev == 0 {
		return Post{}, &ValidationError{Field: "Rev", Reason: "required: pass the revision read (Post.Rev of the post being edited)"}
	}
	if e.Rev != p.Rev {
		return Post{}, &ConflictError{Kind: ConflictPost, ID: id, Current: p.Rev}
	}
	if e.Content != nil {
		if err := validBase(*e.Content); err != nil {
			return Post{}, err
		}
		p.Content = e.Content.Clone()
	}
	for ch, v := range e.Variants {
		t := p.Target(ch)
		if t == nil {
			return Post{}, &ValidationError{Field: "variants", Value: ch, Reason: "the post does not target this channel"}
		}
		if v == nil {
			t.Variant = nil
			continue
		}
		if err := validContent("variants["+ch+"]", *v); err != nil {
			return Post{}, err
		}
		c := v.Clone()
		t.Variant = &c
	}
	for n, v := range e.NetworkVariants {
		if v == nil {
			delete(p.NetworkVariants, n)
			continue
		}
		nv, err := networkVariants(p.Targets, map[string]Content{n: *v})
		if err != nil {
			return Post{}, err
		}
		if p.NetworkVariants == nil {
			p.NetworkVariants = map[string]Content{}
		}
		p.NetworkVariants[n] = nv[n]
	}
	if e.Labels != nil {
		p.Labels = slices.Clone(*e.Labels)
	}
	if e.Campaign != nil {
		p.Campaign = *e.Campaign
	}
	keep := e.Minor && p.Policy.KeepOnMinorEdit
	next, err := Transition(p.ID, p.State, ActEdit, !keep, false)
	if err != nil {
		return Post{}, err
	}
	before := p.State
	now := s.now()
	p.Version++
	switch {
	case keep && p.MinorSince == 0:
		p.MinorSince = p.Version - 1
	case !keep:
		p.MinorSince = 0
	}
	p.State = next
	p.UpdatedAt = now
	if before != next && next == StateInReview {
		p.SubmittedAt = now
		for i := range p.Targets {
			p.Targets[i].State = TargetPending
		}
	}
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	s.release(ctx, p) // edited back to review: the targets leave the plan
	if err := s.store.AddVersion(ctx, versionOf(p, actor, now, e.Note, e.Minor)); err != nil {
		return p, err
	}
	summary := fmt.Sprintf("version %d", p.Version)
	if before != next {
		summary += fmt.Sprintf("; %s → %s: approval reset by the edit", before, next)
	}
	if err := s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.edit", Object: "post:" + p.ID, Version: p.Version, Summary: summary}); err != nil {
		return p, err
	}
	if before != next {
		s.requestApproval(ctx, p, actor)
	}
	return p, nil
}

// Duplicate copies a post's current content (with its variants for the
// channels kept) into a new draft, optionally to other channels (nil keeps
// the same ones) and planned at another instant (zero: unplanned). The copy
// goes through approval again. actor needs to see the original
// ([Service.Post]: nil channels keeps the channels actor sees) and
// [team.PermCreateDraft] for the copy.
func (s *Service) Duplicate(ctx context.Context, actor, id string, channels []string, at time.Time) (Post, error) {
	p, _, err := s.readPost(ctx, actor, id)
	if err != nil {
		return Post{}, err
	}
	if channels == nil {
		for _, t := range p.Targets {
			channels = append(channels, t.Channel)
		}
	}
	variants := map[string]Content{}
	for _, t := range p.Targets {
		if t.Variant != nil && slices.Contains(channels, t.Channel) {
			variants[t.Channel] = *t.Variant
		}
	}
	var nv map[string]Content
	for n, c := range p.NetworkVariants {
		if slices.ContainsFunc(channels, func(ch string) bool { return s.networkOf(ch) == n }) {
			if nv == nil {
				nv = map[string]Content{}
			}
			nv[n] = c
		}
	}
	return s.CreatePost(ctx, actor, NewPost{Workspace: p.Workspace, Content: p.Content, Channels: channels, Variants: variants,
		NetworkVariants: nv, Labels: p.Labels, Campaign: p.Campaign, Zone: p.Zone, At: at})
}
