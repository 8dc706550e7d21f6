package text

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// URL extraction follows twitter-text's extractUrlsWithIndices and its
// extractUrl expression: a preceding character, an optional http:// or
// https://, a domain whose last label is a TLD of tlds.yml (or punycode), an
// optional port, path and query. The expression's backtracking is written
// out as a scanner because Go's regexp has no lookahead.

const (
	maxURLLength     = 4096 // twitter-text MAX_URL_LENGTH
	maxTcoSlugLength = 40   // twitter-text MAX_TCO_SLUG_LENGTH
	maxLabelLength   = 63   // RFC 1035 label length, after punycode
)

func isASCIIAlnum(r rune) bool {
	return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}

func isASCIILetter(r rune) bool { return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') }

// ASCII character classes of twitter-text's expressions, as bits of
// asciiClass.
const (
	cPunct     = 1 << iota // punct (JavaScript edition)
	cDomain                // validDomainChars
	cPath                  // validGeneralUrlPathChars
	cPathEnd               // validUrlPathEndingChars
	cQuery                 // validUrlQueryChars
	cQueryEnd              // validUrlQueryEndingChars
	cPreceding             // validUrlPrecedingChars
	cLabel                 // a character of a run of labels: validDomainChars, '_', '-' and '.'
)

// asciiClass is read-only after initialisation.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	set := func(bit uint8, chars string) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] |= bit
		}
	}
	alnum := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	set(cPunct, `!'#%&()*+,\-./:;<=>?@[]^_{|}~$`)
	set(cPath, alnum+`!*';:=+,.$/%#[]-_~@|&`)
	set(cPathEnd, alnum+`+-=_#/`)
	set(cQuery, alnum+`!?*'@();:&=+$/%#[]-_.,~|`)
	set(cQueryEnd, alnum+`-_&=#/`)
	for c := 0; c < utf8.RuneSelf; c++ {
		r := rune(c)
		if t[c]&cPunct == 0 && !isSpace(r) {
			t[c] |= cDomain
		}
		if !isASCIIAlnum(r) && r != '@' && r != '$' && r != '#' {
			t[c] |= cPreceding
		}
		if t[c]&cDomain != 0 || r == '_' || r == '-' || r == '.' {
			t[c] |= cLabel
		}
	}
	return t
}()

// isSpace is twitter-text's spaces group.
func isSpace(r rune) bool {
	switch {
	case r >= 0x09 && r <= 0x0D, r == 0x20, r == 0x85, r == 0xA0, r == 0x1680, r == 0x180E,
		r >= 0x2000 && r <= 0x200A, r == 0x2028, r == 0x2029, r == 0x202F, r == 0x205F, r == 0x3000:
		return true
	}
	return false
}

// isDirectional is twitter-text's directional markers group.
func isDirectional(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x2066 && r <= 0x2069)
}

// isPunct is twitter-text's punct group (JavaScript edition).
func isPunct(r rune) bool { return r < utf8.RuneSelf && asciiClass[r]&cPunct != 0 }

// isLatinAccent is twitter-text's latinAccentChars.
func isLatinAccent(r rune) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0xFF, r >= 0x100 && r <= 0x24F,
		r == 0x253, r == 0x254, r == 0x256, r == 0x257, r == 0x259, r == 0x25B, r == 0x263, r == 0x268,
		r == 0x26F, r == 0x272, r == 0x289, r == 0x28B, r == 0x2BB, r >= 0x300 && r <= 0x36F,
		r >= 0x1E00 && r <= 0x1EFF:
		return true
	}
	return false
}

func isCyrillic(r rune) bool { return r >= 0x400 && r <= 0x4FF }

// asciiSet returns a table that holds in(c) for each ASCII character c
// and false past ASCII: the loops that class bytes test one in one load.
func asciiSet(in func(rune) bool) (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = in(rune(c))
	}
	return t
}

// pathByte is asciiClass's cPath and cPathEnd bits for every byte, 0 past
// ASCII: the loop over a path's ASCII characters needs no other test.
var pathByte = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		t[c] = asciiClass[c] & (cPath | cPathEnd)
	}
	return t
}()

// isDomainChar is twitter-text's validDomainChars.
func isDomainChar(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cDomain != 0
	}
	return !(isSpace(r) || isForbidden(r) || isDirectional(r) || r == utf8.RuneError)
}

// isPathChar is twitter-text's validGeneralUrlPathChars.
func isPathChar(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cPath != 0
	}
	return isCyrillic(r) || isLatinAccent(r) || r == 0x2013
}

// isPathEnd is twitter-text's validUrlPathEndingChars (without the
// balanced-parentheses alternative).
func isPathEnd(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cPathEnd != 0
	}
	return isCyrillic(r) || isLatinAccent(r)
}

// isQueryChar is twitter-text's validUrlQueryChars.
func isQueryChar(r rune) bool { return r < utf8.RuneSelf && asciiClass[r]&cQuery != 0 }

