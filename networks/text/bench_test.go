package text_test

import (
	"strings"
	"testing"

	"github.com/socialflow/socialflow/networks/text"
)

// benchCorpus is a mixed post body of about 2 KB: ASCII prose, CJK,
// emoji sequences, URLs with and without protocol, mentions, hashtags and
// cashtags.
var benchCorpus = map[string]string{
	"ascii": strings.Repeat("Ship the release notes today, then ask the team for feedback before Friday. ", 8),
	"cjk":   strings.Repeat("故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。こんにちは、世界！한국어 문장입니다. ", 6),
	"emoji": strings.Repeat("Launch 🚀 team 👨‍👩‍👧‍👦 thumbs 👍🏽 flag 🇯🇵 heart ❤️ keycap 1️⃣ ", 10),
	"urls":  strings.Repeat("see https://example.com/docs/start?ref=post and example.org/path or http://t.co/abc123 ", 8),
	"mixed": strings.Repeat("Ship it 🚀 @alice #launch $GOOG https://go.dev/blog 故人西辞黄鹤楼 👨‍👩‍👧‍👦 cafe\u0301 example.co.jp ", 10),
}

var benchKinds = []string{"mixed", "ascii", "cjk", "emoji", "urls"}

// BenchmarkWeightedLength measures Count(Weighted, ...) (X's twitter-text
// v3 weighted length) per corpus kind.
func BenchmarkWeightedLength(b *testing.B) {
	for _, kind := range benchKinds {
		s := benchCorpus[kind]
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := text.Count(text.Weighted, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExtract measures Extract (URLs, mentions, hashtags, cashtags
// with byte and UTF-16 offsets) per corpus kind.
func BenchmarkExtract(b *testing.B) {
	for _, kind := range benchKinds {
		s := benchCorpus[kind]
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				text.Extract(s)
			}
		})
	}
}
