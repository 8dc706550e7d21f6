package text_test

import (
	"fmt"
	"log"

	"github.com/socialflow/socialflow/networks/text"
)

func ExampleCount() {
	post := "Launch day 🚀 https://example.com/a/very/long/link #golang"
	for _, m := range []text.Method{text.Weighted, text.Graphemes, text.Mastodon, text.Threads} {
		n, err := text.Count(m, post)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m, n)
	}
	// Output:
	// weighted 45
	// graphemes 57
	// mastodon 44
	// threads 60
}

func ExampleOverflow() {
	post := "日本語のテキストは二倍に数えます"
	at, err := text.Overflow(text.Weighted, post, 20)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("fits: %q\n", post[:at])
	// Output:
	// fits: "日本語のテキストは二"
}

func ExampleExtract() {
	for _, e := range text.Extract("RT @jack: 日本 #golang $GOOG see go.dev") {
		fmt.Printf("%s %q bytes %d-%d utf16 %d-%d\n", e.Kind, e.Text, e.Start, e.End, e.UTF16Start, e.UTF16End)
	}
	// Output:
	// mention "jack" bytes 3-8 utf16 3-8
	// hashtag "golang" bytes 17-24 utf16 13-20
	// cashtag "GOOG" bytes 25-30 utf16 21-26
	// url "go.dev" bytes 35-41 utf16 31-37
}

func ExampleParseTweet() {
	res, err := text.ParseTweet("Hi 👋🏽 https://example.com", text.ConfigV3())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.WeightedLength, res.Valid, res.Permillage)
	// Output:
	// 29 true 103
}
