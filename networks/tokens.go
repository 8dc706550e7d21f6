package networks

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/internal/echo"
)

// TokenStore persists each account's OAuth2 token. The host implements it
// over its own storage; [MemTokenStore] is the in-memory default and
// networktest.RunTokenStore is the conformance suite an implementation runs.
//
// Implementations must be safe for concurrent use, also by several
// processes (replicas) sharing one storage. Every method uses the ctx it is
// given for its I/O. Load returns an error matching [socialflow.ErrNotFound]
// when no token is stored for the account. Save replaces the stored token
// (access token, refresh token, expiry and type) unconditionally — a host
// calls it when a person connects or reconnects an account.
//
// Swap is the conditional Save the Publisher uses for a refreshed token: it
// stores t only if the token stored now is old — the same access and
// refresh token; a nil old means "only if nothing is stored" — as one
// atomic step (a compare-and-swap: a transaction, a conditional update on
// the refresh token). When the stored token is not old, because another
// replica rotated it or a person reconnected the account meanwhile, Swap
// stores nothing and returns an error matching [socialflow.ErrConflict]
// (MemTokenStore returns a [*StateError]); the Publisher then loads what
// is stored and uses that. Both Save and Swap must be durable when they
// return nil: the Publisher saves a refreshed token — including a rotated
// refresh token — before it uses it, because a network that rotates refresh
// tokens invalidates the old one.
//
// No method may put a token in an error message.
type TokenStore interface {
	Load(ctx context.Context, accountID string) (*oauth2.Token, error)
	Save(ctx context.Context, accountID string, t *oauth2.Token) error
	Swap(ctx context.Context, accountID string, old, t *oauth2.Token) error
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
//
// Its String, GoString and LogValue show how many accounts it holds, never
// a token; the tokens sit behind pointers, so even a struct holding a
// MemTokenStore prints no token.
type MemTokenStore struct {
	mu sync.Mutex
	m  map[string]*oauth2.Token
}

// String describes s without its tokens.
func (s *MemTokenStore) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "networks.MemTokenStore{accounts:" + strconv.Itoa(len(s.m)) + " tokens:REDACTED}"
}

// GoString is String, so %#v never prints a token.
func (s *MemTokenStore) GoString() string { return s.String() }

// LogValue implements [slog.LogValuer]: the number of accounts only.
func (s *MemTokenStore) LogValue() slog.Value {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slog.GroupValue(slog.Int("accounts", len(s.m)))
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
	c := *t
	return &c, nil
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
		s.m = map[string]*oauth2.Token{}
	}
	c := *t
	c = *c.WithExtra(nil) // drop the raw token response: it may hold other secrets
	s.m[accountID] = &c
	return nil
}

