// Package text counts and parses post text the way each network does: the
// length a network's limit is measured in, and the hashtags, mentions,
// URLs and cashtags a post contains, with their offsets.
//
// # Counting
//
// [Count] and [Overflow] take a [Method]:
//
//   - [Weighted] is X's weighted length, twitter-text configuration v3
//     ([ConfigV3]), equal to twitter-text 3.1.0's: the text is normalised
//     to NFC; code points in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F
//     and U+2032–U+2037 count 1, all others 2; every URL counts 23
//     (transformedURLLength); every emoji of twitter-text's list (see
//     below) counts 2. [WeightedUnicode] is the same count with current
//     Unicode emoji data. [ParseTweet] gives the whole parseTweet result
//     (weighted length, permillage, validity, display and valid ranges in
//     UTF-16 code units) for any [Config]. Sources: twitter-text
//     config/v3.json and config/README.md, its conformance suite
//     (testdata/twitter-text, Apache-2.0), and X's "Counting characters"
//     page.
//   - [Graphemes] counts extended grapheme clusters (UAX #29, via
//     github.com/rivo/uniseg): Bluesky's maxGraphemes 300 on
//     app.bsky.feed.post text. [Bytes] counts UTF-8 bytes, Bluesky's
//     maxLength 3000 (atproto lexicons: Lexicon string maxLength is in
//     UTF-8 bytes).
//   - [Mastodon] counts grapheme clusters, as Mastodon's
//     StatusLengthValidator does (mb_chars.grapheme_length), after replacing
//     every URL with a protocol by 23 characters
//     (characters_reserved_per_url) and every @user@domain mention by
//     @user.
//   - [Threads] counts code points, except that an emoji sequence counts its
//     UTF-8 bytes: Meta's Threads API documents a 500-character limit where
//     "emojis are counted as the number of UTF-8 bytes". Which code points
//     are "emojis" is not documented; this package takes the emoji
//     sequences below (so "😀" counts 4 and "👨‍👩‍👧‍👦" 25), and a
//     text-style symbol such as "©" counts 1.
//   - [CodePoints] counts Unicode code points, a default for networks that
//     do not document their unit.
//
// Every method rejects invalid UTF-8 and the code points U+FFFE, U+FEFF and
// U+FFFF with an [*InvalidTextError] that matches socialflow.ErrInvalid and
// gives the byte offset.
//
// # Emoji sequences
//
// twitter-text 3.1.0 counts as one emoji the strings of the expression of
// twemoji-parser 11.0.2 (MIT, LICENSE-twemoji-parser), a list of Emoji 11
// (2018). [Weighted] and the default [Config] use that list, generated from
// the published package by go generate (internal/gen/twemoji), so that they
// count what the official library counts: a sequence published later is
// weighed as the pieces the list knows (🧑‍💻, Emoji 12.1, weighs 5).
//
// [UnicodeEmoji] ([WeightedUnicode], [Config].Emoji) and [Threads] follow
// Unicode Technical Standard #51 instead: a keycap, a flag, a tag
// sequence, or Extended_Pictographic elements (with an optional U+FE0F or
// skin-tone modifier) joined by U+200D; a lone element counts as an emoji
// when it has emoji presentation or U+FE0F. The Unicode properties come
// from github.com/rivo/uniseg, not from tables of our own. The two differ
// on every sequence outside twemoji-parser 11's list (newer emoji, a ZWJ
// sequence that is not recommended, a fully qualified form the list holds
// only without U+FE0F, a subdivision flag other than England, Scotland and
// Wales): each counts 2 by Unicode and 2 per emoji (1 per ZWJ) of the list
// by twitter-text.
//
// # Speed
//
// Weighing is one walk over the text as given (weighWalk, a state machine
// documented in walk.go) after the URL scan: ASCII text without URLs is
// weighed run by run; any other text is walked code point by code point,
// and the walk checks UTF-8 validity and the NFC quick check (UAX #15,
// NFC_Quick_Check and canonical combining class, a bitmap built from the
// table internal/gen/nfc generates from golang.org/x/text/unicode/norm) as
// it weighs, so a valid text in NFC is read once. Runs of plain code points
// (in NFC, not the start of an emoji, not forbidden: one bitmap load each;
// a digit, '#' or '*' unless U+FE0F or U+20E3, which start a keycap,
// follows it) are weighed in registers, in one loop per UTF-8 length; an
// emoji of the list is matched by a trie whose nodes know the length of
// their match in bytes and in UTF-16 code units. The walk folds a combining
// diacritical mark into the letter before it where NFC composes them (from
// a generated table of compositions) into a letter of the same weight, in a
// word without a dot (so that no URL holds them); a text with any other
// mark is normalised at its marks and the result walked with the same
// checks; any other text that fails the quick check is normalised from the
// segment of the first code point that fails it, segment by segment (other
// segments by norm), and walked again. [Count] with [Weighted] and
// [ParseTweet] do not allocate for text without URLs in NFC or whose marks
// fold in place.
//
// URL recognition starts only where a dot is followed by a top-level domain
// of the list (tlds_table.go, generated from tlds.yml by internal/gen/tlds,
// Apache-2.0, LICENSE-twitter-text), read from the text lower-cased as it
// is read and looked up in an open-addressing hash table (two- and
// three-letter names in a bitset, read from the four bytes after the dot;
// longer words pass a bitset of the names' lengths and first and last
// letters before they are hashed) without a copy; a dot that no letter
// follows is passed over at once, as no TLD starts otherwise. The common
// URL, a chain of labels between spaces or punctuation, is matched in one
// forward pass over its labels (from the dot itself when one ASCII label
// leads to it); any other starts the general scanner one character (or one
// protocol) before the labels that lead to the dot, which keeps its memo of
// domain chains in itself, on the stack, and computes punycode lengths (RFC
// 3492) without allocating, only where a bound on them (eleven digits per
// code point past ASCII) does not settle the limits.
//
// [Extract] finds the signs of mentions, hashtags and cashtags in one pass,
// merges them with the URLs in order, counts UTF-16 offsets span by span
// (an ASCII span by its length, any other with a table-driven UTF-8
// automaton), gathers the entities on the stack and allocates once for the
// result.
//
// # Entities
//
// [Extract] returns every [Entity] of a text, as twitter-text's
// extractEntitiesWithIndices does; [ExtractURLs], [ExtractURLsWithProtocol],
// [ExtractHashtags], [ExtractMentions], [ExtractMentionsOrLists],
// [ExtractCashtags] and [ExtractReply] return one kind. URLs need a
// top-level domain of twitter-text's tlds.yml (generated into the package) or punycode;
// each punycode-encoded label must be 1 to 63 characters. An entity carries
// byte offsets (for Bluesky facets) and UTF-16 offsets (for X, and
// twitter-text's conformance data). [IsValidHashtag], [IsValidUsername],
// [IsValidList], [IsValidURL] and [IsValidTweet] are twitter-text's
// validators.
//
// The expressions of twitter-text (JavaScript edition 3.1.0, whose
// behaviour its conformance suite fixes) use lookahead that Go's regexp
// lacks, so URL, hashtag, mention and cashtag matching is written as
// scanners that reproduce the expressions' backtracking, in time linear in
// the text. The package passes every case of the conformance suite's
// validate.yml, extract.yml and tlds.yml, read at test time, and agrees
// with twitter-text 3.1.0 itself on generated corpora and on the
// benchmark corpus testdata/corpus.jsonl (TestPeerTwitterText,
// TestPeerExtract; TestPeerSpeed compares their speed in one run).
//
// All functions are safe for concurrent use; the package has no mutable
// state.
package text
