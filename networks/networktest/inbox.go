package networktest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
)

// Inbox is optionally implemented by a [Harness] whose adapter implements
// [networks.InboxSource] (and [networks.Replier]): it makes items arrive on
// the backend, as another account would post them, and shows what the
// backend holds under an item. Without it, or without the interfaces, the
// inbox cases are skipped.
type Inbox interface {
	// Arrive makes another account post an item of kind for the harness's
	// Account: a reply to the account's post to (kind
	// [networks.ItemReply]), a mention of the account (kind
	// [networks.ItemMention], to empty) or a direct message to it (kind
	// [networks.ItemMessage], to empty), carrying text. It returns once the
	// backend lists the item, or false when the backend cannot produce
	// kind (the case is then skipped).
	Arrive(t *testing.T, kind networks.ItemKind, to networks.RemoteID, text string) bool
	// Replies returns the IDs of the live posts threaded directly under
	// the item id on the backend.
	Replies(t *testing.T, id networks.RemoteID) []networks.RemoteID
}

// The inbox cases, run by [Run].
var inboxCases = []struct {
	name string
	fn   func(t *testing.T, h Harness)
}{
	{"InboxListsRepliesAndMentions", inboxListsRepliesAndMentions},
	{"InboxCursorMovesPastItsItems", inboxCursorMovesPast},
	{"InboxListsDirectMessages", inboxListsDirectMessages},
	{"InboxRepeatedCursorIsAllowed", inboxRepeatedCursor},
	{"InboxErrorsAreClassified", inboxErrorsAreClassified},
	{"ReplyIsThreadedUnderTheItem", replyIsThreaded},
	{"ReplyLostResponseIsFoundByMarker", replyLostResponseFound},
	{"ReplyErrorsAreClassified", replyErrorsAreClassified},
}

// inboxOf returns the harness's inbox, or skips the case.
func inboxOf(t *testing.T, h Harness) (networks.InboxSource, Inbox) {
	t.Helper()
	src, ok := h.Adapter().(networks.InboxSource)
	if !ok {
		t.Skip("the adapter does not implement networks.InboxSource")
	}
	ib, ok := h.(Inbox)
	if !ok {
		t.Skip("the harness does not implement networktest.Inbox")
	}
	return src, ib
}

// replierOf returns the adapter's Replier, or skips the case.
func replierOf(t *testing.T, h Harness) networks.Replier {
	t.Helper()
	r, ok := h.Adapter().(networks.Replier)
	if !ok {
		t.Skip("the adapter does not implement networks.Replier")
	}
	return r
}

// maxPages bounds how many pages drain follows.
const maxPages = 50

// drain follows the cursor from cursor until a page says no more is ready,
// checking every page, and returns what it listed and the last cursor.
func drain(t *testing.T, src networks.InboxSource, acct networks.Account, cursor string) ([]networks.Incoming, string) {
	t.Helper()
	var all []networks.Incoming
	for range maxPages {
		page, err := src.Incoming(t.Context(), acct, cursor)
		require.NoError(t, err)
		require.NotEmpty(t, page.Cursor, "a successful call returns a cursor")
		seen := map[networks.RemoteID]bool{}
		for _, it := range page.Items {
			assert.NotEmpty(t, it.ID, "every item has an ID")
			assert.False(t, seen[it.ID], "item %s is listed twice in one page", it.ID)
			seen[it.ID] = true
		}
		all = append(all, page.Items...)
		cursor = page.Cursor
		if !page.More {
			return all, cursor
		}
	}
	t.Fatalf("the inbox still had more after %d pages", maxPages)
	return nil, ""
}

// arrive makes an item arrive, or skips the case.
func arrive(t *testing.T, ib Inbox, kind networks.ItemKind, to networks.RemoteID, text string) {
	t.Helper()
	if !ib.Arrive(t, kind, to, text) {
		t.Skipf("the harness cannot make a %s arrive", kind)
	}
}

// withText returns the item whose text contains s.
func withText(items []networks.Incoming, s string) (networks.Incoming, bool) {
	i := slices.IndexFunc(items, func(it networks.Incoming) bool { return strings.Contains(it.Text, s) })
	if i < 0 {
		return networks.Incoming{}, false
	}
	return items[i], true
}

func stamp(what string) string { return fmt.Sprintf("networktest %s %d", what, time.Now().UnixNano()) }

// current returns the cursor after everything the inbox holds now.
func current(t *testing.T, src networks.InboxSource, acct networks.Account) string {
	t.Helper()
	_, c := drain(t, src, acct, "")
	return c
}

