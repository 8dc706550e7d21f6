package youtube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Network is the key of YouTube's spec, [networks.YouTube].
const Network = networks.YouTube

// DefaultBaseURL is where the YouTube Data API v3 lives.
const DefaultBaseURL = "https://www.googleapis.com"

// Upload chunking (https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
// every chunk but the last must be a multiple of 256 KiB.
const (
	ChunkUnit        = 256 << 10
	DefaultChunkSize = 32 * ChunkUnit // 8 MiB: the most an upload holds in memory
	// MaxThumbnailSize is thumbnails.set's limit
	// (https://developers.google.com/youtube/v3/docs/thumbnails/set).
	MaxThumbnailSize = 2 << 20
)

// The privacy statuses of a video (status.privacyStatus,
// https://developers.google.com/youtube/v3/docs/videos#status.privacyStatus).
const (
	Public   = "public"
	Unlisted = "unlisted"
	Private  = "private"
)

// Metadata is what a video carries besides its title (the draft's Title)
// and description (the draft's Text)
// (https://developers.google.com/youtube/v3/docs/videos#resource).
type Metadata struct {
	// Privacy is public, unlisted or private; empty means public, or
	// private when PublishAt is set (YouTube publishes a private video at
	// PublishAt).
	Privacy string
	// MadeForKids is status.selfDeclaredMadeForKids, always sent.
	MadeForKids bool
	// Tags are snippet.tags; with the marker tag the adapter adds they
	// may total at most 500 characters.
	Tags []string
	// CategoryID is snippet.categoryId; empty means "22" (People & Blogs).
	CategoryID string
	// PublishAt is status.publishAt: YouTube makes the private video
	// public then. Zero for none.
	PublishAt time.Time
}

// Adapter publishes videos to YouTube through the Data API v3 with
// hand-written requests on the adapter kit. Create it with [New]; it is safe
// for concurrent use.
type Adapter struct {
	api      *apikit.Client
	now      func() time.Time
	base     string
	chunk    int
	quota    *Quota
	meta     Metadata
	onThumb  func(networks.RemoteID, error)
	maxStall int
}

// Option configures an [Adapter].
type Option func(*Adapter) error

// WithClock sets the adapter's clock (quota days, receipts, snapshots).
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

// WithChunkSize sets the upload chunk size: a positive multiple of
// [ChunkUnit]; default [DefaultChunkSize]. It is the most of a video the
// adapter holds in memory.
func WithChunkSize(n int) Option {
	return func(a *Adapter) error {
		if n <= 0 || n%ChunkUnit != 0 {
			return &networks.FieldError{Network: Network, Field: "chunk_size", Value: strconv.Itoa(n), Reason: "must be a positive multiple of 262144 bytes"}
		}
		a.chunk = n
		return nil
	}
}

// WithQuota shares a quota tracker between adapters of one project;
// default: a tracker of [DefaultQuota] per adapter.
func WithQuota(q *Quota) Option {
	return func(a *Adapter) error {
		if q == nil {
			return &networks.FieldError{Network: Network, Field: "quota", Reason: "nil"}
		}
		a.quota = q
		return nil
	}
}

// WithMetadata sets the metadata [Adapter.Publish] gives every video.
func WithMetadata(m Metadata) Option {
	return func(a *Adapter) error {
		if err := m.check(0); err != nil {
			return err
		}
		a.meta = m
		return nil
	}
}

// WithThumbnailErrors sets the function told when a video was published but
// its thumbnail was refused (thumbnails.set runs once the video exists, so
// its failure cannot fail the publish). Without it such failures are
// dropped and the video keeps YouTube's generated thumbnail.
func WithThumbnailErrors(f func(video networks.RemoteID, err error)) Option {
	return func(a *Adapter) error {
		a.onThumb = f
		return nil
	}
}

// New returns an Adapter that sends its requests through hc (nil:
// http.DefaultClient).
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{now: time.Now, base: DefaultBaseURL, chunk: DefaultChunkSize, maxStall: 3}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	if a.quota == nil {
		a.quota, _ = NewQuota(DefaultQuota)
	}
	a.api = &apikit.Client{Network: Network, HTTP: hc, Now: a.now, Classify: classify}
	return a, nil
}

