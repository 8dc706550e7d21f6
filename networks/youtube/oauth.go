package youtube

import (
	"golang.org/x/oauth2"
)

// Google's OAuth 2.0 endpoints and the scopes the adapter needs
// (https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps):
// youtube.upload for videos.insert, youtube for delete, thumbnails and
// reads.
var (
	Endpoint = oauth2.Endpoint{
		AuthURL:   "https://accounts.google.com/o/oauth2/auth",
		TokenURL:  "https://oauth2.googleapis.com/token",
		AuthStyle: oauth2.AuthStyleInParams,
	}
	Scopes = []string{"https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube"}
)

// OAuthConfig returns the OAuth 2.0 configuration of a Google client. It is
// the [networks.Refresher] for networks.WithTokenStore (an *oauth2.Config
// refreshes with its TokenSource); its Exchange trades a code for tokens.
func OAuthConfig(clientID, clientSecret, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: clientID, ClientSecret: clientSecret, RedirectURL: redirectURL, Endpoint: Endpoint, Scopes: Scopes}
}

// AuthCodeURL returns the consent page URL for state, asking for offline
// access (a refresh token) and consent every time, so Google issues a
// refresh token also to an account that connected before.
func AuthCodeURL(c *oauth2.Config, state string, opts ...oauth2.AuthCodeOption) string {
	return c.AuthCodeURL(state, append([]oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.SetAuthURLParam("prompt", "consent")}, opts...)...)
}
