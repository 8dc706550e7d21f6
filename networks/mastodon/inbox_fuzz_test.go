package mastodon

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/socialflow/socialflow/networks"
)

// FuzzIncomingPayload decodes a GET /api/v1/notifications answer as the
// inbox does and maps every notification: hostile or broken payloads
// never panic, and every item listed has an ID the adapter can answer.
func FuzzIncomingPayload(f *testing.F) {
	f.Add([]byte(`[{"id":"9","type":"mention","created_at":"2026-01-01T00:00:00.000Z","account":{"id":"2","acct":"a@b"},
		"status":{"id":"8","visibility":"direct","content":"<p>hi<br>there</p>","in_reply_to_id":"7","in_reply_to_account_id":"1","account":{"id":"2","acct":"a@b"}}}]`))
	f.Add([]byte(`[{"id":"9","type":"quote","status":{"id":"8","quote":{"state":"accepted","quoted_status":{"id":"5"}}}}]`))
	f.Add([]byte(`[{"id":"9","type":"mention","status":{"id":"../x","content":"<script>alert(1)</script>"}}]`))
	f.Add([]byte(`[{"id":"9","type":"mention","status":{"id":"8","text":"\u0000\u202e","spoiler_text":"cw","language":null}}]`))
	f.Add([]byte(`[{"type":"follow"},null,{"status":null}]`))
	f.Add([]byte("[{\"id\":\"1\",\"type\":\"mention\",\"status\":{\"id\":\"2\",\"content\":\"\xff\xfe<p\"}}]"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var page []notification
		if json.Unmarshal(body, &page) != nil {
			return
		}
		for _, n := range page {
			it, ok := incomingItem(n, "1", "acct")
			if !ok {
				continue
			}
			if it.ID == "" || !validID(it.ID) {
				t.Fatalf("item with an unusable id %q", it.ID)
			}
			if it.Network != Network || it.AccountID != "acct" || it.Thread == "" {
				t.Fatalf("item not filled: %+v", it)
			}
			switch it.Kind {
			case networks.ItemReply, networks.ItemMention, networks.ItemQuote, networks.ItemMessage:
			default:
				t.Fatalf("kind %q", it.Kind)
			}
		}
	})
}

// FuzzPlainText: any content converts without panicking; text without
// markup or references comes back as it was.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"<p>a<br>b</p><p>c</p>", "plain", "<script>x</script>", "&amp;&#x1F600;", "<p", "\xff<br/>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := PlainText(s)
		if !strings.ContainsAny(s, "<&\r\x00") && utf8.ValidString(s) && out != strings.TrimRight(s, "\n") {
			t.Fatalf("PlainText(%q) = %q", s, out)
		}
	})
}

// FuzzCursor: the cursors Incoming returns parse back; anything else
// parses or is a *networks.FieldError, never a panic.
func FuzzCursor(f *testing.F) {
	f.Add("v1:123:456")
	f.Add("v1:01ABC:0")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, c string) {
		me, after, err := parseCursor(c)
		if err != nil {
			return
		}
		if c != "" && cursorPrefix+me+":"+after != c {
			t.Fatalf("parseCursor(%q) = %q, %q", c, me, after)
		}
	})
}

// FuzzLinkParam: any Link header parses without panicking and yields a
// value that can travel in a cursor.
func FuzzLinkParam(f *testing.F) {
	f.Add(`<https://x/api/v1/notifications?max_id=1>; rel="next", <https://x/api/v1/notifications?min_id=9>; rel="prev"`)
	f.Add(`<>; rel=prev, <%zz>; rel="prev"`)
	f.Fuzz(func(t *testing.T, v string) {
		got := linkParam(http.Header{"Link": {v}}, "prev", "min_id")
		if strings.ContainsAny(got, "/?#&:") {
			t.Fatalf("linkParam gave %q", got)
		}
	})
}
