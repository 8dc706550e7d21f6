package graphtest

import (
	"fmt"
	"testing"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/threads"
)

// ThreadsUser is the Threads user id of the harness's account.
const ThreadsUser = "27000000000000001"

// ThreadsHarness connects the networktest conformance suite to a
// [threads.Adapter] publishing to a fresh [ThreadsServer]. It implements
// networktest.Harness and networktest.Drafter. Its faults: throttling is
// code 17 with estimated_time_to_regain_access, an expired token code
// 190/463, a rejection code 100 on container creation, a lost response
// drops the answer of threads_publish, and a 5xx is code 2 on the first
// call. Threads documents no duplicate-content error, so Duplicate is not
// scripted.
type ThreadsHarness struct {
	conformance
	Server *ThreadsServer
	ad     *threads.Adapter
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
	return &ThreadsHarness{Server: srv, ad: ad, conformance: conformance{
		ad: ad, acct: account(ThreadsUser, threads.Network), script: srv.Script,
		faults: graphFaults(Fault{Status: 400, Code: 17, Message: "User request limit reached"}, map[networktest.FaultKind]Fault{
			networktest.Rejected:     {Path: "/threads", Status: 400, Code: 100},
			networktest.LostResponse: {Path: "/threads_publish", Lost: true},
		}),
		ids: func() []string { return apikittest.IDs(srv.Posts(), func(p ThreadsPost) string { return p.ID }) },
	}}
}

// Threads returns the adapter under test with its Threads-only methods.
func (h *ThreadsHarness) Threads() *threads.Adapter { return h.ad }

// Draft returns a text post, distinct for each n.
func (h *ThreadsHarness) Draft(n int) networks.Draft {
	return networks.Draft{Text: fmt.Sprintf("networktest post %d #socialflow", n)}
}

var (
	_ networktest.Harness = (*ThreadsHarness)(nil)
	_ networktest.Drafter = (*ThreadsHarness)(nil)
)
