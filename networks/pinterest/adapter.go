package pinterest

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
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Network is the key of Pinterest's spec, [networks.Pinterest].
const Network = networks.Pinterest

// DefaultBaseURL is where the Pinterest API v5 lives (servers[0] of the
// OpenAPI description).
const DefaultBaseURL = "https://api.pinterest.com/v5"

// RateHeaders are the rate-limit headers the adapter reads:
// x-ratelimit-limit, x-ratelimit-remaining and x-ratelimit-reset (the
// reset as seconds from now, or a Unix time). The rate-limit page
// (https://developers.pinterest.com/docs/reference/rate-limits/) documents
// the limits per category (create pin: org_write; analytics:
// org_analytics) but not the headers' format, so a missing or malformed
// header is ignored, never an error.
var RateHeaders = apikit.RateHeaders{Limit: "x-ratelimit-limit", Remaining: "x-ratelimit-remaining", Reset: "x-ratelimit-reset", Form: apikit.ResetDeltaOrEpoch}

// DefaultCoverKeyFrame is the second of a video whose frame becomes its
// cover (media_source.cover_image_key_frame_time) when the draft gives no
// cover image.
const DefaultCoverKeyFrame = 1

// Adapter publishes pins to Pinterest through the API v5 with hand-written
// requests on the adapter kit. Create it with [New]; it is safe for
// concurrent use.
type Adapter struct {
	api       *apikit.Client
	hc        *http.Client
	now       func() time.Time
	base      string
	dest      Destinations
	journal   Journal
	findPages int
}

// Option configures an [Adapter].
type Option func(*Adapter) error

// WithClock sets the adapter's clock (receipts, snapshots, analytics dates,
// journal entries).
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if err := apikit.Clock(Network, now); err != nil {
			return err
		}
		a.now = now
		return nil
	}
}

// WithBaseURL points the adapter at another server (a fake), the URL up to
// and including /v5; default [DefaultBaseURL].
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

// WithDestinations says which board (and section) each account pins to.
// It is required: Pinterest puts every pin on a board, and neither
// [networks.Account] nor [networks.Draft] names one. A [DestinationMap] is
// checked here; a [DestinationFunc]'s answers are checked at each publish.
func WithDestinations(d Destinations) Option {
	return func(a *Adapter) error {
		if d == nil {
			return &networks.FieldError{Network: Network, Field: "destinations", Reason: "nil"}
		}
		if m, ok := d.(DestinationMap); ok {
			for id, dst := range m {
				if err := dst.check(id); err != nil {
					return err
				}
			}
		}
		a.dest = d
		return nil
	}
}

// WithJournal sets where the adapter notes each publish before sending it
// (see [Journal]). Default: a [MemJournal] of this process; give a durable
// one when replicas or restarts must find each other's pins or finish each
// other's pending video pins.
func WithJournal(j Journal) Option {
	return func(a *Adapter) error {
		if j == nil {
			return &networks.FieldError{Network: Network, Field: "journal", Reason: "nil"}
		}
		a.journal = j
		return nil
	}
}

// WithFindPages bounds how many pages of 100 pins of the board
// [Adapter.FindByMarker] reads; default 2.
func WithFindPages(n int) Option {
	return func(a *Adapter) error {
		if n <= 0 {
			return &networks.FieldError{Network: Network, Field: "find_pages", Value: strconv.Itoa(n), Reason: "must be positive"}
		}
		a.findPages = n
		return nil
	}
}

// New returns an Adapter that sends its requests through hc (nil:
// http.DefaultClient). [WithDestinations] is required.
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{hc: hc, now: time.Now, base: DefaultBaseURL, journal: &MemJournal{}, findPages: 2}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	if a.dest == nil {
		return nil, &networks.FieldError{Network: Network, Field: "destinations", Reason: "required: the board each account pins to (WithDestinations)"}
	}
	if a.hc == nil {
		a.hc = http.DefaultClient
	}
	a.api = &apikit.Client{Network: Network, HTTP: a.hc, Now: a.now, Quotas: RateHeaders, Classify: classify}
	return a, nil
}

// Spec returns [networks.PinterestSpec]: one image, a carousel of 2 to 5
// images, or one video with at most one cover image.
func (a *Adapter) Spec() networks.Spec { return networks.PinterestSpec() }

