package bluesky

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // aspect ratio of GIF images
	_ "image/jpeg" // aspect ratio of JPEG images
	_ "image/png"  // aspect ratio of PNG images
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	_ "golang.org/x/image/webp" // aspect ratio of WebP images

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Network is the adapter's network key, [networks.Bluesky].
const Network = networks.Bluesky

// postCollection is the NSID of a post record.
const postCollection = "app.bsky.feed.post"

// DefaultImageMaxSize is the image size limit the adapter enforces unless
// [WithImageMaxSize] says otherwise: 1,000,000 bytes, the maxSize of
// app.bsky.embed.images in @atproto/pds 0.4.217, which rejects a
// 1,100,087-byte image at createRecord ("blob too big"). Newer lexicons
// allow 2,000,000.
const DefaultImageMaxSize = 1_000_000

// Adapter publishes to any AT Protocol PDS (Bluesky's or a self-hosted
// one). It implements [networks.Adapter] and [networks.Finder]. Create it
// with [New]; the zero value is not usable. It is immutable after New and
// safe for concurrent use.
//
// The account's PDS is [networks.Account].BaseURL and its credentials are
// the session tokens of [Adapter.Login] in [networks.Account].Tokens: the
// access JWT as AccessToken, the refresh JWT as RefreshToken.
type Adapter struct {
	api      *apikit.Client
	now      func() time.Time
	imageMax int64
	appView  string
}

// Option configures an Adapter. An invalid value makes [New] fail with an
// error matching [socialflow.ErrInvalid].
type Option func(*Adapter) error

// WithClock sets the clock used for createdAt and rate-limit resets.
// Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(a *Adapter) error {
		if now == nil {
			return &ConfigError{Field: "clock", Value: "nil", Reason: "required"}
		}
		a.now = now
		return nil
	}
}

// WithImageMaxSize sets the largest image accepted, in bytes. Default:
// [DefaultImageMaxSize].
func WithImageMaxSize(n int64) Option {
	return func(a *Adapter) error {
		if n <= 0 {
			return &ConfigError{Field: "image_max_size", Value: fmt.Sprint(n), Reason: "must be positive"}
		}
		a.imageMax = n
		return nil
	}
}

// WithAppView sends app.bsky.feed.getPosts (metrics) to an app view such as
// https://public.api.bsky.app, without credentials. Default: the account's
// PDS, which proxies it to its configured app view with the account's
// token.
func WithAppView(baseURL string) Option {
	return func(a *Adapter) error {
		if _, err := xrpcURL(baseURL, "x", nil); err != nil {
			return err
		}
		a.appView = baseURL
		return nil
	}
}

// New returns an Adapter that sends its requests through hc. A nil hc means
// http.DefaultClient; hc is never modified.
func New(hc *http.Client, opts ...Option) (*Adapter, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	a := &Adapter{now: time.Now, imageMax: DefaultImageMaxSize}
	if err := apikit.ApplyOptions(a, opts); err != nil {
		return nil, err
	}
	a.api = &apikit.Client{Network: Network, HTTP: hc, Now: a.now, Quotas: rateHeaders, Classify: classifyXRPC}
	return a, nil
}

// Spec returns [networks.BlueskySpec] adjusted to what this adapter does:
// images up to the configured size (see [DefaultImageMaxSize]) and no video
// (video needs Bluesky's separate video service). It returns an equal,
// freshly allocated value on every call.
func (a *Adapter) Spec() networks.Spec {
	s := networks.BlueskySpec()
	img := s.Media.Kinds[assets.KindImage]
	img.MaxSize = a.imageMax
	s.Media.Kinds = map[assets.Kind]networks.MediaLimit{assets.KindImage: img}
	return s
}

// strongRef is com.atproto.repo.strongRef.
type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// replyRef is app.bsky.feed.post#replyRef.
type replyRef struct {
	Root   strongRef `json:"root"`
	Parent strongRef `json:"parent"`
}

// aspectRatio is app.bsky.embed.defs#aspectRatio.
type aspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// imageJSON is app.bsky.embed.images#image.
type imageJSON struct {
	Image       json.RawMessage `json:"image"`
	Alt         string          `json:"alt"`
	AspectRatio *aspectRatio    `json:"aspectRatio,omitempty"`
}

