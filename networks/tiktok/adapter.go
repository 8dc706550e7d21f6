package tiktok

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Network is the key of TikTok's spec, [networks.TikTok].
const Network = networks.TikTok

// DefaultBaseURL is where the TikTok API v2 lives.
const DefaultBaseURL = "https://open.tiktokapis.com"

// The privacy levels of a post (post_info.privacy_level,
// https://developers.tiktok.com/doc/content-posting-api-reference-direct-post).
// A post may only use one of the levels creator_info/query offers.
const (
	PublicToEveryone    = "PUBLIC_TO_EVERYONE"
	MutualFollowFriends = "MUTUAL_FOLLOW_FRIENDS"
	FollowerOfCreator   = "FOLLOWER_OF_CREATOR"
	SelfOnly            = "SELF_ONLY"
)

// Settings are what a TikTok post carries besides its caption and media
// (post_info of https://developers.tiktok.com/doc/content-posting-api-reference-direct-post
// and https://developers.tiktok.com/doc/content-posting-api-reference-photo-post).
// TikTok's UX guidelines ask that a person chooses them; the host's UI
// passes the choice with [Adapter.PublishWith] or [WithSettings].
type Settings struct {
	// Privacy is one of the four levels; empty means PUBLIC_TO_EVERYONE.
	// It must be among the creator's privacy_level_options.
	Privacy string
	// DisableComment, DisableDuet and DisableStitch turn the interactions
	// off. A creator who turned one off in the TikTok app
	// (comment_disabled, duet_disabled, stitch_disabled) cannot have it
	// on: the draft is refused before anything is uploaded. Duet and
	// stitch apply to videos only.
	DisableComment, DisableDuet, DisableStitch bool
	// BrandContent marks a paid partnership, BrandOrganic the creator's
	// own business (brand_content_toggle, brand_organic_toggle). Branded
	// content may not be private (SELF_ONLY).
	BrandContent, BrandOrganic bool
	// AIGenerated discloses AI-generated content (is_aigc, videos).
	AIGenerated bool
	// CoverTimestamp picks the video frame used as the cover
	// (video_cover_timestamp_ms); zero means TikTok's default.
	CoverTimestamp time.Duration
	// AutoAddMusic lets TikTok add music to a photo post.
	AutoAddMusic bool
}

func (s Settings) privacy() string {
	if s.Privacy == "" {
		return PublicToEveryone
	}
	return s.Privacy
}

func (s Settings) check() error {
	switch s.Privacy {
	case "", PublicToEveryone, MutualFollowFriends, FollowerOfCreator, SelfOnly:
	default:
		return &networks.FieldError{Network: Network, Field: "settings.privacy", Value: s.Privacy,
			Reason: "must be PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR or SELF_ONLY"}
	}
	if s.BrandContent && s.privacy() == SelfOnly {
		return &networks.FieldError{Network: Network, Field: "settings.privacy", Value: s.Privacy,
			Reason: "branded content cannot be private (SELF_ONLY)"}
	}
	if s.CoverTimestamp < 0 {
		return &networks.FieldError{Network: Network, Field: "settings.cover_timestamp", Value: s.CoverTimestamp.String(), Reason: "must not be negative"}
	}
	return nil
}

// Adapter publishes videos and photo posts to TikTok through the Content
// Posting API with hand-written requests on the adapter kit. Create it with
// [New]; it is safe for concurrent use.
type Adapter struct {
	api      *apikit.Client
	now      func() time.Time
	base     string
	chunk    int64
	settings Settings
	journal  Journal
	cap      *PostCap
	maxStall int

	settleWindow time.Duration
}

// Option configures an [Adapter].
type Option func(*Adapter) error

// WithClock sets the adapter's clock (receipts, snapshots, the daily cap).
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if err := apikit.Clock(Network, now); err != nil {
			return err
		}
		a.now = now
		return nil
	}
}

// WithBaseURL points the adapter at another server (a fake); default
// [DefaultBaseURL].
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

