package text

import (
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Emoji sequences follow the grammar of Unicode Technical Standard #51
// (ED-17 emoji sequence, ED-16 ZWJ sequence): a keycap (0-9 # * FE0F? 20E3),
// a flag (a pair of regional indicators; a lone one counts too, as
// twitter-text does), or elements joined by U+200D ZWJ, where an element is
// an Extended_Pictographic code point followed by an optional U+FE0F, emoji
// modifier or tag sequence. A lone element is an emoji when it has emoji
// presentation (U+231A ⌚) or is followed by U+FE0F or a modifier: a
// text-presentation character alone (U+00A9 ©) is not.
//
// The Unicode properties come from github.com/rivo/uniseg rather than from
// tables of our own: sequences never cross a grapheme-cluster boundary
// (UAX #29), Emoji_Presentation is uniseg's monospace width 2, and
// Extended_Pictographic is read from rule GB11, which joins
// "ExtPict ZWJ × ExtPict".

const (
	zwj           = 0x200D
	vs16          = 0xFE0F
	combiningKey  = 0x20E3
	tagCancel     = 0xE007F
	grinning      = "\U0001F600"
	grinningBytes = len(grinning)

	// maxEmojiBytes bounds the length of one emoji sequence: ten
	// ZWJ-joined elements with modifiers.
	maxEmojiBytes = 10 * (4 + 4 + 3)
)

// mayStartEmoji is a fast filter, not a table of emoji: every
// Extended_Pictographic code point and regional indicator is U+00A9,
// U+00AE, in U+203C..U+2BFF, one of U+3030, U+303D, U+3297, U+3299, or in
// U+1F000..U+1FFFF (Unicode emoji-data.txt), and keycaps start with 0-9 # *.
// Whether a code point really is one is asked of uniseg.
func mayStartEmoji(r rune) bool {
	switch {
	case r < 0x80:
		return r == '#' || r == '*' || ('0' <= r && r <= '9')
	case r == 0xA9 || r == 0xAE:
		return true
	case r >= 0x203C && r <= 0x2BFF:
		return true
	case r == 0x3030 || r == 0x303D || r == 0x3297 || r == 0x3299:
		return true
	default:
		return r >= 0x1F000 && r <= 0x1FFFF
	}
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func isModifier(r rune) bool { return r >= 0x1F3FB && r <= 0x1F3FF }

func isTag(r rune) bool { return r >= 0xE0020 && r <= 0xE007E }

// oneCluster reports whether b is a single grapheme cluster.
func oneCluster(b []byte) bool {
	c, _, _, _ := uniseg.FirstGraphemeCluster(b, -1)
	return len(c) == len(b)
}

// isExtPict reports whether r is Extended_Pictographic, using uniseg's
// grapheme rules: after "😀 ZWJ", only Extend, ZWJ, SpacingMark (which also
// join "a") and Extended_Pictographic (rule GB11) code points stay in the
// cluster.
func isExtPict(r rune) bool {
	if !mayStartEmoji(r) || r < 0x80 {
		return false
	}
	var buf [grinningBytes + 3 + utf8.UTFMax]byte
	n := copy(buf[:], grinning)
	n += utf8.EncodeRune(buf[n:], zwj)
	m := utf8.EncodeRune(buf[n:], r)
	if !oneCluster(buf[:n+m]) {
		return false
	}
	buf[n-1] = 'a'
	return !oneCluster(buf[n-1 : n+m])
}

// hasEmojiPresentation reports whether the Extended_Pictographic r has
// Emoji_Presentation: uniseg gives such code points width 2.
func hasEmojiPresentation(r rune) bool {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	_, _, w, _ := uniseg.FirstGraphemeCluster(buf[:n], -1)
	return w == 2
}

// emojiSequenceLen returns the byte length of the emoji sequence at the
// start of s, or 0 when s does not start with one.
func emojiSequenceLen(s string) int {
	if s == "" {
		return 0
	}
	r0, n0 := utf8.DecodeRuneInString(s)
	if !mayStartEmoji(r0) {
		return 0
	}
	if r0 < utf8.RuneSelf { // keycap: [0-9#*] FE0F? 20E3
		i := n0
		if strings.HasPrefix(s[i:], "\uFE0F") {
			i += len("\uFE0F")
		}
		if strings.HasPrefix(s[i:], "\u20E3") {
			return i + len("\u20E3")
		}
		return 0
	}
	// A grapheme cluster can be arbitrarily long (a base and thousands of
	// marks); the emoji sequences of the standard are far shorter than
	// maxEmojiBytes, so look no further.
	if len(s) > maxEmojiBytes {
		s = s[:maxEmojiBytes]
	}
	c := s[:n0] // nothing joins a cluster before an ASCII character
	if n0 < len(s) && s[n0] >= utf8.RuneSelf {
		c, _, _, _ = uniseg.FirstGraphemeClusterInString(s, -1)
	}
	next := func(i int) rune {
		if i >= len(c) {
			return -1
		}
		r, _ := utf8.DecodeRuneInString(c[i:])
		return r
	}
	switch {
	case isRegionalIndicator(r0):
		if isRegionalIndicator(next(n0)) {
			return n0 + 4
		}
		return n0
	case !isExtPict(r0):
		return 0
	}
	i, presented := emojiElement(c, 0)
	for next(i) == zwj {
		r := next(i + 3)
		if r < 0 || !isExtPict(r) {
			break
		}
		i, _ = emojiElement(c, i+3)
		presented = true
	}
	if !presented {
		return 0
	}
	return i
}

// emojiElement returns the end of the emoji element (an Extended_Pictographic
// code point with its optional presentation selector, modifier or tag
// sequence) at c[at:], and whether it is presented as an emoji.
func emojiElement(c string, at int) (end int, presented bool) {
	r, n := utf8.DecodeRuneInString(c[at:])
	end = at + n
	presented = hasEmojiPresentation(r)
	if end >= len(c) {
		return end, presented
	}
	r, n = utf8.DecodeRuneInString(c[end:])
	switch {
	case r == vs16 || isModifier(r):
		return end + n, true
	case isTag(r):
		j := end
		for j < len(c) {
			r, n = utf8.DecodeRuneInString(c[j:])
			if !isTag(r) {
				break
			}
			j += n
		}
		if r == tagCancel {
			return j + n, true
		}
	}
	return end, presented
}
