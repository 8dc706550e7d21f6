package text

import (
	"math/bits"
	"strings"
	"unicode/utf8"
)

// The fast path of the weighted count: one walk over the text as given
// that checks it while it weighs it.
//
// weighNFC (the general path) needs a valid text in NFC, so the general
// path validates the text, checks it for NFC and normalises it first,
// each a pass of its own. weighWalk does the three in the walk itself:
// each non-ASCII code point is decoded with the UTF-8 checks and tested
// against the NFC quick check (nfcQuickYesBMP) as the walk weighs it,
// and the code points of a URL or emoji unit are checked before the unit
// is weighed. The first code point that fails the quick check stops the
// walk (walkNotNFC): the caller normalises from its segment (nfcFrom) and
// weighs the NFC form again, without the check. ASCII is valid NFC, so a
// run of ASCII characters is weighed without any check.

// walkStatus is how weighWalk ended.
type walkStatus uint8

const (
	walkDone        walkStatus = iota // the whole text was weighed
	walkInvalidUTF8                   // the text is not valid UTF-8 (at: the first bad byte)
	walkNotNFC                        // at is the first code point that fails the NFC quick check
)

// weighWalk weighs n as weighNFC does. With checkNFC, it stops at the
// first code point that fails the NFC quick check, but with fold not at
// a combining diacritical mark that NFC composes with the letter before
// it where nothing else can change (foldsInPlace): the walk has weighed
// the letter as the composition weighs, and the mark is in the source but
// not in the NFC form (tally.folded counts them). It always stops at the
// first invalid UTF-8 sequence. The tally is complete only for walkDone.
//
// It is a state machine over the position i with three states, chosen by
// what starts at i, in the order of weighNFC:
//
//   - URL: i is the start of the next URL of the scan: check the URL's
//     bytes, weigh it c.TransformedURLLength, resynchronise with
//     twemoji-parser's scan (twemojiScan) and go on at its end;
//   - plain: weigh the plain code points up to the next URL
//     (tally.addPlain): runs of ASCII characters at once (each is a
//     unit), and the code points that need no closer look, each a unit;
//   - other, where the plain run stops: decode and check the code point; an emoji of the list that
//     starts with it is one unit (its other code points checked too),
//     else the code point is.
func weighWalk(n string, c *Config, limit int, checkNFC, fold bool) (tally, walkStatus, int) {
	var buf [16]urlSpan
	urls := scanURLs(buf[:0], n, true, true)
	t := tally{overflow: -1, invalid: -1}
	weights := c.weigher()
	emoji, twemoji := c.EmojiParsingEnabled, c.Emoji == TwitterTextEmoji
	emojiFrom := 0 // no emoji of twemoji-parser's scan starts before this offset
	nextURL, k := len(n), 0
	if len(urls) > 0 {
		nextURL = urls[0].start
	}
	pos16 := 0
	for i := 0; i < len(n); {
		switch {
		case i >= nextURL: // state URL
			for k < len(urls) && urls[k].start < i {
				k++ // a URL that starts inside an emoji is not one for parseTweet
			}
			if k < len(urls) && urls[k].start == i {
				end := urls[k].end
				st, at, units, ascii := walkDone, 0, end-i, true
				if !urls[k].ascii && !isASCII(n[i:end]) { // eight bytes at a time
					st, at, units, ascii = checkUnits(n, i, end, checkNFC)
				}
				if st != walkDone {
					return tally{}, st, at
				}
				pos16 += units
				t.add(i, pos16, c.TransformedURLLength*c.Scale, limit)
				if twemoji && emoji {
					emojiFrom = twemojiScanFrom(n, i, end, ascii)
				}
				i = end
				k++
			}
			nextURL = len(n)
			if k < len(urls) {
				nextURL = urls[k].start
			}
		default: // state plain, else other
			if b := n[i]; b < 0xF0 && b&0xFE != 0xCC { // four bytes, and U+0300..U+036F, are never plain
				if j := t.addPlain(n, i, nextURL, &pos16, &weights, limit); j > i {
					i = j
					continue
				}
			}
			r, size := decodeChecked(n, i)
			if size == 0 {
				return tally{}, walkInvalidUTF8, i
			}
			if checkNFC && !nfcQuickYesBMP(r) {
				if !fold || !foldsInPlace(n, i, size, r, emojiFrom, &weights) {
					return tally{}, walkNotNFC, i
				}
				t.folded++ // the mark's UTF-16 unit, which the NFC form lacks
				i += size
				continue
			}
			e, units := 0, 0
			if emoji && i >= emojiFrom {
				if twemoji {
					if mayStartTwemoji(r) {
						e, units = twemojiLenFrom(n[i:], r, size)
					}
				} else if mayStartEmoji(r) {
					e = emojiSequenceLen(n[i:])
				}
			}
			if e > 0 {
				if twemoji {
					// A string of the list is well-formed UTF-8 (the
					// walk of the trie decodes it) and in NFC: every code
					// point of the list passes the quick check
					// (TestTwemojiListPassesNFCQuickCheck).
					pos16 += units
				} else {
					st, at, units, _ := checkUnits(n, i+size, i+e, checkNFC)
					if st != walkDone {
						return tally{}, st, at
					}
					pos16 += units + 1
					if size == 4 {
						pos16++
					}
				}
				t.add(i, pos16, c.DefaultWeight, limit)
				i += e
				continue
			}
			if isForbidden(r) && t.invalid < 0 {
				t.invalid = i
			}
			pos16++
			if size == 4 {
				pos16++
			}
			t.add(i, pos16, weights.of(firstCodeUnit(r)), limit)
			i += size
		}
	}
	t.n16 = pos16
	return t, walkDone, 0
}

