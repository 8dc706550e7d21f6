package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

func TestClassifyPublish(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	unknown := &networks.OutcomeUnknownError{Network: "x", Op: networks.OpPublish, Marker: "m", Err: context.DeadlineExceeded}
	limited := &networks.RateLimitError{Network: "x", Op: networks.OpPublish, RetryAfter: 10 * time.Minute}
	reset := &networks.RateLimitError{Network: "x", Op: networks.OpPublish, Reset: now.Add(time.Hour)}
	transient := &networks.TransientError{Network: "x", Op: networks.OpPublish, Status: 503}
	for _, tt := range []struct {
		name string
		rec  networks.Receipt
		err  error
		want workflow.PublishDecision
	}{
		{"published", networks.Receipt{Status: networks.StatusPublished}, nil, workflow.PublishDecision{Verdict: workflow.VerdictPublished}},
		{"no status is published", networks.Receipt{}, nil, workflow.PublishDecision{Verdict: workflow.VerdictPublished}},
		{"pending", networks.Receipt{Status: networks.StatusPending}, nil, workflow.PublishDecision{Verdict: workflow.VerdictAwaiting}},
		{"manual", networks.Receipt{Status: networks.StatusManual}, nil, workflow.PublishDecision{Verdict: workflow.VerdictManual}},
		{"outcome unknown", networks.Receipt{}, unknown, workflow.PublishDecision{Verdict: workflow.VerdictReconcile}},
		{"outcome unknown beats the context error it wraps", networks.Receipt{}, fmt.Errorf("stop: %w", errors.Join(context.Canceled, unknown)),
			workflow.PublishDecision{Verdict: workflow.VerdictReconcile}},
		{"outcome unknown and nobody can look it up", networks.Receipt{}, &networks.OutcomeUnknownError{Network: "x", Err: errors.Join(context.DeadlineExceeded, networks.ErrNoFinder)},
			workflow.PublishDecision{Verdict: workflow.VerdictPark}},
		{"rate limited with retry-after", networks.Receipt{}, limited, workflow.PublishDecision{Verdict: workflow.VerdictRetry, RetryAt: now.Add(10 * time.Minute)}},
		{"rate limited with reset", networks.Receipt{}, reset, workflow.PublishDecision{Verdict: workflow.VerdictRetry, RetryAt: now.Add(time.Hour)}},
		{"rate limited without a hint", networks.Receipt{}, &networks.RateLimitError{Network: "x"}, workflow.PublishDecision{Verdict: workflow.VerdictRetry}},
		{"rate-limit wait cut by the deadline", networks.Receipt{}, errors.Join(context.DeadlineExceeded, limited),
			workflow.PublishDecision{Verdict: workflow.VerdictRetry, RetryAt: now.Add(10 * time.Minute)}},
		{"transient", networks.Receipt{}, transient, workflow.PublishDecision{Verdict: workflow.VerdictRetry}},
		{"transient wait cut by cancellation", networks.Receipt{}, errors.Join(context.Canceled, transient), workflow.PublishDecision{Verdict: workflow.VerdictRetry}},
		{"bare deadline: nothing was sent", networks.Receipt{}, context.DeadlineExceeded, workflow.PublishDecision{Verdict: workflow.VerdictNotSent}},
		{"wrapped cancellation: nothing was sent", networks.Receipt{}, fmt.Errorf("publish: %w", context.Canceled), workflow.PublishDecision{Verdict: workflow.VerdictNotSent}},
		{"duplicate", networks.Receipt{}, &networks.DuplicateError{Network: "x"}, workflow.PublishDecision{Verdict: workflow.VerdictDuplicate}},
		{"auth expired", networks.Receipt{}, &networks.AuthExpiredError{Network: "x"}, workflow.PublishDecision{Verdict: workflow.VerdictReconnect}},
		{"reauth required", networks.Receipt{}, &networks.ReauthRequiredError{Network: "x"}, workflow.PublishDecision{Verdict: workflow.VerdictReconnect}},
		{"rejected", networks.Receipt{}, &networks.RejectedError{Network: "x", Reason: "policy"}, workflow.PublishDecision{Verdict: workflow.VerdictFail}},
		{"rejected though the context also ended", networks.Receipt{}, errors.Join(context.Canceled, &networks.RejectedError{Network: "x"}),
			workflow.PublishDecision{Verdict: workflow.VerdictFail}},
		{"invalid draft", networks.Receipt{}, &networks.FieldError{Field: "account.credentials", Reason: "none"}, workflow.PublishDecision{Verdict: workflow.VerdictFail}},
		{"unclassified", networks.Receipt{}, errors.New("boom"), workflow.PublishDecision{Verdict: workflow.VerdictFail}},
		{"an error wins over a receipt", networks.Receipt{Status: networks.StatusPublished}, transient, workflow.PublishDecision{Verdict: workflow.VerdictRetry}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, workflow.ClassifyPublish(tt.rec, tt.err, now))
		})
	}
}

