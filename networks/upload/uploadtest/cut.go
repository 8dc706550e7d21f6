package uploadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"

	"github.com/socialflow/socialflow"
)

// ErrCut is the error a connection's Write returns when a [Cutter] cuts
// it.
var ErrCut = errors.New("uploadtest: connection cut")

// Mode says what a [Cutter]'s thresholds count.
type Mode int

const (
	// Total counts the bytes written by every connection together: the
	// k-th cut falls when the upload as a whole has sent At[k] bytes, as
	// for a resumable upload that carries on where it stopped. The
	// thresholds must increase.
	Total Mode = iota
	// PerConnection counts the bytes the connection itself has written:
	// the k-th cut falls on the connection that reaches At[k], as for an
	// upload that restarts from its first byte on a new connection.
	PerConnection
)

func (m Mode) String() string {
	switch m {
	case Total:
		return "total"
	case PerConnection:
		return "per connection"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Cutter makes HTTP clients whose connections count the bytes they write
// and are cut, each threshold once and in order: the Write that reaches a
// threshold sends the bytes up to it, closes the connection and returns
// [ErrCut] (as does every later Write on it), as a network that drops
// mid-upload. What the server reads
// before the cut is whatever those bytes make of the request. Safe for
// concurrent use; create one with [NewCutter].
type Cutter struct {
	mode Mode
	at   []int64

	mu      sync.Mutex
	done    int   // thresholds passed
	written int64 // by every connection
}

// ThresholdError is a threshold [NewCutter] refuses: negative, or (in
// [Total] mode) not above the one before. It matches
// [socialflow.ErrInvalid].
type ThresholdError struct {
	Mode  Mode
	Index int   // the threshold's position in At
	At    int64 // its value
	Prev  int64 // the one before it, in Total mode
}

func (e *ThresholdError) Error() string {
	if e.At < 0 {
		return fmt.Sprintf("uploadtest: cut threshold %d is %d bytes: must not be negative", e.Index, e.At)
	}
	return fmt.Sprintf("uploadtest: cut threshold %d is %d bytes, not above threshold %d (%d bytes): %s thresholds must increase", e.Index, e.At, e.Index-1, e.Prev, e.Mode)
}

// Is matches socialflow.ErrInvalid.
func (e *ThresholdError) Is(target error) bool { return target == socialflow.ErrInvalid }

// NewCutter returns a Cutter that cuts at each of the byte thresholds at,
// counted as mode says. A negative threshold, or in Total mode one not
// above the one before, is a [*ThresholdError].
func NewCutter(mode Mode, at ...int64) (*Cutter, error) {
	if mode != Total && mode != PerConnection {
		return nil, fmt.Errorf("uploadtest: %s is not a cut mode (Total or PerConnection): %w", mode, socialflow.ErrInvalid)
	}
	for i, a := range at {
		if a < 0 {
			return nil, &ThresholdError{Mode: mode, Index: i, At: a}
		}
		if mode == Total && i > 0 && a <= at[i-1] {
			return nil, &ThresholdError{Mode: mode, Index: i, At: a, Prev: at[i-1]}
		}
	}
	return &Cutter{mode: mode, at: append([]int64(nil), at...)}, nil
}

// Percent returns size·p/100 (rounded down) for each p: the thresholds of
// cuts at those percentages of a file of size bytes.
func Percent(size int64, percents ...int) []int64 {
	at := make([]int64, len(percents))
	for i, p := range percents {
		at[i] = size * int64(p) / 100
	}
	return at
}

// Client returns an HTTP client whose connections (dialled over TCP) the
// Cutter counts and cuts. Each call returns a client with its own
// connection pool; they share the Cutter's count and thresholds.
func (c *Cutter) Client() *http.Client {
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return c.Conn(conn), nil
	}}}
}

// Conn wraps conn so that the Cutter counts and cuts what it writes (for a
// transport or listener of the test's own).
func (c *Cutter) Conn(conn net.Conn) net.Conn { return &cutConn{Conn: conn, c: c} }

// Written is the number of bytes the Cutter's connections wrote in all:
// those the connections accepted, including each cut write's bytes up to
// its threshold.
func (c *Cutter) Written() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written
}

// Cuts is the number of connections cut so far.
func (c *Cutter) Cuts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

type cutConn struct {
	net.Conn
	c       *Cutter
	written int64 // by this connection
	cut     bool
}

func (cc *cutConn) Write(p []byte) (int, error) {
	c := cc.c
	c.mu.Lock()
	if cc.cut {
		c.mu.Unlock()
		return 0, ErrCut
	}
	count := c.written
	if c.mode == PerConnection {
		count = cc.written
	}
	if c.done < len(c.at) && count+int64(len(p)) >= c.at[c.done] {
		n := int(max(c.at[c.done]-count, 0))
		c.done++
		cc.cut = true
		c.mu.Unlock()
		n, _ = cc.Conn.Write(p[:n])
		_ = cc.Conn.Close()
		cc.count(n)
		return n, ErrCut
	}
	// The write's bytes count before they are sent, so that a concurrent
	// Write on another connection sees them; what the connection refuses
	// is taken back.
	c.written += int64(len(p))
	cc.written += int64(len(p))
	c.mu.Unlock()
	n, err := cc.Conn.Write(p)
	cc.count(n - len(p))
	return n, err
}

// count adds n bytes (negative: takes them back) to the counts.
func (cc *cutConn) count(n int) {
	if n == 0 {
		return
	}
	cc.c.mu.Lock()
	defer cc.c.mu.Unlock()
	cc.c.written += int64(n)
	cc.written += int64(n)
}
