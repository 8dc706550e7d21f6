// Package tiktoktest is a fake of TikTok's API v2 for the tiktok adapter's
// tests, on the adapter kit's fake skeleton: the Content Posting API
// (creator_info/query, video/init with FILE_UPLOAD and PULL_FROM_URL, the
// chunked PUT to the upload URL, content/init for photos, status/fetch),
// video/query, video/list and the OAuth token endpoint, with TikTok's
// error object, the documented per-endpoint per-minute limits, the daily
// post cap, bearer-token checks and scripted faults. It keeps no video
// bytes, only their count and CRC-32, so a 200 MB upload costs no memory.
//
// The upload follows the media transfer guide's chunk restrictions and
// answers 206 to a chunk and 201 to the last one; a chunk is taken whole
// or not at all (a connection cut mid-chunk leaves uploaded_bytes at the
// chunk's start), and a chunk TikTok already holds is answered 206 again.
package tiktoktest

import (
	"encoding"
	"encoding/json"
	"hash"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/upload"
)

const kindAccess, kindRefresh = "access", "refresh"

// The documented limits (https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit
// and each endpoint's reference), per access token per minute.
var perMinute = map[string]int{
	"creator_info": 20, "init": 6, "status": 30, "query": 600, "list": 600,
}

// Creator is what creator_info/query answers.
type Creator struct {
	Username, Nickname                            string
	PrivacyOptions                                []string
	CommentDisabled, DuetDisabled, StitchDisabled bool
	MaxVideoDurationSec                           int64
}

// Post is what the server holds of one publish.
type Post struct {
	PublishID, ID                              string // ID: the post's, once whole
	Media                                      string // "VIDEO" or "PHOTO"
	Source                                     string // FILE_UPLOAD or PULL_FROM_URL
	Title, Description, Privacy                string
	DisableComment, DisableDuet, DisableStitch bool
	BrandContent, BrandOrganic, AIGC           bool
	VideoURL                                   string
	Photos                                     []string
	Size                                       int64  // bytes received
	CRC32                                      uint32 // Castagnoli CRC of the bytes
	Created                                    time.Time
	Views, Likes, Comments, Shares             int64
	status, fail                               string
	polls                                      int
	whole                                      bool
	ready                                      time.Time // complete no earlier than this
	sess                                       *session
	openID                                     string
}

type session struct {
	mu                 sync.Mutex
	publishID          string
	size, chunk, count int64
	received           int64
	held               atomic.Int64 // received, for status reads
	crc                hash.Hash32
}

// Server is the fake. Create it with [NewServer]; it is safe for
// concurrent use.
type Server struct {
	// Server is the kit's fake skeleton, whose URL, Client, Close,
	// Now, Script, Requests and Transport the fake is.
	*apikittest.Server
	clock *apikittest.Clock

	mu         sync.Mutex
	seq        int
	creator    Creator
	posts      map[string]*Post // by publish_id
	order      []string
	sessions   map[string]*session
	calls      map[string][]time.Time // token + endpoint → calls in the window
	daily      map[string][]time.Time // open_id → posts in 24 h
	dailyCap   int
	limits     bool
	polls      int
	fail       string
	unaudited  bool
	verified   string
	noScopes   map[string]bool
	received   int64
	clientKey  string
	secret     string
	codes      map[string]string // code → code_verifier
	ciErr      *apikittest.Error
	now        func() time.Time
	peak       map[string]int // open_id → most posts in 24 h
	rate       float64
	rnd        *rand.Rand
	processing time.Duration // the next creator_info answers 200 with it
}

var table = crc32.MakeTable(crc32.Castagnoli)

// NewServer starts a fake whose one creator's access token is token.
// The creator is public (every privacy level), allows every interaction and
// videos up to 10 minutes; the daily cap is 15 posts.
func NewServer(token string) *Server {
	return newServer(token, apikittest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)), nil)
}

// NewServerAt is NewServer reading now for its time instead of a virtual
// clock of its own (time.Now under testing/synctest, where the bubble's
// clock is virtual); Advance then does nothing.
func NewServerAt(token string, now func() time.Time) *Server {
	return newServer(token, nil, now)
}

