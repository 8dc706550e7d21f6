package networks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
)

// Aliases of the root error kinds, so callers of this package need not import
// the root package. They are the same values: errors.Is works with either.
var (
	ErrInvalid        = socialflow.ErrInvalid
	ErrNotFound       = socialflow.ErrNotFound
	ErrConflict       = socialflow.ErrConflict
	ErrRateLimited    = socialflow.ErrRateLimited
	ErrAuthExpired    = socialflow.ErrAuthExpired
	ErrTransient      = socialflow.ErrTransient
	ErrRejected       = socialflow.ErrRejected
	ErrDuplicate      = socialflow.ErrDuplicate
	ErrOutcomeUnknown = socialflow.ErrOutcomeUnknown
)

// The operations named in errors and attempts.
const (
	OpPublish = "publish"
	OpCheck   = "check"
	OpDelete  = "delete"
	OpMetrics = "metrics"
	OpFind    = "find"
	OpRefresh = "refresh"
)

func prefix(network, op string) string {
	var b strings.Builder
	b.WriteString("networks: ")
	if network != "" {
		b.WriteString(network)
		b.WriteString(" ")
	}
	if op != "" {
		b.WriteString(op)
		b.WriteString(": ")
	}
	return b.String()
}

// The bounds of echoed values in error messages, in runes: reasons and
// details a network or caller wrote, and the message of a cause.
const (
	reasonMax = 200
	causeMax  = 1000
	listMax   = 5 // violations listed by a ValidationError's message
)

func withCause(msg string, err error) string {
	if err == nil {
		return msg
	}
	return msg + ": " + echo.Clip(err.Error(), causeMax)
}

func kindAndCause(kind, cause error) []error {
	if cause == nil {
		return []error{kind}
	}
	return []error{kind, cause}
}

// RateLimitError reports that a network's rate limit was hit. It matches
// [socialflow.ErrRateLimited] and wraps the cause.
//
// RetryAfter is the wait the network asked for (a Retry-After header), Reset
// when the window refills (x-rate-limit-reset); either or both may be zero
// when the network did not say. Scope says whether only this account or the
// whole application is limited.
type RateLimitError struct {
	Network    string
	Op         string
	Scope      Scope
	RetryAfter time.Duration
	Reset      time.Time
	Err        error
}

// Error implements error; the message names the network and operation.
func (e *RateLimitError) Error() string {
	msg := prefix(e.Network, e.Op) + "rate limited"
	if e.Scope != "" {
		msg += " (" + string(e.Scope) + ")"
	}
	if e.RetryAfter > 0 {
		msg += ", retry after " + e.RetryAfter.String()
	}
	if !e.Reset.IsZero() {
		msg += ", resets at " + e.Reset.UTC().Format(time.RFC3339)
	}
	return withCause(msg, e.Err)
}

// Unwrap returns [socialflow.ErrRateLimited] and the cause.
func (e *RateLimitError) Unwrap() []error { return kindAndCause(ErrRateLimited, e.Err) }

// Wait returns how long to wait before trying again at now: RetryAfter, or
// the time until Reset, whichever is longer; zero when the network said
// neither.
func (e *RateLimitError) Wait(now time.Time) time.Duration {
	d := e.RetryAfter
	if !e.Reset.IsZero() {
		if r := e.Reset.Sub(now); r > d {
			d = r
		}
	}
	return max(d, 0)
}

// AuthExpiredError reports an access token the network no longer accepts but
// that a refresh may renew (HTTP 401, Bluesky's ExpiredToken). It matches
// [socialflow.ErrAuthExpired]. The Publisher refreshes once and retries.
type AuthExpiredError struct {
	Network   string
	Op        string
	AccountID string
	Err       error
}

// Error implements error; the message names the network and operation.
func (e *AuthExpiredError) Error() string {
	return withCause(prefix(e.Network, e.Op)+"access token expired for account "+echo.Quote(e.AccountID), e.Err)
}

// Unwrap returns [socialflow.ErrAuthExpired] and the cause.
func (e *AuthExpiredError) Unwrap() []error { return kindAndCause(ErrAuthExpired, e.Err) }

// ReauthRequiredError reports credentials that no refresh can renew: revoked,
// a rejected refresh token, a password change, no refresh token at all. A
// person must reconnect the account. It matches [socialflow.ErrAuthExpired];
// use errors.As to tell it from [AuthExpiredError].
type ReauthRequiredError struct {
	Network   string
	AccountID string
	Reason    string
	Err       error
}

