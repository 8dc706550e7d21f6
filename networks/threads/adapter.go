package threads

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
	"github.com/socialflow/socialflow/networks/text"
)

// Network is the networks key of the adapter.
const Network = networks.Threads

// DefaultProcessingTimeout is how long Publish waits for the root
// container of a thread to finish processing before it gives up (the
// troubleshooting page recommends polling once a minute for at most five
// minutes, https://developers.facebook.com/docs/threads/troubleshooting).
const DefaultProcessingTimeout = 5 * time.Minute

// Option configures an [Adapter].
type Option func(*Adapter) error

// WithBaseURL sets the Threads API host (default metagraph.ThreadsHost;
// graph.threads.com is the documented alias) or a fake's URL.
func WithBaseURL(u string) Option { return func(a *Adapter) error { a.cfg.BaseURL = u; return nil } }

// WithVersion sets the Threads API version (default
// metagraph.ThreadsVersion).
func WithVersion(v string) Option { return func(a *Adapter) error { a.cfg.Version = v; return nil } }

// WithClock sets the adapter's clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if err := apikit.Clock(Network, now); err != nil {
			return err
		}
		a.cfg.Now = now
		return nil
	}
}

// WithUserID sets how the Threads user id (the {threads-user-id} of the
// paths) is found for an account; the default is Account.ID.
func WithUserID(f func(networks.Account) string) Option {
	return func(a *Adapter) error {
		if f == nil {
			return &networks.FieldError{Network: Network, Field: "user_id", Reason: "nil"}
		}
		a.userID = f
		return nil
	}
}

// WithWait sets how the adapter waits between two reads of a container
// that is still processing (default apikit.Sleep); tests pass a wait that
// advances a fake clock.
func WithWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(a *Adapter) error {
		if wait == nil {
			return &networks.FieldError{Network: Network, Field: "wait", Reason: "nil"}
		}
		a.wait = wait
		return nil
	}
}

// WithProcessingTimeout bounds how long Publish waits for the root
// container of a thread (default [DefaultProcessingTimeout]).
func WithProcessingTimeout(d time.Duration) Option {
	return func(a *Adapter) error {
		if d <= 0 {
			return &networks.FieldError{Network: Network, Field: "processing_timeout", Value: d.String(), Reason: "must be positive"}
		}
		a.procTimeout = d
		return nil
	}
}

// Adapter publishes to Threads profiles through the container flow. It
// implements [networks.Adapter] and [networks.Finder] and is safe for
// concurrent use.
type Adapter struct {
	cfg         metagraph.Config
	api         *metagraph.Client
	hc          *http.Client
	userID      func(networks.Account) string
	wait        func(ctx context.Context, d time.Duration) error
	procTimeout time.Duration
	spec        networks.Spec
}

// New returns an adapter sending with hc (nil: http.DefaultClient). A base
// URL that is not absolute http(s) or a version with a slash is a
// *networks.FieldError.
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{
		cfg:    metagraph.Config{Network: Network, BaseURL: metagraph.ThreadsHost, Version: metagraph.ThreadsVersion, Classify: Classify},
		hc:     hc,
		userID: func(acct networks.Account) string { return acct.ID }, wait: apikit.Sleep, procTimeout: DefaultProcessingTimeout,
	}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	api, err := metagraph.New(hc, a.cfg)
	if err != nil {
		return nil, err
	}
	a.api = api
	a.spec = Spec()
	return a, nil
}

// Spec returns [networks.ThreadsSpec] with the text limit shortened by
// [TagLen], the code points of the invisible marker tag every part
// carries, and Delete set. It returns an equal, freshly allocated value on
// every call.
func Spec() networks.Spec {
	s := networks.ThreadsSpec()
	s.Text.MaxLength -= TagLen
	s.Features.Threads = true
	s.Features.Delete = true
	s.Features.Link = true // link_attachment, on text-only posts
	s.Features.FirstComment = false
	return s
}

// Spec returns the adapter's spec.
func (a *Adapter) Spec() networks.Spec { return Spec() }

func (a *Adapter) user(acct networks.Account) (string, error) {
	id := a.userID(acct)
	if id == "" || strings.ContainsAny(id, "/?#") {
		return "", &networks.FieldError{Network: Network, Field: "account.user_id", Value: id, Reason: "not a Threads user id"}
	}
	return id, nil
}

