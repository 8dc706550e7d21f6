// Package apikittest is the skeleton of the adapters' httptest fake
// servers, so that each network's fake is only its endpoints: routing by
// method and path (with {name} segments), bearer-token checks, scripted
// faults (error answers, responses lost after the write was applied,
// truncated and HTML bodies, delays in virtual time), rate-limit headers
// with remaining and reset counters, and a request log.
//
// A network's fake builds a [Server] with its error payload and rate-limit
// headers, registers its endpoints with [Server.Handle], and answers each
// with a value encoded as JSON or an [*Error]. A Server is safe for
// concurrent use.
package apikittest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Error is an error answer: an HTTP status and the network's error code and
// message, written by [Options].ErrorBody.
type Error struct {
	Status        int
	Code, Message string
}

// Error describes the answer.
func (e *Error) Error() string { return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Message) }

// Fault scripts the answer to one request; the zero Fault answers normally.
// Faults apply in this order: Delay, HTML, Status, then the endpoint runs
// (with ExpireToken seen by [Server.Bearer]), then Lost or Truncate.
type Fault struct {
	// Delay passes before the answer: the virtual clock ([Options].Clock)
	// advances by it, or, without one, the server waits (until the client
	// gives up).
	Delay time.Duration
	// HTML answers a proxy's HTML error page with Status (502 when zero)
	// before the request takes effect.
	HTML bool
	// Status, Code and Message answer the network's error payload before
	// the request takes effect. With 429, the rate-limit headers say
	// nothing remains until Reset (when set), and RetryAfter (when set) is
	// sent as Retry-After seconds.
	Status        int
	Code, Message string
	RetryAfter    time.Duration
	Reset         time.Time
	// ExpireToken makes [Server.Bearer] report the request's token expired.
	ExpireToken bool
	// Lost applies the request and then drops the connection without an
	// answer; Truncate applies it and sends half of its body.
	Lost, Truncate bool
}

// RateLimit configures the rate-limit headers sent with every answer.
type RateLimit struct {
	Limit, Remaining, Reset string        // header names, e.g. "x-rate-limit-limit"
	Policy                  string        // optional: a "limit;w=seconds" header (RateLimit-Policy)
	Max                     int           // requests per window
	Window                  time.Duration // the window, starting at the first request
	ISO                     bool          // Reset as an RFC 3339 time instead of Unix seconds
	// Layout is the time layout of an ISO Reset; empty means
	// time.RFC3339Nano (Mastodon writes microseconds, GoToSocial
	// milliseconds).
	Layout string
	// Enforce answers 429 (with the network's error code Code) once Max
	// requests were served in the window.
	Enforce bool
	Code    string
}

// Options configure a [Server].
type Options struct {
	// Clock is the virtual clock; nil means Now (or time.Now).
	Clock *Clock
	Now   func() time.Time
	// ErrorBody is the network's error payload for e; nil means
	// {"error": Code, "message": Message}.
	ErrorBody func(e *Error) any
	// NotFound and WrongMethod answer a path no route matches and a
	// method the matching path does not take; nil means 404 and 405.
	NotFound    func(r *http.Request) *Error
	WrongMethod func(r *http.Request, allowed []string) *Error
	// RateLimit, when set, adds its headers to every answer.
	RateLimit *RateLimit
}

// Handler answers one request: a value written as JSON (with [Call]'s
// status, 200 by default) or an error (an *Error, or a 500).
type Handler func(c *Call) (any, error)

// Call is one request as a [Handler] sees it.
type Call struct {
	*http.Request
	// Fault is the fault scripted for this request; a handler may set its
	// Lost or Truncate to drop or cut its own answer after the effect.
	Fault  Fault
	Params map[string]string // the {name} segments of the route
	status int
	header http.Header
}

// SetStatus sets the status of a successful answer (202, 206...).
func (c *Call) SetStatus(code int) { c.status = code }

// ReplyHeader returns the answer's headers, to add to (Call.Header is the
// request's).
func (c *Call) ReplyHeader() http.Header { return c.header }

// Logged is one request in the log.
type Logged struct {
	Method, Path, Query string
	Status              int // the status answered; 0 for a lost answer
}

type route struct {
	method string
	parts  []string
	h      Handler
}

// Server is the fake. Create it with [New]; Close it when done.
type Server struct {
	srv  *httptest.Server
	opts Options

	mu      sync.Mutex
	routes  []route
	faults  []Fault
	log     []Logged
	tokens  map[string]Token
	used    int
	started time.Time
}

