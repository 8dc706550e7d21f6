package linkedin

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// APIError is an error answer of LinkedIn's versioned REST API: the HTTP
// status and the documented error body
// {"status", "serviceErrorCode", "code", "message"}, or the validation form
// {"errorDetailType", "message", "errorDetails": {"inputErrors": [{"code",
// "description"}]}, "status"}
// (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling).
// The adapter never returns it bare: it is the cause wrapped by one of the
// networks error kinds (see [ErrorMapping]), reachable with errors.As.
type APIError struct {
	Name             string // the request, e.g. "POST /rest/posts"
	Status           int    // the HTTP status
	ServiceErrorCode int    // LinkedIn's numeric sub-code (65602 expired token, 100 access denied); 0 when absent
	Code             string // the string code: "EXPIRED_ACCESS_TOKEN", "DUPLICATE_POST", ...; may be empty
	Message          string // LinkedIn's message, bounded
	// Existing is the post a DUPLICATE_POST names ("Content is a duplicate
	// of urn:li:share:…"); empty otherwise.
	Existing networks.RemoteID
}

// Error describes the failure; it never holds a token.
func (e *APIError) Error() string {
	msg := "linkedin: " + echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status)
	if e.Code != "" {
		msg += " " + echo.Short(e.Code)
	}
	if e.ServiceErrorCode != 0 {
		msg += " (serviceErrorCode " + strconv.Itoa(e.ServiceErrorCode) + ")"
	}
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// SetupError reports a mistake in how the host set the adapter up, which no
// retry and no reconnect fixes: an inactive LinkedIn-Version (HTTP 426
// NONEXISTENT_VERSION, https://learn.microsoft.com/en-us/linkedin/marketing/versioning),
// an account whose Handle is not a member or organization URN, a bad
// option. Field names what to change ("LinkedIn-Version header",
// "account.handle"). It matches [socialflow.ErrInvalid] and unwraps to the
// *APIError when LinkedIn answered.
type SetupError struct {
	Field  string
	Value  string
	Reason string
	Err    error
}

// Error describes the failure; it never holds a token.
func (e *SetupError) Error() string {
	msg := "linkedin: " + echo.Short(e.Field)
	if e.Value != "" {
		msg += " " + echo.Quote(e.Value)
	}
	msg += ": " + echo.Clip(e.Reason, 300)
	if e.Err != nil {
		msg += ": " + echo.Clip(e.Err.Error(), 500)
	}
	return msg
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *SetupError) Is(target error) bool { return target == socialflow.ErrInvalid }

// Unwrap returns LinkedIn's answer, if any.
func (e *SetupError) Unwrap() error { return e.Err }

// Class is the networks error class a LinkedIn error maps to: the adapter
// kit's class, plus [ClassSetup].
type Class = apikit.Class

// ClassSetup is the class of [*SetupError]: the host must change its set-up.
const ClassSetup Class = "setup"

// Mapping is one row of [ErrorMapping]: a LinkedIn error code (or, with an
// empty Code, a status), the class it maps to and where it is documented.
type Mapping struct {
	Code   string
	Status int
	Class  Class
	Source string
}

// Sources of the mapping table.
const (
	srcErrors     = "https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling"
	srcRateLimits = "https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits"
	srcVersioning = "https://learn.microsoft.com/en-us/linkedin/marketing/versioning"
	srcPosts      = "https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api"
	srcAuth       = "https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow"
	srcRefresh    = "https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens"
)

// ErrorMapping lists the LinkedIn errors the adapter knows, in the order
// it is consulted (a code first, then a status row with an empty Code),
// with its class and source. An answer matching no row is classified by
// status ([apikit.ClassOfStatus]).
var ErrorMapping = []Mapping{
	{"EXPIRED_ACCESS_TOKEN", 401, apikit.ClassAuthExpired, srcRefresh},
	{"REVOKED_ACCESS_TOKEN", 401, apikit.ClassReauthRequired, srcAuth},
	{"INVALID_ACCESS_TOKEN", 401, apikit.ClassAuthExpired, srcErrors},
	{"ACCESS_DENIED", 403, apikit.ClassRejected, srcErrors},
	{"DUPLICATE_POST", 422, apikit.ClassDuplicate, srcPosts},
	{"NONEXISTENT_VERSION", 426, ClassSetup, srcVersioning},
	{"VERSION_MISSING", 400, ClassSetup, srcVersioning},
	{"NOT_FOUND", 404, apikit.ClassNotFound, srcErrors},
	{"TOO_MANY_REQUESTS", 429, apikit.ClassRateLimited, srcRateLimits},
	{"", 426, ClassSetup, srcVersioning},
	{"", 429, apikit.ClassRateLimited, srcRateLimits},
	{"", 401, apikit.ClassAuthExpired, srcErrors},
	{"", 403, apikit.ClassRejected, srcErrors},
	{"", 404, apikit.ClassNotFound, srcErrors},
	{"", 400, apikit.ClassRejected, srcErrors},
	{"", 422, apikit.ClassRejected, srcErrors},
	{"", 500, apikit.ClassTransient, srcErrors},
	{"", 503, apikit.ClassTransient, srcErrors},
}