// validate checks what networks.Validate cannot: a post has text or media
// (a TEXT container requires text), every thread part has text, and every
// item is an image or a video at an absolute http(s) URL (Threads fetches
// media itself).
func validate(d networks.Draft) error {
	if strings.TrimSpace(d.Text) == "" && len(d.Media) == 0 {
		return &networks.FieldError{Network: Network, Field: "text", Reason: "Threads needs text or media; a TEXT post requires text"}
	}
	if d.Link != "" {
		if err := checkLink(d); err != nil {
			return err
		}
	}
	if len(d.Thread) > MaxReplies {
		return &networks.FieldError{Network: Network, Field: "thread", Value: strconv.Itoa(len(d.Thread)),
			Reason: "at most " + strconv.Itoa(MaxReplies) + " replies: the Finder reads the first " + strconv.Itoa(RecentLimit) + " of a thread's conversation"}
	}
	for i, t := range d.Thread {
		if strings.TrimSpace(t) == "" {
			return &networks.FieldError{Network: Network, Field: "thread[" + strconv.Itoa(i) + "]", Reason: "a reply in a thread is a TEXT post and requires text"}
		}
	}
	for i, m := range d.Media {
		field := "media[" + strconv.Itoa(i) + "]"
		switch {
		case m.Kind != assets.KindImage && m.Kind != assets.KindVideo:
			return &networks.FieldError{Network: Network, Field: field + ".kind", Value: string(m.Kind), Reason: "Threads takes images and videos"}
		case m.URL == "":
			return &networks.FieldError{Network: Network, Field: field + ".url", Reason: "Threads fetches media from a public URL; none given"}
		}
		if u, err := url.Parse(m.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &networks.FieldError{Network: Network, Field: field + ".url", Value: m.URL, Reason: "not an absolute http(s) URL"}
		}
	}
	return nil
}

// checkLink checks d.Link, sent as link_attachment: only on a text-only
// post, an absolute http(s) URL, and with the text's unique URLs at most
// five links (an attachment equal to a URL of the text counts once,
// https://developers.facebook.com/docs/threads/create-posts/text-attachments).
func checkLink(d networks.Draft) error {
	if len(d.Media) > 0 {
		return &networks.FieldError{Network: Network, Field: "link", Value: d.Link, Reason: "Threads takes a link attachment on text-only posts only"}
	}
	if u, err := url.Parse(d.Link); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &networks.FieldError{Network: Network, Field: "link", Value: d.Link, Reason: "not an absolute http(s) URL"}
	}
	links := map[string]bool{d.Link: true}
	for _, e := range text.ExtractURLs(d.Text) {
		links[e.Text] = true
	}
	if len(links) > MaxLinks {
		return &networks.FieldError{Network: Network, Field: "links", Value: strconv.Itoa(len(links)),
			Reason: "Threads takes at most " + strconv.Itoa(MaxLinks) + " links per post, counting the link attachment"}
	}
	return nil
}

// MaxReplies is the most replies a thread may have after its root, so
// that all its parts are within the page of the root's conversation the
// Finder reads.
const MaxReplies = RecentLimit - 1

// MaxLinks is the most unique links a post may carry, its link attachment
// included (THREADS_API__LINK_LIMIT_EXCEEDED beyond).
const MaxLinks = 5

// Publish posts d: the root (text, one image or video, or a carousel of
// 2 to 20 children; a text-only root may carry d.Link as its
// link_attachment) and each d.Thread entry as a TEXT reply (reply_to_id)
// to the part before, each through a container
// (POST /{threads-user-id}/threads,
// https://developers.facebook.com/docs/threads/posts) and threads_publish
// (the one real write of each part).
//
// Before any call d is checked against [Spec] and [validate]'s rules. The
// publishing limit is read first (threads_publishing_limit): a full post
// window, or fewer replies left than the thread needs, is a
// *networks.RateLimitError whose Reset is when the oldest post (or reply)
// leaves the 24-hour window, and no container is created. The receipt
// reports the posts quota left.
//
// A single post whose container is still IN_PROGRESS gives a
// StatusPending receipt (its ID the container id) that Check resolves. A
// thread waits for its root container (at most the processing timeout),
// because Check cannot publish the replies that must follow it.
//
// Every part carries the invisible tag of (marker, part, last) ([Tag]).
// A thread first reads the profile's recent posts and, when its root is
// there, the root's conversation, and skips the parts already there, so
// publishing a thread that failed midway again with the same marker
// continues after its published parts; a thread that fails after its root
// returns the root's receipt and an *apikit.ThreadError naming the
// published parts. A lost container answer
// is a *networks.TransientError (the container is invisible and expires in
// 24 hours); a lost threads_publish answer is an
// *networks.OutcomeUnknownError, resolved by FindByMarker.
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.PublishWith(ctx, acct, d, PostOptions{})
}

