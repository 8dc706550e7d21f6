package approval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/socialflow/socialflow/internal/echo"
)

// Attributes describe a subject for routing. The zero Attributes matches
// only rules with empty conditions.
type Attributes struct {
	Workspace  string   `json:"workspace,omitempty"`
	Channel    string   `json:"channel,omitempty"`
	Network    string   `json:"network,omitempty"`
	Campaign   string   `json:"campaign,omitempty"`
	Kind       string   `json:"kind,omitempty"`        // subject kind: "post", "reply", "asset"
	AuthorRole string   `json:"author_role,omitempty"` // role name of the author, as the host maps it
	Labels     []string `json:"labels,omitempty"`
	Text       string   `json:"text,omitempty"` // the content searched by keywords and patterns
}

// Condition selects subjects. Each non-empty field must match (AND); inside
// a field any listed value may match (OR). Values compare exactly, except
// Labels, which compare case-insensitively. Keywords and Patterns together
// form one content test: it matches when any keyword or any pattern is found
// in the text. The zero Condition matches everything.
type Condition struct {
	Workspaces  []string `json:"workspaces,omitempty"`
	Channels    []string `json:"channels,omitempty"`
	Networks    []string `json:"networks,omitempty"`
	Campaigns   []string `json:"campaigns,omitempty"`
	Kinds       []string `json:"kinds,omitempty"`
	AuthorRoles []string `json:"author_roles,omitempty"`
	// Labels: the subject carries at least one of them.
	Labels []string `json:"labels,omitempty"`
	// Keywords are whole words or phrases, matched case-insensitively at
	// word boundaries ("acme" matches "Acme's" but not "acmething").
	Keywords []string `json:"keywords,omitempty"`
	// Patterns are RE2 regular expressions ([regexp] syntax) searched in the
	// text; add (?i) for case-insensitive matching.
	Patterns []string `json:"patterns,omitempty"`
}

// Rule sends subjects matching When to the policy named Policy. The zero
// Rule is invalid (it names no policy).
type Rule struct {
	Name   string    `json:"name"`
	When   Condition `json:"when,omitzero"`
	Policy string    `json:"policy"`
}

// RouterConfig is the JSON-loadable form of a [Router]: named policies,
// ordered rules and the default policy used when no rule matches. The zero
// RouterConfig is invalid (it has no default).
type RouterConfig struct {
	Policies map[string]Policy `json:"policies"`
	Rules    []Rule            `json:"rules,omitempty"`
	Default  string            `json:"default"`
}

// Limits on routing configurations.
const (
	MaxRules         = 1000
	MaxPatternLength = 1000
	MaxRouterBytes   = 1 << 20
)

// Router picks a policy for a subject: rules are tried in order, the first
// match wins, and the default applies when none matches. A subject with
// several sets of attributes (a post on several channels) is routed with
// [Router.RouteAll], which applies the strictest of their policies. Build it with
// [NewRouter] or [ParseRouter]; it is immutable and safe for concurrent use.
// The zero Router has no rules and no default: Route returns a
// *[NoRouteError].
type Router struct {
	policies map[string]Policy
	rules    []crule
	def      string
}

type crule struct {
	Rule
	keywords []string // lower-cased
	patterns []*regexp.Regexp
}

// Match explains a routing decision. The zero Match names no rule.
type Match struct {
	Rule    string // name of the matching rule; "" for the default and for a merge of several rules
	Index   int    // position of the rule in the configuration; -1 for the default and for a merge
	Policy  string // name of the chosen policy
	Default bool   // no rule matched
	// Reasons lists, one per tested field, why the rule matched, e.g.
	// `label "sponsored" is in [sponsored]` or `text matches /\$\d+/ at "$49"`.
	// Echoed values are bounded (see [Match.String]).
	Reasons []string
	// Parts, set by [Router.RouteAll] when several matches shaped the
	// policy, lists them (one per distinct rule and reason, in a fixed
	// order); the chosen policy is their [Merge].
	Parts []Match
	// Outweighed, set by [Router.RouteAll], lists the matches whose
	// policies a stricter one outweighed (a None or Optional policy beside a
	// Required one), so the explanation says what did not apply.
	Outweighed []Match
}

// maxParts bounds the matches one explanation lists.
const maxParts = 8

