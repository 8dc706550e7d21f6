package text_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks/text"
)

const family = "👨‍👩‍👧‍👦" // 7 code points, 25 bytes, one grapheme cluster

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		name   string
		method text.Method
		in     string
		want   int
	}{
		{"weighted ascii", text.Weighted, "hello", 5},
		{"weighted empty", text.Weighted, "", 0},
		{"weighted CJK counts 2", text.Weighted, "日本語", 6},
		{"weighted ZWJ family counts 2", text.Weighted, family, 2},
		{"weighted skin tone counts 2", text.Weighted, "👍🏽", 2},
		{"weighted flag counts 2", text.Weighted, "🇯🇵", 2},
		{"weighted keycap counts 2", text.Weighted, "1️⃣", 2},
		{"weighted text copyright counts 1", text.Weighted, "©", 1},
		{"weighted URL counts 23", text.Weighted, "https://example.com/a/very/long/path/indeed", 23},
		{"weighted URL without protocol counts 23", text.Weighted, "go to example.com", 6 + 23},
		{"weighted NFD is normalised", text.Weighted, "cafe\u0301", 4},
		{"weighted general punctuation counts 1", text.Weighted, "\u2014\u2019", 2},
		{"graphemes family", text.Graphemes, family, 1},
		{"graphemes combining", text.Graphemes, "e\u0301e", 2},
		{"graphemes ascii", text.Graphemes, "hello", 5},
		{"codepoints family", text.CodePoints, family, 7},
		{"codepoints combining", text.CodePoints, "e\u0301", 2},
		{"bytes", text.Bytes, "é" + family, 2 + 25},
		{"mastodon remote mention counts as local", text.Mastodon, "hi @alice@example.social", len("hi @alice")},
		{"mastodon local mention", text.Mastodon, "hi @alice", len("hi @alice")},
		{"mastodon URL counts 23", text.Mastodon, "see https://example.com/a/very/long/url", 4 + 23},
		{"mastodon URL without protocol is text", text.Mastodon, "example.com", 11},
		{"mastodon graphemes", text.Mastodon, family + "e\u0301", 2},
		{"mastodon email is not a mention", text.Mastodon, "bob@example.com", 15},
		{"threads emoji counts bytes", text.Threads, "hi 😀", 3 + 4},
		{"threads ZWJ family counts bytes", text.Threads, family, 25},
		{"threads emoji with VS16", text.Threads, "❤️", 6},
		{"threads text-style symbol counts 1", text.Threads, "©", 1},
		{"threads CJK counts code points", text.Threads, "日本語", 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := text.Count(tt.method, tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCountRejects(t *testing.T) {
	for _, tt := range []struct {
		name       string
		method     text.Method
		in         string
		wantOffset int
	}{
		{"invalid UTF-8", text.Weighted, "ab\xffc", 2},
		{"truncated sequence", text.Graphemes, "é\xe6\x97", 2},
		{"U+FFFE", text.CodePoints, "x\uFFFE", 1},
		{"U+FEFF", text.Threads, "\uFEFFx", 0},
		{"U+FFFF", text.Mastodon, "ok \uFFFF", 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := text.Count(tt.method, tt.in)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var ite *text.InvalidTextError
			require.ErrorAs(t, err, &ite)
			assert.Equal(t, tt.wantOffset, ite.Offset)
			assert.NotEmpty(t, ite.Reason)

			_, err = text.Overflow(tt.method, tt.in, 10)
			require.ErrorAs(t, err, &ite)
		})
	}
	t.Run("unknown method", func(t *testing.T) {
		_, err := text.Count("tweetdeck", "x")
		require.ErrorIs(t, err, socialflow.ErrInvalid)
		var ae *text.ArgumentError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "method", ae.Field)
	})
	t.Run("negative limit", func(t *testing.T) {
		_, err := text.Overflow(text.CodePoints, "x", -1)
		var ae *text.ArgumentError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "limit", ae.Field)
	})
}