// TestDispatcherNeverParksATargetSilently drives a target through faults
// until it is published or nothing more is due: a target that is not
// published always has a next try or a notice to a person.
func TestDispatcherNeverParksATargetSilently(t *testing.T) {
	for _, tt := range []struct {
		name      string
		faults    []fakenet.Fault
		finder    bool
		first     workflow.TargetState // after the first step
		notBefore time.Duration        // the first retry is not before this
		final     workflow.TargetState
		notice    workflow.NoticeKind
	}{
		{"retry-after longer than the lease", fakenet.RateLimited(5 * time.Minute).On(networks.OpPublish).Times(1), true,
			workflow.TargetScheduled, 5 * time.Minute, workflow.TargetPublished, ""},
		{"retry-after longer than the lease, no finder", fakenet.RateLimited(5 * time.Minute).On(networks.OpPublish).Times(1), false,
			workflow.TargetScheduled, 5 * time.Minute, workflow.TargetPublished, ""},
		{"rate limited for good: fails past the lateness bound", fakenet.RateLimited(5 * time.Minute).On(networks.OpPublish).Times(50), false,
			workflow.TargetScheduled, 5 * time.Minute, workflow.TargetFailed, workflow.NoticePublishFailed},
		{"rate limited more often than attempts allow: quota waits are no attempts", fakenet.RateLimited(5 * time.Minute).On(networks.OpPublish).Times(9), false,
			workflow.TargetScheduled, 5 * time.Minute, workflow.TargetPublished, ""},
		{"lost response, no finder", []fakenet.Fault{fakenet.LostResponse().On(networks.OpPublish)}, false,
			workflow.TargetUnconfirmed, 0, workflow.TargetUnconfirmed, workflow.NoticeUnconfirmed},
		{"timeout past the lease, no finder", []fakenet.Fault{fakenet.Timeout(3 * time.Minute).On(networks.OpPublish)}, false,
			workflow.TargetUnconfirmed, 0, workflow.TargetUnconfirmed, workflow.NoticeUnconfirmed},
		{"timeout past the lease, with finder", []fakenet.Fault{fakenet.Timeout(3 * time.Minute).On(networks.OpPublish)}, true,
			workflow.TargetUnconfirmed, 0, workflow.TargetPublished, ""},
		{"lookups keep failing", append([]fakenet.Fault{fakenet.Timeout(3 * time.Minute).On(networks.OpPublish)},
			fakenet.ServerError().On(networks.OpFind).Times(200)...), true,
			workflow.TargetUnconfirmed, 0, workflow.TargetUnconfirmed, workflow.NoticeUnconfirmed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newDispatchEnv(t, fakenet.Options{})
				net := e.nets[fakenet.Network]
				net.Script(tt.faults...)
				c := e.connect(t)
				ad := net.Adapter()
				if !tt.finder {
					ad = net.AdapterWithoutFinder()
				}
				pub, err := networks.NewPublisher(ad, networks.WithMaxAttempts(2))
				require.NoError(t, err)
				c.SetPublisher(fakenet.Network, pub)
				d, err := workflow.NewDispatcher(e.svc, c, workflow.WithLeaseTTL(2*time.Minute), workflow.WithMaxLateness(time.Hour))
				require.NoError(t, err)
				start := time.Now()
				p := e.scheduled(t, "must go out", start)

				_, err = d.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
				tg := e.get(t, p.ID).Target("a")
				assert.Equal(t, tt.first, tg.State, "after the first step: %s", tg.Outcome.Cause)
				if tt.notBefore > 0 {
					next, ok := tg.NextAction()
					require.True(t, ok, "a retry is planned")
					assert.False(t, next.Before(start.Add(tt.notBefore)), "the retry %v honours the network's wait", next.Sub(start))
				}
				for range 30 {
					next, ok := e.get(t, p.ID).Target("a").NextAction()
					if !ok {
						break
					}
					time.Sleep(time.Until(next))
					_, err = d.RunOnce(t.Context(), time.Now())
					require.NoError(t, err)
				}
				tg = e.get(t, p.ID).Target("a")
				_, due := tg.NextAction()
				assert.False(t, due, "nothing more is due")
				assert.Equal(t, tt.final, tg.State, tg.Outcome.Cause)
				if tt.notice != "" {
					ns := e.inbox.Notices(tt.notice)
					require.Len(t, ns, 1, "one notice to a person")
					assert.Equal(t, p.ID, ns[0].Post)
					assert.Contains(t, ns[0].To, "boss")
				}
				assert.LessOrEqual(t, e.onNetwork("must go out"), 1)
			})
		})
	}
}

