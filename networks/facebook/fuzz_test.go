package facebook_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
)

// answer is a transport that answers every request with one status and
// body, except the Page token derivation, which succeeds.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	status, body := a.status, a.body
	if r.Method == http.MethodGet && strings.Contains(r.URL.RawQuery, "access_token") && strings.HasSuffix(r.URL.Path, "/123") {
		status, body = 200, []byte(`{"id":"123","access_token":"page-tok"}`)
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"},
		"X-Page-Usage": {string(body)}, "X-Business-Use-Case-Usage": {string(body)}},
		Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
}

var kinds = []error{networks.ErrTransient, networks.ErrRateLimited, networks.ErrAuthExpired, networks.ErrRejected,
	networks.ErrDuplicate, networks.ErrOutcomeUnknown, networks.ErrNotFound, networks.ErrInvalid}

func oneKind(t *testing.T, what string, err error) {
	t.Helper()
	n := 0
	for _, k := range kinds {
		if errors.Is(err, k) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%s: %d kinds for %v", what, n, err)
	}
	if strings.Contains(err.Error(), "page-tok") || strings.Contains(err.Error(), "user-tok") {
		t.Fatalf("%s: a token in %v", what, err)
	}
}

// FuzzResponses answers every call of Publish, Check, Metrics and
// FindByMarker with any status and body (Graph error objects, HTML, JSON
// of the wrong shape, truncated answers): the parsers of answers and
// errors never panic, every error has exactly one kind, and no token
// shows.
func FuzzResponses(f *testing.F) {
	for _, s := range []string{
		`{"error":{"message":"Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"A"}}`,
		`{"error":{"code":32,"message":"Page request limit reached"}}`, `{"123":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":5}]}`,
		`{"id":"123_456"}`, `{"id":"123_456","post_id":"123_456"}`, `{"status":{"video_status":"error","processing_phase":{"errors":[{"code":1,"message":"x"}]}}}`,
		`{"data":[{"id":"123_1","message":"hi"}]}`, `{"data":[{"name":"post_media_view","values":[{"value":{"a":1,"b":"x"}}]}]}`,
		`{"reactions":{"summary":{"total_count":-5}},"shares":{"count":"many"}}`, `<html>502</html>`, `{"error":`, `null`, `[]`, ``,
	} {
		f.Add(200, []byte(s))
		f.Add(400, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		ad, err := facebook.New(&http.Client{Transport: answer{status: status, body: body}}, facebook.WithBaseURL("https://graph.test"))
		if err != nil {
			t.Fatal(err)
		}
		acct := networks.Account{ID: "123", Network: facebook.Network, Tokens: staticToken("user-tok")}
		ctx := t.Context()
		if r, err := ad.Publish(ctx, acct, networks.Draft{Text: "fuzz", Marker: "f"}); err != nil {
			oneKind(t, "publish", err)
		} else if r.ID == "" {
			t.Fatal("a receipt without an id")
		}
		if _, err := ad.Check(ctx, acct, networks.Receipt{Network: facebook.Network, ID: "456", Status: networks.StatusPending}); err != nil {
			oneKind(t, "check", err)
		}
		for _, id := range []networks.RemoteID{"123_456", "456"} {
			if s, err := ad.Metrics(ctx, acct, id); err != nil {
				oneKind(t, "metrics", err)
			} else if s.Target != string(id) {
				t.Fatalf("snapshot of %q for %q", s.Target, id)
			}
		}
		if _, _, err := ad.FindByMarker(ctx, acct, "f"); err != nil {
			oneKind(t, "find", err)
		}
	})
}
