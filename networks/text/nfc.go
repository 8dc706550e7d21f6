package text

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
	b := uint32(r) / 256
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
		return !nfcListedBMP(r)
	}
	return nfcQuickYes(r)
}

// nfcListedBMP reports whether r, below U+10000, fails the quick check
// (is in nfcQuickCheckNo): one load of nfcNoBMP, small enough to be
// inlined where a loop has decoded a code point of two or three bytes.
func nfcListedBMP(r rune) bool {
	return nfcNoBMP[uint16(r)/64]&(1<<(uint16(r)%64)) != 0
}

// nfcPair is a canonical composition: a followed by b composes to p.
type nfcPair struct{ a, b, p rune }

// inRanges reports whether r is in one of the sorted, disjoint ranges.
func inRanges(ranges []runeRange, r rune) bool {
	lo, hi := 0, len(ranges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ranges[m].hi < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(ranges) && ranges[lo].lo <= r
}

// nfcDecomposedBMP has a bit for every code point below U+10000 that
// nfcDecomposed lists.
var nfcDecomposedBMP = func() (set [0x10000 / 64]uint64) {
	for _, rr := range nfcDecomposed {
		for r := rr.lo; r <= rr.hi && r < 0x10000; r++ {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return set
}()

// hasDecomposition reports whether r has a canonical decomposition
// (Unicode, section 3.7; Hangul syllables by section 3.12): whether NFD
// changes it. It answers from nfcDecomposedBMP with one load below
// U+10000 and searches nfcDecomposed above.
func hasDecomposition(r rune) bool {
	if u := uint32(r); u < 0x10000 {
		return nfcDecomposedBMP[u/64]&(1<<(u%64)) != 0
	}
	return inRanges(nfcDecomposed[:], r)
}

// nfcComposeBits is the size of nfcComposeTable as a power of two: 2,048
// slots for the 1,088 pairs of nfcPairs, about half full, so that a
// lookup reads one slot, rarely two or three.
const nfcComposeBits = 11

// nfcComposeTable is nfcPairs as an open-addressing hash table keyed on
// the pair (a, b): a pair is in the first slot from nfcComposeHash(a, b)
// on (wrapping around) that holds it, and no empty slot (p == 0) comes
// before it. It is built once from the generated nfcPairs.
var nfcComposeTable = func() (t [1 << nfcComposeBits]nfcPair) {
	for _, pr := range nfcPairs {
		h := nfcComposeHash(pr.a, pr.b)
		for t[h].p != 0 {
			h = (h + 1) & (len(t) - 1)
		}
		t[h] = pr
	}
	return t
}()

// nfcComposeHash is the home slot of the pair (a, b) in
// nfcComposeTable: the top bits of a multiplicative (Fibonacci) hash of
// both code points.
func nfcComposeHash(a, b rune) int {
	return int((uint32(a)*0x9E3779B1 ^ uint32(b)*0x85EBCA77) * 0x9E3779B1 >> (32 - nfcComposeBits))
}

// nfcCompose returns the canonical composition of a followed by b from
// nfcPairs (a primary composite whose full decomposition is a b), or
// false when nfcPairs has none.
func nfcCompose(a, b rune) (rune, bool) {
	for h := nfcComposeHash(a, b); ; h = (h + 1) & (len(nfcComposeTable) - 1) {
		switch e := &nfcComposeTable[h]; {
		case e.p == 0:
			return 0, false
		case e.a == a && e.b == b:
			return e.p, true
		}
	}
}
