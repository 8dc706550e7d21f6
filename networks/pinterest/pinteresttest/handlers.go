package pinteresttest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

var table = crc32.MakeTable(crc32.Castagnoli)

func decode(c *apikittest.Call, v any) *apikittest.Error {
	if err := json.NewDecoder(io.LimitReader(c.Body, 64<<20)).Decode(v); err != nil {
		return fail(http.StatusBadRequest, 1, "Invalid request body: not JSON.")
	}
	return nil
}

// token is POST /v5/oauth/token: HTTP Basic client auth, a form body;
// grant_type refresh_token rotates the refresh token (continuous refresh).
func (s *Server) token(c *apikittest.Call) (any, error) {
	id, sec, ok := c.BasicAuth()
	if !ok || id != ClientID || sec != ClientSecret {
		return nil, fail(http.StatusUnauthorized, 2, "Authentication failed.")
	}
	if err := c.ParseForm(); err != nil {
		return nil, fail(http.StatusBadRequest, 1, "Invalid parameters.")
	}
	switch c.PostForm.Get("grant_type") {
	case "authorization_code":
		code, redirect := c.PostForm.Get("code"), c.PostForm.Get("redirect_uri")
		s.mu.Lock()
		want, ok := s.codes[code]
		delete(s.codes, code)
		s.issued++ // numbers the tokens issued
		n := s.issued
		s.mu.Unlock()
		if !ok || want != redirect {
			return nil, fail(http.StatusBadRequest, 1, "invalid_grant: the authorization code is not valid for this redirect_uri")
		}
		return s.issue(n, "authorization_code"), nil
	case "refresh_token":
		rt := c.PostForm.Get("refresh_token")
		probe := &apikittest.Call{Request: c.Request.Clone(c.Context())}
		probe.Header = http.Header{"Authorization": {"Bearer " + rt}}
		if _, _, p := s.kit.Bearer(probe, kindRefresh); p != apikittest.AuthOK {
			return nil, fail(http.StatusBadRequest, 1, "invalid_grant: the refresh token is not valid")
		}
		s.kit.RevokeToken(rt)
		s.mu.Lock()
		s.issued++
		s.refreshes++
		n := s.issued
		s.mu.Unlock()
		return s.issue(n, "refresh_token"), nil
	default:
		return nil, fail(http.StatusBadRequest, 1, "unsupported grant_type")
	}
}

// issue makes the n-th access and refresh tokens (access tokens live 30
// days, refresh tokens a year) and the documented answer.
func (s *Server) issue(n int, kind string) map[string]any {
	access, refresh := fmt.Sprintf("pina_access_%d", n), fmt.Sprintf("pinr_refresh_%d", n)
	now := s.Now()
	s.IssueTokens(access, refresh, now.Add(30*24*time.Hour))
	return map[string]any{"access_token": access, "token_type": "bearer", "expires_in": 2592000, "scope": "boards:read,boards:write,pins:read,pins:write",
		"refresh_token": refresh, "refresh_token_expires_in": 31536000, "refresh_token_expires_at": now.Add(365 * 24 * time.Hour).Unix(),
		"response_type": kind}
}

func (s *Server) boardJSON(b *board) map[string]any {
	out := map[string]any{"id": b.ID, "name": b.Name, "privacy": b.Privacy, "owner": map[string]any{"username": "fakeuser"}}
	if b.Description != "" {
		out["description"] = b.Description
	}
	n := 0
	for _, p := range s.pins {
		if p.BoardID == b.ID {
			n++
		}
	}
	out["pin_count"] = n
	return out
}

// pageOf pages items by a bookmark (the index of the next item) and
// page_size (1 to 250, default 25).
func pageOf[T any](q url.Values, items []T) (map[string]any, *apikittest.Error) {
	size := 25
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 250 {
			return nil, fail(http.StatusBadRequest, 1, "Parameter 'page_size' must be between 1 and 250.")
		}
		size = n
	}
	from := 0
	if b := q.Get("bookmark"); b != "" {
		n, err := strconv.Atoi(b)
		if err != nil || n < 0 || n > len(items) {
			return nil, fail(http.StatusBadRequest, 1, "Invalid bookmark.")
		}
		from = n
	}
	to := min(from+size, len(items))
	out := map[string]any{"items": items[from:to], "bookmark": nil}
	if to < len(items) {
		out["bookmark"] = strconv.Itoa(to)
	}
	return out, nil
}

