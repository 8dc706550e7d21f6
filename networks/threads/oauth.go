package threads

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// AuthURL is the Threads authorization window
// (https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions).
const AuthURL = "https://threads.net/oauth/authorize"

// The permissions a publishing app asks for
// (https://developers.facebook.com/docs/threads/get-started).
const (
	ScopeBasic          = "threads_basic"
	ScopeContentPublish = "threads_content_publish"
	ScopeManageInsights = "threads_manage_insights"
	ScopeManageReplies  = "threads_manage_replies"
	ScopeReadReplies    = "threads_read_replies"
	ScopeDelete         = "threads_delete"
)

// RefreshMargin is how long before Meta's expiry the tokens of
// [Adapter.ExchangeLongLived] and [Adapter.RefreshLongLived] say they
// expire. A long-lived token can be refreshed only while it is still valid
// (and at least 24 hours old); the Publisher refreshes a token once its
// Expiry has passed, so the Expiry it sees must come before Meta's.
const RefreshMargin = 7 * 24 * time.Hour

// OAuth2Config returns the Threads OAuth 2.0 configuration: AuthCodeURL
// gives the authorization window (AuthURL), Exchange trades the code for a
// short-lived token (one hour, POST graph.threads.net/oauth/access_token),
// which [Adapter.ExchangeLongLived] makes long-lived; [Adapter.Me] gives
// the user id. Threads has no
// refresh_token grant: use [Adapter.Refresher] with the Publisher's token
// store.
func OAuth2Config(appID string, appSecret metagraph.Secret, redirectURL string, scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: appID, ClientSecret: string(appSecret), RedirectURL: redirectURL, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: AuthURL, TokenURL: metagraph.ThreadsHost + "/oauth/access_token", AuthStyle: oauth2.AuthStyleInParams},
	}
}

// ExchangeLongLived trades a short-lived token for a long-lived one (60
// days) with grant_type=th_exchange_token
// (GET /access_token, https://developers.facebook.com/docs/threads/get-started/long-lived-tokens).
// The token's RefreshToken is the long-lived token itself (Threads
// refreshes a token with itself) and its Expiry is [RefreshMargin] before
// Meta's. An expired or unknown short-lived token (code 190) is a
// *networks.ReauthRequiredError, a wrong app secret a
// *networks.RejectedError; no error holds the secret or a token.
func (a *Adapter) ExchangeLongLived(ctx context.Context, appSecret, shortLived metagraph.Secret) (*oauth2.Token, error) {
	if appSecret == "" || shortLived == "" {
		return nil, &networks.FieldError{Network: Network, Field: "token", Reason: "the app secret and the short-lived token are required"}
	}
	q := url.Values{"grant_type": {"th_exchange_token"}, "client_secret": {string(appSecret)}, "access_token": {string(shortLived)}}
	return a.tokenCall(ctx, "/access_token", "GET /access_token", q, string(appSecret), string(shortLived))
}

// RefreshLongLived renews an unexpired long-lived token that is at least
// 24 hours old for another 60 days, with grant_type=th_refresh_token
// (GET /refresh_access_token,
// https://developers.facebook.com/docs/threads/get-started/long-lived-tokens).
// The result is as for [Adapter.ExchangeLongLived]. A refused refresh (an
// expired token: a person must log in again) is a
// *networks.ReauthRequiredError.
func (a *Adapter) RefreshLongLived(ctx context.Context, longLived metagraph.Secret) (*oauth2.Token, error) {
	if longLived == "" {
		return nil, &networks.FieldError{Network: Network, Field: "token", Reason: "the long-lived token is required"}
	}
	q := url.Values{"grant_type": {"th_refresh_token"}, "access_token": {string(longLived)}}
	return a.tokenCall(ctx, "/refresh_access_token", "GET /refresh_access_token", q, string(longLived))
}

// tokenCall sends an unversioned token request; the answer's error body
// loses every secret before it is classified.
func (a *Adapter) tokenCall(ctx context.Context, path, name string, q url.Values, secrets ...string) (*oauth2.Token, error) {
	u, ok := apikit.JoinURL(a.cfg.BaseURL, path, q)
	if !ok {
		return nil, &networks.FieldError{Network: Network, Field: "base_url", Value: a.cfg.BaseURL, Reason: "not an absolute http(s) URL"}
	}
	api := &apikit.Client{Network: Network, HTTP: a.hc, Now: a.api.Now, Classify: func(f *apikit.Failure) error {
		f.Body = apikit.Redact(f.Body, secrets...)
		return Classify(f)
	}}
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if _, err := api.Do(ctx, &apikit.Request{Method: http.MethodGet, URL: u, Name: name, Credentials: true, Op: networks.OpRefresh}, &out); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, &networks.TransientError{Network: Network, Op: networks.OpRefresh, Err: errors.New(name + ": no access_token in the answer")}
	}
	tok := &oauth2.Token{AccessToken: out.AccessToken, TokenType: out.TokenType, RefreshToken: out.AccessToken}
	if out.ExpiresIn > 0 {
		life := time.Duration(out.ExpiresIn) * time.Second
		tok.Expiry = a.api.Now().Add(max(life-RefreshMargin, life/2))
	}
	return tok, nil
}

// Refresher returns the [networks.Refresher] for the Publisher's token
// store (networks.WithTokenStore(store, ad.Refresher())): it renews a
// token through [Adapter.RefreshLongLived] with the token's RefreshToken
// (the long-lived token).
func (a *Adapter) Refresher() networks.Refresher { return refresher{a: a} }

type refresher struct{ a *Adapter }

func (r refresher) TokenSource(ctx context.Context, t *oauth2.Token) oauth2.TokenSource {
	return tokenSource{ctx: ctx, a: r.a, t: t}
}

type tokenSource struct {
	ctx context.Context
	a   *Adapter
	t   *oauth2.Token
}

// Token returns t while it is valid, else a refreshed token.
func (s tokenSource) Token() (*oauth2.Token, error) {
	if s.t != nil && s.t.Valid() {
		c := *s.t
		return &c, nil
	}
	if s.t == nil || s.t.RefreshToken == "" {
		return nil, &networks.ReauthRequiredError{Network: Network, Reason: "no long-lived token to refresh"}
	}
	return s.a.RefreshLongLived(s.ctx, metagraph.Secret(s.t.RefreshToken))
}

// String never shows the token.
func (s tokenSource) String() string { return "threads.tokenSource{token:REDACTED}" }

// GoString is String.
func (s tokenSource) GoString() string { return s.String() }

// Profile is the Threads profile a token acts for.
type Profile struct {
	ID       string // the Threads user id: use it as networks.Account.ID
	Username string
}

// Me reads the profile token acts for (GET /me?fields=id,username,
// https://developers.facebook.com/docs/threads/threads-profiles). Use it
// after the code exchange: the user_id of the token answer is a JSON
// number that Token.Extra gives as a float64, which cannot hold every id.
func (a *Adapter) Me(ctx context.Context, token metagraph.Secret) (Profile, error) {
	var out struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/me", Query: url.Values{"fields": {"id,username"}},
		Name: "GET /me", Token: string(token), Op: networks.OpFind}, &out)
	if err != nil {
		return Profile{}, err
	}
	if out.ID == "" {
		return Profile{}, &networks.TransientError{Network: Network, Op: networks.OpFind, Err: errors.New("GET /me: no id in the answer")}
	}
	return Profile{ID: out.ID, Username: out.Username}, nil
}
