package workflow

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// RowError is the failure of one CSV row.
type RowError struct {
	Line int // 1-based line number in the file (the header is line 1)
	Err  error
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// BulkError lists every failed row of a bulk import; it matches
// socialflow.ErrInvalid, and each row's error stays reachable through
// errors.As on Rows[i].Err.
type BulkError struct{ Rows []RowError }

func (e *BulkError) Error() string {
	parts := make([]string, len(e.Rows))
	for i, r := range e.Rows {
		parts[i] = r.Error()
	}
	return "workflow: bulk import: " + strings.Join(parts, "; ")
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *BulkError) Is(target error) bool { return isInvalid(target) }

// bulkColumns are the CSV columns BulkCreate reads; only text and channels
// are required.
var bulkColumns = []string{"text", "channels", "labels", "campaign", "link", "first_comment", "zone", "at"}

// BulkCreate creates one draft per CSV row (RFC 4180) in workspace, on
// behalf of actor. The header names the columns: text and channels
// (separated by ";") are required; labels (";"), campaign, link,
// first_comment, zone (IANA) and at are optional. at is the planned wall
// time "2006-01-02 15:04" in the row's zone — by default the zone of the
// row's channels (UTC for channels without one; channels in different
// zones need a zone column) — resolved by the RFC 5545 §3.3.5 rule of
// [calendar.Resolve] (a time in a DST gap moves forward by the gap, a
// repeated time is its first occurrence); or an RFC 3339 instant. Text and
// first_comment are kept as written; other fields are trimmed.
//
// Every row must have as many fields as the header (RFC 4180 §2.4): an
// unquoted comma ("Hello, world" without quotes) makes an extra field, and
// that row is an error naming its line and field count, never silently cut.
// Every row is validated first; a file with any bad row creates nothing
// unless partial is true, in which case the good rows are created. Either
// way the returned *BulkError lists each bad row with its line.
// [Service.BulkExport] writes files this reads back into the same posts.
func (s *Service) BulkCreate(ctx context.Context, actor, workspace string, r io.Reader, partial bool) ([]Post, error) {
	if err := s.allow(ctx, actor, team.PermCreateDraft, team.Scope{Workspace: workspace}); err != nil {
		return nil, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted per row below, to report each bad row
	header, err := cr.Read()
	if err != nil {
		return nil, &BulkError{Rows: []RowError{{Line: 1, Err: &ValidationError{Field: "header", Reason: "unreadable: " + err.Error()}}}}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range bulkColumns {
			known = known || c == h
		}
		if !known {
			return nil, &BulkError{Rows: []RowError{{Line: 1, Err: &ValidationError{Field: "header", Value: h, Reason: "unknown column"}}}}
		}
		col[h] = i
	}
	for _, req := range []string{"text", "channels"} {
		if _, ok := col[req]; !ok {
			return nil, &BulkError{Rows: []RowError{{Line: 1, Err: &ValidationError{Field: "header", Value: req, Reason: "required column missing"}}}}
		}
	}
	type row struct {
		line int
		in   NewPost
	}
	var rows []row
	var bad []RowError
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
			bad = append(bad, RowError{Line: line, Err: &ValidationError{Field: "row", Reason: err.Error()}})
			if line == 0 {
				break // not a row error: the reader cannot go on
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			bad = append(bad, RowError{Line: line, Err: &ValidationError{Field: "row", Value: fmt.Sprint(len(rec)),
				Reason: fmt.Sprintf("has %d fields, the header has %d (quote a field that contains a comma)", len(rec), len(header))}})
			continue
		}
		raw := func(name string) string {
			if i, ok := col[name]; ok {
				return rec[i]
			}
			return ""
		}
		get := func(name string) string { return strings.TrimSpace(raw(name)) }
		in := NewPost{
			Workspace: workspace, Channels: splitList(get("channels")), Labels: splitList(get("labels")),
			Campaign: get("campaign"), Zone: get("zone"),
			Content: Content{Text: raw("text"), Link: get("link"), FirstComment: raw("first_comment")},
		}
		at, zone, err := s.checkRow(ctx, actor, in, get("at"))
		if err != nil {
			bad = append(bad, RowError{Line: line, Err: err})
			continue
		}
		in.At, in.Zone = at, zone
		rows = append(rows, row{line: line, in: in})
	}
	if len(bad) > 0 && !partial {
		return nil, &BulkError{Rows: bad}
	}
	var out []Post
	for _, r := range rows {
		p, err := s.CreatePost(ctx, actor, r.in)
		if err != nil {
			bad = append(bad, RowError{Line: r.line, Err: err})
			continue
		}
		out = append(out, p)
	}
	if len(bad) > 0 {
		return out, &BulkError{Rows: bad}
	}
	return out, nil
}

// checkRow validates one row the way CreatePost will, without saving, and
// returns its instant and zone.
func (s *Service) checkRow(ctx context.Context, actor string, in NewPost, at string) (time.Time, string, error) {
	if strings.TrimSpace(in.Content.Text) == "" {
		return time.Time{}, "", &ValidationError{Field: "text", Reason: "must not be empty"}
	}
	if err := validContent("content", in.Content); err != nil {
		return time.Time{}, "", err
	}
	if _, err := s.targetsFor(in.Workspace, in.Channels, nil); err != nil {
		return time.Time{}, "", err
	}
	for _, ch := range in.Channels {
		if err := s.allow(ctx, actor, team.PermCreateDraft, team.Scope{Workspace: in.Workspace, Channel: ch}); err != nil {
			return time.Time{}, "", err
		}
	}
	zone := in.Zone
	if zone == "" {
		var err error
		if zone, err = s.channelsZone(in.Channels); err != nil {
			return time.Time{}, "", err
		}
	}
	loc := time.UTC
	if zone != "" {
		l, err := time.LoadLocation(zone)
		if err != nil {
			return time.Time{}, "", &ValidationError{Field: "zone", Value: echo.Short(zone), Reason: "unknown IANA time zone"}
		}
		loc = l
	}
	if at == "" {
		return time.Time{}, zone, nil
	}
	if w, err := time.Parse(wallLayout, at); err == nil {
		return calendar.Resolve(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, loc).UTC(), zone, nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, "", &ValidationError{Field: "at", Value: echo.Short(at), Reason: `want "2006-01-02 15:04" or RFC 3339`}
	}
	return t.UTC(), zone, nil
}

// wallLayout is the bulk files' wall-time form.
const wallLayout = "2006-01-02 15:04"

// channelsZone is the zone the channels share ("" when none has one), or an
// error naming two channels whose zones differ.
func (s *Service) channelsZone(channels []string) (string, error) {
	zone, from := "", ""
	for _, id := range channels {
		c, _ := s.team.Channel(id)
		if c.Zone == "" {
			continue
		}
		if zone != "" && c.Zone != zone {
			return "", &ValidationError{Field: "zone", Value: echo.Short(c.Zone),
				Reason: fmt.Sprintf("channel %s is in %s but channel %s in %s: give the row a zone", echo.Quote(from), zone, echo.Quote(id), c.Zone)}
		}
		zone, from = c.Zone, id
	}
	return zone, nil
}

// BulkExport writes the posts of workspace that actor may read to w as CSV
// (RFC 4180) in the columns [Service.BulkCreate] reads, so importing the
// file creates the same posts: text, channels, labels, campaign, link,
// first comment, zone, and at as an RFC 3339 instant in the post's zone
// (exact, even in a DST overlap). What a bulk file cannot carry (variants,
// media, threads, approvals, state) is not written. A channel ID or label
// containing the list separator ";" cannot be read back: the export fails
// with a *ValidationError naming the post and writes nothing.
func (s *Service) BulkExport(ctx context.Context, actor, workspace string, w io.Writer) error {
	posts, err := s.Posts(ctx, actor, workspace)
	if err != nil {
		return err
	}
	rows := [][]string{bulkColumns}
	for _, p := range posts {
		var chans []string
		for _, t := range p.Targets {
			chans = append(chans, t.Channel)
		}
		for _, v := range append(slices.Clone(chans), p.Labels...) {
			if strings.Contains(v, ";") || strings.TrimSpace(v) != v {
				return &ValidationError{Field: "post " + echo.Quote(p.ID), Value: echo.Short(v),
					Reason: `a channel or label with ";" or surrounding spaces cannot be read back`}
			}
		}
		at := ""
		if !p.At.IsZero() {
			loc := time.UTC
			if p.Zone != "" {
				if l, err := time.LoadLocation(p.Zone); err == nil {
					loc = l
				}
			}
			at = p.At.In(loc).Format(time.RFC3339Nano)
		}
		rows = append(rows, []string{p.Content.Text, strings.Join(chans, ";"), strings.Join(p.Labels, ";"), p.Campaign,
			p.Content.Link, p.Content.FirstComment, p.Zone, at})
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("workflow: bulk export: %w", err)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
