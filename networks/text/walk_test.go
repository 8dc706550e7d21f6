package text

import (
	"testing"
	"unicode/utf8"
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
