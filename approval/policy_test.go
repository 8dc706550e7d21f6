package approval_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

func TestPolicyValidate(t *testing.T) {
	members := func(ids ...string) approval.Approvers { return approval.Approvers{Members: ids} }
	stage := func(name string, a approval.Approvers) approval.Stage {
		return approval.Stage{Name: name, Approvers: a}
	}
	ml := func(stages ...approval.Stage) approval.Policy {
		return approval.Policy{Kind: approval.MultiLevel, Stages: stages, Groups: map[string][]string{"legal": {"lea", "leo"}, "empty": nil}}
	}
	dl := func(d approval.Deadline) approval.Policy {
		s := stage("a", members("ana"))
		s.Deadline = &d
		return ml(s)
	}
	for _, tt := range []struct {
		name      string
		policy    approval.Policy
		wantField string // "" means valid
	}{
		{name: "zero policy is none", policy: approval.Policy{}},
		{name: "optional without approvers", policy: approval.Policy{Kind: approval.Optional, Stages: []approval.Stage{{}}}},
		{name: "required default quorum", policy: required(1, "ana")},
		{name: "multi-level with group", policy: ml(stage("a", members("ana")), stage("b", approval.Approvers{Groups: []string{"legal"}}))},
		{name: "deadline in business hours", policy: dl(approval.Deadline{Within: approval.Duration(8 * time.Hour), BusinessHours: &approval.BusinessHours{Zone: "Europe/Oslo"}, Reminders: []int{50, 90}})},
		{name: "escalation to group", policy: dl(approval.Deadline{Within: approval.Duration(time.Hour), OnExpiry: approval.Escalate, EscalateTo: approval.Approvers{Groups: []string{"legal"}}})},

		{name: "unknown kind", policy: approval.Policy{Kind: "maybe"}, wantField: "kind"},
		{name: "none with stages", policy: approval.Policy{Kind: approval.None, Stages: []approval.Stage{stage("a", members("ana"))}}, wantField: "stages"},
		{name: "required without stage", policy: approval.Policy{Kind: approval.Required}, wantField: "stages"},
		{name: "required with two stages", policy: approval.Policy{Kind: approval.Required, Stages: []approval.Stage{stage("a", members("ana")), stage("b", members("bo"))}}, wantField: "stages"},
		{name: "multi-level without stages", policy: approval.Policy{Kind: approval.MultiLevel}, wantField: "stages"},
		{name: "empty approver set", policy: required(1), wantField: "stages[0].approvers"},
		{name: "empty member id", policy: required(1, ""), wantField: "stages[0].approvers.members"},
		{name: "unknown group", policy: ml(stage("a", approval.Approvers{Groups: []string{"finance"}})), wantField: "stages[0].approvers.groups"},
		{name: "group without members", policy: ml(stage("a", approval.Approvers{Groups: []string{"empty"}})), wantField: "stages[0].approvers.groups"},
		{name: "quorum larger than set", policy: required(3, "ana", "bo"), wantField: "stages[0].quorum.n"},
		{name: "quorum larger than set after dedup", policy: ml(approval.Stage{Name: "a", Approvers: approval.Approvers{Members: []string{"lea"}, Groups: []string{"legal"}}, Quorum: approval.Quorum{Rule: approval.AtLeast, N: 3}}), wantField: "stages[0].quorum.n"},
		{name: "at least zero", policy: ml(approval.Stage{Name: "a", Approvers: members("ana"), Quorum: approval.Quorum{Rule: approval.AtLeast}}), wantField: "stages[0].quorum.n"},
		{name: "n with any", policy: ml(approval.Stage{Name: "a", Approvers: members("ana"), Quorum: approval.Quorum{Rule: approval.Any, N: 1}}), wantField: "stages[0].quorum.n"},
		{name: "unknown quorum rule", policy: ml(approval.Stage{Name: "a", Approvers: members("ana"), Quorum: approval.Quorum{Rule: "most"}}), wantField: "stages[0].quorum.rule"},
		{name: "duplicate stage names", policy: ml(stage("a", members("ana")), stage("a", members("bo"))), wantField: "stages[1].name"},
		{name: "unnamed multi-level stage", policy: ml(stage("", members("ana"))), wantField: "stages[0].name"},
		{name: "zero deadline", policy: dl(approval.Deadline{}), wantField: "stages[0].deadline.within"},
		{name: "negative deadline", policy: dl(approval.Deadline{Within: approval.Duration(-time.Hour)}), wantField: "stages[0].deadline.within"},
		{name: "deadline too long", policy: dl(approval.Deadline{Within: approval.Duration(400 * 24 * time.Hour)}), wantField: "stages[0].deadline.within"},
		{name: "reminder at 100 percent", policy: dl(approval.Deadline{Within: approval.Duration(time.Hour), Reminders: []int{100}}), wantField: "stages[0].deadline.reminders[0]"},
		{name: "escalate without target", policy: dl(approval.Deadline{Within: approval.Duration(time.Hour), OnExpiry: approval.Escalate}), wantField: "stages[0].deadline.escalate_to"},
		{name: "target without escalate", policy: dl(approval.Deadline{Within: approval.Duration(time.Hour), EscalateTo: members("boss")}), wantField: "stages[0].deadline.escalate_to"},
		{name: "unknown expiry action", policy: dl(approval.Deadline{Within: approval.Duration(time.Hour), OnExpiry: "panic"}), wantField: "stages[0].deadline.on_expiry"},
		{name: "unknown zone", policy: dl(approval.Deadline{Within: approval.Duration(time.Hour), BusinessHours: &approval.BusinessHours{Zone: "Mars/Olympus"}}), wantField: "stages[0].deadline.business_hours.zone"},
		{name: "bad hours", policy: dl(approval.Deadline{Within: approval.Duration(time.Hour), BusinessHours: &approval.BusinessHours{Start: "9am"}}), wantField: "stages[0].deadline.business_hours.start"},
		{name: "optional cannot auto approve", policy: approval.Policy{Kind: approval.Optional, Stages: []approval.Stage{{Deadline: &approval.Deadline{Within: approval.Duration(time.Hour), OnExpiry: approval.AutoApprove}}}}, wantField: "stages[0].deadline.on_expiry"},
		{name: "empty skip role", policy: approval.Policy{SkipRoles: []string{""}}, wantField: "skip_roles[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Validate()
			if tt.wantField == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var pe *approval.PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.wantField, pe.Field)
			assert.NotEmpty(t, pe.Reason)
		})
	}
}

