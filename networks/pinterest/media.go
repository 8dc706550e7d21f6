package pinterest

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/upload"
)

// base64Types are the types an image sent as bytes may have
// (components.schemas.ContentType of the description).
var base64Types = []string{"image/jpeg", "image/png"}

// pinPlan is a draft's media sorted into what a pin takes.
type pinPlan struct {
	images []networks.MediaItem
	video  *networks.MediaItem
	cover  *networks.MediaItem
	alt    string
}

func violation(field, rule string, limit, value int64, detail string) error {
	return &networks.ValidationError{Network: Network, Violations: []*networks.Violation{{
		Network: Network, Field: field, Rule: rule, Limit: limit, Value: value, Offset: -1, Detail: detail,
	}}}
}

// plan checks what the spec cannot say: a video takes at most one image
// (its cover), a carousel has one alt text (the first image's), images are
// all given by URL or all by bytes, bytes are JPEG or PNG.
func plan(d networks.Draft) (pinPlan, error) {
	var p pinPlan
	for i := range d.Media {
		switch d.Media[i].Kind {
		case assets.KindVideo:
			p.video = &d.Media[i]
		case assets.KindImage:
			p.images = append(p.images, d.Media[i])
		}
	}
	if p.video != nil {
		if len(p.images) > 1 {
			return p, violation("media", networks.RuleMax, 1, int64(len(p.images)), "a video pin takes at most one image, its cover")
		}
		if p.video.Open == nil || p.video.Size <= 0 {
			return p, &networks.FieldError{Network: Network, Field: "media.open", Reason: "the video needs its bytes (Open) and its probed size"}
		}
		if len(p.images) == 1 {
			p.cover = &p.images[0]
			if err := checkImage(p.cover, "media.cover", p.cover.URL == ""); err != nil {
				return p, err
			}
		}
		p.alt = p.video.Alt
		return p, nil
	}
	if len(p.images) == 0 {
		return p, violation("media", networks.RuleRequired, 1, 0, "a pin needs an image or a video")
	}
	p.alt = p.images[0].Alt
	byURL := p.images[0].URL != ""
	for i := range p.images {
		it := &p.images[i]
		f := "media[" + strconv.Itoa(i) + "]"
		if i > 0 && it.Alt != "" && it.Alt != p.alt {
			return p, violation(f+".alt", networks.RuleUnsupported, 0, 0, "a pin has one alt text: the first image's")
		}
		if byURL && it.URL == "" {
			if !allOpen(p.images) {
				return p, violation(f+".url", networks.RuleRequired, 0, 0, "a carousel's images are all by URL or all by bytes")
			}
			byURL = false
		}
	}
	for i := range p.images {
		if err := checkImage(&p.images[i], "media["+strconv.Itoa(i)+"]", !byURL); err != nil {
			return p, err
		}
		if byURL {
			p.images[i].Open = nil // sent by URL
		} else {
			p.images[i].URL = ""
		}
	}
	return p, nil
}

func allOpen(items []networks.MediaItem) bool {
	for _, it := range items {
		if it.Open == nil {
			return false
		}
	}
	return true
}

func checkImage(it *networks.MediaItem, field string, bytesNeeded bool) error {
	if !bytesNeeded {
		if u, err := url.Parse(it.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &networks.FieldError{Network: Network, Field: field + ".url", Value: it.URL, Reason: "not an absolute http(s) URL Pinterest can fetch"}
		}
		return nil
	}
	if it.Open == nil {
		return &networks.FieldError{Network: Network, Field: field + ".open", Reason: "the image needs a URL or its bytes (Open)"}
	}
	if !slices.Contains(base64Types, it.MIME) {
		return violation(field+".mime", networks.RuleMIME, 0, 0, "an image sent as bytes must be image/jpeg or image/png, not "+it.MIME)
	}
	return nil
}

// maxImageBytes bounds an image read to be sent as base64 when its probed
// size is unknown.
const maxImageBytes = 20 << 20

