package threads

import (
	"encoding/json"
	"strconv"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// ContainerError is the cause of the *networks.RejectedError for a
// container that ended in ERROR or EXPIRED; ErrorMessage is Threads' reason
// (FAILED_DOWNLOADING_VIDEO, INVALID_ASPEC_RATIO, ... as listed at
// https://developers.facebook.com/docs/threads/troubleshooting).
type ContainerError struct {
	ID, Status, ErrorMessage string
}

// Error names the container and its state.
func (e *ContainerError) Error() string {
	msg := "container " + echo.Short(e.ID) + " " + echo.Short(e.Status)
	if e.ErrorMessage != "" {
		msg += ": " + echo.Clip(e.ErrorMessage, 300)
	}
	return msg
}

// CodeError is the cause of a Threads error whose code is a string, not a
// Graph number, such as THREADS_API__LINK_LIMIT_EXCEEDED (more than five
// links, https://developers.facebook.com/docs/threads/posts#links) or
// THREADS_API__FEATURE_NOT_AVAILABLE
// (https://developers.facebook.com/docs/threads/insights).
type CodeError struct {
	Name    string // the call
	Status  int
	Code    string
	Type    string
	Message string
}

// Error describes the answer; it never holds a token.
func (e *CodeError) Error() string {
	msg := echo.Short(e.Name) + ": HTTP " + strconv.Itoa(e.Status) + " " + echo.Short(e.Code)
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// Classify is the adapter kit's classify hook for Threads answers. Threads
// answers the Graph error object ({"error": {"message", "type"
// (THApiException, OAuthException), "code", "error_subcode",
// "fbtrace_id"}}), classified by [metagraph.Classify]; an answer whose code
// is a string (THREADS_API__…) is a *networks.RejectedError naming that
// code, with a [*CodeError] cause. It never panics.
func Classify(f *apikit.Failure) error {
	var b struct {
		Error *struct {
			Code    json.RawMessage `json:"code"`
			Type    string          `json:"type"`
			Message string          `json:"message"`
		} `json:"error"`
	}
	if f.DecodeJSON(&b) && b.Error != nil && len(b.Error.Code) > 0 && b.Error.Code[0] == '"' {
		var code string
		if json.Unmarshal(b.Error.Code, &code) == nil && code != "" {
			code = apikit.Message(code)
			ce := &CodeError{Name: f.Req.Name, Status: f.Status, Code: code, Type: apikit.Message(b.Error.Type), Message: apikit.Message(b.Error.Message)}
			reason := ce.Message
			if reason == "" {
				reason = code
			}
			class := apikit.ClassRejected
			if f.Status >= 500 {
				class = apikit.ClassTransient
			}
			return f.Error(class, code, reason, ce)
		}
	}
	return metagraph.Classify(f)
}
