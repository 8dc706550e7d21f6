package approval

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
)

// Key is one host secret for signing approval links. ID names it in every
// token so keys can rotate: sign with the newest, keep older ones to verify
// links still in flight. The zero Key is invalid.
//
// String, GoString, Format (every fmt verb), LogValue and MarshalJSON
// redact the secret.
type Key struct {
	ID     string // 1–64 characters of [A-Za-z0-9_-]
	Secret []byte // at least MinKeyBytes random bytes
}

// MinKeyBytes is the shortest secret [NewSigner] accepts.
const MinKeyBytes = 32

// MaxTokenBytes is the longest token [Signer.Verify] parses.
const MaxTokenBytes = 4096

// String returns the key id with the secret redacted.
func (k Key) String() string {
	return "approval.Key{ID:" + strconv.Quote(echo.Short(k.ID)) + ", Secret:REDACTED}"
}

// GoString returns the key id with the secret redacted.
func (k Key) GoString() string { return k.String() }

// Format writes [Key.String] for every verb (%q quotes it), so no verb —
// %v, %+v, %#v, %x, %d — prints the secret's bytes.
func (k Key) Format(f fmt.State, verb rune) { redactedFormat(f, verb, k.String()) }

// LogValue logs the key id only.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", echo.Short(k.ID)), slog.String("secret", "REDACTED"))
}

// MarshalJSON writes the key id with the secret redacted, so a key inside a
// logged or encoded value never carries its secret. Reading a Key from
// JSON (the default decoding, Secret as base64) is unaffected; a host that
// stores keys encodes the secret itself.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID     string
		Secret string
	}{k.ID, "REDACTED"})
}

// redactedFormat writes s for any fmt verb: quoted for %q, as is otherwise.
func redactedFormat(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}

// Link is what an approval link grants: one approver may decide on one
// version of one request until Expires. Its fields travel in the token in
// clear (base64url JSON, signed, not encrypted): put no secret in them. The
// zero Link is invalid (Request, Approver and Expires are required).
type Link struct {
	Request  string `json:"r"`           // the subject's ID
	Version  int    `json:"v"`           // the version to decide on
	Approver string `json:"a"`           // the external approver's member ID
	Stage    string `json:"s,omitempty"` // the stage, when the host wants to pin it
	// Expires is required; the token keeps it to the second, and Verify
	// returns it in UTC.
	Expires time.Time `json:"-"`
	// ID and KeyID are set by [Signer.Verify]: ID identifies the token for
	// the host's single-use check (derived from the signature, so equal
	// links share an ID), KeyID names the key that signed it.
	ID    string `json:"-"`
	KeyID string `json:"-"`
}

type payload struct {
	Link
	Exp int64  `json:"e"`
	KCV string `json:"k"`
}

// Signer signs and verifies approval links with HMAC-SHA256. Build it with
// [NewSigner]; it is immutable and safe for concurrent use. The zero Signer
// holds no key: Sign fails with a *[PolicyError] and Verify with an
// *[UnknownKeyError].
//
// String, GoString, Format (every fmt verb), LogValue and JSON encoding
// show key ids only, never a secret.
type Signer struct {
	current string
	keys    map[string]signKey
}

type signKey struct {
	secret []byte
	kcv    string
}

var b64 = base64.RawURLEncoding.Strict()

// keyIDs returns the ids of the keys s holds, sorted.
func (s Signer) keyIDs() []string {
	ids := make([]string, 0, len(s.keys))
	for id := range s.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// String names the signing key and the key ids held; secrets are redacted.
func (s Signer) String() string {
	return fmt.Sprintf("approval.Signer{Current:%q, Keys:%q, Secrets:REDACTED}", s.current, s.keyIDs())
}

// GoString is [Signer.String].
func (s Signer) GoString() string { return s.String() }

// Format writes [Signer.String] for every verb (%q quotes it), so no verb
// prints a secret's bytes.
func (s Signer) Format(f fmt.State, verb rune) { redactedFormat(f, verb, s.String()) }

// LogValue logs the signing key id and the key ids held, never a secret.
func (s Signer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("current", s.current), slog.Any("keys", s.keyIDs()))
}

// NewSigner returns a Signer that signs with current and verifies tokens
// signed with current or any of previous. Key ids must be distinct and
// URL-safe, secrets at least [MinKeyBytes] long; otherwise it returns a
// *[PolicyError]. The secrets are copied.
func NewSigner(current Key, previous ...Key) (*Signer, error) {
	s := &Signer{current: current.ID, keys: make(map[string]signKey, 1+len(previous))}
	for i, k := range append([]Key{current}, previous...) {
		f := "keys[" + strconv.Itoa(i) + "]"
		if !validKeyID(k.ID) {
			return nil, &PolicyError{Field: f + ".id", Value: k.ID, Limit: 64, Reason: "key id must be 1–64 characters of A-Z a-z 0-9 _ -"}
		}
		if len(k.Secret) < MinKeyBytes {
			return nil, &PolicyError{Field: f + ".secret", Value: "REDACTED", Limit: MinKeyBytes, Reason: "secret too short in bytes"}
		}
		if _, dup := s.keys[k.ID]; dup {
			return nil, &PolicyError{Field: f + ".id", Value: k.ID, Reason: "duplicate key id"}
		}
		secret := append([]byte(nil), k.Secret...)
		s.keys[k.ID] = signKey{secret: secret, kcv: keyCheck(secret)}
	}
	return s, nil
}

