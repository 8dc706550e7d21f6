package workflow

import (
	"fmt"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// ValidationError reports invalid input: which field, the offending value
// and why. It matches socialflow.ErrInvalid. It is the team model's type
// (the team package sits below workflow), so errors.As with either name
// catches a refusal of the team model and of the Service alike.
type ValidationError = team.ValidationError

// NotFoundError reports something missing: a post, a target, a channel, a
// member, a calendar event, a publisher or account for a channel. It matches
// socialflow.ErrNotFound. Like [ValidationError] it is the team model's type.
type NotFoundError = team.NotFoundError

func isInvalid(target error) bool { return target == socialflow.ErrInvalid }

// StageNotOpenError reports a decision through an approval link whose
// approver decides at a stage that is not open yet. It matches
// socialflow.ErrConflict: the link stays valid, and decides once its stage
// opens.
type StageNotOpenError struct {
	Post     string
	Approver string
	Stage    string // the approver's stage
	Open     string // the stage open now
}

func (e *StageNotOpenError) Error() string {
	return fmt.Sprintf("workflow: post %s: approver %s decides at stage %s, which is not open yet (the open stage is %s); the link stays valid until then",
		echo.Quote(e.Post), echo.Quote(e.Approver), echo.Quote(e.Stage), echo.Quote(e.Open))
}

// Is reports whether target is socialflow.ErrConflict.
func (e *StageNotOpenError) Is(target error) bool { return target == socialflow.ErrConflict }

// IDTakenError reports a caller-chosen ID that already names something of
// another workspace (or, for posts, anything stored): nothing is
// overwritten. It matches socialflow.ErrConflict; choose another ID, or
// leave it empty for the Service to generate one. It says nothing about
// what holds the ID.
type IDTakenError struct {
	Kind string // "post", "task"
	ID   string
}

func (e *IDTakenError) Error() string {
	return fmt.Sprintf("workflow: %s ID %s is already taken: choose another, or leave it empty for a generated one", e.Kind, echo.Quote(e.ID))
}

// Is reports whether target is socialflow.ErrConflict.
func (e *IDTakenError) Is(target error) bool { return target == socialflow.ErrConflict }