func (s *Server) listBoards(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]map[string]any, 0, len(s.boardIDs))
	for _, id := range s.boardIDs {
		items = append(items, s.boardJSON(s.boards[id]))
	}
	out, e := pageOf(c.URL.Query(), items)
	if e != nil {
		return nil, e
	}
	return out, nil
}

func (s *Server) createBoard(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	var in struct {
		Name, Description, Privacy string
	}
	if e := decode(c, &in); e != nil {
		return nil, e
	}
	switch in.Privacy {
	case "":
		in.Privacy = "PUBLIC"
	case "PUBLIC", "PROTECTED", "SECRET":
	default:
		return nil, fail(http.StatusBadRequest, 1, "Invalid board privacy.")
	}
	if in.Name == "" {
		return nil, fail(http.StatusBadRequest, 1, "Board name is required.")
	}
	id := s.addBoard(in.Name, in.Description, in.Privacy)
	s.mu.Lock()
	defer s.mu.Unlock()
	c.SetStatus(http.StatusCreated)
	return s.boardJSON(s.boards[id]), nil
}

func (s *Server) ownBoard(c *apikittest.Call) (*board, *apikittest.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boards[c.Params["board_id"]]
	if b == nil {
		return nil, fail(http.StatusNotFound, 40, "Board not found.")
	}
	return b, nil
}

func (s *Server) listSections(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	b, e := s.ownBoard(c)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	items := append([]sectionJSON{}, b.sections...)
	s.mu.Unlock()
	out, e := pageOf(c.URL.Query(), items)
	if e != nil {
		return nil, e
	}
	return out, nil
}

func (s *Server) createSection(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	b, e := s.ownBoard(c)
	if e != nil {
		return nil, e
	}
	var in struct{ Name string }
	if e := decode(c, &in); e != nil {
		return nil, e
	}
	if n := utf8.RuneCountInString(in.Name); n < 1 || n > 180 {
		return nil, fail(http.StatusBadRequest, 400, "Invalid board section parameters.")
	}
	id := s.AddSection(b.ID, in.Name)
	c.SetStatus(http.StatusCreated)
	return sectionJSON{ID: id, Name: in.Name}, nil
}

