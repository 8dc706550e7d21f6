package instagram_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/instagram"
)

// TestAdapterNeverPrintsItsAppSecret: every fmt verb and slog show the
// adapter without the app secret it signs proofs with.
func TestAdapterNeverPrintsItsAppSecret(t *testing.T) {
	const secret = "app-secret-7f3a9c"
	a, err := instagram.New(nil, instagram.WithAppSecret(secret))
	require.NoError(t, err)
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("adapter", "a", a)
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%v %+v %#v %s", a, a, a, a), fmt.Sprintf("%+v", struct{ Adapter *instagram.Adapter }{a}), logs.String()} {
		assert.NotContains(t, s, secret)
	}
	assert.Contains(t, a.String(), "appsecret_proof:on")
}
