package mastodon

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/text"
)

// Network is the adapter's network key, [networks.Mastodon].
const Network = networks.Mastodon

// DefaultCheckAfter is the CheckAfter hint of a pending receipt: how long
// media processing is worth waiting before the next Check.
const DefaultCheckAfter = 5 * time.Second

// pendingPrefix marks the ID of a pending receipt (see Publish).
const pendingPrefix = "pending:"

// Visibility is a status's visibility.
type Visibility string

// The visibilities of POST /api/v1/statuses.
const (
	Public   Visibility = "public"
	Unlisted Visibility = "unlisted"
	Private  Visibility = "private" // followers only
	Direct   Visibility = "direct"  // mentioned accounts only
)

// PostOptions are the Mastodon settings of a publish that
// [networks.Draft] does not carry. The zero value posts publicly, without
// content warning, in the server's default language.
type PostOptions struct {
	Visibility  Visibility `json:"visibility,omitempty"`
	SpoilerText string     `json:"spoiler_text,omitempty"` // content warning shown before the text
	Sensitive   bool       `json:"sensitive,omitempty"`    // media marked sensitive
	Language    string     `json:"language,omitempty"`     // ISO 639 code
}

// validate checks o.
func (o PostOptions) validate() error {
	switch o.Visibility {
	case "", Public, Unlisted, Private, Direct:
		return nil
	}
	return &networks.FieldError{Network: Network, Field: "visibility", Value: string(o.Visibility), Reason: "not public, unlisted, private or direct"}
}

// Adapter publishes to one Mastodon instance. It implements
// [networks.Adapter]. Create it with [New], usually with the instance's own
// limits from [FetchConfiguration]; the zero value is not usable. It is
// immutable after New and safe for concurrent use.
//
// The account's instance is [networks.Account].BaseURL and its access
// token (see [OAuthConfig], [Adapter.Exchange]) comes from
// [networks.Account].Tokens.
type Adapter struct {
	hc         *http.Client
	api        *apikit.Client
	now        func() time.Time
	cfg        networks.MastodonConfiguration
	opts       PostOptions
	checkAfter time.Duration
	software   Software
	findWindow time.Duration
	noRoots    bool // WithoutThreadRoots
	specv      networks.Spec
}

// Option configures an Adapter; an invalid value makes [New] fail with an
// error matching [socialflow.ErrInvalid].
type Option func(*Adapter) error

// WithConfiguration sets the instance's limits, as [FetchConfiguration]
// reads them, for a Mastodon server (see [WithInstance] for others).
// Default: a stock server's (500 characters, 4 attachments).
func WithConfiguration(c networks.MastodonConfiguration) Option {
	return func(a *Adapter) error { a.cfg, a.software = c, SoftwareMastodon; return nil }
}

// WithPostOptions sets the options [Adapter.Publish] uses. Default: the
// zero PostOptions (public, no content warning).
func WithPostOptions(o PostOptions) Option {
	return func(a *Adapter) error {
		if err := o.validate(); err != nil {
			return err
		}
		a.opts = o
		return nil
	}
}

// WithClock sets the adapter's clock. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if err := apikit.Clock(Network, now); err != nil {
			return err
		}
		a.now = now
		return nil
	}
}

// WithCheckAfter sets the CheckAfter hint of pending receipts. Default:
// [DefaultCheckAfter].
func WithCheckAfter(d time.Duration) Option {
	return positive("check_after", d, func(a *Adapter) *time.Duration { return &a.checkAfter })
}

// positive is the Option setting the duration field names to d, which must
// be positive.
func positive(name string, d time.Duration, field func(*Adapter) *time.Duration) Option {
	return func(a *Adapter) error {
		if d <= 0 {
			return &networks.FieldError{Network: Network, Field: name, Value: d.String(), Reason: "must be positive"}
		}
		*field(a) = d
		return nil
	}
}

// New returns an Adapter sending its requests through hc (nil means
// http.DefaultClient; hc is never modified). Without [WithInstance] or
// [WithConfiguration] its Spec is a stock Mastodon server's; use
// [NewForInstance] to take the limits from the instance.
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	a := &Adapter{hc: hc, now: time.Now, checkAfter: DefaultCheckAfter, software: SoftwareMastodon, findWindow: DefaultFindWindow}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	a.specv = a.spec()
	a.api = &apikit.Client{Network: Network, HTTP: hc, Now: a.now, Quotas: rateHeaders(a.software), Classify: classify}
	return a, nil
}

