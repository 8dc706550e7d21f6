package facebook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// Insights metrics and the counters they fill. Meta removed
// post_impressions_unique (and the other post impressions metrics) on
// 2025-06-15, with post_total_media_view_unique as the documented
// alternative
// (https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics);
// post_media_view counts views of the post's media. Videos report
// total_video_views and total_video_impressions_unique
// (https://developers.facebook.com/docs/graph-api/reference/video/video_insights).
var (
	postMetrics = []insight{
		{"post_media_view", analytics.Impressions},
		{"post_total_media_view_unique", analytics.Reach},
		{"post_clicks", analytics.Clicks},
	}
	videoMetrics = []insight{
		{"total_video_views", analytics.VideoViews},
		{"total_video_impressions_unique", analytics.Reach},
	}
)

type insight struct {
	name string
	m    analytics.Metric
}

// counts is what the object itself says: reactions and comments with
// their summaries, and shares (a field Meta leaves out when nobody shared).
type countsJSON struct {
	ID        string `json:"id"`
	Reactions *struct {
		Summary *struct {
			Total *int64 `json:"total_count"`
		} `json:"summary"`
	} `json:"reactions"`
	Comments *struct {
		Summary *struct {
			Total *int64 `json:"total_count"`
		} `json:"summary"`
	} `json:"comments"`
	Shares *struct {
		Count *int64 `json:"count"`
	} `json:"shares"`
}

type insightsJSON struct {
	Data []struct {
		Name   string `json:"name"`
		Values []struct {
			Value any `json:"value"`
		} `json:"values"`
	} `json:"data"`
}

// Metrics returns the counters of a post ({page-id}_{post-id}) or a video:
// reactions (as Likes) and comments from their summaries and shares from
// the object (GET /{id}?fields=reactions.limit(0).summary(true),…,
// https://developers.facebook.com/docs/graph-api/reference/post), and the
// lifetime insights of [postMetrics] or [videoMetrics]
// (GET /{id}/insights, https://developers.facebook.com/docs/graph-api/reference/insights).
// A counter Meta does not give is absent: shares when nobody shared (Meta
// leaves the field out), every insight when Meta refuses the insights
// call (Pages with fewer than 100 likes, a metric it removed, a missing
// read_insights permission). A missing post is a *networks.NotFoundError.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return analytics.Snapshot{}, fmt.Errorf("%s: metrics: %w", Network, err)
	}
	if err := checkID(id); err != nil {
		return analytics.Snapshot{}, err
	}
	s, err := a.session(ctx, acct)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	fields := "id,reactions.limit(0).summary(true),comments.limit(0).summary(true)"
	metrics, edge := videoMetrics, "/video_insights"
	if strings.Contains(string(id), "_") {
		fields += ",shares"
		metrics, edge = postMetrics, "/insights"
	}
	var c countsJSON
	if _, err := a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodGet, Path: "/" + string(id), Query: url.Values{"fields": {fields}},
		Name: "GET /{post-id}?fields=reactions,comments,shares", Op: networks.OpMetrics, Target: id}, &c); err != nil {
		return analytics.Snapshot{}, err
	}
	snap := analytics.Snapshot{Target: string(id), At: a.api.Now()}
	if c.Reactions != nil && c.Reactions.Summary != nil {
		set(&snap, analytics.Likes, c.Reactions.Summary.Total)
	}
	if c.Comments != nil && c.Comments.Summary != nil {
		set(&snap, analytics.Comments, c.Comments.Summary.Total)
	}
	if c.Shares != nil {
		set(&snap, analytics.Shares, c.Shares.Count)
	}
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i] = m.name
	}
	var in insightsJSON
	_, err = a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodGet, Path: "/" + string(id) + edge,
		Query: url.Values{"metric": {strings.Join(names, ",")}, "period": {"lifetime"}}, Name: "GET /{post-id}" + edge,
		Op: networks.OpMetrics, Target: id}, &in)
	var rej *networks.RejectedError
	switch {
	case errors.As(err, &rej) && !errors.Is(err, socialflow.ErrNotFound):
		return snap, nil // Meta gives no insights for this post: they are absent
	case err != nil:
		return analytics.Snapshot{}, err
	}
	for _, d := range in.Data {
		for _, m := range metrics {
			if d.Name != m.name || len(d.Values) == 0 {
				continue
			}
			if v, ok := count(d.Values[len(d.Values)-1].Value); ok {
				snap.Counters.Set(m.m, v)
			}
		}
	}
	return snap, nil
}

// set records v as m unless it is absent or negative (not a count).
func set(s *analytics.Snapshot, m analytics.Metric, v *int64) {
	if v != nil && *v >= 0 {
		s.Counters.Set(m, *v)
	}
}

// count reads an insights value: a number, or an object of numbers (a
// breakdown by type) summed. Anything else is absent.
func count(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		if x < 0 || x > 1<<53 {
			return 0, false
		}
		return int64(x), true
	case map[string]any:
		var sum int64
		seen := false
		for _, e := range x {
			if n, ok := e.(float64); ok && n >= 0 && n <= 1<<53 {
				sum += int64(n)
				seen = true
			}
		}
		return sum, seen
	}
	return 0, false
}
