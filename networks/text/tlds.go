package text

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:generate go run ./internal/gen/tlds

// The top-level domains URL extraction accepts are those of twitter-text's
// conformance file tlds.yml (Apache-2.0, LICENSE-twitter-text), generated
// into tldNames (tlds_table.go) by internal/gen/tlds.

// isTLDBoundary reports whether r may follow a top-level domain: twitter-text
// requires (?=[^0-9a-zA-Z@+-]|$).
func isTLDBoundary(r rune) bool {
	return !(isASCIIAlnum(r) || r == '@' || r == '+' || r == '-')
}

// tldSet holds tldNames, for lookups by a lower-cased name.
var tldSet = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, len(tldNames))
	for _, name := range tldNames {
		set[name] = struct{}{}
	}
	return set
})

// isTLD reports whether the lower-cased name is one of tldNames.
func isTLD(name []byte) bool {
	_, ok := tldSet()[string(name)]
	return ok
}

// matchTLDList returns the end of the TLD of the list that starts s[p:]
// and is followed by a boundary, preferring the longest.
func matchTLDList(s string, p int) (int, bool) {
	var buf [maxTLDBytes + utf8.UTFMax]byte
	name := buf[:0]
	var ends [maxTLDBytes]int // end offset in s after each code point
	var lens [maxTLDBytes]int // length of name after each code point
	k := 0
	for i := p; i < len(s) && k < len(ends) && len(name) <= maxTLDBytes; {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isASCIIAlnum(rune(c)) && c != '-' {
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			name = append(name, c)
			i++
		} else {
			r, sz := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError {
				break
			}
			name = utf8.AppendRune(name, unicode.ToLower(r))
			i += sz
		}
		ends[k], lens[k] = i, len(name)
		k++
	}
	for k--; k >= 0; k-- {
		end := ends[k]
		if lens[k] > maxTLDBytes {
			continue
		}
		if end < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[end:]); !isTLDBoundary(r) {
				continue
			}
		}
		if isTLD(name[:lens[k]]) {
			return end, true
		}
	}
	return 0, false
}
