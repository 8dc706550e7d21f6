package mastodon_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow/networks/mastodon"
)

func TestErrorsBoundEchoedValues(t *testing.T) {
	huge := strings.Repeat("x", 100_000)
	for name, err := range map[string]error{
		"APIError":    &mastodon.APIError{Method: "POST", Path: "/api/v1/statuses/" + huge, Status: 422, Message: huge},
		"ThreadError": &mastodon.ThreadError{Failed: 1, Err: &mastodon.APIError{Method: "POST", Path: huge, Status: 500, Message: huge}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.LessOrEqual(t, len(err.Error()), 2000)
			assert.Contains(t, err.Error(), "…")
		})
	}
}
