package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// InboxPageSize is the limit of GET /api/v1/notifications the inbox asks
// for (Mastodon's default is 40 and its maximum 80; 30 keeps older servers
// within theirs).
const InboxPageSize = 30

// cursorPrefix starts every inbox cursor ("v1:" then the account's id on
// the instance, ":" and the newest notification id listed).
const cursorPrefix = "v1:"

// notification is the part of the Notification entity the inbox reads
// (https://docs.joinmastodon.org/entities/Notification/).
type notification struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	CreatedAt string         `json:"created_at"`
	Account   mastoAccount   `json:"account"`
	Status    *incomingState `json:"status"`
}

// mastoAccount is the part of the Account entity the inbox reads
// (https://docs.joinmastodon.org/entities/Account/).
type mastoAccount struct {
	ID          string `json:"id"`
	Acct        string `json:"acct"` // username, or username@domain for remote accounts
	DisplayName string `json:"display_name"`
}

// incomingState is the part of the Status entity of an incoming item the
// inbox reads (https://docs.joinmastodon.org/entities/Status/).
type incomingState struct {
	ID                 string       `json:"id"`
	URL                string       `json:"url"`
	URI                string       `json:"uri"`
	CreatedAt          string       `json:"created_at"`
	InReplyToID        *string      `json:"in_reply_to_id"`
	InReplyToAccountID *string      `json:"in_reply_to_account_id"`
	Visibility         string       `json:"visibility"`
	Language           *string      `json:"language"`
	Content            string       `json:"content"`
	Text               *string      `json:"text"` // GoToSocial includes it; Mastodon only on delete
	SpoilerText        string       `json:"spoiler_text"`
	Account            mastoAccount `json:"account"`
	Quote              *quoteRef    `json:"quote"`
}

// quoteRef is the Quote entity of Mastodon 4.5
// (https://docs.joinmastodon.org/entities/Quote/): the quoted status, when
// the server shows it.
type quoteRef struct {
	State        string `json:"state"`
	QuotedStatus *struct {
		ID string `json:"id"`
	} `json:"quoted_status"`
}

// Incoming lists what arrived for acct after cursor: the mention
// notifications of GET /api/v1/notifications
// (https://docs.joinmastodon.org/methods/notifications/#get, scope
// read:notifications), and on Mastodon the quote notifications of 4.5
// (https://docs.joinmastodon.org/entities/Notification/#type); GoToSocial
// has no quotes. It implements [networks.InboxSource].
//
// Each item is the notification's status: ID is the status id (so
// [Adapter.Reply] answers it), Kind is [networks.ItemMessage] for a status
// of visibility direct (Mastodon's direct messages arrive as mentions;
// /api/v1/conversations groups the same statuses), [networks.ItemReply]
// when it answers one of the account's statuses (in_reply_to_account_id),
// [networks.ItemQuote] for a quote and [networks.ItemMention] otherwise.
// InReplyTo is in_reply_to_id (for a quote, the quoted status). Thread is
// the root of the item's conversation: the Status entity names none, so
// for an item that answers a status the adapter reads its ancestors from
// GET /api/v1/statuses/:id/context
// (https://docs.joinmastodon.org/methods/statuses/#context) and takes the
// first, one request per such item; an item that answers nothing (a
// mention, a new direct message, a quote) is its own root. With
// [WithoutThreadRoots] the adapter skips those reads and Thread is the
// status answered, so a longer exchange splits into several threads.
// Text is the status's source text where
// the server gives it (GoToSocial), otherwise its HTML content as plain
// text (see [PlainText]); a content warning (spoiler_text) comes first, on
// its own line.
//
// Paging: an empty cursor lists the newest page (when there is none, the
// cursor returned lists from the first notification on); a cursor asks with
// min_id for the page immediately newer than the last notification listed
// (the Link header's rel="prev" page), oldest first, and More says the page
// was full. The cursor also carries the account's id on the instance, read
// once from GET /api/v1/accounts/verify_credentials. A cursor this method
// did not return is a *networks.FieldError.
func (a *Adapter) Incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	me, after, err := parseCursor(cursor)
	if err != nil {
		return networks.IncomingPage{}, err
	}
	s, err := a.open(ctx, acct, networks.OpIncoming)
	if err != nil {
		return networks.IncomingPage{}, err
	}
	if me == "" {
		if me, err = a.me(ctx, s, networks.OpIncoming); err != nil {
			return networks.IncomingPage{}, err
		}
	}
	q := url.Values{"limit": {strconv.Itoa(InboxPageSize)}, "types[]": {"mention"}}
	if a.software != SoftwareGoToSocial {
		q["types[]"] = append(q["types[]"], "quote")
	}
	if after != "" {
		q.Set("min_id", after)
	}
	var page []notification
	res, err := a.do(ctx, s.base, request{method: http.MethodGet, path: "/api/v1/notifications", query: q,
		token: s.Token, op: networks.OpIncoming, account: acct.ID}, &page)
	if err != nil {
		return networks.IncomingPage{}, err
	}
	newest := after
	if prev := linkParam(res.Header, "prev", "min_id"); prev != "" {
		newest = prev
	}
	var items []networks.Incoming
	seen := map[networks.RemoteID]bool{}
	for i := len(page) - 1; i >= 0; i-- { // the server lists newest first
		n := page[i]
		if newerID(n.ID, newest) {
			newest = n.ID
		}
		it, ok := incomingItem(n, me, acct.ID)
		if !ok || seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		if it.InReplyTo != "" && it.Kind != networks.ItemQuote && !a.noRoots {
			root, err := a.rootOf(ctx, s, string(it.ID))
			if err != nil {
				return networks.IncomingPage{}, err
			}
			if root != "" {
				it.Thread = root
			}
		}
		items = append(items, it)
	}
	if newest == "" {
		newest = "0" // nothing yet: the next call lists from the first notification on
	}
	return networks.IncomingPage{Items: items, Cursor: cursorPrefix + me + ":" + newest, More: after != "" && len(page) >= InboxPageSize}, nil
}

