package text

import (
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/socialflow/socialflow"
)

// Method is a way of counting the length of a text. The zero value is not a
// valid method.
type Method string

// The counting methods.
const (
	Weighted Method = "weighted" // twitter-text config v3 weighted length (X), twitter-text 3.1.0's emoji list
	// WeightedUnicode is [Weighted] with [UnicodeEmoji]: every emoji
	// sequence of current Unicode data counts 2 (see [EmojiData]).
	WeightedUnicode Method = "weighted-unicode"
	Graphemes       Method = "graphemes"  // extended grapheme clusters (Bluesky's maxGraphemes)
	Mastodon        Method = "mastodon"   // grapheme clusters; URLs count 23; @user@domain counts as @user
	Threads         Method = "threads"    // code points, but each emoji counts as its UTF-8 byte length
	CodePoints      Method = "codepoints" // Unicode code points (LinkedIn, Facebook, Instagram, ...)
	Bytes           Method = "bytes"      // UTF-8 bytes (Bluesky's maxLength 3000 and Lexicon string limits)
)

// MastodonURLLength is the length Mastodon counts for every URL
// (characters_reserved_per_url in the instance configuration).
const MastodonURLLength = 23

// InvalidTextError reports text that no network accepts: invalid UTF-8 or a
// forbidden code point (U+FFFE, U+FEFF, U+FFFF, twitter-text's
// INVALID_CHARACTERS). It matches [socialflow.ErrInvalid].
type InvalidTextError struct {
	Offset int    // byte offset of the offending sequence
	Reason string // e.g. "invalid UTF-8"
}

// Error describes the problem and its byte offset.
func (e *InvalidTextError) Error() string {
	return fmt.Sprintf("text: %s at byte %d", e.Reason, e.Offset)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *InvalidTextError) Is(target error) bool { return target == socialflow.ErrInvalid }

// ArgumentError reports an argument that is not text but makes a call
// meaningless: an unknown [Method], a negative limit, an invalid [Config].
// It matches [socialflow.ErrInvalid].
type ArgumentError struct {
	Field string // "method", "limit", "config.scale", ...
	Value string // the value given
}

// Error names the argument and its value.
func (e *ArgumentError) Error() string {
	return fmt.Sprintf("text: invalid %s %q", e.Field, e.Value)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *ArgumentError) Is(target error) bool { return target == socialflow.ErrInvalid }

// isForbidden reports whether r is one of twitter-text's invalid characters.
func isForbidden(r rune) bool { return r == 0xFFFE || r == 0xFEFF || r == 0xFFFF }

// Check returns an [*InvalidTextError] for the first invalid UTF-8 sequence
// or forbidden code point in s, or nil when every network can take s.
func Check(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return &InvalidTextError{Offset: i, Reason: "invalid UTF-8"}
		}
		if isForbidden(r) {
			return &InvalidTextError{Offset: i, Reason: fmt.Sprintf("forbidden character %U", r)}
		}
		i += n
	}
	return nil
}

