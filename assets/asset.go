package assets

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// Status is where an asset is in its life: a draft awaiting approval,
// approved for use, or archived. The zero value is invalid.
type Status string

// The statuses of an asset.
const (
	StatusDraft    Status = "draft"    // uploaded, not yet approved for use
	StatusApproved Status = "approved" // approved for use in posts
	StatusArchived Status = "archived" // retired: kept and searchable, never used
)

// Valid reports whether s is one of the declared statuses.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusApproved || s == StatusArchived
}

// Rights are the usage rights of an asset: the licence, the credit to give,
// the window in which it may be used and where. The zero Rights mean "no
// restriction recorded": usable anywhere, any time.
type Rights struct {
	License  string    `json:"license,omitempty"`  // e.g. "CC BY 4.0", "Getty editorial #123"
	Credit   string    `json:"credit,omitempty"`   // e.g. "Photo: Ana Lima"
	Starts   time.Time `json:"starts,omitzero"`    // first instant of use; zero: no start
	Expires  time.Time `json:"expires,omitzero"`   // first instant it may no longer be used; zero: never
	Channels []string  `json:"channels,omitempty"` // channel IDs allowed; see AllowsTarget
	Networks []string  `json:"networks,omitempty"` // network names allowed, e.g. "instagram"
}

// ValidAt reports whether the rights allow use at t: Starts <= t < Expires,
// each bound applying only when set.
func (r Rights) ValidAt(t time.Time) bool {
	return (r.Starts.IsZero() || !t.Before(r.Starts)) && (r.Expires.IsZero() || t.Before(r.Expires))
}

// AllowsTarget reports whether the rights allow use on channel of network.
// With neither Channels nor Networks set, everything is allowed; otherwise
// the channel must be in Channels or the network in Networks (either list
// grants use).
func (r Rights) AllowsTarget(channel, network string) bool {
	if len(r.Channels) == 0 && len(r.Networks) == 0 {
		return true
	}
	return (channel != "" && slices.Contains(r.Channels, channel)) ||
		(network != "" && slices.Contains(r.Networks, network))
}

