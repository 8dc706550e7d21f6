// Package linkedintest is a fake of LinkedIn's versioned REST API for
// tests, on the adapter kit's fake skeleton (apikittest): the Posts,
// Images, Videos, Documents, Comments, Social Actions and share statistics
// endpoints the linkedin adapter calls, with LinkedIn's headers
// (LinkedIn-Version, X-Restli-Protocol-Version), error bodies
// ({"status", "serviceErrorCode", "code", "message"}), duplicate check,
// tokens, scripted faults, and [Harness] for the networktest suite.
//
// LinkedIn documents no rate-limit headers
// (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits),
// so the fake sends none; a scripted 429 carries only LinkedIn's body.
package linkedintest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// ActiveVersions are the LinkedIn-Version values the fake accepts; any
// other answers 426 NONEXISTENT_VERSION.
var ActiveVersions = []string{"202605", "202606", "202607", "202608", "202609", "202610", "202611"}

// Post is a post the fake holds.
type Post struct {
	ID         string
	Author     string
	Commentary string
	Content    json.RawMessage
	CreatedAt  time.Time
	Comments   []string
}

// asset is an uploaded image, video or document.
type asset struct {
	owner    string
	parts    map[int][]byte
	size     int64
	polls    int // status reads left before AVAILABLE
	failed   bool
	uploaded bool
}

// Fault scripts the answer to one request (see apikittest.Fault).
type Fault = apikittest.Fault

// Server is the fake. Create it with [NewServer]; Close it when done.
type Server struct {
	// Server is the kit's fake skeleton, whose URL (the account's
	// BaseURL), Client, Close, Now, Script, Requests, Transport and
	// RevokeToken (a revoked token then answers 401 INVALID_ACCESS_TOKEN,
	// as LinkedIn answers a token it does not know) the fake is.
	*apikittest.Server

	mu         sync.Mutex
	posts      map[string]*Post
	order      []string
	assets     map[string]*asset
	next       int64
	partSize   int64
	videoPolls int
	failVideo  bool
	memberFind bool
	seen       map[string]string // author+commentary → post URN (the duplicate check)
	daily      int
	uploadBase string
	day        string         // the UTC day the counts are for
	count      map[string]int // posts per author today
}

// Options configure a [Server].
type Options struct {
	// Clock is the fake's clock; nil means time.Now.
	Clock *apikittest.Clock
	// PartSize is the size of the video parts the fake asks for; zero
	// means 4 MiB, LinkedIn's part size.
	PartSize int64
	// VideoPolls is how many status reads a video stays PROCESSING.
	VideoPolls int
	// FailVideo makes every video end PROCESSING_FAILED.
	FailVideo bool
	// MemberFinder grants the restricted r_member_social: without it,
	// listing a member's posts and reading their social actions answer 403
	// ACCESS_DENIED, as LinkedIn does.
	MemberFinder bool
	// DailyPosts, when positive, is the number of posts an author may make
	// per UTC day; more answer 429, until midnight UTC, as LinkedIn's daily
	// member limit does (LinkedIn does not publish the number).
	DailyPosts int
	// UploadBase, when set, is the base URL the upload URLs point to (a
	// proxy standing for LinkedIn's upload host); default the server's own.
	UploadBase string
}

