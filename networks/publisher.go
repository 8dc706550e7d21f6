package networks

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"golang.org/x/time/rate"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/internal/echo"
)

// Publisher wraps an [Adapter] with the rules every network shares: it
// validates drafts against the spec, rate-limits publishes per account and
// per app (golang.org/x/time/rate, from the spec and from what the network
// reports), retries transient failures and rate limits with exponential
// backoff and jitter that honours Retry-After and reset times, refreshes
// OAuth2 tokens through a [TokenStore], puts an idempotency marker on every
// publish, and resolves unknown outcomes through the adapter's [Finder]
// before anything is posted again.
//
// It never retries a rejection, a duplicate or an unknown outcome, and every
// wait is bounded by the call's context and by [WithMaxElapsedTime]: a wait
// that cannot fit either ends the call at once with the error that caused it
// (see [Publisher.Publish]).
//
// A Publisher is safe for concurrent use; share one per adapter (limiters
// and token state live inside it). Create it with [NewPublisher].
type Publisher struct {
	adapter Adapter
	spec    Spec
	finder  Finder
	o       publisherOptions

	mu       sync.Mutex
	accounts map[string]*accountState
	app      *limitState
}

type accountState struct {
	limit  *limitState
	tokens *accountTokens // nil until the Publisher manages this account's tokens
}

// String describes p by its network, never its token state.
func (p *Publisher) String() string {
	return "networks.Publisher{network:" + strconv.Quote(p.spec.Network) + "}"
}

// GoString is String, so %#v never prints a token.
func (p *Publisher) GoString() string { return p.String() }

// LogValue implements [slog.LogValuer]: the network only.
func (p *Publisher) LogValue() slog.Value {
	return slog.GroupValue(slog.String("network", p.spec.Network))
}

// NewPublisher returns a Publisher for a. The adapter's spec must be valid
// (a negative limit fails with a *FieldError); options may fail the same way.
func NewPublisher(a Adapter, opts ...Option) (*Publisher, error) {
	if a == nil {
		return nil, &FieldError{Field: "adapter", Reason: "nil adapter"}
	}
	spec := a.Spec()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	o := defaultOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	p := &Publisher{adapter: a, spec: spec.clone(), o: o, accounts: map[string]*accountState{}}
	p.finder, _ = a.(Finder)
	p.app = newLimitState(p.rates().PerApp)
	return p, nil
}

// Spec returns the spec the Publisher enforces.
func (p *Publisher) Spec() Spec { return p.spec.clone() }

func (p *Publisher) rates() RateLimits {
	if p.o.rates != nil {
		return *p.o.rates
	}
	return p.spec.Rate
}

func (p *Publisher) state(id string) *accountState {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.accounts[id]
	if !ok {
		st = &accountState{limit: newLimitState(p.rates().PerAccount)}
		if p.o.store != nil {
			st.tokens = newAccountTokens(id, p.spec.Network, p.o.store, p.o.refresher, p.o.refreshCtx)
		}
		p.accounts[id] = st
	}
	return st
}

// prepare checks acct and attaches the Publisher's token source when the
// Publisher manages its tokens.
func (p *Publisher) prepare(acct Account) (Account, *accountState, error) {
	if acct.ID == "" {
		return acct, nil, &FieldError{Network: p.spec.Network, Field: "account.id", Reason: "required"}
	}
	if acct.Network != "" && acct.Network != p.spec.Network {
		return acct, nil, &FieldError{Network: p.spec.Network, Field: "account.network", Value: acct.Network, Reason: "account belongs to another network"}
	}
	st := p.state(acct.ID)
	if acct.Tokens == nil {
		if st.tokens == nil {
			return acct, nil, &FieldError{Network: p.spec.Network, Field: "account.credentials", Value: acct.ID,
				Reason: "account has no token source and the Publisher has no TokenStore"}
		}
		acct.Tokens = st.tokens
	}
	return acct, st, nil
}

