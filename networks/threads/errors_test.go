package threads_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/threads"
)

func failure(status int, body string, write bool) *apikit.Failure {
	return &apikit.Failure{Network: threads.Network, Req: &apikit.Request{Name: "POST /{threads-user-id}/threads", Write: write, Op: networks.OpPublish},
		Status: status, Header: http.Header{}, Body: []byte(body), Now: time.Unix(1_700_000_000, 0)}
}

func TestClassifyThreadsAnswers(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		write  bool
		kind   error
		check  func(t *testing.T, err error)
	}{
		{"link limit (string code)", 400, `{"error":{"message":"The post contains more than 5 links.","type":"THApiException","code":"THREADS_API__LINK_LIMIT_EXCEEDED","fbtrace_id":"A"}}`, false, networks.ErrRejected,
			func(t *testing.T, err error) {
				var re *networks.RejectedError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, "THREADS_API__LINK_LIMIT_EXCEEDED", re.Code)
				assert.Contains(t, re.Reason, "5 links")
				var ce *threads.CodeError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, 400, ce.Status)
			}},
		{"string code, 5xx on a write", 503, `{"error":{"code":"THREADS_API__SOMETHING"}}`, true, networks.ErrOutcomeUnknown, nil},
		{"missing object (THApiException 100/33)", 400, `{"error":{"message":"Unsupported get request. Object with ID '1' does not exist","type":"THApiException","code":100,"error_subcode":33}}`, false, networks.ErrNotFound, nil},
		{"text too long (100)", 400, `{"error":{"message":"Param text must be at most 500 characters long.","type":"THApiException","code":100}}`, true, networks.ErrRejected,
			func(t *testing.T, err error) {
				var ge *metagraph.Error
				require.ErrorAs(t, err, &ge, "the Graph error is reachable")
				assert.Equal(t, 100, ge.Code)
			}},
		{"expired token (190/463)", 401, `{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}`, false, networks.ErrAuthExpired, nil},
		{"too many calls (4)", 400, `{"error":{"message":"Application request limit reached","code":4}}`, true, networks.ErrRateLimited,
			func(t *testing.T, err error) {
				var rl *networks.RateLimitError
				require.ErrorAs(t, err, &rl)
				assert.False(t, rl.Reset.IsZero(), "a rolling hour when Meta gives no wait")
			}},
		{"service (2) on a read", 503, `{"error":{"message":"Service temporarily unavailable","code":2}}`, false, networks.ErrTransient, nil},
		{"HTML proxy page", 502, `<html>bad gateway</html>`, false, networks.ErrTransient, nil},
		{"empty string code", 400, `{"error":{"code":""}}`, false, networks.ErrRejected, nil},
		{"truncated", 400, `{"error":{"code":"THRE`, true, networks.ErrRejected, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := threads.Classify(failure(c.status, c.body, c.write))
			require.ErrorIs(t, err, c.kind)
			if c.check != nil {
				c.check(t, err)
			}
		})
	}
}

// The fake answers the link limit with its string code; the adapter's own
// check refuses six links first, so the answer is reached by a spec that
// allows more.
func TestLinkLimitAnswerIsRejected(t *testing.T) {
	h := graphtest.NewThreadsHarness(t, graphtest.ThreadsOptions{})
	srv := h.Server
	body, _ := json.Marshal(map[string]any{"media_type": "TEXT", "text": "a.com b.com c.com d.com e.com f.com"})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+"/v1.0/"+graphtest.ThreadsUser+"/threads", bytesReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok-SECRET")
	req.Header.Set("Content-Type", "application/json")
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	data := readAll(t, res)
	err = threads.Classify(&apikit.Failure{Network: threads.Network, Req: &apikit.Request{Name: "POST /{threads-user-id}/threads"},
		Status: res.StatusCode, Header: res.Header, Body: data, Now: time.Now()})
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "THREADS_API__LINK_LIMIT_EXCEEDED", re.Code)
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{`{"error":{"code":"THREADS_API__LINK_LIMIT_EXCEEDED"}}`, `{"error":{"code":190,"error_subcode":463}}`,
		`{"error":{"code":4}}`, `<html>`, `{"error":`, `{"error":{"code":null}}`, `{"error":{"code":"\u0000"}}`, ``} {
		f.Add(400, s)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		err := threads.Classify(failure(status, body, status%2 == 0))
		if err == nil {
			t.Fatal("a failure is never classified as nil")
		}
		_ = err.Error()
		var ce *threads.CodeError
		if errors.As(err, &ce) && ce.Code == "" {
			t.Fatal("a CodeError always names its code")
		}
	})
}

