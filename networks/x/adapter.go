package x

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Network is the adapter's network key, [networks.X].
const Network = networks.X

// DefaultBaseURL is X API v2's base URL (https://docs.x.com/x-api/introduction).
const DefaultBaseURL = "https://api.x.com"

// FindDepth is how many of the account's most recent posts a marker
// lookup reads: one page of GET /2/users/:id/tweets (max_results is at
// most 100, https://docs.x.com/x-api/users/get-posts).
const FindDepth = 100

// DefaultProcessingTimeout bounds the wait for X to process an uploaded
// video or GIF unless [WithProcessingTimeout] says otherwise.
const DefaultProcessingTimeout = 10 * time.Minute

// Adapter publishes to X through API v2 with an OAuth 2.0 user access
// token (see [OAuthConfig]) in [networks.Account].Tokens. It implements
// [networks.Adapter] and [networks.Finder]. Create it with [New]; the zero
// value is not usable. It is safe for concurrent use; its only state is a
// cache of each account's X user ID (GET /2/users/me).
type Adapter struct {
	api         *apikit.Client
	base        string
	now         func() time.Time
	wait        func(ctx context.Context, d time.Duration) error
	procTimeout time.Duration
	users       sync.Map // account ID → X user ID
}

// Option configures an Adapter. An invalid value makes [New] fail with a
// *networks.FieldError (socialflow.ErrInvalid).
type Option func(*Adapter) error

// WithBaseURL sends the requests to base instead of [DefaultBaseURL] (a
// fake, a proxy).
func WithBaseURL(base string) Option {
	return func(a *Adapter) error {
		b, err := apikit.BaseURL(Network, base)
		if err != nil {
			return err
		}
		a.base = b
		return nil
	}
}

// WithClock sets the clock for receipts, snapshots and rate-limit resets.
// Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if err := apikit.Clock(Network, now); err != nil {
			return err
		}
		a.now = now
		return nil
	}
}

// WithWait sets how the adapter waits between media processing checks
// (check_after_secs). Default: a timer, ended early by ctx.
func WithWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(a *Adapter) error {
		if wait == nil {
			return &networks.FieldError{Network: Network, Field: "wait", Reason: "required"}
		}
		a.wait = wait
		return nil
	}
}

// WithProcessingTimeout bounds the total wait for media processing.
// Default: [DefaultProcessingTimeout].
func WithProcessingTimeout(d time.Duration) Option {
	return func(a *Adapter) error {
		if d <= 0 {
			return &networks.FieldError{Network: Network, Field: "processing_timeout", Value: d.String(), Reason: "must be positive"}
		}
		a.procTimeout = d
		return nil
	}
}

// New returns an Adapter that sends its requests through hc. A nil hc
// means http.DefaultClient; hc is never modified.
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{base: DefaultBaseURL, now: time.Now, wait: apikit.Sleep, procTimeout: DefaultProcessingTimeout}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	a.api = &apikit.Client{Network: Network, HTTP: hc, Now: a.now, Quotas: apikit.XAPIHeaders, Classify: classify}
	return a, nil
}

// Spec returns [networks.XSpec] with MaxLength lowered by [TagWeight], the
// weighted length of the invisible marker tag every part carries (see
// [MarkerTag]). It returns an equal, freshly allocated value on every call.
func (a *Adapter) Spec() networks.Spec {
	s := networks.XSpec()
	s.Text.MaxLength -= TagWeight
	return s
}

// PostOptions are the X-only settings of a post that a [networks.Draft]
// does not carry (https://docs.x.com/x-api/posts/create-post).
type PostOptions struct {
	// ReplySettings limits who may reply: "following", "mentionedUsers",
	// "subscribers" or "verified"; empty lets everyone reply. Applied to
	// every part of a thread.
	ReplySettings string
	// QuoteTweetID quotes a post (the root only). X allows it to
	// Enterprise customers only since 2026-04-20; others get a 403.
	QuoteTweetID string
	// InReplyTo makes the root a reply to another post. On self-serve
	// plans X accepts it only when that post's author mentioned or quoted
	// the account.
	InReplyTo string
}

