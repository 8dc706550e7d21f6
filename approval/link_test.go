package approval_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

func errorIsInvalid(err error) bool { return errors.Is(err, socialflow.ErrInvalid) }

var (
	key1 = approval.Key{ID: "k2026-01", Secret: bytes.Repeat([]byte{0x11}, 32)}
	key2 = approval.Key{ID: "k2026-02", Secret: bytes.Repeat([]byte{0x22}, 32)}
)

func testLink() approval.Link {
	return approval.Link{Request: "post-1", Version: 3, Approver: "client-ana", Stage: "client", Expires: at(48)}
}

func signer(t testing.TB, current approval.Key, previous ...approval.Key) *approval.Signer {
	t.Helper()
	s, err := approval.NewSigner(current, previous...)
	require.NoError(t, err)
	return s
}

func TestLinkRoundTrip(t *testing.T) {
	s := signer(t, key1)
	tok, err := s.Sign(testLink())
	require.NoError(t, err)
	assert.NotContains(t, tok, "=")
	assert.NotContains(t, tok, "+")
	assert.NotContains(t, tok, "/")
	assert.True(t, strings.HasPrefix(tok, "k2026-01."))

	l, err := s.Verify(tok, 3, nil, at(1))
	require.NoError(t, err)
	assert.Equal(t, "post-1", l.Request)
	assert.Equal(t, 3, l.Version)
	assert.Equal(t, "client-ana", l.Approver)
	assert.Equal(t, "client", l.Stage)
	assert.True(t, at(48).Equal(l.Expires))
	assert.Equal(t, "k2026-01", l.KeyID)
	assert.NotEmpty(t, l.ID)

	// The token carries no secret.
	assert.NotContains(t, tok, string(key1.Secret))

	// Same link, same ID; another approver, another ID.
	tok2, err := s.Sign(testLink())
	require.NoError(t, err)
	assert.Equal(t, tok, tok2)
	other := testLink()
	other.Approver = "client-bo"
	tok3, err := s.Sign(other)
	require.NoError(t, err)
	l3, err := s.Verify(tok3, 3, nil, at(1))
	require.NoError(t, err)
	assert.NotEqual(t, l.ID, l3.ID)
}

func TestLinkRotation(t *testing.T) {
	old := signer(t, key1)
	tok, err := old.Sign(testLink())
	require.NoError(t, err)

	rotated := signer(t, key2, key1)
	l, err := rotated.Verify(tok, 3, nil, at(1))
	require.NoError(t, err)
	assert.Equal(t, "k2026-01", l.KeyID)

	fresh, err := rotated.Sign(testLink())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(fresh, "k2026-02."))

	retired := signer(t, key2)
	_, err = retired.Verify(tok, 3, nil, at(1))
	require.ErrorIs(t, err, socialflow.ErrForbidden)
	var uk *approval.UnknownKeyError
	require.ErrorAs(t, err, &uk)
	assert.Equal(t, "k2026-01", uk.KeyID)
}

func TestLinkVerifyErrors(t *testing.T) {
	s := signer(t, key1)
	tok, err := s.Sign(testLink())
	require.NoError(t, err)
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)

	otherSecret := signer(t, approval.Key{ID: key1.ID, Secret: bytes.Repeat([]byte{0x33}, 32)})
	forged, err := otherSecret.Sign(testLink())
	require.NoError(t, err)
	// Swap in the payload of another link, keeping the original signature.
	another := testLink()
	another.Approver = "mallory"
	tokOther, err := s.Sign(another)
	require.NoError(t, err)
	tampered := parts[0] + "." + strings.Split(tokOther, ".")[1] + "." + parts[2]

	used := map[string]bool{}
	l, err := s.Verify(tok, 3, func(id string) bool { return used[id] }, at(1))
	require.NoError(t, err)
	used[l.ID] = true

	for _, tt := range []struct {
		name    string
		token   string
		version int
		now     time.Time
		seen    func(string) bool
		wantErr error
		target  any
	}{
		{name: "empty", token: "", wantErr: socialflow.ErrInvalid, target: new(*approval.MalformedTokenError)},
		{name: "two parts", token: parts[0] + "." + parts[1], wantErr: socialflow.ErrInvalid, target: new(*approval.MalformedTokenError)},
		{name: "four parts", token: tok + ".x", wantErr: socialflow.ErrInvalid, target: new(*approval.MalformedTokenError)},
		{name: "padding", token: tok + "=", wantErr: socialflow.ErrInvalid, target: new(*approval.MalformedTokenError)},
		{name: "too long", token: strings.Repeat("a", approval.MaxTokenBytes+1), wantErr: socialflow.ErrInvalid, target: new(*approval.MalformedTokenError)},
		{name: "unknown key id", token: "zz." + parts[1] + "." + parts[2], wantErr: socialflow.ErrForbidden, target: new(*approval.UnknownKeyError)},
		{name: "wrong key", token: forged, wantErr: socialflow.ErrForbidden, target: new(*approval.WrongKeyError)},
		{name: "tampered", token: tampered, wantErr: socialflow.ErrForbidden, target: new(*approval.TamperedError)},
		{name: "expired", token: tok, now: at(49), wantErr: socialflow.ErrAuthExpired, target: new(*approval.ExpiredError)},
		{name: "wrong version", token: tok, version: 4, wantErr: socialflow.ErrConflict, target: new(*approval.VersionError)},
		{name: "already used", token: tok, seen: func(id string) bool { return used[id] }, wantErr: socialflow.ErrDuplicate, target: new(*approval.UsedError)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			version := tt.version
			if version == 0 {
				version = 3
			}
			now := tt.now
			if now.IsZero() {
				now = at(1)
			}
			_, err := s.Verify(tt.token, version, tt.seen, now)
			require.ErrorIs(t, err, tt.wantErr)
			require.ErrorAs(t, err, tt.target)
			assert.NotContains(t, err.Error(), string(key1.Secret))
		})
	}
}

