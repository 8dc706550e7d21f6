package instagram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// Network is the networks key of the adapter.
const Network = networks.Instagram

// tagLen is the code points the marker tag adds to a caption.
const tagLen = metagraph.MarkerTagLen

// Option configures an [Adapter].
type Option func(*Adapter) error

// WithBaseURL sets the Graph API host: metagraph.FacebookHost (the
// default, Instagram API with Facebook Login), metagraph.InstagramHost
// (Instagram API with Instagram Login) or a fake's URL.
func WithBaseURL(u string) Option { return func(a *Adapter) error { a.cfg.BaseURL = u; return nil } }

// WithVersion sets the Graph API version (default metagraph.DefaultVersion).
func WithVersion(v string) Option { return func(a *Adapter) error { a.cfg.Version = v; return nil } }

// WithAppSecret sends appsecret_proof with every call.
func WithAppSecret(s metagraph.Secret) Option {
	return func(a *Adapter) error { a.cfg.AppSecret = s; return nil }
}

// WithClock sets the adapter's clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if err := apikit.Clock(Network, now); err != nil {
			return err
		}
		a.cfg.Now = now
		return nil
	}
}

// WithUserID sets how the Instagram professional account's id (the
// {ig-user-id} of the paths) is found for an account; the default is
// Account.ID.
func WithUserID(f func(networks.Account) string) Option {
	return func(a *Adapter) error {
		if f == nil {
			return &networks.FieldError{Network: Network, Field: "user_id", Reason: "nil"}
		}
		a.userID = f
		return nil
	}
}

// Adapter publishes to Instagram professional accounts through the
// container flow. It implements [networks.Adapter] and [networks.Finder]
// and is safe for concurrent use.
type Adapter struct {
	cfg    metagraph.Config
	api    *metagraph.Client
	userID func(networks.Account) string
	spec   networks.Spec
}

// New returns an adapter sending with hc (nil: http.DefaultClient).
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{cfg: metagraph.Config{Network: Network}, userID: func(acct networks.Account) string { return acct.ID }}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	api, err := metagraph.New(hc, a.cfg)
	if err != nil {
		return nil, err
	}
	a.api = api
	a.spec = Spec()
	return a, nil
}

// Spec returns [networks.InstagramSpec] with the caption shortened by the
// 33 invisible code points of the marker tag (see the package doc),
// without the first comment (not supported by this adapter yet, so a draft
// with one fails validation instead of losing it) and with Delete (DELETE
// /{ig-media-id}, accounts connected with Facebook Login).
func Spec() networks.Spec {
	s := networks.InstagramSpec()
	s.Text.MaxLength -= tagLen
	s.Features.FirstComment = false
	s.Features.Delete = true
	return s
}

// Spec returns the adapter's spec.
func (a *Adapter) Spec() networks.Spec { return Spec() }

// Tag returns the invisible marker tag put at the end of a caption: U+2063
// INVISIBLE SEPARATOR and the 64-bit FNV-1a hash of marker written in base
// 4 with the zero-width characters U+200B, U+200C, U+200D and U+2060.
func Tag(marker string) string { return metagraph.MarkerTag(marker) }

func (a *Adapter) user(acct networks.Account) (string, error) {
	id := a.userID(acct)
	if id == "" || strings.ContainsAny(id, "/?#") {
		return "", &networks.FieldError{Network: Network, Field: "account.user_id", Value: id, Reason: "not an Instagram user id"}
	}
	return id, nil
}

// validate checks what Validate cannot: every item has a public URL
// (Meta fetches it) and is an image or a video.
func validate(d networks.Draft) error {
	for i, m := range d.Media {
		field := "media[" + strconv.Itoa(i) + "]"
		switch {
		case m.Kind != assets.KindImage && m.Kind != assets.KindVideo:
			return &networks.FieldError{Network: Network, Field: field + ".kind", Value: string(m.Kind), Reason: "Instagram takes JPEG images and videos"}
		case m.URL == "":
			return &networks.FieldError{Network: Network, Field: field + ".url", Reason: "Instagram fetches media from a public URL; none given"}
		}
		if u, err := url.Parse(m.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &networks.FieldError{Network: Network, Field: field + ".url", Value: m.URL, Reason: "not an absolute http(s) URL"}
		}
	}
	return nil
}

