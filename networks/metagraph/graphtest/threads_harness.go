package graphtest

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/threads"
)

// ThreadsUser is the Threads user id of the harness's account.
const ThreadsUser = "27000000000000001"

// ThreadsHarness connects the networktest conformance suite to a
// [threads.Adapter] publishing to a fresh [ThreadsServer]. It implements
// networktest.Harness and networktest.Drafter.
type ThreadsHarness struct {
	Server *ThreadsServer
	ad     *threads.Adapter
	acct   networks.Account
}

// NewThreadsHarness starts a ThreadsServer with one account whose token is
// networktest.Secret, and closes it when t ends.
func NewThreadsHarness(t testing.TB, o ThreadsOptions, opts ...threads.Option) *ThreadsHarness {
	t.Helper()
	srv := NewThreadsServer(o)
	t.Cleanup(srv.Close)
	srv.IssueToken(networktest.Secret, ThreadsUser, time.Time{})
	ad, err := threads.New(srv.Client(), append([]threads.Option{threads.WithBaseURL(srv.URL()), threads.WithClock(srv.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("graphtest: %v", err)
	}
	return &ThreadsHarness{Server: srv, ad: ad, acct: networks.Account{ID: ThreadsUser, Network: threads.Network, Handle: "conformance",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret})}}
}

// Adapter returns the adapter under test.
func (h *ThreadsHarness) Adapter() networks.Adapter { return h.ad }

// Threads returns the adapter under test with its Threads-only methods.
func (h *ThreadsHarness) Threads() *threads.Adapter { return h.ad }

// Account returns the connected account.
func (h *ThreadsHarness) Account() networks.Account { return h.acct }

// Draft returns a text post, distinct for each n.
func (h *ThreadsHarness) Draft(n int) networks.Draft {
	return networks.Draft{Text: fmt.Sprintf("networktest post %d #socialflow", n)}
}

// Script makes the next call answer as f says: throttling is code 17 with
// estimated_time_to_regain_access, an expired token code 190/463, a
// rejection code 100 on container creation, a lost response drops the
// answer of threads_publish, and a 5xx is code 2 on the first call.
// Threads documents no duplicate-content error, so Duplicate is not
// scripted.
func (h *ThreadsHarness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(Fault{Status: 503, Code: 2, Message: "Service temporarily unavailable"})
	case networktest.RateLimited:
		h.Server.Script(Fault{Status: 400, Code: 17, Message: "User request limit reached", RegainAccess: f.RetryAfter})
	case networktest.ExpiredToken:
		h.Server.Script(Fault{ExpireToken: true})
	case networktest.Rejected:
		h.Server.Script(Fault{Path: "/threads", Status: 400, Code: 100, Message: f.Reason})
	case networktest.LostResponse:
		h.Server.Script(Fault{Path: "/threads_publish", Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the live posts and replies.
func (h *ThreadsHarness) Posts() []networks.Receipt {
	var out []networks.Receipt
	for _, p := range h.Server.Posts() {
		out = append(out, networks.Receipt{Network: threads.Network, AccountID: h.acct.ID, ID: networks.RemoteID(p.ID), Status: networks.StatusPublished})
	}
	return out
}

var (
	_ networktest.Harness = (*ThreadsHarness)(nil)
	_ networktest.Drafter = (*ThreadsHarness)(nil)
)
