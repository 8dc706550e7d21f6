package apikit

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
)

// ClassifyFunc is a network's hook for its documented error payloads: it
// reads a non-2xx answer and returns an error of the networks kinds,
// usually f.Error(class, code, reason, cause) with the network's own
// error type as the cause. It must not panic on any body (use
// [Failure.DecodeJSON]); a nil result is replaced by [ByStatus].
type ClassifyFunc func(f *Failure) error

// Failure is a non-2xx answer, as a [ClassifyFunc] sees it.
type Failure struct {
	Network string // the Client's Network
	Req     *Request
	Status  int
	Header  http.Header
	// Body is at most Client.MaxErrorBody bytes of the answer, with the
	// request's bearer token replaced by "REDACTED". It may be empty,
	// truncated, HTML or anything else.
	Body []byte
	Now  time.Time
	// RetryAfter (the Retry-After header, RFC 9110 §10.2.3) and Reset (the
	// configured reset header) are zero when the answer did not say.
	RetryAfter time.Duration
	Reset      time.Time
	// Scope is the scope a rate limit applies to: the Client's
	// RateHeaders.Scope; a hook may change it (an app-wide 429).
	Scope networks.Scope
}

// DecodeJSON decodes the body into v and reports whether it was JSON of
// v's shape; it never panics, whatever the body.
func (f *Failure) DecodeJSON(v any) bool { return json.Unmarshal(f.Body, v) == nil }

// Message bounds a message taken from an error body to 500 bytes of valid
// UTF-8, for the network's error type; echo bounds it again when printed.
func Message(s string) string {
	if len(s) > 500 {
		s = s[:500]
	}
	return strings.ToValidUTF8(s, "")
}

// Class is the networks error kind a failure maps to.
type Class string

// The classes [Failure.Error] builds.
const (
	ClassAuthExpired    Class = "auth_expired"    // *networks.AuthExpiredError (*networks.ReauthRequiredError for a Credentials request)
	ClassReauthRequired Class = "reauth_required" // *networks.ReauthRequiredError: a person must reconnect
	ClassRateLimited    Class = "rate_limited"    // *networks.RateLimitError with RetryAfter, Reset and Scope
	ClassTransient      Class = "transient"       // *networks.TransientError (reads), *networks.OutcomeUnknownError (writes)
	ClassRejected       Class = "rejected"        // *networks.RejectedError with the code and reason
	ClassNotFound       Class = "not_found"       // *networks.NotFoundError naming Request.Target
	ClassDuplicate      Class = "duplicate"       // *networks.DuplicateError with the reason
)

// ClassOfStatus is the class of an HTTP status without a recognised error
// payload: 401 auth expired, 404 and 410 not found, 409 duplicate, 429
// rate limited, 408 and 5xx transient, other statuses rejected.
func ClassOfStatus(status int) Class {
	switch {
	case status == http.StatusUnauthorized:
		return ClassAuthExpired
	case status == http.StatusNotFound || status == http.StatusGone:
		return ClassNotFound
	case status == http.StatusConflict:
		return ClassDuplicate
	case status == http.StatusTooManyRequests:
		return ClassRateLimited
	case status == http.StatusRequestTimeout || status >= 500:
		return ClassTransient
	default:
		return ClassRejected
	}
}

// ByStatus classifies f by its status alone ([ClassOfStatus]), with a
// [*StatusError] as the cause. It is the default hook, and what a hook
// returns for a body it does not recognise (an HTML page from a proxy).
func ByStatus(f *Failure) error {
	se := &StatusError{Name: f.Req.Name, Status: f.Status, ContentType: f.Header.Get("Content-Type")}
	return f.Error(ClassOfStatus(f.Status), strconv.Itoa(f.Status), "", se)
}

// Error builds the networks error of class for f, naming the network, the
// operation, the account, the marker and the target of f.Req, with cause
// as its cause. code and reason feed RejectedError (Code, Reason),
// DuplicateError (Reason) and ReauthRequiredError (Reason: code, else
// reason). A transient failure of a write is an unknown outcome: the
// network may have applied it before failing; a hook that knows better
// (the answer proves nothing was written) returns a TransientError itself.
func (f *Failure) Error(class Class, code, reason string, cause error) error {
	r, net := f.Req, f.Network
	why := code
	if why == "" {
		why = reason
	}
	switch class {
	case ClassAuthExpired:
		if r.Credentials {
			return &networks.ReauthRequiredError{Network: net, AccountID: r.AccountID, Reason: why, Err: cause}
		}
		return &networks.AuthExpiredError{Network: net, Op: r.Op, AccountID: r.AccountID, Err: cause}
	case ClassReauthRequired:
		return &networks.ReauthRequiredError{Network: net, AccountID: r.AccountID, Reason: why, Err: cause}
	case ClassRateLimited:
		scope := f.Scope
		if scope == "" {
			scope = networks.ScopeAccount
		}
		return &networks.RateLimitError{Network: net, Op: r.Op, Scope: scope, Reset: f.Reset, RetryAfter: f.RetryAfter, Err: cause}
	case ClassNotFound:
		return &networks.NotFoundError{Network: net, Op: r.Op, ID: r.Target, Err: cause}
	case ClassDuplicate:
		return &networks.DuplicateError{Network: net, Op: r.Op, Reason: reason, Err: cause}
	case ClassTransient:
		if r.Write {
			return &networks.OutcomeUnknownError{Network: net, Op: r.Op, AccountID: r.AccountID, Marker: r.Marker, Err: cause}
		}
		return &networks.TransientError{Network: net, Op: r.Op, Status: f.Status, Err: cause}
	default:
		return &networks.RejectedError{Network: net, Op: r.Op, Code: code, Reason: reason, Err: cause}
	}
}

// StatusError is the cause [ByStatus] gives: a non-2xx answer without a
// recognised error payload.
type StatusError struct {
	Name        string // the request, e.g. "POST /2/tweets"
	Status      int
	ContentType string // of the answer, e.g. "text/html" from a proxy
}

// Error describes the answer; it holds no body and no token.
func (e *StatusError) Error() string {
	msg := echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status)
	if e.ContentType != "" {
		msg += " (" + echo.Short(e.ContentType) + ")"
	}
	return msg
}
