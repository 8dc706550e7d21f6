package text

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// notNFCCorpus reads testdata/corpus.jsonl once and keeps the texts that
// are not in NFC, with their NFC forms.
var notNFCCorpus = sync.OnceValues(func() (texts, nfc []string) {
	all, err := readCorpus()
	if err != nil {
		return nil, nil
	}
	for _, s := range all {
		if !norm.NFC.IsNormalString(s) {
			texts = append(texts, s)
			nfc = append(nfc, norm.NFC.String(s))
		}
	}
	return texts, nfc
})

// BenchmarkParseTweetNotNFC measures ParseTweet under config v3 over the
// texts of the corpus that are not in NFC (source) and over their NFC
// forms (nfc-form), the cost the normalising path is measured against;
// both report ns per text.
func BenchmarkParseTweetNotNFC(b *testing.B) {
	texts, nfc := notNFCCorpus()
	if len(texts) == 0 {
		b.Fatal("no text of testdata/corpus.jsonl is outside NFC")
	}
	cfg := ConfigV3()
	for _, set := range []struct {
		name  string
		texts []string
	}{{"source", texts}, {"nfc-form", nfc}} {
		b.Run(set.name, func(b *testing.B) {
			size := 0
			for _, s := range set.texts {
				size += len(s)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range set.texts {
					if _, err := ParseTweet(s, cfg); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(set.texts)), "ns/text")
		})
	}
}

// TestHasDecomposition checks hasDecomposition against NFD on every code
// point.
func TestHasDecomposition(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		want := norm.NFD.String(string(r)) != string(r)
		if hasDecomposition(r) != want {
			t.Fatalf("hasDecomposition(%U) = %v, NFD says %v", r, !want, want)
		}
	}
}

// quickCheckFailures returns every code point that fails the NFC quick
// check (nfcQuickCheckNo).
func quickCheckFailures() []rune {
	var rs []rune
	for _, rr := range nfcQuickCheckNo {
		for r := rr.lo; r <= rr.hi; r++ {
			rs = append(rs, r)
		}
	}
	return rs
}

// TestNFCCompose checks the hash table against nfcPairs: every pair is
// found with its composite, and no other pair of a starter of nfcPairs
// and a code point that fails the quick check is.
func TestNFCCompose(t *testing.T) {
	want := map[[2]rune]rune{}
	starters := map[rune]bool{}
	for _, p := range nfcPairs {
		want[[2]rune{p.a, p.b}] = p.p
		starters[p.a] = true
	}
	for _, p := range nfcPairs {
		if got, ok := nfcCompose(p.a, p.b); !ok || got != p.p {
			t.Fatalf("nfcCompose(%U, %U) = %U, %v, want %U", p.a, p.b, got, ok, p.p)
		}
	}
	for a := range starters {
		for _, b := range quickCheckFailures() {
			p, ok := nfcCompose(a, b)
			if w, found := want[[2]rune{a, b}]; ok != found || p != w {
				t.Fatalf("nfcCompose(%U, %U) = %U, %v, want %U, %v", a, b, p, ok, w, found)
			}
		}
	}
}

// TestNFCPairForm checks nfcPairForm against norm's NFC for every
// starter of nfcPairs and of several scripts (precomposed letters and
// Hangul syllables among them) followed by every code point that fails
// the quick check, and that the common pairs of a letter and an accent
// are known without norm.
func TestNFCPairForm(t *testing.T) {
	starters := map[rune]bool{}
	for _, p := range nfcPairs {
		starters[p.a] = true
	}
	for _, bl := range [][2]rune{{'0', 'z'}, {0xC0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x1E00, 0x1EFF}, {0xAC00, 0xAC1F}, {0x3040, 0x30FF}, {0x4E00, 0x4E0F}} {
		for r := bl[0]; r <= bl[1]; r++ {
			if nfcQuickYesBMP(r) {
				starters[r] = true
			}
		}
	}
	for a := range starters {
		for _, b := range quickCheckFailures() {
			seg := string([]rune{a, b})
			p, form := nfcPairForm(a, b)
			var got string
			switch form {
			case pairComposes:
				got = string(p)
			case pairUnchanged:
				got = seg
			default:
				continue
			}
			if want := norm.NFC.String(seg); got != want {
				t.Fatalf("nfcPairForm(%U, %U) gives %+q, norm says %+q", a, b, got, want)
			}
		}
	}
	for _, seg := range []string{"e\u0301", "a\u0308", "n\u0303", "x\u0301", "\u1100\u1161", "\u304B\u3099"} {
		r := []rune(seg)
		if _, form := nfcPairForm(r[0], r[1]); form == pairOther {
			t.Errorf("nfcPairForm(%+q) needs norm", seg)
		}
	}
}

