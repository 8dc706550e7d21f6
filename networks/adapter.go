package networks

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
)

// Adapter translates socialflow's model to one network's API. It is the
// driver under the portable [Publisher].
//
// Implementations translate and classify only: they must not retry, sleep
// (other than waiting on the network), rate-limit or refresh tokens — the
// Publisher does that for every adapter alike. Credentials come in the
// [Account] argument (wrap the host's transport with
// &oauth2.Transport{Source: acct.Tokens, Base: base}), never from a context
// value. Methods must be safe for concurrent use by multiple goroutines.
//
// Every method classifies its failures into the kinds below, so the Publisher
// knows what to do; the networktest package checks each sentence as a case:
//
//   - ctx done before the request was sent: an error wrapping ctx.Err()
//     (errors.Is(err, context.Canceled) or context.DeadlineExceeded), nothing
//     sent. ctx done (or the connection lost) after a write was sent: an
//     [*OutcomeUnknownError] that also wraps ctx.Err() when the context
//     caused it.
//   - rate limited (HTTP 429, quota errors): [*RateLimitError] with the
//     RetryAfter or Reset the network gave and the Scope (account or app).
//   - the network's API refuses the access token (HTTP 401, an expired or
//     revoked token): [*AuthExpiredError]; a refresh, or a token another
//     replica or a reconnect stored, may fix it. A network's explicit "the
//     account is gone" (a takedown, a deactivation): [*ReauthRequiredError].
//   - acct.Tokens fails: adapters get the token with [AccessToken], which
//     holds the one rule: an error of our kinds passes through unchanged; ctx
//     done: the ctx error; a refused grant (an RFC 6749 §5.2 code, or HTTP
//     400/401 from the token endpoint): [*ReauthRequiredError], a person must
//     reconnect; anything else (endpoint unreachable, 5xx):
//     [*TransientError]. Nothing is sent in every case.
//   - temporary failure where nothing happened (5xx, a connection refused, a
//     timeout before sending): [*TransientError].
//   - the network refused the content for good (validation, policy,
//     permission): [*RejectedError] with the network's reason and code.
//   - the same content or idempotency key was already accepted:
//     [*DuplicateError].
//   - the remote thing does not exist: [*NotFoundError].
//
// No error, log line or panic may contain a token or other secret.
type Adapter interface {
	// Spec returns the network's limits and features. It returns an equal
	// value on every call and never does I/O.
	Spec() Spec

	// Publish posts d for acct. d has already passed [Validate] against
	// Spec. d.Marker is non-empty: adapters carry it to the network where
	// it can be found again (an idempotency key, an rkey, a hidden tag) so
	// that a [Finder] can recover a publish whose response was lost.
	//
	// A network that processes asynchronously (Instagram containers,
	// video) may return a Receipt with Status [StatusPending], resolved
	// later by Check. Errors: see the type documentation; a publish whose
	// request may have reached the network must return
	// [*OutcomeUnknownError], never [*TransientError].
	Publish(ctx context.Context, acct Account, d Draft) (Receipt, error)

	// Check returns the current state of a receipt Publish returned: still
	// [StatusPending] (with CheckAfter as a hint), [StatusPublished] with
	// its ID and URL, or a [*RejectedError] when processing failed for good.
	// A published receipt is returned unchanged. Check never publishes the
	// draft again; it may finish the one publish the receipt stands for
	// (the publish call of an Instagram or Threads container once it is
	// processed, a Pinterest pin waiting for its video), at most once, and
	// a Check whose answer was lost after such a call reports the receipt
	// still pending or an [*OutcomeUnknownError], so the next Check settles
	// it (by looking the post up) instead of finishing it twice.
	Check(ctx context.Context, acct Account, r Receipt) (Receipt, error)

	// Delete removes a published post. A post that does not exist (or was
	// already deleted) yields [*NotFoundError]; deleting twice therefore
	// fails the second time with errors.Is(err, socialflow.ErrNotFound).
	// An adapter whose network's API cannot delete (Spec().Features.Delete
	// false, as TikTok) returns a [*RejectedError] saying so and sends
	// nothing.
	Delete(ctx context.Context, acct Account, id RemoteID) error

	// Metrics returns the cumulative counters of a published post at the
	// moment of the call. A metric the network does not report is absent
	// from the snapshot, never zero. Snapshot.Target is the id.
	// A missing post yields [*NotFoundError].
	Metrics(ctx context.Context, acct Account, id RemoteID) (analytics.Snapshot, error)
}

// Finder is implemented by adapters that can look a post up by the marker a
// publish carried. It is optional: the Publisher type-asserts it (as io.Copy
// does io.WriterTo) to resolve an [*OutcomeUnknownError] before anything is
// posted again.
//
// FindByMarker returns the receipt and true when a post of acct carries
// marker, or false when the network holds none (a definite answer). A lookup
// that could not be completed returns an error ([*TransientError],
// [*RateLimitError], ...), never false. It must be safe for concurrent use.
type Finder interface {
	FindByMarker(ctx context.Context, acct Account, marker string) (Receipt, bool, error)
}

// RemoteID is a post's identifier on its network (a status ID, an AT URI, a
// URN).
type RemoteID string

// Status is the state of a [Receipt].
type Status string

// The receipt states.
const (
	// StatusPublished: the post is live; ID (and usually URL) are set.
	StatusPublished Status = "published"
	// StatusPending: the network accepted the post and is still processing
	// it; call Check (after CheckAfter) to resolve it.
	StatusPending Status = "pending"
	// StatusManual: nothing was published; a person must publish
	// Manual.Draft by hand and then call [MarkPublished].
	StatusManual Status = "manual"
)