// New starts a Server on a loopback port.
func New(opts Options) *Server {
	s := &Server{opts: opts, tokens: map[string]Token{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Handler is the server's handler, for an in-memory transport (a test
// under testing/synctest cannot wait on a real socket).
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Now reads the server's clock.
func (s *Server) Now() time.Time {
	switch {
	case s.opts.Clock != nil:
		return s.opts.Clock.Now()
	case s.opts.Now != nil:
		return s.opts.Now()
	}
	return time.Now()
}

// Handle routes method and path to h. A path segment "{name}" matches any
// one segment, found in Call.Params["name"].
func (s *Server) Handle(method, path string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes = append(s.routes, route{method: method, parts: strings.Split(path, "/"), h: h})
}

// Script queues faults for the next requests, in order.
func (s *Server) Script(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// Requests returns the log of every request served, in order.
func (s *Server) Requests() []Logged {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Logged(nil), s.log...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.log = append(s.log, Logged{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery})
	entry := len(s.log) - 1
	var f Fault
	if len(s.faults) > 0 {
		f, s.faults = s.faults[0], s.faults[1:]
	}
	s.mu.Unlock()
	status := s.answer(w, r, f)
	s.mu.Lock()
	s.log[entry].Status = status
	s.mu.Unlock()
}

// answer serves one request and returns the status sent (0 when lost).
func (s *Server) answer(w http.ResponseWriter, r *http.Request, f Fault) int {
	if f.Delay > 0 {
		if s.opts.Clock != nil {
			s.opts.Clock.Advance(f.Delay)
		} else {
			t := time.NewTimer(f.Delay)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return 0
			}
		}
	}
	exhausted := s.rateHeaders(w)
	switch {
	case f.HTML:
		st := f.Status
		if st == 0 {
			st = http.StatusBadGateway
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(st)
		_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%[1]d %[2]s</h1><hr>proxy</body></html>\n", st, http.StatusText(st))
		return st
	case f.Status != 0:
		if f.Status == http.StatusTooManyRequests {
			s.limited(w, f)
		}
		return s.fail(w, &Error{Status: f.Status, Code: f.Code, Message: f.Message})
	case exhausted:
		return s.fail(w, &Error{Status: http.StatusTooManyRequests, Code: s.opts.RateLimit.Code, Message: "Too Many Requests"})
	}
	h, params, xe := s.match(r)
	if xe != nil {
		return s.fail(w, xe)
	}
	c := &Call{Request: r, Fault: f, Params: params, status: http.StatusOK, header: w.Header()}
	out, err := h(c)
	// A handler may decide the fault itself (a fake's random faults).
	f.Lost, f.Truncate = c.Fault.Lost, c.Fault.Truncate
	if err != nil {
		xe, ok := err.(*Error)
		if !ok {
			xe = &Error{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: "Internal Server Error"}
		}
		return s.fail(w, xe)
	}
	if f.Lost {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return 0
			}
		}
	}
	body, _ := json.Marshal(out)
	if f.Truncate {
		body = body[:len(body)/2]
	} else {
		body = append(body, '\n')
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(c.status)
	_, _ = w.Write(body)
	return c.status
}

func (s *Server) match(r *http.Request) (Handler, map[string]string, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := strings.Split(r.URL.Path, "/")
	var allowed []string
	for _, rt := range s.routes {
		params, ok := matchParts(rt.parts, got)
		if !ok {
			continue
		}
		if rt.method == r.Method {
			return rt.h, params, nil
		}
		allowed = append(allowed, rt.method)
	}
	if len(allowed) > 0 {
		if s.opts.WrongMethod != nil {
			return nil, nil, s.opts.WrongMethod(r, allowed)
		}
		return nil, nil, &Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Message: "allowed: " + strings.Join(allowed, ", ")}
	}
	if s.opts.NotFound != nil {
		return nil, nil, s.opts.NotFound(r)
	}
	return nil, nil, &Error{Status: http.StatusNotFound, Code: "NotFound", Message: "Not Found"}
}

func matchParts(pattern, got []string) (map[string]string, bool) {
	if len(pattern) != len(got) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") && got[i] != "" {
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = got[i]
			continue
		}
		if p != got[i] {
			return nil, false
		}
	}
	return params, true
}

// fail writes the network's error payload for xe.
func (s *Server) fail(w http.ResponseWriter, xe *Error) int {
	var body any = map[string]string{"error": xe.Code, "message": xe.Message}
	if s.opts.ErrorBody != nil {
		body = s.opts.ErrorBody(xe)
	} else if xe.Code == "" {
		body = map[string]string{"message": xe.Message}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(xe.Status)
	_ = json.NewEncoder(w).Encode(body)
	return xe.Status
}

// rateHeaders counts the request in the window and writes the headers; it
// reports whether an enforced limit is exhausted.
func (s *Server) rateHeaders(w http.ResponseWriter) bool {
	rl := s.opts.RateLimit
	if rl == nil {
		return false
	}
	now := s.Now()
	s.mu.Lock()
	if s.started.IsZero() || (rl.Window > 0 && !now.Before(s.started.Add(rl.Window))) {
		s.started, s.used = now, 0
	}
	s.used++
	used, reset := s.used, s.started.Add(rl.Window)
	s.mu.Unlock()
	h := w.Header()
	h.Set(rl.Limit, strconv.Itoa(rl.Max))
	h.Set(rl.Remaining, strconv.Itoa(max(rl.Max-used, 0)))
	h.Set(rl.Reset, s.formatReset(reset))
	if rl.Policy != "" {
		h.Set(rl.Policy, fmt.Sprintf("%d;w=%d", rl.Max, int(rl.Window/time.Second)))
	}
	return rl.Enforce && used > rl.Max
}

// limited writes the headers of a scripted 429.
func (s *Server) limited(w http.ResponseWriter, f Fault) {
	if rl := s.opts.RateLimit; rl != nil && !f.Reset.IsZero() {
		w.Header().Set(rl.Remaining, "0")
		w.Header().Set(rl.Reset, s.formatReset(f.Reset))
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
}

func (s *Server) formatReset(t time.Time) string {
	if rl := s.opts.RateLimit; rl.ISO {
		layout := rl.Layout
		if layout == "" {
			layout = time.RFC3339Nano
		}
		return t.UTC().Format(layout)
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// Clock is a virtual clock for a Server and the adapter under test: it
// moves only when advanced (by a test or a Fault's Delay). The zero value
// reads the zero time; it is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
