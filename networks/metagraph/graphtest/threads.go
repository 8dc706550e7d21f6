package graphtest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/text"
)

// ThreadsOptions configure a [ThreadsServer]; zero fields take the
// documented defaults.
type ThreadsOptions struct {
	// Options: Now, VideoDelay (how long a video container, or an image
	// whose URL contains "slow", stays IN_PROGRESS; 30 s), ImageDelay,
	// CallBudget; PublishLimit is the posts quota_total (250, per
	// https://developers.facebook.com/docs/threads/overview).
	Options
	// ReplyLimit is the replies quota_total (1000).
	ReplyLimit int
	// AppSecret is the app secret th_exchange_token expects
	// ("threads-app-secret").
	AppSecret string
	// OmitMetrics are insights metrics the fake leaves out of its answers
	// (as Threads does for metrics in development).
	OmitMetrics []string
}

// ThreadsPost is a published Threads post (or reply) of the fake.
type ThreadsPost struct {
	ID, Owner, Text, MediaType, Permalink string
	ContainerID, ReplyTo, LinkAttachment  string
	ReplyControl, TopicTag, QuotePostID   string
	Children                              int
	Timestamp                             time.Time
}

type thContainer struct {
	id, owner, text, mediaType, url, replyTo string
	link, replyControl, topicTag, quote      string
	children                                 []string
	carouselItem                             bool
	created, ready                           time.Time
	fail                                     bool
	postID                                   string
}

type thToken struct {
	user    string
	issued  time.Time
	expiry  time.Time
	longish bool
}

// ThreadsServer is the fake Threads API on graph.threads.net: containers
// that take time, fail or expire; threads_publish with the posts and
// replies quotas; threads_publishing_limit; the profile's posts and
// replies; media objects, delete and insights; the Graph error object
// (THApiException) including string codes; th_exchange_token and
// th_refresh_token; and the faults of [Server] ([Server.Script],
// [Server.SetFaultRate]). Create it with [NewThreadsServer].
type ThreadsServer struct {
	*Server
	topts ThreadsOptions

	tmu        sync.Mutex
	tnext      int
	containers map[string]*thContainer
	posts      map[string]*ThreadsPost
	tdeleted   map[string]bool
	trefused   int
	tpeak      map[string]int
	tokens     map[string]*thToken
	times      map[thKey][]time.Time
	codes      map[string]string
}

// NewThreadsServer starts a fake Threads API server.
func NewThreadsServer(o ThreadsOptions) *ThreadsServer {
	if o.PublishLimit == 0 {
		o.PublishLimit = 250
	}
	if o.ReplyLimit == 0 {
		o.ReplyLimit = 1000
	}
	if o.AppSecret == "" {
		o.AppSecret = "threads-app-secret"
	}
	s := &ThreadsServer{Server: NewServer(o.Options), containers: map[string]*thContainer{}, posts: map[string]*ThreadsPost{},
		tdeleted: map[string]bool{}, tpeak: map[string]int{}, tokens: map[string]*thToken{}, times: map[thKey][]time.Time{}, codes: map[string]string{}}
	o.Options = s.opts
	s.topts = o
	v := "/" + metagraph.ThreadsVersion
	// https://developers.facebook.com/docs/threads/reference/publishing
	s.kit.Handle("POST", v+"/{user}/threads", s.wrap(s.createContainer))
	s.kit.Handle("POST", v+"/{user}/threads_publish", s.wrap(s.publish))
	// https://developers.facebook.com/docs/threads/reference/user
	s.kit.Handle("GET", v+"/{user}/threads", s.wrap(s.listPosts))
	s.kit.Handle("GET", v+"/{user}/replies", s.wrap(s.listReplies))
	s.kit.Handle("GET", v+"/{user}/threads_publishing_limit", s.wrap(s.publishingLimit))
	// https://developers.facebook.com/docs/threads/troubleshooting
	s.kit.Handle("GET", v+"/{id}", s.wrap(s.getObject))
	// https://developers.facebook.com/docs/threads/posts/delete-posts
	s.kit.Handle("DELETE", v+"/{id}", s.wrap(s.deletePost))
	// https://developers.facebook.com/docs/threads/insights
	s.kit.Handle("GET", v+"/{id}/insights", s.wrap(s.insights))
	// https://developers.facebook.com/docs/threads/retrieve-and-manage-replies/replies-and-conversations
	s.kit.Handle("GET", v+"/{id}/conversation", s.wrap(s.conversation))
	// https://developers.facebook.com/docs/threads/get-started/long-lived-tokens
	s.kit.Handle("GET", "/access_token", s.exchange)
	s.kit.Handle("GET", "/refresh_access_token", s.refresh)
	// https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions
	s.kit.Handle("POST", "/oauth/access_token", s.exchangeCode)
	return s
}