// WithChunkSize sets the upload chunk size, between [MinChunkSize] and
// [MaxChunkSize]; default [DefaultChunkSize]. A video that would need
// more than [MaxChunks] chunks of that size uses larger chunks. The most
// the adapter holds in memory is one chunk, or the final one (the chunk
// size plus the trailing bytes, under twice the chunk size).
func WithChunkSize(n int64) Option {
	return func(a *Adapter) error {
		if n < MinChunkSize || n > MaxChunkSize {
			return &networks.FieldError{Network: Network, Field: "chunk_size", Value: strconv.FormatInt(n, 10),
				Reason: "must be between 5 MiB and 64 MB (TikTok's chunk restrictions)"}
		}
		a.chunk = n
		return nil
	}
}

// WithSettings sets the [Settings] [Adapter.Publish] gives every post.
func WithSettings(s Settings) Option {
	return func(a *Adapter) error {
		if err := s.check(); err != nil {
			return err
		}
		a.settings = s
		return nil
	}
}

// WithJournal sets where the adapter notes what each marker published
// (the publish_id), so [Adapter.FindByMarker] can find it again. Default:
// a [MemJournal] of this process; give a durable one when replicas or
// restarts must reconcile each other's publishes.
func WithJournal(j Journal) Option {
	return func(a *Adapter) error {
		if j == nil {
			return &networks.FieldError{Network: Network, Field: "journal", Reason: "nil"}
		}
		a.journal = j
		return nil
	}
}

// DefaultSettleWindow is how long after a publish whose init answer was
// lost [Adapter.FindByMarker] keeps saying "cannot tell yet" rather than
// "not found": TikTok processes a 1 GB video in about a minute and
// moderates most posts within a minute
// (https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status).
const DefaultSettleWindow = 10 * time.Minute

// WithSettleWindow sets the settle window of [Adapter.FindByMarker]
// (default [DefaultSettleWindow]); zero makes a miss definite at once.
func WithSettleWindow(d time.Duration) Option {
	return func(a *Adapter) error {
		if d < 0 {
			return &networks.FieldError{Network: Network, Field: "settle_window", Value: d.String(), Reason: "must not be negative"}
		}
		a.settleWindow = d
		return nil
	}
}

// WithPostCap shares a daily post cap tracker between adapters; default: a
// tracker of [DefaultDailyPosts] per adapter.
func WithPostCap(c *PostCap) Option {
	return func(a *Adapter) error {
		if c == nil {
			return &networks.FieldError{Network: Network, Field: "post_cap", Reason: "nil"}
		}
		a.cap = c
		return nil
	}
}

// New returns an Adapter that sends its requests through hc (nil:
// http.DefaultClient).
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{now: time.Now, base: DefaultBaseURL, chunk: DefaultChunkSize, maxStall: 3, settleWindow: DefaultSettleWindow}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	if a.journal == nil {
		a.journal = &MemJournal{}
	}
	if a.cap == nil {
		a.cap, _ = NewPostCap(DefaultDailyPosts)
	}
	a.api = &apikit.Client{Network: Network, HTTP: hc, Now: a.now, Classify: classify}
	return a, nil
}

// Spec returns [networks.TikTokSpec]. TikTok's API has no delete, so
// Features.Delete is false.
func (a *Adapter) Spec() networks.Spec { return networks.TikTokSpec() }

// PostCap returns the adapter's daily post cap tracker.
func (a *Adapter) PostCap() *PostCap { return a.cap }

func (a *Adapter) url(path string, q url.Values) string {
	u, _ := apikit.JoinURL(a.base, path, q) // a.base was checked by New
	return u
}

// envelope is every answer of the API v2: data and an error object whose
// code is "ok" on success
// (https://developers.tiktok.com/doc/tiktok-api-v2-error-handling).
type envelope[T any] struct {
	Data  T         `json:"data"`
	Error errorJSON `json:"error"`
}