// Swap stores a copy of t for accountID only if the stored token has old's
// access and refresh token (old nil: only if none is stored); otherwise it
// stores nothing and returns a *StateError matching
// [socialflow.ErrConflict]. A nil t is a *FieldError.
func (s *MemTokenStore) Swap(ctx context.Context, accountID string, old, t *oauth2.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t == nil {
		return &FieldError{Field: "token", Reason: "nil token"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.m[accountID]
	if ok != (old != nil) || (ok && !sameToken(cur, old)) {
		return &StateError{Op: "swap token", Reason: "the token stored for account " + echo.Quote(accountID) + " changed meanwhile"}
	}
	if s.m == nil {
		s.m = map[string]*oauth2.Token{}
	}
	c := *t
	c = *c.WithExtra(nil)
	s.m[accountID] = &c
	return nil
}

// sameToken reports whether a and b hold the same access and refresh token.
func sameToken(a, b *oauth2.Token) bool {
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

// accountTokens is the token source the Publisher keeps for one account: it
// loads the token from the store, refreshes it through the Refresher when it
// has expired (one refresh in flight per account: the turn is held across
// load, refresh and save), saves the refreshed token with a compare-and-swap
// before returning it, and never reports a token it could not save. Other
// replicas share the store: when a refresh is refused, or the swap finds
// another token stored, it loads what is stored and uses that (refreshing it
// once if it has expired too). Store I/O runs in the caller's context; the
// refresh itself runs in the long-lived refresh context, so that a caller
// giving up cannot lose a refresh token the network already rotated.
type accountTokens struct {
	turn       chan struct{} // held by the one caller loading, refreshing or saving
	accountID  string
	network    string
	store      TokenStore
	refresher  Refresher
	refreshCtx context.Context // long-lived: oauth2 keeps it for HTTP
	now        func() time.Time

	mu      sync.Mutex
	current *oauth2.Token
	unsaved *oauth2.Token // refreshed but not yet saved: never used, never refreshed again
}

func newAccountTokens(id, network string, store TokenStore, r Refresher, refreshCtx context.Context) *accountTokens {
	return &accountTokens{turn: make(chan struct{}, 1), accountID: id, network: network, store: store,
		refresher: r, refreshCtx: refreshCtx, now: time.Now}
}

// Token implements oauth2.TokenSource for a caller without a context; the
// Publisher hands adapters a [callTokens] bound to the call's context
// instead.
func (a *accountTokens) Token() (*oauth2.Token, error) { return a.token(context.Background()) }

// callTokens is an account's token source bound to one call's context, so
// that the store I/O behind it ends with the call.
type callTokens struct {
	a   *accountTokens
	ctx context.Context
}

// Token implements oauth2.TokenSource.
func (c callTokens) Token() (*oauth2.Token, error) { return c.a.token(c.ctx) }

// String, GoString and LogValue name the account, never its token.
func (c callTokens) String() string       { return c.a.String() }
func (c callTokens) GoString() string     { return c.a.String() }
func (c callTokens) LogValue() slog.Value { return c.a.LogValue() }

// String, GoString and LogValue name the account, never its token.
func (a *accountTokens) String() string {
	return "networks.TokenSource{account:" + strconv.Quote(a.accountID) + " token:REDACTED}"
}
func (a *accountTokens) GoString() string { return a.String() }
func (a *accountTokens) LogValue() slog.Value {
	return slog.GroupValue(slog.String("account", a.accountID), slog.String("token", "REDACTED"))
}

func (a *accountTokens) get() (cur, unsaved *oauth2.Token) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.current, a.unsaved
}

func (a *accountTokens) set(cur, unsaved *oauth2.Token) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.current, a.unsaved = cur, unsaved
}

// token returns a valid, saved token for the account.
func (a *accountTokens) token(ctx context.Context) (*oauth2.Token, error) {
	if err := acquire(ctx, a.turn); err != nil {
		return nil, err
	}
	defer release(a.turn)
	cur, unsaved := a.get()
	if cur == nil {
		t, err := a.load(ctx)
		if err != nil {
			return nil, err
		}
		cur = t
		a.set(cur, nil)
	}
	if unsaved != nil {
		// A refresh succeeded but saving it failed. The network may have
		// rotated the refresh token, so save this one rather than refresh
		// again with a refresh token that no longer works.
		t, err := a.swap(ctx, cur, unsaved)
		if err != nil {
			return nil, err
		}
		cur = t
	}
	if cur.Valid() {
		c := *cur
		return &c, nil
	}
	return a.renew(ctx, cur)
}

// renew refreshes cur; when the refresh is refused and the store holds
// another token (rotated by another replica, or a reconnect), it uses that
// one, refreshing it once if it has expired too.
func (a *accountTokens) renew(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
	for retried := false; ; retried = true {
		t, err := a.refresh(ctx, cur)
		var re *ReauthRequiredError
		if err == nil || retried || !errors.As(err, &re) {
			return t, err
		}
		stored, lerr := a.load(ctx)
		if lerr != nil || sameToken(stored, cur) {
			return nil, err // nothing newer stored: the refusal stands
		}
		cur = stored
		a.set(cur, nil)
		if cur.Valid() {
			c := *cur
			return &c, nil
		}
	}
}

// refresh renews cur through the Refresher and saves the result with a
// compare-and-swap.
func (a *accountTokens) refresh(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
	if a.refresher == nil || cur.RefreshToken == "" {
		return nil, &ReauthRequiredError{Network: a.network, AccountID: a.accountID, Reason: "access token expired and cannot be refreshed"}
	}
	stale := *cur
	if !stale.Expiry.Before(a.now()) {
		stale.Expiry = a.now().Add(-time.Minute) // force the refresher's hand
	}
	t, err := a.refresher.TokenSource(a.refreshCtx, &stale).Token()
	if err != nil {
		return nil, a.classifyRefresh(ctx, err, cur)
	}
	if t.RefreshToken == "" { // not rotated: keep the one we have
		t.RefreshToken = cur.RefreshToken
	}
	saved := *t
	saved = *saved.WithExtra(nil)
	return a.swap(ctx, cur, &saved)
}

// swap saves t in place of cur. When another token was stored meanwhile it
// uses the stored one if it is valid; when the save fails, t is kept as
// unsaved to be saved by the next call.
func (a *accountTokens) swap(ctx context.Context, cur, t *oauth2.Token) (*oauth2.Token, error) {
	err := a.store.Swap(ctx, a.accountID, cur, t)
	if err == nil {
		a.set(t, nil)
		c := *t
		return &c, nil
	}
	if errors.Is(err, ErrConflict) {
		stored, lerr := a.load(ctx)
		if lerr != nil {
			return nil, lerr
		}
		a.set(stored, nil)
		if stored.Valid() {
			c := *stored
			return &c, nil
		}
		return nil, &TransientError{Network: a.network, Op: "save token",
			Err: errors.New("another token was stored for the account meanwhile; it has expired and will be refreshed")}
	}
	a.set(cur, t)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	return nil, &TransientError{Network: a.network, Op: "save token", Err: redact(err, t.AccessToken, t.RefreshToken, cur.AccessToken, cur.RefreshToken)}
}

// load reads the stored token in the caller's context.
func (a *accountTokens) load(ctx context.Context) (*oauth2.Token, error) {
	t, err := a.store.Load(ctx, a.accountID)
	switch {
	case err == nil && t != nil:
		return t, nil
	case errors.Is(err, ErrNotFound) || (err == nil && t == nil):
		return nil, &FieldError{Network: a.network, Field: "account.credentials", Value: a.accountID, Reason: "no token stored for the account"}
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	return nil, &TransientError{Network: a.network, Op: "load token", Err: redact(err, a.secrets()...)}
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

// secrets returns the current (and unsaved) access and refresh tokens, for
// redaction.
func (a *accountTokens) secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, t := range []*oauth2.Token{a.current, a.unsaved} {
		if t != nil {
			out = append(out, t.AccessToken, t.RefreshToken)
		}
	}
	return out
}

// classifyRefresh applies the rule of [AccessToken] to a refresh's error; a
// refresher's own auth or validation error also means a person must
// reconnect: no refresh can help.
func (a *accountTokens) classifyRefresh(ctx context.Context, err error, cur *oauth2.Token) error {
	err = redact(err, append(a.secrets(), cur.AccessToken, cur.RefreshToken)...)
	err = classifyTokenError(ctx, a.network, a.accountID, err)
	var re *ReauthRequiredError
	if errors.As(err, &re) {
		return err
	}
	if errors.Is(err, ErrAuthExpired) || errors.Is(err, ErrRejected) || errors.Is(err, ErrInvalid) {
		return &ReauthRequiredError{Network: a.network, AccountID: a.accountID, Reason: "refresh refused", Err: err}
	}
	return err
}
