package metagraph

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// The Graph API hosts and the versions the adapters were written against.
const (
	FacebookHost  = "https://graph.facebook.com"  // Facebook Pages, Instagram API with Facebook Login
	InstagramHost = "https://graph.instagram.com" // Instagram API with Instagram Login
	ThreadsHost   = "https://graph.threads.net"   // Threads API
	// DefaultVersion is the Graph API version of graph.facebook.com and
	// graph.instagram.com (https://developers.facebook.com/docs/graph-api/changelog).
	DefaultVersion = "v23.0"
	// ThreadsVersion is the Threads API version
	// (https://developers.facebook.com/docs/threads/overview).
	ThreadsVersion = "v1.0"
)

// Secret is a credential (an app secret, a token) that never prints: its
// String, GoString and LogValue show "REDACTED".
type Secret string

// String hides the secret.
func (Secret) String() string { return "REDACTED" }

// GoString hides the secret.
func (Secret) GoString() string { return "REDACTED" }

// LogValue hides the secret.
func (Secret) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// Config configures a [Client]. The zero value talks to graph.facebook.com
// at DefaultVersion without app-secret proofs.
type Config struct {
	// Network is the networks key put in errors (networks.Instagram...).
	Network string
	// BaseURL is the host, e.g. FacebookHost or a fake's URL; empty means
	// FacebookHost.
	BaseURL string
	// Version is the path prefix, e.g. "v23.0"; empty means DefaultVersion.
	Version string
	// AppSecret, when set, adds appsecret_proof to every call made with a
	// token (https://developers.facebook.com/docs/graph-api/securing-requests).
	AppSecret Secret
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Classify, when set, replaces [Classify] as the hook that reads
	// error answers, for an API whose error object differs (Threads sends
	// some codes as strings); it usually falls back to [Classify].
	Classify apikit.ClassifyFunc
}

// Client sends Graph API calls for one adapter. It is safe for concurrent
// use.
type Client struct {
	cfg Config
	api *apikit.Client
}

// New returns a Client sending with hc (nil: http.DefaultClient). A BaseURL
// that is not an absolute http(s) URL is a *networks.FieldError.
func New(hc *http.Client, cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = FacebookHost
	}
	if cfg.Version == "" {
		cfg.Version = DefaultVersion
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if _, ok := apikit.JoinURL(cfg.BaseURL, "/", nil); !ok {
		return nil, &networks.FieldError{Network: cfg.Network, Field: "base_url", Value: cfg.BaseURL, Reason: "not an absolute http(s) URL"}
	}
	if strings.ContainsAny(cfg.Version, "/?#") {
		return nil, &networks.FieldError{Network: cfg.Network, Field: "version", Value: cfg.Version, Reason: "not a version such as v23.0"}
	}
	if cfg.Classify == nil {
		cfg.Classify = Classify
	}
	return &Client{cfg: cfg, api: &apikit.Client{Network: cfg.Network, HTTP: hc, Now: cfg.Now, Classify: cfg.Classify}}, nil
}

// Network is the networks key of the client's errors.
func (c *Client) Network() string { return c.cfg.Network }

// Now reads the client's clock.
func (c *Client) Now() time.Time { return c.cfg.Now() }

// Call is one Graph API call.
type Call struct {
	Method string     // http.MethodGet, ...
	Path   string     // after the version, e.g. "/17841400000/media"
	Query  url.Values // query parameters (fields, limit...)
	Params any        // a POST body, sent as JSON; nil for none
	// Body (bytes) or Stream (read as sent, of StreamLength bytes) is a
	// body that is not JSON (multipart, a file), of ContentType, used when
	// Params is nil; Header holds extra headers. See apikit.Request.
	Body         []byte
	Stream       io.Reader
	StreamLength int64
	ContentType  string
	Header       http.Header
	// Name names the call in errors with the documented path template,
	// e.g. "POST /{ig-user-id}/media_publish" (never an id or a token).
	Name string
	// Token is the access token; when empty, Account's token is got with
	// networks.AccessToken.
	Token   string
	Account *networks.Account
	// Write, Credentials, Op, Marker and Target: see apikit.Request.
	Write, Credentials bool
	Op, Marker         string
	Target             networks.RemoteID
}

// Do sends call and decodes a 2xx answer into out. The Response's Quotas
// are the usage headers read by [Quotas]. Failures follow [apikit.Client.Do].
func (c *Client) Do(ctx context.Context, call *Call, out any) (apikit.Response, error) {
	if err := ctx.Err(); err != nil {
		return apikit.Response{}, err
	}
	token := call.Token
	acctID := ""
	if call.Account != nil {
		acctID = call.Account.ID
		if token == "" {
			tok, err := networks.AccessToken(ctx, c.cfg.Network, *call.Account)
			if err != nil {
				return apikit.Response{}, err
			}
			token = tok.AccessToken
		}
	}
	q := url.Values{}
	for k, v := range call.Query {
		q[k] = v
	}
	if c.cfg.AppSecret != "" && token != "" {
		q.Set("appsecret_proof", Proof(c.cfg.AppSecret, token))
	}
	u, ok := apikit.JoinURL(c.cfg.BaseURL, "/"+c.cfg.Version+call.Path, q)
	if !ok {
		return apikit.Response{}, &networks.FieldError{Network: c.cfg.Network, Field: "base_url", Value: c.cfg.BaseURL, Reason: "not an absolute http(s) URL"}
	}
	res, err := c.api.Do(ctx, &apikit.Request{Method: call.Method, URL: u, Name: call.Name, JSON: call.Params, Token: token,
		Body: call.Body, Stream: call.Stream, StreamLength: call.StreamLength, ContentType: call.ContentType, Header: call.Header,
		Write: call.Write, Credentials: call.Credentials, Op: call.Op, AccountID: acctID, Marker: call.Marker, Target: call.Target}, out)
	if res.Header != nil {
		res.Quotas = Quotas(res.Header, c.cfg.Now())
	}
	return res, err
}

// Proof returns appsecret_proof for token: the hex HMAC-SHA256 of the token
// keyed by the app secret
// (https://developers.facebook.com/docs/graph-api/securing-requests).
func Proof(appSecret Secret, token string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}
