package linkedin

import (
	"strconv"
	"strings"
)

// littleReserved are the characters LinkedIn's little text format reserves
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format):
// unescaped, they start mentions, hashtags and markup, or make the post
// 422 or lose its tail.
const littleReserved = `\|{}@[]()<>#*_~`

// EscapeText returns s in LinkedIn's little text format: every reserved
// character is preceded by a backslash, so the commentary shows exactly s
// (no mentions or hashtag templates are produced; hashtags typed as "#go"
// still show and LinkedIn links them itself).
func EscapeText(s string) string {
	if !strings.ContainsAny(s, littleReserved) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if strings.ContainsRune(littleReserved, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
