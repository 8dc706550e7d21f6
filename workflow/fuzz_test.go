package workflow_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
)

// FuzzDiff: the spans of a diff always reassemble both texts.
func FuzzDiff(f *testing.F) {
	f.Add("Big sale today", "Big sale tomorrow")
	f.Add("", "x")
	f.Add("a  b\\n\\tc", "a b c d")
	f.Fuzz(func(t *testing.T, a, b string) {
		var ra, rb strings.Builder
		for _, s := range workflow.Diff(a, b) {
			if s.Op != workflow.DiffInsert {
				ra.WriteString(s.Text)
			}
			if s.Op != workflow.DiffDelete {
				rb.WriteString(s.Text)
			}
		}
		if ra.String() != a || rb.String() != b {
			t.Fatalf("diff of %q and %q reassembles to %q and %q", a, b, ra.String(), rb.String())
		}
	})
}

// FuzzBulkCreate: any CSV either creates posts or fails with ErrInvalid,
// and a failed all-or-nothing import creates nothing.
func FuzzBulkCreate(f *testing.F) {
	for _, s := range []string{
		"text,channels\nhello,ig\n", "text,channels,at,zone\nx,ig;x,2026-03-01 09:00,Europe/Oslo\n",
		"text\nno channels column\n", "\"unterminated\n", "text,channels\n,ig\n\xff,ig\n", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		e := newEnv(t)
		posts, err := e.svc.BulkCreate(t.Context(), "cat", "brand", strings.NewReader(data), false)
		stored, lerr := e.svc.Posts(t.Context(), "cat", "brand")
		if lerr != nil {
			t.Fatal(lerr)
		}
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			if len(stored) != 0 || len(posts) != 0 {
				t.Fatalf("a refused import stored %d posts", len(stored))
			}
			return
		}
		if len(stored) != len(posts) {
			t.Fatalf("created %d, stored %d", len(posts), len(stored))
		}
	})
}
