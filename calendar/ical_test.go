package calendar_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
)

var stamp = time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)

// trickyTitles exercise escaping and folding: separators, line breaks of
// every kind, control characters, and multi-octet runes on fold boundaries.
var trickyTitles = []string{
	"Plain",
	`Comma, semicolon; backslash \ and "quotes"`,
	"CRLF\r\nLF\nCR\rend",
	"tab\tbell\x07nul\x00del\x7f",
	strings.Repeat("a", 73) + "æøå" + strings.Repeat("b", 10), // 2-octet runes across octet 75
	strings.Repeat("x", 72) + "😀😀" + strings.Repeat("é", 40),  // 4-octet runes across the fold
	strings.Repeat("ünïcødé ", 30),
}

// normalizedText is what a TEXT value decodes back to.
func normalizedText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func sampleCalendar(t testing.TB) (*calendar.Calendar, []calendar.Entry, []calendar.Event) {
	oslo := mustZone(t, "Europe/Oslo")
	ny := mustZone(t, "America/New_York")
	c := calendar.New()
	var entries []calendar.Entry
	for i, title := range trickyTitles {
		e := calendar.Entry{ID: "t" + string(rune('a'+i)), Workspace: "acme", Channel: "x-acme", Network: "x",
			At: time.Date(2026, 3, 2+i, 9, 0, 0, 0, oslo), Zone: "Europe/Oslo", Status: calendar.StatusScheduled, Title: title,
			Labels: []string{"promo, spring", "a;b"}, Link: "https://example.com/p?a=1&b=2"}
		entries = append(entries, e)
	}
	// Around the DST changes of three zones.
	entries = append(entries,
		calendar.Entry{ID: "ny-gap", Workspace: "acme", Channel: "li-acme", Network: "linkedin", At: calendar.Resolve(2026, 3, 8, 2, 30, 0, ny),
			Zone: "America/New_York", Status: calendar.StatusApproved, Title: "after the gap"},
		calendar.Entry{ID: "oslo-repeat", Workspace: "acme", Channel: "x-acme", At: calendar.Resolve(2026, 10, 25, 2, 30, 0, oslo),
			Zone: "Europe/Oslo", Status: calendar.StatusDraft, Title: "first 02:30"},
		calendar.Entry{ID: "oslo-repeat-2nd", Workspace: "acme", Channel: "x-acme", At: utc(2026, 10, 25, 1, 30),
			Zone: "Europe/Oslo", Status: calendar.StatusDraft, Title: "second 02:30"},
		calendar.Entry{ID: "lh", Workspace: "acme", Channel: "x-acme", At: utc(2026, 10, 3, 15, 45),
			Zone: "Australia/Lord_Howe", Status: calendar.StatusPublished, Title: "Lord Howe after its 30-minute gap"},
		calendar.Entry{ID: "utc", Workspace: "acme", Channel: "x-acme", At: utc(2026, 3, 20, 12, 0),
			Zone: "UTC", Status: calendar.StatusFailed, Title: ""},
	)
	require.NoError(t, c.AddAll(entries))
	events := []calendar.Event{
		{ID: "cat-day", Workspace: "acme", Kind: calendar.EventObservance, Title: "International Cat Day",
			Start: time.Date(2026, 8, 8, 0, 0, 0, 0, oslo), End: time.Date(2026, 8, 9, 0, 0, 0, 0, oslo), Zone: "Europe/Oslo", RRule: "FREQ=YEARLY"},
		{ID: "standup", Workspace: "acme", Kind: calendar.EventCampaign, Title: "Daily launch window, 02:30",
			Start: time.Date(2026, 3, 6, 2, 30, 0, 0, ny), End: time.Date(2026, 3, 6, 3, 0, 0, 0, ny), Zone: "America/New_York",
			RRule: "FREQ=DAILY;UNTIL=20260310T000000"},
		{ID: "launch", Workspace: "acme", Kind: calendar.EventLaunch, Title: "Launch; v2",
			Start: utc(2026, 4, 1, 10, 0), End: utc(2026, 4, 1, 11, 0), Zone: "Australia/Lord_Howe"},
	}
	for _, ev := range events {
		require.NoError(t, c.AddEvent(ev))
	}
	return c, entries, events
}

