package text

import (
	"strings"
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
// for none); matchVS15 is that length when the code point after the path
// is U+FE0E, which fails the expression's lookahead (?!\ufe0e) after
// the 243 characters it allows alone.
type twemojiNode struct {
	edges, n  uint16
	match     uint8
	matchVS15 uint8
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
	u := uint32(r) // a negative r is past U+20000 too
	if u >= 0x20000 {
		return false
	}
	b := u / 256
	return twemojiFirstBlocks[b/64]&(1<<(b%64)) != 0 && twemojiFirst[u/64]&(1<<(u%64)) != 0
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
	e, _ := twemojiLenFrom(s, r, n)
	return e
}

// twemojiLenFrom is twemojiLen for a text s whose first code point, r, is
// n bytes long, with the length of the match in UTF-16 code units, which
// the trie keeps beside its length in bytes. The root's child for r is
// found in two loads (twemojiRootChild); below the root the walk reads
// the key of the next code point (twemojiKey) and looks for a child with
// that key among the node's few children, sorted, from the first on.
//
// The key at s[i] is read without decoding or checking: as many bytes as
// the byte s[i] announces as a leading byte of UTF-8 (Unicode Standard,
// section 3.9, Table 3-6: one for ASCII and for a byte that leads
// nothing, then two, three, four), read as a big-endian number. The key
// of well-formed UTF-8 is the key of its code point, and the key of any
// other sequence is the key of no code point, since UTF-8 encodes each
// code point in exactly one way: so an invalid sequence stops the walk
// where utf8.DecodeRuneInString would have returned utf8.RuneError, which
// no edge has. A sequence cut by the end of s has twemojiNoKey.
func twemojiLenFrom(s string, r rune, n int) (bytes, units int) {
	k, ok := twemojiRootChild(r)
	if !ok {
		return 0, 0
	}
	node := &twemojiTrie[k]
	i := n
	for node.n != 0 && i < len(s) {
		// The key of the code point at s[i] and its length.
		key, size := twemojiNoKey, 0
		switch b := s[i]; {
		case b < 0xC0:
			key, size = uint32(b), 1
		case b >= 0xF0:
			if len(s)-i >= 4 {
				q := s[i : i+4]
				key, size = uint32(q[0])<<24|uint32(q[1])<<16|uint32(q[2])<<8|uint32(q[3]), 4
			}
		case b >= 0xE0:
			if len(s)-i >= 3 {
				q := s[i : i+3]
				key, size = uint32(q[0])<<16|uint32(q[1])<<8|uint32(q[2]), 3
			}
		default:
			if len(s)-i >= 2 {
				key, size = uint32(b)<<8|uint32(s[i+1]), 2
			}
		}
		var child *twemojiTrieNode
		kids := twemojiTrie[node.first : uint(node.first)+uint(node.n)]
		for j := range kids {
			if kids[j].key >= key {
				if kids[j].key == key {
					child = &kids[j]
				}
				break
			}
		}
		if child == nil {
			break
		}
		node = child
		i += size
	}
	if node.matchVS15 != node.match && strings.HasPrefix(s[i:], "\uFE0E") {
		return int(node.matchVS15), int(node.unitsVS15) // the lookahead (?!\ufe0e) fails
	}
	return int(node.match), int(node.units)
}

// twemojiTrieNode is a node of twemojiTrie: key is the key
// (twemojiKey) of the code point of the edge that leads to it, its
// children are twemojiTrie[first : first+n], sorted by key, and match is
// the byte length of the match that twemojiNode.match gives (matchVS15,
// that of twemojiNode.matchVS15), units and unitsVS15 their lengths in
// UTF-16 code units. The root has n = 0: its children are found through
// twemojiRootPage.
type twemojiTrieNode struct {
	key              uint32
	first            uint16
	n                uint8
	match, matchVS15 uint8
	units, unitsVS15 uint8
}

// twemojiTrie is the generated trie (twemojiNodes, twemojiEdges) with
// its edges keyed by UTF-8 bytes and stored in the child they lead to:
// the generator numbers the nodes breadth first, so the children of a
// node are consecutive nodes, and a node's children are one slice of
// the trie, searched without a second table. UTF-8 keeps the order of
// code points, so the children stay sorted by key.
var twemojiTrie = func() (t [len(twemojiNodes)]twemojiTrieNode) {
	// paths[id] is the length of the string that leads from the root to
	// node id, in bytes and in UTF-16 code units, and the node's parent.
	// A match of a node is such a string, of the node or an ancestor:
	// unitsOf finds it by its length in bytes. The generator numbers the
	// nodes breadth first, so a node's parent comes before it.
	type pathLen struct {
		bytes, units uint8
		up           uint16
	}
	paths := make([]pathLen, len(twemojiNodes))
	unitsOf := func(id int, bytes uint8) uint8 {
		for paths[id].bytes > bytes {
			id = int(paths[id].up)
		}
		return paths[id].units
	}
	for id, node := range twemojiNodes {
		t[id].match, t[id].matchVS15 = node.match, node.matchVS15
		t[id].units, t[id].unitsVS15 = unitsOf(id, node.match), unitsOf(id, node.matchVS15)
		edges := twemojiEdges[node.edges : node.edges+node.n]
		if len(edges) == 0 {
			continue
		}
		for _, e := range edges {
			p := paths[id]
			paths[e.node] = pathLen{p.bytes + uint8(utf8.RuneLen(e.r)), p.units + uint8(runeLen16(e.r)), uint16(id)}
		}
		// The generator numbers the nodes breadth first, so the children
		// are edges[0].node and the ones after it; below the root no node
		// has more than a uint8 counts (TestTwemojiTrieShape checks both).
		for _, e := range edges {
			t[e.node].key = twemojiKey(e.r)
		}
		t[id].first = edges[0].node
		if id > 0 {
			t[id].n = uint8(len(edges))
		}
	}
	return t
}()

// twemojiKey returns the key of the code point r: its UTF-8 bytes as a
// big-endian number, so that keys sort as code points do.
func twemojiKey(r rune) uint32 {
	var buf [utf8.UTFMax]byte
	var key uint32
	for _, b := range buf[:utf8.EncodeRune(buf[:], r)] {
		key = key<<8 | uint32(b)
	}
	return key
}

// twemojiNoKey is the key twemojiLenFrom gives a sequence cut by the end
// of the text: 0xFF is no byte of UTF-8, so no code point has this key.
const twemojiNoKey uint32 = 0xFFFFFFFF

// twemojiRootPage and twemojiRootNodes give the root's child for each
// code point below U+20000, in two steps: twemojiRootPage gives, for each
// block of 256 code points, its page of twemojiRootNodes, and the page
// gives, for each code point of the block, its node of twemojiTrie, 0 for
// none (0 is the root, no child). The blocks without a first code point
// share page 0, whose nodes are all 0. Of the 512 blocks, 22 have a first
// code point (internal/gen/twemoji checks they all are below U+20000).
var twemojiRootPage, twemojiRootNodes = func() (page [0x20000 >> 8]uint8, nodes [][256]uint16) {
	nodes = make([][256]uint16, 1, 32)
	root := twemojiNodes[0]
	for _, e := range twemojiEdges[root.edges : root.edges+root.n] {
		b := e.r >> 8
		if page[b] == 0 {
			if len(nodes) > 0xFF {
				panic("text: the first code points of twemoji-parser's list fill more pages than a uint8 counts")
			}
			page[b] = uint8(len(nodes))
			nodes = append(nodes, [256]uint16{})
		}
		nodes[page[b]][e.r&0xFF] = e.node
	}
	return page, nodes
}()

// twemojiRootChild returns the root's child for r, the node of
// twemojiTrie, when there is one (see twemojiRootPage).
func twemojiRootChild(r rune) (int, bool) {
	if uint32(r) >= 0x20000 {
		return 0, false
	}
	k := twemojiRootNodes[twemojiRootPage[r>>8]][r&0xFF]
	return int(k), k != 0
}