// Spec returns [networks.YouTubeSpec]: one video, and optionally one image
// as its thumbnail.
func (a *Adapter) Spec() networks.Spec { return networks.YouTubeSpec() }

// Quota returns the adapter's quota tracker.
func (a *Adapter) Quota() *Quota { return a.quota }

// markerTag is the tag that carries a publish marker, so [Adapter.FindByMarker]
// can recognise the video. Tags are shown to the channel's owner, not to
// viewers.
func markerTag(marker string) string { return "sf-" + marker }

func (m Metadata) check(extra int) error {
	switch m.Privacy {
	case "", Public, Unlisted, Private:
	default:
		return &networks.FieldError{Network: Network, Field: "metadata.privacy", Value: m.Privacy, Reason: "must be public, unlisted or private"}
	}
	if !m.PublishAt.IsZero() && m.Privacy != "" && m.Privacy != Private {
		return &networks.FieldError{Network: Network, Field: "metadata.publish_at", Value: m.PublishAt.UTC().Format(time.RFC3339),
			Reason: "a scheduled video must be private until it is published"}
	}
	n := extra
	for i, t := range m.Tags {
		if strings.ContainsAny(t, "<>") {
			return &networks.FieldError{Network: Network, Field: "metadata.tags[" + strconv.Itoa(i) + "]", Value: t, Reason: "may not contain < or >"}
		}
		n += utf8.RuneCountInString(t)
		if strings.Contains(t, " ") {
			n += 2 // a tag with a space counts its quotes
		}
	}
	if len(m.Tags) > 0 {
		n += len(m.Tags) // the commas between tags, and the marker's
	}
	if n > 500 {
		return &networks.FieldError{Network: Network, Field: "metadata.tags", Value: strconv.Itoa(n), Reason: "the tags total more than 500 characters"}
	}
	return nil
}

// videoJSON is the part of the video resource the adapter sends and reads
// (https://developers.google.com/youtube/v3/docs/videos#resource).
type videoJSON struct {
	ID      string `json:"id,omitempty"`
	Snippet *struct {
		Title       string   `json:"title"`
		Description string   `json:"description"`
		Tags        []string `json:"tags,omitempty"`
		CategoryID  string   `json:"categoryId,omitempty"`
	} `json:"snippet,omitempty"`
	Status *struct {
		PrivacyStatus           string `json:"privacyStatus,omitempty"`
		PublishAt               string `json:"publishAt,omitempty"`
		SelfDeclaredMadeForKids *bool  `json:"selfDeclaredMadeForKids,omitempty"`
		UploadStatus            string `json:"uploadStatus,omitempty"`
		FailureReason           string `json:"failureReason,omitempty"`
		RejectionReason         string `json:"rejectionReason,omitempty"`
	} `json:"status,omitempty"`
	ProcessingDetails *struct {
		ProcessingStatus string `json:"processingStatus,omitempty"`
	} `json:"processingDetails,omitempty"`
	Statistics *struct {
		ViewCount    *string `json:"viewCount"`
		LikeCount    *string `json:"likeCount"`
		CommentCount *string `json:"commentCount"`
	} `json:"statistics,omitempty"`
}

type listJSON struct {
	Items []videoJSON `json:"items"`
}

// parts picks the video and the optional thumbnail out of a draft that
// passed the spec.
func parts(d networks.Draft) (video networks.MediaItem, thumb *networks.MediaItem, err error) {
	n := 0
	for i := range d.Media {
		switch d.Media[i].Kind {
		case assets.KindVideo:
			video, n = d.Media[i], n+1
		case assets.KindImage:
			thumb = &d.Media[i]
		}
	}
	if n != 1 {
		return video, nil, &networks.ValidationError{Network: Network, Violations: []*networks.Violation{{
			Network: Network, Field: "media", Rule: networks.RuleRequired, Limit: 1, Value: int64(n), Offset: -1, Detail: "exactly one video",
		}}}
	}
	if video.Open == nil || video.Size <= 0 {
		return video, nil, &networks.FieldError{Network: Network, Field: "media.open", Reason: "the video needs its bytes (Open) and its probed size"}
	}
	if thumb != nil && (thumb.Open == nil || thumb.Size > MaxThumbnailSize) {
		return video, nil, &networks.ValidationError{Network: Network, Violations: []*networks.Violation{{
			Network: Network, Field: "media.thumbnail", Rule: networks.RuleMax, Limit: MaxThumbnailSize, Value: thumb.Size, Offset: -1, Detail: "a thumbnail needs its bytes, at most 2 MiB",
		}}}
	}
	return video, thumb, nil
}

