package networks_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
)

var allKinds = []error{
	socialflow.ErrInvalid, socialflow.ErrNotFound, socialflow.ErrConflict, socialflow.ErrForbidden,
	socialflow.ErrRateLimited, socialflow.ErrAuthExpired, socialflow.ErrTransient, socialflow.ErrRejected,
	socialflow.ErrDuplicate, socialflow.ErrOutcomeUnknown,
}

func TestErrorKinds(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	reset := time.Date(2026, 1, 1, 0, 15, 0, 0, time.UTC)
	for _, tt := range []struct {
		err  error
		kind error
	}{
		{&networks.RateLimitError{Network: "x", Op: networks.OpPublish, Scope: networks.ScopeApp, RetryAfter: time.Minute, Reset: reset, Err: cause}, socialflow.ErrRateLimited},
		{&networks.AuthExpiredError{Network: "x", AccountID: "a", Err: cause}, socialflow.ErrAuthExpired},
		{&networks.ReauthRequiredError{Network: "x", AccountID: "a", Reason: "revoked", Err: cause}, socialflow.ErrAuthExpired},
		{&networks.TransientError{Network: "x", Op: networks.OpPublish, Status: 503, Err: cause}, socialflow.ErrTransient},
		{&networks.RejectedError{Network: "x", Op: networks.OpPublish, Code: "186", Reason: "too long", Err: cause}, socialflow.ErrRejected},
		{&networks.DuplicateError{Network: "x", Existing: "123", Reason: "duplicate content", Err: cause}, socialflow.ErrDuplicate},
		{&networks.OutcomeUnknownError{Network: "x", Op: networks.OpPublish, Marker: "m", Err: cause}, socialflow.ErrOutcomeUnknown},
		{&networks.NotFoundError{Network: "x", ID: "1", Err: cause}, socialflow.ErrNotFound},
		{&networks.FieldError{Field: "f", Reason: "bad"}, socialflow.ErrInvalid},
		{&networks.StateError{Op: "mark", Reason: "not manual"}, socialflow.ErrConflict},
		{&networks.Violation{Network: "x", Field: "text", Rule: networks.RuleMax, Limit: 280, Value: 281, Offset: 280}, socialflow.ErrInvalid},
		{&networks.ValidationError{Network: "x"}, socialflow.ErrInvalid},
	} {
		t.Run(fmt.Sprintf("%T", tt.err), func(t *testing.T) {
			wrapped := fmt.Errorf("outer: %w", tt.err)
			for _, k := range allKinds {
				assert.Equal(t, k == tt.kind, errors.Is(wrapped, k), "kind %v", k)
			}
			assert.Regexp(t, `^networks: `, tt.err.Error())
			if u, ok := tt.err.(interface{ Unwrap() []error }); ok && len(u.Unwrap()) > 1 {
				assert.ErrorIs(t, wrapped, cause, "the cause is kept")
			}
		})
	}
}

func TestRateLimitErrorWait(t *testing.T) {
	reset := now.Add(90 * time.Second)
	assert.Equal(t, 90*time.Second, (&networks.RateLimitError{RetryAfter: 30 * time.Second, Reset: reset}).Wait(now))
	assert.Equal(t, 2*time.Minute, (&networks.RateLimitError{RetryAfter: 2 * time.Minute, Reset: reset}).Wait(now))
	assert.Equal(t, time.Duration(0), (&networks.RateLimitError{Reset: now.Add(-time.Hour)}).Wait(now))
	assert.Equal(t, time.Duration(0), (&networks.RateLimitError{}).Wait(now))
}

func TestAccountRedacted(t *testing.T) {
	const secret = "tok-SECRET-123"
	acct := networks.Account{ID: "a1", Network: "x", Handle: "@ana",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secret, RefreshToken: secret + "r"})}
	for _, s := range []string{fmt.Sprint(acct), fmt.Sprintf("%v %+v %#v %s", acct, acct, acct, acct), fmt.Sprintf("%+v", &acct)} {
		assert.NotContains(t, s, secret)
		assert.Contains(t, s, "a1")
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("publish", "account", acct)
	assert.NotContains(t, buf.String(), secret)
	assert.Contains(t, buf.String(), `"id":"a1"`)
	assert.Contains(t, networks.Account{ID: "b"}.String(), "Tokens:none")
}

func TestMarkPublished(t *testing.T) {
	manual := networks.Receipt{Network: "instagram", AccountID: "a", Status: networks.StatusManual, Marker: "m",
		Manual: &networks.ManualTask{Network: "instagram", AccountID: "a"}}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	got, err := networks.MarkPublished(manual, "https://www.instagram.com/p/abc/", at)
	require.NoError(t, err)
	assert.Equal(t, networks.StatusPublished, got.Status)
	assert.Equal(t, "https://www.instagram.com/p/abc/", got.URL)
	assert.Equal(t, at, got.At)
	assert.Nil(t, got.Manual)
	assert.Equal(t, "m", got.Marker)

	_, err = networks.MarkPublished(manual, "not a url", at)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = networks.MarkPublished(manual, "javascript:alert(1)", at)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = networks.MarkPublished(got, "https://example.com/p/1", at)
	require.ErrorIs(t, err, socialflow.ErrConflict)
}
