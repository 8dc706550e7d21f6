// Package blueskytest is an in-process fake of an AT Protocol PDS for tests
// of code that publishes to Bluesky. Its [Server] is an httptest server that
// checks each request as @atproto/pds does — method, path, bearer token and
// its kind (access or refresh), body fields and the app.bsky.feed.post
// lexicon limits — and answers with the documented bodies, XRPC errors and
// RateLimit-* headers. Behaviours were checked against @atproto/pds 0.4.217
// running on loopback:
//
//   - an expired access token is HTTP 400 ExpiredToken, a bad one 400
//     InvalidToken, a missing one 401 AuthMissing;
//   - text over 300 graphemes or 3000 UTF-8 bytes is 400 InvalidRequest;
//   - a post record key must be a TID (400 InvalidRequest otherwise), and
//     creating an existing key is HTTP 500 InternalServerError;
//   - an image blob over 1,000,000 bytes is accepted by uploadBlob and
//     refused by createRecord (400 InvalidRequest "blob too big");
//   - deleteRecord of a missing record is 200 {};
//   - getRecord of a missing record is 400 RecordNotFound;
//   - app.bsky.feed.getPosts without an app view is 400 InvalidRequest.
//
// Faults ([Fault]) script the next answers: an XRPC error with a status,
// a rate limit with RateLimit-Reset, or a response lost after the request
// took effect. The server is safe for concurrent use.
package blueskytest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// Lexicon and PDS limits the server enforces.
const (
	MaxGraphemes = 300       // app.bsky.feed.post text maxGraphemes
	MaxTextBytes = 3000      // app.bsky.feed.post text maxLength (UTF-8 bytes)
	MaxImages    = 4         // app.bsky.embed.images images maxLength
	MaxImageSize = 1_000_000 // app.bsky.embed.images#image image maxSize in @atproto/pds 0.4.217
	AccessTTL    = 2 * time.Hour
	RateLimit    = 5000 // write points per hour, RateLimit-Limit
)

// Fault scripts the answer to one request. The zero Fault answers normally.
type Fault struct {
	// Status and Error make the request fail with this HTTP status and
	// XRPC error name (and Message) before it takes effect.
	Status  int
	Error   string
	Message string
	// Reset, with Status 429, is sent as RateLimit-Reset (Unix seconds).
	Reset time.Time
	// Lost makes the request take effect and then drops the connection
	// without an answer (a lost response).
	Lost bool
	// Expire makes the request's access token count as expired
	// (400 ExpiredToken), as after two hours.
	Expire bool
}

// Record is a record the server holds.
type Record struct {
	URI, CID string
	Value    map[string]any
	// IndexedAt is when the server stored it (the indexedAt of its
	// notifications).
	IndexedAt time.Time
}

// Account is an account on the server.
type Account struct {
	DID, Handle, Password string
}