// Receipt is the result of a publish. The zero value is not a valid receipt.
type Receipt struct {
	Network   string    `json:"network"`
	AccountID string    `json:"account_id"`
	ID        RemoteID  `json:"id,omitempty"`  // the remote post (or, when pending, the processing job)
	URL       string    `json:"url,omitempty"` // a link a person can open
	Status    Status    `json:"status"`
	Marker    string    `json:"marker,omitempty"` // the idempotency marker the publish carried
	At        time.Time `json:"at,omitzero"`      // when the network accepted the post

	// CheckAfter hints when a pending receipt is worth checking again.
	CheckAfter time.Duration `json:"check_after,omitempty"`

	// Quotas is what the network reported about its remaining budget
	// (rate-limit headers); the Publisher updates its limiters from it.
	Quotas []Quota `json:"quotas,omitempty"`

	// Manual is set when Status is StatusManual.
	Manual *ManualTask `json:"manual,omitempty"`

	// Attempts is the number of Publish calls the Publisher made for this
	// receipt (set by the Publisher; adapters leave it zero).
	Attempts int `json:"attempts,omitempty"`
}

// Scope says whose budget a rate limit or quota applies to.
type Scope string

// The scopes.
const (
	ScopeAccount Scope = "account" // one account (per user token)
	ScopeApp     Scope = "app"     // the whole application, every account
)

// Quota is a network's report of its remaining budget, from headers such as
// x-rate-limit-remaining / x-rate-limit-reset. Limit and Remaining are counts
// of calls (or points); Reset is when the window refills.
type Quota struct {
	Scope     Scope     `json:"scope"`
	Limit     int       `json:"limit,omitempty"`
	Remaining int       `json:"remaining"`
	Reset     time.Time `json:"reset"`
}

// Draft is the content of one post for one network: the per-network variant
// of a workflow post's target. The zero value is an empty post (which most
// specs reject as missing text or media).
type Draft struct {
	Text  string `json:"text"`
	Title string `json:"title,omitempty"` // YouTube, Pinterest, TikTok photo posts
	Link  string `json:"link,omitempty"`  // a link attachment (Pinterest, LinkedIn article)

	Media []MediaItem `json:"media,omitempty"`

	// Thread holds follow-up posts published as replies to the first, in
	// order (X threads, Bluesky and Mastodon reply chains).
	Thread []string `json:"thread,omitempty"`

	// FirstComment is posted as the first comment (Instagram, LinkedIn).
	FirstComment string `json:"first_comment,omitempty"`

	Poll *Poll `json:"poll,omitempty"`

	// Marker is the idempotency marker carried to the network so the post
	// can be found again after a lost response. The Publisher generates one
	// when it is empty; a host that may crash and retry (the workflow
	// Dispatcher) sets a stable marker per target.
	Marker string `json:"marker,omitempty"`
}

// MediaItem is one attachment: its probed metadata, its alt text and where
// the adapter gets the bytes from.
type MediaItem struct {
	assets.Media
	Alt string `json:"alt,omitempty"`
	// URL is a public URL of the bytes, for networks that fetch media
	// themselves (Instagram, Threads, Pinterest).
	URL string `json:"url,omitempty"`
	// Open returns the bytes, for networks that take uploads. It may be
	// called once per attempt; nil when only URL is set.
	Open func(ctx context.Context) (io.ReadCloser, error) `json:"-"`
}

// Poll is a poll attached to a post.
type Poll struct {
	Options  []string      `json:"options"`
	Duration time.Duration `json:"duration"`
}

// Account is one connected account on one network, as adapters need it. The
// zero value has no credentials.
//
// Its String, GoString and LogValue methods never show credentials, so an
// Account may be printed or logged.
type Account struct {
	ID      string `json:"id"`                 // socialflow's identifier of the connected account
	Network string `json:"network"`            // the Spec.Network it belongs to
	Handle  string `json:"handle,omitempty"`   // @name on the network, for display
	BaseURL string `json:"base_url,omitempty"` // the instance or PDS for federated networks

	// Manual says this account is published to by hand: the Publisher
	// returns a [ManualTask] instead of calling the adapter.
	Manual bool `json:"manual,omitempty"`

	// Tokens supplies the access token. The Publisher sets it from its
	// [TokenStore] when it is nil; a host that manages tokens itself may
	// set it (the Publisher then cannot refresh them).
	Tokens oauth2.TokenSource `json:"-"`
}

// String returns a description of a without its credentials.
func (a Account) String() string {
	creds := "none"
	if a.Tokens != nil {
		creds = "REDACTED"
	}
	return fmt.Sprintf("networks.Account{ID:%q Network:%q Handle:%q BaseURL:%q Manual:%t Tokens:%s}",
		a.ID, a.Network, a.Handle, a.BaseURL, a.Manual, creds)
}

// GoString returns the same redacted description as String, so %#v never
// prints a token.
func (a Account) GoString() string { return a.String() }

// LogValue implements [slog.LogValuer]: the account's identity, never its
// credentials.
func (a Account) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", a.ID),
		slog.String("network", a.Network),
		slog.String("handle", a.Handle),
	)
}

// ManualTask is the ready content a person must publish by hand, returned in
// a [Receipt] with Status [StatusManual].
type ManualTask struct {
	Network   string `json:"network"`
	AccountID string `json:"account_id"`
	Handle    string `json:"handle,omitempty"`
	Draft     Draft  `json:"draft"`
	Reason    string `json:"reason"` // why it is manual: "spec" or "account"
}
