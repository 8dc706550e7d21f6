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
