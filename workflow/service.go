package workflow

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// ContentValidator checks one target's content against its network's rules
// (length, media, features). The networks package provides one (see
// [NetworkValidator]); it returns nil or an error matching
// socialflow.ErrInvalid listing every violation.
type ContentValidator interface {
	ValidateContent(ctx context.Context, channel team.Channel, c Content) error
}

// AssetChecker says whether an asset may be used on a channel at an instant
// (approved for use, not archived, rights valid then and for that channel).
// [LibraryAssets] provides one over an assets.Library.
type AssetChecker interface {
	CheckAsset(ctx context.Context, asset string, channel team.Channel, at time.Time) error
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
// Create one with [NewService]; it is safe for concurrent use. Planning
// state (slots, queues, rules, pauses, events, guidelines) lives in the
// Store, so replicas over one store share it.
//
// Reads apply the acting member's view scope, decided in one place through
// the same gate as writes: a member restricted to some channels or networks
// sees only the posts that target one of them, and of those only the
// targets, variants, versions, comments, tasks and audit events in scope
// (see [Service.Post]); the calendar views use the same scope. Notices carry
// content previews, so they go only to active members of the post's
// workspace whose scope covers the post (whatever a routing table or policy
// names), and every value they, audit summaries and errors echo is bounded.
//
// [WithAuditKey] should be set in production: without a key the audit chain
// detects accidental changes but not a deliberate rewrite of the whole
// store.
type Service struct {
	team      *teamView
	gate      team.Gate
	store     Store
	audit     *AuditLog
	notifier  Notifier
	router    *approval.Router
	signer    *approval.Signer
	validator ContentValidator
	assets    AssetChecker
	planner   *Planner
	classify  analytics.Classifier // the inbox's; default analytics.LexiconClassifier over analytics.DefaultLexicon
	clock     networks.Clock
	newID     func() string
	log       *slog.Logger
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
// schedule. Default: none (only socialflow's own checks run). A
// [NetworkValidator] without Specs (or a nil *NetworkValidator) makes
// NewService fail with a *ValidationError naming the field.
func WithValidator(v ContentValidator) ServiceOption {
	return func(s *Service) error {
		switch nv := v.(type) {
		case NetworkValidator:
			if err := nv.check(); err != nil {
				return err
			}
		case *NetworkValidator:
			if nv == nil {
				return &ValidationError{Field: "validator", Reason: "a nil *NetworkValidator: use NewNetworkValidator"}
			}
			if err := nv.check(); err != nil {
				return err
			}
		}
		s.validator = v
		return nil
	}
}

// WithAssetChecker sets the asset rights check used on schedule and at
// publish time. Default: none.
func WithAssetChecker(a AssetChecker) ServiceOption {
	return func(s *Service) error { s.assets = a; return nil }
}

// WithEntitlements sets the host's plan check, consulted after
// authorization. Default: none.
func WithEntitlements(e team.Entitlements) ServiceOption {
	return func(s *Service) error { s.gate.Plan = e; return nil }
}

// WithClock sets the time source ([networks.Clock], the one clock shape of
// the module; pass the same one to networks.WithClock for Publishers over a
// fake network). Default: the real time.
func WithClock(c networks.Clock) ServiceOption {
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

// NewService returns a Service over store. The team lives in the store
// ([TeamStore]): when the store holds no team yet, team is saved as the
// first one; when it holds one, the stored team is the truth and team is
// ignored (a team that differs is logged at warning level, naming the first
// part that differs), so every replica and every restart may pass the same
// start-up team, or nil. Either way team is frozen: change the team through
// the Service's team actions ([Service.Invite] and the others).
func NewService(tm *team.Team, store Store, opts ...ServiceOption) (*Service, error) {
	if store == nil {
		return nil, &ValidationError{Field: "service", Reason: "a store is required"}
	}
	none, err := approval.NewRouter(approval.RouterConfig{Policies: map[string]approval.Policy{"none": {Name: "none", Kind: approval.None}}, Default: "none"})
	if err != nil {
		return nil, err
	}
	s := &Service{
		team: newTeamView(store), store: store, audit: NewAuditLog(store, nil),
		router: none, clock: networks.ClockFunc(time.Now), newID: randomID,
		log: slog.New(slog.DiscardHandler), classify: defaultClassifier(),
	}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if err := s.seedTeam(context.Background(), tm); err != nil {
		return nil, err
	}
	if s.planner != nil {
		s.store = &mirror{Store: s.store, s: s}
	}
	return s, nil
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Team returns a snapshot of the stored team, refreshed first when the
// stored revision changed (a store error leaves the last snapshot). The
// snapshot is frozen: its change methods fail rather than diverge from the
// store; change the team through the team actions ([Service.Invite] and
// the others).
func (s *Service) Team() *team.Team {
	if err := s.team.refresh(context.Background()); err != nil {
		s.log.Warn("team refresh failed", "err", err)
	}
	return s.team.team()
}

// Audit returns the audit log.
func (s *Service) Audit() *AuditLog { return s.audit }

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// allow is the one place Service methods check permissions. It refreshes
// the team snapshot first when the stored team changed, so a change made on
// another replica is enforced at once.
func (s *Service) allow(ctx context.Context, actor string, p team.Permission, sc team.Scope) error {
	if err := s.team.refresh(ctx); err != nil {
		return err
	}
	return team.Gate{Team: s.team.team(), Plan: s.gate.Plan}.Allow(ctx, actor, p, sc)
}

// allowTargets checks perm in the post's workspace and on every channel the
// post targets, so a member restricted to some channels acts only on posts
// within them.
func (s *Service) allowTargets(ctx context.Context, actor string, perm team.Permission, p Post) error {
	if err := s.allow(ctx, actor, perm, team.Scope{Workspace: p.Workspace}); err != nil && !perm.ChannelBound() {
		return err
	}
	for _, t := range p.Targets {
		if err := s.allow(ctx, actor, perm, team.Scope{Workspace: p.Workspace, Channel: t.Channel}); err != nil {
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
	e.Summary = echo.Clip(e.Summary, summaryMax)
	if len(e.Data) > 0 {
		d := make(map[string]string, len(e.Data))
		for k, v := range e.Data {
			d[k] = echo.Clip(v, dataMax)
		}
		e.Data = d
	}
	if _, err := s.audit.Append(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit append failed", "action", e.Action, "object", e.Object, "err", err)
		return fmt.Errorf("workflow: audit %s: %w", e.Action, err)
	}
	return nil
}

// The bounds, in runes, of what the Service echoes of a caller's values:
// previews of a post's text, audit summaries and notice summaries, and
// each value of an audit event's Data.
const (
	previewMax = 60
	summaryMax = 240
	dataMax    = 512
)

// preview is the short form of a post's text shown in notices, summaries
// and calendar titles.
func preview(s string) string { return echo.Clip(s, previewMax) }

// notify sends n to the recipients [Service.recipients] lets see it, with
// its summary bounded. It is the one path of every notice.
func (s *Service) notify(ctx context.Context, n Notice) {
	if s.notifier == nil || len(n.To) == 0 {
		return
	}
	if n.To = s.recipients(ctx, n); len(n.To) == 0 {
		return
	}
	if n.At.IsZero() {
		n.At = s.now()
	}
	n.Summary = echo.Clip(n.Summary, summaryMax)
	if err := s.notifier.Notify(ctx, n); err != nil {
		s.log.WarnContext(ctx, "notify failed", "kind", n.Kind, "post", n.Post, "err", err)
	}
}