// isQueryEnd is twitter-text's validUrlQueryEndingChars.
func isQueryEnd(r rune) bool { return r < utf8.RuneSelf && asciiClass[r]&cQueryEnd != 0 }

// isURLPreceding is twitter-text's validUrlPrecedingChars (one character).
func isURLPreceding(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cPreceding != 0
	}
	return isDirectional(r) || !(r == '＠' || r == '＃' || isForbidden(r))
}

// hasPrefixFold reports whether s starts with the ASCII lower-case
// prefix, ASCII letters matched without case: twitter-text's expressions
// are case-insensitive without the u flag, so a letter folds only to its
// ASCII other case (ECMA-262, Canonicalize: a non-ASCII character never
// folds to an ASCII one, so "ſ" is not "s" and "K" (U+212A) is not "k").
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c, p := s[i], prefix[i]; c != p && !(isASCIILetter(rune(p)) && c|0x20 == p) {
			return false
		}
	}
	return true
}

// urlSpan is a URL found in a text (byte offsets).
type urlSpan struct {
	start, end int
	ascii      bool // the URL is known to be ASCII (false: not known)
}

// urlMatch is one match of twitter-text's extractUrl expression.
type urlMatch struct {
	before      int // start of the preceding character (== start when none)
	start       int // start of the URL
	protocol    int // end of the protocol, == start when none
	domainEnd   int
	pathPresent bool
	wide        bool // the port, path or query may hold a code point past ASCII
	end         int
	labels      int // with an ASCII domain (chainMatch): its longest label; else 0
}

// urlScanner matches extractUrl over one text. It remembers the runs of
// label characters and the domain chains it has scanned, so that a text is
// scanned in linear time where a backtracking expression is quadratic.
type urlScanner struct {
	s          string
	lastDot    int         // without shortcuts: no domain starts after the last dot
	runs       [2]labelRun // the last runs scanned
	next       int         // which of runs to replace
	tail       memo        // domain end for a chain of labels starting at a label start, -1 none
	lastDomain domainResult
	slow       bool // no shortcuts: see scanURLs
	tldEnd     int  // end of the TLD after the dot extract is at
}

// labelRun is a run of label characters (validDomainChars, '_' and '-').
type labelRun struct {
	from, end      int  // scanned from, first offset past the run
	lastUnderscore int  // last '_' in the run, or -1
	lastOK         bool // the run ends with a validDomainChars
}

// extractURLSpans returns the URLs of s, as extractUrlsWithIndices does,
// with or without the URLs that lack a protocol.
func extractURLSpans(s string, withoutProtocol bool) []urlSpan {
	return appendURLSpans(nil, s, withoutProtocol)
}

// appendURLSpans appends the URLs of s to urls, as extractURLSpans.
func appendURLSpans(urls []urlSpan, s string, withoutProtocol bool) []urlSpan {
	return scanURLs(urls, s, withoutProtocol, true)
}

// scanURLs is appendURLSpans; with fast false, the scan tries every
// position up to the last dot, without the shortcuts of domainScanStart,
// the bound of each search at its dot and nextStart (the fuzz tests check
// that both agree).
func scanURLs(urls []urlSpan, s string, withoutProtocol, fast bool) []urlSpan {
	if !withoutProtocol && strings.IndexByte(s, ':') < 0 {
		return urls
	}
	if !fast {
		sc := urlScanner{s: s, lastDot: strings.LastIndexByte(s, '.'), slow: true}
		return sc.extract(urls, withoutProtocol, -1)
	}
	// Every URL has a domain that ends with ".tld" (a TLD of the list or
	// punycode, followed by a boundary): the scan for the URL whose domain
	// holds such a dot starts no earlier than the chain of labels before
	// it, and a URL that starts after the dot holds a later one.
	first, tldEnd := nextTLDDot(s, 0)
	if first < 0 {
		return urls
	}
	sc := urlScanner{s: s, tldEnd: tldEnd}
	return sc.extract(urls, withoutProtocol, first)
}