// IssueCode registers an authorization code of user, as the
// authorization window hands one to the redirect URI; it is good once.
func (s *ThreadsServer) IssueCode(code, user string) {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	s.codes[code] = user
}

// exchangeCode trades a code for a short-lived token: POST
// /oauth/access_token with client_id, client_secret, grant_type
// authorization_code, redirect_uri and code (form or query).
func (s *ThreadsServer) exchangeCode(c *apikittest.Call) (any, error) {
	if err := c.ParseForm(); err != nil {
		return nil, s.tokenErr(400, 100, 0, "Invalid request body")
	}
	f := c.Form
	if f.Get("grant_type") != "authorization_code" {
		return nil, s.tokenErr(400, 100, 0, "Unsupported grant_type")
	}
	if f.Get("client_secret") != s.topts.AppSecret || f.Get("client_id") == "" {
		return nil, s.tokenErr(400, 101, 0, "Error validating client secret.")
	}
	s.tmu.Lock()
	user, ok := s.codes[f.Get("code")]
	delete(s.codes, f.Get("code"))
	s.tnext++
	tok := fmt.Sprintf("THshort-%s-%d", user, s.tnext)
	s.tmu.Unlock()
	if !ok || f.Get("redirect_uri") == "" {
		return nil, s.tokenErr(400, 100, 0, "Invalid authorization code or redirect_uri")
	}
	s.IssueShortLived(tok, user)
	n, _ := strconv.ParseInt(user, 10, 64)
	return map[string]any{"access_token": tok, "user_id": n}, nil
}

// IssueShortLived registers a short-lived (one hour) token of user, the
// kind th_exchange_token takes; it is not valid for other calls.
func (s *ThreadsServer) IssueShortLived(tok, user string) {
	now := s.Now()
	s.tmu.Lock()
	defer s.tmu.Unlock()
	s.tokens[tok] = &thToken{user: user, issued: now, expiry: now.Add(time.Hour)}
}

// IssueLongLived registers a long-lived token of user issued at issued and
// valid for 60 days from then, usable for every call and for
// th_refresh_token.
func (s *ThreadsServer) IssueLongLived(tok, user string, issued time.Time) {
	exp := issued.Add(60 * 24 * time.Hour)
	s.tmu.Lock()
	s.tokens[tok] = &thToken{user: user, issued: issued, expiry: exp, longish: true}
	s.tmu.Unlock()
	s.IssueToken(tok, user, exp)
}

func (s *ThreadsServer) tokenErr(status, code, sub int, msg string) *apikittest.Error {
	return graphErr(status, code, sub, msg)
}

func (s *ThreadsServer) exchange(c *apikittest.Call) (any, error) {
	q := c.URL.Query()
	if q.Get("grant_type") != "th_exchange_token" {
		return nil, s.tokenErr(400, 100, 0, "Unsupported grant_type")
	}
	if q.Get("client_secret") != s.topts.AppSecret {
		return nil, s.tokenErr(400, 101, 0, "Error validating client secret.")
	}
	now := s.Now()
	s.tmu.Lock()
	t, ok := s.tokens[q.Get("access_token")]
	s.tmu.Unlock()
	switch {
	case !ok || t.longish:
		return nil, s.tokenErr(400, 190, 0, "Invalid OAuth access token - Cannot parse access token")
	case !now.Before(t.expiry):
		return nil, s.tokenErr(400, 190, 463, "Error validating access token: Session has expired.")
	}
	return s.long(t.user, now), nil
}

