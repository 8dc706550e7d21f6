package linkedintest

import (
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
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
// networktest.Harness through the embedded [apikittest.Harness].
type Harness struct {
	apikittest.Harness
	Server *Server
	ad     *linkedin.Adapter
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
	acct := apikittest.Account(linkedin.Network, author)
	acct.BaseURL = srv.URL()
	acct.Tokens = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret, TokenType: "Bearer"})
	return &Harness{Server: srv, ad: ad, Harness: apikittest.Harness{
		Ad: ad, Acct: acct, Fake: srv, Faults: faults,
		PostIDs: func() []string { return apikittest.IDs(srv.Posts(), func(p Post) string { return p.ID }) },
	}}
}

// LinkedIn returns the adapter under test with its own methods.
func (h *Harness) LinkedIn() *linkedin.Adapter { return h.ad }

// faults are LinkedIn's answers to networktest's faults: 500, 429 (no
// Retry-After: LinkedIn documents none, so the suite's wait is not sent),
// 401 EXPIRED_ACCESS_TOKEN, 422, 422 DUPLICATE_POST, or a lost answer.
var faults = apikittest.Faults{
	ServerError:   []Fault{{Status: 500, Message: "Internal Server Error"}},
	RateLimited:   []Fault{{Status: 429, Code: "TOO_MANY_REQUESTS", Message: "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}},
	RateLimitWait: apikittest.WaitUnsaid,
	ExpiredToken:  []Fault{{ExpireToken: true}},
	Rejected:      []Fault{{Status: 422, Code: "INVALID_FIELD"}},
	Duplicate:     []Fault{{Status: 422, Code: "DUPLICATE_POST", Message: "Content is a duplicate of urn:li:share:7141138937766391808"}},
	LostResponse:  []Fault{{Lost: true}},
}

var _ networktest.Harness = (*Harness)(nil)