// extract appends the URLs of sc.s to urls. With first >= 0, the offset
// of the first dot a TLD follows, each search starts at the chain of
// labels before the next such dot and ends at that dot; else it tries
// every position up to sc.lastDot.
func (sc *urlScanner) extract(urls []urlSpan, withoutProtocol bool, first int) []urlSpan {
	s := sc.s
	var asciiBuf [4]urlSpan
	for pos := 0; pos < len(s); {
		if first >= 0 {
			if first < pos {
				if first, sc.tldEnd = nextTLDDot(s, pos); first < 0 {
					break
				}
			}
		}
		var m urlMatch
		ok := first >= 0 && chainMatch(&m, s, pos, first, sc.tldEnd)
		if !ok {
			from, to := pos, sc.lastDot
			if first >= 0 {
				from, to = max(pos, domainScanStart(s, first)), first
			}
			if m, ok = sc.search(from, to); !ok {
				if first < 0 {
					break
				}
				pos = first + 1 // no URL starts at or before the dot
				continue
			}
		}
		pos = m.end
		if m.labels > maxLabelLength {
			continue
		}
		if m.labels == 0 || max(m.protocol-m.start, len("https://"))+m.end-m.start > maxURLLength {
			protocol := s[m.start:m.protocol]
			if protocol == "" {
				protocol = "https://"
			}
			if !validURLLength(s[m.start:m.end], protocol, s[m.protocol:m.domainEnd]) {
				continue
			}
		}
		if m.protocol == m.start {
			domain := s[m.protocol:m.domainEnd]
			if !withoutProtocol || m.before < m.start && strings.ContainsRune("-_./", rune(s[m.start-1])) {
				continue
			}
			var ascii []urlSpan
			if !sc.slow && (m.labels > 0 || isHostnameASCII(domain)) {
				// validAsciiDomain's labels take all of these characters,
				// and the domain ends with a TLD: the match is all of it.
				ascii = append(asciiBuf[:0], urlSpan{start: 0, end: len(domain)})
			} else {
				ascii = asciiDomains(asciiBuf[:0], domain)
			}
			if len(ascii) == 0 {
				continue
			}
			for i, a := range ascii {
				u := urlSpan{m.start + a.start, m.start + a.end, m.labels > 0 && !m.wide}
				if i == len(ascii)-1 && m.pathPresent {
					u.end = m.end
				}
				urls = append(urls, u)
			}
			continue
		}
		if end, ok, skip := tcoURL(s[m.start:m.end]); ok {
			if skip {
				continue
			}
			urls = append(urls, urlSpan{m.start, m.start + end, m.labels > 0 && !m.wide})
			continue
		}
		urls = append(urls, urlSpan{m.start, m.end, m.labels > 0 && !m.wide})
	}
	return urls
}

// isHostnameASCII reports whether s has only ASCII letters, digits, '-'
// and '.'.
func isHostnameASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(isASCIIAlnum(rune(c)) || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// nextTLDDot returns the offset of the first '.' at or after from that a
// top-level domain follows, and the end of that domain, or -1.
func nextTLDDot(s string, from int) (dot, tldEnd int) {
	for from < len(s) {
		k := strings.IndexByte(s[from:], '.')
		if k < 0 {
			return -1, 0
		}
		d := from + k
		if e, ok := matchTLD(s, d+1); ok {
			return d, e
		}
		from = d + 1
	}
	return -1, 0
}

// chainMatch is search(domainScanStart(s, d), d) for the common case,
// setting *m to the match, in one forward pass over the labels: the dot
// d, which the TLD ending at tldEnd follows and no dot from pos to d
// does, is in a chain of labels
// (ASCII letters, digits and '-', and validDomainChars past ASCII,
// separated by single dots) that neither starts nor ends inside a run of
// label characters, and a preceding character (or the start of the
// text), optionally with http:// or https:// after it, starts it at or
// after pos. It reports false, and the caller runs the general search,
// for anything else, and when the match at that start fails (the general
// search then tries later starts).
//
// On such a chain the expression's validDomain is simple: each label is
// a valid subdomain and domain-name label unless it starts or ends with
// '-'; the match ends at the TLD after the furthest valid label of the
// chain's valid prefix that a TLD follows (greedy validSubdomain*, see
// urlScanner.domain).
//
// When the domain is ASCII, its match records the length of the longest
// label (urlMatch.labels): an ASCII label is its own punycode form, so
// validURLLength's checks are that length and the URL's.
func chainMatch(m *urlMatch, s string, pos, d, tldEnd int) bool {
	c := d              // the chain's start
	firstWide := len(s) // the first code point past ASCII in the chain
	for c > 0 && labelByte[s[c-1]] {
		c-- // the label before d
	}
	// The pass below starts at the chain's start; when the chain's only
	// label before d is ASCII (example.com, bit.ly), it starts at d, in
	// the state it would have reached after that label.
	single := c == 0 || s[c-1] < utf8.RuneSelf && s[c-1] != '.'
	// The code point before the chain, where it is past ASCII and was
	// decoded to end the chain (else -1): the checks of what precedes the
	// chain read it again.
	before, beforeSize := rune(-1), 0
	for !single {
		for c > 0 && hostnameByte[s[c-1]] {
			c-- // ASCII letters, digits, '-' and '.'
		}
		if c == 0 || s[c-1] < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeLastRuneInString(s[:c])
		if !isDomainChar(r) {
			before, beforeSize = r, size
			break
		}
		c -= size
		firstWide = c
	}
	if strings.HasPrefix(s[c:], "xn--") {
		return false // punycode: validURLLength decodes it
	}
	// One pass over the chain: its labels (each followed by a dot, but
	// the last) while they are valid, then on to its end. No TLD follows
	// a dot before d.
	*m = urlMatch{start: c, protocol: c, domainEnd: -1}
	end, l, valid := c, c, true
	longest := 0 // the longest label so far
	if single {
		if d == c || s[c] == '-' || s[d-1] == '-' {
			return false // an empty label, or one that is not valid: no TLD follows a later dot
		}
		longest = d - c
		m.domainEnd, m.labels = tldEnd, max(longest, tldEnd-d-1)
		end, l = d+1, d+1
	}
	for {
		for end < len(s) && labelByte[s[end]] {
			end++ // ASCII letters, digits and '-'
		}
		if end == len(s) {
			break
		}
		b := s[end]
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !isDomainChar(r) {
				break
			}
			firstWide = min(firstWide, end)
			end += size
			continue
		}
		if b != '.' {
			break
		}
		if valid {
			if end == l || s[l] == '-' || s[end-1] == '-' {
				valid = false // an empty label, or one that is not valid
			} else {
				longest = max(longest, end-l)
				e, ok := tldEnd, end == d
				if end > d {
					e, ok = matchTLD(s, end+1)
				}
				if ok {
					m.domainEnd, m.labels = e, max(longest, e-end-1)
				}
				l = end + 1
			}
		}
		end++
	}
	if firstWide < m.domainEnd {
		m.labels = 0 // not an ASCII domain: validURLLength encodes it
	}
	if m.domainEnd < 0 {
		return false
	}
	// The chain is a whole run of label characters (urlScanner.run):
	// what ends it and what precedes it are not label characters ('_',
	// '"', a letter of another script, ...), but may be spaces or
	// directional marks of any script.
	if end < len(s) && !endsLabelRun(s, end) || c > 0 && before < 0 && !endsLabelRunBefore(s, c) {
		return false
	}
	if c >= len("http://") && s[c-3:c] == "://" {
		switch {
		case c >= len("https://") && hasPrefixFold(s[c-len("https://"):], "https://"):
			m.start = c - len("https://")
		case hasPrefixFold(s[c-len("http://"):], "http://"):
			m.start = c - len("http://")
		}
	}
	if m.start == 0 && firstWide == 0 {
		// At the start of the text the general scan takes a first code
		// point past ASCII for the preceding character: "日本.jp" is "本.jp".
		return false
	}
	m.before = m.start
	if m.start > 0 {
		r, size := rune(s[m.start-1]), 1
		if m.start == c && before >= 0 {
			r, size = before, beforeSize
		} else if r >= utf8.RuneSelf {
			r, size = utf8.DecodeLastRuneInString(s[:m.start])
		}
		if !isURLPreceding(r) {
			return false
		}
		m.before = m.start - size
	}
	if m.before < pos && m.start > 0 || m.start < pos {
		return false
	}
	m.end, m.pathPresent, m.wide = portPathQuery(s, m.domainEnd)
	return true
}