// Publish creates the media container(s), and when the container is
// already FINISHED publishes it with media_publish; otherwise it returns a
// StatusPending receipt whose ID is the container id, resolved by Check.
//
// Before any call the draft is checked against [Spec] (JPEG only, aspect
// ratio 4:5 to 1.91:1, reels of 3 s to 15 min, at most 10 carousel items)
// and every item must have a URL. The publishing limit is read first
// (content_publishing_limit): a full window is a *networks.RateLimitError
// with the time the oldest post leaves it; the receipt reports the quota
// left.
//
// Container creation (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media) publishes nothing: a lost answer is a
// *networks.TransientError (the orphan container expires in 24 hours). A
// lost media_publish answer (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish) is an
// *networks.OutcomeUnknownError, resolved by FindByMarker.
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	if err := networks.Validate(a.spec, d); err != nil {
		return networks.Receipt{}, err
	}
	if err := validate(d); err != nil {
		return networks.Receipt{}, err
	}
	uid, err := a.user(acct)
	if err != nil {
		return networks.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, fmt.Errorf("%s: publish: %w", Network, err)
	}
	if d.Marker == "" {
		d.Marker = apikit.NewMarker()
	}
	quota, err := a.limit(ctx, &acct, uid, networks.OpPublish)
	if err != nil {
		return networks.Receipt{}, err
	}
	cid, err := a.containers(ctx, &acct, uid, d)
	if err != nil {
		return networks.Receipt{}, err
	}
	r := networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(cid), Status: networks.StatusPending,
		Marker: d.Marker, Quotas: []networks.Quota{quota}}
	st, err := a.status(ctx, &acct, cid, networks.OpPublish)
	if err != nil {
		return networks.Receipt{}, err
	}
	switch st.Code {
	case "FINISHED":
	case "IN_PROGRESS":
		r.CheckAfter = 30 * time.Second
		return r, nil
	default:
		return networks.Receipt{}, st.rejected(networks.OpPublish)
	}
	got, err := a.publish(ctx, &acct, uid, cid, d.Marker, networks.OpPublish)
	if err != nil {
		return networks.Receipt{}, err
	}
	quota.Remaining = max(quota.Remaining-1, 0)
	got.Quotas = append(got.Quotas, quota)
	return got, nil
}

