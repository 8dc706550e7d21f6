package linkedin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Network is the adapter's network key, [networks.LinkedIn].
const Network = networks.LinkedIn

// DefaultBaseURL is LinkedIn's API host; an account's BaseURL overrides it
// (a test server).
const DefaultBaseURL = "https://api.linkedin.com"

// DefaultVersion is the LinkedIn-Version the adapter sends unless
// [WithVersion] says otherwise. LinkedIn keeps about twelve monthly
// versions active and answers an older one with HTTP 426
// (https://learn.microsoft.com/en-us/linkedin/marketing/versioning), so a
// host pins a version it tested and moves it forward at least yearly.
const DefaultVersion = "202605"

// The headers every versioned call carries
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api).
const (
	headerVersion  = "LinkedIn-Version"
	headerProtocol = "X-Restli-Protocol-Version"
	headerMethod   = "X-RestLi-Method"
	headerID       = "X-Restli-Id"
	protocol       = "2.0.0"
)

// Adapter publishes to LinkedIn members' profiles and organization pages
// through the versioned REST API. It implements [networks.Adapter] and
// [networks.Finder]. Create it with [New]; the zero value is not usable.
// It is immutable after New and safe for concurrent use.
//
// The account's Handle is the author URN: urn:li:person:{id} for a member
// (the OpenID sub of /v2/userinfo) or urn:li:organization:{id} for a page
// the member administers. Its Tokens are the 3-legged OAuth 2.0 tokens of
// [OAuthConfig].
type Adapter struct {
	api          *apikit.Client
	now          func() time.Time
	wait         func(ctx context.Context, d time.Duration) error
	version      string
	journal      Journal
	mediaTimeout time.Duration
	report       func(ctx context.Context, r networks.Receipt, err *CommentError)
	findCount    int
}

// Option configures an Adapter. An invalid value makes [New] fail with a
// [*SetupError] (matching socialflow.ErrInvalid).
type Option func(*Adapter) error

// WithClock sets the clock used for receipts, journal entries and rate
// limit resets. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if now == nil {
			return &SetupError{Field: "clock", Reason: "required"}
		}
		a.now = now
		return nil
	}
}

// WithWait sets how the adapter waits between media processing polls.
// wait returns ctx's error when ctx ends first. Default: a timer.
func WithWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(a *Adapter) error {
		if wait == nil {
			return &SetupError{Field: "wait", Reason: "required"}
		}
		a.wait = wait
		return nil
	}
}

// WithVersion sets the LinkedIn-Version header, a YYYYMM month. Default:
// [DefaultVersion].
func WithVersion(v string) Option {
	return func(a *Adapter) error {
		if len(v) != 6 || strings.Trim(v, "0123456789") != "" || v[4:] < "01" || v[4:] > "12" {
			return &SetupError{Field: "LinkedIn-Version header", Value: v, Reason: "want a YYYYMM month such as " + DefaultVersion}
		}
		a.version = v
		return nil
	}
}

// WithJournal sets where the adapter notes what each marker published, so
// [Adapter.FindByMarker] can find it again. Default: a [MemJournal] of
// this process; give a durable one when replicas or restarts must
// reconcile each other's publishes.
func WithJournal(j Journal) Option {
	return func(a *Adapter) error {
		if j == nil {
			return &SetupError{Field: "journal", Reason: "required"}
		}
		a.journal = j
		return nil
	}
}

// WithMediaTimeout bounds how long Publish waits for an uploaded video (or
// image) to become AVAILABLE. Default: 15 minutes.
func WithMediaTimeout(d time.Duration) Option {
	return func(a *Adapter) error {
		if d <= 0 {
			return &SetupError{Field: "media_timeout", Value: d.String(), Reason: "must be positive"}
		}
		a.mediaTimeout = d
		return nil
	}
}

// WithCommentReport sets the hook told when a first comment fails after
// its post was published: Publish still returns the published receipt and
// no error (a retry would post twice), so the hook is where the host
// records the missing comment and, if it wants, posts it again with
// [Adapter.Comment]. Default: the failure is dropped.
func WithCommentReport(report func(ctx context.Context, r networks.Receipt, err *CommentError)) Option {
	return func(a *Adapter) error {
		if report == nil {
			return &SetupError{Field: "comment_report", Reason: "required"}
		}
		a.report = report
		return nil
	}
}