func readImage(ctx context.Context, it networks.MediaItem) (string, error) {
	rc, err := it.Open(ctx)
	if err != nil {
		return "", openError(ctx, err)
	}
	defer rc.Close()
	limit := int64(maxImageBytes)
	if it.Size > 0 {
		limit = it.Size
	}
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return "", openError(ctx, err)
	}
	if int64(len(data)) > limit {
		return "", violation("media.size", networks.RuleMax, limit, int64(len(data)), "the image is larger than its probed size")
	}
	return base64.StdEncoding.EncodeToString(data), nil
}

func openError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("pinterest: publish: %w", ctx.Err())
	}
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("open the media: %w", err)}
}

// imageSource is image_url, image_base64, multiple_image_urls or
// multiple_image_base64 for images that passed plan.
func imageSource(ctx context.Context, images []networks.MediaItem) (mediaSource, error) {
	if len(images) == 1 {
		it := images[0]
		if it.URL != "" {
			return mediaSource{SourceType: "image_url", URL: it.URL}, nil
		}
		data, err := readImage(ctx, it)
		return mediaSource{SourceType: "image_base64", ContentType: it.MIME, Data: data}, err
	}
	ms := mediaSource{SourceType: "multiple_image_urls"}
	if images[0].URL == "" {
		ms.SourceType = "multiple_image_base64"
	}
	for _, it := range images {
		if it.URL != "" {
			ms.Items = append(ms.Items, sourceItem{URL: it.URL})
			continue
		}
		data, err := readImage(ctx, it)
		if err != nil {
			return ms, err
		}
		ms.Items = append(ms.Items, sourceItem{ContentType: it.MIME, Data: data})
	}
	return ms, nil
}

// coverSource is the video_id source with the cover: the image's URL, its
// bytes, or the frame at DefaultCoverKeyFrame.
func coverSource(ctx context.Context, cover *networks.MediaItem) (mediaSource, error) {
	ms := mediaSource{SourceType: "video_id"}
	switch {
	case cover == nil:
		kf := DefaultCoverKeyFrame
		ms.CoverImageKeyFrameTime = &kf
	case cover.URL != "":
		ms.CoverImageURL = cover.URL
	default:
		data, err := readImage(ctx, *cover)
		if err != nil {
			return ms, err
		}
		ms.CoverImageContentType, ms.CoverImageData = cover.MIME, data
	}
	return ms, nil
}

// mediaUpload is the answer of POST /v5/media (components.schemas.MediaUpload).
type mediaUpload struct {
	MediaID          string            `json:"media_id"`
	MediaType        string            `json:"media_type"`
	UploadURL        string            `json:"upload_url"`
	UploadParameters map[string]string `json:"upload_parameters"`
}

// uploadVideo registers the video (POST /v5/media) and uploads it to the
// upload URL, and returns its media id. A registration is invisible (an
// upload nobody pins is never shown), so both are reads in the kit's
// sense: a lost answer is transient.
//
// The upload is the presigned multipart POST the docs describe
// (https://developers.pinterest.com/docs/content/update/):
// every upload parameter as a form field, then the file as the field
// "file"; success is 204 No Content. It has no resume: a cut connection
// fails the attempt (transient) and the next attempt registers and uploads
// again from the first byte. The body is streamed from the source with a
// Content-Length (S3 takes no chunked POST), so only the multipart framing
// is held in memory, and no bearer token goes to the upload URL.
func (a *Adapter) uploadVideo(ctx context.Context, acct networks.Account, v networks.MediaItem) (string, error) {
	var reg mediaUpload
	if _, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodPost, URL: a.url("/media", nil), Name: "POST /v5/media", JSON: map[string]string{"media_type": "video"},
		Account: &acct, Op: networks.OpPublish, AccountID: acct.ID,
	}, &reg); err != nil {
		return "", err
	}
	if !digits(reg.MediaID) || !a.uploadURLOK(reg.UploadURL) {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish,
			Err: errors.New("POST /v5/media: the answer has no media id or no usable upload URL")}
	}
	src, err := v.Open(ctx)
	if err != nil {
		return "", openError(ctx, err)
	}
	defer src.Close()
	if err := a.sendFile(ctx, acct, reg, src, v); err != nil {
		return "", err
	}
	return reg.MediaID, nil
}

// uploadURLOK accepts an absolute https URL, or http when the API itself is
// on http (a fake on loopback).
func (a *Adapter) uploadURLOK(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	base, _ := url.Parse(a.base)
	return u.Scheme == "https" || (u.Scheme == "http" && base != nil && base.Scheme == "http")
}