func export(t testing.TB, c *calendar.Calendar, opts calendar.ICalOptions) []byte {
	var buf bytes.Buffer
	opts.Stamp = stamp
	require.NoError(t, c.ExportICal(&buf, calendar.Query{Workspace: "acme"}, opts))
	return buf.Bytes()
}

// checkRFC5545Lines checks what lenient parsers do not: CRLF only, at most
// 75 octets per line, no line split inside a UTF-8 sequence.
func checkRFC5545Lines(t *testing.T, data []byte) {
	t.Helper()
	require.True(t, bytes.HasSuffix(data, []byte("\r\n")))
	lines := bytes.Split(data[:len(data)-2], []byte("\r\n"))
	for i, l := range lines {
		require.NotContains(t, string(l), "\r", "line %d has a bare CR", i+1)
		require.NotContains(t, string(l), "\n", "line %d has a bare LF", i+1)
		require.LessOrEqual(t, len(l), 75, "line %d is %d octets: %q", i+1, len(l), l)
		require.True(t, utf8.Valid(l), "line %d splits a UTF-8 sequence: %q", i+1, l)
		for _, b := range l {
			require.False(t, b < 0x20 && b != '\t' || b == 0x7f, "line %d holds control octet %#x", i+1, b)
		}
	}
}

func TestICalFormat(t *testing.T) {
	c, entries, _ := sampleCalendar(t)
	for _, utcMode := range []bool{false, true} {
		data := export(t, c, calendar.ICalOptions{UTC: utcMode, Name: "Acme, spring plan"})
		checkRFC5545Lines(t, data)
		assert.Equal(t, data, export(t, c, calendar.ICalOptions{UTC: utcMode, Name: "Acme, spring plan"}), "deterministic")

		// An independent decoder (go-ical) unfolds and unescapes what we wrote.
		cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
		require.NoError(t, err)
		byUID := map[string]*goical.Event{}
		for _, ev := range cal.Events() {
			uid, err := ev.Props.Text(goical.PropUID)
			require.NoError(t, err)
			byUID[uid] = &ev
		}
		for _, e := range entries {
			ev := byUID[calendar.PostUID(e.ID, "socialflow.invalid")]
			require.NotNil(t, ev, e.ID)
			summary, err := ev.Props.Text(goical.PropSummary)
			require.NoError(t, err)
			assert.Equal(t, normalizedText(calendar.PostSummary(e)), summary, e.ID)
			if len(e.Labels) > 0 {
				cats := ev.Props.Get(goical.PropCategories)
				require.NotNil(t, cats)
				l, err := cats.TextList()
				require.NoError(t, err)
				assert.Equal(t, e.Labels, l)
			}
			// go-ical's DateTime reads local times with time.ParseInLocation,
			// which does not follow RFC 5545 §3.3.5 in a repeated hour, so
			// read the wall time and resolve it by the RFC here.
			start := ev.Props.Get(goical.PropDateTimeStart)
			var got time.Time
			if tzid := start.Params.Get(goical.ParamTimezoneID); tzid != "" {
				assert.False(t, utcMode && e.Zone != "UTC", "UTC mode writes no TZID for one-off posts")
				assert.Equal(t, e.Zone, tzid)
				w, err := time.Parse("20060102T150405", start.Value)
				require.NoError(t, err)
				got = calendar.Resolve(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), mustZone(t, tzid))
			} else {
				got, err = time.Parse("20060102T150405Z", start.Value)
				require.NoError(t, err)
			}
			assert.True(t, e.At.Equal(got), "%s: DTSTART %v, want %v", e.ID, got, e.At)
		}
	}
}

