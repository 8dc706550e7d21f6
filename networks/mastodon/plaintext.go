package mastodon

import (
	"strings"

	"golang.org/x/net/html"
)

// PlainText returns the text of a status's HTML content as Mastodon
// renders it (https://docs.joinmastodon.org/spec/microformats/ and the
// allowed elements of https://docs.joinmastodon.org/entities/Status/#content):
// character references decoded, each <br> a line break, paragraphs
// separated by a blank line, every other tag dropped with its text kept
// (so links read as their text). It is for plain-text receivers; it never
// fails, and markup it does not know (a hostile or broken server) only
// loses its tags.
func PlainText(content string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(content))
	paragraphs := 0
	skip := 0 // inside <script> or <style>
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimRight(b.String(), "\n")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br":
				b.WriteByte('\n')
			case "p":
				if paragraphs > 0 {
					b.WriteString("\n\n")
				}
				paragraphs++
			case "script", "style":
				if tt == html.StartTagToken {
					skip++
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if s := string(name); (s == "script" || s == "style") && skip > 0 {
				skip--
			}
		}
	}
}
