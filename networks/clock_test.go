package networks_test

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

// TestPublisherReadsQuotasAgainstItsClock: a quota reset the network reports
// on its own clock (here five years ahead of the process's) blocks exactly
// until that clock reaches it, not until the process's time does.
func TestPublisherReadsQuotasAgainstItsClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ahead := networks.ClockFunc(func() time.Time { return time.Now().AddDate(5, 0, 0) })
		fake := fakenet.New(fakenet.Options{AllowDuplicateContent: true})
		p, err := networks.NewPublisher(fake.Adapter(), networks.WithClock(ahead))
		require.NoError(t, err)
		for _, scope := range []networks.Scope{networks.ScopeApp, networks.ScopeAccount} {
			p.LearnQuotas(fake.Account().ID, []networks.Quota{{Scope: scope, Remaining: 0, Reset: ahead.Now().Add(10 * time.Minute)}})
			start := time.Now()
			_, err = p.Publish(t.Context(), fake.Account(), networks.Draft{Text: "hello " + string(scope)})
			require.NoError(t, err)
			assert.Equal(t, 10*time.Minute, time.Since(start), "scope %s", scope)
		}
	})
}

func TestWithClockRefusesNil(t *testing.T) {
	_, err := networks.NewPublisher(fakenet.New(fakenet.Options{}).Adapter(), networks.WithClock(nil))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	var fe *networks.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "option.clock", fe.Field)
}
