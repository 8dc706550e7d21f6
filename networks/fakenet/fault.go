package fakenet

import (
	"time"

	"github.com/socialflow/socialflow/networks"
)

// Kind is the kind of a [Fault].
type Kind string

// The fault kinds.
const (
	KindServerError  Kind = "server_error"  // HTTP 503: *networks.TransientError
	KindRateLimited  Kind = "rate_limited"  // HTTP 429: *networks.RateLimitError with RetryAfter / Reset
	KindTimeout      Kind = "timeout"       // no answer after After: outcome unknown for writes (nothing done), transient for reads
	KindExpiredToken Kind = "expired_token" // the access token expires now: *networks.AuthExpiredError
	KindDuplicate    Kind = "duplicate"     // *networks.DuplicateError
	KindRejected     Kind = "rejected"      // *networks.RejectedError with Reason
	KindProcessing   Kind = "processing"    // the publish is accepted and goes live After later (pending receipt)
	KindLostResponse Kind = "lost_response" // the write happens, then *networks.OutcomeUnknownError
	KindLatency      Kind = "latency"       // the call takes Latency longer, then proceeds normally
)

// Fault scripts how one call answers. Build faults with the constructors
// ([ServerError], [RateLimited], ...) and queue them with [Net.Script].
type Fault struct {
	Kind       Kind
	Op         string        // the operation it applies to (networks.OpPublish, ...); empty: the next call of any kind
	RetryAfter time.Duration // KindRateLimited
	Reset      time.Duration // KindRateLimited: the window resets this long after the call
	Scope      networks.Scope
	After      time.Duration // KindTimeout, KindProcessing
	Latency    time.Duration // extra latency before the call is handled (any kind)
	Reason     string        // KindRejected
}

// On returns f restricted to calls of op.
func (f Fault) On(op string) Fault { f.Op = op; return f }

// Times returns n copies of f, to script "the next n calls".
func (f Fault) Times(n int) []Fault {
	out := make([]Fault, max(n, 0))
	for i := range out {
		out[i] = f
	}
	return out
}

// ServerError answers HTTP 503.
func ServerError() Fault { return Fault{Kind: KindServerError} }

// RateLimited answers 429 with a Retry-After of d, for the account.
func RateLimited(d time.Duration) Fault { return Fault{Kind: KindRateLimited, RetryAfter: d} }

// RateLimitedUntil answers 429 with a reset time d after the call, for the
// given scope.
func RateLimitedUntil(d time.Duration, scope networks.Scope) Fault {
	return Fault{Kind: KindRateLimited, Reset: d, Scope: scope}
}

// Timeout answers nothing for d, then fails as a timeout.
func Timeout(d time.Duration) Fault { return Fault{Kind: KindTimeout, After: d} }

// Latency delays the call by d, then handles it normally.
func Latency(d time.Duration) Fault { return Fault{Kind: KindLatency, Latency: d} }

// ExpiredToken makes the caller's access token expire now.
func ExpiredToken() Fault { return Fault{Kind: KindExpiredToken} }

// DuplicateContent rejects the publish as duplicate content.
func DuplicateContent() Fault { return Fault{Kind: KindDuplicate, Op: networks.OpPublish} }

// Rejected refuses the call for good with reason.
func Rejected(reason string) Fault { return Fault{Kind: KindRejected, Reason: reason} }

// Processing accepts the publish and completes it d later.
func Processing(d time.Duration) Fault {
	return Fault{Kind: KindProcessing, After: d, Op: networks.OpPublish}
}

// LostResponse performs the write, then loses the response.
func LostResponse() Fault { return Fault{Kind: KindLostResponse} }
