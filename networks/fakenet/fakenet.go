// Package fakenet is a complete, deterministic social network that runs in
// process, for tests of anything that publishes: it implements
// [networks.Adapter] and [networks.Finder] over an in-memory timeline, with a
// configurable spec, accounts and OAuth2 tokens that expire and rotate,
// metrics that grow with (virtual) time, publishing rate limits it enforces
// and counts violations of, and scripted or random faults: server errors,
// 429s with Retry-After or reset times, timeouts, latency, expired tokens,
// duplicate-content rejections, asynchronous processing that completes later
// and "accepted but response lost". It is also an inbox
// ([networks.InboxSource], [networks.Replier]): items a test scripts with
// [Net.Arrive] ("at t, @alice replies to post P") or random [Traffic] in
// virtual time, listed with a cursor, with the duplicates, disorder and
// hostile text real networks send, and replies on the record under the
// item they answer ([Net.Replies]).
//
// Time is read with time.Now, so under testing/synctest everything —
// latency, token expiry, processing, metrics — runs on the bubble's virtual
// clock and tests take no wall time. Helpers report what was published and
// how many attempts each marker took.
//
// fakenet passes networktest.Run; its own TestConformance shows the harness.
package fakenet

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/text"
)

// Network is the key of the default spec.
const Network = "fakenet"

// Options configure a fake [Net]. The zero value is a fault-free network
// with [DefaultSpec], tokens that never expire and synchronous publishing.
type Options struct {
	// Spec is the network's spec; a zero Network field selects
	// DefaultSpec(). The fake enforces Spec.Rate on publishes.
	Spec networks.Spec

	// Seed seeds the random faults; the same seed and the same sequence of
	// calls give the same faults.
	Seed uint64
	// FaultRate is the probability in [0, 1] that a publish fails with a
	// random fault drawn from RandomFaults.
	FaultRate float64
	// RandomFaults are the kinds random faults are drawn from. Default:
	// ServerError, RateLimited, Timeout and LostResponse.
	RandomFaults []Kind

	// TokenTTL is the lifetime of issued access tokens; 0: they never
	// expire. Refresh tokens rotate on every refresh.
	TokenTTL time.Duration
	// Latency is added to every call.
	Latency time.Duration
	// ProcessingTime makes every publish asynchronous: the receipt is
	// pending and the post goes live this long after it was accepted.
	ProcessingTime time.Duration
	// IdempotentMarkers makes a publish with a marker the account already
	// used return the earlier post (as Mastodon's Idempotency-Key does)
	// instead of posting again.
	IdempotentMarkers bool
	// Now is the network's clock; default time.Now. Tests under
	// testing/synctest need none (time is virtual there); a program that
	// simulates time (a demo, a replay) passes its own.
	Now func() time.Time
	// Clock is the network's clock as a [networks.Clock], the one time
	// source the rest of socialflow takes (workflow.WithClock,
	// networks.WithClock), so one fake clock drives them all; it takes
	// precedence over Now.
	Clock networks.Clock
	// Metrics computes a post's cumulative counters at an instant; default:
	// impressions grow by 10–49 a minute after the post is live (a rate
	// derived from its ID), likes 1/25, comments 1/200 and shares 1/100 of
	// them. A host may model its audience here (time-of-day effects,
	// reach, clicks) to exercise analytics.
	Metrics func(p Post, at time.Time) analytics.Snapshot
	// AllowDuplicateContent turns off the duplicate-content rejection (by
	// default, like X, the same text twice on one account while the first
	// post is live is a *networks.DuplicateError; for replies, the same
	// text twice under the same item).
	AllowDuplicateContent bool

	// Traffic generates random incoming items for every connected account
	// (see [Traffic]); nil: only the items a test scripts with [Net.Arrive].
	Traffic *Traffic
	// InboxPageSize is the most items one Incoming call lists; 0:
	// [DefaultInboxPageSize].
	InboxPageSize int
}