// Server is a fake PDS on the shared fake-server skeleton
// (networks/apikit/apikittest), which does the routing, the bearer-token
// checks, the scripted faults, the RateLimit-* headers and the request log.
// Create it with [NewServer]; Close it when done.
type Server struct {
	kit     *apikittest.Server
	now     func() time.Time
	appView bool

	mu       sync.Mutex
	accounts map[string]*Account // by DID
	records  map[string]Record   // by URI
	order    []string            // URIs in creation order
	blobs    map[string]int      // CID -> size
	seq      int
	metrics  map[string][4]int64 // URI -> likes, reposts, replies, quotes
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the server's clock (token expiry, RateLimit-Reset).
// Default: time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithAppView makes the server answer app.bsky.feed.getPosts as an app view
// would, with the counters set by [Server.SetMetrics] (zero otherwise), and
// app.bsky.notification.listNotifications from the records it holds.
// Default: no app view (400 InvalidRequest, as a bare PDS).
func WithAppView() Option { return func(s *Server) { s.appView = true } }

// NewServer starts a fake PDS on a loopback port.
func NewServer(opts ...Option) *Server {
	s := &Server{now: time.Now, accounts: map[string]*Account{}, records: map[string]Record{},
		blobs: map[string]int{}, metrics: map[string][4]int64{}}
	for _, o := range opts {
		o(s)
	}
	s.kit = apikittest.New(apikittest.Options{
		Now: s.now,
		NotFound: func(r *http.Request) *xrpcErr {
			if strings.HasPrefix(r.URL.Path, "/xrpc/") {
				return &xrpcErr{Status: http.StatusNotImplemented, Code: "MethodNotImplemented", Message: "Method Not Implemented"}
			}
			return &xrpcErr{Status: http.StatusNotFound, Code: "NotFound", Message: "Not Found"}
		},
		WrongMethod: func(r *http.Request, allowed []string) *xrpcErr {
			return bad("InvalidRequest", "Incorrect HTTP method ("+r.Method+") expected "+strings.Join(allowed, ", "))
		},
		// The RateLimit-* headers of @atproto/xrpc-server.
		RateLimit: &apikittest.RateLimit{Limit: "RateLimit-Limit", Remaining: "RateLimit-Remaining", Reset: "RateLimit-Reset",
			Policy: "RateLimit-Policy", Max: RateLimit, Window: time.Hour},
	})
	for _, rt := range []struct {
		method, nsid string
		fn           func(*apikittest.Call) (any, *xrpcErr)
	}{
		{http.MethodPost, "com.atproto.server.createSession", s.createSession},
		{http.MethodPost, "com.atproto.server.refreshSession", s.refreshSession},
		{http.MethodPost, "com.atproto.repo.createRecord", s.createRecord},
		{http.MethodPost, "com.atproto.repo.deleteRecord", s.deleteRecord},
		{http.MethodPost, "com.atproto.repo.uploadBlob", s.uploadBlob},
		{http.MethodGet, "com.atproto.repo.getRecord", s.getRecord},
		{http.MethodGet, "com.atproto.repo.listRecords", s.listRecords},
		{http.MethodGet, "com.atproto.identity.resolveHandle", s.resolveHandle},
		{http.MethodGet, "app.bsky.feed.getPosts", s.getPosts},
		{http.MethodGet, "app.bsky.notification.listNotifications", s.listNotifications},
	} {
		fn := rt.fn
		s.kit.Handle(rt.method, "/xrpc/"+rt.nsid, func(c *apikittest.Call) (any, error) {
			out, xe := fn(c)
			if xe != nil {
				return nil, xe
			}
			return out, nil
		})
	}
	return s
}

// URL returns the PDS base URL.
func (s *Server) URL() string { return s.kit.URL() }

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.kit.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.kit.Close() }

// CreateAccount adds an account with handle and password and returns it.
func (s *Server) CreateAccount(handle, password string) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := sha256.Sum256([]byte(handle))
	did := "did:plc:" + strings.ToLower(base32.StdEncoding.EncodeToString(sum[:15]))
	a := &Account{DID: did, Handle: handle, Password: password}
	s.accounts[did] = a
	return *a
}

// Script queues faults for the next requests, in order.
func (s *Server) Script(f ...Fault) {
	for _, x := range f {
		s.kit.Script(apikittest.Fault{Status: x.Status, Code: x.Error, Message: x.Message, Reset: x.Reset, Lost: x.Lost, ExpireToken: x.Expire})
	}
}

// SetMetrics sets the counters getPosts reports for uri (with WithAppView).
func (s *Server) SetMetrics(uri string, likes, reposts, replies, quotes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics[uri] = [4]int64{likes, reposts, replies, quotes}
}

// ExpireSessions makes every access token issued so far expired.
func (s *Server) ExpireSessions() { s.kit.ExpireTokens(kindAccess) }

// Records returns the records held, in creation order.
func (s *Server) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, 0, len(s.order))
	for _, u := range s.order {
		if r, ok := s.records[u]; ok {
			out = append(out, r)
		}
	}
	return out
}

// Requests returns "METHOD nsid" for every request served, in order.
func (s *Server) Requests() []string {
	var out []string
	for _, r := range s.kit.Requests() {
		out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, "/xrpc/"))
	}
	return out
}

// xrpcErr is an XRPC error answer, written as {"error", "message"}.
type xrpcErr = apikittest.Error

