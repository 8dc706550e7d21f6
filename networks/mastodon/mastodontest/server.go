// Package mastodontest is an in-process fake of a Mastodon server's REST API
// for tests of code that publishes to Mastodon. Its [Server] is an httptest
// server that checks each request as Mastodon documents it — method, path,
// bearer token and its scopes, Idempotency-Key, body fields and the
// instance's limits — and answers with the documented entities, errors
// ({"error": "..."}, 401/403/404/422/429) and X-RateLimit-* headers (reset
// as an ISO 8601 time). Media of kinds Mastodon processes asynchronously
// (video, GIF, audio) answer 202 on upload and 206 on GET until
// [Server.FinishProcessing].
//
// [WithGoToSocial] makes it behave as GoToSocial does instead (see that
// option), so tests cover both servers.
//
// Sources: https://docs.joinmastodon.org/methods/statuses/,
// https://docs.joinmastodon.org/methods/accounts/,
// https://docs.joinmastodon.org/methods/media/,
// https://docs.joinmastodon.org/methods/instance/,
// https://docs.joinmastodon.org/methods/apps/,
// https://docs.joinmastodon.org/methods/oauth/,
// https://docs.joinmastodon.org/api/rate-limits/.
package mastodontest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/text"
)

// RateLimit is the X-RateLimit-Limit the server reports (Mastodon's 300
// requests per 5 minutes per account).
const RateLimit = 300

// IdempotencyTTL is how long the server remembers an Idempotency-Key.
const IdempotencyTTL = time.Hour

// AccountID is the id of the server's one account, whose statuses every
// token posts.
const AccountID = "109000000000000001"

// GoToSocialVersion is the version a [WithGoToSocial] server reports.
const GoToSocialVersion = "v0.19.2"

// Fault scripts the answer to one request. The zero Fault answers normally.
type Fault struct {
	// Status and Error make the request fail before it takes effect.
	Status int
	Error  string
	// Reset, with Status 429, is sent as X-RateLimit-Reset.
	Reset time.Time
	// Lost makes the request take effect and then drops the connection.
	Lost bool
}

// Status is a status the server holds.
type Status struct {
	ID, Text, Visibility, SpoilerText, InReplyToID, Language string
	MediaIDs                                                 []string
	PollOptions                                              []string
	Replies, Reblogs, Favourites, Quotes                     int64
	CreatedAt                                                time.Time
}

// Media is an uploaded attachment.
type Media struct {
	ID, MIME, Description string
	Size                  int
	Processing            bool
}

type idem struct {
	statusID string
	at       time.Time
}

