package metagraph

import (
	"hash/fnv"
	"strings"
)

// MarkerTagLen is the code points [MarkerTag] adds to a text.
const MarkerTagLen = 1 + 32

// MarkerTag returns the invisible tag the Meta adapters put at the end of a
// caption or message so that a post can be found again by its publish
// marker (Graph API posts have no idempotency key): U+2063 INVISIBLE
// SEPARATOR and the 64-bit FNV-1a hash of marker written in base 4 with
// the zero-width characters U+200B, U+200C, U+200D and U+2060, 33 code
// points in all ([MarkerTagLen]).
func MarkerTag(marker string) string {
	h := fnv.New64a()
	h.Write([]byte(marker))
	v := h.Sum64()
	digits := [4]rune{'\u200b', '\u200c', '\u200d', '\u2060'}
	var b strings.Builder
	b.Grow(1 + 3*32)
	b.WriteRune('\u2063')
	for range 32 {
		b.WriteRune(digits[v&3])
		v >>= 2
	}
	return b.String()
}
