package pinteresttest

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
)

// SetFaultRate makes a share p of the requests fail at random (seeded), as
// a network under load: API writes (POST, DELETE) answer 503 before their
// effect, lose their answer after it, or are rate limited (429 code 8,
// Retry-After 60 s), in equal shares; API reads answer 503; uploads answer
// S3's InternalError before storing the file, or lose the answer after.
// The token endpoint is never faulted.
func (s *Server) SetFaultRate(p float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.rnd = p, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Faults counts the random faults injected, by kind: "error", "lost",
// "throttled".
func (s *Server) Faults() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.faults))
	for k, n := range s.faults {
		out[k] = n
	}
	return out
}

// draw decides the random fault of one request: "", "error", "lost" or
// "throttled".
func (s *Server) draw(write bool) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rnd == nil || s.rnd.Float64() >= s.rate {
		return ""
	}
	kind := "error"
	if write {
		kind = []string{"error", "lost", "throttled"}[s.rnd.IntN(3)]
	}
	if s.faults == nil {
		s.faults = map[string]int{}
	}
	s.faults[kind]++
	return kind
}

// faulty injects the random faults of SetFaultRate around the API.
func (s *Server) faulty(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v5/oauth/token" {
			next.ServeHTTP(w, r)
			return
		}
		write := r.Method == http.MethodPost || r.Method == http.MethodDelete
		switch s.draw(write) {
		case "error":
			writeJSON(w, http.StatusServiceUnavailable, `{"code":503,"message":"Service Unavailable"}`)
		case "throttled":
			w.Header().Set("Retry-After", "60")
			writeJSON(w, http.StatusTooManyRequests, `{"code":8,"message":"This request exceeded a rate limit."}`)
		case "lost":
			next.ServeHTTP(httptest.NewRecorder(), r) // the effect happens
			drop(w)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
		}
	}
}