var postID = regexp.MustCompile(`^[0-9]{1,19}$`)

var replySettings = map[string]bool{"": true, "following": true, "mentionedUsers": true, "subscribers": true, "verified": true}

func (o PostOptions) validate() error {
	switch {
	case !replySettings[o.ReplySettings]:
		return &networks.FieldError{Network: Network, Field: "reply_settings", Value: o.ReplySettings,
			Reason: "must be following, mentionedUsers, subscribers or verified"}
	case o.QuoteTweetID != "" && !postID.MatchString(o.QuoteTweetID):
		return &networks.FieldError{Network: Network, Field: "quote_tweet_id", Value: o.QuoteTweetID, Reason: "not a post ID (1 to 19 digits)"}
	case o.InReplyTo != "" && !postID.MatchString(o.InReplyTo):
		return &networks.FieldError{Network: Network, Field: "reply.in_reply_to_tweet_id", Value: o.InReplyTo, Reason: "not a post ID (1 to 19 digits)"}
	}
	return nil
}

// tweetBody is the body of POST /2/tweets (additionalProperties false:
// every field must be one X knows).
type tweetBody struct {
	Text          string     `json:"text"`
	Media         *mediaJSON `json:"media,omitempty"`
	Poll          *pollJSON  `json:"poll,omitempty"`
	Reply         *replyJSON `json:"reply,omitempty"`
	QuoteTweetID  string     `json:"quote_tweet_id,omitempty"`
	ReplySettings string     `json:"reply_settings,omitempty"`
}

type mediaJSON struct {
	MediaIDs []string `json:"media_ids"`
}

type pollJSON struct {
	Options         []string `json:"options"`
	DurationMinutes int      `json:"duration_minutes"`
}

type replyJSON struct {
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
}

// Publish is [Adapter.PublishWith] with no [PostOptions].
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.PublishWith(ctx, acct, d, PostOptions{})
}

