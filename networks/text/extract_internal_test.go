package text

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// loadCorpusInternal returns the benchmark corpus (readCorpus).
func loadCorpusInternal(tb testing.TB) []string {
	tb.Helper()
	texts, err := readCorpus()
	if err != nil {
		tb.Fatal(err)
	}
	return texts
}

// extractSeeds are texts for the fuzz targets below: the start of the
// corpus and cases at the edges of the signs and of UTF-8.
func extractSeeds(f *testing.F) {
	for _, s := range loadCorpusInternal(f)[:40] {
		f.Add(s)
	}
	for _, s := range []string{"", "\xff", "a\xe6\x97", "\xe6\x97@x", "#\xff", "@\xffx", "\xed\xa0\x80#x", "\xf0\x9f\x98#a",
		"RT:@x", "rt @x", "Rt:@x @y", "a@b", "@@x", "＠x", "＃x", "x＃y #z", "，＠a／", "\uFF03\uFF20", "$A.BC", " $ab_c $x", "$\xff",
		"#a#b", "#a://", "@a/b-c", "@a/1", "@jack/team@x", "#\uFE0Fx", "\uFE0F#x", "&#x", "x.com/#tag @a", "@a.com",
		"https://t.co/x#y @z $AB", "\U0001F600#\U0001F600x", "\u00e9@x", "@x\u00e9", "$\u00e9"} {
		f.Add(s)
	}
}

// FuzzExtractReference checks Extract, its general path and the search
// of each kind against the reference implementation below (the searches
// before the one pass over the signs, a stable sort, utf16LenChecked).
func FuzzExtractReference(f *testing.F) {
	extractSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkAgainstReference(t, s)
	})
}

// checkAgainstReference fails t when extract or a per-kind search differs
// from the reference on s.
func checkAgainstReference(t *testing.T, s string) {
	t.Helper()
	for _, fast := range []bool{true, false} {
		if got, want := extract(s, fast), refExtract(s, fast); !reflect.DeepEqual(got, want) {
			t.Fatalf("extract(%+q, %v):\n got %+v\nwant %+v", s, fast, got, want)
		}
	}
	for _, lists := range []bool{true, false} {
		if got, want := appendMentions(nil, s, lists), refAppendMentions(nil, s, lists); !reflect.DeepEqual(got, want) {
			t.Fatalf("appendMentions(%+q, %v):\n got %+v\nwant %+v", s, lists, got, want)
		}
	}
	if got, want := appendHashtags(nil, s), refAppendHashtags(nil, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("appendHashtags(%+q):\n got %+v\nwant %+v", s, got, want)
	}
	if got, want := appendCashtags(nil, s), refAppendCashtags(nil, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("appendCashtags(%+q):\n got %+v\nwant %+v", s, got, want)
	}
}

// TestExtractEqualsReference runs the comparison of FuzzExtractReference
// over the whole benchmark corpus and random mixes of signs, scripts and
// broken UTF-8.
func TestExtractEqualsReference(t *testing.T) {
	for _, s := range loadCorpusInternal(t) {
		checkAgainstReference(t, s)
	}
	frags := []string{"@", "#", "$", "＠", "＃", "，", "a", "Z", "_", "1", " ", "rt", "RT:", "/", "-", ".", ":", "//", "&",
		"é", "日本", "\U0001F600", "\uFE0F", "\u20E3", "\xff", "\xe6", "\x97", "\xed\xa0", "\xf0\x9f", "x.com", "https://t.co/a "}
	rng := rand.New(rand.NewPCG(18, 3))
	for range 20000 {
		var b strings.Builder
		for k := 1 + rng.IntN(30); k > 0; k-- {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		checkAgainstReference(t, b.String())
	}
}

// FuzzUTF16Len checks the automaton's count against utf16LenChecked and
// UTF-16 encoding on every input, and on well-formed UTF-8 the word-wise
// utf16LenValid against it.
func FuzzUTF16Len(f *testing.F) {
	extractSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkUTF16Len(t, s)
	})
}

// checkUTF16Len fails t when utf16LenFast(s) differs from utf16LenChecked(s)
// or from the length of the UTF-16 encoding of s ([]rune turns each byte
// that is not UTF-8 into U+FFFD, one unit, as utf16LenChecked counts it).
func checkUTF16Len(t *testing.T, s string) {
	t.Helper()
	got := utf16LenFast(s)
	if want := utf16LenChecked(s); got != want {
		t.Fatalf("utf16LenFast(%+q) = %d, utf16LenChecked %d", s, got, want)
	}
	if want := len(utf16.Encode([]rune(s))); got != want {
		t.Fatalf("utf16LenFast(%+q) = %d, UTF-16 encoding %d", s, got, want)
	}
	if utf8.ValidString(s) {
		if v := utf16LenValid(s); v != got {
			t.Fatalf("utf16LenValid(%+q) = %d, want %d", s, v, got)
		}
	}
}

