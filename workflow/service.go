package workflow

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

// Clock tells the time. Its method set matches backoff.Clock.
type Clock interface{ Now() time.Time }

// ClockFunc adapts a function to [Clock].
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// ContentValidator checks one target's content against its network's rules
// (length, media, features). The networks package provides one (see
// [NetworkValidator]); it returns nil or an error matching
// socialflow.ErrInvalid listing every violation.
type ContentValidator interface {
	ValidateContent(ctx context.Context, channel Channel, c Content) error
}

// AssetChecker says whether an asset may be used on a channel at an instant
// (approved for use, not archived, rights valid then and for that channel).
// [LibraryAssets] provides one over an assets.Library.
type AssetChecker interface {
	CheckAsset(ctx context.Context, asset string, channel Channel, at time.Time) error
}

// Service is the API a host calls: one method per action, each taking ctx,
// the acting member and the inputs. Every method authorizes through the
// team's single gate, loads, applies the lifecycle transition, saves with
// optimistic concurrency, appends to the audit trail and notifies — in that
// order. Invalid input is refused before anything is saved, so a refused
// call leaves the store as it was. When the action was saved but its audit
// event or version record could not be written, the method returns the saved
// result together with that error: the action happened, and the host should
// not repeat it.
//
// Create one with [NewService]; it is safe for concurrent use. Guidelines
// set with [Service.SetGuidelines] live in the Service: a host with several
// replicas sets them on each at start-up.
//
// [WithAuditKey] should be set in production: without a key the audit chain
// detects accidental changes but not a deliberate rewrite of the whole
// store.
type Service struct {
	team      *Team
	gate      Gate
	store     Store
	audit     *AuditLog
	notifier  Notifier
	router    *approval.Router
	signer    *approval.Signer
	validator ContentValidator
	assets    AssetChecker
	planner   *Planner
	clock     Clock
	newID     func() string
	log       *slog.Logger

	mu         sync.Mutex
	guidelines map[string]Guidelines
}

// ServiceOption configures a [Service]. An invalid value makes NewService
// fail with an error matching socialflow.ErrInvalid.
type ServiceOption func(*Service) error

// WithNotifier sets where notices go. Default: nowhere.
func WithNotifier(n Notifier) ServiceOption {
	return func(s *Service) error { s.notifier = n; return nil }
}

// WithRouter sets the approval routing table. Default: every post needs no
// approval (a router whose default is the None policy).
func WithRouter(r *approval.Router) ServiceOption {
	return func(s *Service) error {
		if r == nil {
			return &ValidationError{Field: "router", Reason: "must not be nil"}
		}
		s.router = r
		return nil
	}
}

// WithLinkSigner enables signed approval links for external approvers.
// Default: none ([Service.ApprovalLink] fails).
func WithLinkSigner(sg *approval.Signer) ServiceOption {
	return func(s *Service) error { s.signer = sg; return nil }
}

// WithValidator sets the network content validator used on submit and
// schedule. Default: none (only socialflow's own checks run).
func WithValidator(v ContentValidator) ServiceOption {
	return func(s *Service) error { s.validator = v; return nil }
}

// WithAssetChecker sets the asset rights check used on schedule and at
// publish time. Default: none.
func WithAssetChecker(a AssetChecker) ServiceOption {
	return func(s *Service) error { s.assets = a; return nil }
}

// WithEntitlements sets the host's plan check, consulted after
// authorization. Default: none.
func WithEntitlements(e Entitlements) ServiceOption {
	return func(s *Service) error { s.gate.Plan = e; return nil }
}

// WithClock sets the clock. Default: the real time.
func WithClock(c Clock) ServiceOption {
	return func(s *Service) error {
		if c == nil {
			return &ValidationError{Field: "clock", Reason: "must not be nil"}
		}
		s.clock = c
		return nil
	}
}

// WithIDs sets the ID generator for posts, comments and tasks. Default: 16
// random hex characters.
func WithIDs(f func() string) ServiceOption {
	return func(s *Service) error {
		if f == nil {
			return &ValidationError{Field: "ids", Reason: "must not be nil"}
		}
		s.newID = f
		return nil
	}
}

