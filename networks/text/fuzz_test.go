package text_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks/text"
)

func fuzzSeeds(f *testing.F) {
	for _, s := range peerCorpus()[:40] {
		f.Add(s)
	}
	for _, s := range []string{"\xff", "a\xe6\x97", "\uFEFF", "#\xff", "@\xffx", "http://\xff.com", "https://t.co/" + strings.Repeat("a", 50),
		"x.com/(a(b)c)", "$A.BC", "RT:@x", "e\u0301" + family, "\U000E007F#x",
		"\U0001F9D1\u200D\U0001F4BB", "\U0001F441\uFE0F\u200D\U0001F5E8\uFE0F", "\uFE0F", "x.com/1\uFE0F\u20E3", "1\u20E3.com",
		"a.b.c.d.e.f.g.h.i.j.com", "see x.co\u0301m now", "\u2000 half https://t.co/x"} {
		f.Add(s)
	}
}

// FuzzWeightedLength checks every counting method: it never panics, never
// goes negative, rejects invalid UTF-8 with a typed error, and Overflow
// agrees with Count.
func FuzzWeightedLength(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range methods {
			n, err := text.Count(m, s)
			if text.Check(s) != nil {
				require.ErrorIs(t, err, socialflow.ErrInvalid)
				var ite *text.InvalidTextError
				require.ErrorAs(t, err, &ite)
				require.True(t, ite.Offset >= 0 && ite.Offset < len(s))
				continue
			}
			require.NoError(t, err)
			checkOverflow(t, m, s)
			if m == text.Weighted {
				res, err := text.ParseTweet(s, text.ConfigV3())
				require.NoError(t, err)
				require.Equal(t, n, res.WeightedLength)
				require.Equal(t, n > 0 && n <= 280, res.Valid)
			}
		}
		if !utf8.ValidString(s) {
			_, err := text.ParseTweet(s, text.ConfigV3())
			var ite *text.InvalidTextError
			require.ErrorAs(t, err, &ite)
		}
	})
}

// FuzzExtract checks that entities are in bounds, ordered, non-overlapping,
// that their text is what the offsets hold, that UTF-16 offsets match, and
// that the shortcuts of the URL scan change nothing (Extract equals the
// general path).
func FuzzExtract(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		ents := text.Extract(s)
		require.Equal(t, text.ExtractGeneral(s), ents, "%+q", s)
		prevEnd := 0
		for _, e := range ents {
			require.True(t, prevEnd <= e.Start && e.Start < e.End && e.End <= len(s), "%+v in %+q", e, s)
			prevEnd = e.End
			whole := s[e.Start:e.End]
			switch e.Kind {
			case text.URL:
				require.Equal(t, whole, e.Text)
			case text.Hashtag:
				require.True(t, strings.HasSuffix(whole, e.Text) && (strings.HasPrefix(whole, "#") || strings.HasPrefix(whole, "＃")), "%+v", e)
			case text.Cashtag:
				require.Equal(t, "$"+e.Text, whole)
			case text.Mention:
				name := strings.TrimPrefix(strings.TrimPrefix(whole, "@"), "＠")
				want := e.Text
				if e.ListSlug != "" {
					want += "/" + e.ListSlug
				}
				require.Equal(t, want, name)
			default:
				t.Fatalf("unknown kind %q", e.Kind)
			}
			require.Equal(t, len(utf16.Encode([]rune(s[:e.Start]))), e.UTF16Start)
			require.Equal(t, len(utf16.Encode([]rune(s[:e.End]))), e.UTF16End)
		}
	})
}

// fuzzConfigs are the configurations FuzzParseTweet weighs under: the
// three twitter-text publishes, current Unicode emoji, and one whose
// ASCII characters do not all weigh the same (no ASCII fast path).
var fuzzConfigs = func() []text.Config {
	unicode := text.ConfigV3()
	unicode.Emoji = text.UnicodeEmoji
	uneven := text.ConfigV3()
	uneven.Ranges = append([]text.Range{{Start: '0', End: '9', Weight: 50}}, uneven.Ranges...)
	return []text.Config{text.ConfigV3(), text.ConfigV2(), text.ConfigV1(), unicode, uneven}
}()

