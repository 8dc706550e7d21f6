package text

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EntityKind is the kind of an [Entity].
type EntityKind string

// The entity kinds.
const (
	Hashtag EntityKind = "hashtag"
	Mention EntityKind = "mention"
	URL     EntityKind = "url"
	Cashtag EntityKind = "cashtag"
)

// Entity is a hashtag, mention, URL or cashtag found in a text.
type Entity struct {
	Kind EntityKind
	// Text is the entity without its sigil: "socialflow" for "#socialflow",
	// "jack" for "@jack" and for "@jack/team", "AAPL" for "$AAPL"; URLs as
	// written.
	Text string
	// ListSlug is the list of a list mention, without its slash: "team"
	// for "@jack/team"; empty otherwise.
	ListSlug string
	// Start and End are byte offsets of the whole entity (sigil and list
	// included) in the text.
	Start, End int
	// UTF16Start and UTF16End are the same offsets in UTF-16 code units, as
	// twitter-text reports them.
	UTF16Start, UTF16End int
}

// Extract returns every entity in s, ordered by Start: URLs (with and
// without protocol), mentions and lists, hashtags and cashtags, as
// twitter-text's extractEntitiesWithIndices finds them; where two overlap,
// the one that starts first is kept. Extract never fails: bytes that are
// not UTF-8 belong to no entity.
func Extract(s string) []Entity { return extract(s, true) }

// extract is Extract; with fast false, URLs are found without the
// shortcuts of scanURLs.
//
// twitter-text concatenates the URLs, mentions, hashtags and cashtags
// (each list ordered by its start), sorts them stably by start and drops
// every entity that overlaps the one kept before it. Here one pass over
// the text (sigils) visits each at sign, hash sign and dollar sign in
// order and gives it to the matcher of its kind, each kind searching on
// from the end of its own last match as its own search would: the
// mentions, hashtags and cashtags come out already in order of start, and
// no two of them start at the same byte. Merging the URLs in before each
// of them (a URL first on a tie, as in the stable sort) and dropping what
// overlaps as it goes is twitter-text's concatenation, sort and
// removeOverlappingEntities.
//
// The entities are gathered in a buffer on the stack and copied into one
// slice of the right length: one allocation for a post's entities.
func extract(s string, fast bool) []Entity {
	var urlBuf [16]urlSpan
	urls := scanURLs(urlBuf[:0], s, true, fast)
	var buf [16]Entity
	kept := buf[:0]
	u := 0                               // the next URL to merge
	mention, hashtag, cashtag := 0, 0, 0 // where each kind's search goes on
	var sig sigils
	sig.init(s)
	for p := sig.next(s); p >= 0; p = sig.next(s) {
		var e Entity
		switch sigilKind(s, p) {
		case Mention:
			if p < mention {
				continue
			}
			start, name, end, ok := mentionAt(s, p, mention)
			if !ok {
				continue
			}
			mention = end
			if endsMention(s[end:]) {
				continue
			}
			e = Entity{Kind: Mention, Text: s[name:end], Start: start, End: end}
			if slash := strings.IndexByte(e.Text, '/'); slash >= 0 {
				e.Text, e.ListSlug = e.Text[:slash], e.Text[slash+1:]
			}
		case Hashtag:
			if p < hashtag {
				continue
			}
			ts, end, ok := hashtagAtSign(s, p, hashtag)
			if !ok {
				continue
			}
			hashtag = end
			if endsHashtag(s[end:]) {
				continue
			}
			e = Entity{Kind: Hashtag, Text: s[ts:end], Start: p, End: end}
		case Cashtag:
			if p < cashtag {
				continue
			}
			end, ok := cashtagAtSign(s, p, cashtag)
			if !ok {
				continue
			}
			cashtag = end
			e = Entity{Kind: Cashtag, Text: s[p+1 : end], Start: p, End: end}
		default:
			continue
		}
		kept, u = keepURLs(kept, s, urls, u, e.Start)
		if len(kept) == 0 || kept[len(kept)-1].End <= e.Start {
			kept = append(kept, e)
		}
	}
	kept, _ = keepURLs(kept, s, urls, u, len(s))
	if len(kept) == 0 {
		return nil
	}
	fillUTF16(s, kept)
	out := make([]Entity, len(kept))
	copy(out, kept)
	return out
}

