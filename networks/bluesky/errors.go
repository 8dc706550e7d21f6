package bluesky

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks/apikit"
)

// XRPCError is an error answer of a PDS: the HTTP status and the XRPC error
// body {"error": Name, "message": Message}. The adapter never returns it
// bare: it is the cause wrapped by one of the networks error classes (see
// [ErrorClass]), reachable with errors.As.
type XRPCError struct {
	NSID    string // the method called, e.g. "com.atproto.repo.createRecord"
	Status  int    // the HTTP status
	Name    string // the XRPC error name, e.g. "ExpiredToken"; may be empty
	Message string // the PDS's message
	// Reset is when the rate-limit window refills (RateLimit-Reset), zero
	// when the PDS did not say.
	Reset time.Time
	// RetryAfter is the Retry-After header of the answer, zero without one.
	RetryAfter time.Duration
}

// Error describes the failure; it never holds a token.
func (e *XRPCError) Error() string {
	msg := "bluesky: " + echo.Short(e.NSID) + ": HTTP " + strconv.Itoa(e.Status)
	if e.Name != "" {
		msg += " " + echo.Short(e.Name)
	}
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// classifyXRPC is the adapter kit's classify hook: it reads the XRPC error
// body {"error": Name, "message": Message} (a body that is not the
// documented JSON keeps the status only) and wraps the *XRPCError in the
// networks error class of its name and the call. Session calls
// (createSession, refreshSession) turn auth failures into
// *networks.ReauthRequiredError: no refresh can fix a bad password or a
// dead refresh token. A 5xx on a write is an *networks.OutcomeUnknownError
// unless the PDS's answer proves nothing was written (see Publish).
func classifyXRPC(f *apikit.Failure) error {
	xe := &XRPCError{NSID: f.Req.Name, Status: f.Status, Reset: f.Reset, RetryAfter: f.RetryAfter}
	var b struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if f.DecodeJSON(&b) {
		xe.Name, xe.Message = b.Error, apikit.Message(b.Message)
	}
	return f.Error(classOf(xe), xe.Name, xe.Message, xe)
}

// ErrorClass is the networks error class an XRPC error maps to: the
// adapter kit's class.
type ErrorClass = apikit.Class

// The classes of [ErrorMapping] (see [apikit.Failure.Error] for the error
// each builds).
const (
	ClassAuthExpired    = apikit.ClassAuthExpired    // *networks.AuthExpiredError: refresh the session
	ClassReauthRequired = apikit.ClassReauthRequired // *networks.ReauthRequiredError: a person must log in again
	ClassRateLimited    = apikit.ClassRateLimited    // *networks.RateLimitError
	ClassTransient      = apikit.ClassTransient      // *networks.TransientError (reads), *networks.OutcomeUnknownError (writes)
	ClassRejected       = apikit.ClassRejected       // *networks.RejectedError
	ClassNotFound       = apikit.ClassNotFound       // *networks.NotFoundError
)

// Mapping is one row of [ErrorMapping]: an XRPC error name, the class it
// maps to and the document that defines it.
type Mapping struct {
	Name   string
	Status int // the HTTP status the PDS sends it with
	Class  ErrorClass
	Source string
}

// Sources of the mapping table.
const (
	srcXRPCTypes    = "https://github.com/bluesky-social/atproto/blob/main/packages/xrpc/src/types.ts (ResponseType)"
	srcAuthVerifier = "https://github.com/bluesky-social/atproto/blob/main/packages/pds/src/auth-verifier.ts"
	srcCreateSess   = "https://github.com/bluesky-social/atproto/blob/main/lexicons/com/atproto/server/createSession.json"
	srcRefreshSess  = "https://github.com/bluesky-social/atproto/blob/main/lexicons/com/atproto/server/refreshSession.json"
	srcRateLimits   = "https://docs.bsky.app/docs/advanced-guides/rate-limits"
	srcCreateRecord = "https://github.com/bluesky-social/atproto/blob/main/lexicons/com/atproto/repo/createRecord.json"
	srcGetRecord    = "https://github.com/bluesky-social/atproto/blob/main/lexicons/com/atproto/repo/getRecord.json"
	srcXRPCSpec     = "https://atproto.com/specs/xrpc#error-responses"
)

// ErrorMapping lists every XRPC error the adapter knows, in the order it is
// consulted, with its class and source. Names not listed are classified by
// HTTP status: 401 auth expired, 404 not found, 413 rejected, 429 rate
// limited, other 4xx rejected, 5xx transient.
var ErrorMapping = []Mapping{
	{"ExpiredToken", 400, ClassAuthExpired, srcAuthVerifier},
	{"InvalidToken", 400, ClassAuthExpired, srcAuthVerifier},
	{"AuthMissing", 401, ClassAuthExpired, srcAuthVerifier},
	{"AuthenticationRequired", 401, ClassAuthExpired, srcXRPCTypes},
	{"AuthFactorTokenRequired", 401, ClassReauthRequired, srcCreateSess},
	{"AccountTakedown", 401, ClassReauthRequired, srcCreateSess},
	{"AccountDeactivated", 401, ClassReauthRequired, srcAuthVerifier},
	{"RateLimitExceeded", 429, ClassRateLimited, srcRateLimits},
	{"RecordNotFound", 400, ClassNotFound, srcGetRecord},
	{"RepoNotFound", 400, ClassNotFound, srcXRPCSpec},
	{"NotFound", 404, ClassNotFound, srcXRPCTypes},
	{"InvalidRequest", 400, ClassRejected, srcXRPCTypes},
	{"InvalidSwap", 400, ClassRejected, srcCreateRecord},
	{"PayloadTooLarge", 413, ClassRejected, srcXRPCTypes},
	{"Forbidden", 403, ClassRejected, srcXRPCTypes},
	{"MethodNotImplemented", 501, ClassRejected, srcXRPCTypes},
	{"InternalServerError", 500, ClassTransient, srcXRPCTypes},
	{"UpstreamFailure", 502, ClassTransient, srcXRPCTypes},
	{"NotEnoughResources", 503, ClassTransient, srcXRPCTypes},
	{"UpstreamTimeout", 504, ClassTransient, srcXRPCTypes},
}

// classOf returns the class of xe: by name from ErrorMapping, else by
// status.
func classOf(xe *XRPCError) ErrorClass {
	for _, m := range ErrorMapping {
		if m.Name == xe.Name && xe.Name != "" {
			return m.Class
		}
	}
	switch {
	case xe.Status == http.StatusTooManyRequests:
		return ClassRateLimited
	case xe.Status == http.StatusUnauthorized:
		return ClassAuthExpired
	case xe.Status == http.StatusNotFound:
		return ClassNotFound
	case xe.Status >= 500:
		return ClassTransient
	default:
		return ClassRejected
	}
}

// ConfigError reports an invalid adapter option, account or argument (a
// base URL that is not http(s), a malformed record key). It matches
// [socialflow.ErrInvalid].
type ConfigError struct {
	Field  string
	Value  string
	Reason string
}

// Error describes the failure; it never holds a token.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("bluesky: %s %s: %s", echo.Short(e.Field), echo.Quote(e.Value), echo.Clip(e.Reason, 200))
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *ConfigError) Is(target error) bool { return target == socialflow.ErrInvalid }

// FacetError reports a facet whose byte range is not inside the text or
// would split a UTF-8 sequence. The PDS accepts such facets (0.4.217 was
// seen to), so the adapter refuses them before sending. It matches
// [socialflow.ErrInvalid].
type FacetError struct {
	Start, End int // the byte range
	Len        int // the text's length in bytes
	Reason     string
}

// Error describes the failure; it never holds a token.
func (e *FacetError) Error() string {
	return fmt.Sprintf("bluesky: facet [%d,%d) of a %d-byte text: %s", e.Start, e.End, e.Len, echo.Clip(e.Reason, 200))
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *FacetError) Is(target error) bool { return target == socialflow.ErrInvalid }

// ThreadError reports a thread that failed midway: Published holds the
// parts that are on the network (in order, the root first), Failed the
// index in the thread (0 = root) of the part that failed, and Err why. It
// unwraps to Err, so its kind is Err's kind. Publishing the same draft with
// the same marker again resumes after the published parts (their record
// keys derive from the marker) instead of posting them twice.
type ThreadError = apikit.ThreadError