// PublishWith is Publish with the Threads-only settings of o, checked
// before any call.
func (a *Adapter) PublishWith(ctx context.Context, acct networks.Account, d networks.Draft, o PostOptions) (networks.Receipt, error) {
	if err := networks.Validate(a.spec, d); err != nil {
		return networks.Receipt{}, err
	}
	if err := validate(d); err != nil {
		return networks.Receipt{}, err
	}
	if err := o.validate(); err != nil {
		return networks.Receipt{}, err
	}
	uid, err := a.user(acct)
	if err != nil {
		return networks.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, fmt.Errorf("%s: publish: %w", Network, err)
	}
	marker := apikit.Marker(d)
	texts := append([]string{d.Text}, d.Thread...)
	last := len(texts) - 1
	ids := make([]string, len(texts))
	if last > 0 {
		posts, err := a.recent(ctx, &acct, uid, "threads", networks.OpPublish)
		if err != nil {
			return networks.Receipt{}, err
		}
		ids[0] = findTag(posts, Tag(marker, 0, false)).ID
		if ids[0] != "" {
			replies, err := a.conversation(ctx, &acct, ids[0], networks.OpPublish)
			if err != nil {
				return networks.Receipt{}, err
			}
			for i := 1; i <= last; i++ {
				if ids[i] = findTag(replies, Tag(marker, i, i == last)).ID; ids[i] == "" {
					break
				}
			}
		}
	}
	needRoot := ids[0] == ""
	needReplies := 0
	for _, id := range ids[1:] {
		if id == "" {
			needReplies++
		}
	}
	lim, err := a.limit(ctx, &acct, uid, networks.OpPublish, needRoot, needReplies)
	if err != nil {
		return networks.Receipt{}, err
	}
	quota := lim.Posts
	var quotas []networks.Quota
	if needRoot {
		cid, err := a.root(ctx, &acct, uid, d, o, Tag(marker, 0, last == 0))
		if err != nil {
			return networks.Receipt{}, err
		}
		st, err := a.status(ctx, &acct, cid, networks.OpPublish)
		if err != nil {
			return networks.Receipt{}, err
		}
		if st.Status == "IN_PROGRESS" && last == 0 {
			return networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(cid), Status: networks.StatusPending,
				Marker: marker, CheckAfter: 30 * time.Second, Quotas: []networks.Quota{quota}}, nil
		}
		if st.Status == "IN_PROGRESS" {
			if st, err = a.await(ctx, &acct, cid); err != nil {
				return networks.Receipt{}, err
			}
		}
		if st.Status != "FINISHED" {
			return networks.Receipt{}, st.rejected(networks.OpPublish)
		}
		id, q, err := a.publish(ctx, &acct, uid, cid, marker, networks.OpPublish)
		if err != nil {
			return networks.Receipt{}, err
		}
		ids[0], quotas = id, q
		quota = a.spent(ctx, &acct, uid, lim, networks.OpPublish)
	}
	for i := 1; i <= last; i++ {
		if ids[i] != "" {
			continue
		}
		id, q, err := a.reply(ctx, &acct, uid, ids[i-1], texts[i]+Tag(marker, i, i == last), marker, o)
		if q != nil {
			quotas = q
		}
		if err != nil {
			return a.receipt(acct, marker, ids[0], append(quotas, quota)), &apikit.ThreadError{Network: Network,
				Published: remoteIDs(ids[:i]), Failed: i, Err: err}
		}
		ids[i] = id
	}
	return a.receipt(acct, marker, ids[0], append(quotas, quota)), nil
}

func (a *Adapter) receipt(acct networks.Account, marker, id string, quotas []networks.Quota) networks.Receipt {
	return networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(id), Status: networks.StatusPublished,
		Marker: marker, At: a.api.Now(), Quotas: quotas}
}

func remoteIDs(ids []string) []networks.RemoteID {
	out := make([]networks.RemoteID, len(ids))
	for i, id := range ids {
		out[i] = networks.RemoteID(id)
	}
	return out
}

