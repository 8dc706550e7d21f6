package memstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
)

// inboxState is the community inbox: items by ID and by their network key,
// conversations with their items, the outbox index, cursors and counters.
type inboxState struct {
	items   map[string]workflow.InboxItem
	keys    map[itemKey]string
	byConv  map[string][]string // item IDs, ordered by (At, ID)
	convs   map[string]workflow.Conversation
	outbox  map[string]bool // conversations with a reply to deliver
	cursors map[string]workflow.InboxCursor
	turns   map[string]int64
}

type itemKey struct {
	network, account string
	id               networks.RemoteID
}

func (st *inboxState) init() {
	if st.items == nil {
		st.items = map[string]workflow.InboxItem{}
		st.keys = map[itemKey]string{}
		st.byConv = map[string][]string{}
		st.convs = map[string]workflow.Conversation{}
		st.outbox = map[string]bool{}
		st.cursors = map[string]workflow.InboxCursor{}
		st.turns = map[string]int64{}
	}
}

// AddItem implements workflow.InboxItemStore.
func (s *Store) AddItem(ctx context.Context, it workflow.InboxItem) (workflow.InboxItem, workflow.Conversation, bool, error) {
	if err := done(ctx); err != nil {
		return workflow.InboxItem{}, workflow.Conversation{}, false, err
	}
	if it.ID == "" || it.Conversation == "" || it.Item.ID == "" {
		return workflow.InboxItem{}, workflow.Conversation{}, false, &workflow.ValidationError{Field: "inbox item", Value: it.ID, Reason: "id, conversation and item.id are required"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.inbox
	st.init()
	k := itemKey{it.Item.Network, it.Item.AccountID, it.Item.ID}
	if id, ok := st.keys[k]; ok {
		old := st.items[id]
		return old.Clone(), st.convs[old.Conversation].Clone(), false, nil
	}
	it = it.Clone()
	st.keys[k] = it.ID
	st.items[it.ID] = it
	ids := st.byConv[it.Conversation]
	i, _ := slices.BinarySearchFunc(ids, it, func(id string, t workflow.InboxItem) int {
		o := st.items[id]
		if c := o.Item.At.Compare(t.Item.At); c != 0 {
			return c
		}
		return strings.Compare(o.ID, t.ID)
	})
	st.byConv[it.Conversation] = slices.Insert(ids, i, it.ID)
	c := st.convs[it.Conversation]
	c.Arrive(it)
	c.Rev++
	st.store(c)
	return it.Clone(), c.Clone(), true, nil
}

// store saves c and keeps the outbox index in step. It runs under s.mu.
func (st *inboxState) store(c workflow.Conversation) {
	st.convs[c.ID] = c.Clone()
	if c.Outbox() {
		st.outbox[c.ID] = true
	} else {
		delete(st.outbox, c.ID)
	}
}

// InboxItem implements workflow.InboxItemStore.
func (s *Store) InboxItem(ctx context.Context, id string) (workflow.InboxItem, error) {
	if err := done(ctx); err != nil {
		return workflow.InboxItem{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.inbox.items[id]
	if !ok {
		return workflow.InboxItem{}, &workflow.NotFoundError{Kind: "inbox item", ID: id}
	}
	return it.Clone(), nil
}

// ConversationItems implements workflow.InboxItemStore.
func (s *Store) ConversationItems(ctx context.Context, conversation string) ([]workflow.InboxItem, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.inbox.byConv[conversation]
	out := make([]workflow.InboxItem, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.inbox.items[id].Clone())
	}
	return out, nil
}

// Conversation implements workflow.ConversationStore.
func (s *Store) Conversation(ctx context.Context, id string) (workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return workflow.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.inbox.convs[id]
	if !ok {
		return workflow.Conversation{}, &workflow.NotFoundError{Kind: "conversation", ID: id}
	}
	return c.Clone(), nil
}

// UpdateConversation implements workflow.ConversationStore.
func (s *Store) UpdateConversation(ctx context.Context, c workflow.Conversation) (workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return workflow.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.inbox.convs[c.ID]
	if !ok {
		return workflow.Conversation{}, &workflow.NotFoundError{Kind: "conversation", ID: c.ID}
	}
	if cur.Rev != c.Rev {
		return workflow.Conversation{}, &workflow.ConflictError{Kind: workflow.ConflictConversation, ID: c.ID, Current: cur.Rev}
	}
	c.Rev++
	s.inbox.store(c)
	return c.Clone(), nil
}

// Conversations implements workflow.ConversationStore.
func (s *Store) Conversations(ctx context.Context, q workflow.ConversationQuery) ([]workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	if q.Outbox {
		for id := range s.inbox.outbox {
			ids = append(ids, id)
		}
	} else {
		for id := range s.inbox.convs {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []workflow.Conversation
	for _, id := range ids {
		c := s.inbox.convs[id]
		switch {
		case id <= q.After,
			q.Workspace != "" && c.Workspace != q.Workspace,
			q.Channel != "" && c.Channel != q.Channel,
			len(q.States) > 0 && !slices.Contains(q.States, c.State),
			q.Assignee != "" && c.Assignee != q.Assignee:
			continue
		}
		out = append(out, c.Clone())
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// ClaimConversation implements workflow.ConversationStore.
func (s *Store) ClaimConversation(ctx context.Context, id, member string, now time.Time, ttl time.Duration) (workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return workflow.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.inbox.convs[id]
	if !ok {
		return workflow.Conversation{}, &workflow.NotFoundError{Kind: "conversation", ID: id}
	}
	c = c.Clone()
	if err := workflow.GrantClaim(&c, member, now, ttl); err != nil {
		return workflow.Conversation{}, err
	}
	c.Rev++
	s.inbox.store(c)
	return c.Clone(), nil
}

// InboxCursor implements workflow.InboxCursorStore.
func (s *Store) InboxCursor(ctx context.Context, channel string) (workflow.InboxCursor, error) {
	if err := done(ctx); err != nil {
		return workflow.InboxCursor{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.inbox.cursors[channel]; ok {
		return c, nil
	}
	return workflow.InboxCursor{Channel: channel}, nil
}

// PutInboxCursor implements workflow.InboxCursorStore.
func (s *Store) PutInboxCursor(ctx context.Context, c workflow.InboxCursor) (workflow.InboxCursor, error) {
	if err := done(ctx); err != nil {
		return workflow.InboxCursor{}, err
	}
	if c.Channel == "" {
		return workflow.InboxCursor{}, &workflow.ValidationError{Field: "inbox cursor.channel", Reason: "required"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.init()
	cur := s.inbox.cursors[c.Channel]
	if cur.Rev != c.Rev {
		return workflow.InboxCursor{}, &workflow.ConflictError{Kind: workflow.ConflictInboxCursor, ID: c.Channel, Current: cur.Rev}
	}
	c.Rev++
	s.inbox.cursors[c.Channel] = c
	return c, nil
}

// NextTurn implements workflow.InboxCursorStore.
func (s *Store) NextTurn(ctx context.Context, key string) (int64, error) {
	if err := done(ctx); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.init()
	s.inbox.turns[key]++
	return s.inbox.turns[key], nil
}