func TestEscapeText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a,b;c\\d", `a\,b\;c\\d`},
		{"one\r\ntwo\nthree\rfour", `one\ntwo\nthree\nfour`},
		{"tab\tstays", "tab\tstays"},
		{"bell\x07 del\x7f nul\x00", "bell del nul"},
		{"bad \xff", "bad \uFFFD"},
		{"ÆØÅ 😀", "ÆØÅ 😀"},
	} {
		assert.Equal(t, tt.want, calendar.EscapeText(tt.in), "%q", tt.in)
	}
}

func TestFoldLine(t *testing.T) {
	for _, tt := range []struct {
		name string
		line string
		want []string
	}{
		{"75 octets stay", strings.Repeat("a", 75), []string{strings.Repeat("a", 75)}},
		{"76 octets fold", strings.Repeat("a", 76), []string{strings.Repeat("a", 75), " a"}},
		{"continuation holds 74", strings.Repeat("a", 75+74+1), []string{strings.Repeat("a", 75), " " + strings.Repeat("a", 74), " a"}},
		{"2-octet rune not split", strings.Repeat("a", 74) + "ø", []string{strings.Repeat("a", 74), " ø"}},
		{"4-octet rune not split", strings.Repeat("a", 73) + "😀", []string{strings.Repeat("a", 73), " 😀"}},
		{"rune ending at 75 stays", strings.Repeat("a", 71) + "😀b", []string{strings.Repeat("a", 71) + "😀", " b"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, strings.Join(tt.want, "\r\n")+"\r\n", calendar.FoldLine(tt.line))
		})
	}
}

func unfold(s string) string { return strings.ReplaceAll(strings.TrimSuffix(s, "\r\n"), "\r\n ", "") }

// go test -fuzz=^FuzzEscapeText$ -fuzztime=30s ./calendar
func FuzzEscapeText(f *testing.F) {
	for _, s := range trickyTitles {
		f.Add(s)
	}
	f.Add(`\n literally`)
	f.Add("invalid \xff utf-8")
	f.Fuzz(func(t *testing.T, s string) {
		esc := calendar.EscapeText(s)
		line := "SUMMARY:" + esc
		folded := calendar.FoldLine(line)
		for _, l := range strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) || strings.ContainsAny(l, "\r\n") {
				t.Fatalf("bad physical line %q", l)
			}
		}
		if unfold(folded) != line {
			t.Fatalf("unfold(fold(%q)) = %q", line, unfold(folded))
		}
		p := goical.NewProp(goical.PropSummary)
		p.Value = esc
		got, err := p.Text()
		if err != nil {
			t.Fatalf("go-ical cannot read %q: %v", esc, err)
		}
		if got != normalizedText(s) {
			t.Fatalf("round trip of %q: got %q, want %q", s, got, normalizedText(s))
		}
	})
}

func TestWriteICalInvalid(t *testing.T) {
	good := calendar.Entry{ID: "a", Workspace: "w", Channel: "c", At: utc(2026, 1, 1, 0, 0), Zone: "UTC", Status: calendar.StatusDraft}
	var buf bytes.Buffer
	err := calendar.WriteICal(&buf, []calendar.Entry{good}, nil, calendar.ICalOptions{})
	require.ErrorIs(t, err, socialflow.ErrInvalid, "DTSTAMP is required")
	bad := good
	bad.Zone = "Nowhere/Land"
	err = calendar.WriteICal(&buf, []calendar.Entry{good, bad}, nil, calendar.ICalOptions{Stamp: stamp})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Zero(t, buf.Len(), "nothing written")
}

// icaljsEvent is one line of validate.js output.
type icaljsEvent struct {
	UID         string  `json:"uid"`
	DTStart     string  `json:"dtstart"`
	TZID        *string `json:"dtstart_tzid"`
	DTStartUTC  *string `json:"dtstart_utc"`
	Summary     *string `json:"summary"`
	RRule       *string `json:"rrule"`
	Occurrences []struct {
		Local string  `json:"local"`
		UTC   *string `json:"utc"`
	} `json:"occurrences"`
}

