package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "time/tzdata"
)

func TestRunIsDeterministic(t *testing.T) {
	var out1, out2 bytes.Buffer
	dir1, dir2 := t.TempDir(), t.TempDir()
	require.NoError(t, run(&out1, dir1, 7))
	require.NoError(t, run(&out2, dir2, 7))
	assert.Equal(t, bytes.ReplaceAll(out1.Bytes(), []byte(dir1), nil), bytes.ReplaceAll(out2.Bytes(), []byte(dir2), nil))
	assert.Contains(t, out1.String(), "acme-mastodon")
	for _, name := range []string{"heatmap.svg", "trend.svg"} {
		b1, err := os.ReadFile(filepath.Join(dir1, name))
		require.NoError(t, err)
		b2, err := os.ReadFile(filepath.Join(dir2, name))
		require.NoError(t, err)
		assert.Equal(t, b1, b2, name)
		dec := xml.NewDecoder(bytes.NewReader(b1))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, name)
		}
	}
}
