package youtube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/upload"
)

// startUpload is step 1 of the resumable upload protocol: POST the video
// resource to /upload/youtube/v3/videos?uploadType=resumable and get the
// session URL from the Location header. It creates no video, so it is not a
// write: an upload session nobody finishes expires on its own.
func (a *Adapter) startUpload(ctx context.Context, acct networks.Account, d networks.Draft, m Metadata, v networks.MediaItem, marker string) (string, error) {
	var res videoJSON
	res.Snippet = &struct {
		Title       string   `json:"title"`
		Description string   `json:"description"`
		Tags        []string `json:"tags,omitempty"`
		CategoryID  string   `json:"categoryId,omitempty"`
	}{Title: d.Title, Description: d.Text, Tags: append(append([]string(nil), m.Tags...), markerTag(marker)), CategoryID: m.CategoryID}
	if res.Snippet.CategoryID == "" {
		res.Snippet.CategoryID = "22"
	}
	kids := m.MadeForKids
	privacy := m.Privacy
	publishAt := ""
	if !m.PublishAt.IsZero() {
		privacy, publishAt = Private, m.PublishAt.UTC().Format(time.RFC3339)
	} else if privacy == "" {
		privacy = Public
	}
	res.Status = &struct {
		PrivacyStatus           string `json:"privacyStatus,omitempty"`
		PublishAt               string `json:"publishAt,omitempty"`
		SelfDeclaredMadeForKids *bool  `json:"selfDeclaredMadeForKids,omitempty"`
		UploadStatus            string `json:"uploadStatus,omitempty"`
		FailureReason           string `json:"failureReason,omitempty"`
		RejectionReason         string `json:"rejectionReason,omitempty"`
	}{PrivacyStatus: privacy, PublishAt: publishAt, SelfDeclaredMadeForKids: &kids}
	mime := v.MIME
	if mime == "" {
		mime = "application/octet-stream"
	}
	r, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodPost, Name: "videos.insert",
		URL:  a.url("/upload/youtube/v3/videos", url.Values{"uploadType": {"resumable"}, "part": {"snippet,status"}}),
		JSON: res, Account: &acct, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
		Header: http.Header{"X-Upload-Content-Length": {strconv.FormatInt(v.Size, 10)}, "X-Upload-Content-Type": {mime}},
	}, nil)
	if err != nil {
		return "", err
	}
	loc := r.Header.Get("Location")
	if !a.sameOrigin(loc) {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Status: r.Status,
			Err: errors.New("videos.insert: the answer has no upload session URL on the API's host")}
	}
	return loc, nil
}

// sameOrigin reports whether loc is an absolute URL on the API's scheme and
// host, so the token is never sent elsewhere.
func (a *Adapter) sameOrigin(loc string) bool {
	u, err := url.Parse(loc)
	b, _ := url.Parse(a.base)
	return err == nil && b != nil && u.Scheme == b.Scheme && u.Host == b.Host
}

// sendFile is steps 2 to 4 of the protocol: PUT the file in chunks with
// Content-Range, and after a failed chunk ask the session how many bytes
// it holds (PUT with "Content-Range: bytes */size") and go on from there.
// It gives up after maxStall failures in a row without progress.
func (a *Adapter) sendFile(ctx context.Context, acct networks.Account, session string, src io.Reader, size int64, marker string) (videoJSON, error) {
	ch := upload.NewChunker(src, size, a.chunk)
	if _, err := ch.Next(a.chunk); err != nil {
		return videoJSON{}, readError(err)
	}
	off, stalls := int64(0), 0
	for {
		body, _ := ch.From(off)
		last := off+int64(len(body)) == size
		v, held, err := a.put(ctx, acct, session, off, body, size, marker, true)
		if err != nil {
			var ou *networks.OutcomeUnknownError
			if !errors.As(err, &ou) {
				return videoJSON{}, err // an answer refused the chunk: nothing was published
			}
			if stalls++; stalls > a.maxStall {
				return videoJSON{}, lost(ctx, ou, nil, last)
			}
			var qerr error
			v, held, qerr = a.put(ctx, acct, session, 0, nil, size, marker, false)
			if qerr != nil {
				var nf *networks.NotFoundError
				if errors.As(qerr, &nf) || ctx.Err() != nil || isRead(qerr) {
					return videoJSON{}, lost(ctx, ou, qerr, last)
				}
				return videoJSON{}, qerr
			}
		}
		if v != nil {
			return *v, nil
		}
		if held > off {
			stalls = 0
		}
		switch {
		case held > size:
			return videoJSON{}, &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("videos.insert: the session holds %d bytes of %d", held, size)}
		case held == ch.End() && !ch.Done():
			if _, err := ch.Next(a.chunk); err != nil {
				return videoJSON{}, readError(err)
			}
		case held >= ch.Start() && held < ch.End():
		default:
			// The session lost bytes of an earlier chunk (or holds the
			// whole file without a video): start over in a new attempt.
			return videoJSON{}, &networks.TransientError{Network: Network, Op: networks.OpPublish,
				Err: fmt.Errorf("videos.insert: the session holds %d bytes, outside the chunk at %d", held, ch.Start())}
		}
		off = held
	}
}

// isRead reports whether err is the kit's failure of a read (the status
// query): transient, rate limited or canceled.
func isRead(err error) bool {
	var te *networks.TransientError
	var rl *networks.RateLimitError
	return errors.As(err, &te) || errors.As(err, &rl)
}

// lost is the outcome of an upload that could not be finished after the
// chunk failed with chunkErr and the status query with queryErr (nil when
// not asked): unknown when the chunk carried the file's last byte (the video
// may exist), else the ctx error or transient — no video exists without the
// whole file.
func lost(ctx context.Context, chunkErr *networks.OutcomeUnknownError, queryErr error, last bool) error {
	if last {
		return chunkErr
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("youtube: publish: upload interrupted: %w", err)
	}
	why := chunkErr.Error()
	if queryErr != nil {
		why = queryErr.Error()
	}
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("videos.insert: upload interrupted before its last chunk: " + echo.Clip(why, 300))}
}

func readError(err error) error {
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("read the video: %w", err)}
}

// put sends one chunk (or, with body nil, the status query) to the session
// and returns the video when the upload is complete, else how many bytes
// the session holds.
func (a *Adapter) put(ctx context.Context, acct networks.Account, session string, off int64, body []byte, size int64, marker string, write bool) (*videoJSON, int64, error) {
	var v videoJSON
	if body == nil {
		body = []byte{}
	}
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: http.MethodPut, URL: session, Name: "videos.insert upload", Body: body, ContentType: "application/octet-stream",
		Header:  http.Header{"Content-Range": {upload.ContentRange(off, len(body), size)}},
		Account: &acct, Write: write, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
	}, &v)
	var inc *incomplete
	if errors.As(err, &inc) {
		return nil, inc.received, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if v.ID == "" {
		return nil, 0, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
			Err: errors.New("videos.insert: the completed upload's answer names no video")}
	}
	return &v, 0, nil
}
