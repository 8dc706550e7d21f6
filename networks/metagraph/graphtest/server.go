// Package graphtest is a fake Graph API server for the Meta adapters' tests,
// on the adapter kit's fake skeleton (apikittest): Instagram containers that
// take time to finish, expire after 24 hours or fail; media_publish with the
// content publishing limit; the account's media list; media insights; the
// Graph error object with its codes; X-Business-Use-Case-Usage rising
// toward the limit; token expiry; and scripted or random faults, including
// responses lost after the write.
package graphtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// Options configure a [Server]; zero fields take the documented defaults.
type Options struct {
	// Now is the clock; nil means time.Now (synctest's fake clock in a
	// bubble).
	Now func() time.Time
	// PublishLimit is the content_publishing_limit quota_total (50, per
	// https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish).
	PublishLimit int
	// VideoDelay is how long a video container stays IN_PROGRESS (30s),
	// and an image whose URL contains "slow"; ImageDelay the same for other
	// images (0: FINISHED at once).
	VideoDelay, ImageDelay time.Duration
	// CallBudget is the calls per account per hour reported at 100 % in
	// X-Business-Use-Case-Usage (4800).
	CallBudget int
}

// Fault is one scripted answer: the Graph error Code (and Subcode) with
// HTTP Status before the call takes effect, or Lost after it. Path, when
// set, picks the first call whose path ends with it; RegainAccess is sent
// as estimated_time_to_regain_access.
type Fault struct {
	Path          string
	Status        int
	Code, Subcode int
	Type, Message string
	RegainAccess  time.Duration
	Lost          bool
	ExpireToken   bool
}

type container struct {
	id, owner, caption, mediaType, url string
	children                           []string
	created, ready                     time.Time
	fail                               bool
	mediaID                            string
}

// Media is a published media object of the fake.
type Media struct {
	ID, Owner, Caption, MediaType, Permalink string
	ContainerID                              string
	Timestamp                                time.Time
}

// Server is the fake. Create it with [NewServer]; Close it when done.
type Server struct {
	kit  *apikittest.Server
	opts Options

	mu         sync.Mutex
	next       int
	containers map[string]*container
	media      map[string]*Media
	deleted    map[string]bool
	calls      map[string][]time.Time
	faults     []Fault
	rate       float64
	rnd        *rand.Rand
	refused    int
	peak       map[string]int
	fb         *pageState // Facebook Pages: pages.go
}

// NewServer starts a fake Graph API server.
func NewServer(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PublishLimit == 0 {
		o.PublishLimit = 50
	}
	if o.VideoDelay == 0 {
		o.VideoDelay = 30 * time.Second
	}
	if o.CallBudget == 0 {
		o.CallBudget = 4800
	}
	s := &Server{opts: o, containers: map[string]*container{}, media: map[string]*Media{}, deleted: map[string]bool{},
		calls: map[string][]time.Time{}, peak: map[string]int{}, fb: newPageState()}
	s.kit = apikittest.New(apikittest.Options{Now: o.Now, ErrorBody: errorBody,
		NotFound: func(r *http.Request) *apikittest.Error {
			return graphErr(400, 100, 0, "Unknown path components: "+r.URL.Path)
		}})
	v := "/" + metagraph.DefaultVersion
	s.handlePages(v, s.wrap(s.getObject), s.wrap(s.deleteMedia), s.wrap(s.insights))
	// https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
	s.kit.Handle("POST", v+"/{user}/media", s.wrap(s.createContainer))
	s.kit.Handle("GET", v+"/{user}/media", s.wrap(s.listMedia))
	// https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish
	s.kit.Handle("POST", v+"/{user}/media_publish", s.wrap(s.publish))
	// https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit
	s.kit.Handle("GET", v+"/{user}/content_publishing_limit", s.wrap(s.publishingLimit))
	// https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
	// https://developers.facebook.com/docs/instagram-platform/reference/instagram-media
	s.kit.Handle("GET", v+"/{id}", s.wrap(s.getObject))
	s.kit.Handle("DELETE", v+"/{id}", s.wrap(s.deleteMedia))
	// https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
	s.kit.Handle("GET", v+"/{id}/insights", s.wrap(s.insights))
	return s
}