func inboxListsRepliesAndMentions(t *testing.T, h Harness) {
	src, ib := inboxOf(t, h)
	acct := h.Account()
	c := current(t, src, acct)
	post := publish(t, h, 20)
	reply, mention := stamp("reply"), stamp("mention")
	arrive(t, ib, networks.ItemReply, post.ID, reply)
	arrive(t, ib, networks.ItemMention, "", mention)
	items, _ := drain(t, src, acct, c)

	r, ok := withText(items, reply)
	require.True(t, ok, "the reply is listed; got %d items", len(items))
	assert.Equal(t, networks.ItemReply, r.Kind)
	assert.Equal(t, post.ID, r.InReplyTo, "a reply names the post it answers")
	assert.NotEmpty(t, r.Thread, "a reply belongs to a conversation")
	assert.NotEmpty(t, r.Author.ID, "the author's stable id")
	assert.False(t, r.At.IsZero(), "when the network says it was created")
	for _, it := range []networks.Incoming{r} {
		assert.Contains(t, []string{"", h.Adapter().Spec().Network}, it.Network)
		assert.Contains(t, []string{"", acct.ID}, it.AccountID)
	}
	m, ok := withText(items, mention)
	require.True(t, ok, "the mention is listed")
	assert.Equal(t, networks.ItemMention, m.Kind)
	assert.NotEqual(t, r.ID, m.ID)
}

func inboxListsDirectMessages(t *testing.T, h Harness) {
	src, ib := inboxOf(t, h)
	acct := h.Account()
	c := current(t, src, acct)
	text := stamp("message")
	arrive(t, ib, networks.ItemMessage, "", text)
	items, _ := drain(t, src, acct, c)
	m, ok := withText(items, text)
	require.True(t, ok, "the direct message is listed")
	assert.Equal(t, networks.ItemMessage, m.Kind)
	assert.NotEmpty(t, m.Thread, "a message belongs to a conversation")
	r, ok := h.Adapter().(networks.Replier)
	if !ok {
		return
	}
	rec, err := r.Reply(t.Context(), acct, m, replyDraft(h, 27))
	require.NoError(t, err)
	assert.Equal(t, []networks.RemoteID{rec.ID}, ib.Replies(t, m.ID), "the answer is threaded under the message")
}

func inboxCursorMovesPast(t *testing.T, h Harness) {
	src, ib := inboxOf(t, h)
	acct := h.Account()
	c := current(t, src, acct)
	text := stamp("cursor")
	arrive(t, ib, networks.ItemMention, "", text)
	items, last := drain(t, src, acct, c)
	_, ok := withText(items, text)
	require.True(t, ok, "the mention is listed after the cursor taken before it arrived")
	again, _ := drain(t, src, acct, last)
	_, ok = withText(again, text)
	assert.False(t, ok, "the cursor after a page moves past the page's items")
}

func inboxRepeatedCursor(t *testing.T, h Harness) {
	src, ib := inboxOf(t, h)
	acct := h.Account()
	c := current(t, src, acct)
	text := stamp("repeat")
	arrive(t, ib, networks.ItemMention, "", text)
	first, _ := drain(t, src, acct, c)
	second, _ := drain(t, src, acct, c)
	_, ok := withText(first, text)
	require.True(t, ok)
	ids := func(items []networks.Incoming) []networks.RemoteID {
		out := make([]networks.RemoteID, len(items))
		for i, it := range items {
			out[i] = it.ID
		}
		return out
	}
	for _, id := range ids(first) {
		assert.Contains(t, ids(second), id, "the same cursor again lists at least the same items")
	}
}

