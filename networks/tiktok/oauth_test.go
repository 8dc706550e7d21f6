package tiktok_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
)

func oauthConfig(srv *tiktoktest.Server) *tiktok.OAuthConfig {
	srv.SetClient("ck-app", "cs-SECRET-value")
	return &tiktok.OAuthConfig{ClientKey: "ck-app", ClientSecret: "cs-SECRET-value", RedirectURL: "https://app.example/cb",
		TokenURL: srv.URL() + "/v2/oauth/token/", HTTP: srv.Client(), Now: srv.Now}
}

func TestOAuthExchangeAndRotation(t *testing.T) {
	srv := tiktoktest.NewServer("unused")
	defer srv.Close()
	cfg := oauthConfig(srv)

	u, err := url.Parse(cfg.AuthCodeURL("st4te", oauth2.S256ChallengeFromVerifier("verifier-1")))
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, "www.tiktok.com", u.Host)
	assert.Equal(t, "ck-app", q.Get("client_key"), "TikTok names the client client_key")
	assert.Equal(t, "user.info.basic,video.publish,video.list", q.Get("scope"), "scopes comma-separated")
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Equal(t, "st4te", q.Get("state"))

	srv.IssueCode("code-1", "verifier-1")
	tok, err := cfg.Exchange(t.Context(), "code-1", "verifier-1")
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)
	assert.Equal(t, "open-fake", tok.Extra("open_id"))
	assert.Equal(t, srv.Now().Add(24*time.Hour), tok.Expiry)

	_, err = cfg.Exchange(t.Context(), "code-1", "verifier-1")
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re, "a code works once")
	assert.Equal(t, "invalid_grant", re.ErrorCode)

	// Refresh rotates the refresh token; the old one is refused after.
	expired := *tok
	expired.Expiry = srv.Now().Add(-time.Minute)
	fresh, err := cfg.TokenSource(t.Context(), &expired).Token()
	require.NoError(t, err)
	assert.NotEqual(t, tok.RefreshToken, fresh.RefreshToken, "rotated")
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	_, err = cfg.TokenSource(t.Context(), &expired).Token()
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "invalid_grant", re.ErrorCode)
	assert.NotContains(t, err.Error(), "cs-SECRET-value")

	// The rule of networks.AccessToken: a refused grant means reconnect.
	_, err = networks.AccessToken(t.Context(), tiktok.Network, networks.Account{ID: "a", Tokens: cfg.TokenSource(t.Context(), &expired)})
	var rr *networks.ReauthRequiredError
	require.ErrorAs(t, err, &rr)

	bad := *cfg
	bad.ClientSecret = "wrong"
	stale := *fresh
	stale.Expiry = srv.Now().Add(-time.Second)
	_, err = bad.TokenSource(t.Context(), &stale).Token()
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "invalid_client", re.ErrorCode)
}

// Through the Publisher: an expired token is refreshed once, the rotated
// refresh token is saved, and the post goes out.
func TestPublisherRefreshesAndSavesTheRotatedToken(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	cfg := oauthConfig(h.Server)
	h.Server.IssueRefreshToken("rft.first")
	store := &networks.MemTokenStore{}
	acct := networks.Account{ID: "tt-1", Network: tiktok.Network, Handle: "fakecreator"}
	require.NoError(t, store.Save(t.Context(), acct.ID, &oauth2.Token{AccessToken: "act.old", RefreshToken: "rft.first", Expiry: h.Now().Add(-time.Hour)}))
	p, err := networks.NewPublisher(h.Adapter(), networks.WithTokenStore(store, cfg), networks.WithClock(h.Server))
	require.NoError(t, err)
	r, err := p.Publish(t.Context(), acct, h.Draft(1))
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, r.Status)
	saved, err := store.Load(t.Context(), acct.ID)
	require.NoError(t, err)
	assert.NotEqual(t, "rft.first", saved.RefreshToken, "the newest refresh token is stored")
	assert.True(t, saved.Expiry.After(h.Now()))

	// The old refresh token is gone: an account still holding it must be
	// reconnected.
	store2 := &networks.MemTokenStore{}
	require.NoError(t, store2.Save(t.Context(), acct.ID, &oauth2.Token{AccessToken: "act.old", RefreshToken: "rft.first", Expiry: h.Now().Add(-time.Hour)}))
	p2, err := networks.NewPublisher(h.Adapter(), networks.WithTokenStore(store2, cfg), networks.WithClock(h.Server))
	require.NoError(t, err)
	_, err = p2.Publish(t.Context(), acct, h.Draft(2))
	require.ErrorIs(t, err, socialflow.ErrAuthExpired)
	var rr *networks.ReauthRequiredError
	require.ErrorAs(t, err, &rr)
}

func TestOAuthConfigHidesItsSecret(t *testing.T) {
	cfg := &tiktok.OAuthConfig{ClientKey: "ck", ClientSecret: "cs-SECRET-value"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("cfg", "cfg", cfg, "value", *cfg)
	holder := struct{ Cfg tiktok.OAuthConfig }{*cfg}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v", *cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", *cfg),
		fmt.Sprintf("%+v", holder), cfg.String(), buf.String()} {
		assert.NotContains(t, s, "cs-SECRET-value")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := cfg.Exchange(ctx, "c", "")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "cs-SECRET-value")
}
