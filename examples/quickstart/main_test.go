package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartRuns(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Contains(t, out.String(), "leo  post.publish_now  in bakery/bakery-li  no: outside the membership's channel or network scope")
	assert.Contains(t, out.String(), `is the last owner of workspace "bakery"`)
}