func newServer(token string, clock *apikittest.Clock, now func() time.Time) *Server {
	s := &Server{clock: clock, now: now, peak: map[string]int{},
		posts: map[string]*Post{}, sessions: map[string]*session{}, calls: map[string][]time.Time{}, daily: map[string][]time.Time{},
		dailyCap: 15, limits: true, noScopes: map[string]bool{}, codes: map[string]string{},
		creator: Creator{Username: "fakecreator", Nickname: "Fake Creator", MaxVideoDurationSec: 600,
			PrivacyOptions: []string{"PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"}}}
	s.Server = apikittest.New(apikittest.Options{
		Clock: s.clock, Now: s.now,
		ErrorBody: func(e *apikittest.Error) any {
			return map[string]any{"data": map[string]any{}, "error": map[string]any{"code": e.Code, "message": e.Message, "log_id": "202603011200000000FAKE"}}
		},
		NotFound: func(r *http.Request) *apikittest.Error {
			return &apikittest.Error{Status: 404, Code: "not_found", Message: "the endpoint does not exist"}
		},
	})
	s.Server.IssueToken(token, apikittest.Token{Subject: "open-fake", Kind: kindAccess})
	// https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info
	s.Server.Handle(http.MethodPost, "/v2/post/publish/creator_info/query/", s.creatorInfo)
	// https://developers.tiktok.com/doc/content-posting-api-reference-direct-post
	s.Server.Handle(http.MethodPost, "/v2/post/publish/video/init/", s.videoInit)
	// https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide
	s.Server.Handle(http.MethodPut, "/upload/", s.putChunk)
	// https://developers.tiktok.com/doc/content-posting-api-reference-photo-post
	s.Server.Handle(http.MethodPost, "/v2/post/publish/content/init/", s.contentInit)
	// https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status
	s.Server.Handle(http.MethodPost, "/v2/post/publish/status/fetch/", s.status)
	// https://developers.tiktok.com/doc/tiktok-api-v2-video-query, /tiktok-api-v2-video-list
	s.Server.Handle(http.MethodPost, "/v2/video/query/", s.videoQuery)
	s.Server.Handle(http.MethodPost, "/v2/video/list/", s.videoList)
	// https://developers.tiktok.com/doc/oauth-user-access-token-management
	s.Server.Handle(http.MethodPost, "/v2/oauth/token/", s.oauthToken)
	return s
}

// Advance moves the server's virtual clock by d.
func (s *Server) Advance(d time.Duration) {
	if s.clock != nil {
		s.clock.Advance(d)
	}
}

// IssueToken registers another creator's access token: its posts count
// against openID's daily cap, its calls against its own per-minute limits.
func (s *Server) IssueToken(token, openID string) {
	s.Server.IssueToken(token, apikittest.Token{Subject: openID, Kind: kindAccess})
}

// SetFaultRate makes a fraction p of the API's requests fail at random
// (seeded): a third answer 500 internal_error before any effect, a third
// 429 rate_limit_exceeded, a third take effect and lose their answer.
// The OAuth endpoint is spared.
func (s *Server) SetFaultRate(p float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.rnd = p, rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
}

// Peak is the most posts openID ever made (uploaded or pulled whole) in a
// 24-hour window.
func (s *Server) Peak(openID string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.peak[openID] }

// fault rolls the random fault of one request: an error to answer before
// the effect, or nil (with c.Fault.Lost set for a lost answer).
func (s *Server) fault(c *apikittest.Call) *apikittest.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rnd == nil || s.rnd.Float64() >= s.rate {
		return nil
	}
	switch s.rnd.IntN(3) {
	case 0:
		return fail(500, "internal_error", "Something went wrong on TikTok's side.")
	case 1:
		return fail(429, "rate_limit_exceeded", "API rate limit was exceeded.")
	}
	c.Fault.Lost = true
	return nil
}

// ExpireTokens makes every access token expired.
func (s *Server) ExpireTokens() { s.Server.ExpireTokens(kindAccess) }

// SetCreator replaces what creator_info/query answers.
func (s *Server) SetCreator(c Creator) { s.mu.Lock(); s.creator = c; s.mu.Unlock() }

// SetProcessingPolls makes new posts report PROCESSING_UPLOAD (or
// PROCESSING_DOWNLOAD) for the first n status reads once whole, then
// PUBLISH_COMPLETE (default 0: complete at once).
func (s *Server) SetProcessingPolls(n int) { s.mu.Lock(); s.polls = n; s.mu.Unlock() }