// Publish uploads d's video with the adapter's [Metadata] (see
// [Adapter.PublishVideo]).
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.PublishVideo(ctx, acct, d, a.meta)
}

// PublishVideo uploads d's video as videos.insert with the resumable upload
// protocol (https://developers.google.com/youtube/v3/docs/videos/insert,
// https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
// title d.Title, description d.Text, m's privacy, tags, category,
// made-for-kids and publishAt, and d's marker as a tag. It then sets d's
// image, if any, as the thumbnail. It returns a pending receipt naming the
// video; [Adapter.Check] reports when processing is done.
//
// Before anything is sent: the draft is validated against the spec from
// the probed metadata of its media (size, duration), the token is got, the
// video's source is opened and the daily quota is charged (an insert, and a
// thumbnail); a quota that would be exceeded is a [*networks.RateLimitError]
// with the reset.
//
// A connection lost mid-file is resumed: the adapter asks the upload session
// how many bytes it holds and sends the rest, holding at most one chunk in
// memory. Only a failure around the chunk that carries the file's last byte
// can leave the outcome unknown ([*networks.OutcomeUnknownError]); failures
// before it are transient (no video exists without the whole file).
func (a *Adapter) PublishVideo(ctx context.Context, acct networks.Account, d networks.Draft, m Metadata) (networks.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, fmt.Errorf("youtube: publish: %w", err)
	}
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	marker := apikit.Marker(d)
	if err := m.check(len(markerTag(marker)) + 1); err != nil {
		return networks.Receipt{}, err
	}
	video, thumb, err := parts(d)
	if err != nil {
		return networks.Receipt{}, err
	}
	if _, err := networks.AccessToken(ctx, Network, acct); err != nil {
		return networks.Receipt{}, err
	}
	src, err := video.Open(ctx)
	if err != nil {
		return networks.Receipt{}, openError(ctx, err)
	}
	defer src.Close()
	thumbCost := 0
	if thumb != nil {
		thumbCost = CostThumbnail
	}
	if err := a.quota.spend(a.now(), networks.OpPublish, thumbCost, 1); err != nil {
		return networks.Receipt{}, err
	}
	session, err := a.startUpload(ctx, acct, d, m, video, marker)
	if err != nil {
		return networks.Receipt{}, a.noteQuota(err)
	}
	v, err := a.sendFile(ctx, acct, session, src, video.Size, marker)
	if err != nil {
		return networks.Receipt{}, a.noteQuota(err)
	}
	id := networks.RemoteID(v.ID)
	if thumb != nil {
		if err := a.setThumbnail(ctx, acct, id, *thumb); err != nil && a.onThumb != nil {
			a.onThumb(id, err)
		}
	}
	return networks.Receipt{
		Network: Network, AccountID: acct.ID, ID: id, URL: "https://www.youtube.com/watch?v=" + url.QueryEscape(v.ID),
		Status: networks.StatusPending, Marker: marker, At: a.now(), CheckAfter: 30 * time.Second,
	}, nil
}

// openError classifies a failure to open the video's source: nothing was
// sent; the host's blob store failed.
func openError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("youtube: publish: open the video: %w", ctx.Err())
	}
	var rl *networks.RateLimitError
	var te *networks.TransientError
	if errors.As(err, &rl) || errors.As(err, &te) {
		return err
	}
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("open the video: %w", err)}
}

// noteQuota records the network's quotaExceeded in the tracker.
func (a *Adapter) noteQuota(err error) error {
	if isQuotaExceeded(err) {
		a.quota.exhaust(a.now())
	}
	return err
}

func (a *Adapter) url(path string, q url.Values) string {
	u, _ := apikit.JoinURL(a.base, path, q) // a.base was checked by New
	return u
}

