package approval

import (
	"fmt"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
)

// maxReasonEcho bounds a reason that may carry a decoder's message or a
// person's comment when repeated in an error or a result.
const maxReasonEcho = 200

// PolicyError reports a policy, stage, deadline, routing rule or link input
// that breaks a rule. It is returned by [Policy.Validate], [NewRouter],
// [ParseRouter], [BusinessHours.Validate], [NewSigner] and [Signer.Sign], and
// errors.Is(err, socialflow.ErrInvalid) holds.
//
// The zero PolicyError is not meaningful; the package always fills Field and
// Reason.
type PolicyError struct {
	Policy string // policy name, when known
	Field  string // path of the offending field, e.g. "stages[1].quorum.n"
	Value  string // the offending value, quoted as text
	Limit  int    // the limit broken, when there is one (0 otherwise)
	Reason string // what is wrong, e.g. "quorum larger than approver set"
}

// Error returns the message; details are in the fields of PolicyError.
func (e *PolicyError) Error() string {
	s := "approval: "
	if e.Policy != "" {
		s += "policy " + echo.Short(e.Policy) + ": "
	}
	s += echo.Short(e.Field) + ": " + echo.Clip(e.Reason, maxReasonEcho)
	if e.Value != "" {
		s += " (value " + echo.Quote(e.Value)
		if e.Limit != 0 {
			s += fmt.Sprintf(", limit %d", e.Limit)
		}
		s += ")"
	} else if e.Limit != 0 {
		s += fmt.Sprintf(" (limit %d)", e.Limit)
	}
	return s
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *PolicyError) Is(target error) bool { return target == socialflow.ErrInvalid }

// DecisionError reports a malformed decision: an unknown verdict, no approver,
// no time, a time after now, or a change request without a comment.
// errors.Is(err, socialflow.ErrInvalid) holds.
//
// The zero DecisionError names no field; the package always fills Field.
type DecisionError struct {
	Field  string // "verdict", "approver", "at", "comment", "version"
	Value  string // the offending value
	Reason string
}

// Error returns the message; details are in the fields of DecisionError.
func (e *DecisionError) Error() string {
	return fmt.Sprintf("approval: decision %s: %s (value %s)", echo.Short(e.Field), echo.Clip(e.Reason, maxReasonEcho), echo.Quote(e.Value))
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *DecisionError) Is(target error) bool { return target == socialflow.ErrInvalid }

// QuorumError reports a stage whose quorum cannot be met for a given subject:
// the stage needs more approvals than it has eligible approvers once the
// author is excluded (self-approval forbidden). [Evaluate] and [Check] return
// it before looking at any decision. errors.Is(err, socialflow.ErrInvalid)
// holds.
//
// The zero QuorumError is not produced by this package.
type QuorumError struct {
	Stage    string
	Needed   int // approvals the quorum needs
	Eligible int // distinct approvers who may decide on this subject
	Author   string
}

// Error returns the message; details are in the fields of QuorumError.
func (e *QuorumError) Error() string {
	return fmt.Sprintf("approval: stage %s needs %d approvals but has %d eligible approvers (author %s excluded)",
		echo.Quote(e.Stage), e.Needed, e.Eligible, echo.Quote(e.Author))
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *QuorumError) Is(target error) bool { return target == socialflow.ErrInvalid }

// NotApproverError reports a decision by someone who is not an approver of
// the stage decided on (after escalation, escalation targets are approvers
// too). errors.Is(err, socialflow.ErrForbidden) holds.
//
// The zero NotApproverError names nobody; the package always fills it.
type NotApproverError struct {
	Approver string
	Stage    string
}

// Error returns the message; details are in the fields of NotApproverError.
func (e *NotApproverError) Error() string {
	return fmt.Sprintf("approval: %s is not an approver of stage %s", echo.Quote(e.Approver), echo.Quote(e.Stage))
}

// Is reports whether target is socialflow.ErrForbidden.
func (e *NotApproverError) Is(target error) bool { return target == socialflow.ErrForbidden }

// SelfApprovalError reports a decision by the subject's author on their own
// subject while the policy does not allow self-approval.
// errors.Is(err, socialflow.ErrForbidden) holds.
//
// The zero SelfApprovalError names nobody; the package always fills it.
type SelfApprovalError struct {
	Approver string
	Subject  string
}

// Error returns the message; details are in the fields of SelfApprovalError.
func (e *SelfApprovalError) Error() string {
	return fmt.Sprintf("approval: %s authored %s and may not decide on it", echo.Quote(e.Approver), echo.Quote(e.Subject))
}

// Is reports whether target is socialflow.ErrForbidden.
func (e *SelfApprovalError) Is(target error) bool { return target == socialflow.ErrForbidden }

// VersionError reports a decision or link for a version other than the
// current one. errors.Is(err, socialflow.ErrConflict) holds: reload the
// subject and decide on its current version.
//
// The zero VersionError (0 vs 0) is not produced by this package.
type VersionError struct {
	Got     int // version decided on, or carried by the link
	Current int
}

// Error returns the message; details are in the fields of VersionError.
func (e *VersionError) Error() string {
	return fmt.Sprintf("approval: version %d is not the current version %d", e.Got, e.Current)
}

// Is reports whether target is socialflow.ErrConflict.
func (e *VersionError) Is(target error) bool { return target == socialflow.ErrConflict }

// StageError reports a decision that names a stage other than the open one
// (a stage already satisfied, not yet open, or unknown).
// errors.Is(err, socialflow.ErrConflict) holds.
//
// The zero StageError names the unnamed stage on both sides; it is not produced by this package.
type StageError struct {
	Stage   string // stage named by the decision
	Current string // the open stage
}

