package graphtest

import (
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/networktest"
)

// The harness's Facebook user, Page, Page token and app.
const (
	FacebookUser      = "10000000000000001"
	FacebookPage      = "100200300400500"
	FacebookPageToken = "page-tok-SECRET"
	FacebookApp       = "555000111"
	FacebookAppSecret = "app-secret-SECRET"
)

// FacebookHarness connects the networktest conformance suite to a
// [facebook.Adapter] publishing to a Page of a fresh [Server]: the
// account's token is the user token networktest.Secret, from which the
// adapter derives the Page token. It implements networktest.Harness.
type FacebookHarness struct {
	Server *Server
	ad     *facebook.Adapter
	acct   networks.Account
}

// NewFacebookHarness starts a Server with one user managing one Page, and
// closes it when t ends.
func NewFacebookHarness(t testing.TB, o Options, opts ...facebook.Option) *FacebookHarness {
	t.Helper()
	srv := NewServer(o)
	t.Cleanup(srv.Close)
	srv.AddApp(FacebookApp, FacebookAppSecret)
	srv.IssueToken(networktest.Secret, FacebookUser, time.Time{})
	srv.AddPage(FacebookUser, FacebookPage, "Conformance Bakery", FacebookPageToken)
	ad, err := facebook.New(srv.Client(), append([]facebook.Option{facebook.WithBaseURL(srv.URL()), facebook.WithClock(srv.Now),
		facebook.WithAppID(FacebookApp)}, opts...)...)
	if err != nil {
		t.Fatalf("graphtest: %v", err)
	}
	return &FacebookHarness{Server: srv, ad: ad, acct: networks.Account{ID: FacebookPage, Network: facebook.Network, Handle: "conformance",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret})}}
}

// Adapter returns the adapter under test.
func (h *FacebookHarness) Adapter() networks.Adapter { return h.ad }

// Facebook returns the adapter under test with its own methods.
func (h *FacebookHarness) Facebook() *facebook.Adapter { return h.ad }

// Account returns the connected account.
func (h *FacebookHarness) Account() networks.Account { return h.acct }

// Script makes the next call answer as f says: a 5xx is code 2,
// throttling code 32 with estimated_time_to_regain_access, an expired
// token code 190/463, a rejection code 100 on the feed, a duplicate code
// 506, and a lost response drops the answer of POST /{page-id}/feed.
func (h *FacebookHarness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(Fault{Status: 503, Code: 2, Message: "Service temporarily unavailable"})
	case networktest.RateLimited:
		h.Server.Script(Fault{Status: 400, Code: 32, Message: "Page request limit reached", RegainAccess: f.RetryAfter})
	case networktest.ExpiredToken:
		h.Server.Script(Fault{ExpireToken: true})
	case networktest.Rejected:
		h.Server.Script(Fault{Path: "/feed", Status: 400, Code: 100, Message: f.Reason})
	case networktest.Duplicate:
		h.Server.Script(Fault{Path: "/feed", Status: 400, Code: 506, Message: "(#506) Duplicate status message"})
	case networktest.LostResponse:
		h.Server.Script(Fault{Path: "/feed", Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the Page's live posts.
func (h *FacebookHarness) Posts() []networks.Receipt {
	var out []networks.Receipt
	for _, p := range h.Server.PagePosts(FacebookPage) {
		out = append(out, networks.Receipt{Network: facebook.Network, AccountID: h.acct.ID, ID: networks.RemoteID(p.ID), Status: networks.StatusPublished})
	}
	return out
}

var _ networktest.Harness = (*FacebookHarness)(nil)

// WithAccountToken makes the account's token tok (FacebookPageToken for an
// adapter built with facebook.WithTokenKind(facebook.PageTokens)) and
// returns h.
func (h *FacebookHarness) WithAccountToken(tok string) *FacebookHarness {
	h.acct.Tokens = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
	return h
}
