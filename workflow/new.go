package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// Config is everything [New] wires. Store and Connector are required; the
// rest is optional and says what it defaults to. For what Config does not
// name, Service and Dispatcher take further options.
type Config struct {
	// Team is the first team, saved when Store holds none (see
	// [NewService]); nil when Store holds one already.
	Team *team.Team
	// Store keeps every piece of workflow state. Required.
	Store Store
	// Connector gives each channel its Publisher and account, e.g. a
	// [*Connections]. Required. Every channel of the team must connect:
	// New runs [Dispatcher.CheckWiring] over every workspace.
	Connector Connector
	// Specs validates content against each network's rules on submit and
	// schedule ([NetworkValidator]). Default: no network validation.
	Specs *networks.Registry
	// Library is the asset library: wired once, it is the asset rights
	// check on schedule and at publish ([LibraryAssets]) and the media
	// resolver of the validator and of the Dispatcher. Default: none.
	Library *assets.Library
	// Router routes posts to approval policies. Default: no approval.
	Router *approval.Router
	// Signer signs approval links for external approvers. Default: none
	// (ApprovalLink and DecideByLink fail).
	Signer *approval.Signer
	// Notifier delivers notices. Default: none.
	Notifier Notifier
	// Planner keeps the calendar: slots, queues, rules. Default: none.
	Planner *Planner
	// Entitlements is the host's plan check. Default: none.
	Entitlements team.Entitlements
	// Classifier reads the sentiment and labels of incoming inbox items
	// ([WithClassifier]). Default: an [analytics.LexiconClassifier] over
	// [analytics.DefaultLexicon].
	Classifier analytics.Classifier
	// Clock is the time source of the Service and the Dispatcher. Default:
	// the real time. (Give the networks' Publishers the same one with
	// networks.WithClock.)
	Clock networks.Clock
	// AuditKey keys the audit chain's HMAC. Default: plain SHA-256.
	AuditKey []byte
	// IDs generates post and task IDs. Default: random.
	IDs func() string
	// Logger logs the Service's and the Dispatcher's warnings. Default:
	// discard.
	Logger *slog.Logger
	// Service and Dispatcher are further options, applied after the ones
	// the fields above make.
	Service    []ServiceOption
	Dispatcher []DispatcherOption
}

// ConfigError lists every problem [New] found, so a host fixes its set-up in
// one go. It matches socialflow.ErrInvalid; each problem (a
// *ValidationError naming the Config field, or the *WiringError of the
// channels) is reachable with errors.As.
type ConfigError struct{ Problems []error }

func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return fmt.Sprintf("workflow: %d set-up problem(s): %s", len(e.Problems), strings.Join(parts, "; "))
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *ConfigError) Is(target error) bool { return target == socialflow.ErrInvalid }

// Unwrap returns the problems.
func (e *ConfigError) Unwrap() []error { return e.Problems }

// New is the one obvious constructor: it validates the whole Config at once
// (a [*ConfigError] lists every problem), builds the [Service] and the
// [Dispatcher] over the same Store, wires the asset library once, and
// checks that every channel of every workspace can publish
// ([Dispatcher.CheckWiring]). [NewService] and [NewDispatcher] remain for
// hosts that run only one of the two or wire them differently.
func New(ctx context.Context, c Config) (*Service, *Dispatcher, error) {
	var probs []error
	if c.Store == nil {
		probs = append(probs, &ValidationError{Field: "Config.Store", Reason: "required: a Store, e.g. memstore.New() or pgstore"})
	}
	if c.Connector == nil {
		probs = append(probs, &ValidationError{Field: "Config.Connector", Reason: "required: a Connector, e.g. a *workflow.Connections with a Publisher per network and an account per channel"})
	}
	var sopts []ServiceOption
	var dopts []DispatcherOption
	var media MediaResolver
	if c.Library != nil {
		la := LibraryAssets{Lib: c.Library}
		media = la.Media
		sopts = append(sopts, WithAssetChecker(la))
		dopts = append(dopts, WithMedia(media))
	}
	if c.Specs != nil {
		sopts = append(sopts, WithValidator(NetworkValidator{Specs: c.Specs, Media: media}))
	}
	if c.Router != nil {
		sopts = append(sopts, WithRouter(c.Router))
	}
	if c.Signer != nil {
		sopts = append(sopts, WithLinkSigner(c.Signer))
	}
	if c.Notifier != nil {
		sopts = append(sopts, WithNotifier(c.Notifier))
	}
	if c.Planner != nil {
		sopts = append(sopts, WithPlanner(c.Planner))
	}
	if c.Entitlements != nil {
		sopts = append(sopts, WithEntitlements(c.Entitlements))
	}
	if c.Classifier != nil {
		sopts = append(sopts, WithClassifier(c.Classifier))
	}
	if c.Clock != nil {
		sopts = append(sopts, WithClock(c.Clock))
	}
	if c.AuditKey != nil {
		sopts = append(sopts, WithAuditKey(c.AuditKey))
	}
	if c.IDs != nil {
		sopts = append(sopts, WithIDs(c.IDs))
	}
	if c.Logger != nil {
		sopts = append(sopts, WithLogger(c.Logger))
	}
	sopts, dopts = append(sopts, c.Service...), append(dopts, c.Dispatcher...)
	// The options only set fields: trying each on a scratch value finds
	// every refused one at once.
	for _, o := range sopts {
		if err := o(&Service{}); err != nil {
			probs = append(probs, err)
		}
	}
	for _, o := range dopts {
		if err := o(&Dispatcher{}); err != nil {
			probs = append(probs, err)
		}
	}
	if len(probs) > 0 {
		return nil, nil, &ConfigError{Problems: probs}
	}
	svc, err := NewService(c.Team, c.Store, sopts...)
	if err != nil {
		return nil, nil, &ConfigError{Problems: []error{err}}
	}
	d, err := NewDispatcher(svc, c.Connector, dopts...)
	if err != nil {
		return nil, nil, &ConfigError{Problems: []error{err}}
	}
	var workspaces []string
	for _, w := range svc.Team().Doc().Workspaces {
		workspaces = append(workspaces, w.ID)
	}
	if len(workspaces) > 0 {
		if err := d.CheckWiring(ctx, workspaces...); err != nil {
			return nil, nil, &ConfigError{Problems: []error{err}}
		}
	}
	return svc, d, nil
}
