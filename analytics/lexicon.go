package analytics

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/socialflow/socialflow/internal/echo"
)

//go:embed data/lexicon.json
var defaultLexicon []byte

// WordLists are one language's words for a [LexiconClassifier]. An entry is a
// word, an emoji or a phrase of several words ("not working"); entries are
// matched on whole tokens, case-insensitively.
type WordLists struct {
	Positive []string `json:"positive"`
	Negative []string `json:"negative"`
	// Negators flip the sentiment of a positive or negative entry that starts
	// within the three tokens after them ("not good" is negative).
	Negators []string `json:"negators,omitempty"`
	// Labels map a label ("complaint", "question", "spam", "urgent") to the
	// entries that put it on a text.
	Labels map[string][]string `json:"labels,omitempty"`
}

// Lexicon is the data a [LexiconClassifier] reads: word lists per language
// (keyed by lower-case BCP 47 tag or primary subtag, such as "en" or
// "pt-br") and the language used when a text's is unknown.
type Lexicon struct {
	Fallback  string               `json:"fallback"`
	Languages map[string]WordLists `json:"languages"`
}

// DefaultLexicon returns the lexicon socialflow ships (English, Spanish,
// French and German; labels complaint, question, spam and urgent), read from
// the embedded data/lexicon.json. Each call returns a fresh copy the caller
// may change.
func DefaultLexicon() Lexicon {
	l, err := ParseLexicon(defaultLexicon)
	if err != nil {
		// The embedded file is tested; this cannot happen in a release.
		panic("analytics: embedded lexicon: " + err.Error())
	}
	return l
}

// ParseLexicon reads a [Lexicon] from JSON in the shape of [DefaultLexicon]'s
// data. Unknown fields are refused. The lexicon is checked by
// [NewLexiconClassifier], not here.
func ParseLexicon(data []byte) (Lexicon, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var l Lexicon
	if err := dec.Decode(&l); err != nil {
		return Lexicon{}, &FieldError{Op: "ParseLexicon", Field: "json", Value: echo.Short(err.Error()), Reason: "not a lexicon"}
	}
	if dec.More() {
		return Lexicon{}, &FieldError{Op: "ParseLexicon", Field: "json", Reason: "data after the lexicon"}
	}
	return l, nil
}

// MaxClassifiedTokens bounds the work per text: a [LexiconClassifier] reads
// the first MaxClassifiedTokens tokens of a text and ignores the rest.
const MaxClassifiedTokens = 10000

// LexiconClassifier is the default [Classifier]: deterministic, explainable
// and data-driven. It splits a text into tokens (runs of letters, digits and
// inner apostrophes or hyphens, lower-cased; each emoji or punctuation mark
// alone; variation selectors and joiners dropped), then
//
//   - sums +1 for each positive entry and −1 for each negative one (the
//     longest entry starting at a token wins, and its tokens are consumed),
//     flipped when a negator is among the three tokens before it;
//   - scores the sum s as s / √(s² + 15), in (−1, 1), and calls the text
//     positive above 0.05, negative below −0.05, else neutral;
//   - puts every label one of whose entries occurs in the text.
//
// Why lists the entries that decided. The zero value is not usable; build one
// with [NewLexiconClassifier].
type LexiconClassifier struct {
	fallback string
	langs    map[string]*compiled
}

type polarity int8

type entry struct {
	tokens []string
	pol    polarity // +1, -1, or 0 for a label entry
	text   string
}

type compiled struct {
	sentiment map[string][]entry // by first token, longest first
	negators  map[string]bool
	labels    map[string]map[string][]entry // label → first token → entries
	names     []string                      // label names, sorted
}

