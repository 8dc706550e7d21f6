package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/bluesky/blueskytest"
)

func TestRunPublishesThreadWithImage(t *testing.T) {
	srv := blueskytest.NewServer()
	defer srv.Close()
	srv.CreateAccount("demo.test", "demo-pass")
	var out bytes.Buffer
	err := run(t.Context(), &out, srv.Client(), config{pds: srv.URL(), handle: "demo.test", password: "demo-pass"})
	require.NoError(t, err)
	recs := srv.Records()
	require.Len(t, recs, 3)
	assert.Contains(t, recs[0].Value, "embed")
	assert.Contains(t, out.String(), "published 3 posts")
	assert.Contains(t, out.String(), recs[0].URI)

	require.Error(t, run(t.Context(), &out, srv.Client(), config{pds: srv.URL()}))
}
