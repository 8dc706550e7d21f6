package linkedintest

import (
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/linkedin"
	"github.com/socialflow/socialflow/networks/networktest"
)

// Member and Organization are the harness's author URNs.
const (
	Member       = "urn:li:person:conformance"
	Organization = "urn:li:organization:2414183"
)

// Harness connects the networktest conformance suite to a
// [linkedin.Adapter] publishing to a fresh [Server]. It implements
// networktest.Harness.
type Harness struct {
	Server *Server
	ad     *linkedin.Adapter
	acct   networks.Account
}

// NewHarness starts a Server, issues networktest.Secret to [Member] and
// returns an account whose author is author ([Member] or [Organization]).
// The server is closed when t ends.
//
//	networktest.Run(t, func(t *testing.T) networktest.Harness { return linkedintest.NewHarness(t, linkedintest.Organization, linkedintest.Options{}) })
func NewHarness(t testing.TB, author string, o Options, opts ...linkedin.Option) *Harness {
	t.Helper()
	srv := NewServer(o)
	t.Cleanup(srv.Close)
	srv.IssueToken(networktest.Secret, Member, time.Time{})
	ad, err := linkedin.New(srv.Client(), opts...)
	if err != nil {
		t.Fatalf("linkedintest: %v", err)
	}
	return &Harness{Server: srv, ad: ad, acct: networks.Account{
		ID: "conformance", Network: linkedin.Network, Handle: author, BaseURL: srv.URL(),
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret, TokenType: "Bearer"}),
	}}
}

// Adapter returns the adapter under test.
func (h *Harness) Adapter() networks.Adapter { return h.ad }

// LinkedIn returns the adapter under test with its own methods.
func (h *Harness) LinkedIn() *linkedin.Adapter { return h.ad }

// Account returns the connected account.
func (h *Harness) Account() networks.Account { return h.acct }

// Script makes the next request answer as f says, with LinkedIn's bodies:
// 500, 429 (no Retry-After: LinkedIn documents none), 401
// EXPIRED_ACCESS_TOKEN, 422, 422 DUPLICATE_POST, or a lost answer.
func (h *Harness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(Fault{Status: 500, Message: "Internal Server Error"})
	case networktest.RateLimited:
		h.Server.Script(Fault{Status: 429, Code: "TOO_MANY_REQUESTS", Message: "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."})
	case networktest.ExpiredToken:
		h.Server.Script(Fault{ExpireToken: true})
	case networktest.Rejected:
		h.Server.Script(Fault{Status: 422, Code: "INVALID_FIELD", Message: f.Reason})
	case networktest.Duplicate:
		h.Server.Script(Fault{Status: 422, Code: "DUPLICATE_POST", Message: "Content is a duplicate of urn:li:share:7141138937766391808"})
	case networktest.LostResponse:
		h.Server.Script(Fault{Lost: true})
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
		out[i] = networks.Receipt{Network: linkedin.Network, AccountID: h.acct.ID, ID: networks.RemoteID(p.ID), Status: networks.StatusPublished}
	}
	return out
}

var _ networktest.Harness = (*Harness)(nil)
