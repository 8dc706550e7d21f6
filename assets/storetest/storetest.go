// Package storetest is the conformance suite for [assets.Store]
// implementations. A host store runs it from one test:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) assets.Store { return newMyStore(t) })
//	}
//
// Each case is a named subtest (select one with -run), so a failure names
// the broken promise of the Store contract.
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
)

// t0 is the suite's fixed clock.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Run runs every conformance case as a subtest, each on a fresh, empty store
// from newStore.
func Run(t *testing.T, newStore func(t *testing.T) assets.Store) {
	t.Helper()
	cases := []struct {
		name string
		fn   func(t *testing.T, s assets.Store)
	}{
		{"CreateThenGet", createThenGet},
		{"CreateTakenIDIsExists", createTakenID},
		{"CreateTakenChecksumIsDuplicate", createTakenChecksum},
		{"CreateInvalidIsInvalid", createInvalid},
		{"GetMissingIsNotFound", getMissing},
		{"FindChecksum", findChecksum},
		{"UpdateIncrementsVersionAndKeepsHistory", updateVersions},
		{"UpdateStaleIsConflictNamingCurrent", updateStale},
		{"UpdateMissingIsNotFound", updateMissing},
		{"UpdateImmutableFieldsIsInvalid", updateImmutable},
		{"ConcurrentUpdatesExactlyOneWins", concurrentUpdates},
		{"DeleteRemovesEverything", deleteRemoves},
		{"DeleteStaleIsConflict", deleteStale},
		{"DeleteWithUsageIsInUse", deleteInUse},
		{"UsagePutReplaceListRemove", usageLifecycle},
		{"UsageOnMissingAssetIsNotFound", usageMissingAsset},
		{"ScheduledUsagesFromInstantSorted", scheduledUsages},
		{"SearchCriteria", searchCriteria},
		{"SearchPagesCoverAllOnceInOrder", searchPages},
		{"SearchCursorIsPositionNotOffset", searchCursorStable},
		{"SearchTagIndexFollowsUpdates", searchTagFollowsUpdates},
		{"SearchBadQueryIsInvalid", searchBadQuery},
		{"ValuesAreCopied", valuesCopied},
		{"CanceledContextStops", canceledContext},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn(t, newStore(t))
		})
	}
}

// text returns a valid text asset (version 1, approved) for tests.
func text(id, name string, tags ...string) assets.Asset {
	// Callers pass normalised (lower-case) literals; Create checks them.
	norm := slices.Sorted(slices.Values(tags))
	return assets.Asset{
		ID: id, Version: 1, Kind: assets.KindCaption, Name: name, Body: "body of " + name,
		Tags: norm, CreatedAt: t0, UpdatedAt: t0, Status: assets.StatusApproved,
	}
}

// image returns a valid image asset (version 1, draft) whose checksum is
// derived from seed.
func image(id, name, seed string) assets.Asset {
	sum := sha256.Sum256([]byte(seed))
	hexSum := hex.EncodeToString(sum[:])
	return assets.Asset{
		ID: id, Version: 1, Kind: assets.KindImage, Name: name,
		Media:    assets.Media{Kind: assets.KindImage, MIME: assets.MIMEPNG, Size: 100, Width: 10, Height: 10},
		Checksum: hexSum, BlobKey: "sha256/" + hexSum,
		CreatedAt: t0, UpdatedAt: t0, Status: assets.StatusDraft,
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func createThenGet(t *testing.T, s assets.Store) {
	a := image("a1", "Beach", "beach")
	a.Tags = []string{"summer"}
	a.Rights = assets.Rights{License: "CC BY 4.0", Expires: t0.Add(48 * time.Hour), Networks: []string{"instagram"}}
	require.NoError(t, s.Create(ctx(t), a))
	got, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	assert.Equal(t, 1, got.Version)
	assert.Equal(t, a.Media, got.Media)
	assert.Equal(t, a.Checksum, got.Checksum)
	assert.Equal(t, a.Tags, got.Tags)
	assert.Equal(t, a.Rights.Networks, got.Rights.Networks)
	assert.True(t, a.Rights.Expires.Equal(got.Rights.Expires))
	assert.True(t, a.CreatedAt.Equal(got.CreatedAt))
	v1, err := s.GetVersion(ctx(t), "a1", 1)
	require.NoError(t, err)
	assert.Equal(t, "Beach", v1.Name)
}

func createTakenID(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	err := s.Create(ctx(t), text("a1", "Other"))
	require.ErrorIs(t, err, socialflow.ErrConflict)
	var ee *assets.ExistsError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "a1", ee.ID)
	got, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, "One", got.Name, "the first asset is kept")
}

