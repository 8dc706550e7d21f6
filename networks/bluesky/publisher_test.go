package bluesky_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
)

// The Publisher refreshes an expired session through the adapter's
// Refresher, saves the rotated tokens and publishes once.
func TestPublisherRefreshesExpiredSession(t *testing.T) {
	fx := newFixture(t)
	store := networks.NewMemTokenStore()
	require.NoError(t, store.Save(t.Context(), fx.acct.ID, fx.tok))
	p, err := networks.NewPublisher(fx.ad,
		networks.WithTokenStore(store, fx.ad.Refresher(fx.srv.URL())),
		networks.WithRefreshContext(t.Context()),
		networks.WithBackOff(time.Millisecond, time.Millisecond),
		networks.WithRateLimits(networks.RateLimits{})) // the refresh retry would wait for the hourly budget
	require.NoError(t, err)
	acct := fx.acct
	acct.Tokens = nil // the Publisher supplies them from the store

	fx.srv.ExpireSessions() // the PDS now answers 400 ExpiredToken
	r, err := p.Publish(t.Context(), acct, networks.Draft{Text: "after refresh", Marker: "pub-1"})
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	assert.Len(t, fx.srv.Records(), 1)

	saved, err := store.Load(t.Context(), fx.acct.ID)
	require.NoError(t, err)
	assert.NotEqual(t, fx.tok.AccessToken, saved.AccessToken, "the refreshed session was saved")
	assert.NotEqual(t, fx.tok.RefreshToken, saved.RefreshToken, "with its rotated refresh token")
}
