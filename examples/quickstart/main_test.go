package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartRunsTheMonth(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(&out, dir, 1))
	s := out.String()
	assert.Contains(t, s, "leo  post.publish_now  in bakery/bakery-li  no: outside the membership's channel or network scope")
	assert.Contains(t, s, `is the last owner of workspace "bakery"`)
	assert.Contains(t, s, "hash chain verified")
	assert.Contains(t, s, "duplicates on the networks: 0, rate-limit violations: 0")
	for _, f := range []string{"calendar.ics", "report.csv", "heatmap.svg"} {
		info, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.Positive(t, info.Size(), f)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "heatmap.svg"))
	require.NoError(t, err)
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := d.Token()
		if err != nil {
			require.Equal(t, "EOF", err.Error(), "heatmap.svg is well-formed XML")
			break
		}
	}
	ics, err := os.ReadFile(filepath.Join(dir, "calendar.ics"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(ics), "BEGIN:VCALENDAR\r\n"))
}

func TestQuickstartIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(&a, "", 7))
	require.NoError(t, run(&b, "", 7))
	assert.Equal(t, a.String(), b.String())
}
