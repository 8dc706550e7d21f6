package facebook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// Network is the networks key of the adapter, [networks.Facebook].
const Network = networks.Facebook

// Adapter publishes to Facebook Pages through the Graph API. It implements
// [networks.Adapter] and [networks.Finder]. Create it with [New]; it is
// immutable after New (but for its cache of Page tokens) and safe for
// concurrent use.
type Adapter struct {
	cfg       metagraph.Config
	baseSet   bool
	videoBase string
	api       *metagraph.Client
	video     *metagraph.Client
	pageID    func(networks.Account) string
	kind      TokenKind
	appID     string
	report    func(ctx context.Context, r networks.Receipt, err *CommentError)
	tokens    pageTokens
}

// New returns an adapter sending with hc (nil: http.DefaultClient). A bad
// option or host is a *networks.FieldError.
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{cfg: metagraph.Config{Network: Network}, pageID: func(acct networks.Account) string { return acct.ID }}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	api, err := metagraph.New(hc, a.cfg)
	if err != nil {
		return nil, err
	}
	vcfg := a.cfg
	switch {
	case a.videoBase != "":
		vcfg.BaseURL = a.videoBase
	case !a.baseSet:
		vcfg.BaseURL = DefaultVideoHost
	}
	video, err := metagraph.New(hc, vcfg)
	if err != nil {
		return nil, &networks.FieldError{Network: Network, Field: "video_base_url", Value: vcfg.BaseURL, Reason: "not an absolute http(s) URL"}
	}
	a.api, a.video = api, video
	return a, nil
}

// String describes the adapter without its secrets (the app secret, the
// cached Page tokens), so that printing it with any verb is safe.
func (a *Adapter) String() string {
	return fmt.Sprintf("facebook.Adapter{base:%q version:%q tokens:%s app:%q}", a.cfg.BaseURL, a.cfg.Version, kindName(a.kind), a.appID)
}

// GoString is String, so %#v never prints a secret.
func (a *Adapter) GoString() string { return a.String() }

// LogValue implements slog.LogValuer with String.
func (a *Adapter) LogValue() slog.Value { return slog.StringValue(a.String()) }

// Spec returns [networks.FacebookSpec] with the message shortened by the 33
// invisible code points of the marker tag (see the package doc).
func Spec() networks.Spec {
	s := networks.FacebookSpec()
	s.Text.MaxLength -= metagraph.MarkerTagLen
	return s
}

// Spec returns the adapter's spec.
func (a *Adapter) Spec() networks.Spec { return Spec() }

// Tag returns the invisible marker tag put at the end of a post's message
// ([metagraph.MarkerTag]).
func Tag(marker string) string { return metagraph.MarkerTag(marker) }

// do sends c with s's Page token; a refused token leaves the cache.
func (a *Adapter) do(ctx context.Context, api *metagraph.Client, s *session, c *metagraph.Call, out any) (apikit.Response, error) {
	c.Token, c.Account = s.Token, &s.Account
	res, err := api.Do(ctx, c, out)
	if err != nil {
		a.refused(s, err)
	}
	return res, err
}

