package assets_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
)

func probeBytes(data []byte, mime string) (assets.Media, error) {
	return assets.Probe(bytes.NewReader(data), int64(len(data)), mime)
}

func TestProbe(t *testing.T) {
	mp4 := mp4Opts{brand: "isom", width: 1920, height: 1080, timescale: 600, dur: 600 * 15, audioTrack: true, mdat: 64}
	rotated := mp4
	rotated.rotate90 = true
	mov := mp4
	mov.brand, mov.moovFirst = "qt  ", true
	legacyMov := mp4
	legacyMov.brand = ""
	for _, tt := range []struct {
		name string
		data []byte
		mime string
		want assets.Media
	}{
		{"png", pngBytes(40, 30), "image/png", assets.Media{Kind: assets.KindImage, MIME: "image/png", Width: 40, Height: 30}},
		{"jpeg", jpegBytes(64, 48), "image/jpeg", assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Width: 64, Height: 48}},
		{"jpg alias and params", jpegBytes(8, 8), "Image/JPG; q=1", assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Width: 8, Height: 8}},
		{"still gif", gifBytes(20, 10, 0), "image/gif", assets.Media{Kind: assets.KindGIF, MIME: "image/gif", Width: 20, Height: 10}},
		{"animated gif sums delays", gifBytes(20, 10, 50, 50, 25), "image/gif", assets.Media{Kind: assets.KindGIF, MIME: "image/gif", Width: 20, Height: 10, Duration: 1250 * time.Millisecond}},
		{"webp lossless", webpLossless(300, 200), "image/webp", assets.Media{Kind: assets.KindImage, MIME: "image/webp", Width: 300, Height: 200}},
		{"webp extended", webpExtended(1080, 1350), "image/webp", assets.Media{Kind: assets.KindImage, MIME: "image/webp", Width: 1080, Height: 1350}},
		{"mp4", mp4Bytes(mp4), "video/mp4", assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Width: 1920, Height: 1080, Duration: 15 * time.Second}},
		{"mp4 rotated 90", mp4Bytes(rotated), "video/mp4", assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Width: 1080, Height: 1920, Duration: 15 * time.Second}},
		{"mp4 64-bit mdat", mp4Bytes(mp4Opts{brand: "mp42", width: 640, height: 360, timescale: 1000, dur: 2500, mdat: 10, largeMd: true}), "video/mp4", assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Width: 640, Height: 360, Duration: 2500 * time.Millisecond}},
		{"mp4 mvhd version 1", mvhdV1MP4(), "video/mp4", assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Width: 0, Height: 0, Duration: 90 * time.Minute}},
		{"mov", mp4Bytes(mov), "video/quicktime", assets.Media{Kind: assets.KindVideo, MIME: "video/quicktime", Width: 1920, Height: 1080, Duration: 15 * time.Second}},
		{"mov without ftyp", mp4Bytes(legacyMov), "video/quicktime", assets.Media{Kind: assets.KindVideo, MIME: "video/quicktime", Width: 1920, Height: 1080, Duration: 15 * time.Second}},
		{"pdf", []byte("%PDF-1.7\n%...\n"), "application/pdf", assets.Media{Kind: assets.KindDocument, MIME: "application/pdf"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := probeBytes(tt.data, tt.mime)
			require.NoError(t, err)
			tt.want.Size = int64(len(tt.data))
			assert.Equal(t, tt.want, got)
			assert.NoError(t, got.Validate())
		})
	}
}