// Publish validates d against the spec and publishes it for acct.
//
// When the spec or the account says "publish by hand", nothing is sent: the
// receipt has Status [StatusManual] and carries the [ManualTask] for a person
// (see [MarkPublished]). Otherwise the receipt is [StatusPublished], or
// [StatusPending] for networks that process asynchronously (resolve it with
// [Publisher.Check]).
//
// Errors, by kind (check them in this order; a caller classifies by kind
// before it looks at context errors):
//
//   - [*OutcomeUnknownError] (ErrOutcomeUnknown): a write may have reached
//     the network and no [Finder] could say whether the post exists. It also
//     matches ctx.Err() when the context ended the call after sending. The
//     caller must mark the publish unconfirmed and look it up, never publish
//     it again blindly.
//   - [*RateLimitError] (ErrRateLimited) or [*TransientError]
//     (ErrTransient): nothing was published; retry later (RateLimitError.Wait
//     says when). This is also what a wait that cannot fit ctx's deadline
//     returns — a Retry-After, a reset time, a backoff interval or the
//     Publisher's own limiter longer than the time left — at once, without
//     sleeping and without sending (as rate.Limiter.WaitN does). A
//     RateLimitError from the Publisher's own limiter has the Scope of the
//     limiter, RetryAfter set to the wait it needed and Reset to when that
//     wait ends.
//   - [*ValidationError] or [*FieldError] (ErrInvalid: bad draft, account
//     without credentials), the adapter's permanent errors as they are
//     (ErrRejected, ErrDuplicate, ...), [*ReauthRequiredError] when neither a
//     refresh nor the token stored meanwhile helps: nothing was published.
//   - an error matching ctx.Err() and none of the kinds above: the context
//     ended before anything was sent, or while waiting between attempts none
//     of which took effect; nothing was published. The last attempt's error,
//     if any, is wrapped too.
func (p *Publisher) Publish(ctx context.Context, acct Account, d Draft) (Receipt, error) {
	return p.publish(ctx, acct, d, OpPublish, p.adapter.Publish)
}

// publish is Publish with the adapter call given: the adapter's Publish, or
// its Reply under an incoming item ([Publisher.Reply]); op names it in
// attempts and in the errors the Publisher makes.
func (p *Publisher) publish(ctx context.Context, acct Account, d Draft, op string, send func(context.Context, Account, Draft) (Receipt, error)) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	spec := p.spec
	if op == OpReply {
		spec = spec.ForReply()
	}
	if err := Validate(spec, d); err != nil {
		return Receipt{}, err
	}
	if d.Marker == "" {
		d.Marker = p.o.marker()
	}
	if p.spec.Manual || acct.Manual {
		if acct.ID == "" {
			return Receipt{}, &FieldError{Network: p.spec.Network, Field: "account.id", Reason: "required"}
		}
		reason := "account"
		if p.spec.Manual {
			reason = "spec"
		}
		return Receipt{
			Network: p.spec.Network, AccountID: acct.ID, Status: StatusManual, Marker: d.Marker,
			Manual: &ManualTask{Network: p.spec.Network, AccountID: acct.ID, Handle: acct.Handle, Draft: d, Reason: reason},
		}, nil
	}
	acct, st, err := p.prepare(acct)
	if err != nil {
		return Receipt{}, err
	}
	var rec Receipt
	c := call{p: p, st: st, acct: acct, op: op, marker: d.Marker, limited: true}
	attempts, err := c.run(ctx, func(ctx context.Context, acct Account) error {
		r, err := send(ctx, acct, d)
		if err == nil {
			rec = r
			p.LearnQuotas(acct.ID, r.Quotas)
			return nil
		}
		if !errors.Is(err, ErrOutcomeUnknown) || ctx.Err() != nil {
			return err
		}
		// The post may exist: look it up before anything is posted again.
		found, ok, ferr := p.find(ctx, acct, st, d.Marker)
		switch {
		case ferr != nil:
			return &OutcomeUnknownError{Network: p.spec.Network, Op: op, AccountID: acct.ID, Marker: d.Marker,
				Err: errors.Join(err, fmt.Errorf("finder: %w", ferr))}
		case ok:
			rec = found
			p.o.logger.LogAttrs(ctx, slog.LevelInfo, "networks: unknown outcome resolved: post found",
				slog.String("network", p.spec.Network), slog.Any("account", acct), slog.String("marker", d.Marker))
			return nil
		}
		// Definitely not posted: safe to publish again. The error keeps
		// what made the outcome unknown (a 502, a timeout), not its kind.
		return &TransientError{Network: p.spec.Network, Op: op, Err: &notFoundAfterUnknown{cause: outcomeCause(err)}}
	})
	if err != nil {
		return Receipt{}, err
	}
	if rec.Network == "" {
		rec.Network = p.spec.Network
	}
	if rec.AccountID == "" {
		rec.AccountID = acct.ID
	}
	if rec.Marker == "" {
		rec.Marker = d.Marker
	}
	if rec.Status == "" {
		rec.Status = StatusPublished
	}
	rec.Attempts = attempts
	return rec, nil
}