// URL is the server's base URL (the host, without the version).
func (s *Server) URL() string { return s.kit.URL() }

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.kit.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.kit.Close() }

// Now reads the server's clock.
func (s *Server) Now() time.Time { return s.opts.Now() }

// Requests is the log of the requests served.
func (s *Server) Requests() []apikittest.Logged { return s.kit.Requests() }

// IssueToken registers an access token acting for the Instagram user id,
// expiring at expiry (zero: never).
func (s *Server) IssueToken(tok, userID string, expiry time.Time) {
	s.kit.IssueToken(tok, apikittest.Token{Subject: userID, Kind: "access", Expiry: expiry})
}

// ExpireTokens makes every token issued so far expired.
func (s *Server) ExpireTokens() { s.kit.ExpireTokens("access") }

// Script queues faults, each for the first later call it matches.
func (s *Server) Script(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// SetFaultRate makes a share p of the calls fail at random (seeded): writes
// answer a Graph code 2 error before the effect, lose the answer after it,
// or are throttled (code 4, one minute); reads answer code 1.
func (s *Server) SetFaultRate(p float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.rnd = p, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Media returns the live published media, oldest first.
func (s *Server) Media() []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Media
	for _, m := range s.media {
		if !s.deleted[m.ID] {
			out = append(out, *m)
		}
	}
	slices.SortFunc(out, func(a, b Media) int { return a.Timestamp.Compare(b.Timestamp) })
	return out
}

// Refused counts media_publish calls refused for the publishing limit.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Peak is the most media an account ever had published in a 24-hour
// window.
func (s *Server) Peak(user string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak[user]
}

func errorBody(e *apikittest.Error) any {
	code, sub, _ := strings.Cut(e.Code, "/")
	c, _ := strconv.Atoi(code)
	sc, _ := strconv.Atoi(sub)
	typ := "OAuthException"
	if c != 190 && c != 102 && c != 2500 {
		typ = "GraphMethodException"
	}
	body := map[string]any{"message": e.Message, "type": typ, "code": c, "fbtrace_id": "AFakeTrace"}
	if sc != 0 {
		body["error_subcode"] = sc
	}
	return map[string]any{"error": body}
}

func graphErr(status, code, sub int, msg string) *apikittest.Error {
	c := strconv.Itoa(code)
	if sub != 0 {
		c += "/" + strconv.Itoa(sub)
	}
	return &apikittest.Error{Status: status, Code: c, Message: msg}
}

type handler func(c *apikittest.Call, user string) (any, error)

// wrap checks the token, writes the usage header and applies faults.
func (s *Server) wrap(h handler) apikittest.Handler {
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
		pct := s.usage(tok.Subject)
		regain := 0
		if f.RegainAccess > 0 {
			regain = int((f.RegainAccess + time.Minute - 1) / time.Minute)
		}
		if pct >= 100 && f.Status == 0 {
			f.Status, f.Code, f.Message, regain = 400, 80002, "There have been too many calls to this Instagram account.", 60
		}
		hdr, _ := json.Marshal(map[string]any{tok.Subject: []map[string]any{{"type": "instagram", "call_count": min(pct, 100),
			"total_cputime": min(pct/2, 100), "total_time": min(pct/2, 100), "estimated_time_to_regain_access": regain}}})
		c.ReplyHeader().Set(metagraph.HeaderBUCUsage, string(hdr))
		if f.Status != 0 {
			return nil, graphErr(f.Status, f.Code, f.Subcode, f.Message)
		}
		c.Fault.Lost = c.Fault.Lost || f.Lost
		return h(c, tok.Subject)
	}
}

// fault pops the first scripted fault matching c, or draws a random one.
func (s *Server) fault(c *apikittest.Call) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Path == "" || strings.HasSuffix(c.URL.Path, f.Path) {
			s.faults = slices.Delete(s.faults, i, i+1)
			return f
		}
	}
	if s.rnd == nil || s.rnd.Float64() >= s.rate {
		return Fault{}
	}
	if c.Method == http.MethodGet {
		return Fault{Status: 500, Code: 1, Message: "An unknown error occurred"}
	}
	switch s.rnd.IntN(3) {
	case 0:
		return Fault{Status: 503, Code: 2, Message: "Service temporarily unavailable"}
	case 1:
		return Fault{Lost: true}
	}
	return Fault{Status: 400, Code: 4, Message: "Application request limit reached", RegainAccess: time.Minute}
}

