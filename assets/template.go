package assets

import (
	"fmt"
	"slices"
	"strings"
)

// Template is parsed text with named placeholders, the body of a saved reply,
// caption snippet or post template.
//
// Syntax: {name} is a placeholder, where name is an ASCII letter or '_'
// followed by letters, digits or '_' (at most 64 bytes). {{ is a literal '{'
// and }} a literal '}'; any other brace is a [SyntaxError]. So
// "Hi {first_name}, use code {{SAVE10}}" renders as "Hi Ana, use code
// {SAVE10}".
//
// A Template is immutable and safe for concurrent use. The zero Template
// renders as the empty string.
type Template struct {
	parts []part
	names []string // in order of first appearance
}

type part struct {
	lit  string
	name string // "" for a literal part
}

// maxPlaceholderLen bounds a placeholder name.
const maxPlaceholderLen = 64

// ParseTemplate parses text. If known is not empty, every placeholder must be
// one of known (a *[PlaceholderError] with [PlaceholderUnknown] otherwise), so
// a typo like {frist_name} is caught when the reply is saved, not when a
// customer is waiting. Syntax errors are *[SyntaxError]; all errors match
// [socialflow.ErrInvalid].
func ParseTemplate(text string, known ...string) (*Template, error) {
	t := &Template{}
	var lit strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '{' && i+1 < len(text) && text[i+1] == '{':
			lit.WriteByte('{')
			i += 2
		case c == '}' && i+1 < len(text) && text[i+1] == '}':
			lit.WriteByte('}')
			i += 2
		case c == '}':
			return nil, &SyntaxError{Offset: i, Reason: "stray '}' (write }} for a literal brace)"}
		case c == '{':
			end := strings.IndexByte(text[i+1:], '}')
			if end < 0 {
				return nil, &SyntaxError{Offset: i, Reason: "unclosed '{' (write {{ for a literal brace)"}
			}
			name := text[i+1 : i+1+end]
			if !validPlaceholder(name) {
				return nil, &SyntaxError{Offset: i, Reason: fmt.Sprintf("bad placeholder name %q", name)}
			}
			if len(known) > 0 && !slices.Contains(known, name) {
				return nil, &PlaceholderError{Name: name, Reason: PlaceholderUnknown}
			}
			if lit.Len() > 0 {
				t.parts = append(t.parts, part{lit: lit.String()})
				lit.Reset()
			}
			t.parts = append(t.parts, part{name: name})
			if !slices.Contains(t.names, name) {
				t.names = append(t.names, name)
			}
			i += end + 2
		default:
			lit.WriteByte(c)
			i++
		}
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, part{lit: lit.String()})
	}
	return t, nil
}

func validPlaceholder(name string) bool {
	if name == "" || len(name) > maxPlaceholderLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Placeholders returns the placeholder names in order of first appearance.
// The caller may modify the returned slice.
func (t *Template) Placeholders() []string { return slices.Clone(t.names) }

// Render fills the placeholders from values. Every placeholder must have a
// non-empty value (*[PlaceholderError] with [PlaceholderMissing] or
// [PlaceholderEmpty] otherwise: never an empty hole), and every key of values
// must be a placeholder of t ([PlaceholderUnknown] otherwise: a value meant
// for another template usually means the wrong template was picked; use
// [Template.Placeholders] to pick from a wider map). Errors name the first
// offending placeholder in template order (unknown keys in sorted order) and
// match [socialflow.ErrInvalid]. Values are inserted verbatim: braces in them
// are not interpreted.
func (t *Template) Render(values map[string]string) (string, error) {
	for _, n := range t.names {
		v, ok := values[n]
		switch {
		case !ok:
			return "", &PlaceholderError{Name: n, Reason: PlaceholderMissing}
		case strings.TrimSpace(v) == "":
			return "", &PlaceholderError{Name: n, Reason: PlaceholderEmpty}
		}
	}
	if len(values) > len(t.names) {
		keys := make([]string, 0, len(values))
		for k := range values {
			if !slices.Contains(t.names, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		return "", &PlaceholderError{Name: keys[0], Reason: PlaceholderUnknown}
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.name != "" {
			b.WriteString(values[p.name])
		} else {
			b.WriteString(p.lit)
		}
	}
	return b.String(), nil
}

// String returns the template in its source syntax (literal braces
// doubled); parsing it again gives an equal template.
func (t *Template) String() string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.name != "" {
			b.WriteString("{" + p.name + "}")
		} else {
			b.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(p.lit))
		}
	}
	return b.String()
}
