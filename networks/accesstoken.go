package networks

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
)

// AccessToken gets acct's access token for a request to network, and is the
// one rule by which every adapter classifies a failing token source (see
// [Adapter]). Adapters call it before every request instead of calling
// acct.Tokens.Token themselves, so all networks — future ones too — report
// the same failure the same way. Nothing has been sent when it fails:
//
//   - acct.Tokens is nil: a [*FieldError] on "account.credentials"
//     (ErrInvalid: a set-up mistake);
//   - the source fails with an error that already matches one of the
//     socialflow kinds (the Publisher's own token source does): that error,
//     unchanged;
//   - ctx is done: an error wrapping ctx.Err() (the caller stopped; nothing
//     was sent);
//   - an [*oauth2.RetrieveError] from the token endpoint whose grant was
//     refused — an RFC 6749 §5.2 error code (invalid_grant, invalid_client,
//     unauthorized_client, invalid_scope, unsupported_grant_type) or, without
//     a code, HTTP 400 or 401: a [*ReauthRequiredError], a person must
//     reconnect the account;
//   - anything else (the token endpoint unreachable, a 5xx, a 429, a
//     malformed answer): a [*TransientError], retry later;
//   - the source returns no token or an empty access token: a
//     [*ReauthRequiredError].
//
// The token endpoint's answer is kept only as its status, error code and a
// bounded description, never its body or request, so no secret can be
// reached through the error with errors.As.
//
// A 401 from the network's own API on a request is a different failure: the
// adapter reports it as [*AuthExpiredError] (a refresh, or a token another
// replica stored, may fix it), and the [Publisher] turns it into a
// [*ReauthRequiredError] when neither can.
func AccessToken(ctx context.Context, network string, acct Account) (*oauth2.Token, error) {
	if acct.Tokens == nil {
		return nil, &FieldError{Network: network, Field: "account.credentials", Value: acct.ID, Reason: "the account has no token source"}
	}
	tok, err := acct.Tokens.Token()
	if err != nil {
		return nil, classifyTokenError(ctx, network, acct.ID, err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, &ReauthRequiredError{Network: network, AccountID: acct.ID, Reason: "the token source returned no access token"}
	}
	return tok, nil
}

// kinds are the root error kinds, in the order classification checks them.
var kinds = []error{
	socialflow.ErrOutcomeUnknown, socialflow.ErrAuthExpired, socialflow.ErrRateLimited, socialflow.ErrTransient,
	socialflow.ErrRejected, socialflow.ErrDuplicate, socialflow.ErrInvalid, socialflow.ErrNotFound,
	socialflow.ErrConflict, socialflow.ErrForbidden,
}

// hasKind reports whether err matches one of the socialflow kinds.
func hasKind(err error) bool {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// classifyTokenError applies the rule of AccessToken to a token source's
// error.
func classifyTokenError(ctx context.Context, network, accountID string, err error) error {
	if hasKind(err) {
		return err
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &tokenSourceStopped{network: network, err: ctxErr}
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		clean := scrubRetrieveError(re)
		if grantRefused(re) {
			reason := "the token endpoint refused the grant"
			if re.ErrorCode != "" {
				reason += " (" + echo.Short(re.ErrorCode) + ")"
			}
			return &ReauthRequiredError{Network: network, AccountID: accountID, Reason: reason, Err: clean}
		}
		return &TransientError{Network: network, Op: OpRefresh, Status: statusOf(re), Err: clean}
	}
	return &TransientError{Network: network, Op: OpRefresh, Err: err}
}

// grantRefused reports whether a token endpoint's error means the grant (the
// refresh token, the client) is no good: an RFC 6749 §5.2 error code, or
// HTTP 400/401 without one.
func grantRefused(re *oauth2.RetrieveError) bool {
	switch re.ErrorCode {
	case "invalid_grant", "invalid_client", "unauthorized_client", "invalid_scope", "unsupported_grant_type":
		return true
	case "":
		s := statusOf(re)
		return s == http.StatusBadRequest || s == http.StatusUnauthorized
	}
	return false
}

func statusOf(re *oauth2.RetrieveError) int {
	if re.Response == nil {
		return 0
	}
	return re.Response.StatusCode
}

// scrubRetrieveError returns a copy of re without its body, headers or
// request (the request may carry client credentials), with a bounded
// description.
func scrubRetrieveError(re *oauth2.RetrieveError) *oauth2.RetrieveError {
	out := &oauth2.RetrieveError{
		ErrorCode:        echo.Short(re.ErrorCode),
		ErrorDescription: echo.Short(re.ErrorDescription),
		ErrorURI:         echo.Short(re.ErrorURI),
	}
	if s := statusOf(re); s != 0 {
		out.Response = &http.Response{StatusCode: s, Status: http.StatusText(s)}
	}
	return out
}

// tokenSourceStopped reports that the context ended while the token source
// ran: nothing was sent. It matches the context's error only.
type tokenSourceStopped struct {
	network string
	err     error
}

func (e *tokenSourceStopped) Error() string {
	return prefix(e.network, "") + "getting the access token: " + e.err.Error()
}

func (e *tokenSourceStopped) Unwrap() error { return e.err }
