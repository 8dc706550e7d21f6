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
// It runs on the shared fake-server skeleton (networks/apikit/apikittest),
// which does the routing, the bearer-token checks, the scripted faults, the
// X-RateLimit-* headers and the request log; this package is only
// Mastodon's endpoints.
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
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit/apikittest"
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
	// Author is the account that posted it: empty for the server's own
	// account ([AccountID]), else another account's id (see [Server.Arrive]).
	Author string
	// QuoteOf is the status a quote quotes.
	QuoteOf                                                  string
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
	kit *apikittest.Server
	now func() time.Time
	cfg networks.MastodonConfiguration
	gts bool

	mu       sync.Mutex
	scopes   map[string][]string // access token -> scopes (the kit knows the token)
	apps     map[string]string   // client_id -> client_secret
	codes    map[string][]string // authorization code -> scopes
	statuses map[string]*Status
	order    []string
	media    map[string]*Media
	keys     map[string]idem // token + key -> status
	seq      int64
	notes    []note // notifications of the server's account, oldest first
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
	s := &Server{now: time.Now, scopes: map[string][]string{}, apps: map[string]string{}, codes: map[string][]string{},
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
	resetLayout := "2006-01-02T15:04:05.000000Z" // Mastodon: microseconds
	if s.gts {
		resetLayout = "2006-01-02T15:04:05.000Z" // GoToSocial: milliseconds
	}
	notFound := func(*http.Request) *apikittest.Error { return s.apiErr(http.StatusNotFound, "Not Found") }
	s.kit = apikittest.New(apikittest.Options{
		Now:         s.now,
		ErrorBody:   func(e *apikittest.Error) any { return map[string]string{"error": e.Message} },
		NotFound:    notFound,
		WrongMethod: func(r *http.Request, _ []string) *apikittest.Error { return notFound(r) },
		// https://docs.joinmastodon.org/api/rate-limits/: 300 per 5 minutes.
		RateLimit: &apikittest.RateLimit{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining", Reset: "X-RateLimit-Reset",
			Max: RateLimit, Window: 5 * time.Minute, ISO: true, Layout: resetLayout},
	})
	for _, rt := range []struct {
		method, path string
		h            apikittest.Handler
	}{
		{http.MethodGet, "/api/v2/instance", s.instance},
		{http.MethodGet, "/api/v1/accounts/verify_credentials", s.verifyCredentials},
		{http.MethodGet, "/api/v1/accounts/{id}/statuses", s.accountStatuses},
		{http.MethodPost, "/api/v1/apps", s.createApp},
		{http.MethodPost, "/oauth/token", s.token},
		{http.MethodPost, "/api/v2/media", s.upload},
		{http.MethodGet, "/api/v1/media/{id}", s.getMedia},
		{http.MethodPost, "/api/v1/statuses", s.createStatus},
		{http.MethodGet, "/api/v1/statuses/{id}", s.getStatus},
		{http.MethodDelete, "/api/v1/statuses/{id}", s.deleteStatus},
		{http.MethodGet, "/api/v1/notifications", s.notifications},
		{http.MethodGet, "/api/v1/statuses/{id}/context", s.statusContext},
	} {
		s.kit.Handle(rt.method, rt.path, rt.h)
	}
	return s
}

// URL returns the instance's base URL.
func (s *Server) URL() string { return s.kit.URL() }

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.kit.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.kit.Close() }

// Configuration returns the configuration the server enforces.
func (s *Server) Configuration() networks.MastodonConfiguration { return s.cfg }

// IssueToken returns a new access token with scopes, as if a user had
// authorized an application.
func (s *Server) IssueToken(scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(scopes)
}

// issue registers a new access token with scopes (callers hold s.mu).
// Mastodon's tokens do not expire.
func (s *Server) issue(scopes []string) string {
	s.seq++
	sum := sha256.Sum256(fmt.Appendf(nil, "token-%d", s.seq))
	tok := hex.EncodeToString(sum[:16])
	s.scopes[tok] = scopes
	s.kit.IssueToken(tok, apikittest.Token{Subject: AccountID, Kind: kindAccess})
	return tok
}