// setThumbnail is thumbnails.set
// (https://developers.google.com/youtube/v3/docs/thumbnails/set).
func (a *Adapter) setThumbnail(ctx context.Context, acct networks.Account, id networks.RemoteID, img networks.MediaItem) error {
	rc, err := img.Open(ctx)
	if err != nil {
		return openError(ctx, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxThumbnailSize+1))
	if err != nil {
		return openError(ctx, err)
	}
	if len(data) > MaxThumbnailSize {
		return &networks.FieldError{Network: Network, Field: "media.thumbnail", Value: strconv.Itoa(len(data)), Reason: "larger than 2 MiB"}
	}
	_, err = a.api.Do(ctx, &apikit.Request{
		Method: http.MethodPost, URL: a.url("/upload/youtube/v3/thumbnails/set", url.Values{"videoId": {string(id)}, "uploadType": {"media"}}),
		Name: "thumbnails.set", Body: data, ContentType: img.MIME, Account: &acct, Write: true,
		Op: networks.OpPublish, AccountID: acct.ID, Target: id,
	}, nil)
	return a.noteQuota(err)
}

// get is a videos.list of id with part, charged to the quota.
func (a *Adapter) get(ctx context.Context, acct networks.Account, op string, id networks.RemoteID, part string) (videoJSON, error) {
	if err := ctx.Err(); err != nil {
		return videoJSON{}, fmt.Errorf("youtube: %s: %w", op, err)
	}
	if _, err := networks.AccessToken(ctx, Network, acct); err != nil {
		return videoJSON{}, err
	}
	if err := a.quota.spend(a.now(), op, CostList, 0); err != nil {
		return videoJSON{}, err
	}
	var out listJSON
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodGet, URL: a.url("/youtube/v3/videos", url.Values{"id": {string(id)}, "part": {part}}),
		Name: "videos.list", Account: &acct, Op: op, AccountID: acct.ID, Target: id,
	}, &out)
	if err != nil {
		return videoJSON{}, a.noteQuota(err)
	}
	if len(out.Items) == 0 || out.Items[0].ID != string(id) {
		return videoJSON{}, &networks.NotFoundError{Network: Network, Op: op, ID: id}
	}
	return out.Items[0], nil
}

// Check reads the video's upload and processing status (videos.list
// part=status,processingDetails): processed is published; failed and
// rejected are a [*networks.RejectedError] with YouTube's reason; uploaded
// (still processing) stays pending. A published receipt is returned as it
// is.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status == networks.StatusPublished {
		return r, nil
	}
	v, err := a.get(ctx, acct, networks.OpCheck, r.ID, "status,processingDetails")
	if err != nil {
		return r, err
	}
	st := ""
	if v.Status != nil {
		st = v.Status.UploadStatus
	}
	switch st {
	case "processed":
		r.Status, r.CheckAfter = networks.StatusPublished, 0
		return r, nil
	case "failed":
		return r, &networks.RejectedError{Network: Network, Op: networks.OpCheck, Code: "failed", Reason: apikit.Message(v.Status.FailureReason)}
	case "rejected":
		return r, &networks.RejectedError{Network: Network, Op: networks.OpCheck, Code: "rejected", Reason: apikit.Message(v.Status.RejectionReason)}
	case "deleted":
		return r, &networks.NotFoundError{Network: Network, Op: networks.OpCheck, ID: r.ID}
	}
	r.Status, r.CheckAfter = networks.StatusPending, 30*time.Second
	return r, nil
}

// Delete is videos.delete (https://developers.google.com/youtube/v3/docs/videos/delete),
// 50 units.
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("youtube: delete: %w", err)
	}
	if _, err := networks.AccessToken(ctx, Network, acct); err != nil {
		return err
	}
	if err := a.quota.spend(a.now(), networks.OpDelete, CostDelete, 0); err != nil {
		return err
	}
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodDelete, URL: a.url("/youtube/v3/videos", url.Values{"id": {string(id)}}),
		Name: "videos.delete", Account: &acct, Write: true, Op: networks.OpDelete, AccountID: acct.ID, Target: id,
	}, nil)
	return a.noteQuota(err)
}