// WithAuditKey makes the audit trail an HMAC chain under key (see
// [NewAuditLog]). Default: a plain SHA-256 chain.
func WithAuditKey(key []byte) ServiceOption {
	return func(s *Service) error { s.audit = NewAuditLog(s.store, key); return nil }
}

// WithLogger sets the logger. Default: discard.
func WithLogger(l *slog.Logger) ServiceOption {
	return func(s *Service) error {
		if l != nil {
			s.log = l
		}
		return nil
	}
}

// NewService returns a Service over team and store.
func NewService(team *Team, store Store, opts ...ServiceOption) (*Service, error) {
	if team == nil || store == nil {
		return nil, &ValidationError{Field: "service", Reason: "team and store are required"}
	}
	none, err := approval.NewRouter(approval.RouterConfig{Policies: map[string]approval.Policy{"none": {Name: "none", Kind: approval.None}}, Default: "none"})
	if err != nil {
		return nil, err
	}
	s := &Service{
		team: team, gate: Gate{Team: team}, store: store, audit: NewAuditLog(store, nil),
		router: none, clock: ClockFunc(time.Now), newID: randomID,
		log:        slog.New(slog.DiscardHandler),
		guidelines: map[string]Guidelines{},
	}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if s.planner != nil {
		s.store = &mirror{Store: s.store, pl: s.planner, team: team}
	}
	return s, nil
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Team returns the team the service authorizes against.
func (s *Service) Team() *Team { return s.team }

// Audit returns the audit log.
func (s *Service) Audit() *AuditLog { return s.audit }

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// allow is the one place Service methods check permissions.
func (s *Service) allow(ctx context.Context, actor string, p Permission, sc Scope) error {
	return s.gate.Allow(ctx, actor, p, sc)
}

// allowTargets checks perm in the post's workspace and on every channel the
// post targets, so a member restricted to some channels acts only on posts
// within them.
func (s *Service) allowTargets(ctx context.Context, actor string, perm Permission, p Post) error {
	if err := s.allow(ctx, actor, perm, Scope{Workspace: p.Workspace}); err != nil && !perm.ChannelBound() {
		return err
	}
	for _, t := range p.Targets {
		if err := s.allow(ctx, actor, perm, Scope{Workspace: p.Workspace, Channel: t.Channel}); err != nil {
			return err
		}
	}
	return nil
}

// record appends an audit event; a failure is returned to the caller (the
// action itself is already saved) and logged.
func (s *Service) record(ctx context.Context, e Event) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	if _, err := s.audit.Append(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit append failed", "action", e.Action, "object", e.Object, "err", err)
		return fmt.Errorf("workflow: audit %s: %w", e.Action, err)
	}
	return nil
}

func (s *Service) notify(ctx context.Context, n Notice) {
	if s.notifier == nil || len(n.To) == 0 {
		return
	}
	if n.At.IsZero() {
		n.At = s.now()
	}
	if err := s.notifier.Notify(ctx, n); err != nil {
		s.log.WarnContext(ctx, "notify failed", "kind", n.Kind, "post", n.Post, "err", err)
	}
}

// NewPost is the input of [Service.CreatePost].
type NewPost struct {
	Workspace string
	Content   Content
	// Channels are the channels to publish to; Variants optionally override
	// the content per channel.
	Channels []string
	Variants map[string]Content
	Labels   []string
	Campaign string
	Assignee string
	Due      time.Time
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

// CreatePost creates a draft. actor needs [PermCreateDraft] in the
// workspace and, for each channel, the channel in their scope.
func (s *Service) CreatePost(ctx context.Context, actor string, in NewPost) (Post, error) {
	if err := s.allow(ctx, actor, PermCreateDraft, Scope{Workspace: in.Workspace}); err != nil {
		return Post{}, err
	}
	for _, ch := range in.Channels {
		if err := s.allow(ctx, actor, PermCreateDraft, Scope{Workspace: in.Workspace, Channel: ch}); err != nil {
			return Post{}, err
		}
	}
	if err := validContent("content", in.Content); err != nil {
		return Post{}, err
	}
	targets, err := s.targetsFor(in.Workspace, in.Channels, in.Variants)
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
		Content: in.Content.Clone(), Targets: targets, Labels: slices.Clone(in.Labels), Campaign: in.Campaign,
		Assignee: in.Assignee, Due: in.Due, At: in.At.UTC(), Zone: zone, CreatedAt: now, UpdatedAt: now,
	}
	p, err = s.store.CreatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	if err := s.store.AddVersion(ctx, versionOf(p, actor, now, "created", false)); err != nil {
		return p, err
	}
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.create", Object: "post:" + p.ID, Version: 1, Summary: preview(p.Content.Text)})
}

