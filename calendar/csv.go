package calendar

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
)

// CSVColumns are the columns ExportCSV writes, in order. ImportCSV needs a
// header row naming columns in any order; id, workspace, channel, at, zone
// and status are required, the others optional.
//
//   - at is an RFC 3339 instant ("2026-03-02T09:00:00+01:00") or a wall time
//     in the row's zone ("2026-03-02T09:00", "2026-03-02 09:00:00"), read by
//     the DST rule of [Resolve];
//   - labels and assets are lists separated by "|".
//
// Host fields are not part of the CSV form.
var CSVColumns = []string{"id", "workspace", "channel", "network", "at", "zone", "status", "title", "labels", "campaign", "assets", "link"}

var requiredColumns = []string{"id", "workspace", "channel", "at", "zone", "status"}

// MaxImportRows bounds one import.
const MaxImportRows = 1_000_000

// ImportOptions tunes ImportCSV. The zero value imports all or nothing.
type ImportOptions struct {
	// Partial imports the good rows of a file that has bad ones; the bad
	// rows are listed in the result instead of failing the import.
	Partial bool
}

// ImportResult says what an import did.
type ImportResult struct {
	Added  []string    // IDs added, in file order
	Errors []*RowError // bad rows (only with Partial; otherwise the error holds them)
}

// ImportCSV reads entries from r (see [CSVColumns]) and adds them. Each row
// is validated; a bad row yields a *RowError with its line number, wrapping
// an *InvalidError (or a *ConflictError for an ID already used). Unless
// opts.Partial, a file with any bad row imports nothing and returns an
// *ImportError listing every bad row. A broken header or CSV syntax error
// is reported the same way, at its line. Every row must have as many fields
// as the header (RFC 4180 §2.4): a row with more or fewer is a bad row, so
// an unquoted comma never silently cuts a value.
func (c *Calendar) ImportCSV(r io.Reader, opts ImportOptions) (ImportResult, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var res ImportResult
	var rowErrs []*RowError
	header, err := cr.Read()
	if err != nil {
		line := 1
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return res, &ImportError{Rows: []*RowError{{Line: line, Err: &InvalidError{Op: "import", Field: "header", Reason: "no readable header row", Err: err}}}}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(CSVColumns, h) {
			rowErrs = append(rowErrs, &RowError{Line: 1, Err: invalid("import", "header", h, "unknown column")})
			continue
		}
		if _, dup := col[h]; dup {
			rowErrs = append(rowErrs, &RowError{Line: 1, Err: invalid("import", "header", h, "column twice")})
			continue
		}
		col[h] = i
	}
	for _, req := range requiredColumns {
		if _, ok := col[req]; !ok {
			rowErrs = append(rowErrs, &RowError{Line: 1, Err: invalid("import", "header", req, "required column missing")})
		}
	}
	if len(rowErrs) > 0 {
		return res, &ImportError{Rows: rowErrs}
	}
	c.mu.RLock()
	existing := func(id string) bool { _, ok := c.lookup(id); return ok }
	var good []*Entry
	seen := map[string]int{}
	zc := zoneCache{}
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			rowErrs = append(rowErrs, &RowError{Line: line, Err: &InvalidError{Op: "import", Field: "csv", Reason: "malformed CSV; rows after it were not read", Err: err}})
			break
		}
		line, _ := cr.FieldPos(0)
		rows++
		if rows > MaxImportRows {
			rowErrs = append(rowErrs, &RowError{Line: line, Err: invalid("import", "rows", itoa(rows), "more than 1000000 rows")})
			break
		}
		var e Entry
		if len(rec) != len(header) {
			// RFC 4180 §2.4: every record has the header's number of
			// fields. An extra field is usually an unquoted comma in a
			// text ("Hello, world"): reading on would silently cut it.
			err = invalid("import", "fields", itoa(len(rec)), "row has "+itoa(len(rec))+" fields, the header has "+itoa(len(header))+" (quote a value that contains a comma)")
		} else {
			e, err = parseRow(rec, col, zc)
		}
		if err == nil {
			if prev, dup := seen[e.ID]; dup {
				err = &ConflictError{Op: "import", ID: e.ID, Reason: "ID also on line " + itoa(prev)}
			} else if existing(e.ID) {
				err = &ConflictError{Op: "import", ID: e.ID, Reason: "ID already in the calendar"}
			}
		}
		if err != nil {
			rowErrs = append(rowErrs, &RowError{Line: line, Err: err})
			continue
		}
		seen[e.ID] = line
		good = append(good, normalize(e))
	}
	c.mu.RUnlock()
	if len(rowErrs) > 0 && !opts.Partial {
		return res, &ImportError{Rows: rowErrs}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Re-check IDs: another writer may have added one since the read lock.
	kept := good[:0]
	for _, e := range good {
		if _, ok := c.byID[e.ID]; ok {
			rowErrs = append(rowErrs, &RowError{Line: seen[e.ID], Err: &ConflictError{Op: "import", ID: e.ID, Reason: "ID already in the calendar"}})
			continue
		}
		kept = append(kept, e)
	}
	if len(rowErrs) > 0 && !opts.Partial {
		return res, &ImportError{Rows: rowErrs}
	}
	c.addBatch(kept)
	for _, e := range kept {
		res.Added = append(res.Added, e.ID)
	}
	res.Errors = rowErrs
	return res, nil
}

func parseRow(rec []string, col map[string]int, zc zoneCache) (Entry, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	e := Entry{
		ID: get("id"), Workspace: get("workspace"), Channel: get("channel"), Network: get("network"),
		Zone: get("zone"), Status: Status(get("status")), Title: get("title"), Campaign: get("campaign"), Link: get("link"),
		Labels: splitList(get("labels")), Assets: splitList(get("assets")),
	}
	if i, ok := col["title"]; ok && i < len(rec) {
		e.Title = rec[i] // copy keeps its spaces
	}
	loc, err := zc.load("import", e.Zone)
	if err != nil {
		return Entry{}, err
	}
	at, err := parseAt(get("at"), loc)
	if err != nil {
		return Entry{}, err
	}
	e.At = at
	if err := e.validateIn("import", zc); err != nil {
		return Entry{}, err
	}
	return e, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func parseAt(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if w, err := time.Parse(layout, s); err == nil {
			y, m, d := w.Date()
			h, mi, sec := w.Clock()
			return Resolve(y, m, d, h, mi, sec, loc), nil
		}
	}
	return time.Time{}, invalid("import", "at", s, "want an RFC 3339 instant or a local YYYY-MM-DDTHH:MM[:SS]")
}

// ExportCSV writes entries to w with a header row of [CSVColumns]; at is
// written as RFC 3339 in the entry's zone, so ImportCSV reads it back
// unchanged. A label or asset containing "|" cannot be written and is an
// *InvalidError (nothing is written then).
func ExportCSV(w io.Writer, entries []Entry) error {
	for _, e := range entries {
		if _, err := loadZone("export csv", e.Zone); err != nil {
			return err
		}
		for _, l := range append(slices.Clone(e.Labels), e.Assets...) {
			if strings.Contains(l, "|") {
				return invalid("export csv", "labels", l, `contains the list separator "|"`)
			}
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, e := range entries {
		loc, err := loadZone("export csv", e.Zone)
		if err != nil {
			return err
		}
		rec := []string{e.ID, e.Workspace, e.Channel, e.Network, e.At.In(loc).Format(time.RFC3339Nano), e.Zone, string(e.Status),
			e.Title, strings.Join(e.Labels, "|"), e.Campaign, strings.Join(e.Assets, "|"), e.Link}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