// call sends one JSON POST of the API v2 and decodes data into out. A 2xx
// answer whose error.code is not "ok" is classified like an error answer.
func call[T any](ctx context.Context, a *Adapter, acct *networks.Account, r *apikit.Request, out *T) (apikit.Response, error) {
	r.Method = http.MethodPost
	if r.Header == nil {
		r.Header = http.Header{}
	}
	var env envelope[T]
	res, err := a.api.Do(ctx, r, &env)
	if err != nil {
		return res, err
	}
	if c := env.Error.Code; c != "" && c != "ok" {
		// The kit redacts error bodies, not 2xx ones: scrub the token here.
		if acct != nil && acct.Tokens != nil {
			if tok, err := acct.Tokens.Token(); err == nil && tok != nil {
				env.Error.Message = string(apikit.Redact([]byte(env.Error.Message), tok.AccessToken, tok.RefreshToken))
				env.Error.Code = string(apikit.Redact([]byte(env.Error.Code), tok.AccessToken, tok.RefreshToken))
			}
		}
		f := &apikit.Failure{Network: Network, Req: r, Status: res.Status, Header: res.Header, Now: a.now(), Scope: networks.ScopeAccount}
		return res, classifyCode(f, env.Error)
	}
	if out != nil {
		*out = env.Data
	}
	return res, nil
}

// Publish posts d with the adapter's [Settings] (see [Adapter.PublishWith]).
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.PublishWith(ctx, acct, d, a.settings)
}

// PublishWith posts d as a direct post with s:
//
//  1. The draft is validated against the spec and the probed metadata of
//     its media, then the creator's current options are read
//     (creator_info/query) and the draft is checked against them: the
//     privacy level must be offered, a video no longer than
//     max_video_post_duration_sec, and no interaction the creator turned
//     off may be on. A refusal is a [*networks.ValidationError] naming the
//     field; nothing is uploaded.
//  2. The daily post cap ([PostCap]) is charged; a full cap is a
//     [*networks.RateLimitError] with the time a post frees up.
//  3. A video goes through video/init: PULL_FROM_URL when its MediaItem
//     has a URL (TikTok fetches it from a verified domain), else
//     FILE_UPLOAD in chunks from MediaItem.Open, one chunk in memory at a
//     time (see [Plan]). Photos go through content/init (media_type PHOTO,
//     PULL_FROM_URL only: every image needs a URL); title is d.Title and
//     description d.Text. A video's caption is d.Text; a video draft with
//     a Title is refused (TikTok videos have no separate title).
//  4. The publish_id is noted in the [Journal] under d's marker and the
//     status is read once: PUBLISH_COMPLETE gives a published receipt
//     with the post ID, anything else a [networks.StatusPending] receipt
//     naming the publish_id that [Adapter.Check] resolves.
//
// Failures: an answer lost on video/init for FILE_UPLOAD is transient
// (no post exists without the file, and the upload URL expires); one lost
// on a pull or photo init, or on the chunk carrying the file's last byte
// when the status cannot tell, is an [*networks.OutcomeUnknownError] that
// [Adapter.FindByMarker] resolves — except for a photo post, which TikTok
// offers no way to find: its unknown outcome stays unknown, for a person to
// check (see [Adapter.FindByMarker]). A connection lost mid-file is resumed
// from the bytes the status reports (uploaded_bytes).
func (a *Adapter) PublishWith(ctx context.Context, acct networks.Account, d networks.Draft, s Settings) (networks.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, fmt.Errorf("tiktok: publish: %w", err)
	}
	if err := s.check(); err != nil {
		return networks.Receipt{}, err
	}
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	p, err := plan(d)
	if err != nil {
		return networks.Receipt{}, err
	}
	if _, err := networks.AccessToken(ctx, Network, acct); err != nil {
		return networks.Receipt{}, err
	}
	ci, err := a.CreatorInfo(ctx, acct)
	if err != nil {
		return networks.Receipt{}, err
	}
	if err := ci.Check(d, s); err != nil {
		return networks.Receipt{}, err
	}
	marker := apikit.Marker(d)
	release, err := a.cap.take(acct.ID, a.now())
	if err != nil {
		return networks.Receipt{}, err
	}
	entry := Entry{Digest: Digest(caption(d)), At: a.now(), MediaType: MediaTypeVideo, Privacy: s.privacy()}
	switch {
	case p.photos != nil:
		entry.MediaType = MediaTypePhoto
	case p.video.URL == "":
		entry.Size = p.video.Size
	}
	if err := a.journal.Put(ctx, marker, entry); err != nil {
		release()
		return networks.Receipt{}, &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("journal: %w", err)}
	}
	var id string
	switch {
	case p.photos != nil:
		id, err = a.initPhoto(ctx, acct, d, s, p, marker)
	case p.video.URL != "":
		id, err = a.initPull(ctx, acct, d, s, p, marker)
	default:
		id, err = a.uploadVideo(ctx, acct, d, s, p, marker, func(publishID string) error {
			entry.PublishID = publishID
			return a.journal.Put(ctx, marker, entry)
		})
	}
	if err != nil {
		var ou *networks.OutcomeUnknownError
		if !errors.As(err, &ou) {
			release() // refused or never sent: no post, no cap
		}
		return networks.Receipt{}, a.noteCap(acct.ID, err)
	}
	entry.PublishID = id
	_ = a.journal.Put(ctx, marker, entry) // the receipt carries the id; a failed note only weakens a later Find
	r := networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(id), Status: networks.StatusPending,
		Marker: marker, At: a.now(), CheckAfter: checkAfter}
	// One status read: a post that is already complete comes back published.
	if got, err := a.Check(ctx, acct, r); err == nil {
		return got, nil
	}
	return r, nil
}

