package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// SetGuidelines sets the posting guidelines of a workspace, stored in the
// workspace's plan ([PlanStore]) so every replica checks the same. actor
// needs [team.PermManagePolicies].
func (s *Service) SetGuidelines(ctx context.Context, actor, workspace string, g Guidelines) error {
	if err := s.allow(ctx, actor, team.PermManagePolicies, team.Scope{Workspace: workspace}); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	if err := s.updateWorkspacePlan(ctx, workspace, func(wp *WorkspacePlan) { wp.Guidelines = cloneGuidelines(g) }); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "guidelines.set", Object: "workspace:" + workspace})
}

// Guidelines returns the stored guidelines of a workspace. actor needs
// [team.PermViewCalendar] in the workspace.
func (s *Service) Guidelines(ctx context.Context, actor, workspace string) (Guidelines, error) {
	if err := s.allow(ctx, actor, team.PermViewCalendar, team.Scope{Workspace: workspace}); err != nil {
		return Guidelines{}, err
	}
	wp, err := s.store.WorkspacePlan(ctx, workspace)
	return wp.Guidelines, err
}

// CheckGuidelines returns every finding of the post's workspace
// guidelines (as stored) for a post: the base copy and the effective text
// ([Post.ContentFor]) of each target whose text differs from it.
func (s *Service) CheckGuidelines(ctx context.Context, p Post) ([]Finding, error) {
	wp, err := s.store.WorkspacePlan(ctx, p.Workspace)
	if err != nil {
		return nil, err
	}
	g := wp.Guidelines
	var out []Finding
	out = append(out, g.Check(p.Content.Text, p.Labels)...)
	for _, t := range p.Targets {
		if text := p.ContentFor(t.Channel).Text; text != p.Content.Text {
			for _, f := range g.Check(text, p.Labels) {
				f.Channel = t.Channel
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// validateTargets runs the network validator on every target.
func (s *Service) validateTargets(ctx context.Context, p Post) error {
	if s.validator == nil {
		return nil
	}
	var errs []error
	for _, t := range p.Targets {
		c, _ := s.team.Channel(t.Channel)
		if err := s.validator.ValidateContent(ctx, c, p.ContentFor(t.Channel)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Service) attributes(p Post) approval.Attributes {
	a := approval.Attributes{Workspace: p.Workspace, Campaign: p.Campaign, Kind: "post", Labels: p.Labels, Text: p.Content.Text}
	if m, ok := s.team.Membership(p.Author, p.Workspace); ok {
		a.AuthorRole = m.Role
	}
	if len(p.Targets) > 0 {
		a.Channel, a.Network = p.Targets[0].Channel, p.Targets[0].Network
	}
	for _, t := range p.Targets[min(1, len(p.Targets)):] {
		if text := p.ContentFor(t.Channel).Text; text != p.Content.Text {
			a.Text += "\n" + text
		}
	}
	return a
}

// route picks the strictest applicable policy: each target is routed on its
// own channel, network and effective text, and the post gets the strictest
// combination of every target's policy ([approval.Router.RouteAll] and
// [approval.Merge]): None only when every target needs none, and otherwise
// every stage any target's policy requires. The order of the targets never
// changes the result.
func (s *Service) route(p Post) (approval.Policy, approval.Match, error) {
	subjects := make([]approval.Attributes, 0, len(p.Targets))
	for _, t := range p.Targets {
		a := s.attributes(p)
		a.Channel, a.Network = t.Channel, t.Network
		a.Text = p.ContentFor(t.Channel).Text
		subjects = append(subjects, a)
	}
	if len(subjects) == 0 {
		subjects = append(subjects, s.attributes(p))
	}
	return s.router.RouteAll(subjects)
}

func (s *Service) subject(p Post) approval.Subject {
	return approval.Subject{ID: p.ID, Kind: "post", Version: p.Version, Author: p.Author, SubmittedAt: p.SubmittedAt, MinorSince: p.MinorSince}
}

// ApprovalStatus evaluates the post's approval request at now. actor needs
// to see the post ([Service.Post]).
func (s *Service) ApprovalStatus(ctx context.Context, actor, id string) (approval.Result, error) {
	if _, _, err := s.readPost(ctx, actor, id); err != nil {
		return approval.Result{}, err
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return approval.Result{}, err
	}
	return approval.Evaluate(p.Policy, s.subject(p), p.Decisions, s.now())
}

// Submit sends a draft for approval: guidelines and network rules are
// checked first (every finding at once, nothing saved on failure), the
// routing table picks the policy, and the awaited approvers are notified. A
// post whose policy requires nothing is approved at once; an optional policy
// records reviews without blocking, so the post is approved at once too.
// actor needs [team.PermSubmit].
func (s *Service) Submit(ctx context.Context, actor, id string) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, team.PermSubmit, p); err != nil {
		return Post{}, err
	}
	next, err := Transition(p.ID, p.State, ActSubmit, false, false)
	if err != nil {
		return Post{}, err
	}
	for _, t := range p.Targets {
		if c := p.ContentFor(t.Channel); strings.TrimSpace(c.Text) == "" && len(c.Media) == 0 {
			return Post{}, &ValidationError{Field: "content", Value: t.Channel, Reason: "a post needs text or media on every channel before submission"}
		}
	}
	if f, err := s.CheckGuidelines(ctx, p); err != nil {
		return Post{}, err
	} else if len(f) > 0 {
		return Post{}, &GuidelineError{Findings: f}
	}
	if err := s.validateTargets(ctx, p); err != nil {
		return Post{}, err
	}
	pol, match, err := s.route(p)
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	p.Policy, p.Route = pol, echo.Clip(match.String(), summaryMax)
	p.SubmittedAt, p.UpdatedAt = now, now
	p.MinorSince = 0
	p.State = next
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
	if err != nil {
		return Post{}, err
	}
	if res.Outcome == approval.NotRequired || p.Policy.Kind == approval.Optional {
		p.State, p.ApprovedVersion = StateApproved, p.Version
	}
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	data := map[string]string{"policy": pol.Name, "outcome": string(res.Outcome)}
	if !res.Due.IsZero() {
		data["due"] = res.Due.UTC().Format(time.RFC3339Nano)
	}
	if err := s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.submit", Object: "post:" + p.ID, Version: p.Version,
		Summary: fmt.Sprintf("policy %s (%s): %s", pol.Name, p.Route, res.Outcome), Data: data}); err != nil {
		return p, err
	}
	s.requestApproval(ctx, p, actor)
	return p, nil
}

func (s *Service) requestApproval(ctx context.Context, p Post, actor string) {
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, s.now())
	if err != nil || res.Outcome != approval.Pending {
		return
	}
	s.notify(ctx, Notice{Kind: NoticeApprovalRequested, Workspace: p.Workspace, Post: p.ID, To: res.Awaiting, Actor: actor,
		Summary: fmt.Sprintf("%s: approve version %d (stage %s)%s", preview(p.Content.Text), p.Version, res.Stage, by(res.Due))})
}

// Decide records an approval decision by actor on the post's current
// version: approve, request changes (a comment is required) or reject. The
// decision is checked by the approval package (eligible approver of the open
// stage, current version, request still open, self-approval); the post then
// moves to approved, changes_requested or rejected as the policy's outcome
// says. actor needs [team.PermApprove].
func (s *Service) Decide(ctx context.Context, actor string, r DecideRequest) (Post, error) {
	return s.decide(ctx, actor, r.Post, r.Verdict, r.Stage, r.Comment, "")
}

// DecideRequest is a decision for [Service.Decide].
type DecideRequest struct {
	Post    string           // the post's ID
	Verdict approval.Verdict // approve, request changes or reject
	Stage   string           // the stage decided at; empty: the open stage
	Comment string           // required for approval.RequestChanges
}

// decide records a decision. link, when not empty, is the ID of the signed
// approval link the decision comes through: it is added to the post's
// [Post.LinksUsed] in the same write as the decision, so the link is spent
// exactly when its decision is saved, and a second use — concurrent or
// later — finds it there.
func (s *Service) decide(ctx context.Context, actor, id string, v approval.Verdict, stage, comment, link string) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, team.PermApprove, p); err != nil {
		return Post{}, err
	}
	if p.State != StateInReview && !(p.Policy.Kind == approval.Optional && p.State == StateApproved) {
		return Post{}, &TransitionError{Post: p.ID, State: p.State, Action: ActApprove}
	}
	now := s.now()
	role := ""
	if m, ok := s.team.Membership(actor, p.Workspace); ok {
		role = m.Role
	}
	if stage == "" {
		if res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now); err == nil {
			stage = res.Stage
		}
	}
	d := approval.Decision{Approver: actor, Verdict: v, Stage: stage, Version: p.Version, At: now, Comment: comment, Role: role}
	if link != "" {
		if slices.Contains(p.LinksUsed, link) {
			return Post{}, &approval.UsedError{TokenID: link}
		}
		if err := s.linkStageOpen(p, actor, now); err != nil {
			return Post{}, err
		}
	}
	if err := approval.Check(p.Policy, s.subject(p), p.Decisions, d, now); err != nil {
		return Post{}, err
	}
	if link != "" {
		p.LinksUsed = append(p.LinksUsed, link)
	}
	p.Decisions = append(p.Decisions, d)
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
	if err != nil {
		return Post{}, err
	}
	before := p.State
	switch res.Outcome {
	case approval.Approved:
		if p.State == StateInReview {
			p.State = StateApproved
		}
		p.ApprovedVersion = p.Version
	case approval.ChangesRequested:
		if p.Policy.Kind != approval.Optional {
			p.State = StateChangesRequested
		}
	case approval.Rejected:
		if p.Policy.Kind != approval.Optional {
			p.State = StateRejected
		}
	}
	p.UpdatedAt = now
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	data := map[string]string{"verdict": string(v), "stage": stage, "outcome": string(res.Outcome)}
	if link != "" {
		data["via"] = "link"
		// The decision and the link's use are saved; record the use among
		// the Store's single-use keys too. Refusing a second use does not
		// depend on it (LinksUsed does), so a failure here is logged.
		if err := s.store.Spend(ctx, linkKey(link), now); err != nil {
			s.log.WarnContext(ctx, "record approval link use", "post", p.ID, "err", err)
		}
	}
	if err := s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.decide", Object: "post:" + p.ID, Version: p.Version,
		Summary: fmt.Sprintf("%s at stage %s: %s", v, echo.Quote(stage), res.Reason), Data: data}); err != nil {
		return p, err
	}
	switch {
	case res.Outcome == approval.ChangesRequested:
		s.notify(ctx, Notice{Kind: NoticeChangesRequested, Workspace: p.Workspace, Post: p.ID, To: []string{p.Author}, Actor: actor, Summary: comment})
	case res.Outcome == approval.Rejected:
		s.notify(ctx, Notice{Kind: NoticeRejected, Workspace: p.Workspace, Post: p.ID, To: []string{p.Author}, Actor: actor, Summary: comment})
	case res.Outcome == approval.Approved && before != p.State:
		s.notify(ctx, Notice{Kind: NoticeApproved, Workspace: p.Workspace, Post: p.ID, To: []string{p.Author}, Actor: actor, Summary: preview(p.Content.Text)})
	case res.Outcome == approval.Pending:
		s.requestApproval(ctx, p, actor)
	}
	return p, nil
}