// TestNFCFrom checks nfcFrom and nfcMarks against norm's NFC on the
// texts of the corpus that are not in NFC and on texts of fragments: the
// NFC form, the change of UTF-16 length, and, when edits are complete,
// their map of offsets back to the source against nfcSource (checkEdits).
// nfcMarks is checked where it gives a text that passes the quick check,
// as its caller requires. Both are checked on invalid texts too.
func TestNFCFrom(t *testing.T) {
	texts, _ := notNFCCorpus()
	if len(texts) == 0 {
		t.Fatal("no text of testdata/corpus.jsonl is outside NFC")
	}
	frags := []string{"a", "e\u0301", "\u0301", "\u0323\u0302", "o\u0302\u0323", "Å", "\u212B", "\u0958", "x\u0301",
		"\u1100\u1161\u11A8", "가\u11A8", "日本", " ", "😀", "\U00011099\U000110BA", "\u05D0\u05B7", "\u0344", "é\u0301", "\u3000"}
	rng := rand.New(rand.NewPCG(15, 2))
	for range 3000 {
		var b strings.Builder
		for k := 1 + rng.IntN(12); k > 0; k-- {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		var edits nfcEdits
		n, ok := nfcFrom(s, 0, &edits)
		if want := norm.NFC.String(s); !ok || n != want {
			t.Fatalf("nfcFrom(%+q) = %+q, %v, want %+q", s, n, ok, want)
		}
		checkEdits(t, s, n, &edits)
		var marks nfcEdits
		switch m, st := nfcMarks(s, &marks); {
		case st == walkInvalidUTF8:
			t.Fatalf("nfcMarks(%+q) refuses a valid text", s)
		case st == walkDone && allQuickYes(m):
			if m != n {
				t.Fatalf("nfcMarks(%+q) = %+q, want %+q", s, m, n)
			}
			checkEdits(t, s, m, &marks)
		}
	}
	// An invalid text is refused, wherever the invalid sequence is; by
	// nfcMarks, or normalised to an invalid text for the walk to refuse.
	bad := []string{"\xff", "\xcc", "\xe3\x80", "\xed\xa0\x80", "\x80", "\xf0\x9f\x98", "\xc3"}
	for k := range 3000 {
		s := texts[k%len(texts)]
		at := rng.IntN(len(s) + 1)
		s = s[:at] + bad[rng.IntN(len(bad))] + s[at:]
		if n, ok := nfcFrom(s, 0, new(nfcEdits)); ok {
			t.Fatalf("nfcFrom(%+q) = %+q, accepting invalid UTF-8", s, n)
		}
		if n, st := nfcMarks(s, new(nfcEdits)); st == walkDone && utf8.ValidString(n) {
			t.Fatalf("nfcMarks(%+q) = %+q, valid UTF-8", s, n)
		}
	}
}

// allQuickYes reports whether every code point of the valid text s
// passes the NFC quick check.
func allQuickYes(s string) bool {
	for _, r := range s {
		if !nfcQuickYes(r) {
			return false
		}
	}
	return true
}

// checkEdits checks the edits of the normalisation of s to n: the change
// of UTF-16 length, and, when they are complete, their map of offsets
// back to the source against nfcSource (every offset of a short text,
// those around each edit of a long one).
func checkEdits(t *testing.T, s, n string, edits *nfcEdits) {
	t.Helper()
	if got, want := edits.d16, utf16LenValid(s)-utf16LenValid(n); got != want {
		t.Fatalf("%+q: d16 = %d, want %d", s, got, want)
	}
	if edits.incomplete {
		return
	}
	offsets := []int{0, len(n) - 1}
	if len(n) <= 64 {
		offsets = offsets[:0]
		for o := range len(n) {
			offsets = append(offsets, o)
		}
	}
	for _, ed := range edits.edits[:edits.n] {
		offsets = append(offsets, ed.dst-1, ed.dst, ed.dst+1, ed.dstEnd-1, ed.dstEnd, ed.dstEnd+1)
	}
	for _, o := range offsets {
		if o < 0 || o >= len(n) {
			continue
		}
		if got, want := edits.source(o), nfcSource(s, 0, o); got != want {
			t.Fatalf("%+q: offset %d maps to %d, nfcSource says %d", s, o, got, want)
		}
	}
}

// TestParseTweetInvalidNotNFC checks that ParseTweet refuses invalid
// UTF-8 in a text that is not in NFC wherever it is (before or after the
// first code point that fails the quick check, in URLs and emoji
// sequences), as the general path does.
func TestParseTweetInvalidNotNFC(t *testing.T) {
	frags := []string{"cafe\u0301 ", "e\u0301", "x\u0301", "https://e\u0301.com/a\u0301 ", "x.com/a ", "😀", "👍🏽", "1\u20E3",
		"Zürich ", "\u3000", "日本", "o\u0302\u0323", "\u1100\u1161"}
	bad := []string{"\xff", "\xcc", "\xe3\x80", "\xed\xa0\x80", "\x80", "\xf0\x9f\x98", "\xc3", "\xcc\x41"}
	rng := rand.New(rand.NewPCG(18, 15))
	cfg := ConfigV3()
	for range 5000 {
		var b strings.Builder
		for k := 1 + rng.IntN(10); k > 0; k-- {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		s := b.String()
		at := rng.IntN(len(s) + 1)
		s = s[:at] + bad[rng.IntN(len(bad))] + s[at:]
		_, err := ParseTweet(s, cfg)
		_, errGeneral := parseTweet(s, &cfg, false)
		if errGeneral == nil || err == nil || err.Error() != errGeneral.Error() {
			t.Fatalf("ParseTweet(%+q): error %v, the general path says %v", s, err, errGeneral)
		}
	}
}