// imagesEmbed is app.bsky.embed.images.
type imagesEmbed struct {
	Type   string      `json:"$type"`
	Images []imageJSON `json:"images"`
}

// postRecord is app.bsky.feed.post.
type postRecord struct {
	Type      string       `json:"$type"`
	Text      string       `json:"text"`
	CreatedAt string       `json:"createdAt"`
	Facets    []facetJSON  `json:"facets,omitempty"`
	Reply     *replyRef    `json:"reply,omitempty"`
	Embed     *imagesEmbed `json:"embed,omitempty"`
}

// session is what an operation knows about the account: the kit's
// session (which never prints its token), the PDS and the DID.
type session struct {
	apikit.Session
	pds string
	did string
}

// open checks acct and gets its access token and DID (the access JWT's sub
// claim, else the token's "did" extra, else the handle).
func (a *Adapter) open(ctx context.Context, acct networks.Account, op string) (session, error) {
	if err := ctx.Err(); err != nil {
		return session{}, fmt.Errorf("bluesky: %s: %w", op, err)
	}
	if _, err := xrpcURL(acct.BaseURL, "x", nil); err != nil {
		return session{}, &networks.FieldError{Network: Network, Field: "account.base_url", Value: acct.BaseURL, Reason: "not an absolute http(s) URL of a PDS"}
	}
	tok, err := networks.AccessToken(ctx, Network, acct)
	if err != nil {
		return session{}, err
	}
	s := session{Session: apikit.Session{Account: acct, Token: tok.AccessToken}, pds: acct.BaseURL}
	if c, ok := jwtClaims(tok.AccessToken); ok && strings.HasPrefix(c.Sub, "did:") {
		s.did = c.Sub
	} else if d, ok := tok.Extra("did").(string); ok && strings.HasPrefix(d, "did:") {
		s.did = d
	} else {
		s.did = strings.TrimPrefix(acct.Handle, "@")
	}
	if s.did == "" {
		return session{}, &networks.FieldError{Network: Network, Field: "account.handle", Reason: "no DID in the token and no handle"}
	}
	return s, nil
}

// part is one post of a thread, ready to send.
type part struct {
	text   string
	facets []Facet
}

// Publish posts d as an app.bsky.feed.post record through
// com.atproto.repo.createRecord
// (https://docs.bsky.app/docs/api/com-atproto-repo-create-record), its
// images through com.atproto.repo.uploadBlob
// (https://docs.bsky.app/docs/api/com-atproto-repo-upload-blob) as an
// app.bsky.embed.images embed with alt text and aspect ratio, and each
// d.Thread entry as a reply (root and parent) to the one before.
//
// Nothing is sent unless d passes [networks.Validate] against Spec (300
// graphemes, 3000 UTF-8 bytes, 4 images within the size limit) and its
// facets ([DetectFacets]) pass [CheckFacets]. Mentions are resolved to DIDs
// with com.atproto.identity.resolveHandle before anything is written; a
// handle that does not resolve stays plain text.
//
// Each record's key is [RecordKey](d.Marker, i), so publishing the same
// draft again with the same marker finds the parts already published (the
// PDS answers a second create of the same key with HTTP 500, which the
// adapter resolves with getRecord) and continues after them: a lost
// response or a thread that failed midway never posts a part twice. A
// thread that fails after its root returns the root's receipt and a
// *[ThreadError] listing the published parts.
func (a *Adapter) Publish(ctx context.Context, acct networks.Account, d networks.Draft) (networks.Receipt, error) {
	return a.publish(ctx, acct, d, networks.OpPublish, nil)
}