// endsLabelRun reports whether the code point at s[i] is not a character
// of a run of labels (urlScanner.run): not '_', '-', '.' nor one of
// validDomainChars. ASCII is answered with one load, inlined.
func endsLabelRun(s string, i int) bool {
	if b := s[i]; b < utf8.RuneSelf {
		return !labelRunByte[b]
	}
	return endsLabelRunWide(s, i)
}

// endsLabelRunBefore is endsLabelRun for the code point before s[i].
func endsLabelRunBefore(s string, i int) bool {
	if b := s[i-1]; b < utf8.RuneSelf {
		return !labelRunByte[b]
	}
	return endsLabelRunWideBefore(s, i)
}

// labelRunByte is asciiClass's cLabel bit for every byte, false past
// ASCII. It is read-only after initialisation.
var labelRunByte = asciiSet(func(r rune) bool { return asciiClass[r]&cLabel != 0 })

// endsLabelRunWide is endsLabelRun for the first code point of s, past
// ASCII; endsLabelRunWideBefore for the last.
func endsLabelRunWide(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isDomainChar(r)
}

func endsLabelRunWideBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isDomainChar(r)
}

// hostnameByte is true for the bytes of a chain of ASCII labels:
// ASCII letters, digits, '-' and '.'; labelByte for those of a label,
// all but '.'. They are read-only after initialisation.
var (
	hostnameByte = asciiSet(func(r rune) bool { return isASCIIAlnum(r) || r == '-' || r == '.' })
	labelByte    = asciiSet(func(r rune) bool { return isASCIIAlnum(r) || r == '-' })
)

