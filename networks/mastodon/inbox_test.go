package mastodon_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
)

func drainInbox(t *testing.T, ad *mastodon.Adapter, acct networks.Account, cursor string) ([]networks.Incoming, string, int) {
	t.Helper()
	var all []networks.Incoming
	pages := 0
	for {
		p, err := ad.Incoming(t.Context(), acct, cursor)
		require.NoError(t, err)
		pages++
		all = append(all, p.Items...)
		cursor = p.Cursor
		if !p.More {
			return all, cursor, pages
		}
	}
}

func TestIncomingKinds(t *testing.T) {
	fx := newFixture(t)
	post, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "our post", Marker: "k-post"})
	require.NoError(t, err)
	_, c, _ := drainInbox(t, fx.ad, fx.acct, "")

	other, err := fx.srv.Arrive(mastodontest.Arrival{From: "zoe", Text: "a status of zoe's"})
	require.NoError(t, err)
	for _, a := range []mastodontest.Arrival{
		{From: "ann", Kind: "reply", To: string(post.ID), Text: "a reply"},
		{From: "bob", Kind: "mention", Text: "@user a mention"},
		{From: "cat", Kind: "direct", Text: "a direct message"},
		{From: "dan", Kind: "quote", To: string(post.ID), Text: "a quote"},
		{From: "eve", Kind: "reply", To: other.ID, Text: "@user a reply to zoe that mentions us"},
	} {
		_, err := fx.srv.Arrive(a)
		require.NoError(t, err)
	}
	items, _, _ := drainInbox(t, fx.ad, fx.acct, c)
	require.Len(t, items, 6, "zoe's notification and five others: %v", items)
	items = items[1:] // zoe's first status mentions nobody but notifies as a mention too
	want := []struct {
		kind      networks.ItemKind
		inReplyTo networks.RemoteID
		text      string
		author    string
	}{
		{networks.ItemReply, post.ID, "a reply", "@ann@remote.example"},
		{networks.ItemMention, "", "@user a mention", "@bob@remote.example"},
		{networks.ItemMessage, "", "a direct message", "@cat@remote.example"},
		{networks.ItemQuote, post.ID, "a quote", "@dan@remote.example"},
		{networks.ItemMention, networks.RemoteID(other.ID), "@user a reply to zoe that mentions us", "@eve@remote.example"},
	}
	for i, w := range want {
		it := items[i]
		assert.Equal(t, w.kind, it.Kind, "item %d", i)
		assert.Equal(t, w.inReplyTo, it.InReplyTo, "item %d", i)
		assert.Equal(t, w.text, it.Text, "item %d: the content as plain text", i)
		assert.Equal(t, w.author, it.Author.Handle, "item %d", i)
		assert.Equal(t, mastodon.Network, it.Network)
		assert.Equal(t, "m1", it.AccountID)
		assert.False(t, it.At.IsZero())
		assert.NotEmpty(t, it.URL)
	}
	assert.Equal(t, string(post.ID), items[0].Thread, "a reply's conversation is the status it answers")
	assert.Equal(t, string(items[1].ID), items[1].Thread, "a mention starts its own")
}

func TestIncomingPagesForward(t *testing.T) {
	for _, gts := range []bool{false, true} {
		t.Run(map[bool]string{false: "mastodon", true: "gotosocial"}[gts], func(t *testing.T) {
			h := mastodontest.NewHarness(t)
			if gts {
				h = mastodontest.NewGoToSocialHarness(t)
			}
			ad := h.Adapter().(*mastodon.Adapter)
			acct := h.Account()
			_, c, _ := drainInbox(t, ad, acct, "")
			const n = 2*mastodon.InboxPageSize + 5
			for i := range n {
				_, err := h.Server.Arrive(mastodontest.Arrival{From: "u", Text: strings.Repeat("x", i+1)})
				require.NoError(t, err)
			}
			items, c2, pages := drainInbox(t, ad, acct, c)
			require.Len(t, items, n, "every item once")
			assert.Equal(t, 3, pages)
			for i, it := range items {
				assert.Len(t, it.Text, i+1, "oldest first, across pages")
			}
			again, _, _ := drainInbox(t, ad, acct, c2)
			assert.Empty(t, again) // on GoToSocial, asking for quotes would be a 400
		})
	}
}