func inboxErrorsAreClassified(t *testing.T, h Harness) {
	src, _ := inboxOf(t, h)
	for _, c := range []struct {
		f    Fault
		want error
	}{
		{Fault{Kind: ServerError}, networks.ErrTransient},
		{Fault{Kind: RateLimited, RetryAfter: 30 * time.Second}, networks.ErrRateLimited},
		{Fault{Kind: LostResponse}, nil},                     // a read has no effect to lose: never outcome unknown
		{Fault{Kind: ExpiredToken}, networks.ErrAuthExpired}, // last: the token may stay expired
	} {
		t.Run(string(c.f.Kind), func(t *testing.T) {
			if !h.Script(c.f) {
				t.Skipf("the harness cannot script %s", c.f.Kind)
			}
			_, err := src.Incoming(t.Context(), h.Account(), "")
			if err != nil {
				sec := secrets(t, h)
				assertClean(t, "error", err.Error(), sec)
				assertClean(t, "error %#v", fmt.Sprintf("%#v", err), sec)
			}
			if c.want == nil {
				assert.NotErrorIs(t, err, networks.ErrOutcomeUnknown, "a read never returns an unknown outcome")
				return
			}
			onlyKind(t, err, c.want)
		})
	}
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := src.Incoming(ctx, h.Account(), "")
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// replyTarget publishes a post, has it replied to and returns the reply
// as the inbox lists it.
func replyTarget(t *testing.T, h Harness, n int) networks.Incoming {
	t.Helper()
	src, ib := inboxOf(t, h)
	acct := h.Account()
	c := current(t, src, acct)
	post := publish(t, h, n)
	text := stamp("to answer")
	arrive(t, ib, networks.ItemReply, post.ID, text)
	items, _ := drain(t, src, acct, c)
	it, ok := withText(items, text)
	require.True(t, ok, "the reply to answer is listed")
	return it
}

func replyDraft(h Harness, n int) networks.Draft {
	d := draft(h, n)
	d.Text = fmt.Sprintf("networktest answer %d %d", n, time.Now().UnixNano())
	return d
}

func replyIsThreaded(t *testing.T, h Harness) {
	r := replierOf(t, h)
	it := replyTarget(t, h, 21)
	_, ib := inboxOf(t, h)
	d := replyDraft(h, 22)
	rec, err := r.Reply(t.Context(), h.Account(), it, d)
	require.NoError(t, err)
	require.NotEmpty(t, rec.ID)
	assert.Equal(t, []networks.RemoteID{rec.ID}, ib.Replies(t, it.ID), "one reply, threaded under the item")
}

func replyLostResponseFound(t *testing.T, h Harness) {
	r := replierOf(t, h)
	f, ok := h.Adapter().(networks.Finder)
	if !ok {
		t.Skip("the adapter does not implement networks.Finder")
	}
	it := replyTarget(t, h, 23)
	_, ib := inboxOf(t, h)
	if !h.Script(Fault{Kind: LostResponse}) {
		t.Skip("the harness cannot script a lost response")
	}
	d := replyDraft(h, 24)
	rec, err := r.Reply(t.Context(), h.Account(), it, d)
	replies := ib.Replies(t, it.ID)
	require.Len(t, replies, 1, "the reply whose response was lost is on the backend, once")
	if err == nil {
		// The transport replayed the request and an idempotency key made
		// the network answer with the reply it had made (Mastodon).
		assert.Equal(t, replies[0], rec.ID)
	} else {
		onlyKind(t, err, networks.ErrOutcomeUnknown)
	}
	got, found, err := f.FindByMarker(t.Context(), h.Account(), d.Marker)
	require.NoError(t, err)
	require.True(t, found, "the reply is found by its marker")
	assert.Equal(t, replies[0], got.ID)

	// Through the Publisher: the lost reply is found, not sent again.
	p, err := networks.NewPublisher(h.Adapter(), networks.WithRateLimits(networks.RateLimits{}),
		networks.WithBackOff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	require.True(t, h.Script(Fault{Kind: LostResponse}))
	d2 := replyDraft(h, 25)
	rec, err = p.Reply(t.Context(), h.Account(), it, d2)
	require.NoError(t, err)
	replies = ib.Replies(t, it.ID)
	assert.Len(t, replies, 2, "the Publisher's reply went out once")
	assert.Contains(t, replies, rec.ID)
}

func replyErrorsAreClassified(t *testing.T, h Harness) {
	r := replierOf(t, h)
	it := replyTarget(t, h, 26)
	_, ib := inboxOf(t, h)
	for i, c := range []struct {
		f    Fault
		want error
	}{
		{Fault{Kind: ServerError}, networks.ErrTransient},
		{Fault{Kind: RateLimited, RetryAfter: 30 * time.Second}, networks.ErrRateLimited},
		{Fault{Kind: Rejected, Reason: "networktest refuses this reply"}, networks.ErrRejected},
	} {
		t.Run(string(c.f.Kind), func(t *testing.T) {
			if !h.Script(c.f) {
				t.Skipf("the harness cannot script %s", c.f.Kind)
			}
			_, err := r.Reply(t.Context(), h.Account(), it, replyDraft(h, 30+i))
			onlyKind(t, err, c.want)
			assertClean(t, "error", err.Error(), secrets(t, h))
			assert.Empty(t, ib.Replies(t, it.ID), "a failed reply leaves nothing under the item")
		})
	}
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := r.Reply(ctx, h.Account(), it, replyDraft(h, 39))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, ib.Replies(t, it.ID), "nothing is sent with a canceled context")
	})
	t.Run("missing item", func(t *testing.T) {
		missing := it
		missing.ID = "networktest-missing-item"
		_, err := r.Reply(t.Context(), h.Account(), missing, replyDraft(h, 38))
		require.Error(t, err)
		assert.NotErrorIs(t, err, networks.ErrOutcomeUnknown, "a reply to a missing item is refused, not unknown")
	})
	t.Run(string(ExpiredToken), func(t *testing.T) { // last: the token may stay expired
		if !h.Script(Fault{Kind: ExpiredToken}) {
			t.Skip("the harness cannot script an expired token")
		}
		_, err := r.Reply(t.Context(), h.Account(), it, replyDraft(h, 37))
		onlyKind(t, err, networks.ErrAuthExpired)
		assert.Empty(t, ib.Replies(t, it.ID), "a refused token sends nothing")
	})
}
