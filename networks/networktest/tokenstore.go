package networktest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
)

// RunTokenStore runs the [networks.TokenStore] conformance cases as subtests,
// each with a fresh, empty store from newStore. The in-memory
// networks.MemTokenStore passes it; so must a host's implementation.
func RunTokenStore(t *testing.T, newStore func(t *testing.T) networks.TokenStore) {
	t.Helper()
	cases := []struct {
		name string
		fn   func(t *testing.T, s networks.TokenStore)
	}{
		{"LoadMissingIsNotFound", loadMissingIsNotFound},
		{"SaveThenLoad", saveThenLoad},
		{"SaveReplacesRotatedRefreshToken", saveReplaces},
		{"AccountsAreSeparate", accountsAreSeparate},
		{"CallerCopiesAreNotAliased", copiesNotAliased},
		{"ConcurrentSavesKeepOneWhole", concurrentSaves},
		{"ErrorsNeverContainToken", storeErrorsClean},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newStore(t)) })
	}
}

var expiry = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func tok(n int) *oauth2.Token {
	return &oauth2.Token{
		AccessToken: fmt.Sprintf("%s-access-%d", Secret, n), RefreshToken: fmt.Sprintf("%s-refresh-%d", Secret, n),
		TokenType: "Bearer", Expiry: expiry.Add(time.Duration(n) * time.Hour),
	}
}

func same(t *testing.T, want, got *oauth2.Token) {
	t.Helper()
	require.NotNil(t, got)
	assert.Equal(t, want.AccessToken, got.AccessToken)
	assert.Equal(t, want.RefreshToken, got.RefreshToken)
	assert.Equal(t, want.TokenType, got.TokenType)
	assert.True(t, want.Expiry.Equal(got.Expiry), "expiry %v, want %v", got.Expiry, want.Expiry)
}

func loadMissingIsNotFound(t *testing.T, s networks.TokenStore) {
	_, err := s.Load(t.Context(), "networktest-nobody")
	require.ErrorIs(t, err, networks.ErrNotFound)
}

func saveThenLoad(t *testing.T, s networks.TokenStore) {
	require.NoError(t, s.Save(t.Context(), "a", tok(1)))
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(1), got)
}

func saveReplaces(t *testing.T, s networks.TokenStore) {
	require.NoError(t, s.Save(t.Context(), "a", tok(1)))
	require.NoError(t, s.Save(t.Context(), "a", tok(2)))
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(2), got) // the rotated refresh token is the one kept
}

func accountsAreSeparate(t *testing.T, s networks.TokenStore) {
	require.NoError(t, s.Save(t.Context(), "a", tok(1)))
	require.NoError(t, s.Save(t.Context(), "b", tok(2)))
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(1), got)
	got, err = s.Load(t.Context(), "b")
	require.NoError(t, err)
	same(t, tok(2), got)
}

func copiesNotAliased(t *testing.T, s networks.TokenStore) {
	in := tok(1)
	require.NoError(t, s.Save(t.Context(), "a", in))
	in.AccessToken = "changed"
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(1), got)
	got.RefreshToken = "changed"
	again, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(1), again)
}

func concurrentSaves(t *testing.T, s networks.TokenStore) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { assert.NoError(t, s.Save(t.Context(), "a", tok(i))) })
	}
	wg.Wait()
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	var n int
	_, err = fmt.Sscanf(got.AccessToken, Secret+"-access-%d", &n)
	require.NoError(t, err)
	same(t, tok(n), got) // access and refresh token come from the same save
}

func storeErrorsClean(t *testing.T, s networks.TokenStore) {
	require.NoError(t, s.Save(t.Context(), "a", tok(1)))
	_, err := s.Load(t.Context(), "missing")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), Secret)
}