func bad(name, msg string) *xrpcErr {
	return &xrpcErr{Status: http.StatusBadRequest, Code: name, Message: msg}
}

// The kinds of the tokens the server issues.
const (
	kindAccess  = "access"
	kindRefresh = "refresh"
)

// auth returns the DID of the request's access token, answering as the
// PDS's auth verifier does.
func (s *Server) auth(c *apikittest.Call) (string, *xrpcErr) {
	t, _, p := s.kit.Bearer(c, kindAccess)
	if xe := authError(p); xe != nil {
		return "", xe
	}
	return t.Subject, nil
}

// authError is the PDS's answer to a refused token.
func authError(p apikittest.AuthProblem) *xrpcErr {
	switch p {
	case apikittest.AuthMissing:
		return &xrpcErr{Status: http.StatusUnauthorized, Code: "AuthMissing", Message: "Authentication Required"}
	case apikittest.AuthWrongKind:
		return bad("InvalidToken", "Invalid token type")
	case apikittest.AuthInvalid:
		return bad("InvalidToken", "Token could not be verified")
	case apikittest.AuthExpired:
		return bad("ExpiredToken", "Token has expired")
	}
	return nil
}

// decode reads a JSON body.
func decode(r *http.Request, v any) *xrpcErr {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return bad("InvalidRequest", "Wrong request encoding (Content-Type): "+ct)
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v); err != nil {
		return bad("InvalidRequest", "Request body is not valid JSON")
	}
	return nil
}

// issue creates a session for did (callers hold s.mu).
func (s *Server) issue(did string) map[string]any {
	s.seq++
	now := s.now()
	jwt := func(typ, scope string, exp time.Time) string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"` + typ + `","alg":"HS256"}`))
		p, _ := json.Marshal(map[string]any{"scope": scope, "aud": "did:web:localhost", "sub": did, "iat": now.Unix(), "exp": exp.Unix(), "jti": s.seq})
		sig := sha256.Sum256(fmt.Appendf(nil, "%s.%d", did, s.seq))
		return h + "." + base64.RawURLEncoding.EncodeToString(p) + "." + base64.RawURLEncoding.EncodeToString(sig[:])
	}
	acc := jwt("at+jwt", "com.atproto.access", now.Add(AccessTTL))
	ref := jwt("refresh+jwt", "com.atproto.refresh", now.Add(90*24*time.Hour))
	s.kit.IssueToken(acc, apikittest.Token{Subject: did, Kind: kindAccess, Expiry: now.Add(AccessTTL)})
	s.kit.IssueToken(ref, apikittest.Token{Subject: did, Kind: kindRefresh, Expiry: now.Add(90 * 24 * time.Hour)})
	a := s.accounts[did]
	return map[string]any{"accessJwt": acc, "refreshJwt": ref, "did": did, "handle": a.Handle, "active": true}
}

// createSession: https://docs.bsky.app/docs/api/com-atproto-server-create-session
func (s *Server) createSession(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	var in struct{ Identifier, Password string }
	if xe := decode(r, &in); xe != nil {
		return nil, xe
	}
	if in.Identifier == "" || in.Password == "" {
		return nil, bad("InvalidRequest", "Input must have the property \"identifier\" and \"password\"")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for did, a := range s.accounts {
		if (a.Handle == in.Identifier || did == in.Identifier) && a.Password == in.Password {
			return s.issue(did), nil
		}
	}
	return nil, &xrpcErr{Status: http.StatusUnauthorized, Code: "AuthenticationRequired", Message: "Invalid identifier or password"}
}

// refreshSession: https://docs.bsky.app/docs/api/com-atproto-server-refresh-session
func (s *Server) refreshSession(c *apikittest.Call) (any, *xrpcErr) {
	t, tok, p := s.kit.Bearer(c, kindRefresh)
	if xe := authError(p); xe != nil {
		return nil, xe
	}
	s.kit.RevokeToken(tok) // rotated
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(t.Subject), nil
}

var tidRE = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

// createRecord: https://docs.bsky.app/docs/api/com-atproto-repo-create-record
func (s *Server) createRecord(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	did, xe := s.auth(c)
	if xe != nil {
		return nil, xe
	}
	var in struct {
		Repo, Collection, Rkey string
		Record                 map[string]any
	}
	if xe := decode(r, &in); xe != nil {
		return nil, xe
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Repo != did && in.Repo != s.accounts[did].Handle {
		return nil, &xrpcErr{Status: http.StatusForbidden, Code: "InvalidRequest", Message: "Invalid repo: " + in.Repo}
	}
	if in.Collection != "app.bsky.feed.post" {
		return nil, bad("InvalidRequest", "Invalid collection: "+in.Collection)
	}
	if in.Record == nil {
		return nil, bad("InvalidRequest", "Input must have the property \"record\"")
	}
	if in.Rkey == "" {
		s.seq++
		in.Rkey = fmt.Sprintf("3k%011d", s.seq)
		in.Rkey = strings.NewReplacer("0", "2", "1", "3", "8", "a", "9", "b").Replace(in.Rkey)
	} else if !tidRE.MatchString(in.Rkey) {
		return nil, bad("InvalidRequest", fmt.Sprintf("Invalid record key for app.bsky.feed.post: Invalid TID string (got %q) at $", in.Rkey))
	}
	if xe := s.checkPost(in.Record); xe != nil {
		return nil, xe
	}
	uri := "at://" + did + "/app.bsky.feed.post/" + in.Rkey
	if _, exists := s.records[uri]; exists {
		return nil, &xrpcErr{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: "Internal Server Error"}
	}
	raw, _ := json.Marshal(in.Record)
	sum := sha256.Sum256(raw)
	cid := "bafyrei" + strings.ToLower(strings.TrimRight(base32.StdEncoding.EncodeToString(sum[:]), "="))
	s.records[uri] = Record{URI: uri, CID: cid, Value: in.Record, IndexedAt: s.kit.Now().UTC()}
	s.order = append(s.order, uri)
	return map[string]any{"uri": uri, "cid": cid, "validationStatus": "valid",
		"commit": map[string]string{"cid": cid, "rev": in.Rkey}}, nil
}

var atURIRE = regexp.MustCompile(`^at://did:[a-z]+:[a-zA-Z0-9._:%-]+/[a-zA-Z0-9.]+/[a-zA-Z0-9._~:-]+$`)