// find asks the adapter's Finder for marker, retrying transient failures.
// Without a Finder it returns an error: the Publisher cannot tell whether the
// post exists.
func (p *Publisher) find(ctx context.Context, acct Account, st *accountState, marker string) (Receipt, bool, error) {
	if p.finder == nil {
		return Receipt{}, false, ErrNoFinder
	}
	var rec Receipt
	var found bool
	c := call{p: p, st: st, acct: acct, op: OpFind, marker: marker}
	_, err := c.run(ctx, func(ctx context.Context, acct Account) error {
		r, ok, err := p.finder.FindByMarker(ctx, acct, marker)
		if errors.Is(err, ErrOutcomeUnknown) { // a read cannot have an effect: retry it
			err = &TransientError{Network: p.spec.Network, Op: OpFind, Err: err}
		}
		rec, found = r, ok
		return err
	})
	return rec, found, err
}

// Check resolves a pending receipt through the adapter, retrying transient
// failures. A receipt that is not pending is returned unchanged. Errors as
// for [Adapter.Check], plus the [Publisher.Publish] retry errors.
func (p *Publisher) Check(ctx context.Context, acct Account, r Receipt) (Receipt, error) {
	if r.Status != StatusPending {
		return r, nil
	}
	acct, st, err := p.prepare(acct)
	if err != nil {
		return r, err
	}
	out := r
	c := call{p: p, st: st, acct: acct, op: OpCheck, marker: r.Marker}
	_, err = c.run(ctx, func(ctx context.Context, acct Account) error {
		got, err := p.adapter.Check(ctx, acct, r)
		if err == nil {
			out = got
			out.Attempts = r.Attempts
		}
		return err
	})
	return out, err
}

// Await checks a pending receipt until it is no longer pending, waiting
// between checks for the receipt's CheckAfter hint (at least the backoff's
// initial interval, at most its maximum). Only ctx bounds the whole wait:
// processing may take hours on some networks. A receipt that is not pending
// is returned at once. Errors as for [Publisher.Check].
func (p *Publisher) Await(ctx context.Context, acct Account, r Receipt) (Receipt, error) {
	for r.Status == StatusPending {
		wait := min(max(r.CheckAfter, p.o.initial), p.o.maxInterval)
		if err := sleep(ctx, wait); err != nil {
			return r, err
		}
		var err error
		if r, err = p.Check(ctx, acct, r); err != nil {
			return r, err
		}
	}
	return r, nil
}

// Delete deletes a published post, retrying transient failures. Deleting a
// post that does not exist fails with errors.Is(err, socialflow.ErrNotFound).
func (p *Publisher) Delete(ctx context.Context, acct Account, id RemoteID) error {
	acct, st, err := p.prepare(acct)
	if err != nil {
		return err
	}
	c := call{p: p, st: st, acct: acct, op: OpDelete}
	_, err = c.run(ctx, func(ctx context.Context, acct Account) error {
		return p.adapter.Delete(ctx, acct, id)
	})
	return err
}

// Metrics returns the post's counters, retrying transient failures. Absent
// metrics stay absent.
func (p *Publisher) Metrics(ctx context.Context, acct Account, id RemoteID) (analytics.Snapshot, error) {
	acct, st, err := p.prepare(acct)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	var snap analytics.Snapshot
	c := call{p: p, st: st, acct: acct, op: OpMetrics}
	_, err = c.run(ctx, func(ctx context.Context, acct Account) error {
		s, err := p.adapter.Metrics(ctx, acct, id)
		snap = s
		return err
	})
	return snap, err
}

// MarkPublished records that a person published a manual task: it returns
// the receipt r (which must have Status [StatusManual]) as published at at,
// with the remote URL the person reported. rawURL must be an absolute http or
// https URL (else a *FieldError, ErrInvalid); a receipt that is not manual
// gives a *StateError (ErrConflict). The host stores the result.
func MarkPublished(r Receipt, rawURL string, at time.Time) (Receipt, error) {
	if r.Status != StatusManual {
		return r, &StateError{Op: "mark published", Reason: "receipt is " + echo.Quote(string(r.Status)) + ", not manual"}
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return r, &FieldError{Network: r.Network, Field: "url", Value: rawURL, Reason: "must be an absolute http(s) URL"}
	}
	r.Status = StatusPublished
	r.URL = u.String()
	r.ID = RemoteID(u.String())
	r.At = at
	r.Manual = nil
	return r, nil
}

