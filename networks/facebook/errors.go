package facebook

import (
	"fmt"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
)

// CommentError reports a first comment that failed after its post was
// published (see [WithCommentReport]). It unwraps to the failure.
type CommentError struct {
	Post networks.RemoteID
	Err  error
}

// Error describes the failure; it never holds a token.
func (e *CommentError) Error() string {
	return fmt.Sprintf("facebook: first comment on %s failed (the post is published): %s",
		echo.Quote(string(e.Post)), echo.Clip(fmt.Sprint(e.Err), 1000))
}

// Unwrap returns the cause.
func (e *CommentError) Unwrap() error { return e.Err }

// VideoError is the cause of the *networks.RejectedError of a video whose
// processing failed (status.video_status "error").
type VideoError struct {
	ID      networks.RemoteID
	Status  string // video_status
	Message string // the processing phase's first error, bounded
}

// Error names the video and its state.
func (e *VideoError) Error() string {
	msg := "video " + echo.Quote(string(e.ID)) + " " + echo.Short(e.Status)
	if e.Message != "" {
		msg += ": " + echo.Clip(e.Message, 300)
	}
	return msg
}

// UploadError is the cause of the error of a Resumable Upload API session
// that stopped making progress or answered an offset outside the file.
type UploadError struct {
	Session      string // "upload:…" (no token)
	Size, Offset int64
	Reason       string
}

// Error describes the upload's state.
func (e *UploadError) Error() string {
	return fmt.Sprintf("upload session %s at offset %d of %d bytes: %s", echo.Quote(e.Session), e.Offset, e.Size, echo.Clip(e.Reason, 300))
}
