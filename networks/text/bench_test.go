package text_test

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/text"
)

// corpusPath is the benchmark corpus, written by internal/gen/corpus.
var corpusPath = filepath.Join("testdata", "corpus.jsonl")

// loadCorpus reads testdata/corpus.jsonl once.
var loadCorpus = sync.OnceValues(func() ([]string, error) {
	f, err := os.Open(corpusPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var s string
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, err
		}
		texts = append(texts, s)
	}
	return texts, sc.Err()
})

func corpus(tb testing.TB) []string {
	tb.Helper()
	texts, err := loadCorpus()
	require.NoError(tb, err)
	require.NotEmpty(tb, texts)
	return texts
}

// scriptCorpus holds one post body per script, about 2 KB each.
var scriptCorpus = map[string]string{
	"ascii": strings.Repeat("Ship the release notes today, then ask the team for feedback before Friday. ", 8),
	"cjk":   strings.Repeat("故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。こんにちは、世界！한국어 문장입니다. ", 6),
	"emoji": strings.Repeat("Launch 🚀 team 👨‍👩‍👧‍👦 thumbs 👍🏽 flag 🇯🇵 heart ❤️ keycap 1️⃣ coder 🧑‍💻 ", 10),
	"urls":  strings.Repeat("see https://example.com/docs/start?ref=post and example.org/path or http://t.co/abc123 ", 8),
	"mixed": strings.Repeat("Ship it 🚀 @alice #launch $GOOG https://go.dev/blog 故人西辞黄鹤楼 👨‍👩‍👧‍👦 cafe\u0301 example.co.jp ", 10),
}

var scriptKinds = []string{"ascii", "cjk", "emoji", "urls", "mixed"}

// benchTexts runs fn over the corpus (sub-benchmark "corpus", reporting ns
// per text) and over each script body.
func benchTexts(b *testing.B, fn func(string)) {
	texts := corpus(b)
	size := 0
	for _, s := range texts {
		size += len(s)
	}
	b.Run("corpus", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range texts {
				fn(s)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/text")
	})
	for _, kind := range scriptKinds {
		s := scriptCorpus[kind]
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				fn(s)
			}
		})
	}
}

// BenchmarkParseTweet measures ParseTweet under config v3 over the
// checked-in corpus (3,000 texts) and per script.
func BenchmarkParseTweet(b *testing.B) {
	cfg := text.ConfigV3()
	benchTexts(b, func(s string) {
		if _, err := text.ParseTweet(s, cfg); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkExtract measures Extract (URLs, mentions, hashtags, cashtags
// with byte and UTF-16 offsets) over the corpus and per script.
func BenchmarkExtract(b *testing.B) {
	benchTexts(b, func(s string) { text.Extract(s) })
}

// BenchmarkWeightedLength measures Count(Weighted, ...), X's weighted
// length, over the corpus and per script.
func BenchmarkWeightedLength(b *testing.B) {
	benchTexts(b, func(s string) {
		if _, err := text.Count(text.Weighted, s); err != nil {
			b.Fatal(err)
		}
	})
}

var (
	peerBench       = flag.Bool("peerbench", false, "TestPeerSpeed: time twitter-text on node and this package over testdata/corpus.jsonl")
	peerBenchRounds = flag.Int("peerbench.rounds", 5, "TestPeerSpeed: rounds, each timing node and Go side by side; medians are reported")
)

// TestPeerSpeed compares the speed of ParseTweet and Extract with
// twitter-text 3.1.0's parseTweet and extractEntitiesWithIndices over
// testdata/corpus.jsonl, in one run: each round runs testdata/peer/bench.js
// (node times its own loop, after a warm-up pass) and then times the Go
// functions over the same texts in this process. It logs each round and
// the medians, per text, with their ratio. It runs only with -peerbench,
// a flag of the test binary, so it goes after the package (or -args):
//
//	go test -run TestPeerSpeed -v ./networks/text -args -peerbench -peerbench.rounds 5
func TestPeerSpeed(t *testing.T) {
	if !*peerBench {
		t.Skip("timing comparison: run with -peerbench")
	}
	node := peerNode(t)
	texts := corpus(t)
	cfg := text.ConfigV3()
	goTime := func(fn func(string)) float64 {
		for _, s := range texts { // warm-up, as node does
			fn(s)
		}
		n, start := 0, time.Now()
		for time.Since(start) < time.Second {
			for _, s := range texts {
				fn(s)
			}
			n += len(texts)
		}
		return float64(time.Since(start).Nanoseconds()) / float64(n)
	}
	var nodeParse, nodeExtract, goParse, goExtract []float64
	for round := range *peerBenchRounds {
		cmd := exec.Command(node, filepath.Join("testdata", "peer", "bench.js"), corpusPath)
		cmd.Env = peerEnv()
		out, err := cmd.Output()
		require.NoError(t, err, "bench.js failed")
		var res struct {
			Texts                   int
			ParseTweetNs, ExtractNs float64
		}
		require.NoError(t, json.Unmarshal(out, &res))
		require.Equal(t, len(texts), res.Texts)
		gp := goTime(func(s string) {
			if _, err := text.ParseTweet(s, cfg); err != nil {
				t.Fatal(err)
			}
		})
		ge := goTime(func(s string) { text.Extract(s) })
		t.Logf("round %d: parseTweet node %.0f ns/text, Go %.0f ns/text (%.1fx); extract node %.0f ns/text, Go %.0f ns/text (%.1fx)",
			round+1, res.ParseTweetNs, gp, res.ParseTweetNs/gp, res.ExtractNs, ge, res.ExtractNs/ge)
		nodeParse, nodeExtract = append(nodeParse, res.ParseTweetNs), append(nodeExtract, res.ExtractNs)
		goParse, goExtract = append(goParse, gp), append(goExtract, ge)
	}
	np, gp, ne, ge := median(nodeParse), median(goParse), median(nodeExtract), median(goExtract)
	t.Logf("median of %d rounds over %d texts: ParseTweet %.0f ns/text vs twitter-text parseTweet %.0f ns/text: %.1fx faster",
		len(goParse), len(texts), gp, np, np/gp)
	t.Logf("median of %d rounds over %d texts: Extract %.0f ns/text vs twitter-text extractEntitiesWithIndices %.0f ns/text: %.1fx faster",
		len(goExtract), len(texts), ge, ne, ne/ge)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