// Count returns the length of s counted by m. Invalid UTF-8 and the
// forbidden code points U+FFFE, U+FEFF and U+FFFF give an
// [*InvalidTextError]; an unknown method gives an [*ArgumentError]. Both
// match [socialflow.ErrInvalid].
//
// Count(Weighted, s) does not allocate unless s has more than a few URLs or
// is not in NFC.
func Count(m Method, s string) (int, error) {
	if c, ok := weightedConfig(m); ok {
		t, err := weighChecked(s, &c, math.MaxInt)
		if err != nil {
			return 0, err
		}
		return t.total / c.Scale, nil
	}
	n := 0
	err := units(m, s, func(_, length int) bool {
		n += length
		return true
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Overflow returns the byte offset in s of the first character that takes
// the length counted by m past limit, or -1 when s fits. A "character" is
// the unit m counts: a code point, a grapheme cluster, an emoji sequence or
// a whole URL. For [Weighted] the limit is in weighted characters (280 for
// X) and the text is normalised to NFC first; the offset is that of the
// source text. Errors are those of [Count], plus an [*ArgumentError] for a
// negative limit.
func Overflow(m Method, s string, limit int) (int, error) {
	if limit < 0 {
		return 0, &ArgumentError{Field: "limit", Value: fmt.Sprint(limit)}
	}
	if c, ok := weightedConfig(m); ok {
		// The length so far, rounded down, passes limit when the scaled
		// total reaches (limit+1)*scale.
		scaled := math.MaxInt
		if limit < math.MaxInt/c.Scale-1 {
			scaled = (limit+1)*c.Scale - 1
		}
		t, err := weighChecked(s, &c, scaled)
		if err != nil {
			return 0, err
		}
		return t.overflow, nil
	}
	n, at := 0, -1
	err := units(m, s, func(start, length int) bool {
		n += length
		if n > limit {
			at = start
			return false
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	return at, nil
}

// weightedConfig returns the configuration of a weighted method.
func weightedConfig(m Method) (Config, bool) {
	c := ConfigV3()
	switch m {
	case Weighted:
		return c, true
	case WeightedUnicode:
		c.Emoji = UnicodeEmoji
		return c, true
	}
	return Config{}, false
}

// weighChecked weighs s under c against limit, with the errors of Check.
func weighChecked(s string, c *Config, limit int) (tally, error) {
	t, ok := weighSource(s, c, limit, true)
	if !ok {
		return tally{}, Check(s)
	}
	if t.invalid >= 0 {
		r, _ := utf8.DecodeRuneInString(s[t.invalid:])
		return tally{}, &InvalidTextError{Offset: t.invalid, Reason: fmt.Sprintf("forbidden character %U", r)}
	}
	return t, nil
}

// units calls yield with the source byte offset and counted length of each
// unit of s, in order, until yield returns false. Weighted methods are
// not among them: Count and Overflow weigh those with weighChecked.
func units(m Method, s string, yield func(start, length int) bool) error {
	if err := Check(s); err != nil {
		return err
	}
	switch m {
	case Graphemes:
		state, off := -1, 0
		for rest := s; len(rest) > 0; {
			var c string
			c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			if !yield(off, 1) {
				return nil
			}
			off += len(c)
		}
	case CodePoints:
		for i := range s {
			if !yield(i, 1) {
				return nil
			}
		}
	case Bytes:
		for i, r := range s {
			if !yield(i, utf8.RuneLen(r)) {
				return nil
			}
		}
	case Mastodon:
		mastodonUnits(s, yield)
	case Threads:
		for i := 0; i < len(s); {
			n := emojiSequenceLen(s[i:])
			length := n
			if n == 0 {
				_, n = utf8.DecodeRuneInString(s[i:])
				length = 1
			}
			if !yield(i, length) {
				return nil
			}
			i += n
		}
	default:
		return &ArgumentError{Field: "method", Value: string(m)}
	}
	return nil
}

// mastodonUnits yields Mastodon's units: every URL with a protocol counts
// [MastodonURLLength], a mention @user@domain counts as @user, and the rest
// of the text counts grapheme clusters, as StatusLengthValidator does.
func mastodonUnits(s string, yield func(start, length int) bool) {
	type span struct{ start, end, length int }
	var ents []span
	for _, u := range extractURLSpans(s, false) {
		ents = append(ents, span{u.start, u.end, MastodonURLLength})
	}
	for _, m := range mastodonMentions(s) {
		ents = append(ents, span{m.start, m.end, uniseg.GraphemeClusterCount(s[m.start:m.userEnd])})
	}
	slices.SortStableFunc(ents, func(a, b span) int { return a.start - b.start })
	// drop overlaps, keeping the first (twitter-text's removeOverlappingEntities)
	kept := ents[:0]
	for _, e := range ents {
		if len(kept) > 0 && kept[len(kept)-1].end > e.start {
			continue
		}
		kept = append(kept, e)
	}
	off := 0
	graphemes := func(end int) bool {
		state := -1
		for off < end {
			var c string
			c, _, _, state = uniseg.FirstGraphemeClusterInString(s[off:end], state)
			if !yield(off, 1) {
				return false
			}
			off += len(c)
		}
		return true
	}
	for _, e := range kept {
		if !graphemes(e.start) || !yield(e.start, e.length) {
			return
		}
		off = e.end
	}
	graphemes(len(s))
}