func createTakenChecksum(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), image("a1", "One", "same")))
	err := s.Create(ctx(t), image("a2", "Two", "same"))
	require.ErrorIs(t, err, socialflow.ErrDuplicate)
	var de *assets.DuplicateError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "a1", de.ExistingID)
	_, err = s.Get(ctx(t), "a2")
	require.ErrorIs(t, err, socialflow.ErrNotFound, "nothing stored")
}

func createInvalid(t *testing.T, s assets.Store) {
	bad := text("", "No ID")
	require.ErrorIs(t, s.Create(ctx(t), bad), socialflow.ErrInvalid)
	v2 := text("a1", "Version two")
	v2.Version = 2
	require.ErrorIs(t, s.Create(ctx(t), v2), socialflow.ErrInvalid)
	_, err := s.Get(ctx(t), "a1")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func getMissing(t *testing.T, s assets.Store) {
	_, err := s.Get(ctx(t), "nope")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	_, err = s.GetVersion(ctx(t), "a1", 2)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	_, err = s.GetVersion(ctx(t), "a1", 0)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	_, err = s.Usages(ctx(t), "nope")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func findChecksum(t *testing.T, s assets.Store) {
	a := image("a1", "One", "x")
	require.NoError(t, s.Create(ctx(t), a))
	got, err := s.FindChecksum(ctx(t), a.Checksum)
	require.NoError(t, err)
	assert.Equal(t, "a1", got.ID)
	_, err = s.FindChecksum(ctx(t), image("z", "z", "other").Checksum)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	require.NoError(t, s.Delete(ctx(t), "a1", 1))
	_, err = s.FindChecksum(ctx(t), a.Checksum)
	require.ErrorIs(t, err, socialflow.ErrNotFound, "a deleted asset frees its checksum")
	require.NoError(t, s.Create(ctx(t), image("a2", "Again", "x")))
}

func updateVersions(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One", "old")))
	a, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	a.Name, a.Tags = "One, edited", []string{"new"}
	got, err := s.Update(ctx(t), a)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Version)
	cur, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, 2, cur.Version)
	assert.Equal(t, "One, edited", cur.Name)
	v1, err := s.GetVersion(ctx(t), "a1", 1)
	require.NoError(t, err)
	assert.Equal(t, "One", v1.Name)
	assert.Equal(t, []string{"old"}, v1.Tags)
	v2, err := s.GetVersion(ctx(t), "a1", 2)
	require.NoError(t, err)
	assert.Equal(t, "One, edited", v2.Name)
}

func updateStale(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	a, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	_, err = s.Update(ctx(t), a)
	require.NoError(t, err)
	a.Name = "lost update"
	_, err = s.Update(ctx(t), a) // still based on version 1
	require.ErrorIs(t, err, socialflow.ErrConflict)
	var ce *assets.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "a1", ce.ID)
	assert.Equal(t, 1, ce.Version)
	assert.Equal(t, 2, ce.Current)
	cur, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, "One", cur.Name)
}

func updateMissing(t *testing.T, s assets.Store) {
	_, err := s.Update(ctx(t), text("nope", "Nope"))
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}

func updateImmutable(t *testing.T, s assets.Store) {
	a := image("a1", "One", "x")
	require.NoError(t, s.Create(ctx(t), a))
	b := image("a1", "One", "y") // another checksum
	_, err := s.Update(ctx(t), b)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	cur, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, a.Checksum, cur.Checksum)
	assert.Equal(t, 1, cur.Version)
}

