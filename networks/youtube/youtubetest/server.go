// Package youtubetest is a fake of the YouTube Data API v3 for the youtube
// adapter's tests, on the adapter kit's fake skeleton: the resumable
// videos.insert upload (session, chunks, status query), thumbnails.set,
// videos.list, videos.delete, channels.list and playlistItems.list, with
// Google's error body, bearer-token checks and scripted faults. It keeps no
// video bytes, only their count and CRC-32, so a 200 MB upload costs no
// memory.
package youtubetest

import (
	"encoding/json"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/upload"
)

// Token is the access token the server accepts for its one channel.
const kindAccess = "access"

// Video is what the server holds of an uploaded video.
type Video struct {
	ID, Title, Description, Privacy, PublishAt string
	Tags                                       []string
	MadeForKids                                bool
	Size                                       int64  // bytes received
	CRC32                                      uint32 // Castagnoli CRC of the bytes
	Thumbnail                                  int    // bytes of the thumbnail, 0 without one
	Views, Likes, Comments                     int64
	polls                                      int // status reads before it is processed
}

type session struct {
	mu       sync.Mutex // held by the request writing to the session
	meta     Video
	total    int64
	received int64
	crc      hash.Hash32
	video    *Video
}

// Server is the fake. Create it with [NewServer]; it is safe for concurrent
// use.
type Server struct {
	// Server is the kit's fake skeleton, whose URL, Client, Close,
	// Now, Script, Requests and Transport the fake is.
	*apikittest.Server

	mu       sync.Mutex
	seq      int
	videos   map[string]*Video
	order    []string // upload order
	sessions map[string]*session
	polls    int
	received int64
}

var table = crc32.MakeTable(crc32.Castagnoli)

// NewServer starts a fake with token accepted as the channel's access token.
func NewServer(token string) *Server {
	s := &Server{videos: map[string]*Video{}, sessions: map[string]*session{}}
	s.Server = apikittest.New(apikittest.Options{
		Clock: apikittest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)),
		ErrorBody: func(e *apikittest.Error) any {
			domain := "youtube.api"
			if e.Status == http.StatusUnauthorized || e.Code == "rateLimitExceeded" || e.Code == "backendError" {
				domain = "global"
			}
			if e.Code == "quotaExceeded" {
				domain = "youtube.quota"
			}
			return map[string]any{"error": map[string]any{"code": e.Status, "message": e.Message,
				"errors": []map[string]any{{"domain": domain, "reason": e.Code, "message": e.Message}}}}
		},
		NotFound: func(r *http.Request) *apikittest.Error {
			return &apikittest.Error{Status: 404, Code: "notFound", Message: "Not Found"}
		},
	})
	s.Server.IssueToken(token, apikittest.Token{Subject: "UCfake", Kind: kindAccess})
	// https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol
	s.Server.Handle(http.MethodPost, "/upload/youtube/v3/videos", s.startSession)
	s.Server.Handle(http.MethodPut, "/upload/youtube/v3/videos", s.putChunk)
	// https://developers.google.com/youtube/v3/docs/thumbnails/set
	s.Server.Handle(http.MethodPost, "/upload/youtube/v3/thumbnails/set", s.setThumbnail)
	// https://developers.google.com/youtube/v3/docs/videos/list, /delete
	s.Server.Handle(http.MethodGet, "/youtube/v3/videos", s.listVideos)
	s.Server.Handle(http.MethodDelete, "/youtube/v3/videos", s.deleteVideo)
	// https://developers.google.com/youtube/v3/docs/channels/list, /playlistItems/list
	s.Server.Handle(http.MethodGet, "/youtube/v3/channels", s.listChannels)
	s.Server.Handle(http.MethodGet, "/youtube/v3/playlistItems", s.listPlaylistItems)
	return s
}

// ExpireTokens makes the access token expired.
func (s *Server) ExpireTokens() { s.Server.ExpireTokens(kindAccess) }

// SetProcessingPolls makes new videos report uploadStatus "uploaded" for
// the first n status reads, then "processed" (default 0: processed at once).
func (s *Server) SetProcessingPolls(n int) { s.mu.Lock(); s.polls = n; s.mu.Unlock() }

// SetStatistics sets a video's counters.
func (s *Server) SetStatistics(id string, views, likes, comments int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.videos[id]; v != nil {
		v.Views, v.Likes, v.Comments = views, likes, comments
	}
}

// Videos returns the live videos in upload order.
func (s *Server) Videos() []Video {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Video, 0, len(s.order))
	for _, id := range s.order {
		if v := s.videos[id]; v != nil {
			out = append(out, *v)
		}
	}
	return out
}