// New returns an Adapter sending through hc (nil: http.DefaultClient).
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{now: time.Now, wait: apikit.Sleep, version: DefaultVersion, journal: &MemJournal{},
		mediaTimeout: 15 * time.Minute, findCount: 50}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	a.api = &apikit.Client{Network: Network, HTTP: hc, Now: a.now, Classify: classify}
	return a, nil
}

// Spec returns LinkedIn's spec, [networks.LinkedInSpec].
func (a *Adapter) Spec() networks.Spec { return networks.LinkedInSpec() }

// author is the account's author URN and kind.
type author struct {
	urn  string
	org  bool
	base string
}

func (a *Adapter) author(acct networks.Account) (author, error) {
	base := acct.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	if _, ok := apikit.JoinURL(base, "", nil); !ok {
		return author{}, &SetupError{Field: "account.base_url", Value: base, Reason: "not an absolute http(s) URL"}
	}
	base = strings.TrimSuffix(base, "/")
	switch {
	case isURN(acct.Handle, "person"):
		return author{urn: acct.Handle, base: base}, nil
	case isURN(acct.Handle, "organization"):
		return author{urn: acct.Handle, org: true, base: base}, nil
	}
	return author{}, &SetupError{Field: "account.handle", Value: acct.Handle,
		Reason: "want the author URN, urn:li:person:{id} or urn:li:organization:{id}"}
}

// call is one request to the versioned API.
type call struct {
	method, path, query string // path with encoded URNs; raw Rest.li query
	name                string // for errors, e.g. "POST /rest/posts"
	restli              string // X-RestLi-Method, when the docs' samples send one
	in                  any
	write               bool
	op                  string
	marker              string
	target              networks.RemoteID
}

func (a *Adapter) do(ctx context.Context, acct *networks.Account, au author, c call, out any) (apikit.Response, error) {
	u := au.base + c.path
	if c.query != "" {
		u += "?" + c.query
	}
	h := http.Header{}
	h.Set(headerVersion, a.version)
	h.Set(headerProtocol, protocol)
	if c.restli != "" {
		h.Set(headerMethod, c.restli)
	}
	return a.api.Do(ctx, &apikit.Request{
		Method: c.method, URL: u, Name: c.name, JSON: c.in, Header: h, Account: acct,
		Write: c.write, Op: c.op, AccountID: acct.ID, Marker: c.marker, Target: c.target,
	}, out)
}

// encodeURN encodes a URN for a path segment or a Rest.li query value, as
// the docs require ("urn%3Ali%3Ashare%3A123").
func encodeURN(urn string) string {
	return strings.NewReplacer(":", "%3A", "(", "%28", ")", "%29", ",", "%2C").Replace(url.PathEscape(urn))
}

// Permalink returns the page a person opens to see post urn.
func Permalink(urn networks.RemoteID) string {
	return "https://www.linkedin.com/feed/update/" + string(urn) + "/"
}

// post is the body of POST /rest/posts
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#create-a-post).
type post struct {
	Author                    string       `json:"author"`
	Commentary                string       `json:"commentary"`
	Visibility                string       `json:"visibility"`
	Distribution              distribution `json:"distribution"`
	Content                   *content     `json:"content,omitempty"`
	LifecycleState            string       `json:"lifecycleState"`
	IsReshareDisabledByAuthor bool         `json:"isReshareDisabledByAuthor"`
}

type distribution struct {
	FeedDistribution               string   `json:"feedDistribution"`
	TargetEntities                 []string `json:"targetEntities"`
	ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
}

type content struct {
	Media      *media      `json:"media,omitempty"`
	MultiImage *multiImage `json:"multiImage,omitempty"`
	Article    *article    `json:"article,omitempty"`
}

type media struct {
	ID      string `json:"id"`
	Title   string `json:"title,omitempty"`
	AltText string `json:"altText,omitempty"`
}

type multiImage struct {
	Images []media `json:"images"`
}

type article struct {
	Source string `json:"source"`
	Title  string `json:"title,omitempty"`
}