// checkPost validates an app.bsky.feed.post record as the lexicon does
// (callers hold s.mu).
func (s *Server) checkPost(rec map[string]any) *xrpcErr {
	invalid := func(msg, path string) *xrpcErr {
		return bad("InvalidRequest", "Invalid app.bsky.feed.post record: "+msg+" at $.record"+path)
	}
	if rec["$type"] != "app.bsky.feed.post" {
		return invalid("Record/$type must be app.bsky.feed.post", ".$type")
	}
	text, ok := rec["text"].(string)
	if !ok {
		return invalid("Record must have the property \"text\"", "")
	}
	if n := len(text); n > MaxTextBytes {
		return invalid(fmt.Sprintf("string too big (maximum %d, got %d)", MaxTextBytes, n), ".text")
	}
	if n := uniseg.GraphemeClusterCount(text); n > MaxGraphemes {
		return invalid(fmt.Sprintf("grapheme too big (maximum %d, got %d)", MaxGraphemes, n), ".text")
	}
	if ca, ok := rec["createdAt"].(string); !ok {
		return invalid("Record must have the property \"createdAt\"", "")
	} else if _, err := time.Parse(time.RFC3339Nano, ca); err != nil {
		return invalid("createdAt must be an valid atproto datetime", ".createdAt")
	}
	if fs, ok := rec["facets"].([]any); ok {
		for i, fv := range fs {
			fm, _ := fv.(map[string]any)
			idx, _ := fm["index"].(map[string]any)
			bs, ok1 := idx["byteStart"].(float64)
			be, ok2 := idx["byteEnd"].(float64)
			feats, ok3 := fm["features"].([]any)
			if !ok1 || !ok2 || !ok3 || bs < 0 || be < 0 {
				return invalid("facet must have index and features", fmt.Sprintf(".facets[%d]", i))
			}
			for _, ft := range feats {
				fm, _ := ft.(map[string]any)
				switch fm["$type"] {
				case "app.bsky.richtext.facet#link":
					if u, _ := fm["uri"].(string); u == "" {
						return invalid("link must have uri", fmt.Sprintf(".facets[%d]", i))
					}
				case "app.bsky.richtext.facet#mention":
					if d, _ := fm["did"].(string); !strings.HasPrefix(d, "did:") {
						return invalid("mention must have a did", fmt.Sprintf(".facets[%d]", i))
					}
				case "app.bsky.richtext.facet#tag":
					if t, _ := fm["tag"].(string); t == "" || len(t) > 640 || uniseg.GraphemeClusterCount(t) > 64 {
						return invalid("tag must be 1-64 graphemes", fmt.Sprintf(".facets[%d]", i))
					}
				}
			}
		}
	}
	if rp, ok := rec["reply"].(map[string]any); ok {
		for _, k := range []string{"root", "parent"} {
			ref, _ := rp[k].(map[string]any)
			u, _ := ref["uri"].(string)
			c, _ := ref["cid"].(string)
			if !atURIRE.MatchString(u) {
				return invalid(fmt.Sprintf("Invalid at-uri (got %q)", u), ".reply."+k+".uri")
			}
			if c == "" {
				return invalid("Record must have the property \"cid\"", ".reply."+k)
			}
		}
	}
	if em, ok := rec["embed"].(map[string]any); ok {
		if em["$type"] != "app.bsky.embed.images" {
			return invalid("embed type not supported by this fake", ".embed")
		}
		imgs, _ := em["images"].([]any)
		if len(imgs) == 0 || len(imgs) > MaxImages {
			return invalid(fmt.Sprintf("Array too long (maximum %d)", MaxImages), ".embed.images")
		}
		for i, iv := range imgs {
			im, _ := iv.(map[string]any)
			path := fmt.Sprintf(".embed.images[%d]", i)
			if _, ok := im["alt"].(string); !ok {
				return invalid("Record must have the property \"alt\"", path)
			}
			blob, _ := im["image"].(map[string]any)
			ref, _ := blob["ref"].(map[string]any)
			cid, _ := ref["$link"].(string)
			size, known := s.blobs[cid]
			if blob["$type"] != "blob" || !known {
				return invalid("Could not find blob: "+cid, path+".image")
			}
			if size > MaxImageSize {
				return invalid(fmt.Sprintf("blob too big (maximum %d, got %d)", MaxImageSize, size), path+".image")
			}
			if ar, ok := im["aspectRatio"].(map[string]any); ok {
				w, _ := ar["width"].(float64)
				h, _ := ar["height"].(float64)
				if w < 1 || h < 1 {
					return invalid("aspectRatio must be positive", path+".aspectRatio")
				}
			}
		}
	}
	if !utf8.ValidString(text) {
		return invalid("text is not valid UTF-8", ".text")
	}
	return nil
}

