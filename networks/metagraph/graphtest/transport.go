package graphtest

import "net/http"

// Transport returns an in-memory transport to the server (the kit's
// apikittest.MemTransport): each request is served in the calling
// goroutine, so tests under testing/synctest (whose clock cannot advance
// while a goroutine waits on a socket) can use the fake. A lost answer
// (Fault.Lost) is apikittest.ErrLost.
func (s *Server) Transport() http.RoundTripper { return s.kit.Transport() }