// Server is a fake Mastodon server. Create it with [NewServer].
type Server struct {
	srv *httptest.Server
	now func() time.Time
	cfg networks.MastodonConfiguration

	mu       sync.Mutex
	tokens   map[string][]string // access token -> scopes
	apps     map[string]string   // client_id -> client_secret
	codes    map[string][]string // authorization code -> scopes
	statuses map[string]*Status
	order    []string
	media    map[string]*Media
	keys     map[string]idem // token + key -> status
	faults   []Fault
	requests []string
	seq      int64
	used     int
	gts      bool
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the server's clock. Default: time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithConfiguration sets the configuration GET /api/v2/instance reports and
// the server enforces; zero fields keep Mastodon's defaults.
func WithConfiguration(c networks.MastodonConfiguration) Option {
	return func(s *Server) { s.cfg = c }
}

// WithGoToSocial makes the server behave as GoToSocial v0.19 does where it
// differs from Mastodon (checked against a real GoToSocial server and its
// docs, https://docs.gotosocial.org/en/latest/api/ratelimiting/):
//   - GET /api/v2/instance reports version [GoToSocialVersion] and
//     source_url https://codeberg.org/superseriousbusiness/gotosocial, and
//     the defaults are 5000 characters, 6 attachments, 25 characters
//     reserved per URL (reported, not applied);
//   - length is the code points of spoiler_text and status, URLs at full
//     length; over it is 400 "Bad Request: text with spoiler exceed max
//     chars (N)";
//   - Idempotency-Key is ignored: a repeated POST posts again;
//   - validation errors are 400, and every error body reads
//     {"error": "<HTTP status text>: <message>"};
//   - media are processed before the upload answers: always 200;
//   - X-RateLimit-Reset has milliseconds; ids are 26-character ULIDs.
func WithGoToSocial() Option { return func(s *Server) { s.gts = true } }

// NewServer starts a fake Mastodon server on a loopback port.
func NewServer(opts ...Option) *Server {
	s := &Server{now: time.Now, tokens: map[string][]string{}, apps: map[string]string{}, codes: map[string][]string{},
		statuses: map[string]*Status{}, media: map[string]*Media{}, keys: map[string]idem{}, seq: 109_000_000_000_000_000}
	for _, o := range opts {
		o(s)
	}
	c := &s.cfg
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if s.gts {
		def(&c.Statuses.MaxCharacters, 5000)
		def(&c.Statuses.MaxMediaAttachments, 6)
		def(&c.Statuses.CharactersReservedPerURL, 25)
	}
	def(&c.Statuses.MaxCharacters, 500)
	def(&c.Statuses.MaxMediaAttachments, 4)
	def(&c.Statuses.CharactersReservedPerURL, 23)
	def(&c.MediaAttachments.DescriptionLimit, 1500)
	def(&c.Polls.MaxOptions, 4)
	def(&c.Polls.MaxCharactersPerOption, 50)
	def(&c.Polls.MinExpiration, 300)
	def(&c.Polls.MaxExpiration, 2_629_746)
	if c.MediaAttachments.ImageSizeLimit == 0 {
		c.MediaAttachments.ImageSizeLimit = 16_777_216
	}
	if c.MediaAttachments.VideoSizeLimit == 0 {
		c.MediaAttachments.VideoSizeLimit = 103_809_024
	}
	if len(c.MediaAttachments.SupportedMIMETypes) == 0 {
		c.MediaAttachments.SupportedMIMETypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm"}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL returns the instance's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Configuration returns the configuration the server enforces.
func (s *Server) Configuration() networks.MastodonConfiguration { return s.cfg }

// IssueToken returns a new access token with scopes, as if a user had
// authorized an application.
func (s *Server) IssueToken(scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	sum := sha256.Sum256(fmt.Appendf(nil, "token-%d", s.seq))
	tok := hex.EncodeToString(sum[:16])
	s.tokens[tok] = scopes
	return tok
}

// Authorize returns an authorization code for clientID with scopes, as the
// /oauth/authorize page would after the user approves.
func (s *Server) Authorize(clientID string, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	code := fmt.Sprintf("code-%d", s.seq)
	s.codes[code] = append([]string{clientID}, scopes...)
	return code
}

// Revoke invalidates an access token (POST /oauth/revoke).
func (s *Server) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, token)
}

// Script queues faults for the next requests, in order.
func (s *Server) Script(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// FinishProcessing marks every uploaded attachment as processed.
func (s *Server) FinishProcessing() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.media {
		m.Processing = false
	}
}

// SetCounts sets the counters of status id.
func (s *Server) SetCounts(id string, replies, reblogs, favourites, quotes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.statuses[id]; ok {
		st.Replies, st.Reblogs, st.Favourites, st.Quotes = replies, reblogs, favourites, quotes
	}
}

// Statuses returns the statuses held, in creation order.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, id := range s.order {
		if st, ok := s.statuses[id]; ok {
			c := *st
			c.MediaIDs = slices.Clone(st.MediaIDs)
			out = append(out, c)
		}
	}
	return out
}

// Media returns the attachment with id.
func (s *Server) Media(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Media{}, false
	}
	return *m, true
}

// Requests returns "METHOD path" of every request, in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// apiErr is an error answer.
type apiErr struct {
	status int
	msg    string
}

func unprocessable(msg string) *apiErr { return &apiErr{http.StatusUnprocessableEntity, msg} }

var notFound = &apiErr{http.StatusNotFound, "Record not found"}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	var f Fault
	if len(s.faults) > 0 {
		f, s.faults = s.faults[0], s.faults[1:]
	}
	s.used++
	used := s.used
	s.mu.Unlock()
	now := s.now().UTC()
	window := now.Truncate(5 * time.Minute).Add(5 * time.Minute)
	resetFormat := "2006-01-02T15:04:05.000000Z"
	if s.gts {
		resetFormat = "2006-01-02T15:04:05.000Z"
	}
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(RateLimit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(RateLimit-used, 0)))
	w.Header().Set("X-RateLimit-Reset", window.Format(resetFormat))
	if f.Status != 0 {
		if f.Status == http.StatusTooManyRequests {
			w.Header().Set("X-RateLimit-Remaining", "0")
			if !f.Reset.IsZero() {
				w.Header().Set("X-RateLimit-Reset", f.Reset.UTC().Format(resetFormat))
			}
		}
		s.fail(w, &apiErr{f.Status, f.Error})
		return
	}
	code, out, ae := s.route(r)
	if ae != nil {
		s.fail(w, ae)
		return
	}
	if f.Lost {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				_ = c.Close()
				return
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(out)
}

