package tiktok_test

import (
	"bytes"
	"context"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/tiktok"
	"github.com/socialflow/socialflow/networks/tiktok/tiktoktest"
)

// The media transfer guide's own example: 50,000,123 bytes in chunks of
// 10,000,000 are 5 chunks, the trailing 123 bytes in the last.
func TestPlanFollowsTheGuide(t *testing.T) {
	for _, tt := range []struct {
		size, chunk, wantChunk, wantCount int64
	}{
		{50_000_123, 10_000_000, 10_000_000, 5},
		{4 << 20, tiktok.MinChunkSize, 4 << 20, 1},                       // under 5 MB: whole
		{7 << 20, tiktok.MinChunkSize, 7 << 20, 1},                       // one chunk with the trailing bytes
		{100_000_000, 60_000_000, 50_000_000, 2},                         // over 64 MB: never one chunk
		{30 << 20, tiktok.MaxChunkSize, 30 << 20, 1},                     // fits one chunk
		{200 << 20, tiktok.MinChunkSize, tiktok.MinChunkSize, 40},        // the figure
		{4 << 30, tiktok.MinChunkSize, tiktok.MinChunkSize, 819},         // 4 GiB
		{6 << 30, tiktok.MinChunkSize, (6<<30 + 999) / 1000, 999},        // more than 1000: larger chunks
		{64_000_000_000, tiktok.MinChunkSize, tiktok.MaxChunkSize, 1000}, // the largest plan
	} {
		c, n, err := tiktok.Plan(tt.size, tt.chunk)
		require.NoError(t, err, tt.size)
		assert.Equal(t, [2]int64{tt.wantChunk, tt.wantCount}, [2]int64{c, n}, "size %d", tt.size)
	}
	for _, tt := range [][2]int64{{0, tiktok.MinChunkSize}, {-1, tiktok.MinChunkSize}, {64_100_000_000, tiktok.MaxChunkSize}, {10 << 20, 1 << 20}} {
		_, _, err := tiktok.Plan(tt[0], tt[1])
		require.ErrorIs(t, err, socialflow.ErrInvalid, tt)
	}
}

// Property: every plan meets each documented restriction and its chunks
// cover the file exactly once.
func TestPlanProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2026))
	for range 20000 {
		size := 1 + rng.Int64N(8<<30)
		chunk := tiktok.MinChunkSize + rng.Int64N(tiktok.MaxChunkSize-tiktok.MinChunkSize+1)
		c, n, err := tiktok.Plan(size, chunk)
		require.NoError(t, err)
		require.True(t, n >= 1 && n <= tiktok.MaxChunks, "1 to 1000 chunks: %d for %d", n, size)
		require.Equal(t, size/c, n, "total_chunk_count = video_size / chunk_size rounded down")
		final := size - (n-1)*c
		if n == 1 {
			require.Equal(t, size, c, "one chunk is the whole file")
			require.LessOrEqual(t, size, int64(tiktok.MaxChunkSize), "over 64 MB must be chunked")
			continue
		}
		require.True(t, c >= tiktok.MinChunkSize && c <= tiktok.MaxChunkSize, "chunks of 5 to 64 MB: %d", c)
		require.True(t, final >= c && final <= tiktok.MaxFinalChunk, "the final chunk takes the trailing bytes, up to 128 MB: %d", final)
		require.Equal(t, size, (n-1)*c+final)
	}
}

// bigVideo is a video of size bytes whose byte i is byte(i*7): a byte at a
// wrong offset changes the CRC.
func bigVideo(size int) (networks.MediaItem, uint32) {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	item := networks.MediaItem{
		Media: assets.Media{Kind: assets.KindVideo, MIME: "video/mp4", Size: int64(size), Width: 1080, Height: 1920, Duration: time.Minute},
		Open:  func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
	return item, crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli))
}

// A chunk whose answer is lost (or refused by a 5xx) is settled by the
// status's uploaded_bytes: TikTok holds it (go on) or not (send it again).
func TestUploadResumes(t *testing.T) {
	const size = 12 << 20 // two chunks: 5 MiB and 7 MiB
	for _, tt := range []struct {
		name     string
		put      apikittest.Fault
		received int64
	}{
		{"first chunk's answer lost after it arrived", apikittest.Fault{Lost: true}, size},
		{"first chunk refused by a 503", apikittest.Fault{Status: 503, Code: "internal_error"}, size},
		{"last chunk's answer lost", apikittest.Fault{}, size},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := tiktoktest.NewHarness(t)
			v, want := bigVideo(size)
			faults := []apikittest.Fault{{}, {}, tt.put}
			if tt.name == "last chunk's answer lost" {
				faults = append(faults, apikittest.Fault{Lost: true})
			}
			h.Server.Script(faults...)
			r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "resumed", Media: []networks.MediaItem{v}})
			require.NoError(t, err)
			posts := h.Server.Posts()
			require.Len(t, posts, 1)
			assert.Equal(t, want, posts[0].CRC32, "every byte once, in order")
			assert.Equal(t, int64(size), posts[0].Size)
			assert.Equal(t, tt.received, h.Server.Received(), "no byte TikTok held was sent again")
			assert.Equal(t, posts[0].ID, string(r.ID))
		})
	}
}

