package graphtest

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/instagram"
	"github.com/socialflow/socialflow/networks/networktest"
)

// InstagramUser is the Instagram user id of the harness's account.
const InstagramUser = "17841400000000001"

// InstagramHarness connects the networktest conformance suite to an
// [instagram.Adapter] publishing to a fresh [Server]. It implements
// networktest.Harness and networktest.Drafter.
type InstagramHarness struct {
	Server *Server
	ad     *instagram.Adapter
	acct   networks.Account
}

// NewInstagramHarness starts a Server with one account whose token is
// networktest.Secret, and closes it when t ends.
func NewInstagramHarness(t testing.TB, o Options, opts ...instagram.Option) *InstagramHarness {
	t.Helper()
	srv := NewServer(o)
	t.Cleanup(srv.Close)
	srv.IssueToken(networktest.Secret, InstagramUser, time.Time{})
	ad, err := instagram.New(srv.Client(), append([]instagram.Option{instagram.WithBaseURL(srv.URL()), instagram.WithClock(srv.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("graphtest: %v", err)
	}
	return &InstagramHarness{Server: srv, ad: ad, acct: networks.Account{ID: InstagramUser, Network: instagram.Network, Handle: "conformance",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret})}}
}

// Adapter returns the adapter under test.
func (h *InstagramHarness) Adapter() networks.Adapter { return h.ad }

// Account returns the connected account.
func (h *InstagramHarness) Account() networks.Account { return h.acct }

// Draft returns a square JPEG post, distinct for each n.
func (h *InstagramHarness) Draft(n int) networks.Draft {
	return networks.Draft{Text: fmt.Sprintf("networktest post %d #socialflow", n), Media: []networks.MediaItem{{
		Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 200_000, Width: 1080, Height: 1080},
		URL:   fmt.Sprintf("https://cdn.example.com/networktest-%d.jpg", n),
	}}}
}

// Script makes the next call answer as f says: throttling is code 17 with
// estimated_time_to_regain_access, an expired token code 190/463, a
// rejection code 100, a duplicate code 506, and a lost response drops the
// answer of media_publish. A 5xx is code 2 on the first call.
func (h *InstagramHarness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(Fault{Status: 503, Code: 2, Message: "Service temporarily unavailable"})
	case networktest.RateLimited:
		h.Server.Script(Fault{Status: 400, Code: 17, Message: "User request limit reached", RegainAccess: f.RetryAfter})
	case networktest.ExpiredToken:
		h.Server.Script(Fault{ExpireToken: true})
	case networktest.Rejected:
		h.Server.Script(Fault{Path: "/media", Status: 400, Code: 100, Message: f.Reason})
	case networktest.Duplicate:
		h.Server.Script(Fault{Path: "/media_publish", Status: 400, Code: 506, Message: "Duplicate status message"})
	case networktest.LostResponse:
		h.Server.Script(Fault{Path: "/media_publish", Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the live media.
func (h *InstagramHarness) Posts() []networks.Receipt {
	var out []networks.Receipt
	for _, m := range h.Server.Media() {
		out = append(out, networks.Receipt{Network: instagram.Network, AccountID: h.acct.ID, ID: networks.RemoteID(m.ID), Status: networks.StatusPublished})
	}
	return out
}

var (
	_ networktest.Harness = (*InstagramHarness)(nil)
	_ networktest.Drafter = (*InstagramHarness)(nil)
)
