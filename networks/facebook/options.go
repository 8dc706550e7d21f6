package facebook

import (
	"context"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// Option configures an [Adapter]. An invalid value makes [New] fail with a
// *networks.FieldError naming the option.
type Option func(*Adapter) error

// TokenKind says what an account's Tokens supply.
type TokenKind int

// The token kinds.
const (
	// UserTokens: Account.Tokens gives a (long-lived) user access token of
	// a person with a task on the Page; the adapter derives the Page token
	// from it (GET /{page-id}?fields=access_token) and keeps it in memory.
	// This is the default: it is what Facebook Login and the Publisher's
	// TokenStore hold.
	UserTokens TokenKind = iota
	// PageTokens: Account.Tokens gives the Page access token itself (a
	// host that derived and stored it). Uploading a video's bytes then uses
	// the Page token where Meta documents a user token.
	PageTokens
)

// DefaultVideoHost is the host Meta documents for POST /{page-id}/videos
// (https://developers.facebook.com/docs/video-api/guides/publishing).
const DefaultVideoHost = "https://graph-video.facebook.com"

// WithBaseURL sets the Graph API host (default metagraph.FacebookHost), e.g.
// a fake's URL. Unless [WithVideoBaseURL] is given too, videos are then
// published on the same host.
func WithBaseURL(u string) Option {
	return func(a *Adapter) error { a.cfg.BaseURL, a.baseSet = u, true; return nil }
}

// WithVideoBaseURL sets the host of POST /{page-id}/videos (default
// [DefaultVideoHost]).
func WithVideoBaseURL(u string) Option { return func(a *Adapter) error { a.videoBase = u; return nil } }

// WithVersion sets the Graph API version (default metagraph.DefaultVersion).
func WithVersion(v string) Option { return func(a *Adapter) error { a.cfg.Version = v; return nil } }

// WithAppSecret sends appsecret_proof with every call
// (https://developers.facebook.com/docs/graph-api/securing-requests).
func WithAppSecret(s metagraph.Secret) Option {
	return func(a *Adapter) error { a.cfg.AppSecret = s; return nil }
}

// WithAppID sets the Meta app id, which the Resumable Upload API needs
// (POST /{app-id}/uploads) to upload a video's bytes. Without it a video
// must come with a public URL (file_url).
func WithAppID(id string) Option {
	return func(a *Adapter) error {
		if !validID(id) {
			return &networks.FieldError{Network: Network, Field: "app_id", Value: id, Reason: "not a Meta app id"}
		}
		a.appID = id
		return nil
	}
}

// WithClock sets the adapter's clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if err := apikit.Clock(Network, now); err != nil {
			return err
		}
		a.cfg.Now = now
		return nil
	}
}

// WithPageID sets how the Page id (the {page-id} of the paths) is found for
// an account; the default is Account.ID.
func WithPageID(f func(networks.Account) string) Option {
	return func(a *Adapter) error {
		if f == nil {
			return &networks.FieldError{Network: Network, Field: "page_id", Reason: "nil"}
		}
		a.pageID = f
		return nil
	}
}

// WithTokenKind says what Account.Tokens supply (default [UserTokens]).
func WithTokenKind(k TokenKind) Option {
	return func(a *Adapter) error {
		if k != UserTokens && k != PageTokens {
			return &networks.FieldError{Network: Network, Field: "token_kind", Value: kindName(k), Reason: "not UserTokens or PageTokens"}
		}
		a.kind = k
		return nil
	}
}

// WithCommentReport sets the hook told when a first comment fails after its
// post was published: Publish still returns the published receipt and no
// error (publishing again would post twice), so the hook is where the host
// records the missing comment and, if it wants, posts it with
// [Adapter.Comment]. Default: the failure is dropped.
func WithCommentReport(report func(ctx context.Context, r networks.Receipt, err *CommentError)) Option {
	return func(a *Adapter) error {
		if report == nil {
			return &networks.FieldError{Network: Network, Field: "comment_report", Reason: "nil"}
		}
		a.report = report
		return nil
	}
}

func kindName(k TokenKind) string {
	switch k {
	case UserTokens:
		return "UserTokens"
	case PageTokens:
		return "PageTokens"
	}
	return "TokenKind(" + itoa(int(k)) + ")"
}