// publish is Publish for op; a non-nil to makes the root a reply to to's
// parent post ([Adapter.Reply]), which it resolves once the session is
// open and before anything is written.
func (a *Adapter) publish(ctx context.Context, acct networks.Account, d networks.Draft, op string, to func(context.Context, session) (*replyRef, error)) (networks.Receipt, error) {
	if err := networks.Validate(a.Spec(), d); err != nil {
		return networks.Receipt{}, err
	}
	texts := append([]string{d.Text}, d.Thread...)
	parts := make([]part, len(texts))
	for i, t := range texts {
		fs := DetectFacets(t)
		if err := CheckFacets(t, fs); err != nil {
			return networks.Receipt{}, err
		}
		parts[i] = part{text: t, facets: fs}
	}
	s, err := a.open(ctx, acct, op)
	if err != nil {
		return networks.Receipt{}, err
	}
	marker := apikit.Marker(d)
	// Reads first: the post answered, mentions, then image bytes. Nothing
	// is published yet.
	var first *replyRef
	if to != nil {
		if first, err = to(ctx, s); err != nil {
			return networks.Receipt{}, err
		}
	}
	if err := a.resolveMentions(ctx, s, op, parts); err != nil {
		return networks.Receipt{}, err
	}
	embed, err := a.uploadImages(ctx, s, op, d.Media)
	if err != nil {
		return networks.Receipt{}, err
	}
	var (
		root, parent strongRef
		published    []networks.RemoteID
		quotas       []networks.Quota
	)
	for i, p := range parts {
		rec := postRecord{Type: postCollection, Text: p.text, CreatedAt: a.now().UTC().Format("2006-01-02T15:04:05.000Z")}
		for _, f := range p.facets {
			rec.Facets = append(rec.Facets, f.toJSON())
		}
		switch {
		case i == 0:
			rec.Embed, rec.Reply = embed, first
		case first != nil:
			rec.Reply = &replyRef{Root: first.Root, Parent: parent} // the conversation's root
		default:
			rec.Reply = &replyRef{Root: root, Parent: parent}
		}
		ref, q, err := a.createPost(ctx, s, op, marker, i, rec)
		if q != nil {
			quotas = q
		}
		if err != nil {
			if i == 0 {
				return networks.Receipt{}, err
			}
			return a.receipt(s, marker, root, quotas), &ThreadError{Network: Network, Published: published, Failed: i, Err: err}
		}
		if i == 0 {
			root = ref
		}
		parent = ref
		published = append(published, networks.RemoteID(ref.URI))
	}
	return a.receipt(s, marker, root, quotas), nil
}

// receipt describes the published root post.
func (a *Adapter) receipt(s session, marker string, root strongRef, quotas []networks.Quota) networks.Receipt {
	return networks.Receipt{
		Network: Network, AccountID: s.Account.ID, ID: networks.RemoteID(root.URI), URL: webURL(root.URI),
		Status: networks.StatusPublished, Marker: marker, At: a.now(), Quotas: quotas,
	}
}

// webURL returns the bsky.app link of a post's AT URI.
func webURL(uri string) string {
	repo, coll, rkey, ok := parseATURI(uri)
	if !ok || coll != postCollection {
		return ""
	}
	return "https://bsky.app/profile/" + repo + "/post/" + rkey
}

// createPost creates part i of a publish with the key RecordKey(marker, i).
// A 500 answer is how the PDS reports an existing key: after a 500, 502 or
// 503 the record is looked up, and taken as published when it is there,
// while its absence proves nothing was written (transient). A 504
// (UpstreamTimeout), a lost answer or a failed lookup stay an unknown
// outcome: the write may still land.
func (a *Adapter) createPost(ctx context.Context, s session, op, marker string, i int, rec postRecord) (strongRef, []networks.Quota, error) {
	rkey := RecordKey(marker, i)
	var out strongRef
	r, err := a.do(ctx, s.pds, call{
		method: http.MethodPost, nsid: "com.atproto.repo.createRecord",
		in:    map[string]any{"repo": s.did, "collection": postCollection, "rkey": rkey, "record": rec},
		token: s.Token, write: true, op: op, account: s.Account.ID, marker: marker,
	}, &out)
	if err == nil {
		return out, r.Quotas, nil
	}
	var xe *XRPCError
	if !errors.As(err, &xe) || (xe.Status != http.StatusInternalServerError && xe.Status != http.StatusBadGateway && xe.Status != http.StatusServiceUnavailable) {
		return strongRef{}, r.Quotas, err
	}
	got, found, lerr := a.getPost(ctx, s, rkey, op)
	switch {
	case lerr != nil:
		return strongRef{}, r.Quotas, err // still unknown
	case found:
		return got, r.Quotas, nil // published by an earlier attempt
	default:
		// The PDS failed and holds no record: nothing was written.
		return strongRef{}, r.Quotas, &networks.TransientError{Network: Network, Op: op, Status: xe.Status, Err: xe}
	}
}