// classOf returns the class of e: by code, then by status.
func classOf(e *APIError) Class {
	if e.Code != "" {
		for _, m := range ErrorMapping {
			if m.Code == e.Code {
				return m.Class
			}
		}
	}
	for _, m := range ErrorMapping {
		if m.Code == "" && m.Status == e.Status {
			return m.Class
		}
	}
	return apikit.ClassOfStatus(e.Status)
}

// errorBody is both documented error shapes.
type errorBody struct {
	Status           int    `json:"status"`
	ServiceErrorCode int    `json:"serviceErrorCode"`
	Code             string `json:"code"`
	Message          string `json:"message"`
	ErrorDetails     struct {
		InputErrors []struct {
			Code        string `json:"code"`
			Description string `json:"description"`
		} `json:"inputErrors"`
	} `json:"errorDetails"`
}

// duplicateOf finds the post URN in a DUPLICATE_POST message
// ("Content is a duplicate of urn:li:share:7141138937766391808").
var duplicateOf = regexp.MustCompile(`urn:li:(?:share|ugcPost):[0-9]{1,30}`)

// classify is the adapter kit's hook: it decodes LinkedIn's error body (a
// body that is not that JSON — a proxy's HTML page, a truncated answer —
// keeps the status only) and wraps an *APIError in the class of
// [ErrorMapping]. A 426 is a *SetupError naming the LinkedIn-Version
// header; a 429 is held until the Retry-After LinkedIn sent or, without
// one, until the next 00:00 UTC, when LinkedIn's daily application and
// member limits reset (it documents no rate-limit headers); a
// DUPLICATE_POST carries the existing post's URN.
func classify(f *apikit.Failure) error {
	e := &APIError{Name: f.Req.Name, Status: f.Status}
	var b errorBody
	if f.DecodeJSON(&b) {
		e.ServiceErrorCode, e.Code, e.Message = b.ServiceErrorCode, b.Code, apikit.Message(b.Message)
		if e.Code == "" && len(b.ErrorDetails.InputErrors) > 0 {
			e.Code = b.ErrorDetails.InputErrors[0].Code
			if e.Message == "" {
				e.Message = apikit.Message(b.ErrorDetails.InputErrors[0].Description)
			}
		}
		if e.Code == "" && f.Status == http.StatusUnauthorized && b.ServiceErrorCode == 65600 {
			e.Code = "INVALID_ACCESS_TOKEN"
		}
	}
	class := classOf(e)
	switch class {
	case ClassSetup:
		return &SetupError{Field: "LinkedIn-Version header", Value: f.Req.Header.Get(headerVersion),
			Reason: "LinkedIn no longer serves this API version; configure an active one with WithVersion", Err: e}
	case apikit.ClassDuplicate:
		e.Existing = networks.RemoteID(duplicateOf.FindString(e.Message))
		return &networks.DuplicateError{Network: Network, Op: f.Req.Op, Existing: e.Existing, Reason: e.Message, Err: e}
	case apikit.ClassRateLimited:
		if f.RetryAfter == 0 && f.Reset.IsZero() {
			f.Reset = nextMidnightUTC(f.Now)
		}
	}
	reason := e.Message
	if reason == "" {
		reason = http.StatusText(f.Status)
	}
	return f.Error(class, e.Code, reason, e)
}

// nextMidnightUTC is when LinkedIn's daily limits reset after now
// ("Daily rate limits reset at midnight UTC", rate-limits page).
func nextMidnightUTC(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// CommentError reports a first comment that failed after its post was
// published. The post stays published (Publish returns its receipt and no
// error, so nothing re-posts it); this error goes to the
// [WithCommentReport] hook and tells which post lacks its comment. Post it
// again with [Adapter.Comment]. It unwraps to the cause, so its kind is the
// cause's kind.
type CommentError struct {
	Post networks.RemoteID
	Err  error
}

// Error describes the failure; it never holds a token.
func (e *CommentError) Error() string {
	return fmt.Sprintf("linkedin: first comment on %s failed (the post is published): %s",
		echo.Quote(string(e.Post)), echo.Clip(fmt.Sprint(e.Err), 1000))
}

// Unwrap returns the cause.
func (e *CommentError) Unwrap() error { return e.Err }

// isURN reports whether s looks like a LinkedIn URN of one of kinds
// ("share", "ugcPost", "person", ...).
func isURN(s string, kinds ...string) bool {
	for _, k := range kinds {
		if rest, ok := strings.CutPrefix(s, "urn:li:"+k+":"); ok && rest != "" {
			return true
		}
	}
	return false
}
