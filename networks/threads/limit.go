package threads

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// The documented publishing limits of a Threads profile in a moving
// 24-hour window, used when threads_publishing_limit does not say
// (https://developers.facebook.com/docs/threads/overview#rate-limiting,
// https://developers.facebook.com/docs/threads/retrieve-and-manage-replies).
const (
	DefaultPostLimit  = 250  // API-published posts; a carousel counts as one
	DefaultReplyLimit = 1000 // API-published replies
)

// Limit is what threads_publishing_limit says of a profile: the posts and
// the replies it may still publish in the moving window. Both quotas are
// ScopeAccount; Reset is when the window's oldest entry leaves it (only
// computed for a full window, else now plus the window).
type Limit struct {
	Posts   networks.Quota
	Replies networks.Quota
	// PostWindow and ReplyWindow are the quotas' moving windows
	// (quota_duration; 24 hours).
	PostWindow, ReplyWindow time.Duration
}

// spent is the posts quota after one more post: when that fills the
// window, its Reset is when the window's oldest post leaves it, so the
// Publisher, which stops an account whose quota has nothing left until
// Reset, waits no longer than Threads does.
func (a *Adapter) spent(ctx context.Context, acct *networks.Account, uid string, l Limit, op string) networks.Quota {
	q := l.Posts
	q.Remaining = max(q.Remaining-1, 0)
	if q.Remaining == 0 {
		q.Reset = a.oldest(ctx, acct, uid, "threads", op, l.PostWindow)
	}
	return q
}

// LimitError is the cause of the *networks.RateLimitError Publish returns
// when the profile's posts (or replies) quota cannot take the draft.
type LimitError struct {
	Kind         string // "posts" or "replies"
	Usage, Total int
	Need         int // what the draft needs: 1 post, or its replies
	Window       time.Duration
}

// Error names the quota, the usage and the need.
func (e *LimitError) Error() string {
	return fmt.Sprintf("threads publishing limit: %d of %d %s used in %s, %d needed", e.Usage, e.Total, e.Kind, e.Window, e.Need)
}

type quotaJSON struct {
	Total    int `json:"quota_total"`
	Duration int `json:"quota_duration"`
}

// PublishingLimit reads the profile's quotas
// (GET /{threads-user-id}/threads_publishing_limit?fields=quota_usage,config,reply_quota_usage,reply_config,
// https://developers.facebook.com/docs/threads/overview#rate-limiting).
// A quota the answer leaves out takes the documented default.
func (a *Adapter) PublishingLimit(ctx context.Context, acct networks.Account) (Limit, error) {
	uid, err := a.user(acct)
	if err != nil {
		return Limit{}, err
	}
	l, _, err := a.readLimit(ctx, &acct, uid, networks.OpCheck)
	return l, err
}

// usage is the raw counts of a limit answer.
type usage struct {
	posts, postTotal, replies, replyTotal int
	postWindow, replyWindow               time.Duration
}

func (a *Adapter) readLimit(ctx context.Context, acct *networks.Account, uid, op string) (Limit, usage, error) {
	var out struct {
		Data []struct {
			Usage       int        `json:"quota_usage"`
			Config      *quotaJSON `json:"config"`
			ReplyUsage  int        `json:"reply_quota_usage"`
			ReplyConfig *quotaJSON `json:"reply_config"`
		} `json:"data"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + uid + "/threads_publishing_limit",
		Query: url.Values{"fields": {"quota_usage,config,reply_quota_usage,reply_config"}},
		Name:  "GET /{threads-user-id}/threads_publishing_limit", Account: acct, Op: op}, &out)
	if err != nil {
		return Limit{}, usage{}, err
	}
	u := usage{postTotal: DefaultPostLimit, replyTotal: DefaultReplyLimit, postWindow: 24 * time.Hour, replyWindow: 24 * time.Hour}
	if len(out.Data) > 0 {
		d := out.Data[0]
		u.posts, u.replies = max(d.Usage, 0), max(d.ReplyUsage, 0)
		u.postTotal, u.postWindow = quota(d.Config, u.postTotal)
		u.replyTotal, u.replyWindow = quota(d.ReplyConfig, u.replyTotal)
	}
	now := a.api.Now()
	return Limit{
		Posts:      networks.Quota{Scope: networks.ScopeAccount, Limit: u.postTotal, Remaining: max(u.postTotal-u.posts, 0), Reset: now.Add(u.postWindow)},
		Replies:    networks.Quota{Scope: networks.ScopeAccount, Limit: u.replyTotal, Remaining: max(u.replyTotal-u.replies, 0), Reset: now.Add(u.replyWindow)},
		PostWindow: u.postWindow, ReplyWindow: u.replyWindow,
	}, u, nil
}

func quota(q *quotaJSON, def int) (int, time.Duration) {
	window := 24 * time.Hour
	if q == nil || q.Total <= 0 {
		return def, window
	}
	if q.Duration > 0 {
		window = time.Duration(q.Duration) * time.Second
	}
	return q.Total, window
}

// limit reads the quotas and fails with a *networks.RateLimitError when
// the draft cannot fit: a root post with the posts quota used up, or more
// replies than the replies quota has left. The error's Reset is when the
// oldest post (reply) of the window leaves it, from the profile's recent
// posts (replies); an hour from now when they cannot be read.
func (a *Adapter) limit(ctx context.Context, acct *networks.Account, uid, op string, root bool, replies int) (Limit, error) {
	l, u, err := a.readLimit(ctx, acct, uid, op)
	if err != nil {
		return Limit{}, err
	}
	switch {
	case root && u.posts >= u.postTotal:
		l.Posts.Reset = a.oldest(ctx, acct, uid, "threads", op, u.postWindow)
		return l, &networks.RateLimitError{Network: Network, Op: op, Scope: networks.ScopeAccount, Reset: l.Posts.Reset,
			Err: &LimitError{Kind: "posts", Usage: u.posts, Total: u.postTotal, Need: 1, Window: u.postWindow}}
	case replies > 0 && u.replies+replies > u.replyTotal:
		l.Replies.Reset = a.oldest(ctx, acct, uid, "replies", op, u.replyWindow)
		return l, &networks.RateLimitError{Network: Network, Op: op, Scope: networks.ScopeAccount, Reset: l.Replies.Reset,
			Err: &LimitError{Kind: "replies", Usage: u.replies, Total: u.replyTotal, Need: replies, Window: u.replyWindow}}
	}
	return l, nil
}

// oldest returns when the oldest of the profile's recent posts (edge
// "threads") or replies (edge "replies") inside the window leaves it.
func (a *Adapter) oldest(ctx context.Context, acct *networks.Account, uid, edge, op string, window time.Duration) time.Time {
	now := a.api.Now()
	reset := now.Add(time.Hour)
	list, err := a.recent(ctx, acct, uid, edge, op)
	if err != nil {
		return reset
	}
	var first time.Time
	for _, p := range list {
		if t := p.time(); !t.IsZero() && now.Sub(t) < window && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if first.IsZero() {
		return reset
	}
	return first.Add(window)
}
