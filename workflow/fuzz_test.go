package workflow_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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

// FuzzBulkRoundTrip: a post BulkExport writes is read back by BulkCreate
// as the same post, whatever its text, comment, label or time.
func FuzzBulkRoundTrip(f *testing.F) {
	f.Add("Hello, world", "first, comment", "tips", "launch", int64(0), uint8(0))
	f.Add("\"quoted\"\nnext line", "", "", "", int64(1774747800), uint8(1))
	f.Add("  spaces  ", " ; ", "a b", "c,d", int64(1793500200), uint8(2))
	f.Fuzz(func(t *testing.T, text, comment, label, campaign string, at int64, ch uint8) {
		if strings.TrimSpace(text) == "" || !utf8.ValidString(text+comment+label+campaign) ||
			strings.ContainsAny(text+comment+label+campaign, "\r") || strings.Contains(label, ";") {
			return
		}
		label, campaign = strings.TrimSpace(label), strings.TrimSpace(campaign)
		src := bulkService(t)
		in := workflow.NewPost{Workspace: "w", Channels: []string{[]string{"osl", "nyc", "utc"}[int(ch)%3]},
			Content: workflow.Content{Text: text, FirstComment: comment}, Campaign: campaign}
		if label != "" {
			in.Labels = []string{label}
		}
		if at != 0 {
			in.At = time.Unix(at%(1<<34), 0).UTC()
		}
		p, err := src.CreatePost(t.Context(), "boss", in)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := src.BulkExport(t.Context(), "boss", "w", &out); err != nil {
			t.Fatal(err)
		}
		got, err := bulkService(t).BulkCreate(t.Context(), "boss", "w", bytes.NewReader(out.Bytes()), false)
		if err != nil {
			t.Fatalf("export of %+v does not import: %v\n%s", p, err, out.String())
		}
		if len(got) != 1 || !reflect.DeepEqual(bulkView(p), bulkView(got[0])) {
			t.Fatalf("round trip changed the post:\n%v\n%v\n%s", bulkView(p), bulkView(got[0]), out.String())
		}
	})
}
