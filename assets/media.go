package assets

import (
	"fmt"
	"time"

	"github.com/socialflow/socialflow"
)

// Kind is the kind of a library item. The zero value is invalid.
type Kind string

// The kinds of library item.
const (
	KindImage      Kind = "image"       // a still image: PNG, JPEG or WebP
	KindGIF        Kind = "gif"         // an animated or still GIF
	KindVideo      Kind = "video"       // an MP4 or MOV video
	KindDocument   Kind = "document"    // a PDF, posted as a carousel where the network allows it
	KindCaption    Kind = "caption"     // a reusable caption snippet (text only)
	KindSavedReply Kind = "saved_reply" // a saved reply with placeholders (text only)
	KindTemplate   Kind = "template"    // a post template with placeholders (text only)
)

// IsMedia reports whether items of kind k carry bytes (image, GIF, video,
// document) rather than text.
func (k Kind) IsMedia() bool {
	switch k {
	case KindImage, KindGIF, KindVideo, KindDocument:
		return true
	}
	return false
}

// Valid reports whether k is one of the declared kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindImage, KindGIF, KindVideo, KindDocument, KindCaption, KindSavedReply, KindTemplate:
		return true
	}
	return false
}

// Media is the metadata of one piece of media, as probed from its bytes. It
// is the type the networks package validates against a network's media rules
// (networks imports assets, never the reverse).
//
// Zero numeric fields mean "unknown" (a document has no dimensions, an image
// no duration). The zero Media is invalid: Kind is required.
type Media struct {
	Kind     Kind          `json:"kind"`
	MIME     string        `json:"mime"`               // e.g. "image/png", "video/mp4"
	Size     int64         `json:"size"`               // bytes
	Width    int           `json:"width,omitempty"`    // pixels
	Height   int           `json:"height,omitempty"`   // pixels
	Duration time.Duration `json:"duration,omitempty"` // video or animated GIF length
}

// Aspect returns Width/Height, or 0 when either is unknown.
func (m Media) Aspect() float64 {
	if m.Width <= 0 || m.Height <= 0 {
		return 0
	}
	return float64(m.Width) / float64(m.Height)
}

// Validate checks that m is self-consistent: a media kind, a MIME type, a
// positive size and no negative dimension or duration. Errors match
// [socialflow.ErrInvalid].
func (m Media) Validate() error {
	switch {
	case !m.Kind.IsMedia():
		return &FieldError{Field: "kind", Value: string(m.Kind), Reason: "not a media kind"}
	case m.MIME == "":
		return &FieldError{Field: "mime", Reason: "required"}
	case m.Size <= 0:
		return &FieldError{Field: "size", Value: fmt.Sprint(m.Size), Reason: "must be positive"}
	case m.Width < 0 || m.Height < 0:
		return &FieldError{Field: "dimensions", Value: fmt.Sprintf("%dx%d", m.Width, m.Height), Reason: "must not be negative"}
	case m.Duration < 0:
		return &FieldError{Field: "duration", Value: m.Duration.String(), Reason: "must not be negative"}
	}
	return nil
}

// FieldError reports an invalid field of an asset or of media metadata. It
// matches [socialflow.ErrInvalid].
type FieldError struct {
	Field  string // the field, e.g. "mime"
	Value  string // the offending value, if any
	Reason string // why it is invalid
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("assets: %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("assets: %s %q: %s", e.Field, e.Value, e.Reason)
}

// Is reports whether target is [socialflow.ErrInvalid].
func (e *FieldError) Is(target error) bool { return target == socialflow.ErrInvalid }
