package fakenet_test

import (
	"testing"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/networks/networktest"
)

type harness struct {
	net  *fakenet.Net
	acct networks.Account
}

func (h *harness) Adapter() networks.Adapter { return h.net.Adapter() }
func (h *harness) Account() networks.Account { return h.acct }

func (h *harness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.net.Script(fakenet.ServerError())
	case networktest.RateLimited:
		h.net.Script(fakenet.RateLimited(f.RetryAfter))
	case networktest.ExpiredToken:
		h.net.Script(fakenet.ExpiredToken())
	case networktest.Rejected:
		h.net.Script(fakenet.Rejected(f.Reason))
	case networktest.Duplicate:
		h.net.Script(fakenet.DuplicateContent())
	case networktest.LostResponse:
		h.net.Script(fakenet.LostResponse())
	default:
		return false
	}
	return true
}

func (h *harness) Posts() []networks.Receipt {
	var out []networks.Receipt
	for _, p := range h.net.Posts() {
		out = append(out, networks.Receipt{ID: p.ID, AccountID: p.AccountID, Marker: p.Marker, Status: networks.StatusPublished})
	}
	return out
}

func TestConformance(t *testing.T) {
	networktest.Run(t, func(t *testing.T) networktest.Harness {
		n := fakenet.New(fakenet.Options{})
		acct := n.ConnectToken("conformance", &oauth2.Token{AccessToken: networktest.Secret, RefreshToken: networktest.Secret + "-refresh"})
		return &harness{net: n, acct: acct}
	})
}

func TestTokenStoreConformance(t *testing.T) {
	networktest.RunTokenStore(t, func(*testing.T) networks.TokenStore { return networks.NewMemTokenStore() })
}
