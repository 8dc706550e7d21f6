package linkedin

import (
	"context"

	"golang.org/x/oauth2"
)

// LinkedIn's 3-legged OAuth 2.0 endpoints
// (https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow).
const (
	AuthURL  = "https://www.linkedin.com/oauth/v2/authorization"
	TokenURL = "https://www.linkedin.com/oauth/v2/accessToken"
)

// Scope sets for the two kinds of author
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#permissions,
// …/organizations/share-statistics). A member accepts all scopes of a
// request or none.
var (
	// MemberScopes: sign in (the person URN is the OpenID sub) and post.
	// Listing a member's posts (the Finder) and their social actions
	// (metrics) needs the restricted r_member_social, granted to approved
	// partners only; add it when the app has it.
	MemberScopes = []string{"openid", "profile", "w_member_social"}
	// OrganizationScopes: post as, list the posts of and read the share
	// statistics of pages the member administers.
	OrganizationScopes = []string{"openid", "profile", "w_organization_social", "r_organization_social", "rw_organization_admin"}
)

// OAuthConfig returns the authorization-code configuration of a LinkedIn
// app: AuthCodeURL makes the consent link, Exchange trades the code (the
// client secret is sent in the form, as LinkedIn documents), and the
// *oauth2.Config is the [networks.Refresher] the Publisher uses.
// Access tokens live 60 days; apps approved for programmatic refresh
// tokens get a refresh token valid 365 days that a refresh does not extend
// and does not rotate
// (https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens).
// Without one, a person reconnects the account every 60 days.
func OAuthConfig(clientID, clientSecret, redirectURL string, scopes []string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: clientID, ClientSecret: clientSecret, RedirectURL: redirectURL,
		Scopes:   append([]string(nil), scopes...),
		Endpoint: oauth2.Endpoint{AuthURL: AuthURL, TokenURL: TokenURL, AuthStyle: oauth2.AuthStyleInParams},
	}
}

// Exchange trades an authorization code for tokens at cfg's token URL
// through the adapter's *http.Client. A refused code yields an
// *oauth2.RetrieveError (its body is LinkedIn's, never the secret).
func (a *Adapter) Exchange(ctx context.Context, cfg *oauth2.Config, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	if a.api.HTTP != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, a.api.HTTP)
	}
	return cfg.Exchange(ctx, code, opts...)
}
