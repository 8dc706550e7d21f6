package networks_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

// noInbox is an adapter without the inbox interfaces.
type noInbox struct{ networks.Adapter }

// mention scripts a mention of acct and returns it as listed.
func mention(t *testing.T, fake *fakenet.Net, acct networks.Account, text string) networks.Incoming {
	t.Helper()
	in, err := fake.Arrive(fakenet.Arrival{Account: acct.ID, Kind: networks.ItemMention, From: "alice", Text: text})
	require.NoError(t, err)
	return in
}

var answer = networks.Draft{Text: "thanks, we are on it"}

func TestPublisherInboxWithoutInboxIsErrNoInbox(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	p := newPublisher(t, noInbox{fake.Adapter()})
	acct := fake.Account()
	_, err := p.Incoming(t.Context(), acct, "")
	require.ErrorIs(t, err, networks.ErrNoInbox)
	assert.ErrorIs(t, err, socialflow.ErrInvalid, "a wiring mistake of the host")
	_, err = p.Reply(t.Context(), acct, networks.Incoming{ID: "x"}, answer)
	require.ErrorIs(t, err, networks.ErrNoInbox)
	assert.Equal(t, 0, fake.Calls(networks.OpIncoming)+fake.Calls(networks.OpReply))
}

func TestPublisherReplyBadInputSendsNothing(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	p := newPublisher(t, fake.Adapter())
	acct := fake.Account()
	in := mention(t, fake, acct, "hello?")
	manual := acct
	manual.Manual = true
	noCreds, _ := fake.Connect("no-creds")
	noCreds.Tokens = nil
	for _, tt := range []struct {
		name  string
		acct  networks.Account
		to    func(networks.Incoming) networks.Incoming
		d     networks.Draft
		field string // the *FieldError's field; empty: a *ValidationError
	}{
		{"item without id", acct, func(i networks.Incoming) networks.Incoming { i.ID = ""; return i }, answer, "to.id"},
		{"item of another network", acct, func(i networks.Incoming) networks.Incoming { i.Network = "bluesky"; return i }, answer, "to.network"},
		{"item of another account", acct, func(i networks.Incoming) networks.Incoming { i.AccountID = "acct-2"; return i }, answer, "to.account_id"},
		{"manual account", manual, nil, answer, "account.manual"},
		{"account without id", networks.Account{Tokens: acct.Tokens}, func(i networks.Incoming) networks.Incoming { i.AccountID = ""; return i }, answer, "account.id"},
		{"account of another network", networks.Account{ID: acct.ID, Network: "x", Tokens: acct.Tokens}, nil, answer, "account.network"},
		{"account without credentials", noCreds, func(i networks.Incoming) networks.Incoming { i.AccountID = ""; return i }, answer, "account.credentials"},
		{"text over the limit", acct, nil, networks.Draft{Text: strings.Repeat("a", 501)}, ""},
		{"invalid utf-8", acct, nil, networks.Draft{Text: "bad \xc3\x28"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			to := in
			if tt.to != nil {
				to = tt.to(in)
			}
			_, err := p.Reply(t.Context(), tt.acct, to, tt.d)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			if tt.field == "" {
				var ve *networks.ValidationError
				require.ErrorAs(t, err, &ve)
				return
			}
			var fe *networks.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.Equal(t, fakenet.Network, fe.Network, "the error names the network")
		})
	}
	assert.Equal(t, 0, fake.Calls(networks.OpReply), "nothing was sent")
	assert.Empty(t, fake.Replies(in.ID))

	manualSpec := fakenet.DefaultSpec()
	manualSpec.Manual = true
	mp := newPublisher(t, fakenet.New(fakenet.Options{Spec: manualSpec}).Adapter())
	_, err := mp.Reply(t.Context(), acct, in, answer)
	var fe *networks.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "account.manual", fe.Field)
}

