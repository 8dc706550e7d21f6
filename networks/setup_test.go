package networks_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

// An unknown network says how to fix it: which function registers a spec
// (and, for the fake, which spec).
func TestRegistryUnknownNetworkSaysHowToFixIt(t *testing.T) {
	cases := []struct {
		network string
		want    []string
	}{
		{"fakenet", []string{`"fakenet"`, "SetSpec", "Register", "fakenet.DefaultSpec()"}},
		{"othernet", []string{`"othernet"`, "SetSpec", "Register"}},
	}
	for _, c := range cases {
		t.Run(c.network, func(t *testing.T) {
			r, err := networks.NewRegistry()
			require.NoError(t, err)
			_, err = r.Spec(c.network)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var fe *networks.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "network", fe.Field)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// upstreamError stands for a network's own error (a 502 page).
type upstreamError struct{ status int }

func (e *upstreamError) Error() string { return "upstream HTTP " + strconv.Itoa(e.status) }

// lostAdapter loses the response of every publish with cause, and its
// Finder finds nothing.
type lostAdapter struct {
	networks.Adapter
	cause error
}

func (a lostAdapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return networks.Receipt{}, &networks.OutcomeUnknownError{Network: fakenet.Network, Op: networks.OpPublish, AccountID: acct.ID, Marker: d.Marker, Err: a.cause}
}

func (a lostAdapter) FindByMarker(context.Context, networks.Account, string) (networks.Receipt, bool, error) {
	return networks.Receipt{}, false, nil
}

// When a lost response is reconciled and the post is not found, the error
// still carries (and names) the original cause.
func TestPublisherNotFoundAfterUnknownOutcomeKeepsTheCause(t *testing.T) {
	cases := []struct {
		name  string
		cause error
		is    error
	}{
		{"502", &upstreamError{502}, nil},
		{"timeout", context.DeadlineExceeded, context.DeadlineExceeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{})
				p := newPublisher(t, lostAdapter{Adapter: fake.Adapter(), cause: c.cause}, networks.WithMaxAttempts(1))
				_, err := p.Publish(t.Context(), fake.Account(), hello)
				require.ErrorIs(t, err, socialflow.ErrTransient, "not found: nothing was posted, safe to retry")
				assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown)
				assert.Contains(t, err.Error(), "not found by its marker")
				assert.Contains(t, err.Error(), c.cause.Error(), "the message names the original cause")
				if c.is != nil {
					assert.ErrorIs(t, err, c.is)
				}
				var ue *upstreamError
				if errors.As(c.cause, &ue) {
					require.ErrorAs(t, err, &ue, "the original cause is reachable")
					assert.Equal(t, 502, ue.status)
				}
			})
		})
	}
}