// root creates the root container of d (with children for a carousel)
// and returns its id.
func (a *Adapter) root(ctx context.Context, acct *networks.Account, uid string, d networks.Draft, o PostOptions, tag string) (string, error) {
	text := d.Text + tag
	switch len(d.Media) {
	case 0:
		p := map[string]any{"media_type": "TEXT", "text": text}
		if d.Link != "" {
			p["link_attachment"] = d.Link
		}
		return a.create(ctx, acct, uid, o.root(p))
	case 1:
		p := item(d.Media[0], false)
		p["text"] = text
		return a.create(ctx, acct, uid, o.root(p))
	}
	children := make([]string, 0, len(d.Media))
	for _, m := range d.Media {
		id, err := a.create(ctx, acct, uid, item(m, true))
		if err != nil {
			return "", err
		}
		children = append(children, id)
	}
	return a.create(ctx, acct, uid, o.root(map[string]any{"media_type": "CAROUSEL", "children": strings.Join(children, ","), "text": text}))
}

func item(m networks.MediaItem, child bool) map[string]any {
	p := map[string]any{}
	if m.Kind == assets.KindVideo {
		p["media_type"], p["video_url"] = "VIDEO", m.URL
	} else {
		p["media_type"], p["image_url"] = "IMAGE", m.URL
	}
	if m.Alt != "" {
		p["alt_text"] = m.Alt
	}
	if child {
		p["is_carousel_item"] = true
	}
	return p
}

// create makes one container. It is not a write for the kit: a container
// is invisible until published and expires in 24 hours, so a lost answer
// is retried with a new container.
func (a *Adapter) create(ctx context.Context, acct *networks.Account, uid string, p map[string]any) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodPost, Path: "/" + uid + "/threads", Params: p,
		Name: "POST /{threads-user-id}/threads", Account: acct, Op: networks.OpPublish}, &out)
	if err != nil {
		return "", err
	}
	if out.ID == "" || strings.ContainsAny(out.ID, "/?#") {
		return "", &networks.TransientError{Network: Network, Op: networks.OpPublish, Err: errors.New("POST /{threads-user-id}/threads: no container id in the answer")}
	}
	return out.ID, nil
}

// reply publishes one TEXT reply to parent: its container, its status
// (waited for while IN_PROGRESS) and threads_publish.
func (a *Adapter) reply(ctx context.Context, acct *networks.Account, uid, parent, text, marker string, o PostOptions) (string, []networks.Quota, error) {
	p := map[string]any{"media_type": "TEXT", "text": text, "reply_to_id": parent}
	if o.ReplyControl != "" {
		p["reply_control"] = o.ReplyControl
	}
	cid, err := a.create(ctx, acct, uid, p)
	if err != nil {
		return "", nil, err
	}
	st, err := a.status(ctx, acct, cid, networks.OpPublish)
	if err == nil && st.Status == "IN_PROGRESS" {
		st, err = a.await(ctx, acct, cid)
	}
	if err != nil {
		return "", nil, err
	}
	if st.Status != "FINISHED" {
		return "", nil, st.rejected(networks.OpPublish)
	}
	return a.publish(ctx, acct, uid, cid, marker, networks.OpPublish)
}

// containerStatus is a container's status and error_message
// (GET /{threads-container-id}?fields=status,error_message,
// https://developers.facebook.com/docs/threads/troubleshooting).
type containerStatus struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	ErrorMessage string `json:"error_message"`
}

func (s containerStatus) rejected(op string) error {
	reason := "container " + s.Status
	if s.ErrorMessage != "" {
		reason += ": " + s.ErrorMessage
	}
	code := s.Status
	if code == "" {
		code = "UNKNOWN"
	}
	return &networks.RejectedError{Network: Network, Op: op, Code: code, Reason: apikit.Message(reason),
		Err: &ContainerError{ID: s.ID, Status: s.Status, ErrorMessage: apikit.Message(s.ErrorMessage)}}
}

func (a *Adapter) status(ctx context.Context, acct *networks.Account, cid, op string) (containerStatus, error) {
	var st containerStatus
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodGet, Path: "/" + cid, Query: url.Values{"fields": {"id,status,error_message"}},
		Name: "GET /{threads-container-id}", Account: acct, Op: op, Target: networks.RemoteID(cid)}, &st)
	if st.ID == "" {
		st.ID = cid
	}
	return st, err
}

