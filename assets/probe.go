package assets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strings"
	"time"

	"golang.org/x/image/webp"
)

// The MIME types the library accepts for media, in canonical form.
const (
	MIMEPNG       = "image/png"
	MIMEJPEG      = "image/jpeg"
	MIMEGIF       = "image/gif"
	MIMEWebP      = "image/webp"
	MIMEMP4       = "video/mp4"
	MIMEQuickTime = "video/quicktime"
	MIMEPDF       = "application/pdf"
)

// Default probe limits, used where a [Limits] field is zero.
const (
	DefaultMaxSide   = 30000       // pixels per side
	DefaultMaxPixels = 100_000_000 // width × height (100 megapixels)
	DefaultMaxSize   = 4 << 30     // bytes (4 GiB)
)

// Limits bound what a probe accepts. Dimensions are checked against the
// header's declared values before anything is decoded, so a decompression
// bomb is refused after reading a few dozen bytes. The zero value means the
// defaults above.
type Limits struct {
	MaxSide   int   // max width or height in pixels; 0: DefaultMaxSide
	MaxPixels int64 // max width × height; 0: DefaultMaxPixels
	MaxSize   int64 // max bytes; 0: DefaultMaxSize
}

func (l Limits) withDefaults() Limits {
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxSize <= 0 {
		l.MaxSize = DefaultMaxSize
	}
	return l
}

// CanonicalMIME returns the canonical form of a supported media MIME type:
// lower case, parameters dropped, "image/jpg" read as "image/jpeg". It fails
// with a *[FieldError] for a type the library does not accept.
func CanonicalMIME(mime string) (string, error) {
	m, _, _ := strings.Cut(mime, ";")
	m = strings.ToLower(strings.TrimSpace(m))
	switch m {
	case "image/jpg", "image/pjpeg":
		m = MIMEJPEG
	case MIMEPNG, MIMEJPEG, MIMEGIF, MIMEWebP, MIMEMP4, MIMEQuickTime, MIMEPDF:
	default:
		return "", &FieldError{Field: "mime", Value: mime, Reason: "unsupported media type"}
	}
	return m, nil
}

// KindOfMIME returns the asset kind of a canonical media MIME type, or "".
func KindOfMIME(mime string) Kind {
	switch mime {
	case MIMEPNG, MIMEJPEG, MIMEWebP:
		return KindImage
	case MIMEGIF:
		return KindGIF
	case MIMEMP4, MIMEQuickTime:
		return KindVideo
	case MIMEPDF:
		return KindDocument
	}
	return ""
}

// Probe reads the metadata of media bytes from their header with the
// default [Limits]. See [ProbeLimits].
func Probe(r io.ReaderAt, size int64, mime string) (Media, error) {
	return ProbeLimits(r, size, mime, Limits{})
}

// ProbeLimits reads the kind, size, dimensions and duration of size bytes
// from r declared as mime, reading headers only:
//
//   - PNG: the IHDR chunk (33 bytes, CRC checked);
//   - JPEG: segment headers up to the first SOFn marker;
//   - GIF: the logical screen, then one length byte per block to sum the
//     frame delays of an animation (never the pixel data; past 1 MiB of
//     length bytes the duration is left unknown);
//   - WebP: the RIFF header and first chunk via golang.org/x/image/webp's
//     DecodeConfig, through a reader capped at 64 KiB;
//   - MP4/MOV: ISO-BMFF box headers, descending only into moov, trak and
//     mdia to read mvhd (duration, timescale), tkhd (width and height as
//     16.16 fixed point, swapped for a 90° rotation matrix) and hdlr; mdat
//     is skipped by its size and never read;
//   - PDF: the "%PDF-" signature.
//
// Every read lies within [0, size). Errors match [socialflow.ErrInvalid]:
// *[FieldError] for an empty, oversized or unsupported input,
// *[MismatchError] when the bytes are not the declared type,
// *[CorruptError] for a truncated or malformed header and *[DimensionError]
// for dimensions over the limits. An error from r itself (other than
// io.EOF) is returned wrapped, keeping its kind.
//
// ProbeLimits is safe for concurrent use if r is.
func ProbeLimits(r io.ReaderAt, size int64, mime string, lim Limits) (Media, error) {
	lim = lim.withDefaults()
	m, err := CanonicalMIME(mime)
	if err != nil {
		return Media{}, err
	}
	switch {
	case size <= 0:
		return Media{}, &FieldError{Field: "size", Value: fmt.Sprint(size), Reason: "empty file"}
	case size > lim.MaxSize:
		return Media{}, &FieldError{Field: "size", Value: fmt.Sprint(size), Reason: fmt.Sprintf("over the limit of %d bytes", lim.MaxSize)}
	}
	s := &source{r: r, size: size, mime: m}
	detected, err := s.sniff()
	if err != nil {
		return Media{}, err
	}
	if detected != m {
		return Media{}, &MismatchError{Declared: m, Detected: detected}
	}
	md := Media{Kind: KindOfMIME(m), MIME: m, Size: size}
	switch m {
	case MIMEPNG:
		md.Width, md.Height, err = s.png()
	case MIMEJPEG:
		md.Width, md.Height, err = s.jpeg()
	case MIMEGIF:
		md.Width, md.Height, md.Duration, err = s.gif(lim)
	case MIMEWebP:
		md.Width, md.Height, err = s.webp()
	case MIMEMP4, MIMEQuickTime:
		md.Width, md.Height, md.Duration, err = s.isobmff(lim)
	case MIMEPDF:
		// The signature was checked by sniff; a PDF has no pixel size.
	}
	if err != nil {
		return Media{}, err
	}
	if err := checkDims(m, md.Width, md.Height, lim); err != nil {
		return Media{}, err
	}
	return md, nil
}

