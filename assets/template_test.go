package assets_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
)

func TestTemplateRender(t *testing.T) {
	for _, tt := range []struct {
		name   string
		text   string
		values map[string]string
		want   string
		places []string
	}{
		{"plain", "Thanks for writing!", nil, "Thanks for writing!", nil},
		{"two placeholders", "Hi {first_name}, order {order_id} ships today.", map[string]string{"first_name": "Ana", "order_id": "A-17"}, "Hi Ana, order A-17 ships today.", []string{"first_name", "order_id"}},
		{"repeated", "{x} and {x}", map[string]string{"x": "1"}, "1 and 1", []string{"x"}},
		{"escaped braces", "Use code {{SAVE10}} now, {name}}}", map[string]string{"name": "Bo"}, "Use code {SAVE10} now, Bo}", []string{"name"}},
		{"braces in values stay verbatim", "Hi {n}", map[string]string{"n": "{evil}"}, "Hi {evil}", []string{"n"}},
		{"triple braces", "{{{x}}}", map[string]string{"x": "v"}, "{v}", []string{"x"}},
		{"unicode around", "¡Hola {name}! 👋", map[string]string{"name": "Zoë"}, "¡Hola Zoë! 👋", []string{"name"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := assets.ParseTemplate(tt.text)
			require.NoError(t, err)
			assert.Equal(t, tt.places, nilIfEmpty(tpl.Placeholders()))
			got, err := tpl.Render(tt.values)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestTemplateErrors(t *testing.T) {
	var (
		syntax *assets.SyntaxError
		ph     *assets.PlaceholderError
	)
	for _, tt := range []struct {
		name   string
		text   string
		known  []string
		values map[string]string
		target any
		want   any // the expected typed error, compared after errors.As
	}{
		{name: "unclosed", text: "Hi {first_name", target: &syntax, want: assets.SyntaxError{Offset: 3, Reason: "unclosed '{' (write {{ for a literal brace)"}},
		{name: "stray close", text: "Hi }", target: &syntax},
		{name: "empty name", text: "Hi {}", target: &syntax},
		{name: "bad name", text: "Hi {first name}", target: &syntax},
		{name: "digit first", text: "{1st}", target: &syntax},
		{name: "unknown to vocabulary", text: "Hi {frist_name}", known: []string{"first_name"}, target: &ph, want: assets.PlaceholderError{Name: "frist_name", Reason: assets.PlaceholderUnknown}},
		{name: "missing value", text: "Hi {first_name}, {order_id}", values: map[string]string{"first_name": "Ana"}, target: &ph, want: assets.PlaceholderError{Name: "order_id", Reason: assets.PlaceholderMissing}},
		{name: "empty value", text: "Hi {first_name}", values: map[string]string{"first_name": "  "}, target: &ph, want: assets.PlaceholderError{Name: "first_name", Reason: assets.PlaceholderEmpty}},
		{name: "unknown value", text: "Hi {first_name}", values: map[string]string{"first_name": "Ana", "zip": "1", "coupon": "X"}, target: &ph, want: assets.PlaceholderError{Name: "coupon", Reason: assets.PlaceholderUnknown}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := assets.ParseTemplate(tt.text, tt.known...)
			if err == nil {
				_, err = tpl.Render(tt.values)
			}
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			require.ErrorAs(t, err, tt.target)
			switch e := tt.target.(type) {
			case **assets.SyntaxError:
				if tt.want != nil {
					assert.Equal(t, tt.want, **e)
				}
			case **assets.PlaceholderError:
				assert.Equal(t, tt.want, **e)
			}
		})
	}
}

// go test -fuzz=^FuzzTemplate$ -fuzztime=60s ./assets
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"", "Hi {first_name}", "{{x}}", "{{{x}}}", "{", "}", "{a}{b}{a}", "x{ y }", "{_9}", "¡{n}!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tpl, err := assets.ParseTemplate(text)
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("parse error %v does not match ErrInvalid", err)
			}
			return
		}
		// Round trip: the source form parses to the same template.
		again, err := assets.ParseTemplate(tpl.String())
		if err != nil || again.String() != tpl.String() {
			t.Fatalf("round trip of %q failed: %q, %v", text, tpl.String(), err)
		}
		vals := map[string]string{}
		for _, p := range tpl.Placeholders() {
			vals[p] = "<" + p + ">"
		}
		out, err := tpl.Render(vals)
		if err != nil {
			t.Fatalf("render with every value: %v", err)
		}
		for _, p := range tpl.Placeholders() {
			if !strings.Contains(out, "<"+p+">") {
				t.Fatalf("value of %s missing from %q", p, out)
			}
		}
		if ps := tpl.Placeholders(); len(ps) > 0 {
			delete(vals, ps[0])
			if _, err := tpl.Render(vals); !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("render without %s: %v", ps[0], err)
			}
		}
	})
}
