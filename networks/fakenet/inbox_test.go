package fakenet_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

// listAll follows the cursor from "" until nothing more is ready.
func listAll(t *testing.T, a networks.Adapter, acct networks.Account, cursor string) ([]networks.Incoming, string) {
	t.Helper()
	src := a.(networks.InboxSource)
	var all []networks.Incoming
	for {
		p, err := src.Incoming(t.Context(), acct, cursor)
		require.NoError(t, err)
		require.NotEmpty(t, p.Cursor)
		all = append(all, p.Items...)
		cursor = p.Cursor
		if !p.More {
			return all, cursor
		}
	}
}

func TestArriveScriptsAConversation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		acct := fake.Account()
		a := fake.Adapter()
		post, err := a.Publish(t.Context(), acct, networks.Draft{Text: "new menu today", Marker: "m-post"})
		require.NoError(t, err)

		// At t+1h, @alice replies to the post; a mention arrives late.
		in1h := time.Now().Add(time.Hour)
		reply, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemReply, From: "alice", To: post.ID, Text: "looks great", At: in1h})
		require.NoError(t, err)
		mention, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: "bob", Text: "@acct-1 hi",
			At: in1h.Add(-time.Minute), Delay: 2 * time.Hour})
		require.NoError(t, err)
		assert.Equal(t, post.ID, reply.InReplyTo)
		assert.Equal(t, string(post.ID), reply.Thread, "a reply to a post joins the post's conversation")
		assert.Equal(t, string(mention.ID), mention.Thread, "a mention starts its own")

		items, c := listAll(t, a, acct, "")
		assert.Empty(t, items, "nothing has arrived yet")
		time.Sleep(time.Hour)
		items, c = listAll(t, a, acct, c)
		require.Len(t, items, 1)
		assert.Equal(t, reply, items[0])
		time.Sleep(2 * time.Hour)
		items, c = listAll(t, a, acct, c)
		require.Len(t, items, 1, "the late mention is listed after the reply, though it was written before")
		assert.Equal(t, mention.ID, items[0].ID)
		assert.True(t, items[0].At.Before(reply.At))
		items, _ = listAll(t, a, acct, c)
		assert.Empty(t, items, "the cursor moved past both")

		// Our reply is threaded under alice's; so is a reply to it.
		r, err := a.(networks.Replier).Reply(t.Context(), acct, reply, networks.Draft{Text: "thank you!", Marker: "m-reply"})
		require.NoError(t, err)
		under := fake.Replies(reply.ID)
		require.Len(t, under, 1)
		assert.Equal(t, r.ID, under[0].ID)
		assert.Equal(t, reply.Thread, under[0].Thread)
		back, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemReply, From: "alice", To: r.ID, Text: "🙂"})
		require.NoError(t, err)
		assert.Equal(t, reply.Thread, back.Thread, "the whole exchange is one conversation")
		assert.Equal(t, 1, fake.Published("m-reply"))
		assert.Len(t, fake.Items(acct.ID), 3)
	})
}

func TestArriveRefusesBadArrivals(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	acct := fake.Account()
	for _, tt := range []struct {
		a     fakenet.Arrival
		field string
	}{
		{fakenet.Arrival{Kind: networks.ItemMention, From: "x"}, "arrival.account"},
		{fakenet.Arrival{Account: "nobody", Kind: networks.ItemMention, From: "x"}, "arrival.account"},
		{fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention}, "arrival.from"},
		{fakenet.Arrival{Account: acct.ID, Kind: "like", From: "x"}, "arrival.kind"},
		{fakenet.Arrival{Account: acct.ID, Kind: networks.ItemReply, From: "x"}, "arrival.to"},
		{fakenet.Arrival{Account: acct.ID, Kind: networks.ItemReply, From: "x", To: "fake-404"}, "arrival.to"},
		{fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: "x", Delay: -time.Second}, "arrival.delay"},
	} {
		t.Run(tt.field, func(t *testing.T) {
			_, err := fake.Arrive(tt.a)
			var fe *networks.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
	assert.Empty(t, fake.Items(acct.ID), "nothing arrived")
}

func TestIncomingPagesAndCursor(t *testing.T) {
	fake := fakenet.New(fakenet.Options{InboxPageSize: 3})
	acct := fake.Account()
	other, _ := fake.Connect("other")
	for i := range 7 {
		_, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: "u", Text: fmt.Sprint(i)})
		require.NoError(t, err)
	}
	_, err := fake.Arrive(fakenet.Arrival{Account: other.ID, Kind: networks.ItemMessage, From: "u", Text: "dm"})
	require.NoError(t, err)
	src := fake.Adapter().(networks.InboxSource)
	var texts []string
	cursor := ""
	pages := 0
	for {
		p, err := src.Incoming(t.Context(), acct, cursor)
		require.NoError(t, err)
		pages++
		again, err := src.Incoming(t.Context(), acct, cursor)
		require.NoError(t, err)
		assert.Equal(t, p, again, "a repeated cursor lists the same page")
		for _, it := range p.Items {
			texts = append(texts, it.Text)
		}
		cursor = p.Cursor
		if !p.More {
			break
		}
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, []string{"0", "1", "2", "3", "4", "5", "6"}, texts, "each item once, only the account's")
	dms, _ := listAll(t, fake.Adapter(), other, "")
	require.Len(t, dms, 1)
	assert.Equal(t, networks.ItemMessage, dms[0].Kind)
	assert.Equal(t, "dm:other:u", dms[0].Thread)

	_, err = src.Incoming(t.Context(), acct, "not-a-cursor")
	var fe *networks.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "cursor", fe.Field)
}

