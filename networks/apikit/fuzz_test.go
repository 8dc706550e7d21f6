package apikit_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks/apikit"
)

// FuzzDo sends every status and body (JSON, truncated, HTML, binary) through
// the decode and classify path: never a panic, never success for a non-2xx,
// always one of the kinds.
func FuzzDo(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, `{"id":"1"}`}, {200, `{"id":`}, {200, "<html>"}, {502, "<html><body>Bad Gateway</body></html>"},
		{429, `{"errors":[{"message":"Too Many Requests"}]}`}, {400, "\xff\xfe"}, {403, `{"detail":1e999}`}, {200, ""},
	} {
		f.Add(s.status, s.body, true, "10")
	}
	f.Fuzz(func(t *testing.T, status int, body string, write bool, reset string) {
		if status < 200 || status > 599 {
			return
		}
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Limit", "1")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", reset)
			w.Header().Set("Retry-After", reset)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		defer s.Close()
		c := &apikit.Client{Network: "fuzz", HTTP: s.Client(), Quotas: apikit.XRateLimitHeaders, Now: func() time.Time { return time.Unix(0, 0) },
			Classify: func(f *apikit.Failure) error {
				var b struct{ Error string }
				if f.DecodeJSON(&b) && b.Error != "" {
					return f.Error(apikit.ClassRejected, "", apikit.Message(b.Error), errors.New("fuzz"))
				}
				return apikit.ByStatus(f)
			}}
		var out struct{ ID string }
		_, err := c.Do(t.Context(), &apikit.Request{Method: "POST", URL: s.URL, Name: "fuzz", Write: write}, &out)
		if status/100 != 2 && err == nil {
			t.Fatalf("status %d: no error", status)
		}
		if err == nil {
			return
		}
		kinds := 0
		for _, k := range []error{socialflow.ErrTransient, socialflow.ErrOutcomeUnknown, socialflow.ErrRejected, socialflow.ErrNotFound,
			socialflow.ErrAuthExpired, socialflow.ErrRateLimited, socialflow.ErrDuplicate} {
			if errors.Is(err, k) {
				kinds++
			}
		}
		if kinds != 1 {
			t.Fatalf("status %d body %q: %d kinds in %v", status, body, kinds, err)
		}
		if write && status/100 == 2 && !errors.Is(err, socialflow.ErrOutcomeUnknown) {
			t.Fatalf("an unreadable answer to a write must be an unknown outcome: %v", err)
		}
	})
}
