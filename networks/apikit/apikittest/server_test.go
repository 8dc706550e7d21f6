package apikittest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// fake is a one-endpoint network: POST /posts creates, GET /posts/{id} reads.
type fake struct {
	*apikittest.Server
	clock *apikittest.Clock
	mu    sync.Mutex
	posts map[string]string
}

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.posts)
}

func newFake(t *testing.T) *fake {
	clock := apikittest.NewClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	f := &fake{clock: clock, posts: map[string]string{}}
	f.Server = apikittest.New(apikittest.Options{Clock: clock,
		RateLimit: &apikittest.RateLimit{Limit: "x-rate-limit-limit", Remaining: "x-rate-limit-remaining", Reset: "x-rate-limit-reset",
			Max: 3, Window: 15 * time.Minute, Enforce: true, Code: "TooMany"}})
	t.Cleanup(f.Close)
	f.IssueToken("good", apikittest.Token{Subject: "alice", Kind: "access", Expiry: clock.Now().Add(time.Hour)})
	f.IssueToken("refresh", apikittest.Token{Subject: "alice", Kind: "refresh"})
	f.Handle("POST", "/posts", func(c *apikittest.Call) (any, error) {
		if _, _, p := f.Bearer(c, "access"); p != apikittest.AuthOK {
			return nil, &apikittest.Error{Status: 401, Code: "Unauthorized", Message: "auth"}
		}
		f.mu.Lock()
		f.posts["1"] = "hello"
		f.mu.Unlock()
		c.SetStatus(http.StatusCreated)
		return map[string]string{"id": "1"}, nil
	})
	f.Handle("GET", "/posts/{id}", func(c *apikittest.Call) (any, error) {
		f.mu.Lock()
		_, ok := f.posts[c.Params["id"]]
		f.mu.Unlock()
		if !ok {
			return nil, &apikittest.Error{Status: 404, Code: "NotFound", Message: "no post"}
		}
		return map[string]string{"id": c.Params["id"]}, nil
	})
	return f
}