func checkDims(mime string, w, h int, lim Limits) error {
	if w > lim.MaxSide || h > lim.MaxSide || int64(w)*int64(h) > lim.MaxPixels {
		return &DimensionError{MIME: mime, Width: w, Height: h, MaxSide: lim.MaxSide, MaxPixels: lim.MaxPixels}
	}
	return nil
}

// source reads bounded slices of the input; every read is checked against
// size before it is made.
type source struct {
	r    io.ReaderAt
	size int64
	mime string
}

func (s *source) corrupt(off int64, format string, args ...any) error {
	return &CorruptError{MIME: s.mime, Offset: off, Reason: fmt.Sprintf(format, args...)}
}

// read returns n bytes at off, or a *CorruptError if they lie past the end.
func (s *source) read(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || off > s.size || int64(n) > s.size-off {
		return nil, s.corrupt(off, "truncated: need %d bytes, have %d", n, max(0, s.size-off))
	}
	buf := make([]byte, n)
	got, err := s.r.ReadAt(buf, off)
	if got == n {
		return buf, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return nil, s.corrupt(off+int64(got), "truncated: read %d of %d bytes", got, n)
	}
	return nil, fmt.Errorf("assets: reading %s at byte %d: %w", s.mime, off, err)
}

func (s *source) u8(off int64) (byte, error) {
	b, err := s.read(off, 1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

var (
	sigPNG = []byte("\x89PNG\r\n\x1a\n")
	sigPDF = []byte("%PDF-")
)

// sniff names the format of the first bytes, or returns "" for none.
func (s *source) sniff() (string, error) {
	head, err := s.read(0, int(min(s.size, 16)))
	if err != nil {
		return "", err
	}
	switch {
	case bytes.HasPrefix(head, sigPNG):
		return MIMEPNG, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return MIMEJPEG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return MIMEGIF, nil
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return MIMEWebP, nil
	case bytes.HasPrefix(head, sigPDF):
		return MIMEPDF, nil
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		if string(head[8:12]) == "qt  " {
			return MIMEQuickTime, nil
		}
		return MIMEMP4, nil
	case len(head) >= 8:
		// QuickTime files from before ftyp start with one of these boxes.
		switch string(head[4:8]) {
		case "moov", "mdat", "wide", "free", "skip", "pnot":
			return MIMEQuickTime, nil
		}
	}
	return "", nil
}

// png reads the IHDR chunk that must follow the signature.
func (s *source) png() (int, int, error) {
	b, err := s.read(8, 25) // length, type, 13 bytes of data, CRC
	if err != nil {
		return 0, 0, err
	}
	if binary.BigEndian.Uint32(b[0:4]) != 13 || string(b[4:8]) != "IHDR" {
		return 0, 0, s.corrupt(8, "first chunk is not a 13-byte IHDR")
	}
	if crc32.ChecksumIEEE(b[4:21]) != binary.BigEndian.Uint32(b[21:25]) {
		return 0, 0, s.corrupt(29, "IHDR CRC mismatch")
	}
	w, h := binary.BigEndian.Uint32(b[8:12]), binary.BigEndian.Uint32(b[12:16])
	return s.dims(16, int64(w), int64(h))
}

// dims converts header dimensions, refusing zero and values beyond int32.
func (s *source) dims(off int64, w, h int64) (int, int, error) {
	if w <= 0 || h <= 0 || w > math.MaxInt32 || h > math.MaxInt32 {
		return 0, 0, s.corrupt(off, "invalid dimensions %dx%d", w, h)
	}
	return int(w), int(h), nil
}

// Bounds of the JPEG scan: segments before a SOFn marker, and 0xFF fill
// bytes before one marker.
const (
	maxJPEGSegments = 4096
	maxJPEGFill     = 1024
)

// jpeg scans segment headers from after SOI to the first SOFn marker.
func (s *source) jpeg() (int, int, error) {
	off := int64(2)
	for range maxJPEGSegments {
		b, err := s.u8(off)
		if err != nil {
			return 0, 0, err
		}
		if b != 0xFF {
			return 0, 0, s.corrupt(off, "expected a marker, found 0x%02x", b)
		}
		// Any number of 0xFF fill bytes may precede the marker code.
		m := byte(0xFF)
		for fill := 0; m == 0xFF; fill++ {
			if fill > maxJPEGFill {
				return 0, 0, s.corrupt(off, "more than %d fill bytes", maxJPEGFill)
			}
			off++
			if m, err = s.u8(off); err != nil {
				return 0, 0, err
			}
		}
		off++
		switch {
		case m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7):
			continue // standalone markers carry no length
		case m == 0xD9 || m == 0xDA || m == 0x00:
			return 0, 0, s.corrupt(off-1, "marker 0x%02x before any frame header", m)
		}
		lb, err := s.read(off, 2)
		if err != nil {
			return 0, 0, err
		}
		l := int64(binary.BigEndian.Uint16(lb))
		if l < 2 {
			return 0, 0, s.corrupt(off, "segment length %d", l)
		}
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			if l < 8 {
				return 0, 0, s.corrupt(off, "frame header length %d", l)
			}
			f, err := s.read(off+2, 5) // precision, height, width
			if err != nil {
				return 0, 0, err
			}
			h, w := binary.BigEndian.Uint16(f[1:3]), binary.BigEndian.Uint16(f[3:5])
			return s.dims(off+3, int64(w), int64(h))
		}
		off += l
	}
	return 0, 0, s.corrupt(off, "no frame header in the first %d segments", maxJPEGSegments)
}

