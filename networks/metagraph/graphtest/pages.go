package graphtest

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// The Facebook Pages part of the fake: Pages managed by users, Page
// tokens derived from user tokens, feed, photo and video posts, comments,
// the Resumable Upload API, videos that stay processing for
// Options.VideoDelay (a file_url containing "fail" then ends in error),
// post and video insights, X-Page-Usage and X-Business-Use-Case-Usage of
// type "pages" over Options.CallBudget per token subject, and the Page's
// posts and videos lists.

// PagePost is a post on a Page of the fake.
type PagePost struct {
	ID, PageID, Message, Link string
	PhotoIDs                  []string // attached or published photos
	VideoID                   string   // a video's post
	Created                   time.Time
	Comments                  []string
	seq                       int
}

// PostMetrics are the counters the fake reports for a post or video: the
// object's reactions, comments and shares (Shares 0 leaves the field out,
// as Meta does) and its insights (Insights nil answers an empty data
// list; an entry of -1 answers the metric as an invalid one).
type PostMetrics struct {
	Reactions, Shares int64
	Insights          map[string]int64
}

type fbPage struct{ id, name, token string }

type fbPhoto struct {
	id, page, url, message string
	size                   int64
	published              bool
	postID                 string
	deleted                bool
}

type fbVideo struct {
	id, page, description, url, handle string
	created, ready                     time.Time
	fail, deleted                      bool
	postID                             string
}

type fbUpload struct {
	id, owner, fileType string
	length, received    int64
	sum                 hash.Hash
	handle              string
}

// pageState is the fake's Pages data (Server.mu held).
type pageState struct {
	pages    map[string]*fbPage
	managers map[string]map[string]bool // user id → Page ids
	posts    map[string]*PagePost
	photos   map[string]*fbPhoto
	videos   map[string]*fbVideo
	uploads  map[string]*fbUpload
	handles  map[string]*fbUpload
	metrics  map[string]PostMetrics
	said     map[string]time.Time // Page and message → when last posted (code 506 within an hour)
	apps     map[string]string    // app id → secret
	invalid  map[string]int       // user id → the 190 subcode its tokens now get
	blocked  map[string]time.Time // Page id → end of its posting block (code 368)
	cuts     []float64
	seq      int
	received int64 // upload bytes received in all
}

func newPageState() *pageState {
	return &pageState{pages: map[string]*fbPage{}, managers: map[string]map[string]bool{}, posts: map[string]*PagePost{},
		photos: map[string]*fbPhoto{}, videos: map[string]*fbVideo{}, uploads: map[string]*fbUpload{}, handles: map[string]*fbUpload{},
		metrics: map[string]PostMetrics{}, said: map[string]time.Time{}, apps: map[string]string{},
		invalid: map[string]int{}, blocked: map[string]time.Time{}}
}

