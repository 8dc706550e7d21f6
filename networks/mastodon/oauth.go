package mastodon

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// Scopes are the OAuth scopes the adapter needs: post and delete statuses,
// upload media, read statuses back (metrics, [Adapter.FindByMarker]) and
// the account's own id (read:accounts, for FindByMarker's
// verify_credentials) and the notifications the inbox lists
// (read:notifications, [Adapter.Incoming])
// (https://docs.joinmastodon.org/api/oauth-scopes/).
var Scopes = []string{"write:statuses", "write:media", "read:statuses", "read:accounts", "read:notifications"}

// App is an OAuth application registered on one instance. Its String,
// GoString and LogValue never show the client secret, so an App may be
// printed or logged.
type App struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// String describes a without its secret.
func (a App) String() string {
	secret := "none"
	if a.ClientSecret != "" {
		secret = "REDACTED"
	}
	return fmt.Sprintf("mastodon.App{ClientID:%q ClientSecret:%s}", a.ClientID, secret)
}

// GoString is String, so %#v never prints the secret.
func (a App) GoString() string { return a.String() }

// LogValue implements slog.LogValuer: the client ID only.
func (a App) LogValue() slog.Value { return slog.GroupValue(slog.String("client_id", a.ClientID)) }

// RegisterApp registers an application on the instance through POST
// /api/v1/apps (https://docs.joinmastodon.org/methods/apps/#create) with
// [Scopes] and one redirect URI. Each instance needs its own registration;
// store the App with the instance URL.
func (a *Adapter) RegisterApp(ctx context.Context, instanceURL, name, redirectURL, website string) (App, error) {
	body := map[string]string{"client_name": name, "redirect_uris": redirectURL, "scopes": strings.Join(Scopes, " ")}
	if website != "" {
		body["website"] = website
	}
	var out App
	_, err := a.do(ctx, instanceURL, request{method: http.MethodPost, path: "/api/v1/apps", json: body, op: "register app"}, &out)
	return out, err
}

// OAuthConfig returns the authorization-code configuration of app on the
// instance (https://docs.joinmastodon.org/methods/oauth/): authorize at
// /oauth/authorize, exchange at /oauth/token, with [Scopes]. PKCE (S256)
// is supported from Mastodon 4.3: pass oauth2.S256ChallengeOption to
// AuthCodeURL and oauth2.VerifierOption to [Adapter.Exchange]. Mastodon
// tokens do not expire and there is no refresh grant: a revoked token
// means the account must be connected again.
func OAuthConfig(instanceURL string, app App, redirectURL string) *oauth2.Config {
	base := strings.TrimSuffix(instanceURL, "/")
	return &oauth2.Config{
		ClientID: app.ClientID, ClientSecret: app.ClientSecret, RedirectURL: redirectURL, Scopes: Scopes,
		Endpoint: oauth2.Endpoint{AuthURL: base + "/oauth/authorize", TokenURL: base + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
	}
}

// Exchange trades an authorization code for an access token at cfg's token
// URL through the adapter's *http.Client. A refused code yields an
// *oauth2.RetrieveError (its body is the server's, never the secret).
func (a *Adapter) Exchange(ctx context.Context, cfg *oauth2.Config, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	if _, err := url.Parse(cfg.Endpoint.TokenURL); err != nil {
		return nil, err
	}
	return cfg.Exchange(context.WithValue(ctx, oauth2.HTTPClient, a.hc), code, opts...)
}