// Error implements error; the message names the network and operation.
func (e *ReauthRequiredError) Error() string {
	msg := prefix(e.Network, "") + "account " + echo.Quote(e.AccountID) + " must be reconnected"
	if e.Reason != "" {
		msg += ": " + echo.Clip(e.Reason, reasonMax)
	}
	return withCause(msg, e.Err)
}

// Unwrap returns [socialflow.ErrAuthExpired] and the cause.
func (e *ReauthRequiredError) Unwrap() []error { return kindAndCause(ErrAuthExpired, e.Err) }

// TransientError reports a temporary failure after which nothing happened on
// the network (a 5xx, a refused connection, a timeout before sending). It
// matches [socialflow.ErrTransient]; retrying later may succeed. Status is
// the HTTP status, 0 if none.
type TransientError struct {
	Network string
	Op      string
	Status  int
	Err     error
}

// Error implements error; the message names the network and operation.
func (e *TransientError) Error() string {
	msg := prefix(e.Network, e.Op) + "temporary failure"
	if e.Status != 0 {
		msg += " (HTTP " + strconv.Itoa(e.Status) + ")"
	}
	return withCause(msg, e.Err)
}

// Unwrap returns [socialflow.ErrTransient] and the cause.
func (e *TransientError) Unwrap() []error { return kindAndCause(ErrTransient, e.Err) }

// RejectedError reports that the network refused for good: Reason is the
// network's own message, Code its error code ("THREADS_API__LINK_LIMIT_EXCEEDED",
// "422"). It matches [socialflow.ErrRejected]; retrying the same content
// fails again.
type RejectedError struct {
	Network string
	Op      string
	Code    string
	Reason  string
	Err     error
}

// Error implements error; the message names the network and operation.
func (e *RejectedError) Error() string {
	msg := prefix(e.Network, e.Op) + "rejected"
	if e.Code != "" {
		msg += " (" + echo.Short(e.Code) + ")"
	}
	if e.Reason != "" {
		msg += ": " + echo.Clip(e.Reason, reasonMax)
	}
	return withCause(msg, e.Err)
}

// Unwrap returns [socialflow.ErrRejected] and the cause.
func (e *RejectedError) Unwrap() []error { return kindAndCause(ErrRejected, e.Err) }

// DuplicateError reports that the network already holds this content or
// idempotency key (X's "duplicate content", LinkedIn's DUPLICATE_POST).
// Existing is the earlier post when the network said which. It matches
// [socialflow.ErrDuplicate]; the Publisher never retries it.
type DuplicateError struct {
	Network  string
	Op       string
	Existing RemoteID
	Reason   string
	Err      error
}

// Error implements error; the message names the network and operation.
func (e *DuplicateError) Error() string {
	msg := prefix(e.Network, e.Op) + "duplicate"
	if e.Existing != "" {
		msg += " of " + echo.Quote(string(e.Existing))
	}
	if e.Reason != "" {
		msg += ": " + echo.Clip(e.Reason, reasonMax)
	}
	return withCause(msg, e.Err)
}

// Unwrap returns [socialflow.ErrDuplicate] and the cause.
func (e *DuplicateError) Unwrap() []error { return kindAndCause(ErrDuplicate, e.Err) }

// OutcomeUnknownError reports a write that may or may not have taken effect:
// the request was sent, then the response was lost or the call timed out.
// It matches [socialflow.ErrOutcomeUnknown]. Never retry it blindly: look the
// post up by Marker first (the Publisher does, through a [Finder]).
type OutcomeUnknownError struct {
	Network   string
	Op        string
	AccountID string
	Marker    string
	Err       error
}

// Error implements error; the message names the network and operation.
func (e *OutcomeUnknownError) Error() string {
	msg := prefix(e.Network, e.Op) + "outcome unknown"
	if e.Marker != "" {
		msg += " for marker " + echo.Quote(e.Marker)
	}
	return withCause(msg, e.Err)
}

// Unwrap returns [socialflow.ErrOutcomeUnknown] and the cause.
func (e *OutcomeUnknownError) Unwrap() []error { return kindAndCause(ErrOutcomeUnknown, e.Err) }

// NotFoundError reports a remote post (or account) that does not exist or no
// longer exists. It matches [socialflow.ErrNotFound].
type NotFoundError struct {
	Network string
	Op      string
	ID      RemoteID
	Err     error
}

// Error implements error; the message names the network and operation.
func (e *NotFoundError) Error() string {
	return withCause(prefix(e.Network, e.Op)+echo.Quote(string(e.ID))+" not found", e.Err)
}

// Unwrap returns [socialflow.ErrNotFound] and the cause.
func (e *NotFoundError) Unwrap() []error { return kindAndCause(ErrNotFound, e.Err) }

