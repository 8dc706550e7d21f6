// Command twemoji generates networks/text/twemoji_table.go, the emoji
// sequences twitter-text 3.1.0 counts as one emoji, from the expression of
// its dependency twemoji-parser 11 (dist/lib/regex.js, MIT licence, copied
// beside the table as LICENSE-twemoji-parser).
//
// Usage (from networks/text, through go generate):
//
//	go run ./internal/gen/twemoji [-pkg DIR] [-out twemoji_table.go] [-license LICENSE-twemoji-parser]
//
// DIR defaults to $NODE_PATH/twemoji-parser, else
// $HOME/.cache/socialflow-peers/node_modules/twemoji-parser, where
// "npm install --prefix $HOME/.cache/socialflow-peers twitter-text@3.1.0"
// puts it.
//
// The expression is a finite JavaScript regular expression over UTF-16
// code units: alternation, groups, character classes, escapes \uXXXX and
// the quantifier "?", and the negative lookahead (?!\ufe0e). The
// generator expands it into its strings in the order a backtracking engine
// tries them (alternatives left to right, "?" with before without), so
// that the first of them that is a prefix of a text is the match
// JavaScript reports there. A string that ends with the lookahead (the
// 243 characters of "X(?:\ufe0f|(?!\ufe0e))" alone) matches only where
// no U+FE0E follows it (ECMA-262, Assertion :: (?! Disjunction )). The
// table is a trie over code points; each node holds the byte length of
// that first match among the strings on the path to it, and of the first
// one when the walk stops there before a U+FE0E.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

const wantVersion = "11.0.2"

func main() {
	log.SetFlags(0)
	log.SetPrefix("twemoji: ")
	pkg := flag.String("pkg", defaultPkg(), "directory of the twemoji-parser npm package")
	out := flag.String("out", "twemoji_table.go", "Go file to write")
	lic := flag.String("license", "LICENSE-twemoji-parser", "where to copy the package's licence")
	flag.Parse()

	var meta struct{ Name, Version, License string }
	raw, err := os.ReadFile(filepath.Join(*pkg, "package.json"))
	if err != nil {
		log.Fatalf("%v (install it: npm install --prefix $HOME/.cache/socialflow-peers twitter-text@3.1.0)", err)
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		log.Fatal(err)
	}
	if meta.Name != "twemoji-parser" || meta.Version != wantVersion {
		log.Fatalf("%s is %s %s, want twemoji-parser %s (the version twitter-text 3.1.0 depends on)", *pkg, meta.Name, meta.Version, wantVersion)
	}
	src, err := os.ReadFile(filepath.Join(*pkg, "dist", "lib", "regex.js"))
	if err != nil {
		log.Fatal(err)
	}
	expr, err := regexLiteral(string(src))
	if err != nil {
		log.Fatal(err)
	}
	p := &parser{src: []rune(expr)}
	seqs, err := p.parse()
	if err != nil {
		log.Fatal(err)
	}
	t, err := buildTrie(seqs)
	if err != nil {
		log.Fatal(err)
	}
	code, err := t.source(meta.Version, len(seqs))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, code, 0o644); err != nil {
		log.Fatal(err)
	}
	licence, err := os.ReadFile(filepath.Join(*pkg, "LICENSE.md"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*lic, licence, 0o644); err != nil {
		log.Fatal(err)
	}
}

func defaultPkg() string {
	if np := os.Getenv("NODE_PATH"); np != "" {
		return filepath.Join(strings.Split(np, string(os.PathListSeparator))[0], "twemoji-parser")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "socialflow-peers", "node_modules", "twemoji-parser")
}

// regexLiteral returns the source of the /.../g literal regex.js exports.
func regexLiteral(js string) (string, error) {
	const start, end = "exports.default = /", "/g;"
	i := strings.Index(js, start)
	if i < 0 {
		return "", errors.New("regex.js: no exports.default = /.../g")
	}
	rest := js[i+len(start):]
	j := strings.LastIndex(rest, end)
	if j < 0 {
		return "", errors.New("regex.js: unterminated expression")
	}
	return rest[:j], nil
}

// A seq is a string of UTF-16 code units. The unit notBeforeVS15 stands
// for the lookahead (?!\ufe0e): the string goes on only where the next
// code point is not U+FE0E (VARIATION SELECTOR-15, text presentation).
type seq []uint16

const (
	vs15          = 0xFE0E
	notBeforeVS15 = 0xFFFF // a noncharacter: no string of the list has it
)

// parser expands the expression; each method returns the strings its
// construct matches, in the order a backtracking engine tries them.
type parser struct {
	src []rune
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("regex at %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *parser) parse() ([]seq, error) {
	out, err := p.alt()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.src) {
		return nil, p.errorf("unexpected %q", p.src[p.pos])
	}
	return out, nil
}

