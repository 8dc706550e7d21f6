// Package networktest is the conformance suite every [networks.Adapter]
// passes — fakenet in process, each real adapter against an httptest server
// that speaks its network's documented responses — and the suite every
// [networks.TokenStore] passes.
//
// An adapter's test connects the suite to the adapter and the backend behind
// it with a [Harness]:
//
//	func TestConformance(t *testing.T) {
//		networktest.Run(t, func(t *testing.T) networktest.Harness { return newHarness(t) })
//	}
//
// Each case is a subtest named for the behaviour it checks
// (PublishThenMetrics, DeleteTwiceIsNotFound, RateLimitCarriesRetryAfter,
// ...), so -run can pick one. A case that needs a fault the harness cannot
// script, or a Finder the adapter lacks, is skipped.
//
// Adapters that implement [networks.InboxSource] and [networks.Replier] run
// the inbox cases too (Inbox..., Reply...) when their harness implements
// [Inbox]: replies, mentions and direct messages listed after the cursor
// taken before they arrived, the cursor moving past its items, a repeated
// cursor allowed, replies threaded
// under the item, a reply's lost response found by its marker (by the
// adapter's Finder, and by the Publisher, which sends nothing twice), and
// the errors of both classified. They are skipped for adapters without.
package networktest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
)

// Harness connects the suite to one adapter and the backend behind it. Run
// creates a fresh Harness for every case.
type Harness interface {
	// Adapter returns the adapter under test.
	Adapter() networks.Adapter
	// Account returns a connected account whose Tokens work against the
	// backend.
	Account() networks.Account
	// Script makes the next request to the backend answer as f says. It
	// returns false when the harness cannot produce f; the case is then
	// skipped.
	Script(f Fault) bool
	// Posts returns what the backend holds (live posts), to check side
	// effects.
	Posts() []networks.Receipt
}

// Drafter is optionally implemented by a Harness whose network needs more
// than a short text (media on Instagram, a title on YouTube): Draft returns
// the n-th valid draft, distinct from the others. Without it the suite
// publishes "networktest post <n>".
type Drafter interface {
	Draft(n int) networks.Draft
}

// FaultKind is the kind of a [Fault].
type FaultKind string

// The faults a Harness may be asked to script.
const (
	ServerError  FaultKind = "server_error"  // a 5xx
	RateLimited  FaultKind = "rate_limited"  // a 429 with Retry-After (Fault.RetryAfter)
	ExpiredToken FaultKind = "expired_token" // the access token is refused as expired
	Rejected     FaultKind = "rejected"      // a permanent refusal with Fault.Reason
	Duplicate    FaultKind = "duplicate"     // duplicate content
	LostResponse FaultKind = "lost_response" // the write happens, the response is lost
)

// Fault is one scripted answer.
type Fault struct {
	Kind       FaultKind
	RetryAfter time.Duration // RateLimited
	Reason     string        // Rejected
}

// Secret is an access token value harnesses may give their account, so the
// suite can look for it in every error and log line (it always also looks
// for the token the account actually uses).
const Secret = "tok-SECRET"

// Run runs every case as a subtest with a fresh Harness from newHarness.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	cases := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"SpecIsStable", specIsStable},
		{"PublishThenMetrics", publishThenMetrics},
		{"PublishedPostIsOnBackend", publishedPostIsOnBackend},
		{"DeleteTwiceIsNotFound", deleteTwiceIsNotFound},
		{"MetricsOfMissingIsNotFound", metricsOfMissingIsNotFound},
		{"RateLimitCarriesRetryAfter", rateLimitCarriesRetryAfter},
		{"ExpiredTokenIsAuthExpired", expiredTokenIsAuthExpired},
		{"ServerErrorIsTransient", serverErrorIsTransient},
		{"RejectionIsPermanentWithReason", rejectionIsPermanentWithReason},
		{"DuplicateIsDuplicate", duplicateIsDuplicate},
		{"LostResponseIsOutcomeUnknown", lostResponseIsOutcomeUnknown},
		{"CanceledContextStops", canceledContextStops},
		{"ErrorsNeverContainToken", errorsNeverContainToken},
		{"LogsNeverContainToken", logsNeverContainToken},
		{"FinderFindsMarker", finderFindsMarker},
		{"TokenSourceFailureFollowsTheRule", tokenSourceFailureFollowsTheRule},
	}
	cases = append(cases, inboxCases...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newHarness(t)) })
	}
}

func draft(h Harness, n int) networks.Draft {
	var d networks.Draft
	if dr, ok := h.(Drafter); ok {
		d = dr.Draft(n)
	} else {
		d = networks.Draft{Text: fmt.Sprintf("networktest post %d", n)}
	}
	if d.Marker == "" {
		d.Marker = fmt.Sprintf("networktest-%d-%d", n, time.Now().UnixNano())
	}
	return d
}

