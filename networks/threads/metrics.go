package threads

import (
	"context"
	"net/http"
	"net/url"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// MetricNames are the media insights Metrics asks for
// (https://developers.facebook.com/docs/threads/insights).
const MetricNames = "views,likes,replies,reposts,quotes,shares"

// Metrics reads the post's insights (GET /{threads-media-id}/insights,
// https://developers.facebook.com/docs/threads/insights; the
// threads_manage_insights permission): views as Impressions, likes,
// replies as Comments, quotes, and reposts plus shares as Shares (the
// analytics meaning of Shares covers both). A metric Threads does not
// return is absent, never zero; Shares is absent only when both reposts
// and shares are. Threads' counts leave nested replies out.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	if err := checkID(id); err != nil {
		return analytics.Snapshot{}, err
	}
	var out insightsJSON
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + string(id) + "/insights",
		Query: url.Values{"metric": {MetricNames}}, Name: "GET /{threads-media-id}/insights",
		Account: &acct, Op: networks.OpMetrics, Target: id}, &out)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	snap := analytics.Snapshot{Target: string(id), At: a.api.Now()}
	out.counters(&snap.Counters)
	return snap, nil
}

// insightsJSON is the insights answer: {"data": [{"name", "period",
// "values": [{"value"}] | "total_value": {"value"}}]}.
type insightsJSON struct {
	Data []struct {
		Name   string `json:"name"`
		Values []struct {
			Value *int64 `json:"value"`
		} `json:"values"`
		TotalValue *struct {
			Value *int64 `json:"value"`
		} `json:"total_value"`
	} `json:"data"`
}

// counters sets what the answer reports; unknown names are ignored.
func (in insightsJSON) counters(c *analytics.Counters) {
	var shares *int64
	for _, d := range in.Data {
		var v *int64
		switch {
		case len(d.Values) > 0 && d.Values[0].Value != nil:
			v = d.Values[0].Value
		case d.TotalValue != nil && d.TotalValue.Value != nil:
			v = d.TotalValue.Value
		default:
			continue
		}
		switch d.Name {
		case "views":
			c.Set(analytics.Impressions, *v)
		case "likes":
			c.Set(analytics.Likes, *v)
		case "replies":
			c.Set(analytics.Comments, *v)
		case "quotes":
			c.Set(analytics.Quotes, *v)
		case "reposts", "shares":
			n := *v
			if shares != nil {
				n += *shares
			}
			shares = &n
		}
	}
	if shares != nil {
		c.Set(analytics.Shares, *shares)
	}
}
