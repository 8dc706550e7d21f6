package approval_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func subj(version int) approval.Subject {
	return approval.Subject{ID: "post-1", Kind: "post", Version: version, Author: "eve", SubmittedAt: t0}
}

func dec(who string, v approval.Verdict, stage string, version, hour int) approval.Decision {
	d := approval.Decision{Approver: who, Verdict: v, Stage: stage, Version: version, At: at(hour)}
	if v == approval.RequestChanges {
		d.Comment = "please fix the typo"
	}
	return d
}

func required(n int, members ...string) approval.Policy {
	q := approval.Quorum{}
	if n > 1 {
		q = approval.Quorum{Rule: approval.AtLeast, N: n}
	}
	return approval.Policy{Name: "req", Kind: approval.Required, Stages: []approval.Stage{{
		Approvers: approval.Approvers{Members: members}, Quorum: q,
	}}}
}

func threeStage() approval.Policy {
	return approval.Policy{
		Name: "three",
		Kind: approval.MultiLevel,
		Groups: map[string][]string{
			"legal": {"lea", "leo"},
		},
		Stages: []approval.Stage{
			{Name: "editor", Approvers: approval.Approvers{Members: []string{"ana", "bo", "eve"}}},
			{Name: "legal", Approvers: approval.Approvers{Groups: []string{"legal"}}, Quorum: approval.Quorum{Rule: approval.All}},
			{Name: "client", Approvers: approval.Approvers{Members: []string{"cli", "cly", "clz"}}, Quorum: approval.Quorum{Rule: approval.AtLeast, N: 2}},
		},
		SkipRoles: []string{"owner"},
	}
}

func withDeadline(p approval.Policy, stage int, d approval.Deadline) approval.Policy {
	st := append([]approval.Stage(nil), p.Stages...)
	st[stage].Deadline = &d
	p.Stages = st
	return p
}