func newMarker() string { return "sf-" + strings.ToLower(rand.Text()) }

// call runs one Publisher operation with retries.
type call struct {
	p       *Publisher
	st      *accountState
	acct    Account
	op      string
	marker  string
	limited bool // subject to the publishing rate limits
	// ownBudget says the network's rate limits of this call are its own
	// (inbox reads): honoured by this call's retries, never carried to the
	// publishing limiters.
	ownBudget bool
}

// run calls fn until it succeeds, fails permanently, retries run out or ctx
// ends. It returns the number of times it called fn.
func (c *call) run(ctx context.Context, fn func(context.Context, Account) error) (int, error) {
	p := c.p
	eb := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(p.o.initial),
		backoff.WithMaxInterval(p.o.maxInterval),
		backoff.WithRandomizationFactor(0.5),
		backoff.WithMaxElapsedTime(0), // the budget is checked in next, without the turns spent queueing
	)
	b := &hinted{BackOff: backoff.WithMaxRetries(eb, uint64(p.o.maxAttempts-1))}
	var spent time.Duration // attempts and backoff waits, not rate-limit queueing
	refreshed := false
	calls := 0 // adapter calls made
	managed := c.managed()
	acct := c.acct
	if managed {
		acct.Tokens = callTokens{a: c.st.tokens, ctx: ctx} // store I/O ends with the call
	}
	for n := 1; ; n++ {
		var stale string
		var secrets []string
		if managed {
			tok, err := c.st.tokens.token(ctx)
			if err != nil {
				if isRetryable(err) && ctx.Err() == nil {
					if wait, ok := c.next(ctx, b, spent, err); ok {
						c.report(ctx, n, err, 0, wait)
						if serr := sleep(ctx, wait); serr != nil {
							return calls, contextError(serr, err)
						}
						spent += wait
						continue
					}
				}
				c.report(ctx, n, err, 0, 0)
				return calls, err
			}
			stale = tok.AccessToken
			secrets = []string{tok.AccessToken, tok.RefreshToken}
		} else if c.acct.Tokens != nil {
			// Host-managed tokens: only read, to redact them from errors.
			if tok, err := c.acct.Tokens.Token(); err == nil {
				secrets = []string{tok.AccessToken, tok.RefreshToken}
			}
		}
		if c.limited {
			if err := c.waitLimits(ctx); err != nil {
				return calls, err
			}
		}
		calls++
		t0 := time.Now()
		err := fn(ctx, acct)
		took := time.Since(t0)
		spent += took
		if err == nil {
			c.report(ctx, n, nil, took, 0)
			return calls, nil
		}
		if c.st.tokens != nil {
			secrets = append(secrets, c.st.tokens.secrets()...)
		}
		err = redact(err, secrets...)
		c.learn(err)

		var ae *AuthExpiredError
		switch {
		case ctx.Err() != nil:
			c.report(ctx, n, err, took, 0)
			if errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ctx.Err()) {
				return calls, err
			}
			return calls, contextError(ctx.Err(), err)
		case errors.Is(err, ErrOutcomeUnknown), errors.Is(err, ErrDuplicate), errors.Is(err, ErrRejected):
			c.report(ctx, n, err, took, 0)
			return calls, err
		case errors.As(err, &ae) && managed:
			if refreshed {
				c.report(ctx, n, err, took, 0)
				return calls, &ReauthRequiredError{Network: p.spec.Network, AccountID: c.acct.ID, Reason: "refreshed token refused", Err: err}
			}
			refreshed = true
			c.st.tokens.invalidate(stale)
			c.report(ctx, n, err, took, 0)
			continue
		case isRetryable(err):
			wait, ok := c.next(ctx, b, spent, err)
			c.report(ctx, n, err, took, wait)
			if !ok {
				return calls, err
			}
			if serr := sleep(ctx, wait); serr != nil {
				return calls, contextError(serr, err)
			}
			spent += wait
		default:
			c.report(ctx, n, err, took, 0)
			return calls, err
		}
	}
}

// managed reports whether the call's account uses the Publisher's token
// source (directly, or bound to an outer call's context).
func (c *call) managed() bool {
	if c.st.tokens == nil {
		return false
	}
	switch ts := c.acct.Tokens.(type) {
	case *accountTokens:
		return ts == c.st.tokens
	case callTokens:
		return ts.a == c.st.tokens
	}
	return false
}