func TestSignerInvalid(t *testing.T) {
	for _, tt := range []struct {
		name string
		keys []approval.Key
	}{
		{name: "zero key", keys: []approval.Key{{}}},
		{name: "short secret", keys: []approval.Key{{ID: "a", Secret: []byte("short")}}},
		{name: "bad id", keys: []approval.Key{{ID: "a.b", Secret: key1.Secret}}},
		{name: "duplicate id", keys: []approval.Key{key1, {ID: key1.ID, Secret: key2.Secret}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := approval.NewSigner(tt.keys[0], tt.keys[1:]...)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var pe *approval.PolicyError
			require.ErrorAs(t, err, &pe)
			assert.NotContains(t, err.Error(), string(key2.Secret))
		})
	}
	s := signer(t, key1)
	for _, l := range []approval.Link{
		{Version: 1, Approver: "a", Expires: at(1)},
		{Request: "r", Version: 1, Expires: at(1)},
		{Request: "r", Version: 1, Approver: "a"},
		{Request: "r", Version: -1, Approver: "a", Expires: at(1)},
	} {
		_, err := s.Sign(l)
		require.ErrorIs(t, err, socialflow.ErrInvalid)
	}
	var zero approval.Signer
	_, err := zero.Sign(testLink())
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	tok, err := s.Sign(testLink())
	require.NoError(t, err)
	_, err = zero.Verify(tok, 3, nil, at(1))
	require.ErrorIs(t, err, socialflow.ErrForbidden)
}

func TestKeyRedacted(t *testing.T) {
	k := approval.Key{ID: "k1", Secret: []byte("tok-SECRET-tok-SECRET-tok-SECRET-tok-SECRET")}
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k)} {
		assert.NotContains(t, s, "SECRET")
		assert.Contains(t, s, "k1")
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("key", "key", k)
	assert.NotContains(t, buf.String(), "SECRET")
	assert.Contains(t, buf.String(), "k1")
}

// go test -fuzz=^FuzzVerify$ -fuzztime=30s ./approval
//
// Properties: Verify never panics; a token it accepts was signed by the
// signer (its claims round-trip); and any one-byte change to a valid token
// is rejected.
func FuzzVerify(f *testing.F) {
	s := signer(f, key1, key2)
	good, err := s.Sign(testLink())
	require.NoError(f, err)
	f.Add(good, 0, byte(1))
	f.Add(good, len(good)-1, byte('A'))
	f.Add(good, 3, byte('.'))
	f.Add("k2026-01..", 0, byte(0))
	f.Add("", 0, byte(0))
	f.Add("a.b.c", 2, byte('x'))
	now := at(1)
	f.Fuzz(func(t *testing.T, token string, pos int, b byte) {
		l, err := s.Verify(token, 3, nil, now)
		if err == nil {
			again, err := s.Sign(approval.Link{Request: l.Request, Version: l.Version, Approver: l.Approver, Stage: l.Stage, Expires: l.Expires})
			if err != nil || (again != token && l.KeyID == key1.ID) {
				t.Fatalf("accepted token %q does not re-sign to itself: %q, %v", token, again, err)
			}
		}
		if len(good) == 0 {
			return
		}
		i := ((pos % len(good)) + len(good)) % len(good)
		if good[i] == b {
			return
		}
		mutated := []byte(good)
		mutated[i] = b
		if _, err := s.Verify(string(mutated), 3, nil, now); err == nil {
			t.Fatalf("one-byte change at %d to %q accepted", i, b)
		}
	})
}

// TestLinkRefusesInsertedLineBreaks: base64 decoders skip CR and LF, so a
// token with one inserted must not verify (found by FuzzVerify).
func TestLinkRefusesInsertedLineBreaks(t *testing.T) {
	s := signer(t, key1)
	tok, err := s.Sign(testLink())
	require.NoError(t, err)
	for _, at1 := range []int{len(tok) - 3, strings.Index(tok, ".") + 5, strings.LastIndex(tok, ".") + 2} {
		for _, c := range []string{"\n", "\r", " ", "="} {
			bad := tok[:at1] + c + tok[at1:]
			_, err := s.Verify(bad, 3, nil, at(1))
			var me *approval.MalformedTokenError
			require.ErrorAs(t, err, &me, "%q", bad)
		}
	}
}

// Signed links expire: Verify refuses a link after its expiry (kept to the
// second, never later than asked for), and a zero now — a host that forgot
// its clock — is refused rather than treated as "never expires".
func TestLinkExpiry(t *testing.T) {
	s := signer(t, key1)
	l := testLink()
	l.Expires = at(48).Add(500 * time.Millisecond)
	tok, err := s.Sign(l)
	require.NoError(t, err)
	for _, tt := range []struct {
		name    string
		now     time.Time
		wantErr error
	}{
		{name: "well before", now: at(1)},
		{name: "at the expiry second", now: at(48)},
		{name: "just after the second", now: at(48).Add(time.Millisecond), wantErr: socialflow.ErrAuthExpired},
		{name: "a year later", now: at(48 + 24*365), wantErr: socialflow.ErrAuthExpired},
		{name: "zero now", now: time.Time{}, wantErr: socialflow.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Verify(tok, 3, nil, tt.now)
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, at(48), got.Expires)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			assert.NotContains(t, err.Error(), "0001-01-01")
		})
	}
}