func TestIncomingCursorAndErrors(t *testing.T) {
	fx := newFixture(t)
	for _, c := range []string{"nope", "v1:", "v1:123", "v1:1/2:3", "v1:1:2&x=1"} {
		_, err := fx.ad.Incoming(t.Context(), fx.acct, c)
		var fe *networks.FieldError
		require.ErrorAs(t, err, &fe, "cursor %q", c)
		assert.Equal(t, "cursor", fe.Field)
	}
	fx.srv.Script(mastodontest.Fault{Status: http.StatusForbidden, Error: "This action is outside the authorized scopes"})
	_, err := fx.ad.Incoming(t.Context(), fx.acct, "")
	require.ErrorIs(t, err, socialflow.ErrRejected)

	// A token without read:notifications is refused with 403.
	tok := fx.srv.IssueToken("write:statuses", "read:accounts")
	acct := fx.acct
	acct.Tokens = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
	_, err = fx.ad.Incoming(t.Context(), acct, "")
	require.ErrorIs(t, err, socialflow.ErrRejected)
}

func TestReplyMentionsTheAuthorAndKeepsDirectMessagesDirect(t *testing.T) {
	fx := newFixture(t)
	post, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "our post", Marker: "k-post"})
	require.NoError(t, err)
	_, err = fx.srv.Arrive(mastodontest.Arrival{From: "ann", Kind: "reply", To: string(post.ID), Text: "hi"})
	require.NoError(t, err)
	_, err = fx.srv.Arrive(mastodontest.Arrival{From: "cat", Kind: "direct", Text: "psst"})
	require.NoError(t, err)
	items, _, _ := drainInbox(t, fx.ad, fx.acct, "")
	require.Len(t, items, 2)

	r, err := fx.ad.Reply(t.Context(), fx.acct, items[0], networks.Draft{Text: "thanks!", Marker: "k-r1"})
	require.NoError(t, err)
	r2, err := fx.ad.Reply(t.Context(), fx.acct, items[1], networks.Draft{Text: "@CAT@remote.example sure", Marker: "k-r2"})
	require.NoError(t, err)
	got := map[string]mastodontest.Status{}
	for _, st := range fx.srv.Statuses() {
		got[st.ID] = st
	}
	assert.Equal(t, "@ann@remote.example thanks!"+mastodon.MarkerTag("k-r1"), got[string(r.ID)].Text, "the author is mentioned, as clients do")
	assert.Equal(t, string(items[0].ID), got[string(r.ID)].InReplyToID)
	assert.Equal(t, "public", got[string(r.ID)].Visibility)
	assert.Equal(t, "@CAT@remote.example sure"+mastodon.MarkerTag("k-r2"), got[string(r2.ID)].Text, "an existing mention is not repeated")
	assert.Equal(t, "direct", got[string(r2.ID)].Visibility, "a reply to a direct message stays direct")

	found, ok, err := fx.ad.FindByMarker(t.Context(), fx.acct, "k-r1")
	require.NoError(t, err)
	require.True(t, ok, "the Finder finds replies")
	assert.Equal(t, r.ID, found.ID)

	_, err = fx.ad.Reply(t.Context(), fx.acct, networks.Incoming{ID: "../x"}, networks.Draft{Text: "x", Marker: "k-r3"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = fx.ad.Reply(t.Context(), fx.acct, networks.Incoming{ID: "404404"}, networks.Draft{Text: "x", Marker: "k-r4"})
	require.ErrorIs(t, err, socialflow.ErrNotFound)

	// The mention counts toward the length: a reply that fits without it
	// but not with it is refused before anything is sent.
	before := len(fx.srv.Statuses())
	long := strings.Repeat("a", fx.ad.Spec().Text.MaxLength-2) // "@ann " counts 5 (a remote mention counts as its username)
	_, err = fx.ad.Reply(t.Context(), fx.acct, items[0], networks.Draft{Text: long, Marker: "k-r5"})
	var v *networks.Violation
	require.ErrorAs(t, err, &v)
	assert.Len(t, fx.srv.Statuses(), before)
}

func TestPlainText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"<p>hello</p>", "hello"},
		{`<p>one<br>two<br/>three</p><p>four</p>`, "one\ntwo\nthree\n\nfour"},
		{`<p><span class="h-card"><a href="https://x/@u" class="u-url mention">@<span>u</span></a></span> hi &amp; bye &lt;3</p>`, "@u hi & bye <3"},
		{`<p>a <a href="https://example.com/long/path"><span class="invisible">https://</span><span class="ellipsis">example.com/lo</span></a></p>`, "a https://example.com/lo"},
		{`<script>alert(1)</script><p>text</p><style>p{}</style>`, "text"},
		{"plain", "plain"},
		{"<p>unclosed <b>bold", "unclosed bold"},
		{"", ""},
	} {
		assert.Equal(t, tt.want, mastodon.PlainText(tt.in), "%q", tt.in)
	}
}

