package networktest_test

import (
	"fmt"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/networks/networktest"
)

// fakeHarness connects the suite to fakenet, as a real adapter's harness
// connects it to an httptest server.
type fakeHarness struct {
	net  *fakenet.Net
	acct networks.Account
}

func newFakeHarness() *fakeHarness {
	n := fakenet.New(fakenet.Options{})
	// Give the account the suite's secret so it can look for leaks.
	acct := n.ConnectToken("suite", &oauth2.Token{AccessToken: networktest.Secret})
	return &fakeHarness{net: n, acct: acct}
}

func (h *fakeHarness) Adapter() networks.Adapter { return h.net.Adapter() }
func (h *fakeHarness) Account() networks.Account { return h.acct }

func (h *fakeHarness) Script(f networktest.Fault) bool {
	m := map[networktest.FaultKind]fakenet.Fault{
		networktest.ServerError:  fakenet.ServerError(),
		networktest.RateLimited:  fakenet.RateLimited(f.RetryAfter),
		networktest.ExpiredToken: fakenet.ExpiredToken(),
		networktest.Rejected:     fakenet.Rejected(f.Reason),
		networktest.Duplicate:    fakenet.DuplicateContent(),
		networktest.LostResponse: fakenet.LostResponse(),
	}
	ff, ok := m[f.Kind]
	if ok {
		h.net.Script(ff)
	}
	return ok
}

func (h *fakeHarness) Posts() []networks.Receipt {
	var out []networks.Receipt
	for _, p := range h.net.Posts() {
		out = append(out, networks.Receipt{ID: p.ID, Marker: p.Marker, Status: networks.StatusPublished})
	}
	return out
}

// Example shows a Harness. In a test, hand it to the suite:
//
//	func TestConformance(t *testing.T) {
//		networktest.Run(t, func(*testing.T) networktest.Harness { return newFakeHarness() })
//	}
func Example() {
	var h networktest.Harness = newFakeHarness()
	fmt.Println(h.Script(networktest.Fault{Kind: networktest.ServerError}))
	fmt.Println(h.Script(networktest.Fault{Kind: "carrier_pigeon_lost"}))
	fmt.Println(h.Adapter().Spec().Network, len(h.Posts()))
	// Output:
	// true
	// false
	// fakenet 0
}
