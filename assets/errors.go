package assets

import (
	"fmt"
	"strings"
	"time"

	"github.com/socialflow/socialflow"
)

// MismatchError reports bytes that do not match their declared MIME type (a
// JPEG uploaded as image/png, text uploaded as video/mp4). It matches
// [socialflow.ErrInvalid].
type MismatchError struct {
	Declared string // the MIME type the caller declared
	Detected string // what the bytes are, or "" when they are no supported format
}

// Error describes the problem, naming the operands.
func (e *MismatchError) Error() string {
	if e.Detected == "" {
		return fmt.Sprintf("assets: bytes are not %s (no supported format recognised)", e.Declared)
	}
	return fmt.Sprintf("assets: bytes are %s, declared %s", e.Detected, e.Declared)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *MismatchError) Is(target error) bool { return target == socialflow.ErrInvalid }

// DimensionError reports declared dimensions over the [Limits] of a probe.
// It is returned from the header alone, before anything is decoded, so a
// decompression bomb costs a few bytes of reading. It matches
// [socialflow.ErrInvalid].
type DimensionError struct {
	MIME          string
	Width, Height int   // as declared by the header
	MaxSide       int   // the limit per side in force
	MaxPixels     int64 // the limit on Width*Height in force
}

// Error describes the problem, naming the operands.
func (e *DimensionError) Error() string {
	return fmt.Sprintf("assets: %s declares %dx%d pixels, limit %d per side and %d pixels",
		e.MIME, e.Width, e.Height, e.MaxSide, e.MaxPixels)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *DimensionError) Is(target error) bool { return target == socialflow.ErrInvalid }

// CorruptError reports bytes of a recognised format whose header is
// truncated or malformed. It matches [socialflow.ErrInvalid].
type CorruptError struct {
	MIME   string // the format being read
	Offset int64  // where in the bytes the problem is
	Reason string
}

// Error describes the problem, naming the operands.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("assets: corrupt %s at byte %d: %s", e.MIME, e.Offset, e.Reason)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *CorruptError) Is(target error) bool { return target == socialflow.ErrInvalid }

// DuplicateError reports an upload whose SHA-256 checksum is already in the
// library. ExistingID names the asset that holds those bytes; the library
// stored nothing. It matches [socialflow.ErrDuplicate].
type DuplicateError struct {
	Checksum   string // hex SHA-256 of the bytes
	ExistingID string // the asset that already has them
}

// Error describes the problem, naming the operands.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("assets: duplicate upload: asset %s already has checksum %s", e.ExistingID, e.Checksum)
}

// Is reports whether target is [socialflow.ErrDuplicate].
func (e *DuplicateError) Is(target error) bool { return target == socialflow.ErrDuplicate }

// NotFoundError reports a missing asset, asset version, usage or blob. It
// matches [socialflow.ErrNotFound].
type NotFoundError struct {
	What string // "asset", "version", "usage" or "blob"
	ID   string // the asset ID, usage key or blob key
}

// Error describes the problem, naming the operands.
func (e *NotFoundError) Error() string { return fmt.Sprintf("assets: %s %q not found", e.What, e.ID) }

// Is reports whether target is [socialflow.ErrNotFound].
func (e *NotFoundError) Is(target error) bool { return target == socialflow.ErrNotFound }

// ConflictError reports a write based on a stale version of an asset
// (optimistic concurrency): reload the asset at Current and decide again.
// It matches [socialflow.ErrConflict].
type ConflictError struct {
	ID      string
	Version int // the version the caller based its write on
	Current int // the version the store holds
}

// Error describes the problem, naming the operands.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("assets: asset %s: stale version %d, current is %d", e.ID, e.Version, e.Current)
}

// Is reports whether target is [socialflow.ErrConflict].
func (e *ConflictError) Is(target error) bool { return target == socialflow.ErrConflict }

// ExistsError reports a create whose asset ID is already taken. It matches
// [socialflow.ErrConflict].
type ExistsError struct{ ID string }

// Error describes the problem, naming the operands.
func (e *ExistsError) Error() string { return fmt.Sprintf("assets: asset %s already exists", e.ID) }

// Is reports whether target is [socialflow.ErrConflict].
func (e *ExistsError) Is(target error) bool { return target == socialflow.ErrConflict }

// TransitionError reports a status change the asset's current status does not
// allow (approving an archived asset, archiving twice). It matches
// [socialflow.ErrConflict].
type TransitionError struct {
	ID   string
	From Status // the current status
	To   Status // the status asked for
}

// Error describes the problem, naming the operands.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("assets: asset %s: cannot go from %s to %s", e.ID, e.From, e.To)
}

// Is reports whether target is [socialflow.ErrConflict].
func (e *TransitionError) Is(target error) bool { return target == socialflow.ErrConflict }

// InUseError refuses to delete an asset that posts still use. Usages lists
// them (post, channel, scheduled time). It matches [socialflow.ErrConflict].
type InUseError struct {
	ID     string
	Usages []Usage
}

