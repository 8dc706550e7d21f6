package text

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestDecodeCheckedMatchesUTF8 compares decodeChecked with
// utf8.DecodeRuneInString on every sequence of one or two bytes, every
// three-byte sequence that starts with a three-byte lead (E0-EF), and
// the others with a third (and fourth) byte at the edges of the
// continuation range (7F, 80, BF, C0).
func TestDecodeCheckedMatchesUTF8(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		s := string(b)
		r, size := decodeChecked(s, 0)
		wr, wsize := utf8.DecodeRuneInString(s)
		if wr == utf8.RuneError && wsize == 1 {
			wsize = 0
		}
		if size != wsize || size > 0 && r != wr {
			t.Fatalf("decodeChecked(% x) = %U, %d; utf8 says %U, %d", b, r, size, wr, wsize)
		}
	}
	for b0 := range 256 {
		check([]byte{byte(b0)})
		for b1 := range 256 {
			check([]byte{byte(b0), byte(b1)})
			if b0 >= 0xE0 && b0 < 0xF0 {
				for b2 := range 256 {
					check([]byte{byte(b0), byte(b1), byte(b2)})
				}
			}
			for _, b2 := range []byte{0x7F, 0x80, 0xBF, 0xC0} {
				check([]byte{byte(b0), byte(b1), b2})
			}
			if b0 >= 0xF0 {
				for _, b2 := range []byte{0x7F, 0x80, 0xBF, 0xC0} {
					for _, b3 := range []byte{0x7F, 0x80, 0xBF, 0xC0} {
						check([]byte{byte(b0), byte(b1), b2, b3, 'a'})
					}
				}
			}
		}
	}
}

// TestNFCQuickYesBMP checks the bitmap against the ranges on every code
// point.
func TestNFCQuickYesBMP(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if nfcQuickYesBMP(r) != nfcQuickYes(r) {
			t.Fatalf("nfcQuickYesBMP(%U) = %v, nfcQuickYes says %v", r, nfcQuickYesBMP(r), nfcQuickYes(r))
		}
	}
}

// TestNFCPairs checks the generated compositions against
// golang.org/x/text/unicode/norm, and nfcPairSegment against norm's NFC on
// every pair of a starter and a code point from blocks of letters,
// combining marks and Hangul jamo.
func TestNFCPairs(t *testing.T) {
	for _, p := range nfcPairs {
		if got := norm.NFC.String(string([]rune{p.a, p.b})); got != string(p.p) {
			t.Fatalf("NFC(%U %U) = %+q, table says %U", p.a, p.b, got, p.p)
		}
	}
	var starters, seconds []rune
	for _, bl := range [][2]rune{{'A', 'z'}, {0xC0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x1100, 0x1112}, {0xAC00, 0xAC1F}, {0x1E00, 0x1EFF}, {0x3040, 0x30FF}} {
		for r := bl[0]; r <= bl[1]; r++ {
			starters = append(starters, r)
		}
	}
	for _, bl := range [][2]rune{{0x300, 0x36F}, {0x1161, 0x1175}, {0x11A8, 0x11C2}, {0x3099, 0x309A}, {0x338, 0x338}, {'a', 'c'}} {
		for r := bl[0]; r <= bl[1]; r++ {
			seconds = append(seconds, r)
		}
	}
	for _, a := range starters {
		for _, b := range seconds {
			seg := string([]rune{a, b})
			var out strings.Builder
			if nfcPairSegment(&out, seg) && out.String() != norm.NFC.String(seg) {
				t.Fatalf("nfcPairSegment(%+q) = %+q, norm says %+q", seg, out.String(), norm.NFC.String(seg))
			}
		}
	}
}

// TestTwemojiListPassesNFCQuickCheck checks what the walk takes for
// granted when it weighs an emoji of the list without checking its code
// points: each code point of every string of the twemoji-parser list is
// a scalar value that passes the NFC quick check.
func TestTwemojiListPassesNFCQuickCheck(t *testing.T) {
	for _, e := range twemojiEdges {
		if !utf8.ValidRune(e.r) || !nfcQuickYes(e.r) {
			t.Errorf("%U: in the list, but not a valid code point passing the NFC quick check", e.r)
		}
	}
}

// TestIsASCII puts one byte past ASCII (0x80, 0xFF) at each offset of
// strings of every length up to 24, across the words isASCII reads and
// the last word it reads overlapping the one before.
func TestIsASCII(t *testing.T) {
	for n := range 25 {
		s := strings.Repeat("a", n)
		if !isASCII(s) {
			t.Fatalf("isASCII(%q) = false", s)
		}
		for i := range n {
			for _, b := range []byte{0x80, 0xFF} {
				bs := []byte(s)
				bs[i] = b
				if isASCII(string(bs)) {
					t.Fatalf("isASCII(%+q) = true: byte %d is %#x", bs, i, b)
				}
			}
		}
	}
}

