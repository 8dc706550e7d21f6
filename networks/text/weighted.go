package text

import (
	"math"
	"slices"
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
// c.EmojiParsingEnabled, and every other code point by the weight of the
// first [Range] holding it (an astral code point by its first UTF-16 code
// unit, as config/README.md says) or c.DefaultWeight.
//
// Forbidden characters make the result invalid without an error, as in
// twitter-text; invalid UTF-8 is an [*InvalidTextError] and an invalid
// config an [*ArgumentError].
func ParseTweet(s string, c Config) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	if !utf8.ValidString(s) {
		return Result{}, Check(s)
	}
	res := Result{Overflow: -1, Invalid: -1}
	max := c.MaxWeightedTweetLength * c.Scale
	total, validEnd, valid := 0, 0, true
	var n16 int
	weigh(s, &c, true, func(u unit) bool {
		total += u.weight
		if u.forbidden {
			valid = false
			if res.Invalid < 0 {
				res.Invalid = u.src
			}
		}
		if valid && total <= max {
			validEnd = u.end16 - 1
		}
		if total > max && res.Overflow < 0 {
			res.Overflow = u.src
		}
		n16 = u.end16
		return true
	})
	src16 := utf16Len(s)
	res.WeightedLength = total / c.Scale
	res.Valid = valid && total > 0 && total <= max
	res.Permillage = int(math.Floor(float64(total) / float64(c.Scale) / float64(c.MaxWeightedTweetLength) * 1000))
	// twitter-text shifts the valid range by the change of length that
	// normalisation made to the whole text.
	res.ValidRangeEnd = validEnd + src16 - n16
	if src16 > 0 {
		res.DisplayRangeEnd = src16 - 1
	}
	return res, nil
}

// IsValidTweet reports whether s is a valid post under c: not empty, within
// c.MaxWeightedTweetLength, valid UTF-8 without forbidden characters.
func IsValidTweet(s string, c Config) bool {
	r, err := ParseTweet(s, c)
	return err == nil && r.Valid
}

// weightedUnits yields the weighted units of s in characters (weights are
// summed, then divided by the scale: a unit's share is reported so that the
// running sum divided by the scale is the weighted length so far).
func weightedUnits(s string, c Config, offsets bool, yield func(start, length int) bool) error {
	total, reported := 0, 0
	weigh(s, &c, offsets, func(u unit) bool {
		total += u.weight
		now := total / c.Scale
		length := now - reported
		reported = now
		return yield(u.src, length)
	})
	return nil
}

// unit is one weighed piece of a text.
type unit struct {
	src       int  // byte offset in the source text
	end16     int  // end in UTF-16 code units of the normalised text
	weight    int  // scaled weight
	forbidden bool // a forbidden code point
}

// weigh walks the NFC form of s unit by unit. With offsets, they are
// mapped back to s: a unit inside a run that normalisation changed maps to
// the start of that run; without, they are offsets in the NFC form.
func weigh(s string, c *Config, offsets bool, yield func(unit) bool) {
	n, toSrc := s, func(i int) int { return i }
	switch {
	case offsets:
		n, toSrc = nfc(s)
	case !norm.NFC.IsNormalString(s):
		n = norm.NFC.String(s)
	}
	urls := extractURLSpans(n, true)
	next16 := 0
	for i, k := 0, 0; i < len(n); {
		u := unit{src: toSrc(i)}
		for k < len(urls) && urls[k].start < i {
			k++
		}
		if k < len(urls) && urls[k].start == i {
			size := urls[k].end - i
			next16 += utf16Len(n[i : i+size])
			i += size
			u.weight, u.end16 = c.TransformedURLLength*c.Scale, next16
			if !yield(u) {
				return
			}
			continue
		}
		r, size := rune(n[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(n[i:])
		}
		u.weight = c.weight(firstCodeUnit(r))
		// A lone code point weighs the same as an emoji or not when its
		// weight is the default: skip the emoji test then.
		if c.EmojiParsingEnabled && mayStartEmoji(r) &&
			(i+size < len(n) && n[i+size] >= utf8.RuneSelf || u.weight != c.DefaultWeight) {
			if e := emojiSequenceLen(n[i:]); e > 0 {
				next16 += utf16Len(n[i : i+e])
				i += e
				u.weight, u.end16 = c.DefaultWeight, next16
				if !yield(u) {
					return
				}
				continue
			}
		}
		u.forbidden = isForbidden(r)
		next16++
		if r >= 0x10000 {
			next16++
		}
		i += size
		u.end16 = next16
		if !yield(u) {
			return
		}
	}
}

// firstCodeUnit returns the first UTF-16 code unit of r.
func firstCodeUnit(r rune) int {
	if r >= 0x10000 {
		return 0xD800 + (int(r)-0x10000)>>10
	}
	return int(r)
}

// nfc returns the NFC form of s and a function mapping a byte offset in it
// to the offset in s of the normalisation segment that produced it.
func nfc(s string) (string, func(int) int) {
	if norm.NFC.IsNormalString(s) {
		return s, func(i int) int { return i }
	}
	// Only the segments that normalisation changed are recorded; between
	// them, offsets differ by the delta left by the last change.
	type change struct{ start, end, src, delta int }
	var changes []change
	var it norm.Iter
	it.InitString(norm.NFC, s)
	out := make([]byte, 0, len(s)+len(s)/8)
	for !it.Done() {
		src := it.Pos()
		start := len(out)
		out = append(out, it.Next()...)
		if string(out[start:]) != s[src:it.Pos()] {
			changes = append(changes, change{start, len(out), src, it.Pos() - len(out)})
		}
	}
	k := 0 // changes before k start at or before the last offset asked
	return string(out), func(i int) int {
		// Offsets are asked in increasing order; step the cursor, and
		// fall back to a search if they are not.
		if k > 0 && changes[k-1].start > i {
			k, _ = slices.BinarySearchFunc(changes, i, func(c change, i int) int { return c.start - i })
		}
		for k < len(changes) && changes[k].start <= i {
			k++
		}
		if k == 0 {
			return i
		}
		c := changes[k-1]
		if i < c.end {
			return c.src
		}
		return i + c.delta
	}
}

// utf16Len returns the length of s in UTF-16 code units; each byte of an
// invalid sequence counts as one unit (U+FFFD).
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80:
			i++
		case c >= 0xF0:
			_, sz := utf8.DecodeRuneInString(s[i:])
			if sz == 4 {
				n++
			}
			i += sz
		default:
			_, sz := utf8.DecodeRuneInString(s[i:])
			i += sz
		}
		n++
	}
	return n
}
