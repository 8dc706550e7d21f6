package assets_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"log"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	"github.com/socialflow/socialflow/assets/memstore"
)

func ExampleLibrary_AddMedia() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	lib, err := assets.NewLibrary(memstore.New(), memblob.New())
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer // a 540×675 PNG made in memory
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 540, 675))); err != nil {
		log.Fatal(err)
	}
	data := buf.Bytes()
	a, err := lib.AddMedia(ctx, assets.NewAsset{Name: "Beach", MIME: "image/png", Tags: []string{"#Summer"}},
		bytes.NewReader(data), int64(len(data)), now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Kind, a.Media.Width, a.Media.Height, a.Tags, a.Status)

	// The same bytes again: the existing asset comes back with a typed error.
	dup, err := lib.AddMedia(ctx, assets.NewAsset{Name: "Beach copy", MIME: "image/png"},
		bytes.NewReader(data), int64(len(data)), now)
	var de *assets.DuplicateError
	fmt.Println(errors.Is(err, socialflow.ErrDuplicate), errors.As(err, &de) && de.ExistingID == a.ID, dup.Name)
	// Output:
	// image 540 675 [summer] draft
	// true true Beach
}

func ExampleProbe() {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 1200, 628)), nil); err != nil {
		log.Fatal(err)
	}
	data := buf.Bytes()
	md, err := assets.Probe(bytes.NewReader(data), int64(len(data)), "image/jpeg")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %dx%d aspect %.2f\n", md.MIME, md.Width, md.Height, md.Aspect())

	// A PNG declared as a JPEG is refused.
	buf.Reset()
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		log.Fatal(err)
	}
	_, err = assets.Probe(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "image/jpeg")
	var me *assets.MismatchError
	fmt.Println(errors.As(err, &me), me.Detected)
	// Output:
	// image/jpeg 1200x628 aspect 1.91
	// true image/png
}

func ExampleParseTemplate() {
	t, err := assets.ParseTemplate("Hi {first_name}, your order {order_id} ships today. Code: {{THANKS}}")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Placeholders())
	s, err := t.Render(map[string]string{"first_name": "Ana", "order_id": "A-1042"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s)
	_, err = t.Render(map[string]string{"first_name": "Ana"})
	fmt.Println(err)
	// Output:
	// [first_name order_id]
	// Hi Ana, your order A-1042 ships today. Code: {THANKS}
	// assets: placeholder {order_id} has no value
}

func ExampleCheckUse() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := assets.Asset{ID: "as_1", Status: assets.StatusApproved, Rights: assets.Rights{
		License: "Getty editorial", Expires: now.Add(7 * 24 * time.Hour), Networks: []string{"instagram"},
	}}
	fmt.Println(assets.CheckUse(a, "ig-brand", "instagram", now))
	fmt.Println(assets.CheckUse(a, "ig-brand", "instagram", now.Add(10*24*time.Hour)))
	fmt.Println(assets.CheckUse(a, "li-page", "linkedin", now))
	// Output:
	// <nil>
	// assets: asset as_1 may not be used at 2026-03-12T09:00:00Z: usage rights expired 2026-03-09T09:00:00Z
	// assets: asset as_1 may not be used on channel "li-page" (network "linkedin"): rights do not allow it
}

func ExampleLibrary_ExpiringRights() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	lib, err := assets.NewLibrary(memstore.New(), memblob.New(), assets.WithApprovalRequired(false))
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 64, 64))); err != nil {
		log.Fatal(err)
	}
	data := buf.Bytes()
	a, err := lib.AddMedia(ctx, assets.NewAsset{Name: "Stock photo", MIME: "image/png",
		Rights: assets.Rights{License: "stock", Expires: now.Add(72 * time.Hour)}}, bytes.NewReader(data), int64(len(data)), now)
	if err != nil {
		log.Fatal(err)
	}
	for _, day := range []int{1, 2} { // scheduled within the licence
		err := lib.Use(ctx, assets.Usage{AssetID: a.ID, PostID: fmt.Sprintf("post-%d", day), At: now.Add(time.Duration(day) * 24 * time.Hour)}, now)
		if err != nil {
			log.Fatal(err)
		}
	}
	// The licence is cut short after the posts were scheduled.
	short := assets.Rights{License: "stock", Expires: now.Add(36 * time.Hour)}
	if _, err := lib.Update(ctx, a.ID, a.Version, assets.Change{Rights: &short}, now); err != nil {
		log.Fatal(err)
	}
	report, err := lib.ExpiringRights(ctx, now)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range report {
		fmt.Println(p.Asset.Name, p.Usage.PostID, p.Usage.At.Format(time.DateTime), "expires", p.Err.Expires.Format(time.DateTime))
	}
	// Output:
	// Stock photo post-2 2026-03-04 09:00:00 expires 2026-03-03 21:00:00
}
