package metagraph

import (
	"strconv"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Error is a Graph API error object
// (https://developers.facebook.com/docs/graph-api/guides/error-handling).
// Adapters never return it bare: it is the cause wrapped by the networks
// error of its class ([ErrorMapping]), reachable with errors.As.
type Error struct {
	Name      string // the call, e.g. "POST /{ig-user-id}/media_publish"
	Status    int    // the HTTP status
	Code      int    // "code"
	Subcode   int    // "error_subcode"; 0 when absent
	Type      string // "type", e.g. "OAuthException"
	Message   string // "message", bounded
	FBTraceID string // "fbtrace_id", for Meta support
	Transient bool   // "is_transient"
}

// Error describes the failure; it never holds a token.
func (e *Error) Error() string {
	msg := echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status) + " code " + strconv.Itoa(e.Code)
	if e.Subcode != 0 {
		msg += "/" + strconv.Itoa(e.Subcode)
	}
	if e.Type != "" {
		msg += " " + echo.Short(e.Type)
	}
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	if e.FBTraceID != "" {
		msg += " (fbtrace_id " + echo.Short(e.FBTraceID) + ")"
	}
	return msg
}

// Mapping is one row of [ErrorMapping]: a Graph error code (and subcode, 0
// for any), the class it maps to, the scope of a rate limit, and the page
// that documents it.
type Mapping struct {
	Code, Subcode int
	Class         apikit.Class
	Scope         networks.Scope // rate limits only
	Meaning       string
	Source        string
}

const (
	errorsDoc    = "https://developers.facebook.com/docs/graph-api/guides/error-handling"
	rateDoc      = "https://developers.facebook.com/docs/graph-api/overview/rate-limiting"
	igPublishDoc = "https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish"
	igErrorsDoc  = "https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes"
)

// ErrorMapping is the table of documented Graph error codes and the class
// each maps to. A row with a subcode takes precedence over the row of its
// code with subcode 0.
var ErrorMapping = []Mapping{
	{1, 0, apikit.ClassTransient, "", "API unknown: possibly a temporary issue due to downtime", errorsDoc},
	{2, 0, apikit.ClassTransient, "", "API service: temporary issue due to downtime", errorsDoc},
	{4, 0, apikit.ClassRateLimited, networks.ScopeApp, "API too many calls: the app's rate limit", errorsDoc},
	{17, 0, apikit.ClassRateLimited, networks.ScopeAccount, "API user too many calls", errorsDoc},
	{32, 0, apikit.ClassRateLimited, networks.ScopeAccount, "Page-level throttling", rateDoc},
	{613, 0, apikit.ClassRateLimited, networks.ScopeAccount, "calls within one hour exceeded (custom rate limit)", errorsDoc},
	{341, 0, apikit.ClassRateLimited, networks.ScopeAccount, "application limit reached", errorsDoc},
	{80001, 0, apikit.ClassRateLimited, networks.ScopeAccount, "Pages business use case rate limit", rateDoc},
	{80002, 0, apikit.ClassRateLimited, networks.ScopeAccount, "Instagram business use case rate limit", rateDoc},
	{9, 2207042, apikit.ClassRateLimited, networks.ScopeAccount, "Instagram content publishing limit reached", igPublishDoc},
	{368, 0, apikit.ClassRejected, "", "temporarily blocked for policy violations", errorsDoc},
	{506, 0, apikit.ClassDuplicate, "", "duplicate post", errorsDoc},
	{10, 0, apikit.ClassRejected, "", "permission denied", errorsDoc},
	{200, 0, apikit.ClassRejected, "", "permission denied (200-299)", errorsDoc},
	{100, 0, apikit.ClassRejected, "", "invalid parameter", errorsDoc},
	{100, 33, apikit.ClassNotFound, "", "the object does not exist or cannot be loaded", errorsDoc},
	{803, 0, apikit.ClassNotFound, "", "some of the aliases requested do not exist", errorsDoc},
	{102, 0, apikit.ClassAuthExpired, "", "API session: the session key is invalid or no longer valid", errorsDoc},
	{190, 0, apikit.ClassAuthExpired, "", "access token has expired or is invalid", errorsDoc},
	{190, 458, apikit.ClassReauthRequired, "", "the app is not installed: the person must log in again", errorsDoc},
	{190, 459, apikit.ClassReauthRequired, "", "the user is checkpointed: log in at www.facebook.com", errorsDoc},
	{190, 460, apikit.ClassReauthRequired, "", "the password changed", errorsDoc},
	{190, 463, apikit.ClassAuthExpired, "", "the token expired", errorsDoc},
	{190, 464, apikit.ClassReauthRequired, "", "unconfirmed user", errorsDoc},
	{190, 467, apikit.ClassAuthExpired, "", "invalid access token", errorsDoc},
	{190, 492, apikit.ClassReauthRequired, "", "invalid session: the user's role on the Page changed", errorsDoc},
	{9004, 0, apikit.ClassRejected, "", "Instagram could not fetch the media from the URL", igErrorsDoc},
	{36003, 0, apikit.ClassRejected, "", "Instagram: the aspect ratio is not supported", igErrorsDoc},
	{9, 0, apikit.ClassRateLimited, networks.ScopeAccount, "Instagram: too many actions (code 9)", igErrorsDoc},
}