func TestEvaluateOutcomes(t *testing.T) {
	optional := approval.Policy{Kind: approval.Optional, Stages: []approval.Stage{{}}}
	three := threeStage()
	allThree := []approval.Decision{
		dec("ana", approval.Approve, "editor", 1, 1),
		dec("lea", approval.Approve, "legal", 1, 2),
		dec("leo", approval.Approve, "legal", 1, 3),
		dec("cli", approval.Approve, "client", 1, 4),
		dec("clz", approval.Approve, "client", 1, 5),
	}
	for _, tt := range []struct {
		name        string
		policy      approval.Policy
		subject     approval.Subject
		decisions   []approval.Decision
		now         time.Time
		want        approval.Outcome
		publishable bool
		stage       string
		awaiting    []string
		ignored     int
	}{
		{name: "zero policy needs nothing", policy: approval.Policy{}, want: approval.NotRequired, publishable: true},
		{name: "none needs nothing", policy: approval.Policy{Kind: approval.None}, want: approval.NotRequired, publishable: true},
		{name: "none ignores decisions", policy: approval.Policy{Kind: approval.None},
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 1)}, want: approval.NotRequired, publishable: true, ignored: 1},
		{name: "optional pending does not block", policy: optional, want: approval.Pending, publishable: true},
		{name: "optional approved", policy: optional,
			decisions: []approval.Decision{dec("zed", approval.Approve, "", 1, 1)}, want: approval.Approved, publishable: true},
		{name: "optional changes requested does not block", policy: optional,
			decisions: []approval.Decision{dec("zed", approval.RequestChanges, "", 1, 1)}, want: approval.ChangesRequested, publishable: true},
		{name: "optional author may not review", policy: optional,
			decisions: []approval.Decision{dec("eve", approval.Approve, "", 1, 1)}, want: approval.Pending, publishable: true, ignored: 1},
		{name: "required pending", policy: required(1, "ana", "bo"), want: approval.Pending, awaiting: []string{"ana", "bo"}},
		{name: "required approved by one", policy: required(1, "ana", "bo"),
			decisions: []approval.Decision{dec("bo", approval.Approve, "", 1, 1)}, want: approval.Approved, publishable: true},
		{name: "required two of three waits for second", policy: required(2, "ana", "bo", "cy"),
			decisions: []approval.Decision{dec("bo", approval.Approve, "", 1, 1)}, want: approval.Pending, awaiting: []string{"ana", "cy"}},
		{name: "same approver twice counts once", policy: required(2, "ana", "bo", "cy"),
			decisions: []approval.Decision{dec("bo", approval.Approve, "", 1, 1), dec("bo", approval.Approve, "", 1, 2)},
			want:      approval.Pending, awaiting: []string{"ana", "cy"}},
		{name: "required two of three approved", policy: required(2, "ana", "bo", "cy"),
			decisions: []approval.Decision{dec("bo", approval.Approve, "", 1, 1), dec("cy", approval.Approve, "", 1, 2)},
			want:      approval.Approved, publishable: true},
		{name: "outsider ignored", policy: required(1, "ana"),
			decisions: []approval.Decision{dec("mallory", approval.Approve, "", 1, 1)}, want: approval.Pending, awaiting: []string{"ana"}, ignored: 1},
		{name: "self approval ignored", policy: required(1, "ana", "eve"),
			decisions: []approval.Decision{dec("eve", approval.Approve, "", 1, 1)}, want: approval.Pending, awaiting: []string{"ana"}, ignored: 1},
		{name: "self approval allowed", policy: func() approval.Policy { p := required(1, "eve"); p.AllowSelfApproval = true; return p }(),
			decisions: []approval.Decision{dec("eve", approval.Approve, "", 1, 1)}, want: approval.Approved, publishable: true},
		{name: "changes requested", policy: required(1, "ana", "bo"),
			decisions: []approval.Decision{dec("ana", approval.RequestChanges, "", 1, 1)}, want: approval.ChangesRequested},
		{name: "changes request blocks other approvals", policy: required(1, "ana", "bo"),
			decisions: []approval.Decision{dec("ana", approval.RequestChanges, "", 1, 1), dec("bo", approval.Approve, "", 1, 2)},
			want:      approval.ChangesRequested},
		{name: "approval replaces own change request", policy: required(1, "ana", "bo"),
			decisions: []approval.Decision{dec("ana", approval.RequestChanges, "", 1, 1), dec("ana", approval.Approve, "", 1, 2)},
			want:      approval.Approved, publishable: true},
		{name: "rejected is final", policy: required(2, "ana", "bo"),
			decisions: []approval.Decision{dec("ana", approval.Reject, "", 1, 1), dec("ana", approval.Approve, "", 1, 2), dec("bo", approval.Approve, "", 1, 3)},
			want:      approval.Rejected, ignored: 2},
		{name: "decision after approval ignored", policy: required(1, "ana", "bo"),
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 1), dec("bo", approval.Reject, "", 1, 2)},
			want:      approval.Approved, publishable: true, ignored: 1},
		{name: "new version resets approvals", policy: required(1, "ana"), subject: subj(2),
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 1)}, want: approval.Pending, awaiting: []string{"ana"}, ignored: 1},
		{name: "minor edit keeps approvals when allowed",
			policy:    func() approval.Policy { p := required(1, "ana"); p.KeepOnMinorEdit = true; return p }(),
			subject:   approval.Subject{ID: "p", Version: 3, Author: "eve", SubmittedAt: t0, MinorSince: 2},
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 2, 1)}, want: approval.Approved, publishable: true},
		{name: "minor edit resets when policy does not allow",
			policy:    required(1, "ana"),
			subject:   approval.Subject{ID: "p", Version: 3, Author: "eve", SubmittedAt: t0, MinorSince: 2},
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 2, 1)}, want: approval.Pending, awaiting: []string{"ana"}, ignored: 1},
		{name: "minor edit drops change requests",
			policy:    func() approval.Policy { p := required(1, "ana"); p.KeepOnMinorEdit = true; return p }(),
			subject:   approval.Subject{ID: "p", Version: 3, Author: "eve", SubmittedAt: t0, MinorSince: 2},
			decisions: []approval.Decision{dec("ana", approval.RequestChanges, "", 2, 1)}, want: approval.Pending, awaiting: []string{"ana"}, ignored: 1},
		{name: "decision before submission ignored", policy: required(1, "ana"),
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, -1)}, want: approval.Pending, awaiting: []string{"ana"}, ignored: 1},
		{name: "decision after now ignored", policy: required(1, "ana"), now: at(1),
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 2)}, want: approval.Pending, awaiting: []string{"ana"}, ignored: 1},
		{name: "multi-level first stage open", policy: three, want: approval.Pending, stage: "editor", awaiting: []string{"ana", "bo"}},
		{name: "multi-level second stage needs all of group", policy: three,
			decisions: allThree[:2], want: approval.Pending, stage: "legal", awaiting: []string{"leo"}},
		{name: "multi-level approved", policy: three, decisions: allThree, want: approval.Approved, publishable: true},
		{name: "multi-level decisions out of order replay by time", policy: three,
			decisions: []approval.Decision{allThree[4], allThree[2], allThree[0], allThree[3], allThree[1]}, want: approval.Approved, publishable: true},
		{name: "multi-level early decision for later stage ignored", policy: three,
			decisions: []approval.Decision{dec("lea", approval.Approve, "legal", 1, 1), dec("ana", approval.Approve, "editor", 1, 2)},
			want:      approval.Pending, stage: "legal", awaiting: []string{"lea", "leo"}, ignored: 1},
		{name: "skip role approves every stage", policy: three,
			decisions: []approval.Decision{{Approver: "olga", Role: "owner", Verdict: approval.Approve, Stage: "editor", Version: 1, At: at(1)}},
			want:      approval.Approved, publishable: true},
		{name: "role not in skip roles is an outsider", policy: three,
			decisions: []approval.Decision{{Approver: "olga", Role: "manager", Verdict: approval.Approve, Stage: "editor", Version: 1, At: at(1)}},
			want:      approval.Pending, stage: "editor", awaiting: []string{"ana", "bo"}, ignored: 1},
		{name: "block deadline keeps pending and overdue", now: at(30),
			policy: withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour)}),
			want:   approval.Pending, awaiting: []string{"ana"}},
		{name: "late decision counts under block", now: at(30),
			policy:    withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour)}),
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 29)}, want: approval.Approved, publishable: true},
		{name: "miss slot expires", now: at(30),
			policy: withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour), OnExpiry: approval.MissSlot}),
			want:   approval.Expired, stage: ""},
		{name: "decision at due time is in time", now: at(30),
			policy:    withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour), OnExpiry: approval.MissSlot}),
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 24)}, want: approval.Approved, publishable: true},
		{name: "decision after miss slot ignored", now: at(30),
			policy:    withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour), OnExpiry: approval.MissSlot}),
			decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 25)}, want: approval.Expired, ignored: 1},
		{name: "auto approve passes the stage", now: at(30),
			policy: withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour), OnExpiry: approval.AutoApprove}),
			want:   approval.Approved, publishable: true},
		{name: "auto approve waits for a standing change request", now: at(30),
			policy:    withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour), OnExpiry: approval.AutoApprove}),
			decisions: []approval.Decision{dec("ana", approval.RequestChanges, "", 1, 1)}, want: approval.ChangesRequested},
		{name: "escalation target counts after due", now: at(30),
			policy: withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour), OnExpiry: approval.Escalate,
				EscalateTo: approval.Approvers{Members: []string{"boss"}}}),
			decisions: []approval.Decision{dec("boss", approval.Approve, "", 1, 25)}, want: approval.Approved, publishable: true},
		{name: "escalation target refused before due", now: at(30),
			policy: withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(24 * time.Hour), OnExpiry: approval.Escalate,
				EscalateTo: approval.Approvers{Members: []string{"boss"}}}),
			decisions: []approval.Decision{dec("boss", approval.Approve, "", 1, 2)}, want: approval.Pending, awaiting: []string{"ana", "boss"}, ignored: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.subject
			if s.ID == "" {
				s = subj(1)
			}
			now := tt.now
			if now.IsZero() {
				now = at(100)
			}
			res, err := approval.Evaluate(tt.policy, s, tt.decisions, now)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Outcome, res.Reason)
			assert.Equal(t, tt.publishable, res.Publishable)
			assert.NotEmpty(t, res.Reason)
			if tt.stage != "" {
				assert.Equal(t, tt.stage, res.Stage)
			}
			assert.Equal(t, tt.awaiting, res.Awaiting)
			assert.Len(t, res.Ignored, tt.ignored)
			for _, ig := range res.Ignored {
				assert.Error(t, ig.Err)
			}
			assert.Equal(t, s.Version, res.Version)
		})
	}
}