// handlePages registers the Pages endpoints; they go before the Instagram
// ones, and the generic GET/DELETE /{id} routes answer Pages objects here
// and pass the others to the Instagram handlers.
func (s *Server) handlePages(v string, igGet, igDelete, igInsights apikittest.Handler) {
	// https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
	s.kit.Handle("GET", v+"/oauth/access_token", s.exchangeToken)
	// https://developers.facebook.com/docs/graph-api/reference/debug_token
	s.kit.Handle("GET", v+"/debug_token", s.debugToken)
	// https://developers.facebook.com/docs/graph-api/reference/user/accounts
	s.kit.Handle("GET", v+"/me/accounts", s.pwrap(s.meAccounts))
	// https://developers.facebook.com/docs/graph-api/reference/page/feed
	s.kit.Handle("POST", v+"/{page}/feed", s.pwrap(s.createFeed))
	s.kit.Handle("GET", v+"/{page}/posts", s.pwrap(s.listPosts))
	// https://developers.facebook.com/docs/graph-api/reference/page/photos
	s.kit.Handle("POST", v+"/{page}/photos", s.pwrap(s.createPhoto))
	// https://developers.facebook.com/docs/video-api/guides/publishing
	s.kit.Handle("POST", v+"/{page}/videos", s.pwrap(s.createVideo))
	s.kit.Handle("GET", v+"/{page}/videos", s.pwrap(s.listVideos))
	// https://developers.facebook.com/docs/graph-api/guides/upload
	s.kit.Handle("POST", v+"/{page}/uploads", s.oauthHeader(s.pwrap(s.startUpload)))
	s.kit.Handle("POST", v+"/{id}", s.oauthHeader(s.pwrap(s.transfer)))
	// https://developers.facebook.com/docs/graph-api/reference/object/comments
	s.kit.Handle("POST", v+"/{id}/comments", s.pwrap(s.createComment))
	// https://developers.facebook.com/docs/graph-api/reference/video/video_insights
	s.kit.Handle("GET", v+"/{id}/video_insights", s.pwrap(s.videoInsights))
	s.kit.Handle("GET", v+"/{id}/insights", s.either(s.pwrap(s.postInsights), igInsights))
	s.kit.Handle("GET", v+"/{id}", s.either(s.oauthHeader(s.pwrap(s.getPageObject)), igGet))
	s.kit.Handle("DELETE", v+"/{id}", s.either(s.pwrap(s.deletePageObject), igDelete))
}

// AddApp registers a Meta app (for the token exchange, debug_token and
// the Resumable Upload API).
func (s *Server) AddApp(appID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fb.apps[appID] = secret
}

// AddPage creates Page pageID named name, managed by the user userID, with
// the Page token pageToken (kind "access", acting for the Page). The user's
// token is issued separately with IssueToken(tok, userID, expiry).
func (s *Server) AddPage(userID, pageID, name, pageToken string) {
	s.kit.IssueToken(pageToken, apikittest.Token{Subject: pageID, Kind: "access"})
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fb.pages[pageID] = &fbPage{id: pageID, name: name, token: pageToken}
	if s.fb.managers[userID] == nil {
		s.fb.managers[userID] = map[string]bool{}
	}
	s.fb.managers[userID][pageID] = true
}

// RemoveManager takes the user's task on the Page away: the Page token
// can no longer be derived from the user's token.
func (s *Server) RemoveManager(userID, pageID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.fb.managers[userID], pageID)
}

// InvalidateUser makes every token of the user, and the Page tokens of the
// Pages the user manages, answer code 190 with subcode (458: the app was
// removed, 459: checkpointed, 460: the password changed, 464: unconfirmed
// user; https://developers.facebook.com/docs/graph-api/guides/error-handling).
func (s *Server) InvalidateUser(userID string, subcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fb.invalid[userID] = subcode
}

// BlockPosting makes the Page's writes answer code 368 ("temporarily
// blocked for policy violations") for d.
func (s *Server) BlockPosting(pageID string, d time.Duration) {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fb.blocked[pageID] = now.Add(d)
}

// invalidated is the 190 subcode subject's tokens get, 0 for none (mu
// held): the user's own, or that of a user managing the Page.
func (s *Server) invalidated(subject string) int {
	if sc := s.fb.invalid[subject]; sc != 0 {
		return sc
	}
	if _, page := s.fb.pages[subject]; page {
		for user, sc := range s.fb.invalid {
			if s.fb.managers[user][subject] {
				return sc
			}
		}
	}
	return 0
}

var invalidMessages = map[int]string{
	458: "Error validating access token: The user has not authorized application.",
	459: "Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.",
	460: "Error validating access token: The session has been invalidated because the user changed their password.",
	464: "Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.",
}

// SetPostMetrics sets the counters reported for a post or video id.
func (s *Server) SetPostMetrics(id string, m PostMetrics) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fb.metrics[id] = m
}