// FieldError reports an invalid configuration or argument value: a negative
// spec limit, an account without credentials, an unknown network, a bad
// option. It matches [socialflow.ErrInvalid].
type FieldError struct {
	Network string // may be empty
	Field   string // e.g. "text.max_length", "account.credentials"
	Value   string // the offending value, if any
	Reason  string
}

// Error implements error; the message names the network and operation.
func (e *FieldError) Error() string {
	msg := prefix(e.Network, "") + echo.Short(e.Field)
	if e.Value != "" {
		msg += " " + echo.Quote(e.Value)
	}
	return msg + ": " + e.Reason
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// StateError reports an operation that does not fit the current state, such
// as marking a receipt published that was not a manual task. It matches
// [socialflow.ErrConflict].
type StateError struct {
	Op     string
	Reason string
}

// Error implements error; the message names the network and operation.
func (e *StateError) Error() string { return prefix("", e.Op) + e.Reason }

// Is reports whether target is [socialflow.ErrConflict].
func (e *StateError) Is(target error) bool { return target == ErrConflict }

// Violation is one way a [Draft] breaks a [Spec]: which network, which field
// ("text", "media[2].size", "hashtags"), the limit and the actual value. For
// text length, Offset is the byte offset in the field where the text first
// goes over the limit, so a UI can highlight the overflow; it is -1
// otherwise. It matches [socialflow.ErrInvalid].
type Violation struct {
	Network string `json:"network"`
	Field   string `json:"field"`
	Rule    string `json:"rule"` // "max", "min", "kind", "mime", "unsupported", "invalid_text"
	Limit   int64  `json:"limit"`
	Value   int64  `json:"value"`
	Offset  int    `json:"offset"`
	Detail  string `json:"detail,omitempty"` // a non-numeric value or explanation ("audio", "U+FEFF")
	Err     error  `json:"-"`                // the underlying error, e.g. a *text.InvalidTextError
}

// Error implements error; the message names the network and operation.
func (v *Violation) Error() string {
	msg := prefix(v.Network, "") + v.Field + " "
	switch v.Rule {
	case RuleMax:
		msg += fmt.Sprintf("is %d, limit %d", v.Value, v.Limit)
		if v.Offset >= 0 {
			msg += fmt.Sprintf(" (overflows at byte %d)", v.Offset)
		}
	case RuleMin:
		msg += fmt.Sprintf("is %d, minimum %d", v.Value, v.Limit)
	default:
		msg += v.Rule
	}
	if v.Detail != "" {
		msg += ": " + echo.Clip(v.Detail, reasonMax)
	}
	return msg
}

// Is reports whether target is [socialflow.ErrInvalid].
func (v *Violation) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the underlying error, if any.
func (v *Violation) Unwrap() error { return v.Err }

// The rules a [Violation] names.
const (
	RuleMax         = "max"          // Value is above Limit
	RuleMin         = "min"          // Value is below Limit
	RuleKind        = "kind"         // a media kind the network does not take
	RuleMIME        = "mime"         // a MIME type the network does not take
	RuleMixing      = "mixing"       // media kinds that may not be combined
	RuleUnsupported = "unsupported"  // a feature the network lacks (threads, polls...)
	RuleInvalidText = "invalid_text" // invalid UTF-8 or a forbidden code point
	RuleRequired    = "required"     // a required part is missing
	RuleInvalid     = "invalid"      // a malformed value (bad media metadata)
)

// ValidationError holds every [Violation] of one draft against one spec. It
// matches [socialflow.ErrInvalid]; errors.As finds the first *Violation, and
// Violations lists them all. Its message names the first five and counts
// the rest; every echoed value in it is bounded (internal/echo).
type ValidationError struct {
	Network    string
	Violations []*Violation
}

// Error implements error; the message names the network and operation.
func (e *ValidationError) Error() string {
	var parts []string
	for i, v := range e.Violations {
		if i == listMax {
			parts = append(parts, fmt.Sprintf("…and %d more", len(e.Violations)-listMax))
			break
		}
		parts = append(parts, strings.TrimPrefix(v.Error(), prefix(e.Network, "")))
	}
	return prefix(e.Network, "") + fmt.Sprintf("%d violation(s): ", len(e.Violations)) + strings.Join(parts, "; ")
}

// Unwrap returns the violations, so errors.Is(err, ErrInvalid) holds and
// errors.As reaches each *Violation.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Violations))
	for i, v := range e.Violations {
		errs[i] = v
	}
	return errs
}

