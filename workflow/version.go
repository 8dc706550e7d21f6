package workflow

import (
	"strings"
	"time"

	"github.com/pmezard/go-difflib/difflib"
)

// Version is one state of a post's content: every edit makes a new version,
// numbered from 1, with its author and time. Approvals name the version they
// approved.
type Version struct {
	Post     string             `json:"post"`
	Number   int                `json:"number"`
	Author   string             `json:"author"`
	At       time.Time          `json:"at"`
	Content  Content            `json:"content"`
	Variants map[string]Content `json:"variants,omitempty"` // per channel
	// NetworkVariants are the post's per-network variants at this version.
	NetworkVariants map[string]Content `json:"network_variants,omitempty"`
	Note            string             `json:"note,omitempty"`  // e.g. "minor: typo"
	Minor           bool               `json:"minor,omitempty"` // the author marked the edit minor
}

// Clone returns a deep copy of v.
func (v Version) Clone() Version {
	v.Content = v.Content.Clone()
	v.Variants = cloneVariants(v.Variants)
	v.NetworkVariants = cloneVariants(v.NetworkVariants)
	return v
}

// DiffOp is the kind of a [DiffSpan].
type DiffOp string

// The diff operations.
const (
	DiffEqual  DiffOp = "="
	DiffInsert DiffOp = "+"
	DiffDelete DiffOp = "-"
)

// DiffSpan is a run of words a diff kept, inserted or deleted.
type DiffSpan struct {
	Op   DiffOp `json:"op"`
	Text string `json:"text"`
}

// Diff returns a word-level diff from a to b: spans that, read in order,
// give a when insertions are skipped and b when deletions are skipped.
// Whitespace stays attached to the word before it, so the spans reassemble
// the texts exactly.
func Diff(a, b string) []DiffSpan {
	wa, wb := words(a), words(b)
	m := difflib.NewMatcher(wa, wb)
	var out []DiffSpan
	add := func(op DiffOp, ws []string) {
		if len(ws) == 0 {
			return
		}
		s := strings.Join(ws, "")
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
			return
		}
		out = append(out, DiffSpan{Op: op, Text: s})
	}
	for _, op := range m.GetOpCodes() {
		switch op.Tag {
		case 'e':
			add(DiffEqual, wa[op.I1:op.I2])
		case 'd':
			add(DiffDelete, wa[op.I1:op.I2])
		case 'i':
			add(DiffInsert, wb[op.J1:op.J2])
		case 'r':
			add(DiffDelete, wa[op.I1:op.I2])
			add(DiffInsert, wb[op.J1:op.J2])
		}
	}
	return out
}

// FormatDiff renders spans as text with deletions in [-…-] and insertions
// in {+…+}, the way git diff --word-diff=plain does.
func FormatDiff(spans []DiffSpan) string {
	var b strings.Builder
	for _, s := range spans {
		switch s.Op {
		case DiffDelete:
			b.WriteString("[-" + s.Text + "-]")
		case DiffInsert:
			b.WriteString("{+" + s.Text + "+}")
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// words splits s into words each followed by the whitespace after it.
func words(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := r == ' ' || r == '\n' || r == '\t' || r == '\r'
		if !sp && inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
