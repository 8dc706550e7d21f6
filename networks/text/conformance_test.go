package text_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/socialflow/socialflow/networks/text"
)

// The twitter-text conformance suite (testdata/twitter-text, Apache-2.0),
// read at test time as its README asks. Every case is a subtest; each
// section logs passed/total.

type conformanceCase struct {
	Description string    `yaml:"description"`
	Text        string    `yaml:"text"`
	Expected    yaml.Node `yaml:"expected"`
}

func loadSuite(t *testing.T, name string) map[string][]conformanceCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "twitter-text", name))
	require.NoError(t, err)
	var doc struct {
		Tests map[string][]conformanceCase `yaml:"tests"`
	}
	require.NoError(t, yaml.Unmarshal(data, &doc))
	require.NotEmpty(t, doc.Tests)
	return doc.Tests
}

// runSection runs check on every case of a section as a subtest and logs
// how many passed.
func runSection(t *testing.T, section string, cases []conformanceCase, check func(t *testing.T, c conformanceCase)) {
	t.Run(section, func(t *testing.T) {
		require.NotEmpty(t, cases, "section %s has no cases", section)
		passed := 0
		for i, c := range cases {
			ok := t.Run(fmt.Sprintf("%03d %s", i, c.Description), func(t *testing.T) { check(t, c) })
			if ok {
				passed++
			}
		}
		t.Logf("%s: %d/%d passed", section, passed, len(cases))
	})
}

func decode[T any](t *testing.T, n yaml.Node) T {
	t.Helper()
	var v T
	require.NoError(t, n.Decode(&v))
	return v
}

type weightedExpectation struct {
	WeightedLength    int  `yaml:"weightedLength"`
	Valid             bool `yaml:"valid"`
	Permillage        int  `yaml:"permillage"`
	DisplayRangeStart int  `yaml:"displayRangeStart"`
	DisplayRangeEnd   int  `yaml:"displayRangeEnd"`
	ValidRangeStart   int  `yaml:"validRangeStart"`
	ValidRangeEnd     int  `yaml:"validRangeEnd"`
}

func weightedCheck(cfg text.Config) func(t *testing.T, c conformanceCase) {
	return func(t *testing.T, c conformanceCase) {
		want := decode[weightedExpectation](t, c.Expected)
		res, err := text.ParseTweet(c.Text, cfg)
		require.NoError(t, err)
		assert.Equal(t, want, weightedExpectation{
			WeightedLength: res.WeightedLength, Valid: res.Valid, Permillage: res.Permillage,
			DisplayRangeStart: res.DisplayRangeStart, DisplayRangeEnd: res.DisplayRangeEnd,
			ValidRangeStart: res.ValidRangeStart, ValidRangeEnd: res.ValidRangeEnd,
		})
	}
}

func boolCheck(f func(string) bool) func(t *testing.T, c conformanceCase) {
	return func(t *testing.T, c conformanceCase) {
		assert.Equal(t, decode[bool](t, c.Expected), f(c.Text))
	}
}

func TestConformanceValidate(t *testing.T) {
	checks := map[string]func(t *testing.T, c conformanceCase){
		// validate.yml's "tweets" are the legacy 140-character check.
		"tweets":    boolCheck(func(s string) bool { return text.IsValidTweet(s, text.ConfigV1()) }),
		"usernames": boolCheck(text.IsValidUsername),
		"lists":     boolCheck(text.IsValidList),
		"hashtags":  boolCheck(text.IsValidHashtag),
		"urls":      boolCheck(func(s string) bool { return text.IsValidURL(s, true) }),
		"urls_without_protocol": boolCheck(func(s string) bool {
			return text.IsValidURL(s, false)
		}),
		"WeightedTweetsCounterTest":                    weightedCheck(text.ConfigV2()),
		"WeightedTweetsWithDiscountedEmojiCounterTest": weightedCheck(text.ConfigV3()),
		"UnicodeDirectionalMarkerCounterTest":          weightedCheck(text.ConfigV3()),
	}
	runSuite(t, loadSuite(t, "validate.yml"), checks)
}

func runSuite(t *testing.T, suite map[string][]conformanceCase, checks map[string]func(*testing.T, conformanceCase)) {
	sections := make([]string, 0, len(suite))
	for s := range suite {
		sections = append(sections, s)
	}
	slices.Sort(sections)
	for _, s := range sections {
		check, ok := checks[s]
		if !assert.True(t, ok, "section %s has no check: every section must run", s) {
			continue
		}
		runSection(t, s, suite[s], check)
	}
	for s := range checks {
		assert.Contains(t, suite, s, "section %s is missing from the data", s)
	}
}