// peer finds node and ical.js 2.2.1. Without them the test fails under CI
// and is skipped elsewhere.
func peer(t *testing.T) []string {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("ical.js peer missing under CI: %s (npm install --prefix \"$HOME/.cache/socialflow-peers\" ical.js@2.2.1; export NODE_PATH=$HOME/.cache/socialflow-peers/node_modules)", why)
		}
		t.Skipf("ical.js peer missing: %s", why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not on PATH")
	}
	nodePath := os.Getenv("NODE_PATH")
	if nodePath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			nodePath = filepath.Join(home, ".cache", "socialflow-peers", "node_modules")
		}
	}
	env := append(os.Environ(), "NODE_PATH="+nodePath)
	const version = `const fs = require("fs"), path = require("path");
let d = path.dirname(require.resolve("ical.js"));
while (!fs.existsSync(path.join(d, "package.json"))) d = path.dirname(d);
process.stdout.write(JSON.parse(fs.readFileSync(path.join(d, "package.json"))).version);`
	cmd := exec.Command(node, "-e", version)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		missing("ical.js not found via NODE_PATH=" + nodePath)
	}
	require.Equal(t, "2.2.1", string(out), "ical.js version")
	return append([]string{node}, env...)
}

func runICalJS(t *testing.T, nodeEnv []string, data []byte, expand int) map[string]icaljsEvent {
	t.Helper()
	file := filepath.Join(t.TempDir(), "plan.ics")
	require.NoError(t, os.WriteFile(file, data, 0o600))
	cmd := exec.Command(nodeEnv[0], filepath.Join("testdata", "icaljs", "validate.js"), file, "--expand", strconv.Itoa(expand))
	cmd.Env = nodeEnv[1:]
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "validate.js: %s", stderr.String())
	require.NotContains(t, stderr.String(), "warning", "validate.js warned")
	got := map[string]icaljsEvent{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev icaljsEvent
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev))
		got[ev.UID] = ev
	}
	return got
}

// TestICalJSParsesExport: Mozilla's ical.js parses every export, and its
// events equal the entries: UID, DTSTART (local, zone and the instant it
// names through our VTIMEZONE), SUMMARY, RRULE and the first occurrences.
func TestICalJSParsesExport(t *testing.T) {
	nodeEnv := peer(t)
	c, entries, events := sampleCalendar(t)
	for _, utcMode := range []bool{false, true} {
		t.Run(map[bool]string{false: "tzid", true: "utc"}[utcMode], func(t *testing.T) {
			data := export(t, c, calendar.ICalOptions{UTC: utcMode})
			got := runICalJS(t, nodeEnv, data, 4)
			require.Len(t, got, len(entries)+len(events))
			for _, e := range entries {
				ev, ok := got[calendar.PostUID(e.ID, "socialflow.invalid")]
				require.True(t, ok, e.ID)
				require.NotNil(t, ev.DTStartUTC, e.ID)
				assert.Equal(t, e.At.UTC().Format("20060102T150405Z"), *ev.DTStartUTC, "%s instant", e.ID)
				loc := mustZone(t, e.Zone)
				if utcMode || loc == time.UTC || e.ID == "oslo-repeat-2nd" || e.ID == "oslo-repeat" {
					assert.Equal(t, "UTC", *ev.TZID, e.ID)
				} else {
					assert.Equal(t, e.Zone, *ev.TZID, e.ID)
					assert.Equal(t, e.At.In(loc).Format("20060102T150405"), ev.DTStart, e.ID)
				}
				require.NotNil(t, ev.Summary)
				assert.Equal(t, normalizedText(calendar.PostSummary(e)), *ev.Summary, e.ID)
				assert.Nil(t, ev.RRule)
			}
			for _, e := range events {
				ev, ok := got[calendar.EventUID(e.ID, "socialflow.invalid")]
				require.True(t, ok, e.ID)
				require.NotNil(t, ev.DTStartUTC, e.ID)
				assert.Equal(t, e.Start.UTC().Format("20060102T150405Z"), *ev.DTStartUTC, "%s instant", e.ID)
				require.NotNil(t, ev.Summary)
				assert.Equal(t, e.Title, *ev.Summary)
				if e.RRule == "" {
					assert.Nil(t, ev.RRule)
					continue
				}
				require.NotNil(t, ev.RRule, e.ID)
				rec, err := calendar.NewRecurrence(e.RRule, e.Start.In(mustZone(t, e.Zone)), e.Zone)
				require.NoError(t, err)
				assert.Equal(t, rruleParts(rec.ICalValue()), rruleParts(*ev.RRule), e.ID)
				// Occurrences agree with ours, DST gap included.
				ours, err := rec.Between(e.Start, e.Start.AddDate(5, 0, 0), 100)
				require.NoError(t, err)
				require.NotEmpty(t, ev.Occurrences)
				loc := mustZone(t, e.Zone)
				for i, o := range ev.Occurrences {
					require.Less(t, i, len(ours), e.ID)
					require.NotNil(t, o.UTC)
					want := ours[i]
					w, err := time.Parse("20060102T150405", o.Local)
					require.NoError(t, err)
					if !wallExact(w, loc) {
						// ical.js 2.2.1 does not follow RFC 5545 §3.3.5 at DST
						// edges: it reads a wall time in a gap or a repeat the
						// way time.Date does (NY 02:30 in the gap is 01:30 EST).
						want = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
						t.Logf("%s: ical.js reads %s %s as %s; RFC 5545 §3.3.5 (and we) as %s", e.ID, o.Local, e.Zone, *o.UTC,
							ours[i].UTC().Format("20060102T150405Z"))
					}
					assert.Equal(t, want.UTC().Format("20060102T150405Z"), *o.UTC, "%s occurrence %d (local %s)", e.ID, i, o.Local)
				}
			}
		})
	}
}