func (s *ThreadsServer) refresh(c *apikittest.Call) (any, error) {
	q := c.URL.Query()
	if q.Get("grant_type") != "th_refresh_token" {
		return nil, s.tokenErr(400, 100, 0, "Unsupported grant_type")
	}
	now := s.Now()
	s.tmu.Lock()
	t, ok := s.tokens[q.Get("access_token")]
	s.tmu.Unlock()
	switch {
	case !ok || !t.longish:
		return nil, s.tokenErr(400, 190, 0, "Invalid OAuth access token - Cannot parse access token")
	case !now.Before(t.expiry):
		return nil, s.tokenErr(400, 190, 463, "Error validating access token: Session has expired.")
	case now.Sub(t.issued) < 24*time.Hour:
		return nil, s.tokenErr(400, 100, 0, "The access token must be at least 24 hours old to be refreshed.")
	}
	return s.long(t.user, now), nil
}

func (s *ThreadsServer) long(user string, now time.Time) map[string]any {
	s.tmu.Lock()
	s.tnext++
	tok := fmt.Sprintf("THlong-%s-%d", user, s.tnext)
	s.tmu.Unlock()
	s.IssueLongLived(tok, user, now)
	return map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 60 * 24 * 3600}
}

func (s *ThreadsServer) newID() string {
	s.tnext++
	return strconv.Itoa(18_000_000_000 + s.tnext)
}