type indexed struct {
	Text    string
	List    string
	Indices [2]int
}

func texts(ents []text.Entity) []string {
	out := []string{}
	for _, e := range ents {
		out = append(out, e.Text)
	}
	return out
}

func listCheck(f func(string) []text.Entity) func(t *testing.T, c conformanceCase) {
	return func(t *testing.T, c conformanceCase) {
		want := decode[[]string](t, c.Expected)
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, texts(f(c.Text)))
	}
}

// indexedCheck compares entities with indices; field names the YAML key
// of the entity text ("screen_name", "url", "hashtag", "cashtag").
func indexedCheck(field string, f func(string) []text.Entity) func(t *testing.T, c conformanceCase) {
	return func(t *testing.T, c conformanceCase) {
		var raw []map[string]any
		require.NoError(t, c.Expected.Decode(&raw))
		want := []indexed{}
		for _, r := range raw {
			ix, ok := r["indices"].([]any)
			require.True(t, ok && len(ix) == 2, "indices of %v", r)
			w := indexed{Text: fmt.Sprint(r[field]), Indices: [2]int{ix[0].(int), ix[1].(int)}}
			if l, ok := r["list_slug"]; ok {
				w.List = fmt.Sprint(l)
			}
			want = append(want, w)
		}
		got := []indexed{}
		for _, e := range f(c.Text) {
			g := indexed{Text: e.Text, Indices: [2]int{e.UTF16Start, e.UTF16End}}
			if e.ListSlug != "" {
				g.List = "/" + e.ListSlug
			}
			got = append(got, g)
		}
		assert.Equal(t, want, got)
	}
}

func TestConformanceExtract(t *testing.T) {
	checks := map[string]func(t *testing.T, c conformanceCase){
		"mentions":                       listCheck(text.ExtractMentions),
		"mentions_with_indices":          indexedCheck("screen_name", text.ExtractMentions),
		"mentions_or_lists_with_indices": indexedCheck("screen_name", text.ExtractMentionsOrLists),
		"replies": func(t *testing.T, c conformanceCase) {
			want := decode[*string](t, c.Expected)
			got, ok := text.ExtractReply(c.Text)
			if want == nil {
				assert.False(t, ok, "got reply %q", got)
				return
			}
			assert.True(t, ok)
			assert.Equal(t, *want, got)
		},
		"urls":                          listCheck(text.ExtractURLs),
		"urls_with_indices":             indexedCheck("url", text.ExtractURLs),
		"urls_with_directional_markers": indexedCheck("url", text.ExtractURLs),
		"tco_urls_with_params":          listCheck(text.ExtractURLs),
		"hashtags":                      listCheck(text.ExtractHashtags),
		"hashtags_from_astral":          listCheck(text.ExtractHashtags),
		"hashtags_with_indices":         indexedCheck("hashtag", text.ExtractHashtags),
		"cashtags":                      listCheck(text.ExtractCashtags),
		"cashtags_with_indices":         indexedCheck("cashtag", text.ExtractCashtags),
	}
	runSuite(t, loadSuite(t, "extract.yml"), checks)
}

// TestConformanceTLDs checks that a URL ending in every TLD of tlds.yml is
// extracted whole.
func TestConformanceTLDs(t *testing.T) {
	checks := map[string]func(t *testing.T, c conformanceCase){
		"country": listCheck(text.ExtractURLs),
		"generic": listCheck(text.ExtractURLs),
	}
	runSuite(t, loadSuite(t, "tlds.yml"), checks)
}

// TestConfigV3MatchesData checks ConfigV3 against twitter-text's
// config/v3.json.
func TestConfigV3MatchesData(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "twitter-text", "config-v3.json"))
	require.NoError(t, err)
	cfg, err := text.ParseConfig(data)
	require.NoError(t, err)
	assert.Equal(t, text.ConfigV3(), cfg)
}

// TestGeneratedTLDsMatchData checks that the TLD table internal/gen/tlds
// generated is the conformance suite's tlds.yml: every TLD, lower-cased,
// sorted, nothing else.
func TestGeneratedTLDsMatchData(t *testing.T) {
	var want []string
	for _, cases := range loadSuite(t, "tlds.yml") {
		for _, c := range cases {
			name, ok := strings.CutPrefix(c.Text, "https://twitter.")
			require.True(t, ok, c.Text)
			want = append(want, strings.ToLower(name))
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	assert.Equal(t, want, text.TLDNames())
}