func versionOf(p Post, author string, at time.Time, note string, minor bool) Version {
	v := Version{Post: p.ID, Number: p.Version, Author: author, At: at, Content: p.Content.Clone(), Note: note, Minor: minor}
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

func preview(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// Edit is the input of [Service.EditPost]. Nil fields keep their value.
type Edit struct {
	// Rev is the revision the editor saw: a stale Rev is an ErrConflict
	// naming the current one, so two editors never overwrite each other.
	Rev      int64
	Content  *Content
	Variants map[string]*Content // channel → variant (nil value: back to the base copy)
	Labels   *[]string
	Campaign *string
	// Minor marks the edit minor (a typo): approvals survive it when the
	// post's policy allows ([approval.Policy.KeepOnMinorEdit]).
	Minor bool
	Note  string
}

// EditPost changes a post's content and makes a new version. actor needs
// [PermEditOwnDraft] for their own posts or [PermEditAnyDraft]. Editing an
// approved or scheduled post sends it back to review unless the edit is
// minor and the policy keeps approvals over minor edits; the record always
// names the version approved.
func (s *Service) EditPost(ctx context.Context, actor, id string, e Edit) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	perm := PermEditAnyDraft
	if p.Author == actor && s.team.Can(actor, PermEditOwnDraft, Scope{Workspace: p.Workspace}) {
		perm = PermEditOwnDraft
	}
	if err := s.allowTargets(ctx, actor, perm, p); err != nil {
		return Post{}, err
	}
	if e.Rev != p.Rev {
		return Post{}, &ConflictError{Kind: "post", ID: id, Current: p.Rev}
	}
	if e.Content != nil {
		if err := validContent("content", *e.Content); err != nil {
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

// SetGuidelines sets the posting guidelines of a workspace. actor needs
// [PermManagePolicies].
func (s *Service) SetGuidelines(ctx context.Context, actor, workspace string, g Guidelines) error {
	if err := s.allow(ctx, actor, PermManagePolicies, Scope{Workspace: workspace}); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	s.guidelines[workspace] = g
	s.mu.Unlock()
	return s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "guidelines.set", Object: "workspace:" + workspace})
}

// CheckGuidelines returns every guideline finding for a post: the base copy
// and each target's variant.
func (s *Service) CheckGuidelines(p Post) []Finding {
	s.mu.Lock()
	g := s.guidelines[p.Workspace]
	s.mu.Unlock()
	var out []Finding
	out = append(out, g.Check(p.Content.Text, p.Labels)...)
	for _, t := range p.Targets {
		if t.Variant != nil {
			for _, f := range g.Check(t.Variant.Text, p.Labels) {
				f.Channel = t.Channel
				out = append(out, f)
			}
		}
	}
	return out
}

// validateTargets runs the network validator on every target.
func (s *Service) validateTargets(ctx context.Context, p Post) error {
	if s.validator == nil {
		return nil
	}
	var errs []error
	for _, t := range p.Targets {
		c, _ := s.team.Channel(t.Channel)
		if err := s.validator.ValidateContent(ctx, c, t.ContentFor(p.Content)); err != nil {
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
		if t.Variant != nil {
			a.Text += "\n" + t.Variant.Text
		}
	}
	return a
}

// route picks the strictest applicable policy: each target is routed on its
// own channel and network, and the first target's match (in target order)
// whose policy is not None wins.
func (s *Service) route(p Post) (approval.Policy, approval.Match, error) {
	var (
		best  approval.Policy
		match approval.Match
		found bool
	)
	for _, t := range p.Targets {
		a := s.attributes(p)
		a.Channel, a.Network = t.Channel, t.Network
		if t.Variant != nil {
			a.Text = t.Variant.Text
		}
		pol, m, err := s.router.Route(a)
		if err != nil {
			return approval.Policy{}, approval.Match{}, err
		}
		if !found || (best.Kind == approval.None || best.Kind == "") && pol.Kind != approval.None && pol.Kind != "" {
			best, match, found = pol, m, true
		}
	}
	return best, match, nil
}

func (s *Service) subject(p Post) approval.Subject {
	return approval.Subject{ID: p.ID, Kind: "post", Version: p.Version, Author: p.Author, SubmittedAt: p.SubmittedAt, MinorSince: p.MinorSince}
}

// ApprovalStatus evaluates the post's approval request at now. actor needs
// [PermViewCalendar].
func (s *Service) ApprovalStatus(ctx context.Context, actor, id string) (approval.Result, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return approval.Result{}, err
	}
	if err := s.allow(ctx, actor, PermViewCalendar, Scope{Workspace: p.Workspace}); err != nil {
		return approval.Result{}, err
	}
	return approval.Evaluate(p.Policy, s.subject(p), p.Decisions, s.now())
}

// Submit sends a draft for approval: guidelines and network rules are
// checked first (every finding at once, nothing saved on failure), the
// routing table picks the policy, and the awaited approvers are notified. A
// post whose policy requires nothing is approved at once; an optional policy
// records reviews without blocking, so the post is approved at once too.
// actor needs [PermSubmit].
func (s *Service) Submit(ctx context.Context, actor, id string) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, PermSubmit, p); err != nil {
		return Post{}, err
	}
	next, err := Transition(p.ID, p.State, ActSubmit, false, false)
	if err != nil {
		return Post{}, err
	}
	if strings.TrimSpace(p.Content.Text) == "" && len(p.Content.Media) == 0 {
		return Post{}, &ValidationError{Field: "content", Reason: "a post needs text or media before submission"}
	}
	if f := s.CheckGuidelines(p); len(f) > 0 {
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
	p.Policy, p.Route = pol, match.String()
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
		Summary: fmt.Sprintf("%s: approve version %d (stage %s) by %s", preview(p.Content.Text), p.Version, res.Stage, res.Due.Format(time.RFC3339))})
}