// kindAccess is the kind of every token the server issues.
const kindAccess = "access"

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
	s.kit.RevokeToken(token)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.scopes, token)
}

// Script queues faults for the next requests, in order. An error is
// answered as the server answers its own (see [WithGoToSocial]).
func (s *Server) Script(f ...Fault) {
	for _, x := range f {
		kf := apikittest.Fault{Reset: x.Reset, Lost: x.Lost}
		if x.Status != 0 {
			e := s.apiErr(x.Status, x.Error)
			kf.Status, kf.Message = e.Status, e.Message
		}
		s.kit.Script(kf)
	}
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
	var out []string
	for _, r := range s.kit.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// apiErr is the server's error answer {"error": msg}: as Mastodon writes
// it, or as GoToSocial does, which answers validation errors with 400 and
// prefixes every message with the status text.
func (s *Server) apiErr(status int, msg string) *apikittest.Error {
	if s.gts {
		if status == http.StatusUnprocessableEntity {
			status = http.StatusBadRequest
		}
		msg = http.StatusText(status) + ": " + strings.TrimPrefix(msg, "Validation failed: ")
	}
	return &apikittest.Error{Status: status, Message: msg}
}

func (s *Server) unprocessable(msg string) error {
	return s.apiErr(http.StatusUnprocessableEntity, msg)
}

func (s *Server) notFound() error { return s.apiErr(http.StatusNotFound, "Record not found") }

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

// instance: GET /api/v2/instance, public
// (https://docs.joinmastodon.org/methods/instance/#v2).
func (s *Server) instance(*apikittest.Call) (any, error) {
	domain := strings.TrimPrefix(s.kit.URL(), "http://")
	if s.gts {
		return map[string]any{"domain": domain, "version": GoToSocialVersion,
			"source_url": "https://codeberg.org/superseriousbusiness/gotosocial", "configuration": s.cfg}, nil
	}
	return map[string]any{"domain": domain, "version": "4.4.0",
		"source_url": "https://github.com/mastodon/mastodon", "configuration": s.cfg}, nil
}

// auth checks the bearer token and that it holds scope (or its parent,
// "write" for "write:statuses").
func (s *Server) auth(c *apikittest.Call, scope string) (string, error) {
	_, tok, p := s.kit.Bearer(c, kindAccess)
	if p != apikittest.AuthOK {
		return "", s.apiErr(http.StatusUnauthorized, "The access token is invalid")
	}
	s.mu.Lock()
	scopes := s.scopes[tok]
	s.mu.Unlock()
	parent, _, _ := strings.Cut(scope, ":")
	if !slices.Contains(scopes, scope) && !slices.Contains(scopes, parent) {
		return "", s.apiErr(http.StatusForbidden, "This action is outside the authorized scopes")
	}
	return tok, nil
}

// params reads a JSON or form body into a flat map of string lists (form
// arrays "media_ids[]" and JSON arrays alike).
func (s *Server) params(r *http.Request) (map[string][]string, error) {
	out := map[string][]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&m); err != nil {
			return nil, s.apiErr(http.StatusBadRequest, "Error while parsing request body")
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
			return nil, s.apiErr(http.StatusBadRequest, "Error while parsing request body")
		}
		for k, v := range r.PostForm {
			out[k] = v
		}
	}
	return out, nil
}

