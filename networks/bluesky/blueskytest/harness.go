package blueskytest

import (
	"context"
	"strings"
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
	did    string // the account's
	other  string // the DID of the account that replies and mentions
}

// NewHarness starts a Server [WithAppView] with one account, logs in
// through the adapter and closes the server when t ends.
//
//	networktest.Run(t, func(t *testing.T) networktest.Harness { return blueskytest.NewHarness(t) })
func NewHarness(t testing.TB, opts ...bluesky.Option) *Harness {
	t.Helper()
	srv := NewServer(WithAppView())
	t.Cleanup(srv.Close)
	me := srv.CreateAccount("conformance.test", "app-password")
	other := srv.CreateAccount("networktest-other.test", "other-password")
	ad, err := bluesky.New(srv.Client(), opts...)
	if err != nil {
		t.Fatalf("blueskytest: %v", err)
	}
	tok, err := ad.Login(context.Background(), srv.URL(), "conformance.test", "app-password")
	if err != nil {
		t.Fatalf("blueskytest: login: %v", err)
	}
	return &Harness{Server: srv, ad: ad, did: me.DID, other: other.DID, acct: networks.Account{
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

// Posts returns the posts of the harness's account.
func (h *Harness) Posts() []networks.Receipt {
	var out []networks.Receipt
	for _, r := range h.Server.Records() {
		if strings.HasPrefix(r.URI, "at://"+h.did+"/") {
			out = append(out, networks.Receipt{Network: bluesky.Network, AccountID: h.acct.ID, ID: networks.RemoteID(r.URI), Status: networks.StatusPublished})
		}
	}
	return out
}

// Arrive has a second account reply to the post to or mention the
// account (networktest.Inbox).
func (h *Harness) Arrive(t *testing.T, kind networks.ItemKind, to networks.RemoteID, text string) bool {
	switch kind {
	case networks.ItemReply:
		var parent *Record
		for _, r := range h.Server.Records() {
			if r.URI == string(to) {
				parent = &r
			}
		}
		if parent == nil {
			t.Fatalf("blueskytest: no post %s to reply to", to)
		}
		ref := map[string]any{"uri": parent.URI, "cid": parent.CID}
		h.Server.Post(h.other, map[string]any{"text": text, "reply": map[string]any{"root": ref, "parent": ref}})
	case networks.ItemMention:
		at := "@conformance.test "
		h.Server.Post(h.other, map[string]any{"text": at + text, "facets": MentionFacet(h.did, len(at)-1)})
	default:
		return false
	}
	return true
}

// Replies returns the account's posts whose reply parent is id
// (networktest.Inbox).
func (h *Harness) Replies(_ *testing.T, id networks.RemoteID) []networks.RemoteID {
	var out []networks.RemoteID
	for _, r := range h.Server.Records() {
		rp, _ := r.Value["reply"].(map[string]any)
		p, _ := rp["parent"].(map[string]any)
		if strings.HasPrefix(r.URI, "at://"+h.did+"/") && p["uri"] == string(id) {
			out = append(out, networks.RemoteID(r.URI))
		}
	}
	return out
}

// Now returns the server's clock reading.
func (h *Harness) Now() time.Time { return h.Server.kit.Now() }

var (
	_ networktest.Harness = (*Harness)(nil)
	_ networktest.Inbox   = (*Harness)(nil)
)