// DefaultSpec returns the spec of the fake network: 500 code points, up to 4
// images or 1 video, threads, alt text, polls and deletion. It has no rate
// limits, so tests outside a synctest bubble never wait; set Spec.Rate to
// have the fake enforce (and count violations of) publishing limits.
func DefaultSpec() networks.Spec {
	return networks.Spec{
		Network: Network, Name: "Fakenet",
		Sources: []string{"https://pkg.go.dev/github.com/socialflow/socialflow/networks/fakenet"},
		Text:    networks.TextRules{Method: text.CodePoints, MaxLength: 500, MaxAlt: 1000},
		Media: networks.MediaRules{
			MaxItems: 4,
			Kinds: map[assets.Kind]networks.MediaLimit{
				assets.KindImage: {MaxCount: 4, MaxSize: 5 << 20, MIME: []string{"image/jpeg", "image/png"}},
				assets.KindVideo: {MaxCount: 1, MaxSize: 512 << 20, MaxDuration: 10 * time.Minute},
			},
		},
		Features: networks.Features{
			Threads: true, AltText: true, Delete: true,
			Polls: &networks.PollRules{MaxOptions: 4, MaxOptionLength: 50},
		},
	}
}

// Post is one post on the fake network's timeline: a publish, or a reply
// the account published under an incoming item or one of its posts.
type Post struct {
	ID        networks.RemoteID
	AccountID string
	Draft     networks.Draft
	Marker    string
	At        time.Time // when the network accepted it
	ReadyAt   time.Time // when processing completes (equal to At when synchronous)
	Deleted   bool

	// InReplyTo is the item or post a reply answers; empty for a post.
	InReplyTo networks.RemoteID
	// Thread is the conversation the post belongs to: its own ID for a
	// post, the Thread of the item a reply answers.
	Thread string
}

// Ready reports whether p has finished processing at now.
func (p Post) Ready(now time.Time) bool { return !now.Before(p.ReadyAt) }

type tokenInfo struct {
	account string
	expiry  time.Time // zero: never
}

// Net is a fake network. Create it with [New]. It is safe for concurrent
// use.
type Net struct {
	o    Options
	spec networks.Spec

	mu          sync.Mutex
	rng         *rand.Rand
	script      []Fault
	accounts    map[string]bool
	access      map[string]tokenInfo // access token -> account
	refresh     map[string]string    // refresh token -> account
	posts       []*Post
	byID        map[networks.RemoteID]*Post
	byMarker    map[string][]*Post // every post carrying the marker, deleted included
	byText      map[string]*Post   // live posts by account and text
	calls       map[string]int
	attempts    map[string]int
	windows     map[string][]time.Time // account ID, or "" for the app
	violations  int
	refreshes   int
	defaultAcct *networks.Account
	injected    map[Kind]int
	seq         int
	inbox       inbox
	repliesTo   map[networks.RemoteID][]*Post // replies by the item or post they answer
}

// New returns a fake network configured by o. A FaultRate outside [0, 1] is
// clamped.
func New(o Options) *Net {
	if o.Spec.Network == "" {
		o.Spec = DefaultSpec()
	}
	o.FaultRate = min(max(o.FaultRate, 0), 1)
	if len(o.RandomFaults) == 0 {
		o.RandomFaults = []Kind{KindServerError, KindRateLimited, KindTimeout, KindLostResponse}
	}
	return &Net{
		o: o, spec: o.Spec,
		rng:      rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)),
		accounts: map[string]bool{}, access: map[string]tokenInfo{}, refresh: map[string]string{},
		byID: map[networks.RemoteID]*Post{}, byMarker: map[string][]*Post{}, byText: map[string]*Post{}, calls: map[string]int{}, attempts: map[string]int{},
		windows: map[string][]time.Time{}, injected: map[Kind]int{},
		inbox: newInbox(o), repliesTo: map[networks.RemoteID][]*Post{},
	}
}

// Adapter returns the network's [networks.Adapter], which also implements
// [networks.Finder], [networks.InboxSource] (the items that arrived, see
// [Net.Arrive] and [Traffic]) and [networks.Replier] (replies threaded under
// an item, see [Net.Replies]).
func (n *Net) Adapter() networks.Adapter { return &adapter{n} }

// AdapterWithoutFinder returns an adapter that does not implement
// [networks.Finder] (it has the inbox), to test how a caller copes with unknown outcomes it
// cannot resolve.
func (n *Net) AdapterWithoutFinder() networks.Adapter { return &plainAdapter{n} }