// Decide records an approval decision by actor on the post's current
// version: approve, request changes (a comment is required) or reject. The
// decision is checked by the approval package (eligible approver of the open
// stage, current version, request still open, self-approval); the post then
// moves to approved, changes_requested or rejected as the policy's outcome
// says. actor needs [PermApprove].
func (s *Service) Decide(ctx context.Context, actor, id string, v approval.Verdict, stage, comment string) (Post, error) {
	return s.decide(ctx, actor, id, v, stage, comment, "", nil)
}

// decide records a decision. spend, when not nil, runs once every check has
// passed and before anything is saved (a signed link is spent there, so a
// refused decision does not use it up).
func (s *Service) decide(ctx context.Context, actor, id string, v approval.Verdict, stage, comment, via string, spend func() error) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, PermApprove, p); err != nil {
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
	if err := approval.Check(p.Policy, s.subject(p), p.Decisions, d, now); err != nil {
		return Post{}, err
	}
	if spend != nil {
		if err := spend(); err != nil {
			return Post{}, err
		}
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
	if via != "" {
		data["via"] = via
	}
	if err := s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.decide", Object: "post:" + p.ID, Version: p.Version,
		Summary: fmt.Sprintf("%s at stage %q: %s", v, stage, res.Reason), Data: data}); err != nil {
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

// ApprovalLink signs a link that lets an external approver (an agency's
// client: a member who may approve but not take part in internal
// discussion) decide on the post's current version until expires, and sends
// it to them through the Notifier ([NoticeApprovalLink], the token in
// Data["token"]); it is also returned for hosts that deliver it themselves.
//
// actor needs [PermAssignTasks] and may not be the post's author (an author
// holding a link in someone else's name could approve their own post).
// expires must be in the future and at most [MaxLinkLifetime] away. A link
// decides once (see [Service.DecideByLink]).
func (s *Service) ApprovalLink(ctx context.Context, actor, id, approver string, expires time.Time) (string, error) {
	if s.signer == nil {
		return "", &ValidationError{Field: "link signer", Reason: "not configured (WithLinkSigner)"}
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return "", err
	}
	ws := Scope{Workspace: p.Workspace}
	if err := s.allow(ctx, actor, PermAssignTasks, ws); err != nil {
		return "", err
	}
	if actor == p.Author {
		return "", &ForbiddenError{Member: actor, Permission: PermAssignTasks, Scope: ws, Reason: ReasonOwnPost}
	}
	if err := s.allow(ctx, approver, PermApprove, ws); err != nil {
		return "", err
	}
	if s.team.Can(approver, PermCommentInternal, ws) {
		return "", &ValidationError{Field: "approver", Value: approver, Reason: "links are for external approvers; team members decide in the product"}
	}
	now := s.now()
	if !expires.After(now) || expires.Sub(now) > MaxLinkLifetime {
		return "", &ValidationError{Field: "expires", Value: expires.UTC().Format(time.RFC3339), Reason: "must be in the future and within " + MaxLinkLifetime.String()}
	}
	tok, err := s.signer.Sign(approval.Link{Request: p.ID, Version: p.Version, Approver: approver, Expires: expires})
	if err != nil {
		return "", err
	}
	if err := s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post.link", Object: "post:" + p.ID, Version: p.Version,
		Summary: "approval link for " + approver + " until " + expires.UTC().Format(time.RFC3339)}); err != nil {
		return "", err
	}
	s.notify(ctx, Notice{Kind: NoticeApprovalLink, Workspace: p.Workspace, Post: p.ID, To: []string{approver}, Actor: actor,
		Summary: preview(p.Content.Text), Data: map[string]string{"token": tok, "expires": expires.UTC().Format(time.RFC3339)}})
	return tok, nil
}