// PublishWith posts d through POST /2/tweets
// (https://docs.x.com/x-api/posts/create-post): the text with its marker
// tag ([MarkerTag]), the media uploaded first through the chunked upload
// (see [Adapter.Upload]), the poll, and each d.Thread entry as a reply
// (reply.in_reply_to_tweet_id) to the part before.
//
// Nothing is sent unless d passes [networks.Validate] against Spec and o
// is valid. X has no idempotency key, so every part carries the tag of
// (d.Marker, its index), and:
//
//   - a 403 duplicate-content answer or a 500, 502 or 503 is followed by a
//     look-up of the part's tag among the account's recent posts: a post
//     found is taken as published (it is this publish, landed earlier or
//     despite the error); absent, a duplicate stays a
//     *networks.DuplicateError and a 5xx is a *networks.TransientError (X
//     answered before writing). A lost answer, a 504 or a failed look-up
//     stay an *networks.OutcomeUnknownError, resolved by [Adapter.FindByMarker].
//   - a thread first reads the account's recent posts once and skips the
//     parts whose tags are there, so publishing a thread that failed midway
//     again with the same marker continues after its published parts. A
//     thread that fails after its root returns the root's receipt and a
//     *[ThreadError] listing the published parts.
func (a *Adapter) PublishWith(ctx context.Context, acct networks.Account, d networks.Draft, o PostOptions) (networks.Receipt, error) {
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	if err := o.validate(); err != nil {
		return networks.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, fmt.Errorf("x: publish: %w", err)
	}
	marker := apikit.Marker(d)
	texts := append([]string{d.Text}, d.Thread...)
	ids := make([]string, len(texts))
	if len(texts) > 1 {
		recent, err := a.recent(ctx, acct, networks.OpPublish)
		if err != nil {
			return networks.Receipt{}, err
		}
		for i := range texts {
			ids[i] = findTag(recent, MarkerTag(marker, i)).ID
		}
	}
	var mediaIDs []string
	if ids[0] == "" {
		for _, m := range d.Media {
			id, err := a.Upload(ctx, acct, m)
			if err != nil {
				return networks.Receipt{}, err
			}
			mediaIDs = append(mediaIDs, id)
		}
	}
	var quotas []networks.Quota
	for i, t := range texts {
		if ids[i] != "" {
			continue
		}
		body := tweetBody{Text: t + MarkerTag(marker, i), ReplySettings: o.ReplySettings}
		if i == 0 {
			if len(mediaIDs) > 0 {
				body.Media = &mediaJSON{MediaIDs: mediaIDs}
			}
			if d.Poll != nil {
				body.Poll = &pollJSON{Options: d.Poll.Options, DurationMinutes: int(d.Poll.Duration / time.Minute)}
			}
			body.QuoteTweetID = o.QuoteTweetID
			if o.InReplyTo != "" {
				body.Reply = &replyJSON{InReplyToTweetID: o.InReplyTo}
			}
		} else {
			body.Reply = &replyJSON{InReplyToTweetID: ids[i-1]}
		}
		id, q, err := a.createPart(ctx, acct, marker, i, body)
		if q != nil {
			quotas = q
		}
		if err != nil {
			if i == 0 {
				return networks.Receipt{}, err
			}
			return a.receipt(acct, marker, ids[0], a.now(), quotas), &ThreadError{Published: remoteIDs(ids[:i]), Failed: i, Err: err}
		}
		ids[i] = id
	}
	return a.receipt(acct, marker, ids[0], a.now(), quotas), nil
}

func remoteIDs(ids []string) []networks.RemoteID {
	out := make([]networks.RemoteID, len(ids))
	for i, id := range ids {
		out[i] = networks.RemoteID(id)
	}
	return out
}

// createPart sends part i and resolves the answers that leave its fate
// open (see PublishWith).
func (a *Adapter) createPart(ctx context.Context, acct networks.Account, marker string, i int, body tweetBody) (string, []networks.Quota, error) {
	var out struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	res, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodPost, URL: a.base + "/2/tweets", Name: "POST /2/tweets", JSON: body,
		Account: &acct, Write: true, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
	}, &out)
	if err == nil {
		if !postID.MatchString(out.Data.ID) {
			return "", res.Quotas, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
				Err: errors.New("POST /2/tweets: answer without a post ID")}
		}
		return out.Data.ID, res.Quotas, nil
	}
	dup := errors.Is(err, networks.ErrDuplicate)
	st := status(err)
	server := st == http.StatusInternalServerError || st == http.StatusBadGateway || st == http.StatusServiceUnavailable
	if !dup && !server {
		return "", res.Quotas, err
	}
	recent, lerr := a.recent(ctx, acct, networks.OpPublish)
	if lerr != nil {
		return "", res.Quotas, err
	}
	if t := findTag(recent, MarkerTag(marker, i)); t.ID != "" {
		return t.ID, res.Quotas, nil
	}
	if dup {
		return "", res.Quotas, err
	}
	cause := err
	var ou *networks.OutcomeUnknownError
	if errors.As(err, &ou) && ou.Err != nil {
		cause = ou.Err
	}
	return "", res.Quotas, &networks.TransientError{Network: Network, Op: networks.OpPublish, Status: st, Err: cause}
}

// status returns the HTTP status of an answer err carries, 0 without one.
func status(err error) int {
	var xe *APIError
	if errors.As(err, &xe) {
		return xe.Status
	}
	var se *apikit.StatusError
	if errors.As(err, &se) {
		return se.Status
	}
	return 0
}

