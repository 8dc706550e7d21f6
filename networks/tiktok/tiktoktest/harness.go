package tiktoktest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/tiktok"
)

// Harness connects the networktest conformance suite to a [tiktok.Adapter]
// publishing to a fresh [Server]. It implements networktest.Harness
// (through the embedded [apikittest.Harness]) and networktest.Drafter.
type Harness struct {
	apikittest.Harness
	Server *Server
	ad     *tiktok.Adapter
}

// NewHarness starts a Server and an adapter pointed at it, on the server's
// clock; the server closes when t ends.
func NewHarness(t testing.TB, opts ...tiktok.Option) *Harness {
	t.Helper()
	srv := NewServer(networktest.Secret)
	t.Cleanup(srv.Close)
	ad, err := tiktok.New(srv.Client(), append([]tiktok.Option{tiktok.WithBaseURL(srv.URL()), tiktok.WithClock(srv.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("tiktoktest: %v", err)
	}
	return &Harness{Server: srv, ad: ad, Harness: apikittest.Harness{
		Ad: ad, Acct: apikittest.Account(tiktok.Network, "fakecreator"), Fake: srv, Faults: faults,
		PostIDs: func() []string { return apikittest.IDs(srv.Posts(), func(p Post) string { return p.ID }) },
	}}
}

// TikTok returns the adapter under test as its own type.
func (h *Harness) TikTok() *tiktok.Adapter { return h.ad }

// SmallVideo returns a video item of size bytes, each n, a minute long.
func SmallVideo(n int, size int) networks.MediaItem {
	data := bytes.Repeat([]byte{byte(n)}, size)
	return networks.MediaItem{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: int64(size), Width: 1080, Height: 1920, Duration: time.Minute},
		Open:  func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

// Draft returns the n-th draft: a caption and a 4 KiB video.
func (h *Harness) Draft(n int) networks.Draft {
	return networks.Draft{Text: fmt.Sprintf("networktest video %d #fyp", n), Media: []networks.MediaItem{SmallVideo(n, 4096)}}
}

// faults are TikTok's answers to networktest's faults. A publish sends
// creator_info/query, video/init, the PUT of the file and a status read;
// a lost response loses the PUT's answer and the status read's, so the
// adapter cannot learn the outcome. TikTok has no duplicate-content error,
// so networktest.Duplicate is not scripted.
var faults = apikittest.Faults{
	ServerError:  []apikittest.Fault{{Status: 500, Code: "internal_error", Message: "Something is wrong on TikTok's side."}},
	RateLimited:  []apikittest.Fault{{Status: 429, Code: "rate_limit_exceeded", Message: "API rate limit was exceeded."}},
	ExpiredToken: []apikittest.Fault{{ExpireToken: true}},
	Rejected:     []apikittest.Fault{{}, {Status: 400, Code: "invalid_params"}},
	LostResponse: []apikittest.Fault{{}, {}, {Lost: true}, {Lost: true}},
}

var (
	_ networktest.Harness = (*Harness)(nil)
	_ networktest.Drafter = (*Harness)(nil)
)
