package xtest

import (
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/x"
)

// Harness connects networktest to an [x.Adapter] publishing to a fresh
// [Server]. It implements networktest.Harness.
type Harness struct {
	Server *Server
	ad     *x.Adapter
	acct   networks.Account
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
	return &Harness{Server: srv, ad: ad, acct: networks.Account{ID: "conformance", Network: x.Network, Handle: "conformance",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret})}}
}

// Adapter returns the adapter under test.
func (h *Harness) Adapter() networks.Adapter { return h.ad }

// X returns the adapter as its own type.
func (h *Harness) X() *x.Adapter { return h.ad }

// Account returns the connected account.
func (h *Harness) Account() networks.Account { return h.acct }

// Script makes the next request answer as f says, with X's payloads.
func (h *Harness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(apikittest.Fault{Status: 503, Code: "Service Unavailable", Message: "Service Unavailable"})
	case networktest.RateLimited:
		h.Server.Script(apikittest.Fault{Status: 429, Code: "Too Many Requests", Message: "Too Many Requests", Reset: h.Server.Now().Add(f.RetryAfter)})
	case networktest.ExpiredToken:
		h.Server.Script(apikittest.Fault{ExpireToken: true})
	case networktest.Rejected:
		h.Server.Script(apikittest.Fault{Status: 403, Code: "Forbidden", Message: f.Reason})
	case networktest.Duplicate:
		h.Server.Script(apikittest.Fault{Status: 403, Code: "Forbidden", Message: "You are not allowed to create a Tweet with duplicate content."})
	case networktest.LostResponse:
		h.Server.Script(apikittest.Fault{Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the posts the server holds.
func (h *Harness) Posts() []networks.Receipt {
	ps := h.Server.Posts()
	out := make([]networks.Receipt, len(ps))
	for i, p := range ps {
		out[i] = networks.Receipt{Network: x.Network, AccountID: h.acct.ID, ID: networks.RemoteID(p.ID), Status: networks.StatusPublished}
	}
	return out
}

// Now returns the server's clock reading.
func (h *Harness) Now() time.Time { return h.Server.Now() }

var _ networktest.Harness = (*Harness)(nil)