// usage counts a call of user in the rolling hour and returns the
// percentage of CallBudget used.
func (s *Server) usage(user string) int {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	calls := slices.DeleteFunc(s.calls[user], func(t time.Time) bool { return now.Sub(t) >= time.Hour })
	calls = append(calls, now)
	s.calls[user] = calls
	return len(calls) * 100 / s.opts.CallBudget
}

func (s *Server) id() string {
	s.next++
	return strconv.Itoa(17_900_000_000 + s.next)
}

// params reads a POST's parameters from the JSON body or the query.
func params(c *apikittest.Call) map[string]any {
	m := map[string]any{}
	_ = json.NewDecoder(http.MaxBytesReader(nil, c.Body, 1<<20)).Decode(&m)
	for k, v := range c.URL.Query() {
		if _, ok := m[k]; !ok && len(v) > 0 {
			m[k] = v[0]
		}
	}
	return m
}

func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func (s *Server) own(c *apikittest.Call, user string) error {
	if c.Params["user"] != user {
		return graphErr(403, 10, 0, "Application does not have permission for this action")
	}
	return nil
}

func (s *Server) createContainer(c *apikittest.Call, user string) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	p := params(c)
	ct := &container{owner: user, caption: str(p, "caption"), mediaType: str(p, "media_type"), created: s.Now()}
	ct.url = str(p, "image_url")
	delay := s.opts.ImageDelay
	if v := str(p, "video_url"); v != "" || strings.Contains(ct.url, "slow") {
		ct.url, delay = cmp.Or(v, ct.url), s.opts.VideoDelay
	}
	if ct.mediaType == "CAROUSEL" {
		ct.children = strings.Split(str(p, "children"), ",")
		if len(ct.children) < 2 || len(ct.children) > 10 {
			return nil, graphErr(400, 100, 2207028, "The carousel must have between 2 and 10 items.")
		}
	} else if ct.url == "" {
		return nil, graphErr(400, 100, 0, "The parameter image_url or video_url is required")
	}
	if len([]rune(ct.caption)) > 2200 {
		return nil, graphErr(400, 100, 2207010, "The caption is too long.")
	}
	if strings.Contains(ct.url, ".png") {
		return nil, graphErr(400, 9004, 2207052, "Only JPEG images are supported.")
	}
	ct.fail = strings.Contains(ct.url, "fail")
	ct.ready = ct.created.Add(delay)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range ct.children {
		if _, ok := s.containers[ch]; !ok {
			return nil, graphErr(400, 100, 33, "Unsupported post request: a child container does not exist")
		}
	}
	ct.id = s.id()
	s.containers[ct.id] = ct
	return map[string]any{"id": ct.id}, nil
}

// status is a container's status_code at now (mu held).
func (s *Server) status(ct *container, now time.Time) string {
	switch {
	case ct.mediaID != "":
		return "PUBLISHED"
	case now.Sub(ct.created) >= 24*time.Hour:
		return "EXPIRED"
	case ct.fail:
		return "ERROR"
	case now.Before(ct.ready):
		return "IN_PROGRESS"
	}
	for _, ch := range ct.children {
		if st := s.status(s.containers[ch], now); st != "FINISHED" {
			if st == "PUBLISHED" {
				continue
			}
			return st
		}
	}
	return "FINISHED"
}

// window is the media user published in the 24 hours before now (mu held).
func (s *Server) window(user string, now time.Time) int {
	n := 0
	for _, m := range s.media {
		if m.Owner == user && now.Sub(m.Timestamp) < 24*time.Hour {
			n++
		}
	}
	return n
}

