package text_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks/text"
)

// TestPeerTwitterText compares ParseTweet under config v3 with the official
// twitter-text 3.1.0 (npm) through testdata/peer/len.js, over fixed and
// generated texts and the benchmark corpus testdata/corpus.jsonl (which
// has emoji sequences published after 2018, skin tones, flags, keycaps
// and tag sequences). It needs node and
// the module (NODE_PATH, default $HOME/.cache/socialflow-peers/node_modules):
// without them it fails when CI is set and is skipped otherwise.
func TestPeerTwitterText(t *testing.T) {
	node := peerNode(t)
	corpus := slices.Concat(peerCorpus(), fragmentCorpus(), corpus(t))

	var in bytes.Buffer
	for _, s := range corpus {
		line, err := json.Marshal(s)
		require.NoError(t, err)
		in.Write(line)
		in.WriteByte('\n')
	}
	cmd := exec.Command(node, filepath.Join("testdata", "peer", "len.js"), "--config", "version3")
	cmd.Env = peerEnv()
	cmd.Stdin = &in
	out, err := cmd.Output()
	require.NoError(t, err, "len.js failed")

	type peer struct {
		WeightedLength  int  `json:"weightedLength"`
		Valid           bool `json:"valid"`
		Permillage      int  `json:"permillage"`
		ValidRangeEnd   int  `json:"validRangeEnd"`
		DisplayRangeEnd int  `json:"displayRangeEnd"`
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	i, agree := 0, 0
	for sc.Scan() {
		require.Less(t, i, len(corpus), "len.js printed more lines than it read")
		var want peer
		require.NoError(t, json.Unmarshal(sc.Bytes(), &want))
		s := corpus[i]
		res, err := text.ParseTweet(s, text.ConfigV3())
		require.NoError(t, err)
		got := peer{res.WeightedLength, res.Valid, res.Permillage, res.ValidRangeEnd, res.DisplayRangeEnd}
		if assert.Equal(t, want, got, "corpus[%d] = %+q", i, s) {
			agree++
		}
		if text.Check(s) == nil {
			n, err := text.Count(text.Weighted, s)
			require.NoError(t, err)
			assert.Equal(t, want.WeightedLength, n, "Count(Weighted, %+q)", s)
		}
		i++
	}
	require.NoError(t, sc.Err())
	require.Equal(t, len(corpus), i, "len.js printed fewer lines than it read")
	t.Logf("twitter-text 3.1.0 agrees on %d/%d texts", agree, len(corpus))
}

// TestPeerExtract compares Extract with twitter-text 3.1.0's
// extractEntitiesWithIndices through testdata/peer/extract.js, over the
// texts of TestPeerTwitterText. One difference is expected: for a URL without
// protocol, twitter-text locates the ASCII domain with indexOf, so when
// the same text occurs earlier in the matched domain it reports the
// earlier, wrong, offsets; Extract reports where the URL is.
func TestPeerExtract(t *testing.T) {
	node := peerNode(t)
	corpus := slices.Concat(peerCorpus(), fragmentCorpus(), corpus(t))
	var in bytes.Buffer
	for _, s := range corpus {
		line, err := json.Marshal(s)
		require.NoError(t, err)
		in.Write(line)
		in.WriteByte('\n')
	}
	cmd := exec.Command(node, filepath.Join("testdata", "peer", "extract.js"))
	cmd.Env = peerEnv()
	cmd.Stdin = &in
	out, err := cmd.Output()
	require.NoError(t, err, "extract.js failed")

	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	i, agree, quirk := 0, 0, 0
	for sc.Scan() {
		require.Less(t, i, len(corpus))
		var raw [][3]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &raw))
		type ent struct {
			Kind       string
			Start, End int
		}
		want := []ent{}
		for _, r := range raw {
			want = append(want, ent{r[0].(string), int(r[1].(float64)), int(r[2].(float64))})
		}
		s := corpus[i]
		got := []ent{}
		for _, e := range text.Extract(s) {
			got = append(got, ent{string(e.Kind), e.UTF16Start, e.UTF16End})
		}
		switch {
		case assert.ObjectsAreEqual(want, got):
			agree++
		case len(want) == len(got):
			// Only the indexOf difference is allowed: same kinds, and
			// where offsets differ, twitter-text's are earlier and hold
			// the same text.
			u := utf16.Encode([]rune(s))
			for k := range want {
				w, g := want[k], got[k]
				if w == g {
					continue
				}
				ok := w.Kind == "url" && g.Kind == "url" && w.Start < g.Start &&
					string(utf16.Decode(u[w.Start:w.End])) == string(utf16.Decode(u[g.Start:g.End]))
				assert.True(t, ok, "corpus[%d] = %+q: twitter-text %v, Extract %v", i, s, w, g)
			}
			quirk++
		default:
			assert.Equal(t, want, got, "corpus[%d] = %+q", i, s)
		}
		i++
	}
	require.NoError(t, sc.Err())
	require.Equal(t, len(corpus), i, "extract.js printed fewer lines than it read")
	t.Logf("twitter-text 3.1.0 agrees on %d/%d texts; %d differ only by its indexOf offsets", agree, len(corpus), quirk)
}