// createApp: POST /api/v1/apps
// (https://docs.joinmastodon.org/methods/apps/#create).
func (s *Server) createApp(c *apikittest.Call) (any, error) {
	p, err := s.params(c.Request)
	if err != nil {
		return nil, err
	}
	if first(p, "client_name") == "" || first(p, "redirect_uris") == "" {
		return nil, s.unprocessable("Validation failed: Application name can't be blank, Redirect URI can't be blank")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id, secret := fmt.Sprintf("client-%d", s.seq), fmt.Sprintf("secret-%d", s.seq)
	s.apps[id] = secret
	return map[string]any{"id": strconv.FormatInt(s.seq, 10), "name": first(p, "client_name"),
		"client_id": id, "client_secret": secret, "redirect_uri": first(p, "redirect_uris"), "scopes": strings.Fields(first(p, "scopes"))}, nil
}

// token: POST /oauth/token with grant_type=authorization_code
// (https://docs.joinmastodon.org/methods/oauth/#token).
func (s *Server) token(c *apikittest.Call) (any, error) {
	if err := c.ParseForm(); err != nil {
		return nil, s.apiErr(http.StatusBadRequest, "invalid_request")
	}
	f := c.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Get("grant_type") != "authorization_code" {
		return nil, s.apiErr(http.StatusBadRequest, "unsupported_grant_type")
	}
	granted, ok := s.codes[f.Get("code")]
	if !ok || s.apps[f.Get("client_id")] != f.Get("client_secret") || granted[0] != f.Get("client_id") {
		return nil, s.apiErr(http.StatusBadRequest, "invalid_grant")
	}
	delete(s.codes, f.Get("code"))
	tok := s.issue(granted[1:])
	return map[string]any{"access_token": tok, "token_type": "Bearer", "scope": strings.Join(granted[1:], " "), "created_at": s.now().Unix()}, nil
}

// upload: POST /api/v2/media (multipart "file", "description";
// https://docs.joinmastodon.org/methods/media/#v2).
func (s *Server) upload(c *apikittest.Call) (any, error) {
	if _, err := s.auth(c, "write:media"); err != nil {
		return nil, err
	}
	r := c.Request
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		return nil, s.unprocessable("Validation failed: File can't be blank")
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, s.unprocessable("Validation failed: File can't be blank")
	}
	data, _ := io.ReadAll(file)
	_ = file.Close()
	mt := hdr.Header.Get("Content-Type")
	if !slices.Contains(s.cfg.MediaAttachments.SupportedMIMETypes, mt) {
		return nil, s.unprocessable("Validation failed: File content type is invalid, File is invalid")
	}
	limit := s.cfg.MediaAttachments.ImageSizeLimit
	if !strings.HasPrefix(mt, "image/") || mt == "image/gif" {
		limit = s.cfg.MediaAttachments.VideoSizeLimit
	}
	if int64(len(data)) > limit {
		return nil, s.unprocessable(fmt.Sprintf("Validation failed: File file size must be less than %d Bytes", limit))
	}
	desc := r.FormValue("description")
	if n := len([]rune(desc)); n > s.cfg.MediaAttachments.DescriptionLimit {
		return nil, s.unprocessable(fmt.Sprintf("Validation failed: Description is too long (maximum is %d characters)", s.cfg.MediaAttachments.DescriptionLimit))
	}
	async := (!strings.HasPrefix(mt, "image/") || mt == "image/gif") && !s.gts
	s.mu.Lock()
	m := &Media{ID: s.newID(), MIME: mt, Description: desc, Size: len(data), Processing: async}
	s.media[m.ID] = m
	s.mu.Unlock()
	if async {
		c.SetStatus(http.StatusAccepted)
	}
	return s.mediaJSON(m), nil
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
		url = s.kit.URL() + "/system/media_attachments/" + m.ID
	}
	return map[string]any{"id": m.ID, "type": kind, "url": url, "preview_url": s.kit.URL() + "/system/previews/" + m.ID, "description": m.Description}
}

