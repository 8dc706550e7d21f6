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
		{"SwapReplacesWhatWasRead", swapReplaces},
		{"SwapOfAChangedTokenIsConflict", swapChangedIsConflict},
		{"SwapOnNothingStored", swapOnMissing},
		{"TwoWritersRacingOneWins", swapRace},
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

func swapReplaces(t *testing.T, s networks.TokenStore) {
	require.NoError(t, s.Save(t.Context(), "a", tok(1)))
	read, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	require.NoError(t, s.Swap(t.Context(), "a", read, tok(2)))
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(2), got)
}

func swapChangedIsConflict(t *testing.T, s networks.TokenStore) {
	require.NoError(t, s.Save(t.Context(), "a", tok(1)))
	require.NoError(t, s.Save(t.Context(), "a", tok(2))) // another replica rotated it
	err := s.Swap(t.Context(), "a", tok(1), tok(3))
	require.ErrorIs(t, err, networks.ErrConflict, "a lost race matches ErrConflict")
	assert.NotContains(t, err.Error(), Secret)
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(2), got) // the loser stored nothing
}

func swapOnMissing(t *testing.T, s networks.TokenStore) {
	require.ErrorIs(t, s.Swap(t.Context(), "a", tok(1), tok(2)), networks.ErrConflict, "nothing stored is not tok(1)")
	require.NoError(t, s.Swap(t.Context(), "a", nil, tok(2)), "nil old: only if nothing is stored")
	require.ErrorIs(t, s.Swap(t.Context(), "a", nil, tok(3)), networks.ErrConflict)
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(2), got)
}

func swapRace(t *testing.T, s networks.TokenStore) {
	require.NoError(t, s.Save(t.Context(), "a", tok(1)))
	const writers = 8
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() { errs[i] = s.Swap(t.Context(), "a", tok(1), tok(10+i)) })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			assert.Equal(t, -1, winner, "only one writer wins")
			winner = i
			continue
		}
		assert.ErrorIs(t, err, networks.ErrConflict, "the losers get ErrConflict")
	}
	require.NotEqual(t, -1, winner, "one writer wins")
	got, err := s.Load(t.Context(), "a")
	require.NoError(t, err)
	same(t, tok(10+winner), got)
}
