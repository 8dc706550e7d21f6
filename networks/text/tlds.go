package text

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// tldsYAML is twitter-text's conformance/tlds.yml (Apache-2.0, see
// testdata/twitter-text/LICENSE): one case per top-level domain, country
// and generic, each "https://twitter.<tld>".
//
//go:embed tlds.yml
var tldsYAML []byte

// tldSet holds the top-level domains of tlds.yml, lower-cased.
type tldSet struct {
	names     map[string]struct{}
	maxLength int // longest TLD, in bytes
}

// tlds returns the TLD set, parsed once from the embedded tlds.yml.
var tlds = sync.OnceValue(func() *tldSet {
	var doc struct {
		Tests map[string][]struct {
			Text string `yaml:"text"`
		} `yaml:"tests"`
	}
	if err := yaml.Unmarshal(tldsYAML, &doc); err != nil {
		panic("text: embedded tlds.yml: " + err.Error()) // the embedded data is fixed at build time
	}
	set := &tldSet{names: make(map[string]struct{}, 1600)}
	const prefix = "https://twitter."
	for _, cases := range doc.Tests {
		for _, c := range cases {
			name, ok := strings.CutPrefix(c.Text, prefix)
			if !ok || name == "" {
				panic("text: embedded tlds.yml: unexpected case " + c.Text)
			}
			name = strings.ToLower(name)
			set.names[name] = struct{}{}
			set.maxLength = max(set.maxLength, len(name))
		}
	}
	return set
})

// isTLDBoundary reports whether r may follow a top-level domain: twitter-text
// requires (?=[^0-9a-zA-Z@+-]|$).
func isTLDBoundary(r rune) bool {
	return !(isASCIIAlnum(r) || r == '@' || r == '+' || r == '-')
}

// match returns the end of the TLD of the list that starts s[p:] and is
// followed by a boundary, preferring the longest.
func (t *tldSet) match(s string, p int) (int, bool) {
	var buf [128]byte
	name := buf[:0]
	var ends [64]int // end offset in s after each code point
	var lens [64]int // length of name after each code point
	k := 0
	for i := p; i < len(s) && k < len(ends) && len(name) <= t.maxLength; {
		r, sz := utf8.DecodeRuneInString(s[i:])
		if r < utf8.RuneSelf && !isASCIIAlnum(r) && r != '-' || r == utf8.RuneError {
			break
		}
		name = utf8.AppendRune(name, unicode.ToLower(r))
		i += sz
		ends[k], lens[k] = i, len(name)
		k++
	}
	for k--; k >= 0; k-- {
		end := ends[k]
		if end < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[end:]); !isTLDBoundary(r) {
				continue
			}
		}
		if _, ok := t.names[string(name[:lens[k]])]; ok {
			return end, true
		}
	}
	return 0, false
}