func TestProbeRejects(t *testing.T) {
	png := pngBytes(10, 10)
	badCRC := bytes.Clone(png)
	badCRC[20]++ // inside IHDR width
	mp4 := mp4Bytes(mp4Opts{brand: "isom", width: 10, height: 10, timescale: 600, dur: 600, mdat: 16})
	noMoov := append(ftyp("isom"), box("mdat", make([]byte, 16))...)
	noMvhd := append(ftyp("isom"), box("moov", box("trak", tkhd(10, 10, false)))...)
	badBox := append(ftyp("isom"), append(be32(9999), "moov"...)...)
	zeroScale := append(ftyp("isom"), box("moov", mvhd(0, 100))...)
	jpegNoSOF := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xDA, 0x00, 0x02}
	jpegHuge := []byte{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x03}
	gifHuge := append([]byte("GIF89a"), 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x3B)
	jpegFill := append(append([]byte{0xFF, 0xD8}, bytes.Repeat([]byte{0xFF}, 2000)...), 0xC0)
	hugeMP4 := mp4Bytes(mp4Opts{brand: "isom", width: 40000, height: 10, timescale: 1, dur: 1})

	var (
		mismatch *assets.MismatchError
		corrupt  *assets.CorruptError
		dims     *assets.DimensionError
		field    *assets.FieldError
	)
	for _, tt := range []struct {
		name   string
		data   []byte
		mime   string
		target any
	}{
		{"empty", nil, "image/png", &field},
		{"unsupported mime", png, "image/tiff", &field},
		{"png declared jpeg", png, "image/jpeg", &mismatch},
		{"jpeg declared png", jpegBytes(4, 4), "image/png", &mismatch},
		{"text declared mp4", []byte("hello, this is not a video"), "video/mp4", &mismatch},
		{"mov declared mp4", mp4Bytes(mp4Opts{brand: "qt  ", width: 1, height: 1, timescale: 1, dur: 1}), "video/mp4", &mismatch},
		{"png truncated", png[:20], "image/png", &corrupt},
		{"png bad crc", badCRC, "image/png", &corrupt},
		{"png zero width", pngHeaderOnly(0, 10), "image/png", &corrupt},
		{"png bomb 100000 px", pngHeaderOnly(100000, 100000), "image/png", &dims},
		{"png bomb 20000x20000 over megapixels", pngHeaderOnly(20000, 20000), "image/png", &dims},
		{"jpeg without frame header", jpegNoSOF, "image/jpeg", &corrupt},
		{"jpeg truncated", jpegBytes(8, 8)[:5], "image/jpeg", &corrupt},
		{"jpeg bomb", jpegHuge, "image/jpeg", &dims},
		{"jpeg endless fill bytes", jpegFill, "image/jpeg", &corrupt},
		{"gif truncated", gifBytes(4, 4, 0)[:8], "image/gif", &corrupt},
		{"gif bomb", gifHuge, "image/gif", &dims},
		{"gif cut inside frame", gifBytes(4, 4, 10, 10)[:40], "image/gif", &corrupt},
		{"webp truncated", webpLossless(10, 10)[:14], "image/webp", &corrupt},
		{"mp4 truncated", mp4[:len(mp4)-10], "video/mp4", &corrupt},
		{"mp4 without moov", noMoov, "video/mp4", &corrupt},
		{"mp4 without mvhd", noMvhd, "video/mp4", &corrupt},
		{"mp4 box past end", badBox, "video/mp4", &corrupt},
		{"mp4 zero timescale", zeroScale, "video/mp4", &corrupt},
		{"mp4 absurd width", hugeMP4, "video/mp4", &dims},
		{"pdf garbage", []byte("%PDX-1.7"), "application/pdf", &mismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := probeBytes(tt.data, tt.mime)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			require.ErrorAs(t, err, tt.target)
		})
	}
}

func TestProbeLimits(t *testing.T) {
	data := pngBytes(200, 100)
	_, err := assets.ProbeLimits(bytes.NewReader(data), int64(len(data)), "image/png", assets.Limits{MaxSide: 150})
	var de *assets.DimensionError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, assets.DimensionError{MIME: "image/png", Width: 200, Height: 100, MaxSide: 150, MaxPixels: assets.DefaultMaxPixels}, *de)
	_, err = assets.ProbeLimits(bytes.NewReader(data), int64(len(data)), "image/png", assets.Limits{MaxSize: 10})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

