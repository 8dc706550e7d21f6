package workflow

import (
	"context"
	"time"
)

// InboxStore persists the community inbox: items, conversations, claims,
// per-channel cursors and the round-robin counters. It is part of [Store]
// and keeps the [Store] contract (ctx first, copies, safe for concurrent
// use); storetest checks it. It is three small interfaces, one per concern.
type InboxStore interface {
	InboxItemStore
	ConversationStore
	InboxCursorStore
}

// InboxItemStore stores incoming items once.
type InboxItemStore interface {
	// AddItem stores it unless an item with the same key (it.Item.Network,
	// it.Item.AccountID, it.Item.ID) is stored, and in the same atomic step
	// applies [Conversation.Arrive] to the conversation it.Conversation
	// (creating it with Rev 1, or storing it with Rev+1). It returns the
	// stored item and conversation and whether it was new; a known key
	// returns the item stored first, the conversation as stored, and false,
	// and changes nothing — whatever the order or the number of times a
	// network lists an item.
	AddItem(ctx context.Context, it InboxItem) (InboxItem, Conversation, bool, error)
	// InboxItem returns the item with id, or a *NotFoundError.
	InboxItem(ctx context.Context, id string) (InboxItem, error)
	// ConversationItems returns the items of a conversation ordered by
	// their network time (Item.At), then ID.
	ConversationItems(ctx context.Context, conversation string) ([]InboxItem, error)
}

// ConversationStore stores conversations under optimistic concurrency.
type ConversationStore interface {
	// Conversation returns the conversation with id, or a *NotFoundError.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// UpdateConversation stores c when c.Rev equals the stored Rev and
	// returns it with Rev+1; otherwise a [*ConflictError] of
	// [ConflictConversation] naming the current Rev, and nothing changes. A
	// missing conversation is a *NotFoundError (conversations are created
	// only by AddItem).
	UpdateConversation(ctx context.Context, c Conversation) (Conversation, error)
	// Conversations returns the conversations matching q, ordered by ID,
	// strictly after q.After, at most q.Limit (0: all).
	Conversations(ctx context.Context, q ConversationQuery) ([]Conversation, error)
	// ClaimConversation applies [GrantClaim] to the conversation in one
	// atomic step (storing it with Rev+1 when granted) and returns it; a
	// claim held by another member is the [*ClaimedError] GrantClaim gives,
	// and nothing changes.
	ClaimConversation(ctx context.Context, id, member string, now time.Time, ttl time.Duration) (Conversation, error)
}

// InboxCursorStore keeps where each channel's polling stands and the
// counters of round-robin assignment.
type InboxCursorStore interface {
	// InboxCursor returns the cursor of channel; one never stored has Rev 0
	// and only Channel set.
	InboxCursor(ctx context.Context, channel string) (InboxCursor, error)
	// PutInboxCursor stores c when c.Rev equals the stored Rev (0 for none)
	// and returns it with Rev+1; otherwise a [*ConflictError] of
	// [ConflictInboxCursor], and nothing changes.
	PutInboxCursor(ctx context.Context, c InboxCursor) (InboxCursor, error)
	// NextTurn increments the counter key and returns its new value (1 the
	// first time), in one atomic step: two callers never get the same value.
	NextTurn(ctx context.Context, key string) (int64, error)
}

// The conflict kinds of the [InboxStore].
const (
	ConflictConversation ConflictKind = "conversation" // UpdateConversation of a stale Rev
	ConflictInboxCursor  ConflictKind = "inbox_cursor" // PutInboxCursor of a stale Rev
)

// ConversationQuery filters [ConversationStore.Conversations]. Zero fields
// match everything (the Service always names a Workspace).
type ConversationQuery struct {
	Workspace string
	Channel   string
	States    []ConversationState
	Assignee  string
	// Outbox keeps only conversations with a reply waiting to be delivered
	// ([Conversation.Outbox]); stores index them, so delivery never scans.
	Outbox bool
	After  string // an ID: only conversations ordered after it
	Limit  int
}

// InboxCursor is where polling of one channel stands: the network's opaque
// cursor, stored only after the items it covers.
type InboxCursor struct {
	Channel string    `json:"channel"`
	Cursor  string    `json:"cursor,omitempty"`
	Rev     int64     `json:"rev"`
	Polled  time.Time `json:"polled,omitzero"` // when a poll last moved the cursor
}
