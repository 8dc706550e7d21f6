package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	var out1, out2 bytes.Buffer
	require.NoError(t, run(&out1, filepath.Join(dir, "a.ics")))
	require.NoError(t, run(&out2, filepath.Join(dir, "b.ics")))
	a, err := os.ReadFile(filepath.Join(dir, "a.ics"))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(dir, "b.ics"))
	require.NoError(t, err)
	assert.Equal(t, a, b, "same iCalendar file on every run")
	assert.Equal(t, out1.String(), strings.ReplaceAll(out2.String(), "b.ics", "a.ics"), "same printout on every run")

	text := out1.String()
	assert.Contains(t, text, "March 2026: 50 posts on 2 channels, 0 rule violations")
	assert.Contains(t, text, "Sun 29 Mar  (23h)", "Oslo's spring-forward day")
	assert.Contains(t, text, "13:30 CET = 08:30 EDT New York", "New York moved its clocks three weeks earlier")
	assert.True(t, bytes.HasPrefix(a, []byte("BEGIN:VCALENDAR\r\n")))
	assert.Equal(t, 50+2, bytes.Count(a, []byte("BEGIN:VEVENT\r\n")), "posts and events")
}