func TestEvaluateDeadlineDetails(t *testing.T) {
	p := withDeadline(threeStage(), 1, approval.Deadline{
		Within:     approval.Duration(48 * time.Hour),
		Reminders:  []int{90, 50},
		OnExpiry:   approval.Escalate,
		EscalateTo: approval.Approvers{Members: []string{"gc"}},
	})
	ds := []approval.Decision{dec("ana", approval.Approve, "editor", 1, 2)}

	res, err := approval.Evaluate(p, subj(1), ds, at(10))
	require.NoError(t, err)
	assert.Equal(t, "legal", res.Stage)
	assert.Equal(t, 1, res.StageIndex)
	assert.Equal(t, at(50), res.Due)
	assert.False(t, res.Overdue)
	assert.False(t, res.Escalated)
	assert.Equal(t, []time.Time{at(26), at(45).Add(12 * time.Minute)}, res.Schedule.Reminders)
	assert.Equal(t, at(50), res.Schedule.EscalateAt)
	assert.Equal(t, []string{"gc"}, res.Schedule.EscalateTo)
	assert.Equal(t, at(2), res.Stages[1].Opened)
	assert.Equal(t, at(2), res.Stages[0].Satisfied)
	assert.Equal(t, approval.ViaQuorum, res.Stages[0].Via)

	res, err = approval.Evaluate(p, subj(1), ds, at(51))
	require.NoError(t, err)
	assert.True(t, res.Overdue)
	assert.True(t, res.Escalated)
	assert.Equal(t, []string{"gc", "lea", "leo"}, res.Awaiting)

	// The backup stands in for one missing legal approver.
	ds = append(ds, dec("lea", approval.Approve, "legal", 1, 51), dec("gc", approval.Approve, "legal", 1, 52))
	res, err = approval.Evaluate(p, subj(1), ds, at(53))
	require.NoError(t, err)
	assert.Equal(t, "client", res.Stage)
	assert.Equal(t, at(52), res.Stages[2].Opened)
}

