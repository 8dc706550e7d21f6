package apikittest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/networktest"
)

var now = time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)

// TestFaultsFor: each networktest fault becomes the answers listed for
// it, with the suite's wait and reason put where the network says them;
// an unlisted fault cannot be produced.
func TestFaultsFor(t *testing.T) {
	fs := apikittest.Faults{
		ServerError:  []apikittest.Fault{{Status: 503, Code: "busy"}},
		RateLimited:  []apikittest.Fault{{}, {Status: 429, Code: "slow"}},
		ExpiredToken: []apikittest.Fault{{ExpireToken: true}},
		Rejected:     []apikittest.Fault{{}, {Status: 400, Code: "bad", Message: "replaced"}},
		LostResponse: []apikittest.Fault{{}, {Lost: true}, {Lost: true}},
	}
	wait := 42 * time.Second
	for _, c := range []struct {
		name string
		fs   apikittest.Faults
		f    networktest.Fault
		want []apikittest.Fault
	}{
		{"server error", fs, networktest.Fault{Kind: networktest.ServerError}, []apikittest.Fault{{Status: 503, Code: "busy"}}},
		{"rate limited: Retry-After on the 429 only", fs, networktest.Fault{Kind: networktest.RateLimited, RetryAfter: wait},
			[]apikittest.Fault{{}, {Status: 429, Code: "slow", RetryAfter: wait}}},
		{"rate limited: a reset time", withWait(fs, apikittest.WaitReset), networktest.Fault{Kind: networktest.RateLimited, RetryAfter: wait},
			[]apikittest.Fault{{}, {Status: 429, Code: "slow", Reset: now.Add(wait)}}},
		{"rate limited: unsaid", withWait(fs, apikittest.WaitUnsaid), networktest.Fault{Kind: networktest.RateLimited, RetryAfter: wait},
			[]apikittest.Fault{{}, {Status: 429, Code: "slow"}}},
		{"expired token", fs, networktest.Fault{Kind: networktest.ExpiredToken}, []apikittest.Fault{{ExpireToken: true}}},
		{"rejected: the reason on the refusal only", fs, networktest.Fault{Kind: networktest.Rejected, Reason: "title too long"},
			[]apikittest.Fault{{}, {Status: 400, Code: "bad", Message: "title too long"}}},
		{"lost response", fs, networktest.Fault{Kind: networktest.LostResponse}, []apikittest.Fault{{}, {Lost: true}, {Lost: true}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := c.fs.For(c.f, now)
			require.True(t, ok)
			assert.Equal(t, c.want, got)
		})
	}
	for _, k := range []networktest.FaultKind{networktest.Duplicate, "no such kind"} {
		got, ok := fs.For(networktest.Fault{Kind: k}, now)
		assert.False(t, ok, "%s is not listed", k)
		assert.Nil(t, got)
	}
	got, _ := fs.For(networktest.Fault{Kind: networktest.Rejected, Reason: "x"}, now)
	got[1].Code = "changed"
	assert.Equal(t, "bad", fs.Rejected[1].Code, "For copies the list: the harness's table is never changed")
	assert.Equal(t, "replaced", fs.Rejected[1].Message)
}

func withWait(fs apikittest.Faults, w apikittest.Wait) apikittest.Faults {
	fs.RateLimitWait = w
	return fs
}

// recorder is a Fake that keeps what was scripted.
type recorder struct{ got [][]apikittest.Fault }

func (r *recorder) Script(f ...apikittest.Fault) { r.got = append(r.got, f) }
func (r *recorder) Now() time.Time               { return now }

type nopAdapter struct{ networks.Adapter }

// TestHarness: the embedded harness scripts the fake, lists its posts as
// the account's published receipts and gives the fake's clock.
func TestHarness(t *testing.T) {
	rec := &recorder{}
	ids := []string{"p1", "p2"}
	ad := nopAdapter{}
	h := &apikittest.Harness{
		Ad: ad, Acct: apikittest.Account("fake", "me"), Fake: rec,
		Faults:  apikittest.Faults{LostResponse: []apikittest.Fault{{Lost: true}}, RateLimited: []apikittest.Fault{{Status: 429}}, RateLimitWait: apikittest.WaitReset},
		PostIDs: func() []string { return ids },
	}
	var _ networktest.Harness = h
	assert.Equal(t, networks.Adapter(ad), h.Adapter())

	acct := h.Account()
	assert.Equal(t, "conformance", acct.ID)
	assert.Equal(t, "fake", acct.Network)
	assert.Equal(t, "me", acct.Handle)
	tok, err := acct.Tokens.Token()
	require.NoError(t, err)
	assert.Equal(t, networktest.Secret, tok.AccessToken, "the suite's secret, so it can look for leaks")

	assert.True(t, h.Script(networktest.Fault{Kind: networktest.LostResponse}))
	assert.True(t, h.Script(networktest.Fault{Kind: networktest.RateLimited, RetryAfter: time.Minute}))
	assert.False(t, h.Script(networktest.Fault{Kind: networktest.ServerError}), "not listed: skipped")
	assert.Equal(t, [][]apikittest.Fault{{{Lost: true}}, {{Status: 429, Reset: now.Add(time.Minute)}}}, rec.got, "nothing scripted for a fault the fake cannot produce")

	assert.Equal(t, []networks.Receipt{
		{Network: "fake", AccountID: "conformance", ID: "p1", Status: networks.StatusPublished},
		{Network: "fake", AccountID: "conformance", ID: "p2", Status: networks.StatusPublished},
	}, h.Posts())
	assert.Equal(t, now, h.Now())
}

// TestIDs keeps the order and the length, empty included.
func TestIDs(t *testing.T) {
	type post struct{ ID string }
	id := func(p post) string { return p.ID }
	assert.Equal(t, []string{"b", "a", "b"}, apikittest.IDs([]post{{"b"}, {"a"}, {"b"}}, id))
	assert.Equal(t, []string{}, apikittest.IDs([]post(nil), id))
}