var labelName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// NewLexiconClassifier compiles l. It refuses (with a [*FieldError] naming the
// field) a lexicon without languages, a fallback that is not one of them, an
// entry with no token, and a label name that is not lower-case snake_case of
// at most 32 characters.
func NewLexiconClassifier(l Lexicon) (*LexiconClassifier, error) {
	const op = "NewLexiconClassifier"
	if len(l.Languages) == 0 {
		return nil, &FieldError{Op: op, Field: "languages", Reason: "required: at least one language"}
	}
	c := &LexiconClassifier{fallback: strings.ToLower(l.Fallback), langs: map[string]*compiled{}}
	for tag, w := range l.Languages {
		key := strings.ToLower(tag)
		if key == "" {
			return nil, &FieldError{Op: op, Field: "languages", Reason: "a language needs a tag"}
		}
		cp := &compiled{sentiment: map[string][]entry{}, negators: map[string]bool{}, labels: map[string]map[string][]entry{}}
		add := func(field string, words []string, pol polarity, into map[string][]entry) error {
			for i, word := range words {
				toks := tokenize(word, nil, 16)
				if len(toks) == 0 {
					return &FieldError{Op: op, Field: fmt.Sprintf("languages[%q].%s[%d]", echo.Short(tag), field, i), Value: echo.Short(word), Reason: "no word in the entry"}
				}
				into[toks[0]] = append(into[toks[0]], entry{tokens: toks, pol: pol, text: strings.Join(toks, " ")})
			}
			return nil
		}
		if err := add("positive", w.Positive, +1, cp.sentiment); err != nil {
			return nil, err
		}
		if err := add("negative", w.Negative, -1, cp.sentiment); err != nil {
			return nil, err
		}
		for i, word := range w.Negators {
			toks := tokenize(word, nil, 2)
			if len(toks) != 1 {
				return nil, &FieldError{Op: op, Field: fmt.Sprintf("languages[%q].negators[%d]", echo.Short(tag), i), Value: echo.Short(word), Reason: "a negator is one word"}
			}
			cp.negators[toks[0]] = true
		}
		for name, words := range w.Labels {
			if !labelName.MatchString(name) {
				return nil, &FieldError{Op: op, Field: fmt.Sprintf("languages[%q].labels", echo.Short(tag)), Value: echo.Short(name), Reason: "a label is lower-case snake_case, at most 32 characters"}
			}
			m := map[string][]entry{}
			if err := add("labels."+name, words, 0, m); err != nil {
				return nil, err
			}
			cp.labels[name] = m
			cp.names = append(cp.names, name)
		}
		sort.Strings(cp.names)
		for _, m := range append([]map[string][]entry{cp.sentiment}, labelMaps(cp)...) {
			for k, es := range m {
				sort.SliceStable(es, func(a, b int) bool { return len(es[a].tokens) > len(es[b].tokens) })
				m[k] = es
			}
		}
		c.langs[key] = cp
	}
	if c.langs[c.fallback] == nil {
		return nil, &FieldError{Op: op, Field: "fallback", Value: echo.Short(l.Fallback), Reason: "not one of the lexicon's languages"}
	}
	return c, nil
}

func labelMaps(cp *compiled) []map[string][]entry {
	out := make([]map[string][]entry, 0, len(cp.names))
	for _, n := range cp.names {
		out = append(out, cp.labels[n])
	}
	return out
}

// lexicon returns the word lists for lang: the whole tag, then its primary
// subtag, then the fallback.
func (c *LexiconClassifier) lexicon(lang string) *compiled {
	lang = strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	if cp := c.langs[lang]; cp != nil {
		return cp
	}
	if i := strings.IndexByte(lang, '-'); i > 0 {
		if cp := c.langs[lang[:i]]; cp != nil {
			return cp
		}
	}
	return c.langs[c.fallback]
}

