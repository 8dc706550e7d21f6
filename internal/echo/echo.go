// Package echo bounds the values the SDK repeats back to people: in error
// messages, routing explanations, audit summaries and notices. A host may
// pass a 100 KB post or a hostile identifier; what the SDK echoes of it
// stays short, valid UTF-8 and free of control characters, and says how
// much it left out.
package echo

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Max is the default bound, in runes, of an echoed value.
const Max = 80

// Clip returns s bounded to max runes (Max when max <= 0). Invalid UTF-8
// becomes U+FFFD and control characters (line breaks included) become
// spaces, so an echo never splits a line of a log or forges one. When s is
// longer than max, the result ends with "…" and the count of runes left
// out, for example "Hello wor…(+1200)".
func Clip(s string, max int) string {
	if max <= 0 {
		max = Max
	}
	if len(s) <= max && clean(s) {
		return s
	}
	var b strings.Builder
	n, total := 0, utf8.RuneCountInString(s)
	keep := max
	if total > max {
		keep = max - 1
	}
	for _, r := range s {
		if n == keep {
			break
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r) // invalid bytes arrive here as utf8.RuneError
		n++
	}
	if total > max {
		b.WriteString("…(+")
		b.WriteString(strconv.Itoa(total - keep))
		b.WriteString(")")
	}
	return b.String()
}

// Short is Clip with the default bound.
func Short(s string) string { return Clip(s, Max) }

// Quote is Short in double quotes with Go escaping, for identifiers and
// field values inside error messages: `"abc"`.
func Quote(s string) string { return strconv.Quote(Short(s)) }

func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			return false
		}
	}
	return true
}
