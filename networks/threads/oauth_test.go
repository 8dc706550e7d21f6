package threads_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/threads"
)

func TestOAuth2Config(t *testing.T) {
	c := threads.OAuth2Config("app-1", "s3cr3t", "https://host.example/cb", threads.ScopeBasic, threads.ScopeContentPublish)
	u := c.AuthCodeURL("state-1")
	assert.True(t, strings.HasPrefix(u, threads.AuthURL+"?"), u)
	assert.Contains(t, u, "scope=threads_basic+threads_content_publish")
	assert.Equal(t, metagraph.ThreadsHost+"/oauth/access_token", c.Endpoint.TokenURL)
	assert.Equal(t, oauth2.AuthStyleInParams, c.Endpoint.AuthStyle)
}

func TestLongLivedExchangeAndRefresh(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{AppSecret: "app-s3cr3t"})
	ad := f.Threads()
	f.Server.IssueShortLived("short-tok-1", graphtest.ThreadsUser)

	tok, err := ad.ExchangeLongLived(t.Context(), "app-s3cr3t", "short-tok-1")
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)
	assert.Equal(t, tok.AccessToken, tok.RefreshToken, "a long-lived token refreshes itself")
	assert.Equal(t, f.clk.Now().Add(60*24*time.Hour-threads.RefreshMargin), tok.Expiry, "Expiry comes RefreshMargin before Meta's")

	// The long-lived token publishes.
	acct := f.Account()
	acct.Tokens = oauth2.StaticTokenSource(tok)
	_, err = ad.Publish(t.Context(), acct, networks.Draft{Text: "with a long-lived token", Marker: "ll-1"})
	require.NoError(t, err)

	_, err = ad.RefreshLongLived(t.Context(), metagraph.Secret(tok.AccessToken))
	require.ErrorIs(t, err, networks.ErrRejected, "a token under 24 hours old cannot be refreshed")

	f.clk.Advance(50 * 24 * time.Hour)
	fresh, err := ad.RefreshLongLived(t.Context(), metagraph.Secret(tok.AccessToken))
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	assert.True(t, fresh.Expiry.After(tok.Expiry))

	f.clk.Advance(61 * 24 * time.Hour)
	_, err = ad.RefreshLongLived(t.Context(), metagraph.Secret(tok.AccessToken))
	var re *networks.ReauthRequiredError
	require.ErrorAs(t, err, &re, "an expired token needs a new login")

	_, err = ad.ExchangeLongLived(t.Context(), "app-s3cr3t", "short-tok-unknown")
	require.ErrorAs(t, err, &re, "an unknown short-lived token: log in again")
	f.Server.IssueShortLived("short-tok-4", graphtest.ThreadsUser)
	_, err = ad.ExchangeLongLived(t.Context(), "not-the-s3cr3t", "short-tok-4")
	require.ErrorIs(t, err, networks.ErrRejected, "a wrong app secret is a set-up mistake")

	for name, call := range map[string]func() error{
		"wrong secret": func() error {
			f.Server.IssueShortLived("short-tok-2", graphtest.ThreadsUser)
			_, err := ad.ExchangeLongLived(t.Context(), "wrong-s3cr3t", "short-tok-2")
			return err
		},
		"unknown short token": func() error { _, err := ad.ExchangeLongLived(t.Context(), "app-s3cr3t", "short-tok-3"); return err },
		"empty":               func() error { _, err := ad.ExchangeLongLived(t.Context(), "", ""); return err },
	} {
		err := call()
		require.Error(t, err, name)
		for _, s := range []string{"app-s3cr3t", "wrong-s3cr3t", "short-tok-2", "short-tok-3"} {
			assert.NotContains(t, err.Error(), s, "%s: no secret in the error", name)
			assert.NotContains(t, fmt.Sprintf("%#v", err), s, name)
		}
	}
}

