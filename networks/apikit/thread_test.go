package apikit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

func TestThreadError(t *testing.T) {
	cause := &networks.TransientError{Network: "x", Op: networks.OpPublish, Err: errors.New(strings.Repeat("y", 10_000))}
	for _, tt := range []struct {
		name   string
		err    *apikit.ThreadError
		prefix string
	}{
		{"with network", &apikit.ThreadError{Network: "x", Published: []networks.RemoteID{"1"}, Failed: 1, Err: cause}, "x: thread part 1 failed after 1 part(s)"},
		{"without network", &apikit.ThreadError{Failed: 2, Err: cause}, "thread part 2 failed after 0 part(s)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.True(t, strings.HasPrefix(tt.err.Error(), tt.prefix), tt.err.Error())
			assert.LessOrEqual(t, len(tt.err.Error()), 1200, "the cause is bounded")
			assert.ErrorIs(t, tt.err, socialflow.ErrTransient, "its kind is its cause's")
		})
	}
}
