package assets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow"
)

// Library is the content library: the portable type that owns the rules
// (probing, de-duplication, versions, approval for use, rights, usage) over
// a host's [Store] and [BlobStore].
//
// Every method that decides something from time takes now; the Library never
// reads the clock. A Library is safe for concurrent use when its Store and
// BlobStore are; conflicting writes are settled by the Store's optimistic
// concurrency (*[ConflictError]). Create one with [NewLibrary].
type Library struct {
	store    Store
	blobs    BlobStore
	newID    func() string
	approval bool
	limits   Limits
	known    []string
}

// Option configures a Library. An invalid value makes [NewLibrary] fail with
// an error matching [socialflow.ErrInvalid].
type Option func(*Library) error

// WithIDGenerator makes the Library name new assets with f, which must
// return a new non-empty ID on every call (a colliding ID fails the add with
// *[ExistsError]). Default: "as_" and 16 random hex digits.
func WithIDGenerator(f func() string) Option {
	return func(l *Library) error {
		if f == nil {
			return &FieldError{Field: "id generator", Reason: "nil"}
		}
		l.newID = f
		return nil
	}
}

// WithApprovalRequired says whether new assets start as drafts that need
// [Library.Approve] before use (true), or approved for use (false). Default
// true: a designer uploads, a manager approves.
func WithApprovalRequired(required bool) Option {
	return func(l *Library) error { l.approval = required; return nil }
}

// WithLimits sets the probe limits (see [Limits]). Default: the zero Limits,
// meaning 30000 px per side, 100 megapixels and 4 GiB.
func WithLimits(lim Limits) Option {
	return func(l *Library) error {
		if lim.MaxSide < 0 || lim.MaxPixels < 0 || lim.MaxSize < 0 {
			return &FieldError{Field: "limits", Value: fmt.Sprintf("%+v", lim), Reason: "must not be negative"}
		}
		l.limits = lim
		return nil
	}
}

// WithPlaceholders restricts the placeholders saved replies and templates
// may use to names (e.g. "first_name", "order_id"): a body using another
// name is refused when it is saved with a *[PlaceholderError]. Default: any
// well-formed name.
func WithPlaceholders(names ...string) Option {
	return func(l *Library) error {
		for _, n := range names {
			if !validPlaceholder(n) {
				return &FieldError{Field: "placeholder", Value: n, Reason: "not a placeholder name"}
			}
		}
		l.known = slices.Clone(names)
		return nil
	}
}

