package xtest

import (
	"testing"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/x"
)

// Harness connects networktest to an [x.Adapter] publishing to a fresh
// [Server]. It implements networktest.Harness through the embedded
// [apikittest.Harness].
type Harness struct {
	apikittest.Harness
	Server *Server
	ad     *x.Adapter
}

// NewHarness starts a Server and closes it when t ends.
func NewHarness(t testing.TB, opts ...x.Option) *Harness {
	t.Helper()
	srv := NewServer(networktest.Secret, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	t.Cleanup(srv.Close)
	ad, err := x.New(srv.Client(), append([]x.Option{x.WithBaseURL(srv.URL()), x.WithClock(srv.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("xtest: %v", err)
	}
	return &Harness{Server: srv, ad: ad, Harness: apikittest.Harness{
		Ad: ad, Acct: apikittest.Account(x.Network, "conformance"), Fake: srv, Faults: faults,
		PostIDs: func() []string { return apikittest.IDs(srv.Posts(), func(p Post) string { return p.ID }) },
	}}
}

// X returns the adapter as its own type.
func (h *Harness) X() *x.Adapter { return h.ad }

// faults are X's answers to networktest's faults: a 429 says when the
// window opens again (x-rate-limit-reset), not Retry-After.
var faults = apikittest.Faults{
	ServerError:   []apikittest.Fault{{Status: 503, Code: "Service Unavailable", Message: "Service Unavailable"}},
	RateLimited:   []apikittest.Fault{{Status: 429, Code: "Too Many Requests", Message: "Too Many Requests"}},
	RateLimitWait: apikittest.WaitReset,
	ExpiredToken:  []apikittest.Fault{{ExpireToken: true}},
	Rejected:      []apikittest.Fault{{Status: 403, Code: "Forbidden"}},
	Duplicate:     []apikittest.Fault{{Status: 403, Code: "Forbidden", Message: "You are not allowed to create a Tweet with duplicate content."}},
	LostResponse:  []apikittest.Fault{{Lost: true}},
}

var _ networktest.Harness = (*Harness)(nil)