// String returns a one-line explanation. Every value it repeats from the
// subject or the configuration is bounded (internal/echo), and at most a
// few merged or outweighed matches are listed, with a count of the rest.
func (m Match) String() string {
	var s string
	switch {
	case len(m.Parts) > 0:
		s = fmt.Sprintf("strictest of %d matches -> policy %s: %s", len(m.Parts), echo.Quote(m.Policy), listMatches(m.Parts, " + "))
	case m.Default:
		s = fmt.Sprintf("no rule matched: default policy %s", echo.Quote(m.Policy))
	case len(m.Reasons) == 0:
		s = fmt.Sprintf("rule %s (catch-all) -> policy %s", echo.Quote(m.Rule), echo.Quote(m.Policy))
	default:
		s = fmt.Sprintf("rule %s -> policy %s: %s", echo.Quote(m.Rule), echo.Quote(m.Policy), strings.Join(m.Reasons, "; "))
	}
	if len(m.Outweighed) > 0 {
		s += "; outweighed: " + listMatches(m.Outweighed, ", ")
	}
	return s
}

func listMatches(ms []Match, sep string) string {
	parts := make([]string, 0, min(len(ms), maxParts)+1)
	for i, p := range ms {
		if i == maxParts {
			parts = append(parts, fmt.Sprintf("and %d more", len(ms)-maxParts))
			break
		}
		p.Parts, p.Outweighed = nil, nil
		parts = append(parts, "["+p.String()+"]")
	}
	return strings.Join(parts, sep)
}