func FuzzParseInsights(f *testing.F) {
	for _, s := range []string{`{"data":[{"name":"views","values":[{"value":3}]},{"name":"reposts","values":[{"value":1}]},{"name":"shares","values":[{"value":2}]}]}`,
		`{"data":[{"name":"likes","total_value":{"value":5}}]}`, `{"data":[{"name":"likes","values":[]}]}`, `{"data":[{"name":"quotes","values":[{"value":null}]}]}`, `{}`, `[`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		c, err := threads.ParseInsights([]byte(body))
		if err != nil {
			return
		}
		if c.Len() > 5 {
			t.Fatalf("at most the five mapped metrics, got %d", c.Len())
		}
		if !strings.Contains(body, "views") && c.Has(analytics.Impressions) {
			t.Fatal("Impressions only when views is given")
		}
		if !strings.Contains(body, "reposts") && !strings.Contains(body, "shares") && c.Has(analytics.Shares) {
			t.Fatal("Shares only when reposts or shares is given")
		}
	})
}

// Every documented answer, scripted on the fake at the step it belongs to,
// reaches the caller as its kind, and only a write that may have happened
// is an unknown outcome.
func TestErrorsThroughPublish(t *testing.T) {
	cases := []struct {
		name   string
		fault  graphtest.Fault
		kind   error
		posted bool
	}{
		{"expired token on the limit read", graphtest.Fault{ExpireToken: true}, networks.ErrAuthExpired, false},
		{"password changed (190/460)", graphtest.Fault{Status: 400, Code: 190, Subcode: 460, Message: "password changed"}, networks.ErrAuthExpired, false},
		{"throttled on the container", graphtest.Fault{Path: "/threads", Status: 400, Code: 4, Message: "Application request limit reached", RegainAccess: 2 * time.Minute}, networks.ErrRateLimited, false},
		{"invalid parameter on the container", graphtest.Fault{Path: "/threads", Status: 400, Code: 100, Message: "Param text must be at most 500 characters long."}, networks.ErrRejected, false},
		{"service down on the container (not a write)", graphtest.Fault{Path: "/threads", Status: 503, Code: 2, Message: "down"}, networks.ErrTransient, false},
		{"service down on threads_publish", graphtest.Fault{Path: "/threads_publish", Status: 503, Code: 2, Message: "down"}, networks.ErrOutcomeUnknown, false},
		{"answer lost after threads_publish", graphtest.Fault{Path: "/threads_publish", Lost: true}, networks.ErrOutcomeUnknown, true},
		{"missing container on status", graphtest.Fault{Path: "/" + "18000000001", Status: 400, Code: 100, Subcode: 33, Message: "does not exist"}, networks.ErrNotFound, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, graphtest.ThreadsOptions{})
			f.Server.Script(c.fault)
			_, err := f.publish(t, networks.Draft{Text: "x"})
			require.ErrorIs(t, err, c.kind)
			assert.Equal(t, c.posted, posts(f) == 1)
			var rl *networks.RateLimitError
			if errors.As(err, &rl) {
				assert.Equal(t, 2*time.Minute, rl.RetryAfter, "estimated_time_to_regain_access")
			}
		})
	}
}