func publish(t *testing.T, h Harness, n int) networks.Receipt {
	t.Helper()
	a := h.Adapter()
	d := draft(h, n)
	require.NoError(t, networks.Validate(a.Spec(), d), "the harness's draft must fit the spec")
	r, err := a.Publish(t.Context(), h.Account(), d)
	require.NoError(t, err)
	require.NotEmpty(t, r.ID, "a receipt names the remote post (or job)")
	if r.Status == networks.StatusPending {
		r, err = a.Check(t.Context(), h.Account(), r)
		require.NoError(t, err)
		if r.Status == networks.StatusPending {
			t.Skip("the adapter is still processing the post; this case needs a published post")
		}
	}
	require.Equal(t, networks.StatusPublished, r.Status)
	return r
}

// kinds are the kinds an adapter's error is classified into; exactly one
// must match.
var kinds = []error{
	networks.ErrTransient, networks.ErrRateLimited, networks.ErrAuthExpired, networks.ErrRejected,
	networks.ErrDuplicate, networks.ErrOutcomeUnknown, networks.ErrNotFound, networks.ErrInvalid,
}

// onlyKind asserts err matches want and no other kind.
func onlyKind(t *testing.T, err, want error) {
	t.Helper()
	require.ErrorIs(t, err, want)
	for _, k := range kinds {
		if k != want {
			assert.NotErrorIs(t, err, k, "an error has exactly one kind")
		}
	}
}

func ids(rs []networks.Receipt) []networks.RemoteID {
	out := make([]networks.RemoteID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func specIsStable(t *testing.T, h Harness) {
	a := h.Adapter()
	s1, s2 := a.Spec(), a.Spec()
	require.NoError(t, s1.Validate())
	assert.True(t, reflect.DeepEqual(s1, s2), "Spec returns an equal value on every call")
	assert.NotEmpty(t, s1.Network)
}

func publishThenMetrics(t *testing.T, h Harness) {
	r := publish(t, h, 1)
	snap, err := h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
	require.NoError(t, err)
	assert.Equal(t, string(r.ID), snap.Target)
	assert.False(t, snap.At.IsZero(), "a snapshot says when it was read")
}

func publishedPostIsOnBackend(t *testing.T, h Harness) {
	before := len(h.Posts())
	r := publish(t, h, 2)
	posts := h.Posts()
	assert.Len(t, posts, before+1, "one publish makes one post")
	assert.Contains(t, ids(posts), r.ID)
}

func deleteTwiceIsNotFound(t *testing.T, h Harness) {
	r := publish(t, h, 3)
	a := h.Adapter()
	if !a.Spec().Features.Delete {
		// A network whose API cannot delete (TikTok): Delete refuses for
		// good, with the reason, and the post stays.
		err := a.Delete(t.Context(), h.Account(), r.ID)
		onlyKind(t, err, networks.ErrRejected)
		var re *networks.RejectedError
		require.ErrorAs(t, err, &re)
		assert.NotEmpty(t, re.Reason, "the refusal says why")
		assert.Contains(t, ids(h.Posts()), r.ID, "nothing was deleted")
		return
	}
	require.NoError(t, a.Delete(t.Context(), h.Account(), r.ID))
	assert.NotContains(t, ids(h.Posts()), r.ID)
	err := a.Delete(t.Context(), h.Account(), r.ID)
	onlyKind(t, err, networks.ErrNotFound)
	var nf *networks.NotFoundError
	assert.ErrorAs(t, err, &nf)
}

func metricsOfMissingIsNotFound(t *testing.T, h Harness) {
	_, err := h.Adapter().Metrics(t.Context(), h.Account(), "networktest-missing-post")
	onlyKind(t, err, networks.ErrNotFound)
}

// failingPublish scripts f, publishes and checks nothing reached the backend.
func failingPublish(t *testing.T, h Harness, f Fault, n int, wantPosted bool) error {
	t.Helper()
	if !h.Script(f) {
		t.Skipf("the harness cannot script %s", f.Kind)
	}
	before := len(h.Posts())
	_, err := h.Adapter().Publish(t.Context(), h.Account(), draft(h, n))
	require.Error(t, err)
	if wantPosted {
		assert.Len(t, h.Posts(), before+1)
	} else {
		assert.Len(t, h.Posts(), before, "a failed publish leaves nothing behind")
	}
	return err
}

func rateLimitCarriesRetryAfter(t *testing.T, h Harness) {
	err := failingPublish(t, h, Fault{Kind: RateLimited, RetryAfter: 30 * time.Second}, 4, false)
	onlyKind(t, err, networks.ErrRateLimited)
	var rl *networks.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.True(t, rl.RetryAfter == 30*time.Second || !rl.Reset.IsZero(),
		"the error carries the Retry-After (or reset) the network sent; got %v / %v", rl.RetryAfter, rl.Reset)
	assert.Contains(t, []networks.Scope{networks.ScopeAccount, networks.ScopeApp}, rl.Scope)
}

func expiredTokenIsAuthExpired(t *testing.T, h Harness) {
	err := failingPublish(t, h, Fault{Kind: ExpiredToken}, 5, false)
	onlyKind(t, err, networks.ErrAuthExpired)
	var ae *networks.AuthExpiredError
	var re *networks.ReauthRequiredError
	assert.True(t, errors.As(err, &ae) || errors.As(err, &re), "an *AuthExpiredError or *ReauthRequiredError")
}

func serverErrorIsTransient(t *testing.T, h Harness) {
	err := failingPublish(t, h, Fault{Kind: ServerError}, 6, false)
	onlyKind(t, err, networks.ErrTransient)
	var te *networks.TransientError
	assert.ErrorAs(t, err, &te)
}

func rejectionIsPermanentWithReason(t *testing.T, h Harness) {
	err := failingPublish(t, h, Fault{Kind: Rejected, Reason: "networktest refuses this"}, 7, false)
	onlyKind(t, err, networks.ErrRejected)
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.NotEmpty(t, re.Reason, "a rejection carries the network's reason")
}

func duplicateIsDuplicate(t *testing.T, h Harness) {
	err := failingPublish(t, h, Fault{Kind: Duplicate}, 8, false)
	onlyKind(t, err, networks.ErrDuplicate)
	var de *networks.DuplicateError
	assert.ErrorAs(t, err, &de)
}

func lostResponseIsOutcomeUnknown(t *testing.T, h Harness) {
	err := failingPublish(t, h, Fault{Kind: LostResponse}, 9, true)
	onlyKind(t, err, networks.ErrOutcomeUnknown)
	var ou *networks.OutcomeUnknownError
	assert.ErrorAs(t, err, &ou)
}

func canceledContextStops(t *testing.T, h Harness) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	a := h.Adapter()
	before := len(h.Posts())
	_, err := a.Publish(ctx, h.Account(), draft(h, 10))
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, h.Posts(), before, "nothing is published with a canceled context")
	assert.ErrorIs(t, a.Delete(ctx, h.Account(), "networktest-any"), context.Canceled)
	_, err = a.Metrics(ctx, h.Account(), "networktest-any")
	assert.ErrorIs(t, err, context.Canceled)
}