// Spec returns the network's spec.
func (n *Net) Spec() networks.Spec { return n.spec }

// Connect registers account id and issues it a token (expiring after
// Options.TokenTTL, with a refresh token). The returned account is ready to
// publish: its Tokens source holds the token and refreshes it through the
// network when it expires (rotating the refresh token, as [Net.Refresher]
// does). To have a Publisher manage the token through its TokenStore
// instead, save the returned token in the store and clear Tokens:
//
//	acct, tok := fake.Connect("ana")
//	store.Save(ctx, acct.ID, tok)
//	acct.Tokens = nil // the Publisher's TokenStore supplies it
func (n *Net) Connect(id string) (networks.Account, *oauth2.Token) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.register(id)
	tok := n.issue(id)
	c := *tok
	src := &connectedSource{account: id, src: oauth2.ReuseTokenSource(&c, &refreshSource{n: n, t: &c})}
	return networks.Account{ID: id, Network: n.spec.Network, Handle: "@" + id, Tokens: src}, tok
}

// connectedSource is the refreshing token source of a connected account.
type connectedSource struct {
	account string
	src     oauth2.TokenSource
}

// Token implements oauth2.TokenSource.
func (c *connectedSource) Token() (*oauth2.Token, error) { return c.src.Token() }

// String, GoString and LogValue name the account, never its token.
func (c *connectedSource) String() string       { return redactedSource(c.account) }
func (c *connectedSource) GoString() string     { return c.String() }
func (c *connectedSource) LogValue() slog.Value { return slog.StringValue(c.String()) }

func redactedSource(account string) string {
	return "fakenet.TokenSource{account:" + strconv.Quote(account) + " token:REDACTED}"
}

// String describes the network without its tokens; so do GoString and
// LogValue, so a *Net may be printed or logged.
func (n *Net) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return fmt.Sprintf("fakenet.Net{network:%q accounts:%d posts:%d tokens:REDACTED}", n.spec.Network, len(n.accounts), len(n.posts))
}

// GoString is String, so %#v never prints a token.
func (n *Net) GoString() string { return n.String() }

// LogValue implements slog.LogValuer: the network and its size only.
func (n *Net) LogValue() slog.Value { return slog.StringValue(n.String()) }

// ConnectToken registers account id with a token the caller chose (a
// harness may inject "tok-SECRET" to check it never leaks) and returns the
// account with a static token source.
func (n *Net) ConnectToken(id string, tok *oauth2.Token) networks.Account {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.register(id)
	n.access[tok.AccessToken] = tokenInfo{account: id, expiry: tok.Expiry}
	if tok.RefreshToken != "" {
		n.refresh[tok.RefreshToken] = id
	}
	return networks.Account{ID: id, Network: n.spec.Network, Handle: "@" + id, Tokens: oauth2.StaticTokenSource(tok)}
}

// Account connects (once) and returns the account "acct-1" with a static
// token source, the simplest way to publish without a TokenStore.
func (n *Net) Account() networks.Account {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.defaultAcct == nil {
		n.register("acct-1")
		tok := n.issue("acct-1")
		n.defaultAcct = &networks.Account{ID: "acct-1", Network: n.spec.Network, Handle: "@acct-1", Tokens: oauth2.StaticTokenSource(tok)}
	}
	return *n.defaultAcct
}

// issue creates a token for account; n.mu is held.
func (n *Net) issue(account string) *oauth2.Token {
	n.seq++
	tok := &oauth2.Token{
		AccessToken:  fmt.Sprintf("fake-access-%s-%d", account, n.seq),
		RefreshToken: fmt.Sprintf("fake-refresh-%s-%d", account, n.seq),
		TokenType:    "Bearer",
	}
	if n.o.TokenTTL > 0 {
		tok.Expiry = n.now().Add(n.o.TokenTTL)
	}
	n.access[tok.AccessToken] = tokenInfo{account: account, expiry: tok.Expiry}
	n.refresh[tok.RefreshToken] = account
	return tok
}