// next returns the wait before the next attempt, honouring a rate limit's
// Retry-After or reset, or false when retries are exhausted or the wait would
// go past the elapsed-time budget or ctx's deadline: then the caller returns
// the last error at once, as rate.Limiter.WaitN does, instead of sleeping
// until the deadline.
func (c *call) next(ctx context.Context, b *hinted, spent time.Duration, err error) (time.Duration, bool) {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		b.hint = rl.Wait(c.p.o.clock.Now())
	}
	d := b.NextBackOff()
	if d == backoff.Stop || spent+d > c.p.o.maxElapsed || !fits(ctx, d) {
		return 0, false
	}
	return d, true
}

// fits reports whether a wait of d ends before ctx's deadline, leaving time
// for the call that follows it.
func fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Now().Add(d).Before(deadline)
}

// learn updates the limiters from a rate-limit error.
func (c *call) learn(err error) {
	var rl *RateLimitError
	if c.ownBudget || !errors.As(err, &rl) {
		return
	}
	now := c.p.o.clock.Now()
	until := now.Add(rl.Wait(now))
	if !until.After(now) {
		return
	}
	if rl.Scope == ScopeApp {
		c.p.app.block(until)
	} else {
		c.st.limit.block(until)
	}
	c.p.o.logger.LogAttrs(context.Background(), slog.LevelInfo, "networks: rate limited",
		slog.String("network", c.p.spec.Network), slog.String("account", c.acct.ID),
		slog.String("scope", string(rl.Scope)), slog.Time("until", until))
}

// report logs the attempt and calls the hook.
func (c *call) report(ctx context.Context, n int, err error, took, wait time.Duration) {
	p := c.p
	level := slog.LevelDebug
	if err != nil {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("network", p.spec.Network), slog.Any("account", c.acct),
		slog.String("op", c.op), slog.Int("attempt", n), slog.Duration("took", took),
	}
	if c.marker != "" {
		attrs = append(attrs, slog.String("marker", c.marker))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()), slog.Duration("wait", wait))
	}
	p.o.logger.LogAttrs(ctx, level, "networks: attempt", attrs...)
	if p.o.onAttempt != nil {
		p.o.onAttempt(Attempt{Op: c.op, Network: p.spec.Network, AccountID: c.acct.ID, Marker: c.marker, N: n, Err: err, Took: took, Wait: wait})
	}
}

// LearnQuotas updates the Publisher's limiters from quotas a network
// reported (as an adapter puts them in [Receipt].Quotas): a quota with
// nothing remaining blocks its scope (the account, or every account for
// [ScopeApp]) until Reset. Publish calls it with every receipt; a
// [*RateLimitError] blocks the same way until its Retry-After or Reset.
func (p *Publisher) LearnQuotas(accountID string, qs []Quota) {
	now := p.o.clock.Now()
	for _, q := range qs {
		ls := p.app
		if q.Scope != ScopeApp {
			ls = p.state(accountID).limit
		}
		ls.learn(q, now)
	}
}

// waitLimits waits until both the account's and the app's limiters allow
// one publish, then takes one token from each. Waiters queue: one per account
// waits for the account's limiter, and one of those at a time for the app's,
// so the check and the taking are one step and waiters do not stampede.
//
// A wait that cannot end before ctx's deadline fails at once with a
// *RateLimitError saying when to retry (as rate.Limiter.WaitN does); a
// context that ends while queued gives the context's error. Either way
// nothing was sent.
func (c *call) waitLimits(ctx context.Context) error {
	acct, app := c.st.limit, c.p.app
	if err := c.fitLimits(ctx, acct, app); err != nil {
		return err
	}
	if err := acquire(ctx, acct.turn); err != nil {
		return err
	}
	defer release(acct.turn)
	if err := c.waitFor(ctx, acct); err != nil {
		return err
	}
	if err := acquire(ctx, app.turn); err != nil {
		return err
	}
	defer release(app.turn)
	if err := c.waitFor(ctx, app, acct); err != nil {
		return err
	}
	now := c.p.o.clock.Now()
	acct.lim.AllowN(now, 1)
	app.lim.AllowN(now, 1)
	return nil
}

