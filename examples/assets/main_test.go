package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(t.Context(), &a))
	require.NoError(t, run(t.Context(), &b))
	assert.Equal(t, a.String(), b.String())
	assert.Contains(t, a.String(), "as_004 Summer teaser        video     video/mp4  1080x1920 aspect 0.56 duration 21.5s")
	assert.Contains(t, a.String(), `as_001 "Beach at dawn" expires 2026-03-12, but post-2 on ig-brand is scheduled 2026-03-22`)
}
