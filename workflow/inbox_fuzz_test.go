package workflow_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
)

// FuzzInboxIngest: hostile item text and author names (huge, invalid
// UTF-8, markup, control characters) never panic, are stored once, valid
// UTF-8 without NUL and bounded, and every notice echoes them bounded.
func FuzzInboxIngest(f *testing.F) {
	for _, s := range []string{"", "hello", "\xff\xfe\x00", "<img src=x onerror=alert(1)>", "\u202e\x1b[2J", strings.Repeat("é", 40000), "a\x00b"} {
		f.Add(s, "@fan", "t1")
	}
	e := newInboxEnv(f, 1)
	n, seen := 0, 0
	f.Fuzz(func(t *testing.T, text, handle, thread string) {
		n++
		in := incoming("c0", "f"+strings.Repeat("x", n%3)+string(rune('a'+n%26))+itoa(n), thread, text, inboxT0)
		in.Author.Handle = handle
		for round := range 2 {
			r, err := e.svc.IngestIncoming(t.Context(), "fuzz", "c0", []networks.Incoming{in})
			if err != nil {
				t.Fatal(err)
			}
			if round == 0 && r.Stored != 1 || round == 1 && (r.Stored != 0 || r.Duplicates != 1) {
				t.Fatalf("round %d: %+v", round, r)
			}
		}
		it, err := e.store.InboxItem(t.Context(), workflow.InboxItemID("fakenet", "c0", in.ID))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{it.Item.Text, it.Item.Author.Handle, it.Item.Thread} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("stored %q", s)
			}
		}
		if len(it.Item.Text) > workflow.MaxItemText {
			t.Fatalf("stored %d bytes", len(it.Item.Text))
		}
		notes := e.notes.Notices()
		for _, no := range notes[seen:] {
			if utf8.RuneCountInString(no.Summary) > 240 || strings.ContainsAny(no.Summary, "\x00\x1b") {
				t.Fatalf("notice %q", no.Summary)
			}
		}
		seen = len(notes)
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
