package networks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow/networks"
)

// maxEcho bounds the message of an error built from huge values: every
// echoed value is clipped, so the message stays short whatever the caller
// or the network sent.
const maxEcho = 2000

// Every value a caller or a network provides is bounded where an error
// repeats it: IDs, markers, reasons, codes, details, causes, violations.
func TestErrorsBoundEchoedValues(t *testing.T) {
	huge := strings.Repeat("x", 100_000)
	cause := errors.New(huge)
	many := make([]*networks.Violation, 500)
	for i := range many {
		many[i] = &networks.Violation{Network: "n", Field: "media", Rule: networks.RuleKind, Detail: huge}
	}
	cases := []struct {
		name string
		err  error
	}{
		{"RateLimitError cause", &networks.RateLimitError{Network: "n", Op: "publish", Err: cause}},
		{"AuthExpiredError account", &networks.AuthExpiredError{Network: "n", AccountID: huge, Err: cause}},
		{"ReauthRequiredError", &networks.ReauthRequiredError{Network: "n", AccountID: huge, Reason: huge, Err: cause}},
		{"TransientError cause", &networks.TransientError{Network: "n", Err: cause}},
		{"RejectedError", &networks.RejectedError{Network: "n", Code: huge, Reason: huge, Err: cause}},
		{"DuplicateError", &networks.DuplicateError{Network: "n", Existing: networks.RemoteID(huge), Reason: huge, Err: cause}},
		{"OutcomeUnknownError", &networks.OutcomeUnknownError{Network: "n", Marker: huge, Err: cause}},
		{"NotFoundError", &networks.NotFoundError{Network: "n", ID: networks.RemoteID(huge), Err: cause}},
		{"FieldError", &networks.FieldError{Network: "n", Field: "account.id", Value: huge, Reason: "bad"}},
		{"Violation", &networks.Violation{Network: "n", Field: "media[0].mime", Rule: networks.RuleMIME, Detail: huge}},
		{"ValidationError with many violations", &networks.ValidationError{Network: "n", Violations: many}},
		{"MarkPublished of a huge status", func() error {
			_, err := networks.MarkPublished(networks.Receipt{Status: networks.Status(huge)}, "https://x.test/1", time.Now())
			return err
		}()},
		{"MarkPublished of a huge URL", func() error {
			_, err := networks.MarkPublished(networks.Receipt{Status: networks.StatusManual}, "javascript:"+huge, time.Now())
			return err
		}()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := c.err.Error()
			assert.LessOrEqual(t, len(msg), maxEcho, "message of %d bytes", len(msg))
			assert.Contains(t, msg, "…", "says it left something out")
		})
	}
}