func TestPublisherReplyRetries(t *testing.T) {
	for _, tt := range []struct {
		name     string
		faults   []fakenet.Fault
		wantKind error
		calls    int // reply calls the network saw
		replies  int // replies on the record
	}{
		{"server errors then success", fakenet.ServerError().On(networks.OpReply).Times(2), nil, 3, 1},
		{"rate limited then success", []fakenet.Fault{fakenet.RateLimited(time.Minute).On(networks.OpReply)}, nil, 2, 1},
		{"rejection is not retried", []fakenet.Fault{fakenet.Rejected("spam").On(networks.OpReply)}, socialflow.ErrRejected, 1, 0},
		{"retries run out", fakenet.ServerError().On(networks.OpReply).Times(10), socialflow.ErrTransient, 4, 0},
		{"lost response is found, not sent again", []fakenet.Fault{fakenet.LostResponse().On(networks.OpReply)}, nil, 1, 1},
		{"timeout then not found is sent once", []fakenet.Fault{fakenet.Timeout(time.Minute).On(networks.OpReply)}, nil, 2, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{})
				acct := fake.Account()
				in := mention(t, fake, acct, "hi")
				fake.Script(tt.faults...)
				var ops []string
				p := newPublisher(t, fake.Adapter(), networks.WithMaxAttempts(4),
					networks.WithAttemptHook(func(a networks.Attempt) { ops = append(ops, a.Op) }))
				r, err := p.Reply(t.Context(), acct, in, networks.Draft{Text: "hello", Marker: "m"})
				if tt.wantKind == nil {
					require.NoError(t, err)
					assert.Equal(t, networks.StatusPublished, r.Status)
					assert.Equal(t, "m", r.Marker)
					assert.Equal(t, fake.Replies(in.ID)[0].ID, r.ID)
				} else {
					require.ErrorIs(t, err, tt.wantKind)
				}
				assert.Equal(t, tt.calls, fake.Calls(networks.OpReply))
				assert.Len(t, fake.Replies(in.ID), tt.replies)
				assert.LessOrEqual(t, fake.Published("m"), 1, "never two replies")
				assert.Contains(t, ops, networks.OpReply, "attempts name the reply")
				assert.NotContains(t, ops, networks.OpPublish)
			})
		})
	}
}

func TestPublisherReplyLostWithoutFinderIsUnknown(t *testing.T) {
	fake := fakenet.New(fakenet.Options{})
	acct := fake.Account()
	in := mention(t, fake, acct, "hi")
	fake.Script(fakenet.LostResponse().On(networks.OpReply))
	p := newPublisher(t, fake.AdapterWithoutFinder())
	_, err := p.Reply(t.Context(), acct, in, networks.Draft{Text: "hello", Marker: "m"})
	var ou *networks.OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "m", ou.Marker)
	assert.Equal(t, 1, fake.Calls(networks.OpReply), "an unknown outcome is never sent again blindly")
	assert.Len(t, fake.Replies(in.ID), 1)
}

func TestPublisherInboxRefreshesTokens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{TokenTTL: time.Hour})
		acct, tok := fake.Connect("ana")
		acct.Tokens = nil
		store := networks.NewMemTokenStore()
		require.NoError(t, store.Save(t.Context(), "ana", tok))
		p := newPublisher(t, fake.Adapter(), networks.WithTokenStore(store, fake.Refresher()))
		in := mention(t, fake, acct, "hi")

		time.Sleep(2 * time.Hour) // the token expires
		page, err := p.Incoming(t.Context(), acct, "")
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, 1, fake.Refreshes())

		fake.Script(fakenet.ExpiredToken().On(networks.OpReply)) // revoked early
		_, err = p.Reply(t.Context(), acct, in, answer)
		require.NoError(t, err)
		assert.Equal(t, 2, fake.Refreshes())
		assert.Len(t, fake.Replies(in.ID), 1)
	})
}

func TestPublisherReplySpendsThePublishingLimitsIncomingDoesNot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		spec := fakenet.DefaultSpec()
		spec.Rate.PerAccount = networks.Window{Count: 1, Per: time.Hour}
		fake := fakenet.New(fakenet.Options{Spec: spec})
		p := newPublisher(t, fake.Adapter())
		acct := fake.Account()
		in := mention(t, fake, acct, "hi")
		_, err := p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)

		start := time.Now()
		for range 10 {
			_, err := p.Incoming(t.Context(), acct, "")
			require.NoError(t, err)
		}
		assert.Zero(t, time.Since(start), "reads never wait for the publishing limit")

		_, err = p.Reply(t.Context(), acct, in, answer)
		require.NoError(t, err)
		assert.Zero(t, fake.Violations(), "a reply never goes over the publishing limit")
		assert.Equal(t, 1, fake.Calls(networks.OpReply))
		assert.GreaterOrEqual(t, time.Since(start), time.Hour, "a reply waits for the account's publishing budget")
		assert.Less(t, time.Since(start), time.Hour+time.Minute)

		// A deadline the wait cannot fit: a *RateLimitError at once, nothing sent.
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		_, err = p.Reply(ctx, acct, in, networks.Draft{Text: "again"})
		var rl *networks.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, networks.OpReply, rl.Op)
		assert.Equal(t, 1, fake.Calls(networks.OpReply))
	})
}