// secrets returns the values that must never appear in output.
func secrets(t *testing.T, h Harness) []string {
	out := []string{Secret}
	if ts := h.Account().Tokens; ts != nil {
		tok, err := ts.Token()
		require.NoError(t, err)
		for _, s := range []string{tok.AccessToken, tok.RefreshToken} {
			if len(s) >= 4 {
				out = append(out, s)
			}
		}
	}
	return out
}

func assertClean(t *testing.T, what, s string, secrets []string) {
	t.Helper()
	for _, sec := range secrets {
		assert.NotContains(t, s, sec, "%s contains a secret", what)
	}
}

func errorsNeverContainToken(t *testing.T, h Harness) {
	sec := secrets(t, h)
	acct := h.Account()
	assertClean(t, "Account %v", fmt.Sprintf("%v", acct), sec)
	assertClean(t, "Account %+v", fmt.Sprintf("%+v", acct), sec)
	assertClean(t, "Account %#v", fmt.Sprintf("%#v", acct), sec)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("account", "account", acct)
	assertClean(t, "slog of Account", buf.String(), sec)

	a := h.Adapter()
	var errs []error
	for i, f := range []Fault{
		{Kind: ServerError}, {Kind: RateLimited, RetryAfter: time.Second}, {Kind: ExpiredToken},
		{Kind: Rejected, Reason: "no"}, {Kind: Duplicate}, {Kind: LostResponse},
	} {
		if !h.Script(f) {
			continue
		}
		_, err := a.Publish(t.Context(), h.Account(), draft(h, 100+i))
		errs = append(errs, err)
	}
	errs = append(errs, a.Delete(t.Context(), acct, "networktest-missing"))
	_, err := a.Metrics(t.Context(), acct, "networktest-missing")
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			continue
		}
		assertClean(t, "error", err.Error(), sec)
		assertClean(t, "error %+v", fmt.Sprintf("%+v", err), sec)
		assertClean(t, "error %#v", fmt.Sprintf("%#v", err), sec)
	}
}