func TestEvaluateAutoApproveChainsStages(t *testing.T) {
	p := threeStage()
	for i := range p.Stages {
		p = withDeadline(p, i, approval.Deadline{Within: approval.Duration(time.Hour), OnExpiry: approval.AutoApprove})
	}
	res, err := approval.Evaluate(p, subj(1), nil, at(2).Add(30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, approval.Pending, res.Outcome)
	assert.Equal(t, "client", res.Stage)
	assert.Equal(t, at(2), res.Stages[2].Opened)

	res, err = approval.Evaluate(p, subj(1), nil, at(4))
	require.NoError(t, err)
	assert.Equal(t, approval.Approved, res.Outcome)
	assert.Equal(t, at(3), res.ClosedAt)
	for _, st := range res.Stages {
		assert.Equal(t, approval.ViaAutoApprove, st.Via)
	}
}

func TestEvaluateRecordNamesApprovedVersion(t *testing.T) {
	p := required(2, "ana", "bo")
	p.KeepOnMinorEdit = true
	s := approval.Subject{ID: "p", Version: 4, Author: "eve", SubmittedAt: t0, MinorSince: 3}
	res, err := approval.Evaluate(p, s, []approval.Decision{
		dec("ana", approval.Approve, "", 3, 1),
		dec("bo", approval.Approve, "", 4, 2),
	}, at(3))
	require.NoError(t, err)
	require.Equal(t, approval.Approved, res.Outcome)
	require.Len(t, res.Stages[0].Approvals, 2)
	assert.Equal(t, 3, res.Stages[0].Approvals[0].Version)
	assert.Equal(t, 4, res.Stages[0].Approvals[1].Version)
	assert.Equal(t, 4, res.Version)
}

func TestEvaluateErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		policy  approval.Policy
		subject approval.Subject
		wantErr error
		target  any
	}{
		{name: "invalid policy", policy: approval.Policy{Kind: "sometimes"}, subject: subj(1), wantErr: socialflow.ErrInvalid, target: new(*approval.PolicyError)},
		{name: "missing submission time", policy: required(1, "ana"), subject: approval.Subject{ID: "p", Version: 1}, wantErr: socialflow.ErrInvalid, target: new(*approval.PolicyError)},
		{name: "minor since after version", policy: required(1, "ana"), subject: approval.Subject{ID: "p", Version: 1, MinorSince: 2, SubmittedAt: t0}, wantErr: socialflow.ErrInvalid, target: new(*approval.PolicyError)},
		{name: "author is the only approver", policy: required(1, "eve"), subject: subj(1), wantErr: socialflow.ErrInvalid, target: new(*approval.QuorumError)},
		{name: "author needed for quorum", policy: required(2, "ana", "eve"), subject: subj(1), wantErr: socialflow.ErrInvalid, target: new(*approval.QuorumError)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := approval.Evaluate(tt.policy, tt.subject, nil, at(1))
			require.ErrorIs(t, err, tt.wantErr)
			require.ErrorAs(t, err, tt.target)
			require.ErrorIs(t, approval.Check(tt.policy, tt.subject, nil, dec("ana", approval.Approve, "", 1, 0), at(1)), tt.wantErr)
		})
	}
}

