package bluesky_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow/networks/bluesky"
)

func TestErrorsBoundEchoedValues(t *testing.T) {
	huge := strings.Repeat("x", 100_000)
	for name, err := range map[string]error{
		"XRPCError":   &bluesky.XRPCError{NSID: huge, Status: 400, Name: huge, Message: huge},
		"ConfigError": &bluesky.ConfigError{Field: "rkey", Value: huge, Reason: "bad"},
		"FacetError":  &bluesky.FacetError{Start: 1, End: 2, Len: 3, Reason: huge},
		"ThreadError": &bluesky.ThreadError{Failed: 1, Err: &bluesky.XRPCError{NSID: "x", Status: 500, Message: huge}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.LessOrEqual(t, len(err.Error()), 2000)
			assert.Contains(t, err.Error(), "…")
		})
	}
}