// keepURLs appends to kept the URLs from urls[u] on that start at or
// before upTo and overlap nothing kept before them, and returns the index
// of the first URL it did not reach.
func keepURLs(kept []Entity, s string, urls []urlSpan, u, upTo int) ([]Entity, int) {
	for ; u < len(urls) && urls[u].start <= upTo; u++ {
		if len(kept) == 0 || kept[len(kept)-1].End <= urls[u].start {
			kept = append(kept, Entity{Kind: URL, Text: s[urls[u].start:urls[u].end], Start: urls[u].start, End: urls[u].end})
		}
	}
	return kept, u
}

// The fullwidth signs of mentions and hashtags.
const (
	fullwidthAt   = "＠" // U+FF20, EF BC A0
	fullwidthHash = "＃" // U+FF03, EF BC 83
)

// sigils visits, in order, each byte of a text that is '@', '#', '$' or
// starts a fullwidth form of U+FF00..U+FF3F (EF BC, the first two bytes
// of both fullwidth signs): it keeps the next index of each of the four
// (len(s) for none), found with strings.IndexByte or strings.Index, and
// hands out the least, so the text is scanned once for each, at the speed
// of those functions. Searching for EF BC rather than EF alone passes
// over U+FE0F, which follows most emoji.
type sigils struct{ at [4]int }

// sigilFullwidth is what the last cursor of sigils looks for.
const sigilFullwidth = "\xef\xbc"

// init finds the first of each in s.
func (g *sigils) init(s string) {
	for k := range g.at {
		g.at[k] = g.find(s, 0, k)
	}
}

// find returns the index of the first sign of cursor k in s at or after
// i, or len(s).
func (g *sigils) find(s string, i, k int) int {
	var at int
	switch k {
	case 0:
		at = strings.IndexByte(s[i:], '@')
	case 1:
		at = strings.IndexByte(s[i:], '#')
	case 2:
		at = strings.IndexByte(s[i:], '$')
	default:
		at = strings.Index(s[i:], sigilFullwidth)
	}
	if at < 0 {
		return len(s)
	}
	return i + at
}

// next returns the index of the next sign, or -1 after the last.
func (g *sigils) next(s string) int {
	// The least of the four, and which it is, without a branch on the
	// text: each comparison only selects.
	p, k := g.at[0], 0
	if g.at[1] < p {
		p, k = g.at[1], 1
	}
	if g.at[2] < p {
		p, k = g.at[2], 2
	}
	if g.at[3] < p {
		p, k = g.at[3], 3
	}
	if p >= len(s) {
		return -1
	}
	g.at[k] = g.find(s, p+1, k)
	return p
}

// sigilKind returns the kind of entity the sign at p starts, or "" when
// the bytes sigils found there start another fullwidth form.
func sigilKind(s string, p int) EntityKind {
	switch s[p] {
	case '@':
		return Mention
	case '#':
		return Hashtag
	case '$':
		return Cashtag
	}
	switch {
	case strings.HasPrefix(s[p:], fullwidthAt):
		return Mention
	case strings.HasPrefix(s[p:], fullwidthHash):
		return Hashtag
	}
	return ""
}

// ExtractURLs returns the URLs of s, with or without protocol
// (twitter-text's extractUrlsWithIndices): "https://example.com/a",
// "example.com", "t.co/abc". A URL without protocol needs a top-level
// domain of the list and an ASCII domain.
func ExtractURLs(s string) []Entity { return finish(s, urlEntities(s, true, true)) }

// ExtractURLsWithProtocol returns only the URLs of s that start with
// http:// or https://, as Mastodon counts them.
func ExtractURLsWithProtocol(s string) []Entity { return finish(s, urlEntities(s, false, true)) }

