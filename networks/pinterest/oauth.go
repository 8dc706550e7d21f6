package pinterest

import (
	"strings"

	"golang.org/x/oauth2"
)

// Pinterest's OAuth 2.0 endpoints (securitySchemes.pinterest_oauth2 of the
// OpenAPI description; https://developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/):
// the consent page on www.pinterest.com, the token endpoint POST
// /v5/oauth/token with the client id and secret as HTTP Basic auth.
var Endpoint = oauth2.Endpoint{
	AuthURL:   "https://www.pinterest.com/oauth/",
	TokenURL:  "https://api.pinterest.com/v5/oauth/token",
	AuthStyle: oauth2.AuthStyleInHeader,
}

// Scopes are what the adapter needs: boards:read and boards:write (list
// and create boards and sections), pins:read and pins:write (create, read,
// delete pins, upload media, read analytics), user_accounts:read.
var Scopes = []string{"boards:read", "boards:write", "pins:read", "pins:write", "user_accounts:read"}

// OAuthConfig returns the OAuth 2.0 configuration of a Pinterest app. It is
// the [networks.Refresher] for networks.WithTokenStore (an *oauth2.Config
// refreshes with its TokenSource; Pinterest's refresh answer may carry a new
// refresh token, which the Publisher saves before use); its Exchange trades
// a code for tokens.
func OAuthConfig(clientID, clientSecret, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: clientID, ClientSecret: clientSecret, RedirectURL: redirectURL, Endpoint: Endpoint,
		Scopes: append([]string(nil), Scopes...)}
}

// AuthCodeURL returns the consent page URL for state. Pinterest takes its
// scopes comma-separated, where golang.org/x/oauth2 joins them with
// spaces, so the scope parameter is set here.
func AuthCodeURL(c *oauth2.Config, state string, opts ...oauth2.AuthCodeOption) string {
	return c.AuthCodeURL(state, append([]oauth2.AuthCodeOption{oauth2.SetAuthURLParam("scope", strings.Join(c.Scopes, ","))}, opts...)...)
}