func TestCheck(t *testing.T) {
	three := threeStage()
	base := []approval.Decision{dec("ana", approval.Approve, "editor", 1, 1)}
	missSlot := withDeadline(required(1, "ana"), 0, approval.Deadline{Within: approval.Duration(time.Hour), OnExpiry: approval.MissSlot})
	for _, tt := range []struct {
		name      string
		policy    approval.Policy
		decisions []approval.Decision
		d         approval.Decision
		wantErr   error
		target    any
	}{
		{name: "accepted", policy: three, decisions: base, d: dec("lea", approval.Approve, "legal", 1, 2)},
		{name: "replacing own decision accepted", policy: three, decisions: base[:0], d: dec("ana", approval.RequestChanges, "editor", 1, 2)},
		{name: "outsider", policy: three, decisions: base, d: dec("ana", approval.Approve, "legal", 1, 2),
			wantErr: socialflow.ErrForbidden, target: new(*approval.NotApproverError)},
		{name: "self approval", policy: three, d: dec("eve", approval.Approve, "editor", 1, 2),
			wantErr: socialflow.ErrForbidden, target: new(*approval.SelfApprovalError)},
		{name: "old version", policy: three, d: dec("ana", approval.Approve, "editor", 0, 2),
			wantErr: socialflow.ErrConflict, target: new(*approval.VersionError)},
		{name: "closed stage", policy: three, decisions: base, d: dec("bo", approval.Approve, "editor", 1, 2),
			wantErr: socialflow.ErrConflict, target: new(*approval.StageError)},
		{name: "stage not open yet", policy: three, d: dec("cli", approval.Approve, "client", 1, 2),
			wantErr: socialflow.ErrConflict, target: new(*approval.StageError)},
		{name: "request closed after approval", policy: required(1, "ana", "bo"), decisions: []approval.Decision{dec("ana", approval.Approve, "", 1, 1)},
			d: dec("bo", approval.Approve, "", 1, 2), wantErr: socialflow.ErrConflict, target: new(*approval.ClosedError)},
		{name: "request closed after expiry", policy: missSlot, d: dec("ana", approval.Approve, "", 1, 2),
			wantErr: socialflow.ErrConflict, target: new(*approval.ClosedError)},
		{name: "not required", policy: approval.Policy{}, d: dec("ana", approval.Approve, "", 1, 2),
			wantErr: socialflow.ErrConflict, target: new(*approval.ClosedError)},
		{name: "before submission", policy: three, d: dec("ana", approval.Approve, "editor", 1, -2),
			wantErr: socialflow.ErrConflict, target: new(*approval.ClosedError)},
		{name: "change request needs comment", policy: three,
			d:       approval.Decision{Approver: "ana", Verdict: approval.RequestChanges, Stage: "editor", Version: 1, At: at(2)},
			wantErr: socialflow.ErrInvalid, target: new(*approval.DecisionError)},
		{name: "unknown verdict", policy: three, d: approval.Decision{Approver: "ana", Verdict: "maybe", Stage: "editor", Version: 1, At: at(2)},
			wantErr: socialflow.ErrInvalid, target: new(*approval.DecisionError)},
		{name: "no approver", policy: three, d: approval.Decision{Verdict: approval.Approve, Stage: "editor", Version: 1, At: at(2)},
			wantErr: socialflow.ErrInvalid, target: new(*approval.DecisionError)},
		{name: "no time", policy: three, d: approval.Decision{Approver: "ana", Verdict: approval.Approve, Stage: "editor", Version: 1},
			wantErr: socialflow.ErrInvalid, target: new(*approval.DecisionError)},
		{name: "in the future", policy: three, d: dec("ana", approval.Approve, "editor", 1, 50),
			wantErr: socialflow.ErrInvalid, target: new(*approval.DecisionError)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := approval.Check(tt.policy, subj(1), tt.decisions, tt.d, at(10))
			if tt.wantErr == nil {
				require.NoError(t, err)
				res, err := approval.Evaluate(tt.policy, subj(1), append(slices.Clone(tt.decisions), tt.d), at(10))
				require.NoError(t, err)
				assert.Empty(t, res.Ignored)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			require.ErrorAs(t, err, tt.target)
		})
	}
}