// WithoutThreadRoots makes [Adapter.Incoming] skip the context read of
// each reply, saving a request per item; Thread is then the status an item
// answers rather than its conversation's root.
func WithoutThreadRoots() Option {
	return func(a *Adapter) error { a.noRoots = true; return nil }
}

// rootOf returns the first ancestor of status id (the root of its
// conversation), or "" when it has none the account can see.
func (a *Adapter) rootOf(ctx context.Context, s session, id string) (string, error) {
	var out struct {
		Ancestors []struct {
			ID string `json:"id"`
		} `json:"ancestors"`
	}
	_, err := a.do(ctx, s.base, request{method: http.MethodGet, path: "/api/v1/statuses/" + url.PathEscape(id) + "/context",
		token: s.Token, op: networks.OpIncoming, account: s.Account.ID, target: networks.RemoteID(id)}, &out)
	var nf *networks.NotFoundError
	switch {
	case errors.As(err, &nf):
		return "", nil // deleted meanwhile: keep the status answered
	case err != nil:
		return "", err
	case len(out.Ancestors) == 0 || !validID(networks.RemoteID(out.Ancestors[0].ID)):
		return "", nil
	}
	return out.Ancestors[0].ID, nil
}

// me returns the account's id on the instance.
func (a *Adapter) me(ctx context.Context, s session, op string) (string, error) {
	var me struct {
		ID string `json:"id"`
	}
	if _, err := a.do(ctx, s.base, request{method: http.MethodGet, path: "/api/v1/accounts/verify_credentials",
		token: s.Token, op: op, account: s.Account.ID}, &me); err != nil {
		return "", err
	}
	if me.ID == "" || !validID(networks.RemoteID(me.ID)) || strings.Contains(me.ID, ":") {
		return "", &networks.TransientError{Network: Network, Op: op,
			Err: fmt.Errorf("GET /api/v1/accounts/verify_credentials: no usable account id")}
	}
	return me.ID, nil
}

// parseCursor splits an inbox cursor into the account's id and the newest
// notification id listed (either may be empty).
func parseCursor(c string) (me, after string, err error) {
	if c == "" {
		return "", "", nil
	}
	rest, ok := strings.CutPrefix(c, cursorPrefix)
	me, after, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || me == "" || strings.ContainsAny(after, "/?#&") || strings.ContainsAny(me, "/?#&") {
		return "", "", &networks.FieldError{Network: Network, Field: "cursor", Value: c, Reason: "not a cursor of the Mastodon inbox"}
	}
	return me, after, nil
}