// Metrics reads the video's statistics (videos.list part=statistics):
// viewCount as video views, likeCount as likes, commentCount as comments.
// A count YouTube leaves out (likes the owner hid, comments turned off) is
// absent; favoriteCount is deprecated (always 0) and never reported.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	v, err := a.get(ctx, acct, networks.OpMetrics, id, "statistics")
	if err != nil {
		return analytics.Snapshot{}, err
	}
	snap := analytics.Snapshot{Target: string(id), At: a.now()}
	if s := v.Statistics; s != nil {
		for _, c := range []struct {
			v *string
			m analytics.Metric
		}{{s.ViewCount, analytics.VideoViews}, {s.LikeCount, analytics.Likes}, {s.CommentCount, analytics.Comments}} {
			if c.v == nil {
				continue
			}
			if n, err := strconv.ParseInt(*c.v, 10, 64); err == nil && n >= 0 {
				snap.Counters.Set(c.m, n)
			}
		}
	}
	return snap, nil
}

// FindByMarker looks for the marker's tag among the channel's 50 latest
// uploads: channels.list mine=true (the uploads playlist),
// playlistItems.list, videos.list part=snippet — 3 units. YouTube has no
// idempotency key: a publish whose response was lost (and whose upload
// session could not be asked) is reconciled by this look-up; a video older
// than the 50 latest uploads is not found.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	op := networks.OpFind
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, false, fmt.Errorf("youtube: find: %w", err)
	}
	if _, err := networks.AccessToken(ctx, Network, acct); err != nil {
		return networks.Receipt{}, false, err
	}
	if err := a.quota.spend(a.now(), op, 3*CostList, 0); err != nil {
		return networks.Receipt{}, false, err
	}
	var ch struct {
		Items []struct {
			ContentDetails struct {
				RelatedPlaylists struct {
					Uploads string `json:"uploads"`
				} `json:"relatedPlaylists"`
			} `json:"contentDetails"`
		} `json:"items"`
	}
	if _, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodGet, URL: a.url("/youtube/v3/channels", url.Values{"mine": {"true"}, "part": {"contentDetails"}}),
		Name: "channels.list", Account: &acct, Op: op, AccountID: acct.ID,
	}, &ch); err != nil {
		return networks.Receipt{}, false, a.noteQuota(err)
	}
	if len(ch.Items) == 0 || ch.Items[0].ContentDetails.RelatedPlaylists.Uploads == "" {
		return networks.Receipt{}, false, nil
	}
	var pl struct {
		Items []struct {
			ContentDetails struct {
				VideoID string `json:"videoId"`
			} `json:"contentDetails"`
		} `json:"items"`
	}
	if _, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodGet, URL: a.url("/youtube/v3/playlistItems", url.Values{
			"playlistId": {ch.Items[0].ContentDetails.RelatedPlaylists.Uploads}, "part": {"contentDetails"}, "maxResults": {"50"}}),
		Name: "playlistItems.list", Account: &acct, Op: op, AccountID: acct.ID,
	}, &pl); err != nil {
		return networks.Receipt{}, false, a.noteQuota(err)
	}
	ids := make([]string, 0, len(pl.Items))
	for _, it := range pl.Items {
		ids = append(ids, it.ContentDetails.VideoID)
	}
	if len(ids) == 0 {
		return networks.Receipt{}, false, nil
	}
	var vs listJSON
	if _, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodGet, URL: a.url("/youtube/v3/videos", url.Values{"id": {strings.Join(ids, ",")}, "part": {"snippet,status"}}),
		Name: "videos.list", Account: &acct, Op: op, AccountID: acct.ID,
	}, &vs); err != nil {
		return networks.Receipt{}, false, a.noteQuota(err)
	}
	tag := markerTag(marker)
	for _, v := range vs.Items {
		if v.Snippet == nil {
			continue
		}
		for _, t := range v.Snippet.Tags {
			if t == tag {
				r := networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(v.ID),
					URL: "https://www.youtube.com/watch?v=" + url.QueryEscape(v.ID), Status: networks.StatusPending, Marker: marker, At: a.now()}
				if v.Status != nil && v.Status.UploadStatus == "processed" {
					r.Status = networks.StatusPublished
				}
				return r, true, nil
			}
		}
	}
	return networks.Receipt{}, false, nil
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
