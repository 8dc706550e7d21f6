package bluesky_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/networktest"
)

func TestSecretsNeverInOutput(t *testing.T) {
	fx := newFixture(t)
	r := fx.ad.Refresher(fx.srv.URL())
	secrets := []string{fx.tok.AccessToken, fx.tok.RefreshToken, "app-pass-1"}
	_, loginErr := fx.ad.Login(t.Context(), fx.srv.URL(), "alice.test", "wrong-app-pass")
	for name, v := range map[string]any{
		"Account":              fx.acct,
		"Adapter":              fx.ad,
		"Refresher":            r,
		"Refresher's source":   r.TokenSource(t.Context(), fx.tok),
		"a failed login error": loginErr,
	} {
		t.Run(name, func(t *testing.T) { networktest.AssertNoSecret(t, v, secrets...) })
	}
}
