package blueskytest

import (
	"context"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/bluesky"
	"github.com/socialflow/socialflow/networks/networktest"
)

// Harness connects the networktest conformance suite to a [bluesky.Adapter]
// publishing to a fresh [Server]. It implements networktest.Harness.
type Harness struct {
	Server *Server
	ad     *bluesky.Adapter
	acct   networks.Account
}

// NewHarness starts a Server with one account, logs in through the adapter
// and closes the server when t ends.
//
//	networktest.Run(t, func(t *testing.T) networktest.Harness { return blueskytest.NewHarness(t) })
func NewHarness(t testing.TB, opts ...bluesky.Option) *Harness {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	srv.CreateAccount("conformance.test", "app-password")
	ad, err := bluesky.New(srv.Client(), opts...)
	if err != nil {
		t.Fatalf("blueskytest: %v", err)
	}
	tok, err := ad.Login(context.Background(), srv.URL(), "conformance.test", "app-password")
	if err != nil {
		t.Fatalf("blueskytest: login: %v", err)
	}
	return &Harness{Server: srv, ad: ad, acct: networks.Account{
		ID: "conformance", Network: bluesky.Network, Handle: "conformance.test", BaseURL: srv.URL(),
		Tokens: oauth2.StaticTokenSource(tok),
	}}
}

// Adapter returns the adapter under test.
func (h *Harness) Adapter() networks.Adapter { return h.ad }

// Account returns the logged-in account.
func (h *Harness) Account() networks.Account { return h.acct }

// Script makes the next request answer as f says. Bluesky has no
// duplicate-content error (a repeated publish resumes by record key), so
// networktest.Duplicate is not scripted.
func (h *Harness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(Fault{Status: 500, Error: "InternalServerError", Message: "Internal Server Error"})
	case networktest.RateLimited:
		h.Server.Script(Fault{Status: 429, Error: "RateLimitExceeded", Message: "Rate Limit Exceeded", Reset: h.Server.kit.Now().Add(f.RetryAfter)})
	case networktest.ExpiredToken:
		h.Server.Script(Fault{Expire: true})
	case networktest.Rejected:
		h.Server.Script(Fault{Status: 400, Error: "InvalidRequest", Message: f.Reason})
	case networktest.LostResponse:
		h.Server.Script(Fault{Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the posts the server holds.
func (h *Harness) Posts() []networks.Receipt {
	recs := h.Server.Records()
	out := make([]networks.Receipt, len(recs))
	for i, r := range recs {
		out[i] = networks.Receipt{Network: bluesky.Network, AccountID: h.acct.ID, ID: networks.RemoteID(r.URI), Status: networks.StatusPublished}
	}
	return out
}

// Now returns the server's clock reading.
func (h *Harness) Now() time.Time { return h.Server.kit.Now() }

var _ networktest.Harness = (*Harness)(nil)