// deleteRecord: https://docs.bsky.app/docs/api/com-atproto-repo-delete-record
// (a missing record is not an error).
func (s *Server) deleteRecord(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	did, xe := s.auth(c)
	if xe != nil {
		return nil, xe
	}
	var in struct{ Repo, Collection, Rkey, SwapRecord string }
	if xe := decode(r, &in); xe != nil {
		return nil, xe
	}
	if in.Repo != did || in.Collection == "" || in.Rkey == "" {
		return nil, bad("InvalidRequest", "Input must have the properties \"repo\", \"collection\" and \"rkey\" of the session's repo")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	uri := "at://" + did + "/" + in.Collection + "/" + in.Rkey
	rec, ok := s.records[uri]
	if ok && in.SwapRecord != "" && in.SwapRecord != rec.CID {
		return nil, bad("InvalidSwap", "Record was at "+rec.CID)
	}
	delete(s.records, uri)
	return map[string]any{}, nil
}

// uploadBlob: https://docs.bsky.app/docs/api/com-atproto-repo-upload-blob
func (s *Server) uploadBlob(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	if _, xe := s.auth(c); xe != nil {
		return nil, xe
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 50<<20+1))
	if err != nil {
		return nil, bad("InvalidRequest", "could not read body")
	}
	if len(data) > 50<<20 {
		return nil, &xrpcErr{Status: http.StatusRequestEntityTooLarge, Code: "PayloadTooLarge", Message: "request entity too large"}
	}
	mime := r.Header.Get("Content-Type")
	if mime == "" || mime == "*/*" {
		mime = "application/octet-stream"
	}
	sum := sha256.Sum256(data)
	cid := "bafkrei" + strings.ToLower(strings.TrimRight(base32.StdEncoding.EncodeToString(sum[:]), "="))
	s.mu.Lock()
	s.blobs[cid] = len(data)
	s.mu.Unlock()
	return map[string]any{"blob": map[string]any{"$type": "blob", "ref": map[string]string{"$link": cid}, "mimeType": mime, "size": len(data)}}, nil
}