// Received is the number of upload bytes the server read, over all
// sessions.
func (s *Server) Received() int64 { s.mu.Lock(); defer s.mu.Unlock(); return s.received }

func fail(status int, reason, msg string) *apikittest.Error {
	return &apikittest.Error{Status: status, Code: reason, Message: msg}
}

func (s *Server) auth(c *apikittest.Call) *apikittest.Error {
	if _, _, p := s.Server.Bearer(c, kindAccess); p != apikittest.AuthOK {
		return fail(http.StatusUnauthorized, "authError", "Invalid Credentials")
	}
	return nil
}

func (s *Server) startSession(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	q := c.URL.Query()
	if q.Get("uploadType") != "resumable" || q.Get("part") == "" {
		return nil, fail(400, "badRequest", "uploadType=resumable and part are required")
	}
	total, err := strconv.ParseInt(c.Header.Get("X-Upload-Content-Length"), 10, 64)
	if err != nil || total <= 0 {
		return nil, fail(400, "mediaBodyRequired", "X-Upload-Content-Length is required")
	}
	var body struct {
		Snippet struct {
			Title, Description string
			Tags               []string
		}
		Status struct {
			PrivacyStatus           string
			PublishAt               string
			SelfDeclaredMadeForKids bool
		}
	}
	if err := json.NewDecoder(io.LimitReader(c.Body, 1<<20)).Decode(&body); err != nil {
		return nil, fail(400, "parseError", "the video resource is not JSON")
	}
	switch {
	case body.Snippet.Title == "" || len([]rune(body.Snippet.Title)) > 100:
		return nil, fail(400, "invalidTitle", "The request metadata specifies an invalid or empty video title.")
	case len([]rune(body.Snippet.Description)) > 5000 || strings.ContainsAny(body.Snippet.Description, "<>"):
		return nil, fail(400, "invalidDescription", "The request metadata specifies an invalid video description.")
	case body.Status.PublishAt != "" && body.Status.PrivacyStatus != "private":
		return nil, fail(400, "invalidPublishAt", "The request metadata specifies an invalid scheduled publishing time.")
	}
	switch body.Status.PrivacyStatus {
	case "public", "unlisted", "private":
	default:
		return nil, fail(400, "invalidVideoMetadata", "invalid privacyStatus")
	}
	s.mu.Lock()
	s.seq++
	id := "up" + strconv.Itoa(s.seq)
	s.sessions[id] = &session{total: total, crc: crc32.New(table), meta: Video{
		Title: body.Snippet.Title, Description: body.Snippet.Description, Tags: body.Snippet.Tags,
		Privacy: body.Status.PrivacyStatus, PublishAt: body.Status.PublishAt, MadeForKids: body.Status.SelfDeclaredMadeForKids,
	}}
	s.mu.Unlock()
	c.ReplyHeader().Set("Location", s.URL()+"/upload/youtube/v3/videos?uploadType=resumable&upload_id="+id)
	return nil, nil
}