// Refresher returns the network's token refresher for the Publisher's
// WithTokenStore. Each refresh rotates the refresh token: the old one stops
// working, so two refreshes racing with the same refresh token make the
// second fail (with an *oauth2.RetrieveError, HTTP 400 invalid_grant).
func (n *Net) Refresher() networks.Refresher { return refresher{n} }

type refresher struct{ n *Net }

// String, GoString and LogValue never show the network's tokens.
func (r refresher) String() string {
	return "fakenet.Refresher{network:" + strconv.Quote(r.n.spec.Network) + "}"
}
func (r refresher) GoString() string     { return r.String() }
func (r refresher) LogValue() slog.Value { return slog.StringValue(r.String()) }

func (r refresher) TokenSource(_ context.Context, t *oauth2.Token) oauth2.TokenSource {
	return &refreshSource{n: r.n, t: t}
}

type refreshSource struct {
	n *Net
	t *oauth2.Token
}

// String, GoString and LogValue never show the token.
func (s *refreshSource) String() string       { return redactedSource("") }
func (s *refreshSource) GoString() string     { return s.String() }
func (s *refreshSource) LogValue() slog.Value { return slog.StringValue(s.String()) }

func (s *refreshSource) Token() (*oauth2.Token, error) {
	if s.t.Valid() {
		return s.t, nil
	}
	n := s.n
	n.mu.Lock()
	defer n.mu.Unlock()
	acct, ok := n.refresh[s.t.RefreshToken]
	if !ok {
		return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant", ErrorDescription: "refresh token is invalid or was rotated"}
	}
	delete(n.refresh, s.t.RefreshToken)
	n.refreshes++
	s.t = n.issue(acct)
	return s.t, nil
}

// Script queues faults: each of the next calls (of the fault's Op, or of any
// operation when Op is empty) answers as the next fault says.
func (n *Net) Script(faults ...Fault) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.script = append(n.script, faults...)
}

// Posts returns the live posts (not deleted, processing included) in
// timeline order.
func (n *Net) Posts() []Post {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []Post
	for _, p := range n.posts {
		if !p.Deleted {
			out = append(out, *p)
		}
	}
	return out
}

// Timeline returns every post ever accepted, deleted ones included.
func (n *Net) Timeline() []Post {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Post, len(n.posts))
	for i, p := range n.posts {
		out[i] = *p
	}
	return out
}

// Published returns how many posts (deleted included) carry marker: 1 for a
// post published exactly once.
func (n *Net) Published(marker string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.byMarker[marker])
}

// Duplicates returns the markers carried by more than one post, with their
// counts.
func (n *Net) Duplicates() map[string]int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := map[string]int{}
	for m, ps := range n.byMarker {
		if len(ps) > 1 {
			c[m] = len(ps)
		}
	}
	return c
}

// Attempts returns how many publish calls carried marker.
func (n *Net) Attempts(marker string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.attempts[marker]
}

// Calls returns how many calls of op (networks.OpPublish, OpDelete, ...)
// the network received.
func (n *Net) Calls(op string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.calls[op]
}

// Violations returns how many publishes arrived over the spec's rate
// limits. A well-behaved client keeps it at 0 (scripted and random 429s are
// not violations).
func (n *Net) Violations() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.violations
}

// Faults returns how many faults of each kind the network injected, scripted
// and random.
func (n *Net) Faults() map[Kind]int {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make(map[Kind]int, len(n.injected))
	for k, v := range n.injected {
		out[k] = v
	}
	return out
}

// Refreshes returns how many token refreshes succeeded.
func (n *Net) Refreshes() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.refreshes
}

// MetricsAt returns the counters of post id at instant at: impressions grow
// by a per-post rate each minute after publication, likes, comments and
// shares as fixed fractions of them. Reach, saves and the rest are absent, as
// on networks that do not report them. It returns false for an unknown id.
func (n *Net) MetricsAt(id networks.RemoteID, at time.Time) (analytics.Snapshot, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	p, ok := n.byID[id]
	if !ok {
		return analytics.Snapshot{}, false
	}
	return n.metricsAt(p, at), true
}

func (n *Net) now() time.Time {
	if n.o.Clock != nil {
		return n.o.Clock.Now()
	}
	if n.o.Now != nil {
		return n.o.Now()
	}
	return time.Now()
}