// Publish posts d as acct's author: the commentary in LinkedIn's little
// text format ([EscapeText]), one image, 2 to 20 images (multiImage), one
// video, one document, or an article link (Draft.Link with Draft.Title).
// Media are uploaded first (Images, Videos and Documents APIs) and waited
// for until AVAILABLE; nothing is posted when an upload fails. The post URN
// comes from the x-restli-id header of the 201 answer; a 201 without it is
// an [*networks.OutcomeUnknownError] (the post exists, its ID is unknown:
// [Adapter.FindByMarker] resolves it). LinkedIn has no idempotency key, so
// the marker and a digest of the commentary go to the [Journal] before the
// post is sent. A DUPLICATE_POST answer is a [*networks.DuplicateError]
// whose Existing is the post LinkedIn names. d.FirstComment is posted after
// the post; its failure never fails the publish (see [WithCommentReport]).
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, err
	}
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	au, err := a.author(acct)
	if err != nil {
		return networks.Receipt{}, err
	}
	if err := checkMediaMix(d); err != nil {
		return networks.Receipt{}, err
	}
	marker := apikit.Marker(d)
	p := post{
		Author: au.urn, Commentary: EscapeText(d.Text), Visibility: "PUBLIC", LifecycleState: "PUBLISHED",
		Distribution: distribution{FeedDistribution: "MAIN_FEED", TargetEntities: []string{}, ThirdPartyDistributionChannels: []string{}},
	}
	if p.Content, err = a.content(ctx, &acct, au, d); err != nil {
		return networks.Receipt{}, err
	}
	if err := a.journal.Put(ctx, marker, Sent{Author: au.urn, Digest: Digest(p.Commentary), At: a.now()}); err != nil {
		return networks.Receipt{}, &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: err}
	}
	res, err := a.do(ctx, &acct, au, call{method: http.MethodPost, path: "/rest/posts", name: "POST /rest/posts",
		in: p, write: true, op: networks.OpPublish, marker: marker}, nil)
	var r networks.Receipt
	switch {
	case err != nil:
		if r, err = a.settle(ctx, acct, marker, err); err != nil {
			return networks.Receipt{}, err
		}
	case !isURN(res.Header.Get(headerID), "share", "ugcPost"):
		return networks.Receipt{}, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
			Err: &APIError{Name: "POST /rest/posts", Status: res.Status, Message: "201 without a post URN in x-restli-id"}}
	default:
		urn := networks.RemoteID(res.Header.Get(headerID))
		r = networks.Receipt{Network: Network, AccountID: acct.ID, ID: urn, URL: Permalink(urn), Status: networks.StatusPublished, Marker: marker, At: a.now()}
	}
	if d.FirstComment != "" {
		if err := a.Comment(ctx, acct, r.ID, d.FirstComment); err != nil && a.report != nil {
			a.report(ctx, r, &CommentError{Post: r.ID, Err: err})
		}
	}
	return r, nil
}

// settle resolves a create that LinkedIn answered with a 5xx (an
// [*networks.OutcomeUnknownError] from the kit, since the post may have
// been made before the failure): the author's posts are listed
// ([Adapter.FindByMarker]); the post found is the publish's receipt, none
// found proves nothing was written and the failure is a
// [*networks.TransientError] the Publisher may retry. When the listing
// fails (a member without r_member_social), or the answer was lost rather
// than a 5xx, the outcome stays unknown.
func (a *Adapter) settle(ctx context.Context, acct networks.Account, marker string, err error) (networks.Receipt, error) {
	var ae *APIError
	if !errors.Is(err, networks.ErrOutcomeUnknown) || !errors.As(err, &ae) || ae.Status < 500 {
		return networks.Receipt{}, err
	}
	r, found, ferr := a.FindByMarker(ctx, acct, marker)
	switch {
	case ferr != nil:
		return networks.Receipt{}, err
	case found:
		return r, nil
	}
	return networks.Receipt{}, &networks.TransientError{Network: Network, Op: networks.OpPublish, Status: ae.Status, Err: ae}
}

// Comment posts text as a comment of acct's author on post, through the
// Comments API: POST /rest/socialActions/{post}/comments
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api#create-comment).
// It is a write without an idempotency key: a lost answer is an
// [*networks.OutcomeUnknownError] and calling Comment again may comment
// twice.
func (a *Adapter) Comment(ctx context.Context, acct networks.Account, post networks.RemoteID, text string) error {
	au, err := a.author(acct)
	if err != nil {
		return err
	}
	body := map[string]any{"actor": au.urn, "object": string(post), "message": map[string]string{"text": EscapeText(text)}}
	_, err = a.do(ctx, &acct, au, call{method: http.MethodPost, path: "/rest/socialActions/" + encodeURN(string(post)) + "/comments",
		name: "POST /rest/socialActions/{post}/comments", in: body, write: true, op: networks.OpPublish, target: post}, nil)
	return err
}