// receipt describes a published root post.
func (a *Adapter) receipt(acct networks.Account, marker, id string, at time.Time, quotas []networks.Quota) networks.Receipt {
	return networks.Receipt{
		Network: Network, AccountID: acct.ID, ID: networks.RemoteID(id), URL: PostURL(acct.Handle, id),
		Status: networks.StatusPublished, Marker: marker, At: at, Quotas: quotas,
	}
}

// PostURL returns the link of post id: https://x.com/<handle>/status/<id>,
// or https://x.com/i/web/status/<id> without a handle.
func PostURL(handle, id string) string {
	handle = strings.TrimPrefix(handle, "@")
	if handle == "" || strings.ContainsAny(handle, "/?#") {
		handle = "i/web"
	}
	return "https://x.com/" + handle + "/status/" + url.PathEscape(id)
}

// Check returns a published receipt unchanged: X publishes synchronously,
// so Publish never returns a pending one. Any other receipt is a
// *networks.FieldError.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status == networks.StatusPublished && r.ID != "" {
		return r, nil
	}
	return r, &networks.FieldError{Network: Network, Field: "receipt.status", Value: string(r.Status), Reason: "X receipts are published when Publish returns"}
}

// notFound is the error for a post that cannot exist or does not.
func notFound(op string, id networks.RemoteID, cause error) error {
	return &networks.NotFoundError{Network: Network, Op: op, ID: id, Err: cause}
}

// Delete removes a post through DELETE /2/tweets/:id
// (https://docs.x.com/x-api/posts/delete-post). An ID that is not 1 to 19
// digits cannot name an X post: a *networks.NotFoundError without a
// request. X does not document the answer for a post already deleted; a
// 404 (resource-not-found) or {"deleted": false} is a
// *networks.NotFoundError.
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("x: delete: %w", err)
	}
	if !postID.MatchString(string(id)) {
		return notFound(networks.OpDelete, id, errors.New("not an X post ID"))
	}
	var out struct {
		Data struct {
			Deleted bool `json:"deleted"`
		} `json:"data"`
	}
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodDelete, URL: a.base + "/2/tweets/" + string(id), Name: "DELETE /2/tweets/:id",
		Account: &acct, Write: true, Op: networks.OpDelete, AccountID: acct.ID, Target: id,
	}, &out)
	if err != nil {
		return err
	}
	if !out.Data.Deleted {
		return notFound(networks.OpDelete, id, errors.New(`the answer says "deleted": false`))
	}
	return nil
}

// tweet is a post as the lookups return it.
type tweet struct {
	ID        string         `json:"id"`
	Text      string         `json:"text"`
	CreatedAt time.Time      `json:"created_at"`
	Public    *publicMetrics `json:"public_metrics"`
	NonPublic *privateMetric `json:"non_public_metrics"`
	Organic   *privateMetric `json:"organic_metrics"`
}

// publicMetrics is public_metrics; every counter is optional, and the
// repost count has two names (retweet_count, and repost_count since spec
// 2.167).
type publicMetrics struct {
	Impressions *int64 `json:"impression_count"`
	Likes       *int64 `json:"like_count"`
	Replies     *int64 `json:"reply_count"`
	Retweets    *int64 `json:"retweet_count"`
	Reposts     *int64 `json:"repost_count"`
	Quotes      *int64 `json:"quote_count"`
	Bookmarks   *int64 `json:"bookmark_count"`
}

// privateMetric is non_public_metrics / organic_metrics.
type privateMetric struct {
	Impressions *int64 `json:"impression_count"`
	LinkClicks  *int64 `json:"url_link_clicks"`
}

// lookupAnswer is the answer of a lookup: data and the partial errors.
type lookupAnswer[T any] struct {
	Data   T            `json:"data"`
	Errors []problemRef `json:"errors"`
}