// A chunk that keeps failing: before the last chunk nothing can exist
// (transient); on the last chunk the post may exist (unknown).
func TestUploadGivesUp(t *testing.T) {
	busy := apikittest.Fault{Status: 503, Code: "internal_error"}
	t.Run("before the last chunk", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		v, _ := bigVideo(12 << 20)
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{}, busy, apikittest.Fault{}, busy, apikittest.Fault{}, busy, apikittest.Fault{}, busy)
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "x", Media: []networks.MediaItem{v}})
		var te *networks.TransientError
		require.ErrorAs(t, err, &te)
		assert.NotErrorIs(t, err, socialflow.ErrOutcomeUnknown)
		assert.Empty(t, h.Server.Posts())
		assert.Zero(t, h.TikTok().PostCap().Used(h.Account().ID, h.Now()), "no post, no cap")
	})
	t.Run("the last chunk and its status both lost", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{}, apikittest.Fault{Lost: true}, apikittest.Fault{Lost: true})
		d := h.Draft(1)
		d.Marker = "m-lost-last"
		_, err := h.Adapter().Publish(t.Context(), h.Account(), d)
		var ou *networks.OutcomeUnknownError
		require.ErrorAs(t, err, &ou)
		assert.Equal(t, "m-lost-last", ou.Marker)
		// The journal holds the publish_id: the Finder asks the status.
		got, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-lost-last")
		require.NoError(t, err)
		require.True(t, found)
		assert.Equal(t, h.Server.Posts()[0].ID, string(got.ID))
		assert.Equal(t, networks.StatusPublished, got.Status)
	})
	t.Run("a source shorter than its size", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		d := h.Draft(1)
		d.Media[0].Size = 8192 // the bytes are 4096
		_, err := h.Adapter().Publish(t.Context(), h.Account(), d)
		var te *networks.TransientError
		require.ErrorAs(t, err, &te)
		assert.Empty(t, h.Server.Posts())
	})
}

// Which lost answers are unknown outcomes, and how the Finder settles them.
func TestLostInits(t *testing.T) {
	t.Run("FILE_UPLOAD init: nothing can exist without the file", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
		_, err := h.Adapter().Publish(t.Context(), h.Account(), h.Draft(1))
		var te *networks.TransientError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 1, h.Server.Inits(), "TikTok opened the upload")
		assert.Empty(t, h.Server.Posts(), "but no post exists")
	})
	t.Run("PULL_FROM_URL init: found among the latest posts", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		v := video(time.Minute)
		v.Open, v.URL = nil, "https://cdn.example/v.mp4"
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
		d := networks.Draft{Text: "pulled once", Media: []networks.MediaItem{v}, Marker: "m-pull"}
		_, err := h.Adapter().Publish(t.Context(), h.Account(), d)
		require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
		// TikTok finishes the pull and moderation.
		require.Len(t, h.Server.Posts(), 1)
		h.Server.Advance(time.Minute)
		other := h.Draft(2)
		_, err = h.Adapter().Publish(t.Context(), h.Account(), other) // a newer post on the profile
		require.NoError(t, err)
		got, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-pull")
		require.NoError(t, err)
		require.True(t, found, "found by the caption's digest in video/list")
		assert.Equal(t, h.Server.Posts()[0].ID, string(got.ID))
		assert.Equal(t, "https://www.tiktok.com/@fakecreator/video/"+string(got.ID), got.URL)
		_, found, err = h.TikTok().FindByMarker(t.Context(), h.Account(), "m-never")
		require.NoError(t, err)
		assert.False(t, found)
	})
	t.Run("through the Publisher: posted once", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		p, err := networks.NewPublisher(h.Adapter(), networks.WithClock(h.Server), networks.WithBackOff(time.Millisecond, time.Millisecond))
		require.NoError(t, err)
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{}, apikittest.Fault{Lost: true}, apikittest.Fault{Lost: true})
		r, err := p.Publish(t.Context(), h.Account(), h.Draft(1))
		require.NoError(t, err)
		require.Len(t, h.Server.Posts(), 1, "the Finder found the post: not posted again")
		assert.Equal(t, h.Server.Posts()[0].ID, string(r.ID))
		assert.Equal(t, 1, h.Server.Inits())
	})
	t.Run("a FAILED publish is not found", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		h.Server.FailNext("internal")
		d := h.Draft(1)
		d.Marker = "m-failed"
		_, err := h.Adapter().Publish(t.Context(), h.Account(), d)
		require.NoError(t, err)
		_, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-failed")
		require.NoError(t, err)
		assert.False(t, found, "FAILED published nothing: a definite not-found")
	})
}