// validate checks what Validate cannot: the post is not empty, each item
// is an image or a video with a source (a public URL or its bytes), a link
// goes without media, a video's bytes need the app id and a size, and a
// video has no first comment.
func (a *Adapter) validate(d networks.Draft) error {
	if strings.TrimSpace(d.Text) == "" && d.Link == "" && len(d.Media) == 0 {
		return &networks.FieldError{Network: Network, Field: "text", Value: d.Text, Reason: "a Facebook post needs a message, a link or media"}
	}
	if d.Link != "" && len(d.Media) > 0 {
		return &networks.FieldError{Network: Network, Field: "link", Value: d.Link, Reason: "a Facebook post carries a link or media, not both"}
	}
	for i, m := range d.Media {
		field := "media[" + strconv.Itoa(i) + "]"
		switch {
		case m.Kind != assets.KindImage && m.Kind != assets.KindVideo:
			return &networks.FieldError{Network: Network, Field: field + ".kind", Value: string(m.Kind), Reason: "Facebook Pages take photos and videos"}
		case m.URL == "" && m.Open == nil:
			return &networks.FieldError{Network: Network, Field: field + ".url", Reason: "neither a public URL nor the bytes (Open) given"}
		case m.URL != "" && !httpURL(m.URL):
			return &networks.FieldError{Network: Network, Field: field + ".url", Value: m.URL, Reason: "not an absolute http(s) URL"}
		case m.Kind == assets.KindVideo && m.URL == "" && a.appID == "":
			return &networks.FieldError{Network: Network, Field: field + ".url", Reason: "uploading a video's bytes needs the Meta app id (WithAppID); give a public URL or configure the app id"}
		case m.Kind == assets.KindVideo && m.URL == "" && m.Size <= 0:
			return &networks.FieldError{Network: Network, Field: field + ".size", Value: strconv.FormatInt(m.Size, 10), Reason: "the Resumable Upload API needs the file's size"}
		case m.Kind == assets.KindVideo && d.FirstComment != "":
			return &networks.FieldError{Network: Network, Field: "first_comment", Value: d.FirstComment,
				Reason: "not supported with a video: the video is still processing when Publish returns; comment later with Adapter.Comment"}
		}
	}
	return nil
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Publish posts d to the account's Page:
//
//   - text, with d.Link as the link attachment: POST /{page-id}/feed
//     (https://developers.facebook.com/docs/pages-api/posts);
//   - one photo: POST /{page-id}/photos with the message
//     (https://developers.facebook.com/docs/graph-api/reference/page/photos);
//   - several photos: each uploaded unpublished (published=false), then
//     one POST /{page-id}/feed with attached_media
//     (https://developers.facebook.com/docs/pages-api/posts#publish-a-multi-photo-post);
//   - a video: POST /{page-id}/videos with file_url, or with the handle of
//     its bytes sent through the Resumable Upload API, returning a pending
//     receipt (the video id) that Check resolves when Meta has processed it
//     (https://developers.facebook.com/docs/video-api/guides/publishing).
//
// Photos and videos come from MediaItem.URL (Meta fetches them) or, when
// absent, from MediaItem.Open. Before any call the draft is checked against
// [Spec] and the rules of validate. The marker travels as the invisible
// [Tag] at the end of the message. The post itself is the one write: a lost
// answer is a *networks.OutcomeUnknownError, resolved by FindByMarker (a
// server error is settled at once, see settle);
// unpublished photos and upload sessions publish nothing, so their failures
// are transient. d.FirstComment is posted after the post; its failure never
// fails the publish (see [WithCommentReport]).
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, fmt.Errorf("%s: publish: %w", Network, err)
	}
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	if err := a.validate(d); err != nil {
		return networks.Receipt{}, err
	}
	s, err := a.session(ctx, acct)
	if err != nil {
		return networks.Receipt{}, err
	}
	marker := apikit.Marker(d)
	msg := d.Text + Tag(marker)
	var r networks.Receipt
	switch {
	case len(d.Media) == 1 && d.Media[0].Kind == assets.KindVideo:
		return a.publishVideo(ctx, s, d.Media[0], msg, marker)
	case len(d.Media) == 1:
		r, err = a.photo(ctx, s, d.Media[0], msg, marker)
	case len(d.Media) > 1:
		ids := make([]map[string]string, 0, len(d.Media))
		for _, m := range d.Media {
			id, perr := a.unpublished(ctx, s, m)
			if perr != nil {
				return networks.Receipt{}, perr
			}
			ids = append(ids, map[string]string{"media_fbid": id})
		}
		r, err = a.feed(ctx, s, map[string]any{"message": msg, "attached_media": ids}, marker)
	default:
		p := map[string]any{"message": msg}
		if d.Link != "" {
			p["link"] = d.Link
		}
		r, err = a.feed(ctx, s, p, marker)
	}
	if err != nil {
		return a.settle(ctx, acct, marker, err)
	}
	if d.FirstComment != "" {
		if cerr := a.comment(ctx, s, r.ID, d.FirstComment); cerr != nil && a.report != nil {
			a.report(ctx, r, &CommentError{Post: r.ID, Err: cerr})
		}
	}
	return r, nil
}