// putChunk takes a chunk, or answers the status query; a connection cut
// mid-chunk keeps the bytes read, as the protocol's status query expects.
func (s *Server) putChunk(c *apikittest.Call) (any, error) {
	s.mu.Lock()
	ss := s.sessions[c.URL.Query().Get("upload_id")]
	s.mu.Unlock()
	if ss == nil {
		return nil, fail(404, "notFound", "upload session not found")
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	start, n, total, query, ok := upload.ParseContentRange(c.Header.Get("Content-Range"))
	if !ok || total != ss.total {
		return nil, fail(400, "badContent", "invalid Content-Range")
	}
	if ss.video != nil {
		c.SetStatus(http.StatusCreated)
		return s.resource(ss.video, "snippet,status"), nil
	}
	if query || start != ss.received {
		return s.incomplete(c, ss)
	}
	got, err := io.CopyN(io.MultiWriter(ss.crc, countWriter{s}), c.Body, n)
	ss.received += got
	if err != nil {
		return nil, fail(400, "badContent", "the chunk ended early")
	}
	if ss.received < ss.total {
		return s.incomplete(c, ss)
	}
	s.mu.Lock()
	s.seq++
	v := ss.meta
	v.ID, v.Size, v.CRC32, v.polls = "vid"+strconv.Itoa(s.seq), ss.received, ss.crc.Sum32(), s.polls
	s.videos[v.ID] = &v
	s.order = append(s.order, v.ID)
	ss.video = &v
	s.mu.Unlock()
	c.SetStatus(http.StatusCreated)
	return s.resource(&v, "snippet,status"), nil
}

type countWriter struct{ s *Server }

func (w countWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	w.s.received += int64(len(p))
	w.s.mu.Unlock()
	return len(p), nil
}

func (s *Server) incomplete(c *apikittest.Call, ss *session) (any, error) {
	if ss.received > 0 {
		c.ReplyHeader().Set("Range", "bytes=0-"+strconv.FormatInt(ss.received-1, 10))
	}
	c.SetStatus(http.StatusPermanentRedirect) // "308 Resume Incomplete"
	return nil, nil
}

func (s *Server) setThumbnail(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	id := c.URL.Query().Get("videoId")
	n, _ := io.Copy(io.Discard, io.LimitReader(c.Body, 2<<20+1))
	ct := c.Header.Get("Content-Type")
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.videos[id]
	switch {
	case v == nil:
		return nil, fail(404, "videoNotFound", "The video that you are trying to update cannot be found.")
	case n > 2<<20:
		return nil, fail(400, "mediaBodyTooLarge", "The thumbnail is larger than 2 MB.")
	case ct != "image/jpeg" && ct != "image/png":
		return nil, fail(400, "invalidImage", "The provided image content is invalid.")
	}
	v.Thumbnail = int(n)
	return map[string]any{"kind": "youtube#thumbnailSetResponse", "items": []any{map[string]any{"default": map[string]any{"url": "https://i.ytimg.com/vi/" + id + "/default.jpg"}}}}, nil
}

func (s *Server) resource(v *Video, part string) map[string]any {
	out := map[string]any{"kind": "youtube#video", "id": v.ID}
	parts := strings.Split(part, ",")
	if slices.Contains(parts, "snippet") {
		out["snippet"] = map[string]any{"title": v.Title, "description": v.Description, "tags": v.Tags, "categoryId": "22"}
	}
	if slices.Contains(parts, "status") {
		st := "processed"
		if v.polls > 0 {
			st = "uploaded"
		}
		out["status"] = map[string]any{"uploadStatus": st, "privacyStatus": v.Privacy, "selfDeclaredMadeForKids": v.MadeForKids}
	}
	if slices.Contains(parts, "processingDetails") {
		st := "succeeded"
		if v.polls > 0 {
			st = "processing"
		}
		out["processingDetails"] = map[string]any{"processingStatus": st}
	}
	if slices.Contains(parts, "statistics") {
		out["statistics"] = map[string]any{"viewCount": strconv.FormatInt(v.Views, 10), "likeCount": strconv.FormatInt(v.Likes, 10),
			"favoriteCount": "0", "commentCount": strconv.FormatInt(v.Comments, 10)}
	}
	return out
}

func (s *Server) listVideos(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	q := c.URL.Query()
	if q.Get("part") == "" || q.Get("id") == "" {
		return nil, fail(400, "missingRequiredParameter", "part and id are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for _, id := range strings.Split(q.Get("id"), ",") {
		if v := s.videos[id]; v != nil {
			items = append(items, s.resource(v, q.Get("part")))
			if strings.Contains(q.Get("part"), "status") && v.polls > 0 {
				v.polls--
			}
		}
	}
	return map[string]any{"kind": "youtube#videoListResponse", "items": items}, nil
}

func (s *Server) deleteVideo(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	id := c.URL.Query().Get("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.videos[id] == nil {
		return nil, fail(404, "videoNotFound", "The video that you are trying to delete cannot be found.")
	}
	delete(s.videos, id)
	c.SetStatus(http.StatusNoContent)
	return nil, nil
}

func (s *Server) listChannels(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	return map[string]any{"items": []any{map[string]any{"id": "UCfake",
		"contentDetails": map[string]any{"relatedPlaylists": map[string]any{"uploads": "UUfake"}}}}}, nil
}

func (s *Server) listPlaylistItems(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	if c.URL.Query().Get("playlistId") != "UUfake" {
		return nil, fail(404, "playlistNotFound", "The playlist cannot be found.")
	}
	maxN, _ := strconv.Atoi(c.URL.Query().Get("maxResults"))
	if maxN <= 0 || maxN > 50 {
		maxN = 5
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for i := len(s.order) - 1; i >= 0 && len(items) < maxN; i-- {
		if s.videos[s.order[i]] != nil {
			items = append(items, map[string]any{"contentDetails": map[string]any{"videoId": s.order[i]}})
		}
	}
	return map[string]any{"items": items}, nil
}