// checkAfter is the hint of a pending receipt: TikTok processes a 512 MB
// video in under half a minute and moderates most posts within a minute
// (https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status).
const checkAfter = 30 * time.Second

// caption is the text TikTok shows: a video's title, a photo post's title
// and description.
func caption(d networks.Draft) string {
	if d.Title != "" {
		return d.Title + "\n" + d.Text
	}
	return d.Text
}

// noteCap fills the cap tracker when TikTok says the daily cap is reached.
func (a *Adapter) noteCap(accountID string, err error) error {
	var ce *CodeError
	if errors.As(err, &ce) && ce.Code == "spam_risk_too_many_posts" {
		a.cap.fill(accountID, a.now())
	}
	return err
}

// postInfo is post_info of video/init and content/init.
type postInfo struct {
	Title                 string `json:"title,omitempty"`
	Description           string `json:"description,omitempty"`
	PrivacyLevel          string `json:"privacy_level"`
	DisableDuet           bool   `json:"disable_duet,omitempty"`
	DisableComment        bool   `json:"disable_comment"`
	DisableStitch         bool   `json:"disable_stitch,omitempty"`
	VideoCoverTimestampMs int64  `json:"video_cover_timestamp_ms,omitempty"`
	BrandContentToggle    bool   `json:"brand_content_toggle"`
	BrandOrganicToggle    bool   `json:"brand_organic_toggle"`
	IsAIGC                bool   `json:"is_aigc,omitempty"`
	AutoAddMusic          bool   `json:"auto_add_music,omitempty"`
}

func videoInfo(d networks.Draft, s Settings) postInfo {
	return postInfo{Title: d.Text, PrivacyLevel: s.privacy(), DisableDuet: s.DisableDuet, DisableComment: s.DisableComment,
		DisableStitch: s.DisableStitch, VideoCoverTimestampMs: s.CoverTimestamp.Milliseconds(),
		BrandContentToggle: s.BrandContent, BrandOrganicToggle: s.BrandOrganic, IsAIGC: s.AIGenerated}
}

