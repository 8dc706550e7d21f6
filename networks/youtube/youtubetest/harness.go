package youtubetest

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
	"github.com/socialflow/socialflow/networks/youtube"
)

// Harness connects the networktest conformance suite to a [youtube.Adapter]
// publishing to a fresh [Server]. It implements networktest.Harness and
// networktest.Drafter.
type Harness struct {
	Server *Server
	ad     *youtube.Adapter
	acct   networks.Account
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
	return &Harness{Server: srv, ad: ad, acct: networks.Account{
		ID: "conformance", Network: youtube.Network, Handle: "conformance",
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: networktest.Secret}),
	}}
}

// Adapter returns the adapter under test.
func (h *Harness) Adapter() networks.Adapter { return h.ad }

// YouTube returns the adapter under test as its own type.
func (h *Harness) YouTube() *youtube.Adapter { return h.ad }

// Account returns the channel's account.
func (h *Harness) Account() networks.Account { return h.acct }

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

// Script makes the publish answer as f says. Publishing sends the
// session's POST first, then the file's PUT; a lost response loses the
// PUT's answer and the status query's after it, so the adapter cannot
// learn the outcome. YouTube has no duplicate-content error, so
// networktest.Duplicate is not scripted.
func (h *Harness) Script(f networktest.Fault) bool {
	switch f.Kind {
	case networktest.ServerError:
		h.Server.Script(apikittest.Fault{Status: 503, Code: "backendError", Message: "Backend Error"})
	case networktest.RateLimited:
		h.Server.Script(apikittest.Fault{Status: 429, Code: "rateLimitExceeded", Message: "Rate Limit Exceeded", RetryAfter: f.RetryAfter})
	case networktest.ExpiredToken:
		h.Server.Script(apikittest.Fault{ExpireToken: true})
	case networktest.Rejected:
		h.Server.Script(apikittest.Fault{Status: 400, Code: "invalidTitle", Message: f.Reason})
	case networktest.LostResponse:
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true}, apikittest.Fault{Lost: true})
	default:
		return false
	}
	return true
}

// Posts returns the videos the server holds.
func (h *Harness) Posts() []networks.Receipt {
	vs := h.Server.Videos()
	out := make([]networks.Receipt, len(vs))
	for i, v := range vs {
		out[i] = networks.Receipt{Network: youtube.Network, AccountID: h.acct.ID, ID: networks.RemoteID(v.ID), Status: networks.StatusPublished}
	}
	return out
}

// Now returns the server's clock reading.
func (h *Harness) Now() time.Time { return h.Server.Now() }

var (
	_ networktest.Harness = (*Harness)(nil)
	_ networktest.Drafter = (*Harness)(nil)
)