func (a *Adapter) url(path string, q url.Values) string { return a.base + path + encodeQuery(q) }

func encodeQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// digits reports whether s is a Pinterest id: decimal digits (the ^\d+$
// pattern of every id in the description).
func digits(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// PinURL is the public page of a pin.
func PinURL(id networks.RemoteID) string {
	return "https://www.pinterest.com/pin/" + url.PathEscape(string(id)) + "/"
}

// pinCreate is the body of POST /v5/pins (components.schemas.PinCreate).
type pinCreate struct {
	BoardID        string      `json:"board_id"`
	BoardSectionID string      `json:"board_section_id,omitempty"`
	Title          string      `json:"title,omitempty"`
	Description    string      `json:"description,omitempty"`
	Link           string      `json:"link,omitempty"`
	AltText        string      `json:"alt_text,omitempty"`
	MediaSource    mediaSource `json:"media_source"`
}

// mediaSource is one of the PinMediaSource* schemas, told apart by
// source_type.
type mediaSource struct {
	SourceType             string       `json:"source_type"`
	URL                    string       `json:"url,omitempty"`
	ContentType            string       `json:"content_type,omitempty"`
	Data                   string       `json:"data,omitempty"`
	Items                  []sourceItem `json:"items,omitempty"`
	MediaID                string       `json:"media_id,omitempty"`
	CoverImageURL          string       `json:"cover_image_url,omitempty"`
	CoverImageContentType  string       `json:"cover_image_content_type,omitempty"`
	CoverImageData         string       `json:"cover_image_data,omitempty"`
	CoverImageKeyFrameTime *int         `json:"cover_image_key_frame_time,omitempty"`
}

type sourceItem struct {
	URL         string `json:"url,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Data        string `json:"data,omitempty"`
}

// pinJSON is the part of the Pin schema the adapter reads.
type pinJSON struct {
	ID          string  `json:"id"`
	BoardID     string  `json:"board_id"`
	Title       *string `json:"title"`
	Description *string `json:"description"`
	CreatedAt   string  `json:"created_at"`
	Media       *struct {
		MediaType string `json:"media_type"`
	} `json:"media"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Publish creates a pin of d on the account's destination board
// (pins/create, POST /v5/pins):
// title d.Title, description d.Text, link d.Link, alt text the first
// image's Alt. Media:
//
//   - one image: image_url when the item has a URL, else image_base64 from
//     its bytes (JPEG or PNG, the description's ContentType);
//   - 2 to 5 images: a carousel, multiple_image_urls or
//     multiple_image_base64 (all items by URL, or all by bytes);
//   - a video: registered (POST /v5/media), uploaded to the returned
//     upload URL with its parameters as one multipart POST streamed from
//     MediaItem.Open, its status read (GET /v5/media/{id}), then the pin is
//     created with media_source video_id. An image beside the video is its
//     cover (cover_image_url or cover_image_data); without one the frame at
//     [DefaultCoverKeyFrame] s is. A video still processing (or whose
//     status could not be read after the upload) gives a
//     [networks.StatusPending] receipt naming the media; [Adapter.Check]
//     creates the pin once it succeeded.
//
// Before anything is sent: the draft is validated against the spec and the
// adapter's own rules, the destination and token are got, and the marker,
// board and a digest of title and description go to the [Journal]. A lost
// answer to POST /v5/pins is an [*networks.OutcomeUnknownError] that
// [Adapter.FindByMarker] resolves; Pinterest's own 5xx error object is
// settled at once the same way (found: the receipt; not found: transient),
// a gateway's page without it stays unknown. Every failure before POST
// /v5/pins is transient or a rejection: no pin exists without it.
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, fmt.Errorf("pinterest: publish: %w", err)
	}
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	dst, err := a.destination(acct)
	if err != nil {
		return networks.Receipt{}, err
	}
	p, err := plan(d)
	if err != nil {
		return networks.Receipt{}, err
	}
	if _, err := networks.AccessToken(ctx, Network, acct); err != nil {
		return networks.Receipt{}, err
	}
	marker := apikit.Marker(d)
	pin := pinCreate{BoardID: dst.Board, BoardSectionID: dst.Section, Title: d.Title, Description: d.Text, Link: d.Link, AltText: p.alt}
	entry := Entry{Board: dst.Board, Digest: Digest(d.Title, d.Text), At: a.now()}
	if p.video == nil {
		if pin.MediaSource, err = imageSource(ctx, p.images); err != nil {
			return networks.Receipt{}, err
		}
		if err := a.note(ctx, marker, entry); err != nil {
			return networks.Receipt{}, err
		}
		return a.createPin(ctx, acct, pin, marker, networks.OpPublish)
	}
	if pin.MediaSource, err = coverSource(ctx, p.cover); err != nil {
		return networks.Receipt{}, err
	}
	if err := a.note(ctx, marker, entry); err != nil {
		return networks.Receipt{}, err
	}
	media, err := a.uploadVideo(ctx, acct, *p.video)
	if err != nil {
		return networks.Receipt{}, err
	}
	pin.MediaSource.MediaID = media
	st, err := a.mediaStatus(ctx, acct, media, networks.OpPublish)
	switch {
	case err != nil && ctx.Err() != nil:
		return networks.Receipt{}, err
	case err != nil:
		// The video is uploaded; its status could not be read. Pending:
		// Check reads it again rather than a new attempt uploading again.
	case st == "succeeded":
		return a.createPin(ctx, acct, pin, marker, networks.OpPublish)
	case st == "failed":
		return networks.Receipt{}, processingFailed(networks.OpPublish, media)
	}
	body, _ := json.Marshal(pin)
	entry.Media, entry.Pin = media, body
	if err := a.note(ctx, marker, entry); err != nil {
		return networks.Receipt{}, err
	}
	return networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(media), Status: networks.StatusPending,
		Marker: marker, At: a.now(), CheckAfter: 10 * time.Second}, nil
}

