package main

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// The host tests its own product against fakenet: no internet, no sleeps,
// faults on demand.

func TestAnnouncePublishesEverywhere(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		nets := map[string]*fakenet.Net{fakenet.Network: fakenet.New(fakenet.Options{})}
		a, err := NewAnnouncer(nets)
		require.NoError(t, err)
		p, err := a.Announce(t.Context(), "v1.0 is out")
		require.NoError(t, err)
		assert.Equal(t, workflow.StatePublished, p.State)
		require.Len(t, nets[fakenet.Network].Posts(), 1)
	})
}

func TestAnnounceSurvivesARateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		net := fakenet.New(fakenet.Options{})
		net.Script(fakenet.RateLimited(30 * time.Second).On(networks.OpPublish))
		a, err := NewAnnouncer(map[string]*fakenet.Net{fakenet.Network: net})
		require.NoError(t, err)
		start := time.Now()
		p, err := a.Announce(t.Context(), "v1.1 is out")
		require.NoError(t, err)
		assert.Equal(t, workflow.StatePublished, p.State)
		assert.GreaterOrEqual(t, time.Since(start), 30*time.Second, "the Publisher honoured Retry-After (virtual time)")
		assert.Equal(t, 2, net.Calls(networks.OpPublish))
	})
}

func TestAnnounceNeverPostsTwiceAfterALostResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		net := fakenet.New(fakenet.Options{})
		net.Script(fakenet.LostResponse().On(networks.OpPublish))
		a, err := NewAnnouncer(map[string]*fakenet.Net{fakenet.Network: net})
		require.NoError(t, err)
		p, err := a.Announce(t.Context(), "v1.2 is out")
		require.NoError(t, err)
		assert.Equal(t, workflow.StatePublished, p.State)
		assert.Len(t, net.Posts(), 1, "the lost response was found by its marker, not posted again")
	})
}

func TestAnnounceRejectedShowsTheCause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		net := fakenet.New(fakenet.Options{})
		net.Script(fakenet.Rejected("spam filter").On(networks.OpPublish))
		a, err := NewAnnouncer(map[string]*fakenet.Net{fakenet.Network: net})
		require.NoError(t, err)
		p, err := a.Announce(t.Context(), "v1.3 is out")
		require.NoError(t, err)
		assert.Equal(t, workflow.StateFailed, p.State)
		assert.Contains(t, p.Targets[0].Outcome.Cause, "spam filter")
	})
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Contains(t, out.String(), `"socialflow v1.0 is out" by acme-fakenet`)
}