// getMedia: GET /api/v1/media/:id — 206 while processing
// (https://docs.joinmastodon.org/methods/media/#get).
func (s *Server) getMedia(c *apikittest.Call) (any, error) {
	if _, err := s.auth(c, "write:media"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[c.Params["id"]]
	if !ok {
		return nil, s.notFound()
	}
	if m.Processing {
		c.SetStatus(http.StatusPartialContent)
	}
	return s.mediaJSON(m), nil
}

func first(p map[string][]string, k string) string {
	if v := p[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// createStatus: POST /api/v1/statuses, honouring Idempotency-Key for
// [IdempotencyTTL] (https://docs.joinmastodon.org/methods/statuses/#create).
func (s *Server) createStatus(c *apikittest.Call) (any, error) {
	tok, err := s.auth(c, "write:statuses")
	if err != nil {
		return nil, err
	}
	p, err := s.params(c.Request)
	if err != nil {
		return nil, err
	}
	key := c.Header.Get("Idempotency-Key")
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.kit.Now()
	if key != "" && !s.gts {
		if k, ok := s.keys[tok+"\x00"+key]; ok && now.Sub(k.at) < IdempotencyTTL {
			if st, ok := s.statuses[k.statusID]; ok {
				return s.statusJSON(st), nil
			}
		}
	}
	st := &Status{Text: first(p, "status"), Visibility: first(p, "visibility"), SpoilerText: first(p, "spoiler_text"),
		InReplyToID: first(p, "in_reply_to_id"), Language: first(p, "language"), MediaIDs: p["media_ids[]"], PollOptions: p["poll[options][]"]}
	if st.Visibility == "" {
		st.Visibility = "public"
	}
	if err := s.checkStatus(st, first(p, "poll[expires_in]")); err != nil {
		return nil, err
	}
	st.ID, st.CreatedAt = s.newID(), now.UTC()
	s.statuses[st.ID] = st
	s.order = append(s.order, st.ID)
	if key != "" {
		s.keys[tok+"\x00"+key] = idem{statusID: st.ID, at: now}
	}
	return s.statusJSON(st), nil
}

// checkStatus applies Mastodon's validations (callers hold s.mu).
func (s *Server) checkStatus(st *Status, expiresIn string) error {
	c := s.cfg
	switch st.Visibility {
	case "public", "unlisted", "private", "direct":
	default:
		return s.unprocessable("Validation failed: Visibility is not included in the list")
	}
	if strings.TrimSpace(st.Text) == "" && len(st.MediaIDs) == 0 {
		return s.unprocessable("Validation failed: Text can't be blank")
	}
	if s.gts {
		if n := len([]rune(st.SpoilerText + st.Text)); n > c.Statuses.MaxCharacters {
			return s.apiErr(http.StatusBadRequest, fmt.Sprintf("text with spoiler exceed max chars (%d)", c.Statuses.MaxCharacters))
		}
	} else if n, err := text.Count(text.Mastodon, st.SpoilerText+st.Text); err != nil || n > c.Statuses.MaxCharacters {
		return s.unprocessable(fmt.Sprintf("Validation failed: Text character limit of %d exceeded", c.Statuses.MaxCharacters))
	}
	if len(st.MediaIDs) > c.Statuses.MaxMediaAttachments {
		return s.unprocessable(fmt.Sprintf("Validation failed: Media attachments limit of %d exceeded", c.Statuses.MaxMediaAttachments))
	}
	for _, id := range st.MediaIDs {
		m, ok := s.media[id]
		if !ok {
			return s.unprocessable("Validation failed: Media attachments are invalid")
		}
		if m.Processing {
			return s.unprocessable("Cannot attach files that have not finished processing. Try again in a moment!")
		}
	}
	if len(st.PollOptions) > 0 {
		if len(st.MediaIDs) > 0 {
			return s.unprocessable("Validation failed: Cannot attach both media and a poll")
		}
		if len(st.PollOptions) < 2 || len(st.PollOptions) > c.Polls.MaxOptions {
			return s.unprocessable(fmt.Sprintf("Validation failed: Poll must have between 2 and %d options", c.Polls.MaxOptions))
		}
		for _, o := range st.PollOptions {
			if len([]rune(o)) > c.Polls.MaxCharactersPerOption {
				return s.unprocessable(fmt.Sprintf("Validation failed: Poll options are too long (maximum is %d characters)", c.Polls.MaxCharactersPerOption))
			}
		}
		exp, err := strconv.Atoi(expiresIn)
		if err != nil || exp < c.Polls.MinExpiration || exp > c.Polls.MaxExpiration {
			return s.unprocessable("Validation failed: Poll duration is out of range")
		}
	}
	if st.InReplyToID != "" {
		if _, ok := s.statuses[st.InReplyToID]; !ok {
			return s.notFound()
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
	var reply, replyAccount any
	if st.InReplyToID != "" {
		reply = st.InReplyToID
		replyAccount = AccountID
		if p, ok := s.statuses[st.InReplyToID]; ok && p.Author != "" {
			replyAccount = p.Author
		}
	}
	author := map[string]any{"id": AccountID, "username": "user", "acct": "user"}
	if st.Author != "" {
		author = map[string]any{"id": st.Author, "username": st.Author, "acct": st.Author + "@remote.example", "display_name": "Other " + st.Author}
	}
	u := s.kit.URL() + "/@user/" + st.ID
	if s.gts {
		u = s.kit.URL() + "/@user/statuses/" + st.ID
	}
	out := map[string]any{
		"id": st.ID, "created_at": st.CreatedAt.Format("2006-01-02T15:04:05.000Z"), "url": u,
		"account": author, "in_reply_to_account_id": replyAccount,
		"uri": s.kit.URL() + "/users/user/statuses/" + st.ID, "content": "<p>" + st.Text + "</p>", "visibility": st.Visibility,
		"spoiler_text": st.SpoilerText, "sensitive": st.SpoilerText != "", "in_reply_to_id": reply, "language": st.Language,
		"media_attachments": media, "poll": poll,
		"replies_count": st.Replies, "reblogs_count": st.Reblogs, "favourites_count": st.Favourites, "quotes_count": st.Quotes,
	}
	if s.gts {
		out["text"] = st.Text // GoToSocial includes the source text of its own statuses
		out["quotes_count"] = nil
	}
	if st.QuoteOf != "" {
		var quoted any
		if q, ok := s.statuses[st.QuoteOf]; ok {
			quoted = map[string]any{"id": q.ID}
		}
		out["quote"] = map[string]any{"state": "accepted", "quoted_status": quoted}
	}
	return out
}

// getStatus: GET /api/v1/statuses/:id, public unless a token is sent
// (https://docs.joinmastodon.org/methods/statuses/#get).
func (s *Server) getStatus(c *apikittest.Call) (any, error) {
	if apikittest.HasBearer(c) {
		if _, err := s.auth(c, "read:statuses"); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[c.Params["id"]]
	if !ok {
		return nil, s.notFound()
	}
	return s.statusJSON(st), nil
}

// deleteStatus: DELETE /api/v1/statuses/:id, answering the deleted status
// with its source text (https://docs.joinmastodon.org/methods/statuses/#delete).
func (s *Server) deleteStatus(c *apikittest.Call) (any, error) {
	if _, err := s.auth(c, "write:statuses"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := c.Params["id"]
	st, ok := s.statuses[id]
	if !ok {
		return nil, s.notFound()
	}
	delete(s.statuses, id)
	out := s.statusJSON(st)
	out["text"] = st.Text
	return out, nil
}

// verifyCredentials: GET /api/v1/accounts/verify_credentials (scope
// read:accounts, https://docs.joinmastodon.org/methods/accounts/#verify_credentials).
func (s *Server) verifyCredentials(c *apikittest.Call) (any, error) {
	if _, err := s.auth(c, "read:accounts"); err != nil {
		return nil, err
	}
	return map[string]any{"id": AccountID, "username": "user", "acct": "user"}, nil
}

// accountStatuses: GET /api/v1/accounts/:id/statuses, newest first, with
// limit (default 20, at most 40), max_id and exclude_reblogs
// (https://docs.joinmastodon.org/methods/accounts/#statuses).
func (s *Server) accountStatuses(c *apikittest.Call) (any, error) {
	if _, err := s.auth(c, "read:statuses"); err != nil {
		return nil, err
	}
	if c.Params["id"] != AccountID {
		return nil, s.notFound()
	}
	q := c.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, s.apiErr(http.StatusBadRequest, "limit is not a positive number")
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
		if st, ok := s.statuses[sid]; ok && st.Author == "" {
			out = append(out, s.statusJSON(st))
		}
	}
	return out, nil
}