func validKeyID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// keyCheck is a short public fingerprint of a secret, so Verify can tell a
// token signed with another secret under the same id from a tampered one.
func keyCheck(secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("socialflow approval link key check"))
	return b64.EncodeToString(m.Sum(nil)[:6])
}

func mac(secret []byte, signed string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(signed))
	return m.Sum(nil)
}

// Sign returns a URL-safe token for l, signed with the current key:
// "<key id>.<base64url payload>.<base64url HMAC-SHA256>". l.ID and l.KeyID
// are ignored. It returns a *[PolicyError] for a link without request,
// approver or expiry, a negative version, or on the zero Signer.
func (s *Signer) Sign(l Link) (string, error) {
	k, ok := s.keys[s.current]
	if !ok {
		return "", &PolicyError{Field: "signer", Reason: "signer has no key; use NewSigner"}
	}
	switch {
	case l.Request == "":
		return "", &PolicyError{Field: "link.request", Reason: "request is required"}
	case l.Approver == "":
		return "", &PolicyError{Field: "link.approver", Reason: "approver is required"}
	case l.Expires.IsZero():
		return "", &PolicyError{Field: "link.expires", Reason: "expiry is required"}
	case l.Version < 0:
		return "", &PolicyError{Field: "link.version", Value: strconv.Itoa(l.Version), Reason: "version must not be negative"}
	}
	l.ID, l.KeyID = "", ""
	body, err := json.Marshal(payload{Link: l, Exp: l.Expires.Unix(), KCV: k.kcv})
	if err != nil {
		return "", &PolicyError{Field: "link", Reason: "cannot encode link: " + err.Error()}
	}
	signed := s.current + "." + b64.EncodeToString(body)
	tok := signed + "." + b64.EncodeToString(mac(k.secret, signed))
	if len(tok) > MaxTokenBytes {
		return "", &PolicyError{Field: "link", Value: strconv.Itoa(len(tok)), Limit: MaxTokenBytes, Reason: "token too long in bytes"}
	}
	return tok, nil
}

// Verify checks token and returns the [Link] it grants, with ID and KeyID
// set. The checks run in this order, each with its own error:
//   - *[PolicyError] (ErrInvalid): now is zero (a link must be checked
//     against a clock to expire);
//   - *[MalformedTokenError] (ErrInvalid): not a token;
//   - *[UnknownKeyError] (ErrForbidden): the key id is not held;
//   - *[WrongKeyError] (ErrForbidden): signed with another secret under that id;
//   - *[TamperedError] (ErrForbidden): the signature does not match;
//   - *[ExpiredError] (ErrAuthExpired): now is after the expiry;
//   - *[VersionError] (ErrConflict): the link is for another version than version;
//   - *[UsedError] (ErrDuplicate): seen, when not nil, reports the token ID as used.
//
// A link is valid up to and including its expiry second and refused after
// it. Signatures are compared in constant time. Verify does not record the
// use: single use is the host's part — after acting on the link it stores
// Link.ID, in the same step as the decision the link made, so seen reports
// it (the workflow package does this in its store).
func (s *Signer) Verify(token string, version int, seen func(tokenID string) bool, now time.Time) (Link, error) {
	if now.IsZero() {
		return Link{}, &PolicyError{Field: "now", Reason: "the time of verification is required: a zero now would never expire a link"}
	}
	if len(token) > MaxTokenBytes {
		return Link{}, &MalformedTokenError{Reason: fmt.Sprintf("longer than %d bytes", MaxTokenBytes)}
	}
	// Only the characters Sign emits: base64url decoding (even Strict)
	// skips CR and LF, which would let altered tokens verify.
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return Link{}, &MalformedTokenError{Reason: fmt.Sprintf("character %q at %d is not URL-safe base64", c, i)}
		}
	}
	kid, rest, ok1 := strings.Cut(token, ".")
	body64, sig64, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(sig64, ".") {
		return Link{}, &MalformedTokenError{Reason: "want three dot-separated parts"}
	}
	if !validKeyID(kid) {
		return Link{}, &MalformedTokenError{Reason: "bad key id"}
	}
	sig, err := b64.DecodeString(sig64)
	if err != nil || len(sig) != sha256.Size {
		return Link{}, &MalformedTokenError{Reason: "bad signature encoding"}
	}
	body, err := b64.DecodeString(body64)
	if err != nil {
		return Link{}, &MalformedTokenError{Reason: "bad payload encoding"}
	}
	k, ok := s.keys[kid]
	if !ok {
		return Link{}, &UnknownKeyError{KeyID: kid}
	}
	var p payload
	perr := json.Unmarshal(body, &p)
	if !hmac.Equal(sig, mac(k.secret, kid+"."+body64)) {
		if perr == nil && p.KCV != "" && p.KCV != k.kcv {
			return Link{}, &WrongKeyError{KeyID: kid}
		}
		return Link{}, &TamperedError{KeyID: kid}
	}
	if perr != nil {
		return Link{}, &MalformedTokenError{Reason: "bad payload"}
	}
	l := p.Link
	l.Expires = time.Unix(p.Exp, 0).UTC()
	l.KeyID = kid
	l.ID = b64.EncodeToString(sig[:16])
	if now.After(l.Expires) {
		return Link{}, &ExpiredError{Expired: l.Expires, Now: now}
	}
	if l.Version != version {
		return Link{}, &VersionError{Got: l.Version, Current: version}
	}
	if seen != nil && seen(l.ID) {
		return Link{}, &UsedError{TokenID: l.ID}
	}
	return l, nil
}