func concurrentUpdates(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	base, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			a := base.Clone()
			a.Name = fmt.Sprintf("writer %d", i)
			_, errs[i] = s.Update(ctx(t), a)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			require.ErrorIs(t, err, socialflow.ErrConflict)
		}
	}
	assert.Equal(t, 1, wins)
	cur, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, 2, cur.Version)
}

func deleteRemoves(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One", "gone")))
	require.NoError(t, s.Delete(ctx(t), "a1", 1))
	_, err := s.Get(ctx(t), "a1")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	_, err = s.GetVersion(ctx(t), "a1", 1)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	p, err := s.Search(ctx(t), assets.Query{Tags: []string{"gone"}})
	require.NoError(t, err)
	assert.Empty(t, p.Assets)
	require.ErrorIs(t, s.Delete(ctx(t), "a1", 1), socialflow.ErrNotFound)
}

func deleteStale(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	a, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	_, err = s.Update(ctx(t), a)
	require.NoError(t, err)
	err = s.Delete(ctx(t), "a1", 1)
	var ce *assets.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 2, ce.Current)
	_, err = s.Get(ctx(t), "a1")
	require.NoError(t, err)
}

func deleteInUse(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	u := assets.Usage{AssetID: "a1", PostID: "p1", Channel: "c1", At: t0.Add(time.Hour)}
	require.NoError(t, s.PutUsage(ctx(t), u))
	err := s.Delete(ctx(t), "a1", 1)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	var iu *assets.InUseError
	require.ErrorAs(t, err, &iu)
	require.Len(t, iu.Usages, 1)
	assert.Equal(t, "p1", iu.Usages[0].PostID)
	require.NoError(t, s.RemoveUsage(ctx(t), "a1", "p1", "c1"))
	require.NoError(t, s.Delete(ctx(t), "a1", 1))
}

func usageLifecycle(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	later, sooner := t0.Add(2*time.Hour), t0.Add(time.Hour)
	require.NoError(t, s.PutUsage(ctx(t), assets.Usage{AssetID: "a1", PostID: "p2", Channel: "c1", At: later}))
	require.NoError(t, s.PutUsage(ctx(t), assets.Usage{AssetID: "a1", PostID: "p1", Channel: "c1", At: later}))
	require.NoError(t, s.PutUsage(ctx(t), assets.Usage{AssetID: "a1", PostID: "p1", Channel: "c2"}))
	// Rescheduling p1 on c1 replaces its usage.
	require.NoError(t, s.PutUsage(ctx(t), assets.Usage{AssetID: "a1", PostID: "p1", Channel: "c1", At: sooner}))
	us, err := s.Usages(ctx(t), "a1")
	require.NoError(t, err)
	require.Len(t, us, 3)
	assert.Equal(t, []string{"p1/c2", "p1/c1", "p2/c1"}, []string{
		us[0].PostID + "/" + us[0].Channel, us[1].PostID + "/" + us[1].Channel, us[2].PostID + "/" + us[2].Channel,
	}, "unscheduled first, then by time")
	assert.True(t, us[1].At.Equal(sooner))
	require.NoError(t, s.RemoveUsage(ctx(t), "a1", "p1", "c2"))
	require.ErrorIs(t, s.RemoveUsage(ctx(t), "a1", "p1", "c2"), socialflow.ErrNotFound)
	us, err = s.Usages(ctx(t), "a1")
	require.NoError(t, err)
	assert.Len(t, us, 2)
}

func usageMissingAsset(t *testing.T, s assets.Store) {
	err := s.PutUsage(ctx(t), assets.Usage{AssetID: "nope", PostID: "p1"})
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	require.ErrorIs(t, s.PutUsage(ctx(t), assets.Usage{AssetID: "nope"}), socialflow.ErrInvalid)
}

func scheduledUsages(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	require.NoError(t, s.Create(ctx(t), text("a2", "Two")))
	for _, u := range []assets.Usage{
		{AssetID: "a2", PostID: "p3", At: t0.Add(3 * time.Hour)},
		{AssetID: "a1", PostID: "p1", At: t0.Add(time.Hour)},
		{AssetID: "a1", PostID: "p0", At: t0.Add(-time.Hour)}, // already out
		{AssetID: "a1", PostID: "p9"},                         // unscheduled
		{AssetID: "a2", PostID: "p2", At: t0},                 // exactly at from
	} {
		require.NoError(t, s.PutUsage(ctx(t), u))
	}
	us, err := s.ScheduledUsages(ctx(t), t0)
	require.NoError(t, err)
	var posts []string
	for _, u := range us {
		posts = append(posts, u.PostID)
	}
	assert.Equal(t, []string{"p2", "p1", "p3"}, posts)
}

