package x

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"
)

// Scopes are the OAuth 2.0 scopes the adapter needs: read and write posts,
// read the user (GET /2/users/me), upload media, and offline.access for a
// refresh token (https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code).
var Scopes = []string{"tweet.read", "tweet.write", "users.read", "media.write", "offline.access"}

// X's OAuth 2.0 endpoints
// (https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token).
const (
	AuthURL  = "https://x.com/i/oauth2/authorize"
	TokenURL = "https://api.x.com/2/oauth2/token"
)

// OAuthConfig returns the authorization-code configuration of an X app:
// authorize at [AuthURL], exchange and refresh at [TokenURL] (tokenURL
// overrides it when not empty, for a fake), with [Scopes]. A confidential
// client (Web App, Automated App) has a secret and authenticates with HTTP
// Basic; a public client (Native, Single-page App) passes an empty secret
// and sends client_id in the body.
//
// The result is a [networks.Refresher]: give it to networks.WithTokenStore.
// X access tokens last 2 hours; refresh tokens are single-use and rotate on
// every refresh (presenting a used one invalidates the grant), so the
// Publisher stores each new pair before using it and refreshes one account
// at a time; a refused refresh (invalid_grant) means a person must connect
// the account again.
func OAuthConfig(clientID, clientSecret, redirectURL, tokenURL string) *oauth2.Config {
	style := oauth2.AuthStyleInHeader
	if clientSecret == "" {
		style = oauth2.AuthStyleInParams
	}
	if tokenURL == "" {
		tokenURL = TokenURL
	}
	return &oauth2.Config{
		ClientID: clientID, ClientSecret: clientSecret, RedirectURL: redirectURL, Scopes: append([]string(nil), Scopes...),
		Endpoint: oauth2.Endpoint{AuthURL: AuthURL, TokenURL: tokenURL, AuthStyle: style},
	}
}

// AuthCodeURL returns the URL to send a person to, with state and a PKCE
// S256 challenge (RFC 7636 §4.2), and the verifier to keep (server-side,
// with state) for [Exchange]. X requires PKCE for every client.
func AuthCodeURL(cfg *oauth2.Config, state string) (authURL, verifier string) {
	verifier = oauth2.GenerateVerifier()
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), verifier
}

// Exchange trades an authorization code (valid 30 seconds) and its PKCE
// verifier for a token at cfg's token URL, through hc (nil:
// http.DefaultClient). A refused code yields an *oauth2.RetrieveError
// with X's error code; it never holds the client secret.
func Exchange(ctx context.Context, hc *http.Client, cfg *oauth2.Config, code, verifier string) (*oauth2.Token, error) {
	if hc != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	}
	return cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}
