package tiktok

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/upload"
)

// TikTok's chunk restrictions
// (https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide#work_with_chunks):
// each chunk at least 5 MB and at most 64 MB, except the final one, which
// takes the trailing bytes (up to 128 MB); a video under 5 MB goes whole; 1
// to 1000 chunks, sent in order. The bounds below hold whether "MB" means
// 10⁶ or 2²⁰ bytes.
const (
	MinChunkSize     = 5 << 20    // 5 MiB
	MaxChunkSize     = 64_000_000 // 64 MB
	MaxFinalChunk    = 128_000_000
	MaxChunks        = 1000
	DefaultChunkSize = MinChunkSize // the least a cut connection costs, and the least memory
)

// Plan returns the chunk_size and total_chunk_count TikTok's video/init
// takes for a file of size bytes sent in chunks of chunk bytes: a file that
// fits one chunk (under twice chunk, at most 64 MB) goes whole (chunk_size
// = size, one chunk), a file over 64 MB in at least two; otherwise
// total_chunk_count = size / chunk rounded down, the final chunk taking the
// rest (so it is under twice chunk). A file that would need more than
// [MaxChunks] chunks gets chunks of size/1000 rounded up. It fails for a
// size that is not positive, a chunk outside [MinChunkSize, MaxChunkSize],
// or a file no plan fits (over 64 GB).
func Plan(size, chunk int64) (chunkSize, count int64, err error) {
	switch {
	case size <= 0:
		return 0, 0, &networks.FieldError{Network: Network, Field: "media.size", Value: fmt.Sprint(size), Reason: "a video upload needs its probed size"}
	case chunk < MinChunkSize || chunk > MaxChunkSize:
		return 0, 0, &networks.FieldError{Network: Network, Field: "chunk_size", Value: fmt.Sprint(chunk), Reason: "must be between 5 MiB and 64 MB"}
	case size <= chunk:
		return size, 1, nil
	}
	if size/chunk > MaxChunks {
		chunk = (size + MaxChunks - 1) / MaxChunks
	}
	switch {
	case chunk > MaxChunkSize:
		return 0, 0, &networks.FieldError{Network: Network, Field: "media.size", Value: fmt.Sprint(size),
			Reason: "larger than 1000 chunks of 64 MB"}
	case size/chunk == 1 && size <= MaxChunkSize:
		return size, 1, nil // one chunk: the whole file
	case size/chunk == 1:
		return size / 2, 2, nil // over 64 MB must be chunked: two halves, each under 64 MB
	}
	return chunk, size / chunk, nil
}

// uploadVideo is video/init with FILE_UPLOAD and the chunked transfer to
// the upload_url. noted is told the publish_id before the first byte goes
// out. It returns the publish_id once TikTok holds the whole file.
func (a *Adapter) uploadVideo(ctx context.Context, acct networks.Account, d networks.Draft, s Settings, p parts, marker string, noted func(string) error) (string, error) {
	size := p.video.Size
	chunk, count, err := Plan(size, a.chunk)
	if err != nil {
		return "", err
	}
	src, err := p.video.Open(ctx)
	if err != nil {
		return "", openError(ctx, err)
	}
	defer src.Close()
	// No post exists until the whole file arrived, and the upload URL
	// expires (an hour): a lost answer here is safe to retry.
	var out initData
	_, err = call(ctx, a, &acct, &apikit.Request{URL: a.url("/v2/post/publish/video/init/", nil), Name: "POST /v2/post/publish/video/init/",
		JSON:    initBody{PostInfo: videoInfo(d, s), SourceInfo: sourceInfo{Source: "FILE_UPLOAD", VideoSize: size, ChunkSize: chunk, TotalChunkCount: count}},
		Account: &acct, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker}, &out)
	if err != nil {
		return "", err
	}
	if out.PublishID == "" || !pullableURL(out.UploadURL) {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("video/init: the answer has no publish_id or upload_url")}
	}
	if err := noted(out.PublishID); err != nil {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("journal: %w", err)}
	}
	mime := p.video.MIME
	if mime == "" {
		mime = "video/mp4"
	}
	ch := upload.NewChunker(src, size, int(chunk))
	for i := range count {
		want := chunk
		last := i == count-1
		if last {
			want = size - i*chunk
		}
		body, err := ch.Next(int(want))
		if err != nil {
			return "", readError(err)
		}
		if err := a.sendChunk(ctx, acct, out, body, ch.Start(), size, mime, marker, last); err != nil {
			return "", err
		}
	}
	return out.PublishID, nil
}

