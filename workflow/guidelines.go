package workflow

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks/text"
)

// Guidelines are a workspace's posting rules, checked when a post is
// submitted. The zero value has no rules. Word and hashtag matches ignore
// case; words match whole words only ("ad" does not match "advert").
type Guidelines struct {
	BannedWords      []string `json:"banned_words,omitempty"`
	RequiredWords    []string `json:"required_words,omitempty"`
	BannedHashtags   []string `json:"banned_hashtags,omitempty"`   // without '#'
	RequiredHashtags []string `json:"required_hashtags,omitempty"` // without '#'
	// DisclosureLabels are labels (e.g. "sponsored") that require one of
	// DisclosureTags (e.g. "#ad", "#sponsored", "paid partnership") in the text.
	DisclosureLabels []string `json:"disclosure_labels,omitempty"`
	DisclosureTags   []string `json:"disclosure_tags,omitempty"`
	MaxHashtags      int      `json:"max_hashtags,omitempty"` // 0: no limit
	MaxEmoji         int      `json:"max_emoji,omitempty"`    // 0: no limit
	// RequiredURLParams must be present on every link (e.g. utm_source,
	// utm_medium, utm_campaign).
	RequiredURLParams []string `json:"required_url_params,omitempty"`
	// BannedDomains may not be linked (subdomains included).
	BannedDomains []string `json:"banned_domains,omitempty"`
	// Notes are per-network tone notes shown to writers; they are not checked.
	Notes map[string]string `json:"notes,omitempty"`
}

// Validate reports negative limits, empty entries, and disclosure labels
// without disclosure tags, as errors matching socialflow.ErrInvalid.
func (g Guidelines) Validate() error {
	if g.MaxHashtags < 0 {
		return &ValidationError{Field: "guidelines.max_hashtags", Value: fmt.Sprint(g.MaxHashtags), Reason: "must not be negative"}
	}
	if g.MaxEmoji < 0 {
		return &ValidationError{Field: "guidelines.max_emoji", Value: fmt.Sprint(g.MaxEmoji), Reason: "must not be negative"}
	}
	lists := map[string][]string{
		"banned_words": g.BannedWords, "required_words": g.RequiredWords, "banned_hashtags": g.BannedHashtags,
		"required_hashtags": g.RequiredHashtags, "disclosure_labels": g.DisclosureLabels, "disclosure_tags": g.DisclosureTags,
		"required_url_params": g.RequiredURLParams, "banned_domains": g.BannedDomains,
	}
	for name, l := range lists {
		for _, s := range l {
			if strings.TrimSpace(s) == "" {
				return &ValidationError{Field: "guidelines." + name, Reason: "contains an empty entry"}
			}
		}
	}
	if len(g.DisclosureLabels) > 0 && len(g.DisclosureTags) == 0 {
		return &ValidationError{Field: "guidelines.disclosure_tags", Reason: "required when disclosure_labels is set"}
	}
	return nil
}

// Rule names a guideline.
type Rule string

// The guideline rules a [Finding] can name.
const (
	RuleBannedWord      Rule = "banned_word"
	RuleRequiredWord    Rule = "required_word"
	RuleBannedHashtag   Rule = "banned_hashtag"
	RuleRequiredHashtag Rule = "required_hashtag"
	RuleDisclosure      Rule = "disclosure"
	RuleMaxHashtags     Rule = "max_hashtags"
	RuleMaxEmoji        Rule = "max_emoji"
	RuleURLParams       Rule = "url_params"
	RuleBannedDomain    Rule = "banned_domain"
)