// limit reads content_publishing_limit (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit) and fails with a
// *networks.RateLimitError when the window is full.
func (a *Adapter) limit(ctx context.Context, acct *networks.Account, uid, op string) (networks.Quota, error) {
	var out struct {
		Data []struct {
			Usage  int `json:"quota_usage"`
			Config struct {
				Total    int `json:"quota_total"`
				Duration int `json:"quota_duration"`
			} `json:"config"`
		} `json:"data"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + uid + "/content_publishing_limit",
		Query: url.Values{"fields": {"quota_usage,config"}}, Name: "GET /{ig-user-id}/content_publishing_limit",
		Account: acct, Op: op}, &out)
	if err != nil {
		return networks.Quota{}, err
	}
	now := a.api.Now()
	if len(out.Data) == 0 || out.Data[0].Config.Total <= 0 {
		return networks.Quota{Scope: networks.ScopeAccount, Limit: a.spec.Rate.PerAccount.Count,
			Remaining: a.spec.Rate.PerAccount.Count, Reset: now.Add(24 * time.Hour)}, nil
	}
	l := out.Data[0]
	window := time.Duration(l.Config.Duration) * time.Second
	if window <= 0 {
		window = 24 * time.Hour
	}
	q := networks.Quota{Scope: networks.ScopeAccount, Limit: l.Config.Total, Remaining: max(l.Config.Total-l.Usage, 0), Reset: now.Add(window)}
	if l.Usage < l.Config.Total {
		return q, nil
	}
	// Full: the next slot frees when the oldest post in the window leaves it.
	reset := now.Add(time.Hour)
	if media, err := a.recent(ctx, acct, uid, op); err == nil {
		var oldest time.Time
		for _, m := range media {
			if t := m.time(); !t.IsZero() && now.Sub(t) < window && (oldest.IsZero() || t.Before(oldest)) {
				oldest = t
			}
		}
		if !oldest.IsZero() {
			reset = oldest.Add(window)
		}
	}
	q.Reset = reset
	return q, &networks.RateLimitError{Network: Network, Op: op, Scope: networks.ScopeAccount, Reset: reset,
		Err: &LimitError{Usage: l.Usage, Total: l.Config.Total, Window: window}}
}

// LimitError is the cause of the *networks.RateLimitError Publish returns
// when the account's content publishing limit is used up.
type LimitError struct {
	Usage, Total int
	Window       time.Duration
}

// Error names the limit and the usage.
func (e *LimitError) Error() string {
	return fmt.Sprintf("content publishing limit reached: %d of %d posts in %s", e.Usage, e.Total, e.Window)
}

// containers creates the container of d (with children for a carousel)
// and returns its id.
func (a *Adapter) containers(ctx context.Context, acct *networks.Account, uid string, d networks.Draft) (string, error) {
	caption := d.Text + Tag(d.Marker)
	if len(d.Media) == 1 {
		p := item(d.Media[0], false)
		p["caption"] = caption
		return a.create(ctx, acct, uid, p)
	}
	children := make([]string, 0, len(d.Media))
	for _, m := range d.Media {
		id, err := a.create(ctx, acct, uid, item(m, true))
		if err != nil {
			return "", err
		}
		children = append(children, id)
	}
	return a.create(ctx, acct, uid, map[string]any{"media_type": "CAROUSEL", "children": strings.Join(children, ","), "caption": caption})
}

func item(m networks.MediaItem, child bool) map[string]any {
	p := map[string]any{}
	switch {
	case m.Kind == assets.KindVideo && child:
		p["media_type"], p["video_url"] = "VIDEO", m.URL
	case m.Kind == assets.KindVideo:
		p["media_type"], p["video_url"] = "REELS", m.URL
	default:
		p["image_url"] = m.URL
		if m.Alt != "" {
			p["alt_text"] = m.Alt
		}
	}
	if child {
		p["is_carousel_item"] = true
	}
	return p
}

// create makes one container (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media). It is not a write for the
// kit: a container is never visible until published, and expires in 24
// hours, so a lost answer is retried with a new container.
func (a *Adapter) create(ctx context.Context, acct *networks.Account, uid string, p map[string]any) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodPost, Path: "/" + uid + "/media", Params: p,
		Name: "POST /{ig-user-id}/media", Account: acct, Op: networks.OpPublish}, &out)
	if err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("POST /{ig-user-id}/media: no container id in the answer")}
	}
	return out.ID, nil
}

// containerStatus is a container's status_code and status (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container).
type containerStatus struct {
	ID     string `json:"id"`
	Code   string `json:"status_code"`
	Status string `json:"status"`
}

func (s containerStatus) rejected(op string) error {
	return &networks.RejectedError{Network: Network, Op: op, Code: s.Code, Reason: "container " + s.Code + ": " + s.Status,
		Err: &ContainerError{ID: s.ID, StatusCode: s.Code, Status: s.Status}}
}

// ContainerError is the cause of the *networks.RejectedError for a
// container that ended in ERROR or EXPIRED.
type ContainerError struct {
	ID, StatusCode, Status string
}

// Error names the container and its state.
func (e *ContainerError) Error() string {
	return "container " + e.ID + " " + e.StatusCode + ": " + e.Status
}

func (a *Adapter) status(ctx context.Context, acct *networks.Account, cid, op string) (containerStatus, error) {
	var st containerStatus
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + cid, Query: url.Values{"fields": {"id,status_code,status"}},
		Name: "GET /{ig-container-id}", Account: acct, Op: op, Target: networks.RemoteID(cid)}, &st)
	if st.ID == "" {
		st.ID = cid
	}
	return st, err
}

// publish calls media_publish (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish), a write.
func (a *Adapter) publish(ctx context.Context, acct *networks.Account, uid, cid, marker, op string) (networks.Receipt, error) {
	var out struct {
		ID string `json:"id"`
	}
	res, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodPost, Path: "/" + uid + "/media_publish",
		Params: map[string]any{"creation_id": cid}, Name: "POST /{ig-user-id}/media_publish", Account: acct,
		Write: true, Op: op, Marker: marker}, &out)
	if err != nil {
		return networks.Receipt{}, err
	}
	if out.ID == "" {
		return networks.Receipt{}, &networks.OutcomeUnknownError{Network: Network, Op: op, AccountID: acct.ID, Marker: marker,
			Err: errors.New("POST /{ig-user-id}/media_publish: no media id in the answer")}
	}
	return networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(out.ID), Status: networks.StatusPublished,
		Marker: marker, At: a.api.Now(), Quotas: res.Quotas}, nil
}

// Check resolves a pending receipt (its ID is the container id): still
// IN_PROGRESS, pending; FINISHED, published now with media_publish (after
// the publishing limit is checked); PUBLISHED (an earlier media_publish
// whose answer was lost), the media found by the marker; ERROR or EXPIRED,
// a *networks.RejectedError. A media_publish whose answer is lost here
// leaves the receipt pending: the next Check finds the container
// PUBLISHED and the media by its marker, so Check never publishes twice.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status != networks.StatusPending {
		return r, nil
	}
	uid, err := a.user(acct)
	if err != nil {
		return r, err
	}
	cid := string(r.ID)
	st, err := a.status(ctx, &acct, cid, networks.OpCheck)
	if err != nil {
		return r, err
	}
	switch st.Code {
	case "IN_PROGRESS":
		r.CheckAfter = 30 * time.Second
		return r, nil
	case "PUBLISHED":
		got, found, err := a.FindByMarker(ctx, acct, r.Marker)
		switch {
		case err != nil:
			return r, err
		case !found:
			return r, &networks.NotFoundError{Network: Network, Op: networks.OpCheck, ID: r.ID,
				Err: errors.New("the container is published but its media is not among the account's recent media")}
		}
		return got, nil
	case "FINISHED":
	default:
		return r, st.rejected(networks.OpCheck)
	}
	quota, err := a.limit(ctx, &acct, uid, networks.OpCheck)
	if err != nil {
		return r, err
	}
	got, err := a.publish(ctx, &acct, uid, cid, r.Marker, networks.OpCheck)
	if errors.Is(err, socialflow.ErrOutcomeUnknown) {
		if found, ok, ferr := a.FindByMarker(ctx, acct, r.Marker); ferr == nil && ok {
			return found, nil
		}
		r.CheckAfter = 5 * time.Second
		return r, nil
	}
	if err != nil {
		return r, err
	}
	quota.Remaining = max(quota.Remaining-1, 0)
	got.Quotas = append(got.Quotas, quota)
	return got, nil
}

// mediaJSON is an IG Media object as the media list returns it
// (https://developers.facebook.com/docs/instagram-platform/reference/instagram-media).
type mediaJSON struct {
	ID        string `json:"id"`
	Caption   string `json:"caption"`
	Permalink string `json:"permalink"`
	Timestamp string `json:"timestamp"`
}

func (m mediaJSON) time() time.Time {
	t, err := time.Parse("2006-01-02T15:04:05-0700", m.Timestamp)
	if err != nil {
		return time.Time{}
	}
	return t
}

// recentLimit is how many of the account's most recent media the Finder
// searches.
const recentLimit = 100

func (a *Adapter) recent(ctx context.Context, acct *networks.Account, uid, op string) ([]mediaJSON, error) {
	var out struct {
		Data []mediaJSON `json:"data"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + uid + "/media",
		Query: url.Values{"fields": {"id,caption,permalink,timestamp"}, "limit": {strconv.Itoa(recentLimit)}},
		Name:  "GET /{ig-user-id}/media", Account: acct, Op: op}, &out)
	return out.Data, err
}