// sourceInfo is source_info of video/init and content/init.
type sourceInfo struct {
	Source          string   `json:"source"`
	VideoSize       int64    `json:"video_size,omitempty"`
	ChunkSize       int64    `json:"chunk_size,omitempty"`
	TotalChunkCount int64    `json:"total_chunk_count,omitempty"`
	VideoURL        string   `json:"video_url,omitempty"`
	PhotoCoverIndex *int     `json:"photo_cover_index,omitempty"`
	PhotoImages     []string `json:"photo_images,omitempty"`
}

type initBody struct {
	PostInfo   postInfo   `json:"post_info"`
	SourceInfo sourceInfo `json:"source_info"`
	PostMode   string     `json:"post_mode,omitempty"`
	MediaType  string     `json:"media_type,omitempty"`
}

type initData struct {
	PublishID string `json:"publish_id"`
	UploadURL string `json:"upload_url"`
}

// initPull is video/init with PULL_FROM_URL: TikTok fetches the video, so
// the init is the write that makes the post.
func (a *Adapter) initPull(ctx context.Context, acct networks.Account, d networks.Draft, s Settings, p parts, marker string) (string, error) {
	var out initData
	_, err := call(ctx, a, &acct, &apikit.Request{URL: a.url("/v2/post/publish/video/init/", nil), Name: "POST /v2/post/publish/video/init/",
		JSON:    initBody{PostInfo: videoInfo(d, s), SourceInfo: sourceInfo{Source: "PULL_FROM_URL", VideoURL: p.video.URL}},
		Account: &acct, Write: true, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker}, &out)
	if err != nil {
		return "", err
	}
	return a.publishID(acct, marker, out.PublishID)
}

// initPhoto is content/init with media_type PHOTO and post_mode
// DIRECT_POST (https://developers.tiktok.com/doc/content-posting-api-reference-photo-post).
func (a *Adapter) initPhoto(ctx context.Context, acct networks.Account, d networks.Draft, s Settings, p parts, marker string) (string, error) {
	cover := 0
	var out initData
	_, err := call(ctx, a, &acct, &apikit.Request{URL: a.url("/v2/post/publish/content/init/", nil), Name: "POST /v2/post/publish/content/init/",
		JSON: initBody{
			PostInfo: postInfo{Title: d.Title, Description: d.Text, PrivacyLevel: s.privacy(), DisableComment: s.DisableComment,
				BrandContentToggle: s.BrandContent, BrandOrganicToggle: s.BrandOrganic, AutoAddMusic: s.AutoAddMusic},
			SourceInfo: sourceInfo{Source: "PULL_FROM_URL", PhotoCoverIndex: &cover, PhotoImages: p.photos},
			PostMode:   "DIRECT_POST", MediaType: "PHOTO",
		},
		Account: &acct, Write: true, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker}, &out)
	if err != nil {
		return "", err
	}
	return a.publishID(acct, marker, out.PublishID)
}

func (a *Adapter) publishID(acct networks.Account, marker, id string) (string, error) {
	if id == "" || len(id) > 256 {
		return "", &networks.OutcomeUnknownError{Network: Network, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
			Err: errors.New("init: the answer names no publish_id")}
	}
	return id, nil
}

// parts is what a draft that passed the spec publishes: one video, or
// the URLs of its photos.
type parts struct {
	video  networks.MediaItem
	photos []string
}

func violation(field, rule string, limit, value int64, detail string) *networks.Violation {
	return &networks.Violation{Network: Network, Field: field, Rule: rule, Limit: limit, Value: value, Offset: -1, Detail: detail}
}

func invalid(vs ...*networks.Violation) error {
	return &networks.ValidationError{Network: Network, Violations: vs}
}