func (n *Net) metricsAt(p *Post, at time.Time) analytics.Snapshot {
	if n.o.Metrics != nil {
		s := n.o.Metrics(*p, at)
		s.Target, s.At = string(p.ID), at
		return s
	}
	return metricsOf(p, at)
}

func metricsOf(p *Post, at time.Time) analytics.Snapshot {
	h := fnv.New32a()
	h.Write([]byte(p.ID))
	perMinute := int64(10 + h.Sum32()%40)
	minutes := max(int64(at.Sub(p.ReadyAt)/time.Minute), 0)
	imp := minutes * perMinute
	s := analytics.Snapshot{Target: string(p.ID), At: at}
	s.Counters.Set(analytics.Impressions, imp)
	s.Counters.Set(analytics.Likes, imp/25)
	s.Counters.Set(analytics.Comments, imp/200)
	s.Counters.Set(analytics.Shares, imp/100)
	return s
}

// isWrite reports whether op changes the network, so that a call cut short
// has an unknown outcome rather than a transient failure.
func isWrite(op string) bool {
	return op == networks.OpPublish || op == networks.OpDelete || op == networks.OpReply
}

// spends reports whether op spends the publishing budget (Spec.Rate).
func spends(op string) bool { return op == networks.OpPublish || op == networks.OpReply }

// begin runs the shared start of every call: context, the next fault,
// latency, authentication and (for publishes) rate limits. It returns the
// fault still to apply (zero Kind: none).
func (n *Net) begin(ctx context.Context, op string, acct networks.Account, marker string) (Fault, error) {
	if err := ctx.Err(); err != nil {
		return Fault{}, err
	}
	n.mu.Lock()
	n.calls[op]++
	if spends(op) && marker != "" {
		n.attempts[marker]++
	}
	f := n.nextFault(op)
	if f.Kind != "" {
		n.injected[f.Kind]++
	}
	n.mu.Unlock()

	if d := n.o.Latency + f.Latency; d > 0 {
		if err := sleep(ctx, d); err != nil {
			if isWrite(op) {
				return Fault{}, &networks.OutcomeUnknownError{Network: n.spec.Network, Op: op, AccountID: acct.ID, Marker: marker, Err: err}
			}
			return Fault{}, err
		}
	}
	if err := n.authenticate(ctx, op, acct, f.Kind == KindExpiredToken); err != nil {
		return Fault{}, err
	}
	if f.Kind == KindExpiredToken {
		f = Fault{}
	}
	if spends(op) {
		if err := n.admit(op, acct.ID); err != nil {
			return Fault{}, err
		}
	}
	return f, nil
}

// nextFault pops the first scripted fault for op, or draws a random one for
// publishes; n.mu is held.
func (n *Net) nextFault(op string) Fault {
	for i, f := range n.script {
		if f.Op == "" || f.Op == op {
			n.script = slices.Delete(n.script, i, i+1)
			return f
		}
	}
	if spends(op) && n.o.FaultRate > 0 && n.rng.Float64() < n.o.FaultRate {
		k := n.o.RandomFaults[n.rng.IntN(len(n.o.RandomFaults))]
		f := Fault{Kind: k}
		switch k {
		case KindRateLimited:
			f.RetryAfter = time.Duration(1+n.rng.IntN(30)) * time.Second
		case KindTimeout:
			f.After = 10 * time.Second
		case KindProcessing:
			f.After = time.Minute
		case KindRejected:
			f.Reason = "random rejection"
		}
		return f
	}
	return Fault{}
}

func (n *Net) authenticate(ctx context.Context, op string, acct networks.Account, expire bool) error {
	tok, err := networks.AccessToken(ctx, n.spec.Network, acct)
	if err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	info, ok := n.access[tok.AccessToken]
	switch {
	case !ok:
		return &networks.AuthExpiredError{Network: n.spec.Network, Op: op, AccountID: acct.ID, Err: errors.New("unknown or revoked access token")}
	case info.account != acct.ID:
		return &networks.RejectedError{Network: n.spec.Network, Op: op, Code: "403", Reason: "token belongs to another account"}
	case expire:
		info.expiry = n.now()
		n.access[tok.AccessToken] = info
		return &networks.AuthExpiredError{Network: n.spec.Network, Op: op, AccountID: acct.ID}
	case !info.expiry.IsZero() && !n.now().Before(info.expiry):
		return &networks.AuthExpiredError{Network: n.spec.Network, Op: op, AccountID: acct.ID}
	}
	return nil
}