// The Publisher refreshes a Threads token through the adapter's Refresher
// when the stored token's Expiry (RefreshMargin early) has passed, saves
// it, and publishes with it.
func TestPublisherRefreshesThroughTheRefresher(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{})
	ad := f.Threads()
	issued := f.clk.Now().Add(-54 * 24 * time.Hour) // now is past the early Expiry, before Meta's
	f.Server.IssueLongLived("long-tok-1", graphtest.ThreadsUser, issued)
	store := networks.NewMemTokenStore()
	stale := &oauth2.Token{AccessToken: "long-tok-1", RefreshToken: "long-tok-1", Expiry: issued.Add(60*24*time.Hour - threads.RefreshMargin)}
	require.NoError(t, store.Save(t.Context(), graphtest.ThreadsUser, stale))
	p, err := networks.NewPublisher(ad, networks.WithTokenStore(store, ad.Refresher()), networks.WithClock(networks.ClockFunc(f.clk.Now)))
	require.NoError(t, err)
	acct := networks.Account{ID: graphtest.ThreadsUser, Network: threads.Network}
	_, err = p.Publish(context.Background(), acct, networks.Draft{Text: "refreshed", Marker: "rf-1"})
	require.NoError(t, err)
	saved, err := store.Load(t.Context(), graphtest.ThreadsUser)
	require.NoError(t, err)
	assert.NotEqual(t, "long-tok-1", saved.AccessToken, "the refreshed token was saved")
	assert.Equal(t, saved.AccessToken, saved.RefreshToken)
	assert.True(t, saved.Expiry.After(f.clk.Now()))
}

func TestRefresherNeedsAToken(t *testing.T) {
	ad, err := threads.New(nil)
	require.NoError(t, err)
	_, err = ad.Refresher().TokenSource(t.Context(), &oauth2.Token{AccessToken: "x", Expiry: time.Unix(1, 0)}).Token()
	var re *networks.ReauthRequiredError
	require.ErrorAs(t, err, &re)
	valid := &oauth2.Token{AccessToken: "still-good", Expiry: time.Now().Add(time.Hour)}
	got, err := ad.Refresher().TokenSource(t.Context(), valid).Token()
	require.NoError(t, err)
	assert.Equal(t, "still-good", got.AccessToken, "a valid token is returned without a call")
	assert.NotContains(t, fmt.Sprint(ad.Refresher().TokenSource(t.Context(), valid)), "still-good")
}

// The whole connection: the code from the authorization window, the
// short-lived token, the long-lived one, the profile, a post.
func TestConnectAnAccount(t *testing.T) {
	f := newFixture(t, graphtest.ThreadsOptions{AppSecret: "app-s3cr3t"})
	ad := f.Threads()
	f.Server.IssueCode("code-1", graphtest.ThreadsUser)
	cfg := threads.OAuth2Config("app-1", "app-s3cr3t", "https://host.example/cb", threads.ScopeBasic, threads.ScopeContentPublish)
	cfg.Endpoint.TokenURL = f.Server.URL() + "/oauth/access_token"
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, f.Server.Client())
	short, err := cfg.Exchange(ctx, "code-1")
	require.NoError(t, err)
	_, err = cfg.Exchange(ctx, "code-1")
	require.Error(t, err, "a code is good once")

	long, err := ad.ExchangeLongLived(t.Context(), "app-s3cr3t", metagraph.Secret(short.AccessToken))
	require.NoError(t, err)
	me, err := ad.Me(t.Context(), metagraph.Secret(long.AccessToken))
	require.NoError(t, err)
	assert.Equal(t, graphtest.ThreadsUser, me.ID)
	acct := networks.Account{ID: me.ID, Network: threads.Network, Handle: me.Username, Tokens: oauth2.StaticTokenSource(long)}
	_, err = ad.Publish(t.Context(), acct, networks.Draft{Text: "connected", Marker: "c-1"})
	require.NoError(t, err)
}
