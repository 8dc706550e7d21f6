package tiktok

import (
	"strconv"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// DefaultDailyPosts is the default daily post cap per creator. TikTok
// documents that a creator can only make a limited number of posts a day
// through the API, shared by every app (error spam_risk_too_many_posts,
// https://developers.tiktok.com/doc/content-posting-api-reference-direct-post#error_codes),
// without giving the number; third-party guides report about 15. Configure
// it with [NewPostCap] and [WithPostCap].
const DefaultDailyPosts = 15

// PostCap tracks the posts of each creator in the last 24 hours and
// refuses one more than the cap before anything is sent, so the
// Publisher waits instead of spending a request TikTok refuses. When
// TikTok answers spam_risk_too_many_posts the creator is full for 24
// hours. A PostCap counts what one process sent: share one between
// adapters of a process with [WithPostCap]; posts made elsewhere (the
// TikTok app, other replicas) are learnt from TikTok's answer. It is safe
// for concurrent use.
type PostCap struct {
	max int

	mu    sync.Mutex
	posts map[string][]time.Time // account → times of posts in the window
	full  map[string]time.Time   // account → full until
}

// NewPostCap returns a tracker allowing max posts per creator per 24
// hours; 0 means no local cap (TikTok's answer still counts).
func NewPostCap(max int) (*PostCap, error) {
	if max < 0 {
		return nil, &networks.FieldError{Network: Network, Field: "post_cap", Value: strconv.Itoa(max), Reason: "must not be negative"}
	}
	return &PostCap{max: max, posts: map[string][]time.Time{}, full: map[string]time.Time{}}, nil
}

// Used returns how many posts of account are in the 24 hours before now.
func (c *PostCap) Used(account string, now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.prune(account, now))
}

func (c *PostCap) prune(account string, now time.Time) []time.Time {
	ts := c.posts[account]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-dayWindow)) {
		i++
	}
	ts = ts[i:]
	c.posts[account] = ts
	return ts
}

// take charges one post of account at now, or returns the
// *networks.RateLimitError of a full cap with the time a post frees up.
// release undoes the charge (a publish that did not happen).
func (c *PostCap) take(account string, now time.Time) (release func(), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if until, ok := c.full[account]; ok {
		if now.Before(until) {
			return nil, &networks.RateLimitError{Network: Network, Op: networks.OpPublish, Scope: networks.ScopeAccount, Reset: until,
				Err: &CodeError{Name: "daily post cap", Code: "spam_risk_too_many_posts", Message: "TikTok said the creator's daily cap is reached"}}
		}
		delete(c.full, account)
	}
	ts := c.prune(account, now)
	if c.max > 0 && len(ts) >= c.max {
		return nil, &networks.RateLimitError{Network: Network, Op: networks.OpPublish, Scope: networks.ScopeAccount, Reset: ts[0].Add(dayWindow),
			Err: &CodeError{Name: "daily post cap", Code: "post_cap", Message: strconv.Itoa(c.max) + " posts in 24 hours"}}
	}
	c.posts[account] = append(ts, now)
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		ts := c.posts[account]
		for i := len(ts) - 1; i >= 0; i-- {
			if ts[i].Equal(now) {
				c.posts[account] = append(ts[:i:i], ts[i+1:]...)
				return
			}
		}
	}, nil
}

// fill marks account full for 24 hours from now.
func (c *PostCap) fill(account string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.full[account] = now.Add(dayWindow)
}
