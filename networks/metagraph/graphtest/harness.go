package graphtest

import (
	"fmt"
	"testing"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/instagram"
	"github.com/socialflow/socialflow/networks/networktest"
)

// InstagramUser is the Instagram user id of the harness's account.
const InstagramUser = "17841400000000001"

// InstagramHarness connects the networktest conformance suite to an
// [instagram.Adapter] publishing to a fresh [Server]. It implements
// networktest.Harness and networktest.Drafter. Its faults: throttling is
// code 17 with estimated_time_to_regain_access, an expired token code
// 190/463, a rejection code 100 on container creation, a duplicate code
// 506 on media_publish, a lost response drops the answer of media_publish,
// and a 5xx is code 2 on the first call.
type InstagramHarness struct {
	conformance
	Server *Server
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
	return &InstagramHarness{Server: srv, conformance: conformance{
		ad: ad, acct: account(InstagramUser, instagram.Network), script: srv.Script,
		faults: graphFaults(Fault{Status: 400, Code: 17, Message: "User request limit reached"}, map[networktest.FaultKind]Fault{
			networktest.Rejected:     {Path: "/media", Status: 400, Code: 100},
			networktest.Duplicate:    {Path: "/media_publish", Status: 400, Code: 506, Message: "Duplicate status message"},
			networktest.LostResponse: {Path: "/media_publish", Lost: true},
		}),
		ids: func() []string { return apikittest.IDs(srv.Media(), func(m Media) string { return m.ID }) },
	}}
}

// Draft returns a square JPEG post, distinct for each n.
func (h *InstagramHarness) Draft(n int) networks.Draft {
	return networks.Draft{Text: fmt.Sprintf("networktest post %d #socialflow", n), Media: []networks.MediaItem{{
		Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 200_000, Width: 1080, Height: 1080},
		URL:   fmt.Sprintf("https://cdn.example.com/networktest-%d.jpg", n),
	}}}
}

var (
	_ networktest.Harness = (*InstagramHarness)(nil)
	_ networktest.Drafter = (*InstagramHarness)(nil)
)