// TestDispatcherQuotaWaitsSpendNoAttempts: a target rate limited again and
// again is tried when the quota allows, without spending its attempts
// (WithMaxAttempts(2) would have failed it at the second refusal), and
// fails, naming the lateness, only when its next try would be later than
// WithMaxLateness after its slot. Transient failures still spend attempts.
func TestDispatcherQuotaWaitsSpendNoAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newDispatchEnv(t, fakenet.Options{})
		net := e.nets[fakenet.Network]
		net.Script(fakenet.RateLimited(10 * time.Minute).On(networks.OpPublish).Times(5)...)
		c := e.connect(t)
		pub, err := networks.NewPublisher(net.Adapter(), networks.WithMaxAttempts(1))
		require.NoError(t, err)
		c.SetPublisher(fakenet.Network, pub)
		d, err := workflow.NewDispatcher(e.svc, c, workflow.WithMaxAttempts(2), workflow.WithMaxLateness(time.Hour))
		require.NoError(t, err)
		start := time.Now()
		p := e.scheduled(t, "waits", start)
		for i := range 6 {
			r, err := d.RunOnce(t.Context(), time.Now())
			require.NoError(t, err)
			tg := e.get(t, p.ID).Target("a")
			if i < 5 {
				assert.Equal(t, 1, r.Rescheduled, "step %d", i)
				assert.Equal(t, workflow.TargetScheduled, tg.State)
				assert.Zero(t, tg.Outcome.Attempts, "a quota wait is no attempt")
				assert.Contains(t, tg.Outcome.Cause, "rate")
				next, ok := tg.NextAction()
				require.True(t, ok)
				assert.False(t, next.Before(time.Now().Add(10*time.Minute)), "not before the network's Retry-After")
				time.Sleep(time.Until(next))
				continue
			}
			assert.Equal(t, workflow.TargetPublished, tg.State, tg.Outcome.Cause)
			assert.Equal(t, 1, tg.Outcome.Attempts, "one attempt: the publish")
			assert.Equal(t, 1, e.onNetwork("waits"))
		}
		assert.Equal(t, 50*time.Minute, time.Since(start).Round(time.Minute), "it went out late, within the bound")

		// Past the bound: the next try would be more than an hour after
		// the slot, so the target fails, naming the bound and the slot.
		net.Script(fakenet.RateLimited(40 * time.Minute).On(networks.OpPublish).Times(5)...)
		late := e.scheduled(t, "too late", time.Now())
		_, err = d.RunOnce(t.Context(), time.Now())
		require.NoError(t, err)
		tg := e.get(t, late.ID).Target("a")
		require.Equal(t, workflow.TargetScheduled, tg.State, "40 minutes late is within the hour")
		time.Sleep(time.Until(tg.Outcome.NextTry))
		_, err = d.RunOnce(t.Context(), time.Now())
		require.NoError(t, err)
		tg = e.get(t, late.ID).Target("a")
		assert.Equal(t, workflow.TargetFailed, tg.State)
		assert.Zero(t, tg.Outcome.Attempts)
		assert.Contains(t, tg.Outcome.Cause, "still rate limited")
		assert.Contains(t, tg.Outcome.Cause, "1h0m0s after its slot")
		require.Len(t, e.inbox.Notices(workflow.NoticePublishFailed), 1)
		assert.Zero(t, e.onNetwork("too late"))
	})
}

func TestWithMaxLatenessMustBePositive(t *testing.T) {
	e := newDispatchEnv(t, fakenet.Options{})
	_, err := workflow.NewDispatcher(e.svc, e.connect(t), workflow.WithMaxLateness(0))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Contains(t, err.Error(), "max lateness")
}
