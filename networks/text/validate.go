package text

import (
	"regexp"
	"strings"
)

// IsValidUsername reports whether s is "@" and a screen name, nothing else
// (twitter-text's isValidUsername).
func IsValidUsername(s string) bool {
	m := ExtractMentions(s)
	return len(m) == 1 && m[0].Start == 0 && m[0].End == len(s)
}

// IsValidList reports whether s is exactly "@user/list" (twitter-text's
// isValidList).
func IsValidList(s string) bool {
	n, ok := atSign(s, 0)
	if !ok {
		return false
	}
	e := screenNameEnd(s, n)
	if e == n || e+1 >= len(s) || s[e] != '/' || !isASCIILetter(rune(s[e+1])) {
		return false
	}
	l := e + 2
	for l < len(s) && l-(e+2) < 24 && (isScreenNameChar(s[l]) || s[l] == '-') {
		l++
	}
	return l == len(s)
}

// IsValidHashtag reports whether s is exactly one hashtag, sign included
// (twitter-text's isValidHashtag).
func IsValidHashtag(s string) bool {
	h := ExtractHashtags(s)
	return len(h) == 1 && h[0].Start == 0 && h[0].End == len(s)
}

// URL validation: twitter-text's isValidUrl, an RFC 3986 check with
// Unicode host names. These expressions have no lookaround, so Go's
// leftmost-first regexp gives the same first match as JavaScript's.
const (
	vUnreserved = `[a-zA-Z\x{0400}-\x{04FF}0-9\-._~]`
	vPctEncoded = `(?:%[0-9a-fA-F]{2})`
	vSubDelims  = `[!$&'()*+,;=]`
	vPchar      = `(?:` + vUnreserved + `|` + vPctEncoded + `|` + vSubDelims + `|[:|@])`
	vUserinfo   = `(?:` + vUnreserved + `|` + vPctEncoded + `|` + vSubDelims + `|:)*`
	vDecOctet   = `(?:[0-9]|(?:[1-9][0-9])|(?:1[0-9]{2})|(?:2[0-4][0-9])|(?:25[0-5]))`
	vIPv4       = `(?:` + vDecOctet + `(?:\.` + vDecOctet + `){3})`
	vIPv6       = `(?:\[[a-fA-F0-9:\.]+\])`
	vIP         = `(?:` + vIPv4 + `|` + vIPv6 + `)`
	vNonASCII   = `[^\x00-\x7f]`
	vUSubSeg    = `(?:(?:[a-zA-Z0-9]|` + vNonASCII + `)(?:(?:[a-zA-Z0-9_\-]|` + vNonASCII + `)*(?:[a-zA-Z0-9]|` + vNonASCII + `))?)`
	vUSeg       = `(?:(?:[a-zA-Z0-9]|` + vNonASCII + `)(?:(?:[a-zA-Z0-9\-]|` + vNonASCII + `)*(?:[a-zA-Z0-9]|` + vNonASCII + `))?)`
	vUTLD       = `(?:(?:[a-zA-Z]|` + vNonASCII + `)(?:(?:[a-zA-Z0-9\-]|` + vNonASCII + `)*(?:[a-zA-Z0-9]|` + vNonASCII + `))?)`
	vUDomain    = `(?:(?:` + vUSubSeg + `\.)*(?:` + vUSeg + `\.)` + vUTLD + `)`
	vUHost      = `(?:` + vIP + `|` + vUDomain + `)`
	vAuthority  = `(?:(` + vUserinfo + `)@)?(` + vUHost + `)(?::([0-9]{1,5}))?`
)

var (
	urlUnencoded = regexp.MustCompile(`^(?:([^:/?#]+)://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`)
	urlScheme    = regexp.MustCompile(`(?:[a-zA-Z][a-zA-Z0-9+\-.]*)`)
	urlPath      = regexp.MustCompile(`(/` + vPchar + `*)*`)
	urlQuery     = regexp.MustCompile(`(` + vPchar + `|/|\?)*`)
	urlAuthority = regexp.MustCompile(vAuthority)
)

// firstMatchIsAll reports whether the first match of re in s is all of s,
// as twitter-text's isValidMatch checks.
func firstMatchIsAll(re *regexp.Regexp, s string) bool {
	loc := re.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

// IsValidURL reports whether s is a valid http or https URL with a Unicode
// or ASCII host (twitter-text's isValidUrl). With requireProtocol false, a
// URL without scheme ("example.com/path") is valid too.
func IsValidURL(s string, requireProtocol bool) bool {
	if s == "" || strings.ContainsAny(s, "\n\r\u2028\u2029") {
		return false
	}
	p := urlUnencoded.FindStringSubmatchIndex(s)
	if p == nil {
		return false
	}
	part := func(i int) (string, bool) {
		if p[2*i] < 0 {
			return "", false
		}
		return s[p[2*i]:p[2*i+1]], true
	}
	scheme, hasScheme := part(1)
	authority, _ := part(2)
	path, _ := part(3)
	query, _ := part(4)
	fragment, _ := part(5)
	if requireProtocol {
		if !hasScheme || !firstMatchIsAll(urlScheme, scheme) ||
			!(strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")) {
			return false
		}
	}
	if authority == "" || !firstMatchIsAll(urlPath, path) ||
		query != "" && !firstMatchIsAll(urlQuery, query) ||
		fragment != "" && !firstMatchIsAll(urlQuery, fragment) {
		return false
	}
	return firstMatchIsAll(urlAuthority, authority)
}
