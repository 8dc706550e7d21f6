package bluesky_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks/bluesky"
)

func TestDetectFacets(t *testing.T) {
	type f = bluesky.Facet
	for _, tt := range []struct {
		name string
		text string
		want []f
	}{
		{name: "none", text: "plain text", want: nil},
		{name: "link", text: "see https://example.com/a?b=1.", want: []f{{Kind: bluesky.FacetLink, Start: 4, End: 29, Value: "https://example.com/a?b=1"}}},
		{name: "link in parens", text: "(https://example.com)", want: []f{{Kind: bluesky.FacetLink, Start: 1, End: 20, Value: "https://example.com"}}},
		{name: "mention", text: "hi @alice.test!", want: []f{{Kind: bluesky.FacetMention, Start: 3, End: 14, Value: "alice.test"}}},
		{name: "mention trailing dot", text: "cc @Bob.bsky.social.", want: []f{{Kind: bluesky.FacetMention, Start: 3, End: 19, Value: "bob.bsky.social"}}},
		{name: "not a handle", text: "@bob and a@b.test", want: nil},
		{name: "tag", text: "#go rocks", want: []f{{Kind: bluesky.FacetTag, Start: 0, End: 3, Value: "go"}}},
		{name: "tag trailing punct", text: "love #golang!", want: []f{{Kind: bluesky.FacetTag, Start: 5, End: 12, Value: "golang"}}},
		{name: "digits only", text: "#123 #1a", want: []f{{Kind: bluesky.FacetTag, Start: 5, End: 8, Value: "1a"}}},
		{name: "full-width sigil", text: "＃タグ", want: []f{{Kind: bluesky.FacetTag, Start: 0, End: 9, Value: "タグ"}}},
		{
			name: "multibyte offsets", text: "héllo 👋 @a.test #día https://x.io",
			want: []f{
				{Kind: bluesky.FacetMention, Start: 12, End: 19, Value: "a.test"},
				{Kind: bluesky.FacetTag, Start: 20, End: 25, Value: "día"},
				{Kind: bluesky.FacetLink, Start: 26, End: 38, Value: "https://x.io"},
			},
		},
		{name: "fragment is not a tag", text: "https://x.io/#frag", want: []f{{Kind: bluesky.FacetLink, Start: 0, End: 18, Value: "https://x.io/#frag"}}},
		{name: "invalid utf8", text: "#a\xff", want: nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := bluesky.DetectFacets(tt.text)
			assert.Equal(t, tt.want, got)
			for _, g := range got {
				if g.Kind != bluesky.FacetTag {
					continue
				}
				// the slice really is the tag with its sigil
				_, n := utf8.DecodeRuneInString(tt.text[g.Start:])
				assert.Equal(t, g.Value, tt.text[g.Start+n:g.End])
			}
		})
	}
}

func TestCheckFacets(t *testing.T) {
	text := "é #tag"
	for _, tt := range []struct {
		name    string
		facet   bluesky.Facet
		wantErr error
	}{
		{name: "ok", facet: bluesky.Facet{Kind: bluesky.FacetTag, Start: 3, End: 7, Value: "tag"}},
		{name: "splits é", facet: bluesky.Facet{Kind: bluesky.FacetTag, Start: 1, End: 7}, wantErr: socialflow.ErrInvalid},
		{name: "past the end", facet: bluesky.Facet{Start: 3, End: 8}, wantErr: socialflow.ErrInvalid},
		{name: "empty", facet: bluesky.Facet{Start: 3, End: 3}, wantErr: socialflow.ErrInvalid},
		{name: "negative", facet: bluesky.Facet{Start: -1, End: 3}, wantErr: socialflow.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := bluesky.CheckFacets(text, []bluesky.Facet{tt.facet})
			require.ErrorIs(t, err, tt.wantErr)
			if tt.wantErr != nil {
				var fe *bluesky.FacetError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.facet.Start, fe.Start)
				assert.Equal(t, len(text), fe.Len)
			}
		})
	}
}

// FuzzDetectFacets checks the properties every facet list must have: sorted,
// disjoint, inside the text, on UTF-8 boundaries (CheckFacets passes).
// go test -fuzz=^FuzzDetectFacets$ -fuzztime=30s ./networks/bluesky
func FuzzDetectFacets(f *testing.F) {
	for _, s := range []string{
		"", "#tag", "@alice.test hi", "https://example.com/(x)", "é #día 👋 @b.c.d",
		"##", "#\u200d", "(@a.b)", "＃x", "https://", "@-a.b", strings.Repeat("#a", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := bluesky.DetectFacets(s)
		require.NoError(t, bluesky.CheckFacets(s, fs))
		for i := 1; i < len(fs); i++ {
			require.LessOrEqual(t, fs[i-1].End, fs[i].Start, "facets overlap or are unsorted")
		}
	})
}

// FuzzCheckFacets checks CheckFacets never panics and accepts exactly the
// ranges on rune boundaries inside valid UTF-8 text.
func FuzzCheckFacets(f *testing.F) {
	f.Add("é #tag", 1, 7)
	f.Add("abc", 0, 3)
	f.Add("\xff", 0, 1)
	f.Add("", 0, 0)
	f.Fuzz(func(t *testing.T, s string, start, end int) {
		err := bluesky.CheckFacets(s, []bluesky.Facet{{Start: start, End: end}})
		ok := start >= 0 && end <= len(s) && start < end && utf8.ValidString(s[start:end]) &&
			utf8.RuneStart(s[start]) && (end == len(s) || utf8.RuneStart(s[end]))
		if ok {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, socialflow.ErrInvalid)
		}
	})
}

func TestRecordKey(t *testing.T) {
	k := bluesky.RecordKey("marker-1", 0)
	assert.Regexp(t, `^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`, k)
	assert.Equal(t, k, bluesky.RecordKey("marker-1", 0), "stable across calls")
	assert.NotEqual(t, k, bluesky.RecordKey("marker-1", 1))
	assert.NotEqual(t, k, bluesky.RecordKey("marker-2", 0))
}

func FuzzRecordKey(f *testing.F) {
	f.Add("m", 0)
	f.Add("", 7)
	f.Fuzz(func(t *testing.T, m string, i int) {
		require.Regexp(t, `^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`, bluesky.RecordKey(m, i))
	})
}
