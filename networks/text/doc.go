// Package text counts and parses post text the way each network does: the
// length a network's limit is measured in, and the hashtags, mentions,
// URLs and cashtags a post contains, with their offsets.
//
// # Counting
//
// [Count] and [Overflow] take a [Method]:
//
//   - [Weighted] is X's weighted length, twitter-text configuration v3
//     ([ConfigV3]): the text is normalised to NFC; code points in
//     U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 count 1,
//     all others 2; every URL counts 23 (transformedURLLength); every emoji
//     sequence, ZWJ sequences included, counts 2. [ParseTweet] gives the
//     whole parseTweet result (weighted length, permillage, validity,
//     display and valid ranges in UTF-16 code units) for any [Config].
//     Sources: twitter-text config/v3.json and config/README.md, its
//     conformance suite (testdata/twitter-text, Apache-2.0), and X's
//     "Counting characters" page.
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
// An emoji sequence follows Unicode Technical Standard #51: a keycap, a
// flag, a tag sequence, or Extended_Pictographic elements (with an optional
// U+FE0F or skin-tone modifier) joined by U+200D; a lone element counts as
// an emoji when it has emoji presentation or U+FE0F. The Unicode
// properties come from github.com/rivo/uniseg, not from tables of our own.
// twitter-text 3.1.0 instead matches the fixed list of twemoji-parser 11,
// so the two differ on sequences outside that list: a ZWJ sequence that is
// not recommended for general interchange, a redundant U+FE0F after an
// emoji-presentation character, or a modifier after a character that does
// not take one. Each such sequence counts 2 here and 2 per element there.
//
// # Entities
//
// [Extract] returns every [Entity] of a text, as twitter-text's
// extractEntitiesWithIndices does; [ExtractURLs], [ExtractURLsWithProtocol],
// [ExtractHashtags], [ExtractMentions], [ExtractMentionsOrLists],
// [ExtractCashtags] and [ExtractReply] return one kind. URLs need a
// top-level domain of twitter-text's tlds.yml (embedded) or punycode;
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
// with twitter-text 3.1.0 itself on a generated corpus (TestPeerTwitterText).
//
// All functions are safe for concurrent use; the package has no mutable
// state.
package text
