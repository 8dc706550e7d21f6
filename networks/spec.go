package networks

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks/text"
)

// Spec describes one network as data: how text is counted and limited, which
// media it takes, what it supports natively and how fast it may be published
// to. Hosts store and override specs (values the sources disagree on are
// configuration, not constants); [DefaultSpecs] gives the documented defaults
// with their sources.
//
// In every limit, zero means "no limit" (or "not applicable"); negative
// values are invalid (see [Spec.Validate]). The zero Spec has no name and is
// invalid.
type Spec struct {
	Network string `json:"network"` // stable key: "x", "mastodon", "bluesky", ...
	Name    string `json:"name"`    // display name
	// Sources are the documents the values come from, so a reader can
	// confirm them.
	Sources []string `json:"sources,omitempty"`

	Text     TextRules  `json:"text"`
	Media    MediaRules `json:"media"`
	Features Features   `json:"features"`
	Rate     RateLimits `json:"rate"`

	// Manual says the network has no publishing API (or none for this
	// kind of content): the Publisher returns a [ManualTask] instead.
	Manual bool `json:"manual,omitempty"`
}

// TextRules limit a post's text.
type TextRules struct {
	Method      text.Method `json:"method"`              // how MaxLength is counted
	MaxLength   int         `json:"max_length"`          // in units of Method
	MaxBytes    int         `json:"max_bytes,omitempty"` // UTF-8 bytes (Bluesky's 3000)
	Required    bool        `json:"required,omitempty"`  // a post must have text
	MaxTitle    int         `json:"max_title,omitempty"` // title length in code points, when Features.Title
	MaxLink     int         `json:"max_link,omitempty"`  // link attachment length in bytes
	MaxAlt      int         `json:"max_alt,omitempty"`   // alt text length in code points
	MaxTags     int         `json:"max_hashtags,omitempty"`
	MaxMentions int         `json:"max_mentions,omitempty"`
	MaxLinks    int         `json:"max_links,omitempty"` // URLs in the text
	MaxCashtags int         `json:"max_cashtags,omitempty"`
}

// MediaRules limit a post's attachments.
type MediaRules struct {
	MinItems int  `json:"min_items,omitempty"` // 1 where a post needs media (Instagram, TikTok)
	MaxItems int  `json:"max_items"`           // attachments per post; 0 with no Kinds: no media
	Mixing   bool `json:"mixing,omitempty"`    // kinds may be combined in one post
	// Kinds holds the rules for each accepted kind; a kind not listed is
	// refused.
	Kinds map[assets.Kind]MediaLimit `json:"kinds,omitempty"`
}

// MediaLimit limits attachments of one kind.
type MediaLimit struct {
	MaxCount    int           `json:"max_count,omitempty"` // of this kind per post
	MIME        []string      `json:"mime,omitempty"`      // accepted types; empty: any
	MaxSize     int64         `json:"max_size,omitempty"`  // bytes
	MinWidth    int           `json:"min_width,omitempty"`
	MaxWidth    int           `json:"max_width,omitempty"`
	MinHeight   int           `json:"min_height,omitempty"`
	MaxHeight   int           `json:"max_height,omitempty"`
	MaxPixels   int64         `json:"max_pixels,omitempty"` // width × height
	MinAspect   float64       `json:"min_aspect,omitempty"` // width / height
	MaxAspect   float64       `json:"max_aspect,omitempty"`
	MinDuration time.Duration `json:"min_duration,omitempty"`
	MaxDuration time.Duration `json:"max_duration,omitempty"`
}

// Features says what a network supports natively.
type Features struct {
	Threads      bool       `json:"threads,omitempty"`       // reply chains from one draft
	FirstComment bool       `json:"first_comment,omitempty"` // a first comment posted with the post
	AltText      bool       `json:"alt_text,omitempty"`
	Title        bool       `json:"title,omitempty"`
	Link         bool       `json:"link,omitempty"`       // a link attachment separate from the text
	Polls        *PollRules `json:"polls,omitempty"`      // nil: no polls
	Scheduling   bool       `json:"scheduling,omitempty"` // the network schedules natively
	Delete       bool       `json:"delete,omitempty"`     // posts can be deleted by API
}

// PollRules limit polls; a nil *PollRules in [Features] means no polls.
type PollRules struct {
	MaxOptions      int           `json:"max_options"`
	MaxOptionLength int           `json:"max_option_length"`
	MinDuration     time.Duration `json:"min_duration,omitempty"`
	MaxDuration     time.Duration `json:"max_duration,omitempty"`
}

// RateLimits are a network's publishing limits: how many publishes per
// window, per account and per application. The zero value means unlimited.
type RateLimits struct {
	PerAccount Window `json:"per_account"`
	PerApp     Window `json:"per_app"`
}

// Window allows Count calls per Per. The zero value is unlimited.
type Window struct {
	Count int           `json:"count"`
	Per   time.Duration `json:"per"`
}

// IsZero reports whether w is unlimited.
func (w Window) IsZero() bool { return w.Count == 0 || w.Per == 0 }

// Limit returns w as a token-bucket rate for golang.org/x/time/rate, slightly
// below Count/Per (by 1/2000) so that float rounding can never let one call
// more than Count into a sliding window of Per. Unlimited windows give
// rate.Inf.
func (w Window) Limit() rate.Limit {
	if w.IsZero() {
		return rate.Inf
	}
	return rate.Limit(float64(w.Count) / w.Per.Seconds() * (1 - 1.0/2000))
}