func logsNeverContainToken(t *testing.T, h Harness) {
	sec := secrets(t, h)
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p, err := networks.NewPublisher(h.Adapter(), networks.WithLogger(logger), networks.WithMaxAttempts(2),
		networks.WithBackOff(time.Millisecond, time.Millisecond), networks.WithRateLimits(networks.RateLimits{}))
	require.NoError(t, err)
	for _, f := range []Fault{{Kind: ServerError}, {Kind: Rejected, Reason: "no"}} {
		if h.Script(f) {
			_, _ = p.Publish(t.Context(), h.Account(), draft(h, 200))
		}
	}
	_, _ = p.Publish(t.Context(), h.Account(), draft(h, 201))
	assert.NotEmpty(t, buf.String(), "the Publisher logs its attempts at debug level")
	for _, line := range strings.Split(buf.String(), "\n") {
		assertClean(t, "log line", line, sec)
	}
}

func finderFindsMarker(t *testing.T, h Harness) {
	f, ok := h.Adapter().(networks.Finder)
	if !ok {
		t.Skip("the adapter does not implement networks.Finder")
	}
	d := draft(h, 11)
	r, err := h.Adapter().Publish(t.Context(), h.Account(), d)
	require.NoError(t, err)
	got, found, err := f.FindByMarker(t.Context(), h.Account(), d.Marker)
	require.NoError(t, err)
	require.True(t, found, "the post published with the marker is found")
	assert.Equal(t, r.ID, got.ID)
	_, found, err = f.FindByMarker(t.Context(), h.Account(), "networktest-no-such-marker")
	require.NoError(t, err)
	assert.False(t, found, "an unused marker is a definite not-found, not an error")
}

// failingSource is a token source that fails with err, after calling before
// (to cancel a context in the middle of the call).
type failingSource struct {
	err    error
	before func()
}

func (f failingSource) Token() (*oauth2.Token, error) {
	if f.before != nil {
		f.before()
	}
	return nil, f.err
}

// tokenSourceFailureFollowsTheRule checks the one rule of
// [networks.AccessToken] through the adapter: however acct.Tokens fails,
// nothing is sent and the error has the kind the rule names.
func tokenSourceFailureFollowsTheRule(t *testing.T, h Harness) {
	refused := func(code string, status int) error {
		return &oauth2.RetrieveError{Response: &http.Response{StatusCode: status, Status: http.StatusText(status)}, ErrorCode: code}
	}
	type want int
	const (
		reauth want = iota
		transient
		canceled
		same
	)
	ours := &networks.RateLimitError{Network: "networktest", Op: networks.OpRefresh, RetryAfter: time.Minute}
	cases := []struct {
		name   string
		err    error
		cancel bool
		want   want
	}{
		{"invalid_grant", refused("invalid_grant", 400), false, reauth},
		{"invalid_client", refused("invalid_client", 401), false, reauth},
		{"unauthorized_client", refused("unauthorized_client", 400), false, reauth},
		{"invalid_scope", refused("invalid_scope", 400), false, reauth},
		{"unsupported_grant_type", refused("unsupported_grant_type", 400), false, reauth},
		{"HTTP 400 without a code", refused("", 400), false, reauth},
		{"HTTP 401 without a code", refused("", 401), false, reauth},
		{"token endpoint 503", refused("", 503), false, transient},
		{"token endpoint unreachable", errors.New("dial tcp: connection refused"), false, transient},
		{"already one of our kinds", ours, false, same},
		{"context canceled meanwhile", errors.New("token fetch aborted"), true, canceled},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			acct := h.Account()
			src := failingSource{err: c.err}
			if c.cancel {
				src.before = cancel
			}
			acct.Tokens = src
			before := len(h.Posts())
			_, err := h.Adapter().Publish(ctx, acct, draft(h, 40+i))
			require.Error(t, err)
			assert.Len(t, h.Posts(), before, "nothing is sent without a token")
			assert.NotErrorIs(t, err, networks.ErrOutcomeUnknown, "nothing was sent")
			switch c.want {
			case reauth:
				var re *networks.ReauthRequiredError
				assert.ErrorAs(t, err, &re, "a refused grant: a person must reconnect")
			case transient:
				var te *networks.TransientError
				assert.ErrorAs(t, err, &te, "the token endpoint failed: retry later")
				assert.NotErrorIs(t, err, networks.ErrAuthExpired)
			case canceled:
				assert.ErrorIs(t, err, context.Canceled)
				assert.NotErrorIs(t, err, networks.ErrAuthExpired)
				assert.NotErrorIs(t, err, networks.ErrTransient)
			case same:
				assert.Same(t, ours, err, "an error of our kinds passes through unchanged")
			}
		})
	}
}
