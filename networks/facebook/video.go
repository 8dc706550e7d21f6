package facebook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/upload"
)

// maxStalls is how many failed transfers in a row without progress an
// upload tolerates before it gives up (transient: the next attempt starts
// a new session).
const maxStalls = 3

// publishVideo is POST /{page-id}/videos on the video host with file_url
// or the handle of the uploaded bytes, a write; the receipt is pending
// until Meta has processed the video (Check).
func (a *Adapter) publishVideo(ctx context.Context, s *session, v networks.MediaItem, msg, marker string) (networks.Receipt, error) {
	p := map[string]any{"description": msg, "published": true}
	if v.URL != "" {
		p["file_url"] = v.URL
	} else {
		h, err := a.upload(ctx, s, v, marker)
		if err != nil {
			return networks.Receipt{}, err
		}
		p["fbuploader_video_file_chunk"] = h
	}
	var out struct {
		ID string `json:"id"`
	}
	res, err := a.do(ctx, a.video, s, &metagraph.Call{Method: http.MethodPost, Path: "/" + s.page + "/videos", Params: p,
		Name: "POST /{page-id}/videos", Write: true, Op: networks.OpPublish, Marker: marker}, &out)
	if err != nil {
		return a.settle(ctx, s.Account, marker, err)
	}
	if out.ID == "" {
		return networks.Receipt{}, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpPublish, AccountID: s.Account.ID, Marker: marker,
			Err: errors.New("POST /{page-id}/videos: no video id in the answer")}
	}
	r := networks.Receipt{Network: Network, AccountID: s.Account.ID, ID: networks.RemoteID(out.ID), URL: Permalink(networks.RemoteID(out.ID)),
		Status: networks.StatusPending, Marker: marker, At: a.api.Now(), CheckAfter: pendingAfter, Quotas: res.Quotas}
	got, err := a.resolve(ctx, s, r, networks.OpPublish)
	if err != nil && !errors.Is(err, networks.ErrRejected) {
		return r, nil // the video exists; Check reads its state later
	}
	return got, err
}