// domainScanStart returns where the scan for a URL whose domain holds
// the dot d must start: before the labels and dots that precede d, a
// protocol and the preceding character, at a code point boundary.
//
// A domain starts at a label start of that chain; only at its first one
// may a protocol end ("://" is not a label character), so the scan starts
// one code point (the preceding character) before the chain, or before
// the protocol that precedes it.
func domainScanStart(s string, d int) int {
	i := d
	for i > 0 {
		if b := s[i-1]; b < utf8.RuneSelf {
			if asciiClass[b]&cLabel == 0 {
				break
			}
			i--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !isDomainChar(r) {
			break
		}
		i -= size
	}
	switch {
	case i < len("http://") || s[i-3:i] != "://":
	case i >= len("https://") && strings.EqualFold(s[i-len("https://"):i], "https://"):
		i -= len("https://")
	case strings.EqualFold(s[i-len("http://"):i], "http://"):
		i -= len("http://")
	}
	_, size := utf8.DecodeLastRuneInString(s[:i])
	return i - size
}

// search finds the next match of extractUrl that starts (with its
// preceding character) at or after from and at or before to.
func (sc *urlScanner) search(from, to int) (urlMatch, bool) {
	s := sc.s
	for st := from; st < len(s) && st <= to; {
		r, sz := utf8.DecodeRuneInString(s[st:])
		if isURLPreceding(r) {
			if m, ok := sc.body(st + sz); ok {
				m.before = st
				return m, true
			}
		}
		if st == 0 {
			if m, ok := sc.body(0); ok {
				m.before = 0
				return m, true
			}
		}
		st = sc.nextStart(st + sz)
	}
	return urlMatch{}, false
}

// nextStart returns the offset of the next preceding character to try
// after the body at p failed. A domain starts with a label, whose run of
// label characters must end at a dot, and a protocol ends with ':'; every
// position of a run that ends otherwise fails as p did, so the scan skips
// to the last code point of the run (whose successor may start a URL).
func (sc *urlScanner) nextStart(p int) int {
	s := sc.s
	if p >= len(s) || sc.slow {
		return p
	}
	r := sc.run(p)
	if r.end <= p || r.end < len(s) && (s[r.end] == '.' || s[r.end] == ':') {
		return p
	}
	_, size := utf8.DecodeLastRuneInString(s[:r.end])
	return max(p, r.end-size)
}

// body matches protocol, domain, port, path and query at p.
func (sc *urlScanner) body(p int) (urlMatch, bool) {
	s := sc.s
	m := urlMatch{start: p, protocol: p}
	for _, proto := range [...]string{"https://", "http://"} {
		if p < len(s) && s[p]|0x20 == 'h' && hasPrefixFold(s[p:], proto) {
			if end, ok := sc.domain(p + len(proto)); ok {
				m.protocol = p + len(proto)
				m.domainEnd = end
				m.end, m.pathPresent, m.wide = portPathQuery(s, end)
				return m, true
			}
			break
		}
	}
	end, ok := sc.domain(p)
	if !ok {
		return urlMatch{}, false
	}
	m.domainEnd = end
	m.end, m.pathPresent, m.wide = portPathQuery(s, end)
	return m, true
}

// label is one "label." unit of a domain.
type label struct {
	ok     bool // non-empty and followed by a dot
	dot    int  // offset of the dot
	sub    bool // valid subdomain label: D([D_-]*D)?
	domain bool // valid domain-name label: D([D-]*D)?
}

// run returns the run of label characters that p is in, scanning it only
// when it is not one of the last two runs.
func (sc *urlScanner) run(p int) labelRun {
	for _, r := range sc.runs {
		if r.end > 0 && r.from <= p && p < r.end {
			return r
		}
	}
	s := sc.s
	r := labelRun{from: p, end: p, lastUnderscore: -1}
	for r.end < len(s) {
		if b := s[r.end]; b < utf8.RuneSelf {
			// ASCII: '_', '-' or validDomainChars, read from asciiClass
			switch {
			case b == '_':
				r.lastUnderscore = r.end
				r.lastOK = false
			case b == '-':
				r.lastOK = false
			case asciiClass[b]&cDomain != 0:
				r.lastOK = true
			default:
				sc.store(r)
				return r
			}
			r.end++
			continue
		}
		c, sz := utf8.DecodeRuneInString(s[r.end:])
		switch {
		case c == '_':
			r.lastUnderscore = r.end
			r.lastOK = false
		case c == '-':
			r.lastOK = false
		case isDomainChar(c):
			r.lastOK = true
		default:
			sc.store(r)
			return r
		}
		r.end += sz
	}
	sc.store(r)
	return r
}

func (sc *urlScanner) store(r labelRun) {
	if r.end > r.from {
		sc.runs[sc.next] = r
		sc.next = 1 - sc.next
	}
}

// label returns the label unit starting at p.
func (sc *urlScanner) label(p int) label {
	s := sc.s
	if p >= len(s) {
		return label{}
	}
	r := sc.run(p)
	if r.end == p || r.end >= len(s) || s[r.end] != '.' {
		return label{}
	}
	first, _ := utf8.DecodeRuneInString(s[p:])
	sub := first != '_' && first != '-' && r.lastOK
	return label{ok: true, dot: r.end, sub: sub, domain: sub && r.lastUnderscore < p}
}

// domain matches twitter-text's validDomain at p:
// validSubdomain* validDomainName (validGTLD | validCCTLD | validPunycode).
// The greedy subdomain* makes the match end at the TLD after the furthest
// domain-name label of the chain of valid labels.
//
// Every position of a run of label characters gives the same label, up to
// its flags; the last result is kept for the next position (lastDomain).
func (sc *urlScanner) domain(p int) (int, bool) {
	l := sc.label(p)
	if !l.ok || !l.sub {
		return 0, false
	}
	if d := sc.lastDomain; d.set && d.label == l && !sc.slow {
		return d.end, d.ok
	}
	end, ok := sc.chain(l.dot+1), true
	if end < 0 {
		end, ok = 0, false
		if l.domain {
			end, ok = matchTLD(sc.s, l.dot+1)
		}
	}
	sc.lastDomain = domainResult{set: true, label: l, end: end, ok: ok}
	return end, ok
}

// domainResult is a result of urlScanner.domain for a label.
type domainResult struct {
	set   bool
	label label
	end   int
	ok    bool
}

// chain returns the domain end for the chain of labels starting at the
// label start q (just after a dot), or -1.
func (sc *urlScanner) chain(q int) int {
	if v, ok := sc.tail.get(q); ok {
		return v
	}
	// The chain is walked forward to its end (or to a label already
	// known), then valued backward: a label's value is the first TLD end
	// of the chain from it on, the furthest domain-name label winning.
	if l := sc.label(q); !sc.slow && (!l.ok || !l.sub) {
		return -1 // a last label (the TLD): nothing to remember
	}
	var stackBuf [8]int
	var dotsBuf [8]label
	stack, dots := stackBuf[:0], dotsBuf[:0]
	val := -1
	for cur := q; ; {
		if v, ok := sc.tail.get(cur); ok {
			val = v
			break
		}
		l := sc.label(cur)
		if !l.ok || !l.sub {
			stack, dots = append(stack, cur), append(dots, label{})
			break
		}
		stack, dots = append(stack, cur), append(dots, l)
		cur = l.dot + 1
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if l := dots[i]; val < 0 && l.ok && l.domain {
			if e, ok := matchTLD(sc.s, l.dot+1); ok {
				val = e
			}
		}
		sc.tail.put(stack[i], val)
	}
	return val
}

// memo maps offsets to results. The first memoInline entries are held in
// the memo itself, so that a scanner on the stack does not allocate for a
// post's few domains; more go to sorted slices on the heap.
type memo struct {
	n            int
	keys, vals   [memoInline]int // keys[:n] sorted
	moreK, moreV []int           // sorted, past the first memoInline entries
}

const memoInline = 16

func (m *memo) get(k int) (int, bool) {
	if i, ok := slices.BinarySearch(m.keys[:m.n], k); ok {
		return m.vals[i], true
	}
	if i, ok := slices.BinarySearch(m.moreK, k); ok {
		return m.moreV[i], true
	}
	return 0, false
}

func (m *memo) put(k, v int) {
	if i, ok := slices.BinarySearch(m.keys[:m.n], k); ok {
		m.vals[i] = v
		return
	} else if m.n < memoInline {
		copy(m.keys[i+1:m.n+1], m.keys[i:m.n])
		copy(m.vals[i+1:m.n+1], m.vals[i:m.n])
		m.keys[i], m.vals[i] = k, v
		m.n++
		return
	}
	i, ok := slices.BinarySearch(m.moreK, k)
	if ok {
		m.moreV[i] = v
		return
	}
	m.moreK, m.moreV = slices.Insert(m.moreK, i, k), slices.Insert(m.moreV, i, v)
}

// matchTLD matches validGTLD | validCCTLD | validPunycode at p.
func matchTLD(s string, p int) (int, bool) {
	if p < len(s) && s[p] < utf8.RuneSelf && tldByte[s[p]] < 'a' {
		// Every TLD of the list and of punycode starts with a letter,
		// or past ASCII (TestTLDsStartWithALetter): not a digit, '-' or
		// anything else of ASCII ("v2.3", the end of a sentence).
		return 0, false
	}
	if p+3 < len(s) {
		// Most names after a dot are two or three ASCII letters ("com",
		// "jp") that ASCII which ends the run follows: the run is then the
		// only candidate (matchTLDList), answered by shortTLDs alone.
		n := 3
		if tldByte[s[p+2]] == 0 {
			n = 2
		}
		if next := s[p+n]; next < utf8.RuneSelf && tldByte[next] == 0 {
			if k, ok := shortTLDIndex(s[p : p+n]); ok { // letters only
				if isTLDBoundary(rune(next)) && shortTLDs[uint(k)/64]&(1<<(uint(k)%64)) != 0 {
					return p + n, true
				}
				return 0, false
			}
		}
	}
	if end, ok := matchTLDList(s, p); ok {
		return end, true
	}
	if hasPrefixFold(s[p:], "xn--") {
		e := p + 4
		for e < len(s) && (isASCIIAlnum(rune(s[e])) || s[e] == '-') {
			e++
		}
		if e > p+4 {
			return e, true
		}
	}
	return 0, false
}

// portPathQuery matches the optional port, path and query after a domain
// ending at p, and returns the end of the URL; wide is false when they
// are ASCII (true may be either).
func portPathQuery(s string, p int) (end int, path, wide bool) {
	if p+1 < len(s) && s[p] == ':' && '0' <= s[p+1] && s[p+1] <= '9' {
		p++
		for p < len(s) && '0' <= s[p] && s[p] <= '9' {
			p++
		}
	}
	if p < len(s) && s[p] == '/' {
		// validUrlPath repeats elements "G* (B G*)* E" or "B" (the
		// ending-character alternative is spliced in without a group), so
		// the path may end after an ending character, or after a
		// balanced-parentheses group that starts where an element ended.
		path = true
		q := p + 1
		last := q
		for q < len(s) {
			from := q
			for q < len(s) && pathByte[s[q]] != 0 {
				q++ // ASCII path characters (every ending character is one)
			}
			for k := q; k > from; k-- {
				if pathByte[s[k-1]]&cPathEnd != 0 {
					last = k // the run's last ending character
					break
				}
			}
			if q == len(s) {
				break
			}
			r, sz := utf8.DecodeRuneInString(s[q:])
			if isPathChar(r) {
				wide = wide || r >= utf8.RuneSelf
				q += sz
				if isPathEnd(r) {
					last = q
				}
				continue
			}
			if r == '(' {
				if e, ok := balancedParens(s, q); ok {
					if last == q {
						last = e
					}
					wide = wide || !isASCII(s[q:e])
					q = e
					continue
				}
			}
			break
		}
		p = last
	}
	if p < len(s) && s[p] == '?' {
		q, last := p+1, -1
		for q < len(s) {
			c := rune(s[q])
			if c >= utf8.RuneSelf || !isQueryChar(c) {
				break
			}
			q++
			if isQueryEnd(c) {
				last = q
			}
		}
		if last > 0 {
			p = last
		}
	}
	return p, path, wide
}

// balancedParens matches validUrlBalancedParens at s[p] == '(': one level
// of nesting, and never empty.
func balancedParens(s string, p int) (int, bool) {
	run := func(i int) int {
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if asciiClass[c]&cPath == 0 {
					break
				}
				i++
				continue
			}
			r, sz := utf8.DecodeRuneInString(s[i:])
			if !isPathChar(r) {
				break
			}
			i += sz
		}
		return i
	}
	i := run(p + 1)
	if i < len(s) && s[i] == ')' && i > p+1 {
		return i + 1, true
	}
	if i < len(s) && s[i] == '(' {
		j := run(i + 1)
		if j == i+1 || j >= len(s) || s[j] != ')' {
			return 0, false
		}
		k := run(j + 1)
		if k < len(s) && s[k] == ')' {
			return k + 1, true
		}
	}
	return 0, false
}