func TestIncomingFaults(t *testing.T) {
	for _, tt := range []struct {
		f    fakenet.Fault
		want error
	}{
		{fakenet.ServerError(), socialflow.ErrTransient},
		{fakenet.RateLimited(time.Minute), socialflow.ErrRateLimited},
		{fakenet.LostResponse(), socialflow.ErrTransient}, // a read has nothing to lose
		{fakenet.Timeout(time.Second), socialflow.ErrTransient},
		{fakenet.ExpiredToken(), socialflow.ErrAuthExpired},
	} {
		t.Run(string(tt.f.Kind), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{})
				fake.Script(tt.f.On(networks.OpIncoming))
				_, err := fake.Adapter().(networks.InboxSource).Incoming(t.Context(), fake.Account(), "")
				require.ErrorIs(t, err, tt.want)
				assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown)
			})
		})
	}
}

func TestReplyOnTheRecord(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		acct := fake.Account()
		a := fake.Adapter().(interface {
			networks.Adapter
			networks.Replier
		})
		dm, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMessage, From: "carol", Text: "where is my order?"})
		require.NoError(t, err)

		// The same saved reply may answer two people, not one person twice.
		_, err = a.Reply(t.Context(), acct, dm, networks.Draft{Text: "Thanks, we are on it", Marker: "r1"})
		require.NoError(t, err)
		_, err = a.Reply(t.Context(), acct, dm, networks.Draft{Text: "Thanks, we are on it", Marker: "r2"})
		require.ErrorIs(t, err, socialflow.ErrDuplicate)
		dm2, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMessage, From: "dave", Text: "and mine?"})
		require.NoError(t, err)
		_, err = a.Reply(t.Context(), acct, dm2, networks.Draft{Text: "Thanks, we are on it", Marker: "r3"})
		require.NoError(t, err)

		// A reply to an item of another account, or to none, is not found.
		other, _ := fake.Connect("other")
		_, err = a.Reply(t.Context(), other, dm, networks.Draft{Text: "hijack", Marker: "r4"})
		require.ErrorIs(t, err, socialflow.ErrNotFound)
		_, err = a.Reply(t.Context(), acct, networks.Incoming{ID: "in-nope"}, networks.Draft{Text: "x", Marker: "r5"})
		require.ErrorIs(t, err, socialflow.ErrNotFound)

		// A lost reply is on the record once, and the Finder finds it.
		fake.Script(fakenet.LostResponse().On(networks.OpReply))
		_, err = a.Reply(t.Context(), acct, dm2, networks.Draft{Text: "update: shipped", Marker: "r6"})
		require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
		got, found, err := a.(networks.Finder).FindByMarker(t.Context(), acct, "r6")
		require.NoError(t, err)
		require.True(t, found)
		replies := fake.Replies(dm2.ID)
		require.Len(t, replies, 2)
		assert.Equal(t, got.ID, replies[1].ID)
		assert.Equal(t, dm2.Thread, replies[1].Thread, "a reply to a message stays in the conversation")
		assert.Equal(t, 1, fake.Attempts("r6"))
		assert.Empty(t, fake.Duplicates())
	})
}

func TestRepliesSpendThePublishingLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		spec := fakenet.DefaultSpec()
		spec.Rate.PerAccount = networks.Window{Count: 1, Per: time.Hour}
		fake := fakenet.New(fakenet.Options{Spec: spec})
		acct := fake.Account()
		a := fake.Adapter()
		_, err := a.Publish(t.Context(), acct, networks.Draft{Text: "post", Marker: "p"})
		require.NoError(t, err)
		in, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: "x", Text: "hey"})
		require.NoError(t, err)
		for range 5 {
			_, err := a.(networks.InboxSource).Incoming(t.Context(), acct, "")
			require.NoError(t, err, "reading the inbox spends nothing")
		}
		_, err = a.(networks.Replier).Reply(t.Context(), acct, in, networks.Draft{Text: "hello", Marker: "r"})
		var rl *networks.RateLimitError
		require.ErrorAs(t, err, &rl, "a reply is a publish")
		assert.Equal(t, networks.OpReply, rl.Op)
		assert.Equal(t, 1, fake.Violations())
	})
}