// settle resolves a post that Meta answered with a server error (code 1
// or 2, a 5xx: an *networks.OutcomeUnknownError from the kit, since the
// post may have been made before the failure) by looking the marker up
// ([Adapter.FindByMarker]): the post found is the publish's receipt; none
// found proves nothing was written and the failure is a
// *networks.TransientError the Publisher may retry. When the lookup
// fails, or the answer was lost rather than an error, the outcome stays
// unknown.
func (a *Adapter) settle(ctx context.Context, acct networks.Account, marker string, err error) (networks.Receipt, error) {
	var ge *metagraph.Error
	if !errors.Is(err, networks.ErrOutcomeUnknown) || !errors.As(err, &ge) {
		return networks.Receipt{}, err
	}
	r, found, ferr := a.FindByMarker(ctx, acct, marker)
	switch {
	case ferr != nil:
		return networks.Receipt{}, err
	case found:
		return r, nil
	}
	return networks.Receipt{}, &networks.TransientError{Network: Network, Op: networks.OpPublish, Status: ge.Status, Err: ge}
}

// feed is POST /{page-id}/feed, the write of text, link and multi-photo
// posts.
func (a *Adapter) feed(ctx context.Context, s *session, p map[string]any, marker string) (networks.Receipt, error) {
	var out struct {
		ID string `json:"id"`
	}
	res, err := a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodPost, Path: "/" + s.page + "/feed", Params: p,
		Name: "POST /{page-id}/feed", Write: true, Op: networks.OpPublish, Marker: marker}, &out)
	if err != nil {
		return networks.Receipt{}, err
	}
	return a.published(s, out.ID, marker, res.Quotas, "POST /{page-id}/feed")
}

func (a *Adapter) published(s *session, id, marker string, quotas []networks.Quota, name string) (networks.Receipt, error) {
	if id == "" {
		return networks.Receipt{}, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpPublish, AccountID: s.Account.ID, Marker: marker,
			Err: errors.New(name + ": no post id in the answer")}
	}
	return networks.Receipt{Network: Network, AccountID: s.Account.ID, ID: networks.RemoteID(id), URL: Permalink(networks.RemoteID(id)),
		Status: networks.StatusPublished, Marker: marker, At: a.api.Now(), Quotas: quotas}, nil
}

// Permalink returns the address of a Page post id ({page-id}_{post-id}):
// https://www.facebook.com/{page-id}/posts/{post-id}; for another id (a
// video), https://www.facebook.com/{id}.
func Permalink(id networks.RemoteID) string {
	page, post, ok := strings.Cut(string(id), "_")
	if ok && page != "" && post != "" {
		return "https://www.facebook.com/" + url.PathEscape(page) + "/posts/" + url.PathEscape(post)
	}
	return "https://www.facebook.com/" + url.PathEscape(string(id))
}

// photoBody returns the source of photo m with fields: as parameters with
// url, or as a multipart body with the bytes as the "source" part (a photo
// is at most the spec's 4 MiB, so it is read whole).
func photoBody(ctx context.Context, m networks.MediaItem, fields map[string]string) (params map[string]any, body []byte, ctype string, err error) {
	if m.URL != "" {
		params = map[string]any{"url": m.URL}
		for k, v := range fields {
			params[k] = v
		}
		return params, nil, "", nil
	}
	rc, err := open(ctx, m)
	if err != nil {
		return nil, nil, "", err
	}
	defer rc.Close()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	part, err := w.CreateFormFile("source", "photo"+ext(m.MIME))
	if err != nil {
		return nil, nil, "", err
	}
	limit := Spec().Media.Kinds[assets.KindImage].MaxSize
	n, err := io.Copy(part, io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, nil, "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("read the photo: %w", err)}
	}
	if n > limit {
		return nil, nil, "", &networks.FieldError{Network: Network, Field: "media.size", Value: strconv.FormatInt(n, 10),
			Reason: "the photo's bytes exceed " + strconv.FormatInt(limit, 10) + " bytes, though its metadata said " + strconv.FormatInt(m.Size, 10)}
	}
	if err := w.Close(); err != nil {
		return nil, nil, "", err
	}
	return nil, buf.Bytes(), w.FormDataContentType(), nil
}

func ext(mime string) string {
	switch mime {
	case "image/png":
		return ".png"
	case "video/mp4":
		return ".mp4"
	}
	return ".jpg"
}

// photoCall sends POST /{page-id}/photos with m's source and fields.
func (a *Adapter) photoCall(ctx context.Context, s *session, m networks.MediaItem, fields map[string]string, write bool, marker string, out any) (apikit.Response, error) {
	params, body, ctype, err := photoBody(ctx, m, fields)
	if err != nil {
		return apikit.Response{}, err
	}
	c := &metagraph.Call{Method: http.MethodPost, Path: "/" + s.page + "/photos",
		Name: "POST /{page-id}/photos", Write: write, Op: networks.OpPublish, Marker: marker}
	if params != nil {
		c.Params = params
		return a.do(ctx, a.api, s, c, out)
	}
	return a.raw(ctx, a.api, s, c, body, ctype, out)
}