// TestUTF16LenEdges counts every string of up to four bytes drawn from the
// bytes at the edges of Table 3-7 (and ASCII around them), where a
// well-formed and a broken sequence part, every code point alone, and
// all of them in one text at each offset within an eight-byte word.
func TestUTF16LenEdges(t *testing.T) {
	edges := []byte{0x00, 'a', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
		0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF}
	var rec func(b []byte)
	rec = func(b []byte) {
		checkUTF16Len(t, string(b))
		checkUTF16Len(t, "ab"+string(b)+"c")
		if len(b) == 4 {
			return
		}
		for _, c := range edges {
			rec(append(b, c))
		}
	}
	rec(nil)
	var all strings.Builder
	for r := rune(0); r <= utf8.MaxRune; r++ {
		checkUTF16Len(t, string(r))
		all.WriteRune(r)
	}
	for k := range 8 { // every code point at every offset in a word
		checkUTF16Len(t, strings.Repeat("a", k)+all.String())
	}
}

// TestFillUTF16 checks the offsets of fillUTF16 against UTF-16 encoding
// of each prefix, on entities at every code point boundary of the corpus
// texts, and again out of order (fillUTF16 starts again from the start).
func TestFillUTF16(t *testing.T) {
	for _, s := range loadCorpusInternal(t)[:300] {
		var ents []Entity
		for i := range s {
			if i > 0 {
				ents = append(ents, Entity{Start: i - 1, End: i})
			}
		}
		for i := range ents {
			ents[i].Start = 0
			for j := ents[i].End - 1; j >= 0; j-- {
				if utf8.RuneStart(s[j]) {
					ents[i].Start = j
					break
				}
			}
		}
		slices.Reverse(ents[len(ents)/2:])
		fillUTF16(s, ents)
		for _, e := range ents {
			if want := len(utf16.Encode([]rune(s[:e.Start]))); e.UTF16Start != want {
				t.Fatalf("%+q: start %d: %d, want %d", s, e.Start, e.UTF16Start, want)
			}
			if want := len(utf16.Encode([]rune(s[:e.End]))); e.UTF16End != want {
				t.Fatalf("%+q: end %d: %d, want %d", s, e.End, e.UTF16End, want)
			}
		}
	}
}

// BenchmarkUTF16Len compares the UTF-16 counts on the corpus texts:
// utf16LenChecked and utf16LenFast for any text, utf16LenValid for
// well-formed text (all the corpus is).
func BenchmarkUTF16Len(b *testing.B) {
	texts := loadCorpusInternal(b)
	for _, f := range []struct {
		name string
		fn   func(string) int
	}{{"checked", utf16LenChecked}, {"fast", utf16LenFast}, {"valid", utf16LenValid}} {
		b.Run(f.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				for _, s := range texts {
					n += f.fn(s)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/text")
		})
	}
}

// The reference extraction: Extract as it was before the one pass over
// the signs, the merge and the UTF-16 automaton (a search per kind, a
// stable sort, utf16LenChecked per offset), kept to check the new path
// against.

// refExtract is extract as it was: a search per kind, a stable sort, a
// pass that drops overlaps, offsets by refFillUTF16.
func refExtract(s string, fast bool) []Entity {
	var buf [16]Entity
	ents := appendURLEntities(buf[:0], s, true, fast)
	ents = refAppendMentions(ents, s, true)
	ents = refAppendHashtags(ents, s)
	ents = refAppendCashtags(ents, s)
	if len(ents) == 0 {
		return nil
	}
	slices.SortStableFunc(ents, func(a, b Entity) int { return a.Start - b.Start })
	kept := ents[:1]
	for _, e := range ents[1:] {
		if kept[len(kept)-1].End <= e.Start {
			kept = append(kept, e)
		}
	}
	out := slices.Clone(kept)
	refFillUTF16(s, out)
	return out
}

