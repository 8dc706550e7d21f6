package memstore_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/assets/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) assets.Store { return memstore.New() })
}

// Property: after random creates, updates and deletes, a walk over every
// page of a tag search equals the reference assets.Paginate over all assets.
func TestTagIndexMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	s := memstore.New()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	names := []string{"Alpha", "beta", "Gamma", "Ünïcode", "alpha", "Zeta"}
	tags := []string{"a", "b", "c", "d"}
	randTags := func() []string {
		out, err := assets.NormalizeTags([]string{tags[rng.IntN(4)], tags[rng.IntN(4)]})
		require.NoError(t, err)
		return out
	}
	live := map[string]bool{}
	for i := range 400 {
		id := fmt.Sprintf("id%03d", rng.IntN(150))
		cur, err := s.Get(t.Context(), id)
		switch {
		case err != nil:
			a := assets.Asset{ID: id, Version: 1, Kind: assets.KindCaption, Name: names[rng.IntN(len(names))], Body: "b",
				Tags: randTags(), Status: assets.StatusApproved, CreatedAt: t0.Add(time.Duration(rng.IntN(30)) * time.Minute), UpdatedAt: t0}
			require.NoError(t, s.Create(t.Context(), a))
			live[id] = true
		case i%5 == 0:
			require.NoError(t, s.Delete(t.Context(), id, cur.Version))
			delete(live, id)
		default:
			cur.Name, cur.Tags, cur.UpdatedAt = names[rng.IntN(len(names))], randTags(), t0.Add(time.Duration(i)*time.Second)
			_, err := s.Update(t.Context(), cur)
			require.NoError(t, err)
		}
	}
	var all []assets.Asset
	for id := range live {
		a, err := s.Get(t.Context(), id)
		require.NoError(t, err)
		all = append(all, a)
	}
	for trial := range 48 {
		q := assets.Query{
			Tags:  []string{tags[trial%4]},
			Sort:  []assets.SortKey{assets.SortName, assets.SortCreated, assets.SortUpdated}[trial%3],
			Desc:  trial%2 == 1,
			Limit: 1 + rng.IntN(20),
		}
		if trial%8 == 0 {
			q.Tags = append(q.Tags, tags[(trial+1)%4])
		}
		if trial%6 == 0 {
			q.Text = "a"
		}
		ref := q
		for {
			got, err := s.Search(t.Context(), q)
			require.NoError(t, err)
			want := assets.Paginate(ref, func(yield func(*assets.Asset) bool) {
				for i := range all {
					if !yield(&all[i]) {
						return
					}
				}
			})
			require.Equal(t, ids(want.Assets), ids(got.Assets), "trial %d %+v", trial, q)
			require.Equal(t, want.Next, got.Next)
			if got.Next == "" {
				break
			}
			q.Cursor, ref.Cursor = got.Next, want.Next
		}
	}
}

func ids(as []assets.Asset) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}
