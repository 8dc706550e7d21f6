package approval_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

func loadRouter(t testing.TB) *approval.Router {
	t.Helper()
	data, err := os.ReadFile("testdata/router.json")
	require.NoError(t, err)
	r, err := approval.ParseRouter(data)
	require.NoError(t, err)
	return r
}

func TestRouterRoute(t *testing.T) {
	r := loadRouter(t)
	for _, tt := range []struct {
		name     string
		attrs    approval.Attributes
		rule     string
		policy   string
		kind     approval.Kind
		contains string // a fragment of the explanation
	}{
		{name: "default", attrs: approval.Attributes{Workspace: "inhouse", Network: "linkedin", Text: "Hello"}, policy: "team", kind: approval.Required},
		{name: "manager skips review", attrs: approval.Attributes{AuthorRole: "manager", Labels: []string{"sponsored"}},
			rule: "managers publish directly", policy: "direct", kind: approval.None, contains: `author role "manager"`},
		{name: "sponsored label, any case", attrs: approval.Attributes{Labels: []string{"summer", "Sponsored"}},
			rule: "sponsored content", policy: "legal", kind: approval.MultiLevel, contains: `label "Sponsored"`},
		{name: "price pattern", attrs: approval.Attributes{Text: "Now only $49 for a year"},
			rule: "prices and competitors", policy: "legal", kind: approval.MultiLevel, contains: `"$4"`},
		{name: "price in kroner", attrs: approval.Attributes{Text: "Bare 199 kr i dag"},
			rule: "prices and competitors", policy: "legal", kind: approval.MultiLevel, contains: `"199 kr"`},
		{name: "competitor keyword case-insensitive", attrs: approval.Attributes{Text: "Better than RIVAL CORP's app"},
			rule: "prices and competitors", policy: "legal", kind: approval.MultiLevel, contains: `keyword "Rival Corp"`},
		{name: "keyword needs a word boundary", attrs: approval.Attributes{Workspace: "inhouse", Text: "the cheapestness"}, policy: "team", kind: approval.Required},
		{name: "agency client workspace", attrs: approval.Attributes{Workspace: "globex", Text: "New season"},
			rule: "agency clients", policy: "client", kind: approval.MultiLevel, contains: `workspace "globex"`},
		{name: "customer reply", attrs: approval.Attributes{Kind: "reply", Text: "Thanks!"},
			rule: "customer replies", policy: "review", kind: approval.Optional},
		{name: "all fields must match", attrs: approval.Attributes{Network: "x"}, policy: "team", kind: approval.Required},
		{name: "launch on x", attrs: approval.Attributes{Network: "x", Campaign: "launch"},
			rule: "x and threads", policy: "team", kind: approval.Required, contains: `campaign "launch"`},
		{name: "first match wins", attrs: approval.Attributes{Workspace: "acme", Labels: []string{"ad"}},
			rule: "sponsored content", policy: "legal", kind: approval.MultiLevel},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, m, err := r.Route(tt.attrs)
			require.NoError(t, err)
			assert.Equal(t, tt.policy, m.Policy)
			assert.Equal(t, tt.policy, p.Name)
			assert.Equal(t, tt.kind, p.Kind)
			assert.Equal(t, tt.rule, m.Rule)
			assert.Equal(t, tt.rule == "", m.Default)
			if tt.rule == "" {
				assert.Equal(t, -1, m.Index)
			} else {
				assert.NotEmpty(t, m.Reasons)
			}
			assert.Contains(t, m.String(), tt.contains)
		})
	}
}

func TestZeroRouter(t *testing.T) {
	var r approval.Router
	_, _, err := r.Route(approval.Attributes{})
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	var nr *approval.NoRouteError
	require.ErrorAs(t, err, &nr)
}

func TestRouterRulesCopy(t *testing.T) {
	r := loadRouter(t)
	rules := r.Rules()
	require.Len(t, rules, 6)
	rules[1].When.Labels[0] = "changed"
	_, m, err := r.Route(approval.Attributes{Labels: []string{"sponsored"}})
	require.NoError(t, err)
	assert.Equal(t, "sponsored content", m.Rule)
}

