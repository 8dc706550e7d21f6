package facebook

import (
	"context"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// session is what one operation knows of its account: the Page id, the
// user token (UserTokens) and the Page token the calls carry. Its String,
// GoString and LogValue (from apikit.Session) never show a token.
type session struct {
	apikit.Session        // Token is the Page token
	page           string // the Page id
	user           string // the user token; empty with PageTokens
	key            [sha256.Size]byte
}

// pageTokens caches derived Page tokens by Page and user token (its
// SHA-256, so the map holds no user token), dropped when Meta refuses one.
type pageTokens struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]metagraph.Secret
}

// maxCached bounds the cache; past it the cache starts again empty.
const maxCached = 10_000

func (c *pageTokens) get(k [sha256.Size]byte) (metagraph.Secret, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.m[k]
	return t, ok
}

func (c *pageTokens) put(k [sha256.Size]byte, t metagraph.Secret) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[[sha256.Size]byte]metagraph.Secret{}
	}
	c.m[k] = t
}

func (c *pageTokens) drop(k [sha256.Size]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

func validID(id string) bool { return id != "" && !strings.ContainsAny(id, "/?#%& ") }

func itoa(n int) string { return strconv.Itoa(n) }

// page returns the Page id of acct.
func (a *Adapter) page(acct networks.Account) (string, error) {
	id := a.pageID(acct)
	if !validID(id) {
		return "", &networks.FieldError{Network: Network, Field: "account.page_id", Value: id, Reason: "not a Facebook Page id"}
	}
	return id, nil
}

// session gets acct's token ([networks.AccessToken], its one rule) and,
// with UserTokens, the Page token derived from it: from the cache, or
// with GET /{page-id}?fields=access_token.
func (a *Adapter) session(ctx context.Context, acct networks.Account) (*session, error) {
	page, err := a.page(acct)
	if err != nil {
		return nil, err
	}
	tok, err := networks.AccessToken(ctx, Network, acct)
	if err != nil {
		return nil, err
	}
	s := &session{Session: apikit.Session{Account: acct}, page: page}
	if a.kind == PageTokens {
		s.Token = tok.AccessToken
		return s, nil
	}
	s.user = tok.AccessToken
	s.key = sha256.Sum256([]byte(page + "\x00" + tok.AccessToken))
	if pt, ok := a.tokens.get(s.key); ok {
		s.Token = string(pt)
		return s, nil
	}
	pt, err := a.api.PageToken(ctx, metagraph.Secret(tok.AccessToken), page)
	if err != nil {
		return nil, withAccount(err, acct.ID)
	}
	a.tokens.put(s.key, pt)
	s.Token = string(pt)
	return s, nil
}

// refused forgets s's Page token when err says Meta refused it, so the
// next operation derives a new one.
func (a *Adapter) refused(s *session, err error) {
	if a.kind == UserTokens && errors.Is(err, socialflow.ErrAuthExpired) {
		a.tokens.drop(s.key)
	}
}

// withAccount names the account in the auth errors of the Page token
// derivation (metagraph's client does not know it).
func withAccount(err error, id string) error {
	var ae *networks.AuthExpiredError
	var re *networks.ReauthRequiredError
	switch {
	case errors.As(err, &re) && re.AccountID == "":
		re.AccountID = id
	case errors.As(err, &ae) && ae.AccountID == "":
		ae.AccountID = id
	}
	return err
}