// ExtractHashtags returns the hashtags of s that are not part of a URL
// (twitter-text's extractHashtagsWithIndices).
func ExtractHashtags(s string) []Entity {
	tags := hashtagEntities(s)
	if len(tags) == 0 {
		return nil
	}
	if urls := urlEntities(s, true, true); len(urls) > 0 {
		all := mergeNonOverlapping(tags, urls)
		tags = slices.DeleteFunc(all, func(e Entity) bool { return e.Kind != Hashtag })
	}
	return finish(s, tags)
}

// ExtractMentions returns the @mentions of s, without list mentions
// (twitter-text's extractMentionsWithIndices).
func ExtractMentions(s string) []Entity { return finish(s, mentionEntities(s, false)) }

// ExtractMentionsOrLists returns the @mentions and @user/list mentions of s
// (twitter-text's extractMentionsOrListsWithIndices).
func ExtractMentionsOrLists(s string) []Entity { return finish(s, mentionEntities(s, true)) }

// ExtractCashtags returns the $cashtags of s (twitter-text's
// extractCashtagsWithIndices): one to six ASCII letters, optionally "." or
// "_" and one or two more, after a space or at the start.
func ExtractCashtags(s string) []Entity { return finish(s, cashtagEntities(s)) }

// ExtractReply returns the screen name s replies to: an @mention that
// starts the text, after spaces only (twitter-text's extractReplies).
func ExtractReply(s string) (string, bool) {
	i := 0
	for i < len(s) {
		r, sz := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			break
		}
		i += sz
	}
	at, ok := atSign(s, i)
	if !ok {
		return "", false
	}
	end := screenNameEnd(s, at)
	if end == at || endsMention(s[end:]) {
		return "", false
	}
	return s[at:end], true
}

// finish sets the UTF-16 offsets of ents and returns them.
func finish(s string, ents []Entity) []Entity {
	fillUTF16(s, ents)
	return ents
}

// mergeNonOverlapping merges lists, each ordered by Start, into one
// ordered by Start (on a tie, the earlier list first) and drops every
// entity that overlaps one kept before it: twitter-text's concatenation,
// stable sort and removeOverlappingEntities.
func mergeNonOverlapping(lists ...[]Entity) []Entity {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n == 0 {
		return nil
	}
	out := make([]Entity, 0, n)
	next := make([]int, len(lists))
	for {
		best := -1
		for k, l := range lists {
			if next[k] < len(l) && (best < 0 || l[next[k]].Start < lists[best][next[best]].Start) {
				best = k
			}
		}
		if best < 0 {
			return out
		}
		e := lists[best][next[best]]
		next[best]++
		if len(out) > 0 && out[len(out)-1].End > e.Start {
			continue
		}
		out = append(out, e)
	}
}

// fillUTF16 sets the UTF-16 offsets of ents from their byte offsets, in
// one pass when ents are in order and do not overlap, as every list this
// package returns.
func fillUTF16(s string, ents []Entity) {
	pos, n := 0, 0 // n is the UTF-16 length of s[:pos]
	at := func(o int) int {
		if o < pos {
			pos, n = 0, 0
		}
		if span := s[pos:o]; isASCII(span) {
			n += len(span) // most entities and many gaps between them
		} else {
			n += utf16LenFast(span)
		}
		pos = o
		return n
	}
	for i := range ents {
		ents[i].UTF16Start = at(ents[i].Start)
		ents[i].UTF16End = at(ents[i].End)
	}
}

// urlEntities returns the URLs of s (appendURLEntities).
func urlEntities(s string, withoutProtocol, fast bool) []Entity {
	return appendURLEntities(nil, s, withoutProtocol, fast)
}

// appendURLEntities appends the URLs of s to ents.
func appendURLEntities(ents []Entity, s string, withoutProtocol, fast bool) []Entity {
	var buf [16]urlSpan
	for _, u := range scanURLs(buf[:0], s, withoutProtocol, fast) {
		ents = append(ents, Entity{Kind: URL, Text: s[u.start:u.end], Start: u.start, End: u.end})
	}
	return ents
}

