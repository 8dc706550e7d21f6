package workflow_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
)

func deadlineEnv(t *testing.T, onExpiry string) (*workflow.Service, *workflow.Inbox, *fakeClock) {
	t.Helper()
	tm := fixture(t)
	cfg := fmt.Sprintf(`{"policies": {"p": {"name": "p", "kind": "required", "stages": [{
		"approvers": {"members": ["approver"]},
		"deadline": {"within": "24h", "reminders": [50, 90], "on_expiry": %q %s}}]}}, "default": "p"}`,
		onExpiry, map[bool]string{true: `, "escalate_to": {"members": ["manager"]}`}[onExpiry == "escalate"])
	router, err := approval.ParseRouter([]byte(cfg))
	require.NoError(t, err)
	inbox := &workflow.Inbox{}
	clock := &fakeClock{t: t0}
	svc, err := workflow.NewService(tm, memstore.New(), workflow.WithRouter(router), workflow.WithNotifier(inbox), workflow.WithClock(clock))
	require.NoError(t, err)
	p, err := svc.CreatePost(t.Context(), "creator", workflow.NewPost{Workspace: "brand", Channels: []string{"ig"}, Content: workflow.Content{Text: "x"}})
	require.NoError(t, err)
	_, err = svc.Submit(t.Context(), "creator", p.ID)
	require.NoError(t, err)
	return svc, inbox, clock
}

func TestDeadlinesRemindOnceAndAnnounceTheMiss(t *testing.T) {
	svc, inbox, clock := deadlineEnv(t, "escalate")
	ctx := t.Context()
	steps := []struct {
		after               time.Duration
		reminded, missed    int
		reminders, breaches int // cumulative notices
	}{
		{after: 11 * time.Hour},
		{after: 12 * time.Hour, reminded: 1, reminders: 1}, // 50 %
		{after: 13 * time.Hour, reminders: 1},              // nothing new
		{after: 22 * time.Hour, reminded: 1, reminders: 2}, // 90 %
		{after: 25 * time.Hour, missed: 1, reminders: 2, breaches: 1},
		{after: 30 * time.Hour, reminders: 2, breaches: 1}, // announced once
	}
	for _, st := range steps {
		clock.t = t0.Add(st.after)
		r, err := svc.CheckDeadlines(ctx, clock.t)
		require.NoError(t, err)
		assert.Equal(t, st.reminded, r.Reminded, "at +%v", st.after)
		assert.Equal(t, st.missed, r.Missed, "at +%v", st.after)
		assert.Len(t, inbox.Notices(workflow.NoticeReminderDue), st.reminders, "at +%v", st.after)
		assert.Len(t, inbox.Notices(workflow.NoticeDeadlineMissed), st.breaches, "at +%v", st.after)
	}
	missed := inbox.Notices(workflow.NoticeDeadlineMissed)[0]
	assert.ElementsMatch(t, []string{"approver", "creator", "manager"}, missed.To, "escalation reaches the backup approver")

	trail, err := svc.AuditTrail(ctx, "boss", "brand", 0)
	require.NoError(t, err)
	rep, err := analytics.Team(workflow.TeamEvents(trail), analytics.TeamOptions{Now: clock.t})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.DeadlineBreaches)

	// The escalated backup approver may now decide.
	posts, err := svc.Posts(ctx, "boss", "brand")
	require.NoError(t, err)
	p, err := svc.Decide(ctx, "manager", workflow.DecideRequest{Post: posts[0].ID, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Equal(t, workflow.StateApproved, p.State)
}

func TestDeadlineActions(t *testing.T) {
	for _, tt := range []struct {
		onExpiry string
		want     workflow.State
	}{
		{"block", workflow.StateInReview},
		{"auto_approve", workflow.StateApproved},
		{"miss_slot", workflow.StateRejected},
	} {
		t.Run(tt.onExpiry, func(t *testing.T) {
			svc, _, clock := deadlineEnv(t, tt.onExpiry)
			clock.t = t0.Add(25 * time.Hour)
			_, err := svc.CheckDeadlines(t.Context(), clock.t)
			require.NoError(t, err)
			posts, err := svc.Posts(t.Context(), "boss", "brand")
			require.NoError(t, err)
			assert.Equal(t, tt.want, posts[0].State)
		})
	}
}