// Spec returns [networks.MastodonSpec] of the instance's configuration,
// counted as the instance's software counts (code points on GoToSocial),
// with a maximum length that keeps room for the marker tag ([MarkerTag]):
// one character less than the instance's on Mastodon, 18 on GoToSocial.
// It does no I/O and returns an equal value on every call.
func (a *Adapter) Spec() networks.Spec { return a.specv }

// status is the part of the Status entity the adapter reads
// (https://docs.joinmastodon.org/entities/Status/).
type status struct {
	ID              string `json:"id"`
	URL             string `json:"url"`
	CreatedAt       string `json:"created_at"`
	RepliesCount    *int64 `json:"replies_count"`
	ReblogsCount    *int64 `json:"reblogs_count"`
	FavouritesCount *int64 `json:"favourites_count"`
	QuotesCount     *int64 `json:"quotes_count"`
}

// pollParams is the poll of POST /api/v1/statuses.
type pollParams struct {
	Options   []string `json:"options"`
	ExpiresIn int64    `json:"expires_in"` // seconds
}

// statusParams is the body of POST /api/v1/statuses
// (https://docs.joinmastodon.org/methods/statuses/#create).
type statusParams struct {
	Status      string      `json:"status"`
	MediaIDs    []string    `json:"media_ids,omitempty"`
	Poll        *pollParams `json:"poll,omitempty"`
	InReplyToID string      `json:"in_reply_to_id,omitempty"`
	Sensitive   bool        `json:"sensitive,omitempty"`
	SpoilerText string      `json:"spoiler_text,omitempty"`
	Visibility  Visibility  `json:"visibility,omitempty"`
	Language    string      `json:"language,omitempty"`
}

// job is a publish waiting for its media: it travels in the ID of a
// pending receipt, so any process can finish it with Check.
type job struct {
	Marker string         `json:"m"`
	Parts  []statusParams `json:"p"`           // the root (with media) and the replies
	Op     string         `json:"o,omitempty"` // networks.OpReply for a reply; empty: OpPublish
}

// session is what an operation knows about the account: the kit's
// session (account and access token, never printed) and the instance.
type session struct {
	apikit.Session
	base string
}

// open checks acct and gets its access token.
func (a *Adapter) open(ctx context.Context, acct networks.Account, op string) (session, error) {
	if err := ctx.Err(); err != nil {
		return session{}, fmt.Errorf("mastodon: %s: %w", op, err)
	}
	if _, err := endpoint(acct.BaseURL, "/", nil); err != nil {
		return session{}, err
	}
	tok, err := networks.AccessToken(ctx, Network, acct)
	if err != nil {
		return session{}, err
	}
	return session{Session: apikit.Session{Account: acct, Token: tok.AccessToken}, base: acct.BaseURL}, nil
}

// Publish posts d with the adapter's [PostOptions]; see [Adapter.PublishWith].
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.PublishWith(ctx, acct, d, a.opts)
}

// PublishWith posts d as a status through POST /api/v1/statuses
// (https://docs.joinmastodon.org/methods/statuses/#create) with o's
// visibility, content warning and language, each d.Thread entry as a reply
// (in_reply_to_id) to the one before, and d.Poll as a poll. Every status
// carries its [MarkerTag], which [Adapter.FindByMarker] finds again, and on
// Mastodon the header Idempotency-Key: d.Marker and its index, which the
// server honours for an hour.
//
// Media are uploaded first through POST /api/v2/media
// (https://docs.joinmastodon.org/methods/media/#v2) with their alt text.
// When the server is still processing one (HTTP 202: video, GIF, audio),
// nothing is posted yet: the receipt is [networks.StatusPending], its ID
// holds the prepared statuses, and [Adapter.Check] posts them once GET
// /api/v1/media/:id answers 200. The adapter never waits.
//
// Nothing is sent unless d passes [networks.Validate] against Spec. A
// thread that fails after its root returns the root's receipt and a
// *[ThreadError].
func (a *Adapter) PublishWith(ctx context.Context, acct networks.Account, d networks.Draft, o PostOptions) (networks.Receipt, error) {
	return a.publish(ctx, acct, d, o, networks.OpPublish, "")
}