// DecideByLink records the decision of the external approver a signed link
// names, for the post id the host's URL carries. The token must verify (key,
// signature, expiry) and name this post and its current version. A link
// decides once: its use is recorded in the Store ([Store.Spend]) when the
// decision has passed every check, so a refused decision does not use it up
// and a second use — on any replica, after any restart — is an
// *approval.UsedError (socialflow.ErrDuplicate).
func (s *Service) DecideByLink(ctx context.Context, id, token string, v approval.Verdict, comment string) (Post, error) {
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
	key := "approval-link:" + l.ID
	if used, err := s.store.Spent(ctx, key); err != nil {
		return Post{}, err
	} else if used {
		return Post{}, &approval.UsedError{TokenID: l.ID}
	}
	spend := func() error {
		err := s.store.Spend(ctx, key, s.now())
		if errors.Is(err, socialflow.ErrDuplicate) {
			return &approval.UsedError{TokenID: l.ID}
		}
		return err
	}
	return s.decide(ctx, l.Approver, l.Request, v, l.Stage, comment, "link", spend)
}

// Schedule schedules an approved post at an instant for all its targets.
// actor needs [PermSchedule] on every target channel; the approval must
// allow publishing, and assets must be usable at that instant.
func (s *Service) Schedule(ctx context.Context, actor, id string, at time.Time) (Post, error) {
	if at.IsZero() {
		return Post{}, &ValidationError{Field: "at", Reason: "required"}
	}
	return s.schedule(ctx, actor, id, func(time.Time) time.Time { return at.UTC() }, PermSchedule, "post.schedule")
}

// schedule puts an approved post on the calendar at when(now) for all its
// targets: the permission on every target channel, the transition, approval
// and asset rights at that instant, the calendar rules; then saves, records
// asset usage and audits.
func (s *Service) schedule(ctx context.Context, actor, id string, when func(now time.Time) time.Time, perm Permission, action string) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allowTargets(ctx, actor, perm, p); err != nil {
		return Post{}, err
	}
	next, err := Transition(p.ID, p.State, ActSchedule, false, false)
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	at := when(now)
	if err := s.publishable(ctx, p, at, now); err != nil {
		return Post{}, err
	}
	p.State, p.At, p.UpdatedAt = next, at, now
	for i := range p.Targets {
		p.Targets[i].State, p.Targets[i].At = TargetScheduled, at
		p.Targets[i].Outcome = TargetResult{}
	}
	if s.planner != nil {
		vs, err := s.planner.check(p, s.team.Channel)
		if err != nil {
			return Post{}, err
		}
		if len(vs) > 0 {
			return Post{}, &RuleError{Post: p.ID, Violations: vs}
		}
	}
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	s.recordUsage(ctx, p, now)
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: action, Object: "post:" + p.ID, Version: p.Version,
		Summary: "at " + at.Format(time.RFC3339), Data: map[string]string{"at": at.Format(time.RFC3339Nano)}})
}

