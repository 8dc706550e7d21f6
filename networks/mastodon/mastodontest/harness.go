package mastodontest

import (
	"testing"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/networktest"
)

// Harness connects the networktest conformance suite to a
// [mastodon.Adapter] publishing to a fresh [Server]. It implements
// networktest.Harness.
type Harness struct {
	Server *Server
	ad     *mastodon.Adapter
	acct   networks.Account
}

// NewHarness starts a Server, issues a token with [mastodon.Scopes] and
// closes the server when t ends.
//
//	networktest.Run(t, func(t *testing.T) networktest.Harness { return mastodontest.NewHarness(t) })
func NewHarness(t testing.TB, opts ...mastodon.Option) *Harness {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	ad, err := mastodon.New(srv.Client(), append([]mastodon.Option{mastodon.WithConfiguration(srv.Configuration())}, opts...)...)
	if err != nil {
		t.Fatalf("mastodontest: %v", err)
	}
	return newHarness(srv, ad)
}

// NewGoToSocialHarness is [NewHarness] against a Server
// [WithGoToSocial], with the adapter made by [mastodon.NewForInstance], so
// its Spec is the one the instance reports.
func NewGoToSocialHarness(t testing.TB, opts ...mastodon.Option) *Harness {
	t.Helper()
	srv := NewServer(WithGoToSocial())
	t.Cleanup(srv.Close)
	ad, err := mastodon.NewForInstance(t.Context(), srv.Client(), srv.URL(), opts...)
	if err != nil {
		t.Fatalf("mastodontest: %v", err)
	}
	return newHarness(srv, ad)
}

// newHarness connects ad to srv with a token of [mastodon.Scopes].
func newHarness(srv *Server, ad *mastodon.Adapter) *Harness {
	tok := srv.IssueToken(mastodon.Scopes...)
	return &Harness{Server: srv, ad: ad, acct: networks.Account{
		ID: "conformance", Network: mastodon.Network, Handle: "@conformance", BaseURL: srv.URL(),
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"}),
	}}
}

// Adapter returns the adapter under test.
func (h *Harness) Adapter() networks.Adapter { return h.ad }

// Account returns the connected account.
func (h *Harness) Account() networks.Account { return h.acct }

// Script makes the next request answer as f says. Mastodon answers a
// repeated Idempotency-Key with the original status rather than an error,
// so networktest.Duplicate is not scripted; an expired token is a 401
// (Mastodon tokens are revoked, never expired).
func (h *Harness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(Fault{Status: 503, Error: "Service Unavailable"})
	case networktest.RateLimited:
		h.Server.Script(Fault{Status: 429, Error: "Too many requests", Reset: h.Server.now().Add(f.RetryAfter)})
	case networktest.ExpiredToken:
		h.Server.Script(Fault{Status: 401, Error: "The access token is invalid"})
	case networktest.Rejected:
		h.Server.Script(Fault{Status: 422, Error: "Validation failed: " + f.Reason}) // 400 on GoToSocial
	case networktest.LostResponse:
		h.Server.Script(Fault{Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the statuses of the server's account.
func (h *Harness) Posts() []networks.Receipt {
	var out []networks.Receipt
	for _, st := range h.Server.Statuses() {
		if st.Author == "" {
			out = append(out, networks.Receipt{Network: mastodon.Network, AccountID: h.acct.ID, ID: networks.RemoteID(st.ID), Status: networks.StatusPublished})
		}
	}
	return out
}

// Arrive has another account mention the account or reply to its status
// to (networktest.Inbox).
func (h *Harness) Arrive(t *testing.T, kind networks.ItemKind, to networks.RemoteID, text string) bool {
	a := Arrival{From: "networktest", Text: text, To: string(to)}
	switch kind {
	case networks.ItemReply:
		a.Kind = "reply"
	case networks.ItemMention:
		a.Kind = "mention"
	case networks.ItemMessage:
		a.Kind = "direct"
	default:
		return false
	}
	if _, err := h.Server.Arrive(a); err != nil {
		t.Fatalf("mastodontest: %v", err)
	}
	return true
}

// Replies returns the account's statuses answering id (networktest.Inbox).
func (h *Harness) Replies(_ *testing.T, id networks.RemoteID) []networks.RemoteID {
	var out []networks.RemoteID
	for _, st := range h.Server.Replies(string(id)) {
		out = append(out, networks.RemoteID(st.ID))
	}
	return out
}

var (
	_ networktest.Harness = (*Harness)(nil)
	_ networktest.Inbox   = (*Harness)(nil)
)