// NewServer starts a fake on a loopback port.
func NewServer(o Options) *Server {
	s := &Server{posts: map[string]*Post{}, assets: map[string]*asset{}, seen: map[string]string{}, next: 7100000000000000000,
		partSize: o.PartSize, videoPolls: o.VideoPolls, failVideo: o.FailVideo, memberFind: o.MemberFinder,
		daily: o.DailyPosts, uploadBase: o.UploadBase, count: map[string]int{}}
	if s.partSize <= 0 {
		s.partSize = 4 << 20
	}
	s.Server = apikittest.New(apikittest.Options{
		Clock:     o.Clock,
		ErrorBody: errorBody,
		NotFound: func(*http.Request) *apikittest.Error {
			return &apikittest.Error{Status: 404, Code: "NOT_FOUND", Message: "No virtual resource found"}
		},
		WrongMethod: func(*http.Request, []string) *apikittest.Error {
			return &apikittest.Error{Status: 405, Code: "METHOD_NOT_ALLOWED", Message: "Method not allowed"}
		},
	})
	s.Server.Handle(http.MethodPost, "/rest/posts", s.createPost)
	s.Server.Handle(http.MethodGet, "/rest/posts", s.findPosts)
	s.Server.Handle(http.MethodGet, "/rest/posts/{id}", s.getPost)
	s.Server.Handle(http.MethodDelete, "/rest/posts/{id}", s.deletePost)
	s.Server.Handle(http.MethodPost, "/rest/images", s.initUpload("image"))
	s.Server.Handle(http.MethodPost, "/rest/documents", s.initUpload("document"))
	s.Server.Handle(http.MethodPost, "/rest/videos", s.videos)
	s.Server.Handle(http.MethodGet, "/rest/images/{id}", s.assetStatus)
	s.Server.Handle(http.MethodGet, "/rest/videos/{id}", s.assetStatus)
	s.Server.Handle(http.MethodPut, "/upload/{id}/{part}", s.upload)
	s.Server.Handle(http.MethodPost, "/rest/socialActions/{id}/comments", s.createComment)
	s.Server.Handle(http.MethodGet, "/rest/socialActions/{id}", s.socialActions)
	s.Server.Handle(http.MethodGet, "/rest/organizationalEntityShareStatistics", s.shareStatistics)
	return s
}

// errorBody is LinkedIn's error body
// (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling);
// a DUPLICATE_POST uses the validation form with inputErrors.
func errorBody(e *apikittest.Error) any {
	if e.Code == "DUPLICATE_POST" {
		return map[string]any{"errorDetailType": "com.linkedin.common.error.BadRequest", "message": e.Message, "status": e.Status,
			"errorDetails": map[string]any{"inputErrors": []any{map[string]any{"description": "Duplicate post is detected", "input": map[string]any{}, "code": "DUPLICATE_POST"}}}}
	}
	b := map[string]any{"status": e.Status, "message": e.Message}
	if e.Code != "" {
		b["code"] = e.Code
	}
	switch e.Code {
	case "EXPIRED_ACCESS_TOKEN":
		b["serviceErrorCode"] = 65602
	case "REVOKED_ACCESS_TOKEN":
		b["serviceErrorCode"] = 65601
	case "INVALID_ACCESS_TOKEN":
		b["serviceErrorCode"] = 65600
	case "ACCESS_DENIED":
		b["serviceErrorCode"] = 100
	}
	return b
}

// IssueToken registers an access token acting for author (a person URN).
func (s *Server) IssueToken(tok, subject string, expiry time.Time) {
	s.Server.IssueToken(tok, apikittest.Token{Subject: subject, Kind: "access", Expiry: expiry})
}

// Posts returns the live posts, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, 0, len(s.order))
	for _, id := range s.order {
		if p, ok := s.posts[id]; ok {
			cp := *p
			cp.Comments = slices.Clone(p.Comments)
			out = append(out, cp)
		}
	}
	return out
}

// Uploaded returns the bytes uploaded for an asset URN, parts joined.
func (s *Server) Uploaded(urn string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.assets[urn]
	if a == nil {
		return nil
	}
	var out []byte
	for i := 0; i < len(a.parts); i++ {
		out = append(out, a.parts[i]...)
	}
	return out
}

// check applies what every versioned call checks: the headers, then the
// bearer token. It returns the token's subject.
func (s *Server) check(c *apikittest.Call) (string, error) {
	if c.Header.Get("X-Restli-Protocol-Version") != "2.0.0" {
		return "", &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: "X-Restli-Protocol-Version 2.0.0 is required"}
	}
	v := c.Header.Get("LinkedIn-Version")
	if v == "" {
		return "", &apikittest.Error{Status: 400, Code: "VERSION_MISSING", Message: "A version must be present. Please specify a version by adding the LinkedIn-Version header."}
	}
	if !slices.Contains(ActiveVersions, v) {
		return "", &apikittest.Error{Status: 426, Code: "NONEXISTENT_VERSION", Message: "Requested version " + v + " is not active"}
	}
	return s.auth(c)
}

