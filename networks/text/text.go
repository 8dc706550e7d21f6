// Package text counts and parses post text the way each network does.
//
// CONTRACT NOTE (to be replaced by the real implementation): the exported
// signatures below are the contract the networks package codes against.
package text

import (
	"unicode/utf8"

	"github.com/socialflow/socialflow"
)

// Method is a way of counting the length of a text.
type Method string

// The counting methods.
const (
	Weighted   Method = "weighted"   // twitter-text config v3 weighted length (X)
	Graphemes  Method = "graphemes"  // extended grapheme clusters (Bluesky)
	Mastodon   Method = "mastodon"   // code points; URLs count 23; @user@domain counts as @user
	Threads    Method = "threads"    // code points, but each emoji counts as its UTF-8 byte length
	CodePoints Method = "codepoints" // Unicode code points (LinkedIn, Facebook, Instagram, ...)
)

// InvalidTextError reports text that no network accepts: invalid UTF-8 or a
// forbidden code point (U+FFFE, U+FEFF, U+FFFF). It matches
// [socialflow.ErrInvalid].
type InvalidTextError struct {
	Offset int    // byte offset of the offending sequence
	Reason string // e.g. "invalid UTF-8"
}

func (e *InvalidTextError) Error() string { return "text: " + e.Reason }

// Is reports whether target is [socialflow.ErrInvalid].
func (e *InvalidTextError) Is(target error) bool { return target == socialflow.ErrInvalid }

// Count returns the length of s counted by m.
func Count(m Method, s string) (int, error) {
	if !utf8.ValidString(s) {
		return 0, &InvalidTextError{Reason: "invalid UTF-8"}
	}
	return utf8.RuneCountInString(s), nil
}

// Overflow returns the byte offset in s of the first character that takes the
// length counted by m past limit, or -1 when s fits.
func Overflow(m Method, s string, limit int) (int, error) {
	n := 0
	for i := range s {
		n++
		if n > limit {
			return i, nil
		}
	}
	return -1, nil
}

// EntityKind is the kind of an [Entity].
type EntityKind string

// The entity kinds.
const (
	Hashtag EntityKind = "hashtag"
	Mention EntityKind = "mention"
	URL     EntityKind = "url"
	Cashtag EntityKind = "cashtag"
)

// Entity is a hashtag, mention, URL or cashtag found in a text.
type Entity struct {
	Kind EntityKind
	// Text is the entity without its sigil: "socialflow" for "#socialflow",
	// "jack" for "@jack", "AAPL" for "$AAPL"; URLs as written.
	Text string
	// Start and End are byte offsets of the whole entity (sigil included) in
	// the text.
	Start, End int
	// UTF16Start and UTF16End are the same offsets in UTF-16 code units, as
	// twitter-text reports them.
	UTF16Start, UTF16End int
}

// Extract returns every entity in s, ordered by Start.
func Extract(s string) []Entity { return nil }
