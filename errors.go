// Package socialflow holds the error kinds every socialflow package shares.
//
// socialflow is an embeddable SDK for a team's social-media workflow. Its
// capabilities live in the sub-packages:
//
//   - [github.com/socialflow/socialflow/workflow]: the team model, posts, the
//     lifecycle, the Service a host calls and the Dispatcher that publishes;
//   - [github.com/socialflow/socialflow/approval]: approval policies and their
//     pure evaluation;
//   - [github.com/socialflow/socialflow/calendar]: the content calendar, posting
//     slots, queues and iCalendar export;
//   - [github.com/socialflow/socialflow/networks]: network specs, text rules,
//     adapters and the Publisher;
//   - [github.com/socialflow/socialflow/assets]: the content library;
//   - [github.com/socialflow/socialflow/analytics]: KPIs, aggregation and
//     best time to post.
//
// This root package holds only the error kinds below. Every typed error in the
// project matches exactly one of them (sometimes more, as documented on the
// type) through [errors.Is], however deeply it is wrapped, so a host checks one
// identity:
//
//	if errors.Is(err, socialflow.ErrForbidden) { ... }
//
// The details (which field, which network, which limit, the value, when to
// retry) are carried by typed errors in each package, reached with [errors.As].
//
// # Stability
//
// The set of kinds is append-only: a kind is never removed, renamed or given a
// different meaning, so code that checks a kind keeps working across versions.
package socialflow

import "errors"

// The error kinds. See the package documentation: the list is append-only.
var (
	// ErrInvalid: the input is malformed or breaks a documented limit. Retrying
	// the same input fails the same way; the caller must change it.
	ErrInvalid = errors.New("socialflow: invalid input")

	// ErrNotFound: the thing named does not exist (or no longer exists).
	ErrNotFound = errors.New("socialflow: not found")

	// ErrConflict: the operation lost a race or does not fit the current state
	// (a stale version, an illegal state transition, a slot already taken).
	// Reload and decide again.
	ErrConflict = errors.New("socialflow: conflict")

	// ErrForbidden: the actor is not allowed to do this. The typed error says
	// which member, permission and scope, and why.
	ErrForbidden = errors.New("socialflow: forbidden")

	// ErrRateLimited: a rate limit was hit; the typed error says when to retry
	// when the network said so.
	ErrRateLimited = errors.New("socialflow: rate limited")

	// ErrAuthExpired: credentials expired or were revoked. A refresh may help;
	// if not, the account must be reconnected.
	ErrAuthExpired = errors.New("socialflow: authorization expired")

	// ErrTransient: a temporary failure (a 5xx, a timeout before anything was
	// sent). Retrying the same call later may succeed.
	ErrTransient = errors.New("socialflow: transient failure")

	// ErrRejected: the network or a rule refused the content for good; the
	// typed error carries the reason. Retrying the same content fails again.
	ErrRejected = errors.New("socialflow: rejected")

	// ErrDuplicate: the same content or the same idempotency key was already
	// accepted. The earlier result stands.
	ErrDuplicate = errors.New("socialflow: duplicate")

	// ErrOutcomeUnknown: a request may or may not have taken effect (a lost
	// response, a timeout after sending). Never retry blindly: look the result
	// up first.
	ErrOutcomeUnknown = errors.New("socialflow: outcome unknown")
)