func (s *Server) auth(c *apikittest.Call) (string, error) {
	tok, _, p := s.Server.Bearer(c, "access")
	switch p {
	case apikittest.AuthOK:
		return tok.Subject, nil
	case apikittest.AuthMissing:
		return "", &apikittest.Error{Status: 401, Message: "Empty oauth2_access_token"}
	case apikittest.AuthExpired:
		return "", &apikittest.Error{Status: 401, Code: "EXPIRED_ACCESS_TOKEN", Message: "The token used in the request has expired"}
	}
	return "", &apikittest.Error{Status: 401, Code: "INVALID_ACCESS_TOKEN", Message: "Invalid access token"}
}

// mayAct reports whether subject may act as author: itself, or any
// organization (the fake treats every member as a page administrator).
func mayAct(subject, author string) bool {
	return author == subject || strings.HasPrefix(author, "urn:li:organization:")
}

var denied = &apikittest.Error{Status: 403, Code: "ACCESS_DENIED", Message: "Not enough permissions to access: partnerApiPostsExternal.FINDER-author.20260501"}

func decode(c *apikittest.Call, v any) error {
	if err := json.NewDecoder(io.LimitReader(c.Body, 1<<20)).Decode(v); err != nil {
		return &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: "Request body could not be converted to data map"}
	}
	return nil
}

// noBody makes apikittest answer an empty body (it writes only a newline
// when a value does not encode), as LinkedIn answers 201 and 204.
var noBody = json.RawMessage{}

func (s *Server) urn(kind string) string {
	s.next++
	return fmt.Sprintf("urn:li:%s:%d", kind, s.next)
}

