package tiktok

import (
	"net/http"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// errorJSON is the error object of every API v2 answer
// (https://developers.tiktok.com/doc/tiktok-api-v2-error-handling).
type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	LogID   string `json:"log_id"`
}

// CodeError is the cause of the errors built from TikTok's error object:
// the request, the HTTP status, TikTok's error.code, message and log_id
// (for TikTok's support). It holds no token.
type CodeError struct {
	Name    string // the request, e.g. "POST /v2/post/publish/video/init/"
	Status  int
	Code    string
	Message string
	LogID   string
}

// Error describes the answer.
func (e *CodeError) Error() string {
	msg := echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status) + " " + echo.Short(e.Code)
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 200)
	}
	if e.LogID != "" {
		msg += " (log_id " + echo.Short(e.LogID) + ")"
	}
	return msg
}

// The windows of TikTok's limits: each endpoint's limit is per minute in a
// sliding window (https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit);
// the daily post cap is per 24 hours.
const (
	minuteWindow = time.Minute
	dayWindow    = 24 * time.Hour
)

// rule is how one documented error.code maps to our kinds.
type rule struct {
	class  apikit.Class
	field  string        // the field the refusal is about, named in the reason
	reset  time.Duration // rate limits: when to retry, when TikTok does not say
	app    bool          // the limit is the app's, not the account's
	reason string        // what to do
}

// codes maps the error.code values of the error-handling page and the
// Content Posting API references
// (https://developers.tiktok.com/doc/tiktok-api-v2-error-handling,
// https://developers.tiktok.com/doc/content-posting-api-reference-direct-post#error_codes).
var codes = map[string]rule{
	"access_token_invalid":    {class: apikit.ClassAuthExpired},
	"scope_not_authorized":    {class: apikit.ClassReauthRequired, reason: "the user did not grant the scope (video.publish, video.list): reconnect with it"},
	"scope_permission_missed": {class: apikit.ClassReauthRequired, reason: "the app lacks the scope's permission: reconnect with it"},
	"rate_limit_exceeded":     {class: apikit.ClassRateLimited, reset: minuteWindow},
	"internal_error":          {class: apikit.ClassTransient},
	// The daily post cap of the creator (shared by every app).
	"spam_risk_too_many_posts": {class: apikit.ClassRateLimited, reset: dayWindow},
	// An unaudited client may have at most 5 users posting per 24 hours.
	"reached_active_user_cap":                            {class: apikit.ClassRateLimited, reset: dayWindow, app: true},
	"spam_risk_user_banned_from_posting":                 {class: apikit.ClassRejected, reason: "the user is banned from posting"},
	"spam_risk_too_many_pending_share":                   {class: apikit.ClassRateLimited, reset: dayWindow},
	"spam_risk_text":                                     {class: apikit.ClassRejected, field: "text", reason: "TikTok flagged the caption as spam"},
	"spam_risk":                                          {class: apikit.ClassRejected, reason: "TikTok flagged the post as spam"},
	"unaudited_client_can_only_post_to_private_accounts": {class: apikit.ClassRejected, field: "settings.privacy", reason: "an unaudited app may only post SELF_ONLY"},
	"privacy_level_option_mismatch":                      {class: apikit.ClassRejected, field: "settings.privacy", reason: "the privacy level is not among the creator's options"},
	"url_ownership_unverified":                           {class: apikit.ClassRejected, field: "media.url", reason: "the media URL's domain is not verified for the app"},
	"invalid_params":                                     {class: apikit.ClassRejected},
	"invalid_param":                                      {class: apikit.ClassRejected},
	"invalid_file_upload":                                {class: apikit.ClassRejected, field: "media", reason: "the file or its chunk plan does not meet TikTok's requirements"},
	"duration_check_failed":                              {class: apikit.ClassRejected, field: "media.duration"},
	"frame_rate_check_failed":                            {class: apikit.ClassRejected, field: "media.frame_rate"},
	"picture_size_check_failed":                          {class: apikit.ClassRejected, field: "media.dimensions"},
	"file_format_check_failed":                           {class: apikit.ClassRejected, field: "media.mime"},
	"video_pull_failed":                                  {class: apikit.ClassRejected, field: "media.url", reason: "TikTok could not fetch the video from its URL"},
	"photo_pull_failed":                                  {class: apikit.ClassRejected, field: "media.url", reason: "TikTok could not fetch a photo from its URL"},
}