// addPlain weighs the plain code points from n[i] on, up to end, and
// returns where they stop: ASCII characters, and code points of two or
// three bytes (well-formed: the Unicode Standard, Table 3-7), that are plain: in NFC, no emoji, not forbidden
// (isSpecialBMP). Each code point is a unit of one UTF-16 code unit
// (*pos16 is advanced), added as tally.add adds it.
//
// An ASCII character is plain unless it may start a keycap ('#', '*', a
// digit: special) and U+FE0F or U+20E3 follows it (keycapAt). A run of ASCII
// characters is weighed at once when they all weigh the same
// (tally.addRun).
func (t *tally) addPlain(n string, i, end int, pos16 *int, weights *weigher, limit int) int {
	total, validEnd, p16 := t.total, t.validEnd, *pos16
	valid := t.invalid < 0 // no forbidden character before: the valid range grows
	// weigh adds the plain code point at place low of block blk (see
	// below), which starts at i, as tally.add adds a unit. Under the
	// standard ranges, blocks below U+1100 weigh 100 and those past
	// U+2040 the default, without the code point.
	weigh := func(blk, low uint) {
		switch {
		case weights.standard && blk < 0x1100/64:
			total += 100
		case weights.standard && blk != 0x2000/64:
			total += weights.c.DefaultWeight
		default:
			total += weights.of(int(blk<<6 | low))
		}
		p16++
		if total <= limit {
			if valid {
				validEnd = p16 - 1
			}
		} else if t.overflow < 0 {
			t.overflow = i
		}
	}
	// A code point's block of 64 (r/64, its word in specialBMP) and place
	// in it (r%64) are read from the UTF-8 bytes without assembling r:
	// for two bytes the block is the lead's low five bits and the place
	// the continuation's low six; for three, the block takes the lead's
	// low four bits and the first continuation's six, the place the
	// second's. A run of code points of one length (a word of Cyrillic,
	// of CJK) is weighed by the loop of its length.
loop:
	for i < end {
		switch b := n[i]; {
		case b < utf8.RuneSelf:
			j := i + 1
			// The run's end, eight bytes at a time: a run shorter than
			// eight (a space, a short word) takes no loop. It is read
			// to the first byte past ASCII even past end (into a URL),
			// then cut at end: bounded by end, the last bytes before
			// each URL would take the loop byte by byte, and in
			// callgrind's model that costs more mispredicted branches
			// (216 against 209 per text) than the words read past end.
			// (nextNFCNo has the same scan; one helper for both would
			// not be inlined, the Go inliner's budget being 80 and its
			// cost 108: 900 more instructions per text.)
			for {
				if j+8 > len(n) {
					for j < len(n) && n[j] < utf8.RuneSelf {
						j++ // the text's last bytes
					}
					break
				}
				k := bits.TrailingZeros64(load64(n, j)&0x8080808080808080) >> 3
				j += k
				if k < 8 {
					break
				}
			}
			j = min(j, end)
			if keycapStart(n, j-1) {
				j-- // it may start a keycap: state other
			}
			if j == i {
				break loop
			}
			if w := (j - i) * weights.ascii; weights.asciiUniform && total+w <= limit {
				total += w // the run fits: tally.addRun's common case
				p16 += j - i
				if valid {
					validEnd = p16 - 1
				}
				i = j
				continue
			}
			t.total, t.validEnd = total, validEnd
			if weights.asciiUniform {
				t.addRun(i, p16, j-i, weights.ascii, limit)
				p16 += j - i
			} else {
				for k := i; k < j; k++ {
					p16++
					t.add(k, p16, weights.c.weight(int(n[k])), limit)
				}
			}
			total, validEnd, i = t.total, t.validEnd, j
		case b >= 0xC2 && b < 0xE0:
			from := i
			for ; i+1 < end && n[i] >= 0xC2 && n[i] < 0xE0; i += 2 {
				blk, low := uint(n[i]&0x1F), uint(n[i+1]^0x80)
				if low >= 0x40 || specialBMP[blk]&(1<<low) != 0 {
					break loop // not a continuation byte, or special
				}
				weigh(blk, low)
			}
			if i == from {
				break loop // cut short by the end
			}
		case b-0xE0 < 0x10:
			from := i
			for ; i+2 < end && n[i]-0xE0 < 0x10; i += 3 {
				lead, c1, c2 := n[i], uint(n[i+1]^0x80), uint(n[i+2]^0x80)
				if c1|c2 >= 0x40 || lead == 0xE0 && c1 < 0x20 || lead == 0xED && c1 >= 0x20 {
					break loop // not continuation bytes; overlong, or a surrogate (Table 3-7)
				}
				blk, low := uint(lead&0x0F)<<6|c1, c2
				if specialBMP[blk]&(1<<low) != 0 {
					break loop
				}
				weigh(blk, low)
			}
			if i == from {
				break loop // cut short by the end
			}
		default:
			break loop
		}
	}
	t.total, t.validEnd, *pos16 = total, validEnd, p16
	return i
}