// Is reports whether target is [socialflow.ErrInvalid] (also when the list is
// empty, which Validate never returns).
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// redacted stands in for an error whose chain holds secrets. Its message is
// the original's with every secret replaced; it matches what the original
// matched with errors.Is (the socialflow kinds, context errors,
// ErrNoFinder), and errors.As finds copies of the package's typed errors in
// the original chain whose text fields and causes are scrubbed the same way.
// The original is never reachable: no Unwrap, and String, GoString and
// LogValue show only the scrubbed message.
type redacted struct {
	msg     string
	orig    error
	secrets []string
}

func (r *redacted) Error() string { return r.msg }

// String, GoString and LogValue show the scrubbed message only.
func (r *redacted) String() string       { return r.msg }
func (r *redacted) GoString() string     { return strconv.Quote(r.msg) }
func (r *redacted) LogValue() slog.Value { return slog.StringValue(r.msg) }

// Is reports whether the original matched target, for the identities a
// caller checks.
func (r *redacted) Is(target error) bool {
	switch target {
	case context.Canceled, context.DeadlineExceeded, ErrNoFinder:
	default:
		if !slices.Contains(kinds, target) {
			return false
		}
	}
	return errors.Is(r.orig, target)
}

// As finds a scrubbed copy of the package's typed error target points to.
func (r *redacted) As(target any) bool {
	clean := func(s string) string { return scrubString(s, r.secrets) }
	cause := func(err error) error { return scrub(err, r.secrets) }
	switch t := target.(type) {
	case **RateLimitError:
		return asCopy(r.orig, t, func(c *RateLimitError) { c.Err = cause(c.Err) })
	case **AuthExpiredError:
		return asCopy(r.orig, t, func(c *AuthExpiredError) { c.Err = cause(c.Err) })
	case **ReauthRequiredError:
		return asCopy(r.orig, t, func(c *ReauthRequiredError) { c.Reason, c.Err = clean(c.Reason), cause(c.Err) })
	case **TransientError:
		return asCopy(r.orig, t, func(c *TransientError) { c.Err = cause(c.Err) })
	case **RejectedError:
		return asCopy(r.orig, t, func(c *RejectedError) { c.Code, c.Reason, c.Err = clean(c.Code), clean(c.Reason), cause(c.Err) })
	case **DuplicateError:
		return asCopy(r.orig, t, func(c *DuplicateError) { c.Reason, c.Err = clean(c.Reason), cause(c.Err) })
	case **OutcomeUnknownError:
		return asCopy(r.orig, t, func(c *OutcomeUnknownError) { c.Err = cause(c.Err) })
	case **NotFoundError:
		return asCopy(r.orig, t, func(c *NotFoundError) { c.Err = cause(c.Err) })
	case **FieldError:
		return asCopy(r.orig, t, func(c *FieldError) { c.Value, c.Reason = clean(c.Value), clean(c.Reason) })
	case **StateError:
		return asCopy(r.orig, t, func(c *StateError) { c.Reason = clean(c.Reason) })
	case **Violation:
		return asCopy(r.orig, t, func(c *Violation) { c.Detail, c.Err = clean(c.Detail), cause(c.Err) })
	}
	return false
}

// asCopy sets *target to a scrubbed copy of the first P in err's chain.
func asCopy[T any, P interface {
	*T
	error
}](err error, target *P, fix func(P)) bool {
	var found P
	if !errors.As(err, &found) {
		return false
	}
	c := *found
	p := P(&c)
	fix(p)
	*target = p
	return true
}

func scrubString(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "REDACTED")
		}
	}
	return s
}

// holdsSecret reports whether any error in err's chain shows a secret in
// its message.
func holdsSecret(err error, secrets []string) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, s := range secrets {
		if len(s) >= 4 && strings.Contains(msg, s) {
			return true
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return holdsSecret(u.Unwrap(), secrets)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if holdsSecret(e, secrets) {
				return true
			}
		}
	}
	return false
}

// scrub returns err unchanged when no error in its chain shows one of
// secrets, and a [redacted] stand-in otherwise.
func scrub(err error, secrets []string) error {
	if err == nil || !holdsSecret(err, secrets) {
		return err
	}
	if r, ok := err.(*redacted); ok {
		secrets = append(slices.Clip(r.secrets), secrets...)
		err = r.orig
	}
	return &redacted{msg: scrubString(err.Error(), secrets), orig: err, secrets: secrets}
}

// redact is scrub with the secrets as arguments.
func redact(err error, secrets ...string) error { return scrub(err, secrets) }

// isRetryable reports whether the Publisher may retry err as is.
func isRetryable(err error) bool {
	return errors.Is(err, ErrTransient) || errors.Is(err, ErrRateLimited)
}
