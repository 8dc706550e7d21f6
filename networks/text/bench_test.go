package text_test

import (
	"encoding/json"
	"flag"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/text"
)

// corpusPath is the benchmark corpus, written by internal/gen/corpus.
var corpusPath = filepath.Join("testdata", "corpus.jsonl")

func corpus(tb testing.TB) []string {
	tb.Helper()
	texts, err := text.ReadCorpus()
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
	peerBenchTime   = flag.Duration("peerbench.time", time.Second, "TestPeerSpeed: how long each side times each function in a round")
)

// TestPeerSpeed compares the speed of ParseTweet and Extract with
// twitter-text 3.1.0's parseTweet and extractEntitiesWithIndices over
// testdata/corpus.jsonl, in one run: each round runs testdata/peer/bench.js
// (node times its own loop, after a warm-up pass) and then times the Go
// functions over the same texts in this process, each for at least
// -peerbench.time. It logs each round and the medians, per text, with
// their ratio, twice: by CPU time (user and system, every thread of the
// process: node's JIT and collector, Go's collector), the figure to
// compare on a shared machine, and by wall-clock time. It runs only with
// -peerbench, a flag of the test binary, so it goes after the package
// (or -args):
//
//	go test -run TestPeerSpeed -v ./networks/text -args -peerbench -peerbench.rounds 5
func TestPeerSpeed(t *testing.T) {
	if !*peerBench {
		t.Skip("timing comparison: run with -peerbench")
	}
	node := peerNode(t)
	texts := corpus(t)
	cfg := text.ConfigV3()
	_, haveCPU := processCPU()
	// goTime returns wall-clock and CPU nanoseconds per text.
	goTime := func(fn func(string)) (wall, cpu float64) {
		for _, s := range texts { // warm-up, as node does
			fn(s)
		}
		n, start := 0, time.Now()
		cpu0, _ := processCPU()
		for time.Since(start) < *peerBenchTime {
			for _, s := range texts {
				fn(s)
			}
			n += len(texts)
		}
		cpu1, _ := processCPU()
		return float64(time.Since(start).Nanoseconds()) / float64(n), float64((cpu1 - cpu0).Nanoseconds()) / float64(n)
	}
	type sample struct{ node, goWall, nodeCPU, goCPU float64 }
	var parse, extract []sample
	for round := range *peerBenchRounds {
		cmd := exec.Command(node, filepath.Join("testdata", "peer", "bench.js"), corpusPath,
			"--min-ms", strconv.FormatInt(peerBenchTime.Milliseconds(), 10))
		cmd.Env = peerEnv()
		out, err := cmd.Output()
		require.NoError(t, err, "bench.js failed")
		var res struct {
			Texts                   int
			ParseTweetNs, ExtractNs float64
			ParseTweetCPUNs         float64 `json:"parseTweetCpuNs"`
			ExtractCPUNs            float64 `json:"extractCpuNs"`
		}
		require.NoError(t, json.Unmarshal(out, &res))
		require.Equal(t, len(texts), res.Texts)
		pw, pc := goTime(func(s string) {
			if _, err := text.ParseTweet(s, cfg); err != nil {
				t.Fatal(err)
			}
		})
		ew, ec := goTime(func(s string) { text.Extract(s) })
		p := sample{res.ParseTweetNs, pw, res.ParseTweetCPUNs, pc}
		e := sample{res.ExtractNs, ew, res.ExtractCPUNs, ec}
		parse, extract = append(parse, p), append(extract, e)
		t.Logf("round %d: parseTweet node %.0f ns/text, Go %.0f ns/text (%.1fx); extract node %.0f ns/text, Go %.0f ns/text (%.1fx) [wall clock]",
			round+1, p.node, p.goWall, p.node/p.goWall, e.node, e.goWall, e.node/e.goWall)
		if haveCPU {
			t.Logf("round %d: parseTweet node %.0f ns/text, Go %.0f ns/text (%.1fx); extract node %.0f ns/text, Go %.0f ns/text (%.1fx) [CPU time]",
				round+1, p.nodeCPU, p.goCPU, p.nodeCPU/p.goCPU, e.nodeCPU, e.goCPU, e.nodeCPU/e.goCPU)
		}
	}
	report := func(name, peerName string, v []sample) {
		med := func(f func(sample) float64) float64 {
			xs := make([]float64, len(v))
			for i, s := range v {
				xs[i] = f(s)
			}
			return median(xs)
		}
		if haveCPU {
			n, g := med(func(s sample) float64 { return s.nodeCPU }), med(func(s sample) float64 { return s.goCPU })
			t.Logf("median of %d rounds over %d texts, CPU time: %s %.0f ns/text vs twitter-text %s %.0f ns/text: %.1fx faster",
				len(v), len(texts), name, g, peerName, n, n/g)
			// The two sides of a round run a few seconds apart, so the
			// ratio within a round is less exposed to what else the
			// machine runs than the ratio of the medians.
			rs := make([]float64, len(v))
			for i, s := range v {
				rs[i] = s.nodeCPU / s.goCPU
			}
			t.Logf("median of the %d rounds' own ratios, CPU time: %s %.1fx faster (rounds from %.1fx to %.1fx)",
				len(v), name, median(rs), slices.Min(rs), slices.Max(rs))
		}
		n, g := med(func(s sample) float64 { return s.node }), med(func(s sample) float64 { return s.goWall })
		t.Logf("median of %d rounds over %d texts, wall clock: %s %.0f ns/text vs twitter-text %s %.0f ns/text: %.1fx faster",
			len(v), len(texts), name, g, peerName, n, n/g)
	}
	report("ParseTweet", "parseTweet", parse)
	report("Extract", "extractEntitiesWithIndices", extract)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