// SetProcessingTime makes new posts take d of the virtual clock, once
// whole, before they are PUBLISH_COMPLETE (on top of any processing polls;
// default 0). TikTok processes a 512 MB video in under half a minute and
// moderates most public posts within a minute.
func (s *Server) SetProcessingTime(d time.Duration) { s.mu.Lock(); s.processing = d; s.mu.Unlock() }

// FailNext makes the next post FAILED with reason at its first status
// read after it is whole.
func (s *Server) FailNext(reason string) { s.mu.Lock(); s.fail = reason; s.mu.Unlock() }

// CreatorInfoError makes the next creator_info/query answer HTTP 200 with
// TikTok's error object carrying code and message (the API v2 puts the
// outcome in error.code, whatever the status).
func (s *Server) CreatorInfoError(code, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ciErr = &apikittest.Error{Code: code, Message: message}
}

// SetDailyCap sets the posts a creator may make in 24 hours (0: no cap).
func (s *Server) SetDailyCap(n int) { s.mu.Lock(); s.dailyCap = n; s.mu.Unlock() }

// SetRateLimits turns the per-minute limits on (the default) or off.
func (s *Server) SetRateLimits(on bool) { s.mu.Lock(); s.limits = on; s.mu.Unlock() }

// SetUnaudited makes the app unaudited: only SELF_ONLY posts are taken.
func (s *Server) SetUnaudited(on bool) { s.mu.Lock(); s.unaudited = on; s.mu.Unlock() }

// SetVerifiedPrefix sets the URL prefix the app verified for
// PULL_FROM_URL; empty (the default) takes every URL.
func (s *Server) SetVerifiedPrefix(p string) { s.mu.Lock(); s.verified = p; s.mu.Unlock() }

// RevokeScope makes the token lack scope (video.publish, video.list).
func (s *Server) RevokeScope(scope string) { s.mu.Lock(); s.noScopes[scope] = true; s.mu.Unlock() }

// SetCounts sets a post's counters, by post ID.
func (s *Server) SetCounts(id string, views, likes, comments, shares int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			p.Views, p.Likes, p.Comments, p.Shares = views, likes, comments, shares
		}
	}
}

// Posts returns the posts TikTok holds whole (uploaded or pulled, not
// failed), in publish order.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, id := range s.order {
		if p := s.posts[id]; p.whole && p.status != "FAILED" {
			out = append(out, *p)
		}
	}
	return out
}

// Inits is the number of publishes started (video/init and content/init
// answered with a publish_id).
func (s *Server) Inits() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.order) }

// Received is the number of upload bytes the server read, over all
// sessions.
func (s *Server) Received() int64 { s.mu.Lock(); defer s.mu.Unlock(); return s.received }

func fail(status int, code, msg string) *apikittest.Error {
	return &apikittest.Error{Status: status, Code: code, Message: msg}
}

// auth checks the bearer token, the scope and the endpoint's limit, then
// rolls the random fault.
func (s *Server) auth(c *apikittest.Call, endpoint, scope string) (string, *apikittest.Error) {
	openID, e := s.check(c, endpoint, scope)
	if e == nil {
		e = s.fault(c)
	}
	return openID, e
}