// Hashtags: twitter-text's validHashtag, then endHashtagMatch.

// hashtagSpecial is twitter-text's hashtagSpecialChars.
const hashtagSpecial = "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"

// isHashtagAlpha is twitter-text's hashtagAlpha: a letter or a mark.
func isHashtagAlpha(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIILetter(r)
	}
	return isCommonLetterOrMark(r) || unicode.IsLetter(r) || unicode.IsMark(r)
}

// isHashtagAlnum is twitter-text's hashtagAlphaNumeric: a letter, a mark,
// a decimal digit or one of hashtagSpecial.
func isHashtagAlnum(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isASCIIAlnum(r) || r == '_'
	case isCommonLetterOrMark(r):
		return true
	case isSpace(r):
		return false // the spaces before a hashtag: Zs, Cc or Cf, none a letter, mark or digit
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || strings.ContainsRune(hashtagSpecial, r)
}

// isCommonLetterOrMark reports whether r is in one of the blocks of
// common scripts where every code point is a letter (L) or a mark (M):
// the letters of Latin-1 (all of U+00C0..U+00FF but × and ÷), Latin
// Extended-A and -B, combining diacritical marks, the basic Cyrillic
// and Hebrew letters, the Arabic letters and harakat, Hiragana, Katakana,
// the CJK unified ideographs and Hangul syllables. It answers those
// without the binary search of package unicode;
// TestCommonLettersAreLetters checks the ranges against package unicode.
func isCommonLetterOrMark(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3, r >= 0x3041 && r <= 0x3096, r >= 0x30A1 && r <= 0x30FA,
		r >= 0x00C0 && r <= 0x024F && r != 0xD7 && r != 0xF7, r >= 0x0300 && r <= 0x036F, r >= 0x0410 && r <= 0x044F, r >= 0x05D0 && r <= 0x05EA,
		r >= 0x0620 && r <= 0x065F:
		return true
	}
	return false
}

// hashSign matches a hash sign, '#' or '＃', at i and returns the index
// after it.
func hashSign(s string, i int) (int, bool) {
	switch {
	case strings.HasPrefix(s[i:], "#"):
		return i + 1, true
	case strings.HasPrefix(s[i:], fullwidthHash):
		return i + len(fullwidthHash), true
	}
	return 0, false
}

// hashtagEntities returns the hashtags of s, URLs not considered.
func hashtagEntities(s string) []Entity { return appendHashtags(nil, s) }

// appendHashtags appends the hashtags of s to ents.
func appendHashtags(ents []Entity, s string) []Entity {
	full := strings.Contains(s, fullwidthHash)
	if !full && strings.IndexByte(s, '#') < 0 {
		return ents
	}
	for st := 0; st < len(s); {
		start, textStart, end, ok := searchHashtag(s, st, full)
		if !ok {
			break
		}
		st = end
		if endsHashtag(s[end:]) {
			continue
		}
		ents = append(ents, Entity{Kind: Hashtag, Text: s[textStart:end], Start: start, End: end})
	}
	return ents
}

// endsHashtag reports whether rest disqualifies the hashtag before it
// (twitter-text's endHashtagMatch): a hash sign or "://".
func endsHashtag(rest string) bool {
	_, ok := hashSign(rest, 0)
	return ok || strings.HasPrefix(rest, "://")
}

// searchHashtag finds the next hashtag at or after from; full says
// whether s holds a '＃'.
func searchHashtag(s string, from int, full bool) (start, textStart, end int, ok bool) {
	for h := from; h < len(s); {
		k := indexSign(s[h:], '#', fullwidthHash, full)
		if k < 0 {
			break
		}
		h += k
		if ts, e, ok := hashtagAtSign(s, h, from); ok {
			return h, ts, e, true
		}
		h++
	}
	return 0, 0, 0, false
}