// MaxLinkLifetime is the longest validity of an approval link.
const MaxLinkLifetime = 30 * 24 * time.Hour

// ApprovalLinkRequest asks [Service.ApprovalLink] for a link.
type ApprovalLinkRequest struct {
	Post     string    // the post's ID
	Approver string    // the external approver's member ID
	Expires  time.Time // when the link stops deciding; at most [MaxLinkLifetime] away
}

// DecideByLinkRequest is a decision through a signed link for
// [Service.DecideByLink]; the actor is the approver the link names.
type DecideByLinkRequest struct {
	Post    string           // the post ID the host's URL carries
	Token   string           // the signed link, as [Service.ApprovalLink] returned it
	Verdict approval.Verdict // approve, request changes or reject
	Comment string           // required for approval.RequestChanges
}

// ApprovalLink signs a link that lets an external approver (an agency's
// client: a member who may approve but not take part in internal
// discussion) decide on the post's current version until r.Expires, and sends
// it to them through the Notifier ([NoticeApprovalLink], the token in
// Data["token"]); it is also returned for hosts that deliver it themselves.
//
// actor needs [team.PermAssignTasks] and may not be the post's author (an author
// holding a link in someone else's name could approve their own post);
// actor and approver must both see the post ([Service.Post]).
// r.Expires must be in the future and at most [MaxLinkLifetime] away. A link
// decides once (see [Service.DecideByLink]).
//
// A link may be minted while an earlier stage is still open (so a host can
// send it early): it decides only once its approver's stage opens, and
// before that [Service.DecideByLink] returns a [*StageNotOpenError] naming
// the approver's stage and the open one, leaving the link unused.
func (s *Service) ApprovalLink(ctx context.Context, actor string, r ApprovalLinkRequest) (string, error) {
	id, approver, expires := r.Post, r.Approver, r.Expires
	if s.signer == nil {
		return "", &ValidationError{Field: "link signer", Reason: "not configured (WithLinkSigner)"}
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return "", err
	}
	ws := team.Scope{Workspace: p.Workspace}
	if err := s.allow(ctx, actor, team.PermAssignTasks, ws); err != nil {
		return "", err
	}
	if actor == p.Author {
		return "", &team.ForbiddenError{Member: actor, Permission: team.PermAssignTasks, Scope: ws, Reason: team.ReasonOwnPost}
	}
	if err := s.allow(ctx, approver, team.PermApprove, ws); err != nil {
		return "", err
	}
	if s.team.Can(approver, team.PermCommentInternal, ws) {
		return "", &ValidationError{Field: "approver", Value: approver, Reason: "links are for external approvers; team members decide in the product"}
	}
	if _, _, err := s.readPost(ctx, actor, id); err != nil {
		return "", err
	}
	if _, _, err := s.readPost(ctx, approver, id); err != nil {
		return "", &ValidationError{Field: "approver", Value: approver, Reason: "cannot see the post (channel scope)"}
	}
	now := s.now()
	if expires.IsZero() {
		return "", &ValidationError{Field: "expires", Reason: "required: the link's expiry, within " + MaxLinkLifetime.String()}
	}
	if !expires.After(now) || expires.Sub(now) > MaxLinkLifetime {
		return "", &ValidationError{Field: "expires", Value: expires.UTC().Format(time.RFC3339), Reason: "must be in the future and within " + MaxLinkLifetime.String()}
	}
	tok, err := s.signer.Sign(approval.Link{Request: p.ID, Version: p.Version, Approver: approver, Expires: expires})
	if err != nil {
		return "", err
	}
	if err := s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.link", Object: "post:" + p.ID, Version: p.Version,
		Summary: "approval link for " + echo.Short(approver) + " until " + expires.UTC().Format(time.RFC3339)}); err != nil {
		return "", err
	}
	s.notify(ctx, Notice{Kind: NoticeApprovalLink, Workspace: p.Workspace, Post: p.ID, To: []string{approver}, Actor: actor,
		Summary: preview(p.Content.Text), Data: map[string]string{"token": tok, "expires": expires.UTC().Format(time.RFC3339)}})
	return tok, nil
}

