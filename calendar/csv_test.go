package calendar_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
)

const goodCSV = `id,workspace,channel,network,at,zone,status,title,labels,campaign,assets,link
p1,acme,x-acme,x,2026-03-02T09:00:00+01:00,Europe/Oslo,scheduled,"Hello, world",promo|spring,spring,img-1,https://example.com/a
p2,acme,li-acme,linkedin,2026-03-08 02:30,America/New_York,draft,"Two
lines",,,,
`

func TestImportExportCSV(t *testing.T) {
	c := calendar.New()
	res, err := c.ImportCSV(strings.NewReader(goodCSV), calendar.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"p1", "p2"}, res.Added)
	p1, ok := c.Get("p1")
	require.True(t, ok)
	assert.True(t, utc(2026, 3, 2, 8, 0).Equal(p1.At))
	assert.Equal(t, []string{"promo", "spring"}, p1.Labels)
	assert.Equal(t, "Hello, world", p1.Title)
	p2, _ := c.Get("p2")
	assert.True(t, utc(2026, 3, 8, 7, 30).Equal(p2.At), "local 02:30 in the New York gap is 03:30 EDT: %v", p2.At)
	assert.Equal(t, "Two\nlines", p2.Title)

	all, err := c.Entries(calendar.Query{})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, calendar.ExportCSV(&buf, all))
	back := calendar.New()
	_, err = back.ImportCSV(&buf, calendar.ImportOptions{})
	require.NoError(t, err)
	again, err := back.Entries(calendar.Query{})
	require.NoError(t, err)
	require.Len(t, again, len(all))
	for i := range all {
		assert.True(t, all[i].At.Equal(again[i].At))
		again[i].At = all[i].At
	}
	assert.Equal(t, all, again, "export then import round-trips")

	bad := calendar.Entry{ID: "x", Workspace: "w", Channel: "c", At: utc(2026, 1, 1, 0, 0), Zone: "UTC", Status: calendar.StatusDraft, Labels: []string{"a|b"}}
	require.ErrorIs(t, calendar.ExportCSV(&bytes.Buffer{}, []calendar.Entry{bad}), socialflow.ErrInvalid)
}

func TestImportCSVRowErrors(t *testing.T) {
	const file = `id,workspace,channel,at,zone,status,title
ok1,acme,x,2026-03-02T09:00:00Z,UTC,draft,fine
bad-zone,acme,x,2026-03-02T09:00:00Z,Europe/Atlantis,draft,x
ok2,acme,x,2026-03-02T10:00:00Z,UTC,draft,"spans
two lines"
bad-time,acme,x,yesterday,UTC,draft,x
ok1,acme,x,2026-03-02T11:00:00Z,UTC,draft,duplicate id
bad-status,acme,x,2026-03-02T09:00:00Z,UTC,done,x
short,acme
extra,acme,x,2026-03-02T12:00:00Z,UTC,draft,Hello, world
`
	type rowWant struct {
		line  int
		kind  error
		field string
	}
	want := []rowWant{
		{3, socialflow.ErrInvalid, "zone"},
		{6, socialflow.ErrInvalid, "at"},
		{7, socialflow.ErrConflict, ""},
		{8, socialflow.ErrInvalid, "status"},
		{9, socialflow.ErrInvalid, "fields"},
		{10, socialflow.ErrInvalid, "fields"}, // an unquoted comma is not silently cut
	}
	check := func(t *testing.T, rows []*calendar.RowError) {
		require.Len(t, rows, len(want))
		for i, w := range want {
			assert.Equal(t, w.line, rows[i].Line, "row %d", i)
			assert.ErrorIs(t, rows[i], w.kind, "line %d", w.line)
			var ie *calendar.InvalidError
			if w.field != "" && assert.ErrorAs(t, rows[i], &ie, "line %d", w.line) {
				assert.Equal(t, w.field, ie.Field, "line %d", w.line)
			}
		}
	}

	t.Run("all or nothing", func(t *testing.T) {
		c := calendar.New()
		_, err := c.ImportCSV(strings.NewReader(file), calendar.ImportOptions{})
		require.ErrorIs(t, err, socialflow.ErrInvalid)
		var ie *calendar.ImportError
		require.ErrorAs(t, err, &ie)
		check(t, ie.Rows)
		assert.Equal(t, 0, c.Len(), "nothing imported")
	})
	t.Run("partial", func(t *testing.T) {
		c := calendar.New()
		res, err := c.ImportCSV(strings.NewReader(file), calendar.ImportOptions{Partial: true})
		require.NoError(t, err)
		assert.Equal(t, []string{"ok1", "ok2"}, res.Added)
		check(t, res.Errors)
		assert.Equal(t, 2, c.Len())
	})
	t.Run("ID already in the calendar", func(t *testing.T) {
		c := calendar.New()
		require.NoError(t, c.Add(entry("ok1", utc(2026, 1, 1, 0, 0))))
		_, err := c.ImportCSV(strings.NewReader("id,workspace,channel,at,zone,status\nok1,acme,x,2026-03-02T09:00:00Z,UTC,draft\n"), calendar.ImportOptions{})
		require.ErrorIs(t, err, socialflow.ErrConflict)
		var re *calendar.RowError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, 2, re.Line)
	})
	for _, tt := range []struct{ name, file string }{
		{"empty file", ""},
		{"unknown column", "id,workspace,channel,at,zone,status,colour\n"},
		{"missing column", "id,workspace,channel,at,status\n"},
		{"bare quote", "id,workspace,channel,at,zone,status\nx,acme,x,2026-03-02T09:00:00Z,UTC,dr\"aft\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := calendar.New()
			_, err := c.ImportCSV(strings.NewReader(tt.file), calendar.ImportOptions{})
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var ie *calendar.ImportError
			require.ErrorAs(t, err, &ie)
			require.NotEmpty(t, ie.Rows)
			assert.Positive(t, ie.Rows[0].Line)
			assert.Equal(t, 0, c.Len())
		})
	}
}

// go test -fuzz=^FuzzImportCSV$ -fuzztime=30s ./calendar
func FuzzImportCSV(f *testing.F) {
	f.Add(goodCSV)
	f.Add("id,workspace,channel,at,zone,status\nx,acme,x,2026-03-02T09:00:00Z,UTC,draft\n")
	f.Add("id,workspace,channel,at,zone,status\n\"x,acme\n")
	f.Fuzz(func(t *testing.T, file string) {
		c := calendar.New()
		res, err := c.ImportCSV(strings.NewReader(file), calendar.ImportOptions{})
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			if c.Len() != 0 {
				t.Fatalf("failed import changed the calendar")
			}
			return
		}
		if c.Len() != len(res.Added) {
			t.Fatalf("added %d, calendar holds %d", len(res.Added), c.Len())
		}
		all, _ := c.Entries(calendar.Query{})
		var buf bytes.Buffer
		if err := calendar.ExportCSV(&buf, all); err != nil {
			return // a label with "|" cannot be exported
		}
		back := calendar.New()
		if _, err := back.ImportCSV(&buf, calendar.ImportOptions{}); err != nil {
			t.Fatalf("re-import of export failed: %v", err)
		}
		if back.Len() != c.Len() {
			t.Fatalf("round trip lost entries")
		}
		_ = time.UTC
	})
}