// wallExact reports whether the wall time w (UTC fields) names exactly one
// instant in loc: it neither falls in a gap nor repeats.
func wallExact(w time.Time, loc *time.Location) bool {
	got := calendar.Resolve(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), loc).In(loc)
	if got.Hour() != w.Hour() || got.Minute() != w.Minute() {
		return false // gap
	}
	for _, d := range []time.Duration{30 * time.Minute, time.Hour} {
		l := got.Add(d).In(loc)
		if l.Hour() == w.Hour() && l.Minute() == w.Minute() && l.Day() == w.Day() {
			return false // repeat
		}
	}
	return true
}

func rruleParts(s string) map[string]string {
	out := map[string]string{}
	for _, p := range strings.Split(s, ";") {
		k, v, _ := strings.Cut(p, "=")
		out[k] = v
	}
	return out
}

// TestICalJSVTimezone: for each zone, a post on every side of each DST
// change over two years reads back at the same instant through the
// generated VTIMEZONE.
func TestICalJSVTimezone(t *testing.T) {
	nodeEnv := peer(t)
	c := calendar.New()
	var entries []calendar.Entry
	for _, zone := range []string{"Europe/Oslo", "America/New_York", "Australia/Lord_Howe"} {
		loc := mustZone(t, zone)
		for at := utc(2026, 1, 1, 0, 0); at.Before(utc(2028, 1, 1, 0, 0)); at = at.Add(24 * time.Hour) {
			start, end := at.In(loc).ZoneBounds()
			for _, edge := range []time.Time{start, end} {
				if edge.IsZero() || edge.Before(utc(2026, 1, 1, 0, 0)) || !edge.Before(utc(2028, 1, 1, 0, 0)) {
					continue
				}
				for _, d := range []time.Duration{-61 * time.Minute, -time.Minute, 0, 29 * time.Minute, 2 * time.Hour} {
					id := zone + "@" + edge.Add(d).UTC().Format(time.RFC3339)
					if _, dup := c.Get(id); dup {
						continue
					}
					e := calendar.Entry{ID: id, Workspace: "w", Channel: "c", At: edge.Add(d), Zone: zone, Status: calendar.StatusScheduled}
					require.NoError(t, c.Add(e))
					entries = append(entries, e)
				}
			}
		}
	}
	require.Len(t, entries, 3*4*5, "three zones, four changes in two years, five posts each")
	var buf bytes.Buffer
	require.NoError(t, c.ExportICal(&buf, calendar.Query{}, calendar.ICalOptions{Stamp: stamp}))
	checkRFC5545Lines(t, buf.Bytes())
	got := runICalJS(t, nodeEnv, buf.Bytes(), 1)
	for _, e := range entries {
		ev := got[calendar.PostUID(e.ID, "socialflow.invalid")]
		require.NotNil(t, ev.DTStartUTC, e.ID)
		assert.Equal(t, e.At.UTC().Format("20060102T150405Z"), *ev.DTStartUTC, e.ID)
	}
}

