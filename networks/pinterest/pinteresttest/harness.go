package pinteresttest

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
	"github.com/socialflow/socialflow/networks/pinterest"
)

// Harness connects the networktest conformance suite to a
// [pinterest.Adapter] publishing to a fresh [Server]. It implements
// networktest.Harness (through the embedded [apikittest.Harness]) and
// networktest.Drafter.
type Harness struct {
	apikittest.Harness
	Server *Server
	ad     *pinterest.Adapter
}

// NewHarness starts a Server and an adapter pointed at it, on the server's
// clock, pinning to the server's first board; the server closes when t
// ends.
func NewHarness(t testing.TB, opts ...pinterest.Option) *Harness {
	return NewHarnessWith(t, Config{}, opts...)
}

// NewHarnessWith is [NewHarness] with the server configured by c (c.Token
// is set to networktest.Secret).
func NewHarnessWith(t testing.TB, c Config, opts ...pinterest.Option) *Harness {
	t.Helper()
	c.Token = networktest.Secret
	srv := New(c)
	t.Cleanup(srv.Close)
	acct := apikittest.Account(pinterest.Network, "fakeuser")
	ad, err := pinterest.New(srv.Client(), append([]pinterest.Option{pinterest.WithBaseURL(srv.APIURL()), pinterest.WithClock(srv.Now),
		pinterest.WithDestinations(pinterest.DestinationMap{acct.ID: {Board: srv.Board()}})}, opts...)...)
	if err != nil {
		t.Fatalf("pinteresttest: %v", err)
	}
	return &Harness{Server: srv, ad: ad, Harness: apikittest.Harness{
		Ad: ad, Acct: acct, Fake: srv, Faults: faults,
		PostIDs: func() []string { return apikittest.IDs(srv.Pins(), func(p Pin) string { return p.ID }) },
	}}
}

// Pinterest returns the adapter under test as its own type.
func (h *Harness) Pinterest() *pinterest.Adapter { return h.ad }

// Image returns an image item with a public URL.
func Image(n int) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: 2048, Width: 1000, Height: 1500},
		URL: fmt.Sprintf("https://cdn.example.com/img/%d.jpg", n)}
}

// ImageBytes returns an image item given by its bytes (a PNG of size
// bytes, content repeated n).
func ImageBytes(n, size int) networks.MediaItem {
	data := bytes.Repeat([]byte{byte(n)}, size)
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/png", Size: int64(size), Width: 1000, Height: 1500},
		Open: func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

// Video returns a video item whose bytes are n repeated.
func Video(n, size int) networks.MediaItem {
	data := bytes.Repeat([]byte{byte(n)}, size)
	return networks.MediaItem{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: int64(size), Width: 1080, Height: 1920, Duration: 30 * time.Second},
		Open:  func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

// Draft returns the n-th draft: a title, a description, a link and an
// image by URL.
func (h *Harness) Draft(n int) networks.Draft {
	return networks.Draft{Title: fmt.Sprintf("networktest pin %d", n), Text: fmt.Sprintf("a description %d", n),
		Link: "https://example.com/post", Media: []networks.MediaItem{Image(n)}}
}

// faults are Pinterest's answers to networktest's faults. An image pin's
// publish sends POST /v5/pins first (a 5xx is then settled by listing the
// board, which answers normally). Pinterest documents no duplicate-content
// error, so networktest.Duplicate is not scripted.
var faults = apikittest.Faults{
	ServerError:  []apikittest.Fault{{Status: 503, Code: "503", Message: "Service Unavailable"}},
	RateLimited:  []apikittest.Fault{{Status: 429, Code: "8", Message: "This request exceeded a rate limit."}},
	ExpiredToken: []apikittest.Fault{{ExpireToken: true}},
	Rejected:     []apikittest.Fault{{Status: 400, Code: "1"}},
	LostResponse: []apikittest.Fault{{Lost: true}},
}

var (
	_ networktest.Harness = (*Harness)(nil)
	_ networktest.Drafter = (*Harness)(nil)
)