// Posts returns the live published posts and replies, oldest first.
func (s *ThreadsServer) Posts() []ThreadsPost {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	var out []ThreadsPost
	for _, p := range s.posts {
		if !s.tdeleted[p.ID] {
			out = append(out, *p)
		}
	}
	slices.SortFunc(out, func(a, b ThreadsPost) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Refused counts threads_publish calls refused for a quota.
func (s *ThreadsServer) Refused() int {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	return s.trefused
}

// Peak is the most top-level posts user ever had published in a 24-hour
// window.
func (s *ThreadsServer) Peak(user string) int {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	return s.tpeak[user]
}

// Containers counts the containers created.
func (s *ThreadsServer) Containers() int {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	return len(s.containers)
}

// codeErr answers a Threads error whose code is a string.
func codeErr(c *apikittest.Call, status int, code, msg string) (any, error) {
	c.SetStatus(status)
	return map[string]any{"error": map[string]any{"message": msg, "type": "THApiException", "code": code, "fbtrace_id": "AFakeTrace"}}, nil
}

var thReplyControls = map[string]bool{"everyone": true, "accounts_you_follow": true, "mentioned_only": true,
	"parent_post_author_only": true, "followers_only": true}

var thMediaTypes = map[string]bool{"TEXT": true, "IMAGE": true, "VIDEO": true, "CAROUSEL": true}

func (s *ThreadsServer) createContainer(c *apikittest.Call, user string) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	p := params(c)
	ct := &thContainer{owner: user, text: str(p, "text"), mediaType: str(p, "media_type"), replyTo: str(p, "reply_to_id"),
		carouselItem: str(p, "is_carousel_item") == "true", created: s.Now()}
	if !thMediaTypes[ct.mediaType] {
		return nil, graphErr(400, 100, 0, "Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}")
	}
	delay := s.opts.ImageDelay
	switch ct.mediaType {
	case "TEXT":
		if ct.text == "" {
			return nil, graphErr(400, 100, 0, "Param text is required for TEXT posts")
		}
		delay = 0
	case "IMAGE":
		ct.url = str(p, "image_url")
		if strings.Contains(ct.url, "slow") {
			delay = s.opts.VideoDelay
		}
	case "VIDEO":
		ct.url, delay = str(p, "video_url"), s.opts.VideoDelay
	case "CAROUSEL":
		if c := str(p, "children"); c != "" {
			ct.children = strings.Split(c, ",")
		}
		if len(ct.children) < 2 || len(ct.children) > 20 {
			return nil, graphErr(400, 100, 0, "A carousel must have between 2 and 20 children.")
		}
	}
	if (ct.mediaType == "IMAGE" || ct.mediaType == "VIDEO") && ct.url == "" {
		return nil, graphErr(400, 100, 0, "Param image_url or video_url is required")
	}
	if n, err := text.Count(text.Threads, ct.text); err != nil || n > 500 {
		return nil, graphErr(400, 100, 0, "Param text must be at most 500 characters long.")
	}
	links := map[string]bool{}
	for _, e := range text.ExtractURLs(ct.text) {
		links[e.Text] = true
	}
	if l := str(p, "link_attachment"); l != "" {
		if ct.mediaType != "TEXT" {
			return nil, graphErr(400, 100, 0, "Param link_attachment is only supported for TEXT posts")
		}
		links[l] = true
		ct.link = l
	}
	if len(links) > 5 {
		return codeErr(c, 400, "THREADS_API__LINK_LIMIT_EXCEEDED", "The post contains more than 5 links.")
	}
	ct.replyControl, ct.topicTag, ct.quote = str(p, "reply_control"), str(p, "topic_tag"), str(p, "quote_post_id")
	if ct.replyControl != "" && !thReplyControls[ct.replyControl] {
		return nil, graphErr(400, 100, 0, "Param reply_control must be one of {everyone, accounts_you_follow, mentioned_only, parent_post_author_only, followers_only}")
	}
	if n := len([]rune(ct.topicTag)); n > 50 || strings.ContainsAny(ct.topicTag, ".&") {
		return nil, graphErr(400, 100, 0, "Param topic_tag must be 1 to 50 characters without periods or ampersands")
	}
	ct.fail = strings.Contains(ct.url, "fail")
	ct.ready = ct.created.Add(delay)
	s.tmu.Lock()
	defer s.tmu.Unlock()
	for _, ch := range ct.children {
		k, ok := s.containers[ch]
		if !ok || k.owner != user || !k.carouselItem {
			return nil, graphErr(400, 100, 33, "Unsupported post request: a child container does not exist or is not a carousel item")
		}
	}
	if ct.quote != "" {
		if p, ok := s.posts[ct.quote]; !ok || s.tdeleted[p.ID] {
			return nil, graphErr(400, 100, 33, "Unsupported post request: the quote_post_id does not exist")
		}
	}
	if ct.replyTo != "" {
		if p, ok := s.posts[ct.replyTo]; !ok || s.tdeleted[p.ID] {
			return nil, graphErr(400, 100, 33, "Unsupported post request: the reply_to_id does not exist")
		}
	}
	ct.id = s.newID()
	s.containers[ct.id] = ct
	return map[string]any{"id": ct.id}, nil
}

// status is a container's status at now (tmu held).
func (s *ThreadsServer) status(ct *thContainer, now time.Time) (string, string) {
	switch {
	case ct.postID != "":
		return "PUBLISHED", ""
	case now.Sub(ct.created) >= 24*time.Hour:
		return "EXPIRED", ""
	case now.Before(ct.ready):
		return "IN_PROGRESS", ""
	case ct.fail && ct.mediaType == "VIDEO":
		return "ERROR", "FAILED_DOWNLOADING_VIDEO"
	case ct.fail:
		return "ERROR", "UNKNOWN"
	}
	for _, ch := range ct.children {
		if st, msg := s.status(s.containers[ch], now); st != "FINISHED" && st != "PUBLISHED" {
			return st, msg
		}
	}
	return "FINISHED", ""
}

// window counts user's top-level posts (replies false) or replies (true)
// published in the 24 hours before now, deleted ones included (tmu held).
// The publish times are kept per user in order and trimmed as the window
// moves, so a count is amortized O(1).
func (s *ThreadsServer) window(user string, replies bool, now time.Time) int {
	k := thKey{user, replies}
	ts := s.times[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= 24*time.Hour {
		i++
	}
	s.times[k] = ts[i:]
	return len(ts) - i
}

type thKey struct {
	user    string
	replies bool
}

func (s *ThreadsServer) publish(c *apikittest.Call, user string) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	cid := str(params(c), "creation_id")
	now := s.Now()
	s.tmu.Lock()
	defer s.tmu.Unlock()
	ct, ok := s.containers[cid]
	if !ok || ct.owner != user || ct.carouselItem {
		return nil, graphErr(400, 100, 33, "Unsupported post request: the creation_id does not exist")
	}
	switch st, msg := s.status(ct, now); st {
	case "PUBLISHED":
		return nil, graphErr(400, 100, 0, "The media has already been published.")
	case "IN_PROGRESS":
		return nil, graphErr(400, 100, 0, "The media is not ready for publishing, please wait for a moment.")
	case "EXPIRED":
		return nil, graphErr(400, 100, 0, "The media container has expired.")
	case "ERROR":
		return nil, graphErr(400, 100, 0, "The media could not be published: "+msg)
	}
	reply := ct.replyTo != ""
	limit := s.opts.PublishLimit
	if reply {
		limit = s.topts.ReplyLimit
	}
	if s.window(user, reply, now) >= limit {
		s.trefused++
		// The documentation names no code for a full window; the fake uses
		// the Graph "too many calls" code.
		return nil, graphErr(400, 4, 0, "The profile reached the maximum number of posts allowed in 24 hours.")
	}
	p := &ThreadsPost{ID: s.newID(), Owner: user, Text: ct.text, MediaType: ct.mediaType, ContainerID: cid, ReplyTo: ct.replyTo, LinkAttachment: ct.link,
		ReplyControl: ct.replyControl, TopicTag: ct.topicTag, QuotePostID: ct.quote,
		Children: len(ct.children), Timestamp: now}
	switch p.MediaType {
	case "TEXT":
		p.MediaType = "TEXT_POST"
	case "CAROUSEL":
		p.MediaType = "CAROUSEL_ALBUM"
	}
	p.Permalink = "https://www.threads.net/@" + user + "/post/" + p.ID
	ct.postID = p.ID
	s.posts[p.ID] = p
	s.times[thKey{user, reply}] = append(s.times[thKey{user, reply}], now)
	if !reply {
		s.tpeak[user] = max(s.tpeak[user], s.window(user, false, now))
	}
	return map[string]any{"id": p.ID}, nil
}

func (s *ThreadsServer) publishingLimit(c *apikittest.Call, user string) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	now := s.Now()
	s.tmu.Lock()
	defer s.tmu.Unlock()
	return map[string]any{"data": []any{map[string]any{
		"quota_usage": s.window(user, false, now), "config": map[string]any{"quota_total": s.opts.PublishLimit, "quota_duration": 86400},
		"reply_quota_usage": s.window(user, true, now), "reply_config": map[string]any{"quota_total": s.topts.ReplyLimit, "quota_duration": 86400},
	}}}, nil
}

