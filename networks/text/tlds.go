package text

import (
	"slices"
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

// tldTable is an open-addressing hash table of tldNames: each slot holds
// 1 + the index of a name, or 0 for an empty slot. The table is at least
// twice as large as the list, so probe sequences stay short. It is
// read-only after initialisation.
var tldTable = func() (t [tldTableSize]uint16) {
	for i, name := range tldNames {
		h := tldHash(name)
		for t[h] != 0 {
			h = (h + 1) % tldTableSize
		}
		t[h] = uint16(i + 1)
	}
	return t
}()

const tldTableSize = 4096

// tldHash is FNV-1a of name with its ASCII letters lower-cased, reduced
// to the table size.
func tldHash(name string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(lowerASCII[name[i]])) * 16777619
	}
	return h % tldTableSize
}

// shortTLDs has a bit for each name of tldNames of two or three ASCII
// lower-case letters, indexed by shortTLDIndex: the ccTLDs and most
// generic TLDs a text holds are answered with one load.
var shortTLDs = func() (set [(26*26*26 + 26*26 + 63) / 64]uint64) {
	for _, name := range tldNames {
		if k, ok := shortTLDIndex(name); ok {
			set[k/64] |= 1 << (k % 64)
		}
	}
	return set
}()

// shortTLDIndex numbers the names of two or three ASCII letters (either
// case): two letters from 0, three after the 26×26 of two.
func shortTLDIndex(name string) (int, bool) {
	if uint(len(name)-2) > 1 { // not 2 or 3
		return 0, false
	}
	// A byte below 'a' wraps to 26 or more, as one past 'z' does.
	a, b, c := uint(lowerASCII[name[0]]-'a'), uint(lowerASCII[name[1]]-'a'), uint(0)
	k := a*26 + b
	if len(name) == 3 {
		c = uint(lowerASCII[name[2]] - 'a')
		k = 26*26 + k*26 + c
	}
	return int(k), max(a, b, c) < 26
}

// isTLD reports whether name, with its ASCII letters lower-cased, is one
// of tldNames: names of two or three letters from shortTLDs, the others
// from tldTable, without a copy.
func isTLD(name string) bool {
	if k, ok := shortTLDIndex(name); ok {
		return shortTLDs[uint(k)/64]&(1<<(uint(k)%64)) != 0
	}
	if !mayBeLongTLD(name) {
		return false
	}
	for h := tldHash(name); tldTable[h] != 0; h = (h + 1) % tldTableSize {
		if equalFold(tldNames[tldTable[h]-1], name) {
			return true
		}
	}
	return false
}

// longTLDs has a bit for the length, first and last byte, lower-cased
// (longTLDIndex), of each name of tldNames that shortTLDs does not hold:
// most words after a dot that are no TLD ("example", "wikipedia") are
// told apart by one load, without a hash. It is read-only after
// initialisation.
var longTLDs = func() (set [(maxTLDBytes + 1) * 64 * 64 / 64]uint64) {
	for _, name := range tldNames {
		if _, ok := shortTLDIndex(name); !ok {
			k := longTLDIndex(name)
			set[k/64] |= 1 << (k % 64)
		}
	}
	return set
}()

// longTLDIndex numbers a name by its length (at most maxTLDBytes) and the
// low six bits of its first and last bytes, ASCII letters lower-cased.
func longTLDIndex(name string) uint {
	return uint(min(len(name), maxTLDBytes))<<12 | uint(lowerASCII[name[0]]&63)<<6 | uint(lowerASCII[name[len(name)-1]]&63)
}

// mayBeLongTLD reports whether name, not empty, may be in tldNames by its
// bit in longTLDs.
func mayBeLongTLD(name string) bool {
	k := longTLDIndex(name)
	return longTLDs[k/64]&(1<<(k%64)) != 0
}

// equalFold reports whether the lower-case name equals s with its ASCII
// letters lower-cased.
func equalFold(name, s string) bool {
	if len(name) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerASCII[s[i]] != name[i] {
			return false
		}
	}
	return true
}

// lowerASCII maps each byte to itself, but the ASCII upper-case letters to
// their lower case. It is read-only after initialisation.
var lowerASCII = func() (t [256]byte) {
	for c := range 256 {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// matchTLDList returns the end of the TLD of the list that starts s[p:]
// and is followed by a boundary, preferring the longest.
func matchTLDList(s string, p int) (int, bool) {
	// A run of ASCII letters, digits and '-' holds no boundary, so when
	// the run is followed by ASCII, the run itself is the only candidate.
	e, lim := p, min(len(s), p+maxTLDBytes)
	for e < lim && tldByte[s[e]] != 0 {
		e++
	}
	// A non-ASCII code point is a boundary too; only a name that goes on
	// past it (an internationalised TLD) needs the general search.
	if e == len(s) || s[e] < utf8.RuneSelf && (e-p < maxTLDBytes || !isASCIIAlnum(rune(s[e])) && s[e] != '-') ||
		s[e] >= utf8.RuneSelf && !isIDNHead(s[p:e]) {
		if e > p && (e == len(s) || s[e] >= utf8.RuneSelf || isTLDBoundary(rune(s[e]))) && isTLD(s[p:e]) {
			return e, true
		}
		return 0, false
	}
	return matchTLDListRunes(s, p)
}

// idnHeads are the ASCII starts of the TLDs of the list that have a
// non-ASCII code point: what comes before the first one ("" for most,
// "verm" for "vermögensberater").
var idnHeads = func() (heads []string) {
	for _, name := range tldNames {
		for i := 0; i < len(name); i++ {
			if name[i] >= utf8.RuneSelf {
				if !slices.Contains(heads, name[:i]) {
					heads = append(heads, name[:i])
				}
				break
			}
		}
	}
	return heads
}()

// isIDNHead reports whether the ASCII name, lower-cased, is one of
// idnHeads.
func isIDNHead(name string) bool {
	for _, h := range idnHeads {
		if equalFold(h, name) {
			return true
		}
	}
	return false
}

// tldByte maps the bytes of a run that may be a TLD of ASCII characters
// (letters, digits, '-') to themselves, lower-cased, and every other
// byte to 0: one load per byte, no branch on which kind it is. It is
// read-only after initialisation.
var tldByte = func() (t [256]byte) {
	for c := range byte(utf8.RuneSelf) {
		if isASCIIAlnum(rune(c)) || c == '-' {
			t[c] = lowerASCII[c]
		}
	}
	return t
}()

// matchTLDListRunes is matchTLDList for a name with non-ASCII code points
// (an internationalised TLD) or longer than any TLD of the list: each
// prefix followed by a boundary is a candidate.
func matchTLDListRunes(s string, p int) (int, bool) {
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
		if isTLD(string(name[:lens[k]])) {
			return end, true
		}
	}
	return 0, false
}
