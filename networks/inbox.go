package networks

import (
	"context"
	"time"
)

// ItemKind says what an [Incoming] item is.
type ItemKind string

// The item kinds. A network reports only those its API gives; an adapter
// never invents one.
const (
	ItemReply   ItemKind = "reply"   // a reply or comment on one of the account's posts
	ItemMention ItemKind = "mention" // a post that mentions the account
	ItemQuote   ItemKind = "quote"   // a post that quotes one of the account's posts
	ItemMessage ItemKind = "message" // a direct (private) message
)

// Author is who wrote an [Incoming] item, as the network names them.
type Author struct {
	ID     string `json:"id"`               // the network's stable id (a DID, an account id)
	Handle string `json:"handle,omitempty"` // @name, for display
	Name   string `json:"name,omitempty"`   // display name
}

// Incoming is one item that arrived on a network for a connected account: a
// reply, a mention, a quote or a direct message. (Network, AccountID, ID)
// identifies it; a network may list the same item twice, and the receiver
// de-duplicates by that key.
//
// Text is the item's plain text as the network gives it: untrusted input,
// possibly huge, markup-laden or invalid UTF-8. Receivers escape it where they
// render it.
type Incoming struct {
	Network   string    `json:"network"`
	AccountID string    `json:"account_id"`
	ID        RemoteID  `json:"id"`
	Kind      ItemKind  `json:"kind"`
	Author    Author    `json:"author"`
	Text      string    `json:"text"`
	URL       string    `json:"url,omitempty"`
	Lang      string    `json:"lang,omitempty"` // BCP 47, when the network says
	At        time.Time `json:"at"`             // when the network says it was created

	// InReplyTo is the post or item this one answers, when it answers one.
	InReplyTo RemoteID `json:"in_reply_to,omitempty"`
	// Thread is the network's key of the conversation the item belongs to:
	// the root post of a reply chain, or the direct-message conversation.
	// Items with the same Thread belong to one conversation.
	Thread string `json:"thread,omitempty"`
}

// IncomingPage is one page of [Incoming] items and the cursor to ask with
// next time.
type IncomingPage struct {
	Items []Incoming `json:"items"`
	// Cursor is opaque; pass it to the next call to get what arrived after
	// this page. It is never empty after a successful call.
	Cursor string `json:"cursor"`
	// More says another page is ready now; otherwise wait before polling.
	More bool `json:"more,omitempty"`
}

// InboxSource is implemented by adapters that list what arrived for an
// account. It is optional: callers type-assert it, as the Publisher does
// [Finder].
//
// Incoming returns items that arrived after cursor (an empty cursor: the
// adapter's documented look-back, such as the newest page). Passing the same
// cursor again is allowed and returns at least the same items; items may
// repeat across pages and arrive out of order. Errors are classified as for
// [Adapter]; a read never returns [*OutcomeUnknownError].
type InboxSource interface {
	Incoming(ctx context.Context, acct Account, cursor string) (IncomingPage, error)
}

// Replier is implemented by adapters that publish a reply threaded under an
// incoming item. It is optional, like [InboxSource].
//
// Reply follows [Adapter.Publish]'s contract: d has passed [Validate], its
// Marker is carried to the network so a [Finder] can find the reply after a
// lost response, and a reply that may have reached the network returns
// [*OutcomeUnknownError].
type Replier interface {
	Reply(ctx context.Context, acct Account, to Incoming, d Draft) (Receipt, error)
}
