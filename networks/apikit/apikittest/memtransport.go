package apikittest

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

// ErrLost is the error an in-memory transport returns for an answer the
// handler dropped (a hijacked connection, as [Fault].Lost does it).
var ErrLost = errors.New("apikittest: connection lost after the request was served")

// MemTransport returns an in-memory transport to h: each request is served
// in the calling goroutine, so tests under testing/synctest (whose clock
// cannot advance while a goroutine waits on a socket) can use a fake. An
// answer the handler drops by hijacking the connection is [ErrLost].
func MemTransport(h http.Handler) http.RoundTripper { return memTransport{h: h} }

// Transport is MemTransport of the server's handler.
func (s *Server) Transport() http.RoundTripper { return MemTransport(s.Handler()) }

type memTransport struct{ h http.Handler }

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
		return nil, ErrLost
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
func (deadConn) Write([]byte) (int, error)        { return 0, net.ErrClosed }
func (deadConn) Close() error                     { return nil }
func (deadConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (deadConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (deadConn) SetDeadline(time.Time) error      { return nil }
func (deadConn) SetReadDeadline(time.Time) error  { return nil }
func (deadConn) SetWriteDeadline(time.Time) error { return nil }