// DecideByLink records the decision of the external approver a signed link
// names, for the post id the host's URL carries. The token must verify (key,
// signature, expiry) and name this post and its current version.
//
// A link decides once. Its use is saved in the same write as the decision
// ([Post.LinksUsed], under the post's optimistic concurrency), so a refused
// decision or a failed save (a concurrent change: an ErrConflict) does not
// use it up — the approver may try again — and a second use, on any
// replica, after any restart, is an *approval.UsedError
// (socialflow.ErrDuplicate). The use is also recorded with [KeyStore.Spend]
// once saved.
//
// A link may be minted before its approver's stage is open (see
// [Service.ApprovalLink]): until that stage opens, DecideByLink returns a
// [*StageNotOpenError] (socialflow.ErrConflict) naming the approver's stage
// and the open one, and the link stays unused.
func (s *Service) DecideByLink(ctx context.Context, r DecideByLinkRequest) (Post, error) {
	id, token, v, comment := r.Post, r.Token, r.Verdict, r.Comment
	if s.signer == nil {
		return Post{}, &ValidationError{Field: "link signer", Reason: "not configured (WithLinkSigner)"}
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	l, err := s.signer.Verify(token, p.Version, nil, s.now())
	if err != nil {
		return Post{}, err
	}
	if l.Request != id {
		return Post{}, &ValidationError{Field: "token", Value: l.Request, Reason: "the link is for another post"}
	}
	if slices.Contains(p.LinksUsed, l.ID) {
		return Post{}, &approval.UsedError{TokenID: l.ID}
	}
	if used, err := s.store.Spent(ctx, linkKey(l.ID)); err != nil {
		return Post{}, err
	} else if used {
		return Post{}, &approval.UsedError{TokenID: l.ID}
	}
	return s.decide(ctx, l.Approver, l.Request, v, l.Stage, comment, l.ID)
}

func linkKey(id string) string { return "approval-link:" + id }

// linkStageOpen returns a *StageNotOpenError when approver decides at a
// stage of p's policy that comes after the open one.
func (s *Service) linkStageOpen(p Post, approver string, now time.Time) error {
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
	if err != nil || res.Outcome != approval.Pending {
		return nil // approval.Check reports a closed request
	}
	for i, st := range p.Policy.Stages {
		if !stageNames(p.Policy, st, approver) {
			continue
		}
		if i <= res.StageIndex {
			return nil
		}
		return &StageNotOpenError{Post: p.ID, Approver: approver, Stage: st.Name, Open: res.Stage}
	}
	return nil
}

// stageNames reports whether stage st of pol names member as an approver,
// directly or through a group.
func stageNames(pol approval.Policy, st approval.Stage, member string) bool {
	if slices.Contains(st.Approvers.Members, member) {
		return true
	}
	for _, g := range st.Approvers.Groups {
		if slices.Contains(pol.Groups[g], member) {
			return true
		}
	}
	return false
}
