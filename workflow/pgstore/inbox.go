package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/workflow"
)

// The community inbox ([workflow.InboxStore]): inbox_items keyed by
// (network, account, remote id), so the de-duplication is the primary key;
// conversations as documents with the columns queries filter on; an item
// and its conversation's arrival are one transaction, the conversation row
// locked (FOR UPDATE) while [workflow.Conversation.Arrive] is applied.

// AddItem implements [workflow.InboxItemStore].
func (s *Store) AddItem(ctx context.Context, it workflow.InboxItem) (workflow.InboxItem, workflow.Conversation, bool, error) {
	var zi workflow.InboxItem
	var zc workflow.Conversation
	if err := done(ctx); err != nil {
		return zi, zc, false, err
	}
	if it.ID == "" || it.Conversation == "" || it.Item.ID == "" {
		return zi, zc, false, &workflow.ValidationError{Field: "inbox item", Value: it.ID, Reason: "id, conversation and item.id are required"}
	}
	if err := text("item.id", string(it.Item.ID), "item.network", it.Item.Network, "item.account_id", it.Item.AccountID,
		"inbox item.id", it.ID, "inbox item.conversation", it.Conversation, "inbox item.workspace", it.Workspace, "inbox item.channel", it.Channel); err != nil {
		return zi, zc, false, err
	}
	doc, err := json.Marshal(it)
	if err != nil {
		return zi, zc, false, &InvalidError{Field: "inbox item", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("inbox item", doc); err != nil {
		return zi, zc, false, err
	}
	at := it.Item.At.UTC()
	var stored workflow.InboxItem
	var conv workflow.Conversation
	created := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, s.sql(`INSERT INTO {s}.inbox_items (network, account, remote_id, id, conversation, at, at_ns, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`),
			it.Item.Network, it.Item.AccountID, string(it.Item.ID), it.ID, it.Conversation, floorMicro(at), at.Nanosecond()%1000, doc)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var idoc []byte
			if err := tx.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.inbox_items WHERE network = $1 AND account = $2 AND remote_id = $3`),
				it.Item.Network, it.Item.AccountID, string(it.Item.ID)).Scan(&idoc); err != nil {
				return err
			}
			if err := json.Unmarshal(idoc, &stored); err != nil {
				return &DBError{Op: "decode inbox item", Err: err}
			}
			conv, err = s.conversation(ctx, tx, stored.Conversation, "")
			return err
		}
		created, stored = true, it
		if _, err := tx.Exec(ctx, s.sql(`INSERT INTO {s}.conversations (id, workspace, channel, state, rev, doc)
			VALUES ($1, $2, $3, 'new', 0, '{}') ON CONFLICT DO NOTHING`), it.Conversation, it.Workspace, it.Channel); err != nil {
			return err
		}
		if conv, err = s.conversation(ctx, tx, it.Conversation, " FOR UPDATE"); err != nil {
			return err
		}
		conv.Arrive(it)
		conv.Rev++
		return s.writeConversation(ctx, tx, conv)
	})
	if err != nil {
		var ie *InvalidError
		if errors.As(err, &ie) {
			return zi, zc, false, err
		}
		return zi, zc, false, s.err("add inbox item", err)
	}
	return stored, conv, created, nil
}

// conversation reads one conversation (rev 0: the placeholder AddItem
// inserts, read as the zero Conversation).
func (s *Store) conversation(ctx context.Context, q pgx.Tx, id, lock string) (workflow.Conversation, error) {
	var rev int64
	var doc []byte
	var row pgx.Row
	if q != nil {
		row = q.QueryRow(ctx, s.sql(`SELECT rev, doc FROM {s}.conversations WHERE id = $1`+lock), id)
	} else {
		row = s.pool.QueryRow(ctx, s.sql(`SELECT rev, doc FROM {s}.conversations WHERE id = $1 AND rev > 0`), id)
	}
	if err := row.Scan(&rev, &doc); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return workflow.Conversation{}, &workflow.NotFoundError{Kind: "conversation", ID: id}
		}
		return workflow.Conversation{}, err
	}
	if rev == 0 {
		return workflow.Conversation{}, nil
	}
	var c workflow.Conversation
	if err := json.Unmarshal(doc, &c); err != nil {
		return workflow.Conversation{}, &DBError{Op: "decode conversation", Err: err}
	}
	c.Rev = rev
	return c, nil
}

// writeConversation stores c (its Rev already the new one) in tx.
func (s *Store) writeConversation(ctx context.Context, tx pgx.Tx, c workflow.Conversation) error {
	doc, err := encodeConversation(c)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, s.sql(`UPDATE {s}.conversations SET state = $2, assignee = $3, outbox = $4, rev = $5, doc = $6 WHERE id = $1`),
		c.ID, string(c.State), c.Assignee, c.Outbox(), c.Rev, doc)
	return err
}

func encodeConversation(c workflow.Conversation) ([]byte, error) {
	if err := text("conversation.id", c.ID, "conversation.assignee", c.Assignee); err != nil {
		return nil, err
	}
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, &InvalidError{Field: "conversation", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	return doc, document("conversation", doc)
}

// InboxItem implements [workflow.InboxItemStore].
func (s *Store) InboxItem(ctx context.Context, id string) (workflow.InboxItem, error) {
	if err := done(ctx); err != nil {
		return workflow.InboxItem{}, err
	}
	if err := text("inbox item.id", id); err != nil {
		return workflow.InboxItem{}, err
	}
	var doc []byte
	err := s.pool.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.inbox_items WHERE id = $1`), id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.InboxItem{}, &workflow.NotFoundError{Kind: "inbox item", ID: id}
	}
	if err != nil {
		return workflow.InboxItem{}, s.err("get inbox item", err)
	}
	var it workflow.InboxItem
	if err := json.Unmarshal(doc, &it); err != nil {
		return workflow.InboxItem{}, &DBError{Op: "decode inbox item", Err: err}
	}
	return it, nil
}

