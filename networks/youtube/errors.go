package youtube

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/upload"
)

// APIError is an error answer of the YouTube Data API: the HTTP status and
// the Google error body
//
//	{"error": {"code": 403, "message": "...", "errors": [{"domain": "youtube.quota", "reason": "quotaExceeded", "message": "..."}]}}
//
// (https://developers.google.com/youtube/v3/docs/errors). The adapter never
// returns it bare: it is the cause wrapped by a networks error, reachable
// with errors.As.
type APIError struct {
	Name    string // the call, e.g. "videos.insert"
	Status  int
	Reason  string // errors[0].reason, e.g. "quotaExceeded"; may be empty
	Domain  string // errors[0].domain, e.g. "youtube.quota"
	Message string
}

// Error describes the failure; it never holds a token.
func (e *APIError) Error() string {
	msg := "youtube: " + echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status)
	if e.Reason != "" {
		msg += " " + echo.Short(e.Reason)
	}
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// Mapping is one row of [ErrorMapping]: a documented error reason, the
// networks class it maps to and the page that documents it.
type Mapping struct {
	Reason string
	Class  apikit.Class
	Source string
}

const (
	errorsPage = "https://developers.google.com/youtube/v3/docs/errors"
	insertPage = "https://developers.google.com/youtube/v3/docs/videos/insert#errors"
	quotaPage  = "https://developers.google.com/youtube/v3/determine_quota_cost"
)

// ErrorMapping is how the documented error reasons are classified. A
// reason not listed is classified by its HTTP status
// ([apikit.ClassOfStatus]).
var ErrorMapping = []Mapping{
	{"quotaExceeded", apikit.ClassRateLimited, quotaPage},          // 403: the project's daily quota; resets at midnight PT
	{"dailyLimitExceeded", apikit.ClassRateLimited, errorsPage},    // 403
	{"rateLimitExceeded", apikit.ClassRateLimited, errorsPage},     // 403/429: too many requests in a short time
	{"userRateLimitExceeded", apikit.ClassRateLimited, errorsPage}, // 403
	{"uploadLimitExceeded", apikit.ClassRateLimited, insertPage},   // 400: the channel's upload cap; try again in 24 hours
	{"authError", apikit.ClassAuthExpired, errorsPage},             // 401 Invalid Credentials
	{"authorizationRequired", apikit.ClassAuthExpired, errorsPage}, // 401
	{"youtubeSignupRequired", apikit.ClassReauthRequired, errorsPage},
	{"accountClosed", apikit.ClassReauthRequired, errorsPage},
	{"accountSuspended", apikit.ClassReauthRequired, errorsPage},
	{"authenticatedUserAccountClosed", apikit.ClassReauthRequired, errorsPage},
	{"authenticatedUserAccountSuspended", apikit.ClassReauthRequired, errorsPage},
	{"videoNotFound", apikit.ClassNotFound, errorsPage},
	{"invalidTitle", apikit.ClassRejected, insertPage},
	{"invalidDescription", apikit.ClassRejected, insertPage},
	{"invalidTags", apikit.ClassRejected, insertPage},
	{"invalidCategoryId", apikit.ClassRejected, insertPage},
	{"invalidPublishAt", apikit.ClassRejected, insertPage},
	{"invalidFilename", apikit.ClassRejected, insertPage},
	{"mediaBodyRequired", apikit.ClassRejected, insertPage},
	{"forbidden", apikit.ClassRejected, errorsPage},
	{"forbiddenPrivacySetting", apikit.ClassRejected, insertPage},
	{"backendError", apikit.ClassTransient, errorsPage},
}

var classOfReason = func() map[string]apikit.Class {
	m := make(map[string]apikit.Class, len(ErrorMapping))
	for _, r := range ErrorMapping {
		m[r.Reason] = r.Class
	}
	return m
}()

// incomplete is what classify returns for the resumable upload's
// "308 Resume Incomplete": not a failure, the server's report of how many
// bytes it holds. It never leaves the package.
type incomplete struct{ received int64 }

func (e *incomplete) Error() string { return "youtube: upload incomplete" }

// classify is the adapter kit's hook: it reads the Google error body and
// wraps the *APIError in the class of its reason (ErrorMapping), else of
// its status. A quota error is app-wide (the project's quota) and resets at
// the next midnight Pacific Time.
func classify(f *apikit.Failure) error {
	if f.Status == http.StatusPermanentRedirect { // 308 Resume Incomplete
		n, ok := upload.ParseReceived(f.Header.Get("Range"), math.MaxInt64)
		if !ok {
			return f.Error(apikit.ClassTransient, "", "malformed Range header", &APIError{Name: f.Req.Name, Status: f.Status, Message: "malformed Range header"})
		}
		return &incomplete{received: n}
	}
	var b struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Errors  []struct {
				Domain  string `json:"domain"`
				Reason  string `json:"reason"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"error"`
	}
	if !f.DecodeJSON(&b) || (b.Error.Code == 0 && b.Error.Message == "" && len(b.Error.Errors) == 0) {
		return apikit.ByStatus(f)
	}
	ae := &APIError{Name: f.Req.Name, Status: f.Status, Message: apikit.Message(b.Error.Message)}
	if len(b.Error.Errors) > 0 {
		ae.Reason, ae.Domain = apikit.Message(b.Error.Errors[0].Reason), apikit.Message(b.Error.Errors[0].Domain)
	}
	class, ok := classOfReason[ae.Reason]
	if !ok {
		class = apikit.ClassOfStatus(f.Status)
	}
	if class == apikit.ClassRateLimited {
		switch ae.Reason {
		case "quotaExceeded", "dailyLimitExceeded":
			f.Scope = networks.ScopeApp
			if f.Reset.IsZero() {
				f.Reset = NextQuotaReset(f.Now)
			}
		case "uploadLimitExceeded":
			if f.RetryAfter == 0 && f.Reset.IsZero() {
				f.Reset = f.Now.Add(24 * time.Hour)
			}
		}
	}
	return f.Error(class, ae.Reason, ae.Message, ae)
}