func (a *Adapter) note(ctx context.Context, marker string, e Entry) error {
	if err := a.journal.Put(ctx, marker, e); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("pinterest: journal: %w", ctx.Err())
		}
		return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("journal: %w", err)}
	}
	return nil
}

func processingFailed(op, media string) error {
	return &networks.RejectedError{Network: Network, Op: op, Code: "media_failed",
		Reason: "Pinterest could not process the video (media " + media + " status failed)"}
}

// createPin sends POST /v5/pins, the one write that makes a pin.
func (a *Adapter) createPin(ctx context.Context, acct networks.Account, pin any, marker, op string) (networks.Receipt, error) {
	var out pinJSON
	res, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodPost, URL: a.url("/pins", nil), Name: "POST /v5/pins", JSON: pin,
		Account: &acct, Write: true, Op: op, AccountID: acct.ID, Marker: marker,
	}, &out)
	if err != nil {
		var ou *networks.OutcomeUnknownError
		var ae *APIError
		if errors.As(err, &ou) && res.Status >= 500 && errors.As(err, &ae) {
			// Pinterest answered: the request is over. The board says
			// whether the pin was made.
			r, found, ferr := a.FindByMarker(ctx, acct, marker)
			switch {
			case ferr != nil:
			case found:
				r.Quotas = res.Quotas
				return r, nil
			default:
				return networks.Receipt{}, &networks.TransientError{Network: Network, Op: op, Status: res.Status, Err: ae}
			}
		}
		return networks.Receipt{}, err
	}
	if !digits(out.ID) {
		return networks.Receipt{}, &networks.OutcomeUnknownError{Network: Network, Op: op, AccountID: acct.ID, Marker: marker,
			Err: errors.New("POST /v5/pins: the answer names no pin")}
	}
	id := networks.RemoteID(out.ID)
	return networks.Receipt{Network: Network, AccountID: acct.ID, ID: id, URL: PinURL(id), Status: networks.StatusPublished,
		Marker: marker, At: a.now(), Quotas: res.Quotas}, nil
}

