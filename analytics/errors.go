package analytics

import (
	"fmt"
	"time"

	"github.com/socialflow/socialflow"
)

// FieldError reports an invalid value in one field: a negative counter, an
// empty ID, an unknown KPI name, a limit exceeded. errors.Is(err,
// socialflow.ErrInvalid) holds.
type FieldError struct {
	Op     string // the operation, e.g. "Snapshot.Validate"
	Field  string // the field, e.g. "counters.likes"
	Value  string // the offending value as text
	Reason string // why it is refused, e.g. "negative"
}

// Error describes the failure with its details.
func (e *FieldError) Error() string {
	return fmt.Sprintf("analytics: %s: %s %q: %s", e.Op, e.Field, e.Value, e.Reason)
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == socialflow.ErrInvalid }

// CurrencyError reports two currencies meeting in one sum. Money in different
// currencies is never added. errors.Is(err, socialflow.ErrInvalid) holds.
type CurrencyError struct {
	Op    string // the operation, e.g. "Aggregate"
	Where string // the target ID or the group the sum belongs to
	Want  string // the currency already in the sum
	Got   string // the currency that did not match
}

// Error describes the failure with its details.
func (e *CurrencyError) Error() string {
	return fmt.Sprintf("analytics: %s: %s mixes currencies %s and %s", e.Op, e.Where, e.Want, e.Got)
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *CurrencyError) Is(target error) bool { return target == socialflow.ErrInvalid }

// RangeError reports an interval whose end is not after its start.
// errors.Is(err, socialflow.ErrInvalid) holds.
type RangeError struct {
	Op         string
	Field      string // e.g. "query" or "growth"
	Start, End time.Time
}

// Error describes the failure with its details.
func (e *RangeError) Error() string {
	return fmt.Sprintf("analytics: %s: %s ends (%s) before it starts (%s)", e.Op, e.Field,
		e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *RangeError) Is(target error) bool { return target == socialflow.ErrInvalid }

// ZoneError reports an IANA zone name that cannot be loaded. It matches
// socialflow.ErrInvalid and unwraps to the loader's error.
type ZoneError struct {
	Op    string
	Field string // e.g. "target.zone"
	Zone  string
	Err   error
}

// Error describes the failure with its details.
func (e *ZoneError) Error() string {
	return fmt.Sprintf("analytics: %s: %s: unknown zone %q: %v", e.Op, e.Field, e.Zone, e.Err)
}

// Unwrap returns socialflow.ErrInvalid and the loader's error.
func (e *ZoneError) Unwrap() []error { return []error{socialflow.ErrInvalid, e.Err} }

// UnknownTargetError reports a snapshot or a look-up naming a target the
// [Dataset] does not know. errors.Is(err, socialflow.ErrNotFound) holds.
type UnknownTargetError struct {
	Op     string
	Target string
}

// Error describes the failure with its details.
func (e *UnknownTargetError) Error() string {
	return fmt.Sprintf("analytics: %s: unknown target %q", e.Op, e.Target)
}

// Is reports whether target is socialflow.ErrNotFound.
func (e *UnknownTargetError) Is(target error) bool { return target == socialflow.ErrNotFound }

func loadZone(op, field, name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &ZoneError{Op: op, Field: field, Zone: name, Err: err}
	}
	return loc, nil
}
