package networks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/text"
)

func img(size int64, w, h int) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindImage, MIME: "image/jpeg", Size: size, Width: w, Height: h}}
}

func video(d time.Duration) networks.MediaItem {
	return networks.MediaItem{Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: 10 << 20, Width: 1280, Height: 720, Duration: d}}
}

// violations validates and returns the violations as "field/rule" keys.
func violations(t *testing.T, s networks.Spec, d networks.Draft) ([]string, []*networks.Violation) {
	t.Helper()
	err := networks.Validate(s, d)
	if err == nil {
		return nil, nil
	}
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	var ve *networks.ValidationError
	require.ErrorAs(t, err, &ve)
	var keys []string
	for _, v := range ve.Violations {
		assert.Equal(t, s.Network, v.Network)
		keys = append(keys, v.Field+"/"+v.Rule)
	}
	return keys, ve.Violations
}

func TestValidate(t *testing.T) {
	thread := networks.XSpec()
	for _, tt := range []struct {
		name string
		spec networks.Spec
		d    networks.Draft
		want []string
	}{
		{name: "fits", spec: networks.XSpec(), d: networks.Draft{Text: "hello", Media: []networks.MediaItem{img(1000, 800, 600)}}},
		{name: "x ascii 281", spec: networks.XSpec(), d: networks.Draft{Text: strings.Repeat("a", 281)}, want: []string{"text/max"}},
		{name: "x ascii 280 fits", spec: networks.XSpec(), d: networks.Draft{Text: strings.Repeat("a", 280)}},
		{name: "five images on mastodon", spec: networks.MastodonSpec(networks.MastodonConfiguration{}),
			d:    networks.Draft{Text: "hi", Media: []networks.MediaItem{img(1, 1, 1), img(1, 1, 1), img(1, 1, 1), img(1, 1, 1), img(1, 1, 1)}},
			want: []string{"media/max", "media.image.count/max"}},
		{name: "image too big for bluesky", spec: networks.BlueskySpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{img(2_000_001, 10, 10)}},
			want: []string{"media[0].size/max"}},
		{name: "mixing on x", spec: networks.XSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{img(1, 1, 1), video(time.Minute)}},
			want: []string{"media/mixing"}},
		{name: "video too long on x", spec: networks.XSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{video(21 * time.Minute)}},
			want: []string{"media[0].duration/max"}},
		{name: "instagram needs media", spec: networks.InstagramSpec(), d: networks.Draft{Text: "hi"}, want: []string{"media/min"}},
		{name: "instagram aspect", spec: networks.InstagramSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{img(1000, 400, 1000)}},
			want: []string{"media[0].aspect/min"}},
		{name: "unknown media kind", spec: networks.XSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{{Media: assets.Media{Kind: "audio", MIME: "audio/mpeg", Size: 10}}}},
			want: []string{"media[0].kind/kind"}},
		{name: "document on x", spec: networks.XSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{{Media: assets.Media{Kind: assets.KindDocument, MIME: "application/pdf", Size: 10}}}},
			want: []string{"media[0].kind/kind"}},
		{name: "bad mime", spec: networks.InstagramSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{{Media: assets.Media{Kind: assets.KindImage, MIME: "image/png", Size: 10}}}},
			want: []string{"media[0].mime/mime"}},
		{name: "inconsistent media", spec: networks.XSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{{Media: assets.Media{Kind: assets.KindImage, MIME: "image/png", Size: -1}}}},
			want: []string{"media[0]/invalid"}},
		{name: "thread unsupported", spec: networks.LinkedInSpec(), d: networks.Draft{Text: "hi", Thread: []string{"more"}}, want: []string{"thread/unsupported"}},
		{name: "thread item too long", spec: thread, d: networks.Draft{Text: "hi", Thread: []string{strings.Repeat("b", 300)}}, want: []string{"thread[0]/max"}},
		{name: "poll unsupported", spec: networks.LinkedInSpec(), d: networks.Draft{Text: "hi", Poll: &networks.Poll{Options: []string{"a", "b"}}}, want: []string{"poll/unsupported"}},
		{name: "poll limits", spec: networks.XSpec(), d: networks.Draft{Text: "hi", Poll: &networks.Poll{
			Options: []string{"a", "b", "c", "d", strings.Repeat("e", 26)}, Duration: time.Minute}},
			want: []string{"poll.options/max", "poll.options[4]/max", "poll.duration/min"}},
		{name: "alt text unsupported", spec: networks.InstagramSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{{Media: img(1000, 1000, 1000).Media, Alt: "a cat"}}},
			want: []string{"media[0].alt/unsupported"}},
		{name: "alt text too long", spec: networks.XSpec(), d: networks.Draft{Text: "hi", Media: []networks.MediaItem{{Media: img(1000, 1000, 1000).Media, Alt: strings.Repeat("a", 1001)}}},
			want: []string{"media[0].alt/max"}},
		{name: "title", spec: networks.YouTubeSpec(), d: networks.Draft{Title: strings.Repeat("t", 101), Text: "d", Media: []networks.MediaItem{video(time.Minute)}},
			want: []string{"title/max"}},
		{name: "title unsupported", spec: networks.XSpec(), d: networks.Draft{Title: "t", Text: "d"}, want: []string{"title/unsupported"}},
		{name: "bluesky bytes", spec: networks.BlueskySpec(), d: networks.Draft{Text: strings.Repeat("a", 3001)},
			want: []string{"text/max", "text/max"}},
		{name: "everything at once", spec: networks.XSpec(), d: networks.Draft{
			Text: strings.Repeat("a", 300), FirstComment: "c",
			Media: []networks.MediaItem{img(6<<20, 10, 10), img(1, 1, 1), img(1, 1, 1), img(1, 1, 1), img(1, 1, 1)}},
			want: []string{"text/max", "first_comment/unsupported", "media/max", "media[0].size/max", "media.image.count/max"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := violations(t, tt.spec, tt.d)
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestValidateTextOverflowOffset(t *testing.T) {
	_, vs := violations(t, networks.XSpec(), networks.Draft{Text: strings.Repeat("a", 290)})
	require.Len(t, vs, 1)
	v := vs[0]
	assert.Equal(t, networks.RuleMax, v.Rule)
	assert.Equal(t, int64(280), v.Limit)
	assert.Equal(t, int64(290), v.Value)
	assert.Equal(t, 280, v.Offset, "the 281st character starts at byte 280")
	var target *networks.Violation
	require.ErrorAs(t, networks.Validate(networks.XSpec(), networks.Draft{Text: strings.Repeat("a", 290)}), &target)
	assert.Equal(t, "text", target.Field)
}

func TestValidateBadText(t *testing.T) {
	for _, tt := range []struct {
		name   string
		text   string
		offset int
	}{
		{"invalid utf-8", "ok \xff bad", 3},
		{"BOM", "ok \ufeff", 3},
		{"U+FFFE", "\ufffe", 0},
		{"U+FFFF", "ab\uffff", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range networks.DefaultSpecs() {
				err := networks.Validate(s, networks.Draft{Text: tt.text})
				require.ErrorIs(t, err, socialflow.ErrInvalid, s.Network)
				var ite *text.InvalidTextError
				require.ErrorAs(t, err, &ite, s.Network)
				var v *networks.Violation
				require.ErrorAs(t, err, &v)
				assert.Equal(t, networks.RuleInvalidText, v.Rule)
				assert.Equal(t, "text", v.Field)
				assert.Equal(t, tt.offset, v.Offset)
			}
		})
	}
}

// These cases depend on entity extraction (networks/text.Extract): hashtag,
// mention and link caps.
func TestValidateEntityCaps(t *testing.T) {
	tags := strings.Repeat("#tag ", 30) + "#one_more"
	_, vs := violations(t, networks.InstagramSpec(), networks.Draft{Text: tags, Media: []networks.MediaItem{img(1000, 1000, 1000)}})
	require.Len(t, vs, 1)
	assert.Equal(t, "text.hashtags", vs[0].Field)
	assert.Equal(t, int64(30), vs[0].Limit)
	assert.Equal(t, int64(31), vs[0].Value)
	assert.Equal(t, strings.Index(tags, "#one_more"), vs[0].Offset, "the offset points at the first hashtag over the cap")

	links := "a https://a.example.com b https://b.example.com c https://c.example.com d https://d.example.com e https://e.example.com f https://f.example.com"
	_, vs = violations(t, networks.ThreadsSpec(), networks.Draft{Text: links})
	require.Len(t, vs, 1)
	assert.Equal(t, "text.links", vs[0].Field)
	assert.Equal(t, int64(6), vs[0].Value)
}

func TestViolationMessages(t *testing.T) {
	err := networks.Validate(networks.XSpec(), networks.Draft{Text: strings.Repeat("a", 281), Media: []networks.MediaItem{{Media: assets.Media{Kind: "audio"}}}})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "networks: x 2 violation(s)"), err.Error())
	var all []*networks.Violation
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var v *networks.Violation
		require.True(t, errors.As(e, &v))
		all = append(all, v)
	}
	assert.Len(t, all, 2)
}