// String returns "100/15m0s", or "unlimited".
func (w Window) String() string {
	if w.IsZero() {
		return "unlimited"
	}
	return strconv.Itoa(w.Count) + "/" + w.Per.String()
}

// Validate checks that s is usable: a network key, a known counting method
// and no negative limit. Errors are *FieldError values matching
// [socialflow.ErrInvalid]; Validate returns the first one found.
func (s Spec) Validate() error {
	bad := func(field, value, reason string) error {
		return &FieldError{Network: s.Network, Field: field, Value: value, Reason: reason}
	}
	if s.Network == "" {
		return bad("network", "", "required")
	}
	switch s.Text.Method {
	case text.Weighted, text.Graphemes, text.Mastodon, text.Threads, text.CodePoints:
	case "":
		if s.Text.MaxLength != 0 {
			return bad("text.method", "", "required with a max_length")
		}
	default:
		return bad("text.method", string(s.Text.Method), "unknown counting method")
	}
	type intField struct {
		field string
		v     int64
	}
	ints := []intField{
		{"text.max_length", int64(s.Text.MaxLength)},
		{"text.max_bytes", int64(s.Text.MaxBytes)},
		{"text.max_title", int64(s.Text.MaxTitle)},
		{"text.max_link", int64(s.Text.MaxLink)},
		{"text.max_alt", int64(s.Text.MaxAlt)},
		{"text.max_hashtags", int64(s.Text.MaxTags)},
		{"text.max_mentions", int64(s.Text.MaxMentions)},
		{"text.max_links", int64(s.Text.MaxLinks)},
		{"text.max_cashtags", int64(s.Text.MaxCashtags)},
		{"media.min_items", int64(s.Media.MinItems)},
		{"media.max_items", int64(s.Media.MaxItems)},
		{"rate.per_account.count", int64(s.Rate.PerAccount.Count)},
		{"rate.per_account.per", int64(s.Rate.PerAccount.Per)},
		{"rate.per_app.count", int64(s.Rate.PerApp.Count)},
		{"rate.per_app.per", int64(s.Rate.PerApp.Per)},
	}
	if p := s.Features.Polls; p != nil {
		ints = append(ints,
			intField{"features.polls.max_options", int64(p.MaxOptions)},
			intField{"features.polls.max_option_length", int64(p.MaxOptionLength)},
			intField{"features.polls.min_duration", int64(p.MinDuration)},
			intField{"features.polls.max_duration", int64(p.MaxDuration)},
		)
	}
	kinds := make([]assets.Kind, 0, len(s.Media.Kinds))
	for k := range s.Media.Kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		if !k.IsMedia() {
			return bad("media.kinds", string(k), "not a media kind")
		}
		l := s.Media.Kinds[k]
		p := "media.kinds." + string(k) + "."
		for _, f := range []intField{
			{"max_count", int64(l.MaxCount)}, {"max_size", l.MaxSize},
			{"min_width", int64(l.MinWidth)}, {"max_width", int64(l.MaxWidth)},
			{"min_height", int64(l.MinHeight)}, {"max_height", int64(l.MaxHeight)},
			{"max_pixels", l.MaxPixels},
			{"min_duration", int64(l.MinDuration)}, {"max_duration", int64(l.MaxDuration)},
		} {
			ints = append(ints, intField{p + f.field, f.v})
		}
		for _, a := range []struct {
			field string
			v     float64
		}{{"min_aspect", l.MinAspect}, {"max_aspect", l.MaxAspect}} {
			if a.v < 0 || math.IsNaN(a.v) || math.IsInf(a.v, 0) {
				return bad(p+a.field, fmt.Sprint(a.v), "must be a finite number >= 0")
			}
		}
	}
	for _, f := range ints {
		if f.v < 0 {
			return bad(f.field, strconv.FormatInt(f.v, 10), "must not be negative")
		}
	}
	if s.Media.MaxItems != 0 && s.Media.MinItems > s.Media.MaxItems {
		return bad("media.min_items", strconv.Itoa(s.Media.MinItems), "above media.max_items")
	}
	return nil
}

// ForReply returns the rules a reply under an incoming item follows
// ([Publisher.Reply]): the post's, without a media minimum. A reply is
// text even where a post needs media: an Instagram comment reply is a
// message (Instagram Graph API, IG Comment, "POST /{ig-comment-id}/replies"
// with message), as is a TikTok comment. The copy shares nothing with s.
func (s Spec) ForReply() Spec {
	s = s.clone()
	s.Media.MinItems = 0
	return s
}

// clone returns a deep copy of s, so a Registry never shares maps or slices
// with its caller.
func (s Spec) clone() Spec {
	s.Sources = slices.Clone(s.Sources)
	if s.Media.Kinds != nil {
		m := make(map[assets.Kind]MediaLimit, len(s.Media.Kinds))
		for k, v := range s.Media.Kinds {
			v.MIME = slices.Clone(v.MIME)
			m[k] = v
		}
		s.Media.Kinds = m
	}
	if s.Features.Polls != nil {
		p := *s.Features.Polls
		s.Features.Polls = &p
	}
	return s
}
