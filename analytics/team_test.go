package analytics_test

import (
	"testing"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTeam(t *testing.T) {
	at := func(h, m int) time.Time { return utc(2026, 5, 4, h, m) }
	ev := func(hh, mm int, actor string, a analytics.Action, subject string) analytics.Event {
		return analytics.Event{At: at(hh, mm), Actor: actor, Action: a, Subject: subject}
	}
	due := func(e analytics.Event, h, m int) analytics.Event { e.Due = at(h, m); return e }
	cause := func(e analytics.Event, c string) analytics.Event { e.Cause = c; return e }
	events := []analytics.Event{
		// Given out of order: Team sorts them.
		ev(11, 0, "bo", analytics.Approved, "p1"), // 1 h in review, on time
		ev(9, 0, "ana", analytics.Drafted, "p1"),
		due(ev(10, 0, "ana", analytics.Submitted, "p1"), 12, 0),
		ev(9, 30, "ana", analytics.Drafted, "p2"),
		due(ev(10, 0, "ana", analytics.Submitted, "p2"), 11, 0),
		ev(13, 0, "bo", analytics.ChangesRequested, "p2"), // 3 h, late: breach
		due(ev(14, 0, "ana", analytics.Submitted, "p2"), 15, 0),
		ev(14, 30, "bo", analytics.Approved, "p2"), // 30 min
		due(ev(9, 0, "cy", analytics.Submitted, "p3"), 10, 0),
		ev(10, 0, "system", analytics.DeadlineMissed, "p3"),
		ev(16, 0, "bo", analytics.Rejected, "p3"),              // 7 h, one breach only
		due(ev(15, 0, "cy", analytics.Submitted, "p4"), 16, 0), // open and overdue at 18:00: breach
		due(ev(11, 30, "ana", analytics.Scheduled, "p1"), 12, 0),
		due(ev(12, 5, "ana", analytics.Published, "p1"), 12, 0),  // 5 min late: on time
		due(ev(15, 40, "ana", analytics.Published, "p2"), 15, 0), // 40 min late
		ev(17, 0, "cy", analytics.Published, "p5"),               // no slot
		cause(ev(12, 0, "bot", analytics.PublishFailed, "p6"), "rate_limited"),
		cause(ev(12, 1, "bot", analytics.PublishFailed, "p6"), "rate_limited"),
		cause(ev(12, 2, "bot", analytics.PublishFailed, "p7"), "media_rejected"),
		ev(12, 3, "bot", analytics.PublishFailed, "p8"),
	}
	rep, err := analytics.Team(events, analytics.TeamOptions{Now: at(18, 0)})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Reviews)
	assert.Equal(t, analytics.Duration{D: 2 * time.Hour, OK: true}, rep.TimeInReviewMedian) // (1 h + 3 h) / 2
	assert.Equal(t, analytics.Duration{D: 7 * time.Hour, OK: true}, rep.TimeInReviewP90)
	assert.Equal(t, 1, rep.OpenReviews)
	assert.Equal(t, 3, rep.DeadlineBreaches)
	assert.Equal(t, 4, rep.Decisions)
	assert.InDelta(t, 0.25, rep.ChangesRequestedRate.V, 1e-12)
	assert.Equal(t, 3, rep.Published)
	assert.Equal(t, 2, rep.PublishedWithSlot)
	assert.Equal(t, 1, rep.OnTime)
	assert.InDelta(t, 0.5, rep.OnTimeRate.V, 1e-12)
	assert.Equal(t, []analytics.CauseCount{{"rate_limited", 2}, {"media_rejected", 1}, {"unknown", 1}}, rep.Failures)
	require.Len(t, rep.Members, 5)
	assert.Equal(t, analytics.Contribution{Member: "ana", Drafted: 2, Submitted: 3, Scheduled: 1, Published: 2}, rep.Members[0])
	assert.Equal(t, analytics.Contribution{Member: "bo", Approved: 2, ChangesRequested: 1, Rejected: 1}, rep.Members[1])
}

func TestTeamEdgeCases(t *testing.T) {
	rep, err := analytics.Team(nil, analytics.TeamOptions{Now: utc(2026, 5, 4, 0, 0)})
	require.NoError(t, err)
	assert.False(t, rep.TimeInReviewMedian.OK)
	assert.False(t, rep.ChangesRequestedRate.OK)
	assert.False(t, rep.OnTimeRate.OK)

	_, err = analytics.Team(nil, analytics.TeamOptions{})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	good := analytics.Event{At: utc(2026, 5, 4, 0, 0), Actor: "a", Action: analytics.Drafted, Subject: "p"}
	for name, mutate := range map[string]func(*analytics.Event){
		"no time":        func(e *analytics.Event) { e.At = time.Time{} },
		"no actor":       func(e *analytics.Event) { e.Actor = "" },
		"no subject":     func(e *analytics.Event) { e.Subject = "" },
		"unknown action": func(e *analytics.Event) { e.Action = 42 },
	} {
		t.Run(name, func(t *testing.T) {
			bad := good
			mutate(&bad)
			_, err := analytics.Team([]analytics.Event{good, bad}, analytics.TeamOptions{Now: good.At})
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var fe *analytics.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Contains(t, fe.Field, "events[1].")
		})
	}
}
