// Package xtest is a fake X API v2 on apikittest: POST /2/tweets, DELETE
// /2/tweets/:id, GET /2/tweets/:id, GET /2/users/me and GET
// /2/users/:id/tweets, with X's problem-details errors, duplicate-content
// refusals, the 280 weighted-character limit, x-rate-limit-* headers and
// scripted faults. Its Harness runs networktest against the adapter.
package xtest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/text"
)

// UserID is the X user ID of the fake's one account.
const UserID = "2244994945"

// Post is a post the fake holds.
type Post struct {
	ID, Text, InReplyTo string
	CreatedAt           time.Time
	Likes               int64
}

// Server is the fake. Create it with [NewServer]; Close it when done.
type Server struct {
	// Server is the kit's fake skeleton, whose URL, Client, Close,
	// Now, Script, Requests and Transport the fake is.
	*apikittest.Server

	mu     sync.Mutex
	next   int64
	posts  []Post
	public bool // the token may not read private metrics
	media  map[string]*Media
}

// Media is an upload the fake holds.
type Media struct {
	Type, Category, Alt string
	Total, Got          int64
	Segments            int
	Polls               int // STATUS calls so far
	Finalized           bool
}

// NewServer starts a fake with the access token tok issued to [UserID].
func NewServer(tok string, start time.Time) *Server {
	s := &Server{next: 1880028106020515840, media: map[string]*Media{}}
	s.Server = apikittest.New(apikittest.Options{
		Clock: apikittest.NewClock(start),
		ErrorBody: func(e *apikittest.Error) any {
			return map[string]any{"title": e.Code, "detail": e.Message, "type": "about:blank", "status": e.Status}
		},
		RateLimit: &apikittest.RateLimit{Limit: "x-rate-limit-limit", Remaining: "x-rate-limit-remaining", Reset: "x-rate-limit-reset",
			Max: 100000, Window: 15 * time.Minute, Enforce: true, Code: "Too Many Requests"},
	})
	s.Server.IssueToken(tok, apikittest.Token{Subject: UserID, Kind: "access"})
	s.Server.Handle(http.MethodPost, "/2/tweets", s.create)
	s.Server.Handle(http.MethodDelete, "/2/tweets/{id}", s.delete)
	s.Server.Handle(http.MethodGet, "/2/tweets/{id}", s.get)
	s.Server.Handle(http.MethodGet, "/2/users/me", s.me)
	s.Server.Handle(http.MethodGet, "/2/users/{id}/tweets", s.timeline)
	s.Server.Handle(http.MethodPost, "/2/media/upload/initialize", s.mediaInit)
	s.Server.Handle(http.MethodPost, "/2/media/upload/{id}/append", s.mediaAppend)
	s.Server.Handle(http.MethodPost, "/2/media/upload/{id}/finalize", s.mediaFinalize)
	s.Server.Handle(http.MethodGet, "/2/media/upload", s.mediaStatus)
	s.Server.Handle(http.MethodPost, "/2/media/metadata", s.mediaMetadata)
	return s
}

// PublicOnly makes the fake refuse non_public_metrics and organic_metrics
// as X does for a token that is not the author's.
func (s *Server) PublicOnly() { s.mu.Lock(); s.public = true; s.mu.Unlock() }

// Posts returns the live posts, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.posts)
}

func unauthorized() error {
	return &apikittest.Error{Status: 401, Code: "Unauthorized", Message: "Unauthorized"}
}

func (s *Server) auth(c *apikittest.Call) error {
	if _, _, p := s.Server.Bearer(c, "access"); p != apikittest.AuthOK {
		return unauthorized()
	}
	return nil
}

// create is POST /2/tweets (https://docs.x.com/x-api/posts/create-post).
func (s *Server) create(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	var b struct {
		Text  string `json:"text"`
		Reply *struct {
			ID string `json:"in_reply_to_tweet_id"`
		} `json:"reply"`
		Media *struct {
			IDs []string `json:"media_ids"`
		} `json:"media"`
		Poll          json.RawMessage `json:"poll"`
		ReplySettings string          `json:"reply_settings"`
		QuoteTweetID  string          `json:"quote_tweet_id"`
	}
	dec := json.NewDecoder(c.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, &apikittest.Error{Status: 400, Code: "Invalid Request", Message: "One or more parameters to your request was invalid."}
	}
	if r, err := text.ParseTweet(b.Text, text.ConfigV3()); err != nil || r.WeightedLength > 280 {
		return nil, &apikittest.Error{Status: 400, Code: "Invalid Request", Message: "Your Tweet text is too long."}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.Text == b.Text {
			return nil, &apikittest.Error{Status: 403, Code: "Forbidden", Message: "You are not allowed to create a Tweet with duplicate content."}
		}
	}
	s.next++
	p := Post{ID: strconv.FormatInt(s.next, 10), Text: b.Text, CreatedAt: s.Server.Now()}
	if b.Reply != nil {
		p.InReplyTo = b.Reply.ID
	}
	s.posts = append(s.posts, p)
	c.SetStatus(http.StatusCreated)
	return map[string]any{"data": map[string]any{"id": p.ID, "text": p.Text, "edit_history_tweet_ids": []string{p.ID}}}, nil
}