// fragmentCorpus returns texts generated from a fixed seed out of the
// fragments the entity expressions turn on.
func fragmentCorpus() []string {
	frags := []string{"@", "#", "$", "rt", "RT:", " ", ".", "a", "Z", "_", "-", "/", ":", "＠", "＃", "é", "日",
		"&", "\uFE0F", "1", "x.com", "http://", "https://", "!", "+", "~", "(", ")", "?", "=", "*", "t.co/", "xn--",
		"co", "jp", "Ж", "\u2013", "%", "[", "]", "|", ",", "'", "\"", "\u202A", "\u200F", "\u3000", "。", "com",
		"www.", "\u0301", "ab12", "₀", "٣"}
	rng := rand.New(rand.NewPCG(20260523, 11))
	out := make([]string, 0, 3000)
	for range 3000 {
		var b strings.Builder
		for n := rng.IntN(24); n >= 0; n-- {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		out = append(out, b.String())
	}
	return out
}

func peerEnv() []string {
	env := os.Environ()
	if os.Getenv("NODE_PATH") == "" {
		if home, err := os.UserHomeDir(); err == nil {
			env = append(env, "NODE_PATH="+filepath.Join(home, ".cache", "socialflow-peers", "node_modules"))
		}
	}
	return env
}

func peerNode(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("peer twitter-text unavailable in CI: %s", why)
		}
		t.Skipf("peer twitter-text unavailable: %s", why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not on PATH (install Node.js, then `npm install --prefix ~/.cache/socialflow-peers twitter-text@3.1.0`)")
	}
	cmd := exec.Command(node, "-e", "require('twitter-text')")
	cmd.Env = peerEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		missing("npm module twitter-text@3.1.0 not found (install it with " +
			"`npm install --prefix ~/.cache/socialflow-peers twitter-text@3.1.0`, or set NODE_PATH): " +
			echo.Clip(strings.TrimSpace(string(out)), 200))
	}
	return node
}

// peerCorpus returns fixed texts and texts generated from a fixed seed out
// of ASCII, CJK, Hangul, Arabic, combining marks, emoji sequences (of
// Unicode 11 and before, which twitter-text 3.1.0 knows), URLs, mentions
// and hashtags.
func peerCorpus() []string {
	corpus := []string{
		"",
		"hello world",
		"Hi http://test.co",
		"こんにちは世界",
		"故人西辞黄鹤楼，烟花三月下扬州。",
		"👨‍👩‍👧‍👦 family, 👍🏽 thumbs, 🇯🇵 flag, 🏳️‍🌈 rainbow",
		"keycap 1️⃣ and #️⃣, copyright © and ©️",
		"cafe\u0301 vs café",
		"Aשּׁ",
		"see https://example.com/path?q=1 and example.co.jp and t.co/abc",
		"http://☃.net/ and https://twitter.한국",
		strings.Repeat("x", 279) + "😀",
		strings.Repeat("あ", 141),
		strings.Repeat("👩‍💻", 141),
		"ABC\u202A\uFFFFABC\uFFFE",
		"\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069",
		"@jack and @jack/list and #tag and $CASH",
		// twemoji-parser's lookahead (?!\ufe0e): a character of its
		// list alone is an emoji only where no U+FE0E follows.
		"⭐?!\uFE0E ↔?!\uFE0E", "⭐\uFE0E ⭐\uFE0F ⭐", "☝\uFE0E☝🏽", "ℹ\uFE0E ℹ", strings.Repeat("⭐\uFE0E", 70),
	}
	pools := [][]string{
		{"hello", "world", "Go", "the", "a", "x", "socialflow", "42", "2026", "don't"},
		{" ", " ", " ", "\n", "\t", "  "},
		{".", ",", "!", "?", "-", "/", ":", "(", ")", "\"", "'", "…"},
		{"日本", "語", "中文", "字", "한국어", "글", "ありがとう", "カタカナ", "，", "。"},
		{"مرحبا", "עברית", "Привет", "Ελληνικά", "ไทย"},
		{"e\u0301", "a\u0308", "n\u0303", "o\u0302\u0323", "Å", "ﬁ"},
		{"😀", "👍🏽", "👨‍👩‍👧‍👦", "👩‍💻", "🏳️‍🌈", "🇯🇵", "🇫🇷", "1️⃣", "❤️", "☺", "✌️", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "🐱", "🔥"},
		{"https://example.com", "http://t.co/abcDEF", "example.org", "www.example.co.uk/path", "https://example.com/a_(b)?x=1&y=2", "foo.bar", "http://example.com:8080/x", "news.ycombinator.com", "https://日本.jp"},
		{"@user", "@jack/list", "#hashtag", "#日本", "$AAPL", "＠full", "#1st"},
	}
	rng := rand.New(rand.NewPCG(20260523, 5))
	for range 600 {
		var b strings.Builder
		for n := rng.IntN(40); n >= 0; n-- {
			if rng.IntN(8) == 0 {
				b.WriteRune(randomRune(rng))
				continue
			}
			pool := pools[rng.IntN(len(pools))]
			b.WriteString(pool[rng.IntN(len(pool))])
		}
		corpus = append(corpus, b.String())
	}
	return corpus
}

// randomRune draws a code point from blocks that stress the weighting:
// ASCII, Latin-1, combining marks, general punctuation, symbols, CJK,
// Hangul and pictographs.
func randomRune(rng *rand.Rand) rune {
	blocks := [][2]rune{
		{0x20, 0x7E}, {0xA0, 0xFF}, {0x300, 0x36F}, {0x2000, 0x206F}, {0x2190, 0x21FF},
		{0x2600, 0x26FF}, {0x3040, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0x1F300, 0x1F5FF},
	}
	b := blocks[rng.IntN(len(blocks))]
	return b[0] + rng.Int32N(b[1]-b[0]+1)
}
