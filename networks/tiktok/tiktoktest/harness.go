package tiktoktest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/networktest"
	"github.com/socialflow/socialflow/networks/tiktok"
)

// Harness connects the networktest conformance suite to a [tiktok.Adapter]
// publishing to a fresh [Server]. It implements networktest.Harness and
// networktest.Drafter.
type Harness struct {
	Server *Server
	ad     *tiktok.Adapter
	acct   networks.Account
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
	return &Harness{Server: srv, ad: ad, acct: networks.Account{
		ID: "conformance", Network: tiktok.Network, Handle: "fakecreator",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret}),
	}}
}

// Adapter returns the adapter under test.
func (h *Harness) Adapter() networks.Adapter { return h.ad }

// TikTok returns the adapter under test as its own type.
func (h *Harness) TikTok() *tiktok.Adapter { return h.ad }

// Account returns the creator's account.
func (h *Harness) Account() networks.Account { return h.acct }

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

// Script makes the publish answer as f says. A publish sends
// creator_info/query, video/init, the PUT of the file and a status read;
// a lost response loses the PUT's answer and the status read's, so the
// adapter cannot learn the outcome. TikTok has no duplicate-content error,
// so networktest.Duplicate is not scripted.
func (h *Harness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(apikittest.Fault{Status: 500, Code: "internal_error", Message: "Something is wrong on TikTok's side."})
	case networktest.RateLimited:
		h.Server.Script(apikittest.Fault{Status: 429, Code: "rate_limit_exceeded", Message: "API rate limit was exceeded.", RetryAfter: f.RetryAfter})
	case networktest.ExpiredToken:
		h.Server.Script(apikittest.Fault{ExpireToken: true})
	case networktest.Rejected:
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{Status: 400, Code: "invalid_params", Message: f.Reason})
	case networktest.LostResponse:
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{}, apikittest.Fault{Lost: true}, apikittest.Fault{Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the posts the server holds whole.
func (h *Harness) Posts() []networks.Receipt {
	ps := h.Server.Posts()
	out := make([]networks.Receipt, len(ps))
	for i, p := range ps {
		out[i] = networks.Receipt{Network: tiktok.Network, AccountID: h.acct.ID, ID: networks.RemoteID(p.ID), Status: networks.StatusPublished}
	}
	return out
}

// Now returns the server's clock reading.
func (h *Harness) Now() time.Time { return h.Server.Now() }

var (
	_ networktest.Harness = (*Harness)(nil)
	_ networktest.Drafter = (*Harness)(nil)
)
