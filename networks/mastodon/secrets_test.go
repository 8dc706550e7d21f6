package mastodon_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestSecretsNeverInOutput(t *testing.T) {
	fx := newFixture(t)
	app := mastodon.App{ClientID: "client-1", ClientSecret: "app-secret-9f3e"}
	fx.srv.Revoke(fx.tok)
	_, revoked := fx.ad.Publish(t.Context(), fx.acct, networks.Draft{Text: "hi", Marker: "s"})
	secrets := []string{fx.tok, app.ClientSecret}
	for name, v := range map[string]any{
		"App":           app,
		"Account":       fx.acct,
		"Adapter":       fx.ad,
		"revoked error": revoked,
	} {
		t.Run(name, func(t *testing.T) { networktest.AssertNoSecret(t, v, secrets...) })
	}
}
