package workflow_test

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
)

func TestGuidelinesCheck(t *testing.T) {
	g := workflow.Guidelines{
		BannedWords: []string{"cheap", "free shipping"}, RequiredWords: []string{"Acme"},
		BannedHashtags: []string{"fail"}, RequiredHashtags: []string{"AcmeLife"},
		DisclosureLabels: []string{"sponsored"}, DisclosureTags: []string{"#ad", "paid partnership"},
		MaxHashtags: 2, MaxEmoji: 2,
		RequiredURLParams: []string{"utm_source", "utm_campaign"}, BannedDomains: []string{"competitor.com"},
	}
	require.NoError(t, g.Validate())
	type want struct {
		rule       workflow.Rule
		start, end int
	}
	for _, tt := range []struct {
		name   string
		text   string
		labels []string
		want   []want
	}{
		{name: "clean", text: "Acme news #AcmeLife https://acme.com/x?utm_source=ig&utm_campaign=spring", want: nil},
		{name: "banned words are whole words, any case", text: "Acme: CHEAP deals, not cheapest #AcmeLife", want: []want{{workflow.RuleBannedWord, 6, 11}}},
		{name: "a banned phrase", text: "Acme now with free shipping #AcmeLife", want: []want{{workflow.RuleBannedWord, 14, 27}}},
		{name: "missing required word and hashtag", text: "hello", want: []want{{workflow.RuleRequiredHashtag, -1, -1}, {workflow.RuleRequiredWord, -1, -1}}},
		{name: "banned hashtag", text: "Acme #AcmeLife #Fail", want: []want{{workflow.RuleBannedHashtag, 15, 20}}},
		{name: "too many hashtags points at the first extra", text: "Acme #AcmeLife #a #b", want: []want{{workflow.RuleMaxHashtags, 18, 20}}},
		{name: "disclosure for sponsored", text: "Acme #AcmeLife", labels: []string{"sponsored"}, want: []want{{workflow.RuleDisclosure, -1, -1}}},
		{name: "disclosure by phrase", text: "Acme #AcmeLife paid partnership", labels: []string{"sponsored"}},
		{name: "disclosure by hashtag", text: "Acme #AcmeLife #ad", labels: []string{"sponsored"}},
		{name: "too many emoji", text: "Acme #AcmeLife 🎉🎉 👍🏽", want: []want{{workflow.RuleMaxEmoji, 24, 32}}},
		{name: "link without UTM", text: "Acme #AcmeLife https://acme.com/x?utm_source=ig", want: []want{{workflow.RuleURLParams, 15, 47}}},
		{name: "banned domain and subdomain", text: "Acme #AcmeLife https://shop.competitor.com/?utm_source=a&utm_campaign=b", want: []want{{workflow.RuleBannedDomain, 15, 71}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Check(tt.text, tt.labels)
			require.Len(t, got, len(tt.want), "%v", got)
			for i, w := range tt.want {
				assert.Equal(t, w.rule, got[i].Rule)
				assert.Equal(t, w.start, got[i].Start, "start of %s", w.rule)
				assert.Equal(t, w.end, got[i].End, "end of %s", w.rule)
				assert.NotEmpty(t, got[i].Detail)
			}
		})
	}
}

func TestGuidelinesValidate(t *testing.T) {
	for _, g := range []workflow.Guidelines{
		{MaxHashtags: -1}, {MaxEmoji: -2}, {BannedWords: []string{" "}},
		{DisclosureLabels: []string{"sponsored"}},
	} {
		err := g.Validate()
		require.ErrorIs(t, err, socialflow.ErrInvalid, "%+v", g)
	}
}

// FuzzGuidelinesCheck: any text, findings point inside it and never panic.
func FuzzGuidelinesCheck(f *testing.F) {
	for _, s := range []string{"Acme #a #b #c cheap 🎉🎉🎉 https://x.com/?q=1", "", "\xff\xfe#", "#ad @x $AAPL"} {
		f.Add(s)
	}
	g := workflow.Guidelines{BannedWords: []string{"cheap"}, RequiredHashtags: []string{"a"}, MaxHashtags: 1, MaxEmoji: 1,
		RequiredURLParams: []string{"utm_source"}, BannedDomains: []string{"x.com"}, DisclosureLabels: []string{"s"}, DisclosureTags: []string{"#ad"}}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fd := range g.Check(s, []string{"s"}) {
			if fd.Start == -1 && fd.End == -1 {
				continue
			}
			if fd.Start < 0 || fd.End > len(s) || fd.Start > fd.End {
				t.Fatalf("finding %v out of range for %q", fd, s)
			}
			if utf8.ValidString(s) && !utf8.ValidString(s[fd.Start:fd.End]) {
				t.Fatalf("finding %v splits a character of %q", fd, s)
			}
		}
	})
}