// refFillUTF16 is fillUTF16 as it was, counting with utf16LenChecked.
func refFillUTF16(s string, ents []Entity) {
	pos, n := 0, 0 // n is the UTF-16 length of s[:pos]
	at := func(o int) int {
		if o < pos {
			pos, n = 0, 0
		}
		n += utf16LenChecked(s[pos:o])
		pos = o
		return n
	}
	for i := range ents {
		ents[i].UTF16Start = at(ents[i].Start)
		ents[i].UTF16End = at(ents[i].End)
	}
}

// refAppendHashtags is appendHashtags as it was.
func refAppendHashtags(ents []Entity, s string) []Entity {
	full := strings.Contains(s, "＃")
	if !full && strings.IndexByte(s, '#') < 0 {
		return ents
	}
	for st := 0; st < len(s); {
		start, textStart, end, ok := refSearchHashtag(s, st, full)
		if !ok {
			break
		}
		st = end
		if _, ok := hashSign(s, end); ok || strings.HasPrefix(s[end:], "://") {
			continue
		}
		ents = append(ents, Entity{Kind: Hashtag, Text: s[textStart:end], Start: start, End: end})
	}
	return ents
}

// refSearchHashtag is searchHashtag as it was.
func refSearchHashtag(s string, from int, full bool) (start, textStart, end int, ok bool) {
	// The match is a boundary (the start, or one code point that is not
	// alphanumeric nor '&', or U+FE0E/U+FE0F), a hash sign and the text:
	// look at each hash sign and the code point before it, which the match
	// consumes, so it must not be before from.
	for h := from; h < len(s); {
		k := indexSign(s[h:], '#', "＃", full)
		if k < 0 {
			break
		}
		h += k
		r, sz := utf8.DecodeLastRuneInString(s[:h])
		if h == 0 || h-sz >= from && (r == 0xFE0E || r == 0xFE0F || !isHashtagAlnum(r) && r != '&') {
			if ts, e, ok := hashtagAt(s, h); ok {
				return h, ts, e, true
			}
		}
		h++
	}
	return 0, 0, 0, false
}

// refAppendMentions is appendMentions as it was.
func refAppendMentions(ents []Entity, s string, lists bool) []Entity {
	full := strings.Contains(s, "＠")
	if !full && strings.IndexByte(s, '@') < 0 {
		return ents
	}
	for st := 0; st < len(s); {
		start, name, end, ok := refSearchMention(s, st, full)
		if !ok {
			break
		}
		st = end
		if endsMention(s[end:]) {
			continue
		}
		e := Entity{Kind: Mention, Text: s[name:end], Start: start, End: end}
		if slash := strings.IndexByte(e.Text, '/'); slash >= 0 {
			if !lists {
				continue
			}
			e.Text, e.ListSlug = e.Text[:slash], e.Text[slash+1:]
		}
		ents = append(ents, e)
	}
	return ents
}

// refSearchMention is searchMention as it was.
func refSearchMention(s string, from int, full bool) (start, name, end int, ok bool) {
	try := func(at int) bool {
		n, ok := atSign(s, at)
		if !ok {
			return false
		}
		e := screenNameEnd(s, n)
		if e == n {
			return false
		}
		if e+1 < len(s) && s[e] == '/' && isASCIILetter(rune(s[e+1])) {
			l := e + 2
			for l < len(s) && l-(e+2) < 24 && (isScreenNameChar(s[l]) || s[l] == '-') {
				l++
			}
			e = l
		}
		start, name, end = at, n, e
		return true
	}
	// The preceding part the match consumes must not start before from:
	// the start of the text, one code point outside [a-zA-Z0-9_!#$%&*@＠],
	// or "rt" or "rt:" after the start or a code point outside
	// [a-zA-Z0-9_+~.-].
	precedes := func(at int) bool {
		if at == 0 {
			return true
		}
		r, sz := utf8.DecodeLastRuneInString(s[:at])
		if at-sz >= from && !(isASCIIAlnum(r) || strings.ContainsRune("_!#$%&*@＠", r)) {
			return true
		}
		rt := at
		if s[rt-1] == ':' {
			rt--
		}
		for _, p := range [...]int{at, rt} {
			if p < 2 || !strings.EqualFold(s[p-2:p], "rt") {
				continue
			}
			q := p - 2
			if q == 0 && from == 0 {
				return true
			}
			r, sz := utf8.DecodeLastRuneInString(s[:q])
			if q > 0 && q-sz >= from && !(isASCIIAlnum(r) || strings.ContainsRune("_+~.-", r)) {
				return true
			}
		}
		return false
	}
	for a := from; a < len(s); {
		k := indexSign(s[a:], '@', "＠", full)
		if k < 0 {
			break
		}
		a += k
		if precedes(a) && try(a) {
			return start, name, end, true
		}
		a++
	}
	return 0, 0, 0, false
}