func (s *Server) publish(c *apikittest.Call, user string) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	cid := str(params(c), "creation_id")
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ct, ok := s.containers[cid]
	if !ok || ct.owner != user {
		return nil, graphErr(400, 100, 33, "Unsupported post request: the creation_id does not exist")
	}
	switch st := s.status(ct, now); st {
	case "PUBLISHED":
		return nil, graphErr(400, 9, 2207006, "The media has already been published.")
	case "IN_PROGRESS":
		return nil, graphErr(400, 9007, 2207027, "The media is not ready for publishing, please wait for a moment.")
	case "EXPIRED":
		return nil, graphErr(400, 9, 2207008, "The media container has expired.")
	case "ERROR":
		return nil, graphErr(400, 9004, 2207003, "The media could not be fetched from the URL.")
	}
	if s.window(user, now) >= s.opts.PublishLimit {
		s.refused++
		return nil, graphErr(400, 9, 2207042, "You reached the maximum number of posts allowed in 24 hours.")
	}
	m := &Media{ID: s.id(), Owner: user, Caption: ct.caption, MediaType: ct.mediaType, ContainerID: cid, Timestamp: now}
	if m.MediaType == "" {
		m.MediaType = "IMAGE"
	}
	m.Permalink = "https://www.instagram.com/p/" + m.ID + "/"
	ct.mediaID = m.ID
	s.media[m.ID] = m
	s.peak[user] = max(s.peak[user], s.window(user, now))
	return map[string]any{"id": m.ID}, nil
}

func (s *Server) publishingLimit(c *apikittest.Call, user string) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]any{"data": []any{map[string]any{"quota_usage": s.window(user, s.Now()),
		"config": map[string]any{"quota_total": s.opts.PublishLimit, "quota_duration": 86400}}}}, nil
}

func (m *Media) json() map[string]any {
	return map[string]any{"id": m.ID, "caption": m.Caption, "media_type": m.MediaType, "permalink": m.Permalink,
		"timestamp": m.Timestamp.UTC().Format("2006-01-02T15:04:05-0700")}
}

func (s *Server) listMedia(c *apikittest.Call, user string) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	limit, _ := strconv.Atoi(c.URL.Query().Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	var list []*Media
	s.mu.Lock()
	for _, m := range s.media {
		if m.Owner == user && !s.deleted[m.ID] {
			list = append(list, m)
		}
	}
	slices.SortFunc(list, func(a, b *Media) int { return b.Timestamp.Compare(a.Timestamp) })
	data := []any{}
	for _, m := range list[:min(limit, len(list))] {
		data = append(data, m.json())
	}
	s.mu.Unlock()
	return map[string]any{"data": data}, nil
}

func (s *Server) missing(id string) *apikittest.Error {
	return graphErr(400, 100, 33, fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", id))
}

func (s *Server) getObject(c *apikittest.Call, user string) (any, error) {
	id := c.Params["id"]
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if ct, ok := s.containers[id]; ok && ct.owner == user {
		st := s.status(ct, now)
		out := map[string]any{"id": id, "status_code": st}
		if st == "ERROR" {
			out["status"] = "Error: 2207003 the media could not be fetched"
		}
		return out, nil
	}
	if m, ok := s.media[id]; ok && m.Owner == user && !s.deleted[id] {
		return m.json(), nil
	}
	return nil, s.missing(id)
}

func (s *Server) deleteMedia(c *apikittest.Call, user string) (any, error) {
	id := c.Params["id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.media[id]; ok && m.Owner == user && !s.deleted[id] {
		s.deleted[id] = true
		return map[string]any{"success": true}, nil
	}
	return nil, s.missing(id)
}

func (s *Server) insights(c *apikittest.Call, user string) (any, error) {
	id := c.Params["id"]
	s.mu.Lock()
	m, ok := s.media[id]
	ok = ok && m.Owner == user && !s.deleted[id]
	s.mu.Unlock()
	if !ok {
		return nil, s.missing(id)
	}
	var data []any
	for i, name := range strings.Split(c.URL.Query().Get("metric"), ",") {
		switch name {
		case "views", "reach", "likes", "comments", "saved", "shares", "total_interactions":
			data = append(data, map[string]any{"name": name, "period": "lifetime", "values": []any{map[string]any{"value": 10 * (i + 1)}}})
		default:
			return nil, graphErr(400, 100, 2108006, "metric["+strconv.Itoa(i)+"] must be one of the supported metrics")
		}
	}
	return map[string]any{"data": data}, nil
}