// gifReadBudget bounds the length bytes read to sum an animation's frame
// delays (one per sub-block of up to 255 bytes, so about 256 MiB of GIF).
// Past it the walk stops and the duration is reported unknown (zero).
const gifReadBudget = 1 << 20

// gif reads the logical screen size, checks it, then walks the block
// structure (reading only block headers and sub-block lengths) to sum the
// frame delays.
func (s *source) gif(lim Limits) (int, int, time.Duration, error) {
	h, err := s.read(6, 7)
	if err != nil {
		return 0, 0, 0, err
	}
	w, ht, err := s.dims(6, int64(binary.LittleEndian.Uint16(h[0:2])), int64(binary.LittleEndian.Uint16(h[2:4])))
	if err != nil {
		return 0, 0, 0, err
	}
	if err := checkDims(s.mime, w, ht, lim); err != nil {
		return 0, 0, 0, err
	}
	off := int64(13)
	if h[4]&0x80 != 0 {
		off += 3 << (1 + h[4]&7)
	}
	var frames int
	var delay, pending int64 // centiseconds; pending is the delay of the next frame
	budget := gifReadBudget
	for {
		if off == s.size && frames > 0 {
			return w, ht, gifDuration(frames, delay), nil // a missing trailer is common and harmless
		}
		if budget--; budget < 0 {
			return w, ht, 0, nil // too long to walk: duration unknown
		}
		b, err := s.u8(off)
		if err != nil {
			return 0, 0, 0, err
		}
		off++
		switch b {
		case 0x3B: // trailer
			if frames == 0 {
				return 0, 0, 0, s.corrupt(off-1, "no image in GIF")
			}
			return w, ht, gifDuration(frames, delay), nil
		case 0x21: // extension: label, then sub-blocks
			label, err := s.u8(off)
			if err != nil {
				return 0, 0, 0, err
			}
			off++
			if label == 0xF9 { // graphic control: size 4, packed, delay, transparency
				gce, err := s.read(off, 5)
				if err != nil {
					return 0, 0, 0, err
				}
				if gce[0] == 4 {
					pending = int64(binary.LittleEndian.Uint16(gce[2:4]))
				}
			}
		case 0x2C: // image descriptor, optional local colour table, LZW code size
			d, err := s.read(off, 9)
			if err != nil {
				return 0, 0, 0, err
			}
			off += 9
			if d[8]&0x80 != 0 {
				off += 3 << (1 + d[8]&7)
			}
			off++ // LZW minimum code size
			frames++
			delay += pending
			pending = 0
		default:
			return 0, 0, 0, s.corrupt(off-1, "unknown block 0x%02x", b)
		}
		if off, err = s.skipSubBlocks(off, &budget); err != nil {
			return 0, 0, 0, err
		}
		if budget < 0 {
			return w, ht, 0, nil
		}
	}
}

