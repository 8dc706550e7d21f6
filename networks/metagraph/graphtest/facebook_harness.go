package graphtest

import (
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
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
// adapter derives the Page token. It implements networktest.Harness. Its
// faults: a 5xx is code 2, throttling code 32 with
// estimated_time_to_regain_access, an expired token code 190/463, a
// rejection code 100 on the feed, a duplicate code 506, and a lost
// response drops the answer of POST /{page-id}/feed.
type FacebookHarness struct {
	conformance
	Server *Server
	ad     *facebook.Adapter
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
	return &FacebookHarness{Server: srv, ad: ad, conformance: conformance{
		ad: ad, acct: account(FacebookPage, facebook.Network), script: srv.Script,
		faults: graphFaults(Fault{Status: 400, Code: 32, Message: "Page request limit reached"}, map[networktest.FaultKind]Fault{
			networktest.Rejected:     {Path: "/feed", Status: 400, Code: 100},
			networktest.Duplicate:    {Path: "/feed", Status: 400, Code: 506, Message: "(#506) Duplicate status message"},
			networktest.LostResponse: {Path: "/feed", Lost: true},
		}),
		ids: func() []string {
			return apikittest.IDs(srv.PagePosts(FacebookPage), func(p PagePost) string { return p.ID })
		},
	}}
}

// Facebook returns the adapter under test with its own methods.
func (h *FacebookHarness) Facebook() *facebook.Adapter { return h.ad }

var _ networktest.Harness = (*FacebookHarness)(nil)

// WithAccountToken makes the account's token tok (FacebookPageToken for an
// adapter built with facebook.WithTokenKind(facebook.PageTokens)) and
// returns h.
func (h *FacebookHarness) WithAccountToken(tok string) *FacebookHarness {
	h.acct.Tokens = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
	return h
}