// tcoURL reports whether url is a t.co URL, and returns the end of its
// slug and query (twitter-text drops anything after them) or whether the
// slug is too long to be one.
func tcoURL(url string) (end int, ok, skip bool) {
	var p int
	if len(url) < len("http://t.co/") || url[len("http://")]|0x20 != 't' && url[len("https://")]|0x20 != 't' {
		return 0, false, false // not t.co: the host would start with 't'
	}
	switch {
	case hasPrefixFold(url, "https://t.co/"):
		p = len("https://t.co/")
	case hasPrefixFold(url, "http://t.co/"):
		p = len("http://t.co/")
	default:
		return 0, false, false
	}
	e := p
	for e < len(url) && isASCIIAlnum(rune(url[e])) {
		e++
	}
	if e == p {
		return 0, false, false
	}
	if e-p > maxTcoSlugLength {
		return 0, true, true
	}
	if e < len(url) && url[e] == '?' {
		q, last := e+1, -1
		for q < len(url) && url[q] < utf8.RuneSelf && isQueryChar(rune(url[q])) {
			q++
			if isQueryEnd(rune(url[q-1])) {
				last = q
			}
		}
		if last > 0 {
			e = last
		}
	}
	return e, true, false
}

// asciiDomains appends to dst twitter-text's validAsciiDomain matches in
// a domain: ([-a-z0-9 latin accents]+\.)+ followed by a TLD, the furthest
// one the chain of labels allows.
func asciiDomains(dst []urlSpan, domain string) []urlSpan {
	var a asciiScan
	a.d = domain
	for st := 0; st < len(domain); {
		e := a.runEnd(st)
		if e == st {
			_, sz := utf8.DecodeRuneInString(domain[st:])
			st += sz
			continue
		}
		// Every start inside the run has the same chain after it.
		if end := a.chain(st); end >= 0 {
			dst = append(dst, urlSpan{start: st, end: end})
			st = end
			continue
		}
		st = e
	}
	return dst
}