// recordUsage tells a usage-tracking asset checker which scheduled targets
// use which assets. A failure is logged: the post is scheduled, and the
// dispatcher checks the assets again at publish time.
func (s *Service) recordUsage(ctx context.Context, p Post, now time.Time) {
	u, ok := s.assets.(assetUser)
	if !ok {
		return
	}
	for _, t := range p.Targets {
		c, _ := s.team.Channel(t.Channel)
		for _, m := range t.ContentFor(p.Content).Media {
			if err := u.UseAsset(ctx, m.Asset, p.ID, c, t.At, now); err != nil {
				s.log.WarnContext(ctx, "record asset usage", "post", p.ID, "asset", m.Asset, "err", err)
			}
		}
	}
}

// publishable checks approval and assets for publishing p at instant at.
func (s *Service) publishable(ctx context.Context, p Post, at, now time.Time) error {
	if err := s.approved(p, now); err != nil {
		return err
	}
	slots := map[string]time.Time{}
	for _, t := range p.Targets {
		slots[t.Channel] = at
	}
	return s.assetsUsable(ctx, p, slots)
}

// approved returns a *NotApprovedError unless p's approval allows
// publishing at now.
func (s *Service) approved(p Post, now time.Time) error {
	res, err := approval.Evaluate(p.Policy, s.subject(p), p.Decisions, now)
	if err != nil {
		return err
	}
	if !res.Publishable {
		return &NotApprovedError{Post: p.ID, Version: p.Version, Outcome: string(res.Outcome), Reason: res.Reason}
	}
	return nil
}

