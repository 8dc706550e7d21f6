package networks_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/text"
)

func TestDefaultSpecsAreValid(t *testing.T) {
	specs := networks.DefaultSpecs()
	require.Len(t, specs, 10)
	seen := map[string]bool{}
	for _, s := range specs {
		t.Run(s.Network, func(t *testing.T) {
			require.NoError(t, s.Validate())
			assert.NotEmpty(t, s.Name)
			assert.NotEmpty(t, s.Sources, "every spec names its sources")
			assert.Positive(t, s.Text.MaxLength)
			assert.False(t, seen[s.Network], "network keys are unique")
			seen[s.Network] = true
		})
	}
}

func TestSpecValidate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edit  func(*networks.Spec)
		field string
	}{
		{name: "negative text limit", edit: func(s *networks.Spec) { s.Text.MaxLength = -1 }, field: "text.max_length"},
		{name: "negative media count", edit: func(s *networks.Spec) { s.Media.MaxItems = -4 }, field: "media.max_items"},
		{name: "negative rate", edit: func(s *networks.Spec) { s.Rate.PerAccount.Count = -1 }, field: "rate.per_account.count"},
		{name: "negative media size", edit: func(s *networks.Spec) {
			s.Media.Kinds[assets.KindImage] = networks.MediaLimit{MaxSize: -5}
		}, field: "media.kinds.image.max_size"},
		{name: "negative aspect", edit: func(s *networks.Spec) {
			s.Media.Kinds[assets.KindImage] = networks.MediaLimit{MinAspect: -1}
		}, field: "media.kinds.image.min_aspect"},
		{name: "non-media kind", edit: func(s *networks.Spec) {
			s.Media.Kinds[assets.KindCaption] = networks.MediaLimit{}
		}, field: "media.kinds"},
		{name: "unknown method", edit: func(s *networks.Spec) { s.Text.Method = "runes" }, field: "text.method"},
		{name: "no network", edit: func(s *networks.Spec) { s.Network = "" }, field: "network"},
		{name: "negative poll options", edit: func(s *networks.Spec) { s.Features.Polls.MaxOptions = -2 }, field: "features.polls.max_options"},
		{name: "min above max", edit: func(s *networks.Spec) { s.Media.MinItems = 5 }, field: "media.min_items"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := networks.XSpec()
			tt.edit(&s)
			err := s.Validate()
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var fe *networks.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
		})
	}
}

func TestSpecJSONRoundTrip(t *testing.T) {
	for _, s := range networks.DefaultSpecs() {
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var got networks.Spec
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, s, got, s.Network)
	}
}

func TestMastodonSpecFromInstance(t *testing.T) {
	var c networks.MastodonConfiguration
	require.NoError(t, json.Unmarshal([]byte(`{
		"statuses": {"max_characters": 5000, "max_media_attachments": 6, "characters_reserved_per_url": 23},
		"media_attachments": {"supported_mime_types": ["image/png", "video/mp4"], "description_limit": 3000,
			"image_size_limit": 1000, "video_size_limit": 2000},
		"polls": {"max_options": 8, "max_characters_per_option": 100, "min_expiration": 60, "max_expiration": 3600}
	}`), &c))
	s := networks.MastodonSpec(c)
	require.NoError(t, s.Validate())
	assert.Equal(t, 5000, s.Text.MaxLength)
	assert.Equal(t, text.Mastodon, s.Text.Method)
	assert.Equal(t, 6, s.Media.MaxItems)
	assert.Equal(t, 3000, s.Text.MaxAlt)
	assert.Equal(t, []string{"image/png"}, s.Media.Kinds[assets.KindImage].MIME)
	assert.Equal(t, int64(2000), s.Media.Kinds[assets.KindVideo].MaxSize)
	assert.Equal(t, 8, s.Features.Polls.MaxOptions)
	assert.Equal(t, time.Hour, s.Features.Polls.MaxDuration)

	def := networks.MastodonSpec(networks.MastodonConfiguration{})
	assert.Equal(t, 500, def.Text.MaxLength, "zero configuration keeps the defaults")
	assert.Equal(t, 4, def.Media.MaxItems)
}

func TestWindowLimitNeverAboveCountPerWindow(t *testing.T) {
	for _, w := range []networks.Window{{Count: 100, Per: 15 * time.Minute}, {Count: 1, Per: time.Second}, {Count: 10_000, Per: 24 * time.Hour}} {
		l := float64(w.Limit())
		assert.LessOrEqual(t, l*w.Per.Seconds(), float64(w.Count), w.String())
		assert.GreaterOrEqual(t, l*w.Per.Seconds(), 0.999*float64(w.Count), w.String())
	}
	assert.Equal(t, "unlimited", networks.Window{}.String())
}

func TestRegistry(t *testing.T) {
	r, err := networks.NewRegistry(networks.DefaultSpecs()...)
	require.NoError(t, err)
	assert.Equal(t, []string{"bluesky", "facebook", "instagram", "linkedin", "mastodon", "pinterest", "threads", "tiktok", "x", "youtube"}, r.Networks())

	x, err := r.Spec(networks.X)
	require.NoError(t, err)
	assert.Equal(t, 280, x.Text.MaxLength)
	x.Media.Kinds[assets.KindImage] = networks.MediaLimit{} // a copy: the registry is unchanged
	again, err := r.Spec(networks.X)
	require.NoError(t, err)
	assert.Equal(t, 4, again.Media.Kinds[assets.KindImage].MaxCount)

	_, err = r.Spec("myspace")
	require.ErrorIs(t, err, socialflow.ErrInvalid)

	bad := networks.XSpec()
	bad.Text.MaxLength = -280
	require.ErrorIs(t, r.SetSpec(bad), socialflow.ErrInvalid)
	_, err = networks.NewRegistry(bad)
	require.ErrorIs(t, err, socialflow.ErrInvalid)

	var zero networks.Registry // the zero value is usable
	require.NoError(t, zero.SetSpec(networks.BlueskySpec()))
	_, ok := zero.Adapter(networks.Bluesky)
	assert.False(t, ok)
}
