package mastodon

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/text"
)

// Software is the server implementation behind an instance, as
// [FetchInstance] detects it. Servers differ in how they count a status's
// length and whether they honour Idempotency-Key.
type Software string

// The implementations the adapter tells apart.
const (
	// SoftwareMastodon: Mastodon itself, and any server not recognised as
	// another. Length is counted in grapheme clusters with every URL as 23
	// ([text.Mastodon]); Idempotency-Key is honoured for an hour.
	SoftwareMastodon Software = "mastodon"
	// SoftwareGoToSocial: GoToSocial (https://docs.gotosocial.org/), which
	// implements Mastodon's client API. It counts the code points of the
	// status and its content warning, URLs at full length (its reported
	// characters_reserved_per_url is not applied), and ignores
	// Idempotency-Key.
	SoftwareGoToSocial Software = "gotosocial"
)

// Instance is what the adapter knows of an instance: its software and the
// configuration (limits) it reports.
type Instance struct {
	Software      Software                       `json:"software"`
	Version       string                         `json:"version,omitempty"`
	Configuration networks.MastodonConfiguration `json:"configuration"`
}

// instanceJSON is the part of GET /api/v2/instance and GET /api/v1/instance
// the adapter reads (https://docs.joinmastodon.org/entities/Instance/,
// https://docs.joinmastodon.org/entities/V1_Instance/). max_toot_chars is
// the length limit of servers that predate "configuration" in v1.
type instanceJSON struct {
	Version       string                         `json:"version"`
	SourceURL     string                         `json:"source_url"`
	MaxTootChars  int                            `json:"max_toot_chars"`
	Configuration networks.MastodonConfiguration `json:"configuration"`
}

// FetchInstance reads an instance's software and limits from GET
// /api/v2/instance (https://docs.joinmastodon.org/methods/instance/#v2), a
// public endpoint, falling back to GET /api/v1/instance
// (https://docs.joinmastodon.org/methods/instance/#v1) when the server
// does not have v2 (404 or 410). GoToSocial is recognised by its
// source_url or version (its v2 reports source_url
// https://codeberg.org/superseriousbusiness/gotosocial). Pass the result to
// [WithInstance], or use [NewForInstance].
func FetchInstance(ctx context.Context, hc *http.Client, instanceURL string) (Instance, error) {
	a, _ := New(hc)
	var out instanceJSON
	_, err := a.do(ctx, instanceURL, request{method: http.MethodGet, path: "/api/v2/instance", op: "instance"}, &out)
	var nf *networks.NotFoundError
	if errors.As(err, &nf) {
		out = instanceJSON{}
		_, err = a.do(ctx, instanceURL, request{method: http.MethodGet, path: "/api/v1/instance", op: "instance"}, &out)
	}
	if err != nil {
		return Instance{}, err
	}
	in := Instance{Software: SoftwareMastodon, Version: out.Version, Configuration: out.Configuration}
	if in.Configuration.Statuses.MaxCharacters == 0 {
		in.Configuration.Statuses.MaxCharacters = out.MaxTootChars
	}
	if strings.Contains(strings.ToLower(out.SourceURL+" "+out.Version), "gotosocial") {
		in.Software = SoftwareGoToSocial
	}
	return in, nil
}

// FetchConfiguration reads an instance's limits as [FetchInstance] does
// (GET /api/v2/instance, falling back to v1): characters per status,
// attachments, media sizes and types, alt-text and poll limits. Pass the
// result to [WithConfiguration]; prefer [FetchInstance] and
// [WithInstance], which also learn how the server counts.
func FetchConfiguration(ctx context.Context, hc *http.Client, instanceURL string) (networks.MastodonConfiguration, error) {
	in, err := FetchInstance(ctx, hc, instanceURL)
	return in.Configuration, err
}

// WithInstance sets the instance's software and limits, as [FetchInstance]
// reads them: Spec then reports that server's limits and way of counting.
func WithInstance(in Instance) Option {
	return func(a *Adapter) error {
		switch in.Software {
		case SoftwareMastodon, SoftwareGoToSocial:
		case "":
			in.Software = SoftwareMastodon
		default:
			return &networks.FieldError{Network: Network, Field: "instance.software", Value: string(in.Software), Reason: "not mastodon or gotosocial"}
		}
		a.cfg, a.software = in.Configuration, in.Software
		return nil
	}
}

// NewForInstance reads the instance at instanceURL with [FetchInstance]
// and returns an Adapter whose Spec is that instance's (options after it
// may override). This is the usual way to create an adapter: limits come
// from the server, never from constants.
func NewForInstance(ctx context.Context, hc *http.Client, instanceURL string, opts ...Option) (*Adapter, error) {
	in, err := FetchInstance(ctx, hc, instanceURL)
	if err != nil {
		return nil, err
	}
	return New(hc, append([]Option{WithInstance(in)}, opts...)...)
}

// spec returns the Spec of the configured instance: [networks.MastodonSpec]
// of its configuration, counted as its software counts, with the room the
// marker tag takes ([MarkerTag]) kept free.
func (a *Adapter) spec() networks.Spec {
	s := networks.MastodonSpec(a.cfg)
	if a.software == SoftwareGoToSocial {
		s.Name = "Mastodon (GoToSocial)"
		s.Text.Method = text.CodePoints
		s.Sources = append(s.Sources, "https://docs.gotosocial.org/en/latest/api/ratelimiting/")
	}
	s.Text.MaxLength -= markerCost(s.Text.Method)
	return s
}