// refAppendCashtags is appendCashtags as it was.
func refAppendCashtags(ents []Entity, s string) []Entity {
	if strings.IndexByte(s, '$') < 0 {
		return ents
	}
	for st := 0; st < len(s); {
		start, end, ok := refSearchCashtag(s, st)
		if !ok {
			break
		}
		st = end
		ents = append(ents, Entity{Kind: Cashtag, Text: s[start+1 : end], Start: start, End: end})
	}
	return ents
}

// refSearchCashtag is searchCashtag as it was.
func refSearchCashtag(s string, from int) (start, end int, ok bool) {
	for d := from; d < len(s); {
		k := strings.IndexByte(s[d:], '$')
		if k < 0 {
			break
		}
		d += k
		r, sz := utf8.DecodeLastRuneInString(s[:d])
		if d == 0 || d-sz >= from && isSpace(r) {
			if e, ok := cashtagAt(s, d); ok {
				return d, e, true
			}
		}
		d++
	}
	return 0, 0, false
}

// TestCommonLettersAreLetters checks the shortcuts of isHashtagAlnum and
// isHashtagAlpha against package unicode on every code point.
func TestCommonLettersAreLetters(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		letterOrMark := unicode.IsLetter(r) || unicode.IsMark(r)
		if isCommonLetterOrMark(r) && !letterOrMark {
			t.Fatalf("%U is in a common range but not a letter or mark", r)
		}
		if got, want := isHashtagAlpha(r), letterOrMark; got != want {
			t.Fatalf("isHashtagAlpha(%U) = %v, want %v", r, got, want)
		}
		want := letterOrMark || unicode.Is(unicode.Nd, r) || strings.ContainsRune(hashtagSpecial, r)
		if got := isHashtagAlnum(r); got != want {
			t.Fatalf("isHashtagAlnum(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestTLDsStartWithALetter checks what matchTLD's first test relies on:
// every name of the list starts with a lower-case ASCII letter or a byte
// past ASCII, and a byte of ASCII that tldByte maps below 'a' is none of
// them, so no TLD starts at a digit, '-' or other ASCII.
func TestTLDsStartWithALetter(t *testing.T) {
	for _, name := range tldNames {
		if c := name[0]; !('a' <= c && c <= 'z' || c >= utf8.RuneSelf) {
			t.Errorf("TLD %q starts with %q", name, c)
		}
	}
	for c := range byte(utf8.RuneSelf) {
		if tldByte[c] < 'a' {
			if _, ok := matchTLD(string(c)+"com", 0); ok {
				t.Errorf("matchTLD matches at %q", c)
			}
		} else if !isASCIILetter(rune(c)) {
			t.Errorf("tldByte[%q] = %q: not a letter", c, tldByte[c])
		}
	}
}

// TestMatchTLDShortNames checks matchTLD's answer for two and three ASCII
// characters against matchTLDList's: every pair and triple of letters in
// either case, digits and '-', followed by each kind of byte that may end
// the run (ASCII boundaries, '@' and '+', which are not, a letter that
// lengthens it, a byte past ASCII) and by the end of the text.
func TestMatchTLDShortNames(t *testing.T) {
	chars := "abcdefghijklmnopqrstuvwxyzAJKZ09-"
	after := []string{"/", " ", ".", ":", "@", "+", "_", "a", "\u3000", "\u00a0", "é", ""}
	check := func(name string) {
		for _, a := range after {
			for _, tail := range []string{"", "x/y"} {
				s := "." + name + a + tail
				got, gotOK := matchTLD(s, 1)
				want, wantOK := matchTLDList(s, 1)
				if !wantOK && hasPrefixFold(s[1:], "xn--") {
					continue // punycode: matchTLD's own alternative
				}
				if got != want || gotOK != wantOK {
					t.Fatalf("matchTLD(%q) = %d, %v; matchTLDList says %d, %v", s, got, gotOK, want, wantOK)
				}
			}
		}
	}
	for i := range len(chars) {
		for j := range len(chars) {
			check(chars[i : i+1])
			check(chars[i:i+1] + chars[j:j+1])
			for k := range len(chars) {
				check(chars[i:i+1] + chars[j:j+1] + chars[k:k+1])
			}
		}
	}
}
