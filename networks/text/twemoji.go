package text

import (
	"math/bits"
	"unicode/utf8"
)

//go:generate go run ./internal/gen/twemoji

// EmojiData chooses which emoji sequences [ParseTweet] and [Count] with
// [Weighted] count as one emoji.
type EmojiData int

const (
	// TwitterTextEmoji, the default, counts the sequences twitter-text
	// 3.1.0 counts: the list of its dependency twemoji-parser 11.0.2
	// (Emoji 11, 2018; generated into twemoji_table.go by go generate),
	// matched as its expression matches them, so that the weighted length
	// is the one X's official library computes. A sequence the list lacks
	// is weighed as the emoji and code points the list finds in it:
	// U+1F9D1 ZWJ U+1F4BB (🧑‍💻, Emoji 12.1) weighs 2+1+2 = 5, and so does
	// the fully qualified U+1F441 FE0F ZWJ U+1F5E8 FE0F (👁️‍🗨️), which the
	// list holds only without its U+FE0F. A lone U+FE0F is an emoji of
	// the list and weighs 2.
	TwitterTextEmoji EmojiData = iota
	// UnicodeEmoji counts every emoji sequence of Unicode Technical
	// Standard #51 as the Unicode data of github.com/rivo/uniseg defines
	// it (see the package documentation): a ZWJ sequence of any
	// Extended_Pictographic code points counts 2, whether or not it is
	// recommended or known to twemoji-parser 11. It matches what X's
	// composer shows for newer emoji, but not what twitter-text 3.1.0
	// computes: use it only where the newer count is wanted.
	UnicodeEmoji
)

// twemojiNode is a node of the generated twemoji-parser trie: its
// children are twemojiEdges[edges : edges+n], sorted by code point, and
// match is the byte length of the match twemoji-parser's expression
// reports for a text whose longest path through the trie ends here (0
// for none).
type twemojiNode struct {
	edges, n uint16
	match    uint8
}

// twemojiEdge leads from a node to the child node for code point r.
type twemojiEdge struct {
	r    rune
	node uint16
}

// twemojiFirst has a bit for every code point that starts a string of the
// list, all below U+20000 (internal/gen/twemoji checks).
var twemojiFirst = func() (set [0x20000 / 64]uint64) {
	root := twemojiNodes[0]
	for _, e := range twemojiEdges[root.edges : root.edges+root.n] {
		set[e.r/64] |= 1 << (e.r % 64)
	}
	return set
}()

// twemojiFirstBlocks has a bit for every block of 256 code points that
// holds a code point of twemojiFirst: a small table that answers most
// text (CJK, Hangul, most scripts) without reading the large one.
var twemojiFirstBlocks = func() (set [0x20000 / 256 / 64]uint64) {
	root := twemojiNodes[0]
	for _, e := range twemojiEdges[root.edges : root.edges+root.n] {
		b := e.r / 256
		set[b/64] |= 1 << (b % 64)
	}
	return set
}()

// mayStartTwemoji reports whether a string of the list starts with r.
func mayStartTwemoji(r rune) bool {
	if r >= 0x20000 {
		return false
	}
	b := r / 256
	return twemojiFirstBlocks[b/64]&(1<<(b%64)) != 0 && twemojiFirst[r/64]&(1<<(r%64)) != 0
}

// twemojiLen returns the byte length of the emoji twemoji-parser 11
// matches at the start of s, or 0: the walk follows s down the trie as far
// as it goes, and the node it stops at knows which string on its path the
// expression prefers.
func twemojiLen(s string) int {
	if s == "" {
		return 0
	}
	r, n := rune(s[0]), 1
	if r >= utf8.RuneSelf {
		r, n = utf8.DecodeRuneInString(s)
	}
	if !mayStartTwemoji(r) {
		return 0
	}
	return twemojiLenFrom(s, r, n)
}

// twemojiLenFrom is twemojiLen for a text s whose first code point, r, is
// n bytes long.
func twemojiLenFrom(s string, r rune, n int) int {
	node := &twemojiNodes[0]
	for i := 0; ; {
		var child uint16
		var ok bool
		if i == 0 {
			child, ok = twemojiRootChild(r)
		} else {
			child, ok = twemojiChild(node, r)
		}
		if !ok {
			return int(node.match)
		}
		node = &twemojiNodes[child]
		i += n
		if i >= len(s) || node.n == 0 {
			return int(node.match)
		}
		r, n = rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
	}
}

// twemojiChild finds the child of node for r by binary search.
func twemojiChild(node *twemojiNode, r rune) (uint16, bool) {
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

// twemojiFirstRank gives, for each word of twemojiFirst, the number of
// bits set in the words before it: the root's edges are sorted by code
// point, one for each bit, so the edge of r is the rank of r's bit.
var twemojiFirstRank = func() (t [len(twemojiFirst)]uint16) {
	n := 0
	for w, word := range twemojiFirst {
		t[w] = uint16(n)
		n += bits.OnesCount64(word)
	}
	return t
}()

// twemojiRootChild is twemojiChild of the root for r (below U+20000):
// the rank of r in twemojiFirst, when its bit is set.
func twemojiRootChild(r rune) (uint16, bool) {
	w, bit := uint32(r)/64, uint32(r)%64
	if w >= uint32(len(twemojiFirst)) {
		return 0, false
	}
	word := twemojiFirst[w]
	if word&(1<<bit) == 0 {
		return 0, false
	}
	k := int(twemojiFirstRank[w]) + bits.OnesCount64(word&(1<<bit-1))
	return twemojiEdges[int(twemojiNodes[0].edges)+k].node, true
}
