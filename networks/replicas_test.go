package networks_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

// Two Publishers (two replicas) share one TokenStore over a network that
// rotates refresh tokens: a token one replica cached and the other rotated,
// or a token a person replaced by reconnecting, never fails the account.
func TestPublisherReplicasShareRotatedTokens(t *testing.T) {
	cases := []struct {
		name      string
		ttl       time.Duration
		noRefresh bool
		run       func(t *testing.T, fake *fakenet.Net, store *networks.MemTokenStore, a, b *networks.Publisher, acct networks.Account)
		refreshes int
	}{
		{name: "the other replica rotated the refresh token", ttl: time.Hour, refreshes: 2,
			run: func(t *testing.T, fake *fakenet.Net, _ *networks.MemTokenStore, a, b *networks.Publisher, acct networks.Account) {
				publish(t, a, acct, "a caches the first token")
				time.Sleep(2 * time.Hour)
				publish(t, b, acct, "b refreshes and rotates")
				time.Sleep(2 * time.Hour)
				publish(t, a, acct, "a's refresh token is dead: it reloads and refreshes the stored one")
			}},
		{name: "both replicas refresh at once", ttl: time.Hour, refreshes: 1,
			run: func(t *testing.T, fake *fakenet.Net, _ *networks.MemTokenStore, a, b *networks.Publisher, acct networks.Account) {
				publish(t, a, acct, "a caches")
				publish(t, b, acct, "b caches")
				time.Sleep(2 * time.Hour)
				var wg sync.WaitGroup
				for i, p := range []*networks.Publisher{a, b} {
					wg.Go(func() { publish(t, p, acct, []string{"a at once", "b at once"}[i]) })
				}
				wg.Wait()
			}},
		{name: "a person reconnected meanwhile", ttl: time.Hour, refreshes: 1,
			run: func(t *testing.T, fake *fakenet.Net, store *networks.MemTokenStore, a, _ *networks.Publisher, acct networks.Account) {
				publish(t, a, acct, "a caches")
				time.Sleep(2 * time.Hour)
				_, fresh := fake.Connect(acct.ID)
				require.NoError(t, store.Save(t.Context(), acct.ID, fresh))
				publish(t, a, acct, "a's swap loses to the reconnect: it uses the stored token")
				got, err := store.Load(t.Context(), acct.ID)
				require.NoError(t, err)
				assert.Equal(t, fresh.AccessToken, got.AccessToken, "the reconnect's token stands")
			}},
		{name: "revoked token without refresh, reconnected", noRefresh: true,
			run: func(t *testing.T, fake *fakenet.Net, store *networks.MemTokenStore, a, _ *networks.Publisher, acct networks.Account) {
				publish(t, a, acct, "a caches")
				_, fresh := fake.Connect(acct.ID)
				require.NoError(t, store.Save(t.Context(), acct.ID, fresh))
				fake.Script(fakenet.ExpiredToken()) // the network refuses the cached token (a 401)
				publish(t, a, acct, "a reloads the reconnected token")
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{TokenTTL: c.ttl})
				acct, tok := fake.Connect("ana")
				acct.Tokens = nil // the TokenStore supplies it
				store := networks.NewMemTokenStore()
				require.NoError(t, store.Save(t.Context(), "ana", tok))
				var r networks.Refresher = fake.Refresher()
				if c.noRefresh {
					r = nil
				}
				a := newPublisher(t, fake.Adapter(), networks.WithTokenStore(store, r))
				b := newPublisher(t, fake.Adapter(), networks.WithTokenStore(store, r))
				c.run(t, fake, store, a, b, acct)
				assert.Equal(t, c.refreshes, fake.Refreshes())
			})
		})
	}
}

func publish(t *testing.T, p *networks.Publisher, acct networks.Account, text string) {
	t.Helper()
	_, err := p.Publish(t.Context(), acct, networks.Draft{Text: text})
	assert.NoError(t, err, text)
}

// ctxStore records the context value every call saw.
type ctxStore struct {
	networks.MemTokenStore
	mu   sync.Mutex
	seen []any
}

func (s *ctxStore) see(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, ctx.Value(ctxKey{}))
}

func (s *ctxStore) Load(ctx context.Context, id string) (*oauth2.Token, error) {
	s.see(ctx)
	return s.MemTokenStore.Load(ctx, id)
}

func (s *ctxStore) Swap(ctx context.Context, id string, old, t *oauth2.Token) error {
	s.see(ctx)
	return s.MemTokenStore.Swap(ctx, id, old, t)
}

// Token-store I/O runs in the caller's context (its deadline, its values),
// never in a long-lived one: a canceled call does not wait on the store.
func TestPublisherTokenStoreUsesTheCallersContext(t *testing.T) {
	for _, op := range []string{networks.OpPublish, networks.OpFind} {
		t.Run(op, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := fakenet.New(fakenet.Options{TokenTTL: time.Hour})
				acct, tok := fake.Connect("ana")
				acct.Tokens = nil // the TokenStore supplies it
				store := &ctxStore{}
				require.NoError(t, store.Save(t.Context(), "ana", tok))
				p := newPublisher(t, fake.Adapter(), networks.WithTokenStore(store, fake.Refresher()),
					networks.WithRefreshContext(context.WithValue(t.Context(), ctxKey{}, "long-lived")))
				time.Sleep(2 * time.Hour) // load, refresh and save
				ctx := context.WithValue(t.Context(), ctxKey{}, "caller")
				var err error
				if op == networks.OpPublish {
					_, err = p.Publish(ctx, acct, hello)
				} else {
					_, _, err = p.Find(ctx, acct, "sf-none")
				}
				require.NoError(t, err)
				require.Len(t, store.seen, 2, "one load, one swap")
				for _, v := range store.seen {
					assert.Equal(t, "caller", v)
				}
			})
		})
	}
}
