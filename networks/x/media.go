package x

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// ChunkSize is the size of each APPEND segment: 1 MiB, the size X's
// samples use (https://docs.x.com/x-api/media/quickstart/media-upload-chunked;
// 5 MB segments were seen refused with an empty 413 at X's edge).
const ChunkSize = 1 << 20

// MaxSegments is the number of segments one upload may have:
// segment_index is 0 to 999 (https://docs.x.com/x-api/media/append-media-upload).
const MaxSegments = 1000

// mediaCategory is the media_category of initialize for each kind.
var mediaCategory = map[assets.Kind]string{
	assets.KindImage: "tweet_image",
	assets.KindGIF:   "tweet_gif",
	assets.KindVideo: "tweet_video",
}

// processingInfo is the processing_info of finalize and status.
type processingInfo struct {
	State          string `json:"state"` // pending, in_progress, succeeded, failed
	CheckAfterSecs int    `json:"check_after_secs"`
	Progress       int    `json:"progress_percent"`
	Error          *struct {
		Code    int    `json:"code"`
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"error"`
}

// uploadAnswer is the data of initialize, finalize and status.
type uploadAnswer struct {
	Data struct {
		ID             string          `json:"id"`
		MediaKey       string          `json:"media_key"`
		ProcessingInfo *processingInfo `json:"processing_info"`
	} `json:"data"`
}

// Upload uploads one media item through the dedicated chunked endpoints
// and returns its media ID:
//
//   - POST /2/media/upload/initialize (https://docs.x.com/x-api/media/initialize-media-upload)
//     with media_type, total_bytes and media_category;
//   - POST /2/media/upload/:id/append (https://docs.x.com/x-api/media/append-media-upload),
//     multipart, one [ChunkSize] segment at a time read from m.Open, so a
//     video is never held in memory;
//   - POST /2/media/upload/:id/finalize (https://docs.x.com/x-api/media/finalize-media-upload);
//   - for video and GIF, GET /2/media/upload?command=STATUS&media_id=:id
//     (https://docs.x.com/x-api/media/get-media-upload-status) after each
//     check_after_secs until the state is succeeded, at most the
//     processing timeout ([WithProcessingTimeout]);
//   - with alt text, POST /2/media/metadata
//     (https://docs.x.com/x-api/media/create-media-metadata).
//
// The upload calls are not writes in the unknown-outcome sense: media not
// attached to a post is never shown and expires (expires_after_secs, about
// 24 hours), so a lost answer is transient and uploading again is safe.
// Processing that fails is a *networks.RejectedError, one that does not
// end in time a *networks.TransientError, both wrapping a
// *[ProcessingError]. m.Open failing, or yielding another size than
// m.Size, is a *networks.FieldError.
func (a *Adapter) Upload(ctx context.Context, acct networks.Account, m networks.MediaItem) (string, error) {
	cat, ok := mediaCategory[m.Kind]
	switch {
	case !ok:
		return "", &networks.FieldError{Network: Network, Field: "media.kind", Value: string(m.Kind), Reason: "X takes images, GIFs and videos"}
	case m.Open == nil:
		return "", &networks.FieldError{Network: Network, Field: "media.open", Reason: "X needs the bytes (an upload)"}
	case m.Size <= 0:
		return "", &networks.FieldError{Network: Network, Field: "media.size", Value: strconv.FormatInt(m.Size, 10), Reason: "must be positive"}
	case (m.Size+ChunkSize-1)/ChunkSize > MaxSegments:
		return "", &networks.FieldError{Network: Network, Field: "media.size", Value: strconv.FormatInt(m.Size, 10),
			Reason: fmt.Sprintf("more than %d segments of %d bytes", MaxSegments, ChunkSize)}
	}
	var init uploadAnswer
	err := a.media(ctx, acct, http.MethodPost, "/2/media/upload/initialize", "POST /2/media/upload/initialize", nil,
		map[string]any{"media_type": m.MIME, "total_bytes": m.Size, "media_category": cat}, nil, "", &init)
	if err != nil {
		return "", err
	}
	id := init.Data.ID
	if !postID.MatchString(id) {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("POST /2/media/upload/initialize: answer without a media ID")}
	}
	if err := a.appendAll(ctx, acct, id, m); err != nil {
		return "", err
	}
	var fin uploadAnswer
	if err := a.media(ctx, acct, http.MethodPost, "/2/media/upload/"+id+"/finalize", "POST /2/media/upload/:id/finalize", nil, nil, nil, "", &fin); err != nil {
		return "", err
	}
	if err := a.await(ctx, acct, id, fin.Data.ProcessingInfo); err != nil {
		return "", err
	}
	if m.Alt != "" && m.Kind != assets.KindVideo {
		body := map[string]any{"id": id, "metadata": map[string]any{"alt_text": map[string]string{"text": m.Alt}}}
		if err := a.media(ctx, acct, http.MethodPost, "/2/media/metadata", "POST /2/media/metadata", nil, body, nil, "", nil); err != nil {
			return "", err
		}
	}
	return id, nil
}

// media sends one media call (JSON body, raw body or none).
func (a *Adapter) media(ctx context.Context, acct networks.Account, method, path, name string, q url.Values, in any, raw []byte, ctype string, out any) error {
	u, _ := apikit.JoinURL(a.base, path, q)
	_, err := a.api.Do(ctx, &apikit.Request{
		Method: method, URL: u, Name: name, JSON: in, Body: raw, ContentType: ctype,
		Account: &acct, Op: networks.OpPublish, AccountID: acct.ID,
	}, out)
	return err
}

// appendAll streams m's bytes in ChunkSize segments.
func (a *Adapter) appendAll(ctx context.Context, acct networks.Account, id string, m networks.MediaItem) error {
	rc, err := m.Open(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("x: publish: open media: %w", ctx.Err())
		}
		return &networks.FieldError{Network: Network, Field: "media.open", Reason: "opening the media failed: " + apikit.Message(err.Error())}
	}
	defer rc.Close()
	chunk := make([]byte, ChunkSize)
	var sent int64
	var body bytes.Buffer
	for seg := 0; ; seg++ {
		n, rerr := io.ReadFull(rc, chunk)
		if n > 0 {
			if seg >= MaxSegments || sent+int64(n) > m.Size {
				return sizeMismatch(m, sent+int64(n))
			}
			body.Reset()
			w := multipart.NewWriter(&body)
			_ = w.WriteField("segment_index", strconv.Itoa(seg))
			fw, _ := w.CreateFormFile("media", "blob")
			_, _ = fw.Write(chunk[:n])
			_ = w.Close()
			if err := a.media(ctx, acct, http.MethodPost, "/2/media/upload/"+id+"/append", "POST /2/media/upload/:id/append", nil, nil,
				body.Bytes(), w.FormDataContentType(), nil); err != nil {
				return err
			}
			sent += int64(n)
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("x: publish: read media: %w", ctx.Err())
			}
			return &networks.FieldError{Network: Network, Field: "media.open", Reason: "reading the media failed: " + apikit.Message(rerr.Error())}
		}
	}
	if sent != m.Size {
		return sizeMismatch(m, sent)
	}
	return nil
}

func sizeMismatch(m networks.MediaItem, got int64) error {
	return &networks.FieldError{Network: Network, Field: "media.size", Value: strconv.FormatInt(m.Size, 10),
		Reason: fmt.Sprintf("the media yielded %d bytes or more", got)}
}

// await polls STATUS until processing ends.
func (a *Adapter) await(ctx context.Context, acct networks.Account, id string, pi *processingInfo) error {
	var waited time.Duration
	for pi != nil && (pi.State == "pending" || pi.State == "in_progress") {
		d := time.Duration(max(pi.CheckAfterSecs, 1)) * time.Second
		if waited+d > a.procTimeout {
			return &networks.TransientError{Network: Network, Op: networks.OpPublish,
				Err: &ProcessingError{MediaID: id, State: pi.State, Waited: waited}}
		}
		if err := a.wait(ctx, d); err != nil {
			return fmt.Errorf("x: publish: media %s processing: %w", id, err)
		}
		waited += d
		var st uploadAnswer
		if err := a.media(ctx, acct, http.MethodGet, "/2/media/upload", "GET /2/media/upload", url.Values{"command": {"STATUS"}, "media_id": {id}},
			nil, nil, "", &st); err != nil {
			return err
		}
		pi = st.Data.ProcessingInfo
	}
	if pi != nil && pi.State == "failed" {
		pe := &ProcessingError{MediaID: id, State: pi.State, Waited: waited}
		if pi.Error != nil {
			pe.Message = apikit.Message(pi.Error.Message)
		}
		reason := pe.Message
		if reason == "" {
			reason = "X failed to process the media"
		}
		return &networks.RejectedError{Network: Network, Op: networks.OpPublish, Code: "media-processing-failed", Reason: reason, Err: pe}
	}
	return nil
}