// publish is PublishWith for op, the root status answering status replyTo
// when it is not empty ([Adapter.Reply]).
func (a *Adapter) publish(ctx context.Context, acct networks.Account, d networks.Draft, o PostOptions, op, replyTo string) (networks.Receipt, error) {
	if err := o.validate(); err != nil {
		return networks.Receipt{}, err
	}
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	if err := a.checkSpoiler(d, o); err != nil {
		return networks.Receipt{}, err
	}
	s, err := a.open(ctx, acct, op)
	if err != nil {
		return networks.Receipt{}, err
	}
	marker := apikit.Marker(d)
	j := job{Marker: marker}
	if op != networks.OpPublish {
		j.Op = op
	}
	root := statusParams{Status: d.Text, Visibility: o.Visibility, SpoilerText: o.SpoilerText, Sensitive: o.Sensitive, Language: o.Language,
		InReplyToID: replyTo}
	if d.Poll != nil {
		root.Poll = &pollParams{Options: d.Poll.Options, ExpiresIn: int64(d.Poll.Duration / time.Second)}
	}
	processing := false
	for i, m := range d.Media {
		id, ready, err := a.upload(ctx, s, op, i, m)
		if err != nil {
			return networks.Receipt{}, err
		}
		root.MediaIDs = append(root.MediaIDs, id)
		processing = processing || !ready
	}
	j.Parts = append(j.Parts, root)
	for _, t := range d.Thread {
		j.Parts = append(j.Parts, statusParams{Status: t, Visibility: o.Visibility, SpoilerText: o.SpoilerText, Language: o.Language})
	}
	for i := range j.Parts {
		j.Parts[i].Status = withTag(j.Parts[i].Status, MarkerTag(IdempotencyKey(marker, i)))
	}
	if processing {
		raw, err := json.Marshal(j)
		if err != nil {
			return networks.Receipt{}, fmt.Errorf("mastodon: encode pending job: %w", err)
		}
		return networks.Receipt{
			Network: Network, AccountID: acct.ID, Status: networks.StatusPending, Marker: marker,
			ID: networks.RemoteID(pendingPrefix + base64.RawURLEncoding.EncodeToString(raw)), CheckAfter: a.checkAfter,
		}, nil
	}
	return a.post(ctx, s, j)
}

// checkSpoiler applies the instance's length limit to each status's text
// with o's content warning, which both Mastodon and GoToSocial count with
// the text.
func (a *Adapter) checkSpoiler(d networks.Draft, o PostOptions) error {
	if o.SpoilerText == "" {
		return nil
	}
	tr := a.Spec().Text
	for i, t := range append([]string{d.Text}, d.Thread...) {
		n, err := text.Count(tr.Method, o.SpoilerText+t)
		if err != nil {
			return &networks.FieldError{Network: Network, Field: "spoiler_text", Value: o.SpoilerText, Reason: err.Error()}
		}
		if n > tr.MaxLength {
			field := "text"
			if i > 0 {
				field = fmt.Sprintf("thread[%d]", i-1)
			}
			return &networks.Violation{Network: Network, Field: field, Rule: networks.RuleMax, Limit: int64(tr.MaxLength), Value: int64(n), Offset: -1,
				Detail: "with the content warning (spoiler_text), which the server counts with the text"}
		}
	}
	return nil
}