// admit enforces the spec's publishing limits over sliding windows.
func (n *Net) admit(op, account string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.now()
	check := func(key string, w networks.Window, scope networks.Scope) error {
		if w.IsZero() {
			return nil
		}
		ts := n.windows[key]
		i := 0
		for i < len(ts) && !ts[i].After(now.Add(-w.Per)) {
			i++
		}
		ts = ts[i:]
		n.windows[key] = ts
		if len(ts) >= w.Count {
			n.violations++
			return &networks.RateLimitError{Network: n.spec.Network, Op: op, Scope: scope, Reset: ts[0].Add(w.Per)}
		}
		return nil
	}
	if err := check("\x00app", n.spec.Rate.PerApp, networks.ScopeApp); err != nil {
		return err
	}
	if err := check(account, n.spec.Rate.PerAccount, networks.ScopeAccount); err != nil {
		return err
	}
	if !n.spec.Rate.PerApp.IsZero() {
		n.windows["\x00app"] = append(n.windows["\x00app"], now)
	}
	if !n.spec.Rate.PerAccount.IsZero() {
		n.windows[account] = append(n.windows[account], now)
	}
	return nil
}

// quotas reports the account's remaining budget; n.mu is held.
func (n *Net) quotas(account string, now time.Time) []networks.Quota {
	w := n.spec.Rate.PerAccount
	if w.IsZero() {
		return nil
	}
	ts := n.windows[account]
	reset := now.Add(w.Per)
	if len(ts) > 0 {
		reset = ts[0].Add(w.Per)
	}
	return []networks.Quota{{Scope: networks.ScopeAccount, Limit: w.Count, Remaining: max(w.Count-len(ts), 0), Reset: reset}}
}