// assetsUsable checks every asset of every target at that target's slot.
func (s *Service) assetsUsable(ctx context.Context, p Post, slots map[string]time.Time) error {
	if s.assets == nil {
		return nil
	}
	var errs []error
	for _, t := range p.Targets {
		c, _ := s.team.Channel(t.Channel)
		for _, m := range t.ContentFor(p.Content).Media {
			if err := s.assets.CheckAsset(ctx, m.Asset, c, slots[t.Channel]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// NotApprovedError reports a post that may not be published because its
// approval does not allow it. It matches socialflow.ErrForbidden.
type NotApprovedError struct {
	Post    string
	Version int
	Outcome string
	Reason  string
}

func (e *NotApprovedError) Error() string {
	return fmt.Sprintf("workflow: post %q version %d is not approved for publishing (%s): %s", e.Post, e.Version, e.Outcome, e.Reason)
}

// Is reports whether target is socialflow.ErrForbidden.
func (e *NotApprovedError) Is(target error) bool { return target == socialflow.ErrForbidden }

// PublishNow schedules an approved post at the current instant, so the next
// dispatcher step publishes it. It is [Service.Schedule] at now, with
// [PermPublishNow] on every target instead: approval, asset rights and the
// calendar rules (a blackout stops it too) are checked the same way.
func (s *Service) PublishNow(ctx context.Context, actor, id string) (Post, error) {
	return s.schedule(ctx, actor, id, func(now time.Time) time.Time { return now }, PermPublishNow, "post.publish_now")
}

// simple applies a permission-checked transition without other effects.
func (s *Service) simple(ctx context.Context, actor, id string, perm Permission, a Action, f func(p *Post)) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if perm == PermDeleteAnyDraft && p.Author == actor && s.team.Can(actor, PermDeleteOwnDraft, Scope{Workspace: p.Workspace}) {
		perm = PermDeleteOwnDraft
	}
	if err := s.allowTargets(ctx, actor, perm, p); err != nil {
		return Post{}, err
	}
	next, err := Transition(p.ID, p.State, a, false, false)
	if err != nil {
		return Post{}, err
	}
	p.State, p.UpdatedAt = next, s.now()
	if f != nil {
		f(&p)
	}
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "post." + string(a), Object: "post:" + p.ID, Version: p.Version})
}

// Unschedule takes a scheduled post off the calendar (it stays approved).
// actor needs [PermSchedule].
func (s *Service) Unschedule(ctx context.Context, actor, id string) (Post, error) {
	return s.simple(ctx, actor, id, PermSchedule, ActUnschedule, func(p *Post) {
		p.At = time.Time{}
		for i := range p.Targets {
			p.Targets[i].State, p.Targets[i].At = TargetPending, time.Time{}
		}
	})
}

// Cancel cancels a post that has not started publishing; the dispatcher
// will not pick it up. actor needs [PermDeleteOwnDraft] for their own post
// or [PermDeleteAnyDraft].
func (s *Service) Cancel(ctx context.Context, actor, id string) (Post, error) {
	return s.simple(ctx, actor, id, PermDeleteAnyDraft, ActCancel, func(p *Post) {
		for i := range p.Targets {
			p.Targets[i].State = TargetCancelled
		}
	})
}

// Archive archives a draft, cancelled, rejected, failed or published post.
// The permission is that of [Service.Cancel].
func (s *Service) Archive(ctx context.Context, actor, id string) (Post, error) {
	return s.simple(ctx, actor, id, PermDeleteAnyDraft, ActArchive, nil)
}

// Retry reschedules the failed targets of a failed or partially published
// post at the current instant. actor needs [PermPublishNow].
func (s *Service) Retry(ctx context.Context, actor, id string) (Post, error) {
	now := s.now()
	return s.simple(ctx, actor, id, PermPublishNow, ActRetry, func(p *Post) {
		for i := range p.Targets {
			if t := &p.Targets[i]; t.State == TargetFailed {
				t.State, t.At = TargetScheduled, now
				t.Outcome = TargetResult{Round: t.Outcome.Round + 1}
			}
		}
	})
}

// Duplicate copies a post's current content (with its variants for the
// channels kept) into a new draft, optionally to other channels (nil keeps
// the same ones) and planned at another instant (zero: unplanned). The copy
// goes through approval again. actor needs [PermViewCalendar] on the
// original and [PermCreateDraft] for the copy.
func (s *Service) Duplicate(ctx context.Context, actor, id string, channels []string, at time.Time) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allow(ctx, actor, PermViewCalendar, Scope{Workspace: p.Workspace}); err != nil {
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
	return s.CreatePost(ctx, actor, NewPost{Workspace: p.Workspace, Content: p.Content, Channels: channels, Variants: variants,
		Labels: p.Labels, Campaign: p.Campaign, Zone: p.Zone, At: at})
}

// Post returns a post. actor needs [PermViewCalendar].
func (s *Service) Post(ctx context.Context, actor, id string) (Post, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if err := s.allow(ctx, actor, PermViewCalendar, Scope{Workspace: p.Workspace}); err != nil {
		return Post{}, err
	}
	return p, nil
}

// Posts lists a workspace's posts, optionally in some states. actor needs
// [PermViewCalendar].
func (s *Service) Posts(ctx context.Context, actor, workspace string, states ...State) ([]Post, error) {
	if err := s.allow(ctx, actor, PermViewCalendar, Scope{Workspace: workspace}); err != nil {
		return nil, err
	}
	return s.store.ListPosts(ctx, PostQuery{Workspace: workspace, States: states})
}

// Versions returns a post's versions, oldest first. actor needs
// [PermViewCalendar].
func (s *Service) Versions(ctx context.Context, actor, id string) ([]Version, error) {
	if _, err := s.Post(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.store.Versions(ctx, id)
}

// DiffVersions returns the word diff of the base copy between versions a
// and b of a post.
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

// AuditTrail returns the audit events after seq. actor needs [PermViewAudit]
// in workspace; events of other workspaces are left out.
func (s *Service) AuditTrail(ctx context.Context, actor, workspace string, after int64) ([]Event, error) {
	if err := s.allow(ctx, actor, PermViewAudit, Scope{Workspace: workspace}); err != nil {
		return nil, err
	}
	all, err := s.store.Events(ctx, after, 0)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(e Event) bool { return e.Workspace != workspace }), nil
}