// ConversationItems implements [workflow.InboxItemStore].
func (s *Store) ConversationItems(ctx context.Context, conversation string) ([]workflow.InboxItem, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("conversation", conversation); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, s.sql(`SELECT doc FROM {s}.inbox_items WHERE conversation = $1 ORDER BY at, at_ns, id`), conversation)
	if err != nil {
		return nil, s.err("list inbox items", err)
	}
	out := []workflow.InboxItem{}
	for _, doc := range collectDocs(rows) {
		var it workflow.InboxItem
		if err := json.Unmarshal(doc, &it); err != nil {
			return nil, &DBError{Op: "decode inbox item", Err: err}
		}
		out = append(out, it)
	}
	return out, s.err("list inbox items", rows.Err())
}

func collectDocs(rows pgx.Rows) [][]byte {
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var doc []byte
		if rows.Scan(&doc) == nil {
			out = append(out, doc)
		}
	}
	return out
}

// Conversation implements [workflow.ConversationStore].
func (s *Store) Conversation(ctx context.Context, id string) (workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return workflow.Conversation{}, err
	}
	if err := text("conversation.id", id); err != nil {
		return workflow.Conversation{}, err
	}
	c, err := s.conversation(ctx, nil, id, "")
	var nf *workflow.NotFoundError
	if errors.As(err, &nf) {
		return c, err
	}
	return c, s.err("get conversation", err)
}

// UpdateConversation implements [workflow.ConversationStore].
func (s *Store) UpdateConversation(ctx context.Context, c workflow.Conversation) (workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return workflow.Conversation{}, err
	}
	base := c.Rev
	c.Rev++
	doc, err := encodeConversation(c)
	if err != nil {
		return workflow.Conversation{}, err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`UPDATE {s}.conversations SET state = $2, assignee = $3, outbox = $4, rev = rev + 1, doc = $5
		WHERE id = $1 AND rev = $6 AND rev > 0`), c.ID, string(c.State), c.Assignee, c.Outbox(), doc, base)
	if err != nil {
		return workflow.Conversation{}, s.err("update conversation", err)
	}
	if tag.RowsAffected() == 0 {
		var cur int64
		err := s.pool.QueryRow(ctx, s.sql(`SELECT rev FROM {s}.conversations WHERE id = $1 AND rev > 0`), c.ID).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			return workflow.Conversation{}, &workflow.NotFoundError{Kind: "conversation", ID: c.ID}
		}
		if err != nil {
			return workflow.Conversation{}, s.err("update conversation", err)
		}
		return workflow.Conversation{}, &workflow.ConflictError{Kind: workflow.ConflictConversation, ID: c.ID, Current: cur}
	}
	return c, nil
}

// Conversations implements [workflow.ConversationStore].
func (s *Store) Conversations(ctx context.Context, q workflow.ConversationQuery) ([]workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("query.workspace", q.Workspace, "query.channel", q.Channel, "query.assignee", q.Assignee, "query.after", q.After); err != nil {
		return nil, err
	}
	states := make([]string, len(q.States))
	for i, st := range q.States {
		states[i] = string(st)
	}
	limit := int64(q.Limit)
	if limit <= 0 {
		limit = 1 << 62
	}
	rows, err := s.pool.Query(ctx, s.sql(`SELECT rev, doc FROM {s}.conversations
		WHERE rev > 0 AND ($1 = '' OR workspace = $1) AND ($2 = '' OR channel = $2) AND (cardinality($3::text[]) = 0 OR state = ANY($3))
		AND ($4 = '' OR assignee = $4) AND (NOT $5 OR outbox) AND id > $6 ORDER BY id LIMIT $7`),
		q.Workspace, q.Channel, states, q.Assignee, q.Outbox, q.After, limit)
	if err != nil {
		return nil, s.err("list conversations", err)
	}
	defer rows.Close()
	var out []workflow.Conversation
	for rows.Next() {
		var rev int64
		var doc []byte
		if err := rows.Scan(&rev, &doc); err != nil {
			return nil, s.err("list conversations", err)
		}
		var c workflow.Conversation
		if err := json.Unmarshal(doc, &c); err != nil {
			return nil, &DBError{Op: "decode conversation", Err: err}
		}
		c.Rev = rev
		out = append(out, c)
	}
	return out, s.err("list conversations", rows.Err())
}