// alt is seq ('|' seq)*.
func (p *parser) alt() ([]seq, error) {
	var out []seq
	for {
		s, err := p.seq()
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
		if p.pos < len(p.src) && p.src[p.pos] == '|' {
			p.pos++
			continue
		}
		return out, nil
	}
}

// seq is (atom '?'?)*.
func (p *parser) seq() ([]seq, error) {
	out := []seq{{}}
	for p.pos < len(p.src) && p.src[p.pos] != '|' && p.src[p.pos] != ')' {
		a, err := p.atom()
		if err != nil {
			return nil, err
		}
		if p.pos < len(p.src) && p.src[p.pos] == '?' {
			p.pos++
			a = append(a, seq{}) // greedy: with, then without
		}
		if p.pos < len(p.src) && strings.ContainsRune("*+{", p.src[p.pos]) {
			return nil, p.errorf("unsupported quantifier %q", p.src[p.pos])
		}
		next := make([]seq, 0, len(out)*len(a))
		for _, o := range out {
			for _, x := range a {
				next = append(next, append(slices.Clip(o), x...))
			}
		}
		out = next
	}
	return out, nil
}

func (p *parser) atom() ([]seq, error) {
	switch c := p.src[p.pos]; c {
	case '(':
		p.pos++
		lookahead := false
		if p.pos+1 < len(p.src) && p.src[p.pos] == '?' && p.src[p.pos+1] == ':' {
			p.pos += 2
		} else if p.pos+1 < len(p.src) && p.src[p.pos] == '?' && p.src[p.pos+1] == '!' {
			p.pos += 2
			lookahead = true
		} else if p.pos < len(p.src) && p.src[p.pos] == '?' {
			return nil, p.errorf("unsupported group (?%c", p.src[p.pos+1])
		}
		a, err := p.alt()
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return nil, p.errorf("missing )")
		}
		p.pos++
		if lookahead {
			if len(a) != 1 || len(a[0]) != 1 || a[0][0] != vs15 {
				return nil, p.errorf("a negative lookahead other than (?!\\ufe0e)")
			}
			return []seq{{notBeforeVS15}}, nil
		}
		return a, nil
	case '[':
		p.pos++
		return p.class()
	case '.', '^', '$', '*', '+', '{', '}', ']':
		return nil, p.errorf("unsupported %q", c)
	default:
		u, err := p.unit()
		if err != nil {
			return nil, err
		}
		return []seq{{u}}, nil
	}
}

// unit reads one code unit: \uXXXX or a literal character of the BMP.
func (p *parser) unit() (uint16, error) {
	c := p.src[p.pos]
	if c == '\\' {
		if p.pos+5 < len(p.src)+0 && p.src[p.pos+1] == 'u' {
			v, err := strconv.ParseUint(string(p.src[p.pos+2:p.pos+6]), 16, 16)
			if err != nil {
				return 0, p.errorf("bad escape: %v", err)
			}
			p.pos += 6
			return uint16(v), nil
		}
		return 0, p.errorf("unsupported escape")
	}
	if c > 0xFFFF {
		return 0, p.errorf("literal outside the BMP")
	}
	p.pos++
	return uint16(c), nil
}

// class reads the rest of [...] and returns one string per code unit.
func (p *parser) class() ([]seq, error) {
	var out []seq
	for {
		if p.pos >= len(p.src) {
			return nil, p.errorf("missing ]")
		}
		if p.src[p.pos] == ']' {
			p.pos++
			return out, nil
		}
		if p.src[p.pos] == '^' && len(out) == 0 {
			return nil, p.errorf("negated class")
		}
		lo, err := p.unit()
		if err != nil {
			return nil, err
		}
		hi := lo
		if p.pos+1 < len(p.src) && p.src[p.pos] == '-' && p.src[p.pos+1] != ']' {
			p.pos++
			if hi, err = p.unit(); err != nil {
				return nil, err
			}
		}
		for u := int(lo); u <= int(hi); u++ {
			out = append(out, seq{uint16(u)})
		}
	}
}

// trie is a trie over code points.
type trie struct {
	nodes []*node
}

type node struct {
	depth    int // bytes of UTF-8 from the root
	kids     map[rune]*node
	prio     int // priority of the string ending here, or -1
	condPrio int // priority of the string ending here where no U+FE0E follows, or -1
	best     int // byte length of the first-priority string on the path, 0 none
	bestVS15 int // best, when the walk stops here before a U+FE0E
	id       int
}

