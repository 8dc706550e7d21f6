// Command corpus writes networks/text/testdata/corpus.jsonl, the texts the
// benchmarks and the twitter-text comparison run over: one JSON string a
// line, 3,000 post-sized texts drawn from a fixed seed, so the file is the
// same on every run.
//
// Usage (from networks/text, through go generate):
//
//	go run ./internal/gen/corpus [-out testdata/corpus.jsonl] [-n 3000]
//
// A text is a few words of one or two scripts (ASCII, Latin with accents
// in NFC and NFD, CJK, Hangul, Arabic and Hebrew with directional marks,
// Cyrillic) with entities and emoji mixed in: URLs with and without
// protocol, t.co links, hashtags, cashtags, mentions and lists; emoji of
// every kind of UTS #51 sequence, those twemoji-parser 11 knows and those
// published after 2018 that it does not (Emoji 12 to 15.1 ZWJ sequences,
// skin-toned handshakes, fully qualified 👁️‍🗨️), skin tones, flags,
// keycaps with and without U+FE0F, and subdivision-flag tag sequences.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"log"
	"math/rand/v2"
	"os"
	"strings"
)

var (
	ascii = []string{"Ship", "the", "release", "notes", "today", "then", "ask", "team", "for", "feedback",
		"before", "Friday", "launch", "we're", "live", "thanks", "everyone", "new", "post", "read", "more",
		"update", "v2.3", "2026", "42%", "Q3", "results", "are", "in", "big", "news", "x"}
	latin    = []string{"café", "naïve", "Zürich", "señor", "garçon", "crème", "brûlée", "São", "Paulo", "Łódź"}
	latinNFD = []string{"cafe\u0301", "nai\u0308ve", "Zu\u0308rich", "sen\u0303or", "cre\u0300me", "Sa\u0303o"}
	cjk      = []string{"故人西辞黄鹤楼", "烟花三月下扬州", "こんにちは", "世界", "ありがとう", "カタカナ", "日本語", "中文", "，", "。", "、", "！"}
	hangul   = []string{"한국어", "문장입니다", "안녕하세요", "감사합니다"}
	arabic   = []string{"مرحبا", "بالعالم", "شكرا", "\u200Fمرحبا\u200F", "\u061Cعربي", "العربية"}
	hebrew   = []string{"שלום", "עברית", "\u200Eתודה\u200E", "\u202Bשלום\u202C"}
	cyrillic = []string{"Привет", "мир", "Спасибо", "новости"}
	punct    = []string{".", ",", "!", "?", ":", "-", "—", "…", "(", ")", "\"", "'", "“", "”"}
	spaces   = []string{" ", " ", " ", " ", "\n", "  ", "\u00A0", "\u3000"}

	// emoji twemoji-parser 11 knows: Unicode 11 and before.
	emojiOld = []string{"😀", "🚀", "🔥", "❤️", "❤", "✌️", "☺", "👍", "🎉", "🐱", "🍕", "©️", "™",
		"👍🏽", "👋🏿", "🤷🏻‍♀️", "👩🏾‍💻", "👨‍👩‍👧‍👦", "👩‍❤️‍💋‍👨", "🏳️‍🌈", "🏴‍☠️", "👩‍💻", "🧟‍♂️", "👯‍♀️",
		"🇯🇵", "🇫🇷", "🇺🇳", "🇪🇺", "1️⃣", "#️⃣", "*️⃣", "🔟", "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
		"\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F"}
	// emoji published after 2018 (Emoji 12.0 to 15.1) and sequences
	// twemoji-parser 11 lacks.
	emojiNew = []string{"🧑‍💻", "🧑‍🤝‍🧑", "👁️‍🗨️", "👁‍🗨", "🐻‍❄️", "❤️‍🔥", "❤️‍🩹", "😮‍💨", "😵‍💫", "🧔‍♀️",
		"🫶", "🫠", "🥲", "🫱🏻‍🫲🏿", "🧑🏽‍🦯", "🐦‍⬛", "🐦‍🔥", "🙂‍↔️", "🍋‍🟩", "⛓️‍💥", "🧑‍🧑‍🧒", "👩🏼‍🤝‍👨🏾",
		"🧑‍🎄", "🏳️‍⚧️", "🦩", "🪐", "🩷", "1⃣", "\U0001F3F4\U000E0075\U000E0073\U000E0074\U000E0078\U000E007F"}
	urls = []string{"https://example.com", "https://example.com/docs/start?ref=post", "http://t.co/abc123",
		"https://t.co/AbCdEf1234", "example.org", "example.org/path", "www.example.co.uk/a/b", "go.dev/blog",
		"https://go.dev/blog/loopvar-preview", "news.ycombinator.com", "http://example.com:8080/x", "https://日本.jp",
		"https://en.wikipedia.org/wiki/Go_(programming_language)", "x.com", "bit.ly/3xYz", "http://☃.net/",
		"https://example.com/a_(b)?x=1&y=2#frag", "socialflow.app/pricing", "サイト.jp"}
	tags = []string{"#launch", "#golang", "#日本", "#한국", "#مرحبا", "#1st", "#SocialFlow", "#café", "#release_notes",
		"$GOOG", "$AAPL", "$BRK.A", "$tsla", "@alice", "@bob_dev", "@jack/team", "＠full", "RT @news:", "#🚀"}
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("corpus: ")
	out := flag.String("out", "testdata/corpus.jsonl", "file to write")
	n := flag.Int("n", 3000, "number of texts")
	flag.Parse()

	rng := rand.New(rand.NewPCG(2026, 18))
	scripts := [][]string{ascii, ascii, ascii, latin, latinNFD, cjk, hangul, arabic, hebrew, cyrillic}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	pick := func(p []string) string { return p[rng.IntN(len(p))] }
	for range *n {
		first, second := scripts[rng.IntN(len(scripts))], scripts[rng.IntN(len(scripts))]
		var b strings.Builder
		words := 8 + rng.IntN(48)
		for k := range words {
			if k > 0 {
				b.WriteString(pick(spaces))
			}
			switch d := rng.IntN(100); {
			case d < 55:
				b.WriteString(pick(first))
			case d < 67:
				b.WriteString(pick(second))
			case d < 73:
				b.WriteString(pick(punct))
			case d < 80:
				b.WriteString(pick(emojiOld))
			case d < 85:
				b.WriteString(pick(emojiNew))
			case d < 92:
				b.WriteString(pick(urls))
			default:
				b.WriteString(pick(tags))
			}
		}
		if err := enc.Encode(b.String()); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