// sendChunk PUTs one chunk and, when the answer is lost, asks the status
// how many bytes TikTok holds (uploaded_bytes): the chunk arrived, or it
// is sent again, up to maxStall times.
func (a *Adapter) sendChunk(ctx context.Context, acct networks.Account, in initData, body []byte, start, size int64, mime, marker string, last bool) error {
	end := start + int64(len(body))
	for stalls := 0; ; {
		_, err := a.api.Do(ctx, &apikit.Request{
			Method: http.MethodPut, URL: in.UploadURL, Name: "PUT upload_url", Body: body, ContentType: mime,
			Header: http.Header{"Content-Range": {upload.ContentRange(start, len(body), size)}},
			// No bearer token: the upload URL carries its own upload token.
			Write: true, Op: networks.OpPublish, AccountID: acct.ID, Marker: marker,
		}, nil)
		if err == nil {
			return nil
		}
		var ou *networks.OutcomeUnknownError
		if !errors.As(err, &ou) {
			return refusedChunk(err)
		}
		if stalls++; stalls > a.maxStall {
			return lost(ctx, ou, nil, last)
		}
		st, qerr := a.status(ctx, acct, networks.OpPublish, in.PublishID)
		switch {
		case qerr != nil:
			return lost(ctx, ou, qerr, last)
		case st.Status == statusFailed:
			return failError(acct.ID, st.FailReason)
		case st.UploadedBytes >= end || (last && st.Status == statusComplete):
			return nil // the chunk arrived; its answer was lost
		case st.UploadedBytes == start:
			// TikTok holds everything before this chunk: send it again.
		default:
			return &networks.TransientError{Network: Network, Op: networks.OpPublish,
				Err: fmt.Errorf("upload: TikTok holds %d bytes, outside the chunk at %d", st.UploadedBytes, start)}
		}
	}
}

// refusedChunk classifies an answer that refused a chunk: nothing was
// published. An expired or unknown upload URL (403, 404) is transient: a
// new publish gets a new URL.
func refusedChunk(err error) error {
	var nf *networks.NotFoundError
	var re *networks.RejectedError
	if errors.As(err, &nf) || (errors.As(err, &re) && re.Code == "403") {
		return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("upload: the upload URL is no longer valid: %w", err)}
	}
	return err
}

// lost is the outcome of an upload that could not be finished after the
// chunk failed with chunkErr and the status query with queryErr (nil when
// not asked): unknown when the chunk carried the file's last byte (the post
// may exist), else the ctx error or transient — no post exists without the
// whole file.
func lost(ctx context.Context, chunkErr *networks.OutcomeUnknownError, queryErr error, last bool) error {
	if last {
		return chunkErr
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("tiktok: publish: upload interrupted: %w", err)
	}
	why := chunkErr.Error()
	if queryErr != nil {
		why = queryErr.Error()
	}
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("upload interrupted before its last chunk: " + echo.Clip(why, 300))}
}

func readError(err error) error {
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("read the video: %w", err)}
}

// openError classifies a failure to open the video's source: nothing was
// sent; the host's blob store failed.
func openError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("tiktok: publish: open the video: %w", ctx.Err())
	}
	var rl *networks.RateLimitError
	var te *networks.TransientError
	if errors.As(err, &rl) || errors.As(err, &te) {
		return err
	}
	return &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: fmt.Errorf("open the video: %w", err)}
}