// newerID reports whether notification id a is newer than b: Mastodon's
// ids are numeric strings, GoToSocial's ULIDs of one length, so the longer
// id, or of equal length the greater, is newer.
func newerID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// linkParam returns query parameter param of the Link header's rel link
// (RFC 8288), as Mastodon paginates
// (https://docs.joinmastodon.org/api/guidelines/#pagination).
func linkParam(h http.Header, rel, param string) string {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			isRel := false
			for _, p := range strings.Split(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") && strings.Trim(v, `"`) == rel {
					isRel = true
				}
			}
			if !isRel {
				continue
			}
			u, err := url.Parse(target[1 : len(target)-1])
			if err != nil {
				continue
			}
			if x := u.Query().Get(param); x != "" && !strings.ContainsAny(x, "/?#&:") {
				return x
			}
		}
	}
	return ""
}

// incomingItem maps one notification to an item; false for notifications
// without a status the inbox lists.
func incomingItem(n notification, me, accountID string) (networks.Incoming, bool) {
	st := n.Status
	if st == nil || st.ID == "" || !validID(networks.RemoteID(st.ID)) {
		return networks.Incoming{}, false
	}
	author := st.Account
	if author.ID == "" {
		author = n.Account
	}
	it := networks.Incoming{
		Network: Network, AccountID: accountID, ID: networks.RemoteID(st.ID),
		Author: networks.Author{ID: author.ID, Handle: handle(author.Acct), Name: author.DisplayName},
		URL:    st.URL, Kind: networks.ItemMention,
	}
	if it.URL == "" {
		it.URL = st.URI
	}
	if st.Language != nil {
		it.Lang = *st.Language
	}
	if t, err := time.Parse(time.RFC3339Nano, st.CreatedAt); err == nil {
		it.At = t
	} else if t, err := time.Parse(time.RFC3339Nano, n.CreatedAt); err == nil {
		it.At = t
	}
	if st.InReplyToID != nil {
		it.InReplyTo = networks.RemoteID(*st.InReplyToID)
	}
	switch {
	case n.Type == "quote":
		it.Kind = networks.ItemQuote
		if st.Quote != nil && st.Quote.QuotedStatus != nil {
			it.InReplyTo = networks.RemoteID(st.Quote.QuotedStatus.ID)
		}
	case n.Type != "mention":
		return networks.Incoming{}, false
	case st.Visibility == "direct":
		it.Kind = networks.ItemMessage
	case st.InReplyToAccountID != nil && *st.InReplyToAccountID == me && it.InReplyTo != "":
		it.Kind = networks.ItemReply
	}
	text := PlainText(st.Content)
	if st.Text != nil && *st.Text != "" {
		text = *st.Text
	}
	if st.SpoilerText != "" {
		text = st.SpoilerText + "\n\n" + text
	}
	it.Text = text
	it.Thread = string(it.ID)
	if it.InReplyTo != "" && it.Kind != networks.ItemQuote {
		it.Thread = string(it.InReplyTo)
	}
	return it, true
}

// handle is acct as a mention: "@" and the username, with the domain for
// remote accounts.
func handle(acct string) string {
	if acct == "" {
		return ""
	}
	return "@" + strings.TrimPrefix(acct, "@")
}

// Reply posts d as a reply to the status to (in_reply_to_id, see
// https://docs.joinmastodon.org/methods/statuses/#create) with the
// adapter's [PostOptions], except that a reply to a direct message is
// direct too. It implements [networks.Replier]. Like Mastodon's own
// clients, it starts the text with the author's handle unless the text
// mentions it already: on Mastodon a reply reaches its author through the
// mention, and a direct reply reaches nobody else. The status carries the
// marker tag ([MarkerTag]) as every publish does, so [Adapter.FindByMarker]
// finds a reply whose response was lost. Errors as for
// [Adapter.PublishWith]; a status that no longer exists answers 404
// (*networks.NotFoundError).
func (a *Adapter) Reply(ctx context.Context, acct networks.Account, to networks.Incoming, d networks.Draft) (networks.Receipt, error) {
	if to.ID == "" || !validID(to.ID) {
		return networks.Receipt{}, &networks.FieldError{Network: Network, Field: "to.id", Value: string(to.ID), Reason: "not a status id"}
	}
	o := a.opts
	if to.Kind == networks.ItemMessage {
		o.Visibility = Direct
	}
	if h := to.Author.Handle; h != "" && !mentions(d.Text, h) {
		d.Text = h + " " + d.Text
	}
	return a.publish(ctx, acct, d, o, networks.OpReply, string(to.ID))
}

// mentions reports whether text mentions handle (case-insensitively, as
// Mastodon matches usernames).
func mentions(text, handle string) bool {
	i := strings.Index(strings.ToLower(text), strings.ToLower(handle))
	if i < 0 {
		return false
	}
	end := i + len(handle)
	return end == len(text) || !isHandleByte(text[end])
}

func isHandleByte(c byte) bool {
	return c == '_' || c == '@' || c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

var (
	_ networks.InboxSource = (*Adapter)(nil)
	_ networks.Replier     = (*Adapter)(nil)
)
