package tiktok

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// Entry is what a [Journal] keeps of one publish: the publish_id TikTok
// gave (empty until the init's answer arrived), a digest of the caption
// sent ([Digest]), when it was sent, what was posted (MediaType, Privacy)
// and the size of an uploaded file. It holds no text and no credential.
type Entry struct {
	PublishID string    `json:"publish_id,omitempty"`
	Digest    string    `json:"digest"`
	At        time.Time `json:"at"`
	// MediaType is what the init posts: [MediaTypeVideo] (video/init) or
	// [MediaTypePhoto] (content/init). Empty in an entry noted before the
	// field existed: then only a Size tells a video.
	MediaType string `json:"media_type,omitempty"`
	// Privacy is the privacy_level the init sent; empty in an entry noted
	// before the field existed, taken as PUBLIC_TO_EVERYONE.
	Privacy string `json:"privacy,omitempty"`
	// Size is the bytes of a FILE_UPLOAD video, 0 for pulled media: a
	// publish whose upload holds fewer can never complete.
	Size int64 `json:"size,omitempty"`
}

// The media types of an [Entry], TikTok's own names (media_type of
// https://developers.tiktok.com/doc/content-posting-api-reference-photo-post).
const (
	MediaTypeVideo = "VIDEO"
	MediaTypePhoto = "PHOTO"
)

// missProvesNothing returns why video/list not showing the post of e
// (past the settle window) proves nothing, or nil when it proves the post
// does not exist. video/list lists the creator's public videos
// (https://developers.tiktok.com/doc/tiktok-api-v2-video-list): a photo
// post, a video sent with another privacy level, or an entry that does not
// say (noted before MediaType: only an uploaded file tells a video) may be
// one it never shows.
func (e Entry) missProvesNothing() error {
	switch {
	case e.MediaType == MediaTypePhoto:
		return errPhotoUnlisted
	case e.MediaType == "" && e.Size == 0:
		return errMaybePhoto
	case e.Privacy != "" && e.Privacy != PublicToEveryone:
		return fmt.Errorf("not in video/list, which lists public videos only, and the post was sent as %q: check the creator's profile by hand", e.Privacy)
	}
	return nil
}

// Journal keeps, per publish marker, what was sent, so that
// [Adapter.FindByMarker] can recognise the post after a lost answer:
// TikTok has no idempotency key, and a caption shows every character, so
// there is no hidden field a marker could ride on. Put is called before the
// init is sent and again with the publish_id, so an entry without one is
// an init that may have been sent and whose answer never came; a later Put
// for the same marker replaces the entry. Get reports false when the marker is unknown.
// Implementations must be safe for concurrent use; a host running several
// replicas stores entries where all of them read (beside its TokenStore).
type Journal interface {
	Put(ctx context.Context, marker string, e Entry) error
	Get(ctx context.Context, marker string) (Entry, bool, error)
}

// MemJournal is an in-memory [Journal] of one process. The zero value is
// ready to use; it is safe for concurrent use.
type MemJournal struct {
	mu sync.Mutex
	m  map[string]Entry
}

// Put notes e for marker.
func (j *MemJournal) Put(ctx context.Context, marker string, e Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.m == nil {
		j.m = map[string]Entry{}
	}
	j.m[marker] = e
	return nil
}

// Get returns what was noted for marker.
func (j *MemJournal) Get(ctx context.Context, marker string) (Entry, bool, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, false, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.m[marker]
	return e, ok, nil
}

// Digest is the SHA-256 (hex) of a caption as sent, the form the Journal
// compares.
func Digest(caption string) string {
	h := sha256.Sum256([]byte(caption))
	return hex.EncodeToString(h[:])
}
