package networks_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/networks/networktest"
)

const (
	secretAccess  = "sek-access-4f2a9c"
	secretRefresh = "sek-refresh-77b1e0"
)

// leakyAdapter captures the token source it is handed and fails with an
// error (and an inner error) that print the access token, as a careless
// adapter or HTTP library might.
type leakyAdapter struct {
	networks.Adapter
	seen *oauth2.TokenSource
}

type leakyInner struct{ token string }

func (e *leakyInner) Error() string { return "request with bearer " + e.token + " failed" }

func (a leakyAdapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	*a.seen = acct.Tokens
	tok, err := acct.Tokens.Token()
	if err != nil {
		return networks.Receipt{}, err
	}
	return networks.Receipt{}, &networks.RejectedError{Network: fakenet.Network, Op: networks.OpPublish, Code: "400",
		Reason: "token " + tok.AccessToken + " is not allowed", Err: &leakyInner{token: tok.AccessToken}}
}

// Every networks value that holds a secret prints and logs it redacted
// with every verb, and errors.As on an error's chain never yields it.
func TestSecretsNeverInOutput(t *testing.T) {
	tok := &oauth2.Token{AccessToken: secretAccess, RefreshToken: secretRefresh, TokenType: "Bearer"}
	fake := fakenet.New(fakenet.Options{})
	acct := fake.ConnectToken("ana", tok)
	store := networks.NewMemTokenStore()
	require.NoError(t, store.Save(t.Context(), "ana", tok))

	var seen oauth2.TokenSource
	p := newPublisher(t, leakyAdapter{Adapter: fake.Adapter(), seen: &seen}, networks.WithTokenStore(store, fake.Refresher()), networks.WithMaxAttempts(1))
	managed := acct
	managed.Tokens = nil
	_, pubErr := p.Publish(t.Context(), managed, hello)
	require.ErrorIs(t, pubErr, socialflow.ErrRejected)
	require.NotNil(t, seen)

	var rej *networks.RejectedError
	require.ErrorAs(t, pubErr, &rej)
	var inner *leakyInner
	if errors.As(pubErr, &inner) {
		t.Errorf("errors.As reaches the unredacted inner error: %q", inner.token)
	}

	cases := []struct {
		name string
		v    any
	}{
		{"*MemTokenStore", store},
		{"Account with a token source", acct},
		{"the Publisher's token source", seen},
		{"*Publisher", p},
		{"the Publisher's error", pubErr},
		{"the *RejectedError errors.As finds", rej},
		{"the Publisher's error wrapped by a host", fmt.Errorf("host: %w", pubErr)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			networktest.AssertNoSecret(t, c.v, secretAccess, secretRefresh)
		})
	}
}
