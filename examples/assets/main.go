// Command assets shows the content library on its embedded defaults: upload
// and probe media (images, an animated GIF, an MP4 made in memory), refuse a
// duplicate and a mislabelled file, approve, search, render a saved reply,
// attach assets to scheduled posts and report rights that expire before the
// posts go out. Its output is deterministic.
//
//	go run ./examples/assets
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"log"
	"os"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	"github.com/socialflow/socialflow/assets/memstore"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer) error {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	lib, err := assets.NewLibrary(memstore.New(), memblob.New(),
		assets.WithIDGenerator(func() string { n++; return fmt.Sprintf("as_%03d", n) }),
		assets.WithPlaceholders("first_name", "order_id", "agent"))
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "== upload and probe")
	photo, err := pngImage(1080, 1350)
	if err != nil {
		return err
	}
	banner, err := jpegImage(1200, 628)
	if err != nil {
		return err
	}
	loop, err := gifAnimation(320, 320, 40, 8) // 8 frames of 0.40 s
	if err != nil {
		return err
	}
	uploads := []struct {
		in   assets.NewAsset
		data []byte
	}{
		{assets.NewAsset{Name: "Beach at dawn", MIME: "image/png", Tags: []string{"#Summer", "beach"}, Folder: "campaigns/summer",
			AltText: "Sunrise over a quiet beach", Creator: "dana",
			Rights: assets.Rights{License: "Stock, 30 days", Credit: "Photo: Ana Lima", Expires: now.Add(30 * 24 * time.Hour)}}, photo},
		{assets.NewAsset{Name: "Spring sale banner", MIME: "image/jpeg", Tags: []string{"sale"}, Folder: "campaigns/spring", Creator: "dana",
			Rights: assets.Rights{Networks: []string{"linkedin", "facebook"}}}, banner},
		{assets.NewAsset{Name: "Logo loop", MIME: "image/gif", Tags: []string{"brand"}, Folder: "brand", Creator: "dana"}, loop},
		{assets.NewAsset{Name: "Summer teaser", MIME: "video/mp4", Tags: []string{"summer", "video"}, Folder: "campaigns/summer", Creator: "dana"},
			mp4Video(1080, 1920, 21*time.Second+500*time.Millisecond, 256<<10)},
	}
	var added []assets.Asset
	for _, u := range uploads {
		a, err := lib.AddMedia(ctx, u.in, bytes.NewReader(u.data), int64(len(u.data)), now)
		if err != nil {
			return err
		}
		added = append(added, a)
		m := a.Media
		fmt.Fprintf(w, "%s %-20s %-9s %-10s %4dx%-4d aspect %.2f duration %-6v sha256 %s… %s\n",
			a.ID, a.Name, a.Kind, m.MIME, m.Width, m.Height, m.Aspect(), m.Duration, a.Checksum[:12], a.Status)
	}

	fmt.Fprintln(w, "\n== bad uploads store nothing")
	_, err = lib.AddMedia(ctx, assets.NewAsset{Name: "Beach again", MIME: "image/png"}, bytes.NewReader(photo), int64(len(photo)), now)
	var dup *assets.DuplicateError
	if errors.As(err, &dup) {
		fmt.Fprintf(w, "duplicate: matches ErrDuplicate=%v, existing asset %s\n", errors.Is(err, socialflow.ErrDuplicate), dup.ExistingID)
	}
	_, err = lib.AddMedia(ctx, assets.NewAsset{Name: "Renamed", MIME: "image/png"}, bytes.NewReader(banner), int64(len(banner)), now)
	fmt.Fprintf(w, "mislabelled: ErrInvalid=%v: %v\n", errors.Is(err, socialflow.ErrInvalid), err)
	bomb := pngHeader(100000, 100000)
	_, err = lib.AddMedia(ctx, assets.NewAsset{Name: "Bomb", MIME: "image/png"}, bytes.NewReader(bomb), int64(len(bomb)), now)
	fmt.Fprintf(w, "bomb: ErrInvalid=%v: %v\n", errors.Is(err, socialflow.ErrInvalid), err)

	fmt.Fprintln(w, "\n== approval for use")
	beach := added[0]
	err = lib.Use(ctx, assets.Usage{AssetID: beach.ID, PostID: "post-1", Channel: "ig-brand", Network: "instagram", At: now.Add(24 * time.Hour)}, now)
	fmt.Fprintln(w, "before approval:", err)
	for i, a := range added {
		if added[i], err = lib.Approve(ctx, a.ID, a.Version, "mia", now); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "approved", len(added), "assets")

	fmt.Fprintln(w, "\n== search")
	page, err := lib.Search(ctx, assets.Query{Tags: []string{"summer"}, Sort: assets.SortName})
	if err != nil {
		return err
	}
	for _, a := range page.Assets {
		fmt.Fprintf(w, "tag summer: %s %s (%s)\n", a.ID, a.Name, a.Folder)
	}
	page, err = lib.Search(ctx, assets.Query{Folder: "campaigns", Recursive: true, Kinds: []assets.Kind{assets.KindImage}, RightsValidAt: now.Add(40 * 24 * time.Hour)})
	if err != nil {
		return err
	}
	for _, a := range page.Assets {
		fmt.Fprintf(w, "images under campaigns usable in 40 days: %s %s\n", a.ID, a.Name)
	}

	fmt.Fprintln(w, "\n== saved reply")
	reply, err := lib.AddText(ctx, assets.NewAsset{Kind: assets.KindSavedReply, Name: "Late order", Tags: []string{"support", "shipping"},
		Body: "Hi {first_name}, sorry for the wait: order {order_id} ships today. Use {{THANKYOU}} for 10% off. – {agent}"}, now)
	if err != nil {
		return err
	}
	if reply, err = lib.Approve(ctx, reply.ID, reply.Version, "mia", now); err != nil {
		return err
	}
	found, err := lib.Search(ctx, assets.Query{Kinds: []assets.Kind{assets.KindSavedReply}, Tags: []string{"shipping"}, Text: "order"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "inbox search found %d reply: %s, placeholders %v\n", len(found.Assets), found.Assets[0].Name, found.Assets[0].Placeholders)
	text, err := lib.Render(ctx, reply.ID, map[string]string{"first_name": "Ana", "order_id": "A-1042", "agent": "Sam"}, now)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, text)
	_, err = lib.Render(ctx, reply.ID, map[string]string{"first_name": "Ana", "agent": "Sam"}, now)
	fmt.Fprintln(w, "missing value:", err)
	_, err = lib.AddText(ctx, assets.NewAsset{Kind: assets.KindSavedReply, Name: "Typo", Body: "Hi {frist_name}"}, now)
	fmt.Fprintln(w, "unknown placeholder:", err)

	fmt.Fprintln(w, "\n== use in scheduled posts")
	banner2, video := added[1], added[3]
	for _, u := range []assets.Usage{
		{AssetID: beach.ID, PostID: "post-1", Channel: "ig-brand", Network: "instagram", At: now.Add(24 * time.Hour)},
		{AssetID: beach.ID, PostID: "post-2", Channel: "ig-brand", Network: "instagram", At: now.Add(20 * 24 * time.Hour)},
		{AssetID: video.ID, PostID: "post-3", Channel: "tt-brand", Network: "tiktok", At: now.Add(3 * 24 * time.Hour)},
		{AssetID: banner2.ID, PostID: "post-4", Channel: "x-brand", Network: "x", At: now.Add(2 * 24 * time.Hour)},
		{AssetID: beach.ID, PostID: "post-5", Channel: "ig-brand", Network: "instagram", At: now.Add(45 * 24 * time.Hour)},
	} {
		if err := lib.Use(ctx, u, now); err != nil {
			fmt.Fprintf(w, "%s refused: %v\n", u.PostID, err)
			continue
		}
		fmt.Fprintf(w, "%s uses %s at %s\n", u.PostID, u.AssetID, u.At.Format(time.DateOnly))
	}

	// The stock licence is cut short after the posts were scheduled.
	beach, err = lib.Get(ctx, beach.ID)
	if err != nil {
		return err
	}
	short := beach.Rights
	short.Expires = now.Add(10 * 24 * time.Hour)
	if beach, err = lib.Update(ctx, beach.ID, beach.Version, assets.Change{Rights: &short}, now); err != nil {
		return err
	}
	fmt.Fprintf(w, "licence of %s now expires %s (version %d)\n", beach.ID, beach.Rights.Expires.Format(time.DateOnly), beach.Version)

	fmt.Fprintln(w, "\n== rights-expiry report")
	report, err := lib.ExpiringRights(ctx, now)
	if err != nil {
		return err
	}
	for _, p := range report {
		fmt.Fprintf(w, "%s %q expires %s, but %s on %s is scheduled %s\n", p.Asset.ID, p.Asset.Name,
			p.Err.Expires.Format(time.DateOnly), p.Usage.PostID, p.Usage.Channel, p.Usage.At.Format(time.DateOnly))
	}

	fmt.Fprintln(w, "\n== delete")
	err = lib.Delete(ctx, beach.ID, beach.Version, now)
	var inUse *assets.InUseError
	if errors.As(err, &inUse) {
		fmt.Fprintf(w, "refused (ErrConflict=%v): %v\n", errors.Is(err, socialflow.ErrConflict), err)
	}
	return nil
}