// failure returns the error of a fault that ends the call before the work
// is done, or nil for faults that let the work run (latency, processing,
// lost responses, none).
func (n *Net) failure(ctx context.Context, op string, acct networks.Account, marker string, f Fault) error {
	net := n.spec.Network
	switch f.Kind {
	case KindServerError:
		return &networks.TransientError{Network: net, Op: op, Status: 503, Err: errors.New("service unavailable")}
	case KindRateLimited:
		var reset time.Time
		if f.Reset > 0 {
			reset = n.now().Add(f.Reset)
		}
		scope := f.Scope
		if scope == "" {
			scope = networks.ScopeAccount
		}
		return &networks.RateLimitError{Network: net, Op: op, Scope: scope, RetryAfter: f.RetryAfter, Reset: reset}
	case KindTimeout:
		if err := sleep(ctx, f.After); err != nil && !isWrite(op) {
			return err
		}
		if isWrite(op) {
			return &networks.OutcomeUnknownError{Network: net, Op: op, AccountID: acct.ID, Marker: marker, Err: context.DeadlineExceeded}
		}
		return &networks.TransientError{Network: net, Op: op, Err: context.DeadlineExceeded}
	case KindRejected:
		return &networks.RejectedError{Network: net, Op: op, Code: "fake_rejected", Reason: f.Reason}
	case KindDuplicate:
		return &networks.DuplicateError{Network: net, Op: op, Reason: "duplicate content"}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
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

func (n *Net) receipt(p *Post, now time.Time) networks.Receipt {
	r := networks.Receipt{
		Network: n.spec.Network, AccountID: p.AccountID, ID: p.ID, Marker: p.Marker, At: p.At,
		URL:    "https://fakenet.invalid/" + p.AccountID + "/" + string(p.ID),
		Status: networks.StatusPublished,
	}
	if !p.Ready(now) {
		r.Status = networks.StatusPending
		r.CheckAfter = p.ReadyAt.Sub(now)
	}
	return r
}

func (n *Net) publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return n.write(ctx, networks.OpPublish, acct, d, "")
}

// write publishes d for acct: a post, or (op OpReply) a reply under the
// item or post to.
func (n *Net) write(ctx context.Context, op string, acct networks.Account, d networks.Draft, to networks.RemoteID) (networks.Receipt, error) {
	f, err := n.begin(ctx, op, acct, d.Marker)
	if err != nil {
		return networks.Receipt{}, err
	}
	if err := n.failure(ctx, op, acct, d.Marker, f); err != nil {
		return networks.Receipt{}, err
	}
	spec := n.spec
	if op == networks.OpReply {
		spec = spec.ForReply() // a reply is text even where a post needs media
	}
	if err := networks.Validate(spec, d); err != nil {
		var ve *networks.ValidationError
		errors.As(err, &ve)
		return networks.Receipt{}, &networks.RejectedError{Network: n.spec.Network, Op: op, Code: "422", Reason: ve.Error()}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.now()
	thread := ""
	if op == networks.OpReply {
		var ok bool
		if thread, ok = n.threadOf(acct.ID, to); !ok {
			return networks.Receipt{}, &networks.NotFoundError{Network: n.spec.Network, Op: op, ID: to}
		}
	}
	if n.o.IdempotentMarkers && d.Marker != "" {
		for _, p := range n.byMarker[d.Marker] {
			if !p.Deleted && p.AccountID == acct.ID {
				return n.receipt(p, now), nil
			}
		}
	}
	textKey := acct.ID + "\x00" + string(to) + "\x00" + d.Text
	if p, ok := n.byText[textKey]; ok && !n.o.AllowDuplicateContent && d.Text != "" {
		return networks.Receipt{}, &networks.DuplicateError{Network: n.spec.Network, Op: op, Existing: p.ID,
			Reason: "You are not allowed to create a post with duplicate content."}
	}
	n.seq++
	p := &Post{
		ID: networks.RemoteID("fake-" + strconv.Itoa(n.seq)), AccountID: acct.ID, Draft: d, Marker: d.Marker,
		At: now, ReadyAt: now.Add(n.o.ProcessingTime), InReplyTo: to, Thread: thread,
	}
	if p.Thread == "" {
		p.Thread = string(p.ID)
	}
	if f.Kind == KindProcessing {
		p.ReadyAt = now.Add(f.After)
	}
	n.posts = append(n.posts, p)
	n.byID[p.ID] = p
	if p.Marker != "" {
		n.byMarker[p.Marker] = append(n.byMarker[p.Marker], p)
	}
	n.byText[textKey] = p
	if to != "" {
		n.repliesTo[to] = append(n.repliesTo[to], p)
	}
	if f.Kind == KindLostResponse {
		return networks.Receipt{}, &networks.OutcomeUnknownError{Network: n.spec.Network, Op: op, AccountID: acct.ID, Marker: d.Marker,
			Err: errors.New("connection reset after the request was sent")}
	}
	r := n.receipt(p, now)
	r.Quotas = n.quotas(acct.ID, now)
	return r, nil
}

func (n *Net) lookup(op string, acct networks.Account, id networks.RemoteID) (*Post, error) {
	p, ok := n.byID[id]
	if !ok || p.Deleted || p.AccountID != acct.ID {
		return nil, &networks.NotFoundError{Network: n.spec.Network, Op: op, ID: id}
	}
	return p, nil
}

func (n *Net) check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	f, err := n.begin(ctx, networks.OpCheck, acct, r.Marker)
	if err != nil {
		return r, err
	}
	if f.Kind == KindLostResponse {
		f.Kind = KindServerError // a read has no effect to lose
	}
	if err := n.failure(ctx, networks.OpCheck, acct, r.Marker, f); err != nil {
		return r, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	p, err := n.lookup(networks.OpCheck, acct, r.ID)
	if err != nil {
		return r, err
	}
	return n.receipt(p, n.now()), nil
}

func (n *Net) delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	f, err := n.begin(ctx, networks.OpDelete, acct, "")
	if err != nil {
		return err
	}
	if err := n.failure(ctx, networks.OpDelete, acct, "", f); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	p, err := n.lookup(networks.OpDelete, acct, id)
	if err != nil {
		return err
	}
	p.Deleted = true
	if k := p.AccountID + "\x00" + string(p.InReplyTo) + "\x00" + p.Draft.Text; n.byText[k] == p {
		delete(n.byText, k)
	}
	if f.Kind == KindLostResponse {
		return &networks.OutcomeUnknownError{Network: n.spec.Network, Op: networks.OpDelete, AccountID: acct.ID, Err: errors.New("connection reset")}
	}
	return nil
}

func (n *Net) metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	f, err := n.begin(ctx, networks.OpMetrics, acct, "")
	if err != nil {
		return analytics.Snapshot{}, err
	}
	if f.Kind == KindLostResponse {
		f.Kind = KindServerError
	}
	if err := n.failure(ctx, networks.OpMetrics, acct, "", f); err != nil {
		return analytics.Snapshot{}, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	p, err := n.lookup(networks.OpMetrics, acct, id)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	return n.metricsAt(p, n.now()), nil
}

func (n *Net) find(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	f, err := n.begin(ctx, networks.OpFind, acct, "")
	if err != nil {
		return networks.Receipt{}, false, err
	}
	if f.Kind == KindLostResponse {
		f.Kind = KindServerError
	}
	if err := n.failure(ctx, networks.OpFind, acct, marker, f); err != nil {
		return networks.Receipt{}, false, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, p := range n.byMarker[marker] {
		if !p.Deleted && p.AccountID == acct.ID {
			return n.receipt(p, n.now()), true, nil
		}
	}
	return networks.Receipt{}, false, nil
}

// plainAdapter is the Adapter without Finder.
type plainAdapter struct{ n *Net }

// String, GoString and LogValue never show the network's tokens.
func (a *plainAdapter) String() string {
	return "fakenet.Adapter{network:" + strconv.Quote(a.n.spec.Network) + "}"
}
func (a *plainAdapter) GoString() string     { return a.String() }
func (a *plainAdapter) LogValue() slog.Value { return slog.StringValue(a.String()) }

func (a *plainAdapter) Spec() networks.Spec { return a.n.spec }
func (a *plainAdapter) Incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	return a.n.incoming(ctx, acct, cursor)
}
func (a *plainAdapter) Reply(ctx context.Context, acct networks.Account, to networks.Incoming, d networks.Draft) (networks.Receipt, error) {
	return a.n.reply(ctx, acct, to, d)
}
func (a *plainAdapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.n.publish(ctx, acct, d)
}
func (a *plainAdapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	return a.n.check(ctx, acct, r)
}
func (a *plainAdapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	return a.n.delete(ctx, acct, id)
}
func (a *plainAdapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	return a.n.metrics(ctx, acct, id)
}

// adapter is the Adapter with Finder.
type adapter plainAdapter

// String, GoString and LogValue never show the network's tokens.
func (a *adapter) String() string       { return (*plainAdapter)(a).String() }
func (a *adapter) GoString() string     { return a.String() }
func (a *adapter) LogValue() slog.Value { return slog.StringValue(a.String()) }

func (a *adapter) Spec() networks.Spec { return a.n.spec }
func (a *adapter) Incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	return a.n.incoming(ctx, acct, cursor)
}
func (a *adapter) Reply(ctx context.Context, acct networks.Account, to networks.Incoming, d networks.Draft) (networks.Receipt, error) {
	return a.n.reply(ctx, acct, to, d)
}
func (a *adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.n.publish(ctx, acct, d)
}
func (a *adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	return a.n.check(ctx, acct, r)
}
func (a *adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	return a.n.delete(ctx, acct, id)
}
func (a *adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	return a.n.metrics(ctx, acct, id)
}
func (a *adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	return a.n.find(ctx, acct, marker)
}

var (
	_ networks.InboxSource = (*adapter)(nil)
	_ networks.Replier     = (*adapter)(nil)
	_ networks.InboxSource = (*plainAdapter)(nil)
	_ networks.Replier     = (*plainAdapter)(nil)
	_ networks.Adapter     = (*plainAdapter)(nil)
	_ networks.Finder      = (*adapter)(nil)
	_ networks.Adapter     = (*adapter)(nil)
)
