package networks

import (
	"context"
	"log/slog"
	"strconv"
	"time"
)

// Option configures a [Publisher]. An invalid value makes [NewPublisher] fail
// with a *FieldError matching [socialflow.ErrInvalid].
type Option func(*publisherOptions) error

type publisherOptions struct {
	logger      *slog.Logger
	store       TokenStore
	refresher   Refresher
	refreshCtx  context.Context
	rates       *RateLimits
	initial     time.Duration
	maxInterval time.Duration
	maxElapsed  time.Duration
	maxAttempts int
	onAttempt   func(Attempt)
	marker      func() string
	clock       Clock
}

func defaultOptions() publisherOptions {
	return publisherOptions{
		logger:      slog.New(slog.DiscardHandler),
		refreshCtx:  context.Background(),
		initial:     time.Second,
		maxInterval: time.Minute,
		maxElapsed:  15 * time.Minute,
		maxAttempts: 10,
		marker:      newMarker,
		clock:       ClockFunc(time.Now),
	}
}

// WithClock sets the time source the Publisher's rate limiting reads: its
// limiters, the quota resets it learns ([Publisher.LearnQuotas]) and the
// Retry-After or Reset instants of a [*RateLimitError] are measured against
// c, so they agree with the clock of the network the adapter talks to (a
// fake network on a fake clock, say). Waits still run on real timers, and
// ctx's deadline and OAuth2 token expiry are compared with the real time
// (use testing/synctest to fake those too). Default: the real time; nil is
// a *FieldError.
func WithClock(c Clock) Option {
	return func(o *publisherOptions) error {
		if c == nil {
			return &FieldError{Field: "option.clock", Reason: "nil Clock"}
		}
		o.clock = c
		return nil
	}
}

// WithLogger sets the logger for attempts, waits and outcomes. Default (and
// nil): a logger that discards everything. Log lines never carry tokens.
func WithLogger(l *slog.Logger) Option {
	return func(o *publisherOptions) error {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		o.logger = l
		return nil
	}
}

// WithTokenStore makes the Publisher manage OAuth2 tokens for accounts whose
// Tokens field is nil: it loads them from store, refreshes expired ones
// through r (an *oauth2.Config, or nil for tokens that never expire), saves
// every refreshed token — rotated refresh token included — with
// [TokenStore.Swap] before using it, and runs at most one refresh per account
// at a time. Replicas may share store: when the network refuses the cached
// token (a refused refresh, or a 401 that no refresh fixes), or the swap
// finds another token stored, the Publisher loads what is stored and retries
// once with it, so a token another replica rotated or a person reconnected
// is picked up without a restart. Store I/O runs in each call's context.
// Default: none, so every account must carry its own Tokens.
func WithTokenStore(store TokenStore, r Refresher) Option {
	return func(o *publisherOptions) error {
		if store == nil {
			return &FieldError{Field: "option.token_store", Reason: "nil TokenStore"}
		}
		o.store, o.refresher = store, r
		return nil
	}
}

// WithRefreshContext sets the long-lived context used for the token
// endpoint's request (put the refresh HTTP client in it with
// oauth2.HTTPClient). It is not bounded by the call's context on purpose: a
// refresh cut short after the network rotated the refresh token would lose
// it. Token-store I/O does not use it: it runs in each call's context.
// Default: context.Background().
func WithRefreshContext(ctx context.Context) Option {
	return func(o *publisherOptions) error {
		if ctx == nil {
			return &FieldError{Field: "option.refresh_context", Reason: "nil context"}
		}
		o.refreshCtx = ctx
		return nil
	}
}

// WithRateLimits replaces the spec's publishing limits (per account and per
// app). Default: Spec().Rate.
func WithRateLimits(r RateLimits) Option {
	return func(o *publisherOptions) error {
		for _, w := range []Window{r.PerAccount, r.PerApp} {
			if w.Count < 0 || w.Per < 0 {
				return &FieldError{Field: "option.rate_limits", Value: w.String(), Reason: "must not be negative"}
			}
		}
		o.rates = &r
		return nil
	}
}

// WithBackOff sets the first retry interval and the cap on any one interval
// of the exponential backoff (randomisation factor 0.5). Defaults: 1 s and
// 1 min. A Retry-After or reset time longer than the interval wins.
func WithBackOff(initial, maxInterval time.Duration) Option {
	return func(o *publisherOptions) error {
		if initial <= 0 || maxInterval < initial {
			return &FieldError{Field: "option.backoff", Value: initial.String() + "/" + maxInterval.String(), Reason: "need 0 < initial <= max"}
		}
		o.initial, o.maxInterval = initial, maxInterval
		return nil
	}
}

// WithMaxElapsedTime bounds the time one call spends retrying (waits
// included); a wait that would go past it ends the call with the last error.
// Default: 15 min. The call's context bounds it too.
func WithMaxElapsedTime(d time.Duration) Option {
	return func(o *publisherOptions) error {
		if d <= 0 {
			return &FieldError{Field: "option.max_elapsed_time", Value: d.String(), Reason: "must be positive"}
		}
		o.maxElapsed = d
		return nil
	}
}

// WithMaxAttempts bounds the attempts of one call (the first included).
// Default: 10.
func WithMaxAttempts(n int) Option {
	return func(o *publisherOptions) error {
		if n < 1 {
			return &FieldError{Field: "option.max_attempts", Value: strconv.Itoa(n), Reason: "must be at least 1"}
		}
		o.maxAttempts = n
		return nil
	}
}

// WithAttemptHook calls fn after every attempt, from the goroutine making the
// call (so fn must be safe for concurrent use when the Publisher is shared).
// Default: none.
func WithAttemptHook(fn func(Attempt)) Option {
	return func(o *publisherOptions) error {
		o.onAttempt = fn
		return nil
	}
}

// WithMarkers sets the function that makes an idempotency marker for a draft
// without one. Default: "sf-" followed by 26 random base-32 characters.
func WithMarkers(fn func() string) Option {
	return func(o *publisherOptions) error {
		if fn == nil {
			return &FieldError{Field: "option.markers", Reason: "nil function"}
		}
		o.marker = fn
		return nil
	}
}

// Attempt describes one call to the adapter, for [WithAttemptHook].
type Attempt struct {
	Op        string        // OpPublish, OpCheck, OpDelete, OpMetrics, OpFind, OpIncoming, OpReply
	Network   string        // the spec's network key
	AccountID string        // the account the call was for
	Marker    string        // the publish's marker (publish, check and find)
	N         int           // 1 for the first attempt of the call
	Err       error         // nil on success
	Took      time.Duration // the adapter call's duration
	Wait      time.Duration // the wait before the next attempt; 0 when none follows
}