func (s *Server) fail(w http.ResponseWriter, ae *apiErr) {
	status, msg := ae.status, ae.msg
	if s.gts {
		if status == http.StatusUnprocessableEntity {
			status = http.StatusBadRequest
		}
		msg = http.StatusText(status) + ": " + strings.TrimPrefix(msg, "Validation failed: ")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// newID returns a fresh id: numeric on Mastodon, a ULID-shaped string on
// GoToSocial (callers hold s.mu).
func (s *Server) newID() string {
	s.seq++
	if !s.gts {
		return strconv.FormatInt(s.seq, 10)
	}
	const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	id := []byte("01" + strings.Repeat("0", 24))
	for i, n := len(id)-1, s.seq; n > 0 && i >= 2; i, n = i-1, n/32 {
		id[i] = crockford[n%32]
	}
	return string(id)
}

func (s *Server) route(r *http.Request) (int, any, *apiErr) {
	p := r.URL.Path
	switch {
	case p == "/api/v2/instance" && r.Method == http.MethodGet:
		if s.gts {
			return http.StatusOK, map[string]any{"domain": strings.TrimPrefix(s.srv.URL, "http://"), "version": GoToSocialVersion,
				"source_url": "https://codeberg.org/superseriousbusiness/gotosocial", "configuration": s.cfg}, nil
		}
		return http.StatusOK, map[string]any{"domain": strings.TrimPrefix(s.srv.URL, "http://"), "version": "4.4.0",
			"source_url": "https://github.com/mastodon/mastodon", "configuration": s.cfg}, nil
	case p == "/api/v1/accounts/verify_credentials" && r.Method == http.MethodGet:
		return s.verifyCredentials(r)
	case strings.HasPrefix(p, "/api/v1/accounts/") && strings.HasSuffix(p, "/statuses") && r.Method == http.MethodGet:
		return s.accountStatuses(r, strings.TrimSuffix(strings.TrimPrefix(p, "/api/v1/accounts/"), "/statuses"))
	case p == "/api/v1/apps" && r.Method == http.MethodPost:
		return s.createApp(r)
	case p == "/oauth/token" && r.Method == http.MethodPost:
		return s.token(r)
	case p == "/api/v2/media" && r.Method == http.MethodPost:
		return s.upload(r)
	case strings.HasPrefix(p, "/api/v1/media/") && r.Method == http.MethodGet:
		return s.getMedia(r, strings.TrimPrefix(p, "/api/v1/media/"))
	case p == "/api/v1/statuses" && r.Method == http.MethodPost:
		return s.createStatus(r)
	case strings.HasPrefix(p, "/api/v1/statuses/") && r.Method == http.MethodGet:
		return s.getStatus(r, strings.TrimPrefix(p, "/api/v1/statuses/"))
	case strings.HasPrefix(p, "/api/v1/statuses/") && r.Method == http.MethodDelete:
		return s.deleteStatus(r, strings.TrimPrefix(p, "/api/v1/statuses/"))
	}
	return 0, nil, &apiErr{http.StatusNotFound, "Not Found"}
}

// auth checks the bearer token and that it holds scope (or its parent,
// "write" for "write:statuses").
func (s *Server) auth(r *http.Request, scope string) *apiErr {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	scopes, known := s.tokens[tok]
	s.mu.Unlock()
	if !ok || !known {
		return &apiErr{http.StatusUnauthorized, "The access token is invalid"}
	}
	parent, _, _ := strings.Cut(scope, ":")
	if !slices.Contains(scopes, scope) && !slices.Contains(scopes, parent) {
		return &apiErr{http.StatusForbidden, "This action is outside the authorized scopes"}
	}
	return nil
}

// params reads a JSON or form body into a flat map of string lists (form
// arrays "media_ids[]" and JSON arrays alike).
func params(r *http.Request) (map[string][]string, *apiErr) {
	out := map[string][]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&m); err != nil {
			return nil, &apiErr{http.StatusBadRequest, "Error while parsing request body"}
		}
		var flat func(prefix string, v any)
		flat = func(prefix string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					flat(prefix+"["+k+"]", x)
				}
			case []any:
				for _, x := range v {
					flat(prefix+"[]", x)
				}
			case string:
				out[prefix] = append(out[prefix], v)
			case bool:
				out[prefix] = append(out[prefix], strconv.FormatBool(v))
			case float64:
				out[prefix] = append(out[prefix], strconv.FormatFloat(v, 'f', -1, 64))
			}
		}
		for k, v := range m {
			flat(k, v)
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, &apiErr{http.StatusBadRequest, "Error while parsing request body"}
		}
		for k, v := range r.PostForm {
			out[k] = v
		}
	}
	return out, nil
}