// Lookup returns the row of ErrorMapping for code and subcode, and false
// when the code is not listed.
func Lookup(code, subcode int) (Mapping, bool) {
	var generic *Mapping
	for i := range ErrorMapping {
		m := &ErrorMapping[i]
		switch {
		case m.Code == code && m.Subcode != 0 && m.Subcode == subcode:
			return *m, true
		case m.Code == code && m.Subcode == 0:
			generic = m
		case code >= 200 && code <= 299 && m.Code == 200 && m.Subcode == 0:
			generic = m
		}
	}
	if generic != nil {
		return *generic, true
	}
	return Mapping{}, false
}

// Classify is the adapter kit's classify hook for Graph API answers: it
// decodes the error object, looks the code up in [ErrorMapping] and wraps
// the [*Error] in the networks error of the row's class. A throttling error
// waits estimated_time_to_regain_access (X-Business-Use-Case-Usage) when
// the answer has no Retry-After. A body that is not a Graph error object is
// classified by its status ([apikit.ByStatus]). It never panics.
func Classify(f *apikit.Failure) error {
	var b struct {
		Error *struct {
			Message     string `json:"message"`
			Type        string `json:"type"`
			Code        int    `json:"code"`
			Subcode     int    `json:"error_subcode"`
			FBTraceID   string `json:"fbtrace_id"`
			IsTransient bool   `json:"is_transient"`
		} `json:"error"`
	}
	if !f.DecodeJSON(&b) || b.Error == nil || b.Error.Code == 0 {
		return apikit.ByStatus(f)
	}
	ge := &Error{Name: f.Req.Name, Status: f.Status, Code: b.Error.Code, Subcode: b.Error.Subcode,
		Type: apikit.Message(b.Error.Type), Message: apikit.Message(b.Error.Message),
		FBTraceID: apikit.Message(b.Error.FBTraceID), Transient: b.Error.IsTransient}
	code := strconv.Itoa(ge.Code)
	if ge.Subcode != 0 {
		code += "/" + strconv.Itoa(ge.Subcode)
	}
	m, ok := Lookup(ge.Code, ge.Subcode)
	switch {
	case ok:
	case ge.Transient:
		m.Class = apikit.ClassTransient
	case ge.Type == "OAuthException" && f.Status == 401:
		m.Class = apikit.ClassAuthExpired
	default:
		m.Class = apikit.ClassOfStatus(f.Status)
	}
	if m.Class == apikit.ClassRateLimited {
		if m.Scope != "" {
			f.Scope = m.Scope
		}
		if d := regain(f.Header); d > 0 && f.RetryAfter == 0 {
			f.RetryAfter = d
			if f.Reset.IsZero() {
				f.Reset = f.Now.Add(d)
			}
		}
		if f.RetryAfter == 0 && f.Reset.IsZero() {
			// Meta gave no wait: the platform limit is a rolling hour.
			f.Reset = f.Now.Add(time.Hour)
		}
	}
	reason := ge.Message
	if reason == "" {
		reason = m.Meaning
	}
	return f.Error(m.Class, code, reason, ge)
}
