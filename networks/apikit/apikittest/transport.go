package apikittest

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

// ErrLost is the error an in-memory [Server.Transport] returns for an
// answer lost after the request was served (Fault.Lost).
var ErrLost = errors.New("apikittest: connection lost after the request was served")

// Transport returns an in-memory transport to the server: each request is
// served in the calling goroutine, without a socket, so tests under
// testing/synctest (whose clock cannot advance while a goroutine waits on
// a socket) can use the fake. A lost answer (Fault.Lost) is [ErrLost].
func (s *Server) Transport() http.RoundTripper { return inMemory{h: s.Handler()} }

type inMemory struct{ h http.Handler }

func (t inMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	w := &recorder{ResponseRecorder: httptest.NewRecorder()}
	t.h.ServeHTTP(w, req)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	if w.hijacked {
		return nil, ErrLost
	}
	res := w.Result()
	res.Request = req
	return res, nil
}

// recorder records an answer and notes a hijack: the handler dropped the
// connection.
type recorder struct {
	*httptest.ResponseRecorder
	hijacked bool
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.hijacked = true
	return closedConn{}, nil, nil
}

type closedConn struct{}

func (closedConn) Read([]byte) (int, error)         { return 0, net.ErrClosed }
func (closedConn) Write([]byte) (int, error)        { return 0, net.ErrClosed }
func (closedConn) Close() error                     { return nil }
func (closedConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (closedConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (closedConn) SetDeadline(time.Time) error      { return nil }
func (closedConn) SetReadDeadline(time.Time) error  { return nil }
func (closedConn) SetWriteDeadline(time.Time) error { return nil }