func searchFixture(t *testing.T, s assets.Store) {
	t.Helper()
	mk := func(id, name, folder string, kind assets.Kind, st assets.Status, expires time.Time, tags ...string) {
		a := text(id, name, tags...)
		a.Kind, a.Status, a.Folder = kind, st, folder
		a.Rights.Expires = expires
		a.CreatedAt = t0.Add(time.Duration(len(id)) * time.Minute)
		require.NoError(t, s.Create(ctx(t), a))
	}
	mk("r1", "Refund apology", "support", assets.KindSavedReply, assets.StatusApproved, time.Time{}, "support", "refund")
	mk("r2", "Shipping delay", "support/shipping", assets.KindSavedReply, assets.StatusApproved, t0.Add(time.Hour), "support", "shipping")
	mk("c1", "Summer caption", "campaigns/summer", assets.KindCaption, assets.StatusDraft, time.Time{}, "summer")
	mk("c2", "Winter caption", "campaigns/winter", assets.KindCaption, assets.StatusArchived, t0.Add(-time.Hour), "winter")
	mk("t1", "Launch template", "", assets.KindTemplate, assets.StatusApproved, time.Time{}, "launch", "summer")
}

func ids(p assets.Page) []string {
	out := []string{}
	for _, a := range p.Assets {
		out = append(out, a.ID)
	}
	return out
}

func searchCriteria(t *testing.T, s assets.Store) {
	searchFixture(t, s)
	for _, tt := range []struct {
		name string
		q    assets.Query
		want []string
	}{
		{"all by name", assets.Query{}, []string{"t1", "r1", "r2", "c1", "c2"}},
		{"one tag", assets.Query{Tags: []string{"support"}}, []string{"r1", "r2"}},
		{"two tags", assets.Query{Tags: []string{"summer", "launch"}}, []string{"t1"}},
		{"unknown tag", assets.Query{Tags: []string{"nothing"}}, []string{}},
		{"kind", assets.Query{Kinds: []assets.Kind{assets.KindCaption}}, []string{"c1", "c2"}},
		{"status", assets.Query{Statuses: []assets.Status{assets.StatusDraft, assets.StatusArchived}}, []string{"c1", "c2"}},
		{"folder exact", assets.Query{Folder: "support"}, []string{"r1"}},
		{"folder recursive", assets.Query{Folder: "support", Recursive: true}, []string{"r1", "r2"}},
		{"folder prefix is not a parent", assets.Query{Folder: "camp", Recursive: true}, []string{}},
		{"text words all", assets.Query{Text: "caption summer"}, []string{"c1"}},
		{"text in body", assets.Query{Text: "body of refund"}, []string{"r1"}},
		{"rights valid at", assets.Query{RightsValidAt: t0.Add(2 * time.Hour)}, []string{"t1", "r1", "c1"}},
		{"created desc", assets.Query{Sort: assets.SortCreated, Desc: true, Kinds: []assets.Kind{assets.KindSavedReply}}, []string{"r2", "r1"}},
		{"combined", assets.Query{Tags: []string{"support"}, Kinds: []assets.Kind{assets.KindSavedReply}, Text: "delay", RightsValidAt: t0}, []string{"r2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, err := tt.q.Normalize()
			require.NoError(t, err)
			p, err := s.Search(ctx(t), q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, ids(p))
			assert.Empty(t, p.Next)
		})
	}
}