// hashtagAtSign matches a hashtag at the hash sign at h, for a search
// that started at from. The match is a boundary (the start, or one code
// point that is not alphanumeric nor '&', or U+FE0E/U+FE0F), a hash sign
// and the text; the match consumes the code point before the sign, so it
// must not be before from.
func hashtagAtSign(s string, h, from int) (textStart, end int, ok bool) {
	if h > 0 {
		r, sz := utf8.DecodeLastRuneInString(s[:h])
		if h-sz < from || !(r == 0xFE0E || r == 0xFE0F || !isHashtagAlnum(r) && r != '&') {
			return 0, 0, false
		}
	}
	return hashtagAt(s, h)
}

// indexSign returns the index of the first sign or fullwidth sign in s,
// or -1; with full false, s holds no fullwidth sign and the search is
// strings.IndexByte's.
func indexSign(s string, sign byte, fullwidth string, full bool) int {
	if !full {
		return strings.IndexByte(s, sign)
	}
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == sign:
			return i
		case s[i] == fullwidth[0] && strings.HasPrefix(s[i:], fullwidth):
			return i
		}
	}
	return -1
}

// hashtagAt matches a hash sign and hashtag text at h.
func hashtagAt(s string, h int) (textStart, end int, ok bool) {
	ts, ok := hashSign(s, h)
	if !ok || ts >= len(s) {
		return 0, 0, false
	}
	if r, _ := utf8.DecodeRuneInString(s[ts:]); r == vs16 || r == combiningKey {
		return 0, 0, false
	}
	alpha := false
	e := ts
	for e < len(s) {
		if c := s[e]; c < utf8.RuneSelf {
			if !hashtagByte[c] {
				break // ASCII: a letter, a digit or '_' (isHashtagAlnum), by one load
			}
			alpha = alpha || isASCIILetter(rune(c)) // isHashtagAlpha
			e++
			continue
		}
		r, sz := utf8.DecodeRuneInString(s[e:])
		if r == utf8.RuneError && sz == 1 || !isHashtagAlnum(r) {
			break
		}
		alpha = alpha || isHashtagAlpha(r)
		e += sz
	}
	if !alpha {
		return 0, 0, false
	}
	return ts, e, true
}

// hashtagByte is isHashtagAlnum for each ASCII byte, false past ASCII.
// It is read-only after initialisation.
var hashtagByte = asciiSet(isHashtagAlnum)

// Mentions: twitter-text's validMentionOrList, then endMentionMatch.

// atSign matches an at sign, '@' or '＠', at i and returns the index
// after it.
func atSign(s string, i int) (int, bool) {
	switch {
	case strings.HasPrefix(s[i:], "@"):
		return i + 1, true
	case strings.HasPrefix(s[i:], fullwidthAt):
		return i + len(fullwidthAt), true
	}
	return 0, false
}

// isScreenNameChar is [a-zA-Z0-9_].
func isScreenNameChar(c byte) bool { return isASCIIAlnum(rune(c)) || c == '_' }

// screenNameEnd matches [a-zA-Z0-9_]{1,20} at i.
func screenNameEnd(s string, i int) int {
	e := i
	for e < len(s) && e-i < 20 && isScreenNameChar(s[e]) {
		e++
	}
	return e
}

// endsMention reports whether rest disqualifies the mention before it.
func endsMention(rest string) bool {
	if _, ok := atSign(rest, 0); ok || strings.HasPrefix(rest, "://") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return rest != "" && isLatinAccent(r)
}

// mentionEntities returns the mentions of s (and lists, with lists).
func mentionEntities(s string, lists bool) []Entity { return appendMentions(nil, s, lists) }

// appendMentions appends the mentions (and lists, with lists) of s to
// ents.
func appendMentions(ents []Entity, s string, lists bool) []Entity {
	full := strings.Contains(s, fullwidthAt)
	if !full && strings.IndexByte(s, '@') < 0 {
		return ents
	}
	for st := 0; st < len(s); {
		start, name, end, ok := searchMention(s, st, full)
		if !ok {
			break
		}
		st = end
		if endsMention(s[end:]) {
			continue
		}
		e := Entity{Kind: Mention, Text: s[name:end], Start: start, End: end}
		if slash := strings.IndexByte(e.Text, '/'); slash >= 0 {
			if !lists {
				continue
			}
			e.Text, e.ListSlug = e.Text[:slash], e.Text[slash+1:]
		}
		ents = append(ents, e)
	}
	return ents
}