// Error returns the message; details are in the fields of StageError.
func (e *StageError) Error() string {
	return fmt.Sprintf("approval: stage %s is not the open stage %s", echo.Quote(e.Stage), echo.Quote(e.Current))
}

// Is reports whether target is socialflow.ErrConflict.
func (e *StageError) Is(target error) bool { return target == socialflow.ErrConflict }

// ClosedError reports a decision on a request that no longer takes
// decisions: it was approved, rejected, expired, needs no approval, or the
// decision predates the current submission round.
// errors.Is(err, socialflow.ErrConflict) holds.
//
// The zero ClosedError has no outcome and is not produced by this package.
type ClosedError struct {
	Outcome Outcome   // outcome that closed the request; Pending for an earlier round
	At      time.Time // when it closed (the submission time for an earlier round)
}

// Error returns the message; details are in the fields of ClosedError.
func (e *ClosedError) Error() string {
	if e.Outcome == Pending {
		if e.At.IsZero() {
			return "approval: decision predates the current submission"
		}
		return fmt.Sprintf("approval: decision predates the submission at %s", e.At.UTC().Format(time.RFC3339))
	}
	if e.At.IsZero() {
		return fmt.Sprintf("approval: request is closed (%s)", echo.Short(string(e.Outcome)))
	}
	return fmt.Sprintf("approval: request closed (%s) at %s", echo.Short(string(e.Outcome)), e.At.UTC().Format(time.RFC3339))
}

// Is reports whether target is socialflow.ErrConflict.
func (e *ClosedError) Is(target error) bool { return target == socialflow.ErrConflict }

// NoRouteError reports a [Router] with no rule matching and no default (only
// the zero Router). errors.Is(err, socialflow.ErrNotFound) holds.
//
// It has no fields; its zero value is the error.
type NoRouteError struct{}

// Error returns the message; details are in the fields of NoRouteError.
func (e *NoRouteError) Error() string {
	return "approval: no routing rule matched and no default policy"
}

// Is reports whether target is socialflow.ErrNotFound.
func (e *NoRouteError) Is(target error) bool { return target == socialflow.ErrNotFound }

// MalformedTokenError reports a link token that cannot be parsed.
// errors.Is(err, socialflow.ErrInvalid) holds.
//
// The zero MalformedTokenError has no reason; the package always fills it.
type MalformedTokenError struct {
	Reason string
}

// Error returns the message; details are in the fields of MalformedTokenError.
func (e *MalformedTokenError) Error() string {
	return "approval: malformed link token: " + echo.Clip(e.Reason, maxReasonEcho)
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *MalformedTokenError) Is(target error) bool { return target == socialflow.ErrInvalid }

// UnknownKeyError reports a link token signed under a key id the [Signer]
// does not hold (a retired key, or another host's).
// errors.Is(err, socialflow.ErrForbidden) holds.
//
// The zero UnknownKeyError names no key; the package always fills it.
type UnknownKeyError struct {
	KeyID string
}

// Error returns the message; details are in the fields of UnknownKeyError.
func (e *UnknownKeyError) Error() string {
	return "approval: unknown link key id " + echo.Quote(e.KeyID)
}

// Is reports whether target is socialflow.ErrForbidden.
func (e *UnknownKeyError) Is(target error) bool { return target == socialflow.ErrForbidden }

// WrongKeyError reports a link token whose key id is known but that was
// signed with a different secret under that id (a key replaced without a new
// id, or another environment's key). errors.Is(err, socialflow.ErrForbidden)
// holds.
//
// The zero WrongKeyError names no key; the package always fills it.
type WrongKeyError struct {
	KeyID string
}

// Error returns the message; details are in the fields of WrongKeyError.
func (e *WrongKeyError) Error() string {
	return "approval: link was signed with a different key under id " + echo.Quote(e.KeyID)
}

// Is reports whether target is socialflow.ErrForbidden.
func (e *WrongKeyError) Is(target error) bool { return target == socialflow.ErrForbidden }

// TamperedError reports a link token whose signature does not match its
// content. errors.Is(err, socialflow.ErrForbidden) holds.
//
// The zero TamperedError names no key; the package always fills it.
type TamperedError struct {
	KeyID string
}

// Error returns the message; details are in the fields of TamperedError.
func (e *TamperedError) Error() string {
	return "approval: link token signature does not match its content"
}

// Is reports whether target is socialflow.ErrForbidden.
func (e *TamperedError) Is(target error) bool { return target == socialflow.ErrForbidden }

// ExpiredError reports a link used after its expiry.
// errors.Is(err, socialflow.ErrAuthExpired) holds: issue a new link.
//
// The zero ExpiredError has zero times; the package always fills them.
type ExpiredError struct {
	Expired time.Time
	Now     time.Time
}

// Error returns the message; details are in the fields of ExpiredError.
func (e *ExpiredError) Error() string {
	if e.Expired.IsZero() {
		return "approval: link expired"
	}
	return fmt.Sprintf("approval: link expired at %s", e.Expired.UTC().Format(time.RFC3339))
}

// Is reports whether target is socialflow.ErrAuthExpired.
func (e *ExpiredError) Is(target error) bool { return target == socialflow.ErrAuthExpired }

// UsedError reports a link the host has seen before (single use).
// errors.Is(err, socialflow.ErrDuplicate) holds: the earlier use stands.
//
// The zero UsedError names no token; the package always fills it.
type UsedError struct {
	TokenID string
}

// Error returns the message; details are in the fields of UsedError.
func (e *UsedError) Error() string {
	return fmt.Sprintf("approval: link %s was already used", echo.Short(e.TokenID))
}

// Is reports whether target is socialflow.ErrDuplicate.
func (e *UsedError) Is(target error) bool { return target == socialflow.ErrDuplicate }
