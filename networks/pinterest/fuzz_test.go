package pinterest

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

var kinds = []error{networks.ErrTransient, networks.ErrRateLimited, networks.ErrAuthExpired, networks.ErrRejected,
	networks.ErrDuplicate, networks.ErrOutcomeUnknown, networks.ErrNotFound}

func oneKind(t *testing.T, err error, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: nil error", what)
	}
	n := 0
	for _, k := range kinds {
		if errors.Is(err, k) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%s: %d kinds: %v", what, n, err)
	}
}

// FuzzClassify feeds any body with any status to the API's classify hook:
// it never panics and always returns an error of exactly one of our kinds.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{`{"code":2,"message":"Authentication failed."}`, `{"code":8,"message":"rate"}`, `{"code":50}`,
		`{"message":"x"}`, `<html>502</html>`, `{"code":`, ``, `{"code":"2"}`, `{"code":1e30}`} {
		f.Add(400, s, false)
		f.Add(503, s, true)
	}
	f.Fuzz(func(t *testing.T, status int, body string, write bool) {
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		fl := &apikit.Failure{Network: Network, Req: &apikit.Request{Name: "POST /v5/pins", Write: write}, Status: status,
			Header: http.Header{}, Body: []byte(body), Now: time.Unix(1e9, 0)}
		oneKind(t, classify(fl), body)
	})
}

// FuzzClassifyUpload does the same for the upload's S3 error documents;
// an upload's failure is never an unknown outcome.
func FuzzClassifyUpload(f *testing.F) {
	for _, s := range []string{`<Error><Code>AccessDenied</Code><Message>Policy expired</Message></Error>`,
		`<Error><Code>EntityTooLarge</Code></Error>`, `<Error>`, ``, `{"code":1}`, `<?xml version="1.0"?><Error><Code>SlowDown</Code></Error>`} {
		f.Add(403, s)
		f.Add(503, s)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		fl := &apikit.Failure{Network: Network, Req: &apikit.Request{Name: "media upload"}, Status: status,
			Header: http.Header{}, Body: []byte(body), Now: time.Unix(1e9, 0)}
		err := classifyUpload(fl)
		oneKind(t, err, body)
		if errors.Is(err, networks.ErrOutcomeUnknown) {
			t.Fatalf("an upload made no pin: %v", err)
		}
	})
}

// FuzzPinAnswers decodes any answer as the pin, page and analytics types
// the adapter reads, and the times FindByMarker compares: never a panic.
func FuzzPinAnswers(f *testing.F) {
	f.Add(`{"items":[{"id":"1","title":null,"description":"d","created_at":"2022-10-13T01:40:29"}],"bookmark":null}`)
	f.Add(`{"all":{"summary_metrics":{"IMPRESSION":1.5},"lifetime_metrics":{"TOTAL_COMMENTS":null}}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var p page[pinJSON]
		if json.Unmarshal([]byte(body), &p) == nil {
			for _, pin := range p.Items {
				_ = Digest(str(pin.Title), str(pin.Description))
				_, _ = parseTime(pin.CreatedAt)
				_ = digits(pin.ID)
			}
		}
		var an map[string]struct {
			Summary map[string]*float64 `json:"summary_metrics"`
		}
		_ = json.Unmarshal([]byte(body), &an)
		_, _ = parseTime(body)
	})
}
