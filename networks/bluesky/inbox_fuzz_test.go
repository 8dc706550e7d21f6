package bluesky

import (
	"encoding/json"
	"testing"

	"github.com/socialflow/socialflow/networks"
)

// FuzzIncomingNotifications decodes a listNotifications answer as the
// inbox does and maps each notification: hostile records (huge, invalid
// UTF-8, wrong shapes) never panic, and every item has a post URI as its ID
// and a thread.
func FuzzIncomingNotifications(f *testing.F) {
	f.Add([]byte(`{"notifications":[{"uri":"at://did:plc:a/app.bsky.feed.post/3k2","cid":"c","reason":"reply","indexedAt":"2026-01-01T00:00:00.000Z",
		"author":{"did":"did:plc:a","handle":"a.test"},"record":{"text":"hi","langs":["en"],"reply":{"root":{"uri":"at://did:plc:b/app.bsky.feed.post/1","cid":"x"},"parent":{"uri":"at://did:plc:b/app.bsky.feed.post/2","cid":"y"}}}}]}`))
	f.Add([]byte(`{"notifications":[{"uri":"at://did:plc:a/app.bsky.feed.post/3k2","reason":"quote","record":{"embed":{"record":{"record":{"uri":"at://x/y/z"}}}}}]}`))
	f.Add([]byte(`{"notifications":[{"uri":"at://did:plc:a/app.bsky.feed.like/3k2","reason":"like"},{"uri":"nope","reason":"mention"},{"reason":"mention","record":[]}]}`))
	f.Add([]byte("{\"notifications\":[{\"uri\":\"at://did:plc:a/app.bsky.feed.post/k\",\"reason\":\"mention\",\"record\":{\"text\":\"\xff\xfe\\u0000<script>\",\"createdAt\":7}}]}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var out struct {
			Notifications []notificationView `json:"notifications"`
		}
		if json.Unmarshal(body, &out) != nil {
			return
		}
		for _, n := range out.Notifications {
			it, ok := incomingItem(n, "acct")
			if !ok {
				continue
			}
			if _, coll, _, ok := parseATURI(string(it.ID)); !ok || coll != postCollection {
				t.Fatalf("item id %q is not a post URI", it.ID)
			}
			if it.Thread == "" || it.Network != Network || it.AccountID != "acct" || it.Author.ID == "" {
				t.Fatalf("item not filled: %+v", it)
			}
			switch it.Kind {
			case networks.ItemReply, networks.ItemMention, networks.ItemQuote:
			default:
				t.Fatalf("kind %q", it.Kind)
			}
		}
	})
}

// FuzzInboxCursor: a cursor the inbox made decodes to what it carried;
// anything else decodes or is a *networks.FieldError, never a panic.
func FuzzInboxCursor(f *testing.F) {
	f.Add("v1." + inboxCursor{Boundary: epoch}.encode()[3:])
	f.Add("v1.eyJiIjoiMjAyNi0wMS0wMVQwMDowMDowMFoiLCJzIjpbImEiXX0")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok, err := decodeCursor(s)
		if err != nil || !ok {
			return
		}
		back, _, err := decodeCursor(c.encode())
		if err != nil {
			t.Fatalf("re-encoded cursor %q: %v", c.encode(), err)
		}
		if back.Boundary != c.Boundary || back.Resume != c.Resume || back.Newest != c.Newest {
			t.Fatalf("round trip %+v != %+v", back, c)
		}
	})
}
