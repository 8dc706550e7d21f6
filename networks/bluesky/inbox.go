package bluesky

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
)

// InboxPageSize is the limit of app.bsky.notification.listNotifications
// the inbox asks for (the lexicon's default is 50, its maximum 100).
const InboxPageSize = 50

// InboxPages is the most pages one Incoming call reads while it catches
// up; the rest waits for the next call (More is set).
const InboxPages = 4

// inboxReasons are the notification reasons the inbox lists, and the kind
// of each (https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications).
var inboxReasons = map[string]networks.ItemKind{
	"reply":   networks.ItemReply,
	"mention": networks.ItemMention,
	"quote":   networks.ItemQuote,
}

// notificationView is app.bsky.notification.listNotifications#notification.
type notificationView struct {
	URI           string          `json:"uri"`
	CID           string          `json:"cid"`
	Author        profileView     `json:"author"`
	Reason        string          `json:"reason"`
	ReasonSubject string          `json:"reasonSubject"`
	Record        json.RawMessage `json:"record"`
	IndexedAt     string          `json:"indexedAt"`
}

// profileView is the part of app.bsky.actor.defs#profileView the inbox
// reads.
type profileView struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

// incomingPost is the part of an app.bsky.feed.post record the inbox
// reads: its text, languages, reply refs and a quoted record.
type incomingPost struct {
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Langs     []string  `json:"langs"`
	Reply     *replyRef `json:"reply"`
	Embed     *struct {
		Type   string `json:"$type"`
		Record *struct {
			URI    string `json:"uri"`
			Record *struct {
				URI string `json:"uri"`
			} `json:"record"` // app.bsky.embed.recordWithMedia
		} `json:"record"`
	} `json:"embed"`
}

// quoted returns the URI of the record p quotes, if any.
func (p incomingPost) quoted() string {
	if p.Embed == nil || p.Embed.Record == nil {
		return ""
	}
	if p.Embed.Record.Record != nil && p.Embed.Record.Record.URI != "" {
		return p.Embed.Record.Record.URI
	}
	return p.Embed.Record.URI
}

// inboxCursor is what an inbox cursor carries. listNotifications pages
// from the newest notification back, so the inbox catches up by reading
// back from the newest until it meets what it listed before (Boundary),
// over several calls when there is much: Resume is then the API cursor to
// continue from and Newest the newest instant of the catch-up, which
// becomes the next Boundary when it ends. AtBoundary holds the URIs listed
// at the Boundary instant itself, so an item indexed in the same
// millisecond as another is neither lost nor listed twice.
type inboxCursor struct {
	Boundary   string   `json:"b,omitempty"`
	AtBoundary []string `json:"s,omitempty"`
	Resume     string   `json:"r,omitempty"`
	Newest     string   `json:"n,omitempty"`
	AtNewest   []string `json:"ns,omitempty"`
}

// epoch is the boundary of an inbox that has listed nothing: every
// notification is newer.
const epoch = "1970-01-01T00:00:00.000Z"