// Check resolves a pending video pin (its ID is the media id): it reads the
// media's status (GET /v5/media/{id}); registered or processing stays
// pending, failed is a [*networks.RejectedError], succeeded creates the pin
// from the request the [Journal] kept. A create whose answer is lost
// leaves the receipt pending; the next Check searches the board first (the
// journal notes the create was sent), so Check never pins twice.
//
// When the journal holds no pin waiting for the receipt's media — an
// earlier Check made the pin and its answer or receipt was lost (the entry
// is cleared once the pin exists), a later publish of the same marker
// replaced the entry with its own media, or the journal lost the entry
// (an in-memory one across a restart) — Check looks the pin up on the
// board by marker ([Adapter.FindByMarker]) before anything else: a pin
// found is the published receipt, never a failure. Only a pin found
// nowhere is a [*networks.RejectedError] (code pending_pin_lost) naming
// the media: publish the draft again.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status != networks.StatusPending {
		return r, nil
	}
	if err := ctx.Err(); err != nil {
		return r, fmt.Errorf("pinterest: check: %w", err)
	}
	e, ok, err := a.journal.Get(ctx, r.Marker)
	if err != nil {
		return r, &networks.TransientError{Network: Network, Op: networks.OpCheck, Err: fmt.Errorf("journal: %w", err)}
	}
	if !ok || e.Media != string(r.ID) || len(e.Pin) == 0 {
		return a.settleLost(ctx, acct, r, e, ok)
	}
	if e.Sent {
		got, found, err := a.FindByMarker(ctx, acct, r.Marker)
		if err != nil {
			return r, err
		}
		if found {
			return got, nil
		}
	}
	st, err := a.mediaStatus(ctx, acct, e.Media, networks.OpCheck)
	if err != nil {
		return r, err
	}
	switch st {
	case "failed":
		return r, processingFailed(networks.OpCheck, e.Media)
	case "succeeded":
	default:
		r.CheckAfter = 10 * time.Second
		return r, nil
	}
	e.Sent = true
	if err := a.journal.Put(ctx, r.Marker, e); err != nil {
		return r, &networks.TransientError{Network: Network, Op: networks.OpCheck, Err: fmt.Errorf("journal: %w", err)}
	}
	got, err := a.createPin(ctx, acct, e.Pin, r.Marker, networks.OpCheck)
	if errors.Is(err, networks.ErrOutcomeUnknown) {
		// The pin may exist: still pending, and the next Check looks for
		// it on the board (the entry says it was sent) before pinning.
		r.CheckAfter = 5 * time.Second
		return r, nil
	}
	if err != nil {
		return r, err
	}
	e.Media, e.Pin, e.Sent = "", nil, false
	_ = a.journal.Put(ctx, r.Marker, e) // the pin exists; a stale entry only costs a look-up
	return got, nil
}

// settleLost settles a pending receipt whose media no journal entry waits
// for: the pin found on the board by marker, or pending_pin_lost.
func (a *Adapter) settleLost(ctx context.Context, acct networks.Account, r networks.Receipt, e Entry, known bool) (networks.Receipt, error) {
	got, found, err := a.FindByMarker(ctx, acct, r.Marker)
	if err != nil {
		return r, err
	}
	if found {
		return got, nil
	}
	reason := "the journal holds no pin waiting for media " + string(r.ID)
	if known && len(e.Pin) > 0 {
		reason += " (the marker's entry waits for media " + e.Media + ", a later publish)"
	}
	return r, &networks.RejectedError{Network: Network, Op: networks.OpCheck, Code: "pending_pin_lost",
		Reason: reason + ", and the board holds no pin of it; publish the draft again"}
}

// Delete is pins/delete, DELETE /v5/pins/{pin_id}. An id that
// is not a Pinterest id (digits) names no pin: [*networks.NotFoundError]
// without a request.
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pinterest: delete: %w", err)
	}
	if !digits(string(id)) {
		return notFound(networks.OpDelete, id)
	}
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodDelete, URL: a.url("/pins/"+string(id), nil), Name: "DELETE /v5/pins/{pin_id}",
		Account: &acct, Write: true, Op: networks.OpDelete, AccountID: acct.ID, Target: id,
	}, nil)
	return err
}

// The analytics metric types the adapter asks for
// (GET /v5/pins/{pin_id}/analytics, parameter metric_types).
var (
	standardMetrics = []string{"IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE", "TOTAL_COMMENTS", "TOTAL_REACTIONS"}
	videoMetrics    = []string{"VIDEO_MRC_VIEW", "VIDEO_START", "VIDEO_10S_VIEW"}
)

// AnalyticsDays is the period [Adapter.Metrics] reads, ending today (UTC):
// Pinterest keeps pin analytics for 90 days.
const AnalyticsDays = 90