// createApp: POST /api/v1/apps.
func (s *Server) createApp(r *http.Request) (int, any, *apiErr) {
	p, ae := params(r)
	if ae != nil {
		return 0, nil, ae
	}
	if first(p, "client_name") == "" || first(p, "redirect_uris") == "" {
		return 0, nil, unprocessable("Validation failed: Application name can't be blank, Redirect URI can't be blank")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id, secret := fmt.Sprintf("client-%d", s.seq), fmt.Sprintf("secret-%d", s.seq)
	s.apps[id] = secret
	return http.StatusOK, map[string]any{"id": strconv.FormatInt(s.seq, 10), "name": first(p, "client_name"),
		"client_id": id, "client_secret": secret, "redirect_uri": first(p, "redirect_uris"), "scopes": strings.Fields(first(p, "scopes"))}, nil
}

// token: POST /oauth/token with grant_type=authorization_code.
func (s *Server) token(r *http.Request) (int, any, *apiErr) {
	if err := r.ParseForm(); err != nil {
		return 0, nil, &apiErr{http.StatusBadRequest, "invalid_request"}
	}
	f := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Get("grant_type") != "authorization_code" {
		return 0, nil, &apiErr{http.StatusBadRequest, "unsupported_grant_type"}
	}
	granted, ok := s.codes[f.Get("code")]
	if !ok || s.apps[f.Get("client_id")] != f.Get("client_secret") || granted[0] != f.Get("client_id") {
		return 0, nil, &apiErr{http.StatusBadRequest, "invalid_grant"}
	}
	delete(s.codes, f.Get("code"))
	s.seq++
	sum := sha256.Sum256(fmt.Appendf(nil, "token-%d", s.seq))
	tok := hex.EncodeToString(sum[:16])
	s.tokens[tok] = granted[1:]
	return http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "scope": strings.Join(granted[1:], " "), "created_at": s.now().Unix()}, nil
}

// upload: POST /api/v2/media (multipart "file", "description").
func (s *Server) upload(r *http.Request) (int, any, *apiErr) {
	if ae := s.auth(r, "write:media"); ae != nil {
		return 0, nil, ae
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		return 0, nil, unprocessable("Validation failed: File can't be blank")
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return 0, nil, unprocessable("Validation failed: File can't be blank")
	}
	data, _ := io.ReadAll(file)
	_ = file.Close()
	mt := hdr.Header.Get("Content-Type")
	if !slices.Contains(s.cfg.MediaAttachments.SupportedMIMETypes, mt) {
		return 0, nil, unprocessable("Validation failed: File content type is invalid, File is invalid")
	}
	limit := s.cfg.MediaAttachments.ImageSizeLimit
	if !strings.HasPrefix(mt, "image/") || mt == "image/gif" {
		limit = s.cfg.MediaAttachments.VideoSizeLimit
	}
	if int64(len(data)) > limit {
		return 0, nil, unprocessable(fmt.Sprintf("Validation failed: File file size must be less than %d Bytes", limit))
	}
	desc := r.FormValue("description")
	if n := len([]rune(desc)); n > s.cfg.MediaAttachments.DescriptionLimit {
		return 0, nil, unprocessable(fmt.Sprintf("Validation failed: Description is too long (maximum is %d characters)", s.cfg.MediaAttachments.DescriptionLimit))
	}
	async := (!strings.HasPrefix(mt, "image/") || mt == "image/gif") && !s.gts
	s.mu.Lock()
	m := &Media{ID: s.newID(), MIME: mt, Description: desc, Size: len(data), Processing: async}
	s.media[m.ID] = m
	s.mu.Unlock()
	if async {
		return http.StatusAccepted, s.mediaJSON(m), nil
	}
	return http.StatusOK, s.mediaJSON(m), nil
}