// CutUploads makes the next upload transfers each read the file up to the
// given fraction of its length (0 < f < 1, absolute), keep those bytes and
// drop the connection.
func (s *Server) CutUploads(fractions ...float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fb.cuts = append(s.fb.cuts, fractions...)
}

// UploadReceived is the number of upload bytes the fake read in all
// (including those of transfers it cut).
func (s *Server) UploadReceived() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fb.received
}

// UploadSum returns the SHA-256 of the complete upload behind handle, and
// false when there is none.
func (s *Server) UploadSum(handle string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.fb.handles[handle]
	if !ok {
		return nil, false
	}
	return u.sum.Sum(nil), true
}

// PagePosts returns the live posts of the Page visible now (a video's
// post once processed), oldest first.
func (s *Server) PagePosts(pageID string) []PagePost {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PagePost
	for _, p := range s.fb.posts {
		if p.PageID == pageID && s.visible(p, now) {
			out = append(out, *p)
		}
	}
	slices.SortFunc(out, func(a, b PagePost) int { return a.seq - b.seq })
	return out
}

// PageVideos returns the Page's videos that are not deleted, with their
// processing state ("processing", "ready" or "error").
func (s *Server) PageVideos(pageID string) map[string]string {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for _, v := range s.fb.videos {
		if v.page == pageID && !v.deleted {
			out[v.id] = videoState(v, now)
		}
	}
	return out
}

// Photos counts the Page's photos, published and not.
func (s *Server) Photos(pageID string) (published, unpublished int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.fb.photos {
		switch {
		case p.page != pageID:
		case p.published:
			published++
		default:
			unpublished++
		}
	}
	return published, unpublished
}

func videoState(v *fbVideo, now time.Time) string {
	switch {
	case now.Before(v.ready):
		return "processing"
	case v.fail:
		return "error"
	}
	return "ready"
}

// visible reports whether post p is live at now (mu held).
func (s *Server) visible(p *PagePost, now time.Time) bool {
	if p.VideoID == "" {
		return true
	}
	v := s.fb.videos[p.VideoID]
	return v != nil && !v.deleted && videoState(v, now) == "ready"
}

// isPageObject reports whether id names a Page object of the fake.
func (s *Server) isPageObject(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, page := s.fb.pages[id]
	_, post := s.fb.posts[id]
	_, photo := s.fb.photos[id]
	_, video := s.fb.videos[id]
	_, up := s.fb.uploads[id]
	return page || post || photo || video || up || strings.Contains(id, "_")
}

// either answers Page objects with fb and the others with ig.
func (s *Server) either(fb, ig apikittest.Handler) apikittest.Handler {
	return func(c *apikittest.Call) (any, error) {
		if s.isPageObject(c.Params["id"]) {
			return fb(c)
		}
		return ig(c)
	}
}

// oauthHeader accepts "Authorization: OAuth <token>", the scheme the
// Resumable Upload API documents, as the bearer token it is.
func (s *Server) oauthHeader(h apikittest.Handler) apikittest.Handler {
	return func(c *apikittest.Call) (any, error) {
		if tok, ok := strings.CutPrefix(c.Header.Get("Authorization"), "OAuth "); ok {
			c.Header.Set("Authorization", "Bearer "+tok)
		}
		return h(c)
	}
}

