package text

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// This file keeps the matcher of twemoji-parser's list as it was before
// the trie of twemoji.go was keyed by UTF-8 bytes: a walk over code points
// decoded by unicode/utf8, with a binary search of each node's edges in
// the generated tables. TestTwemojiMatcherEqualsReference and
// FuzzTwemojiMatcher hold the matcher to it.

// twemojiLenRef is the former twemojiLen.
func twemojiLenRef(s string) int {
	if s == "" {
		return 0
	}
	r, n := rune(s[0]), 1
	if r >= utf8.RuneSelf {
		r, n = utf8.DecodeRuneInString(s)
	}
	if !mayStartTwemojiRef(r) {
		return 0
	}
	return twemojiLenFromRef(s, r, n)
}

// mayStartTwemojiRef reports whether r starts a string of the list: an
// edge of the root in the generated table.
func mayStartTwemojiRef(r rune) bool {
	_, ok := twemojiChildRef(&twemojiNodes[0], r)
	return ok
}

// twemojiLenFromRef is the former twemojiLenFrom, with the lookahead
// (?!\ufe0e): where the walk stops before a U+FE0E, the node's
// matchVS15.
func twemojiLenFromRef(s string, r rune, n int) int {
	node := &twemojiNodes[0]
	for i := 0; ; {
		child, ok := twemojiChildRef(node, r)
		if !ok {
			if r == 0xFE0E {
				return int(node.matchVS15)
			}
			return int(node.match)
		}
		node = &twemojiNodes[child]
		i += n
		if i >= len(s) {
			return int(node.match)
		}
		if node.n == 0 {
			if strings.HasPrefix(s[i:], "\uFE0E") {
				return int(node.matchVS15)
			}
			return int(node.match)
		}
		r, n = rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
	}
}

