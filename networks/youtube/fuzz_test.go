package youtube

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// FuzzClassify feeds raw bodies (HTML, truncated, any JSON) with any status
// to the classify hook: it never panics and always returns an error of our
// kinds.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{`{"error":{"code":403,"errors":[{"reason":"quotaExceeded"}]}}`, `<html>502</html>`, `{"error":`, ``, `{"error":{"errors":[]}}`} {
		f.Add(403, s, "")
		f.Add(308, s, "bytes=0-9")
	}
	kinds := []error{networks.ErrTransient, networks.ErrRateLimited, networks.ErrAuthExpired, networks.ErrRejected,
		networks.ErrDuplicate, networks.ErrOutcomeUnknown, networks.ErrNotFound}
	f.Fuzz(func(t *testing.T, status int, body, rng string) {
		fl := &apikit.Failure{Network: Network, Req: &apikit.Request{Name: "videos.insert", Write: status%2 == 0}, Status: status,
			Header: http.Header{"Range": {rng}}, Body: []byte(body), Now: time.Unix(1e9, 0)}
		err := classify(fl)
		if err == nil {
			t.Fatal("nil error")
		}
		if _, ok := err.(*incomplete); ok {
			if status != http.StatusPermanentRedirect {
				t.Fatalf("incomplete for status %d", status)
			}
			return
		}
		n := 0
		for _, k := range kinds {
			if errorsIs(err, k) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("status %d body %q: %d kinds: %v", status, body, n, err)
		}
	})
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
