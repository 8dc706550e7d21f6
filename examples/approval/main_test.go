package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(&a))
	require.NoError(t, run(&b))
	assert.Equal(t, a.String(), b.String())
	for _, want := range []string{
		"not_required", "changes_requested", "rejected", "expired",
		"approved version 1 by lea, gc",
		"auto-approved when stage \"client\" expired",
		"sponsored content",
		"used twice:",
		"x then instagram: policy legal+team (multi_level), stages editor, legal",
		"instagram then x: policy legal+team (multi_level), stages editor, legal",
	} {
		assert.Contains(t, a.String(), want)
	}
}
