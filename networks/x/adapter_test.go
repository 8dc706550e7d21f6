package x_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/x"
	"github.com/socialflow/socialflow/networks/x/xtest"
)

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		name string
		f    apikittest.Fault
		kind error
	}{
		{"duplicate 403", apikittest.Fault{Status: 403, Code: "Forbidden", Message: "You are not allowed to create a Tweet with duplicate content."}, networks.ErrDuplicate},
		{"policy 403", apikittest.Fault{Status: 403, Code: "Forbidden", Message: "You are not permitted to perform this action."}, networks.ErrRejected},
		{"401", apikittest.Fault{Status: 401, Code: "Unauthorized", Message: "Unauthorized"}, networks.ErrAuthExpired},
		{"429", apikittest.Fault{Status: 429, Code: "Too Many Requests", Message: "Too Many Requests"}, networks.ErrRateLimited},
		{"402 credits", apikittest.Fault{Status: 402, Code: "Payment Required", Message: "credits depleted"}, networks.ErrRejected},
		{"400 too long", apikittest.Fault{Status: 400, Code: "Invalid Request", Message: "Your Tweet text is too long."}, networks.ErrRejected},
		{"HTML 502", apikittest.Fault{HTML: true}, networks.ErrTransient},
		{"504", apikittest.Fault{Status: 504, Code: "Gateway Timeout", Message: "Gateway Timeout"}, networks.ErrOutcomeUnknown},
		{"truncated 201", apikittest.Fault{Truncate: true}, networks.ErrOutcomeUnknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := xtest.NewHarness(t)
			h.Server.Script(c.f)
			_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "hello", Marker: "m-" + c.name})
			require.ErrorIs(t, err, c.kind)
			assert.NotContains(t, err.Error(), "tok-SECRET")
		})
	}
}

func TestPolicyRejectionCarriesReason(t *testing.T) {
	h := xtest.NewHarness(t)
	h.Server.Script(apikittest.Fault{Status: 403, Code: "Forbidden", Message: "Reply to this conversation is not allowed"})
	_, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "hi", Marker: "m"})
	var re *networks.RejectedError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, re.Reason, "not allowed")
	var xe *x.APIError
	require.ErrorAs(t, err, &xe)
	assert.Equal(t, 403, xe.Status)
}

func TestMarkerTagIsInvisibleAndCounted(t *testing.T) {
	tag := x.MarkerTag("sf-post-chan-v1-r1", 0)
	assert.Equal(t, x.TagWeight, len([]rune(tag)))
	assert.Equal(t, strings.Trim(tag, "\u200b\u200c"), "")
	assert.NotEqual(t, tag, x.MarkerTag("sf-post-chan-v1-r1", 1))
	assert.Equal(t, 280-x.TagWeight, mustSpec(t).Text.MaxLength)
}

func TestThreadResumesWithoutRepostingParts(t *testing.T) {
	h := xtest.NewHarness(t)
	d := networks.Draft{Text: "root", Thread: []string{"two", "three"}, Marker: "thread-1"}
	// The third part (request 5: users/me, timeline, root, two, three) fails.
	h.Server.Script(apikittest.Fault{}, apikittest.Fault{}, apikittest.Fault{}, apikittest.Fault{},
		apikittest.Fault{Status: 403, Code: "Forbidden", Message: "no"})
	r, err := h.Adapter().Publish(t.Context(), h.Account(), d)
	var te *x.ThreadError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 2, te.Failed)
	assert.Len(t, te.Published, 2)
	assert.Equal(t, te.Published[0], r.ID)
	require.Len(t, h.Server.Posts(), 2)

	r2, err := h.Adapter().Publish(t.Context(), h.Account(), d)
	require.NoError(t, err)
	assert.Equal(t, r.ID, r2.ID)
	posts := h.Server.Posts()
	require.Len(t, posts, 3, "the published parts are not posted again")
	assert.Equal(t, posts[1].ID, posts[2].InReplyTo)
	assert.Equal(t, posts[0].ID, posts[1].InReplyTo)
}

func TestDuplicateOfOwnMarkerIsPublished(t *testing.T) {
	h := xtest.NewHarness(t)
	d := networks.Draft{Text: "same", Marker: "dup-1"}
	r, err := h.Adapter().Publish(t.Context(), h.Account(), d)
	require.NoError(t, err)
	r2, err := h.Adapter().Publish(t.Context(), h.Account(), d)
	require.NoError(t, err, "X refuses the same text; the post with this marker is found")
	assert.Equal(t, r.ID, r2.ID)
	assert.Len(t, h.Server.Posts(), 1)
}

func TestMetricsPrivateAbsentWhenRefused(t *testing.T) {
	for _, public := range []bool{false, true} {
		h := xtest.NewHarness(t)
		if public {
			h.Server.PublicOnly()
		}
		r, err := h.Adapter().Publish(t.Context(), h.Account(), networks.Draft{Text: "m", Marker: "m"})
		require.NoError(t, err)
		snap, err := h.Adapter().Metrics(t.Context(), h.Account(), r.ID)
		require.NoError(t, err)
		assert.True(t, snap.Counters.Has(analytics.Likes))
		assert.Equal(t, !public, snap.Counters.Has(analytics.Clicks), "public only: %v", public)
	}
}

func TestMissingPostIsNotFound(t *testing.T) {
	h := xtest.NewHarness(t)
	_, err := h.Adapter().Metrics(t.Context(), h.Account(), "123")
	require.ErrorIs(t, err, networks.ErrNotFound)
	require.ErrorIs(t, h.Adapter().Delete(t.Context(), h.Account(), "123"), networks.ErrNotFound)
}

func mustSpec(t *testing.T) networks.Spec {
	a, err := x.New(nil)
	require.NoError(t, err)
	return a.Spec()
}