func TestRandomTraffic(t *testing.T) {
	run := func(poll time.Duration) []networks.Incoming {
		var got []networks.Incoming
		synctest.Test(t, func(t *testing.T) {
			fake := fakenet.New(fakenet.Options{Seed: 7, InboxPageSize: 50, Traffic: &fakenet.Traffic{
				PerHour: 30, Delay: 10 * time.Minute, Disorder: 0.5, Duplicates: 0.3, Hostile: 0.1,
			}})
			acct := fake.Account()
			a := fake.Adapter()
			for i := range 3 {
				_, err := a.Publish(t.Context(), acct, networks.Draft{Text: fmt.Sprint("post ", i), Marker: fmt.Sprint("p", i)})
				require.NoError(t, err)
				time.Sleep(time.Hour)
			}
			end := time.Now().Add(5 * time.Hour)
			cursor := ""
			for time.Now().Before(end) {
				var items []networks.Incoming
				items, cursor = listAll(t, a, acct, cursor)
				got = append(got, items...)
				time.Sleep(min(poll, time.Until(end)))
			}
			items, _ := listAll(t, a, acct, cursor)
			got = append(got, items...)
			assert.ElementsMatch(t, ids(fake.Items(acct.ID)), ids(dedupe(got)), "every item listed, each at least once")
		})
		return got
	}
	fast, slow := run(time.Minute), run(45*time.Minute)
	a, b := dedupe(fast), dedupe(slow)
	byID := func(items []networks.Incoming) map[networks.RemoteID]networks.Incoming {
		m := map[networks.RemoteID]networks.Incoming{}
		for _, it := range items {
			m[it.ID] = it
		}
		return m
	}
	assert.Equal(t, byID(a), byID(b), "the same seed gives the same traffic whatever the polling cadence")

	// 8 hours at 30 an hour: about 240 items, with every kind, duplicates,
	// items listed out of order and hostile texts among them.
	assert.InDelta(t, 240, len(a), 80)
	kinds := map[networks.ItemKind]int{}
	hostile, outOfOrder := 0, 0
	for i, it := range a {
		kinds[it.Kind]++
		if !utf8.ValidString(it.Text) || len(it.Text) > 10_000 || it.Text == fakenet.HostileTexts[2] || it.Text == fakenet.HostileTexts[3] {
			hostile++
		}
		if i > 0 && it.At.Before(a[i-1].At) {
			outOfOrder++
		}
		if it.Kind == networks.ItemReply || it.Kind == networks.ItemQuote {
			assert.NotEmpty(t, it.InReplyTo, "a reply answers one of the account's posts")
		}
	}
	assert.Len(t, kinds, 4, "%v", kinds)
	assert.Greater(t, hostile, 5)
	assert.Greater(t, outOfOrder, 5)
	assert.Greater(t, len(fast)-len(a), 10, "some items are listed twice")
}

func ids(items []networks.Incoming) []networks.RemoteID {
	out := make([]networks.RemoteID, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func dedupe(items []networks.Incoming) []networks.Incoming {
	seen := map[networks.RemoteID]bool{}
	var out []networks.Incoming
	for _, it := range items {
		if !seen[it.ID] {
			seen[it.ID] = true
			out = append(out, it)
		}
	}
	return out
}

func TestTrafficOptionsAreClamped(t *testing.T) {
	for _, rate := range []float64{-1, math.NaN(), math.Inf(1)} {
		fake := fakenet.New(fakenet.Options{Traffic: &fakenet.Traffic{PerHour: rate, Duplicates: math.NaN(), Disorder: 7}})
		acct := fake.Account()
		items, _ := listAll(t, fake.Adapter(), acct, "")
		assert.Empty(t, items, "rate %v: no traffic", rate)
	}
}

// TestHostileTextsAreKept checks hostile texts travel unchanged: the
// network hands them over as they are, the receiver escapes them.
func TestHostileTextsAreKept(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	acct := fake.Account()
	for _, s := range fakenet.HostileTexts {
		_, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: "troll", Text: s})
		require.NoError(t, err)
	}
	items, _ := listAll(t, fake.Adapter(), acct, "")
	require.Len(t, items, len(fakenet.HostileTexts))
	for i, it := range items {
		assert.Equal(t, fakenet.HostileTexts[i], it.Text)
	}
}