// Error describes the problem, naming the operands.
func (e *InUseError) Error() string {
	posts := make([]string, 0, len(e.Usages))
	for _, u := range e.Usages {
		if u.At.IsZero() {
			posts = append(posts, u.PostID+" (unscheduled)")
		} else {
			posts = append(posts, u.PostID+" at "+u.At.UTC().Format(time.RFC3339))
		}
	}
	return fmt.Sprintf("assets: asset %s is used by %d post(s): %s", e.ID, len(e.Usages), strings.Join(posts, ", "))
}

// Is reports whether target is [socialflow.ErrConflict].
func (e *InUseError) Is(target error) bool { return target == socialflow.ErrConflict }

// UseReason says why an asset may not be used. See [UseError].
type UseReason string

// The reasons an asset is refused for use.
const (
	ReasonNotApproved       UseReason = "not_approved"         // still a draft awaiting approval
	ReasonArchived          UseReason = "archived"             // archived assets are never used
	ReasonRightsNotYetValid UseReason = "rights_not_yet_valid" // used before Rights.Starts
	ReasonRightsExpired     UseReason = "rights_expired"       // used at or after Rights.Expires
	ReasonChannelNotAllowed UseReason = "channel_not_allowed"  // neither the channel nor the network is allowed
)

// UseError refuses an asset for a post: which asset, why, and the facts
// behind the reason (status, the instant of use, the rights window, the
// channel and network). It matches [socialflow.ErrRejected]: the same use
// fails again until someone changes the asset (approves it, renews the
// rights) or the post (another time or channel).
type UseError struct {
	AssetID string
	Reason  UseReason
	Status  Status    // the asset's status
	At      time.Time // the instant of use that was checked
	Starts  time.Time // Rights.Starts, for ReasonRightsNotYetValid
	Expires time.Time // Rights.Expires, for ReasonRightsExpired
	Channel string    // the channel asked for
	Network string    // the network asked for
}

// Error describes the problem, naming the operands.
func (e *UseError) Error() string {
	at := e.At.UTC().Format(time.RFC3339)
	switch e.Reason {
	case ReasonNotApproved:
		return fmt.Sprintf("assets: asset %s may not be used: it is %s, not approved for use", e.AssetID, e.Status)
	case ReasonArchived:
		return fmt.Sprintf("assets: asset %s may not be used: it is archived", e.AssetID)
	case ReasonRightsNotYetValid:
		return fmt.Sprintf("assets: asset %s may not be used at %s: usage rights start %s", e.AssetID, at, e.Starts.UTC().Format(time.RFC3339))
	case ReasonRightsExpired:
		return fmt.Sprintf("assets: asset %s may not be used at %s: usage rights expired %s", e.AssetID, at, e.Expires.UTC().Format(time.RFC3339))
	case ReasonChannelNotAllowed:
		return fmt.Sprintf("assets: asset %s may not be used on channel %q (network %q): rights do not allow it", e.AssetID, e.Channel, e.Network)
	}
	return fmt.Sprintf("assets: asset %s may not be used: %s", e.AssetID, e.Reason)
}

// Is reports whether target is [socialflow.ErrRejected].
func (e *UseError) Is(target error) bool { return target == socialflow.ErrRejected }

// PlaceholderReason says what is wrong with a placeholder. See [PlaceholderError].
type PlaceholderReason string

// The placeholder problems.
const (
	PlaceholderMissing PlaceholderReason = "missing" // the template needs it, the values lack it
	PlaceholderEmpty   PlaceholderReason = "empty"   // the value is empty: it would leave a hole
	PlaceholderUnknown PlaceholderReason = "unknown" // not a placeholder of the template (or of the allowed set)
)

// PlaceholderError reports a placeholder that cannot be filled: missing from
// the values, given an empty value, or unknown. It matches
// [socialflow.ErrInvalid].
type PlaceholderError struct {
	Name   string
	Reason PlaceholderReason
}

// Error describes the problem, naming the operands.
func (e *PlaceholderError) Error() string {
	switch e.Reason {
	case PlaceholderMissing:
		return fmt.Sprintf("assets: placeholder {%s} has no value", e.Name)
	case PlaceholderEmpty:
		return fmt.Sprintf("assets: placeholder {%s} has an empty value", e.Name)
	}
	return fmt.Sprintf("assets: unknown placeholder {%s}", e.Name)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *PlaceholderError) Is(target error) bool { return target == socialflow.ErrInvalid }

// SyntaxError reports malformed template text: an unclosed or stray brace or
// a bad placeholder name, at a byte offset. It matches [socialflow.ErrInvalid].
type SyntaxError struct {
	Offset int // byte offset in the template text
	Reason string
}

// Error describes the problem, naming the operands.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("assets: template syntax at byte %d: %s", e.Offset, e.Reason)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *SyntaxError) Is(target error) bool { return target == socialflow.ErrInvalid }