// Analytics is a pin's analytics as Pinterest reports them: Summary over
// the [AnalyticsDays] ending today by metric type (IMPRESSION, SAVE,
// PIN_CLICK, OUTBOUND_CLICK, VIDEO_MRC_VIEW...), Lifetime for the lifetime
// metrics (TOTAL_COMMENTS, TOTAL_REACTIONS). A metric Pinterest did not
// give is absent.
type Analytics struct {
	Summary  map[string]float64
	Lifetime map[string]float64
}

// Analytics reads the pin (GET /v5/pins/{pin_id}, to know whether it is a
// video) and its analytics (pins/analytics, GET
// /v5/pins/{pin_id}/analytics) for the
// [AnalyticsDays] ending today, standard metrics and, for a video pin,
// video metrics.
func (a *Adapter) Analytics(ctx context.Context, acct networks.Account, id networks.RemoteID) (Analytics, error) {
	if err := ctx.Err(); err != nil {
		return Analytics{}, fmt.Errorf("pinterest: metrics: %w", err)
	}
	if !digits(string(id)) {
		return Analytics{}, notFound(networks.OpMetrics, id)
	}
	var pin pinJSON
	if _, err := a.api.Do(ctx, &apikit.Request{Method: http.MethodGet, URL: a.url("/pins/"+string(id), nil), Name: "GET /v5/pins/{pin_id}",
		Account: &acct, Op: networks.OpMetrics, AccountID: acct.ID, Target: id}, &pin); err != nil {
		return Analytics{}, err
	}
	types := standardMetrics
	if pin.Media != nil && strings.Contains(pin.Media.MediaType, "video") {
		types = append(append([]string(nil), standardMetrics...), videoMetrics...)
	}
	end := a.now().UTC()
	q := url.Values{
		"start_date":   {end.AddDate(0, 0, -(AnalyticsDays - 1)).Format(time.DateOnly)},
		"end_date":     {end.Format(time.DateOnly)},
		"metric_types": {strings.Join(types, ",")},
	}
	var out map[string]struct {
		Summary  map[string]*float64 `json:"summary_metrics"`
		Lifetime map[string]*float64 `json:"lifetime_metrics"`
	}
	if _, err := a.api.Do(ctx, &apikit.Request{Method: http.MethodGet, URL: a.url("/pins/"+string(id)+"/analytics", q),
		Name: "GET /v5/pins/{pin_id}/analytics", Account: &acct, Op: networks.OpMetrics, AccountID: acct.ID, Target: id}, &out); err != nil {
		return Analytics{}, err
	}
	res := Analytics{Summary: map[string]float64{}, Lifetime: map[string]float64{}}
	group, ok := out["all"]
	if !ok {
		for _, g := range out { // a single group under another name
			group = g
			break
		}
	}
	for k, v := range group.Summary {
		if v != nil {
			res.Summary[k] = *v
		}
	}
	for k, v := range group.Lifetime {
		if v != nil {
			res.Lifetime[k] = *v
		}
	}
	return res, nil
}

// metricMap is how Pinterest's metric types become counters. PIN_CLICK (a
// click to the pin's close-up) has no counter of its own: it is in
// [Adapter.Analytics] only.
var metricMap = []struct {
	name     string
	lifetime bool
	m        analytics.Metric
}{
	{"IMPRESSION", false, analytics.Impressions},
	{"SAVE", false, analytics.Saves},
	{"OUTBOUND_CLICK", false, analytics.Clicks},
	{"VIDEO_MRC_VIEW", false, analytics.VideoViews},
	{"TOTAL_COMMENTS", true, analytics.Comments},
	{"TOTAL_REACTIONS", true, analytics.Likes},
}

// Metrics returns the pin's counters ([Adapter.Analytics]): IMPRESSION as
// impressions, SAVE as saves, OUTBOUND_CLICK as clicks (to the pin's
// link), VIDEO_MRC_VIEW as video views, TOTAL_COMMENTS as comments and
// TOTAL_REACTIONS as likes. A metric Pinterest leaves out is absent, never
// zero. The period counters cover the last [AnalyticsDays] days.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	an, err := a.Analytics(ctx, acct, id)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	snap := analytics.Snapshot{Target: string(id), At: a.now()}
	for _, mm := range metricMap {
		src := an.Summary
		if mm.lifetime {
			src = an.Lifetime
		}
		if v, ok := src[mm.name]; ok && v >= 0 && v < 1e15 {
			snap.Counters.Set(mm.m, int64(v+0.5))
		}
	}
	return snap, nil
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