// A bomb is refused from its header: the probe reads a few dozen bytes of a
// file that declares 100000×100000 pixels.
func TestProbeBombReadsHeaderOnly(t *testing.T) {
	data := append(pngHeaderOnly(100000, 100000), make([]byte, 1<<20)...)
	r := &boundedReader{data: data}
	_, err := assets.Probe(r, int64(len(data)), "image/png")
	var de *assets.DimensionError
	require.ErrorAs(t, err, &de)
	assert.LessOrEqual(t, r.read, int64(64))
}

// The figure reported in the package notes: bytes read to probe a 50 MB MP4
// whose moov sits after the mdat (the worst case for a header walk).
func TestProbeBigMP4ReadsFewBytes(t *testing.T) {
	r := newBigMP4(mp4Opts{brand: "isom", width: 1080, height: 1920, timescale: 30000, dur: 30000 * 42, audioTrack: true, mdat: 50 << 20})
	md, err := assets.Probe(r, r.Size(), "video/mp4")
	require.NoError(t, err)
	assert.Equal(t, assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: r.Size(), Width: 1080, Height: 1920, Duration: 42 * time.Second}, md)
	t.Logf("probe of a %d-byte MP4 read %d bytes in %d calls", r.Size(), r.bytes, r.calls)
	assert.Less(t, r.bytes, int64(1024), "a probe reads box headers only")
}

type failingReaderAt struct{ err error }

func (f failingReaderAt) ReadAt([]byte, int64) (int, error) { return 0, f.err }

func TestProbeKeepsReaderErrors(t *testing.T) {
	_, err := assets.Probe(failingReaderAt{socialflow.ErrTransient}, 100, "image/png")
	require.ErrorIs(t, err, socialflow.ErrTransient)
	require.False(t, errors.Is(err, socialflow.ErrInvalid))
}

func TestCanonicalMIME(t *testing.T) {
	for in, want := range map[string]string{
		"image/PNG": "image/png", " image/jpg ": "image/jpeg", "video/mp4; codecs=avc1": "video/mp4",
	} {
		got, err := assets.CanonicalMIME(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := assets.CanonicalMIME("text/html")
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

var probeMIMEs = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4", "video/quicktime", "application/pdf"}

// go test -fuzz=^FuzzProbe$ -fuzztime=60s ./assets
func FuzzProbe(f *testing.F) {
	seeds := [][]byte{
		pngBytes(3, 2), jpegBytes(5, 4), gifBytes(3, 3, 10, 20), webpLossless(7, 9), webpExtended(30, 40),
		mp4Bytes(mp4Opts{brand: "isom", width: 16, height: 9, timescale: 600, dur: 1200, audioTrack: true, mdat: 8}),
		mp4Bytes(mp4Opts{brand: "qt  ", width: 16, height: 9, timescale: 600, dur: 1200, mdat: 8, moovFirst: true, largeMd: true}),
		[]byte("%PDF-1.4"), pngHeaderOnly(100000, 1), {}, {0xFF, 0xD8, 0xFF},
	}
	for _, s := range seeds {
		for i := range probeMIMEs {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, mi uint8) {
		r := &boundedReader{data: data}
		md, err := assets.Probe(r, int64(len(data)), probeMIMEs[int(mi)%len(probeMIMEs)])
		if r.overread {
			t.Fatalf("probe read past the %d bytes of data", len(data))
		}
		if err != nil {
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if verr := md.Validate(); verr != nil {
			t.Fatalf("probe returned invalid media %+v: %v", md, verr)
		}
		if md.Width > assets.DefaultMaxSide || md.Height > assets.DefaultMaxSide {
			t.Fatalf("dimensions %dx%d over the limits", md.Width, md.Height)
		}
	})
}

// mvhdV1MP4 is an audio-only MP4 with a version 1 (64-bit) movie header of
// 90 minutes at a 90 kHz timescale.
func mvhdV1MP4() []byte {
	b := make([]byte, 112)
	b[0] = 1
	binary.BigEndian.PutUint32(b[20:], 90000)
	binary.BigEndian.PutUint64(b[24:], 90000*90*60)
	return append(ftyp("isom"), box("moov", box("mvhd", b), box("trak", tkhd(0, 0, false), box("mdia", hdlr("soun"))))...)
}