// TestPythonOracle: a second, independent reading (Debian python3-icalendar
// parses, python3-dateutil expands with zoneinfo) agrees with ours,
// including the RFC 5545 §3.3.5 reading of a recurrence in a DST gap.
func TestPythonOracle(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import icalendar, dateutil").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python oracle missing under CI (apt-get install -y python3-icalendar python3-dateutil): %v", err)
		}
		t.Skipf("python oracle missing: %v", err)
	}
	c, entries, events := sampleCalendar(t)
	file := filepath.Join(t.TempDir(), "plan.ics")
	require.NoError(t, os.WriteFile(file, export(t, c, calendar.ICalOptions{}), 0o600))
	var stderr bytes.Buffer
	cmd := exec.Command(python, filepath.Join("testdata", "pyoracle", "py_oracle.py"), file, "4")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "py_oracle.py: %s", stderr.String())
	type pyEvent struct {
		UID         string   `json:"uid"`
		DTStart     string   `json:"dtstart"`
		TZID        *string  `json:"dtstart_tzid"`
		Summary     string   `json:"summary"`
		RRule       *string  `json:"rrule"`
		Occurrences []string `json:"occurrences"`
	}
	got := map[string]pyEvent{}
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		var ev pyEvent
		require.NoError(t, json.Unmarshal(line, &ev))
		got[ev.UID] = ev
	}
	require.Len(t, got, len(entries)+len(events))
	instant := func(ev pyEvent) time.Time {
		if ev.TZID == nil {
			at, err := time.Parse("20060102T150405Z", ev.DTStart)
			require.NoError(t, err)
			return at
		}
		w, err := time.Parse("20060102T150405", ev.DTStart)
		require.NoError(t, err)
		return calendar.Resolve(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), mustZone(t, *ev.TZID))
	}
	for _, e := range entries {
		ev, ok := got[calendar.PostUID(e.ID, "socialflow.invalid")]
		require.True(t, ok, e.ID)
		assert.True(t, e.At.Equal(instant(ev)), e.ID)
		assert.Equal(t, normalizedText(calendar.PostSummary(e)), ev.Summary, e.ID)
	}
	for _, e := range events {
		ev, ok := got[calendar.EventUID(e.ID, "socialflow.invalid")]
		require.True(t, ok, e.ID)
		assert.True(t, e.Start.Equal(instant(ev)), e.ID)
		assert.Equal(t, e.Title, ev.Summary)
		if e.RRule == "" {
			continue
		}
		rec, err := calendar.NewRecurrence(e.RRule, e.Start.In(mustZone(t, e.Zone)), e.Zone)
		require.NoError(t, err)
		ours, err := rec.Between(e.Start, e.Start.AddDate(5, 0, 0), 100)
		require.NoError(t, err)
		require.NotEmpty(t, ev.Occurrences)
		for i, o := range ev.Occurrences {
			at, err := time.Parse(time.RFC3339, o)
			require.NoError(t, err)
			assert.True(t, ours[i].Equal(at), "%s occurrence %d: python %s, ours %s", e.ID, i, o, ours[i].UTC())
		}
	}
}
