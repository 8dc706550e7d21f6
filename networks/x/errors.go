package x

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// APIError is an error answer of X API v2: the HTTP status and the
// problem-details body {"type", "title", "detail", "status", "reason"}
// (https://docs.x.com/x-api/fundamentals/response-codes-and-errors), or
// the legacy {"errors": [{"code", "message"}]} body. The adapter never
// returns it bare: it is the cause wrapped by one of the networks error
// classes (see [ErrorMapping]), reachable with errors.As.
type APIError struct {
	Name   string // the request, e.g. "POST /2/tweets"
	Status int    // the HTTP status
	// Type is the problem type URI, e.g.
	// "https://api.x.com/2/problems/usage-capped"; "about:blank" for a
	// generic problem.
	Type   string
	Title  string // e.g. "Forbidden", "Too Many Requests"
	Detail string // X's message, bounded
	Reason string // the problem's reason, e.g. "client-not-enrolled"
	Code   int    // the legacy error code (88, 187, 324...); 0 without one
}

// Error describes the failure; it never holds a token.
func (e *APIError) Error() string {
	msg := "x: " + echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status)
	if e.Title != "" {
		msg += " " + echo.Short(e.Title)
	}
	if e.Code != 0 {
		msg += " (code " + strconv.Itoa(e.Code) + ")"
	}
	if e.Detail != "" {
		msg += ": " + echo.Clip(e.Detail, 300)
	}
	return msg
}

// problem returns the last segment of the type URI ("usage-capped"), so
// bodies naming api.twitter.com and api.x.com match alike.
func (e *APIError) problem() string {
	if e.Type == "" || e.Type == "about:blank" {
		return ""
	}
	return e.Type[strings.LastIndexByte(e.Type, '/')+1:]
}

// Sources of [ErrorMapping].
const (
	srcErrors     = "https://docs.x.com/x-api/fundamentals/response-codes-and-errors"
	srcRateLimits = "https://docs.x.com/x-api/fundamentals/rate-limits"
	srcCreatePost = "https://docs.x.com/x-api/posts/create-post"
	srcPricing    = "https://docs.x.com/x-api/getting-started/pricing"
)

// Mapping is one row of [ErrorMapping]: how an X error answer is
// recognised, the class it maps to and the document that defines it.
type Mapping struct {
	Status  int    // the HTTP status; 0 matches any
	Problem string // the last segment of the problem type URI; "" matches any
	Detail  string // a substring of the detail (lower case); "" matches any
	Code    int    // the legacy error code; 0 matches any
	Class   apikit.Class
	Source  string
}

// ErrorMapping lists the X error answers the adapter knows, in the order
// they are consulted (the first match wins), with their class and source.
// An answer no row matches is classified by its status ([apikit.ClassOfStatus]).
//
// Duplicate content arrives as a 403 with the generic type about:blank and
// the detail "You are not allowed to create a Tweet with duplicate
// content.", so it is recognised by its detail. A 402 is the pay-per-use
// credit or spending limit: nothing is posted until a person tops up, so it
// is a rejection (Code "payment-required"), never a retry.
var ErrorMapping = []Mapping{
	{Status: 403, Detail: "duplicate content", Class: apikit.ClassDuplicate, Source: srcErrors},
	{Code: 187, Class: apikit.ClassDuplicate, Source: srcErrors},
	{Status: 401, Class: apikit.ClassAuthExpired, Source: srcErrors},
	{Problem: "unsupported-authentication", Class: apikit.ClassReauthRequired, Source: srcErrors},
	{Problem: "oauth1-permissions", Class: apikit.ClassReauthRequired, Source: srcErrors},
	{Code: 326, Class: apikit.ClassReauthRequired, Source: srcErrors}, // account temporarily locked
	{Problem: "usage-capped", Class: apikit.ClassRateLimited, Source: srcRateLimits},
	{Problem: "rate-limit-exceeded", Class: apikit.ClassRateLimited, Source: srcRateLimits},
	{Status: 429, Class: apikit.ClassRateLimited, Source: srcRateLimits},
	{Code: 88, Class: apikit.ClassRateLimited, Source: srcRateLimits},
	{Code: 185, Class: apikit.ClassRateLimited, Source: srcErrors}, // over the daily status update limit
	{Problem: "resource-not-found", Class: apikit.ClassNotFound, Source: srcErrors},
	{Status: 404, Class: apikit.ClassNotFound, Source: srcErrors},
	{Status: 402, Class: apikit.ClassRejected, Source: srcPricing},
	{Problem: "client-forbidden", Class: apikit.ClassRejected, Source: srcErrors},
	{Problem: "invalid-request", Class: apikit.ClassRejected, Source: srcErrors},
	{Problem: "disallowed-resource", Class: apikit.ClassRejected, Source: srcErrors},
	{Problem: "not-authorized-for-resource", Class: apikit.ClassRejected, Source: srcErrors},
	{Status: 403, Class: apikit.ClassRejected, Source: srcCreatePost},
	{Status: 400, Class: apikit.ClassRejected, Source: srcCreatePost},
	{Status: 413, Class: apikit.ClassRejected, Source: srcErrors},
	{Problem: "resource-unavailable", Class: apikit.ClassTransient, Source: srcErrors},
	{Problem: "internal-error", Class: apikit.ClassTransient, Source: srcErrors},
}