// waitFor sleeps until every ls is neither blocked nor out of tokens, or
// fails at once when that cannot happen before ctx's deadline.
func (c *call) waitFor(ctx context.Context, ls ...*limitState) error {
	for {
		d, err := c.limitWait(ctx, ls...)
		if err != nil || d <= 0 {
			return err
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// fitLimits fails when the limiters' current wait cannot fit ctx's deadline.
func (c *call) fitLimits(ctx context.Context, ls ...*limitState) error {
	_, err := c.limitWait(ctx, ls...)
	return err
}

// limitWait returns how long ls make a publish wait at now, or a
// *RateLimitError when the wait does not fit ctx's deadline.
func (c *call) limitWait(ctx context.Context, ls ...*limitState) (time.Duration, error) {
	now := c.p.o.clock.Now()
	var d time.Duration
	scope := ScopeAccount
	for _, l := range ls {
		if w := l.wait(now); w > d {
			d = w
			scope = ScopeAccount
			if l == c.p.app {
				scope = ScopeApp
			}
		}
	}
	if d > 0 && !fits(ctx, d) {
		return 0, &RateLimitError{Network: c.p.spec.Network, Op: c.op, Scope: scope, RetryAfter: d, Reset: now.Add(d),
			Err: errLimitPastDeadline}
	}
	return d, nil
}

// errLimitPastDeadline is the cause of a *RateLimitError the Publisher's own
// limiters return.
var errLimitPastDeadline = errors.New("the publishing limit's wait does not fit the context's deadline; nothing was sent")

func acquire(ctx context.Context, turn chan struct{}) error {
	select {
	case turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release(turn chan struct{}) { <-turn }

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// contextError reports that ctx ended the call; it matches both ctx's error
// and the last error of the call.
func contextError(ctxErr, last error) error {
	if last == nil || errors.Is(last, ctxErr) {
		return ctxErr
	}
	return &stoppedError{ctx: ctxErr, last: last}
}

type stoppedError struct{ ctx, last error }

func (e *stoppedError) Error() string {
	return "networks: stopped: " + e.ctx.Error() + " (last error: " + e.last.Error() + ")"
}
func (e *stoppedError) Unwrap() []error { return []error{e.ctx, e.last} }

// hinted adds Retry-After support to a backoff.BackOff: the next interval is
// at least hint, which the operation sets from a *RateLimitError.
type hinted struct {
	backoff.BackOff
	hint time.Duration
}

func (h *hinted) NextBackOff() time.Duration {
	d := h.BackOff.NextBackOff()
	if d != backoff.Stop && h.hint > d {
		d = h.hint
	}
	h.hint = 0
	return d
}

// limitState is one rate limiter plus what the network told us.
type limitState struct {
	mu    sync.Mutex
	lim   *rate.Limiter
	until time.Time     // blocked until
	turn  chan struct{} // held by the one caller waiting on this limiter
}

func newLimitState(w Window) *limitState {
	l := w.Limit()
	return &limitState{lim: rate.NewLimiter(l, 1), turn: make(chan struct{}, 1)}
}

func (l *limitState) block(until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.until) {
		l.until = until
	}
}

// wait returns how long until l is no longer blocked and holds a token.
func (l *limitState) wait(now time.Time) time.Duration {
	l.mu.Lock()
	blocked := l.until.Sub(now)
	l.mu.Unlock()
	return max(blocked, l.tokenWait(now), 0)
}

// tokenWait returns how long until l's limiter holds a whole token at now.
func (l *limitState) tokenWait(now time.Time) time.Duration {
	lim := l.lim.Limit()
	if lim == rate.Inf {
		return 0
	}
	tokens := l.lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	return time.Duration(math.Ceil((1 - tokens) / float64(lim) * float64(time.Second)))
}

func (l *limitState) learn(q Quota, now time.Time) {
	if q.Remaining <= 0 && q.Reset.After(now) {
		l.block(q.Reset)
	}
}

// outcomeCause returns what made err's outcome unknown: the cause inside
// its *OutcomeUnknownError (a 502, a timeout), or nil.
func outcomeCause(err error) error {
	for {
		var ou *OutcomeUnknownError
		if !errors.As(err, &ou) {
			return err
		}
		if ou.Err == nil {
			return nil
		}
		err = ou.Err
	}
}

// notFoundAfterUnknown is the cause of the *TransientError a publish
// returns when its outcome was unknown and the Finder found no post: the
// publish did not take effect. It wraps the original cause.
type notFoundAfterUnknown struct{ cause error }

func (e *notFoundAfterUnknown) Error() string {
	return withCause("post not found by its marker after an unknown outcome", e.cause)
}

func (e *notFoundAfterUnknown) Unwrap() error { return e.cause }
