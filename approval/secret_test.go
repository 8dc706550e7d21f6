package approval_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/approval"
)

const secretText = "s3cr3t-key-material-that-must-not-leak!"

// leaks reports the forms a secret takes in output: raw, hex, base64 and
// Go's byte-slice formatting.
func leaks(t *testing.T, out string, secret []byte) {
	t.Helper()
	for name, form := range map[string]string{
		"raw":     string(secret[:12]),
		"hex":     hex.EncodeToString(secret[:8]),
		"HEX":     strings.ToUpper(hex.EncodeToString(secret[:8])),
		"base64":  base64.StdEncoding.EncodeToString(secret[:9]),
		"b64url":  base64.RawURLEncoding.EncodeToString(secret[:9]),
		"decimal": strings.Trim(fmt.Sprint(secret[:6]), "[]"),
		"goslice": strings.Trim(fmt.Sprintf("%#v", secret[:4]), "[]byte{}"),
	} {
		assert.NotContains(t, out, form, "secret leaked in %s form: %s", name, out)
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	secret := []byte(secretText)
	key := approval.Key{ID: "k-2026", Secret: secret}
	old := approval.Key{ID: "k-2025", Secret: bytes.Repeat([]byte("older-secret-"), 3)}
	signer, err := approval.NewSigner(key, old)
	require.NoError(t, err)
	type holder struct {
		K approval.Key
		S *approval.Signer
	}
	values := map[string]any{
		"Key":          key,
		"*Key":         &key,
		"*Signer":      signer,
		"Signer":       *signer,
		"struct":       holder{K: key, S: signer},
		"[]Key":        []approval.Key{key, old},
		"map[string]*": map[string]any{"k": key, "s": signer},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			for _, verb := range verbs {
				out := fmt.Sprintf(verb, v)
				leaks(t, out, secret)
				leaks(t, out, old.Secret)
			}
			for hname, mk := range map[string]func(*bytes.Buffer) slog.Handler{
				"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
				"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			} {
				var buf bytes.Buffer
				slog.New(mk(&buf)).Info("x", "v", v)
				leaks(t, buf.String(), secret)
				leaks(t, buf.String(), old.Secret)
				assert.NotEmpty(t, buf.String(), hname)
			}
			b, _ := json.Marshal(v)
			leaks(t, string(b), secret)
		})
	}
	// Key ids may show.
	assert.Contains(t, fmt.Sprintf("%+v", signer), "k-2026")
	assert.Contains(t, fmt.Sprintf("%#v", key), "k-2026")
}

// Errors of NewSigner, Sign and Verify never carry key material.
func TestSignerErrorsCarryNoSecret(t *testing.T) {
	secret := []byte(secretText)
	short := secret[:20]
	_, err := approval.NewSigner(approval.Key{ID: "k", Secret: short})
	require.Error(t, err)
	_, err2 := approval.NewSigner(approval.Key{ID: "bad id!", Secret: secret})
	require.Error(t, err2)
	_, err3 := approval.NewSigner(approval.Key{ID: "k", Secret: secret}, approval.Key{ID: "k", Secret: secret})
	require.Error(t, err3)
	s, err := approval.NewSigner(approval.Key{ID: "k", Secret: secret})
	require.NoError(t, err)
	other, err := approval.NewSigner(approval.Key{ID: "k", Secret: bytes.Repeat([]byte("x"), 32)})
	require.NoError(t, err)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tok, err := other.Sign(approval.Link{Request: "r", Approver: "a", Version: 1, Expires: now.Add(time.Hour)})
	require.NoError(t, err)
	_, err4 := s.Verify(tok, 1, nil, now)
	require.Error(t, err4)
	for _, e := range []error{err, err2, err3, err4} {
		if e == nil {
			continue
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			leaks(t, fmt.Sprintf(verb, e), short)
		}
	}
}
