package mastodontest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// note is a notification of the server's account.
type note struct {
	id, kind, status string
	seq              int64
}

// Arrival is a status another account posts for the server's account, as
// [Server.Arrive] takes it.
type Arrival struct {
	From string // the other account's username (required)
	// Kind is "mention" (the default), "reply" (answering To), "direct" (a
	// direct message, answering To when set) or "quote" (quoting To; not on
	// GoToSocial).
	Kind string
	To   string
	Text string
}

// Arrive posts a status of another account that mentions, answers, quotes
// or messages the server's account, and notifies the account as Mastodon
// does: a mention notification for mentions, replies and direct messages,
// a quote notification for quotes (Mastodon 4.5,
// https://docs.joinmastodon.org/entities/Notification/#type).
func (s *Server) Arrive(a Arrival) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.From == "" {
		return Status{}, fmt.Errorf("mastodontest: Arrival.From is required")
	}
	st := &Status{Author: a.From, Text: a.Text, Visibility: "public", CreatedAt: s.kit.Now().UTC()}
	kind := "mention"
	switch a.Kind {
	case "", "mention":
	case "reply":
		st.InReplyToID = a.To
	case "direct":
		st.Visibility, st.InReplyToID = "direct", a.To
	case "quote":
		if s.gts {
			return Status{}, fmt.Errorf("mastodontest: GoToSocial has no quotes")
		}
		st.QuoteOf, kind = a.To, "quote"
	default:
		return Status{}, fmt.Errorf("mastodontest: unknown Arrival.Kind %q", a.Kind)
	}
	if a.To != "" {
		if _, ok := s.statuses[a.To]; !ok {
			return Status{}, fmt.Errorf("mastodontest: no status %q to answer", a.To)
		}
	}
	st.ID = s.newID()
	s.statuses[st.ID] = st
	s.order = append(s.order, st.ID)
	nid := s.newID()
	s.notes = append(s.notes, note{id: nid, kind: kind, status: st.ID, seq: s.seq})
	return *st, nil
}

// Replies returns the server account's statuses answering status id.
func (s *Server) Replies(id string) []Status {
	var out []Status
	for _, st := range s.Statuses() {
		if st.Author == "" && st.InReplyToID == id {
			out = append(out, st)
		}
	}
	return out
}

// statusContext: GET /api/v1/statuses/:id/context, the ancestors (root
// first) and descendants of a status
// (https://docs.joinmastodon.org/methods/statuses/#context).
func (s *Server) statusContext(c *apikittest.Call) (any, error) {
	if apikittest.HasBearer(c) {
		if _, err := s.auth(c, "read:statuses"); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[c.Params["id"]]
	if !ok {
		return nil, s.notFound()
	}
	ancestors := []any{}
	for p, ok := s.statuses[st.InReplyToID]; ok; p, ok = s.statuses[p.InReplyToID] {
		ancestors = append([]any{s.statusJSON(p)}, ancestors...)
	}
	descendants := []any{}
	under := map[string]bool{st.ID: true}
	for _, id := range s.order {
		if d, ok := s.statuses[id]; ok && under[d.InReplyToID] {
			under[d.ID] = true
			descendants = append(descendants, s.statusJSON(d))
		}
	}
	return map[string]any{"ancestors": ancestors, "descendants": descendants}, nil
}

// notifications: GET /api/v1/notifications (scope read:notifications), newest
// first, with limit (default 40, at most 80), types[], max_id, since_id and
// min_id (the page immediately newer than it), and a Link header with the
// next (max_id) and prev (min_id) pages
// (https://docs.joinmastodon.org/methods/notifications/#get,
// https://docs.joinmastodon.org/api/guidelines/#pagination).
func (s *Server) notifications(c *apikittest.Call) (any, error) {
	if _, err := s.auth(c, "read:notifications"); err != nil {
		return nil, err
	}
	q := c.URL.Query()
	limit := 40
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, s.apiErr(http.StatusBadRequest, "limit is not a positive number")
		}
		limit = min(n, 80)
	}
	types := q["types[]"]
	for _, t := range types {
		if s.gts && t == "quote" {
			return nil, s.apiErr(http.StatusBadRequest, "invalid notification type quote") // not a GoToSocial type
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	newer := func(a, b string) bool { // ids of one server: longer or greater is newer
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a > b
	}
	var match []note
	for _, n := range s.notes {
		if len(types) > 0 && !slices.Contains(types, n.kind) {
			continue
		}
		if v := q.Get("max_id"); v != "" && !newer(v, n.id) {
			continue
		}
		if v := q.Get("since_id"); v != "" && !newer(n.id, v) {
			continue
		}
		if v := q.Get("min_id"); v != "" && !newer(n.id, v) {
			continue
		}
		match = append(match, n)
	}
	// min_id: the oldest matches (just after it); otherwise the newest.
	if q.Get("min_id") != "" {
		match = match[:min(limit, len(match))]
	} else {
		match = match[max(len(match)-limit, 0):]
	}
	out := []any{}
	for i := len(match) - 1; i >= 0; i-- {
		n := match[i]
		var st any
		if x, ok := s.statuses[n.status]; ok {
			st = s.statusJSON(x)
		}
		author := map[string]any{}
		if x, ok := s.statuses[n.status]; ok {
			author = map[string]any{"id": x.Author, "username": x.Author, "acct": x.Author + "@remote.example"}
		}
		out = append(out, map[string]any{"id": n.id, "type": n.kind, "created_at": s.kit.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
			"account": author, "status": st})
	}
	if len(match) > 0 {
		base := s.kit.URL() + "/api/v1/notifications?"
		page := func(k, v string) string {
			return "<" + base + url.Values{k: {v}, "limit": {strconv.Itoa(limit)}}.Encode() + ">"
		}
		c.ReplyHeader().Set("Link", strings.Join([]string{
			page("max_id", match[0].id) + `; rel="next"`, page("min_id", match[len(match)-1].id) + `; rel="prev"`}, ", "))
	}
	return out, nil
}