// keycapBase is true for the ASCII characters that are special
// (isSpecialBMP): those that may start a keycap, '#', '*' and the
// digits. It is read-only after initialisation.
var keycapBase = asciiSet(isSpecialBMP)

// keycapAt reports whether n[j:] starts with U+FE0F or U+20E3, the only
// code points that follow the ASCII character that starts a keycap, the
// one kind of emoji sequence that starts with ASCII: [0-9#*] FE0F? 20E3
// (Unicode Technical Standard #51, ED-14c; twemoji-parser's list holds
// the same, TestTwemojiASCIIStarts).
func keycapAt(n string, j int) bool {
	return strings.HasPrefix(n[j:], "\uFE0F") || strings.HasPrefix(n[j:], "\u20E3")
}

// keycapStart reports whether an emoji of either kind may start at the
// ASCII character n[i]: a keycap base that keycapAt follows. No other
// ASCII character starts one, so the plain runs and twemoji-parser's
// scan pass over it.
func keycapStart(n string, i int) bool { return keycapBase[n[i]] && keycapAt(n, i+1) }

// foldsInPlace reports whether the combining diacritical mark r
// (U+0300..U+036F), of size bytes at n[i], is weighed by NFC as by
// skipping it: NFC makes of it and the code point before it one code
// point of the same weight, and nothing else of the text changes with
// it. That is when
//
//   - the code point b before it is plain (isSpecialBMP: in NFC, a
//     starter, no emoji, not forbidden), so the walk weighed it as a
//     unit of its own, and twemoji-parser's scan does not reach into it;
//   - the code point after it, if any, is ASCII or plain (a starter that
//     passes the quick check, which composes with nothing before it: UAX
//     #15, section 3), so that b and the mark are a segment of their own,
//     as nfcSegment takes it;
//   - b and the mark compose (nfcPairForm) into a plain code point of b's
//     weight, one UTF-16 unit as b is;
//   - no '.' is in the word around them (dotInWord), so no URL can hold
//     them, before or after NFC (every URL has a dot before its
//     top-level domain, and no space).
//
// Anything else is left to the normalising paths.
func foldsInPlace(n string, i, size int, r rune, emojiFrom int, weights *weigher) bool {
	if r < 0x300 || r > 0x36F || i == 0 {
		return false
	}
	b, bsize := rune(n[i-1]), 1 // checked by the walk
	if b >= utf8.RuneSelf {
		b, bsize = utf8.DecodeLastRuneInString(n[:i])
	}
	if b >= 0x10000 || isSpecialBMP(b) || i-bsize < emojiFrom {
		return false
	}
	j := i + size
	if j < len(n) && n[j] >= utf8.RuneSelf {
		if next, nsize := decodeChecked(n, j); nsize == 0 || next >= 0x10000 || isSpecialBMP(next) {
			return false
		}
	}
	p, form := nfcPairForm(b, r)
	if form != pairComposes || p >= 0x10000 || isSpecialBMP(p) || weights.of(int(p)) != weights.of(int(b)) {
		return false
	}
	return !dotInWord(n, i-bsize, j)
}

