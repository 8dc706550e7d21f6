package graphtest

import (
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/networktest"
)

// conformance is what the Instagram, Threads and Facebook harnesses share:
// embedded in each, it implements networktest.Harness from the adapter,
// the account, the product's answers to each networktest fault and the
// ids of the live posts.
type conformance struct {
	ad   networks.Adapter
	acct networks.Account
	// script queues answers on the harness's server.
	script func(f ...Fault)
	// faults is the answer to each fault the product can produce; a
	// RateLimited answer is given the suite's wait as RegainAccess
	// (estimated_time_to_regain_access), a Rejected one the suite's reason.
	faults map[networktest.FaultKind]Fault
	ids    func() []string
}

// graphFaults are the answers every Graph API product shares: a 5xx is
// code 2 on the first call, an expired token code 190/463. throttle is the
// product's rate-limit error (code 17 for a user, 32 for a Page); more
// adds the product's own.
func graphFaults(throttle Fault, more map[networktest.FaultKind]Fault) map[networktest.FaultKind]Fault {
	fs := map[networktest.FaultKind]Fault{
		networktest.ServerError:  {Status: 503, Code: 2, Message: "Service temporarily unavailable"},
		networktest.RateLimited:  throttle,
		networktest.ExpiredToken: {ExpireToken: true},
	}
	for k, f := range more {
		fs[k] = f
	}
	return fs
}

// account is a harness's account id on network, with networktest.Secret
// as its static token.
func account(id, network string) networks.Account {
	return networks.Account{ID: id, Network: network, Handle: "conformance",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret})}
}

// Adapter returns the adapter under test.
func (h *conformance) Adapter() networks.Adapter { return h.ad }

// Account returns the connected account.
func (h *conformance) Account() networks.Account { return h.acct }

// Script makes the next call answer as f says (see the harness's type for
// its product's answers), and reports false for a fault the product does
// not document.
func (h *conformance) Script(f networktest.Fault) bool {
	a, ok := h.faults[f.Kind]
	if !ok {
		return false
	}
	switch f.Kind {
	case networktest.RateLimited:
		a.RegainAccess = f.RetryAfter
	case networktest.Rejected:
		a.Message = f.Reason
	}
	h.script(a)
	return true
}

// Posts returns the live posts, as published receipts of the account.
func (h *conformance) Posts() []networks.Receipt { return apikittest.Receipts(h.acct, h.ids()) }