// plan picks the video or the photos out of a draft that passed the spec,
// and refuses what TikTok cannot take: a video without bytes or URL, a
// photo without a URL (photos are pulled), a title on a video.
func plan(d networks.Draft) (parts, error) {
	var p parts
	var vs []*networks.Violation
	videos := 0
	for i, m := range d.Media {
		f := "media[" + strconv.Itoa(i) + "]"
		switch m.Kind {
		case assets.KindVideo:
			videos++
			p.video = m
			if m.URL == "" && (m.Open == nil || m.Size <= 0) {
				vs = append(vs, violation(f+".open", networks.RuleRequired, 0, 0, "a video needs a URL TikTok can pull or its bytes (Open) and probed size"))
			}
			if m.URL != "" && !pullableURL(m.URL) {
				vs = append(vs, violation(f+".url", networks.RuleInvalid, 0, 0, "PULL_FROM_URL takes an https URL on a verified domain"))
			}
		case assets.KindImage:
			if !pullableURL(m.URL) {
				vs = append(vs, violation(f+".url", networks.RuleRequired, 0, 0, "TikTok pulls photos from an https URL on a verified domain (PULL_FROM_URL only)"))
				continue
			}
			p.photos = append(p.photos, m.URL)
		}
	}
	if videos > 0 && d.Title != "" {
		vs = append(vs, violation("title", networks.RuleUnsupported, 0, 0, "a TikTok video has no title: its caption is the text"))
	}
	if len(vs) > 0 {
		return parts{}, invalid(vs...)
	}
	if videos > 0 {
		p.photos = nil
	}
	return p, nil
}

// pullableURL reports whether s is an absolute http(s) URL TikTok could
// pull (it refuses a domain the app has not verified: url_ownership_unverified).
func pullableURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// statusData is data of status/fetch
// (https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status).
type statusData struct {
	Status        string        `json:"status"`
	FailReason    string        `json:"fail_reason"`
	PostIDs       []json.Number `json:"publicaly_available_post_id"` // sic
	UploadedBytes int64         `json:"uploaded_bytes"`
}

// The statuses of status/fetch.
const (
	statusUpload   = "PROCESSING_UPLOAD"
	statusDownload = "PROCESSING_DOWNLOAD"
	statusInbox    = "SEND_TO_USER_INBOX"
	statusComplete = "PUBLISH_COMPLETE"
	statusFailed   = "FAILED"
)

func (a *Adapter) status(ctx context.Context, acct networks.Account, op, publishID string) (statusData, error) {
	var out statusData
	_, err := call(ctx, a, &acct, &apikit.Request{URL: a.url("/v2/post/publish/status/fetch/", nil), Name: "POST /v2/post/publish/status/fetch/",
		JSON: map[string]string{"publish_id": publishID}, Account: &acct, Op: op, AccountID: acct.ID, Target: networks.RemoteID(publishID)}, &out)
	return out, err
}

// Check reads the publish's status (status/fetch, 30 requests a minute
// per token): PROCESSING_UPLOAD, PROCESSING_DOWNLOAD and
// SEND_TO_USER_INBOX stay pending; PUBLISH_COMPLETE is published, with the
// post's ID (publicaly_available_post_id) and URL when TikTok gives one —
// a private (SELF_ONLY) post has none, and its receipt keeps the
// publish_id; FAILED is the fail_reason as a typed error (see the
// package documentation). A published receipt is returned as it is.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status == networks.StatusPublished {
		return r, nil
	}
	if err := ctx.Err(); err != nil {
		return r, fmt.Errorf("tiktok: check: %w", err)
	}
	st, err := a.status(ctx, acct, networks.OpCheck, string(r.ID))
	if err != nil {
		return r, err
	}
	return settle(acct, r, st)
}

// settle applies a status read to a pending receipt.
func settle(acct networks.Account, r networks.Receipt, st statusData) (networks.Receipt, error) {
	switch st.Status {
	case statusComplete:
		r.Status, r.CheckAfter = networks.StatusPublished, 0
		if len(st.PostIDs) > 0 && validID(st.PostIDs[0].String()) {
			r.ID = networks.RemoteID(st.PostIDs[0].String())
			r.URL = permalink(acct, string(r.ID))
		}
		return r, nil
	case statusFailed:
		return r, failError(acct.ID, st.FailReason)
	}
	r.Status, r.CheckAfter = networks.StatusPending, checkAfter
	return r, nil
}