// searchMention finds the next mention at or after from: start is the at
// sign, name the screen name, end the end of the mention and its list;
// full says whether s holds a '＠'.
func searchMention(s string, from int, full bool) (start, name, end int, ok bool) {
	for a := from; a < len(s); {
		k := indexSign(s[a:], '@', fullwidthAt, full)
		if k < 0 {
			break
		}
		a += k
		if start, name, end, ok := mentionAt(s, a, from); ok {
			return start, name, end, true
		}
		a++
	}
	return 0, 0, 0, false
}

// mentionAt matches a mention at the at sign at a, for a search that
// started at from: what precedes it (mentionPrecedes), the sign, a
// screen name of [a-zA-Z0-9_]{1,20} and optionally a list,
// /[a-zA-Z][a-zA-Z0-9_-]{0,24}.
func mentionAt(s string, a, from int) (start, name, end int, ok bool) {
	if !mentionPrecedes(s, a, from) {
		return 0, 0, 0, false
	}
	n, ok := atSign(s, a)
	if !ok {
		return 0, 0, 0, false
	}
	e := screenNameEnd(s, n)
	if e == n {
		return 0, 0, 0, false
	}
	if e+1 < len(s) && s[e] == '/' && isASCIILetter(rune(s[e+1])) {
		l := e + 2
		for l < len(s) && l-(e+2) < 24 && (isScreenNameChar(s[l]) || s[l] == '-') {
			l++
		}
		e = l
	}
	return a, n, e, true
}

// mentionPrecedes reports whether the at sign at a may start a mention:
// the preceding part the match consumes must not start before from, and
// is the start of the text, one code point outside
// [a-zA-Z0-9_!#$%&*@＠], or "rt" or "rt:" (any case) after the start or a
// code point outside [a-zA-Z0-9_+~.-].
func mentionPrecedes(s string, a, from int) bool {
	if a == 0 {
		return true
	}
	r, sz := utf8.DecodeLastRuneInString(s[:a])
	if a-sz >= from && !isMentionBlocker(r) {
		return true
	}
	rt := a
	if s[rt-1] == ':' {
		rt--
	}
	for _, p := range [...]int{a, rt} {
		if p < 2 || s[p-2]|0x20 != 'r' || s[p-1]|0x20 != 't' {
			continue
		}
		q := p - 2
		if q == 0 && from == 0 {
			return true
		}
		r, sz := utf8.DecodeLastRuneInString(s[:q])
		if q > 0 && q-sz >= from && !isRTBlocker(r) {
			return true
		}
	}
	return false
}

// isMentionBlocker is [a-zA-Z0-9_!#$%&*@＠], what may not come right
// before the at sign of a mention.
func isMentionBlocker(r rune) bool {
	switch r {
	case '_', '!', '#', '$', '%', '&', '*', '@', '＠':
		return true
	}
	return isASCIIAlnum(r)
}

// isRTBlocker is [a-zA-Z0-9_+~.-], what may not come right before the
// "rt" of a retweet before a mention.
func isRTBlocker(r rune) bool {
	switch r {
	case '_', '+', '~', '.', '-':
		return true
	}
	return isASCIIAlnum(r)
}

// Cashtags: twitter-text's validCashtag.

// isJSSpace is JavaScript's \s.
func isJSSpace(r rune) bool {
	switch {
	case r >= 0x09 && r <= 0x0D, r == 0x20, r == 0xA0, r == 0x1680, r >= 0x2000 && r <= 0x200A,
		r == 0x2028, r == 0x2029, r == 0x202F, r == 0x205F, r == 0x3000, r == 0xFEFF:
		return true
	}
	return false
}

// cashtagEntities returns the cashtags of s.
func cashtagEntities(s string) []Entity { return appendCashtags(nil, s) }

