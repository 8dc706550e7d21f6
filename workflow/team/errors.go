package team

import (
	"fmt"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
)

// ValidationError reports invalid input to the team model: which field,
// the offending value and why. It matches socialflow.ErrInvalid. The
// message echoes the value bounded (internal/echo); the field keeps it
// whole. workflow.ValidationError is this type.
type ValidationError struct {
	Field  string // e.g. "membership.role"
	Value  string // the offending value, if any
	Reason string
}

func (e *ValidationError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("workflow: %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("workflow: %s %s: %s", e.Field, echo.Quote(e.Value), e.Reason)
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == socialflow.ErrInvalid }

// NotFoundError reports something missing: a member, workspace, channel,
// organization, role or membership here, and a post, target or calendar
// event in workflow (workflow.NotFoundError is this type). It matches
// socialflow.ErrNotFound.
type NotFoundError struct {
	Kind string // "member", "workspace", "channel", "organization", "role", "membership", "post", ...
	ID   string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("workflow: %s %s not found", e.Kind, echo.Quote(e.ID))
}

// Is reports whether target is socialflow.ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == socialflow.ErrNotFound }

// Reason says why [Team.Authorize] refused.
type Reason string

// The reasons for a refusal.
const (
	ReasonNoMembership    Reason = "no membership in the workspace"
	ReasonRoleLacks       Reason = "role lacks the permission"
	ReasonOutsideScope    Reason = "outside the membership's channel or network scope"
	ReasonSuspended       Reason = "membership suspended"
	ReasonGrantAboveOwn   Reason = "grants more than the actor holds"
	ReasonActorOutranked  Reason = "target holds permissions the actor lacks"
	ReasonNotEntitled     Reason = "not included in the host's plan"
	ReasonChannelRequired Reason = "the scope must name a channel for a restricted membership"
	ReasonOwnPost         Reason = "not on one's own post"
)

// ForbiddenError reports a refused action: which member, which permission,
// in which scope, and why. It matches socialflow.ErrForbidden.
type ForbiddenError struct {
	Member     string
	Permission Permission
	Scope      Scope
	Reason     Reason
	Role       string // the member's role in the scope's workspace, if any
	Err        error  // the host's refusal, for ReasonNotEntitled
}

func (e *ForbiddenError) Error() string {
	role := ""
	if e.Role != "" {
		role = " (role " + e.Role + ")"
	}
	msg := fmt.Sprintf("workflow: member %s%s may not %s in %s: %s", echo.Quote(e.Member), role, echo.Short(string(e.Permission)), e.Scope, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the host's refusal, if any.
func (e *ForbiddenError) Unwrap() error { return e.Err }

// Is reports whether target is socialflow.ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == socialflow.ErrForbidden }

// LastOwnerError reports a change that would leave a workspace without an
// active owner. It matches socialflow.ErrInvalid: the change is refused and
// nothing changes.
type LastOwnerError struct {
	Workspace string
	Member    string // the last owner
}

func (e *LastOwnerError) Error() string {
	return fmt.Sprintf("workflow: member %s is the last owner of workspace %s", echo.Quote(e.Member), echo.Quote(e.Workspace))
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *LastOwnerError) Is(target error) bool { return target == socialflow.ErrInvalid }
