package text

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// notNFCCorpus reads testdata/corpus.jsonl once and keeps the texts that
// are not in NFC, with their NFC forms.
var notNFCCorpus = sync.OnceValues(func() (texts, nfc []string) {
	f, err := os.Open(filepath.Join("testdata", "corpus.jsonl"))
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var s string
		if json.Unmarshal(sc.Bytes(), &s) != nil {
			return nil, nil
		}
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

// TestNFCFrom checks nfcFrom against norm's NFC on the texts of the
// corpus that are not in NFC and on texts of fragments that are: the
// NFC form, the change of UTF-16 length, and, when edits are complete,
// their map of every offset back to the source against nfcSource.
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
		if got, want := edits.d16, utf16LenValid(s)-utf16LenValid(n); got != want {
			t.Fatalf("nfcFrom(%+q): d16 = %d, want %d", s, got, want)
		}
		if edits.incomplete {
			continue
		}
		offsets := []int{0, len(n) - 1} // every offset of a short text, those around each edit of a long one
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
				t.Fatalf("nfcFrom(%+q): offset %d maps to %d, nfcSource says %d", s, o, got, want)
			}
		}
	}
	for _, s := range []string{"e\u0301\xff", "e\xcc", "a\xcc\x41", "a\u0301\xcd", "caf\u00e9 \xed\xa0\x80", "x\u0301\xe3\x80"} {
		if _, ok := nfcFrom(s, 0, new(nfcEdits)); ok {
			t.Errorf("nfcFrom(%+q) accepts invalid UTF-8", s)
		}
	}
}