// A pulled post still processing is not listed yet: until the settle
// window has passed, a miss is "ask again", never "not found".
func TestFinderWaitsOutProcessing(t *testing.T) {
	h := tiktoktest.NewHarness(t, tiktok.WithSettleWindow(5*time.Minute))
	h.Server.SetProcessingTime(2 * time.Minute)
	v := video(time.Minute)
	v.Open, v.URL = nil, "https://cdn.example/v.mp4"
	h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "slow pull", Media: []networks.MediaItem{v}, Marker: "m-slow"})
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
	_, _, err = h.TikTok().FindByMarker(t.Context(), h.Account(), "m-slow")
	var te *networks.TransientError
	require.ErrorAs(t, err, &te, "processing: cannot tell yet")
	h.Server.Advance(2 * time.Minute)
	got, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-slow")
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, h.Server.Posts()[0].ID, string(got.ID))

}

// paths returns the paths of the requests the server logged since from.
func paths(h *tiktoktest.Harness, from int) []string {
	var out []string
	for _, r := range h.Server.Requests()[from:] {
		out = append(out, r.Path)
	}
	return out
}

// A photo post whose content/init answer was lost cannot be found (TikTok
// lists videos only, and status/fetch needs the lost publish_id): the
// Finder says "cannot tell" — an unknown outcome — never "not found", at
// any time, so nothing posts it twice.
func TestLostPhotoInitIsNeverNotFound(t *testing.T) {
	photos := func(marker string) networks.Draft {
		return networks.Draft{Title: "Lookbook", Text: "photos", Marker: marker,
			Media: []networks.MediaItem{photo("https://cdn.example/1.jpg"), photo("https://cdn.example/2.jpg")}}
	}
	for _, after := range []time.Duration{0, time.Minute, 11 * time.Minute, 30 * 24 * time.Hour} {
		t.Run("asked "+after.String()+" later", func(t *testing.T) {
			h := tiktoktest.NewHarness(t)
			h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
			_, err := h.Adapter().Publish(t.Context(), h.Account(), photos("m-photo"))
			require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
			require.Len(t, h.Server.Posts(), 1, "the lost answer came after the post was made")
			h.Server.Advance(after)
			from := len(h.Server.Requests())
			_, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-photo")
			var ou *networks.OutcomeUnknownError
			require.ErrorAs(t, err, &ou, "cannot tell, never not found")
			assert.False(t, found)
			assert.Equal(t, []string{tiktok.Network, networks.OpFind, h.Account().ID, "m-photo"}, []string{ou.Network, ou.Op, ou.AccountID, ou.Marker})
			assert.Contains(t, err.Error(), "photo post")
			assert.NotErrorIs(t, err, socialflow.ErrNotFound)
			assert.Empty(t, paths(h, from), "no endpoint can find it: nothing is asked")
		})
	}
	t.Run("through the Publisher: the outcome stays unknown, posted once", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		p, err := networks.NewPublisher(h.Adapter(), networks.WithClock(h.Server), networks.WithBackOff(time.Millisecond, time.Millisecond))
		require.NoError(t, err)
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
		_, err = p.Publish(t.Context(), h.Account(), photos("m-photo"))
		var ou *networks.OutcomeUnknownError
		require.ErrorAs(t, err, &ou)
		assert.Equal(t, networks.OpPublish, ou.Op)
		assert.Equal(t, 1, h.Server.Inits(), "not sent again")
		assert.Len(t, h.Server.Posts(), 1)
		_, _, err = p.Find(t.Context(), h.Account(), "m-photo")
		require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown, "a host's own lookup cannot tell either")
		assert.Equal(t, 1, h.Server.Inits())
	})
	t.Run("a photo post whose answer arrived is found by its publish_id", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		r, err := h.Adapter().Publish(t.Context(), h.Account(), photos("m-ok"))
		require.NoError(t, err)
		got, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-ok")
		require.NoError(t, err)
		require.True(t, found)
		assert.Equal(t, r.ID, got.ID)
	})
	t.Run("a pulled video is still searched and found", func(t *testing.T) {
		h := tiktoktest.NewHarness(t)
		v := video(time.Minute)
		v.Open, v.URL = nil, "https://cdn.example/v.mp4"
		h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
		_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "pulled", Media: []networks.MediaItem{v}, Marker: "m-pull"})
		require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
		h.Server.Advance(11 * time.Minute)
		_, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-pull")
		require.NoError(t, err)
		assert.True(t, found)
	})
}

