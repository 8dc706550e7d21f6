package apikittest

import (
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/networktest"
)

// Fake is what a [Harness] needs of a network's fake built on the kit: a
// [Server], or a network's fake that embeds or delegates to one.
type Fake interface {
	// Script queues answers for the next requests, as [Server.Script].
	Script(f ...Fault)
	// Now is the fake's clock reading.
	Now() time.Time
}

// Faults says how a fake answers each of networktest's faults: for each
// kind, the answers to script for the requests of one publish, in order (a
// zero Fault answers that request normally). A nil list is a fault the
// fake cannot produce: [Harness.Script] reports false and the suite skips
// the case.
type Faults struct {
	ServerError []Fault
	// RateLimited: each answer with Status 429 is given the suite's wait
	// as RateLimitWait says.
	RateLimited   []Fault
	RateLimitWait Wait
	ExpiredToken  []Fault
	// Rejected: each answer with a Status of 400 or more is given the
	// suite's reason as its Message.
	Rejected     []Fault
	Duplicate    []Fault
	LostResponse []Fault
}

// Wait is how a fake's 429 tells the client when to retry.
type Wait int

const (
	// WaitRetryAfter sends the wait as a Retry-After header (RFC 9110
	// §10.2.3): Fault.RetryAfter.
	WaitRetryAfter Wait = iota
	// WaitReset says when the window opens again: Fault.Reset, now on the
	// fake's clock plus the wait (X's x-rate-limit-reset).
	WaitReset
	// WaitUnsaid says nothing of when to retry, for a network that
	// documents no such header (LinkedIn).
	WaitUnsaid
)

// For returns the answers that produce f on a fake whose clock reads now,
// and false when the fake cannot produce it.
func (fs Faults) For(f networktest.Fault, now time.Time) ([]Fault, bool) {
	var tmpl []Fault
	switch f.Kind {
	case networktest.ServerError:
		tmpl = fs.ServerError
	case networktest.RateLimited:
		tmpl = fs.RateLimited
	case networktest.ExpiredToken:
		tmpl = fs.ExpiredToken
	case networktest.Rejected:
		tmpl = fs.Rejected
	case networktest.Duplicate:
		tmpl = fs.Duplicate
	case networktest.LostResponse:
		tmpl = fs.LostResponse
	}
	if tmpl == nil {
		return nil, false
	}
	out := append([]Fault(nil), tmpl...)
	for i := range out {
		switch {
		case f.Kind == networktest.RateLimited && out[i].Status == 429 && fs.RateLimitWait == WaitReset:
			out[i].Reset = now.Add(f.RetryAfter)
		case f.Kind == networktest.RateLimited && out[i].Status == 429 && fs.RateLimitWait == WaitRetryAfter:
			out[i].RetryAfter = f.RetryAfter
		case f.Kind == networktest.Rejected && out[i].Status >= 400:
			out[i].Message = f.Reason
		}
	}
	return out, true
}

// Harness is what the networktest harnesses of the fakes built on the kit
// share: embedded in a network's harness (which adds its typed adapter,
// drafts and knobs), it implements [networktest.Harness] from the adapter,
// the account, the fake's [Faults] and the ids of the posts the fake
// holds, and gives the fake's clock as Now. Its fields are set once, when
// the network's harness is built.
type Harness struct {
	Ad     networks.Adapter
	Acct   networks.Account
	Fake   Fake
	Faults Faults
	// PostIDs lists the ids of the live posts the fake holds, oldest first.
	PostIDs func() []string
}

// Account returns a networktest account for network: ID "conformance",
// the handle given, and [networktest.Secret] as a static access token, so
// the suite can look for the secret in every error and log line.
func Account(network, handle string) networks.Account {
	return networks.Account{ID: "conformance", Network: network, Handle: handle,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret})}
}

// IDs returns the id of each item, in order: a fake's posts as
// [Harness].PostIDs lists them.
func IDs[T any](items []T, id func(T) string) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	return ids
}

// Adapter returns the adapter under test.
func (h *Harness) Adapter() networks.Adapter { return h.Ad }

// Account returns the connected account.
func (h *Harness) Account() networks.Account { return h.Acct }

// Script queues the answers h.Faults gives for f on the fake, and reports
// false when the fake cannot produce f.
func (h *Harness) Script(f networktest.Fault) bool {
	answers, ok := h.Faults.For(f, h.Fake.Now())
	if ok {
		h.Fake.Script(answers...)
	}
	return ok
}

// Posts returns the posts the fake holds, as published receipts of the
// account.
func (h *Harness) Posts() []networks.Receipt { return Receipts(h.Acct, h.PostIDs()) }

// Receipts returns a published receipt of acct for each id, in order: what
// a networktest harness's Posts reports of the posts its fake holds.
func Receipts(acct networks.Account, ids []string) []networks.Receipt {
	out := make([]networks.Receipt, len(ids))
	for i, id := range ids {
		out[i] = networks.Receipt{Network: acct.Network, AccountID: acct.ID, ID: networks.RemoteID(id), Status: networks.StatusPublished}
	}
	return out
}

// Now returns the fake's clock reading.
func (h *Harness) Now() time.Time { return h.Fake.Now() }

var _ networktest.Harness = (*Harness)(nil)