// await reads the container's status every 10 seconds until it is no
// longer IN_PROGRESS, for at most the processing timeout; still
// processing then is a *networks.TransientError (nothing was published:
// the container expires unseen).
func (a *Adapter) await(ctx context.Context, acct *networks.Account, cid string) (containerStatus, error) {
	deadline := a.api.Now().Add(a.procTimeout)
	for {
		if err := a.wait(ctx, 10*time.Second); err != nil {
			return containerStatus{}, fmt.Errorf("%s: waiting for container processing: %w", Network, err)
		}
		st, err := a.status(ctx, acct, cid, networks.OpPublish)
		if err != nil || st.Status != "IN_PROGRESS" {
			return st, err
		}
		if !a.api.Now().Before(deadline) {
			return st, &networks.TransientError{Network: Network, Op: networks.OpPublish,
				Err: fmt.Errorf("container still IN_PROGRESS after %s; nothing was published", a.procTimeout)}
		}
	}
}

// publish calls threads_publish (https://developers.facebook.com/docs/threads/posts), a write.
func (a *Adapter) publish(ctx context.Context, acct *networks.Account, uid, cid, marker, op string) (string, []networks.Quota, error) {
	var out struct {
		ID string `json:"id"`
	}
	res, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodPost, Path: "/" + uid + "/threads_publish",
		Params: map[string]any{"creation_id": cid}, Name: "POST /{threads-user-id}/threads_publish", Account: acct,
		Write: true, Op: op, Marker: marker}, &out)
	if err != nil {
		return "", res.Quotas, err
	}
	if out.ID == "" {
		return "", res.Quotas, &networks.OutcomeUnknownError{Network: Network, Op: op, AccountID: acct.ID, Marker: marker,
			Err: errors.New("POST /{threads-user-id}/threads_publish: no media id in the answer")}
	}
	return out.ID, res.Quotas, nil
}

// Check resolves a pending receipt (its ID is the container id of a single
// post): still IN_PROGRESS, pending; FINISHED, published now with
// threads_publish (after the publishing limit is checked); PUBLISHED (an
// earlier threads_publish whose answer was lost), the post found by its
// marker; ERROR or EXPIRED, a *networks.RejectedError with Threads'
// error_message. A threads_publish whose answer is lost here leaves the
// receipt pending: the next Check finds the container PUBLISHED and the
// post by its marker, so Check never publishes a container twice.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status != networks.StatusPending {
		return r, nil
	}
	uid, err := a.user(acct)
	if err != nil {
		return r, err
	}
	if err := checkID(r.ID); err != nil {
		return r, err
	}
	cid := string(r.ID)
	st, err := a.status(ctx, &acct, cid, networks.OpCheck)
	if err != nil {
		return r, err
	}
	switch st.Status {
	case "IN_PROGRESS":
		r.CheckAfter = 30 * time.Second
		return r, nil
	case "PUBLISHED":
		got, found, err := a.FindByMarker(ctx, acct, r.Marker)
		switch {
		case err != nil:
			return r, err
		case !found:
			return r, &networks.NotFoundError{Network: Network, Op: networks.OpCheck, ID: r.ID,
				Err: errors.New("the container is published but its post is not among the profile's recent posts")}
		}
		return got, nil
	case "FINISHED":
	default:
		return r, st.rejected(networks.OpCheck)
	}
	lim, err := a.limit(ctx, &acct, uid, networks.OpCheck, true, 0)
	if err != nil {
		return r, err
	}
	id, q, err := a.publish(ctx, &acct, uid, cid, r.Marker, networks.OpCheck)
	if errors.Is(err, networks.ErrOutcomeUnknown) {
		if found, ok, ferr := a.FindByMarker(ctx, acct, r.Marker); ferr == nil && ok {
			return found, nil
		}
		r.CheckAfter = 5 * time.Second
		return r, nil
	}
	if err != nil {
		return r, err
	}
	return a.receipt(acct, r.Marker, id, append(q, a.spent(ctx, &acct, uid, lim, networks.OpCheck))), nil
}

// Delete removes a published post (DELETE /{threads-media-id},
// https://developers.facebook.com/docs/threads/posts/delete-posts; the
// threads_delete permission, 100 deletes per profile per day).
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	if err := checkID(id); err != nil {
		return err
	}
	_, err := a.api.Do(ctx, &metagraph.Call{Method: http.MethodDelete, Path: "/" + string(id), Name: "DELETE /{threads-media-id}",
		Account: &acct, Write: true, Op: networks.OpDelete, Target: id}, nil)
	return err
}

func checkID(id networks.RemoteID) error {
	if id == "" || strings.ContainsAny(string(id), "/?#") {
		return &networks.FieldError{Network: Network, Field: "id", Value: string(id), Reason: "not a Threads media id"}
	}
	return nil
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
