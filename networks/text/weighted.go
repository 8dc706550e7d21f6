package text

import (
	"math"
	"math/bits"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Result is twitter-text's parseTweet result: the weighted length of a text
// under a [Config] and the ranges a UI highlights. Ranges are inclusive
// indices in UTF-16 code units of the text as given, as twitter-text
// reports them.
type Result struct {
	WeightedLength int  // weighted length in characters (weights / scale, rounded down)
	Valid          bool // not empty, within the maximum, no forbidden character
	Permillage     int  // WeightedLength per thousand of the maximum

	DisplayRangeStart, DisplayRangeEnd int // the whole text
	ValidRangeStart, ValidRangeEnd     int // the part that fits

	// Overflow is the byte offset in the text of the first unit (code
	// point, emoji sequence or URL) past the maximum, or -1 when it fits.
	Overflow int
	// Invalid is the byte offset of the first forbidden character
	// (U+FFFE, U+FEFF, U+FFFF), or -1.
	Invalid int
}

// ParseTweet weighs s as twitter-text's parseTweet does under c: it
// normalises s to NFC, counts every URL (see [ExtractURLs]) as
// c.TransformedURLLength, every emoji sequence as c.DefaultWeight when
// c.EmojiParsingEnabled (which sequences, c.Emoji says: by default those
// twitter-text 3.1.0 knows), and every other code point by the weight of
// the first [Range] holding it (an astral code point by its first UTF-16
// code unit, as config/README.md says) or c.DefaultWeight.
//
// Forbidden characters make the result invalid without an error, as in
// twitter-text; invalid UTF-8 is an [*InvalidTextError] and an invalid
// config an [*ArgumentError]. ParseTweet does not allocate unless s has
// more than a few URLs or is not in NFC.
func ParseTweet(s string, c Config) (Result, error) {
	if err := c.validate(); err != nil {
		return Result{}, err
	}
	return parseTweet(s, &c, true)
}

// parseTweet is ParseTweet; with fast false it takes the general path
// for every text (the fuzz tests check that both agree).
func parseTweet(s string, c *Config, fast bool) (Result, error) {
	max := c.MaxWeightedTweetLength * c.Scale
	t, ok := weighSource(s, c, max, fast)
	if !ok {
		return Result{}, Check(s)
	}
	res := Result{Overflow: t.overflow, Invalid: t.invalid}
	res.WeightedLength = t.total / c.Scale
	res.Valid = t.invalid < 0 && t.total > 0 && t.total <= max
	res.Permillage = int(math.Floor(float64(t.total) / float64(c.Scale) / float64(c.MaxWeightedTweetLength) * 1000))
	// twitter-text shifts the valid range by the change of length that
	// normalisation made to the whole text.
	res.ValidRangeEnd = t.validEnd + t.src16 - t.n16
	if t.src16 > 0 {
		res.DisplayRangeEnd = t.src16 - 1
	}
	return res, nil
}

// IsValidTweet reports whether s is a valid post under c: not empty, within
// c.MaxWeightedTweetLength, valid UTF-8 without forbidden characters.
func IsValidTweet(s string, c Config) bool {
	r, err := ParseTweet(s, c)
	return err == nil && r.Valid
}

// tally is the outcome of weighing a text against a limit.
type tally struct {
	total    int // sum of the scaled weights of all units
	n16      int // length of the NFC form in UTF-16 code units
	src16    int // length of the text in UTF-16 code units
	validEnd int // UTF-16 index in the NFC form of the last unit of the valid range
	overflow int // byte offset of the first unit whose running total passes the limit, or -1
	invalid  int // byte offset of the first forbidden character, or -1
	folded   int // marks weighWalk folded into the letter before them (one UTF-16 unit each)
}

// weighSource weighs s: its NFC form, with the offsets of overflow and
// invalid mapped back to s. It reports false when s is not valid UTF-8.
//
// With fast, an ASCII text takes asciiTally, and any other is weighed by
// weighWalk, which checks UTF-8 validity and the NFC quick check as it
// goes and stops at the first code point that fails the quick check,
// but for the marks it folds (below): a text without a mark, in NFC or
// not, is walked as it would be without the fold, so no text is searched
// for marks first. A text that is not in NFC takes one of two ways:
//
//   - a text with a combining diacritical mark (the common reason not to
//     be in NFC: a letter and its accent) is first walked as it is, the
//     walk folding each mark into the letter before it where NFC
//     composes them and nothing else can change (foldsInPlace): the
//     offsets are then the text's own, and its UTF-16 length the NFC
//     form's and one unit per mark. At any other mark the text is
//     normalised at its marks by nfcMarks, without a scan of the rest,
//     and the result is walked with the checks; if that walk finds a
//     code point that fails the quick check (one that is not such a mark,
//     or a mark that did not compose), the text is normalised by nfcFrom,
//     as in the other way;
//   - for another text, the walk finds the first code point that fails,
//     nfcFrom normalises the text from there in one checked pass, and
//     the NFC form is walked again, without the quick check.
//
// Without fast, it is weighGeneral.
func weighSource(s string, c *Config, limit int, fast bool) (tally, bool) {
	if !fast {
		return weighGeneral(s, c, limit)
	}
	if isASCII(s) {
		if w, ok := c.asciiWeight(); ok {
			return asciiTally(s, c, w, limit), true
		}
	}
	// Most marks follow a letter they compose with: the walk folds them
	// in place, and takes the text as it is. A text without a mark is
	// walked just as without the fold.
	t, st, at := weighWalk(s, c, limit, true, true)
	switch {
	case st == walkDone:
		t.src16 = t.n16 + t.folded
		return t, true
	case st == walkInvalidUTF8:
		return tally{}, false
	case !hasCombiningMark(s):
		return weighFrom(s, c, limit, at)
	}
	var edits nfcEdits
	n, st := nfcMarks(s, &edits)
	at = 0
	switch st {
	case walkInvalidUTF8:
		return tally{}, false
	case walkDone:
		t, st, first := weighWalk(n, c, limit, true, false)
		switch st {
		case walkDone:
			return mapToSource(t, s, edits.from, &edits), true
		case walkInvalidUTF8:
			return tally{}, false
		}
		// n[:first] passed the checks, and n[:edits.from] is s[:edits.from].
		at = min(first, edits.from)
	}
	return weighFrom(s, c, limit, at)
}

// weighFrom weighs s, which is not in NFC, whose prefix s[:at] is valid
// UTF-8 that passes the NFC quick check: nfcFrom normalises it from at,
// checking the rest, and the NFC form is walked without the quick check.
// It reports false when s is not valid UTF-8.
func weighFrom(s string, c *Config, limit, at int) (tally, bool) {
	var edits nfcEdits
	n, ok := nfcFrom(s, at, &edits)
	if !ok {
		return tally{}, false
	}
	t, _, _ := weighWalk(n, c, limit, false, false) // n is valid and in NFC
	return mapToSource(t, s, edits.from, &edits), true
}

// hasCombiningMark reports whether s may hold a combining diacritical
// mark (U+0300–U+036F, lead bytes 0xCC and 0xCD).
func hasCombiningMark(s string) bool {
	return strings.IndexByte(s, 0xCC) >= 0 || strings.IndexByte(s, 0xCD) >= 0
}

// weighGeneral is weighSource without the fast paths: the text is
// checked and normalised by golang.org/x/text/unicode/norm as a whole and
// weighed by weighNFC.
func weighGeneral(s string, c *Config, limit int) (tally, bool) {
	if !utf8.ValidString(s) {
		return tally{}, false
	}
	n := s
	if !norm.NFC.IsNormalString(s) {
		n = norm.NFC.String(s)
	}
	t := weighNFC(n, c, limit)
	if n == s {
		t.src16 = t.n16
		return t, true
	}
	return mapToSource(t, s, 0, nil), true
}

// mapToSource completes the tally t of the NFC form of s, where
// s[:from] is unchanged by normalisation: the UTF-16 length of s (from
// the difference edits counted, else by counting), and the offsets of
// overflow and invalid in s, read from edits when they are complete,
// else by nfcSource.
func mapToSource(t tally, s string, from int, edits *nfcEdits) tally {
	if edits != nil {
		t.src16 = t.n16 + edits.d16
	} else {
		t.src16 = utf16LenValid(s)
	}
	source := func(o int) int {
		if edits != nil && !edits.incomplete {
			return edits.source(o)
		}
		return nfcSource(s, from, o)
	}
	if t.overflow >= 0 {
		t.overflow = source(t.overflow)
	}
	if t.invalid >= 0 {
		t.invalid = source(t.invalid)
	}
	return t
}

// nfcEdits are the segments of two code points that nfcFrom composed
// (nfcPairForm), in order, as nfcSource would find them: a segment of
// norm.Iter that normalisation changes maps to its start in the source,
// the text around the segments offset by offset. It holds up to
// len(edits) segments; past that, or when a segment was normalised by
// norm.Iter, incomplete is set and nfcSource is used, from the start of
// the first segment nfcFrom normalised (from). d16 is the length of the
// source in UTF-16 code units minus that of its NFC form, counted over
// every segment.
type nfcEdits struct {
	edits      [64]nfcEdit
	n          int
	incomplete bool
	from       int
	d16        int
}

// nfcEdit is a segment s[src:srcEnd] of the source that is
// n[dst:dstEnd] in the NFC form.
type nfcEdit struct{ src, srcEnd, dst, dstEnd int }

// add records that s[src:srcEnd] became n[dst:dstEnd].
func (e *nfcEdits) add(src, srcEnd, dst, dstEnd int) {
	if e.n == len(e.edits) {
		e.incomplete = true
		return
	}
	e.edits[e.n] = nfcEdit{src, srcEnd, dst, dstEnd}
	e.n++
}

// source maps the offset o in the NFC form to the source.
func (e *nfcEdits) source(o int) int {
	shift := 0 // source offset minus NFC offset, between edits
	for _, ed := range e.edits[:e.n] {
		if o < ed.dst {
			break
		}
		if o < ed.dstEnd {
			return ed.src
		}
		shift = ed.srcEnd - ed.dstEnd
	}
	return o + shift
}

// nfcSegment appends to out, the NFC form of s[:pos], the text
// s[pos:start] unchanged and the NFC form of the segment s[start:end],
// and returns it. A segment is a code point that fails the NFC quick
// check with the code point before it when that one passes (a starter
// that nothing before composes with or reorders across, UAX #15,
// sections 9 and 10) and the code points after it up to the next one
// that passes: here r, of size bytes at i, is the first that fails,
// start is i or the start of the code point before it, and end is where
// the next code point that passes starts, or len(s); the segment is
// valid UTF-8. A segment of a starter and one more code point (a letter
// and its accent, the common case) is normalised by nfcPairForm, any
// other by norm.Iter (*it, made on first use).
//
// The first segment sets edits.from; a segment that nfcPairForm composes
// is recorded in edits; the others set edits.incomplete.
func nfcSegment(out []byte, s string, pos, start, i, end int, r rune, size int, edits *nfcEdits, it **norm.Iter) []byte {
	if edits.from == len(s) {
		edits.from = start
	}
	out = append(out, s[pos:start]...)
	dst := len(out)
	if start < i && end == i+size {
		a := rune(s[start])
		if a >= utf8.RuneSelf {
			a, _ = decodeValid(s, start)
		}
		switch p, form := nfcPairForm(a, r); form {
		case pairComposes:
			out = utf8.AppendRune(out, p)
			edits.add(start, end, dst, len(out))
			edits.d16 += runeLen16(a) + runeLen16(r) - runeLen16(p)
			return out
		case pairUnchanged:
			return append(out, s[start:end]...)
		}
	}
	edits.incomplete = true // norm.Iter's segments need not be ours
	if *it == nil {
		*it = new(norm.Iter)
	}
	for (*it).InitString(norm.NFC, s[start:end]); !(*it).Done(); {
		out = append(out, (*it).Next()...)
	}
	edits.d16 += utf16LenValid(s[start:end]) - utf16LenValid(string(out[dst:]))
	return out
}

// nfcSegmentEnd returns where the segment that goes on at j in s ends:
// the start of the first code point at or after j that passes the quick
// check (ASCII does), or len(s); false when a code point it decodes is
// not valid UTF-8.
func nfcSegmentEnd(s string, j int) (int, bool) {
	for j < len(s) && s[j] >= utf8.RuneSelf {
		r, size := decodeChecked(s, j)
		if size == 0 {
			return j, false
		}
		if nfcQuickYesBMP(r) {
			break
		}
		j += size
	}
	return j, true
}

// nfcFrom returns the NFC form of s, or false when s is not valid UTF-8;
// s[:from] must be valid UTF-8 whose code points all pass the NFC quick
// check (from is 0, or where a walk stopped). It is s itself when every
// code point passes, else a new string.
//
// It is one pass over s that checks each code point as weighWalk does
// (UTF-8 validity, the NFC quick check), by nextNFCNo, and normalises
// the segment of each code point that fails (nfcSegment); the segments
// it composes are recorded in edits.
func nfcFrom(s string, from int, edits *nfcEdits) (string, bool) {
	var stack [1024]byte // most posts fit: out grows on the heap past it
	out := stack[:0]     // the NFC form of s[:pos]
	pos := 0
	var it *norm.Iter
	edits.from = len(s)
	for next := from; ; {
		i, r, size, ok := nextNFCNo(s, next)
		if !ok {
			return "", false
		}
		if i == len(s) {
			break
		}
		start := i // the code point before i passed, unless i starts the text
		if i > pos {
			for start--; s[start]&0xC0 == 0x80; start-- {
			}
		}
		end, ok := nfcSegmentEnd(s, i+size)
		if !ok {
			return "", false
		}
		out = nfcSegment(out, s, pos, start, i, end, r, size, edits, &it)
		pos, next = end, end
	}
	if edits.from == len(s) {
		return s, true
	}
	return string(append(out, s[pos:]...)), true
}

// nfcMarks normalises s at its combining diacritical marks (U+0300–
// U+036F, found by their lead bytes 0xCC and 0xCD): the segment of each
// mark that fails the quick check, with the code point before it and
// the code points after it that fail too, as nfcFrom would normalise it
// (nfcSegment). The rest of s is copied unchecked. It returns
//
//   - walkDone and the text: the NFC form of s when s is valid UTF-8 and
//     all the code points that fail the quick check are in those
//     segments; which the caller checks by walking it with the checks
//     (the segments' forms are valid and complete, and start with a lead
//     byte or ASCII as the segments do, so that the text copied between
//     them is valid in the result exactly when it is in s);
//   - walkInvalidUTF8 when a sequence it decodes is invalid;
//   - walkNotNFC when the code point before a mark fails the quick check
//     and is not in a segment: then s is for nfcFrom.
//
// The segments it composes are recorded in edits.
func nfcMarks(s string, edits *nfcEdits) (string, walkStatus) {
	var stack [1024]byte
	out := stack[:0] // the NFC form of s[:pos]
	pos := 0
	var it *norm.Iter
	edits.from = len(s)
	cc, cd := strings.IndexByte(s, 0xCC), strings.IndexByte(s, 0xCD)
	for cc >= 0 || cd >= 0 {
		i := cc
		if i < 0 || cd >= 0 && cd < i {
			i = cd
		}
		r, size := decodeChecked(s, i)
		if size == 0 {
			return "", walkInvalidUTF8
		}
		next := i + size
		if !nfcQuickYesBMP(r) {
			start := i
			if i > pos {
				for start--; start > pos && s[start]&0xC0 == 0x80; start-- {
				}
				a, asize := decodeChecked(s, start)
				if start+asize != i {
					return "", walkInvalidUTF8
				}
				if !nfcQuickYesBMP(a) {
					return "", walkNotNFC
				}
			}
			end, ok := nfcSegmentEnd(s, next)
			if !ok {
				return "", walkInvalidUTF8
			}
			out = nfcSegment(out, s, pos, start, i, end, r, size, edits, &it)
			pos, next = end, end
		}
		if cc >= 0 && cc < next {
			cc = indexByteFrom(s, next, 0xCC)
		}
		if cd >= 0 && cd < next {
			cd = indexByteFrom(s, next, 0xCD)
		}
	}
	if edits.from == len(s) {
		return s, walkDone
	}
	return string(append(out, s[pos:]...)), walkDone
}

// indexByteFrom returns the offset of the first c in s at or after i, or
// -1.
func indexByteFrom(s string, i int, c byte) int {
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// nextNFCNo returns the offset, the code point and the size of the first
// code point at or after i in s that fails the NFC quick check, or
// len(s) when none does; ok is false when an invalid UTF-8 sequence
// comes first. ASCII is read eight bytes at a time; the two- and
// three-byte forms whose second byte may be any continuation byte (lead
// bytes C2-DF, E1-EC, EE, EF) are decoded here and answered by
// nfcListedBMP, the others by decodeChecked and nfcQuickYesBMP.
func nextNFCNo(s string, i int) (at int, r rune, size int, ok bool) {
	for i < len(s) {
		b := s[i]
		if b < utf8.RuneSelf {
			for i++; i+8 <= len(s); i += 8 {
				w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
					uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
				if m := w & 0x8080808080808080; m != 0 {
					i += bits.TrailingZeros64(m) / 8 // the first byte that is not ASCII
					break
				}
			}
			for i < len(s) && s[i] < utf8.RuneSelf {
				i++
			}
			continue
		}
		switch {
		case b >= 0xC2 && b < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			r, size = rune(b&0x1F)<<6|rune(s[i+1]&0x3F), 2
		case b > 0xE0 && b < 0xF0 && b != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			r, size = rune(b&0x0F)<<12|rune(s[i+1]&0x3F)<<6|rune(s[i+2]&0x3F), 3
		default:
			if r, size = decodeChecked(s, i); size == 0 {
				return i, 0, 0, false
			}
			if !nfcQuickYesBMP(r) {
				return i, r, size, true
			}
			i += size
			continue
		}
		if nfcListedBMP(r) {
			return i, r, size, true
		}
		i += size
	}
	return len(s), 0, 0, true
}

// runeLen16 returns the number of UTF-16 code units of r: two past
// U+FFFF, else one.
func runeLen16(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// pairNFC is how a segment of two code points normalises (nfcPairForm).
type pairNFC uint8

const (
	pairComposes  pairNFC = iota // to their canonical composition
	pairUnchanged                // to itself
	pairOther                    // neither is known without norm
)

// nfcPairForm tells the NFC form of the segment of two code points a b,
// a a starter that passes the quick check: their composition p when
// nfcPairs lists one (the pair is then the full decomposition of a
// primary composite, which NFC composes back); the pair itself when
// neither a nor b has a canonical decomposition (UAX #15: canonical
// decomposition leaves both, a single mark after a starter is not
// reordered, and canonical composition combines a starter with the code
// point after it only into a primary composite, which nfcPairs would
// list); otherwise pairOther. Hangul syllables have a decomposition
// (hasDecomposition), so an LV syllable and a trailing jamo are
// pairOther.
func nfcPairForm(a, b rune) (rune, pairNFC) {
	if p, ok := nfcCompose(a, b); ok {
		return p, pairComposes
	}
	if hasDecomposition(a) || hasDecomposition(b) {
		return 0, pairOther
	}
	return 0, pairUnchanged
}

// nfcPairSegment writes the NFC form of the segment seg to out and
// reports true when seg is two code points a and b, a a starter
// (nfcQuickYes), whose form nfcPairForm knows; it writes nothing and
// reports false otherwise.
func nfcPairSegment(out *strings.Builder, seg string) bool {
	a, na := decodeValid(seg, 0)
	if na >= len(seg) {
		return false
	}
	b, nb := decodeValid(seg, na)
	if na+nb != len(seg) || !nfcQuickYesBMP(a) {
		return false
	}
	switch p, form := nfcPairForm(a, b); form {
	case pairComposes:
		out.WriteRune(p)
	case pairUnchanged:
		out.WriteString(seg)
	default:
		return false
	}
	return true
}

// weighNFC is the general path: a left-to-right walk over the units of the
// NFC text n, in the order twitter-text's parseTweet visits them. At each
// position it is in one of three cases:
//
//   - a URL of extractUrlsWithIndices starts here: the unit is the URL,
//     weighing c.TransformedURLLength;
//   - an emoji of the emoji list starts here (and emoji parsing is
//     enabled): the unit is the emoji, weighing c.DefaultWeight;
//   - otherwise the unit is the code point, weighed by c's ranges.
//
// twitter-text finds the emoji of twemoji-parser by a scan of its own over
// the whole text, URLs included, so after a URL the walk resynchronises
// with that scan: an emoji that scan matched across the end of a URL hides
// the emoji that would start inside it (emojiFrom).
//
// It is the general path, the reference weighWalk is tested against:
// URLs are found without the shortcuts of scanURLs.
func weighNFC(n string, c *Config, limit int) tally {
	var buf [4]urlSpan
	urls := scanURLs(buf[:0], n, true, false)
	t := tally{overflow: -1, invalid: -1}
	add := func(start, end16, weight int) { t.add(start, end16, weight, limit) }
	asciiW, asciiUniform := c.asciiWeight()
	twemoji := c.Emoji == TwitterTextEmoji
	emojiFrom := 0 // no emoji of twemoji-parser's scan starts before this offset
	nextURL := len(n)
	if len(urls) > 0 {
		nextURL = urls[0].start
	}
	pos16 := 0
	for i, k := 0, 0; i < len(n); {
		if i >= nextURL {
			for k < len(urls) && urls[k].start < i {
				k++ // a URL that starts inside an emoji is not one for parseTweet
			}
			if k < len(urls) && urls[k].start == i {
				end := urls[k].end
				pos16 += utf16LenValid(n[i:end])
				add(i, pos16, c.TransformedURLLength*c.Scale)
				if twemoji && c.EmojiParsingEnabled {
					emojiFrom = twemojiScan(n, i, end)
				}
				i = end
				k++
			}
			nextURL = len(n)
			if k < len(urls) {
				nextURL = urls[k].start
			}
			continue
		}
		// An ASCII character is a unit of its own unless it starts a
		// keycap or an emoji, whose next code point is not ASCII: the run
		// of ASCII characters up to the next URL is weighed at once, but
		// for a last character that a non-ASCII one follows.
		if n[i] < utf8.RuneSelf {
			j := i + 1
			for j < nextURL && n[j] < utf8.RuneSelf {
				j++
			}
			if j < len(n) && n[j] >= utf8.RuneSelf {
				j--
			}
			if j > i {
				if asciiUniform {
					t.addRun(i, pos16, j-i, asciiW, limit)
					pos16 += j - i
					i = j
					continue
				}
				for ; i < j; i++ {
					pos16++
					t.add(i, pos16, c.weight(int(n[i])), limit)
				}
				continue
			}
		}
		r, size := decodeValid(n, i)
		if c.EmojiParsingEnabled && i >= emojiFrom {
			var e int
			if twemoji {
				if mayStartTwemoji(r) {
					e, _ = twemojiLenFrom(n[i:], r, size)
				}
			} else if mayStartEmoji(r) {
				e = emojiSequenceLen(n[i:])
			}
			if e > 0 {
				pos16 += utf16LenValid(n[i : i+e])
				add(i, pos16, c.DefaultWeight)
				i += e
				continue
			}
		}
		if isForbidden(r) && t.invalid < 0 {
			t.invalid = i
		}
		pos16++
		if size == 4 {
			pos16++
		}
		add(i, pos16, c.weight(firstCodeUnit(r)))
		i += size
	}
	t.n16 = pos16
	return t
}

// add counts a unit that starts at byte start and ends at the UTF-16
// index end16, against limit.
func (t *tally) add(start, end16, weight, limit int) {
	t.total += weight
	if t.invalid < 0 && t.total <= limit {
		t.validEnd = end16 - 1
	}
	if t.total > limit && t.overflow < 0 {
		t.overflow = start
	}
}

// addRun counts k units of one byte and one UTF-16 code unit each, that
// weigh w (w >= 0), from byte start and UTF-16 index pos16: as k calls of
// add, in constant time.
func (t *tally) addRun(start, pos16, k, w, limit int) {
	fit := k // units whose running total stays within limit
	if t.total+k*w > limit {
		fit = 0
		if t.total <= limit && w > 0 {
			fit = (limit - t.total) / w
		}
		if t.overflow < 0 {
			t.overflow = start + fit
		}
	}
	if t.invalid < 0 && fit > 0 {
		t.validEnd = pos16 + fit - 1
	}
	t.total += k * w
}

// decodeValid decodes the code point at s[i] of the valid UTF-8 text s,
// without the checks utf8.DecodeRuneInString makes for invalid input.
func decodeValid(s string, i int) (rune, int) {
	b := s[i]
	switch {
	case b < 0x80:
		return rune(b), 1
	case b < 0xE0:
		return rune(b&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	case b < 0xF0:
		return rune(b&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	}
	return rune(b&0x07)<<18 | rune(s[i+1]&0x3F)<<12 | rune(s[i+2]&0x3F)<<6 | rune(s[i+3]&0x3F), 4
}

// twemojiScan runs twemoji-parser's scan over n[from:to] (from is where
// the walk of weighNFC stands, in step with the scan) and returns where
// the scan stands after it: to, or the end of an emoji that started
// before to.
func twemojiScan(n string, from, to int) int {
	q := from
	for q < to {
		r, size := rune(n[q]), 1
		if r < utf8.RuneSelf && !keycapStart(n, q) {
			q++ // no emoji of the list starts here
			continue
		}
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(n[q:])
		}
		if mayStartTwemoji(r) {
			if e, _ := twemojiLenFrom(n[q:], r, size); e > 0 {
				q += e
				continue
			}
		}
		q += size
	}
	return q
}

// asciiTally is weighNFC for an ASCII text whose every character weighs
// w (see Config.asciiWeight): ASCII is NFC, holds no emoji (every emoji
// sequence has a code point past U+007F) and no forbidden character, and
// its UTF-16 indices are its byte offsets, so only the URLs break the
// text into runs of equal weights.
func asciiTally(s string, c *Config, w, limit int) tally {
	var buf [16]urlSpan
	urls := scanURLs(buf[:0], s, true, true)
	t := tally{overflow: -1, invalid: -1, n16: len(s), src16: len(s)}
	run := func(start, end int) {
		if start == end {
			return
		}
		if t.total+(end-start)*w <= limit {
			t.total += (end - start) * w
			t.validEnd = end - 1
			return
		}
		fit := 0 // characters of the run that still fit
		if t.total <= limit && w > 0 {
			fit = (limit - t.total) / w
		}
		if fit > 0 {
			t.validEnd = start + fit - 1
		}
		if t.overflow < 0 {
			t.overflow = start + fit
		}
		t.total += (end - start) * w
	}
	pos := 0
	for _, u := range urls {
		run(pos, u.start)
		t.total += c.TransformedURLLength * c.Scale
		if t.total <= limit {
			t.validEnd = u.end - 1
		} else if t.overflow < 0 {
			t.overflow = u.start
		}
		pos = u.end
	}
	run(pos, len(s))
	return t
}

// isASCII reports whether s has only ASCII bytes, eight at a time: the
// last eight bytes of a string of eight or more are read as one word,
// which may overlap the word before, so that no loop over the last few
// bytes follows.
func isASCII(s string) bool {
	const highs = 0x8080808080808080
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return false
			}
		}
		return true
	}
	for i := 0; i+8 < len(s); i += 8 {
		if load64(s, i)&highs != 0 {
			return false
		}
	}
	return load64(s, len(s)-8)&highs == 0
}

// firstCodeUnit returns the first UTF-16 code unit of r.
func firstCodeUnit(r rune) int {
	if r >= 0x10000 {
		return 0xD800 + (int(r)-0x10000)>>10
	}
	return int(r)
}

// nfcSource maps the byte offset o in the NFC form of s to s, where
// s[:from] is unchanged by normalisation and from is the start of a
// segment: a normalisation segment (golang.org/x/text/unicode/norm.Iter)
// that normalisation changed maps to its start in s, an unchanged one
// offset by offset. The walk stops at the segment that holds o.
func nfcSource(s string, from, o int) int {
	if o < from {
		return o
	}
	var it norm.Iter
	it.InitString(norm.NFC, s[from:])
	out := from // length of the NFC form so far
	for !it.Done() {
		src := from + it.Pos()
		seg := it.Next()
		if o < out+len(seg) {
			if string(seg) != s[src:from+it.Pos()] {
				return src
			}
			return src + o - out
		}
		out += len(seg)
	}
	return len(s) + o - out
}

// utf16LenChecked returns the length of s in UTF-16 code units, decoding
// with decodeChecked: each byte of an invalid sequence counts as one unit
// (U+FFFD), a code point past U+FFFF as
// two, any other as one.
func utf16LenChecked(s string) int {
	n := 0
	for i := 0; i < len(s); {
		switch b := s[i]; {
		case b < utf8.RuneSelf:
			i++
			n++
			continue
		case b >= 0xC2 && b < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			i += 2 // the common two- and three-byte forms, as in tally.addPlain
			n++
			continue
		case b > 0xE0 && b < 0xF0 && b != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3
			n++
			continue
		}
		_, size := decodeChecked(s, i)
		switch size {
		case 0:
			i++
		case 4:
			i += 4
			n++
		default:
			i += size
		}
		n++
	}
	return n
}