// appendCashtags appends the cashtags of s to ents.
func appendCashtags(ents []Entity, s string) []Entity {
	if strings.IndexByte(s, '$') < 0 {
		return ents
	}
	for st := 0; st < len(s); {
		start, end, ok := searchCashtag(s, st)
		if !ok {
			break
		}
		st = end
		ents = append(ents, Entity{Kind: Cashtag, Text: s[start+1 : end], Start: start, End: end})
	}
	return ents
}

// searchCashtag finds the next cashtag at or after from.
func searchCashtag(s string, from int) (start, end int, ok bool) {
	for d := from; d < len(s); {
		k := strings.IndexByte(s[d:], '$')
		if k < 0 {
			break
		}
		d += k
		if e, ok := cashtagAtSign(s, d, from); ok {
			return d, e, true
		}
		d++
	}
	return 0, 0, false
}

// cashtagAtSign matches a cashtag at the dollar sign at d, for a search
// that started at from: it follows the start of the text or a space,
// which the match consumes, so the space must not be before from.
func cashtagAtSign(s string, d, from int) (int, bool) {
	if d > 0 {
		r, sz := utf8.DecodeLastRuneInString(s[:d])
		if d-sz < from || !isSpace(r) {
			return 0, false
		}
	}
	return cashtagAt(s, d)
}

// cashtagAt matches \$[a-z]{1,6}(?:[._][a-z]{1,2})?(?=$|\s|[punct]) at d.
func cashtagAt(s string, d int) (int, bool) {
	if d >= len(s) || s[d] != '$' {
		return 0, false
	}
	letters := func(i, max int) int {
		n := 0
		for i+n < len(s) && n < max && isASCIILetter(rune(s[i+n])) {
			n++
		}
		return n
	}
	boundary := func(i int) bool {
		if i >= len(s) {
			return true
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		return isJSSpace(r) || isPunct(r)
	}
	n := letters(d+1, 7)
	if n == 0 || n > 6 {
		return 0, false
	}
	e := d + 1 + n
	if e < len(s) && (s[e] == '.' || s[e] == '_') {
		for k := letters(e+1, 2); k > 0; k-- {
			if boundary(e + 1 + k) {
				return e + 1 + k, true
			}
		}
	}
	if boundary(e) {
		return e, true
	}
	return 0, false
}

// Mastodon mentions: Account::MENTION_RE, (?<![=/[:word:]])@user(@domain)?.

type mastodonMention struct{ start, userEnd, end int }

// isWordChar is Ruby's [[:word:]]: a letter, mark, decimal digit or
// connector punctuation.
func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

// dottedEnd matches c+([.-]+c+)* at i, returning i when it does not match.
func dottedEnd(s string, i int, c func(rune) bool) int {
	run := func(i int) int {
		for i < len(s) {
			r, sz := utf8.DecodeRuneInString(s[i:])
			if !c(r) {
				break
			}
			i += sz
		}
		return i
	}
	e := run(i)
	if e == i {
		return i
	}
	for {
		j := e
		for j < len(s) && (s[j] == '.' || s[j] == '-') {
			j++
		}
		if j == e {
			return e
		}
		k := run(j)
		if k == j {
			return e
		}
		e = k
	}
}

// mastodonMentions returns the mentions of s as Mastodon finds them
// (Account::MENTION_RE), with the end of the user and of the domain.
func mastodonMentions(s string) []mastodonMention {
	var out []mastodonMention
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, sz := utf8.DecodeRuneInString(s[i:])
		if r == '@' && !(prev == '=' || prev == '/' || prev >= 0 && isWordChar(prev)) {
			user := dottedEnd(s, i+1, func(r rune) bool { return isASCIIAlnum(r) || r == '_' })
			if user > i+1 {
				end := user
				if user < len(s) && s[user] == '@' {
					if d := dottedEnd(s, user+1, isWordChar); d > user+1 {
						end = d
					}
				}
				out = append(out, mastodonMention{start: i, userEnd: user, end: end})
				prev, _ = utf8.DecodeLastRuneInString(s[:end])
				i = end
				continue
			}
		}
		prev = r
		i += sz
	}
	return out
}