// Classify implements [Classifier]. It never fails on text: invalid UTF-8,
// markup and control characters are separators. It returns ctx's error when
// ctx is done.
func (c *LexiconClassifier) Classify(ctx context.Context, text, lang string) (Classification, error) {
	if err := ctx.Err(); err != nil {
		return Classification{}, err
	}
	if c == nil || c.langs == nil {
		return Classification{}, &FieldError{Op: "LexiconClassifier.Classify", Field: "classifier", Reason: "not built with NewLexiconClassifier"}
	}
	cp := c.lexicon(lang)
	toks := tokenize(text, make([]string, 0, 64), MaxClassifiedTokens)
	sum := 0
	var pos, neg []string
	for i := 0; i < len(toks); {
		e, ok := longest(cp.sentiment[toks[i]], toks, i)
		if !ok {
			i++
			continue
		}
		pol, shown := e.pol, e.text
		for j := max(0, i-3); j < i; j++ {
			if cp.negators[toks[j]] {
				pol, shown = -pol, toks[j]+" … "+e.text
				break
			}
		}
		if pol > 0 {
			pos = append(pos, shown)
		} else {
			neg = append(neg, shown)
		}
		sum += int(pol)
		i += len(e.tokens)
	}
	var labels []string
	for _, name := range cp.names {
		m := cp.labels[name]
		for i := range toks {
			if _, ok := longest(m[toks[i]], toks, i); ok {
				labels = append(labels, name)
				break
			}
		}
	}
	s := float64(sum)
	score := s / math.Sqrt(s*s+15)
	cl := Classification{Sentiment: SentimentNeutral, Score: score, Labels: labels}
	switch {
	case score > 0.05:
		cl.Sentiment = SentimentPositive
	case score < -0.05:
		cl.Sentiment = SentimentNegative
	}
	cl.Why = why(pos, neg, labels)
	return cl, nil
}

func why(pos, neg, labels []string) string {
	var parts []string
	if len(pos) > 0 {
		parts = append(parts, "positive: "+strings.Join(pos, ", "))
	}
	if len(neg) > 0 {
		parts = append(parts, "negative: "+strings.Join(neg, ", "))
	}
	if len(labels) > 0 {
		parts = append(parts, "labels: "+strings.Join(labels, ", "))
	}
	if len(parts) == 0 {
		return "no lexicon entry matched"
	}
	return echo.Clip(strings.Join(parts, "; "), 300)
}

// longest returns the first (longest) of es whose tokens occur at toks[i:].
func longest(es []entry, toks []string, i int) (entry, bool) {
next:
	for _, e := range es {
		if i+len(e.tokens) > len(toks) {
			continue
		}
		for k, t := range e.tokens {
			if toks[i+k] != t {
				continue next
			}
		}
		return e, true
	}
	return entry{}, false
}

// tokenize appends the tokens of s to dst, at most limit of them: runs of
// letters, marks and digits (with apostrophes and hyphens between them),
// lower-cased; every other visible rune (an emoji, a question mark) alone.
// Spaces, control characters, invalid bytes, variation selectors and
// zero-width joiners separate tokens or vanish.
func tokenize(s string, dst []string, limit int) []string {
	// A token is s[start:end] itself while it needs no rewriting (already
	// lower case, plain apostrophes): no allocation. Only a token that
	// changed is built in buf.
	var buf []byte
	start, end, same := -1, 0, true
	flush := func() {
		if start < 0 {
			return
		}
		var tok string
		if same {
			tok = strings.TrimRight(s[start:end], "'-")
		} else {
			tok = strings.TrimRight(string(buf), "'-")
		}
		if tok != "" {
			dst = append(dst, tok)
		}
		start, same, buf = -1, true, buf[:0]
	}
	add := func(at, next int, r rune, orig bool) {
		if start < 0 {
			start, end = at, at
		}
		if same && (!orig || end != at) {
			// The token stops being a substring of s: copy what it was.
			same = false
			buf = append(buf[:0], s[start:end]...)
		}
		if !same {
			buf = utf8.AppendRune(buf, r)
		}
		end = next
	}
	for i := 0; i < len(s) && len(dst) < limit; {
		r, n := utf8.DecodeRuneInString(s[i:])
		at := i
		i += n
		inWord := start >= 0
		switch {
		case r == utf8.RuneError && n <= 1:
			flush()
		case r == '\uFE0E' || r == '\uFE0F' || r == '\u200D':
			// Presentation selectors and joiners: part of the emoji before.
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (inWord && unicode.Is(unicode.M, r)):
			lr := unicode.ToLower(r)
			add(at, i, lr, lr == r)
		case r == '-' && inWord:
			add(at, i, '-', true)
		case (r == '\'' || r == '’') && inWord:
			add(at, i, '\'', r == '\'') // the typographic apostrophe matches the plain one
		case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			flush()
		case unicode.IsPrint(r):
			flush()
			if len(dst) < limit {
				dst = append(dst, s[at:i])
			}
		default:
			flush()
		}
	}
	if len(dst) < limit {
		flush()
	}
	return dst
}