// Check returns a published receipt unchanged: Publish waits for media
// processing before it posts, so a LinkedIn receipt is never pending.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, err
	}
	if r.Status != networks.StatusPublished {
		return networks.Receipt{}, &networks.FieldError{Network: Network, Field: "receipt.status", Value: string(r.Status), Reason: "LinkedIn receipts are published or nothing"}
	}
	return r, nil
}

// Delete removes post id: GET /rest/posts/{id} first, because LinkedIn
// answers a repeated DELETE with 204 ("Post deletions are idempotent"), and
// a missing post must be a [*networks.NotFoundError]; then DELETE
// /rest/posts/{id}
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#delete-posts).
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	au, err := a.author(acct)
	if err != nil {
		return err
	}
	if !isURN(string(id), "share", "ugcPost") {
		return &networks.NotFoundError{Network: Network, Op: networks.OpDelete, ID: id}
	}
	path := "/rest/posts/" + encodeURN(string(id))
	if _, err := a.do(ctx, &acct, au, call{method: http.MethodGet, path: path, name: "GET /rest/posts/{id}", op: networks.OpDelete, target: id}, nil); err != nil {
		return err
	}
	_, err = a.do(ctx, &acct, au, call{method: http.MethodDelete, path: path, name: "DELETE /rest/posts/{id}", restli: "DELETE",
		write: true, op: networks.OpDelete, target: id}, nil)
	return err
}

// Metrics returns post id's counters. For an organization's post they come
// from organizationalEntityShareStatistics (lifetime, organic only, the
// past 12 months; scope rw_organization_admin): impressions, unique
// impressions as reach, clicks, likes, comments, shares
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics).
// For a member's post, from the Social Actions API (scope r_member_social):
// likes and first-level comments only
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/social-actions-api);
// impressions, reach, clicks and shares are absent.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return analytics.Snapshot{}, err
	}
	au, err := a.author(acct)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	if !isURN(string(id), "share", "ugcPost") {
		return analytics.Snapshot{}, &networks.NotFoundError{Network: Network, Op: networks.OpMetrics, ID: id}
	}
	snap := analytics.Snapshot{Target: string(id)}
	if au.org {
		err = a.orgMetrics(ctx, &acct, au, id, &snap)
	} else {
		err = a.memberMetrics(ctx, &acct, au, id, &snap)
	}
	if err != nil {
		return analytics.Snapshot{}, err
	}
	snap.At = a.now()
	return snap, nil
}

// shareStatistics is one element of organizationalEntityShareStatistics.
type shareStatistics struct {
	Total struct {
		ImpressionCount       *int64 `json:"impressionCount"`
		UniqueImpressionCount *int64 `json:"uniqueImpressionsCount"`
		ClickCount            *int64 `json:"clickCount"`
		LikeCount             *int64 `json:"likeCount"`
		CommentCount          *int64 `json:"commentCount"`
		ShareCount            *int64 `json:"shareCount"`
	} `json:"totalShareStatistics"`
}

func (a *Adapter) orgMetrics(ctx context.Context, acct *networks.Account, au author, id networks.RemoteID, snap *analytics.Snapshot) error {
	list := "shares"
	if isURN(string(id), "ugcPost") {
		list = "ugcPosts"
	}
	var out struct {
		Elements []shareStatistics `json:"elements"`
	}
	q := "q=organizationalEntity&organizationalEntity=" + encodeURN(au.urn) + "&" + list + "=List(" + encodeURN(string(id)) + ")"
	if _, err := a.do(ctx, acct, au, call{method: http.MethodGet, path: "/rest/organizationalEntityShareStatistics", query: q,
		name: "GET /rest/organizationalEntityShareStatistics", op: networks.OpMetrics, target: id}, &out); err != nil {
		return err
	}
	if len(out.Elements) == 0 {
		return &networks.NotFoundError{Network: Network, Op: networks.OpMetrics, ID: id}
	}
	t := out.Elements[0].Total
	for _, m := range []struct {
		metric analytics.Metric
		v      *int64
	}{
		{analytics.Impressions, t.ImpressionCount}, {analytics.Reach, t.UniqueImpressionCount}, {analytics.Clicks, t.ClickCount},
		{analytics.Likes, t.LikeCount}, {analytics.Comments, t.CommentCount}, {analytics.Shares, t.ShareCount},
	} {
		if m.v != nil {
			snap.Counters.Set(m.metric, *m.v)
		}
	}
	return nil
}