// TestSpaceAt checks spaceAt, and the classes of wordByte, against isSpace
// at every code point.
func TestSpaceAt(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if s := string(r); spaceAt(s, 0) != isSpace(r) {
			t.Fatalf("spaceAt(%U) = %v, isSpace %v", r, spaceAt(s, 0), isSpace(r))
		}
		// dotInWord reads a space past ASCII only at the lead bytes that
		// wordByte names.
		if c := string(r)[0]; isSpace(r) && r >= utf8.RuneSelf && wordByte[c] != wordMaySpace ||
			r < utf8.RuneSelf && (wordByte[c] == wordSpace) != isSpace(r) {
			t.Fatalf("wordByte[%#x] = %d for %U", c, wordByte[c], r)
		}
	}
}

// TestWalkFoldsMarks checks where weighWalk folds a combining mark into
// the letter before it (foldsInPlace), and that the tally then equals
// the general path's: the walk goes on past the marks that compose where
// nothing else can change, and stops at every other, for the normalising
// paths to take.
func TestWalkFoldsMarks(t *testing.T) {
	cfg := ConfigV3()
	for _, tc := range []struct {
		s      string
		folded int // -1: the walk stops (walkNotNFC)
	}{
		{"cafe\u0301", 1},
		{"cre\u0300me bru\u0302le\u0301e", 3},
		{"Sa\u0303o\u00a0Paulo\u3000na\u0131\u0308ve", -1}, // dotless i and diaeresis do not compose
		{"Sa\u0303o\u00a0Paulo\u3000nai\u0308ve", 2},
		{"e\u0301 https://example.com", 1},        // a dot in another word
		{"https://example.com e\u0301", 1},        // after a URL and a space
		{"x.come\u0301", -1},                      // a dot in the word
		{"e\u0301.com", -1},                       // the same
		{"x.com\u00a0e\u0301", 1},                 // U+00A0 ends a word
		{"x.com\u3000e\u0301", 1},                 // so does U+3000
		{"x.com\u2003e\u0301", 1},                 // and every space of twitter-text's
		{"x.com\u2010e\u0301", -1},                // a hyphen does not
		{"e\u0303", -1},                           // ẽ, U+1EBD, weighs 2 where e weighs 1
		{"=\u0338", -1},                           // ≠ weighs 2 too
		{"e\u0301\u0301", -1},                     // two marks
		{"e\u0301\u0323", -1},                     // reordered by NFC
		{"\u0301abc", -1},                         // no letter before
		{"#\u0301", -1},                           // a keycap's start
		{"😀\u0301", -1},                           // an emoji
		{"x\u0301", -1},                           // no composition
		{"e\u0301😀", -1},                          // an emoji after
		{"e\u0301é", 1},                           // a plain letter after
		{strings.Repeat("a", 70) + "e\u0301", -1}, // a word too long to search
		{strings.Repeat("word ", 30) + "cafe\u0301 " + strings.Repeat("word\u00a0", 30), 1},
		{strings.Repeat("x.com ", 30) + "cafe\u0301\u3000x.com", 1},
		{"\u05D0\u05B7", -1}, // not a mark of U+0300..U+036F
	} {
		tl, st, _ := weighWalk(tc.s, &cfg, 28000, true, true)
		if tc.folded < 0 {
			if st != walkNotNFC {
				t.Errorf("%+q: the walk ended with %d, want walkNotNFC", tc.s, st)
			}
			continue
		}
		if st != walkDone || tl.folded != tc.folded {
			t.Errorf("%+q: status %d, %d folded, want walkDone, %d", tc.s, st, tl.folded, tc.folded)
			continue
		}
		tl.src16 = tl.n16 + tl.folded
		want, _ := weighGeneral(tc.s, &cfg, 28000)
		want.folded = tl.folded
		if tl != want {
			t.Errorf("%+q: tally %+v, general path %+v", tc.s, tl, want)
		}
	}
}

// TestKeycapBase checks that the ASCII characters the walk looks at more
// closely are those that start a keycap, and no other.
func TestKeycapBase(t *testing.T) {
	for c := range 256 {
		want := c == '#' || c == '*' || '0' <= c && c <= '9'
		if keycapBase[c] != want {
			t.Errorf("keycapBase[%q] = %v", rune(c), keycapBase[c])
		}
	}
}