func gifDuration(frames int, cs int64) time.Duration {
	if frames < 2 {
		return 0
	}
	return time.Duration(cs) * 10 * time.Millisecond
}

// skipSubBlocks skips a chain of length-prefixed sub-blocks ending in a zero
// length, reading only the length bytes, one from budget each; it stops
// early when budget runs out.
func (s *source) skipSubBlocks(off int64, budget *int) (int64, error) {
	for ; *budget >= 0; *budget-- {
		n, err := s.u8(off)
		if err != nil {
			return 0, err
		}
		off++
		if n == 0 {
			return off, nil
		}
		off += int64(n)
		if off > s.size {
			return 0, s.corrupt(off, "sub-block runs past the end")
		}
	}
	return off, nil
}

// webpHeaderCap bounds what DecodeConfig may read.
const webpHeaderCap = 64 << 10

func (s *source) webp() (int, int, error) {
	cfg, err := webp.DecodeConfig(io.LimitReader(io.NewSectionReader(s.r, 0, s.size), webpHeaderCap))
	if err != nil {
		return 0, 0, s.corrupt(0, "%v", err)
	}
	return s.dims(0, int64(cfg.Width), int64(cfg.Height))
}

// maxBoxes bounds the ISO-BMFF boxes visited.
const maxBoxes = 10000

type box struct {
	typ        string
	start, end int64 // body
}

// boxes lists the boxes in [start, end), reading their headers only.
func (s *source) boxes(start, end int64, budget *int) ([]box, error) {
	var out []box
	for off := start; off < end; {
		if *budget--; *budget < 0 {
			return nil, s.corrupt(off, "more than %d boxes", maxBoxes)
		}
		if end-off < 8 {
			return nil, s.corrupt(off, "truncated box header")
		}
		h, err := s.read(off, 8)
		if err != nil {
			return nil, err
		}
		size, hdr := int64(binary.BigEndian.Uint32(h[0:4])), int64(8)
		switch size {
		case 0: // to the end of the enclosing box
			size = end - off
		case 1: // 64-bit size follows
			l, err := s.read(off+8, 8)
			if err != nil {
				return nil, err
			}
			u := binary.BigEndian.Uint64(l)
			if u > math.MaxInt64 {
				return nil, s.corrupt(off, "box size %d", u)
			}
			size, hdr = int64(u), 16
		}
		if size < hdr || size > end-off {
			return nil, s.corrupt(off, "box %q size %d out of bounds", h[4:8], size)
		}
		out = append(out, box{typ: string(h[4:8]), start: off + hdr, end: off + size})
		off += size
	}
	return out, nil
}