// ParseRouter reads a [RouterConfig] from JSON (unknown fields are errors)
// and builds a Router with [NewRouter]. Every error matches
// socialflow.ErrInvalid; malformed JSON is reported as a *[PolicyError] with
// Field "json".
func ParseRouter(data []byte) (*Router, error) {
	if len(data) > MaxRouterBytes {
		return nil, &PolicyError{Field: "json", Value: strconv.Itoa(len(data)), Limit: MaxRouterBytes, Reason: "configuration too large in bytes"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cfg RouterConfig
	if err := dec.Decode(&cfg); err != nil {
		if pe, ok := err.(*PolicyError); ok {
			return nil, pe
		}
		return nil, &PolicyError{Field: "json", Reason: "cannot decode router configuration: " + err.Error()}
	}
	if dec.More() {
		return nil, &PolicyError{Field: "json", Reason: "trailing data after the configuration"}
	}
	return NewRouter(cfg)
}

// NewRouter validates cfg — every policy with [Policy.Validate], every rule
// naming a known policy, patterns compiling as RE2, the default present —
// and returns the Router. Errors are *[PolicyError] (errors.Is ErrInvalid).
// The Router keeps its own copy of the rules; the policies are shared values.
func NewRouter(cfg RouterConfig) (*Router, error) {
	if cfg.Default == "" {
		return nil, &PolicyError{Field: "default", Reason: "a default policy is required"}
	}
	r := &Router{policies: make(map[string]Policy, len(cfg.Policies)), def: cfg.Default}
	for name, p := range cfg.Policies {
		if p.Name == "" {
			p.Name = name
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		r.policies[name] = p
	}
	if _, ok := r.policies[cfg.Default]; !ok {
		return nil, &PolicyError{Field: "default", Value: cfg.Default, Reason: "unknown policy"}
	}
	if len(cfg.Rules) > MaxRules {
		return nil, &PolicyError{Field: "rules", Value: strconv.Itoa(len(cfg.Rules)), Limit: MaxRules, Reason: "too many rules"}
	}
	names := make(map[string]bool, len(cfg.Rules))
	for i, rule := range cfg.Rules {
		f := fmt.Sprintf("rules[%d]", i)
		if rule.Name == "" {
			return nil, &PolicyError{Field: f + ".name", Reason: "rule name is required"}
		}
		if names[rule.Name] {
			return nil, &PolicyError{Field: f + ".name", Value: rule.Name, Reason: "duplicate rule name"}
		}
		names[rule.Name] = true
		if _, ok := r.policies[rule.Policy]; !ok {
			return nil, &PolicyError{Field: f + ".policy", Value: rule.Policy, Reason: "unknown policy"}
		}
		cr := crule{Rule: rule}
		cr.When = cloneCondition(rule.When)
		for j, k := range rule.When.Keywords {
			if strings.TrimSpace(k) == "" {
				return nil, &PolicyError{Field: fmt.Sprintf("%s.when.keywords[%d]", f, j), Reason: "keyword is empty"}
			}
			cr.keywords = append(cr.keywords, strings.ToLower(strings.TrimSpace(k)))
		}
		for j, pat := range rule.When.Patterns {
			pf := fmt.Sprintf("%s.when.patterns[%d]", f, j)
			if len(pat) > MaxPatternLength {
				return nil, &PolicyError{Field: pf, Value: echo.Clip(pat, 32), Limit: MaxPatternLength, Reason: "pattern too long"}
			}
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, &PolicyError{Field: pf, Value: pat, Reason: "not an RE2 regular expression"}
			}
			if re.MatchString("") {
				return nil, &PolicyError{Field: pf, Value: pat, Reason: "pattern matches empty text, so it matches everything"}
			}
			cr.patterns = append(cr.patterns, re)
		}
		r.rules = append(r.rules, cr)
	}
	return r, nil
}

func cloneCondition(c Condition) Condition {
	return Condition{
		Workspaces: slices.Clone(c.Workspaces), Channels: slices.Clone(c.Channels),
		Networks: slices.Clone(c.Networks), Campaigns: slices.Clone(c.Campaigns),
		Kinds: slices.Clone(c.Kinds), AuthorRoles: slices.Clone(c.AuthorRoles),
		Labels: slices.Clone(c.Labels), Keywords: slices.Clone(c.Keywords),
		Patterns: slices.Clone(c.Patterns),
	}
}

// Policy returns the policy named name, as configured (its Name set to the
// configuration key when it had none), and whether it exists. Hosts use it
// to reload the policy a request was routed to.
func (r *Router) Policy(name string) (Policy, bool) {
	p, ok := r.policies[name]
	return p, ok
}

// Rules returns a copy of the router's rules in evaluation order.
func (r *Router) Rules() []Rule {
	out := make([]Rule, len(r.rules))
	for i, cr := range r.rules {
		out[i] = cr.Rule
		out[i].When = cloneCondition(cr.When)
	}
	return out
}

// Route returns the policy for a subject with attributes a and the [Match]
// that explains the choice: the first rule whose condition holds, else the
// default. It fails only on the zero Router (*[NoRouteError]).
func (r *Router) Route(a Attributes) (Policy, Match, error) {
	for i := range r.rules {
		if reasons, ok := r.rules[i].match(a); ok {
			cr := &r.rules[i]
			return r.policies[cr.Policy], Match{Rule: cr.Name, Index: i, Policy: cr.Policy, Reasons: reasons}, nil
		}
	}
	if r.def == "" {
		return Policy{}, Match{}, &NoRouteError{}
	}
	return r.policies[r.def], Match{Index: -1, Policy: r.def, Default: true}, nil
}

// RouteAll routes a subject that has several sets of attributes at once —
// a post going out on several channels or networks, one [Attributes] for
// each — and returns the strictest policy that applies: each set is routed
// with [Router.Route] (first matching rule, else the default) and the
// policies found are combined with [Merge]. The result and its [Match] do
// not depend on the order of subjects, so listing a post's channels in
// another order cannot route it around a stricter policy.
//
// When one match decides, its Match is returned as Route returns it, with
// Outweighed listing the matches whose weaker policies did not apply; when
// several shaped the policy, Match.Parts lists them and Match.Policy names
// the merged policy. A merged policy is not one of the router's named
// policies ([Router.Policy] does not know its name): store the Policy
// itself. An empty subjects routes the zero Attributes. RouteAll fails on
// the zero Router (*[NoRouteError]) and with a *[PolicyError] when the
// merge breaks a limit (see Merge).
func (r *Router) RouteAll(subjects []Attributes) (Policy, Match, error) {
	if len(subjects) == 0 {
		subjects = []Attributes{{}}
	}
	byPolicy := map[string][]Match{}
	for _, a := range subjects {
		_, m, err := r.Route(a)
		if err != nil {
			return Policy{}, Match{}, err
		}
		key := m.String()
		if !slices.ContainsFunc(byPolicy[m.Policy], func(o Match) bool { return o.String() == key }) {
			byPolicy[m.Policy] = append(byPolicy[m.Policy], m)
		}
	}
	policies := make([]Policy, 0, len(byPolicy))
	rank := 0
	for name := range byPolicy {
		p := r.policies[name]
		policies = append(policies, p)
		rank = max(rank, kindRank(p.Kind))
	}
	merged, err := Merge(policies...)
	if err != nil {
		return Policy{}, Match{}, err
	}
	var parts, outweighed []Match
	for name, ms := range byPolicy {
		if kindRank(r.policies[name].Kind) == rank {
			parts = append(parts, ms...)
		} else {
			outweighed = append(outweighed, ms...)
		}
	}
	sortMatches(parts)
	sortMatches(outweighed)
	var m Match
	if len(parts) == 1 {
		m = parts[0]
	} else {
		m = Match{Index: -1, Policy: merged.Name, Parts: parts}
	}
	m.Outweighed = outweighed
	return merged, m, nil
}

// kindRank orders policy kinds by strictness.
func kindRank(k Kind) int {
	switch k {
	case Optional:
		return 1
	case Required, MultiLevel:
		return 2
	}
	return 0
}

// sortMatches puts ms in a fixed order: by policy, by rule position (the
// default last), then by explanation.
func sortMatches(ms []Match) {
	slices.SortFunc(ms, func(a, b Match) int {
		if c := strings.Compare(a.Policy, b.Policy); c != 0 {
			return c
		}
		ai, bi := a.Index, b.Index
		if ai < 0 {
			ai = MaxRules
		}
		if bi < 0 {
			bi = MaxRules
		}
		if ai != bi {
			return ai - bi
		}
		return strings.Compare(a.String(), b.String())
	})
}

// maxListEcho bounds a configured value list repeated in a reason.
const maxListEcho = 120

func listEcho(set []string) string { return echo.Clip(fmt.Sprint(set), maxListEcho) }

func (cr *crule) match(a Attributes) ([]string, bool) {
	var reasons []string
	exact := func(field, v string, set []string) bool {
		if len(set) == 0 {
			return true
		}
		if slices.Contains(set, v) {
			reasons = append(reasons, fmt.Sprintf("%s %s is in %s", field, echo.Quote(v), listEcho(set)))
			return true
		}
		return false
	}
	w := &cr.When
	if !exact("workspace", a.Workspace, w.Workspaces) || !exact("channel", a.Channel, w.Channels) ||
		!exact("network", a.Network, w.Networks) || !exact("campaign", a.Campaign, w.Campaigns) ||
		!exact("kind", a.Kind, w.Kinds) || !exact("author role", a.AuthorRole, w.AuthorRoles) {
		return nil, false
	}
	if len(w.Labels) > 0 {
		// The subject's labels are a set: the rule's order picks the label
		// named in the reason, so the order of a.Labels changes nothing.
		found := false
		for _, want := range w.Labels {
			if i := slices.IndexFunc(a.Labels, func(l string) bool { return strings.EqualFold(want, l) }); i >= 0 {
				reasons = append(reasons, fmt.Sprintf("label %s is in %s", echo.Quote(a.Labels[i]), listEcho(w.Labels)))
				found = true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	if len(cr.keywords) > 0 || len(cr.patterns) > 0 {
		why, ok := cr.matchText(a.Text)
		if !ok {
			return nil, false
		}
		reasons = append(reasons, why)
	}
	return reasons, true
}

func (cr *crule) matchText(text string) (string, bool) {
	if text == "" {
		return "", false
	}
	lower := strings.ToLower(text)
	for i, k := range cr.keywords {
		if at := findWord(lower, k); at >= 0 {
			return fmt.Sprintf("text mentions keyword %s", echo.Quote(cr.When.Keywords[i])), true
		}
	}
	for _, re := range cr.patterns {
		if loc := re.FindStringIndex(text); loc != nil {
			return fmt.Sprintf("text matches /%s/ at %s", echo.Short(re.String()), echo.Quote(text[loc[0]:loc[1]])), true
		}
	}
	return "", false
}

// findWord returns the byte offset of the first occurrence of word in s that
// is not part of a longer word, or -1.
func findWord(s, word string) int {
	for off := 0; off <= len(s)-len(word); {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return -1
		}
		start, end := off+i, off+i+len(word)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || !isWordRune(before)) && (end == len(s) || !isWordRune(after)) {
			return start
		}
		_, size := utf8.DecodeRuneInString(s[start:])
		off = start + size
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
