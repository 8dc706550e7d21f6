package echo

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	cases := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"short ascii unchanged", "hello", 10, "hello"},
		{"exact length unchanged", "abcde", 5, "abcde"},
		{"long ascii clipped with count", "abcdefghij", 5, "abcd…(+6)"},
		{"runes not bytes", "ééééé", 5, "ééééé"},
		{"clip on a rune boundary", "日本語テキスト", 3, "日本…(+5)"},
		{"controls become spaces", "a\nb\tc", 10, "a b c"},
		{"invalid utf8 replaced", "a\xffb", 10, "a\uFFFDb"},
		{"default bound", strings.Repeat("x", 100), 0, strings.Repeat("x", 79) + "…(+21)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Clip(c.in, c.max); got != c.want {
				t.Fatalf("Clip(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("a\"b"); got != `"a\"b"` {
		t.Fatalf("Quote = %s", got)
	}
}

func FuzzClip(f *testing.F) {
	f.Add("hello", 3)
	f.Add("\xff\xfe日本", 2)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max > 1000 || max < -10 {
			return
		}
		got := Clip(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		bound := max
		if bound <= 0 {
			bound = Max
		}
		// at most bound runes of s plus the "…(+N)" marker
		if n := utf8.RuneCountInString(got); n > bound+24 {
			t.Fatalf("Clip(%q, %d) has %d runes", s, max, n)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("control %U in %q", r, got)
			}
		}
	})
}
