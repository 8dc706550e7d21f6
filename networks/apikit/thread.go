package apikit

import (
	"fmt"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
)

// ThreadError reports a thread that failed midway: Published holds the
// parts that are on the network (in order, the root first), Failed the
// index in the thread (0 = the root) of the part that failed, and Err why.
// It unwraps to Err, so its kind is Err's kind. Each adapter says in its
// own documentation how publishing the same draft again resumes.
type ThreadError struct {
	Network   string // the network key, e.g. networks.Mastodon
	Published []networks.RemoteID
	Failed    int
	Err       error
}

// Error describes the failure, with Err bounded; it never holds a token.
func (e *ThreadError) Error() string {
	prefix := ""
	if e.Network != "" {
		prefix = echo.Short(e.Network) + ": "
	}
	return fmt.Sprintf("%sthread part %d failed after %d part(s) were published: %s", prefix, e.Failed, len(e.Published), echo.Clip(fmt.Sprint(e.Err), 1000))
}

// Unwrap returns the cause.
func (e *ThreadError) Unwrap() error { return e.Err }
