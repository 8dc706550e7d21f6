package memstore_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"log"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	"github.com/socialflow/socialflow/assets/memstore"
)

// The in-memory Store under a Library: add an image, find it by tag.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	lib, err := assets.NewLibrary(memstore.New(), memblob.New(), assets.WithApprovalRequired(false),
		assets.WithIDGenerator(func() string { return "img1" }))
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		log.Fatal(err)
	}
	if _, err := lib.AddMedia(ctx, assets.NewAsset{Name: "logo", MIME: "image/png", Tags: []string{"Brand"}}, bytes.NewReader(b.Bytes()), int64(b.Len()), now); err != nil {
		log.Fatal(err)
	}
	page, err := lib.Search(ctx, assets.Query{Tags: []string{"brand"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range page.Assets {
		fmt.Println(a.ID, a.Name, a.Media.Width, a.Media.Height, a.Tags)
	}
	// Output: img1 logo 40 30 [brand]
}