func buildTrie(seqs []seq) (*trie, error) {
	root := &node{kids: map[rune]*node{}, prio: -1, condPrio: -1}
	for prio, s := range seqs {
		rs := utf16.Decode(s)
		// The lookahead: at the end, a condition on what follows; before a
		// code point, true unless that code point is U+FE0E.
		cond := false
		if k := slices.Index(rs, notBeforeVS15); k >= 0 {
			switch {
			case slices.Contains(rs[k+1:], notBeforeVS15):
				return nil, fmt.Errorf("string %d has two lookaheads", prio)
			case k == len(rs)-1:
				rs, cond = rs[:k], true
			case rs[k+1] == vs15:
				continue // never matches
			default:
				rs = slices.Delete(rs, k, k+1)
			}
		}
		if len(rs) == 0 {
			return nil, errors.New("the expression matches the empty string")
		}
		for i, r := range rs {
			if r == utf8.RuneError || utf16.IsSurrogate(r) {
				return nil, fmt.Errorf("string %d has a lone surrogate at %d", prio, i)
			}
		}
		n := root
		for _, r := range rs {
			k := n.kids[r]
			if k == nil {
				k = &node{depth: n.depth + utf8.RuneLen(r), kids: map[rune]*node{}, prio: -1, condPrio: -1}
				n.kids[r] = k
			}
			n = k
		}
		switch {
		case cond && n.condPrio < 0:
			n.condPrio = prio
		case !cond && n.prio < 0:
			n.prio = prio
		}
	}
	for r, k := range root.kids {
		// networks/text skips the emoji test for an ASCII character
		// followed by another.
		if r < utf8.RuneSelf && (k.prio >= 0 || slices.ContainsFunc(sortedKeys(k.kids), func(r rune) bool { return r < utf8.RuneSelf })) {
			return nil, fmt.Errorf("a string starts with %q and an ASCII character, or is %q alone", r, r)
		}
		if r >= 0x20000 {
			return nil, fmt.Errorf("a string starts with %U, outside the table's first-rune bitset", r)
		}
	}
	t := &trie{}
	// Breadth first, so that each node's children are consecutive.
	// bestPrio[n] and n.bestVS15 count the strings that end on the path
	// to n, n's own unconditional one included but not its conditional
	// one, which holds on the way to a child other than U+FE0E's and
	// where the walk stops before anything but U+FE0E.
	queue := []*node{root}
	bestPrio := map[*node]int{root: -1}
	better := func(bp, best, prio, depth int) (int, int) {
		if prio >= 0 && (bp < 0 || prio < bp) {
			return prio, depth
		}
		return bp, best
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		n.id = len(t.nodes)
		t.nodes = append(t.nodes, n)
		_, n.best = better(bestPrio[n], n.bestVS15, n.condPrio, n.depth)
		for _, r := range sortedKeys(n.kids) {
			k := n.kids[r]
			bp, best := bestPrio[n], n.bestVS15
			if r != vs15 {
				bp, best = better(bp, best, n.condPrio, n.depth)
			}
			bp, best = better(bp, best, k.prio, k.depth)
			bestPrio[k], k.bestVS15 = bp, best
			queue = append(queue, k)
		}
	}
	if len(t.nodes) > 0xFFFF {
		return nil, fmt.Errorf("%d nodes do not fit the table's uint16 indices", len(t.nodes))
	}
	for _, n := range t.nodes {
		if n.best > 0xFF || n.bestVS15 > 0xFF {
			return nil, fmt.Errorf("a match of %d bytes does not fit the table's uint8 lengths", n.best)
		}
	}
	return t, nil
}

func sortedKeys(m map[rune]*node) []rune {
	keys := make([]rune, 0, len(m))
	for r := range m {
		keys = append(keys, r)
	}
	slices.Sort(keys)
	return keys
}

func (t *trie) source(version string, strings int) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `// Code generated by internal/gen/twemoji from twemoji-parser %s (MIT, see LICENSE-twemoji-parser); DO NOT EDIT.

package text

// twemojiNodes and twemojiEdges are the trie of the %d strings of
// twemoji-parser %s's expression, breadth first; node 0 is the root.
`, version, strings, version)
	b.WriteString("var twemojiNodes = [...]twemojiNode{")
	edge := 0
	for i, n := range t.nodes {
		if i%6 == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "{%d, %d, %d, %d}, ", edge, len(n.kids), n.best, n.bestVS15)
		edge += len(n.kids)
	}
	b.WriteString("\n}\n\nvar twemojiEdges = [...]twemojiEdge{")
	k := 0
	for _, n := range t.nodes {
		for _, r := range sortedKeys(n.kids) {
			if k%6 == 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "{0x%X, %d}, ", r, n.kids[r].id)
			k++
		}
	}
	b.WriteString("\n}\n")
	return format.Source(b.Bytes())
}
