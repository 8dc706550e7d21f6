package networks

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// TokenStore persists each account's OAuth2 token. The host implements it
// over its own storage; [MemTokenStore] is the in-memory default and
// networktest.RunTokenStore is the conformance suite an implementation runs.
//
// Implementations must be safe for concurrent use. Load returns an error
// matching [socialflow.ErrNotFound] when no token is stored for the account.
// Save replaces the stored token (access token, refresh token, expiry and
// type) and must be durable when it returns nil: the Publisher saves a
// refreshed token — including a rotated refresh token — before it uses it,
// because a network that rotates refresh tokens invalidates the old one.
// Neither method may put a token in an error message.
type TokenStore interface {
	Load(ctx context.Context, accountID string) (*oauth2.Token, error)
	Save(ctx context.Context, accountID string, t *oauth2.Token) error
}

// Refresher makes a TokenSource that renews t when it has expired. It is the
// method set of *oauth2.Config, which is the usual Refresher; networks with
// their own refresh call (Bluesky's refreshSession) implement it directly.
type Refresher interface {
	TokenSource(ctx context.Context, t *oauth2.Token) oauth2.TokenSource
}

// MemTokenStore is an in-memory [TokenStore]. The zero value is an empty
// store ready to use; it is safe for concurrent use and keeps copies, so
// callers may change the tokens they pass or receive.
type MemTokenStore struct {
	mu sync.Mutex
	m  map[string]oauth2.Token
}

// NewMemTokenStore returns an empty MemTokenStore.
func NewMemTokenStore() *MemTokenStore { return &MemTokenStore{} }

// Load returns a copy of the token saved for accountID, or a *NotFoundError.
func (s *MemTokenStore) Load(ctx context.Context, accountID string) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.m[accountID]
	if !ok {
		return nil, &NotFoundError{Op: "load token", ID: RemoteID(accountID)}
	}
	return &t, nil
}

// Save stores a copy of t for accountID. A nil token is a *FieldError.
func (s *MemTokenStore) Save(ctx context.Context, accountID string, t *oauth2.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t == nil {
		return &FieldError{Field: "token", Reason: "nil token"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]oauth2.Token{}
	}
	c := *t
	c = *c.WithExtra(nil) // drop the raw token response: it may hold other secrets
	s.m[accountID] = c
	return nil
}

// accountTokens is the notifying TokenSource the Publisher hands adapters for
// one account: it loads the token from the store, refreshes it through the
// Refresher when it has expired (one refresh in flight per account: the mutex
// is held across the refresh), saves the refreshed token before returning it,
// and never reports a token it could not save.
type accountTokens struct {
	mu        sync.Mutex
	accountID string
	network   string
	store     TokenStore
	refresher Refresher
	ctx       context.Context // long-lived: oauth2 keeps it for HTTP
	current   *oauth2.Token
	unsaved   *oauth2.Token // refreshed but not yet saved: never used, never refreshed again
	now       func() time.Time
}

// Token implements oauth2.TokenSource.
func (a *accountTokens) Token() (*oauth2.Token, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.current == nil {
		t, err := a.store.Load(a.ctx, a.accountID)
		if errors.Is(err, ErrNotFound) {
			return nil, &FieldError{Network: a.network, Field: "account.credentials", Value: a.accountID, Reason: "no token stored for the account"}
		}
		if err != nil {
			return nil, &TransientError{Network: a.network, Op: "load token", Err: err}
		}
		a.current = t
	}
	if a.unsaved != nil {
		// A refresh succeeded but saving it failed. The network may have
		// rotated the refresh token, so save this one rather than refresh
		// again with a refresh token that no longer works.
		if err := a.store.Save(a.ctx, a.accountID, a.unsaved); err != nil {
			return nil, &TransientError{Network: a.network, Op: "save token", Err: redact(err, a.unsaved.AccessToken, a.unsaved.RefreshToken)}
		}
		a.current, a.unsaved = a.unsaved, nil
	}
	if a.current.Valid() {
		c := *a.current
		return &c, nil
	}
	if a.refresher == nil || a.current.RefreshToken == "" {
		return nil, &ReauthRequiredError{Network: a.network, AccountID: a.accountID, Reason: "access token expired and cannot be refreshed"}
	}
	stale := *a.current
	if !stale.Expiry.Before(a.now()) {
		stale.Expiry = a.now().Add(-time.Minute) // force the refresher's hand
	}
	t, err := a.refresher.TokenSource(a.ctx, &stale).Token()
	if err != nil {
		return nil, a.classifyRefresh(err)
	}
	if t.RefreshToken == "" { // not rotated: keep the one we have
		t.RefreshToken = a.current.RefreshToken
	}
	saved := *t
	saved = *saved.WithExtra(nil)
	if err := a.store.Save(a.ctx, a.accountID, &saved); err != nil {
		a.unsaved = &saved
		return nil, &TransientError{Network: a.network, Op: "save token", Err: redact(err, t.AccessToken, t.RefreshToken)}
	}
	a.current = &saved
	c := saved
	return &c, nil
}

// invalidate marks the token with access token stale as expired, so the next
// Token call refreshes it. If another caller already replaced it, nothing
// changes: one refresh per expiry, however many callers saw it fail.
func (a *accountTokens) invalidate(stale string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.current != nil && a.current.AccessToken == stale {
		c := *a.current
		c.Expiry = a.now().Add(-time.Minute)
		a.current = &c
	}
}

// secrets returns the current access and refresh tokens, for redaction.
func (a *accountTokens) secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.current == nil {
		return nil
	}
	return []string{a.current.AccessToken, a.current.RefreshToken}
}

func (a *accountTokens) classifyRefresh(err error) error {
	var secrets []string
	if a.current != nil {
		secrets = []string{a.current.AccessToken, a.current.RefreshToken}
	}
	err = redact(err, secrets...)
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && refused(re) {
		return &ReauthRequiredError{Network: a.network, AccountID: a.accountID, Reason: "refresh refused: " + re.ErrorCode, Err: err}
	}
	if errors.Is(err, ErrAuthExpired) || errors.Is(err, ErrRejected) || errors.Is(err, ErrInvalid) {
		return &ReauthRequiredError{Network: a.network, AccountID: a.accountID, Reason: "refresh refused", Err: err}
	}
	if errors.Is(err, ErrRateLimited) {
		return err
	}
	return &TransientError{Network: a.network, Op: OpRefresh, Err: err}
}

// refused reports whether a token endpoint's error means the refresh token is
// no good (RFC 6749 §5.2 error codes, or a 4xx other than 429).
func refused(re *oauth2.RetrieveError) bool {
	switch re.ErrorCode {
	case "invalid_grant", "invalid_client", "unauthorized_client", "invalid_scope", "unsupported_grant_type":
		return true
	}
	if re.Response == nil {
		return false
	}
	c := re.Response.StatusCode
	return c >= 400 && c < 500 && c != http.StatusTooManyRequests
}