// FuzzParseTweet checks that ParseTweet never panics, that its fast paths
// (ASCII, the NFC quick check, the shortcuts of the URL scan) give what
// the general path gives on every input and configuration, and that
// Count(Weighted) and Overflow(Weighted) agree with it.
func FuzzParseTweet(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for i, cfg := range fuzzConfigs {
			fast, errFast := text.ParseTweet(s, cfg)
			general, errGeneral := text.ParseTweetGeneral(s, cfg)
			require.Equal(t, errGeneral, errFast, "config %d", i)
			require.Equal(t, general, fast, "config %d: %+q", i, s)
		}
		res, err := text.ParseTweet(s, text.ConfigV3())
		if err != nil || res.Invalid >= 0 {
			return
		}
		n, err := text.Count(text.Weighted, s)
		require.NoError(t, err)
		require.Equal(t, res.WeightedLength, n)
		at, err := text.Overflow(text.Weighted, s, 280)
		require.NoError(t, err)
		require.Equal(t, res.Overflow, at)
	})
}

// TestParseTweetFastEqualsGeneralNormalising compares the fast and the
// general path on long texts that are not in NFC, which the fuzzer
// rarely builds: the overflow and invalid offsets are mapped from the
// NFC form back to the text, by the fast path from the first segment
// that normalisation changes.
func TestParseTweetFastEqualsGeneralNormalising(t *testing.T) {
	frags := []string{"a", "e\u0301", "cafe\u0301 ", "\u0301", "\u0323\u0302", "o\u0302\u0323", "Å", "\u212B", "\u0958",
		"\u1100\u1161\u11A8", "가\u11A8", "日本", " ", "x.com ", "https://e\u0301.com/a ", "😀", "👍🏽", "\uFFFE", "1\u20E3",
		"\u05D0\u05B7", "ﬁ", "\u0344", strings.Repeat("\u0301", 31),
		// Words split by spaces, where the walk folds marks in place.
		" ", "\u00a0", "\u3000", "\u2003", "na\u0131\u0308ve", "nai\u0308ve", "e\u0303", "=\u0338", "x.come\u0301", "#\u0301", "S\u0303a"}
	rng := rand.New(rand.NewPCG(18, 2026))
	for n := range 2000 {
		var b strings.Builder
		for k := 100 + rng.IntN(200); k > 0; k-- {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		s := b.String()
		for i, cfg := range fuzzConfigs {
			fast, errFast := text.ParseTweet(s, cfg)
			general, errGeneral := text.ParseTweetGeneral(s, cfg)
			require.Equal(t, errGeneral, errFast, "text %d, config %d", n, i)
			require.Equal(t, general, fast, "text %d, config %d: %+q", n, i, s)
		}
	}
}

// TestFastPathsEqualGeneral compares Extract and ParseTweet with their
// general paths over the generated texts of the peer tests (fragments of
// URLs, mentions and hashtags; mixed scripts and emoji) and the
// benchmark corpus, without the fuzzer: the shortcuts of the URL scan
// (an ASCII chain of labels, the TLD already matched) and of the walk must
// change nothing.
func TestFastPathsEqualGeneral(t *testing.T) {
	texts := slices.Concat(peerCorpus(), fragmentCorpus(), corpus(t))
	// Three-byte sequences at the edges of Table 3-7 (overlong, a
	// surrogate, the first and last valid ones of leads E0 and ED).
	for _, seq := range []string{"\xe0\x80\x80", "\xe0\x9f\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf"} {
		texts = append(texts, "한국"+seq+"어", "ab "+seq, seq+"日本 x.com")
	}
	// Texts cut inside a code point of two, three or four bytes, at the
	// end and before a URL.
	for _, cut := range []string{"é", "日", "😀", "\u0301"} {
		for k := 1; k < len(cut); k++ {
			texts = append(texts, "ab"+cut[:k], cut[:k], "x "+cut[:k]+"example.com", "日本"+cut[:k]+" https://t.co/x")
		}
	}
	// Protocols in any case and near misses, before a chain of labels:
	// bytes that a careless case fold would take for letters ('\x08' |
	// 0x20 is '(', '(' | 0x20 is '('), a protocol at the very start, one
	// cut short.
	for _, p := range []string{"HTTPS://", "HtTp://", "hTTps://", "https:/", "htt://", "xhttps://", "(ttps://", "\x08ttp://", "http:://", "HTTPs//"} {
		texts = append(texts, p+"example.com/a", "a "+p+"日本.jp", p+"t.co/x", "."+p+"x.org")
	}
	for i, s := range texts {
		require.Equal(t, text.ExtractGeneral(s), text.Extract(s), "text %d: %+q", i, s)
		for k, cfg := range fuzzConfigs {
			fast, errFast := text.ParseTweet(s, cfg)
			general, errGeneral := text.ParseTweetGeneral(s, cfg)
			require.Equal(t, errGeneral, errFast, "text %d, config %d", i, k)
			require.Equal(t, general, fast, "text %d, config %d: %+q", i, k, s)
		}
	}
}