func TestPolicyJSONRoundTrip(t *testing.T) {
	p := withDeadline(threeStage(), 1, approval.Deadline{
		Within:        approval.Duration(48 * time.Hour),
		BusinessHours: &approval.BusinessHours{Zone: "Europe/Oslo", Holidays: []string{"2026-12-25"}},
		Reminders:     []int{50, 90},
		OnExpiry:      approval.Escalate,
		EscalateTo:    approval.Approvers{Groups: []string{"legal"}},
	})
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"within":"48h0m0s"`)
	var back approval.Policy
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p, back)
	require.NoError(t, back.Validate())
}

func TestDurationJSON(t *testing.T) {
	var d approval.Duration
	require.NoError(t, json.Unmarshal([]byte(`"90m"`), &d))
	assert.Equal(t, approval.Duration(90*time.Minute), d)
	require.NoError(t, json.Unmarshal([]byte(`3600000000000`), &d))
	assert.Equal(t, approval.Duration(time.Hour), d)
	err := json.Unmarshal([]byte(`"soon"`), &d)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	err = json.Unmarshal([]byte(`true`), &d)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestPolicyValidateMembers(t *testing.T) {
	p := withDeadline(threeStage(), 2, approval.Deadline{
		Within: approval.Duration(time.Hour), OnExpiry: approval.Escalate,
		EscalateTo: approval.Approvers{Members: []string{"boss"}},
	})
	team := map[string]bool{"ana": true, "bo": true, "eve": true, "lea": true, "leo": true, "cli": true, "cly": true, "clz": true}
	err := p.ValidateMembers(func(id string) bool { return team[id] })
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	var pe *approval.PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "stages[2].deadline.escalate_to", pe.Field)
	assert.Equal(t, "boss", pe.Value)

	team["boss"] = true
	require.NoError(t, p.ValidateMembers(func(id string) bool { return team[id] }))

	delete(team, "leo")
	err = p.ValidateMembers(func(id string) bool { return team[id] })
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "stages[1].approvers", pe.Field)
	assert.Equal(t, "leo", pe.Value)
}
