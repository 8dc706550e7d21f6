// Package pinteresttest is a fake of the Pinterest API v5 for the pinterest
// adapter's tests, on the adapter kit's fake skeleton: pins (create, get,
// delete, analytics), boards and sections, the video media flow (register,
// the presigned multipart upload, processing that takes a number of status
// reads), the OAuth token endpoint with rotating refresh tokens, the
// documented error object {"code", "message"}, x-ratelimit-* headers,
// bearer-token checks and scripted faults. It keeps no video bytes, only
// their count and CRC-32, so a 200 MB upload costs no memory.
//
// Its answers follow the OpenAPI description (testdata/openapi.json, with
// its licence); the adapter's tests validate every request and answer
// against it through [Config].Middleware.
package pinteresttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// Token kinds the server issues.
const (
	kindAccess  = "access"
	kindRefresh = "refresh"
)

// The app credentials the token endpoint accepts.
const (
	ClientID     = "fake-client-id"
	ClientSecret = "fake-client-secret"
)

// Pin is what the server holds of a pin.
type Pin struct {
	ID, BoardID, SectionID        string
	Title, Description, Link, Alt string
	SourceType                    string // the media_source.source_type it was made from
	Images                        int    // images of an image pin or carousel
	Media                         string // the video's media id
	Cover                         string // "url", "data" or "key_frame" for a video pin
	CreatedAt                     time.Time
	Summary                       map[string]float64 // analytics over the period
	Lifetime                      map[string]float64
}

// Media is what the server holds of a registered video.
type Media struct {
	ID      string
	Status  string // registered, processing, succeeded, failed
	Size    int64  // bytes received by the last complete upload
	CRC32   uint32 // Castagnoli CRC of those bytes
	Uploads int    // complete uploads
	polls   int
	key     string
	policy  string
}

type board struct {
	ID, Name, Description, Privacy string
	sections                       []sectionJSON
}

type sectionJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Config configures a [Server].
type Config struct {
	// Token is the access token accepted for the account; empty: none
	// until IssueTokens.
	Token string
	// Middleware, when set, wraps the server's handler (a validator of
	// requests and answers).
	Middleware func(http.Handler) http.Handler
	// Start is the virtual clock's start; zero: 2026-03-01 12:00 UTC.
	Start time.Time
	// RateLimit is the requests per minute the x-ratelimit-* headers
	// announce; zero: 1000, not enforced.
	RateLimit int
	// Now, when set, is the server's clock instead of its virtual one
	// (time.Now inside a testing/synctest bubble); Advance then does
	// nothing.
	Now func() time.Time
}

// Server is the fake. Create it with [New] or [NewServer]; it is safe for
// concurrent use.
type Server struct {
	kit     *apikittest.Server
	srv     *httptest.Server
	handler http.Handler
	clock   *apikittest.Clock
	now     func() time.Time

	mu           sync.Mutex
	seq          int64
	boards       map[string]*board
	boardIDs     []string
	pins         map[string]*Pin
	order        []string
	media        map[string]*Media
	polls        int
	failMedia    bool
	received     int64
	codes        map[string]string // authorization codes not yet exchanged → redirect URI
	issued       int               // tokens issued by the token endpoint
	refreshes    int
	uploads      int
	uploadFaults []uploadFault
	rate         float64
	rnd          *rand.Rand
	faults       map[string]int
}

// secret signs the fake upload policies.
var secret = []byte("fake-upload-signing-key")

// NewServer starts a fake accepting token as the account's access token.
func NewServer(token string) *Server { return New(Config{Token: token}) }