// getPost reads the post with key rkey of s's repo through
// com.atproto.repo.getRecord
// (https://docs.bsky.app/docs/api/com-atproto-repo-get-record). found is
// false when the PDS answers RecordNotFound.
func (a *Adapter) getPost(ctx context.Context, s session, rkey, op string) (strongRef, bool, error) {
	return a.getRecord(ctx, s, s.did, rkey, op)
}

func (a *Adapter) getRecord(ctx context.Context, s session, repo, rkey, op string) (strongRef, bool, error) {
	var out strongRef
	_, err := a.do(ctx, s.pds, call{
		method: http.MethodGet, nsid: "com.atproto.repo.getRecord",
		query: url.Values{"repo": {repo}, "collection": {postCollection}, "rkey": {rkey}},
		token: s.Token, op: op, account: s.Account.ID,
		target: networks.RemoteID("at://" + repo + "/" + postCollection + "/" + rkey),
	}, &out)
	if errors.Is(err, socialflow.ErrNotFound) {
		return strongRef{}, false, nil
	}
	if err != nil {
		return strongRef{}, false, err
	}
	return out, true, nil
}

// resolveMentions replaces each mention's handle by its DID, through
// com.atproto.identity.resolveHandle
// (https://docs.bsky.app/docs/api/com-atproto-identity-resolve-handle),
// and drops mentions whose handle does not resolve.
func (a *Adapter) resolveMentions(ctx context.Context, s session, op string, parts []part) error {
	dids := map[string]string{}
	for pi := range parts {
		kept := parts[pi].facets[:0]
		for _, f := range parts[pi].facets {
			if f.Kind != FacetMention {
				kept = append(kept, f)
				continue
			}
			did, seen := dids[f.Value]
			if !seen {
				var out struct {
					DID string `json:"did"`
				}
				_, err := a.do(ctx, s.pds, call{
					method: http.MethodGet, nsid: "com.atproto.identity.resolveHandle",
					query: url.Values{"handle": {f.Value}}, token: s.Token, op: op, account: s.Account.ID,
				}, &out)
				switch {
				case err == nil && strings.HasPrefix(out.DID, "did:"):
					did = out.DID
				case err == nil || errors.Is(err, socialflow.ErrRejected) || errors.Is(err, socialflow.ErrNotFound):
					// "Unable to resolve handle": keep the text, drop the facet.
				default:
					return err
				}
				dids[f.Value] = did
			}
			if did != "" {
				f.Value = did
				kept = append(kept, f)
			}
		}
		parts[pi].facets = kept
	}
	return nil
}

// uploadImages uploads each image and returns the embed, or nil without
// media. Blobs the post never references are garbage-collected by the PDS,
// so an upload whose answer is lost is transient, not an unknown outcome.
func (a *Adapter) uploadImages(ctx context.Context, s session, op string, media []networks.MediaItem) (*imagesEmbed, error) {
	if len(media) == 0 {
		return nil, nil
	}
	emb := &imagesEmbed{Type: "app.bsky.embed.images"}
	for i, m := range media {
		field := fmt.Sprintf("media[%d]", i)
		if m.Open == nil {
			return nil, &networks.Violation{Network: Network, Field: field, Rule: networks.RuleRequired, Offset: -1, Detail: "no bytes to upload (Open is nil)"}
		}
		rc, err := m.Open(ctx)
		if err != nil {
			return nil, fmt.Errorf("bluesky: open %s: %w", field, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, a.imageMax+1))
		_ = rc.Close()
		if err != nil {
			return nil, fmt.Errorf("bluesky: read %s: %w", field, err)
		}
		if int64(len(data)) > a.imageMax {
			return nil, &networks.Violation{Network: Network, Field: field + ".size", Rule: networks.RuleMax, Limit: a.imageMax, Value: max(m.Size, int64(len(data))), Offset: -1}
		}
		mime := m.MIME
		if mime == "" {
			mime = http.DetectContentType(data)
		}
		var out struct {
			Blob json.RawMessage `json:"blob"`
		}
		if _, err := a.do(ctx, s.pds, call{
			method: http.MethodPost, nsid: "com.atproto.repo.uploadBlob", raw: data, ctype: mime,
			token: s.Token, op: op, account: s.Account.ID,
		}, &out); err != nil {
			var ou *networks.OutcomeUnknownError
			if errors.As(err, &ou) {
				return nil, &networks.TransientError{Network: Network, Op: op, Err: ou.Err}
			}
			return nil, err
		}
		img := imageJSON{Image: out.Blob, Alt: m.Alt}
		w, h := m.Width, m.Height
		if w <= 0 || h <= 0 {
			if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
				w, h = cfg.Width, cfg.Height
			}
		}
		if w > 0 && h > 0 {
			img.AspectRatio = &aspectRatio{Width: w, Height: h}
		}
		emb.Images = append(emb.Images, img)
	}
	return emb, nil
}

