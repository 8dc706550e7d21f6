package linkedin

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

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// content uploads d's media and returns the post's content (nil for a text
// post). Uploads are not writes in the kit's sense: an asset LinkedIn
// holds but no post uses is never shown, so a lost upload answer is a
// transient failure and the next attempt uploads again.
func (a *Adapter) content(ctx context.Context, acct *networks.Account, au author, d networks.Draft) (*content, error) {
	switch {
	case d.Link != "":
		return &content{Article: &article{Source: d.Link, Title: d.Title}}, nil
	case len(d.Media) == 0:
		return nil, nil
	}
	var ids []media
	for i, m := range d.Media {
		var urn string
		var err error
		switch m.Kind {
		case assets.KindImage:
			urn, err = a.uploadSingle(ctx, acct, au, "images", m)
		case assets.KindVideo:
			urn, err = a.uploadVideo(ctx, acct, au, m)
		case assets.KindDocument:
			urn, err = a.uploadSingle(ctx, acct, au, "documents", m)
		default:
			err = &networks.FieldError{Network: Network, Field: fmt.Sprintf("media[%d].kind", i), Value: string(m.Kind), Reason: "LinkedIn takes images, videos and documents"}
		}
		if err != nil {
			return nil, err
		}
		if m.Kind != assets.KindDocument {
			if err := a.awaitAvailable(ctx, acct, au, urn); err != nil {
				return nil, err
			}
		}
		it := media{ID: urn}
		if m.Kind == assets.KindImage {
			it.AltText = m.Alt
		} else {
			it.Title = d.Title
		}
		ids = append(ids, it)
	}
	if len(ids) == 1 {
		return &content{Media: &ids[0]}, nil
	}
	return &content{MultiImage: &multiImage{Images: ids}}, nil
}

// open returns m's bytes, bounded to its declared size.
func open(ctx context.Context, i int, m networks.MediaItem) (io.ReadCloser, error) {
	if m.Open == nil {
		return nil, &networks.FieldError{Network: Network, Field: "media.open", Reason: "LinkedIn needs the bytes: no opener for media item " + strconv.Itoa(i)}
	}
	rc, err := m.Open(ctx)
	if err != nil {
		return nil, &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("open media: %w", err)}
	}
	return rc, nil
}

// uploadSingle uploads an image or a document: initializeUpload, then one
// PUT of the bytes
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api,
// https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/documents-api).
// The bytes are read bounded by the declared size (at most the spec's
// 5 MiB for an image, 100 MiB for a document).
func (a *Adapter) uploadSingle(ctx context.Context, acct *networks.Account, au author, kind string, m networks.MediaItem) (string, error) {
	var out struct {
		Value struct {
			UploadURL string `json:"uploadUrl"`
			Image     string `json:"image"`
			Document  string `json:"document"`
		} `json:"value"`
	}
	body := map[string]any{"initializeUploadRequest": map[string]string{"owner": au.urn}}
	if _, err := a.do(ctx, acct, au, call{method: http.MethodPost, path: "/rest/" + kind, query: "action=initializeUpload",
		name: "POST /rest/" + kind + "?action=initializeUpload", in: body, op: networks.OpPublish}, &out); err != nil {
		return "", err
	}
	urn := out.Value.Image
	if kind == "documents" {
		urn = out.Value.Document
	}
	if urn == "" || out.Value.UploadURL == "" {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("initializeUpload: no upload URL or asset URN")}
	}
	rc, err := open(ctx, 0, m)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, m.Size+1))
	if err != nil {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("read media: %w", err)}
	}
	if int64(len(data)) != m.Size {
		return "", &networks.FieldError{Network: Network, Field: "media.size", Value: strconv.FormatInt(m.Size, 10), Reason: "the bytes do not match the declared size"}
	}
	_, err = a.put(ctx, acct, au, out.Value.UploadURL, "PUT upload ("+kind+")", data, m.MIME)
	return urn, err
}