func (p *ThreadsPost) json() map[string]any {
	out := map[string]any{"id": p.ID, "text": p.Text, "media_type": p.MediaType, "permalink": p.Permalink,
		"media_product_type": "THREADS", "timestamp": p.Timestamp.UTC().Format("2006-01-02T15:04:05-0700")}
	if p.ReplyTo != "" {
		out["replied_to"] = map[string]any{"id": p.ReplyTo}
	}
	return out
}

func (s *ThreadsServer) list(c *apikittest.Call, user string, replies bool) (any, error) {
	if err := s.own(c, user); err != nil {
		return nil, err
	}
	limit, _ := strconv.Atoi(c.URL.Query().Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	var list []*ThreadsPost
	s.tmu.Lock()
	defer s.tmu.Unlock()
	for _, p := range s.posts {
		if p.Owner == user && !s.tdeleted[p.ID] && (p.ReplyTo != "") == replies {
			list = append(list, p)
		}
	}
	slices.SortFunc(list, func(a, b *ThreadsPost) int {
		if c := b.Timestamp.Compare(a.Timestamp); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	data := []any{}
	for _, p := range list[:min(limit, len(list))] {
		data = append(data, p.json())
	}
	return map[string]any{"data": data}, nil
}

func (s *ThreadsServer) listPosts(c *apikittest.Call, user string) (any, error) {
	return s.list(c, user, false)
}

func (s *ThreadsServer) listReplies(c *apikittest.Call, user string) (any, error) {
	return s.list(c, user, true)
}

func (s *ThreadsServer) getObject(c *apikittest.Call, user string) (any, error) {
	id := c.Params["id"]
	if id == "me" || id == user {
		// https://developers.facebook.com/docs/threads/threads-profiles
		return map[string]any{"id": user, "username": "user" + user}, nil
	}
	now := s.Now()
	s.tmu.Lock()
	defer s.tmu.Unlock()
	if ct, ok := s.containers[id]; ok && ct.owner == user {
		st, msg := s.status(ct, now)
		out := map[string]any{"id": id, "status": st}
		if msg != "" {
			out["error_message"] = msg
		}
		return out, nil
	}
	if p, ok := s.posts[id]; ok && p.Owner == user && !s.tdeleted[id] {
		return p.json(), nil
	}
	return nil, threadsMissing(id)
}

func threadsMissing(id string) *apikittest.Error {
	return graphErr(400, 100, 33, fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation", id))
}

func (s *ThreadsServer) deletePost(c *apikittest.Call, user string) (any, error) {
	id := c.Params["id"]
	s.tmu.Lock()
	defer s.tmu.Unlock()
	if p, ok := s.posts[id]; ok && p.Owner == user && !s.tdeleted[id] {
		s.tdeleted[id] = true
		return map[string]any{"success": true, "deleted_id": id}, nil
	}
	return nil, threadsMissing(id)
}

var thMetrics = map[string]int{"views": 100, "likes": 7, "replies": 3, "reposts": 2, "quotes": 1, "shares": 4}

func (s *ThreadsServer) insights(c *apikittest.Call, user string) (any, error) {
	id := c.Params["id"]
	s.tmu.Lock()
	p, ok := s.posts[id]
	ok = ok && p.Owner == user && !s.tdeleted[id]
	s.tmu.Unlock()
	if !ok {
		return nil, threadsMissing(id)
	}
	data := []any{}
	for i, name := range strings.Split(c.URL.Query().Get("metric"), ",") {
		v, known := thMetrics[name]
		if !known {
			return nil, graphErr(400, 100, 0, "metric["+strconv.Itoa(i)+"] must be one of the following values: views, likes, replies, reposts, quotes, shares")
		}
		if slices.Contains(s.topts.OmitMetrics, name) {
			continue
		}
		data = append(data, map[string]any{"name": name, "period": "lifetime", "values": []any{map[string]any{"value": v}},
			"id": id + "/insights/" + name + "/lifetime"})
	}
	return map[string]any{"data": data}, nil
}

// conversation lists every live reply under a post at any depth, newest
// first unless reverse=false, at most limit (25 by default, 100 at most).
func (s *ThreadsServer) conversation(c *apikittest.Call, user string) (any, error) {
	id := c.Params["id"]
	limit, _ := strconv.Atoi(c.URL.Query().Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	s.tmu.Lock()
	defer s.tmu.Unlock()
	if p, ok := s.posts[id]; !ok || s.tdeleted[id] || p.Owner != user {
		return nil, threadsMissing(id)
	}
	under := func(p *ThreadsPost) bool {
		for p.ReplyTo != "" {
			if p.ReplyTo == id {
				return true
			}
			parent, ok := s.posts[p.ReplyTo]
			if !ok {
				return false
			}
			p = parent
		}
		return false
	}
	var list []*ThreadsPost
	for _, p := range s.posts {
		if !s.tdeleted[p.ID] && under(p) {
			list = append(list, p)
		}
	}
	slices.SortFunc(list, func(a, b *ThreadsPost) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if c.URL.Query().Get("reverse") != "false" {
		slices.Reverse(list)
	}
	data := []any{}
	for _, p := range list[:min(limit, len(list))] {
		data = append(data, p.json())
	}
	return map[string]any{"data": data}, nil
}