// NewLibrary returns a Library over store and blobs, both required.
func NewLibrary(store Store, blobs BlobStore, opts ...Option) (*Library, error) {
	if store == nil {
		return nil, &FieldError{Field: "store", Reason: "nil"}
	}
	if blobs == nil {
		return nil, &FieldError{Field: "blob store", Reason: "nil"}
	}
	l := &Library{store: store, blobs: blobs, newID: randomID, approval: true}
	for _, o := range opts {
		if err := o(l); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "as_" + hex.EncodeToString(b[:])
}

// NewAsset is what a caller gives to add an asset.
type NewAsset struct {
	// Kind is required for text (caption, saved reply, template). For media
	// it is optional and, when set, must equal the kind probed from the bytes.
	Kind    Kind
	Name    string
	MIME    string // media: the declared type, checked against the bytes
	Body    string // text: the caption, reply or template body
	AltText string
	Tags    []string // normalised with NormalizeTags
	Folder  string
	Creator string
	Rights  Rights
}

func (l *Library) newAsset(in NewAsset, now time.Time) (Asset, error) {
	tags, err := NormalizeTags(in.Tags)
	if err != nil {
		return Asset{}, err
	}
	a := Asset{
		Version: 1, Kind: in.Kind, Name: strings.TrimSpace(in.Name), Body: in.Body,
		AltText: in.AltText, Tags: tags, Folder: in.Folder, Creator: in.Creator,
		CreatedAt: now.UTC(), UpdatedAt: now.UTC(), Status: StatusDraft, Rights: in.Rights,
	}
	a.Rights.Channels = slices.Clone(in.Rights.Channels)
	a.Rights.Networks = slices.Clone(in.Rights.Networks)
	if !l.approval {
		a.Status, a.ApprovedAt = StatusApproved, now.UTC()
	}
	return a, nil
}

// AddMedia probes size bytes from r declared as in.MIME (see [ProbeLimits]),
// computes their SHA-256, stores them in the BlobStore under
// "sha256/<checksum>" and the asset in the Store, as a draft when approval
// is required.
//
// De-duplication: if an asset with the same checksum exists, AddMedia stores
// nothing and returns that existing asset together with a *[DuplicateError]
// naming it (matching [socialflow.ErrDuplicate]); the caller may use the
// returned asset or tell the user. Bad input (empty, corrupt, mismatched,
// oversized) fails before anything is stored, with errors matching
// [socialflow.ErrInvalid].
//
// r is read twice: the headers by the probe, then every byte for the
// checksum and the upload. Pass an *os.File or a *bytes.Reader.
func (l *Library) AddMedia(ctx context.Context, in NewAsset, r io.ReaderAt, size int64, now time.Time) (Asset, error) {
	if err := ctx.Err(); err != nil {
		return Asset{}, err
	}
	if r == nil {
		return Asset{}, &FieldError{Field: "data", Reason: "nil reader"}
	}
	md, err := ProbeLimits(r, size, in.MIME, l.limits)
	if err != nil {
		return Asset{}, err
	}
	if in.Kind != "" && in.Kind != md.Kind {
		return Asset{}, &FieldError{Field: "kind", Value: string(in.Kind), Reason: "bytes are " + string(md.Kind)}
	}
	if in.Body != "" {
		return Asset{}, &FieldError{Field: "body", Reason: "media assets carry no body"}
	}
	in.Kind = md.Kind
	a, err := l.newAsset(in, now)
	if err != nil {
		return Asset{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
		return Asset{}, fmt.Errorf("assets: reading upload: %w", err)
	}
	a.Media, a.Checksum = md, hex.EncodeToString(h.Sum(nil))
	a.BlobKey = "sha256/" + a.Checksum
	a.ID = l.newID()
	if err := a.Validate(); err != nil {
		return Asset{}, err
	}
	switch old, err := l.store.FindChecksum(ctx, a.Checksum); {
	case err == nil:
		return old, &DuplicateError{Checksum: a.Checksum, ExistingID: old.ID}
	case !errors.Is(err, socialflow.ErrNotFound):
		return Asset{}, err
	}
	// The key is content-addressed: a failed Create below leaves bytes that
	// the next upload of the same content overwrites with themselves.
	if err := l.blobs.Put(ctx, a.BlobKey, io.NewSectionReader(r, 0, size), size, md.MIME); err != nil {
		return Asset{}, err
	}
	if err := l.store.Create(ctx, a); err != nil {
		var dup *DuplicateError
		if errors.As(err, &dup) { // lost a race with the same upload
			old, gerr := l.store.Get(ctx, dup.ExistingID)
			if gerr == nil {
				return old, err
			}
		}
		return Asset{}, err
	}
	return a, nil
}

// AddText adds a caption snippet, saved reply or post template. The body of
// a saved reply or template is parsed with [ParseTemplate] (restricted to
// [WithPlaceholders] names if set) and its placeholders recorded; a caption
// is plain text. Text is never de-duplicated.
func (l *Library) AddText(ctx context.Context, in NewAsset, now time.Time) (Asset, error) {
	if err := ctx.Err(); err != nil {
		return Asset{}, err
	}
	if in.Kind.IsMedia() || !in.Kind.Valid() {
		return Asset{}, &FieldError{Field: "kind", Value: string(in.Kind), Reason: "not a text kind"}
	}
	if in.MIME != "" {
		return Asset{}, &FieldError{Field: "mime", Value: in.MIME, Reason: "text assets carry no bytes"}
	}
	a, err := l.newAsset(in, now)
	if err != nil {
		return Asset{}, err
	}
	if a.Placeholders, err = l.placeholders(a.Kind, a.Body); err != nil {
		return Asset{}, err
	}
	a.ID = l.newID()
	if err := a.Validate(); err != nil {
		return Asset{}, err
	}
	if err := l.store.Create(ctx, a); err != nil {
		return Asset{}, err
	}
	return a, nil
}

func (l *Library) placeholders(k Kind, body string) ([]string, error) {
	if k != KindSavedReply && k != KindTemplate {
		return nil, nil
	}
	t, err := ParseTemplate(body, l.known...)
	if err != nil {
		return nil, err
	}
	return t.Placeholders(), nil
}

// Get returns the current version of asset id.
func (l *Library) Get(ctx context.Context, id string) (Asset, error) { return l.store.Get(ctx, id) }

// Version returns version v of asset id as it was stored.
func (l *Library) Version(ctx context.Context, id string, v int) (Asset, error) {
	return l.store.GetVersion(ctx, id, v)
}

// Search returns one page of the assets matching q (see [Query]), sorted by
// q.Sort then ID. Pass the returned Page.Next as q.Cursor for the next page.
// A bad query matches [socialflow.ErrInvalid].
func (l *Library) Search(ctx context.Context, q Query) (Page, error) {
	q, err := q.Normalize()
	if err != nil {
		return Page{}, err
	}
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	return l.store.Search(ctx, q)
}

// Change is an edit of an asset's metadata; nil fields stay as they are.
type Change struct {
	Name    *string
	AltText *string
	Body    *string // text kinds only
	Tags    *[]string
	Folder  *string
	Rights  *Rights
}

// Update applies c to asset id, which must be at version (a *[ConflictError]
// naming the current version otherwise), and stores it as the next version.
// Changing the body of an approved text asset sends it back to draft when
// approval is required: what was approved is no longer what would be used.
func (l *Library) Update(ctx context.Context, id string, version int, c Change, now time.Time) (Asset, error) {
	return l.modify(ctx, id, version, now, func(a *Asset) error {
		if c.Name != nil {
			a.Name = strings.TrimSpace(*c.Name)
		}
		if c.AltText != nil {
			a.AltText = *c.AltText
		}
		if c.Folder != nil {
			a.Folder = *c.Folder
		}
		if c.Tags != nil {
			tags, err := NormalizeTags(*c.Tags)
			if err != nil {
				return err
			}
			a.Tags = tags
		}
		if c.Rights != nil {
			r := *c.Rights
			r.Channels, r.Networks = slices.Clone(r.Channels), slices.Clone(r.Networks)
			a.Rights = r
		}
		if c.Body != nil && *c.Body != a.Body {
			if a.Kind.IsMedia() {
				return &FieldError{Field: "body", Reason: "media assets carry no body"}
			}
			ph, err := l.placeholders(a.Kind, *c.Body)
			if err != nil {
				return err
			}
			a.Body, a.Placeholders = *c.Body, ph
			if l.approval && a.Status == StatusApproved {
				a.Status, a.ApprovedBy, a.ApprovedAt = StatusDraft, "", time.Time{}
			}
		}
		return nil
	})
}

// modify loads id, checks version, applies f and stores the next version.
func (l *Library) modify(ctx context.Context, id string, version int, now time.Time, f func(*Asset) error) (Asset, error) {
	a, err := l.store.Get(ctx, id)
	if err != nil {
		return Asset{}, err
	}
	if a.Version != version {
		return Asset{}, &ConflictError{ID: id, Version: version, Current: a.Version}
	}
	a = a.Clone()
	if err := f(&a); err != nil {
		return Asset{}, err
	}
	a.UpdatedAt = now.UTC()
	if err := a.Validate(); err != nil {
		return Asset{}, err
	}
	return l.store.Update(ctx, a)
}

// Approve approves draft asset id at version for use, recording approver and
// now. Approving an approved or archived asset is a *[TransitionError]. Who
// may approve is the caller's decision (see the workflow and approval
// packages).
func (l *Library) Approve(ctx context.Context, id string, version int, approver string, now time.Time) (Asset, error) {
	if approver == "" {
		return Asset{}, &FieldError{Field: "approver", Reason: "required"}
	}
	return l.transition(ctx, id, version, StatusApproved, now, func(a *Asset) {
		a.ApprovedBy, a.ApprovedAt = approver, now.UTC()
	})
}

// Archive retires asset id at version: it stays searchable (filter by
// status) and its versions readable, but it is refused for use. Archiving an
// archived asset is a *[TransitionError].
func (l *Library) Archive(ctx context.Context, id string, version int, now time.Time) (Asset, error) {
	return l.transition(ctx, id, version, StatusArchived, now, nil)
}

// Restore brings archived asset id at version back as a draft (or approved,
// when approval is not required): it must be approved again before use.
func (l *Library) Restore(ctx context.Context, id string, version int, now time.Time) (Asset, error) {
	to := StatusDraft
	if !l.approval {
		to = StatusApproved
	}
	return l.modify(ctx, id, version, now, func(a *Asset) error {
		if a.Status != StatusArchived {
			return &TransitionError{ID: id, From: a.Status, To: to}
		}
		a.Status, a.ApprovedBy, a.ApprovedAt = to, "", time.Time{}
		if to == StatusApproved {
			a.ApprovedAt = now.UTC()
		}
		return nil
	})
}

func (l *Library) transition(ctx context.Context, id string, version int, to Status, now time.Time, f func(*Asset)) (Asset, error) {
	return l.modify(ctx, id, version, now, func(a *Asset) error {
		ok := (to == StatusApproved && a.Status == StatusDraft) || (to == StatusArchived && a.Status != StatusArchived)
		if !ok {
			return &TransitionError{ID: id, From: a.Status, To: to}
		}
		a.Status = to
		if f != nil {
			f(a)
		}
		return nil
	})
}

// pending reports whether u still needs its asset at now: not scheduled yet
// (a draft post), or scheduled at or after now.
func pending(u Usage, now time.Time) bool { return u.At.IsZero() || !u.At.Before(now) }

// Delete removes asset id at version, its versions and its bytes. It refuses
// with an *[InUseError] listing the posts while any post still needs the
// asset: scheduled at or after now, or not scheduled yet. Usages by posts
// scheduled before now (already out) are removed with the asset. A usage
// recorded or an edit stored meanwhile makes the Store refuse (*InUseError,
// *ConflictError); the asset then stays, without the past usages already
// removed.
func (l *Library) Delete(ctx context.Context, id string, version int, now time.Time) error {
	us, err := l.store.Usages(ctx, id)
	if err != nil {
		return err
	}
	var busy []Usage
	for _, u := range us {
		if pending(u, now) {
			busy = append(busy, u)
		}
	}
	if len(busy) > 0 {
		return &InUseError{ID: id, Usages: busy}
	}
	a, err := l.store.Get(ctx, id)
	if err != nil {
		return err
	}
	if a.Version != version {
		return &ConflictError{ID: id, Version: version, Current: a.Version}
	}
	for _, u := range us {
		if err := l.store.RemoveUsage(ctx, u.AssetID, u.PostID, u.Channel); err != nil && !errors.Is(err, socialflow.ErrNotFound) {
			return err
		}
	}
	// The Store refuses if a usage was recorded meanwhile (InUseError).
	if err := l.store.Delete(ctx, id, version); err != nil {
		return err
	}
	if a.BlobKey != "" {
		// Bytes are content-addressed: an upload of the same bytes that
		// arrived after the metadata went away owns them now. Keep them then.
		// (A narrower race remains between this check and the delete; the
		// cost is bytes missing for that new asset, which Reprobe reports.)
		if _, err := l.store.FindChecksum(ctx, a.Checksum); err == nil {
			return nil
		}
		if err := l.blobs.Delete(ctx, a.BlobKey); err != nil && !errors.Is(err, socialflow.ErrNotFound) {
			return fmt.Errorf("assets: asset %s deleted, its bytes not: %w", id, err)
		}
	}
	return nil
}

// CheckUse applies [CheckUse] to the current version of asset id without
// recording anything: whether it may go out on channel (of network) at at.
// This is the check a publishing pipeline makes again just before sending.
// A missing asset matches [socialflow.ErrNotFound].
func (l *Library) CheckUse(ctx context.Context, id, channel, network string, at time.Time) error {
	a, err := l.store.Get(ctx, id)
	if err != nil {
		return err
	}
	return CheckUse(a, channel, network, at)
}

// Use records that post u.PostID uses asset u.AssetID on u.Channel at u.At
// (zero At: not scheduled yet, checked at now), after [CheckUse] allows it.
// A refusal is a *[UseError] saying which rule and why; nothing is recorded.
// Calling Use again for the same asset, post and channel (a reschedule)
// checks and replaces the usage.
func (l *Library) Use(ctx context.Context, u Usage, now time.Time) error {
	if err := u.Validate(); err != nil {
		return err
	}
	a, err := l.store.Get(ctx, u.AssetID)
	if err != nil {
		return err
	}
	at := u.At
	if at.IsZero() {
		at = now
	}
	if err := CheckUse(a, u.Channel, u.Network, at); err != nil {
		return err
	}
	if !u.At.IsZero() {
		u.At = u.At.UTC()
	}
	return l.store.PutUsage(ctx, u)
}

// Release removes the usage of asset by post on channel (the post was
// deleted, or no longer carries the asset).
func (l *Library) Release(ctx context.Context, assetID, postID, channel string) error {
	return l.store.RemoveUsage(ctx, assetID, postID, channel)
}

// Usages lists which posts use asset id, ordered by scheduled time.
func (l *Library) Usages(ctx context.Context, id string) ([]Usage, error) {
	return l.store.Usages(ctx, id)
}

// UsageProblem is a scheduled usage whose asset would be refused when the
// post goes out.
type UsageProblem struct {
	Usage Usage
	Asset Asset     // the asset's current version
	Err   *UseError // why it would be refused
}

// CheckScheduled checks every usage scheduled at or after now against its
// asset as it is now (see [CheckUse] at the usage's time), and returns those
// that would be refused, ordered by scheduled time: rights that expire
// before the post goes out, assets archived or sent back to draft since the
// post was scheduled, channels the rights no longer allow.
func (l *Library) CheckScheduled(ctx context.Context, now time.Time) ([]UsageProblem, error) {
	us, err := l.store.ScheduledUsages(ctx, now)
	if err != nil {
		return nil, err
	}
	cache := map[string]Asset{}
	var out []UsageProblem
	for _, u := range us {
		a, ok := cache[u.AssetID]
		if !ok {
			if a, err = l.store.Get(ctx, u.AssetID); err != nil {
				if errors.Is(err, socialflow.ErrNotFound) {
					continue // deleted meanwhile: its usages went with it
				}
				return nil, err
			}
			cache[u.AssetID] = a
		}
		var ue *UseError
		if errors.As(CheckUse(a, u.Channel, u.Network, u.At), &ue) {
			out = append(out, UsageProblem{Usage: u, Asset: a, Err: ue})
		}
	}
	return out, nil
}

// ExpiringRights reports the assets whose usage rights expire before the
// posts that use them are scheduled: the [Library.CheckScheduled] problems
// whose reason is [ReasonRightsExpired].
func (l *Library) ExpiringRights(ctx context.Context, now time.Time) ([]UsageProblem, error) {
	ps, err := l.CheckScheduled(ctx, now)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ps, func(p UsageProblem) bool { return p.Err.Reason != ReasonRightsExpired }), nil
}

// Render fills the placeholders of saved reply or template id from values
// (see [Template.Render]) for use at now. The asset must be usable at now
// (approved, not archived, rights valid; channel rights are not checked
// here, see [Library.Use]), else a *[UseError].
func (l *Library) Render(ctx context.Context, id string, values map[string]string, now time.Time) (string, error) {
	a, err := l.store.Get(ctx, id)
	if err != nil {
		return "", err
	}
	if a.Kind != KindSavedReply && a.Kind != KindTemplate {
		return "", &FieldError{Field: "kind", Value: string(a.Kind), Reason: "only saved replies and templates render"}
	}
	var ue *UseError
	if errors.As(CheckUse(a, "", "", now), &ue) && ue.Reason != ReasonChannelNotAllowed {
		return "", ue
	}
	t, err := ParseTemplate(a.Body)
	if err != nil {
		return "", err
	}
	return t.Render(values)
}

// Open returns a reader over the bytes of media asset id, and the asset.
func (l *Library) Open(ctx context.Context, id string) (io.ReadCloser, Asset, error) {
	a, err := l.store.Get(ctx, id)
	if err != nil {
		return nil, Asset{}, err
	}
	if !a.Kind.IsMedia() {
		return nil, Asset{}, &FieldError{Field: "kind", Value: string(a.Kind), Reason: "text assets have no bytes"}
	}
	rc, err := l.blobs.NewRangeReader(ctx, a.BlobKey, 0, -1)
	if err != nil {
		return nil, Asset{}, err
	}
	return rc, a, nil
}

// Reprobe probes the stored bytes of media asset id again through the
// BlobStore's range reads (headers only), for checking what a host store
// holds. It returns the probed metadata.
func (l *Library) Reprobe(ctx context.Context, id string) (Media, error) {
	a, err := l.store.Get(ctx, id)
	if err != nil {
		return Media{}, err
	}
	if !a.Kind.IsMedia() {
		return Media{}, &FieldError{Field: "kind", Value: string(a.Kind), Reason: "text assets have no bytes"}
	}
	attrs, err := l.blobs.Attributes(ctx, a.BlobKey)
	if err != nil {
		return Media{}, err
	}
	return ProbeLimits(&blobReaderAt{ctx: ctx, bs: l.blobs, key: a.BlobKey}, attrs.Size, a.Media.MIME, l.limits)
}