func (a *Adapter) memberMetrics(ctx context.Context, acct *networks.Account, au author, id networks.RemoteID, snap *analytics.Snapshot) error {
	var out struct {
		Likes *struct {
			Total *int64 `json:"totalLikes"`
		} `json:"likesSummary"`
		Comments *struct {
			Total *int64 `json:"totalFirstLevelComments"`
		} `json:"commentsSummary"`
	}
	if _, err := a.do(ctx, acct, au, call{method: http.MethodGet, path: "/rest/socialActions/" + encodeURN(string(id)),
		name: "GET /rest/socialActions/{id}", op: networks.OpMetrics, target: id}, &out); err != nil {
		return err
	}
	if out.Likes != nil && out.Likes.Total != nil {
		snap.Counters.Set(analytics.Likes, *out.Likes.Total)
	}
	if out.Comments != nil && out.Comments.Total != nil {
		snap.Counters.Set(analytics.Comments, *out.Comments.Total)
	}
	return nil
}

// FindByMarker looks up the post a publish with marker made. LinkedIn
// stores nothing a marker could ride on, so Publish notes the marker, the
// author and a digest of the commentary in the [Journal] before it posts;
// FindByMarker reads that note and lists the author's recent posts, GET
// /rest/posts?author={urn}&q=author&sortBy=CREATED
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#find-posts-by-authors),
// for one with the same commentary created no earlier than a minute before
// the note. A marker the journal does not hold was never published through
// it: false. Listing needs r_organization_social for a page and the
// restricted r_member_social for a member; without it LinkedIn answers 403
// ACCESS_DENIED and FindByMarker returns that [*networks.RejectedError], so
// the Publisher keeps the outcome unknown for a person to resolve.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, false, err
	}
	au, err := a.author(acct)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	sent, ok, err := a.journal.Get(ctx, marker)
	if err != nil {
		return networks.Receipt{}, false, &networks.TransientError{Network: Network, Op: networks.OpFind, Err: err}
	}
	if !ok || sent.Author != au.urn {
		return networks.Receipt{}, false, nil
	}
	var out struct {
		Elements []struct {
			ID         string `json:"id"`
			Commentary string `json:"commentary"`
			CreatedAt  int64  `json:"createdAt"`
		} `json:"elements"`
	}
	q := "author=" + encodeURN(au.urn) + "&q=author&count=" + itoa(a.findCount) + "&sortBy=CREATED"
	if _, err := a.do(ctx, &acct, au, call{method: http.MethodGet, path: "/rest/posts", query: q, name: "GET /rest/posts?q=author",
		restli: "FINDER", op: networks.OpFind, marker: marker}, &out); err != nil {
		return networks.Receipt{}, false, err
	}
	since := sent.At.Add(-time.Minute).UnixMilli()
	for _, e := range out.Elements {
		if Digest(e.Commentary) == sent.Digest && e.CreatedAt >= since && isURN(e.ID, "share", "ugcPost") {
			id := networks.RemoteID(e.ID)
			return networks.Receipt{Network: Network, AccountID: acct.ID, ID: id, URL: Permalink(id), Status: networks.StatusPublished,
				Marker: marker, At: time.UnixMilli(e.CreatedAt).UTC()}, true, nil
		}
	}
	return networks.Receipt{}, false, nil
}

// checkMediaMix refuses what the Posts API cannot carry: images with a
// video or document, more than one video or document, media with a link.
func checkMediaMix(d networks.Draft) error {
	var images, other int
	for _, m := range d.Media {
		if m.Kind == assets.KindImage {
			images++
		} else {
			other++
		}
	}
	switch {
	case other > 1 || (other == 1 && images > 0):
		return &networks.FieldError{Network: Network, Field: "media", Reason: "a LinkedIn post carries images, or one video, or one document"}
	case d.Link != "" && len(d.Media) > 0:
		return &networks.FieldError{Network: Network, Field: "link", Reason: "a LinkedIn post carries media or an article link, not both"}
	}
	return nil
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