func TestParseRouterInvalid(t *testing.T) {
	valid := `"policies":{"p":{"kind":"none"}}`
	for _, tt := range []struct {
		name  string
		json  string
		field string
	}{
		{name: "not json", json: `{`, field: "json"},
		{name: "unknown field", json: `{` + valid + `,"default":"p","colour":"red"}`, field: "json"},
		{name: "trailing data", json: `{` + valid + `,"default":"p"} {}`, field: "json"},
		{name: "no default", json: `{` + valid + `}`, field: "default"},
		{name: "unknown default", json: `{` + valid + `,"default":"q"}`, field: "default"},
		{name: "invalid policy", json: `{"policies":{"p":{"kind":"required"}},"default":"p"}`, field: "stages"},
		{name: "rule to unknown policy", json: `{` + valid + `,"default":"p","rules":[{"name":"r","policy":"q"}]}`, field: "rules[0].policy"},
		{name: "rule without name", json: `{` + valid + `,"default":"p","rules":[{"policy":"p"}]}`, field: "rules[0].name"},
		{name: "duplicate rule", json: `{` + valid + `,"default":"p","rules":[{"name":"r","policy":"p"},{"name":"r","policy":"p"}]}`, field: "rules[1].name"},
		{name: "bad regexp", json: `{` + valid + `,"default":"p","rules":[{"name":"r","policy":"p","when":{"patterns":["(a"]}}]}`, field: "rules[0].when.patterns[0]"},
		{name: "pattern matching everything", json: `{` + valid + `,"default":"p","rules":[{"name":"r","policy":"p","when":{"patterns":["a*"]}}]}`, field: "rules[0].when.patterns[0]"},
		{name: "blank keyword", json: `{` + valid + `,"default":"p","rules":[{"name":"r","policy":"p","when":{"keywords":[" "]}}]}`, field: "rules[0].when.keywords[0]"},
		{name: "bad duration", json: `{"policies":{"p":{"kind":"required","stages":[{"approvers":{"members":["a"]},"deadline":{"within":"soon"}}]}},"default":"p"}`, field: "duration"},
		{name: "too large", json: `{"default":"` + strings.Repeat("x", approval.MaxRouterBytes) + `"}`, field: "json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := approval.ParseRouter([]byte(tt.json))
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var pe *approval.PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
		})
	}
}

// go test -fuzz=^FuzzParseRouter$ -fuzztime=30s ./approval
func FuzzParseRouter(f *testing.F) {
	data, err := os.ReadFile("testdata/router.json")
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"policies":{"p":{}},"default":"p"}`))
	f.Add([]byte(`{"policies":{"p":{"kind":"required","stages":[{"approvers":{"members":["a"]},"quorum":{"rule":"at_least","n":2}}]}},"default":"p"}`))
	f.Add([]byte(`{"policies":{"p":{}},"default":"p","rules":[{"name":"r","policy":"p","when":{"patterns":["(?i)\\bprice\\b"],"keywords":["x"]}}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	attrs := []approval.Attributes{
		{},
		{Workspace: "acme", Network: "x", Labels: []string{"sponsored"}, Text: "only $5 at Rival Corp"},
		{Kind: "reply", AuthorRole: "manager", Text: "ünïcödé 100 kr"},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := approval.ParseRouter(data)
		if err != nil {
			if !errorIsInvalid(err) {
				t.Fatalf("ParseRouter error %v does not match ErrInvalid", err)
			}
			return
		}
		for _, a := range attrs {
			p, m, err := r.Route(a)
			if err != nil {
				t.Fatalf("Route on a parsed router failed: %v", err)
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("routed policy %q is invalid: %v", m.Policy, err)
			}
		}
		// A valid configuration survives a JSON round trip of its rules.
		if _, err := json.Marshal(r.Rules()); err != nil {
			t.Fatal(err)
		}
	})
}
