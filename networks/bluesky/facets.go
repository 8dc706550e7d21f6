package bluesky

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// FacetKind is the kind of a rich-text [Facet].
type FacetKind string

// The facet kinds, as app.bsky.richtext.facet features.
const (
	FacetLink    FacetKind = "link"    // app.bsky.richtext.facet#link: Value is the URI
	FacetMention FacetKind = "mention" // app.bsky.richtext.facet#mention: Value is the handle (without "@") until resolved to a DID
	FacetTag     FacetKind = "tag"     // app.bsky.richtext.facet#tag: Value is the tag without "#"
)

// Facet is a rich-text annotation of a post's text. Start and End are UTF-8
// byte offsets (End exclusive), as app.bsky.richtext.facet's byteSlice
// requires; they never split a UTF-8 sequence.
type Facet struct {
	Kind       FacetKind
	Start, End int
	Value      string
}

// maxTagGraphemes is app.bsky.richtext.facet#tag's maxGraphemes (and
// maxLength 640 bytes).
const (
	maxTagGraphemes = 64
	maxTagBytes     = 640
)

var (
	// An explicit http(s) URL after the start, a space or "(": the rule
	// of docs.bsky.app "Links, mentions, and rich text". Bare domains
	// ("example.com") are not linked: they are ambiguous in prose.
	linkRE = regexp.MustCompile(`(?:^|[\s(])(https?://[^\s]+)`)
	// "@" and a handle-shaped word after the start, a space or "(".
	mentionRE = regexp.MustCompile(`(?:^|[\s(])(@[a-zA-Z0-9.-]+)`)
	// "#" (or the full-width "＃") and a word after the start or a space.
	tagRE = regexp.MustCompile(`(?:^|\s)([#＃][^\s]+)`)
	// A syntactically valid handle: labels of letters, digits and inner
	// hyphens, at least two, the last starting with a letter.
	handleRE = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
)

// DetectFacets finds the links, mentions and hashtags in text, ordered by
// Start and never overlapping, with UTF-8 byte offsets. Mentions carry the
// handle; [Adapter.Publish] resolves it to a DID and drops the facet of a
// handle that does not resolve (the text is kept as written). Text that is
// not valid UTF-8 yields no facet.
func DetectFacets(text string) []Facet {
	if !utf8.ValidString(text) {
		return nil
	}
	var out []Facet
	for _, m := range linkRE.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		e = s + len(trimURL(text[s:e]))
		if e-s > len("https://") {
			out = append(out, Facet{Kind: FacetLink, Start: s, End: e, Value: text[s:e]})
		}
	}
	for _, m := range mentionRE.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		h := strings.TrimRight(text[s+1:e], ".-")
		if len(h) > 253 || !handleRE.MatchString(h) {
			continue
		}
		out = addFacet(out, Facet{Kind: FacetMention, Start: s, End: s + 1 + len(h), Value: strings.ToLower(h)})
	}
	for _, m := range tagRE.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		_, sigil := utf8.DecodeRuneInString(text[s:])
		tag := text[s+sigil : e]
		// zero-width characters end a tag
		if i := strings.IndexFunc(tag, isZeroWidth); i >= 0 {
			tag = tag[:i]
		}
		tag = strings.TrimRightFunc(tag, unicode.IsPunct)
		if tag == "" || strings.IndexFunc(tag, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			continue // empty or all digits: not a tag
		}
		if len(tag) > maxTagBytes || uniseg.GraphemeClusterCount(tag) > maxTagGraphemes {
			continue
		}
		out = addFacet(out, Facet{Kind: FacetTag, Start: s, End: s + sigil + len(tag), Value: tag})
	}
	sortFacets(out)
	return out
}

// isZeroWidth reports the invisible characters that end a hashtag.
func isZeroWidth(r rune) bool {
	switch r {
	case '\u00AD', '\u2060', '\u200A', '\u200B', '\u200C', '\u200D', '\u20E2', '\uFE0F':
		return true
	}
	return false
}

// trimURL drops trailing punctuation that ends a sentence rather than the
// URL, and a closing parenthesis the URL did not open.
func trimURL(u string) string {
	for {
		n := len(u)
		u = strings.TrimRight(u, ".,;:!?\"'")
		if strings.HasSuffix(u, ")") && !strings.Contains(u, "(") {
			u = u[:len(u)-1]
		}
		if len(u) == n {
			return u
		}
	}
}

// addFacet appends f unless it overlaps a facet already in out (links win
// over mentions and tags found inside them).
func addFacet(out []Facet, f Facet) []Facet {
	for _, g := range out {
		if f.Start < g.End && g.Start < f.End {
			return out
		}
	}
	return append(out, f)
}

// sortFacets orders fs by Start (insertion sort: posts hold few facets).
func sortFacets(fs []Facet) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Start < fs[j-1].Start; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// CheckFacets verifies that every facet lies inside text, is not empty and
// starts and ends on UTF-8 sequence boundaries. The PDS does not check this
// (a facet splitting "é" was accepted by @atproto/pds 0.4.217), so the
// adapter does before sending. Errors are *[FacetError] values matching
// [socialflow.ErrInvalid].
func CheckFacets(text string, facets []Facet) error {
	for _, f := range facets {
		bad := func(reason string) error {
			return &FacetError{Start: f.Start, End: f.End, Len: len(text), Reason: reason}
		}
		switch {
		case f.Start < 0 || f.End > len(text) || f.Start >= f.End:
			return bad("outside the text or empty")
		case !utf8.RuneStart(text[f.Start]) || (f.End < len(text) && !utf8.RuneStart(text[f.End])):
			return bad("splits a UTF-8 sequence")
		case !utf8.ValidString(text[f.Start:f.End]):
			return bad("not valid UTF-8")
		}
	}
	return nil
}

// facetJSON is app.bsky.richtext.facet.
type facetJSON struct {
	Index    byteSlice        `json:"index"`
	Features []map[string]any `json:"features"`
}

// byteSlice is app.bsky.richtext.facet#byteSlice.
type byteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// toJSON returns the record form of f; mentions need the DID in Value.
func (f Facet) toJSON() facetJSON {
	feat := map[string]any{}
	switch f.Kind {
	case FacetLink:
		feat["$type"], feat["uri"] = "app.bsky.richtext.facet#link", f.Value
	case FacetMention:
		feat["$type"], feat["did"] = "app.bsky.richtext.facet#mention", f.Value
	case FacetTag:
		feat["$type"], feat["tag"] = "app.bsky.richtext.facet#tag", f.Value
	}
	return facetJSON{Index: byteSlice{ByteStart: f.Start, ByteEnd: f.End}, Features: []map[string]any{feat}}
}