// videoJSON is a Video node's id, status and permalink
// (https://developers.facebook.com/docs/graph-api/reference/video,
// https://developers.facebook.com/docs/graph-api/reference/video-status).
type videoJSON struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Permalink   string `json:"permalink_url"`
	Created     string `json:"created_time"`
	Status      *struct {
		VideoStatus string `json:"video_status"`
		Processing  *struct {
			Status string `json:"status"`
			Errors []struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"processing_phase"`
	} `json:"status"`
}

// state is the video's video_status ("" when absent).
func (v videoJSON) state() string {
	if v.Status == nil {
		return ""
	}
	return v.Status.VideoStatus
}

func (v videoJSON) problem() string {
	if v.Status != nil && v.Status.Processing != nil && len(v.Status.Processing.Errors) > 0 {
		e := v.Status.Processing.Errors[0]
		return strconv.Itoa(e.Code) + " " + e.Message
	}
	return ""
}

// receipt applies v's state to r: ready is published, error (or expired)
// a *networks.RejectedError, anything else still pending.
func (a *Adapter) receipt(v videoJSON, r networks.Receipt, op string) (networks.Receipt, error) {
	switch st := v.state(); st {
	case "ready":
		r.Status, r.CheckAfter = networks.StatusPublished, 0
		if v.Permalink != "" {
			r.URL = absolute(v.Permalink)
		}
		return r, nil
	case "error", "expired":
		return r, &networks.RejectedError{Network: Network, Op: op, Code: "video_" + st, Reason: "video processing failed: " + v.problem(),
			Err: &VideoError{ID: r.ID, Status: st, Message: v.problem()}}
	default:
		r.Status, r.CheckAfter = networks.StatusPending, pendingAfter
		return r, nil
	}
}

func absolute(link string) string {
	if strings.HasPrefix(link, "/") {
		return "https://www.facebook.com" + link
	}
	return link
}

// resolve reads a video's status (GET /{video-id}?fields=status).
func (a *Adapter) resolve(ctx context.Context, s *session, r networks.Receipt, op string) (networks.Receipt, error) {
	var v videoJSON
	_, err := a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodGet, Path: "/" + string(r.ID),
		Query: url.Values{"fields": {"id,status,permalink_url"}}, Name: "GET /{video-id}?fields=status", Op: op, Target: r.ID}, &v)
	if err != nil {
		return r, err
	}
	return a.receipt(v, r, op)
}

// Check resolves a pending receipt (a video): ready, published; still
// processing, pending with CheckAfter; failed, a *networks.RejectedError.
// Other receipts are returned unchanged. Check never publishes.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status != networks.StatusPending {
		return r, nil
	}
	if err := checkID(r.ID); err != nil {
		return r, err
	}
	s, err := a.session(ctx, acct)
	if err != nil {
		return r, err
	}
	return a.resolve(ctx, s, r, networks.OpCheck)
}

// upload sends v's bytes through the Resumable Upload API
// (https://developers.facebook.com/docs/graph-api/guides/upload) and
// returns the file handle: POST /{app-id}/uploads starts a session, POST
// /upload:{session} with file_offset sends the rest of the file as one
// streamed body, and after a failed transfer GET /upload:{session} says
// how many bytes the session holds, from which the transfer resumes. The
// source is read as it is sent, never held; resuming before the bytes
// already read seeks the source (when it is an io.Seeker) or opens it
// again and skips to the offset. The calls carry the user token (with
// PageTokens, the Page token) as "Authorization: OAuth", as documented.
// Nothing here publishes: every failure is transient, refused or the
// context's.
func (a *Adapter) upload(ctx context.Context, s *session, v networks.MediaItem, marker string) (string, error) {
	tok := s.user
	if tok == "" {
		tok = s.Token
	}
	src, err := open(ctx, v)
	if err != nil {
		return "", err
	}
	defer func() { _ = src.Close() }()
	mime := v.MIME
	if mime == "" {
		mime = "video/mp4"
	}
	q := url.Values{"file_name": {"socialflow" + ext(mime)}, "file_length": {strconv.FormatInt(v.Size, 10)}, "file_type": {mime}}
	var start struct {
		ID string `json:"id"`
	}
	if err := a.oauth(ctx, tok, &metagraph.Call{Method: http.MethodPost, Path: "/" + a.appID + "/uploads", Query: q,
		Name: "POST /{app-id}/uploads"}, &start); err != nil {
		var nf *networks.NotFoundError
		var ge *metagraph.Error
		if errors.As(err, &nf) && errors.As(err, &ge) {
			return "", &networks.RejectedError{Network: Network, Op: networks.OpPublish, Code: "app_id",
				Reason: "the Graph API does not know the app id " + strconv.Quote(a.appID) + " (WithAppID)", Err: ge}
		}
		return "", err
	}
	sess := start.ID
	if !strings.HasPrefix(sess, "upload:") || !validID(sess) {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish,
			Err: &UploadError{Session: sess, Size: v.Size, Reason: "POST /{app-id}/uploads answered no upload session id"}}
	}
	size := v.Size
	var pos, off int64 // the source's next byte; the session's offset
	stalls := 0
	for {
		if pos != off {
			if src, err = reposition(ctx, v, src, off); err != nil {
				return "", err
			}
			pos = off
		}
		body := &streamBody{r: src}
		var out struct {
			H string `json:"h"`
		}
		sendErr := a.oauth(ctx, tok, &metagraph.Call{Method: http.MethodPost, Path: "/" + sess, Name: "POST /upload:{session}",
			Header: http.Header{"file_offset": {strconv.FormatInt(off, 10)}}, Stream: body, StreamLength: size - off,
			ContentType: "application/octet-stream"}, &out)
		n, eof := body.stop()
		pos += n
		if sendErr == nil && out.H != "" {
			return out.H, nil
		}
		if eof && pos < size {
			return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: &upload.ShortError{Size: size, Got: pos}}
		}
		if sendErr != nil {
			if err := ctx.Err(); err != nil {
				return "", fmt.Errorf("%s: publish: upload interrupted: %w", Network, err)
			}
			var te *networks.TransientError
			if !errors.As(sendErr, &te) {
				return "", sendErr // refused, throttled or an expired token
			}
		}
		var st struct {
			ID     string `json:"id"`
			Offset int64  `json:"file_offset"`
		}
		if err := a.oauth(ctx, tok, &metagraph.Call{Method: http.MethodGet, Path: "/" + sess, Name: "GET /upload:{session}"}, &st); err != nil {
			return "", err
		}
		switch {
		case st.Offset < 0 || st.Offset > size:
			return "", &networks.TransientError{Network: Network, Op: networks.OpPublish,
				Err: &UploadError{Session: sess, Size: size, Offset: st.Offset, Reason: "the session's offset is outside the file"}}
		case st.Offset > off:
			stalls = 0
		default:
			if stalls++; stalls > maxStalls {
				why := "no progress"
				if sendErr != nil {
					why = sendErr.Error()
				}
				return "", &networks.TransientError{Network: Network, Op: networks.OpPublish,
					Err: &UploadError{Session: sess, Size: size, Offset: st.Offset, Reason: strconv.Itoa(maxStalls+1) + " transfers without progress: " + why}}
			}
		}
		off = st.Offset
	}
}

// oauth sends c with token as "Authorization: OAuth" (and its
// appsecret_proof), as the Resumable Upload API documents.
func (a *Adapter) oauth(ctx context.Context, token string, c *metagraph.Call, out any) error {
	if c.Header == nil {
		c.Header = http.Header{}
	}
	c.Header.Set("Authorization", "OAuth "+token)
	if a.cfg.AppSecret != "" {
		if c.Query == nil {
			c.Query = url.Values{}
		}
		c.Query.Set("appsecret_proof", metagraph.Proof(a.cfg.AppSecret, token))
	}
	c.Op = networks.OpPublish
	_, err := a.api.Do(ctx, c, out)
	return err
}

// reposition returns src positioned at off: sought when it is an
// io.Seeker, else opened again and read up to off.
func reposition(ctx context.Context, v networks.MediaItem, src io.ReadCloser, off int64) (io.ReadCloser, error) {
	if sk, ok := src.(io.Seeker); ok {
		if _, err := sk.Seek(off, io.SeekStart); err == nil {
			return src, nil
		}
	}
	_ = src.Close()
	next, err := open(ctx, v)
	if err != nil {
		return io.NopCloser(strings.NewReader("")), err
	}
	if _, err := io.CopyN(io.Discard, next, off); err != nil {
		return next, &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("read the video again up to offset %d: %w", off, err)}
	}
	return next, nil
}

var errStopped = errors.New("facebook: upload body read after its request ended")

// streamBody is a transfer's body: it counts what the transport read and,
// once stopped, refuses further reads (a transport may still read a body
// after the round trip returned), so the source is never read by two
// transfers at once.
type streamBody struct {
	mu      sync.Mutex
	r       io.Reader
	n       int64
	eof     bool
	stopped bool
}

func (b *streamBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return 0, errStopped
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return n, err
}

// stop ends the body and returns how many bytes were read and whether the
// source ended.
func (b *streamBody) stop() (int64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stopped = true
	return b.n, b.eof
}