func (s *Server) check(c *apikittest.Call, endpoint, scope string) (string, *apikittest.Error) {
	t, tok, p := s.Server.Bearer(c, kindAccess)
	if p != apikittest.AuthOK {
		return "", fail(401, "access_token_invalid", "The access token is invalid or not found in the request.")
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noScopes[scope] {
		return "", fail(401, "scope_not_authorized", "The user did not authorize the scope required for completing this request.")
	}
	if s.limits {
		key := tok + " " + endpoint
		ts := s.calls[key]
		for len(ts) > 0 && !ts[0].After(now.Add(-time.Minute)) {
			ts = ts[1:]
		}
		if len(ts) >= perMinute[endpoint] {
			s.calls[key] = ts
			return "", fail(429, "rate_limit_exceeded", "API rate limit was exceeded, only 1 request is allowed in a minute.")
		}
		s.calls[key] = append(ts, now)
	}
	return t.Subject, nil
}

func decode(c *apikittest.Call, v any) *apikittest.Error {
	if err := json.NewDecoder(io.LimitReader(c.Body, 1<<20)).Decode(v); err != nil {
		return fail(400, "invalid_params", "The request body is not valid JSON.")
	}
	return nil
}

func ok(data any) any {
	return map[string]any{"data": data, "error": map[string]any{"code": "ok", "message": "", "log_id": "202603011200000000FAKE"}}
}

func (s *Server) creatorInfo(c *apikittest.Call) (any, error) {
	if _, e := s.auth(c, "creator_info", "video.publish"); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.ciErr; e != nil {
		s.ciErr = nil
		return map[string]any{"data": map[string]any{}, "error": map[string]any{"code": e.Code, "message": e.Message, "log_id": "202603011200000000FAKE"}}, nil
	}
	cr := s.creator
	return ok(map[string]any{"creator_avatar_url": "https://p16.example/avatar.jpg", "creator_username": cr.Username, "creator_nickname": cr.Nickname,
		"privacy_level_options": cr.PrivacyOptions, "comment_disabled": cr.CommentDisabled, "duet_disabled": cr.DuetDisabled,
		"stitch_disabled": cr.StitchDisabled, "max_video_post_duration_sec": cr.MaxVideoDurationSec}), nil
}

type initReq struct {
	PostInfo struct {
		Title, Description string
		PrivacyLevel       string `json:"privacy_level"`
		DisableComment     bool   `json:"disable_comment"`
		DisableDuet        bool   `json:"disable_duet"`
		DisableStitch      bool   `json:"disable_stitch"`
		BrandContentToggle bool   `json:"brand_content_toggle"`
		BrandOrganicToggle bool   `json:"brand_organic_toggle"`
		IsAIGC             bool   `json:"is_aigc"`
	} `json:"post_info"`
	SourceInfo struct {
		Source          string   `json:"source"`
		VideoSize       int64    `json:"video_size"`
		ChunkSize       int64    `json:"chunk_size"`
		TotalChunkCount int64    `json:"total_chunk_count"`
		VideoURL        string   `json:"video_url"`
		PhotoImages     []string `json:"photo_images"`
		PhotoCoverIndex int      `json:"photo_cover_index"`
	} `json:"source_info"`
	PostMode  string `json:"post_mode"`
	MediaType string `json:"media_type"`
}

// checkPost applies the refusals common to both inits, under s.mu.
func (s *Server) checkPost(openID string, r *initReq, now time.Time) *apikittest.Error {
	pi := r.PostInfo
	switch {
	case !slices.Contains(s.creator.PrivacyOptions, pi.PrivacyLevel):
		return fail(400, "privacy_level_option_mismatch", "The privacy level does not match the options of the creator.")
	case s.unaudited && pi.PrivacyLevel != "SELF_ONLY":
		return fail(403, "unaudited_client_can_only_post_to_private_accounts", "Unaudited clients can only post to a private account.")
	case pi.BrandContentToggle && pi.PrivacyLevel == "SELF_ONLY":
		return fail(400, "invalid_params", "Branded content cannot be private.")
	case s.creator.CommentDisabled && !pi.DisableComment:
		return fail(400, "invalid_params", "The creator disabled comments.")
	}
	if ts := s.window(openID, now); s.dailyCap > 0 && len(ts) >= s.dailyCap {
		return fail(403, "spam_risk_too_many_posts", "The user has reached the daily post cap.")
	}
	if r.SourceInfo.Source == "PULL_FROM_URL" {
		urls := append([]string{r.SourceInfo.VideoURL}, r.SourceInfo.PhotoImages...)
		for _, u := range urls {
			if u != "" && s.verified != "" && !strings.HasPrefix(u, s.verified) {
				return fail(403, "url_ownership_unverified", "The URL's domain or prefix is not verified.")
			}
		}
	}
	return nil
}

// newPost registers a publish, under s.mu.
func (s *Server) newPost(openID string, r *initReq, media string, now time.Time) *Post {
	s.seq++
	pi := r.PostInfo
	p := &Post{PublishID: "v_pub_file~v2-1." + strconv.Itoa(s.seq), Media: media, Source: r.SourceInfo.Source,
		Title: pi.Title, Description: pi.Description, Privacy: pi.PrivacyLevel, DisableComment: pi.DisableComment,
		DisableDuet: pi.DisableDuet, DisableStitch: pi.DisableStitch, BrandContent: pi.BrandContentToggle,
		BrandOrganic: pi.BrandOrganicToggle, AIGC: pi.IsAIGC, VideoURL: r.SourceInfo.VideoURL,
		Photos: slices.Clone(r.SourceInfo.PhotoImages), Created: now, status: "PROCESSING_UPLOAD", polls: s.polls, fail: s.fail}
	s.fail = ""
	s.posts[p.PublishID] = p
	s.order = append(s.order, p.PublishID)
	p.openID = openID
	return p
}

// window returns openID's posts in the 24 hours before now, under s.mu.
func (s *Server) window(openID string, now time.Time) []time.Time {
	ts := s.daily[openID]
	for len(ts) > 0 && !ts[0].After(now.Add(-24*time.Hour)) {
		ts = ts[1:]
	}
	s.daily[openID] = ts
	return ts
}

// whole marks p complete on TikTok's side (uploaded or pulled), under s.mu.
func (s *Server) whole(p *Post) {
	s.seq++
	p.whole = true
	now := s.Now()
	s.daily[p.openID] = append(s.window(p.openID, now), now) // the post is made: it counts against the cap
	s.peak[p.openID] = max(s.peak[p.openID], len(s.daily[p.openID]))
	p.ready = s.Now().Add(s.processing)
	p.ID = strconv.FormatInt(7_300_000_000_000_000_000+int64(s.seq), 10)
}

// checkChunks applies the media transfer guide's chunk restrictions.
func checkChunks(size, chunk, count int64) *apikittest.Error {
	const mb5, mb64, mb128 = 5 << 20, 64_000_000, 128_000_000
	bad := func(msg string) *apikittest.Error { return fail(400, "invalid_params", msg) }
	switch {
	case size <= 0 || chunk <= 0 || count <= 0:
		return bad("video_size, chunk_size and total_chunk_count are required for FILE_UPLOAD")
	case count < 1 || count > 1000:
		return bad("total_chunk_count must be between 1 and 1000")
	case count != size/chunk:
		return bad("total_chunk_count must be video_size / chunk_size rounded down")
	case size < mb5 && (chunk != size || count != 1):
		return bad("a video under 5 MB must be uploaded whole")
	case size > mb64 && count == 1:
		return bad("a video over 64 MB must be uploaded in chunks")
	case count > 1 && (chunk < mb5 || chunk > mb64):
		return bad("each chunk must be between 5 MB and 64 MB")
	case size-(count-1)*chunk > mb128:
		return bad("the final chunk may be at most 128 MB")
	}
	return nil
}

func (s *Server) videoInit(c *apikittest.Call) (any, error) {
	openID, e := s.auth(c, "init", "video.publish")
	if e != nil {
		return nil, e
	}
	var r initReq
	if e := decode(c, &r); e != nil {
		return nil, e
	}
	si := r.SourceInfo
	switch si.Source {
	case "FILE_UPLOAD":
		if e := checkChunks(si.VideoSize, si.ChunkSize, si.TotalChunkCount); e != nil {
			return nil, e
		}
	case "PULL_FROM_URL":
		if u, err := url.Parse(si.VideoURL); err != nil || u.Host == "" {
			return nil, fail(400, "invalid_params", "video_url is required for PULL_FROM_URL")
		}
	default:
		return nil, fail(400, "invalid_params", "source must be FILE_UPLOAD or PULL_FROM_URL")
	}
	if len([]rune(r.PostInfo.Title)) > 2200 {
		return nil, fail(400, "invalid_params", "The title is longer than 2200 characters.")
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.checkPost(openID, &r, now); e != nil {
		return nil, e
	}
	p := s.newPost(openID, &r, "VIDEO", now)
	out := map[string]any{"publish_id": p.PublishID}
	if si.Source == "FILE_UPLOAD" {
		id := "up" + strconv.Itoa(s.seq)
		p.sess = &session{publishID: p.PublishID, size: si.VideoSize, chunk: si.ChunkSize, count: si.TotalChunkCount, crc: crc32.New(table)}
		s.sessions[id] = p.sess
		out["upload_url"] = s.URL() + "/upload/?upload_id=" + id + "&upload_token=fake-upload-token"
	} else {
		p.status = "PROCESSING_DOWNLOAD"
		s.whole(p)
	}
	return ok(out), nil
}

func (s *Server) contentInit(c *apikittest.Call) (any, error) {
	openID, e := s.auth(c, "init", "video.publish")
	if e != nil {
		return nil, e
	}
	var r initReq
	if e := decode(c, &r); e != nil {
		return nil, e
	}
	si := r.SourceInfo
	switch {
	case r.MediaType != "PHOTO":
		return nil, fail(400, "invalid_params", "media_type must be PHOTO")
	case r.PostMode != "DIRECT_POST" && r.PostMode != "MEDIA_UPLOAD":
		return nil, fail(400, "invalid_params", "post_mode must be DIRECT_POST or MEDIA_UPLOAD")
	case si.Source != "PULL_FROM_URL":
		return nil, fail(400, "invalid_params", "photos are PULL_FROM_URL only")
	case len(si.PhotoImages) < 1 || len(si.PhotoImages) > 35:
		return nil, fail(400, "invalid_params", "photo_images takes 1 to 35 URLs")
	case si.PhotoCoverIndex < 0 || si.PhotoCoverIndex >= len(si.PhotoImages):
		return nil, fail(400, "invalid_params", "photo_cover_index is out of range")
	case len([]rune(r.PostInfo.Title)) > 90 || len([]rune(r.PostInfo.Description)) > 4000:
		return nil, fail(400, "invalid_params", "photo titles take 90 characters, descriptions 4000")
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.checkPost(openID, &r, now); e != nil {
		return nil, e
	}
	p := s.newPost(openID, &r, "PHOTO", now)
	p.status = "PROCESSING_DOWNLOAD"
	s.whole(p)
	return ok(map[string]any{"publish_id": p.PublishID}), nil
}

// putChunk takes one chunk of an upload session.
func (s *Server) putChunk(c *apikittest.Call) (any, error) {
	s.mu.Lock()
	ss := s.sessions[c.URL.Query().Get("upload_id")]
	s.mu.Unlock()
	if ss == nil || c.URL.Query().Get("upload_token") == "" {
		return nil, fail(404, "not_found", "upload session not found")
	}
	if c.Header.Get("Authorization") != "" {
		return nil, fail(400, "invalid_params", "the upload URL takes no Authorization header")
	}
	if e := s.fault(c); e != nil {
		return nil, e
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	start, n, total, query, okRange := upload.ParseContentRange(c.Header.Get("Content-Range"))
	if !okRange || query || total != ss.size {
		return nil, fail(400, "invalid_params", "invalid Content-Range")
	}
	if start+n <= ss.received && (start%ss.chunk == 0) {
		// A chunk already held, sent again after a lost answer.
		_, _ = io.Copy(io.Discard, c.Body)
		return s.chunkAnswer(c, ss), nil
	}
	want := ss.chunk
	if start/ss.chunk >= ss.count-1 {
		want = ss.size - start
	}
	if start != ss.received || n != want {
		return nil, fail(416, "range_not_satisfiable", "chunks must be sent in order, each of its planned size")
	}
	state, _ := ss.crc.(encoding.BinaryMarshaler).MarshalBinary()
	got, err := io.CopyN(io.MultiWriter(ss.crc, countWriter{s}), c.Body, n)
	if err != nil || got != n {
		_ = ss.crc.(encoding.BinaryUnmarshaler).UnmarshalBinary(state) // the chunk is taken whole or not at all
		return nil, fail(400, "invalid_params", "the chunk ended early")
	}
	ss.received += n
	ss.held.Store(ss.received)
	if ss.received == ss.size {
		s.mu.Lock()
		if p := s.posts[ss.publishID]; p != nil && !p.whole {
			p.Size, p.CRC32 = ss.received, ss.crc.Sum32()
			s.whole(p)
		}
		s.mu.Unlock()
	}
	return s.chunkAnswer(c, ss), nil
}

func (s *Server) chunkAnswer(c *apikittest.Call, ss *session) any {
	if ss.received == ss.size {
		c.SetStatus(http.StatusCreated)
	} else {
		c.SetStatus(http.StatusPartialContent)
	}
	return map[string]any{}
}

type countWriter struct{ s *Server }

func (w countWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	w.s.received += int64(len(p))
	w.s.mu.Unlock()
	return len(p), nil
}

func (s *Server) status(c *apikittest.Call) (any, error) {
	if _, e := s.auth(c, "status", "video.publish"); e != nil {
		return nil, e
	}
	var r struct {
		PublishID string `json:"publish_id"`
	}
	if e := decode(c, &r); e != nil {
		return nil, e
	}
	s.mu.Lock()
	p := s.posts[r.PublishID]
	defer s.mu.Unlock()
	if p == nil {
		return nil, fail(400, "invalid_publish_id", "The publish_id does not exist.")
	}
	ids := []json.Number{}
	if p.whole && p.polls > 0 && p.fail == "" {
		p.polls--
	}
	settle(p, s.Now())
	if p.status == "PUBLISH_COMPLETE" && p.Privacy != "SELF_ONLY" {
		ids = append(ids, json.Number(p.ID))
	}
	out := map[string]any{"status": p.status, "publicaly_available_post_id": ids}
	if p.status == "FAILED" {
		out["fail_reason"] = p.fail
	}
	if p.sess != nil {
		out["uploaded_bytes"] = p.sess.held.Load() // not sess.mu: a PUT holds it while it reads, and takes s.mu
	}
	return ok(out), nil
}

func (s *Server) video(p *Post, fields []string) map[string]any {
	v := map[string]any{}
	all := map[string]any{"id": p.ID, "create_time": p.Created.Unix(), "title": p.Title, "video_description": p.Title,
		"like_count": p.Likes, "comment_count": p.Comments, "share_count": p.Shares, "view_count": p.Views,
		"share_url": "https://www.tiktok.com/@" + s.creator.Username + "/video/" + p.ID}
	for _, f := range fields {
		if x, ok := all[f]; ok {
			v[f] = x
		}
	}
	return v
}

// settle moves a whole post on: FAILED when a failure was scripted, else
// PUBLISH_COMPLETE once its processing polls are spent.
func settle(p *Post, now time.Time) {
	if !p.whole || p.status == "FAILED" || p.status == "PUBLISH_COMPLETE" {
		return
	}
	switch {
	case p.fail != "":
		p.status = "FAILED"
	case p.polls == 0 && !now.Before(p.ready):
		p.status = "PUBLISH_COMPLETE"
	}
}

// visible reports whether video/query and video/list show p: a public,
// complete video.
func visible(p *Post, now time.Time) bool {
	settle(p, now)
	return p.status == "PUBLISH_COMPLETE" && p.Privacy != "SELF_ONLY" && p.Media == "VIDEO"
}

func (s *Server) videoQuery(c *apikittest.Call) (any, error) {
	openID, e := s.auth(c, "query", "video.list")
	if e != nil {
		return nil, e
	}
	var r struct {
		Filters struct {
			VideoIDs []string `json:"video_ids"`
		} `json:"filters"`
	}
	if e := decode(c, &r); e != nil {
		return nil, e
	}
	fields := strings.Split(c.URL.Query().Get("fields"), ",")
	if len(r.Filters.VideoIDs) == 0 || len(r.Filters.VideoIDs) > 20 || c.URL.Query().Get("fields") == "" {
		return nil, fail(400, "invalid_params", "fields and 1 to 20 video_ids are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	videos := []any{}
	for _, id := range s.order {
		if p := s.posts[id]; p.openID == openID && visible(p, s.Now()) && slices.Contains(r.Filters.VideoIDs, p.ID) {
			videos = append(videos, s.video(p, fields))
		}
	}
	return ok(map[string]any{"videos": videos, "cursor": 0, "has_more": false}), nil
}

func (s *Server) videoList(c *apikittest.Call) (any, error) {
	openID, e := s.auth(c, "list", "video.list")
	if e != nil {
		return nil, e
	}
	var r struct {
		Cursor   int64 `json:"cursor"`
		MaxCount int   `json:"max_count"`
	}
	if e := decode(c, &r); e != nil {
		return nil, e
	}
	if r.MaxCount == 0 {
		r.MaxCount = 10
	}
	if r.MaxCount < 0 || r.MaxCount > 20 || c.URL.Query().Get("fields") == "" {
		return nil, fail(400, "invalid_params", "fields is required and max_count is at most 20")
	}
	fields := strings.Split(c.URL.Query().Get("fields"), ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	videos := []any{}
	cursor, more := int64(0), false
	for i := len(s.order) - 1; i >= 0; i-- {
		p := s.posts[s.order[i]]
		if p.openID != openID || !visible(p, s.Now()) || (r.Cursor != 0 && p.Created.UnixMilli() >= r.Cursor) {
			continue
		}
		if len(videos) == r.MaxCount {
			more = true
			break
		}
		videos = append(videos, s.video(p, fields))
		cursor = p.Created.UnixMilli()
	}
	return ok(map[string]any{"videos": videos, "cursor": cursor, "has_more": more}), nil
}