// countingReader reads at most size bytes of the source, counts them, and
// keeps the source's own failure (an error, or an end before size) apart
// from the transport's.
type countingReader struct {
	r    io.Reader
	size int64
	n    int64
	err  error
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.size {
		return 0, io.EOF
	}
	if int64(len(p)) > c.size-c.n {
		p = p[:c.size-c.n]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	switch {
	case err == io.EOF && c.n < c.size:
		c.err = &upload.ShortError{Size: c.size, Got: c.n}
	case err != nil && err != io.EOF:
		c.err = err
	}
	return n, err
}

// Multipart builds the framing of a presigned multipart POST: the form
// fields (in key order) and the file part's header as prefix, the closing
// boundary as suffix; the file's bytes go between them. It is exported for
// the fake's tests; boundary must be a valid multipart boundary.
func Multipart(fields map[string]string, filename, mimeType, boundary string) (contentType string, prefix, suffix []byte, err error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(boundary); err != nil {
		return "", nil, nil, err
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := mw.WriteField(k, fields[k]); err != nil {
			return "", nil, nil, err
		}
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + filename + `"`}
	h["Content-Type"] = []string{mimeType}
	if _, err := mw.CreatePart(h); err != nil {
		return "", nil, nil, err
	}
	prefix = append([]byte(nil), buf.Bytes()...)
	buf.Reset()
	if err := mw.Close(); err != nil {
		return "", nil, nil, err
	}
	return mw.FormDataContentType(), prefix, append([]byte(nil), buf.Bytes()...), nil
}

func (a *Adapter) sendFile(ctx context.Context, acct networks.Account, reg mediaUpload, src io.Reader, v networks.MediaItem) error {
	mimeType := v.MIME
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	name := "video" + extension(mimeType)
	ctype, prefix, suffix, err := Multipart(reg.UploadParameters, name, mimeType, apikit.NewMarker())
	if err != nil {
		return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("media upload: %w", err)}
	}
	cr := &countingReader{r: src, size: v.Size}
	body := io.MultiReader(bytes.NewReader(prefix), cr, bytes.NewReader(suffix))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, reg.UploadURL, body)
	if err != nil {
		return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: apikit.SanitizeError(err)}
	}
	req.ContentLength = int64(len(prefix)) + v.Size + int64(len(suffix))
	req.Header.Set("Content-Type", ctype)
	resp, err := a.hc.Do(req)
	switch {
	case cr.err != nil:
		if resp != nil {
			resp.Body.Close()
		}
		return openError(ctx, cr.err)
	case err != nil:
		if ctx.Err() != nil {
			return fmt.Errorf("pinterest: media upload: %w", ctx.Err())
		}
		return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("media upload: %w", apikit.SanitizeError(err))}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if cr.n != v.Size {
			return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: &upload.ShortError{Size: v.Size, Got: cr.n}}
		}
		return nil
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, apikit.DefaultMaxErrorBody))
	now := a.now()
	f := &apikit.Failure{Network: Network, Req: &apikit.Request{Name: "media upload", Op: networks.OpPublish, AccountID: acct.ID},
		Status: resp.StatusCode, Header: resp.Header, Body: data, Now: now, Scope: networks.ScopeApp}
	f.RetryAfter, _ = networks.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	return classifyUpload(f)
}

func extension(mimeType string) string {
	switch mimeType {
	case "video/quicktime":
		return ".mov"
	case "video/x-m4v":
		return ".m4v"
	}
	return ".mp4"
}

// mediaStatus is GET /v5/media/{media_id}: registered, processing,
// succeeded or failed.
func (a *Adapter) mediaStatus(ctx context.Context, acct networks.Account, media, op string) (string, error) {
	var out struct {
		MediaID string `json:"media_id"`
		Status  string `json:"status"`
	}
	if _, err := a.api.Do(ctx, &apikit.Request{Method: http.MethodGet, URL: a.url("/media/"+media, nil), Name: "GET /v5/media/{media_id}",
		Account: &acct, Op: op, AccountID: acct.ID, Target: networks.RemoteID(media)}, &out); err != nil {
		return "", err
	}
	return out.Status, nil
}