func TestOverflow(t *testing.T) {
	for _, tt := range []struct {
		name   string
		method text.Method
		in     string
		limit  int
		want   int
	}{
		{"fits", text.Weighted, strings.Repeat("a", 280), 280, -1},
		{"one over", text.Weighted, strings.Repeat("a", 281), 280, 280},
		{"CJK third character", text.Weighted, "日本語", 4, len("日本")},
		{"URL is one unit", text.Weighted, "read https://example.com/x", 10, len("read ")},
		{"emoji sequence is one unit", text.Weighted, "ab" + family + "c", 3, 2},
		{"offset in the source text after NFC", text.Weighted, "e\u0301e\u0301e\u0301", 2, len("e\u0301e\u0301")},
		{"offset after two normalised runs", text.Weighted, "e\u0301x e\u0301", 3, len("e\u0301x ")},
		{"graphemes", text.Graphemes, family + family, 1, len(family)},
		{"code points", text.CodePoints, family, 1, len("👨")},
		{"threads emoji bytes", text.Threads, "ab😀", 5, 2},
		{"mastodon URL", text.Mastodon, "a https://example.com", 20, 2},
		{"bytes", text.Bytes, "aé", 2, 1},
		{"zero limit, empty text", text.Graphemes, "", 0, -1},
		{"zero limit", text.Graphemes, "x", 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := text.Overflow(tt.method, tt.in, tt.limit)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

var methods = []text.Method{text.Weighted, text.WeightedUnicode, text.Graphemes, text.Mastodon, text.Threads, text.CodePoints, text.Bytes}

// TestOverflowAgreesWithCount checks, for every method over the peer corpus,
// that a text fits its own length and overflows one less at a character
// boundary; for the methods without entities, the prefix before the
// overflow fits.
func TestOverflowAgreesWithCount(t *testing.T) {
	for _, s := range peerCorpus() {
		if text.Check(s) != nil {
			continue
		}
		for _, m := range methods {
			checkOverflow(t, m, s)
		}
	}
}

func checkOverflow(t *testing.T, m text.Method, s string) {
	t.Helper()
	n, err := text.Count(m, s)
	require.NoError(t, err)
	require.GreaterOrEqual(t, n, 0)
	at, err := text.Overflow(m, s, n)
	require.NoError(t, err)
	require.Equal(t, -1, at, "%s: %+q fits its own length %d", m, s, n)
	if n == 0 {
		return
	}
	at, err = text.Overflow(m, s, n-1)
	require.NoError(t, err)
	require.True(t, at >= 0 && at < len(s), "%s: %+q overflow at %d", m, s, at)
	require.True(t, utf8.RuneStart(s[at]), "%s: %+q overflow %d inside a character", m, s, at)
	if m == text.Graphemes || m == text.CodePoints || m == text.Bytes || m == text.Threads {
		p, err := text.Count(m, s[:at])
		require.NoError(t, err)
		require.LessOrEqual(t, p, n-1, "%s: prefix %+q", m, s[:at])
	}
}

func TestParseTweet(t *testing.T) {
	res, err := text.ParseTweet("Hi http://test.co", text.ConfigV3())
	require.NoError(t, err)
	assert.Equal(t, text.Result{WeightedLength: 26, Valid: true, Permillage: 92, DisplayRangeEnd: 16,
		ValidRangeEnd: 16, Overflow: -1, Invalid: -1}, res)

	res, err = text.ParseTweet("ok\uFFFEok", text.ConfigV3())
	require.NoError(t, err, "forbidden characters make the result invalid, not an error")
	assert.False(t, res.Valid)
	assert.Equal(t, 2, res.Invalid)

	_, err = text.ParseTweet("\xff", text.ConfigV3())
	var ite *text.InvalidTextError
	require.ErrorAs(t, err, &ite)

	_, err = text.ParseTweet("x", text.Config{})
	var ae *text.ArgumentError
	require.ErrorAs(t, err, &ae)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestParseConfig(t *testing.T) {
	for _, tt := range []struct {
		name, json, field string
	}{
		{"not JSON", `{`, "config"},
		{"zero scale", `{"version":2,"maxWeightedTweetLength":280,"scale":0,"defaultWeight":200}`, "config.scale"},
		{"negative default", `{"version":2,"maxWeightedTweetLength":280,"scale":1,"defaultWeight":-1}`, "config.defaultWeight"},
		{"zero maximum", `{"version":2,"maxWeightedTweetLength":0,"scale":1,"defaultWeight":1}`, "config.maxWeightedTweetLength"},
		{"reversed range", `{"version":2,"maxWeightedTweetLength":1,"scale":1,"defaultWeight":1,"ranges":[{"start":5,"end":1,"weight":1}]}`, "config.ranges[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := text.ParseConfig([]byte(tt.json))
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var ae *text.ArgumentError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.field, ae.Field)
		})
	}
	cfg, err := text.ParseConfig([]byte(`{"version":1,"maxWeightedTweetLength":140,"scale":1,"defaultWeight":1,"transformedURLLength":23,"ranges":[]}`))
	require.NoError(t, err)
	n, err := text.ParseTweet("日本 http://x.com", cfg)
	require.NoError(t, err)
	assert.Equal(t, 3+23, n.WeightedLength)
}

func TestExtract(t *testing.T) {
	ents := text.Extract("RT @jack/team: #go ＃日本 $AAPL https://go.dev/doc ☃.com example.com")
	got := make([]string, 0, len(ents))
	for _, e := range ents {
		got = append(got, string(e.Kind)+":"+e.Text+"/"+e.ListSlug)
	}
	assert.Equal(t, []string{"mention:jack/team", "hashtag:go/", "hashtag:日本/", "cashtag:AAPL/",
		"url:https://go.dev/doc/", "url:example.com/"}, got)
	// Offsets: bytes and UTF-16 code units.
	e := text.Extract("日本 #tag")[0]
	assert.Equal(t, text.Entity{Kind: text.Hashtag, Text: "tag", Start: 7, End: 11, UTF16Start: 3, UTF16End: 7}, e)
	e = text.Extract("😀 @bob")[0]
	assert.Equal(t, [4]int{5, 9, 3, 7}, [4]int{e.Start, e.End, e.UTF16Start, e.UTF16End})

	assert.Empty(t, text.Extract(""))
	assert.Empty(t, text.Extract("\xff\xfe#\xff"))
	reply, ok := text.ExtractReply("  @alice hi")
	assert.True(t, ok)
	assert.Equal(t, "alice", reply)
	assert.Len(t, text.ExtractURLsWithProtocol("example.com and http://example.org"), 1)
}

// TestExtractURLsTLDCase checks that a top-level domain matches ASCII
// letters case-insensitively but not a non-ASCII letter whose lower case
// is ASCII: twitter-text 3.1.0's expression (JavaScript, /i without the u
// flag) takes "a.boo\u212A" (KELVIN SIGN) as "a.boo" and "a.b\u0130z" as
// no URL.
func TestExtractURLsTLDCase(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a.BOOK", "a.BOOK"},
		{"a.biz x", "a.biz"},
		{"a.boo\u212A x", "a.boo"},
		{"a.b\u0130z x", ""},
		{"a.vermögensberater x", "a.vermögensberater"},
	} {
		var got string
		if urls := text.ExtractURLs(tt.in); len(urls) > 0 {
			got = urls[0].Text
		}
		assert.Equal(t, tt.want, got, "ExtractURLs(%+q)", tt.in)
	}
}

// TestEmojiData checks the two emoji lists: by default the weighted length
// is twitter-text 3.1.0's, which weighs a sequence twemoji-parser 11 lacks
// element by element; UnicodeEmoji counts every UTS #51 sequence 2.
func TestEmojiData(t *testing.T) {
	for _, tt := range []struct {
		name                    string
		in                      string
		twitterText, unicodeNow int
	}{
		{"Emoji 12.1 technologist", "\U0001F9D1\u200D\U0001F4BB", 5, 2},
		{"fully qualified eye in speech bubble", "\U0001F441\uFE0F\u200D\U0001F5E8\uFE0F", 5, 2},
		{"eye in speech bubble as twemoji lists it", "\U0001F441\u200D\U0001F5E8", 2, 2},
		{"Emoji 13.1 heart on fire", "\u2764\uFE0F\u200D\U0001F525", 5, 2},
		{"Emoji 14 heart hands", "\U0001FAF6", 2, 2},
		{"Emoji 11 family", family, 2, 2},
		{"skin tone", "👍🏽", 2, 2},
		{"keycap without FE0F", "1\u20E3", 2, 2},
		{"lone FE0F is an emoji of twemoji-parser", "\uFE0F", 2, 2},
		{"subdivision flag twemoji-parser lacks", "\U0001F3F4\U000E0075\U000E0073\U000E0074\U000E0078\U000E007F", 12, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, err := text.Count(text.Weighted, tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.twitterText, n, "Weighted")
			n, err = text.Count(text.WeightedUnicode, tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.unicodeNow, n, "WeightedUnicode")
			cfg := text.ConfigV3()
			cfg.Emoji = text.UnicodeEmoji
			res, err := text.ParseTweet(tt.in, cfg)
			require.NoError(t, err)
			assert.Equal(t, tt.unicodeNow, res.WeightedLength, "ParseTweet with UnicodeEmoji")
		})
	}
}