// dotInWord reports whether a '.' is in the word of n around n[from:to]:
// the bytes before from and from to on, up to one of twitter-text's
// spaces (isSpace, which no URL holds: not a domain nor a path character)
// or the ends of n. A side longer than 64 bytes counts as holding a dot.
// Each byte is classed by one load of wordByte.
func dotInWord(n string, from, to int) bool {
	for k := from - 1; k >= 0; k-- {
		if from-k > wordSide {
			return true
		}
		switch wordByte[n[k]] {
		case wordDot:
			return true
		case wordSpace:
			return dotAfter(n, to)
		case wordMaySpace:
			if spaceAt(n, k) {
				return dotAfter(n, to)
			}
		}
	}
	return dotAfter(n, to)
}

// dotAfter is dotInWord's search from to on.
func dotAfter(n string, to int) bool {
	for k := to; k < len(n); k++ {
		if k-to >= wordSide {
			return true
		}
		switch wordByte[n[k]] {
		case wordDot:
			return true
		case wordSpace:
			return false
		case wordMaySpace:
			if spaceAt(n, k) {
				return false
			}
		}
	}
	return false
}

// wordSide is how far dotInWord reads on each side.
const wordSide = 64

// Classes of wordByte.
const (
	wordOther    = iota
	wordDot      // '.'
	wordSpace    // an ASCII space of isSpace
	wordMaySpace // a lead byte of a space past ASCII: C2, E1, E2, E3
)

// wordByte classes every byte for dotInWord. It is read-only after
// initialisation.
var wordByte = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		if isSpace(rune(c)) {
			t[c] = wordSpace
		}
	}
	t['.'] = wordDot
	t[0xC2], t[0xE1], t[0xE2], t[0xE3] = wordMaySpace, wordMaySpace, wordMaySpace, wordMaySpace
	return t
}()

// spaceAt reports whether a space (isSpace) starts at n[k]; a continuation
// byte starts nothing.
func spaceAt(n string, k int) bool {
	c := n[k]
	if c < utf8.RuneSelf {
		return isSpace(rune(c))
	}
	if c != 0xC2 && c-0xE1 > 2 {
		return false // a continuation byte, or the lead of no space: they are C2, E1, E2 and E3
	}
	r, _ := utf8.DecodeRuneInString(n[k:])
	return isSpace(r)
}

// checkUnits checks n[from:to] (a URL, or the rest of an emoji) as
// weighWalk checks a code point: valid UTF-8 and, with checkNFC, the NFC
// quick check; it returns walkDone or where the walk stops, with the
// span's length in UTF-16 code units and whether it is ASCII: one pass.
func checkUnits(n string, from, to int, checkNFC bool) (st walkStatus, at, units int, ascii bool) {
	ascii = true
	for i := from; i < to; {
		if n[i] < utf8.RuneSelf {
			i++
			units++
			continue
		}
		ascii = false
		r, size := decodeChecked(n, i)
		if size == 0 {
			return walkInvalidUTF8, i, 0, false
		}
		if checkNFC && !nfcQuickYesBMP(r) {
			return walkNotNFC, i, 0, false
		}
		units++
		if size == 4 {
			units++
		}
		i += size
	}
	return walkDone, 0, units, ascii
}