// New starts a fake configured by c.
func New(c Config) *Server {
	start := c.Start
	if start.IsZero() {
		start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	}
	limit := c.RateLimit
	if limit == 0 {
		limit = 1000
	}
	s := &Server{clock: apikittest.NewClock(start), now: c.Now, boards: map[string]*board{}, pins: map[string]*Pin{}, media: map[string]*Media{}, codes: map[string]string{}, seq: 549755885175}
	opts := apikittest.Options{Clock: s.clock}
	if c.Now != nil {
		opts = apikittest.Options{Now: c.Now}
	}
	s.kit = apikittest.New(apikittest.Options{
		Clock: opts.Clock, Now: opts.Now,
		ErrorBody: func(e *apikittest.Error) any {
			code, err := strconv.Atoi(e.Code)
			if err != nil {
				code = e.Status
			}
			return map[string]any{"code": code, "message": e.Message}
		},
		NotFound: func(r *http.Request) *apikittest.Error {
			return &apikittest.Error{Status: 404, Code: "404", Message: "Not Found"}
		},
		WrongMethod: func(r *http.Request, allowed []string) *apikittest.Error {
			return &apikittest.Error{Status: 405, Code: "5", Message: "Method not allowed"}
		},
		RateLimit: &apikittest.RateLimit{Limit: "x-ratelimit-limit", Remaining: "x-ratelimit-remaining", Reset: "x-ratelimit-reset",
			Max: limit, Window: time.Minute, Code: "8"},
	})
	if c.Token != "" {
		s.kit.IssueToken(c.Token, apikittest.Token{Subject: "fakeuser", Kind: kindAccess})
	}
	api := s.faulty(s.kit.Handler())
	if c.Middleware != nil {
		api = c.Middleware(api)
	}
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == UploadPath {
			s.upload(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
	s.srv = httptest.NewServer(s.handler)
	s.addBoard("socialflow", "", "PUBLIC")

	// https://developers.pinterest.com/docs/api/v5/ (paths of the OpenAPI description)
	s.kit.Handle(http.MethodPost, "/v5/oauth/token", s.token)
	s.kit.Handle(http.MethodGet, "/v5/boards", s.listBoards)
	s.kit.Handle(http.MethodPost, "/v5/boards", s.createBoard)
	s.kit.Handle(http.MethodGet, "/v5/boards/{board_id}/sections", s.listSections)
	s.kit.Handle(http.MethodPost, "/v5/boards/{board_id}/sections", s.createSection)
	s.kit.Handle(http.MethodGet, "/v5/boards/{board_id}/pins", s.boardPins)
	s.kit.Handle(http.MethodPost, "/v5/pins", s.createPin)
	s.kit.Handle(http.MethodGet, "/v5/pins/{pin_id}", s.getPin)
	s.kit.Handle(http.MethodDelete, "/v5/pins/{pin_id}", s.deletePin)
	s.kit.Handle(http.MethodGet, "/v5/pins/{pin_id}/analytics", s.analytics)
	s.kit.Handle(http.MethodPost, "/v5/media", s.registerMedia)
	s.kit.Handle(http.MethodGet, "/v5/media/{media_id}", s.getMedia)
	return s
}

// UploadPath is where the fake's upload_url points, on the fake's host.
const UploadPath = "/fake-media-upload/"

// URL is the server's root URL; the API is under URL()+"/v5".
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the base URL the adapter takes (WithBaseURL).
func (s *Server) APIURL() string { return s.srv.URL + "/v5" }

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Transport is an in-memory transport to the server (the API and the
// upload URL alike), for tests under testing/synctest; a lost answer is
// apikittest.ErrLost.
func (s *Server) Transport() http.RoundTripper { return apikittest.MemTransport(s.handler) }

// Close stops the server.
func (s *Server) Close() { s.srv.Close(); s.kit.Close() }

// Now reads the server's clock: the virtual one, or Config.Now.
func (s *Server) Now() time.Time {
	if s.now != nil {
		return s.now()
	}
	return s.clock.Now()
}

// Advance moves the virtual clock by d (nothing with Config.Now).
func (s *Server) Advance(d time.Duration) {
	if s.now == nil {
		s.clock.Advance(d)
	}
}

// Script queues faults for the next requests.
func (s *Server) Script(f ...apikittest.Fault) { s.kit.Script(f...) }

// Requests is the request log.
func (s *Server) Requests() []apikittest.Logged { return s.kit.Requests() }

// ExpireTokens makes every access token issued so far expired.
func (s *Server) ExpireTokens() { s.kit.ExpireTokens(kindAccess) }

// IssueTokens registers an access token (expiring at expiry; zero: never)
// and a refresh token for the account.
func (s *Server) IssueTokens(access, refresh string, expiry time.Time) {
	s.kit.IssueToken(access, apikittest.Token{Subject: "fakeuser", Kind: kindAccess, Expiry: expiry})
	if refresh != "" {
		s.kit.IssueToken(refresh, apikittest.Token{Subject: "fakeuser", Kind: kindRefresh})
	}
}

// AddCode registers an authorization code, as the consent page would
// give it, for redirectURI; it is exchanged once.
func (s *Server) AddCode(code, redirectURI string) {
	s.mu.Lock()
	s.codes[code] = redirectURI
	s.mu.Unlock()
}

// Refreshes is how many refresh grants the token endpoint served.
func (s *Server) Refreshes() int { s.mu.Lock(); defer s.mu.Unlock(); return s.refreshes }

// SetProcessingPolls makes an uploaded video report "processing" for the
// next n status reads, then "succeeded" (default 0: succeeded at once).
func (s *Server) SetProcessingPolls(n int) { s.mu.Lock(); s.polls = n; s.mu.Unlock() }

// FailProcessing makes uploaded videos end "failed".
func (s *Server) FailProcessing(fail bool) { s.mu.Lock(); s.failMedia = fail; s.mu.Unlock() }

// Board is the id of the account's first board.
func (s *Server) Board() string { s.mu.Lock(); defer s.mu.Unlock(); return s.boardIDs[0] }

// AddBoard adds a board and returns its id.
func (s *Server) AddBoard(name string) string { return s.addBoard(name, "", "PUBLIC") }

// AddSection adds a section to a board and returns its id ("" when the
// board does not exist).
func (s *Server) AddSection(boardID, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boards[boardID]
	if b == nil {
		return ""
	}
	id := s.nextID()
	b.sections = append(b.sections, sectionJSON{ID: id, Name: name})
	return id
}

// SetAnalytics sets a pin's analytics: summary metrics over the period and
// lifetime metrics; a metric left out is absent from the answer.
func (s *Server) SetAnalytics(id string, summary, lifetime map[string]float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.pins[id]; p != nil {
		p.Summary, p.Lifetime = summary, lifetime
	}
}

// Pins returns the live pins in creation order.
func (s *Server) Pins() []Pin {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Pin, 0, len(s.order))
	for _, id := range s.order {
		if p := s.pins[id]; p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// MediaOf returns a registered media.
func (s *Server) MediaOf(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[id]
	if m == nil {
		return Media{}, false
	}
	return *m, true
}

// Received is the number of file bytes the upload endpoint read, over all
// uploads (complete or cut).
func (s *Server) Received() int64 { s.mu.Lock(); defer s.mu.Unlock(); return s.received }

func (s *Server) nextID() string {
	s.seq += 7919
	return strconv.FormatInt(s.seq, 10)
}

func (s *Server) addBoard(name, description, privacy string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID()
	s.boards[id] = &board{ID: id, Name: name, Description: description, Privacy: privacy}
	s.boardIDs = append(s.boardIDs, id)
	return id
}

func sign(policy string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(policy))
	return hex.EncodeToString(m.Sum(nil))
}

func fail(status, code int, msg string) *apikittest.Error {
	return &apikittest.Error{Status: status, Code: strconv.Itoa(code), Message: msg}
}

// auth checks the bearer token: 401 code 2 "Authentication failed." as the
// description's examples answer.
func (s *Server) auth(c *apikittest.Call) *apikittest.Error {
	if _, _, p := s.kit.Bearer(c, kindAccess); p != apikittest.AuthOK {
		return fail(http.StatusUnauthorized, 2, "Authentication failed.")
	}
	return nil
}