func TestPublisherIncomingRateLimitIsItsOwn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		p := newPublisher(t, fake.Adapter())
		acct := fake.Account()
		mention(t, fake, acct, "hi")
		fake.Script(fakenet.RateLimited(30 * time.Second).On(networks.OpIncoming))
		start := time.Now()
		page, err := p.Incoming(t.Context(), acct, "")
		require.NoError(t, err)
		assert.Len(t, page.Items, 1)
		assert.Equal(t, 30*time.Second, time.Since(start), "the network's Retry-After is honoured")
		assert.Equal(t, 2, fake.Calls(networks.OpIncoming))

		// A Retry-After past the deadline: the *RateLimitError at once.
		fake.Script(fakenet.RateLimited(time.Hour).On(networks.OpIncoming))
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start = time.Now()
		_, err = p.Incoming(ctx, acct, page.Cursor)
		require.ErrorIs(t, err, socialflow.ErrRateLimited)
		assert.Zero(t, time.Since(start))

		// The read's hour-long limit does not hold publishing back.
		start = time.Now()
		_, err = p.Publish(t.Context(), acct, hello)
		require.NoError(t, err)
		assert.Zero(t, time.Since(start), "a read's rate limit does not block publishing")
	})
}

func TestPublisherIncomingRetriesAndClassifies(t *testing.T) {
	for _, tt := range []struct {
		name   string
		faults []fakenet.Fault
		want   error
		calls  int
	}{
		{"server errors then success", fakenet.ServerError().On(networks.OpIncoming).Times(2), nil, 3},
		{"timeouts are transient for a read", []fakenet.Fault{fakenet.Timeout(time.Second).On(networks.OpIncoming)}, nil, 2},
		{"retries run out", fakenet.ServerError().On(networks.OpIncoming).Times(10), socialflow.ErrTransient, 4},
		{"rejected is not retried", []fakenet.Fault{fakenet.Rejected("suspended").On(networks.OpIncoming)}, socialflow.ErrRejected, 1},
		{"expired static token", []fakenet.Fault{fakenet.ExpiredToken().On(networks.OpIncoming)}, socialflow.ErrAuthExpired, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{})
				acct := fake.Account()
				mention(t, fake, acct, "hi")
				fake.Script(tt.faults...)
				p := newPublisher(t, fake.Adapter(), networks.WithMaxAttempts(4))
				page, err := p.Incoming(t.Context(), acct, "")
				if tt.want == nil {
					require.NoError(t, err)
					assert.Len(t, page.Items, 1)
				} else {
					require.ErrorIs(t, err, tt.want)
					assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown)
				}
				assert.Equal(t, tt.calls, fake.Calls(networks.OpIncoming))
			})
		})
	}
	t.Run("canceled", func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := newPublisher(t, fake.Adapter()).Incoming(ctx, fake.Account(), "")
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 0, fake.Calls(networks.OpIncoming))
	})
}

// sloppyInbox returns an unknown outcome once, then a page without cursor
// and with items that name neither network nor account.
type sloppyInbox struct {
	networks.Adapter
	calls atomic.Int32
}

func (s *sloppyInbox) Incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	if s.calls.Add(1) == 1 {
		return networks.IncomingPage{}, &networks.OutcomeUnknownError{Network: fakenet.Network, Op: networks.OpIncoming, Err: errors.New("reset")}
	}
	return networks.IncomingPage{Items: []networks.Incoming{{ID: "i1", Kind: networks.ItemMention, Text: "x"}}}, nil
}

func TestPublisherIncomingFillsWhatTheAdapterLeft(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakenet.New(fakenet.Options{})
		s := &sloppyInbox{Adapter: fake.Adapter()}
		p := newPublisher(t, s)
		page, err := p.Incoming(t.Context(), fake.Account(), "c7")
		require.NoError(t, err, "a read's unknown outcome is retried: a read has no effect")
		assert.Equal(t, int32(2), s.calls.Load())
		require.Len(t, page.Items, 1)
		assert.Equal(t, fakenet.Network, page.Items[0].Network)
		assert.Equal(t, "acct-1", page.Items[0].AccountID)
		assert.Equal(t, "c7", page.Cursor, "a page without a cursor keeps the one asked with")
	})
}

// A reply is text even where a post needs media (Spec.ForReply): an
// Instagram comment reply goes out, a text-only Instagram post does not.
func TestPublisherReplyNeedsNoMediaWherePostsDo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		require.Equal(t, 1, networks.InstagramSpec().Media.MinItems, "the case needs a network whose posts need media")
		fake := fakenet.New(fakenet.Options{Spec: networks.InstagramSpec()})
		acct := fake.Account()
		in := mention(t, fake, acct, "hi")
		p := newPublisher(t, fake.Adapter())
		r, err := p.Reply(t.Context(), acct, in, networks.Draft{Text: "thanks!", Marker: "m"})
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPublished, r.Status)
		assert.Len(t, fake.Replies(in.ID), 1)

		_, err = p.Publish(t.Context(), acct, networks.Draft{Text: "a post without media"})
		var ve *networks.ValidationError
		require.ErrorAs(t, err, &ve, "a post still needs media")
		assert.Equal(t, 1, networks.InstagramSpec().Media.MinItems, "ForReply changed a copy")
	})
}