func TestTrafficRatesPerAccount(t *testing.T) {
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	fake := fakenet.New(fakenet.Options{Seed: 3, Now: func() time.Time { return now },
		Traffic: &fakenet.Traffic{PerHour: 1, Rates: map[string]float64{"busy": 50, "silent": 0, "broken": math.NaN()}}})
	for _, id := range []string{"busy", "quiet", "silent", "broken"} {
		fake.Connect(id)
	}
	now = now.Add(10 * time.Hour)
	busy, quiet := len(fake.Items("busy")), len(fake.Items("quiet"))
	assert.InDelta(t, 500, busy, 100)
	assert.InDelta(t, 10, quiet, 9)
	assert.Empty(t, fake.Items("silent"))
	assert.Empty(t, fake.Items("broken"), "a rate that is not a number is no traffic")
}

func TestInboxIsSafeForConcurrentUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{Traffic: &fakenet.Traffic{PerHour: 600, Duplicates: 0.5, Disorder: 0.5}})
		acct := fake.Account()
		a := fake.Adapter()
		done := make(chan struct{})
		for w := range 4 {
			go func() {
				defer func() { done <- struct{}{} }()
				cursor := ""
				for i := range 50 {
					p, err := a.(networks.InboxSource).Incoming(t.Context(), acct, cursor)
					if err != nil {
						t.Error(err)
						return
					}
					cursor = p.Cursor
					for _, it := range p.Items {
						if _, err := a.(networks.Replier).Reply(t.Context(), acct, it, networks.Draft{Text: fmt.Sprint("re ", w, i, it.ID)}); err != nil && !errors.Is(err, socialflow.ErrDuplicate) {
							t.Error(err)
						}
					}
					time.Sleep(time.Minute)
				}
			}()
		}
		for range 4 {
			<-done
		}
		assert.NotEmpty(t, fake.Items(acct.ID))
	})
}

// FuzzArrive: any author and text arrive as they are, and are listed
// unchanged; nothing panics.
func FuzzArrive(f *testing.F) {
	for _, s := range fakenet.HostileTexts {
		f.Add("troll", s)
	}
	f.Add("", "")
	f.Add("\xff", "c7")
	f.Fuzz(func(t *testing.T, from, text string) {
		fake := fakenet.New(fakenet.Options{})
		acct := fake.Account()
		in, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: from, Text: text})
		if from == "" {
			if err == nil {
				t.Fatal("an arrival without an author is refused")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		p, err := fake.Adapter().(networks.InboxSource).Incoming(t.Context(), acct, "")
		if err != nil || len(p.Items) != 1 || p.Items[0].Text != text || p.Items[0].ID != in.ID {
			t.Fatalf("listed %v, %v", p, err)
		}
		if _, err := fake.Adapter().(networks.InboxSource).Incoming(t.Context(), acct, text); err == nil && text != "" && text[0] != 'c' {
			t.Fatalf("cursor %q accepted", text)
		}
	})
}

// BenchmarkIncoming lists a page of 20 from one of 50 accounts of a
// network holding 100,000 items: the cost of a page does not grow with the
// items of other accounts or those before the cursor.
//
//	go test -run '^$' -bench BenchmarkIncoming -benchmem ./networks/fakenet
func BenchmarkIncoming(b *testing.B) {
	fake := fakenet.New(fakenet.Options{})
	var accts []networks.Account
	for i := range 50 {
		a, _ := fake.Connect(fmt.Sprint("ch-", i))
		accts = append(accts, a)
	}
	for i := range 100_000 {
		if _, err := fake.Arrive(fakenet.Arrival{Account: accts[i%50].ID, Kind: networks.ItemMention, From: "u", Text: "hello"}); err != nil {
			b.Fatal(err)
		}
	}
	src := fake.Adapter().(networks.InboxSource)
	acct := accts[7]
	cursor := ""
	for b.Loop() {
		p, err := src.Incoming(b.Context(), acct, cursor)
		if err != nil {
			b.Fatal(err)
		}
		cursor = p.Cursor
		if !p.More {
			cursor = ""
		}
	}
}

func TestClockDrivesTheInbox(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := networks.ClockFunc(func() time.Time { return at })
	fake := fakenet.New(fakenet.Options{Clock: clock, Now: func() time.Time { panic("Clock takes precedence") }})
	acct := fake.Account()
	in, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: "x", Text: "later", At: at.Add(time.Hour)})
	require.NoError(t, err)
	assert.Empty(t, fake.Items(acct.ID))
	at = at.Add(time.Hour)
	require.Len(t, fake.Items(acct.ID), 1)
	assert.Equal(t, in.ID, fake.Items(acct.ID)[0].ID)
}