func (s *Server) pinJSON(p *Pin) map[string]any {
	out := map[string]any{"id": p.ID, "board_id": p.BoardID, "created_at": p.CreatedAt.UTC().Format(time.RFC3339),
		"board_owner": map[string]any{"username": "fakeuser"}, "is_owner": true, "is_standard": true, "has_been_promoted": false,
		"title": nullable(p.Title), "description": nullable(p.Description), "link": nullable(p.Link), "alt_text": nullable(p.Alt),
		"board_section_id": nullable(p.SectionID), "parent_pin_id": nil, "dominant_color": "#6E7874"}
	img := map[string]any{"600x": map[string]any{"width": 600, "height": 900, "url": "https://i.pinimg.com/600x/fake/" + p.ID + ".jpg"}}
	switch {
	case p.Media != "":
		out["media"] = map[string]any{"media_type": "video", "cover_image_url": "https://i.pinimg.com/videos/thumbnails/fake/" + p.ID + ".jpg",
			"duration": nil, "height": nil, "width": nil, "images": img}
	case p.Images > 1:
		items := make([]map[string]any, p.Images)
		for i := range items {
			items[i] = map[string]any{"images": img}
		}
		out["media"] = map[string]any{"media_type": "multiple_images", "items": items}
	default:
		out["media"] = map[string]any{"media_type": "image", "images": img}
	}
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// boardPins is GET /v5/boards/{board_id}/pins, newest first.
func (s *Server) boardPins(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	b, e := s.ownBoard(c)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	var items []map[string]any
	for i := len(s.order) - 1; i >= 0; i-- {
		if p := s.pins[s.order[i]]; p != nil && p.BoardID == b.ID {
			items = append(items, s.pinJSON(p))
		}
	}
	s.mu.Unlock()
	if items == nil {
		items = []map[string]any{}
	}
	out, e := pageOf(c.URL.Query(), items)
	if e != nil {
		return nil, e
	}
	return out, nil
}

type sourceJSON struct {
	SourceType             string `json:"source_type"`
	URL                    string `json:"url"`
	ContentType            string `json:"content_type"`
	Data                   string `json:"data"`
	MediaID                string `json:"media_id"`
	CoverImageURL          string `json:"cover_image_url"`
	CoverImageContentType  string `json:"cover_image_content_type"`
	CoverImageData         string `json:"cover_image_data"`
	CoverImageKeyFrameTime *int   `json:"cover_image_key_frame_time"`
	Items                  []struct {
		URL         string `json:"url"`
		ContentType string `json:"content_type"`
		Data        string `json:"data"`
	} `json:"items"`
}

func badParam(msg string) *apikittest.Error { return fail(http.StatusBadRequest, 1, msg) }

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func validImage(ctype, data string) bool {
	if ctype != "image/jpeg" && ctype != "image/png" {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(data)
	return err == nil && data != ""
}

// createPin is POST /v5/pins with the documented limits of PinCreate.
func (s *Server) createPin(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	var in struct {
		BoardID        string     `json:"board_id"`
		BoardSectionID string     `json:"board_section_id"`
		Title          string     `json:"title"`
		Description    string     `json:"description"`
		Link           string     `json:"link"`
		AltText        string     `json:"alt_text"`
		MediaSource    sourceJSON `json:"media_source"`
	}
	if e := decode(c, &in); e != nil {
		return nil, e
	}
	switch {
	case utf8.RuneCountInString(in.Title) > 100:
		return nil, badParam("title: must be at most 100 characters")
	case utf8.RuneCountInString(in.Description) > 800:
		return nil, badParam("description: must be at most 800 characters")
	case len(in.Link) > 2048:
		return nil, badParam("link: must be at most 2048 characters")
	case utf8.RuneCountInString(in.AltText) > 500:
		return nil, badParam("alt_text: must be at most 500 characters")
	case in.Link != "" && !validURL(in.Link):
		return nil, badParam("Whoops! It looks like you entered an invalid URL. Try creating a Pin again with a valid URL.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boards[in.BoardID]
	if b == nil {
		return nil, fail(http.StatusNotFound, 40, "Board not found.")
	}
	if in.BoardSectionID != "" && !slices.ContainsFunc(b.sections, func(x sectionJSON) bool { return x.ID == in.BoardSectionID }) {
		return nil, fail(http.StatusNotFound, 2031, "Sorry! We couldn't find this board section.")
	}
	p := &Pin{BoardID: b.ID, SectionID: in.BoardSectionID, Title: in.Title, Description: in.Description, Link: in.Link, Alt: in.AltText,
		SourceType: in.MediaSource.SourceType, CreatedAt: s.Now()}
	ms := in.MediaSource
	switch ms.SourceType {
	case "image_url":
		if !validURL(ms.URL) {
			return nil, badParam("media_source.url: invalid image URL")
		}
		p.Images = 1
	case "image_base64":
		if !validImage(ms.ContentType, ms.Data) {
			return nil, badParam("media_source: invalid image data or content_type")
		}
		p.Images = 1
	case "multiple_image_urls", "multiple_image_base64":
		if n := len(ms.Items); n < 2 || n > 5 {
			return nil, badParam(fmt.Sprintf("media_source.items: constraint: minItems=2, maxItems=5 (got %d)", n))
		}
		for _, it := range ms.Items {
			if (ms.SourceType == "multiple_image_urls" && !validURL(it.URL)) || (ms.SourceType == "multiple_image_base64" && !validImage(it.ContentType, it.Data)) {
				return nil, badParam("media_source.items: invalid image")
			}
		}
		p.Images = len(ms.Items)
	case "video_id":
		m := s.media[ms.MediaID]
		switch {
		case m == nil:
			return nil, badParam("media_source.media_id: media not found")
		case m.Status != "succeeded":
			return nil, badParam("media_source.media_id: the media upload is " + m.Status + ", not succeeded")
		case ms.CoverImageURL != "":
			if !validURL(ms.CoverImageURL) {
				return nil, badParam("media_source.cover_image_url: invalid URL")
			}
			p.Cover = "url"
		case ms.CoverImageData != "":
			if !validImage(ms.CoverImageContentType, ms.CoverImageData) {
				return nil, badParam("media_source.cover_image_data: invalid image data or content type")
			}
			p.Cover = "data"
		case ms.CoverImageKeyFrameTime != nil && *ms.CoverImageKeyFrameTime >= 0:
			p.Cover = "key_frame"
		default:
			return nil, badParam("media_source: a video Pin needs cover_image_url, cover_image_data or cover_image_key_frame_time")
		}
		p.Media = m.ID
	default:
		return nil, badParam("media_source.source_type: unknown source type")
	}
	p.ID = s.nextID()
	s.pins[p.ID] = p
	s.order = append(s.order, p.ID)
	c.SetStatus(http.StatusCreated)
	return s.pinJSON(p), nil
}

func (s *Server) pinOf(c *apikittest.Call) (*Pin, *apikittest.Error) {
	p := s.pins[c.Params["pin_id"]]
	if p == nil {
		return nil, fail(http.StatusNotFound, 50, "Pin not found.")
	}
	return p, nil
}

func (s *Server) getPin(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.pinOf(c)
	if e != nil {
		return nil, e
	}
	return s.pinJSON(p), nil
}

func (s *Server) deletePin(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.pinOf(c)
	if e != nil {
		return nil, e
	}
	delete(s.pins, p.ID)
	c.SetStatus(http.StatusNoContent)
	return nil, nil
}

var lifetimeMetrics = map[string]bool{"TOTAL_COMMENTS": true, "TOTAL_REACTIONS": true}

// analytics is GET /v5/pins/{pin_id}/analytics: start_date and end_date
// (at most 90 days back), metric_types comma-separated.
func (s *Server) analytics(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	q := c.URL.Query()
	start, err1 := time.Parse(time.DateOnly, q.Get("start_date"))
	end, err2 := time.Parse(time.DateOnly, q.Get("end_date"))
	now := s.Now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case err1 != nil || err2 != nil || end.Before(start):
		return nil, fail(http.StatusBadRequest, 400, "Invalid pins analytics parameters.")
	case start.Before(today.AddDate(0, 0, -90)) || end.After(today):
		return nil, fail(http.StatusBadRequest, 400, "Invalid pins analytics parameters.")
	case q.Get("metric_types") == "":
		return nil, fail(http.StatusBadRequest, 400, "Invalid pins analytics parameters.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.pinOf(c)
	if e != nil {
		return nil, fail(http.StatusNotFound, 404, "Pin not found.")
	}
	summary, lifetime := map[string]float64{}, map[string]float64{}
	for _, t := range strings.Split(q.Get("metric_types"), ",") {
		if lifetimeMetrics[t] {
			if v, ok := p.Lifetime[t]; ok {
				lifetime[t] = v
			}
		} else if v, ok := p.Summary[t]; ok {
			summary[t] = v
		}
	}
	return map[string]any{"all": map[string]any{"daily_metrics": []any{}, "summary_metrics": summary, "lifetime_metrics": lifetime}}, nil
}

// registerMedia is POST /v5/media: the upload URL on this server and the
// signed parameters of its policy.
func (s *Server) registerMedia(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	var in struct {
		MediaType string `json:"media_type"`
	}
	if e := decode(c, &in); e != nil {
		return nil, e
	}
	if in.MediaType != "video" {
		return nil, badParam("media_type: must be video")
	}
	s.mu.Lock()
	id := s.nextID()
	key := "uploads/fa/ke/" + id + ":video:" + id
	policy := base64.StdEncoding.EncodeToString([]byte(`{"expiration":"` + s.Now().Add(time.Hour).UTC().Format(time.RFC3339) + `","key":"` + key + `"}`))
	s.media[id] = &Media{ID: id, Status: "registered", key: key, policy: policy}
	s.mu.Unlock()
	c.SetStatus(http.StatusCreated)
	return map[string]any{"media_id": id, "media_type": "video", "upload_url": s.URL() + UploadPath,
		"upload_parameters": map[string]string{
			"x-amz-date": s.Now().UTC().Format("20060102T150405Z"), "x-amz-signature": sign(policy), "x-amz-security-token": "fake-session-token",
			"x-amz-algorithm": "AWS4-HMAC-SHA256", "key": key, "policy": policy,
			"x-amz-credential": "FAKEACCESSKEY/20260301/us-east-1/s3/aws4_request", "Content-Type": "multipart/form-data",
		}}, nil
}

func (s *Server) getMedia(c *apikittest.Call) (any, error) {
	if e := s.auth(c); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[c.Params["media_id"]]
	if m == nil {
		return nil, fail(http.StatusNotFound, 404, "Media not found.")
	}
	st := m.Status
	if st == "processing" {
		if m.polls > 0 {
			m.polls--
		} else if s.failMedia {
			m.Status, st = "failed", "failed"
		} else {
			m.Status, st = "succeeded", "succeeded"
		}
	}
	return map[string]any{"media_id": m.ID, "media_type": "video", "status": st}, nil
}

// uploadFail writes S3's XML error document.
func uploadFail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message><RequestId>FAKE</RequestId></Error>", code, msg)
}

// FailNextUpload makes the next upload answer S3's error document with
// status and code.
func (s *Server) FailNextUpload(status int, code, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uploadFaults = append(s.uploadFaults, uploadFault{status, code, msg})
}

type uploadFault struct {
	status    int
	code, msg string
}

// Uploads is the number of upload requests served, complete or not.
func (s *Server) Uploads() int { s.mu.Lock(); defer s.mu.Unlock(); return s.uploads }

// upload is the presigned multipart POST, outside the API (an S3 bucket
// in production): the policy's fields, then the file; 204 No Content. It
// reads the file without keeping it and counts what it read even when the
// connection is cut. Errors are S3's XML documents.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.uploads++
	var f *uploadFault
	if len(s.uploadFaults) > 0 {
		f = &s.uploadFaults[0]
		s.uploadFaults = s.uploadFaults[1:]
	}
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		uploadFail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
		return
	}
	if f != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		uploadFail(w, f.status, f.code, f.msg)
		return
	}
	random := s.draw(true)
	switch random {
	case "error", "throttled":
		_, _ = io.Copy(io.Discard, r.Body)
		uploadFail(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	case "lost":
		defer drop(w)
		w = httptest.NewRecorder()
	}
	if r.Header.Get("Authorization") != "" {
		uploadFail(w, http.StatusBadRequest, "InvalidArgument", "Only one auth mechanism allowed; an Authorization header was sent with a POST policy.")
		return
	}
	if r.ContentLength < 0 {
		uploadFail(w, http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		uploadFail(w, http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
		return
	}
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if err != nil {
			uploadFail(w, http.StatusBadRequest, "IncorrectNumberOfFilesInPostRequest", "POST requires exactly one file upload per request.")
			return
		}
		if part.FormName() != "file" {
			v, _ := io.ReadAll(io.LimitReader(part, 1<<16))
			fields[part.FormName()] = string(v)
			continue
		}
		s.mu.Lock()
		var m *Media
		for _, x := range s.media {
			if x.key == fields["key"] {
				m = x
			}
		}
		s.mu.Unlock()
		if m == nil || fields["policy"] != m.policy || fields["x-amz-signature"] != sign(m.policy) {
			uploadFail(w, http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy Condition failed")
			return
		}
		h := crc32.New(table)
		n, err := io.Copy(io.MultiWriter(h, countWriter{s}), part)
		if err != nil {
			return // the connection was cut mid-file: nothing is stored
		}
		if n == 0 {
			uploadFail(w, http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
			return
		}
		s.mu.Lock()
		m.Size, m.CRC32, m.Uploads, m.Status, m.polls = n, h.Sum32(), m.Uploads+1, "processing", s.polls
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	}
}

type countWriter struct{ s *Server }

func (w countWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	w.s.received += int64(len(p))
	w.s.mu.Unlock()
	return len(p), nil
}
