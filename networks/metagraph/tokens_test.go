package metagraph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// tokenFake is a fake Graph API with an app, a user managing two Pages
// and a clock that stands still.
func tokenFake(t *testing.T) (*graphtest.Server, *metagraph.Client, time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := graphtest.NewServer(graphtest.Options{Now: clock})
	t.Cleanup(srv.Close)
	srv.AddApp("app1", "app-secret")
	srv.IssueToken("user-short", "u1", now.Add(time.Hour))
	srv.IssueToken("user-stale", "u1", now.Add(-time.Minute))
	srv.AddPage("u1", "p1", "Bakery", "page-1-token")
	srv.AddPage("u1", "p2", "Cycles", "page-2-token")
	srv.AddPage("u2", "p3", "Not yours", "page-3-token")
	c, err := metagraph.New(srv.Client(), metagraph.Config{Network: networks.Facebook, BaseURL: srv.URL(), Now: clock})
	require.NoError(t, err)
	return srv, c, now
}

func TestExchangeLongLived(t *testing.T) {
	_, c, now := tokenFake(t)
	tok, err := c.ExchangeLongLived(t.Context(), "app1", "app-secret", "user-short")
	require.NoError(t, err)
	assert.NotEqual(t, "user-short", tok.AccessToken, "a new token")
	assert.Equal(t, now.Add(graphtest.LongLived), tok.Expiry, "expires_in is about 60 days")

	pages, err := c.PageTokens(t.Context(), metagraph.Secret(tok.AccessToken))
	require.NoError(t, err, "the long-lived token works")
	assert.Len(t, pages, 2)

	_, err = c.ExchangeLongLived(t.Context(), "app1", "app-secret", "user-stale")
	var re *networks.ReauthRequiredError
	require.ErrorAs(t, err, &re, "an expired short-lived token cannot be exchanged: log in again")

	_, err = c.ExchangeLongLived(t.Context(), "no-such-app", "app-secret", "user-short")
	require.ErrorIs(t, err, socialflow.ErrRejected, "an unknown app is a setup mistake")
	assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), "app-secret", "the app secret never shows")
	assert.NotContains(t, err.Error(), "user-short")
}

func TestPageTokens(t *testing.T) {
	_, c, _ := tokenFake(t)
	pages, err := c.PageTokens(t.Context(), "user-short")
	require.NoError(t, err)
	require.Len(t, pages, 2, "the Pages the user manages, not the others")
	assert.Equal(t, "p1", pages[0].ID)
	assert.Equal(t, "Bakery", pages[0].Name)
	assert.Equal(t, metagraph.Secret("page-1-token"), pages[0].Token)
	assert.Equal(t, metagraph.Secret("page-2-token"), pages[1].Token)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", pages, pages, pages), "page-1-token", "Page tokens never print")

	_, err = c.PageTokens(t.Context(), "user-stale")
	require.ErrorIs(t, err, socialflow.ErrAuthExpired)
}

func TestPageToken(t *testing.T) {
	_, c, _ := tokenFake(t)
	cases := []struct {
		name, user, page string
		want             metagraph.Secret
		check            func(t *testing.T, err error)
	}{
		{"a Page the user manages", "user-short", "p2", "page-2-token", nil},
		{"a Page of someone else", "user-short", "p3", "", func(t *testing.T, err error) {
			var re *networks.ReauthRequiredError
			require.ErrorAs(t, err, &re, "the person must connect the Page again")
			assert.Contains(t, err.Error(), "p3")
		}},
		{"an expired user token", "user-stale", "p1", "", func(t *testing.T, err error) {
			var ae *networks.AuthExpiredError
			require.ErrorAs(t, err, &ae, "a newer user token may fix it")
		}},
		{"a missing Page", "user-short", "p404", "", func(t *testing.T, err error) { require.ErrorIs(t, err, socialflow.ErrNotFound) }},
		{"not a Page id", "user-short", "p1/feed", "", func(t *testing.T, err error) { require.ErrorIs(t, err, socialflow.ErrInvalid) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.PageToken(t.Context(), metagraph.Secret(tc.user), tc.page)
			if tc.check == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			tc.check(t, err)
			assert.NotContains(t, err.Error(), tc.user)
		})
	}
}

func TestDebugToken(t *testing.T) {
	_, c, now := tokenFake(t)
	long, err := c.ExchangeLongLived(t.Context(), "app1", "app-secret", "user-short")
	require.NoError(t, err)
	cases := []struct {
		name    string
		token   metagraph.Secret
		valid   bool
		user    string
		expires time.Time
	}{
		{"a long-lived user token", metagraph.Secret(long.AccessToken), true, "u1", now.Add(graphtest.LongLived).Truncate(time.Second)},
		{"a Page token never expires", "page-1-token", true, "p1", time.Time{}},
		{"an expired token", "user-stale", false, "u1", now.Add(-time.Minute).Truncate(time.Second)},
		{"an unknown token", "who-knows", false, "", time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			info, err := c.DebugToken(t.Context(), tc.token, "app1|app-secret")
			require.NoError(t, err, "debug_token answers is_valid false rather than an error")
			assert.Equal(t, tc.valid, info.Valid)
			assert.Equal(t, tc.user, info.UserID)
			assert.True(t, tc.expires.Equal(info.ExpiresAt), "expires_at %v, want %v", info.ExpiresAt, tc.expires)
			if tc.valid {
				assert.Equal(t, "app1", info.AppID)
				assert.Contains(t, info.Scopes, "pages_manage_posts")
			}
		})
	}
	_, err = c.DebugToken(t.Context(), "page-1-token", "app1|wrong")
	require.ErrorIs(t, err, socialflow.ErrAuthExpired, "a wrong app token is refused")
	assert.NotContains(t, err.Error(), "wrong")
}

func TestOAuth2Config(t *testing.T) {
	cfg := metagraph.OAuth2Config("app1", "s3cr3t", "https://host.example/callback", "pages_show_list", "pages_manage_posts")
	assert.Equal(t, "https://www.facebook.com/"+metagraph.DefaultVersion+"/dialog/oauth", cfg.Endpoint.AuthURL)
	assert.Equal(t, metagraph.FacebookHost+"/"+metagraph.DefaultVersion+"/oauth/access_token", cfg.Endpoint.TokenURL)
	assert.Equal(t, oauth2.AuthStyleInParams, cfg.Endpoint.AuthStyle)
	u := cfg.AuthCodeURL("state-1")
	assert.Contains(t, u, "client_id=app1")
	assert.Contains(t, u, "scope=pages_show_list+pages_manage_posts")
	assert.NotContains(t, u, "s3cr3t", "the login dialog never carries the secret")
}

func TestClientNeverPrintsItsSecret(t *testing.T) {
	c, err := metagraph.New(nil, metagraph.Config{Network: networks.Facebook, AppSecret: "s3cr3t-app"})
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), "s3cr3t-app", verb)
	}
	assert.Contains(t, c.String(), "appsecret_proof:on")
}