func (f *fake) do(t *testing.T, method, path, token string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, f.URL()+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.Client().Do(req)
	if err != nil {
		return nil, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestRoutingAndAuth(t *testing.T) {
	for _, tt := range []struct {
		name, method, path, token string
		status                    int
		body                      string
	}{
		{"created", "POST", "/posts", "good", 201, `{"id":"1"}`},
		{"param", "GET", "/posts/1", "", 200, `{"id":"1"}`},
		{"missing", "GET", "/posts/2", "", 404, `"NotFound"`},
		{"no route", "GET", "/nope", "", 404, `"NotFound"`},
		{"wrong method", "DELETE", "/posts", "good", 405, `"MethodNotAllowed"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.posts["1"] = "x"
			resp, body := f.do(t, tt.method, tt.path, tt.token)
			require.NotNil(t, resp, body)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Contains(t, body, tt.body)
		})
	}
	f := newFake(t)
	c := &apikittest.Call{Request: httpReq(t, "")}
	_, _, p := f.Bearer(c, "access")
	assert.Equal(t, apikittest.AuthMissing, p)
	for tok, want := range map[string]apikittest.AuthProblem{"good": apikittest.AuthOK, "bogus": apikittest.AuthInvalid, "refresh": apikittest.AuthWrongKind} {
		_, _, p := f.Bearer(&apikittest.Call{Request: httpReq(t, tok)}, "access")
		assert.Equal(t, want, p, tok)
	}
	_, _, p = f.Bearer(&apikittest.Call{Request: httpReq(t, "good"), Fault: apikittest.Fault{ExpireToken: true}}, "access")
	assert.Equal(t, apikittest.AuthExpired, p)
	f.clock.Advance(time.Hour)
	_, _, p = f.Bearer(&apikittest.Call{Request: httpReq(t, "good")}, "access")
	assert.Equal(t, apikittest.AuthExpired, p, "past its expiry on the virtual clock")
	f.RevokeToken("refresh")
	_, _, p = f.Bearer(&apikittest.Call{Request: httpReq(t, "refresh")}, "refresh")
	assert.Equal(t, apikittest.AuthInvalid, p)
}

func httpReq(t *testing.T, tok string) *http.Request {
	r, err := http.NewRequest("GET", "http://x/", nil)
	require.NoError(t, err)
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	return r
}

// The faults, as the adapter kit sees them: each becomes the kind a
// network's adapter must report.
func TestFaultsThroughTheKit(t *testing.T) {
	for _, tt := range []struct {
		name    string
		fault   apikittest.Fault
		kind    error
		applied bool
	}{
		{"error before effect", apikittest.Fault{Status: 503, Code: "Busy"}, socialflow.ErrOutcomeUnknown, false},
		{"lost after effect", apikittest.Fault{Lost: true}, socialflow.ErrOutcomeUnknown, true},
		{"truncated after effect", apikittest.Fault{Truncate: true}, socialflow.ErrOutcomeUnknown, true},
		{"html from a proxy", apikittest.Fault{HTML: true}, socialflow.ErrOutcomeUnknown, false},
		{"html 403", apikittest.Fault{HTML: true, Status: 403}, socialflow.ErrRejected, false},
		{"rate limited", apikittest.Fault{Status: 429, RetryAfter: 90 * time.Second}, socialflow.ErrRateLimited, false},
		{"expired token", apikittest.Fault{ExpireToken: true}, socialflow.ErrAuthExpired, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.Script(tt.fault)
			c := &apikit.Client{Network: "fake", HTTP: f.Client(), Now: f.clock.Now}
			_, err := c.Do(t.Context(), &apikit.Request{Method: "POST", URL: f.URL() + "/posts", Name: "POST /posts", Token: "good", Write: true, Op: networks.OpPublish}, &struct{ ID string }{})
			require.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.applied, f.count() == 1)
			var rl *networks.RateLimitError
			if errors.As(err, &rl) {
				assert.Equal(t, 90*time.Second, rl.RetryAfter)
			}
		})
	}
}

func TestRateLimitCountersAndLog(t *testing.T) {
	f := newFake(t)
	f.posts["1"] = "x"
	var remaining []string
	for range 4 {
		resp, _ := f.do(t, "GET", "/posts/1", "")
		remaining = append(remaining, resp.Header.Get("x-rate-limit-remaining")+"/"+resp.Status[:3])
		assert.Equal(t, "1795436100", resp.Header.Get("x-rate-limit-reset"), "window start + 15 minutes")
	}
	assert.Equal(t, []string{"2/200", "1/200", "0/200", "0/429"}, remaining)
	f.clock.Advance(15 * time.Minute)
	resp, _ := f.do(t, "GET", "/posts/1", "")
	assert.Equal(t, "2", resp.Header.Get("x-rate-limit-remaining"), "a new window")
	log := f.Requests()
	require.Len(t, log, 5)
	assert.Equal(t, apikittest.Logged{Method: "GET", Path: "/posts/1", Status: 429}, log[3])
}

func TestRateLimitISOLayout(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ layout, want string }{
		{"", "2026-11-23T12:05:00Z"},
		{"2006-01-02T15:04:05.000Z", "2026-11-23T12:05:00.000Z"},
		{"2006-01-02T15:04:05.000000Z", "2026-11-23T12:05:00.000000Z"},
	} {
		s := apikittest.New(apikittest.Options{Clock: apikittest.NewClock(at), RateLimit: &apikittest.RateLimit{
			Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining", Reset: "X-RateLimit-Reset",
			Max: 300, Window: 5 * time.Minute, ISO: true, Layout: tt.layout}})
		resp, err := s.Client().Get(s.URL() + "/nothing")
		require.NoError(t, err)
		_ = resp.Body.Close()
		s.Close()
		assert.Equal(t, tt.want, resp.Header.Get("X-RateLimit-Reset"), "layout %q", tt.layout)
	}
}

func TestDelayInVirtualTime(t *testing.T) {
	f := newFake(t)
	before := f.Now()
	f.Script(apikittest.Fault{Delay: time.Hour})
	resp, _ := f.do(t, "POST", "/posts", "good")
	assert.Equal(t, 401, resp.StatusCode, "the token expired during the delay")
	assert.Equal(t, time.Hour, f.Now().Sub(before))

	// Without a virtual clock the server waits, until the client gives up.
	s := apikittest.New(apikittest.Options{})
	defer s.Close()
	s.Handle("GET", "/", func(*apikittest.Call) (any, error) { return "ok", nil })
	s.Script(apikittest.Fault{Delay: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/", nil)
	_, err := s.Client().Do(req)
	require.ErrorIs(t, err, context.Canceled)
}

func TestErrorBodyHook(t *testing.T) {
	s := apikittest.New(apikittest.Options{ErrorBody: func(e *apikittest.Error) any {
		return map[string]any{"title": e.Code, "detail": e.Message, "status": e.Status}
	}})
	defer s.Close()
	s.Script(apikittest.Fault{Status: 403, Code: "Forbidden", Message: "policy"})
	resp, err := s.Client().Get(s.URL() + "/anything")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.JSONEq(t, `{"title":"Forbidden","detail":"policy","status":403}`, strings.TrimSpace(string(b)))
	assert.Contains(t, (&apikittest.Error{Status: 403, Code: "Forbidden"}).Error(), "403")
}