func pngImage(w, h int) ([]byte, error) {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for x := range w {
		img.SetGray(x, h/2, color.Gray{Y: 200})
	}
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}

func jpegImage(w, h int) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), &jpeg.Options{Quality: 80})
	return b.Bytes(), err
}

func gifAnimation(w, h, delay, frames int) ([]byte, error) {
	g := &gif.GIF{}
	pal := color.Palette{color.White, color.Black}
	for i := range frames {
		f := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		f.SetColorIndex(i, i, 1)
		g.Image, g.Delay = append(g.Image, f), append(g.Delay, delay)
	}
	var b bytes.Buffer
	err := gif.EncodeAll(&b, g)
	return b.Bytes(), err
}

// pngHeader is the signature and IHDR of a PNG declaring w×h pixels: the
// start of a decompression bomb.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	b = binary.BigEndian.AppendUint32(b, w)
	b = binary.BigEndian.AppendUint32(b, h)
	b = append(b, 8, 6, 0, 0, 0)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[12:]))
}

// box builds one ISO-BMFF box.
func box(typ string, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	return append(binary.BigEndian.AppendUint32([]byte{}, uint32(8+len(body))), append([]byte(typ), body...)...)
}

// mp4Video builds a minimal MP4 (ftyp, mdat of payload zero bytes, moov with
// mvhd and one video trak) of the given size and duration.
func mp4Video(w, h int, d time.Duration, payload int) []byte {
	const timescale = 1000
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[12:], timescale)
	binary.BigEndian.PutUint32(mvhd[16:], uint32(d/time.Millisecond))
	tkhd := make([]byte, 84)
	binary.BigEndian.PutUint32(tkhd[40:], 1<<16) // identity matrix
	binary.BigEndian.PutUint32(tkhd[56:], 1<<16)
	binary.BigEndian.PutUint32(tkhd[72:], 1<<30)
	binary.BigEndian.PutUint32(tkhd[76:], uint32(w)<<16)
	binary.BigEndian.PutUint32(tkhd[80:], uint32(h)<<16)
	hdlr := make([]byte, 25)
	copy(hdlr[8:], "vide")
	var out []byte
	out = append(out, box("ftyp", []byte("isom\x00\x00\x02\x00isommp41"))...)
	out = append(out, box("mdat", make([]byte, payload))...)
	out = append(out, box("moov", box("mvhd", mvhd), box("trak", box("tkhd", tkhd), box("mdia", box("hdlr", hdlr))))...)
	return out
}