// asciiScan is the state of asciiDomains.
type asciiScan struct {
	d    string
	tail memo // label start -> furthest TLD end of its chain, or -1
}

func (a *asciiScan) runEnd(i int) int {
	for i < len(a.d) {
		r, sz := utf8.DecodeRuneInString(a.d[i:])
		if !(isASCIIAlnum(r) || r == '-' || isLatinAccent(r)) {
			break
		}
		i += sz
	}
	return i
}

// label reports whether a label starts at q and where its dot is.
func (a *asciiScan) label(q int) (dot int, ok bool) {
	e := a.runEnd(q)
	return e, e > q && e < len(a.d) && a.d[e] == '.'
}

func (a *asciiScan) chain(q int) int {
	if v, ok := a.tail.get(q); ok {
		return v
	}
	var stackBuf [8]int
	stack := stackBuf[:0]
	val := -1
	for cur := q; ; {
		if v, ok := a.tail.get(cur); ok {
			val = v
			break
		}
		stack = append(stack, cur)
		dot, ok := a.label(cur)
		if !ok {
			break
		}
		cur = dot + 1
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if dot, ok := a.label(stack[i]); val < 0 && ok {
			if end, ok := matchTLD(a.d, dot+1); ok {
				val = end
			}
		}
		a.tail.put(stack[i], val)
	}
	return val
}

