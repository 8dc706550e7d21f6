package text

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// TestPunycodeEncodedLen checks that punycodeEncodedLen gives the length
// of golang.org/x/net/idna's Punycode encoding of a non-ASCII label (and
// that both refuse the same labels) on fixed labels and on random ones
// drawn from ASCII, Latin, CJK, Hangul, emoji and the top of Unicode.
func TestPunycodeEncodedLen(t *testing.T) {
	labels := []string{"日本", "☃", "münchen", "a-b日c", "例え", "ü", "😀😀😀", "\U0010FFFF", strings.Repeat("日", 63),
		strings.Repeat("a日", 40), "bücher-ü", "\u0080", "\uFFFD"}
	rng := rand.New(rand.NewPCG(3492, 6))
	blocks := [][2]rune{{'a', 'z'}, {'0', '9'}, {'-', '-'}, {0xC0, 0x24F}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0x1F300, 0x1F64F}, {0x10F000, 0x10FFFF}}
	for range 3000 {
		var b strings.Builder
		for n := 1 + rng.IntN(30); n > 0; n-- {
			bl := blocks[rng.IntN(len(blocks))]
			b.WriteRune(bl[0] + rng.Int32N(bl[1]-bl[0]+1))
		}
		labels = append(labels, b.String())
	}
	for _, l := range labels {
		if !needsPunycode(l) || strings.HasPrefix(l, "xn--") {
			continue
		}
		want, err := idna.Punycode.ToASCII(l)
		got, ok := punycodeEncodedLen(l)
		if ok != (err == nil) || ok && got != len(want) {
			t.Fatalf("punycodeEncodedLen(%+q) = %d, %v; idna: %q (%d), %v", l, got, ok, want, len(want), err)
		}
	}
}

// TestPunycodeBoundsFitIsSound checks that the bound of punycodeBoundsFit
// never accepts a domain the exact lengths refuse: on random domains of
// one to four labels from the blocks above (with the worst case for the
// bound, code points from the top of Unicode, far apart), at URL lengths
// near the limit, and on labels of five and six code points (bounds 60
// and 71, on either side of 63).
func TestPunycodeBoundsFitIsSound(t *testing.T) {
	check := func(domain string, urlLen int) {
		t.Helper()
		if punycodeBoundsFit(domain, urlLen) {
			url := strings.Repeat("a", max(urlLen-len("https://")-len(domain), 0)) + domain
			if !punycodeLengthsFit(url, "https://", domain) {
				t.Fatalf("punycodeBoundsFit(%+q, %d) = true, the exact lengths refuse it", domain, urlLen)
			}
		}
	}
	fits := func(domain string) bool { return punycodeBoundsFit(domain, 0) }
	if !fits("日本日本日.jp") || fits("日本日本日本.jp") || fits("") || fits("日..jp") {
		t.Fatal("the bound's edges moved: 5 code points fit, 6 go to the exact lengths, empty labels never fit")
	}
	rng := rand.New(rand.NewPCG(3492, 63))
	blocks := [][2]rune{{'a', 'z'}, {'0', '9'}, {0xC0, 0x24F}, {0x4E00, 0x9FFF}, {0x1F300, 0x1F64F}, {0x10F000, 0x10FFFF}, {0x80, 0x80}}
	for range 5000 {
		var b strings.Builder
		for l := 1 + rng.IntN(4); l > 0; l-- {
			for n := 1 + rng.IntN(8); n > 0; n-- {
				bl := blocks[rng.IntN(len(blocks))]
				b.WriteRune(bl[0] + rng.Int32N(bl[1]-bl[0]+1))
			}
			b.WriteString(".")
		}
		b.WriteString("jp")
		domain := b.String()
		for _, urlLen := range []int{len(domain) + 8, maxURLLength - 300, maxURLLength - 60, maxURLLength - len(domain)} {
			check(domain, urlLen)
		}
	}
}