// pwrap is wrap for the Pages endpoints: the token, X-Page-Usage and
// X-Business-Use-Case-Usage of type "pages" rising toward the limit, code
// 80001 once it is reached, and faults.
func (s *Server) pwrap(h handler) apikittest.Handler {
	return func(c *apikittest.Call) (any, error) {
		f := s.fault(c)
		tok, _, p := s.kit.Bearer(c, "access")
		switch {
		case p == apikittest.AuthMissing:
			return nil, graphErr(400, 2500, 0, "An active access token must be used to query information about the current user.")
		case p == apikittest.AuthExpired || f.ExpireToken:
			return nil, graphErr(401, 190, 463, "Error validating access token: Session has expired.")
		case p != apikittest.AuthOK:
			return nil, graphErr(401, 190, 467, "Invalid OAuth access token.")
		}
		s.mu.Lock()
		sc := s.invalidated(tok.Subject)
		_, isPage := s.fb.pages[tok.Subject]
		blocked := c.Method == http.MethodPost && s.Now().Before(s.fb.blocked[tok.Subject])
		s.mu.Unlock()
		if sc != 0 {
			return nil, graphErr(400, 190, sc, cmp.Or(invalidMessages[sc], "Error validating access token."))
		}
		pct, over := s.pageUsage(tok.Subject)
		regain := 0
		if f.RegainAccess > 0 {
			regain = int((f.RegainAccess + time.Minute - 1) / time.Minute)
		}
		switch {
		case over && f.Status == 0 && isPage:
			f.Status, f.Code, f.Message, regain = 400, 80001, "There have been too many calls to this Page account. Wait a bit and try again.", 60
		case over && f.Status == 0:
			f.Status, f.Code, f.Message, regain = 400, 17, "(#17) User request limit reached", 60
		case blocked && f.Status == 0:
			f.Status, f.Code, f.Message = 400, 368, "(#368) The action attempted has been deemed abusive or is otherwise disallowed"
		}
		u := map[string]any{"call_count": min(pct, 100), "total_cputime": min(pct/2, 100), "total_time": min(pct/2, 100)}
		page, _ := json.Marshal(u)
		buc := map[string]any{"type": "pages", "estimated_time_to_regain_access": regain}
		for k, v := range u {
			buc[k] = v
		}
		hdr, _ := json.Marshal(map[string]any{tok.Subject: []any{buc}})
		c.ReplyHeader().Set(metagraph.HeaderPageUsage, string(page))
		c.ReplyHeader().Set(metagraph.HeaderBUCUsage, string(hdr))
		if f.Status != 0 {
			return nil, graphErr(f.Status, f.Code, f.Subcode, f.Message)
		}
		c.Fault.Lost = c.Fault.Lost || f.Lost
		return h(c, tok.Subject)
	}
}

// pageUsage counts a call of subject in the rolling hour and returns the
// percentage of CallBudget used with it, and whether the budget was
// already used up before it (Meta refuses calls once usage reached 100 %,
// https://developers.facebook.com/docs/graph-api/overview/rate-limiting).
func (s *Server) pageUsage(subject string) (int, bool) {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	calls := slices.DeleteFunc(s.calls[subject], func(t time.Time) bool { return now.Sub(t) >= time.Hour })
	over := len(calls) >= s.opts.CallBudget
	calls = append(calls, now)
	s.calls[subject] = calls
	return len(calls) * 100 / s.opts.CallBudget, over
}

// ownPage checks that the token acts for the Page of the path.
func (s *Server) ownPage(c *apikittest.Call, subject string) (string, error) {
	id := c.Params["page"]
	s.mu.Lock()
	_, ok := s.fb.pages[id]
	s.mu.Unlock()
	switch {
	case !ok:
		return "", s.missing(id)
	case id != subject:
		return "", graphErr(403, 200, 0, "(#200) The user hasn't authorized the application to perform this action: a Page access token of this Page is required")
	}
	return id, nil
}

func (s *Server) nextSeq() int {
	s.fb.seq++
	return s.fb.seq
}

const maxMessage = 63206

