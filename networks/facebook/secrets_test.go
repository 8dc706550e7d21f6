package facebook_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
	"github.com/socialflow/socialflow/networks/networktest"
)

// TestDerivedPageTokenNeverShows: the suite checks the account's own
// token; the Page token the adapter derives must not show either, in any
// error or in the Publisher's debug log, whatever fails.
func TestDerivedPageTokenNeverShows(t *testing.T) {
	h := graphtest.NewFacebookHarness(t, graphtest.Options{}, facebook.WithAppSecret("app-secret-SECRET"))
	var buf bytes.Buffer
	p, err := networks.NewPublisher(h.Adapter(), networks.WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		networks.WithMaxAttempts(2), networks.WithBackOff(time.Millisecond, time.Millisecond), networks.WithRateLimits(networks.RateLimits{}))
	require.NoError(t, err)
	var errs []error
	for i, f := range []graphtest.Fault{
		{Path: "/feed", Status: 400, Code: 190, Subcode: 460, Message: "password changed"},
		{Path: "/feed", Status: 400, Code: 100, Message: "invalid"},
		{Path: "/feed", Status: 503, Code: 2, Message: "down"},
		{Path: "/feed", Lost: true},
		{Path: "/comments", Status: 400, Code: 368, Message: "blocked"},
		{ExpireToken: true},
	} {
		h.Server.Script(f)
		_, err := p.Publish(t.Context(), h.Account(), networks.Draft{Text: fmt.Sprint("secret test ", i), FirstComment: "c", Marker: fmt.Sprint("s", i)})
		errs = append(errs, err)
		_, err = h.Adapter().Metrics(t.Context(), h.Account(), "404_404")
		errs = append(errs, err)
	}
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("adapter", "adapter", h.Facebook())
	printed := fmt.Sprintf("%v %+v %#v %s", h.Facebook(), h.Facebook(), h.Facebook(), text.String())
	for _, s := range []string{graphtest.FacebookPageToken, networktest.Secret, "app-secret-SECRET"} {
		assert.NotContains(t, printed, s, "the adapter, printed with its cache of Page tokens")
		for _, err := range errs {
			if err != nil {
				assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), s)
			}
		}
		for _, line := range strings.Split(buf.String(), "\n") {
			assert.NotContains(t, line, s, "log line")
		}
	}
}

// TestLostAnswerIsResolvedByMarker: the Publisher sees the unknown
// outcome of a feed post whose answer was lost, finds the post by its
// marker and reports it published, without posting twice.
func TestLostAnswerIsResolvedByMarker(t *testing.T) {
	h := graphtest.NewFacebookHarness(t, graphtest.Options{})
	p, err := networks.NewPublisher(h.Adapter(), networks.WithBackOff(time.Millisecond, time.Millisecond), networks.WithRateLimits(networks.RateLimits{}))
	require.NoError(t, err)
	for _, f := range []graphtest.Fault{{Path: "/feed", Lost: true}, {Path: "/photos", Lost: true}} {
		h.Server.Script(f)
		d := networks.Draft{Text: "lost " + f.Path, Marker: "lost" + f.Path}
		if f.Path == "/photos" {
			d.Media = []networks.MediaItem{photo(1)}
		}
		r, err := p.Publish(t.Context(), h.Account(), d)
		require.NoError(t, err)
		assert.Equal(t, networks.StatusPublished, r.Status)
	}
	assert.Len(t, h.Server.PagePosts(graphtest.FacebookPage), 2, "each post once")
}