// ClaimConversation implements [workflow.ConversationStore]: the row is
// locked while [workflow.GrantClaim] decides.
func (s *Store) ClaimConversation(ctx context.Context, id, member string, now time.Time, ttl time.Duration) (workflow.Conversation, error) {
	if err := done(ctx); err != nil {
		return workflow.Conversation{}, err
	}
	if err := text("conversation.id", id, "claim.member", member); err != nil {
		return workflow.Conversation{}, err
	}
	var c workflow.Conversation
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if c, err = s.conversation(ctx, tx, id, " FOR UPDATE"); err != nil {
			return err
		}
		if c.ID == "" {
			return &workflow.NotFoundError{Kind: "conversation", ID: id}
		}
		if err := workflow.GrantClaim(&c, member, now, ttl); err != nil {
			return err
		}
		c.Rev++
		return s.writeConversation(ctx, tx, c)
	})
	if err != nil {
		var nf *workflow.NotFoundError
		var ce *workflow.ClaimedError
		var ve *workflow.ValidationError
		if errors.As(err, &nf) || errors.As(err, &ce) || errors.As(err, &ve) {
			return workflow.Conversation{}, err
		}
		return workflow.Conversation{}, s.err("claim conversation", err)
	}
	return c, nil
}

// InboxCursor implements [workflow.InboxCursorStore].
func (s *Store) InboxCursor(ctx context.Context, channel string) (workflow.InboxCursor, error) {
	if err := done(ctx); err != nil {
		return workflow.InboxCursor{}, err
	}
	if err := text("inbox cursor.channel", channel); err != nil {
		return workflow.InboxCursor{}, err
	}
	var rev int64
	var doc []byte
	err := s.pool.QueryRow(ctx, s.sql(`SELECT rev, doc FROM {s}.inbox_cursors WHERE channel = $1`), channel).Scan(&rev, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.InboxCursor{Channel: channel}, nil
	}
	if err != nil {
		return workflow.InboxCursor{}, s.err("get inbox cursor", err)
	}
	var c workflow.InboxCursor
	if err := json.Unmarshal(doc, &c); err != nil {
		return workflow.InboxCursor{}, &DBError{Op: "decode inbox cursor", Err: err}
	}
	c.Rev = rev
	return c, nil
}

// PutInboxCursor implements [workflow.InboxCursorStore].
func (s *Store) PutInboxCursor(ctx context.Context, c workflow.InboxCursor) (workflow.InboxCursor, error) {
	if err := done(ctx); err != nil {
		return workflow.InboxCursor{}, err
	}
	if c.Channel == "" {
		return workflow.InboxCursor{}, &workflow.ValidationError{Field: "inbox cursor.channel", Reason: "required"}
	}
	if err := text("inbox cursor.channel", c.Channel, "inbox cursor.cursor", c.Cursor); err != nil {
		return workflow.InboxCursor{}, err
	}
	base := c.Rev
	c.Rev++
	doc, err := json.Marshal(c)
	if err != nil {
		return workflow.InboxCursor{}, &InvalidError{Field: "inbox cursor", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	sql := `UPDATE {s}.inbox_cursors SET rev = rev + 1, doc = $2 WHERE channel = $1 AND rev = $3`
	if base == 0 {
		sql = `INSERT INTO {s}.inbox_cursors (channel, rev, doc) SELECT $1, 1, $2 WHERE $3::bigint = 0 ON CONFLICT DO NOTHING`
	}
	tag, err := s.pool.Exec(ctx, s.sql(sql), c.Channel, doc, base)
	if err != nil {
		return workflow.InboxCursor{}, s.err("put inbox cursor", err)
	}
	if tag.RowsAffected() == 0 {
		var cur int64
		if err := s.pool.QueryRow(ctx, s.sql(`SELECT rev FROM {s}.inbox_cursors WHERE channel = $1`), c.Channel).Scan(&cur); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return workflow.InboxCursor{}, s.err("put inbox cursor", err)
		}
		return workflow.InboxCursor{}, &workflow.ConflictError{Kind: workflow.ConflictInboxCursor, ID: c.Channel, Current: cur}
	}
	return c, nil
}

// NextTurn implements [workflow.InboxCursorStore]: one upsert.
func (s *Store) NextTurn(ctx context.Context, key string) (int64, error) {
	if err := done(ctx); err != nil {
		return 0, err
	}
	if err := text("turn key", key); err != nil {
		return 0, err
	}
	var n int64
	err := s.pool.QueryRow(ctx, s.sql(`INSERT INTO {s}.inbox_turns AS t (key, n) VALUES ($1, 1)
		ON CONFLICT (key) DO UPDATE SET n = t.n + 1 RETURNING n`), key).Scan(&n)
	return n, s.err("next turn", err)
}
