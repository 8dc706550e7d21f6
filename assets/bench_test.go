package assets_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	"github.com/socialflow/socialflow/assets/memstore"
)

// benchLibrary holds n text assets, each with 3 of 100 tags (about 3% of the
// assets carry any one tag), spread over 10 folders and 3 kinds.
func benchLibrary(b *testing.B, n int) *assets.Library {
	b.Helper()
	st := memstore.New()
	kinds := []assets.Kind{assets.KindCaption, assets.KindSavedReply, assets.KindTemplate}
	for i := range n {
		tags, err := assets.NormalizeTags([]string{
			fmt.Sprintf("tag%02d", i%100), fmt.Sprintf("tag%02d", (i*7+3)%100), fmt.Sprintf("tag%02d", (i*13+5)%100),
		})
		if err != nil {
			b.Fatal(err)
		}
		a := assets.Asset{
			ID: fmt.Sprintf("as%06d", i), Version: 1, Kind: kinds[i%3], Name: fmt.Sprintf("Asset %d", (i*7919)%n),
			Body: "Hello there", Tags: tags, Folder: fmt.Sprintf("f%d", i%10), Status: assets.StatusApproved,
			CreatedAt: now.Add(time.Duration(i) * time.Second), UpdatedAt: now,
		}
		if err := st.Create(b.Context(), a); err != nil {
			b.Fatal(err)
		}
	}
	lib, err := assets.NewLibrary(st, memblob.New())
	if err != nil {
		b.Fatal(err)
	}
	return lib
}

// go test -run '^$' -bench BenchmarkSearch -benchmem ./assets
func BenchmarkSearch(b *testing.B) {
	lib := benchLibrary(b, 100_000)
	for _, bc := range []struct {
		name string
		q    assets.Query
	}{
		{"tag", assets.Query{Tags: []string{"tag42"}}},
		{"tag+kind+folder", assets.Query{Tags: []string{"tag42"}, Kinds: []assets.Kind{assets.KindSavedReply}, Folder: "f2"}},
		{"two-tags", assets.Query{Tags: []string{"tag42", "tag17"}}},
		{"tag-sorted-by-created-desc", assets.Query{Tags: []string{"tag42"}, Sort: assets.SortCreated, Desc: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := lib.Search(b.Context(), bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// go test -run '^$' -bench BenchmarkProbeMP4 -benchmem ./assets
// bytes-read/op is what the probe reads of a 50 MB MP4 whose moov follows mdat.
func BenchmarkProbeMP4(b *testing.B) {
	r := newBigMP4(mp4Opts{brand: "isom", width: 1920, height: 1080, timescale: 30000, dur: 30000 * 60, audioTrack: true, mdat: 50 << 20})
	var ops int64
	for b.Loop() {
		if _, err := assets.Probe(r, r.Size(), "video/mp4"); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	b.ReportMetric(float64(r.bytes)/float64(ops), "bytes-read/op")
	b.ReportMetric(float64(r.calls)/float64(ops), "reads/op")
}
