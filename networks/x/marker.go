package x

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
)

// The marker tag: how a publish's marker travels inside the post.
//
// X has no idempotency key and no hidden field a client can set on a post,
// so the only place a marker can survive in the post is its text. The
// adapter appends to each part of a thread an invisible tag: U+200B ZERO
// WIDTH SPACE, then [TagBits] bits of SHA-256(marker, part) written as
// U+200B (0) and U+200C ZERO WIDTH NON-JOINER (1). Both are zero-width,
// not whitespace (so X does not trim them), not part of any URL, mention,
// hashtag or emoji sequence (twitter-text ends every entity before them),
// ignored by screen readers, and weigh 1 each in twitter-text's weighted
// count (the range U+2000–U+200D is weight 1,
// https://docs.x.com/fundamentals/counting-characters). The tag costs
// [TagWeight] of the 280 weighted characters; [Adapter.Spec] lowers
// MaxLength by that much, so a draft that validates still fits with its
// tag.
//
// Twenty bits is the choice between length and certainty: the Finder
// compares a tag only with the account's own most recent posts (at most
// [FindDepth]), so the chance that another marker's tag matches is at most
// FindDepth / 2^20 < 1e-4 per lookup; 16 bits would cost 4 characters less
// and make that 1.5e-3, 24 bits 4 characters more for 6e-6.
const (
	// TagBits is the number of bits of the marker's hash in a tag.
	TagBits = 20
	// TagWeight is the tag's weighted length: a separator and TagBits
	// zero-width characters of weight 1.
	TagWeight = 1 + TagBits
)

const (
	zero = '\u200b'
	one  = '\u200c'
)

// MarkerTag returns the invisible tag that part (0 = the thread's root)
// of a publish with marker carries at the end of its text.
func MarkerTag(marker string, part int) string {
	h := sha256.Sum256([]byte(marker + "\x00" + strconv.Itoa(part)))
	v := binary.BigEndian.Uint32(h[:4]) >> (32 - TagBits)
	var b strings.Builder
	b.Grow(3 * TagWeight)
	b.WriteRune(zero)
	for i := TagBits - 1; i >= 0; i-- {
		if v>>uint(i)&1 == 1 {
			b.WriteRune(one)
		} else {
			b.WriteRune(zero)
		}
	}
	return b.String()
}

// hasTag reports whether text ends with tag, ignoring trailing whitespace
// X may add or keep after it.
func hasTag(text, tag string) bool {
	return strings.HasSuffix(strings.TrimRight(text, " \t\n\r"), tag)
}
