package workflow

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
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

// BulkCreate creates one draft per CSV row in workspace, on behalf of actor.
// The header names the columns: text and channels (separated by ";") are
// required; labels (";"), campaign, link, first_comment, zone (IANA) and at
// (the planned local time "2006-01-02 15:04" in zone, or RFC 3339) are
// optional. Every row is validated first; a file with any bad row creates
// nothing unless partial is true, in which case the good rows are created.
// Either way the returned *BulkError lists each bad row with its line.
func (s *Service) BulkCreate(ctx context.Context, actor, workspace string, r io.Reader, partial bool) ([]Post, error) {
	if err := s.allow(ctx, actor, PermCreateDraft, Scope{Workspace: workspace}); err != nil {
		return nil, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
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
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		in := NewPost{
			Workspace: workspace, Channels: splitList(get("channels")), Labels: splitList(get("labels")),
			Campaign: get("campaign"), Zone: get("zone"),
			Content: Content{Text: get("text"), Link: get("link"), FirstComment: get("first_comment")},
		}
		at, err := s.checkRow(ctx, actor, in, get("at"))
		if err != nil {
			bad = append(bad, RowError{Line: line, Err: err})
			continue
		}
		in.At = at
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

// checkRow validates one row the way CreatePost will, without saving.
func (s *Service) checkRow(ctx context.Context, actor string, in NewPost, at string) (time.Time, error) {
	if strings.TrimSpace(in.Content.Text) == "" {
		return time.Time{}, &ValidationError{Field: "text", Reason: "must not be empty"}
	}
	if err := validContent("content", in.Content); err != nil {
		return time.Time{}, err
	}
	if _, err := s.targetsFor(in.Workspace, in.Channels, nil); err != nil {
		return time.Time{}, err
	}
	for _, ch := range in.Channels {
		if err := s.allow(ctx, actor, PermCreateDraft, Scope{Workspace: in.Workspace, Channel: ch}); err != nil {
			return time.Time{}, err
		}
	}
	loc := time.UTC
	if in.Zone != "" {
		l, err := time.LoadLocation(in.Zone)
		if err != nil {
			return time.Time{}, &ValidationError{Field: "zone", Value: in.Zone, Reason: "unknown IANA time zone"}
		}
		loc = l
	}
	if at == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", at, loc); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, &ValidationError{Field: "at", Value: at, Reason: `want "2006-01-02 15:04" or RFC 3339`}
	}
	return t.UTC(), nil
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
