package youtubetest

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
	"github.com/socialflow/socialflow/networks/youtube"
)

// Harness connects the networktest conformance suite to a [youtube.Adapter]
// publishing to a fresh [Server]. It implements networktest.Harness (through
// the embedded [apikittest.Harness]) and networktest.Drafter.
type Harness struct {
	apikittest.Harness
	Server *Server
	ad     *youtube.Adapter
}

// NewHarness starts a Server and an adapter pointed at it, on the server's
// clock; the server closes when t ends.
func NewHarness(t testing.TB, opts ...youtube.Option) *Harness {
	t.Helper()
	srv := NewServer(networktest.Secret)
	t.Cleanup(srv.Close)
	ad, err := youtube.New(srv.Client(), append([]youtube.Option{youtube.WithBaseURL(srv.URL()), youtube.WithClock(srv.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("youtubetest: %v", err)
	}
	return &Harness{Server: srv, ad: ad, Harness: apikittest.Harness{
		Ad: ad, Acct: apikittest.Account(youtube.Network, "conformance"), Fake: srv, Faults: faults,
		PostIDs: func() []string { return apikittest.IDs(srv.Videos(), func(p Video) string { return p.ID }) },
	}}
}

// YouTube returns the adapter under test as its own type.
func (h *Harness) YouTube() *youtube.Adapter { return h.ad }

// SmallVideo returns a small video item whose bytes are n repeated.
func SmallVideo(n int, size int) networks.MediaItem {
	data := bytes.Repeat([]byte{byte(n)}, size)
	return networks.MediaItem{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: int64(size), Width: 1280, Height: 720, Duration: time.Minute},
		Open:  func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

// Draft returns the n-th draft: a title, a description and a 4 KiB video.
func (h *Harness) Draft(n int) networks.Draft {
	return networks.Draft{Title: fmt.Sprintf("networktest video %d", n), Text: "a description", Media: []networks.MediaItem{SmallVideo(n, 4096)}}
}

// faults are YouTube's answers to networktest's faults. Publishing sends
// the session's POST first, then the file's PUT; a lost response loses the
// PUT's answer and the status query's after it, so the adapter cannot
// learn the outcome. YouTube has no duplicate-content error, so
// networktest.Duplicate is not scripted.
var faults = apikittest.Faults{
	ServerError:  []apikittest.Fault{{Status: 503, Code: "backendError", Message: "Backend Error"}},
	RateLimited:  []apikittest.Fault{{Status: 429, Code: "rateLimitExceeded", Message: "Rate Limit Exceeded"}},
	ExpiredToken: []apikittest.Fault{{ExpireToken: true}},
	Rejected:     []apikittest.Fault{{Status: 400, Code: "invalidTitle"}},
	LostResponse: []apikittest.Fault{{}, {Lost: true}, {Lost: true}},
}

var (
	_ networktest.Harness = (*Harness)(nil)
	_ networktest.Drafter = (*Harness)(nil)
)
