package networks_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow/networks"
)

var now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{"Thu, 01 Jan 2026 00:00:30 GMT", 30 * time.Second, true},
		{"Wed, 21 Oct 2015 07:28:00 GMT", 0, true}, // in the past
		{"Thursday, 01-Jan-26 00:01:00 GMT", time.Minute, true},
		{"Thu Jan  1 00:00:05 2026", 5 * time.Second, true},
		{"99999999999999999999999", 7 * 24 * time.Hour, true},
		{"Sat, 01 Jan 2050 00:00:00 GMT", 7 * 24 * time.Hour, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"", 0, false},
		{"soon", 0, false},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := networks.ParseRetryAfter(tt.in, now)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseReset(t *testing.T) {
	got, ok := networks.ParseReset("1767225600")
	assert.True(t, ok)
	assert.True(t, got.Equal(now))
	got, ok = networks.ParseReset("2020-09-08T13:25:00.019685Z")
	assert.True(t, ok)
	assert.Equal(t, 2020, got.Year())
	_, ok = networks.ParseReset("tomorrow")
	assert.False(t, ok)
	_, ok = networks.ParseReset("")
	assert.False(t, ok)
}

// go test -fuzz=^FuzzParseRetryAfter$ -fuzztime=30s ./networks
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "", "999999999999999999999", "Sun, 06 Nov 1994 08:49:37 GMT", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := networks.ParseRetryAfter(s, now)
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false; want 0", s, d)
		}
		if d < 0 || d > 7*24*time.Hour {
			t.Fatalf("ParseRetryAfter(%q) = %v, want within [0, 7d]", s, d)
		}
	})
}

// go test -fuzz=^FuzzParseReset$ -fuzztime=30s ./networks
func FuzzParseReset(f *testing.F) {
	for _, s := range []string{"1767225600", "2020-09-08T13:25:00.019685Z", "", "x", "99999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := networks.ParseReset(s)
		if !ok && !got.IsZero() {
			t.Fatalf("ParseReset(%q) = %v, false; want zero time", s, got)
		}
	})
}