// validID reports whether s looks like a TikTok post ID (digits).
func validID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// permalink is the post's page when the account's handle is known.
func permalink(acct networks.Account, id string) string {
	h := strings.TrimPrefix(acct.Handle, "@")
	if h == "" || strings.ContainsAny(h, "/?#") {
		return ""
	}
	return "https://www.tiktok.com/@" + url.PathEscape(h) + "/video/" + url.PathEscape(id)
}

// CodeNoDelete is the Code of the [*networks.RejectedError] Delete returns.
const CodeNoDelete = "no_delete_endpoint"

// Delete always fails: TikTok's API has no endpoint that deletes a post
// (the Content Posting API only creates them; the Display API only reads,
// https://developers.tiktok.com/doc/content-posting-api-get-started). It
// returns a [*networks.RejectedError] with Code [CodeNoDelete] (the
// request can never succeed; nothing was sent) after checking ctx; the
// post must be deleted in the TikTok app.
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("tiktok: delete: %w", err)
	}
	return &networks.RejectedError{Network: Network, Op: networks.OpDelete, Code: CodeNoDelete,
		Reason: "TikTok's API cannot delete posts; delete it in the TikTok app"}
}

// videoJSON is a Video Object of video/query and video/list
// (https://developers.tiktok.com/doc/tiktok-api-v2-video-object).
type videoJSON struct {
	ID               string `json:"id"`
	CreateTime       int64  `json:"create_time"`
	Title            string `json:"title"`
	VideoDescription string `json:"video_description"`
	ShareURL         string `json:"share_url"`
	LikeCount        *int64 `json:"like_count"`
	CommentCount     *int64 `json:"comment_count"`
	ShareCount       *int64 `json:"share_count"`
	ViewCount        *int64 `json:"view_count"`
}

type videosData struct {
	Videos  []videoJSON `json:"videos"`
	Cursor  int64       `json:"cursor"`
	HasMore bool        `json:"has_more"`
}

// Metrics reads the post's counters (video/query with fields id,
// like_count, comment_count, share_count, view_count; scope video.list,
// 600 requests a minute,
// https://developers.tiktok.com/doc/tiktok-api-v2-video-query): view_count
// as video views, like_count as likes, comment_count as comments,
// share_count as shares. A count TikTok leaves out is absent. A post
// video/query does not return (deleted, private — whose receipt keeps its
// publish_id —, or an ID that is not a post's) is a
// [*networks.NotFoundError]; the Display API documents video objects, so a
// photo post may not be returned either.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return analytics.Snapshot{}, fmt.Errorf("tiktok: metrics: %w", err)
	}
	var out videosData
	_, err := call(ctx, a, &acct, &apikit.Request{
		URL:  a.url("/v2/video/query/", url.Values{"fields": {"id,like_count,comment_count,share_count,view_count"}}),
		Name: "POST /v2/video/query/", JSON: map[string]any{"filters": map[string][]string{"video_ids": {string(id)}}},
		Account: &acct, Op: networks.OpMetrics, AccountID: acct.ID, Target: id}, &out)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	for _, v := range out.Videos {
		if v.ID != string(id) {
			continue
		}
		snap := analytics.Snapshot{Target: string(id), At: a.now()}
		apikit.SetCounters(&snap.Counters,
			apikit.Counter{Metric: analytics.VideoViews, Value: nonNegative(v.ViewCount)},
			apikit.Counter{Metric: analytics.Likes, Value: nonNegative(v.LikeCount)},
			apikit.Counter{Metric: analytics.Comments, Value: nonNegative(v.CommentCount)},
			apikit.Counter{Metric: analytics.Shares, Value: nonNegative(v.ShareCount)})
		return snap, nil
	}
	return analytics.Snapshot{}, &networks.NotFoundError{Network: Network, Op: networks.OpMetrics, ID: id}
}

func nonNegative(p *int64) *int64 {
	if p == nil || *p < 0 {
		return nil
	}
	return p
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