// An entry noted before Entry.MediaType existed may be a photo post unless
// it has an uploaded file: searched in video/list, and a miss after the
// settle window is "cannot tell", not "not found".
func TestFinderEntryWithoutMediaType(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		entry tiktok.Entry
		kind  error // nil: a definite not found
	}{
		{"no media type, no file: maybe a photo post", tiktok.Entry{Digest: tiktok.Digest("x"), At: at}, socialflow.ErrOutcomeUnknown},
		{"no media type, an uploaded file: a video", tiktok.Entry{Digest: tiktok.Digest("x"), At: at, Size: 4096}, nil},
		{"a pulled video", tiktok.Entry{Digest: tiktok.Digest("x"), At: at, MediaType: tiktok.MediaTypeVideo}, nil},
		{"a photo post", tiktok.Entry{Digest: tiktok.Digest("x"), At: at, MediaType: tiktok.MediaTypePhoto}, socialflow.ErrOutcomeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &tiktok.MemJournal{}
			require.NoError(t, j.Put(t.Context(), "m-old", tt.entry))
			h := tiktoktest.NewHarness(t, tiktok.WithJournal(j), tiktok.WithSettleWindow(0))
			_, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-old")
			assert.False(t, found)
			if tt.kind == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.kind)
		})
	}
}

// An upload the adapter gave up on holds fewer bytes than the file: no
// post can come of it, so the Finder says so instead of "pending".
func TestFinderKnowsAnUploadStoppedShort(t *testing.T) {
	h := tiktoktest.NewHarness(t)
	v, _ := bigVideo(12 << 20)
	busy := apikittest.Fault{Status: 503, Code: "internal_error"}
	// The last chunk is refused before its effect, then the status read is lost.
	h.Server.Script(apikittest.Fault{}, apikittest.Fault{}, apikittest.Fault{}, busy, apikittest.Fault{Lost: true})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "short", Media: []networks.MediaItem{v}, Marker: "m-short"})
	require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
	_, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-short")
	require.NoError(t, err)
	assert.False(t, found)
	assert.Empty(t, h.Server.Posts())
}

// video/list lists public videos only: a pulled video sent with another
// privacy level whose init answer was lost cannot be found either, so the
// Finder says "cannot tell", never "not found".
func TestLostPrivatePullIsNeverNotFound(t *testing.T) {
	tests := []struct {
		privacy string
		unknown bool
	}{
		{tiktok.SelfOnly, true},
		{tiktok.FollowerOfCreator, true},
		{tiktok.MutualFollowFriends, true},
		{tiktok.PublicToEveryone, false},
	}
	for _, tt := range tests {
		t.Run(tt.privacy, func(t *testing.T) {
			h := tiktoktest.NewHarness(t)
			h.Server.SetCreator(tiktoktest.Creator{Username: "fakecreator", PrivacyOptions: []string{tt.privacy}, MaxVideoDurationSec: 600})
			v := video(time.Minute)
			v.Open, v.URL = nil, "https://cdn.example/v.mp4"
			h.Server.Script(apikittest.Fault{}, apikittest.Fault{Lost: true})
			_, err := h.TikTok().PublishWith(t.Context(), h.Account(), networks.Draft{Text: "pulled", Media: []networks.MediaItem{v}, Marker: "m-pull"},
				tiktok.Settings{Privacy: tt.privacy})
			require.ErrorIs(t, err, socialflow.ErrOutcomeUnknown)
			require.Len(t, h.Server.Posts(), 1)
			h.Server.Advance(11 * time.Minute)
			_, found, err := h.TikTok().FindByMarker(t.Context(), h.Account(), "m-pull")
			if found {
				// The fake, like TikTok may, lists followers' posts.
				require.NoError(t, err)
				assert.NotEqual(t, tiktok.SelfOnly, tt.privacy, "the fake never lists a private post")
				return
			}
			require.True(t, tt.unknown, "a public video is listed: %v", err)
			var ou *networks.OutcomeUnknownError
			require.ErrorAs(t, err, &ou, "cannot tell, never not found")
			assert.False(t, found)
			assert.Contains(t, err.Error(), tt.privacy)
		})
	}
}
