package apikit_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

type thing struct{ steps []string }

type thingOption func(*thing) error

func TestApplyOptions(t *testing.T) {
	step := func(s string) thingOption { return func(v *thing) error { v.steps = append(v.steps, s); return nil } }
	boom := errors.New("boom")
	var v thing
	require.NoError(t, apikit.ApplyOptions(&v, []thingOption{step("a"), nil, step("b")}))
	assert.Equal(t, []string{"a", "b"}, v.steps, "in order, nil skipped")
	err := apikit.ApplyOptions(&v, []thingOption{func(*thing) error { return boom }, step("c")})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"a", "b"}, v.steps, "stops at the first error")
}

func TestBaseURLAndClock(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://api.example.com/v5/", "https://api.example.com/v5"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
	} {
		got, err := apikit.BaseURL("pinterest", tt.in)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
	for _, bad := range []string{"", "api.example.com", "ftp://x", "https://"} {
		_, err := apikit.BaseURL("pinterest", bad)
		var fe *networks.FieldError
		require.ErrorAs(t, err, &fe, "%q", bad)
		assert.Equal(t, "base_url", fe.Field)
		assert.Equal(t, "pinterest", fe.Network)
		assert.ErrorIs(t, err, socialflow.ErrInvalid)
	}
	assert.NoError(t, apikit.Clock("x", time.Now))
	err := apikit.Clock("x", nil)
	var fe *networks.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "clock", fe.Field)
}