// upload sends one attachment; ready is false while the server processes
// it (HTTP 202). Unattached media are removed by the server, so an upload
// whose answer is lost is transient rather than an unknown outcome.
func (a *Adapter) upload(ctx context.Context, s session, op string, i int, m networks.MediaItem) (id string, ready bool, err error) {
	field := fmt.Sprintf("media[%d]", i)
	if m.Open == nil {
		return "", false, &networks.Violation{Network: Network, Field: field, Rule: networks.RuleRequired, Offset: -1, Detail: "no bytes to upload (Open is nil)"}
	}
	rc, err := m.Open(ctx)
	if err != nil {
		return "", false, fmt.Errorf("mastodon: open %s: %w", field, err)
	}
	limit := m.Size
	if limit <= 0 {
		limit = 1 << 30
	}
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	_ = rc.Close()
	if err != nil {
		return "", false, fmt.Errorf("mastodon: read %s: %w", field, err)
	}
	if int64(len(data)) > limit && m.Size > 0 {
		return "", false, &networks.Violation{Network: Network, Field: field + ".size", Rule: networks.RuleMax, Limit: m.Size, Value: int64(len(data)), Offset: -1, Detail: "more bytes than the metadata says"}
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="media%d"`, i))
	mime := m.MIME
	if mime == "" {
		mime = http.DetectContentType(data)
	}
	h.Set("Content-Type", mime)
	fw, err := mw.CreatePart(h)
	if err == nil {
		_, err = fw.Write(data)
	}
	if err == nil && m.Alt != "" {
		err = mw.WriteField("description", m.Alt)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return "", false, fmt.Errorf("mastodon: encode %s: %w", field, err)
	}
	var out struct {
		ID  string  `json:"id"`
		URL *string `json:"url"`
	}
	res, err := a.do(ctx, s.base, request{
		method: http.MethodPost, path: "/api/v2/media", body: buf.Bytes(), ctype: mw.FormDataContentType(),
		token: s.Token, op: op, account: s.Account.ID,
	}, &out)
	if err != nil {
		return "", false, err
	}
	return out.ID, res.Status == http.StatusOK && out.URL != nil, nil
}

// post publishes the statuses of j, each with its idempotency key.
func (a *Adapter) post(ctx context.Context, s session, j job) (networks.Receipt, error) {
	var (
		root      status
		prev      string
		published []networks.RemoteID
		quotas    []networks.Quota
	)
	op := j.Op
	if op == "" {
		op = networks.OpPublish
	}
	for i, p := range j.Parts {
		if i > 0 {
			p.InReplyToID = prev
		}
		var st status
		idem := IdempotencyKey(j.Marker, i)
		if a.software == SoftwareGoToSocial {
			// GoToSocial ignores the key, and net/http replays a request
			// that carries one when a reused connection drops: sent there,
			// it could post twice.
			idem = ""
		}
		res, err := a.do(ctx, s.base, request{
			method: http.MethodPost, path: "/api/v1/statuses", json: p, token: s.Token,
			idem: idem, write: true, op: op, account: s.Account.ID, marker: j.Marker,
		}, &st)
		if res.Quotas != nil {
			quotas = res.Quotas
		}
		if err != nil {
			if i == 0 {
				return networks.Receipt{}, err
			}
			return a.receipt(s, j.Marker, root, quotas), &ThreadError{Network: Network, Published: published, Failed: i, Err: err}
		}
		if i == 0 {
			root = st
		}
		prev = st.ID
		published = append(published, networks.RemoteID(st.ID))
	}
	return a.receipt(s, j.Marker, root, quotas), nil
}

// receipt describes a published root status.
func (a *Adapter) receipt(s session, marker string, st status, quotas []networks.Quota) networks.Receipt {
	at := a.now()
	if t, err := time.Parse(time.RFC3339Nano, st.CreatedAt); err == nil {
		at = t
	}
	return networks.Receipt{Network: Network, AccountID: s.Account.ID, ID: networks.RemoteID(st.ID), URL: st.URL,
		Status: networks.StatusPublished, Marker: marker, At: at, Quotas: quotas}
}

// IdempotencyKey returns the Idempotency-Key header of status i (0 = the
// root) of a publish carrying marker.
func IdempotencyKey(marker string, i int) string {
	if i == 0 {
		return marker
	}
	return fmt.Sprintf("%s/%d", marker, i)
}

// Check resolves a pending receipt: while any of its media answers 206 on
// GET /api/v1/media/:id (https://docs.joinmastodon.org/methods/media/#get)
// it returns the receipt unchanged (CheckAfter set); once all answer 200 it
// posts the prepared statuses, with the same idempotency keys, and returns
// the published receipt. A published receipt is returned unchanged. Media
// the server failed to process (422) or lost (404) yield an error of that
// class.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status == networks.StatusPublished {
		return r, nil
	}
	s, err := a.open(ctx, acct, networks.OpCheck)
	if err != nil {
		return r, err
	}
	enc, ok := strings.CutPrefix(string(r.ID), pendingPrefix)
	var j job
	raw, derr := base64.RawURLEncoding.DecodeString(enc)
	if !ok || derr != nil || json.Unmarshal(raw, &j) != nil || len(j.Parts) == 0 {
		return r, &networks.FieldError{Network: Network, Field: "receipt.id", Value: string(r.ID), Reason: "not a pending Mastodon receipt"}
	}
	for _, id := range j.Parts[0].MediaIDs {
		var out struct {
			URL *string `json:"url"`
		}
		res, err := a.do(ctx, s.base, request{
			method: http.MethodGet, path: "/api/v1/media/" + url.PathEscape(id), token: s.Token,
			op: networks.OpCheck, account: acct.ID, target: networks.RemoteID(id),
		}, &out)
		if err != nil {
			return r, err
		}
		if res.Status == http.StatusPartialContent || out.URL == nil {
			r.CheckAfter = a.checkAfter
			return r, nil
		}
	}
	pub, err := a.post(ctx, s, j)
	pub.Attempts = r.Attempts
	return pub, err
}

// Delete removes a status through DELETE /api/v1/statuses/:id
// (https://docs.joinmastodon.org/methods/statuses/#delete); a missing one
// (404) yields *networks.NotFoundError. Replies of a thread stay.
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	s, err := a.open(ctx, acct, networks.OpDelete)
	if err != nil {
		return err
	}
	if !validID(id) {
		return &networks.NotFoundError{Network: Network, Op: networks.OpDelete, ID: id}
	}
	_, err = a.do(ctx, s.base, request{
		method: http.MethodDelete, path: "/api/v1/statuses/" + url.PathEscape(string(id)), token: s.Token,
		write: true, op: networks.OpDelete, account: acct.ID, target: id,
	}, nil)
	return err
}

// Metrics reads replies, reblogs, favourites and quotes from GET
// /api/v1/statuses/:id (https://docs.joinmastodon.org/methods/statuses/#get,
// https://docs.joinmastodon.org/entities/Status/). Mastodon reports no
// impressions; quotes_count is absent before Mastodon 4.4 and then absent
// from the snapshot.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	s, err := a.open(ctx, acct, networks.OpMetrics)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	if !validID(id) {
		return analytics.Snapshot{}, &networks.NotFoundError{Network: Network, Op: networks.OpMetrics, ID: id}
	}
	var st status
	if _, err := a.do(ctx, s.base, request{
		method: http.MethodGet, path: "/api/v1/statuses/" + url.PathEscape(string(id)), token: s.Token,
		op: networks.OpMetrics, account: acct.ID, target: id,
	}, &st); err != nil {
		return analytics.Snapshot{}, err
	}
	snap := analytics.Snapshot{Target: string(id), At: a.now()}
	apikit.SetCounters(&snap.Counters, apikit.Counter{Metric: analytics.Comments, Value: st.RepliesCount},
		apikit.Counter{Metric: analytics.Shares, Value: st.ReblogsCount}, apikit.Counter{Metric: analytics.Likes, Value: st.FavouritesCount},
		apikit.Counter{Metric: analytics.Quotes, Value: st.QuotesCount})
	return snap, nil
}

// validID reports whether id can be a status ID (Mastodon's are numeric
// strings; other servers use other shapes, so only emptiness, pending
// receipts and path characters are refused).
func validID(id networks.RemoteID) bool {
	return id != "" && !strings.HasPrefix(string(id), pendingPrefix) && !strings.ContainsAny(string(id), "/?#")
}

// ThreadError reports a thread that failed midway: Published holds the
// statuses that are on the server (root first), Failed the index of the
// part that failed, Err why. It unwraps to Err. On Mastodon, publishing
// again with the same marker within an hour returns the published parts
// (idempotency keys) and continues; GoToSocial would post them again.
type ThreadError = apikit.ThreadError

var _ networks.Adapter = (*Adapter)(nil)
