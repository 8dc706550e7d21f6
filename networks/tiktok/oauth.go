package tiktok

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// TikTok's OAuth 2.0 endpoints and the scopes the adapter needs
// (https://developers.tiktok.com/doc/oauth-user-access-token-management,
// https://developers.tiktok.com/doc/login-kit-web): video.publish for
// direct posts and their status, video.list for metrics and the Finder.
const (
	AuthURL  = "https://www.tiktok.com/v2/auth/authorize/"
	TokenURL = DefaultBaseURL + "/v2/oauth/token/"
)

// Scopes are the scopes the adapter uses.
var Scopes = []string{"user.info.basic", "video.publish", "video.list"}

// OAuthConfig is a TikTok app's OAuth 2.0 configuration. TikTok names the
// client "client_key", not "client_id" (RFC 6749 §2.2), so an
// *oauth2.Config cannot talk to its token endpoint; OAuthConfig does, and
// is the [networks.Refresher] for networks.WithTokenStore.
//
// Access tokens live 24 hours and refresh tokens 365 days by the page
// read; a refresh may return a new refresh token (always keep the newest:
// the Publisher saves the refreshed token before using it). Its String and
// GoString never show the client secret.
type OAuthConfig struct {
	ClientKey, ClientSecret, RedirectURL string
	Scopes                               []string
	// AuthURL and TokenURL default to the package's constants.
	AuthURL, TokenURL string
	// HTTP sends the token requests; nil means http.DefaultClient.
	HTTP *http.Client
	// Now is the clock for token expiries; nil means time.Now.
	Now func() time.Time
}

// String describes c without its secret.
func (c OAuthConfig) String() string {
	return fmt.Sprintf("tiktok.OAuthConfig{ClientKey:%q ClientSecret:REDACTED RedirectURL:%q}", c.ClientKey, c.RedirectURL)
}

// GoString is String, so %#v never prints the secret.
func (c OAuthConfig) GoString() string { return c.String() }

// LogValue implements [slog.LogValuer]: the client key, never the secret.
func (c OAuthConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_key", c.ClientKey), slog.String("client_secret", "REDACTED"))
}

func (c *OAuthConfig) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// AuthCodeURL returns the consent page for state. codeChallenge is the
// PKCE S256 challenge of a code verifier (oauth2.S256ChallengeFromVerifier),
// required for mobile and desktop apps; empty sends none.
func (c *OAuthConfig) AuthCodeURL(state, codeChallenge string) string {
	scopes := c.Scopes
	if scopes == nil {
		scopes = Scopes
	}
	q := url.Values{"client_key": {c.ClientKey}, "scope": {strings.Join(scopes, ",")}, "response_type": {"code"},
		"redirect_uri": {c.RedirectURL}, "state": {state}}
	if codeChallenge != "" {
		q.Set("code_challenge", codeChallenge)
		q.Set("code_challenge_method", "S256")
	}
	base := c.AuthURL
	if base == "" {
		base = AuthURL
	}
	return base + "?" + q.Encode()
}

// Exchange trades an authorization code (and its PKCE code verifier, or
// "") for tokens. The open_id comes back as the token's "open_id" extra.
// A refused code is an *oauth2.RetrieveError with TikTok's error code.
func (c *OAuthConfig) Exchange(ctx context.Context, code, codeVerifier string) (*oauth2.Token, error) {
	f := url.Values{"code": {code}, "grant_type": {"authorization_code"}, "redirect_uri": {c.RedirectURL}}
	if codeVerifier != "" {
		f.Set("code_verifier", codeVerifier)
	}
	return c.token(ctx, f)
}

// TokenSource returns a source that gives t while it is valid and
// refreshes it (grant_type=refresh_token) when it has expired.
func (c *OAuthConfig) TokenSource(ctx context.Context, t *oauth2.Token) oauth2.TokenSource {
	return oauth2.ReuseTokenSource(t, &refresher{c: c, ctx: ctx, t: t})
}

type refresher struct {
	c   *OAuthConfig
	ctx context.Context
	t   *oauth2.Token
}

func (r *refresher) Token() (*oauth2.Token, error) {
	if r.t == nil || r.t.RefreshToken == "" {
		return nil, errors.New("tiktok: oauth: no refresh token")
	}
	t, err := r.c.token(r.ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r.t.RefreshToken}})
	if err != nil {
		return nil, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = r.t.RefreshToken
	}
	r.t = t
	return t, nil
}

// tokenJSON is the token endpoint's answer, success or error.
type tokenJSON struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int64  `json:"expires_in"`
	OpenID           string `json:"open_id"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	RefreshToken     string `json:"refresh_token"`
	Scope            string `json:"scope"`
	TokenType        string `json:"token_type"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	LogID            string `json:"log_id"`
}

// token posts form with the client's key and secret to the token endpoint.
// Failures are *oauth2.RetrieveError values carrying only the status and
// TikTok's error code and description (never the body or the request), so
// networks.AccessToken classifies them by RFC 6749 §5.2.
func (c *OAuthConfig) token(ctx context.Context, form url.Values) (*oauth2.Token, error) {
	form.Set("client_key", c.ClientKey)
	form.Set("client_secret", c.ClientSecret)
	u := c.TokenURL
	if u == "" {
		u = TokenURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("tiktok: oauth: %w", apikit.SanitizeError(err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cache-Control", "no-cache")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("tiktok: oauth: %w", apikit.SanitizeError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("tiktok: oauth: read the answer: %w", err)
	}
	var tj tokenJSON
	jerr := json.Unmarshal(data, &tj)
	status := &http.Response{StatusCode: resp.StatusCode, Status: http.StatusText(resp.StatusCode)}
	switch {
	case tj.Error != "":
		return nil, &oauth2.RetrieveError{Response: status, ErrorCode: apikit.Message(tj.Error), ErrorDescription: apikit.Message(tj.ErrorDescription)}
	case resp.StatusCode/100 != 2:
		return nil, &oauth2.RetrieveError{Response: status}
	case jerr != nil || tj.AccessToken == "":
		return nil, &networks.TransientError{Network: Network, Op: networks.OpRefresh, Status: resp.StatusCode, Err: errors.New("oauth: the token answer has no access_token")}
	}
	t := &oauth2.Token{AccessToken: tj.AccessToken, TokenType: "Bearer", RefreshToken: tj.RefreshToken}
	if tj.ExpiresIn > 0 {
		t.Expiry = c.now().Add(time.Duration(tj.ExpiresIn) * time.Second)
	}
	return t.WithExtra(map[string]any{"open_id": tj.OpenID, "scope": tj.Scope, "refresh_expires_in": tj.RefreshExpiresIn}), nil
}

var _ networks.Refresher = (*OAuthConfig)(nil)
