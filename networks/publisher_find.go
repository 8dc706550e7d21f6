package networks

import (
	"context"
)

// ErrNoFinder is returned by [Publisher.Find] when the adapter does not
// implement [Finder]: nobody can tell whether a post with the marker exists.
// It matches [socialflow.ErrOutcomeUnknown] as well as itself.
var ErrNoFinder error = noFinderError{}

type noFinderError struct{}

func (noFinderError) Error() string { return "networks: the adapter cannot look posts up by marker" }

// Is reports whether target is [socialflow.ErrOutcomeUnknown]: without a
// Finder the outcome stays unknown.
func (noFinderError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Find looks a post of acct up by the marker a publish carried, through the
// adapter's [Finder], with the Publisher's retries and token handling
// (lookups do not count against the publishing rate limits). It returns the
// receipt and true when the network holds such a post, false when it
// definitely holds none, and an error when it cannot say: [ErrNoFinder]
// without a Finder, a *FieldError for an empty marker, or the retry errors of
// [Publisher.Publish]. Hosts use it to resolve publishes whose outcome is
// unknown (a crash, a lost response) before anything is posted again.
func (p *Publisher) Find(ctx context.Context, acct Account, marker string) (Receipt, bool, error) {
	if p.finder == nil {
		return Receipt{}, false, ErrNoFinder
	}
	if marker == "" {
		return Receipt{}, false, &FieldError{Network: p.spec.Network, Field: "marker", Reason: "required"}
	}
	acct, st, err := p.prepare(acct)
	if err != nil {
		return Receipt{}, false, err
	}
	return p.find(ctx, acct, st, marker)
}
