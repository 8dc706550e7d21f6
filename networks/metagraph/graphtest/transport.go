package graphtest

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

// Transport returns an in-memory transport to the server: each request is
// served in the calling goroutine, so tests under testing/synctest (whose
// clock cannot advance while a goroutine waits on a socket) can use the
// fake. A lost answer (Fault.Lost) is a connection error.
func (s *Server) Transport() http.RoundTripper { return memTransport{h: s.kit.Handler()} }

type memTransport struct{ h http.Handler }

var errLost = errors.New("graphtest: connection lost after the request was served")

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	w := &hijackRecorder{ResponseRecorder: httptest.NewRecorder()}
	t.h.ServeHTTP(w, req)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	if w.lost {
		return nil, errLost
	}
	res := w.Result()
	res.Request = req
	return res, nil
}

// hijackRecorder records an answer and notes a hijack (a dropped
// connection).
type hijackRecorder struct {
	*httptest.ResponseRecorder
	lost bool
}

func (r *hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.lost = true
	return deadConn{}, nil, nil
}

type deadConn struct{}

func (deadConn) Read([]byte) (int, error)         { return 0, net.ErrClosed }
func (deadConn) Write(b []byte) (int, error)      { return 0, net.ErrClosed }
func (deadConn) Close() error                     { return nil }
func (deadConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (deadConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (deadConn) SetDeadline(time.Time) error      { return nil }
func (deadConn) SetReadDeadline(time.Time) error  { return nil }
func (deadConn) SetWriteDeadline(time.Time) error { return nil }
