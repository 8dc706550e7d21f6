package text

import "unicode/utf8"

//go:generate go run ./internal/gen/nfc

// runeRange is the code points lo..hi, inclusive.
type runeRange struct{ lo, hi rune }

// nfcBlocks has a bit for every block of 256 code points that holds a code
// point of nfcQuickCheckNo.
var nfcBlocks = func() (set [(0x10FFFF + 1) / 256 / 64]uint64) {
	for _, rr := range nfcQuickCheckNo {
		for b := rr.lo / 256; b <= rr.hi/256; b++ {
			set[b/64] |= 1 << (b % 64)
		}
	}
	return set
}()

// nfcQuickYes reports whether a text whose code points all pass may be
// taken as NFC without normalising it: r is not in nfcQuickCheckNo (UAX
// #15 NFC_Quick_Check=Yes and canonical combining class 0). Code points
// below U+0300 and blocks without a listed code point (CJK, Hangul
// syllables, most emoji) are answered without a search.
func nfcQuickYes(r rune) bool {
	if r < 0x300 {
		return true
	}
	b := r / 256
	if nfcBlocks[b/64]&(1<<(b%64)) == 0 {
		return true
	}
	lo, hi := 0, len(nfcQuickCheckNo)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if nfcQuickCheckNo[m].hi < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo == len(nfcQuickCheckNo) || r < nfcQuickCheckNo[lo].lo
}

// nfcLeadMayFail tells, for each lead byte of a UTF-8 sequence, whether
// a code point it starts may fail nfcQuickYes; it is false for ASCII and
// continuation bytes.
var nfcLeadMayFail = func() (t [256]bool) {
	lead := func(r rune) byte {
		var b [4]byte
		utf8.EncodeRune(b[:], r)
		return b[0]
	}
	for _, rr := range nfcQuickCheckNo {
		for r := rr.lo; r <= rr.hi; r++ {
			t[lead(r)] = true
		}
	}
	return t
}()

// nfcNoBMP has a bit for every code point below U+10000 that
// nfcQuickCheckNo lists: 8 KB that answer nfcQuickYes with one load.
var nfcNoBMP = func() (set [0x10000 / 64]uint64) {
	for _, rr := range nfcQuickCheckNo {
		for r := rr.lo; r <= rr.hi && r < 0x10000; r++ {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return set
}()

// nfcQuickYesBMP is nfcQuickYes, read from nfcNoBMP below U+10000.
func nfcQuickYesBMP(r rune) bool {
	if r < 0x10000 {
		return nfcNoBMP[r/64]&(1<<(r%64)) == 0
	}
	return nfcQuickYes(r)
}

// nfcPair is a canonical composition: a followed by b composes to p.
type nfcPair struct{ a, b, p rune }