func notFound(id string) error {
	return &apikittest.Error{Status: 404, Code: "Not Found Error", Message: "Could not find tweet with id: [" + id + "]."}
}

// delete is DELETE /2/tweets/:id (https://docs.x.com/x-api/posts/delete-post).
func (s *Server) delete(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	id := c.Params["id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.posts, func(p Post) bool { return p.ID == id })
	if i < 0 {
		return nil, notFound(id)
	}
	s.posts = slices.Delete(s.posts, i, i+1)
	return map[string]any{"data": map[string]bool{"deleted": true}}, nil
}

// get is GET /2/tweets/:id (https://docs.x.com/x-api/posts/get-post-by-id):
// a missing post is a 200 with a resource-not-found error; refused fields
// a 200 with a not-authorized-for-field error and no data.
func (s *Server) get(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	id := c.Params["id"]
	fields := c.URL.Query().Get("tweet.fields")
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.posts, func(p Post) bool { return p.ID == id })
	if i < 0 {
		return map[string]any{"errors": []map[string]any{{"type": "https://api.x.com/2/problems/resource-not-found", "title": "Not Found Error",
			"detail": "Could not find tweet with id: [" + id + "].", "resource_id": id, "parameter": "id", "value": id}}}, nil
	}
	p := s.posts[i]
	t := map[string]any{"id": p.ID, "text": p.Text, "created_at": p.CreatedAt.UTC().Format(time.RFC3339)}
	for _, f := range splitComma(fields) {
		switch f {
		case "public_metrics":
			t["public_metrics"] = map[string]int64{"retweet_count": 0, "reply_count": 0, "like_count": p.Likes, "quote_count": 0, "bookmark_count": 0, "impression_count": 10}
		case "non_public_metrics", "organic_metrics":
			if s.public {
				return map[string]any{"errors": []map[string]any{{"type": "https://api.x.com/2/problems/not-authorized-for-field", "title": "Field Authorization Error",
					"field": f + ".impression_count", "resource_id": id, "section": "data", "detail": "Sorry, you are not authorized to access '" + f + ".impression_count' on the Tweet with ids: [" + id + "]."}}}, nil
			}
			t[f] = map[string]int64{"impression_count": 10, "url_link_clicks": 3, "user_profile_clicks": 1}
		}
	}
	return map[string]any{"data": t}, nil
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// me is GET /2/users/me (https://docs.x.com/x-api/users/get-my-user).
func (s *Server) me(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	return map[string]any{"data": map[string]string{"id": UserID, "name": "Conformance", "username": "conformance"}}, nil
}

// timeline is GET /2/users/:id/tweets (https://docs.x.com/x-api/users/get-posts),
// newest first, max_results 5 to 100.
func (s *Server) timeline(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(c.URL.Query().Get("max_results"))
	if err != nil || n < 5 || n > 100 {
		return nil, &apikittest.Error{Status: 400, Code: "Invalid Request", Message: "The `max_results` query parameter value is not between 5 and 100"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []map[string]string{}
	if c.Params["id"] == UserID {
		for i := len(s.posts) - 1; i >= 0 && len(data) < n; i-- {
			p := s.posts[i]
			data = append(data, map[string]string{"id": p.ID, "text": p.Text, "created_at": p.CreatedAt.UTC().Format(time.RFC3339)})
		}
	}
	return map[string]any{"data": data, "meta": map[string]int{"result_count": len(data)}}, nil
}

// Upload returns the upload with id, or nil.
func (s *Server) Upload(id string) *Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.media[id]; m != nil {
		c := *m
		return &c
	}
	return nil
}

func invalid(msg string) error {
	return &apikittest.Error{Status: 400, Code: "Invalid Request", Message: msg}
}

// mediaInit is POST /2/media/upload/initialize
// (https://docs.x.com/x-api/media/initialize-media-upload).
func (s *Server) mediaInit(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	var b struct {
		Type     string `json:"media_type"`
		Total    int64  `json:"total_bytes"`
		Category string `json:"media_category"`
	}
	if err := json.NewDecoder(c.Body).Decode(&b); err != nil || b.Type == "" || b.Total <= 0 {
		return nil, invalid("media_type and total_bytes are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	id := strconv.FormatInt(s.next, 10)
	s.media[id] = &Media{Type: b.Type, Category: b.Category, Total: b.Total}
	return map[string]any{"data": map[string]any{"id": id, "media_key": "3_" + id, "expires_after_secs": 86400}}, nil
}

// mediaAppend is POST /2/media/upload/:id/append
// (https://docs.x.com/x-api/media/append-media-upload): multipart media
// and segment_index (0 to 999), in order.
func (s *Server) mediaAppend(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	if err := c.ParseMultipartForm(2 << 20); err != nil {
		return nil, invalid("a multipart body with media and segment_index is required")
	}
	f, _, err := c.FormFile("media")
	if err != nil {
		return nil, invalid("media is required")
	}
	defer f.Close()
	n, _ := io.Copy(io.Discard, f)
	seg, err := strconv.Atoi(c.FormValue("segment_index"))
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[c.Params["id"]]
	switch {
	case m == nil:
		return nil, &apikittest.Error{Status: 404, Code: "Not Found Error", Message: "media not found"}
	case err != nil || seg != m.Segments || seg > 999:
		return nil, invalid("segment_index out of order")
	case n > 1<<20:
		return nil, &apikittest.Error{Status: 413, Code: "Payload Too Large", Message: "segment too large"}
	}
	m.Segments++
	m.Got += n
	return map[string]any{"data": map[string]any{"expires_at": 0}}, nil
}

func (s *Server) mediaJSON(id string, m *Media) map[string]any {
	d := map[string]any{"id": id, "media_key": "3_" + id, "size": m.Got, "expires_after_secs": 86400}
	if m.Category == "tweet_video" || m.Category == "tweet_gif" {
		switch {
		case m.Polls == 0:
			d["processing_info"] = map[string]any{"state": "pending", "check_after_secs": 1}
		case m.Polls == 1:
			d["processing_info"] = map[string]any{"state": "in_progress", "check_after_secs": 2, "progress_percent": 50}
		default:
			d["processing_info"] = map[string]any{"state": "succeeded", "progress_percent": 100}
		}
	}
	return map[string]any{"data": d}
}

// mediaFinalize is POST /2/media/upload/:id/finalize
// (https://docs.x.com/x-api/media/finalize-media-upload).
func (s *Server) mediaFinalize(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := c.Params["id"]
	m := s.media[id]
	switch {
	case m == nil:
		return nil, &apikittest.Error{Status: 404, Code: "Not Found Error", Message: "media not found"}
	case m.Got != m.Total:
		return nil, invalid("File size mismatch")
	}
	m.Finalized = true
	return s.mediaJSON(id, m), nil
}

// mediaStatus is GET /2/media/upload?command=STATUS&media_id=
// (https://docs.x.com/x-api/media/get-media-upload-status).
func (s *Server) mediaStatus(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := c.URL.Query().Get("media_id")
	m := s.media[id]
	if m == nil || !m.Finalized {
		return nil, &apikittest.Error{Status: 404, Code: "Not Found Error", Message: "media not found"}
	}
	m.Polls++
	return s.mediaJSON(id, m), nil
}

// mediaMetadata is POST /2/media/metadata
// (https://docs.x.com/x-api/media/create-media-metadata).
func (s *Server) mediaMetadata(c *apikittest.Call) (any, error) {
	if err := s.auth(c); err != nil {
		return nil, err
	}
	var b struct {
		ID       string `json:"id"`
		Metadata struct {
			Alt struct {
				Text string `json:"text"`
			} `json:"alt_text"`
		} `json:"metadata"`
	}
	if err := json.NewDecoder(c.Body).Decode(&b); err != nil {
		return nil, invalid("id and metadata are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[b.ID]
	if m == nil {
		return nil, &apikittest.Error{Status: 404, Code: "Not Found Error", Message: "media not found"}
	}
	m.Alt = b.Metadata.Alt.Text
	return map[string]any{"data": map[string]any{"associated_metadata": b.Metadata}}, nil
}