func (s *Server) mediaJSON(m *Media) map[string]any {
	kind := "image"
	if !strings.HasPrefix(m.MIME, "image/") {
		kind = "video"
	} else if m.MIME == "image/gif" {
		kind = "gifv"
	}
	var url any
	if !m.Processing {
		url = s.srv.URL + "/system/media_attachments/" + m.ID
	}
	return map[string]any{"id": m.ID, "type": kind, "url": url, "preview_url": s.srv.URL + "/system/previews/" + m.ID, "description": m.Description}
}

// getMedia: GET /api/v1/media/:id — 206 while processing.
func (s *Server) getMedia(r *http.Request, id string) (int, any, *apiErr) {
	if ae := s.auth(r, "write:media"); ae != nil {
		return 0, nil, ae
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return 0, nil, notFound
	}
	if m.Processing {
		return http.StatusPartialContent, s.mediaJSON(m), nil
	}
	return http.StatusOK, s.mediaJSON(m), nil
}

func first(p map[string][]string, k string) string {
	if v := p[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// createStatus: POST /api/v1/statuses.
func (s *Server) createStatus(r *http.Request) (int, any, *apiErr) {
	if ae := s.auth(r, "write:statuses"); ae != nil {
		return 0, nil, ae
	}
	p, ae := params(r)
	if ae != nil {
		return 0, nil, ae
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if key != "" && !s.gts {
		if k, ok := s.keys[tok+"\x00"+key]; ok && now.Sub(k.at) < IdempotencyTTL {
			if st, ok := s.statuses[k.statusID]; ok {
				return http.StatusOK, s.statusJSON(st), nil
			}
		}
	}
	st := &Status{Text: first(p, "status"), Visibility: first(p, "visibility"), SpoilerText: first(p, "spoiler_text"),
		InReplyToID: first(p, "in_reply_to_id"), Language: first(p, "language"), MediaIDs: p["media_ids[]"], PollOptions: p["poll[options][]"]}
	if st.Visibility == "" {
		st.Visibility = "public"
	}
	if ae := s.checkStatus(st, first(p, "poll[expires_in]")); ae != nil {
		return 0, nil, ae
	}
	st.ID, st.CreatedAt = s.newID(), now.UTC()
	s.statuses[st.ID] = st
	s.order = append(s.order, st.ID)
	if key != "" {
		s.keys[tok+"\x00"+key] = idem{statusID: st.ID, at: now}
	}
	return http.StatusOK, s.statusJSON(st), nil
}

// checkStatus applies Mastodon's validations (callers hold s.mu).
func (s *Server) checkStatus(st *Status, expiresIn string) *apiErr {
	c := s.cfg
	switch st.Visibility {
	case "public", "unlisted", "private", "direct":
	default:
		return unprocessable("Validation failed: Visibility is not included in the list")
	}
	if strings.TrimSpace(st.Text) == "" && len(st.MediaIDs) == 0 {
		return unprocessable("Validation failed: Text can't be blank")
	}
	if s.gts {
		if n := len([]rune(st.SpoilerText + st.Text)); n > c.Statuses.MaxCharacters {
			return &apiErr{http.StatusBadRequest, fmt.Sprintf("text with spoiler exceed max chars (%d)", c.Statuses.MaxCharacters)}
		}
	} else if n, err := text.Count(text.Mastodon, st.SpoilerText+st.Text); err != nil || n > c.Statuses.MaxCharacters {
		return unprocessable(fmt.Sprintf("Validation failed: Text character limit of %d exceeded", c.Statuses.MaxCharacters))
	}
	if len(st.MediaIDs) > c.Statuses.MaxMediaAttachments {
		return unprocessable(fmt.Sprintf("Validation failed: Media attachments limit of %d exceeded", c.Statuses.MaxMediaAttachments))
	}
	for _, id := range st.MediaIDs {
		m, ok := s.media[id]
		if !ok {
			return unprocessable("Validation failed: Media attachments are invalid")
		}
		if m.Processing {
			return unprocessable("Cannot attach files that have not finished processing. Try again in a moment!")
		}
	}
	if len(st.PollOptions) > 0 {
		if len(st.MediaIDs) > 0 {
			return unprocessable("Validation failed: Cannot attach both media and a poll")
		}
		if len(st.PollOptions) < 2 || len(st.PollOptions) > c.Polls.MaxOptions {
			return unprocessable(fmt.Sprintf("Validation failed: Poll must have between 2 and %d options", c.Polls.MaxOptions))
		}
		for _, o := range st.PollOptions {
			if len([]rune(o)) > c.Polls.MaxCharactersPerOption {
				return unprocessable(fmt.Sprintf("Validation failed: Poll options are too long (maximum is %d characters)", c.Polls.MaxCharactersPerOption))
			}
		}
		exp, err := strconv.Atoi(expiresIn)
		if err != nil || exp < c.Polls.MinExpiration || exp > c.Polls.MaxExpiration {
			return unprocessable("Validation failed: Poll duration is out of range")
		}
	}
	if st.InReplyToID != "" {
		if _, ok := s.statuses[st.InReplyToID]; !ok {
			return notFound
		}
	}
	return nil
}

func (s *Server) statusJSON(st *Status) map[string]any {
	media := []any{}
	for _, id := range st.MediaIDs {
		if m, ok := s.media[id]; ok {
			media = append(media, s.mediaJSON(m))
		}
	}
	var poll any
	if len(st.PollOptions) > 0 {
		opts := []any{}
		for _, o := range st.PollOptions {
			opts = append(opts, map[string]any{"title": o, "votes_count": 0})
		}
		poll = map[string]any{"options": opts}
	}
	var reply any
	if st.InReplyToID != "" {
		reply = st.InReplyToID
	}
	u := s.srv.URL + "/@user/" + st.ID
	if s.gts {
		u = s.srv.URL + "/@user/statuses/" + st.ID
	}
	out := map[string]any{
		"id": st.ID, "created_at": st.CreatedAt.Format("2006-01-02T15:04:05.000Z"), "url": u,
		"account": map[string]any{"id": AccountID, "username": "user", "acct": "user"},
		"uri":     s.srv.URL + "/users/user/statuses/" + st.ID, "content": "<p>" + st.Text + "</p>", "visibility": st.Visibility,
		"spoiler_text": st.SpoilerText, "sensitive": st.SpoilerText != "", "in_reply_to_id": reply, "language": st.Language,
		"media_attachments": media, "poll": poll,
		"replies_count": st.Replies, "reblogs_count": st.Reblogs, "favourites_count": st.Favourites, "quotes_count": st.Quotes,
	}
	if s.gts {
		out["text"] = st.Text // GoToSocial includes the source text of its own statuses
		out["quotes_count"] = nil
	}
	return out
}

// getStatus: GET /api/v1/statuses/:id.
func (s *Server) getStatus(r *http.Request, id string) (int, any, *apiErr) {
	if r.Header.Get("Authorization") != "" {
		if ae := s.auth(r, "read:statuses"); ae != nil {
			return 0, nil, ae
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[id]
	if !ok {
		return 0, nil, notFound
	}
	return http.StatusOK, s.statusJSON(st), nil
}

// deleteStatus: DELETE /api/v1/statuses/:id.
func (s *Server) deleteStatus(r *http.Request, id string) (int, any, *apiErr) {
	if ae := s.auth(r, "write:statuses"); ae != nil {
		return 0, nil, ae
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[id]
	if !ok {
		return 0, nil, notFound
	}
	delete(s.statuses, id)
	out := s.statusJSON(st)
	out["text"] = st.Text
	return http.StatusOK, out, nil
}

// verifyCredentials: GET /api/v1/accounts/verify_credentials (scope
// read:accounts, https://docs.joinmastodon.org/methods/accounts/#verify_credentials).
func (s *Server) verifyCredentials(r *http.Request) (int, any, *apiErr) {
	if ae := s.auth(r, "read:accounts"); ae != nil {
		return 0, nil, ae
	}
	return http.StatusOK, map[string]any{"id": AccountID, "username": "user", "acct": "user"}, nil
}

// accountStatuses: GET /api/v1/accounts/:id/statuses, newest first, with
// limit (default 20, at most 40), max_id and exclude_reblogs
// (https://docs.joinmastodon.org/methods/accounts/#statuses).
func (s *Server) accountStatuses(r *http.Request, id string) (int, any, *apiErr) {
	if ae := s.auth(r, "read:statuses"); ae != nil {
		return 0, nil, ae
	}
	if id != AccountID {
		return 0, nil, notFound
	}
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, nil, &apiErr{http.StatusBadRequest, "limit is not a positive number"}
		}
		limit = min(n, 40)
	}
	maxID := q.Get("max_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	below := maxID == ""
	for i := len(s.order) - 1; i >= 0 && len(out) < limit; i-- {
		sid := s.order[i]
		if !below {
			below = sid == maxID
			continue
		}
		if st, ok := s.statuses[sid]; ok {
			out = append(out, s.statusJSON(st))
		}
	}
	return http.StatusOK, out, nil
}
