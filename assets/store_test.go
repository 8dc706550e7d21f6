package assets_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
)

func ptrs(as []assets.Asset) func(func(*assets.Asset) bool) {
	return func(yield func(*assets.Asset) bool) {
		for i := range as {
			if !yield(&as[i]) {
				return
			}
		}
	}
}

// Property: walking every page of Paginate returns exactly the matching
// assets, each once, in Query.Compare order, whatever the page size, sort
// and direction.
func TestPaginateWalkProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"Alpha", "beta", "Gamma", "delta", "Ünïcode", "ßtraße", "alpha"}
	tags := []string{"a", "b", "c"}
	var all []assets.Asset
	for i := range 120 {
		tg, err := assets.NormalizeTags([]string{tags[rng.IntN(3)], tags[rng.IntN(3)]})
		require.NoError(t, err)
		all = append(all, assets.Asset{
			ID: fmt.Sprintf("id%03d", i), Name: names[rng.IntN(len(names))], Tags: tg,
			Kind:      []assets.Kind{assets.KindCaption, assets.KindTemplate}[rng.IntN(2)],
			CreatedAt: now.Add(time.Duration(rng.IntN(20)) * time.Minute),
			UpdatedAt: now.Add(time.Duration(rng.IntN(5)) * time.Hour),
		})
	}
	for trial := range 30 {
		q := assets.Query{
			Sort:  []assets.SortKey{assets.SortName, assets.SortCreated, assets.SortUpdated}[trial%3],
			Desc:  trial%2 == 0,
			Limit: 1 + rng.IntN(25),
		}
		if trial%4 == 0 {
			q.Tags = []string{tags[rng.IntN(3)]}
		}
		var want []assets.Asset
		for _, a := range all {
			if q.Match(a) {
				want = append(want, a)
			}
		}
		slices.SortFunc(want, q.Compare)
		var got []assets.Asset
		for pages := 0; ; pages++ {
			require.LessOrEqual(t, pages, len(all)+1)
			p := assets.Paginate(q, ptrs(all))
			require.LessOrEqual(t, len(p.Assets), q.Limit)
			got = append(got, p.Assets...)
			if p.Next == "" {
				break
			}
			q.Cursor = p.Next
		}
		require.Equal(t, len(want), len(got), "trial %d", trial)
		for i := range want {
			require.Equal(t, want[i].ID, got[i].ID, "trial %d position %d", trial, i)
		}
	}
}

func TestQueryValidate(t *testing.T) {
	for _, q := range []assets.Query{
		{Sort: "size"}, {Limit: -1}, {Kinds: []assets.Kind{"x"}}, {Statuses: []assets.Status{"y"}},
		{Folder: "a//b"}, {Cursor: "!!"}, {Cursor: "e30"}, // "{}" has no ID
	} {
		require.ErrorIs(t, q.Validate(), socialflow.ErrInvalid, "%+v", q)
	}
	require.NoError(t, assets.Query{Sort: assets.SortUpdated, Limit: 5000, Folder: "a/b"}.Validate())
	assert.Equal(t, assets.MaxPageSize, assets.Query{Limit: 5000}.PageSize())
	assert.Equal(t, assets.DefaultPageSize, assets.Query{}.PageSize())
}

func TestAssetValidate(t *testing.T) {
	good := assets.Asset{ID: "a", Version: 1, Kind: assets.KindCaption, Name: "n", Body: "b", Status: assets.StatusDraft}
	require.NoError(t, good.Validate())
	with := func(f func(*assets.Asset)) assets.Asset { a := good.Clone(); f(&a); return a }
	var fe *assets.FieldError
	for _, tt := range []struct {
		field string
		a     assets.Asset
	}{
		{"id", with(func(a *assets.Asset) { a.ID = "" })},
		{"version", with(func(a *assets.Asset) { a.Version = 0 })},
		{"kind", with(func(a *assets.Asset) { a.Kind = "hologram" })},
		{"name", with(func(a *assets.Asset) { a.Name = "  " })},
		{"status", with(func(a *assets.Asset) { a.Status = "" })},
		{"body", with(func(a *assets.Asset) { a.Body = "" })},
		{"tags", with(func(a *assets.Asset) { a.Tags = []string{"B", "a"} })},
		{"folder", with(func(a *assets.Asset) { a.Folder = "a/../b" })},
		{"rights.expires", with(func(a *assets.Asset) { a.Rights.Starts, a.Rights.Expires = now, now })},
		{"kind", with(func(a *assets.Asset) { a.Kind = assets.KindImage })},
		{"checksum", with(func(a *assets.Asset) { a.Checksum = "abc" })},
	} {
		t.Run(tt.field, func(t *testing.T) {
			err := tt.a.Validate()
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
		})
	}
}

func TestNormalizeTag(t *testing.T) {
	for in, want := range map[string]string{"#Summer": "summer", " ÉTÉ ": "été", "Straße": "strasse"} {
		got, err := assets.NormalizeTag(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for _, in := range []string{"", "#", "two words", "tab\there", string(make([]byte, 65))} {
		_, err := assets.NormalizeTag(in)
		require.ErrorIs(t, err, socialflow.ErrInvalid, "%q", in)
	}
}
