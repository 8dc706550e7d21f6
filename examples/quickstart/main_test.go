package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
)

func TestQuickstartRunsTheMonth(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(&out, dir, 1, ""))
	s := out.String()
	assert.Contains(t, s, "leo  post.publish_now  in bakery/bakery-li  no: outside the membership's channel or network scope")
	assert.Contains(t, s, `is the last owner of workspace "bakery"`)
	assert.Contains(t, s, "hash chain verified")
	assert.Contains(t, s, "duplicates on the networks: 0, rate-limit violations: 0")
	// The inbox's week: the scripted moments and the report.
	assert.Contains(t, s, `kim, starting her shift, opens it too: workflow: conversation`)
	assert.Contains(t, s, `is claimed by "cam" since 2026-03-10T14:45:00Z`)
	assert.Contains(t, s, "surge alert to mia and leo: 5 negative items within 1h0m0s")
	assert.Contains(t, s, "publishing paused")
	assert.Contains(t, s, "leo approves kim's reply (a reply to a complaint needs a manager): queued for the poller")
	assert.Contains(t, s, "kim hands @marte's double charge to customer-service")
	assert.Contains(t, s, "the network's answer is lost, its marker finds it: sent, on the network 1 time(s)")
	assert.Contains(t, s, "cam opens @ingrid's direct message to bakery-ig (assigned to cam by rule:direct messages)")
	assert.Regexp(t, `replies: [1-9]\d* sent, 0 published twice`, s)
	assert.Regexp(t, `bakery-ig +first response \S+ / \S+ +answered`, s)
	for _, f := range []string{"calendar.ics", "report.csv", "heatmap.svg", "inbox.json"} {
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
	var inbox map[string]analytics.InboxReport
	data, err := os.ReadFile(filepath.Join(dir, "inbox.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &inbox))
	require.Contains(t, inbox, "bakery")
	require.Contains(t, inbox, "cycles")
	assert.Positive(t, inbox["bakery"].All.Answered)
	assert.True(t, inbox["bakery"].All.FirstMedian.OK)
	ics, err := os.ReadFile(filepath.Join(dir, "calendar.ics"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(ics), "BEGIN:VCALENDAR\r\n"))
}

func TestQuickstartIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(&a, "", 7, ""))
	require.NoError(t, run(&b, "", 7, ""))
	assert.Equal(t, a.String(), b.String())
}

// envPostgres names the PostgreSQL database the pgstore run uses, as in
// workflow/pgstore's tests.
const envPostgres = "SOCIALFLOW_POSTGRES_URL"

// TestQuickstartOnPostgresPrintsTheSameMonth runs the month on pgstore (a
// fresh schema, migrated explicitly, dropped at the end) and on memstore:
// the reports are the same, byte for byte, and the schema is gone after.
// Without a database it skips saying how to get one; under CI it fails.
func TestQuickstartOnPostgresPrintsTheSameMonth(t *testing.T) {
	url := os.Getenv(envPostgres)
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal(envPostgres + " is not set under CI: .ci/run sets it")
		}
		t.Skip("set " + envPostgres + "=postgres://postgres@127.0.0.1:5432/test to run the month on PostgreSQL too (bash .ci/postgres/start.sh starts a throwaway server)")
	}
	dir := t.TempDir()
	files := func() map[string]string {
		got := map[string]string{}
		for _, f := range []string{"calendar.ics", "report.csv", "heatmap.svg", "inbox.json"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			require.NoError(t, err)
			got[f] = string(b)
		}
		return got
	}
	var mem, pg bytes.Buffer
	require.NoError(t, run(&mem, dir, defaultSeed, ""))
	memFiles := files()
	require.NoError(t, run(&pg, dir, defaultSeed, url))
	assert.Equal(t, mem.String(), pg.String(), "the same report")
	assert.Equal(t, memFiles, files(), "the same calendar, CSV report, heatmap and inbox measures")

	pool, err := pgxpool.New(t.Context(), url)
	require.NoError(t, err)
	defer pool.Close()
	var left int
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'quickstart\_%'`).Scan(&left))
	assert.Zero(t, left, "every run drops its schema")
}

func TestQuickstartRefusesAnUnreachableDatabase(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, t.TempDir(), defaultSeed, "postgres://postgres:pw-secret@127.0.0.1:1/none?connect_timeout=2")
	require.Error(t, err)
	require.ErrorIs(t, err, socialflow.ErrTransient)
	assert.NotContains(t, err.Error(), "pw-secret")
}