// createPost is POST /rest/posts
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#create-a-post):
// 201, an empty body and the URN in x-restli-id; 422 for a missing field,
// a commentary over 3000 characters, a multiImage of fewer than 2 images or
// a duplicate of a live post.
func (s *Server) createPost(c *apikittest.Call) (any, error) {
	sub, err := s.check(c)
	if err != nil {
		return nil, err
	}
	var b struct {
		Author         string          `json:"author"`
		Commentary     *string         `json:"commentary"`
		Visibility     string          `json:"visibility"`
		LifecycleState string          `json:"lifecycleState"`
		Content        json.RawMessage `json:"content"`
	}
	if err := decode(c, &b); err != nil {
		return nil, err
	}
	var missing []string
	for f, ok := range map[string]bool{"author": b.Author != "", "commentary": b.Commentary != nil, "visibility": b.Visibility != "", "lifecycleState": b.LifecycleState != ""} {
		if !ok {
			missing = append(missing, "ERROR :: /"+f+" :: field is required but not found and has no default value")
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, &apikittest.Error{Status: 422, Message: strings.Join(missing, "\n")}
	}
	if !mayAct(sub, b.Author) {
		return nil, &apikittest.Error{Status: 403, Code: "ACCESS_DENIED", Message: "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260501"}
	}
	if n := len([]rune(*b.Commentary)); n > 3000 {
		return nil, &apikittest.Error{Status: 422, Code: "INVALID_FIELD", Message: fmt.Sprintf("/commentary :: length %d exceeds 3000", n)}
	}
	var ct struct {
		MultiImage *struct {
			Images []struct{ ID string } `json:"images"`
		} `json:"multiImage"`
		Media *struct{ ID string } `json:"media"`
	}
	if len(b.Content) > 0 {
		_ = json.Unmarshal(b.Content, &ct)
		var ids []string
		if ct.MultiImage != nil {
			if len(ct.MultiImage.Images) < 2 || len(ct.MultiImage.Images) > 20 {
				return nil, &apikittest.Error{Status: 422, Code: "INVALID_FIELD", Message: "/content/multiImage/images :: 2 to 20 images required"}
			}
			for _, im := range ct.MultiImage.Images {
				ids = append(ids, im.ID)
			}
		}
		if ct.Media != nil {
			ids = append(ids, ct.Media.ID)
		}
		if err := s.usable(ids); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := b.Author + "\x00" + *b.Commentary + "\x00" + string(b.Content)
	if prev, ok := s.seen[key]; ok && s.posts[prev] != nil {
		return nil, &apikittest.Error{Status: 422, Code: "DUPLICATE_POST",
			Message: "com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of " + prev}
	}
	if s.daily > 0 {
		if day := s.Server.Now().UTC().Format(time.DateOnly); day != s.day {
			s.day, s.count = day, map[string]int{}
		}
		if s.count[b.Author] >= s.daily {
			return nil, &apikittest.Error{Status: 429, Message: "Too Many Requests"}
		}
		s.count[b.Author]++
	}
	kind := "share"
	if ct.Media != nil && strings.HasPrefix(ct.Media.ID, "urn:li:video:") {
		kind = "ugcPost"
	}
	id := s.urn(kind)
	s.posts[id] = &Post{ID: id, Author: b.Author, Commentary: *b.Commentary, Content: b.Content, CreatedAt: s.Server.Now()}
	s.order = append(s.order, id)
	s.seen[key] = id
	c.ReplyHeader().Set("x-restli-id", id)
	c.SetStatus(http.StatusCreated)
	return noBody, nil
}

// usable answers 422 for an asset that is unknown or not yet available.
func (s *Server) usable(ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		a := s.assets[id]
		if a == nil || !a.uploaded || a.failed || (strings.HasPrefix(id, "urn:li:video:") && a.polls > 0) {
			return &apikittest.Error{Status: 422, Code: "INVALID_CONTENT", Message: "/content/media/id :: " + id + " is not available"}
		}
	}
	return nil
}

func (s *Server) post(c *apikittest.Call) (*Post, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.posts[c.Params["id"]]
	if p == nil {
		return nil, &apikittest.Error{Status: 404, Code: "NOT_FOUND", Message: "Not Found: " + c.Params["id"]}
	}
	return p, nil
}

func view(p *Post) map[string]any {
	return map[string]any{"id": p.ID, "author": p.Author, "commentary": p.Commentary, "visibility": "PUBLIC", "lifecycleState": "PUBLISHED",
		"createdAt": p.CreatedAt.UnixMilli(), "lastModifiedAt": p.CreatedAt.UnixMilli(), "content": p.Content}
}

// getPost is GET /rest/posts/{id}
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#retrieve-posts).
func (s *Server) getPost(c *apikittest.Call) (any, error) {
	if _, err := s.check(c); err != nil {
		return nil, err
	}
	p, err := s.post(c)
	if err != nil {
		return nil, err
	}
	return view(p), nil
}

// deletePost is DELETE /rest/posts/{id}
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#delete-posts):
// 204, also for a post already deleted ("Post deletions are idempotent").
func (s *Server) deletePost(c *apikittest.Call) (any, error) {
	if _, err := s.check(c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.posts, c.Params["id"])
	s.mu.Unlock()
	c.SetStatus(http.StatusNoContent)
	return noBody, nil
}

// findPosts is GET /rest/posts?author=…&q=author (X-RestLi-Method: FINDER)
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#find-posts-by-authors):
// newest first; a member's posts need r_member_social.
func (s *Server) findPosts(c *apikittest.Call) (any, error) {
	if _, err := s.check(c); err != nil {
		return nil, err
	}
	q := c.URL.Query()
	if q.Get("q") != "author" || q.Get("author") == "" {
		return nil, &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: "q=author with an author is required"}
	}
	author := q.Get("author")
	if strings.HasPrefix(author, "urn:li:person:") && !s.memberFind {
		return nil, denied
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	els := []any{}
	for i := len(s.order) - 1; i >= 0 && len(els) < 50; i-- {
		if p := s.posts[s.order[i]]; p != nil && p.Author == author {
			els = append(els, view(p))
		}
	}
	return map[string]any{"elements": els, "paging": map[string]any{"start": 0, "count": len(els)}}, nil
}

// initUpload is POST /rest/images?action=initializeUpload and
// /rest/documents?action=initializeUpload
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api#initialize-image-upload).
func (s *Server) initUpload(kind string) apikittest.Handler {
	return func(c *apikittest.Call) (any, error) {
		sub, err := s.check(c)
		if err != nil {
			return nil, err
		}
		if c.URL.Query().Get("action") != "initializeUpload" {
			return nil, &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: "unknown action"}
		}
		var b struct {
			Req struct {
				Owner string `json:"owner"`
			} `json:"initializeUploadRequest"`
		}
		if err := decode(c, &b); err != nil {
			return nil, err
		}
		if !mayAct(sub, b.Req.Owner) {
			return nil, denied
		}
		s.mu.Lock()
		urn := s.urn(kind)
		s.assets[urn] = &asset{owner: b.Req.Owner, parts: map[int][]byte{}}
		s.mu.Unlock()
		return map[string]any{"value": map[string]any{"uploadUrl": s.uploadURL() + "/upload/" + urn + "/0", kind: urn,
			"uploadUrlExpiresAt": s.Server.Now().Add(time.Hour).UnixMilli()}}, nil
	}
}