func (c inboxCursor) encode() string {
	raw, _ := json.Marshal(c)
	return "v1." + base64.RawURLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (inboxCursor, bool, error) {
	if s == "" {
		return inboxCursor{}, false, nil
	}
	bad := &networks.FieldError{Network: Network, Field: "cursor", Value: s, Reason: "not a cursor of the Bluesky inbox"}
	enc, ok := strings.CutPrefix(s, "v1.")
	if !ok || len(enc) > 16<<10 {
		return inboxCursor{}, false, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	var c inboxCursor
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return inboxCursor{}, false, bad
	}
	if _, ok := instant(c.Boundary); !ok {
		return inboxCursor{}, false, bad
	}
	if c.Newest != "" {
		if _, ok := instant(c.Newest); !ok {
			return inboxCursor{}, false, bad
		}
	}
	return c, true, nil
}

// instant parses an indexedAt datetime.
func instant(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// Incoming lists what arrived for acct after cursor: the replies,
// mentions and quotes of app.bsky.notification.listNotifications
// (https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications,
// reasons reply, mention and quote), which the PDS proxies to its app view
// with the account's token. It implements [networks.InboxSource].
//
// Each item is the notification's post: ID is its AT URI (what
// [Adapter.Reply] answers), Text the record's text, InReplyTo the record's
// reply parent (for a quote, the quoted post), Thread the reply root (the
// item itself when it answers nothing), At the record's createdAt (the
// author's clock; indexedAt when it is not a datetime), Lang its first
// language. Direct messages are not on a PDS: Bluesky's chat
// (chat.bsky.convo.*) is a separate service, which the inbox does not
// read, so it lists no [networks.ItemMessage].
//
// Paging: the API pages from the newest back, so an empty cursor lists
// the newest page, and a cursor reads back from the newest notification
// until it meets the last one listed, at most [InboxPages] pages a call;
// when more is waiting, More is set and the next call continues where
// this one stopped. Items of a catch-up come newest page first. A PDS
// without an app view answers InvalidRequest "No service configured"
// (*networks.RejectedError). A cursor this method did not return is a
// *networks.FieldError.
func (a *Adapter) Incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	c, resumed, err := decodeCursor(cursor)
	if err != nil {
		return networks.IncomingPage{}, err
	}
	s, err := a.open(ctx, acct, networks.OpIncoming)
	if err != nil {
		return networks.IncomingPage{}, err
	}
	var items []networks.Incoming
	seen := map[string]bool{}
	apiCursor := c.Resume
	newest, atNewest := c.Newest, slices.Clone(c.AtNewest)
	note := func(at string, uri string) { // the newest instant read, and the URIs at it
		t, ok := instant(at)
		if !ok {
			return
		}
		n, _ := instant(newest)
		switch {
		case newest == "" || t.After(n):
			newest, atNewest = at, []string{uri}
		case t.Equal(n) && !slices.Contains(atNewest, uri):
			atNewest = append(atNewest, uri)
		}
	}
	boundary, _ := instant(c.Boundary)
	for page := 0; ; page++ {
		q := url.Values{"limit": {strconv.Itoa(InboxPageSize)}, "reasons": {"reply", "mention", "quote"}}
		if apiCursor != "" {
			q.Set("cursor", apiCursor)
		}
		var out struct {
			Cursor        string             `json:"cursor"`
			Notifications []notificationView `json:"notifications"`
		}
		if _, err := a.do(ctx, s.pds, call{method: http.MethodGet, nsid: "app.bsky.notification.listNotifications", query: q,
			token: s.Token, op: networks.OpIncoming, account: acct.ID}, &out); err != nil {
			return networks.IncomingPage{}, err
		}
		met := false
		var pageItems []networks.Incoming
		for _, n := range out.Notifications {
			at, ok := instant(n.IndexedAt)
			if resumed && ok && (at.Before(boundary) || at.Equal(boundary) && slices.Contains(c.AtBoundary, n.URI)) {
				met = true // listed before; so is everything older
				break
			}
			note(n.IndexedAt, n.URI)
			if it, ok := incomingItem(n, acct.ID); ok && !seen[string(it.ID)] {
				seen[string(it.ID)] = true
				pageItems = append(pageItems, it)
			}
		}
		slices.Reverse(pageItems) // oldest first within a page
		items = append(items, pageItems...)
		done := met || out.Cursor == "" || len(out.Notifications) == 0 || !resumed
		if done {
			next := inboxCursor{Boundary: newest, AtBoundary: atNewest}
			if next.Boundary == "" { // nothing read: keep the old boundary
				next.Boundary, next.AtBoundary = c.Boundary, c.AtBoundary
				if next.Boundary == "" {
					next.Boundary = epoch
				}
			}
			return networks.IncomingPage{Items: items, Cursor: next.encode()}, nil
		}
		apiCursor = out.Cursor
		if page+1 >= InboxPages {
			next := inboxCursor{Boundary: c.Boundary, AtBoundary: c.AtBoundary, Resume: apiCursor, Newest: newest, AtNewest: atNewest}
			return networks.IncomingPage{Items: items, Cursor: next.encode(), More: true}, nil
		}
	}
}

// incomingItem maps one notification to an item; false for reasons the
// inbox does not list and for notifications that are not posts.
func incomingItem(n notificationView, accountID string) (networks.Incoming, bool) {
	kind, ok := inboxReasons[n.Reason]
	repo, coll, _, okURI := parseATURI(n.URI)
	if !ok || !okURI || coll != postCollection || !strings.HasPrefix(repo, "did:") {
		return networks.Incoming{}, false
	}
	var rec incomingPost
	_ = json.Unmarshal(n.Record, &rec) // a record that is not a post keeps its zero fields
	it := networks.Incoming{
		Network: Network, AccountID: accountID, ID: networks.RemoteID(n.URI), Kind: kind,
		Author: networks.Author{ID: n.Author.DID, Name: n.Author.DisplayName},
		Text:   rec.Text, URL: webURL(n.URI), Thread: n.URI,
	}
	if it.Author.ID == "" {
		it.Author.ID = repo
	}
	if n.Author.Handle != "" {
		it.Author.Handle = "@" + n.Author.Handle
	}
	if len(rec.Langs) > 0 {
		it.Lang = rec.Langs[0]
	}
	if t, ok := instant(rec.CreatedAt); ok {
		it.At = t
	} else if t, ok := instant(n.IndexedAt); ok {
		it.At = t
	}
	if rec.Reply != nil {
		it.InReplyTo = networks.RemoteID(rec.Reply.Parent.URI)
		if rec.Reply.Root.URI != "" {
			it.Thread = rec.Reply.Root.URI
		}
	}
	if kind == networks.ItemQuote {
		it.InReplyTo, it.Thread = networks.RemoteID(rec.quoted()), n.URI
		if it.InReplyTo == "" {
			it.InReplyTo = networks.RemoteID(n.ReasonSubject)
		}
	}
	return it, true
}

// Reply posts d as a reply to the post to (an AT URI) with the reply refs
// of app.bsky.feed.post (https://docs.bsky.app/docs/advanced-guides/posts#replies):
// parent is to's URI and CID, root the root of to's own reply, or to when
// it answers nothing. It reads both from to's record through
// com.atproto.repo.getRecord before anything is written (a missing post is
// a *networks.NotFoundError; for a repo on another PDS the account's PDS
// forwards the read to its app view). It implements [networks.Replier].
//
// Otherwise it is [Adapter.Publish]: facets, images, d.Thread as replies
// under the reply, and the record key [RecordKey](d.Marker, i), which
// [Adapter.FindByMarker] finds after a lost response; sending the same
// reply again with its marker never posts it twice.
func (a *Adapter) Reply(ctx context.Context, acct networks.Account, to networks.Incoming, d networks.Draft) (networks.Receipt, error) {
	repo, coll, rkey, ok := parseATURI(string(to.ID))
	if !ok || coll != postCollection || !strings.HasPrefix(repo, "did:") && !strings.Contains(repo, ".") {
		return networks.Receipt{}, &networks.FieldError{Network: Network, Field: "to.id", Value: string(to.ID), Reason: "not the AT URI of an app.bsky.feed.post record"}
	}
	return a.publish(ctx, acct, d, networks.OpReply, func(ctx context.Context, s session) (*replyRef, error) {
		var out struct {
			URI   string       `json:"uri"`
			CID   string       `json:"cid"`
			Value incomingPost `json:"value"`
		}
		_, err := a.do(ctx, s.pds, call{
			method: http.MethodGet, nsid: "com.atproto.repo.getRecord",
			query: url.Values{"repo": {repo}, "collection": {postCollection}, "rkey": {rkey}},
			token: s.Token, op: networks.OpReply, account: s.Account.ID, target: to.ID,
		}, &out)
		if errors.Is(err, socialflow.ErrNotFound) {
			return nil, &networks.NotFoundError{Network: Network, Op: networks.OpReply, ID: to.ID, Err: err}
		}
		if err != nil {
			return nil, err
		}
		if out.URI == "" || out.CID == "" {
			return nil, &networks.TransientError{Network: Network, Op: networks.OpReply,
				Err: errors.New("bluesky: com.atproto.repo.getRecord answered without uri or cid")}
		}
		parent := strongRef{URI: out.URI, CID: out.CID}
		ref := &replyRef{Root: parent, Parent: parent}
		if r := out.Value.Reply; r != nil && r.Root.URI != "" && r.Root.CID != "" {
			ref.Root = r.Root
		}
		return ref, nil
	})
}

var (
	_ networks.InboxSource = (*Adapter)(nil)
	_ networks.Replier     = (*Adapter)(nil)
)