// TestCountDoesNotAllocate checks that counting the weighted length
// allocates nothing for ASCII and for mixed text without URLs, nor for
// ParseTweet on such text.
func TestCountDoesNotAllocate(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		{"ascii", strings.Repeat("Ship the release notes today, then ask the team. ", 6)},
		{"mixed", "Ship it 🚀 @alice #launch $GOOG 故人西辞黄鹤楼 👨‍👩‍👧‍👦 🧑‍💻 한국어 مرحبا \u200F 1️⃣ 🇯🇵 v2.3 end."},
		{"marks", "cafe\u0301 cre\u0300me Sa\u0303o\u00a0Paulo nai\u0308ve\u3000sen\u0303or"}, // folded in place
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := text.ConfigV3()
			allocs := testing.AllocsPerRun(50, func() {
				if _, err := text.Count(text.Weighted, tt.in); err != nil {
					t.Fatal(err)
				}
				if _, err := text.ParseTweet(tt.in, cfg); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
		})
	}
}

// TestExtractURLMaxLength checks twitter-text's MAX_URL_LENGTH as
// twitter-text 3.1.0 applies it (limits read off the official library on
// node): the protocol and the URL, which holds the protocol too, are at
// most 4096 UTF-16 code units, so a path of two-byte Cyrillic letters
// may be longer in UTF-8.
func TestExtractURLMaxLength(t *testing.T) {
	const base = "https://example.com/"
	limit := 4096 - len("https://") - len(base) // path characters
	for _, tt := range []struct {
		name string
		url  string
		ok   bool
	}{
		{"ascii at the limit", base + strings.Repeat("a", limit), true},
		{"ascii past the limit", base + strings.Repeat("a", limit+1), false},
		{"cyrillic at the limit in UTF-16", base + strings.Repeat("ж", limit), true},
		{"cyrillic past the limit", base + strings.Repeat("ж", limit+1), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			urls := text.ExtractURLs("see " + tt.url + " now")
			if tt.ok {
				require.Len(t, urls, 1)
				assert.Equal(t, tt.url, urls[0].Text)
			} else {
				assert.Empty(t, urls)
			}
		})
	}
}
