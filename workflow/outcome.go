package workflow

import (
	"context"
	"errors"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
)

// Verdict says what the [Dispatcher] does with a target after a publish
// call; see [ClassifyPublish].
type Verdict string

// The verdicts of [ClassifyPublish].
const (
	// VerdictPublished: the post is live.
	VerdictPublished Verdict = "published"
	// VerdictAwaiting: the network accepted the post and is still
	// processing it; the target is checked again later.
	VerdictAwaiting Verdict = "awaiting"
	// VerdictManual: a person publishes it by hand (a manual task).
	VerdictManual Verdict = "manual"
	// VerdictReconcile: the request may have taken effect
	// (socialflow.ErrOutcomeUnknown): the target becomes unconfirmed and is
	// looked up by its marker before anything is sent again.
	VerdictReconcile Verdict = "reconcile"
	// VerdictPark: the outcome is unknown and nobody can look the post up
	// (the adapter has no Finder): the target is parked as unconfirmed and a
	// person is notified ([NoticeUnconfirmed]) to check by hand.
	VerdictPark Verdict = "park"
	// VerdictRetry: rate limited or a transient failure that outlived the
	// Publisher's retries: tried again later in the same round (same
	// marker), at RetryAt when the network said when.
	VerdictRetry Verdict = "retry"
	// VerdictNotSent: the context ended before anything was sent (the
	// Adapter contract: a bare context error means nothing was sent):
	// nothing happened, the target is tried again later in the same round.
	VerdictNotSent Verdict = "not_sent"
	// VerdictDuplicate: the network already holds this content or key:
	// the target is looked up by marker (it may be this target's own
	// earlier publish), and fails when it is not found.
	VerdictDuplicate Verdict = "duplicate"
	// VerdictReconnect: the account's authorization expired or must be
	// renewed: the target fails and a person is asked to reconnect.
	VerdictReconnect Verdict = "reconnect"
	// VerdictFail: a permanent failure (rejected, invalid, unclassified):
	// the target fails with its cause and a person is notified.
	VerdictFail Verdict = "fail"
)

// PublishDecision is the result of [ClassifyPublish].
type PublishDecision struct {
	Verdict Verdict
	// RetryAt is, for VerdictRetry, when the network said to try again
	// (its Retry-After or reset time, RFC 9110 §10.2.3); zero when it did
	// not say, and the Dispatcher's backoff decides.
	RetryAt time.Time
}

// ClassifyPublish decides what a publish result means, as the Dispatcher
// applies it: rec and err are what [networks.Publisher.Publish] returned,
// now is when it returned. It is pure: the same inputs give the same
// decision.
//
// The error's kind is read before any context error it carries, because a
// Publisher stopped by its deadline wraps the reason it was waiting (a
// [networks.RateLimitError] whose Retry-After outlasted the deadline is
// "retry later", not "outcome unknown"). In order:
//
//  1. no error: published, awaiting (pending) or manual, by rec.Status;
//  2. socialflow.ErrOutcomeUnknown: reconcile by marker, or park for a
//     person when it wraps [networks.ErrNoFinder];
//  3. socialflow.ErrDuplicate: duplicate;
//  4. socialflow.ErrRateLimited or ErrTransient: retry, at the time a
//     [*networks.RateLimitError] names ([networks.RateLimitError.Wait]);
//  5. socialflow.ErrAuthExpired: reconnect;
//  6. socialflow.ErrRejected or ErrInvalid: fail;
//  7. a context error alone (context.Canceled, DeadlineExceeded): nothing
//     was sent;
//  8. anything else: fail.
func ClassifyPublish(rec networks.Receipt, err error, now time.Time) PublishDecision {
	switch {
	case err == nil && rec.Status == networks.StatusPending:
		return PublishDecision{Verdict: VerdictAwaiting}
	case err == nil && rec.Status == networks.StatusManual:
		return PublishDecision{Verdict: VerdictManual}
	case err == nil:
		return PublishDecision{Verdict: VerdictPublished}
	case errors.Is(err, socialflow.ErrOutcomeUnknown):
		if errors.Is(err, networks.ErrNoFinder) {
			return PublishDecision{Verdict: VerdictPark}
		}
		return PublishDecision{Verdict: VerdictReconcile}
	case errors.Is(err, socialflow.ErrDuplicate):
		return PublishDecision{Verdict: VerdictDuplicate}
	case errors.Is(err, socialflow.ErrRateLimited), errors.Is(err, socialflow.ErrTransient):
		d := PublishDecision{Verdict: VerdictRetry}
		var rl *networks.RateLimitError
		if errors.As(err, &rl) {
			if w := rl.Wait(now); w > 0 {
				d.RetryAt = now.Add(w)
			}
		}
		return d
	case errors.Is(err, socialflow.ErrAuthExpired):
		return PublishDecision{Verdict: VerdictReconnect}
	case errors.Is(err, socialflow.ErrRejected), errors.Is(err, socialflow.ErrInvalid):
		return PublishDecision{Verdict: VerdictFail}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return PublishDecision{Verdict: VerdictNotSent}
	}
	return PublishDecision{Verdict: VerdictFail}
}