// videos is POST /rest/videos?action=initializeUpload|finalizeUpload
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api).
func (s *Server) videos(c *apikittest.Call) (any, error) {
	sub, err := s.check(c)
	if err != nil {
		return nil, err
	}
	switch c.URL.Query().Get("action") {
	case "initializeUpload":
		var b struct {
			Req struct {
				Owner string `json:"owner"`
				Size  int64  `json:"fileSizeBytes"`
			} `json:"initializeUploadRequest"`
		}
		if err := decode(c, &b); err != nil {
			return nil, err
		}
		if !mayAct(sub, b.Req.Owner) {
			return nil, denied
		}
		if b.Req.Size <= 0 {
			return nil, &apikittest.Error{Status: 422, Code: "INVALID_FIELD", Message: "/initializeUploadRequest/fileSizeBytes :: must be positive"}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		urn := s.urn("video")
		s.assets[urn] = &asset{owner: b.Req.Owner, parts: map[int][]byte{}, size: b.Req.Size, polls: s.videoPolls, failed: false}
		var ins []any
		for i, first := 0, int64(0); first < b.Req.Size; i, first = i+1, first+s.partSize {
			last := min(first+s.partSize, b.Req.Size) - 1
			ins = append(ins, map[string]any{"uploadUrl": fmt.Sprintf("%s/upload/%s/%d", s.uploadURL(), urn, i), "firstByte": first, "lastByte": last})
		}
		return map[string]any{"value": map[string]any{"video": urn, "uploadToken": "", "uploadInstructions": ins,
			"uploadUrlsExpireAt": s.Server.Now().Add(time.Hour).UnixMilli()}}, nil
	case "finalizeUpload":
		var b struct {
			Req struct {
				Video string   `json:"video"`
				Parts []string `json:"uploadedPartIds"`
			} `json:"finalizeUploadRequest"`
		}
		if err := decode(c, &b); err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		a := s.assets[b.Req.Video]
		if a == nil {
			return nil, &apikittest.Error{Status: 404, Code: "NOT_FOUND", Message: "Not Found: " + b.Req.Video}
		}
		var n int64
		for i, et := range b.Req.Parts {
			if et != etag(b.Req.Video, i) {
				return nil, &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: fmt.Sprintf("uploadedPartIds[%d] does not match", i)}
			}
			n += int64(len(a.parts[i]))
		}
		if n != a.size || len(b.Req.Parts) != len(a.parts) {
			return nil, &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: fmt.Sprintf("uploaded %d of %d bytes", n, a.size)}
		}
		a.uploaded, a.failed = true, s.failVideo
		return noBody, nil
	}
	return nil, &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: "unknown action"}
}

func (s *Server) uploadURL() string {
	if s.uploadBase != "" {
		return s.uploadBase
	}
	return s.Server.URL()
}

func etag(urn string, part int) string { return fmt.Sprintf("\"%s-part-%d\"", urn, part) }

