package socialflow_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/socialflow/socialflow"
)

func TestKindsAreDistinct(t *testing.T) {
	kinds := []error{
		socialflow.ErrInvalid, socialflow.ErrNotFound, socialflow.ErrConflict,
		socialflow.ErrForbidden, socialflow.ErrRateLimited, socialflow.ErrAuthExpired,
		socialflow.ErrTransient, socialflow.ErrRejected, socialflow.ErrDuplicate,
		socialflow.ErrOutcomeUnknown,
	}
	seen := map[string]bool{}
	for i, a := range kinds {
		if seen[a.Error()] {
			t.Errorf("duplicate message %q", a.Error())
		}
		seen[a.Error()] = true
		for j, b := range kinds {
			if (i == j) != errors.Is(a, b) {
				t.Errorf("errors.Is(%v, %v) = %v", a, b, errors.Is(a, b))
			}
		}
		wrapped := fmt.Errorf("op: %w", a)
		if !errors.Is(wrapped, a) {
			t.Errorf("wrapped %v does not match its kind", a)
		}
	}
}

func Example() {
	err := fmt.Errorf("workflow: submit post p1: %w", socialflow.ErrForbidden)
	fmt.Println(errors.Is(err, socialflow.ErrForbidden), errors.Is(err, socialflow.ErrInvalid))
	// Output: true false
}