// Check returns r unchanged when it is published (Bluesky publishes
// synchronously). For another receipt with an ID it reads the record back
// and returns it as published, or a *networks.NotFoundError.
func (a *Adapter) Check(ctx context.Context, acct networks.Account, r networks.Receipt) (networks.Receipt, error) {
	if r.Status == networks.StatusPublished {
		return r, nil
	}
	s, err := a.open(ctx, acct, networks.OpCheck)
	if err != nil {
		return r, err
	}
	repo, coll, rkey, ok := parseATURI(string(r.ID))
	if !ok || coll != postCollection {
		return r, notPost(networks.OpCheck, r.ID)
	}
	_, found, err := a.getRecord(ctx, s, repo, rkey, networks.OpCheck)
	if err != nil {
		return r, err
	}
	if !found {
		return r, &networks.NotFoundError{Network: Network, Op: networks.OpCheck, ID: r.ID}
	}
	r.Status, r.URL = networks.StatusPublished, webURL(string(r.ID))
	return r, nil
}

// Delete removes the post id (an AT URI) through
// com.atproto.repo.deleteRecord
// (https://docs.bsky.app/docs/api/com-atproto-repo-delete-record). The PDS
// answers 200 to a delete of a missing record, so the record is read first:
// a missing one (or an id that is not a post's AT URI) yields
// *networks.NotFoundError. Only the record named is
// deleted, not the replies of a thread.
func (a *Adapter) Delete(ctx context.Context, acct networks.Account, id networks.RemoteID) error {
	s, err := a.open(ctx, acct, networks.OpDelete)
	if err != nil {
		return err
	}
	repo, coll, rkey, ok := parseATURI(string(id))
	if !ok || coll != postCollection {
		return notPost(networks.OpDelete, id)
	}
	ref, found, err := a.getRecord(ctx, s, repo, rkey, networks.OpDelete)
	if err != nil {
		return err
	}
	if !found {
		return &networks.NotFoundError{Network: Network, Op: networks.OpDelete, ID: id}
	}
	_, err = a.do(ctx, s.pds, call{
		method: http.MethodPost, nsid: "com.atproto.repo.deleteRecord",
		in:    map[string]string{"repo": repo, "collection": postCollection, "rkey": rkey, "swapRecord": ref.CID},
		token: s.Token, write: true, op: networks.OpDelete, account: acct.ID, target: id,
	}, nil)
	return err
}

// postView is the part of app.bsky.feed.defs#postView the adapter reads.
type postView struct {
	URI         string `json:"uri"`
	LikeCount   *int64 `json:"likeCount"`
	RepostCount *int64 `json:"repostCount"`
	ReplyCount  *int64 `json:"replyCount"`
	QuoteCount  *int64 `json:"quoteCount"`
}

