package blueskytest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// Post stores an app.bsky.feed.post record written by the account did (of
// this server or not: a record another PDS would hold), as if it had
// created it, and returns it. value needs no $type or createdAt; text,
// reply, facets and embed are as the lexicon has them. A helper for tests
// that need other accounts to reply, mention or quote.
func (s *Server) Post(did string, value map[string]any) Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := map[string]any{"$type": "app.bsky.feed.post", "createdAt": s.kit.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	for k, x := range value {
		v[k] = x
	}
	s.seq++
	rkey := tidOf(s.seq)
	uri := "at://" + did + "/app.bsky.feed.post/" + rkey
	raw, _ := json.Marshal(v)
	sum := sha256.Sum256(raw)
	rec := Record{URI: uri, CID: "bafyrei" + strings.ToLower(strings.TrimRight(base32.StdEncoding.EncodeToString(sum[:]), "=")), Value: v,
		IndexedAt: s.kit.Now().UTC()}
	s.records[uri] = rec
	s.order = append(s.order, uri)
	return rec
}

// tidOf is a TID-shaped record key unique to n ("3p" and n in the
// base32-sortable alphabet of https://atproto.com/specs/tid).
func tidOf(n int) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	b := []byte("3p22222222222")
	for i := len(b) - 1; n > 0 && i >= 2; i, n = i-1, n/32 {
		b[i] = alphabet[n%32]
	}
	return string(b)
}

// listNotifications: https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications,
// as an app view answers it (with [WithAppView]): the replies to the
// account's posts, the posts mentioning it (a mention facet of its DID)
// and the posts quoting it (an embedded record of its repo), newest first,
// with reasons, limit (1–100, default 50) and an opaque cursor.
func (s *Server) listNotifications(c *apikittest.Call) (any, *xrpcErr) {
	if !s.appView {
		return nil, bad("InvalidRequest", "No service configured for app.bsky.notification.listNotifications")
	}
	did, xe := s.auth(c)
	if xe != nil {
		return nil, xe
	}
	q := c.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return nil, bad("InvalidRequest", "limit must be between 1 and 100")
		}
		limit = n
	}
	start := len(s.order)
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, bad("InvalidRequest", "malformed cursor")
		}
		start = n
	}
	reasons := q["reasons"]
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	next := ""
	for i := min(start, len(s.order)) - 1; i >= 0; i-- {
		rec, ok := s.records[s.order[i]]
		if !ok || strings.HasPrefix(rec.URI, "at://"+did+"/") {
			continue
		}
		reason := reasonFor(rec, did)
		if reason == "" || len(reasons) > 0 && !slices.Contains(reasons, reason) {
			continue
		}
		if len(out) == limit {
			next = strconv.Itoa(i + 1)
			break
		}
		author := strings.TrimPrefix(rec.URI, "at://")
		author, _, _ = strings.Cut(author, "/")
		handle := author
		if a, ok := s.accounts[author]; ok {
			handle = a.Handle
		}
		out = append(out, map[string]any{"uri": rec.URI, "cid": rec.CID, "reason": reason, "record": rec.Value, "isRead": false,
			"indexedAt": rec.IndexedAt.Format("2006-01-02T15:04:05.000Z"),
			"author":    map[string]any{"did": author, "handle": handle, "displayName": "Display " + handle}})
	}
	res := map[string]any{"notifications": out}
	if next != "" {
		res["cursor"] = next
	}
	return res, nil
}

// reasonFor is why rec notifies did: "reply", "mention", "quote" or "".
func reasonFor(rec Record, did string) string {
	mine := func(uri string) bool { return strings.HasPrefix(uri, "at://"+did+"/") }
	if rp, ok := rec.Value["reply"].(map[string]any); ok {
		if p, ok := rp["parent"].(map[string]any); ok {
			if u, _ := p["uri"].(string); mine(u) {
				return "reply"
			}
		}
	}
	if fs, ok := rec.Value["facets"].([]any); ok {
		for _, f := range fs {
			fm, _ := f.(map[string]any)
			feats, _ := fm["features"].([]any)
			for _, ft := range feats {
				if m, _ := ft.(map[string]any); m["did"] == did {
					return "mention"
				}
			}
		}
	}
	if e, ok := rec.Value["embed"].(map[string]any); ok {
		if r, ok := e["record"].(map[string]any); ok {
			if u, _ := r["uri"].(string); mine(u) {
				return "quote"
			}
		}
	}
	return ""
}

// MentionFacet is the app.bsky.richtext.facet of a mention of did over the
// first n bytes of a post's text, for [Server.Post].
func MentionFacet(did string, n int) []any {
	return []any{map[string]any{
		"index":    map[string]any{"byteStart": 0, "byteEnd": n},
		"features": []any{map[string]any{"$type": "app.bsky.richtext.facet#mention", "did": did}},
	}}
}
