package fakenet_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/analytics"
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

func (h *harness) Arrive(t *testing.T, kind networks.ItemKind, to networks.RemoteID, text string) bool {
	_, err := h.net.Arrive(fakenet.Arrival{Account: h.acct.ID, Kind: kind, From: "networktest-author", To: to, Text: text})
	require.NoError(t, err)
	return true
}

func (h *harness) Replies(_ *testing.T, id networks.RemoteID) []networks.RemoteID {
	var out []networks.RemoteID
	for _, p := range h.net.Replies(id) {
		if !p.Deleted {
			out = append(out, p.ID)
		}
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

func TestClockAndMetricsModel(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	n := fakenet.New(fakenet.Options{
		Now: func() time.Time { return now },
		Metrics: func(p fakenet.Post, at time.Time) analytics.Snapshot {
			var s analytics.Snapshot
			s.Counters.Set(analytics.Reach, int64(at.Sub(p.At)/time.Minute))
			return s
		},
	})
	acct := n.Account()
	r, err := n.Adapter().Publish(t.Context(), acct, networks.Draft{Text: "hi", Marker: "m1"})
	require.NoError(t, err)
	assert.Equal(t, now, r.At, "the network's clock stamps the post")
	now = now.Add(90 * time.Minute)
	s, err := n.Adapter().Metrics(t.Context(), acct, r.ID)
	require.NoError(t, err)
	reach, ok := s.Counters.Get(analytics.Reach)
	assert.True(t, ok)
	assert.Equal(t, int64(90), reach)
	assert.Equal(t, string(r.ID), s.Target)
	_, has := s.Counters.Get(analytics.Impressions)
	assert.False(t, has, "the model decides which metrics exist")
}