// upload is the PUT to an upload URL: 201 with the part's ETag. The URL
// is the capability: a bearer token, when sent, must be valid, but none is
// needed.
func (s *Server) upload(c *apikittest.Call) (any, error) {
	if apikittest.HasBearer(c) {
		if _, err := s.auth(c); err != nil {
			return nil, err
		}
	}
	var part int
	if _, err := fmt.Sscan(c.Params["part"], &part); err != nil {
		return nil, &apikittest.Error{Status: 404, Message: "no such upload"}
	}
	data, err := io.ReadAll(io.LimitReader(c.Body, 200<<20))
	if err != nil {
		return nil, &apikittest.Error{Status: 400, Message: "unreadable body"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.assets[c.Params["id"]]
	if a == nil {
		return nil, &apikittest.Error{Status: 404, Message: "no such upload"}
	}
	a.parts[part] = data
	if !strings.HasPrefix(c.Params["id"], "urn:li:video:") {
		a.uploaded = true
	}
	c.ReplyHeader().Set("ETag", etag(c.Params["id"], part))
	c.SetStatus(http.StatusCreated)
	return noBody, nil
}

// assetStatus is GET /rest/images/{urn} and /rest/videos/{urn}: status
// WAITING_UPLOAD, PROCESSING (VideoPolls reads), AVAILABLE or
// PROCESSING_FAILED.
func (s *Server) assetStatus(c *apikittest.Call) (any, error) {
	if _, err := s.check(c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := c.Params["id"]
	a := s.assets[id]
	if a == nil {
		return nil, &apikittest.Error{Status: 404, Code: "NOT_FOUND", Message: "Not Found: " + id}
	}
	st := "AVAILABLE"
	switch {
	case !a.uploaded:
		st = "WAITING_UPLOAD"
	case a.polls > 0:
		a.polls--
		st = "PROCESSING"
	case a.failed:
		st = "PROCESSING_FAILED"
	}
	return map[string]any{"id": id, "owner": a.owner, "status": st}, nil
}

// createComment is POST /rest/socialActions/{post}/comments
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api#create-comment).
func (s *Server) createComment(c *apikittest.Call) (any, error) {
	sub, err := s.check(c)
	if err != nil {
		return nil, err
	}
	var b struct {
		Actor   string `json:"actor"`
		Object  string `json:"object"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	if err := decode(c, &b); err != nil {
		return nil, err
	}
	if !mayAct(sub, b.Actor) {
		return nil, denied
	}
	if b.Message.Text == "" || len([]rune(b.Message.Text)) > 1250 {
		return nil, &apikittest.Error{Status: 422, Code: "INVALID_FIELD", Message: "/message/text :: 1 to 1250 characters"}
	}
	p, err := s.post(c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Comments = append(p.Comments, b.Message.Text)
	id := fmt.Sprintf("urn:li:comment:(%s,%d)", p.ID, len(p.Comments))
	c.ReplyHeader().Set("x-restli-id", id)
	c.SetStatus(http.StatusCreated)
	return map[string]any{"id": id, "object": p.ID, "actor": b.Actor, "message": b.Message}, nil
}

// socialActions is GET /rest/socialActions/{post}
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/social-actions-api).
func (s *Server) socialActions(c *apikittest.Call) (any, error) {
	if _, err := s.check(c); err != nil {
		return nil, err
	}
	p, err := s.post(c)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(p.Author, "urn:li:person:") && !s.memberFind {
		return nil, &apikittest.Error{Status: 403, Code: "ACCESS_DENIED", Message: "Not enough permissions to access: socialActions.GET.NO_VERSION"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]any{"target": p.ID, "likesSummary": map[string]any{"totalLikes": 3, "likedByCurrentUser": false},
		"commentsSummary": map[string]any{"totalFirstLevelComments": len(p.Comments), "aggregatedTotalComments": len(p.Comments)}}, nil
}

// shareStatistics is GET /rest/organizationalEntityShareStatistics
// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics):
// lifetime totals of the listed shares or ugcPosts of the organization.
func (s *Server) shareStatistics(c *apikittest.Call) (any, error) {
	if _, err := s.check(c); err != nil {
		return nil, err
	}
	q := c.URL.Query()
	org := q.Get("organizationalEntity")
	if q.Get("q") != "organizationalEntity" || !strings.HasPrefix(org, "urn:li:organization:") {
		return nil, &apikittest.Error{Status: 400, Code: "ILLEGAL_ARGUMENT", Message: "q=organizationalEntity with an organization is required"}
	}
	list := q.Get("shares") + q.Get("ugcPosts")
	ids := strings.Split(strings.TrimSuffix(strings.TrimPrefix(list, "List("), ")"), ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	els := []any{}
	for _, id := range ids {
		p := s.posts[id]
		if p == nil || p.Author != org {
			continue
		}
		els = append(els, map[string]any{"organizationalEntity": org, "share": id, "totalShareStatistics": map[string]any{
			"impressionCount": 120, "uniqueImpressionsCount": 80, "clickCount": 7, "likeCount": 3,
			"commentCount": len(p.Comments), "shareCount": 1, "engagement": 0.09}})
	}
	return map[string]any{"elements": els, "paging": map[string]any{"start": 0, "count": len(els)}}, nil
}