// classify is the kit's hook: TikTok's error object when the body has one,
// else the status (an upload host's or a proxy's answer).
func classify(f *apikit.Failure) error {
	var env struct {
		Error errorJSON `json:"error"`
	}
	if !f.DecodeJSON(&env) || env.Error.Code == "" || env.Error.Code == "ok" {
		if f.Status == http.StatusTooManyRequests && f.RetryAfter == 0 && f.Reset.IsZero() {
			f.Reset = f.Now.Add(minuteWindow)
		}
		return apikit.ByStatus(f)
	}
	return classifyCode(f, env.Error)
}

// classifyCode maps one error object. An unknown code is classified by the
// status, with TikTok's code and message kept.
func classifyCode(f *apikit.Failure, e errorJSON) error {
	cause := &CodeError{Name: f.Req.Name, Status: f.Status, Code: apikit.Message(e.Code), Message: apikit.Message(e.Message), LogID: apikit.Message(e.LogID)}
	r, ok := codes[e.Code]
	if !ok {
		r = rule{class: apikit.ClassOfStatus(f.Status)}
		if f.Status/100 == 2 {
			r.class = apikit.ClassRejected
		}
	}
	if r.class == apikit.ClassRateLimited {
		if r.app {
			f.Scope = networks.ScopeApp
		}
		if f.RetryAfter == 0 && f.Reset.IsZero() {
			if r.reset == 0 {
				r.reset = minuteWindow
			}
			f.Reset = f.Now.Add(r.reset)
		}
	}
	reason := cause.Message
	if r.reason != "" {
		reason = r.reason
		if cause.Message != "" {
			reason += " (" + cause.Message + ")"
		}
	}
	if r.field != "" {
		reason = r.field + ": " + reason
	}
	if reason == "" {
		reason = cause.Code
	}
	return f.Error(r.class, cause.Code, reason, cause)
}

// failError maps a fail_reason of status/fetch
// (https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status):
// the daily cap is a rate limit (a day), auth_removed means the user
// removed the app (reconnect), every other reason a rejection naming the
// field; internal (TikTok failed) is a rejection too — the post failed
// for good, a new publish may succeed.
func failError(accountID, reason string) error {
	reason = apikit.Message(reason)
	cause := &CodeError{Name: "POST /v2/post/publish/status/fetch/", Status: http.StatusOK, Code: reason, Message: "status FAILED"}
	switch reason {
	case "spam_risk_too_many_posts":
		return &networks.RateLimitError{Network: Network, Op: networks.OpCheck, Scope: networks.ScopeAccount, RetryAfter: dayWindow, Err: cause}
	case "auth_removed":
		return &networks.ReauthRequiredError{Network: Network, AccountID: accountID, Reason: "the user removed the app's access (auth_removed)", Err: cause}
	}
	why := map[string]string{
		"file_format_check_failed":           "media.mime: TikTok does not take the file's format",
		"duration_check_failed":              "media.duration: the video is too short or too long",
		"frame_rate_check_failed":            "media.frame_rate: the frame rate is outside 23–60 fps",
		"picture_size_check_failed":          "media.dimensions: the picture size is outside TikTok's range",
		"internal":                           "TikTok failed to process the post; publishing again may succeed",
		"video_pull_failed":                  "media.url: TikTok could not fetch the video",
		"photo_pull_failed":                  "media.url: TikTok could not fetch a photo",
		"publish_cancelled":                  "the publish was cancelled",
		"spam_risk_user_banned_from_posting": "the user is banned from posting",
		"spam_risk_text":                     "text: TikTok flagged the caption as spam",
		"spam_risk":                          "TikTok flagged the post as spam",
	}[reason]
	if why == "" {
		why = "processing failed"
		if reason == "" {
			reason = "failed"
		}
	}
	return &networks.RejectedError{Network: Network, Op: networks.OpCheck, Code: reason, Reason: why, Err: cause}
}