func (s *Server) createFeed(c *apikittest.Call, subject string) (any, error) {
	page, err := s.ownPage(c, subject)
	if err != nil {
		return nil, err
	}
	p := params(c)
	msg, link := str(p, "message"), str(p, "link")
	var media []string
	if list, ok := p["attached_media"].([]any); ok {
		for i, m := range list {
			obj, _ := m.(map[string]any)
			id := str(obj, "media_fbid")
			if id == "" {
				return nil, graphErr(400, 100, 0, fmt.Sprintf("(#100) param attached_media[%d] must be an object with media_fbid", i))
			}
			media = append(media, id)
		}
	}
	switch {
	case msg == "" && link == "" && len(media) == 0:
		return nil, graphErr(400, 100, 0, "(#100) The post is empty: a message, link or attached_media is required")
	case len([]rune(msg)) > maxMessage:
		return nil, graphErr(400, 100, 0, "(#100) Param message must be at most 63206 characters long")
	case link != "" && !strings.HasPrefix(link, "http://") && !strings.HasPrefix(link, "https://"):
		return nil, graphErr(400, 100, 1609005, "(#100) The link could not be fetched: not an http(s) URL")
	case len(media) > 10:
		return nil, graphErr(400, 100, 0, "(#100) A post takes at most 10 attached_media")
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, id := range media {
		ph, ok := s.fb.photos[id]
		if !ok || ph.page != page || ph.published || ph.deleted {
			return nil, graphErr(400, 100, 0, fmt.Sprintf("(#100) attached_media[%d] is not an unpublished photo of this Page", i))
		}
	}
	key := page + "\x00" + msg
	if at, ok := s.fb.said[key]; ok && msg != "" && now.Sub(at) < time.Hour {
		return nil, graphErr(400, 506, 0, "(#506) Duplicate status message")
	}
	s.fb.said[key] = now
	post := &PagePost{ID: page + "_" + s.id(), PageID: page, Message: msg, Link: link, PhotoIDs: media, Created: now, seq: s.nextSeq()}
	for _, id := range media {
		s.fb.photos[id].published, s.fb.photos[id].postID = true, post.ID
	}
	s.fb.posts[post.ID] = post
	return map[string]any{"id": post.ID}, nil
}

// photoParams reads a photo upload: JSON or query parameters with url, or a
// multipart form with the bytes as "source".
func photoParams(c *apikittest.Call) (map[string]any, int64, error) {
	ct, _, _ := mime.ParseMediaType(c.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		p := params(c)
		return p, 0, nil
	}
	if err := c.ParseMultipartForm(8 << 20); err != nil {
		return nil, 0, graphErr(400, 100, 0, "(#100) The multipart body could not be read: "+err.Error())
	}
	p := map[string]any{}
	for k, v := range c.MultipartForm.Value {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	fh := c.MultipartForm.File["source"]
	if len(fh) == 0 {
		return p, 0, nil
	}
	return p, fh[0].Size, nil
}

func (s *Server) createPhoto(c *apikittest.Call, subject string) (any, error) {
	page, err := s.ownPage(c, subject)
	if err != nil {
		return nil, err
	}
	p, size, err := photoParams(c)
	if err != nil {
		return nil, err
	}
	u := str(p, "url")
	switch {
	case u == "" && size == 0:
		return nil, graphErr(400, 324, 0, "(#324) Requires upload file: url or source is missing")
	case size > 4<<20 || strings.Contains(u, "huge"):
		return nil, graphErr(400, 100, 1366046, "Photos should be smaller than 4 MB and saved as JPG, PNG, GIF, TIFF, HEIF or WebP files.")
	case strings.Contains(u, "broken"):
		return nil, graphErr(400, 324, 2069019, "(#324) Missing or invalid image file")
	}
	published := str(p, "published") != "false"
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ph := &fbPhoto{id: s.id(), page: page, url: u, message: str(p, "message"), size: size, published: published}
	s.fb.photos[ph.id] = ph
	if !published {
		return map[string]any{"id": ph.id}, nil
	}
	post := &PagePost{ID: page + "_" + ph.id, PageID: page, Message: ph.message, PhotoIDs: []string{ph.id}, Created: now, seq: s.nextSeq()}
	ph.postID = post.ID
	s.fb.posts[post.ID] = post
	return map[string]any{"id": ph.id, "post_id": post.ID}, nil
}

func (s *Server) createVideo(c *apikittest.Call, subject string) (any, error) {
	page, err := s.ownPage(c, subject)
	if err != nil {
		return nil, err
	}
	p := params(c)
	u, h := str(p, "file_url"), str(p, "fbuploader_video_file_chunk")
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case u == "" && h == "":
		return nil, graphErr(400, 100, 0, "(#100) file_url or fbuploader_video_file_chunk is required")
	case h != "" && s.fb.handles[h] == nil:
		return nil, graphErr(400, 100, 0, "(#100) The file handle is not a completed upload")
	}
	v := &fbVideo{id: s.id(), page: page, description: str(p, "description"), url: u, handle: h, created: now,
		ready: now.Add(s.opts.VideoDelay), fail: strings.Contains(u, "fail")}
	s.fb.videos[v.id] = v
	post := &PagePost{ID: page + "_" + v.id, PageID: page, Message: v.description, VideoID: v.id, Created: now, seq: s.nextSeq()}
	v.postID = post.ID
	s.fb.posts[post.ID] = post
	return map[string]any{"id": v.id}, nil
}

func (v *fbVideo) json(now time.Time) map[string]any {
	st := videoState(v, now)
	phase := map[string]any{"status": map[string]string{"processing": "in_progress", "ready": "complete", "error": "error"}[st]}
	if st == "error" {
		phase["errors"] = []any{map[string]any{"code": 1363008, "message": "The video file could not be fetched from file_url"}}
	}
	return map[string]any{"id": v.id, "description": v.description, "permalink_url": "/" + v.page + "/videos/" + v.id + "/",
		"created_time": v.created.UTC().Format("2006-01-02T15:04:05-0700"),
		"status":       map[string]any{"video_status": st, "processing_phase": phase}}
}

func (p *PagePost) json() map[string]any {
	page, post, _ := strings.Cut(p.ID, "_")
	return map[string]any{"id": p.ID, "message": p.Message, "created_time": p.Created.UTC().Format("2006-01-02T15:04:05-0700"),
		"permalink_url": "https://www.facebook.com/" + page + "/posts/" + post}
}

func limitOf(c *apikittest.Call) int {
	limit, _ := strconv.Atoi(c.URL.Query().Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	return limit
}

func (s *Server) listPosts(c *apikittest.Call, subject string) (any, error) {
	page, err := s.ownPage(c, subject)
	if err != nil {
		return nil, err
	}
	posts := s.PagePosts(page)
	slices.Reverse(posts)
	data := []any{}
	for _, p := range posts[:min(limitOf(c), len(posts))] {
		data = append(data, p.json())
	}
	return map[string]any{"data": data}, nil
}

func (s *Server) listVideos(c *apikittest.Call, subject string) (any, error) {
	page, err := s.ownPage(c, subject)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*fbVideo
	for _, v := range s.fb.videos {
		if v.page == page && !v.deleted {
			list = append(list, v)
		}
	}
	slices.SortFunc(list, func(a, b *fbVideo) int { return strings.Compare(b.id, a.id) })
	data := []any{}
	for _, v := range list[:min(limitOf(c), len(list))] {
		data = append(data, v.json(now))
	}
	return map[string]any{"data": data}, nil
}

func (s *Server) startUpload(c *apikittest.Call, subject string) (any, error) {
	app := c.Params["page"]
	q := c.URL.Query()
	n, err := strconv.ParseInt(q.Get("file_length"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch _, ok := s.fb.apps[app]; {
	case !ok:
		return nil, s.missing(app)
	case err != nil || n <= 0:
		return nil, graphErr(400, 100, 0, "(#100) file_length must be a positive integer")
	case !slices.Contains([]string{"video/mp4", "image/jpeg", "image/jpg", "image/png", "application/pdf"}, q.Get("file_type")):
		return nil, graphErr(400, 100, 0, "(#100) file_type must be one of application/pdf, image/jpeg, image/jpg, image/png, video/mp4")
	}
	u := &fbUpload{id: "upload:" + s.id(), owner: subject, fileType: q.Get("file_type"), length: n, sum: sha256.New()}
	s.fb.uploads[u.id] = u
	return map[string]any{"id": u.id}, nil
}

// transfer is POST /upload:{session}: it appends the body at file_offset,
// which must be the bytes the session holds.
func (s *Server) transfer(c *apikittest.Call, subject string) (any, error) {
	id := c.Params["id"]
	s.mu.Lock()
	u, ok := s.fb.uploads[id]
	var cut float64
	if ok && len(s.fb.cuts) > 0 {
		cut, s.fb.cuts = s.fb.cuts[0], s.fb.cuts[1:]
	}
	s.mu.Unlock()
	if !ok || u.owner != subject {
		return nil, s.missing(id)
	}
	off, err := strconv.ParseInt(c.Header.Get("file_offset"), 10, 64)
	if err != nil || off != u.received {
		return nil, graphErr(400, 100, 0, fmt.Sprintf("(#100) file_offset must be %d, the bytes the session holds", u.received))
	}
	want := u.length - off
	if cut > 0 {
		want = max(int64(cut*float64(u.length))-off, 0)
	}
	n, _ := io.Copy(u.sum, io.LimitReader(c.Body, want))
	s.mu.Lock()
	defer s.mu.Unlock()
	u.received += n
	s.fb.received += n
	if cut > 0 {
		c.Fault.Lost = true
		return map[string]any{"id": u.id, "file_offset": u.received}, nil
	}
	if u.received < u.length {
		return map[string]any{"id": u.id, "file_offset": u.received}, nil
	}
	if u.handle == "" {
		u.handle = "4::" + strings.TrimPrefix(u.id, "upload:") + "-handle"
		s.fb.handles[u.handle] = u
	}
	return map[string]any{"h": u.handle}, nil
}

func (s *Server) createComment(c *apikittest.Call, subject string) (any, error) {
	id := c.Params["id"]
	msg := str(params(c), "message")
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.fb.posts[id]
	if !ok {
		if v := s.fb.videos[id]; v != nil && !v.deleted {
			p, ok = s.fb.posts[v.postID], true
		}
	}
	switch {
	case !ok || p == nil || !s.visible(p, now):
		return nil, s.missing(id)
	case p.PageID != subject:
		return nil, graphErr(403, 200, 0, "(#200) Permissions error: a Page access token of the post's Page is required")
	case msg == "":
		return nil, graphErr(400, 100, 0, "(#100) message is required")
	}
	p.Comments = append(p.Comments, msg)
	return map[string]any{"id": p.ID + "_" + strconv.Itoa(len(p.Comments))}, nil
}

// getPageObject answers GET /{id} for a Page (its access_token for a user
// who manages it), a post, a photo, a video or an upload session.
func (s *Server) getPageObject(c *apikittest.Call, subject string) (any, error) {
	id := c.Params["id"]
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if pg, ok := s.fb.pages[id]; ok {
		out := map[string]any{"id": pg.id, "name": pg.name}
		if s.fb.managers[subject][id] || subject == id {
			out["access_token"] = pg.token
		}
		return out, nil
	}
	if u, ok := s.fb.uploads[id]; ok && u.owner == subject {
		return map[string]any{"id": u.id, "file_offset": u.received}, nil
	}
	if v, ok := s.fb.videos[id]; ok && !v.deleted && v.page == subject {
		out := v.json(now)
		s.counts(out, id, s.fb.posts[v.postID], false)
		return out, nil
	}
	if p, ok := s.fb.posts[id]; ok && s.visible(p, now) && p.PageID == subject {
		out := p.json()
		s.counts(out, id, p, true)
		return out, nil
	}
	if ph, ok := s.fb.photos[id]; ok && !ph.deleted && ph.page == subject {
		return map[string]any{"id": ph.id, "name": ph.message}, nil
	}
	return nil, s.missing(id)
}

// counts adds the reactions, comments and shares fields (mu held).
func (s *Server) counts(out map[string]any, id string, p *PagePost, shares bool) {
	m := s.fb.metrics[id]
	comments := 0
	if p != nil {
		comments = len(p.Comments)
	}
	out["reactions"] = map[string]any{"data": []any{}, "summary": map[string]any{"total_count": m.Reactions, "viewer_reaction": "NONE"}}
	out["comments"] = map[string]any{"data": []any{}, "summary": map[string]any{"order": "ranked", "total_count": comments, "can_comment": true}}
	if shares && m.Shares > 0 {
		out["shares"] = map[string]any{"count": m.Shares}
	}
}

func (s *Server) deletePageObject(c *apikittest.Call, subject string) (any, error) {
	id := c.Params["id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.fb.videos[id]; ok && !v.deleted && v.page == subject {
		v.deleted = true
		delete(s.fb.posts, v.postID)
		return map[string]any{"success": true}, nil
	}
	if p, ok := s.fb.posts[id]; ok && p.PageID == subject {
		delete(s.fb.posts, id)
		for _, ph := range p.PhotoIDs {
			if x := s.fb.photos[ph]; x != nil {
				x.deleted = true
			}
		}
		if v := s.fb.videos[p.VideoID]; v != nil {
			v.deleted = true
		}
		return map[string]any{"success": true}, nil
	}
	return nil, s.missing(id)
}

func (s *Server) insightsOf(c *apikittest.Call, id string, known []string) (any, error) {
	s.mu.Lock()
	m := s.fb.metrics[id]
	s.mu.Unlock()
	data := []any{}
	for i, name := range strings.Split(c.URL.Query().Get("metric"), ",") {
		v, set := m.Insights[name]
		if !slices.Contains(known, name) || (set && v < 0) {
			return nil, graphErr(400, 100, 0, "(#100) The value must be a valid insights metric: metric["+strconv.Itoa(i)+"] "+name)
		}
		if m.Insights == nil {
			continue
		}
		if set {
			data = append(data, map[string]any{"name": name, "period": "lifetime", "values": []any{map[string]any{"value": v}},
				"id": id + "/insights/" + name + "/lifetime"})
		}
	}
	return map[string]any{"data": data}, nil
}

// Post and video insights metrics the fake knows; the post impressions
// metrics Meta removed on 2025-06-15 answer as invalid.
var (
	postInsightNames  = []string{"post_media_view", "post_total_media_view_unique", "post_clicks", "post_reactions_by_type_total"}
	videoInsightNames = []string{"total_video_views", "total_video_impressions_unique", "total_video_avg_time_watched"}
)

func (s *Server) postInsights(c *apikittest.Call, subject string) (any, error) {
	id := c.Params["id"]
	now := s.Now()
	s.mu.Lock()
	p, ok := s.fb.posts[id]
	ok = ok && s.visible(p, now) && p.PageID == subject
	s.mu.Unlock()
	if !ok {
		return nil, s.missing(id)
	}
	return s.insightsOf(c, id, postInsightNames)
}

func (s *Server) videoInsights(c *apikittest.Call, subject string) (any, error) {
	id := c.Params["id"]
	s.mu.Lock()
	v, ok := s.fb.videos[id]
	ok = ok && !v.deleted && v.page == subject
	s.mu.Unlock()
	if !ok {
		return nil, s.missing(id)
	}
	return s.insightsOf(c, id, videoInsightNames)
}

func (s *Server) meAccounts(c *apikittest.Call, subject string) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id := range s.fb.managers[subject] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	data := []any{}
	for _, id := range ids {
		pg := s.fb.pages[id]
		data = append(data, map[string]any{"id": pg.id, "name": pg.name, "access_token": pg.token, "tasks": []string{"CREATE_CONTENT", "MANAGE", "ANALYZE"}})
	}
	return map[string]any{"data": data}, nil
}