func searchPages(t *testing.T, s assets.Store) {
	const n = 23
	for i := range n {
		a := text(fmt.Sprintf("a%02d", i), fmt.Sprintf("Name %d", i%5), "paged")
		a.CreatedAt = t0.Add(time.Duration(i%7) * time.Minute)
		require.NoError(t, s.Create(ctx(t), a))
	}
	for _, sort := range []assets.SortKey{assets.SortName, assets.SortCreated, assets.SortUpdated} {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s desc=%v", sort, desc), func(t *testing.T) {
				q := assets.Query{Tags: []string{"paged"}, Sort: sort, Desc: desc, Limit: 5}
				seen := map[string]bool{}
				var all []assets.Asset
				for pages := 0; ; pages++ {
					require.Less(t, pages, 10, "pagination does not end")
					p, err := s.Search(ctx(t), q)
					require.NoError(t, err)
					require.LessOrEqual(t, len(p.Assets), 5)
					for _, a := range p.Assets {
						require.False(t, seen[a.ID], "asset %s on two pages", a.ID)
						seen[a.ID] = true
					}
					all = append(all, p.Assets...)
					if p.Next == "" {
						break
					}
					q.Cursor = p.Next
				}
				assert.Len(t, all, n)
				for i := 1; i < len(all); i++ {
					assert.Negative(t, q.Compare(all[i-1], all[i]), "order broken at %d", i)
				}
			})
		}
	}
}

func searchCursorStable(t *testing.T, s assets.Store) {
	for _, id := range []string{"b", "d", "f", "h"} {
		require.NoError(t, s.Create(ctx(t), text(id, id)))
	}
	p, err := s.Search(ctx(t), assets.Query{Limit: 2})
	require.NoError(t, err)
	require.Equal(t, []string{"b", "d"}, ids(p))
	// An asset inserted before the cursor does not shift the next page.
	require.NoError(t, s.Create(ctx(t), text("a", "a")))
	require.NoError(t, s.Create(ctx(t), text("e", "e")))
	p, err = s.Search(ctx(t), assets.Query{Limit: 2, Cursor: p.Next})
	require.NoError(t, err)
	assert.Equal(t, []string{"e", "f"}, ids(p))
}

func searchTagFollowsUpdates(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One", "old")))
	a, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	a.Tags = []string{"new"}
	_, err = s.Update(ctx(t), a)
	require.NoError(t, err)
	p, err := s.Search(ctx(t), assets.Query{Tags: []string{"old"}})
	require.NoError(t, err)
	assert.Empty(t, p.Assets)
	p, err = s.Search(ctx(t), assets.Query{Tags: []string{"new"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"a1"}, ids(p))
}

func searchBadQuery(t *testing.T, s assets.Store) {
	for _, q := range []assets.Query{
		{Cursor: "not a cursor"},
		{Limit: -1},
		{Sort: "size"},
		{Kinds: []assets.Kind{"hologram"}},
	} {
		_, err := s.Search(ctx(t), q)
		require.ErrorIs(t, err, socialflow.ErrInvalid, "%+v", q)
	}
}

func valuesCopied(t *testing.T, s assets.Store) {
	a := text("a1", "One", "x", "y")
	a.Rights.Channels = []string{"c1"}
	require.NoError(t, s.Create(ctx(t), a))
	a.Tags[0] = "mutated"
	a.Rights.Channels[0] = "mutated"
	got, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, []string{"x", "y"}, got.Tags)
	got.Tags[0] = "mutated"
	got.Rights.Channels[0] = "mutated"
	again, err := s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, []string{"x", "y"}, again.Tags)
	assert.Equal(t, []string{"c1"}, again.Rights.Channels)
	p, err := s.Search(ctx(t), assets.Query{Tags: []string{"x"}})
	require.NoError(t, err)
	require.Len(t, p.Assets, 1)
	p.Assets[0].Tags[0] = "mutated"
	again, err = s.Get(ctx(t), "a1")
	require.NoError(t, err)
	assert.Equal(t, []string{"x", "y"}, again.Tags)
}

func canceledContext(t *testing.T, s assets.Store) {
	require.NoError(t, s.Create(ctx(t), text("a1", "One")))
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	require.ErrorIs(t, s.Create(c, text("a2", "Two")), context.Canceled)
	_, err := s.Get(c, "a1")
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Search(c, assets.Query{})
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, s.PutUsage(c, assets.Usage{AssetID: "a1", PostID: "p"}), context.Canceled)
	_, err = s.Get(ctx(t), "a2")
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}