// FindByMarker looks the marker's tag up in the captions of the account's
// 100 most recent media (GET /{ig-user-id}/media, https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media).
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	uid, err := a.user(acct)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	media, err := a.recent(ctx, &acct, uid, networks.OpFind)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	tag := Tag(marker)
	for _, m := range media {
		if strings.HasSuffix(m.Caption, tag) {
			return networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(m.ID), URL: m.Permalink,
				Status: networks.StatusPublished, Marker: marker, At: m.time()}, true, nil
		}
	}
	return networks.Receipt{}, false, nil
}

// Delete removes a published media (DELETE /{ig-media-id}, https://developers.facebook.com/docs/instagram-platform/reference/instagram-media;
// accounts connected with Facebook Login).
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := checkID(id); err != nil {
		return err
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodDelete, Path: "/" + string(id), Name: "DELETE /{ig-media-id}",
		Account: &acct, Write: true, Op: networks.OpDelete, Target: id}, nil)
	return err
}

func checkID(id networks.RemoteID) error {
	if id == "" || strings.ContainsAny(string(id), "/?#") {
		return &networks.FieldError{Network: Network, Field: "id", Value: string(id), Reason: "not an Instagram media id"}
	}
	return nil
}

// metrics maps the media insights metrics (https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights) to ours;
// impressions and plays were removed in v22 and views replaces them.
var metrics = []struct {
	name string
	m    analytics.Metric
}{
	{"views", analytics.Impressions}, {"reach", analytics.Reach}, {"likes", analytics.Likes},
	{"comments", analytics.Comments}, {"saved", analytics.Saves}, {"shares", analytics.Shares},
}

// Metrics reads the media's lifetime insights (GET /{ig-media-id}/insights,
// https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights). A metric Meta does not return is absent.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	if err := checkID(id); err != nil {
		return analytics.Snapshot{}, err
	}
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i] = m.name
	}
	var out struct {
		Data []struct {
			Name   string `json:"name"`
			Values []struct {
				Value *int64 `json:"value"`
			} `json:"values"`
		} `json:"data"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + string(id) + "/insights",
		Query: url.Values{"metric": {strings.Join(names, ",")}}, Name: "GET /{ig-media-id}/insights",
		Account: &acct, Op: networks.OpMetrics, Target: id}, &out)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	snap := analytics.Snapshot{Target: string(id), At: a.api.Now()}
	for _, d := range out.Data {
		for _, m := range metrics {
			if d.Name == m.name && len(d.Values) > 0 && d.Values[0].Value != nil {
				snap.Counters.Set(m.m, *d.Values[0].Value)
			}
		}
	}
	return snap, nil
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