// isobmff reads duration and video dimensions from moov.
func (s *source) isobmff(lim Limits) (int, int, time.Duration, error) {
	budget := maxBoxes
	top, err := s.boxes(0, s.size, &budget)
	if err != nil {
		return 0, 0, 0, err
	}
	var moov *box
	for i := range top {
		if top[i].typ == "moov" {
			moov = &top[i]
			break
		}
	}
	if moov == nil {
		return 0, 0, 0, s.corrupt(0, "no moov box")
	}
	kids, err := s.boxes(moov.start, moov.end, &budget)
	if err != nil {
		return 0, 0, 0, err
	}
	var dur time.Duration
	var haveMvhd bool
	var w, h int
	for _, b := range kids {
		switch b.typ {
		case "mvhd":
			if dur, err = s.mvhd(b); err != nil {
				return 0, 0, 0, err
			}
			haveMvhd = true
		case "trak":
			tw, th, video, err := s.trak(b, &budget)
			if err != nil {
				return 0, 0, 0, err
			}
			if err := checkDims(s.mime, tw, th, lim); err != nil {
				return 0, 0, 0, err
			}
			if video && w == 0 && tw > 0 && th > 0 {
				w, h = tw, th
			}
		}
	}
	if !haveMvhd {
		return 0, 0, 0, s.corrupt(moov.start, "no mvhd box in moov")
	}
	return w, h, dur, nil
}

func (s *source) mvhd(b box) (time.Duration, error) {
	v, err := s.u8(b.start)
	if err != nil {
		return 0, err
	}
	var scale, d uint64
	switch v {
	case 0:
		f, err := s.fullBody(b, 20)
		if err != nil {
			return 0, err
		}
		scale, d = uint64(binary.BigEndian.Uint32(f[12:16])), uint64(binary.BigEndian.Uint32(f[16:20]))
		if d == math.MaxUint32 {
			d = 0 // "unknown"
		}
	case 1:
		f, err := s.fullBody(b, 32)
		if err != nil {
			return 0, err
		}
		scale, d = uint64(binary.BigEndian.Uint32(f[20:24])), binary.BigEndian.Uint64(f[24:32])
		if d == math.MaxUint64 {
			d = 0
		}
	default:
		return 0, s.corrupt(b.start, "mvhd version %d", v)
	}
	if scale == 0 {
		return 0, s.corrupt(b.start, "mvhd timescale is zero")
	}
	secs, rem := d/scale, d%scale
	if secs > uint64(math.MaxInt64/int64(time.Second))-1 {
		return 0, s.corrupt(b.start, "duration of %d seconds overflows", secs)
	}
	return time.Duration(secs)*time.Second + time.Duration(rem*uint64(time.Second)/scale), nil
}

// fullBody reads the first n bytes of a box body, which must be that long.
func (s *source) fullBody(b box, n int) ([]byte, error) {
	if b.end-b.start < int64(n) {
		return nil, s.corrupt(b.start, "%s box body of %d bytes, need %d", b.typ, b.end-b.start, n)
	}
	return s.read(b.start, n)
}

// trak returns a track's display size and whether its handler is video. A
// track without hdlr counts as video when it has a size.
func (s *source) trak(t box, budget *int) (w, h int, video bool, err error) {
	kids, err := s.boxes(t.start, t.end, budget)
	if err != nil {
		return 0, 0, false, err
	}
	handler := ""
	for _, b := range kids {
		switch b.typ {
		case "tkhd":
			if w, h, err = s.tkhd(b); err != nil {
				return 0, 0, false, err
			}
		case "mdia":
			mk, err := s.boxes(b.start, b.end, budget)
			if err != nil {
				return 0, 0, false, err
			}
			for _, m := range mk {
				if m.typ == "hdlr" {
					f, err := s.fullBody(m, 12)
					if err != nil {
						return 0, 0, false, err
					}
					handler = string(f[8:12])
				}
			}
		}
	}
	return w, h, handler == "vide" || (handler == "" && w > 0 && h > 0), nil
}

// tkhd reads the track's width and height (16.16 fixed point), swapped when
// the matrix rotates by 90 or 270 degrees.
func (s *source) tkhd(b box) (int, int, error) {
	v, err := s.u8(b.start)
	if err != nil {
		return 0, 0, err
	}
	at := 40 // offset of the matrix in a version 0 body
	switch v {
	case 0:
	case 1:
		at = 52
	default:
		return 0, 0, s.corrupt(b.start, "tkhd version %d", v)
	}
	f, err := s.fullBody(b, at+44)
	if err != nil {
		return 0, 0, err
	}
	m := f[at : at+36]
	w := int(binary.BigEndian.Uint32(f[at+36:at+40]) >> 16)
	h := int(binary.BigEndian.Uint32(f[at+40:at+44]) >> 16)
	a, d := int32(binary.BigEndian.Uint32(m[0:4])), int32(binary.BigEndian.Uint32(m[16:20]))
	if a == 0 && d == 0 {
		w, h = h, w
	}
	return w, h, nil
}
