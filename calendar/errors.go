package calendar

import (
	"fmt"
	"strings"

	"github.com/socialflow/socialflow"
)

// InvalidError reports input that breaks a documented rule: which field, the
// offending value and why. errors.Is(err, socialflow.ErrInvalid) holds.
type InvalidError struct {
	Op     string // the operation, e.g. "add", "slots", "import"
	Field  string // the field at fault, e.g. "zone", "rrule", "times[1]"
	Value  string // the offending value as given (truncated to 64 bytes)
	Reason string // what is wrong, e.g. "unknown IANA zone"
	Err    error  // the underlying cause, if any (a parser's error)
}

// Error formats the error for people; match kinds with errors.Is, not text.
func (e *InvalidError) Error() string {
	msg := fmt.Sprintf("calendar: %s: invalid %s %q: %s", e.Op, e.Field, e.Value, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns socialflow.ErrInvalid and the cause, so errors.Is matches both.
func (e *InvalidError) Unwrap() []error {
	if e.Err != nil {
		return []error{socialflow.ErrInvalid, e.Err}
	}
	return []error{socialflow.ErrInvalid}
}

// ConflictError reports an operation that does not fit the calendar's current
// state: a duplicate ID, moving a published entry, a slot already taken.
// errors.Is(err, socialflow.ErrConflict) holds.
type ConflictError struct {
	Op     string // the operation, e.g. "add", "move"
	ID     string // the entry or queue item concerned
	Reason string // e.g. "entry is published"
}

// Error formats the error for people; match kinds with errors.Is, not text.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("calendar: %s %q: %s", e.Op, e.ID, e.Reason)
}

// Is reports whether target is socialflow.ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == socialflow.ErrConflict }

// NotFoundError reports an ID the calendar or queue does not hold.
// errors.Is(err, socialflow.ErrNotFound) holds.
type NotFoundError struct {
	Op string
	ID string
}

// Error formats the error for people; match kinds with errors.Is, not text.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("calendar: %s: %q not found", e.Op, e.ID)
}

// Is reports whether target is socialflow.ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == socialflow.ErrNotFound }

// RowError is one bad row of a CSV import: its 1-based line number in the
// file and the error that row produced (an *InvalidError or *ConflictError).
type RowError struct {
	Line int
	Err  error
}

// Error formats the error for people; match kinds with errors.Is, not text.
func (e *RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the row's error, so errors.Is and errors.As reach its kind.
func (e *RowError) Unwrap() error { return e.Err }

// ImportError lists every bad row of a CSV import. Without partial import
// nothing was imported. errors.Is(err, socialflow.ErrInvalid) holds, and
// errors.As reaches each row's typed error.
type ImportError struct {
	Rows []*RowError
}

// Error formats the error for people; match kinds with errors.Is, not text.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "calendar: import: %d bad row(s)", len(e.Rows))
	for i, r := range e.Rows {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(r.Error())
	}
	return b.String()
}

// Unwrap returns socialflow.ErrInvalid followed by each row's error.
func (e *ImportError) Unwrap() []error {
	errs := make([]error, 0, len(e.Rows)+1)
	errs = append(errs, socialflow.ErrInvalid)
	for _, r := range e.Rows {
		errs = append(errs, r)
	}
	return errs
}

func invalid(op, field, value, reason string) *InvalidError {
	if len(value) > 64 {
		value = strings.ToValidUTF8(value[:64], "")
	}
	return &InvalidError{Op: op, Field: field, Value: value, Reason: reason}
}