// Asset is one item of the library: media (image, GIF, video, document)
// whose bytes live in the [BlobStore], or text (caption snippet, saved
// reply, post template) held in Body.
//
// Asset is a plain value: copy it freely, but use [Asset.Clone] before
// mutating slices shared with another copy. The zero Asset is invalid.
type Asset struct {
	ID      string `json:"id"`
	Version int    `json:"version"` // 1 on creation, +1 on every stored change
	Kind    Kind   `json:"kind"`
	Name    string `json:"name"`

	// Media is the probed metadata of a media asset; zero for text kinds.
	Media Media `json:"media,omitzero"`
	// Checksum is the hex SHA-256 of the bytes of a media asset (the
	// de-duplication key); empty for text kinds.
	Checksum string `json:"checksum,omitempty"`
	// BlobKey is the key of the bytes in the BlobStore; empty for text kinds.
	BlobKey string `json:"blob_key,omitempty"`

	// Body is the text of a caption, saved reply or template.
	Body string `json:"body,omitempty"`
	// Placeholders lists the placeholder names of Body in order of first
	// appearance (see [ParseTemplate]); empty for media.
	Placeholders []string `json:"placeholders,omitempty"`

	AltText string   `json:"alt_text,omitempty"`
	Tags    []string `json:"tags,omitempty"`   // normalised: folded case, no '#', sorted, unique
	Folder  string   `json:"folder,omitempty"` // slash-separated path, "" is the root
	Creator string   `json:"creator,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	Status     Status    `json:"status"`
	ApprovedBy string    `json:"approved_by,omitempty"` // "" when approval was not required
	ApprovedAt time.Time `json:"approved_at,omitzero"`

	Rights Rights `json:"rights,omitzero"`
}

// Clone returns a deep copy of a: no slice is shared with a.
func (a Asset) Clone() Asset {
	a.Tags = slices.Clone(a.Tags)
	a.Placeholders = slices.Clone(a.Placeholders)
	a.Rights.Channels = slices.Clone(a.Rights.Channels)
	a.Rights.Networks = slices.Clone(a.Rights.Networks)
	return a
}

// Limits on asset fields, checked by [Asset.Validate].
const (
	MaxNameLen   = 200   // bytes of Name
	MaxTextLen   = 20000 // bytes of Body or AltText
	MaxTags      = 50    // tags per asset
	MaxTagLen    = 64    // bytes per tag
	MaxFolderLen = 512   // bytes of Folder
)

// Validate checks that a is a well-formed asset, as a Store expects it:
// ID, version, kind, name, status, media metadata for media kinds or a body
// for text kinds, normalised tags, a clean folder path and a coherent rights
// window. Errors are *[FieldError] and match [socialflow.ErrInvalid].
func (a Asset) Validate() error {
	switch {
	case a.ID == "":
		return &FieldError{Field: "id", Reason: "required"}
	case a.Version < 1:
		return &FieldError{Field: "version", Value: fmt.Sprint(a.Version), Reason: "must be at least 1"}
	case !a.Kind.Valid():
		return &FieldError{Field: "kind", Value: string(a.Kind), Reason: "unknown kind"}
	case strings.TrimSpace(a.Name) == "":
		return &FieldError{Field: "name", Reason: "required"}
	case len(a.Name) > MaxNameLen:
		return &FieldError{Field: "name", Value: fmt.Sprint(len(a.Name)), Reason: fmt.Sprintf("longer than %d bytes", MaxNameLen)}
	case !a.Status.Valid():
		return &FieldError{Field: "status", Value: string(a.Status), Reason: "unknown status"}
	case len(a.AltText) > MaxTextLen:
		return &FieldError{Field: "alt_text", Value: fmt.Sprint(len(a.AltText)), Reason: fmt.Sprintf("longer than %d bytes", MaxTextLen)}
	}
	if a.Kind.IsMedia() {
		if err := a.Media.Validate(); err != nil {
			return err
		}
		if a.Media.Kind != a.Kind {
			return &FieldError{Field: "media.kind", Value: string(a.Media.Kind), Reason: "differs from kind " + string(a.Kind)}
		}
		if !isHexSHA256(a.Checksum) {
			return &FieldError{Field: "checksum", Value: a.Checksum, Reason: "must be 64 lowercase hex digits"}
		}
		if a.BlobKey == "" {
			return &FieldError{Field: "blob_key", Reason: "required for media"}
		}
	} else {
		if strings.TrimSpace(a.Body) == "" {
			return &FieldError{Field: "body", Reason: "required for " + string(a.Kind)}
		}
		if len(a.Body) > MaxTextLen {
			return &FieldError{Field: "body", Value: fmt.Sprint(len(a.Body)), Reason: fmt.Sprintf("longer than %d bytes", MaxTextLen)}
		}
		if a.Checksum != "" || a.BlobKey != "" {
			return &FieldError{Field: "checksum", Reason: "text kinds carry no bytes"}
		}
	}
	if err := validateTags(a.Tags); err != nil {
		return err
	}
	if err := ValidateFolder(a.Folder); err != nil {
		return err
	}
	if !a.Rights.Starts.IsZero() && !a.Rights.Expires.IsZero() && !a.Rights.Expires.After(a.Rights.Starts) {
		return &FieldError{Field: "rights.expires", Value: a.Rights.Expires.UTC().Format(time.RFC3339), Reason: "must be after rights.starts"}
	}
	return nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// NormalizeTag returns the canonical form of a tag: surrounding space and one
// leading '#' removed, case folded. "#Summer " and "summer" are one tag. It
// fails with a *[FieldError] for an empty tag, one over [MaxTagLen] bytes, or
// one with spaces, control characters or invalid UTF-8.
func NormalizeTag(tag string) (string, error) {
	t := strings.TrimPrefix(strings.TrimSpace(tag), "#")
	t = cases.Fold().String(t)
	switch {
	case t == "":
		return "", &FieldError{Field: "tag", Value: tag, Reason: "empty"}
	case len(t) > MaxTagLen:
		return "", &FieldError{Field: "tag", Value: tag, Reason: fmt.Sprintf("longer than %d bytes", MaxTagLen)}
	case !utf8.ValidString(t):
		return "", &FieldError{Field: "tag", Value: tag, Reason: "invalid UTF-8"}
	case strings.IndexFunc(t, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", &FieldError{Field: "tag", Value: tag, Reason: "contains space or control characters"}
	}
	return t, nil
}

// NormalizeTags normalises each tag with [NormalizeTag] and returns them
// sorted and without duplicates.
func NormalizeTags(tags []string) ([]string, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		n, err := NormalizeTag(t)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxTags {
		return nil, &FieldError{Field: "tags", Value: fmt.Sprint(len(out)), Reason: fmt.Sprintf("more than %d tags", MaxTags)}
	}
	return out, nil
}

func validateTags(tags []string) error {
	n, err := NormalizeTags(tags)
	if err != nil {
		return err
	}
	if !slices.Equal(n, tags) {
		return &FieldError{Field: "tags", Value: strings.Join(tags, ","), Reason: "not normalised (see NormalizeTags)"}
	}
	return nil
}

// ValidateFolder checks a folder path: "" (the root) or slash-separated
// non-empty segments without leading or trailing slash, "." or "..", at most
// [MaxFolderLen] bytes of valid UTF-8. Errors are *[FieldError].
func ValidateFolder(folder string) error {
	if folder == "" {
		return nil
	}
	if len(folder) > MaxFolderLen || !utf8.ValidString(folder) {
		return &FieldError{Field: "folder", Value: folder, Reason: fmt.Sprintf("must be valid UTF-8 of at most %d bytes", MaxFolderLen)}
	}
	for seg := range strings.SplitSeq(folder, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.TrimSpace(seg) != seg {
			return &FieldError{Field: "folder", Value: folder, Reason: "empty, dot or space-padded segment"}
		}
	}
	return nil
}

// CheckUse reports whether a may be used on channel (of network) at instant
// at: a post scheduled then may carry it. It refuses, with a *[UseError]
// matching [socialflow.ErrRejected] that says which and why, in this order:
// an archived asset, an asset not approved for use, rights not yet valid or
// expired at at, and a channel or network the rights do not allow.
//
// CheckUse is pure: pass the post's scheduled time, or now for an immediate
// post.
func CheckUse(a Asset, channel, network string, at time.Time) error {
	e := &UseError{AssetID: a.ID, Status: a.Status, At: at, Channel: channel, Network: network}
	switch {
	case a.Status == StatusArchived:
		e.Reason = ReasonArchived
	case a.Status != StatusApproved:
		e.Reason = ReasonNotApproved
	case !a.Rights.Starts.IsZero() && at.Before(a.Rights.Starts):
		e.Reason, e.Starts = ReasonRightsNotYetValid, a.Rights.Starts
	case !a.Rights.Expires.IsZero() && !at.Before(a.Rights.Expires):
		e.Reason, e.Expires = ReasonRightsExpired, a.Rights.Expires
	case !a.Rights.AllowsTarget(channel, network):
		e.Reason = ReasonChannelNotAllowed
	default:
		return nil
	}
	return e
}

// Usage records that a post uses an asset on one channel. The key of a usage
// is (AssetID, PostID, Channel): recording it again replaces it (a post
// rescheduled keeps one usage).
type Usage struct {
	AssetID string    `json:"asset_id"`
	PostID  string    `json:"post_id"`
	Channel string    `json:"channel,omitempty"` // the channel (account) the post targets
	Network string    `json:"network,omitempty"` // the channel's network, e.g. "instagram"
	At      time.Time `json:"at,omitzero"`       // when the post is scheduled; zero: not scheduled yet
}

// Validate checks that u names an asset and a post. Errors are *[FieldError].
func (u Usage) Validate() error {
	switch {
	case u.AssetID == "":
		return &FieldError{Field: "usage.asset_id", Reason: "required"}
	case u.PostID == "":
		return &FieldError{Field: "usage.post_id", Reason: "required"}
	}
	return nil
}

// Key returns the identity of u within its asset: post and channel.
func (u Usage) Key() string { return u.PostID + "\x00" + u.Channel }

// CompareUsages orders usages by scheduled time (unscheduled first), then
// asset, post and channel. Stores return usage lists in this order.
func CompareUsages(a, b Usage) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := strings.Compare(a.AssetID, b.AssetID); c != 0 {
		return c
	}
	if c := strings.Compare(a.PostID, b.PostID); c != 0 {
		return c
	}
	return strings.Compare(a.Channel, b.Channel)
}