// problemRef is one partial error of a 200 answer.
type problemRef struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// PrivateMetricsAge is how long after its creation X reports a post's
// non_public_metrics and organic_metrics
// (https://docs.x.com/x-api/fundamentals/metrics): 30 days.
const PrivateMetricsAge = 30 * 24 * time.Hour

// Metrics reads a post's counters through GET /2/tweets/:id
// (https://docs.x.com/x-api/posts/get-post-by-id) with
// tweet.fields=public_metrics: impressions, likes, replies (Comments),
// reposts (Shares), quotes and bookmarks (Saves). For a post under
// [PrivateMetricsAge] a second read asks for non_public_metrics and
// organic_metrics, which X gives the author's own token only; link clicks
// come from there. When X refuses those fields (another account's post, an
// app token: a 200 with a not-authorized-for-field error and no data),
// Clicks is absent, never zero. A counter X does not send is absent.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return analytics.Snapshot{}, fmt.Errorf("x: metrics: %w", err)
	}
	if !postID.MatchString(string(id)) {
		return analytics.Snapshot{}, notFound(networks.OpMetrics, id, errors.New("not an X post ID"))
	}
	t, err := a.lookup(ctx, acct, id, "created_at,public_metrics")
	if err != nil {
		return analytics.Snapshot{}, err
	}
	snap := analytics.Snapshot{Target: string(id), At: a.now()}
	c := &snap.Counters
	if p := t.Public; p != nil {
		set(c, analytics.Impressions, p.Impressions)
		set(c, analytics.Likes, p.Likes)
		set(c, analytics.Comments, p.Replies)
		set(c, analytics.Shares, p.Retweets)
		set(c, analytics.Shares, p.Reposts)
		set(c, analytics.Quotes, p.Quotes)
		set(c, analytics.Saves, p.Bookmarks)
	}
	if t.CreatedAt.IsZero() || snap.At.Sub(t.CreatedAt) >= PrivateMetricsAge {
		return snap, nil
	}
	pt, err := a.lookup(ctx, acct, id, "non_public_metrics,organic_metrics")
	var nf *networks.NotFoundError
	switch {
	case errors.As(err, &nf) && errors.Is(err, errFieldRefused):
		return snap, nil
	case err != nil:
		return analytics.Snapshot{}, err
	}
	for _, m := range []*privateMetric{pt.NonPublic, pt.Organic} {
		if m != nil && !c.Has(analytics.Clicks) {
			set(c, analytics.Clicks, m.LinkClicks)
		}
	}
	return snap, nil
}

func set(c *analytics.Counters, m analytics.Metric, v *int64) {
	if v != nil && *v >= 0 {
		c.Set(m, *v)
	}
}

// errFieldRefused is the cause of a lookup whose fields X refused.
var errFieldRefused = errors.New("fields refused for this token (not-authorized-for-field)")

// lookup reads one post with fields. X answers a missing post with a 200
// holding only a resource-not-found error, and refused fields with a 200
// holding only a not-authorized-for-field error (wrapping errFieldRefused):
// both are a *networks.NotFoundError here; any other error without data is
// a *networks.RejectedError with X's detail.
func (a *Adapter) lookup(ctx context.Context, acct networks.Account, id networks.RemoteID, fields string) (tweet, error) {
	u, _ := apikit.JoinURL(a.base, "/2/tweets/"+string(id), url.Values{"tweet.fields": {fields}})
	var out lookupAnswer[*tweet]
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodGet, URL: u, Name: "GET /2/tweets/:id", Account: &acct,
		Op: networks.OpMetrics, AccountID: acct.ID, Target: id,
	}, &out)
	if err != nil {
		return tweet{}, err
	}
	if out.Data != nil && out.Data.ID != "" {
		return *out.Data, nil
	}
	if len(out.Errors) > 0 {
		p := out.Errors[0]
		xe := &APIError{Name: "GET /2/tweets/:id", Status: http.StatusOK, Type: apikit.Message(p.Type), Title: apikit.Message(p.Title), Detail: apikit.Message(p.Detail)}
		switch xe.problem() {
		case "resource-not-found":
			return tweet{}, notFound(networks.OpMetrics, id, xe)
		case "not-authorized-for-field", "field-unauthorized":
			return tweet{}, notFound(networks.OpMetrics, id, errors.Join(errFieldRefused, xe))
		}
		return tweet{}, &networks.RejectedError{Network: Network, Op: networks.OpMetrics, Code: xe.problem(), Reason: xe.Detail, Err: xe}
	}
	return tweet{}, &networks.TransientError{Network: Network, Op: networks.OpMetrics, Status: http.StatusOK, Err: errors.New("GET /2/tweets/:id: answer without data or errors")}
}

