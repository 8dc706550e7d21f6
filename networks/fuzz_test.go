package networks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
)

// go test -fuzz=^FuzzValidate$ -fuzztime=30s ./networks
func FuzzValidate(f *testing.F) {
	f.Add("hello #world @you https://example.com $AAPL", "image", "image/jpeg", int64(1000), 800, 600, int64(0))
	f.Add(strings.Repeat("日本", 200), "video", "video/mp4", int64(1<<30), 1920, 1080, int64(time.Hour))
	f.Add("\xff\xfe bad", "audio", "", int64(-1), -1, 0, int64(-5))
	f.Add("👩‍👩‍👧‍👦\ufeff", "gif", "image/gif", int64(1), 0, 0, int64(0))
	f.Add("", "", "", int64(0), 0, 0, int64(0))
	specs := networks.DefaultSpecs()
	f.Fuzz(func(t *testing.T, text, kind, mime string, size int64, w, h int, dur int64) {
		d := networks.Draft{
			Text:   text,
			Thread: []string{text},
			Media:  []networks.MediaItem{{Media: assets.Media{Kind: assets.Kind(kind), MIME: mime, Size: size, Width: w, Height: h, Duration: time.Duration(dur)}, Alt: text}},
		}
		for _, s := range specs {
			err := networks.Validate(s, d)
			if err == nil {
				continue
			}
			if !errors.Is(err, socialflow.ErrInvalid) {
				t.Fatalf("%s: %v does not match ErrInvalid", s.Network, err)
			}
			var ve *networks.ValidationError
			if !errors.As(err, &ve) || len(ve.Violations) == 0 {
				t.Fatalf("%s: %v is not a non-empty *ValidationError", s.Network, err)
			}
			for _, v := range ve.Violations {
				if v.Network != s.Network || v.Field == "" || v.Rule == "" {
					t.Fatalf("%s: incomplete violation %+v", s.Network, v)
				}
				if v.Offset < -1 || v.Offset > len(text) {
					t.Fatalf("%s: offset %d outside the text (%d bytes)", s.Network, v.Offset, len(text))
				}
				if v.Rule == networks.RuleMax && v.Value <= v.Limit {
					t.Fatalf("%s: max violation with value %d <= limit %d", s.Network, v.Value, v.Limit)
				}
			}
		}
	})
}