// uploadVideo uploads a video in the parts LinkedIn gives: initializeUpload
// with the size, one PUT per uploadInstruction (bytes firstByte..lastByte
// inclusive, about 4 MiB each, read one part at a time so the video is
// never whole in memory), then finalizeUpload with the parts' ETags in
// order
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api).
func (a *Adapter) uploadVideo(ctx context.Context, acct *networks.Account, au author, m networks.MediaItem) (string, error) {
	var out struct {
		Value struct {
			Video        string `json:"video"`
			UploadToken  string `json:"uploadToken"`
			Instructions []struct {
				UploadURL string `json:"uploadUrl"`
				FirstByte int64  `json:"firstByte"`
				LastByte  int64  `json:"lastByte"`
			} `json:"uploadInstructions"`
		} `json:"value"`
	}
	body := map[string]any{"initializeUploadRequest": map[string]any{"owner": au.urn, "fileSizeBytes": m.Size, "uploadCaptions": false, "uploadThumbnail": false}}
	if _, err := a.do(ctx, acct, au, call{method: http.MethodPost, path: "/rest/videos", query: "action=initializeUpload",
		name: "POST /rest/videos?action=initializeUpload", in: body, op: networks.OpPublish}, &out); err != nil {
		return "", err
	}
	v := out.Value
	if v.Video == "" || len(v.Instructions) == 0 {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("initializeUpload: no video URN or upload instructions")}
	}
	rc, err := open(ctx, 0, m)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var next int64
	var buf []byte
	etags := make([]string, 0, len(v.Instructions))
	for i, in := range v.Instructions {
		n := in.LastByte - in.FirstByte + 1
		if in.FirstByte != next || n <= 0 || in.LastByte >= m.Size || n > 64<<20 {
			return "", &networks.TransientError{Network: Network, Op: networks.OpPublish,
				Err: fmt.Errorf("upload instruction %d: bytes %d-%d do not continue a %d-byte video at %d", i, in.FirstByte, in.LastByte, m.Size, next)}
		}
		if int64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		part := buf[:n]
		if _, err := io.ReadFull(rc, part); err != nil {
			return "", &networks.FieldError{Network: Network, Field: "media.size", Value: strconv.FormatInt(m.Size, 10), Reason: "the video is shorter than declared: " + err.Error()}
		}
		res, err := a.put(ctx, acct, au, in.UploadURL, "PUT upload part "+strconv.Itoa(i), part, "application/octet-stream")
		if err != nil {
			return "", err
		}
		etag := res.Header.Get("ETag")
		if etag == "" {
			return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("upload part %d: no ETag", i)}
		}
		etags = append(etags, etag)
		next = in.LastByte + 1
	}
	if next != m.Size {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("upload instructions cover %d of %d bytes", next, m.Size)}
	}
	fin := map[string]any{"finalizeUploadRequest": map[string]any{"video": v.Video, "uploadToken": v.UploadToken, "uploadedPartIds": etags}}
	if _, err := a.do(ctx, acct, au, call{method: http.MethodPost, path: "/rest/videos", query: "action=finalizeUpload",
		name: "POST /rest/videos?action=finalizeUpload", in: fin, op: networks.OpPublish}, nil); err != nil {
		return "", err
	}
	return v.Video, nil
}

// put sends bytes to an upload URL LinkedIn gave. The bearer token goes
// only to LinkedIn's own hosts (or the API host the account uses), never
// to another host an answer might name.
func (a *Adapter) put(ctx context.Context, acct *networks.Account, au author, raw, name string, data []byte, ctype string) (apikit.Response, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return apikit.Response{}, &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New(name + ": the upload URL is not an absolute http(s) URL")}
	}
	req := &apikit.Request{Method: http.MethodPut, URL: raw, Name: name, Body: data, ContentType: ctype, Op: networks.OpPublish, AccountID: acct.ID}
	if api, _ := url.Parse(au.base); api != nil && (u.Host == api.Host || strings.HasSuffix(u.Hostname(), ".linkedin.com")) {
		req.Account = acct
	}
	return a.api.Do(ctx, req, nil)
}

// The processing states of an image or video
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api#video-status).
const (
	statusAvailable        = "AVAILABLE"
	statusProcessingFailed = "PROCESSING_FAILED"
)

// awaitAvailable polls GET /rest/images/{urn} or /rest/videos/{urn} until
// the asset is AVAILABLE: 2 s, then 1.5 times longer each time up to 30 s,
// for at most the media timeout. PROCESSING_FAILED is a
// [*networks.RejectedError]; running out of time a
// [*networks.TransientError] (nothing was posted).
func (a *Adapter) awaitAvailable(ctx context.Context, acct *networks.Account, au author, urn string) error {
	kind := "videos"
	if isURN(urn, "image") {
		kind = "images"
	}
	path := "/rest/" + kind + "/" + encodeURN(urn)
	var waited time.Duration
	delay := 2 * time.Second
	for {
		var out struct {
			Status string `json:"status"`
		}
		if _, err := a.do(ctx, acct, au, call{method: http.MethodGet, path: path, name: "GET /rest/" + kind + "/{urn}", op: networks.OpPublish,
			target: networks.RemoteID(urn)}, &out); err != nil {
			return err
		}
		switch out.Status {
		case statusAvailable:
			return nil
		case statusProcessingFailed, "FAILED":
			return &networks.RejectedError{Network: Network, Op: networks.OpPublish, Code: statusProcessingFailed, Reason: "LinkedIn could not process " + urn}
		}
		if waited+delay > a.mediaTimeout {
			return &networks.TransientError{Network: Network, Op: networks.OpPublish,
				Err: fmt.Errorf("%s still %s after %s", urn, apikit.Message(out.Status), waited)}
		}
		if err := a.wait(ctx, delay); err != nil {
			return err
		}
		waited += delay
		delay = min(delay*3/2, 30*time.Second)
	}
}