// twemojiChildRef is the former twemojiChild: the child of node for r, by
// binary search of its edges in the generated table.
func twemojiChildRef(node *twemojiNode, r rune) (uint16, bool) {
	edges := twemojiEdges[node.edges : node.edges+node.n]
	lo, hi := 0, len(edges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if edges[m].r < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(edges) && edges[lo].r == r {
		return edges[lo].node, true
	}
	return 0, false
}

// twemojiListStrings returns the string of every node of the generated
// trie but the root: every string of twemoji-parser's list and every
// prefix of one that ends with a whole code point.
func twemojiListStrings() []string {
	paths := make([]string, len(twemojiNodes))
	var out []string
	for id, node := range twemojiNodes {
		for _, e := range twemojiEdges[node.edges : node.edges+node.n] {
			paths[e.node] = paths[id] + string(e.r)
			out = append(out, paths[e.node])
		}
	}
	return out
}

// checkTwemojiMatcher fails t unless twemojiLen and twemojiLenFrom agree
// with their references at every byte offset of s, and the length in
// UTF-16 code units twemojiLenFrom gives is that of its match.
func checkTwemojiMatcher(t *testing.T, s string) {
	t.Helper()
	for i := range len(s) {
		got, want := twemojiLen(s[i:]), twemojiLenRef(s[i:])
		if got != want {
			t.Fatalf("twemojiLen(%+q) = %d, the reference says %d", s[i:], got, want)
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if mayStartTwemoji(r) != mayStartTwemojiRef(r) {
			t.Fatalf("mayStartTwemoji(%U) = %v, the reference says %v", r, mayStartTwemoji(r), mayStartTwemojiRef(r))
		}
		if mayStartTwemoji(r) {
			got, units := twemojiLenFrom(s[i:], r, n)
			if want := twemojiLenFromRef(s[i:], r, n); got != want {
				t.Fatalf("twemojiLenFrom(%+q) = %d, the reference says %d", s[i:], got, want)
			}
			if want := utf16LenValid(s[i : i+got]); units != want {
				t.Fatalf("twemojiLenFrom(%+q) = %d bytes, %d UTF-16 code units, want %d", s[i:], got, units, want)
			}
		}
	}
}

// TestTwemojiMatcherEqualsReference compares the matcher with the
// reference above on every string of the list and every prefix of one
// (alone, then followed by each code point that follows a node of the
// trie, by ASCII, by the start of another emoji), every one cut inside its
// last code point or with a byte of it changed (invalid UTF-8: truncated,
// overlong, surrogate, past U+10FFFF, a stray continuation byte), and
// random concatenations of them.
func TestTwemojiMatcherEqualsReference(t *testing.T) {
	list := twemojiListStrings()
	var next []string // the code points of every edge below the root
	seen := map[rune]bool{}
	for _, node := range twemojiNodes[1:] {
		for _, e := range twemojiEdges[node.edges : node.edges+node.n] {
			if !seen[e.r] {
				seen[e.r] = true
				next = append(next, string(e.r))
			}
		}
	}
	tails := append([]string{"", " ", "a", "\u00e9", "\u65e5", "\U0001F600", "\u200D", "\uFE0F", "\uFE0E", "\U0001F3FB", "?!\uFE0E"}, next...)
	bad := []string{"\x80", "\xBF", "\xC0\xAF", "\xE0\x80\x8D", "\xED\xA0\x80", "\xF0\x80\x9F\x8F", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80", "\xFF"}
	for _, s := range list {
		for _, tail := range tails {
			checkTwemojiMatcher(t, s+tail)
		}
		for _, b := range bad {
			checkTwemojiMatcher(t, s+b)
		}
		_, last := utf8.DecodeLastRuneInString(s)
		for k := 1; k < last; k++ {
			cut := s[:len(s)-last+k]
			checkTwemojiMatcher(t, cut)
			checkTwemojiMatcher(t, cut+"a")
			checkTwemojiMatcher(t, cut+"\u200D")
		}
		for p := len(s) - last; p < len(s); p++ {
			for _, v := range []byte{0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xF0, 0xFF} {
				b := []byte(s)
				b[p] = v
				checkTwemojiMatcher(t, string(b))
			}
		}
	}
	rng := rand.New(rand.NewPCG(18, 11))
	pieces := slices.Concat(list, next, bad, []string{" ", "a", "#", "1", "\u00e9", "\uFE0E"})
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		checkTwemojiMatcher(t, s)
		checkTwemojiMatcher(t, s[:rng.IntN(len(s)+1)])
	}
}

// FuzzTwemojiMatcher compares the matcher with the reference above at
// every offset of any text.
func FuzzTwemojiMatcher(f *testing.F) {
	for _, s := range []string{"\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", "\U0001F44D\U0001F3FD", "1\uFE0F\u20E3", "\U0001F1EF\U0001F1F5", "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "\u2764\uFE0F x", "\U0001F441\u200D\U0001F5E8\uFE0F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkTwemojiMatcher(t, s)
	})
}

// TestTwemojiTrieShape checks what twemojiTrie takes from the generated
// table without checking it: each node's children are consecutive nodes,
// and no node below the root has more than 255.
func TestTwemojiTrieShape(t *testing.T) {
	for id, node := range twemojiNodes {
		edges := twemojiEdges[node.edges : node.edges+node.n]
		for k, e := range edges {
			if e.node != edges[0].node+uint16(k) {
				t.Fatalf("node %d: child %d is node %d, not %d", id, k, e.node, edges[0].node+uint16(k))
			}
		}
		if id > 0 && len(edges) > 0xFF {
			t.Fatalf("node %d has %d children", id, len(edges))
		}
	}
}

// TestTwemojiASCIIStarts checks what twemojiScan and twemojiScanFrom skip
// ASCII by, and keycapAt: every string of the list that starts with an
// ASCII character has U+FE0F or U+20E3 right after it, so no emoji
// starts at an ASCII character that anything else, or the end of the
// text, follows.
func TestTwemojiASCIIStarts(t *testing.T) {
	root := twemojiNodes[0]
	for _, e := range twemojiEdges[root.edges : root.edges+root.n] {
		if e.r >= utf8.RuneSelf {
			continue
		}
		child := twemojiNodes[e.node]
		if child.match != 0 {
			t.Errorf("%q alone is an emoji of the list", e.r)
		}
		for _, next := range twemojiEdges[child.edges : child.edges+child.n] {
			if s := string(next.r); !keycapAt(s, 0) {
				t.Errorf("%q%q starts an emoji of the list", e.r, next.r)
			}
		}
	}
	for c := range rune(utf8.RuneSelf) {
		for _, s := range []string{string(c), string(c) + "a", string(c) + "1"} {
			if got := twemojiScan(s, 0, len(s)); got != len(s) {
				t.Errorf("twemojiScan(%q) = %d", s, got)
			}
		}
	}
}