// userID returns the account's X user ID from GET /2/users/me
// (https://docs.x.com/x-api/users/get-my-user), cached per account ID.
func (a *Adapter) userID(ctx context.Context, acct networks.Account, op string) (string, error) {
	if v, ok := a.users.Load(acct.ID); ok && acct.ID != "" {
		return v.(string), nil
	}
	var out struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodGet, URL: a.base + "/2/users/me", Name: "GET /2/users/me", Account: &acct, Op: op, AccountID: acct.ID,
	}, &out)
	if err != nil {
		return "", err
	}
	if !postID.MatchString(out.Data.ID) {
		return "", &networks.TransientError{Network: Network, Op: op, Err: errors.New("GET /2/users/me: answer without a user ID")}
	}
	if acct.ID != "" {
		a.users.Store(acct.ID, out.Data.ID)
	}
	return out.Data.ID, nil
}

// recent returns the account's FindDepth most recent posts, replies
// included, reposts excluded, through GET /2/users/:id/tweets
// (https://docs.x.com/x-api/users/get-posts).
func (a *Adapter) recent(ctx context.Context, acct networks.Account, op string) ([]tweet, error) {
	uid, err := a.userID(ctx, acct, op)
	if err != nil {
		return nil, err
	}
	u, _ := apikit.JoinURL(a.base, "/2/users/"+uid+"/tweets", url.Values{
		"max_results": {fmt.Sprint(FindDepth)}, "exclude": {"retweets"}, "tweet.fields": {"created_at"},
	})
	var out lookupAnswer[[]tweet]
	_, err = a.api.Do(ctx, &apikit.Request{
		Method: http.MethodGet, URL: u, Name: "GET /2/users/:id/tweets", Account: &acct, Op: op, AccountID: acct.ID,
	}, &out)
	return out.Data, err
}

// findTag returns the post among ts whose text ends with tag, or a zero
// tweet.
func findTag(ts []tweet, tag string) tweet {
	for _, t := range ts {
		if hasTag(t.Text, tag) && postID.MatchString(t.ID) {
			return t
		}
	}
	return tweet{}
}

// FindByMarker looks the root of a publish with marker up among the
// account's [FindDepth] most recent posts (GET /2/users/:id/tweets) by its
// marker tag ([MarkerTag]). X has no idempotency key, so this is how a
// publish whose answer was lost is reconciled: found, its receipt; not
// among those posts, false — a definite answer for a publish of the last
// minutes, which is when the Publisher asks. X does not document how soon
// a new post appears in that timeline; a post that lands later than the
// look-up and is then published again is refused by X's duplicate check
// (same text, same tag), which Publish resolves to the existing post.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, false, fmt.Errorf("x: find: %w", err)
	}
	if marker == "" {
		return networks.Receipt{}, false, &networks.FieldError{Network: Network, Field: "marker", Reason: "required"}
	}
	recent, err := a.recent(ctx, acct, networks.OpFind)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	t := findTag(recent, MarkerTag(marker, 0))
	if t.ID == "" {
		return networks.Receipt{}, false, nil
	}
	return a.receipt(acct, marker, t.ID, t.CreatedAt, nil), true, nil
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
