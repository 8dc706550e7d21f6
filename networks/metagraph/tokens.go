package metagraph

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
)

// OAuth2Config returns the Facebook Login OAuth 2.0 configuration
// (https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow):
// AuthCodeURL gives the login dialog, Exchange trades the code for a
// short-lived user token, which [Client.ExchangeLongLived] makes
// long-lived. Meta has no refresh grant: a long-lived token is renewed by
// a new login, and Page tokens derived from it do not expire.
func OAuth2Config(appID string, appSecret Secret, redirectURL string, scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: appID, ClientSecret: string(appSecret), RedirectURL: redirectURL, Scopes: scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:   "https://www.facebook.com/" + DefaultVersion + "/dialog/oauth",
			TokenURL:  FacebookHost + "/" + DefaultVersion + "/oauth/access_token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// ExchangeLongLived trades a short-lived user token for a long-lived one
// (about 60 days) with grant_type=fb_exchange_token
// (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived).
// A refused exchange is a *networks.ReauthRequiredError.
func (c *Client) ExchangeLongLived(ctx context.Context, appID string, appSecret Secret, shortLived string) (*oauth2.Token, error) {
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	q := url.Values{"grant_type": {"fb_exchange_token"}, "client_id": {appID},
		"client_secret": {string(appSecret)}, "fb_exchange_token": {shortLived}}
	_, err := c.Do(ctx, &Call{Method: http.MethodGet, Path: "/oauth/access_token", Query: q,
		Name: "GET /oauth/access_token", Credentials: true, Op: networks.OpRefresh}, &out)
	if err != nil {
		return nil, err
	}
	tok := &oauth2.Token{AccessToken: out.AccessToken, TokenType: out.TokenType}
	if out.ExpiresIn > 0 {
		tok.Expiry = c.Now().Add(time.Duration(out.ExpiresIn) * time.Second)
	}
	return tok, nil
}

// Page is a Facebook Page the user manages, with its Page token.
type Page struct {
	ID    string
	Name  string
	Token Secret // the Page access token; never printed
	// InstagramID is the instagram_business_account linked to the Page,
	// empty when none.
	InstagramID string
}

// PageTokens lists the Pages the user token manages, with their Page
// tokens and linked Instagram accounts (GET /me/accounts,
// https://developers.facebook.com/docs/pages-api/getting-started). Page
// tokens derived from a long-lived user token do not expire.
func (c *Client) PageTokens(ctx context.Context, userToken Secret) ([]Page, error) {
	var out struct {
		Data []struct {
			ID          string `json:"id"`
			Name        string `json:"name"`
			AccessToken string `json:"access_token"`
			IG          *struct {
				ID string `json:"id"`
			} `json:"instagram_business_account"`
		} `json:"data"`
	}
	_, err := c.Do(ctx, &Call{Method: http.MethodGet, Path: "/me/accounts",
		Query: url.Values{"fields": {"id,name,access_token,instagram_business_account"}},
		Name:  "GET /me/accounts", Token: string(userToken), Credentials: true, Op: networks.OpRefresh}, &out)
	if err != nil {
		return nil, err
	}
	pages := make([]Page, 0, len(out.Data))
	for _, d := range out.Data {
		p := Page{ID: d.ID, Name: d.Name, Token: Secret(d.AccessToken)}
		if d.IG != nil {
			p.InstagramID = d.IG.ID
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// TokenInfo is what debug_token says of a token.
type TokenInfo struct {
	Valid     bool
	AppID     string
	UserID    string
	Scopes    []string
	ExpiresAt time.Time // zero: never expires
}

// DebugToken asks whether token is still valid, with an app token
// ("app-id|app-secret") or a developer's token as the caller
// (GET /debug_token,
// https://developers.facebook.com/docs/graph-api/reference/debug_token).
func (c *Client) DebugToken(ctx context.Context, token, appToken Secret) (TokenInfo, error) {
	var out struct {
		Data struct {
			IsValid   bool     `json:"is_valid"`
			AppID     string   `json:"app_id"`
			UserID    string   `json:"user_id"`
			Scopes    []string `json:"scopes"`
			ExpiresAt int64    `json:"expires_at"`
		} `json:"data"`
	}
	_, err := c.Do(ctx, &Call{Method: http.MethodGet, Path: "/debug_token", Query: url.Values{"input_token": {string(token)}},
		Name: "GET /debug_token", Token: string(appToken), Op: networks.OpRefresh}, &out)
	if err != nil {
		return TokenInfo{}, err
	}
	info := TokenInfo{Valid: out.Data.IsValid, AppID: out.Data.AppID, UserID: out.Data.UserID, Scopes: out.Data.Scopes}
	if out.Data.ExpiresAt > 0 {
		info.ExpiresAt = time.Unix(out.Data.ExpiresAt, 0).UTC()
	}
	return info, nil
}
