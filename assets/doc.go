// Package assets is the content library: images, videos, GIFs, documents,
// caption snippets, saved replies and post templates, with their metadata,
// usage rights, approval for use and usage tracking.
//
// [Media] is the media metadata type (kind, MIME type, size, dimensions,
// duration, aspect) that the networks package validates against each
// network's media rules; networks imports assets, never the reverse.
//
// # The library
//
// [Library] is the portable type a host uses. It owns the rules and keeps
// state in two host-implemented drivers, as gocloud's portable types do:
//
//   - [Store] holds asset metadata, every version of it, and usages;
//     assets/memstore is the in-memory default (with an inverted tag index)
//     and assets/storetest the conformance suite a host store runs;
//   - [BlobStore] holds the bytes of media under content-addressed keys
//     ("sha256/<hex>"); assets/memblob is the in-memory default and
//     assets/blobstoretest the conformance suite.
//
// [Library.AddMedia] probes the bytes, computes their SHA-256 and refuses a
// second copy of the same bytes with a [DuplicateError] that names the
// existing asset (the existing asset is returned with the error).
// [Library.AddText] stores captions, saved replies and templates.
// [Library.Update] writes a new version with optimistic concurrency: a stale
// version is a [ConflictError] naming the current one; every version stays
// readable with [Library.Version]. [Library.Search] filters by text, tags,
// kind, status, folder and "rights valid at T", sorted by name, creation or
// update time, and pages with an opaque position cursor.
//
// # Approval, rights and usage
//
// New assets are drafts until [Library.Approve] (see [WithApprovalRequired]);
// [Library.Archive] retires them. [CheckUse] is the pure rule that refuses an
// asset for a post — archived, not approved, rights not yet valid or expired
// at the post's time, channel or network not allowed — with a [UseError]
// saying which and why. [Library.Use] applies it and records which post uses
// the asset; [Library.Delete] refuses while posts still need the asset
// ([InUseError] lists them); [Library.ExpiringRights] reports assets whose
// rights expire before the posts that use them go out, and
// [Library.CheckScheduled] every scheduled use that would now be refused.
//
// # Probing bytes
//
// [Probe] reads dimensions and duration from headers only — PNG IHDR, JPEG
// SOFn, GIF screen and frame delays, WebP via golang.org/x/image/webp,
// MP4/MOV box headers (mvhd, tkhd, hdlr) without ever reading mdat — and
// refuses bytes that are not the declared type ([MismatchError]), truncated
// or malformed headers ([CorruptError]) and dimensions over [Limits]
// ([DimensionError], checked from the header before anything is decoded:
// 30000 px per side and 100 megapixels by default). Every read stays within
// the declared size; a 50 MB MP4 is probed by reading a few hundred bytes.
//
// # Templates
//
// Saved replies and templates use named placeholders, {first_name}; {{ and
// }} stand for literal braces. [ParseTemplate] lists the placeholders;
// [Template.Render] fills them from a map and fails with a
// [PlaceholderError] for a missing, empty or unknown one, never leaving a
// hole. [WithPlaceholders] restricts the names a library accepts, so a typo
// is caught when the reply is saved.
//
// # Time and errors
//
// Nothing here reads the clock: every decision takes now or the instant of
// use. Errors are typed (reach them with [errors.As]) and match the
// socialflow error kinds with [errors.Is]: bad input matches
// socialflow.ErrInvalid, a duplicate upload ErrDuplicate, a missing thing
// ErrNotFound, stale versions, illegal transitions and deletes of used
// assets ErrConflict, and refusals of use ErrRejected.
package assets
