package assets_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"sync"
)

// Generators of small, real media for tests. Nothing is read from disk.

func pngBytes(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // in-memory encoding of a valid image cannot fail
	}
	return b.Bytes()
}

func jpegBytes(w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func gifBytes(w, h int, delays ...int) []byte {
	g := &gif.GIF{}
	pal := color.Palette{color.Black, color.White}
	for _, d := range delays {
		g.Image = append(g.Image, image.NewPaletted(image.Rect(0, 0, w, h), pal))
		g.Delay = append(g.Delay, d)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// pngHeaderOnly is a PNG signature and a valid IHDR declaring w×h, and
// nothing else: what a decompression bomb's header looks like.
func pngHeaderOnly(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	data := make([]byte, 17)
	copy(data, "IHDR")
	binary.BigEndian.PutUint32(data[4:], w)
	binary.BigEndian.PutUint32(data[8:], h)
	data[12], data[13] = 8, 6 // 8-bit RGBA
	_ = binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(data)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(data))
	return b.Bytes()
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func riff(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return append(append([]byte("RIFF"), le32(uint32(len(body)))...), body...)
}

func chunk(fourcc string, data []byte) []byte {
	c := append([]byte(fourcc), le32(uint32(len(data)))...)
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// webpLossless is a WebP with a VP8L header declaring w×h (no pixel data:
// DecodeConfig needs only the header).
func webpLossless(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14
	return riff(chunk("VP8L", append([]byte{0x2f}, le32(bits)...)))
}

// webpExtended is a WebP with a VP8X canvas of w×h.
func webpExtended(w, h int) []byte {
	d := make([]byte, 10)
	d[4], d[5], d[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	d[7], d[8], d[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	return riff(chunk("VP8X", d))
}

func box(typ string, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(out, typ...), body...)
}

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

type mp4Opts struct {
	brand              string // "isom" (MP4) or "qt  " (MOV); "" for no ftyp
	width, height      int
	rotate90           bool
	timescale, dur     uint32
	audioTrack         bool
	mdat               int  // bytes of mdat payload
	moovFirst, largeMd bool // moov before mdat; 64-bit mdat size
}

func mvhd(timescale, dur uint32) []byte {
	b := make([]byte, 100)
	binary.BigEndian.PutUint32(b[12:], timescale)
	binary.BigEndian.PutUint32(b[16:], dur)
	binary.BigEndian.PutUint32(b[20:], 0x00010000)
	return box("mvhd", b)
}

func tkhd(w, h int, rotate bool) []byte {
	b := make([]byte, 84)
	m := b[40:76]
	if rotate { // 90°: a=0 b=1 c=-1 d=0
		binary.BigEndian.PutUint32(m[4:], 0x00010000)
		binary.BigEndian.PutUint32(m[12:], 0xFFFF0000)
	} else {
		binary.BigEndian.PutUint32(m[0:], 0x00010000)
		binary.BigEndian.PutUint32(m[16:], 0x00010000)
	}
	binary.BigEndian.PutUint32(m[32:], 0x40000000)
	binary.BigEndian.PutUint32(b[76:], uint32(w)<<16)
	binary.BigEndian.PutUint32(b[80:], uint32(h)<<16)
	return box("tkhd", b)
}

func hdlr(handler string) []byte {
	b := make([]byte, 25)
	copy(b[8:], handler)
	return box("hdlr", b)
}

func moov(o mp4Opts) []byte {
	tracks := [][]byte{mvhd(o.timescale, o.dur)}
	if o.audioTrack {
		tracks = append(tracks, box("trak", tkhd(0, 0, false), box("mdia", hdlr("soun"))))
	}
	tracks = append(tracks, box("trak", tkhd(o.width, o.height, o.rotate90), box("mdia", hdlr("vide"))))
	return box("moov", tracks...)
}

func mdatHeader(o mp4Opts) []byte {
	if o.largeMd {
		h := append(be32(1), "mdat"...)
		return binary.BigEndian.AppendUint64(h, uint64(16+o.mdat))
	}
	return append(be32(uint32(8+o.mdat)), "mdat"...)
}

func ftyp(brand string) []byte {
	if brand == "" {
		return nil
	}
	return box("ftyp", []byte(brand), be32(0x200), []byte(brand), []byte("mp41"))
}

func mp4Bytes(o mp4Opts) []byte {
	out := ftyp(o.brand)
	if o.moovFirst {
		out = append(out, moov(o)...)
	}
	out = append(out, mdatHeader(o)...)
	out = append(out, make([]byte, o.mdat)...)
	if !o.moovFirst {
		out = append(out, moov(o)...)
	}
	return out
}

// bigMP4 is a virtual MP4 of about mdat bytes whose payload is never
// materialised: ftyp, an mdat header, mdat zero bytes, then moov.
type bigMP4 struct {
	head, tail []byte
	mdat       int64

	mu    sync.Mutex
	calls int
	bytes int64
}

func newBigMP4(o mp4Opts) *bigMP4 {
	o.largeMd = true
	return &bigMP4{head: append(ftyp(o.brand), mdatHeader(o)...), tail: moov(o), mdat: int64(o.mdat)}
}

func (b *bigMP4) Size() int64 { return int64(len(b.head)) + b.mdat + int64(len(b.tail)) }

func (b *bigMP4) ReadAt(p []byte, off int64) (int, error) {
	b.mu.Lock()
	b.calls++
	b.mu.Unlock()
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		var c byte
		switch h, m := int64(len(b.head)), int64(len(b.head))+b.mdat; {
		case pos < h:
			c = b.head[pos]
		case pos < m:
			c = 0
		case pos < b.Size():
			c = b.tail[pos-m]
		default:
			b.count(n)
			return n, io.EOF
		}
		p[n] = c
		n++
	}
	b.count(n)
	return n, nil
}

func (b *bigMP4) count(n int) {
	b.mu.Lock()
	b.bytes += int64(n)
	b.mu.Unlock()
}

// boundedReader is an io.ReaderAt over data that records any read past its
// end (which a probe must never make) and counts what is read.
type boundedReader struct {
	data     []byte
	overread bool
	read     int64
}

func (r *boundedReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(r.data)) {
		r.overread = true
	}
	if off < 0 || off >= int64(len(r.data)) {
		return 0, io.EOF
	}
	n := copy(p, r.data[off:])
	r.read += int64(n)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
