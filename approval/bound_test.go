package approval_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/approval"
)

// huge is a 100 KB value a host or a person may pass.
var huge = strings.Repeat("x", 100<<10)

// maxEcho is the most any message may grow by repeating a caller's value.
const maxEcho = 2000

func assertBounded(t *testing.T, what, s string) {
	t.Helper()
	assert.LessOrEqual(t, utf8.RuneCountInString(s), maxEcho, "%s is %d runes: %.200s…", what, utf8.RuneCountInString(s), s)
	assert.Contains(t, s, "…", "%s does not say it was clipped", what)
}

func TestRoutingExplanationBounded(t *testing.T) {
	cfg := fmt.Sprintf(`{
  "policies": {"p": {"kind": "none"}, "q": {"kind": "optional", "stages": [{}]}},
  "rules": [
    {"name": "long label", "when": {"labels": [%q]}, "policy": "p"},
    {"name": "long workspace", "when": {"workspaces": [%q]}, "policy": "p"},
    {"name": "any text", "when": {"patterns": ["x{3,}"]}, "policy": "q"}
  ],
  "default": "p"
}`, huge, huge)
	r, err := approval.ParseRouter([]byte(cfg))
	require.NoError(t, err)
	for _, tt := range []struct {
		name  string
		attrs []approval.Attributes
	}{
		{name: "matched text", attrs: []approval.Attributes{{Text: huge}}},
		{name: "label value", attrs: []approval.Attributes{{Labels: []string{huge}}}},
		{name: "workspace value", attrs: []approval.Attributes{{Workspace: huge}}},
		{name: "merged and outweighed", attrs: []approval.Attributes{{Text: huge, Channel: "a"}, {Text: huge + "y", Channel: "b"}, {Labels: []string{huge}}, {Workspace: huge}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, m, err := r.RouteAll(tt.attrs)
			require.NoError(t, err)
			assertBounded(t, "Match.String", m.String())
			for _, reason := range m.Reasons {
				assertBounded(t, "reason", reason)
			}
		})
	}
}

func TestReasonsBounded(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	long := strings.Repeat("n", 256) // the longest member id a policy takes
	var many []string
	for i := range approval.MaxApprovers {
		many = append(many, fmt.Sprintf("%s%04d", long[:250], i))
	}
	one := approval.Policy{Name: "p", Kind: approval.Required, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: []string{long}}}}}
	crowd := approval.Policy{Name: "c", Kind: approval.Required, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: many}, Quorum: approval.Quorum{Rule: approval.All},
		Deadline: &approval.Deadline{Within: approval.Duration(time.Hour), OnExpiry: approval.Escalate, EscalateTo: approval.Approvers{Members: many}}}}}
	s := approval.Subject{ID: "s", Version: 1, Author: "eve", SubmittedAt: at}
	for _, tt := range []struct {
		name string
		p    approval.Policy
		ds   []approval.Decision
		now  time.Time
	}{
		{name: "change request comment", p: one, ds: []approval.Decision{{Approver: long, Verdict: approval.RequestChanges, Comment: huge, Version: 1, At: at}}, now: at},
		{name: "rejection comment", p: one, ds: []approval.Decision{{Approver: long, Verdict: approval.Reject, Comment: huge, Version: 1, At: at}}, now: at},
		{name: "awaiting a thousand", p: crowd, now: at},
		{name: "escalated to a thousand", p: crowd, now: at.Add(2 * time.Hour)},
		{name: "approved by a thousand", p: crowd, ds: approveAll(many, at), now: at},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := approval.Evaluate(tt.p, s, tt.ds, tt.now)
			require.NoError(t, err)
			assertBounded(t, "Reason", res.Reason)
		})
	}
}

func approveAll(ids []string, at time.Time) []approval.Decision {
	out := make([]approval.Decision, len(ids))
	for i, id := range ids {
		out[i] = approval.Decision{Approver: id, Verdict: approval.Approve, Version: 1, At: at}
	}
	return out
}

func TestErrorsBounded(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	one := approval.Policy{Name: "p", Kind: approval.Required, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: []string{"ana"}}}}}
	s := approval.Subject{ID: huge, Version: 1, Author: huge, SubmittedAt: at}
	check := func(d approval.Decision) error { return approval.Check(one, s, nil, d, at) }
	_, routeErr := approval.ParseRouter([]byte(fmt.Sprintf(`{"policies":{"p":{}},"default":%q}`, huge)))
	_, zoneErr := approval.BusinessHours{Zone: huge}.Add(at, time.Hour)
	_, ruleErr := approval.ParseRouter([]byte(fmt.Sprintf(`{"policies":{"p":{}},"default":"p","rules":[{"name":"r","policy":%q}]}`, huge)))
	_, stageErr := approval.Merge(approval.Policy{Kind: approval.MultiLevel, Stages: []approval.Stage{{Name: huge, Approvers: approval.Approvers{Members: []string{"a"}}}}})
	for _, tt := range []struct {
		name string
		err  error
	}{
		{name: "unknown verdict", err: check(approval.Decision{Approver: "ana", Verdict: approval.Verdict(huge), Version: 1, At: at})},
		{name: "not an approver", err: check(approval.Decision{Approver: huge + "z", Verdict: approval.Approve, Version: 1, At: at})},
		{name: "self approval", err: check(approval.Decision{Approver: huge, Verdict: approval.Approve, Version: 1, At: at})},
		{name: "wrong stage", err: check(approval.Decision{Approver: "ana", Verdict: approval.Approve, Stage: huge, Version: 1, At: at})},
		{name: "unknown default policy", err: routeErr},
		{name: "rule to unknown policy", err: ruleErr},
		{name: "unknown zone", err: zoneErr},
		{name: "long stage name", err: stageErr},
		{name: "quorum author", err: (&approval.QuorumError{Stage: huge, Needed: 1, Author: huge})},
		{name: "unknown key", err: (&approval.UnknownKeyError{KeyID: huge})},
		{name: "used link", err: (&approval.UsedError{TokenID: huge})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			assertBounded(t, "error", tt.err.Error())
			assertBounded(t, "error %+v", fmt.Sprintf("%+v", tt.err))
		})
	}
}

// A zero time is never rendered as "0001-01-01T00:00:00Z".
func TestNoZeroTimeInMessages(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
	}{
		{name: "closed, earlier round", err: &approval.ClosedError{Outcome: approval.Pending}},
		{name: "closed", err: &approval.ClosedError{Outcome: approval.Approved}},
		{name: "expired link", err: &approval.ExpiredError{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotContains(t, tt.err.Error(), "0001-01-01")
		})
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p := approval.Policy{Name: "p", Kind: approval.Required, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: []string{"ana"}}}}}
	res, err := approval.Evaluate(p, approval.Subject{ID: "s", Version: 1, SubmittedAt: at}, nil, at)
	require.NoError(t, err)
	assert.True(t, res.Due.IsZero())
	assert.NotContains(t, res.Reason, "0001-01-01")
	assert.NotContains(t, res.Reason, "due")
}
