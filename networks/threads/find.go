package threads

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// The marker tag: how a publish's marker travels inside a post.
//
// Threads has no idempotency key and no hidden field, so the marker rides
// at the end of each part's text as an invisible tag: U+2063 INVISIBLE
// SEPARATOR, then [TagBits] bits of SHA-256(marker, part, last) written in
// base 4 with U+200B, U+200C, U+200D and U+2060 (zero-width, not
// whitespace, not emoji). Threads counts each as one character (the 500
// are code points except emoji, which count their UTF-8 bytes,
// https://developers.facebook.com/docs/threads/posts), so the tag costs
// [TagLen] characters and [Spec] says 500 - TagLen.
//
// "last" marks the final part of a publish (the root of a single post), so
// the Finder can tell a whole thread from one that stopped midway. The
// Finder compares tags with at most 100 recent posts and 100 recent
// replies: the chance that another marker's tag matches is below
// 200 / 2^24 ≈ 1.2e-5 per lookup.
const (
	// TagBits is the number of bits of the hash in a tag.
	TagBits = 24
	// TagLen is the tag's length in code points: the separator and
	// TagBits/2 base-4 digits.
	TagLen = 1 + TagBits/2
)

var digits = [4]rune{'\u200b', '\u200c', '\u200d', '\u2060'}

// Tag returns the invisible tag that part (0 = the root) of a publish with
// marker carries at the end of its text; last is set on the final part.
func Tag(marker string, part int, last bool) string {
	end := ""
	if last {
		end = "end"
	}
	h := sha256.Sum256([]byte(marker + "\x00" + strconv.Itoa(part) + "\x00" + end))
	v := binary.BigEndian.Uint32(h[:4]) >> (32 - TagBits)
	var b strings.Builder
	b.Grow(3 * TagLen)
	b.WriteRune('\u2063')
	for i := TagBits/2 - 1; i >= 0; i-- {
		b.WriteRune(digits[v>>(2*uint(i))&3])
	}
	return b.String()
}

// hasTag reports whether text ends with tag, ignoring trailing whitespace
// Threads may add.
func hasTag(text, tag string) bool {
	return strings.HasSuffix(strings.TrimRight(text, " \t\r\n"), tag)
}

// post is a Threads media object as the profile's lists return it
// (https://developers.facebook.com/docs/threads/retrieve-and-discover-posts/retrieve-posts).
type post struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Permalink string `json:"permalink"`
	Timestamp string `json:"timestamp"`
}

func (p post) time() time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
		if t, err := time.Parse(layout, p.Timestamp); err == nil {
			return t
		}
	}
	return time.Time{}
}

func findTag(list []post, tag string) post {
	for _, p := range list {
		if hasTag(p.Text, tag) {
			return p
		}
	}
	return post{}
}

// RecentLimit is how many of the profile's most recent posts, and of the
// first replies under a thread's root, the Finder and a thread's publish
// read.
const RecentLimit = 100

// recent lists the profile's most recent posts (edge "threads",
// GET /{threads-user-id}/threads) or replies (edge "replies", for the
// replies window,
// GET /{threads-user-id}/replies,
// https://developers.facebook.com/docs/threads/retrieve-and-manage-replies/retrieve-replies).
func (a *Adapter) recent(ctx context.Context, acct *networks.Account, uid, edge, op string) ([]post, error) {
	var out struct {
		Data []post `json:"data"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + uid + "/" + edge,
		Query: url.Values{"fields": {"id,text,permalink,timestamp"}, "limit": {strconv.Itoa(RecentLimit)}},
		Name:  "GET /{threads-user-id}/" + edge, Account: acct, Op: op}, &out)
	return out.Data, err
}

// conversation lists the first replies under root, oldest first
// (GET /{threads-media-id}/conversation?reverse=false: every reply at any
// depth,
// https://developers.facebook.com/docs/threads/retrieve-and-manage-replies/replies-and-conversations).
// A thread's parts are the first replies under its root, so others'
// later replies do not push them out of the page.
func (a *Adapter) conversation(ctx context.Context, acct *networks.Account, root, op string) ([]post, error) {
	var out struct {
		Data []post `json:"data"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + root + "/conversation",
		Query: url.Values{"fields": {"id,text,permalink,timestamp"}, "reverse": {"false"}, "limit": {strconv.Itoa(RecentLimit)}},
		Name:  "GET /{threads-media-id}/conversation", Account: acct, Op: op, Target: networks.RemoteID(root)}, &out)
	return out.Data, err
}

// FindByMarker looks the marker's root tag up among the profile's 100
// most recent posts and, for a thread, the last part's tag among the first
// 100 replies of the root's conversation. A single post is found by its
// root tag; a thread only when its last part is there too. A thread that stopped midway is reported not found, so that the
// Publisher publishes it again with the same marker, and Publish then
// continues after the parts already published.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	uid, err := a.user(acct)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	if marker == "" {
		return networks.Receipt{}, false, &networks.FieldError{Network: Network, Field: "marker", Reason: "required"}
	}
	posts, err := a.recent(ctx, &acct, uid, "threads", networks.OpFind)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	found := func(p post) networks.Receipt {
		return networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(p.ID), URL: p.Permalink,
			Status: networks.StatusPublished, Marker: marker, At: p.time()}
	}
	if p := findTag(posts, Tag(marker, 0, true)); p.ID != "" {
		return found(p), true, nil
	}
	root := findTag(posts, Tag(marker, 0, false))
	if root.ID == "" {
		return networks.Receipt{}, false, nil
	}
	replies, err := a.conversation(ctx, &acct, root.ID, networks.OpFind)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	for i := 1; i <= RecentLimit; i++ {
		if findTag(replies, Tag(marker, i, true)).ID != "" {
			return found(root), true, nil
		}
	}
	return networks.Receipt{}, false, nil
}