// Metrics reads likes, reposts, replies and quotes through
// app.bsky.feed.getPosts
// (https://docs.bsky.app/docs/api/app-bsky-feed-get-posts), served by an
// app view. A PDS without one (a bare or self-hosted PDS answers 400
// InvalidRequest "No service configured") gives a snapshot without
// counters once getRecord shows the post exists: Bluesky reports no
// impressions, and counters it cannot read are absent, never zero.
func (a *Adapter) Metrics(ctx context.Context, acct networks.Account, id networks.RemoteID) (analytics.Snapshot, error) {
	s, err := a.open(ctx, acct, networks.OpMetrics)
	if err != nil {
		return analytics.Snapshot{}, err
	}
	repo, coll, rkey, ok := parseATURI(string(id))
	if !ok || coll != postCollection {
		return analytics.Snapshot{}, notPost(networks.OpMetrics, id)
	}
	c := call{
		method: http.MethodGet, nsid: "app.bsky.feed.getPosts", query: url.Values{"uris": {string(id)}},
		token: s.Token, op: networks.OpMetrics, account: acct.ID, target: id,
	}
	base := s.pds
	if a.appView != "" {
		base, c.token = a.appView, ""
	}
	var out struct {
		Posts []postView `json:"posts"`
	}
	_, err = a.do(ctx, base, c, &out)
	snap := analytics.Snapshot{Target: string(id), At: a.now()}
	var xe *XRPCError
	switch {
	case err == nil && len(out.Posts) > 0:
		p := out.Posts[0]
		apikit.SetCounters(&snap.Counters, apikit.Counter{Metric: analytics.Likes, Value: p.LikeCount},
			apikit.Counter{Metric: analytics.Shares, Value: p.RepostCount}, apikit.Counter{Metric: analytics.Comments, Value: p.ReplyCount},
			apikit.Counter{Metric: analytics.Quotes, Value: p.QuoteCount})
		return snap, nil
	case err == nil:
		return analytics.Snapshot{}, &networks.NotFoundError{Network: Network, Op: networks.OpMetrics, ID: id}
	case errors.As(err, &xe) && (xe.Name == "InvalidRequest" || xe.Name == "MethodNotImplemented" || xe.Status == http.StatusNotImplemented):
		// No app view behind this PDS: metrics are absent.
		_, found, err := a.getRecord(ctx, s, repo, rkey, networks.OpMetrics)
		if err != nil {
			return analytics.Snapshot{}, err
		}
		if !found {
			return analytics.Snapshot{}, &networks.NotFoundError{Network: Network, Op: networks.OpMetrics, ID: id}
		}
		return snap, nil
	default:
		return analytics.Snapshot{}, err
	}
}

// FindByMarker looks up the post a publish with marker created: its record
// key is RecordKey(marker, 0), read with com.atproto.repo.getRecord. A
// RecordNotFound answer is a definite false.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	s, err := a.open(ctx, acct, networks.OpFind)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	ref, found, err := a.getPost(ctx, s, RecordKey(marker, 0), networks.OpFind)
	if err != nil || !found {
		return networks.Receipt{}, false, err
	}
	r := a.receipt(s, marker, ref, nil)
	r.At = time.Time{}
	return r, true, nil
}

// notPost reports an ID that cannot name a post (not an AT URI of an
// app.bsky.feed.post record): no such post exists.
func notPost(op string, id networks.RemoteID) error {
	return &networks.NotFoundError{Network: Network, Op: op, ID: id,
		Err: errors.New("bluesky: not the AT URI of an app.bsky.feed.post record")}
}

// parseATURI splits at://repo/collection/rkey.
func parseATURI(u string) (repo, collection, rkey string, ok bool) {
	rest, found := strings.CutPrefix(u, "at://")
	if !found {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// tidAlphabet is the base32-sortable alphabet of AT Protocol TIDs.
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// RecordKey returns the record key of part i (0 = the root) of a publish
// carrying marker: a TID (https://atproto.com/specs/tid: 13 base32-sortable
// characters of a 63-bit integer), as app.bsky.feed.post requires — the PDS
// refuses other keys with InvalidRequest "Invalid TID string". Its bits come
// from SHA-256 of marker and i, so it is stable across attempts; it is not
// a creation time.
func RecordKey(marker string, i int) string {
	h := sha256.Sum256(fmt.Appendf(nil, "socialflow/%d/%s", i, marker))
	return encodeTID(binary.BigEndian.Uint64(h[:8]) &^ (1 << 63))
}

// encodeTID encodes v (top bit clear) as 13 base32-sortable characters.
func encodeTID(v uint64) string {
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

var (
	_ networks.Adapter = (*Adapter)(nil)
	_ networks.Finder  = (*Adapter)(nil)
)