func TestIncomingHostileText(t *testing.T) {
	hostile := []string{
		strings.Repeat("spam ", 20_000),
		"broken \xff\xfe bytes",
		`<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))`,
		"nul\x00 escape\x1b[31m \u202eexe.gnp\u202c",
	}
	for _, gts := range []bool{false, true} {
		h := mastodontest.NewHarness(t)
		if gts {
			h = mastodontest.NewGoToSocialHarness(t)
		}
		ad := h.Adapter().(*mastodon.Adapter)
		for _, s := range hostile {
			_, err := h.Server.Arrive(mastodontest.Arrival{From: "troll", Text: s})
			require.NoError(t, err)
		}
		items, _, _ := drainInbox(t, ad, h.Account(), "")
		require.Len(t, items, len(hostile))
		for i, it := range items {
			if gts {
				// GoToSocial sends the source text; JSON carries invalid UTF-8 as U+FFFD.
				assert.Equal(t, string([]rune(hostile[i])), it.Text)
			} else {
				assert.NotContains(t, it.Text, "<script>", "Mastodon's HTML content becomes text")
			}
		}
	}
}

func TestIncomingThreadIsTheConversationRoot(t *testing.T) {
	for _, roots := range []bool{true, false} {
		var opts []mastodon.Option
		if !roots {
			opts = append(opts, mastodon.WithoutThreadRoots())
		}
		fx := newFixture(t, opts...)
		post, err := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "our post", Marker: "k-post"})
		require.NoError(t, err)
		_, c, _ := drainInbox(t, fx.ad, fx.acct, "")
		_, err = fx.srv.Arrive(mastodontest.Arrival{From: "ann", Kind: "reply", To: string(post.ID), Text: "@user one"})
		require.NoError(t, err)
		items, c, _ := drainInbox(t, fx.ad, fx.acct, c)
		require.Len(t, items, 1)
		r1, err := fx.ad.Reply(t.Context(), fx.acct, items[0], networks.Draft{Text: "two", Marker: "k-r1"})
		require.NoError(t, err)
		_, err = fx.srv.Arrive(mastodontest.Arrival{From: "ann", Kind: "reply", To: string(r1.ID), Text: "@user three"})
		require.NoError(t, err)
		before := len(fx.srv.Requests())
		items, _, _ = drainInbox(t, fx.ad, fx.acct, c)
		require.Len(t, items, 1)
		contextReads := 0
		for _, r := range fx.srv.Requests()[before:] {
			if strings.HasSuffix(r, "/context") {
				contextReads++
			}
		}
		if roots {
			assert.Equal(t, string(post.ID), items[0].Thread, "three levels down, still the post's conversation")
			assert.Equal(t, 1, contextReads)
		} else {
			assert.Equal(t, string(r1.ID), items[0].Thread, "without the reads: the status answered")
			assert.Zero(t, contextReads)
		}
		assert.Equal(t, r1.ID, items[0].InReplyTo)
	}
}