func TestCheckNamesStageAndApprover(t *testing.T) {
	err := approval.Check(threeStage(), subj(1), nil, dec("zed", approval.Approve, "editor", 1, 1), at(2))
	var na *approval.NotApproverError
	require.ErrorAs(t, err, &na)
	assert.Equal(t, "zed", na.Approver)
	assert.Equal(t, "editor", na.Stage)

	err = approval.Check(threeStage(), subj(2), nil, dec("ana", approval.Approve, "editor", 1, 1), at(2))
	var ve *approval.VersionError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 1, ve.Got)
	assert.Equal(t, 2, ve.Current)
}

func TestEvaluateDoesNotModifyInputs(t *testing.T) {
	p := threeStage()
	ds := []approval.Decision{dec("lea", approval.Approve, "legal", 1, 3), dec("ana", approval.Approve, "editor", 1, 1)}
	before := append([]approval.Decision(nil), ds...)
	_, err := approval.Evaluate(p, subj(1), ds, at(5))
	require.NoError(t, err)
	assert.Equal(t, before, ds)
	assert.Equal(t, threeStage(), p)
}

func TestEvaluateBusinessHoursDeadline(t *testing.T) {
	oslo := zone(t, "Europe/Oslo")
	p := withDeadline(required(1, "ana"), 0, approval.Deadline{
		Within:        approval.Duration(8 * time.Hour),
		BusinessHours: &approval.BusinessHours{Zone: "Europe/Oslo"},
		OnExpiry:      approval.MissSlot,
	})
	s := subj(1)
	s.SubmittedAt = time.Date(2026, 3, 27, 16, 0, 0, 0, oslo) // Friday 16:00, before the DST weekend
	res, err := approval.Evaluate(p, s, nil, s.SubmittedAt.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, time.Date(2026, 3, 30, 16, 0, 0, 0, oslo).Equal(res.Due), "due %s", res.Due)

	res, err = approval.Evaluate(p, s, nil, time.Date(2026, 3, 30, 16, 1, 0, 0, oslo))
	require.NoError(t, err)
	assert.Equal(t, approval.Expired, res.Outcome)
	assert.False(t, res.Publishable)
}