// validURLLength is twitter-text's isValidUrl for extraction: every label
// of the domain, punycode-encoded, is 1 to 63 characters long, and the URL
// with its punycode domain and protocol is at most 4096 characters.
func validURLLength(url, protocol, domain string) bool {
	if strings.HasPrefix(domain, "xn--") {
		var buf [2]urlSpan
		if len(asciiDomains(buf[:0], domain)) == 0 {
			return false
		}
	}
	if isHostnameASCII(domain) && !strings.HasPrefix(domain, "xn--") {
		// ASCII labels are their own punycode form
		for rest := domain; ; {
			l, after, more := strings.Cut(rest, ".")
			if len(l) < 1 || len(l) > maxLabelLength {
				return false
			}
			if !more {
				break
			}
			rest = after
		}
		// the domain's length is that of its punycode form
		return len(protocol)+len(url) <= maxURLLength || utf16LenFast(protocol)+utf16LenFast(url) <= maxURLLength
	}
	return punycodeBoundsFit(domain, len(protocol)+len(url)) || punycodeLengthsFit(url, protocol, domain)
}

// punycodeLengthsFit is validURLLength for a domain that is not ASCII,
// with the exact punycode length of each label.
func punycodeLengthsFit(url, protocol, domain string) bool {
	encoded := 0
	for rest, first := domain, true; ; first = false {
		l, after, more := strings.Cut(rest, ".")
		n := punycodeLen(l)
		if n < 1 || n > maxLabelLength {
			return false
		}
		if !first {
			encoded++
		}
		encoded += n
		if !more {
			break
		}
		rest = after
	}
	// A UTF-16 length is at most the UTF-8 length.
	if len(protocol)+len(url)+encoded <= maxURLLength {
		return true
	}
	return utf16LenFast(protocol)+utf16LenFast(url)+encoded-utf16LenFast(domain) <= maxURLLength
}

// punycodeBoundsFit reports whether the labels of domain, punycode-
// encoded, are certainly 1 to 63 characters long and urlLen (the
// protocol's and the URL's lengths) plus the encoded domain certainly at
// most maxURLLength, by a bound on each label instead of its encoding: a
// label that needs punycode, of b basic (ASCII) and o other code points,
// encodes in at most len("xn--") + b + 1 + 11*o characters. Each other code point is one
// variable-length integer of RFC 3492, section 3.3, whose value (a
// delta, below 2^31, section 6.4) each digit but the last divides by
// base - t >= base - tmax = 10 (section 5): at most ten digits and the
// last. False says nothing: the exact lengths decide (and a label with
// U+FFFD, or with an ideographic full stop that splits it, is left to
// them).
func punycodeBoundsFit(domain string, urlLen int) bool {
	total := -1 // no dot before the first label
	for rest := domain; ; {
		l, after, more := strings.Cut(rest, ".")
		n := len(l)
		if needsPunycode(l) {
			basic, other := 0, 0
			for _, r := range l {
				switch {
				case r == utf8.RuneError || r == 0x3002 || r == 0xFF0E || r == 0xFF61:
					return false
				case r < utf8.RuneSelf:
					basic++
				default:
					other++
				}
			}
			n = len("xn--") + basic + 1 + 11*other
		}
		if n < 1 || n > maxLabelLength {
			return false
		}
		total += n + 1
		if !more {
			break
		}
		rest = after
	}
	return urlLen+total <= maxURLLength
}

// punycodeLen returns the length of the ASCII form of a label as the
// punycode.js toASCII that twitter-text uses computes it: parts split at
// the IDNA full stops U+3002, U+FF0E and U+FF61, each non-ASCII part
// (anything past U+007E) encoded "xn--" + RFC 3492 punycode.
func punycodeLen(label string) int {
	if !needsPunycode(label) {
		return len(label)
	}
	n, start := 0, 0
	part := func(p string) bool {
		if !needsPunycode(p) {
			n += len(p)
			return true
		}
		// punycode.js encodes a part with a code point past U+007E, DEL
		// included, and a part that starts with "xn--" too.
		l, ok := punycodeEncodedLen(p)
		n += l
		return ok
	}
	for i, r := range label {
		if r == 0x3002 || r == 0xFF0E || r == 0xFF61 {
			if !part(label[start:i]) {
				return -1
			}
			n++
			start = i + utf8.RuneLen(r)
		}
	}
	if !part(label[start:]) {
		return -1
	}
	return n
}

func needsPunycode(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7E {
			return true
		}
	}
	return false
}