// Finding is one broken guideline: the rule, what was found or missing, and
// where in the text (byte offsets; both -1 for something missing).
type Finding struct {
	Rule    Rule   `json:"rule"`
	Channel string `json:"channel,omitempty"` // the target whose variant broke it; "" for the base copy
	Detail  string `json:"detail"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

func (f Finding) String() string {
	where := "missing"
	if f.Start >= 0 {
		where = fmt.Sprintf("at %d-%d", f.Start, f.End)
	}
	return fmt.Sprintf("%s: %s (%s)", f.Rule, f.Detail, where)
}

// GuidelineError lists every finding of a check; it matches
// socialflow.ErrInvalid.
type GuidelineError struct{ Findings []Finding }

func (e *GuidelineError) Error() string {
	const shown = 10 // the message lists this many findings; Findings has all
	parts := make([]string, 0, min(len(e.Findings), shown+1))
	for i, f := range e.Findings {
		if i == shown {
			parts = append(parts, fmt.Sprintf("(+%d more)", len(e.Findings)-shown))
			break
		}
		parts = append(parts, f.String())
	}
	return "workflow: guidelines broken: " + strings.Join(parts, "; ")
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *GuidelineError) Is(target error) bool { return isInvalid(target) }

// Check returns every finding for one text carrying labels. Findings are
// ordered by rule, then position.
func (g Guidelines) Check(s string, labels []string) []Finding {
	var out []Finding
	missing := func(r Rule, d string) { out = append(out, Finding{Rule: r, Detail: d, Start: -1, End: -1}) }
	for _, w := range g.BannedWords {
		for _, m := range wordIndexes(s, w) {
			out = append(out, Finding{Rule: RuleBannedWord, Detail: echo.Quote(w) + " is banned", Start: m[0], End: m[1]})
		}
	}
	for _, w := range g.RequiredWords {
		if len(wordIndexes(s, w)) == 0 {
			missing(RuleRequiredWord, echo.Quote(w)+" is required")
		}
	}
	entities := text.Extract(s)
	var tags []text.Entity
	var urls []text.Entity
	for _, e := range entities {
		switch e.Kind {
		case text.Hashtag:
			tags = append(tags, e)
		case text.URL:
			urls = append(urls, e)
		}
	}
	hasTag := func(name string) bool {
		return slices.ContainsFunc(tags, func(e text.Entity) bool { return strings.EqualFold(e.Text, name) })
	}
	for _, e := range tags {
		if slices.ContainsFunc(g.BannedHashtags, func(b string) bool { return strings.EqualFold(b, e.Text) }) {
			out = append(out, Finding{Rule: RuleBannedHashtag, Detail: "#" + echo.Short(e.Text) + " is banned", Start: e.Start, End: e.End})
		}
	}
	for _, r := range g.RequiredHashtags {
		if !hasTag(r) {
			missing(RuleRequiredHashtag, "#"+r+" is required")
		}
	}
	if slices.ContainsFunc(g.DisclosureLabels, func(l string) bool { return slices.Contains(labels, l) }) {
		found := slices.ContainsFunc(g.DisclosureTags, func(d string) bool {
			if tag, ok := strings.CutPrefix(d, "#"); ok {
				return hasTag(tag)
			}
			return len(wordIndexes(s, d)) > 0
		})
		if !found {
			missing(RuleDisclosure, "a disclosure ("+strings.Join(g.DisclosureTags, ", ")+") is required for labels "+strings.Join(g.DisclosureLabels, ", "))
		}
	}
	if g.MaxHashtags > 0 && len(tags) > g.MaxHashtags {
		e := tags[g.MaxHashtags]
		out = append(out, Finding{Rule: RuleMaxHashtags, Detail: fmt.Sprintf("%d hashtags, limit %d", len(tags), g.MaxHashtags), Start: e.Start, End: e.End})
	}
	if g.MaxEmoji > 0 {
		n, first, firstEnd := 0, -1, -1
		state := -1
		rest, pos := s, 0
		for len(rest) > 0 {
			var cluster string
			cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			if isEmoji(cluster) {
				n++
				if n == g.MaxEmoji+1 {
					first, firstEnd = pos, pos+len(cluster)
				}
			}
			pos += len(cluster)
		}
		if n > g.MaxEmoji {
			out = append(out, Finding{Rule: RuleMaxEmoji, Detail: fmt.Sprintf("%d emoji, limit %d", n, g.MaxEmoji), Start: first, End: firstEnd})
		}
	}
	for _, e := range urls {
		raw := e.Text
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		host := strings.ToLower(u.Hostname())
		for _, d := range g.BannedDomains {
			d = strings.ToLower(d)
			if host == d || strings.HasSuffix(host, "."+d) {
				out = append(out, Finding{Rule: RuleBannedDomain, Detail: echo.Short(host) + " may not be linked", Start: e.Start, End: e.End})
			}
		}
		q := u.Query()
		var lacking []string
		for _, p := range g.RequiredURLParams {
			if q.Get(p) == "" {
				lacking = append(lacking, p)
			}
		}
		if len(lacking) > 0 {
			out = append(out, Finding{Rule: RuleURLParams, Detail: "link lacks " + strings.Join(lacking, ", "), Start: e.Start, End: e.End})
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Rule != b.Rule {
			return strings.Compare(string(a.Rule), string(b.Rule))
		}
		return a.Start - b.Start
	})
	return out
}

// wordIndexes returns the [start, end) byte ranges of s where w stands as a
// whole word (not preceded or followed by a letter or digit), ignoring case
// by Unicode simple folding. Offsets are into s as given: nothing is
// rewritten first, so invalid UTF-8 or case mappings that change byte
// lengths cannot shift them.
func wordIndexes(s, w string) [][2]int {
	if w == "" {
		return nil
	}
	var out [][2]int
	for i := 0; i < len(s); {
		if n, ok := prefixFold(s[i:], w); ok {
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+n:])
			if !isWordRune(before) && !isWordRune(after) {
				out = append(out, [2]int{i, i + n})
				i += n
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return out
}

// prefixFold reports whether s starts with w under Unicode case folding, and
// how many bytes of s the match takes.
func prefixFold(s, w string) (int, bool) {
	n := 0
	for _, wr := range w {
		r, size := utf8.DecodeRuneInString(s[n:])
		if size == 0 || (r == utf8.RuneError && size == 1) {
			return 0, false
		}
		if r != wr && !strings.EqualFold(string(r), string(wr)) {
			return 0, false
		}
		n += size
	}
	return n, true
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// isEmoji reports whether a grapheme cluster is an emoji: it holds an
// emoji-presentation selector (U+FE0F), a regional indicator, or a symbol
// from the pictographic blocks (U+1F000–U+1FAFF, U+2600–U+27BF).
func isEmoji(cluster string) bool {
	for _, r := range cluster {
		if r == 0xFE0F || (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) {
			return true
		}
	}
	return false
}
