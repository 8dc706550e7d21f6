package apikit

import (
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// ApplyOptions runs an adapter's functional options on v in order, skipping
// nil ones, and returns the first error: the loop every adapter's New runs.
func ApplyOptions[T any, O ~func(*T) error](v *T, opts []O) error {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(v); err != nil {
			return err
		}
	}
	return nil
}

// BaseURL checks the base URL an adapter's WithBaseURL option takes (a
// fake's, a proxy's): it must be an absolute http(s) URL. It returns base
// without a trailing slash, or a *networks.FieldError naming the network,
// the field base_url and the value.
func BaseURL(network, base string) (string, error) {
	if _, ok := JoinURL(base, "/", nil); !ok {
		return "", &networks.FieldError{Network: network, Field: "base_url", Value: base, Reason: "not an absolute http(s) URL"}
	}
	return strings.TrimSuffix(base, "/"), nil
}

// Clock checks the clock an adapter's WithClock option takes: nil is a
// *networks.FieldError naming the network and the field clock.
func Clock(network string, now func() time.Time) error {
	if now == nil {
		return &networks.FieldError{Network: network, Field: "clock", Reason: "required, not nil"}
	}
	return nil
}