// problemBody is the union of the problem-details and the legacy error
// bodies.
type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Reason string `json:"reason"`
	Errors []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// classify is the adapter kit's hook: it reads the problem or legacy body
// (a body that is neither keeps its status only: an HTML page from a
// proxy, an empty 413 from the edge), builds the *APIError and wraps it in
// the class of [ErrorMapping]. A 429 whose 24-hour app headers say nothing
// remains, or a usage cap, is app-wide (networks.ScopeApp) and carries the
// largest exhausted reset.
func classify(f *apikit.Failure) error {
	var b problemBody
	if !f.DecodeJSON(&b) || (b.Title == "" && b.Detail == "" && len(b.Errors) == 0) {
		return apikit.ByStatus(f)
	}
	xe := &APIError{Name: f.Req.Name, Status: f.Status, Type: apikit.Message(b.Type), Title: apikit.Message(b.Title),
		Detail: apikit.Message(b.Detail), Reason: apikit.Message(b.Reason)}
	if len(b.Errors) > 0 {
		xe.Code = b.Errors[0].Code
		if xe.Detail == "" {
			xe.Detail = apikit.Message(b.Errors[0].Message)
		}
	}
	class := classOf(xe)
	code := xe.problem()
	switch {
	case f.Status == http.StatusPaymentRequired:
		code = "payment-required"
	case code == "" && xe.Code != 0:
		code = strconv.Itoa(xe.Code)
	case code == "":
		code = xe.Title
	}
	if class == apikit.ClassRateLimited {
		rateScope(f, xe)
	}
	reason := xe.Detail
	if reason == "" {
		reason = xe.Title
	}
	return f.Error(class, code, reason, xe)
}

// classOf returns the class of the first row of ErrorMapping matching xe,
// else the class of its status.
func classOf(xe *APIError) apikit.Class {
	detail, problem := strings.ToLower(xe.Detail), xe.problem()
	for _, m := range ErrorMapping {
		if (m.Status == 0 || m.Status == xe.Status) && (m.Problem == "" || m.Problem == problem) &&
			(m.Detail == "" || strings.Contains(detail, m.Detail)) && (m.Code == 0 || m.Code == xe.Code) {
			return m.Class
		}
	}
	return apikit.ClassOfStatus(xe.Status)
}

// The 24-hour caps X sends besides x-rate-limit-* (seen on POST /2/tweets;
// not in X's docs, so read only when present).
const (
	hdrApp24Remaining  = "x-app-limit-24hour-remaining"
	hdrApp24Reset      = "x-app-limit-24hour-reset"
	hdrUser24Remaining = "x-user-limit-24hour-remaining"
	hdrUser24Reset     = "x-user-limit-24hour-reset"
)

// rateScope sets f's scope and reset from the headers: the app's 24-hour
// budget exhausted (or a usage cap) is app-wide; the reset is the largest
// reset among the exhausted budgets.
func rateScope(f *apikit.Failure, xe *APIError) {
	if xe.problem() == "usage-capped" {
		f.Scope = networks.ScopeApp
	}
	later := func(remaining, reset string) bool {
		if strings.TrimSpace(f.Header.Get(remaining)) != "0" {
			return false
		}
		if t, ok := networks.ParseReset(f.Header.Get(reset)); ok && t.After(f.Reset) {
			f.Reset = t.UTC()
		}
		return true
	}
	if later(hdrApp24Remaining, hdrApp24Reset) {
		f.Scope = networks.ScopeApp
	}
	later(hdrUser24Remaining, hdrUser24Reset)
}

// ThreadError reports a thread that failed midway: Published holds the
// parts that are on X (in order, the root first), Failed the index in the
// thread (0 = root) of the part that failed, and Err why. It unwraps to
// Err, so its kind is Err's kind. Publishing the same draft with the same
// marker again finds the published parts by their marker tags and
// continues after them instead of posting them twice.
type ThreadError struct {
	Published []networks.RemoteID
	Failed    int
	Err       error
}

// Error describes the failure; it never holds a token.
func (e *ThreadError) Error() string {
	return fmt.Sprintf("x: thread part %d failed after %d part(s) were published: %s", e.Failed, len(e.Published), echo.Clip(fmt.Sprint(e.Err), 1000))
}

// Unwrap returns the cause.
func (e *ThreadError) Unwrap() error { return e.Err }

// ProcessingError reports media that X failed to process (FINALIZE or
// STATUS answered state "failed"), or that was still processing when the
// adapter's processing timeout passed. It matches the kind of the networks
// error wrapping it: a *networks.RejectedError for a failure, a
// *networks.TransientError for a timeout.
type ProcessingError struct {
	MediaID string
	State   string        // "failed", or the last state seen on a timeout
	Message string        // X's processing error message, if any
	Waited  time.Duration // how long the adapter waited
}

// Error describes the failure.
func (e *ProcessingError) Error() string {
	msg := "x: media " + echo.Short(e.MediaID) + " processing " + echo.Short(e.State) + " after " + e.Waited.String()
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}