// photo publishes one photo with the message: a write.
func (a *Adapter) photo(ctx context.Context, s *session, m networks.MediaItem, msg, marker string) (networks.Receipt, error) {
	var out struct {
		ID     string `json:"id"`
		PostID string `json:"post_id"`
	}
	res, err := a.photoCall(ctx, s, m, map[string]string{"message": msg, "published": "true"}, true, marker, &out)
	if err != nil {
		return networks.Receipt{}, err
	}
	id := out.PostID
	if id == "" && out.ID != "" {
		id = s.page + "_" + out.ID
	}
	return a.published(s, id, marker, res.Quotas, "POST /{page-id}/photos")
}

// unpublished uploads one photo with published=false for a multi-photo
// post. An unpublished photo is not visible, so it is not a write: a lost
// answer is transient and the next attempt uploads it again.
func (a *Adapter) unpublished(ctx context.Context, s *session, m networks.MediaItem) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	if _, err := a.photoCall(ctx, s, m, map[string]string{"published": "false"}, false, "", &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("POST /{page-id}/photos: no photo id in the answer")}
	}
	return out.ID, nil
}

// raw sends c with a raw body (multipart).
func (a *Adapter) raw(ctx context.Context, api *metagraph.Client, s *session, c *metagraph.Call, body []byte, ctype string, out any) (apikit.Response, error) {
	c.Body, c.ContentType = body, ctype
	return a.do(ctx, api, s, c, out)
}

// open opens m's bytes; a source that gives no reader is the host's
// mistake, reported like a failure to open.
func open(ctx context.Context, m networks.MediaItem) (io.ReadCloser, error) {
	rc, err := m.Open(ctx)
	switch {
	case err != nil:
		if rc != nil {
			_ = rc.Close()
		}
		return nil, openError(ctx, err)
	case rc == nil:
		return nil, openError(ctx, errors.New("MediaItem.Open returned no reader and no error"))
	}
	return rc, nil
}

// openError classifies a failure to open a media item's bytes: nothing was
// sent; the host's blob store failed.
func openError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: publish: open the media: %w", Network, ctx.Err())
	}
	var rl *networks.RateLimitError
	var te *networks.TransientError
	if errors.As(err, &rl) || errors.As(err, &te) {
		return err
	}
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("open the media: %w", err)}
}

// Comment posts text as a comment of the Page on post: POST
// /{object-id}/comments
// (https://developers.facebook.com/docs/graph-api/reference/object/comments).
// It is a write without an idempotency key: a lost answer is an
// *networks.OutcomeUnknownError and calling Comment again may comment twice.
func (a *Adapter) Comment(ctx context.Context, acct networks.Account, post networks.RemoteID, text string) error {
	if err := checkID(post); err != nil {
		return err
	}
	if text == "" {
		return &networks.FieldError{Network: Network, Field: "comment", Reason: "empty"}
	}
	s, err := a.session(ctx, acct)
	if err != nil {
		return err
	}
	return a.comment(ctx, s, post, text)
}

func (a *Adapter) comment(ctx context.Context, s *session, post networks.RemoteID, text string) error {
	_, err := a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodPost, Path: "/" + string(post) + "/comments",
		Params: map[string]any{"message": text}, Name: "POST /{object-id}/comments", Write: true, Op: networks.OpPublish, Target: post}, nil)
	return err
}

func checkID(id networks.RemoteID) error {
	if !validID(string(id)) {
		return &networks.FieldError{Network: Network, Field: "id", Value: string(id), Reason: "not a Facebook post or video id"}
	}
	return nil
}

// Delete removes a post or video: DELETE /{id}
// (https://developers.facebook.com/docs/graph-api/reference/post#deleting).
// A missing or already deleted post is a *networks.NotFoundError.
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: delete: %w", Network, err)
	}
	if err := checkID(id); err != nil {
		return err
	}
	s, err := a.session(ctx, acct)
	if err != nil {
		return err
	}
	_, err = a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodDelete, Path: "/" + string(id), Name: "DELETE /{post-id}",
		Write: true, Op: networks.OpDelete, Target: id}, nil)
	return err
}

// pendingAfter is the CheckAfter of a pending video.
const pendingAfter = 30 * time.Second

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