// decodeChecked decodes the code point at s[i], with the checks
// of unicode/utf8 (no surrogates, no overlong forms, nothing past
// U+10FFFF), and returns a size of 0 for an invalid sequence. The
// accepted second bytes are those of the Unicode Standard, Table 3-7
// (well-formed UTF-8 byte sequences).
func decodeChecked(s string, i int) (rune, int) {
	b := s[i]
	switch {
	case b < utf8.RuneSelf:
		return rune(b), 1
	case b < 0xC2: // a continuation byte or an overlong two-byte form
		return utf8.RuneError, 0
	case b < 0xE0:
		if i+1 >= len(s) || s[i+1]&0xC0 != 0x80 {
			return utf8.RuneError, 0
		}
		return rune(b&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	case b < 0xF0:
		if i+2 >= len(s) {
			return utf8.RuneError, 0
		}
		c1, c2 := s[i+1], s[i+2]
		lo, hi := byte(0x80), byte(0xBF)
		if b == 0xE0 {
			lo = 0xA0
		} else if b == 0xED {
			hi = 0x9F // no surrogates
		}
		if c1 < lo || c1 > hi || c2&0xC0 != 0x80 {
			return utf8.RuneError, 0
		}
		return rune(b&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
	case b < 0xF5:
		if i+3 >= len(s) {
			return utf8.RuneError, 0
		}
		c1, c2, c3 := s[i+1], s[i+2], s[i+3]
		lo, hi := byte(0x80), byte(0xBF)
		if b == 0xF0 {
			lo = 0x90
		} else if b == 0xF4 {
			hi = 0x8F // nothing past U+10FFFF
		}
		if c1 < lo || c1 > hi || c2&0xC0 != 0x80 || c3&0xC0 != 0x80 {
			return utf8.RuneError, 0
		}
		return rune(b&0x07)<<18 | rune(c1&0x3F)<<12 | rune(c2&0x3F)<<6 | rune(c3&0x3F), 4
	}
	return utf8.RuneError, 0
}

// isSpecialBMP reports whether weighWalk must look at the code point r
// (below U+10000) more closely than by its weight: it may fail the NFC
// quick check, start an emoji (of twemoji-parser's list or by
// mayStartEmoji), or be forbidden. One load from specialBMP.
func isSpecialBMP(r rune) bool { return specialBMP[uint32(r)/64]&(1<<(uint32(r)%64)) != 0 }

// specialBMP is the union of nfcNoBMP, the first code points of the
// twemoji-parser list, mayStartEmoji and the forbidden characters below
// U+10000.
var specialBMP = func() (set [0x10000 / 64]uint64) {
	set = nfcNoBMP
	for w := range set {
		set[w] |= twemojiFirst[w]
	}
	for r := rune(0); r < 0x10000; r++ {
		if mayStartEmoji(r) || isForbidden(r) {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return set
}()

// weigher gives code units their weights under a Config: those of
// Config.weight, with the ranges of config v2 and v3 (weightedRanges)
// answered by comparisons instead of a search.
type weigher struct {
	c            *Config
	standard     bool // c.Ranges are weightedRanges()
	ascii        int  // the weight of every ASCII character, with asciiUniform
	asciiUniform bool // see Config.asciiWeight
}

// weigher returns the weigher of c.
func (c *Config) weigher() weigher {
	std := len(c.Ranges) == len(standardRanges)
	for i := 0; std && i < len(standardRanges); i++ {
		std = c.Ranges[i] == standardRanges[i]
	}
	ascii, uniform := c.asciiWeight()
	return weigher{c: c, standard: std, ascii: ascii, asciiUniform: uniform}
}

// standardRanges are weightedRanges(), read-only.
var standardRanges = [4]Range(weightedRanges())

// of returns the weight of the code unit u.
func (w weigher) of(u int) int {
	if !w.standard {
		return w.c.weight(u)
	}
	if u <= 4351 || u >= 8192 && u <= 8247 && (u <= 8205 || u >= 8208 && u <= 8223 || u >= 8242) {
		return 100
	}
	return w.c.DefaultWeight
}

// twemojiScanFrom is twemojiScan(n, from, to) for the URL n[from:to],
// ASCII or not. In ASCII, an emoji of the list starts only at a keycap
// base that U+FE0F or U+20E3 follows (keycapStart), so in an ASCII URL
// the scan can find only one at its last character.
func twemojiScanFrom(n string, from, to int, ascii bool) int {
	if !ascii {
		return twemojiScan(n, from, to)
	}
	if to > from && keycapStart(n, to-1) {
		if e := twemojiLen(n[to-1:]); e > 0 {
			return to - 1 + e
		}
	}
	return to
}