// getRecord: https://docs.bsky.app/docs/api/com-atproto-repo-get-record
// (public: no token needed; a token sent is checked, as the PDS's optional
// auth does).
func (s *Server) getRecord(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	if r.Header.Get("Authorization") != "" {
		if _, xe := s.auth(c); xe != nil {
			return nil, xe
		}
	}
	q := r.URL.Query()
	repo, coll, rkey := q.Get("repo"), q.Get("collection"), q.Get("rkey")
	if repo == "" || coll == "" || rkey == "" {
		return nil, bad("InvalidRequest", "Error: Params must have the properties \"repo\", \"collection\" and \"rkey\"")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	repo = s.didOf(repo)
	uri := "at://" + repo + "/" + coll + "/" + rkey
	rec, ok := s.records[uri]
	if !ok {
		return nil, bad("RecordNotFound", "Could not locate record: "+uri)
	}
	return map[string]any{"uri": rec.URI, "cid": rec.CID, "value": rec.Value}, nil
}

// didOf maps a handle to its DID (callers hold s.mu).
func (s *Server) didOf(repo string) string {
	for did, a := range s.accounts {
		if a.Handle == repo {
			return did
		}
	}
	return repo
}

// listRecords: https://docs.bsky.app/docs/api/com-atproto-repo-list-records
func (s *Server) listRecords(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := "at://" + s.didOf(q.Get("repo")) + "/" + q.Get("collection") + "/"
	recs := []map[string]any{}
	for i := len(s.order) - 1; i >= 0; i-- {
		if rec, ok := s.records[s.order[i]]; ok && strings.HasPrefix(rec.URI, prefix) {
			recs = append(recs, map[string]any{"uri": rec.URI, "cid": rec.CID, "value": rec.Value})
		}
	}
	return map[string]any{"records": recs}, nil
}

// resolveHandle: https://docs.bsky.app/docs/api/com-atproto-identity-resolve-handle
func (s *Server) resolveHandle(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	h := r.URL.Query().Get("handle")
	s.mu.Lock()
	defer s.mu.Unlock()
	for did, a := range s.accounts {
		if strings.EqualFold(a.Handle, h) {
			return map[string]string{"did": did}, nil
		}
	}
	return nil, bad("InvalidRequest", "Unable to resolve handle")
}

// getPosts: https://docs.bsky.app/docs/api/app-bsky-feed-get-posts
func (s *Server) getPosts(c *apikittest.Call) (any, *xrpcErr) {
	r := c.Request
	if !s.appView {
		return nil, bad("InvalidRequest", "No service configured for app.bsky.feed.getPosts")
	}
	if r.Header.Get("Authorization") != "" {
		if _, xe := s.auth(c); xe != nil {
			return nil, xe
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	posts := []map[string]any{}
	for _, u := range r.URL.Query()["uris"] {
		rec, ok := s.records[u]
		if !ok {
			continue // the app view omits posts it does not know
		}
		m := s.metrics[u]
		posts = append(posts, map[string]any{"uri": u, "cid": rec.CID, "record": rec.Value,
			"likeCount": m[0], "repostCount": m[1], "replyCount": m[2], "quoteCount": m[3], "indexedAt": s.now().UTC().Format(time.RFC3339)})
	}
	return map[string]any{"posts": posts}, nil
}
