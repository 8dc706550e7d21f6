package networks

import (
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks/text"
)

// Network keys of the specs [DefaultSpecs] returns.
const (
	X         = "x"
	Mastodon  = "mastodon"
	Bluesky   = "bluesky"
	LinkedIn  = "linkedin"
	Facebook  = "facebook"
	Instagram = "instagram"
	Threads   = "threads"
	TikTok    = "tiktok"
	YouTube   = "youtube"
	Pinterest = "pinterest"
)

const (
	mib = 1 << 20
	gib = 1 << 30
	day = 24 * time.Hour
)

// DefaultSpecs returns the documented defaults of the ten networks socialflow
// knows, each with the sources its values come from, as fresh values the
// caller may change. Where sources disagree (Instagram's hashtag cap and
// daily publish limit, Bluesky's image size, TikTok's caption unit) the value
// chosen is noted in the code and is meant to be overridden by configuration.
func DefaultSpecs() []Spec {
	return []Spec{
		XSpec(), MastodonSpec(MastodonConfiguration{}), BlueskySpec(), LinkedInSpec(),
		FacebookSpec(), InstagramSpec(), ThreadsSpec(), TikTokSpec(), YouTubeSpec(), PinterestSpec(),
	}
}

// XSpec returns X's spec: 280 weighted characters (twitter-text config v3),
// up to 4 images or 1 GIF or 1 video, 100 posts per 15 minutes per user and
// 10,000 per 24 hours per app.
func XSpec() Spec {
	return Spec{
		Network: X, Name: "X",
		Sources: []string{
			"https://docs.x.com/fundamentals/counting-characters",
			"https://github.com/twitter/twitter-text/blob/master/config/v3.json",
			"https://docs.x.com/x-api/media/quickstart/best-practices",
			"https://docs.x.com/x-api/fundamentals/rate-limits",
		},
		Text: TextRules{
			Method: text.Weighted, MaxLength: 280, MaxAlt: 1000,
			MaxCashtags: 1, // from X's error text "maximum of one cashtag"
		},
		Media: MediaRules{
			MaxItems: 4,
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {MaxCount: 4, MaxSize: 5 * mib, MIME: []string{"image/jpeg", "image/png", "image/webp", "image/gif"}},
				assets.KindGIF:   {MaxCount: 1, MaxSize: 15 * mib, MIME: []string{"image/gif"}, MaxWidth: 1280, MaxHeight: 1080, MaxPixels: 300_000_000},
				assets.KindVideo: {
					MaxCount: 1, MaxSize: 8 * gib, MIME: []string{"video/mp4", "video/quicktime"},
					MinWidth: 32, MinHeight: 32, MaxWidth: 1280, MaxHeight: 1024,
					MinAspect: 1.0 / 3, MaxAspect: 3,
					MinDuration: 500 * time.Millisecond, MaxDuration: 20 * time.Minute, // Premium: 125 min, 16 GB
				},
			},
		},
		Features: Features{
			Threads: true, AltText: true, Delete: true,
			Polls: &PollRules{MaxOptions: 4, MaxOptionLength: 25, MinDuration: 5 * time.Minute, MaxDuration: 7 * day},
		},
		Rate: RateLimits{
			PerAccount: Window{Count: 100, Per: 15 * time.Minute},
			PerApp:     Window{Count: 10_000, Per: day},
		},
	}
}

// MastodonConfiguration mirrors the "configuration" object of a Mastodon
// server's GET /api/v2/instance, so an adapter can decode it directly and
// pass it to [MastodonSpec]. Zero fields keep Mastodon's defaults.
type MastodonConfiguration struct {
	Statuses struct {
		MaxCharacters            int `json:"max_characters"`
		MaxMediaAttachments      int `json:"max_media_attachments"`
		CharactersReservedPerURL int `json:"characters_reserved_per_url"`
	} `json:"statuses"`
	MediaAttachments struct {
		SupportedMIMETypes []string `json:"supported_mime_types"`
		DescriptionLimit   int      `json:"description_limit"`
		ImageSizeLimit     int64    `json:"image_size_limit"`
		ImageMatrixLimit   int64    `json:"image_matrix_limit"`
		VideoSizeLimit     int64    `json:"video_size_limit"`
		VideoMatrixLimit   int64    `json:"video_matrix_limit"`
	} `json:"media_attachments"`
	Polls struct {
		MaxOptions             int `json:"max_options"`
		MaxCharactersPerOption int `json:"max_characters_per_option"`
		MinExpiration          int `json:"min_expiration"` // seconds
		MaxExpiration          int `json:"max_expiration"` // seconds
	} `json:"polls"`
}

// MastodonSpec returns Mastodon's spec with the defaults of a stock server
// (500 characters, URLs as 23, 4 attachments, 300 statuses per 3 hours per
// account), overridden by every non-zero field of c, the server's own
// configuration. Text is counted by [text.Mastodon], which reserves 23
// characters per URL; a server's characters_reserved_per_url is not applied
// to the count.
func MastodonSpec(c MastodonConfiguration) Spec {
	or := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	or64 := func(v, def int64) int64 {
		if v > 0 {
			return v
		}
		return def
	}
	images := []string{"image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp", "image/avif"}
	videos := []string{"video/webm", "video/mp4", "video/quicktime", "video/ogg"}
	if mt := c.MediaAttachments.SupportedMIMETypes; len(mt) > 0 {
		images, videos = nil, nil
		for _, m := range mt {
			switch {
			case len(m) > 6 && m[:6] == "image/":
				images = append(images, m)
			case len(m) > 6 && m[:6] == "video/":
				videos = append(videos, m)
			}
		}
	}
	imgSize := or64(c.MediaAttachments.ImageSizeLimit, 16*mib)
	imgPx := or64(c.MediaAttachments.ImageMatrixLimit, 33_177_600)
	maxItems := or(c.Statuses.MaxMediaAttachments, 4)
	return Spec{
		Network: Mastodon, Name: "Mastodon",
		Sources: []string{
			"https://docs.joinmastodon.org/entities/Instance/",
			"https://docs.joinmastodon.org/methods/statuses/",
			"https://docs.joinmastodon.org/api/rate-limits/",
		},
		Text: TextRules{
			Method: text.Mastodon, MaxLength: or(c.Statuses.MaxCharacters, 500),
			MaxAlt: or(c.MediaAttachments.DescriptionLimit, 1500),
		},
		Media: MediaRules{
			MaxItems: maxItems,
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {MaxCount: maxItems, MIME: images, MaxSize: imgSize, MaxPixels: imgPx},
				assets.KindGIF:   {MaxCount: 1, MIME: []string{"image/gif"}, MaxSize: imgSize, MaxPixels: imgPx},
				assets.KindVideo: {
					MaxCount: 1, MIME: videos,
					MaxSize:   or64(c.MediaAttachments.VideoSizeLimit, 103_809_024),
					MaxPixels: or64(c.MediaAttachments.VideoMatrixLimit, 8_294_400),
				},
			},
		},
		Features: Features{
			Threads: true, AltText: true, Scheduling: true, Delete: true,
			Polls: &PollRules{
				MaxOptions:      or(c.Polls.MaxOptions, 4),
				MaxOptionLength: or(c.Polls.MaxCharactersPerOption, 50),
				MinDuration:     time.Duration(or(c.Polls.MinExpiration, 300)) * time.Second,
				MaxDuration:     time.Duration(or(c.Polls.MaxExpiration, 2_629_746)) * time.Second,
			},
		},
		Rate: RateLimits{PerAccount: Window{Count: 300, Per: 3 * time.Hour}},
	}
}

// BlueskySpec returns Bluesky's spec: 300 graphemes and 3000 UTF-8 bytes, up
// to 4 images (2,000,000 bytes each) or 1 video, and about 1,666 posts per
// hour per account (5,000 write points per hour, 3 per create).
func BlueskySpec() Spec {
	return Spec{
		Network: Bluesky, Name: "Bluesky",
		Sources: []string{
			"https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json",
			"https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/images.json",
			"https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/video.json",
			"https://docs.bsky.app/docs/advanced-guides/rate-limits",
		},
		Text: TextRules{Method: text.Graphemes, MaxLength: 300, MaxBytes: 3000},
		Media: MediaRules{
			MaxItems: 4,
			Kinds: map[assets.Kind]MediaLimit{
				// 2,000,000 per the lexicon; bsky-docs still says 1,000,000.
				assets.KindImage: {MaxCount: 4, MaxSize: 2_000_000, MIME: []string{"image/jpeg", "image/png", "image/webp", "image/gif"}},
				assets.KindVideo: {MaxCount: 1, MaxSize: 300_000_000, MIME: []string{"video/mp4"}},
			},
		},
		Features: Features{Threads: true, AltText: true, Delete: true},
		Rate:     RateLimits{PerAccount: Window{Count: 5000 / 3, Per: time.Hour}},
	}
}

// LinkedInSpec returns LinkedIn's spec: 3000 characters of commentary, up to
// 20 images or 1 video or 1 document, about 150 posts per day per member.
func LinkedInSpec() Spec {
	return Spec{
		Network: LinkedIn, Name: "LinkedIn",
		Sources: []string{
			"https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api",
			"https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/multiimage-post-api",
			"https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits",
			"https://www.ayrshare.com/docs/media-guidelines/linkedin",
		},
		Text: TextRules{Method: text.CodePoints, MaxLength: 3000},
		Media: MediaRules{
			MaxItems: 20,
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {MaxCount: 20, MaxSize: 5 * mib, MIME: []string{"image/jpeg", "image/gif", "image/png"}, MaxPixels: 36_152_319},
				assets.KindVideo: {
					MaxCount: 1, MaxSize: 500 * mib, MIME: []string{"video/mp4"},
					MinAspect: 1 / 2.4, MaxAspect: 2.4, MinDuration: 3 * time.Second, MaxDuration: 30 * time.Minute,
				},
				assets.KindDocument: {MaxCount: 1, MaxSize: 100 * mib},
			},
		},
		// Link: content.article (source, title); Title: content.media.title of
		// a video or document (Posts API, "Article" and "Video" content).
		Features: Features{FirstComment: true, AltText: true, Delete: true, Link: true, Title: true},
		Rate:     RateLimits{PerAccount: Window{Count: 150, Per: day}},
	}
}

// FacebookSpec returns a Facebook Page's spec: 63,206 characters, up to 10
// photos or 1 video, native scheduling. Meta publishes no fixed posting rate
// (Business Use Case limits depend on the Page), so Rate is unlimited and the
// Publisher follows what the network reports.
func FacebookSpec() Spec {
	return Spec{
		Network: Facebook, Name: "Facebook Page",
		Sources: []string{
			"https://developers.facebook.com/docs/graph-api/overview/rate-limiting",
			"https://developers.facebook.com/docs/graph-api/guides/error-handling",
		},
		Text: TextRules{Method: text.CodePoints, MaxLength: 63_206},
		Media: MediaRules{
			MaxItems: 10,
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {MaxCount: 10, MaxSize: 4 * mib, MIME: []string{"image/jpeg", "image/png"}},
				assets.KindVideo: {MaxCount: 1},
			},
		},
		Features: Features{FirstComment: true, Link: true, Scheduling: true, Delete: true},
	}
}

// InstagramSpec returns Instagram's spec: a 2200-character caption, 30
// hashtags and 20 mentions, 1 to 10 media items (a post needs media), 50
// API-published posts per 24 hours (sources say 25, 50 or 100: read
// content_publishing_limit at runtime and override).
func InstagramSpec() Spec {
	return Spec{
		Network: Instagram, Name: "Instagram",
		Sources: []string{
			"https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media",
			"https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish",
			"https://www.ayrshare.com/docs/apis/post/social-networks/instagram",
		},
		Text: TextRules{Method: text.CodePoints, MaxLength: 2200, MaxTags: 30, MaxMentions: 20},
		Media: MediaRules{
			MinItems: 1, MaxItems: 10, Mixing: true,
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {
					MaxCount: 10, MaxSize: 8 * mib, MIME: []string{"image/jpeg"},
					MinWidth: 320, MaxWidth: 1440, MinAspect: 4.0 / 5, MaxAspect: 1.91,
				},
				assets.KindVideo: {
					MaxCount: 10, MaxSize: 300 * mib, MIME: []string{"video/mp4", "video/quicktime"},
					MinDuration: 3 * time.Second, MaxDuration: 15 * time.Minute,
				},
			},
		},
		Features: Features{FirstComment: true, Delete: false},
		Rate:     RateLimits{PerAccount: Window{Count: 50, Per: day}},
	}
}

// ThreadsSpec returns Threads' spec: 500 characters (emoji counted as their
// UTF-8 bytes), at most 5 links and 1 topic tag, carousels of up to 20
// items, 250 API-published posts per 24 hours per account.
func ThreadsSpec() Spec {
	return Spec{
		Network: Threads, Name: "Threads",
		Sources: []string{
			"https://developers.facebook.com/docs/threads/posts",
			"https://developers.facebook.com/docs/threads/overview",
		},
		Text: TextRules{Method: text.Threads, MaxLength: 500, MaxLinks: 5, MaxTags: 1},
		Media: MediaRules{
			MaxItems: 20, Mixing: true, // 20 per Ayrshare; Zernio says 10
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {MaxCount: 20, MaxSize: 8 * mib, MIME: []string{"image/jpeg", "image/png"}, MinWidth: 320, MaxWidth: 1440, MaxAspect: 10},
				assets.KindVideo: {MaxCount: 20, MaxSize: 1 * gib, MIME: []string{"video/mp4", "video/quicktime"}, MaxWidth: 1920, MaxDuration: 5 * time.Minute},
			},
		},
		Features: Features{Threads: true, AltText: true, Delete: true},
		Rate:     RateLimits{PerAccount: Window{Count: 250, Per: day}},
	}
}

// TikTokSpec returns TikTok's spec: a 2200-character caption, one video or a
// carousel of up to 35 photos (media required), 6 publish initialisations
// per minute per user. The API cannot delete posts (Features.Delete is
// false); the creator's own limits (privacy options, longest video) come
// from creator_info/query at publish time (networks/tiktok).
func TikTokSpec() Spec {
	return Spec{
		Network: TikTok, Name: "TikTok",
		Sources: []string{
			"https://developers.tiktok.com/doc/content-posting-api-reference-direct-post",
			"https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide",
			"https://developers.tiktok.com/doc/content-posting-api-reference-photo-post",
			"https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit",
			"https://docs.zernio.com/platforms/tiktok",
		},
		Text: TextRules{Method: text.CodePoints, MaxLength: 2200, MaxTitle: 90},
		Media: MediaRules{
			MinItems: 1, MaxItems: 35,
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {MaxCount: 35, MaxSize: 20 * mib, MIME: []string{"image/jpeg", "image/webp"}},
				assets.KindVideo: {
					MaxCount: 1, MaxSize: 4 * gib, MIME: []string{"video/mp4", "video/quicktime", "video/webm"},
					MinHeight: 360, MinDuration: 3 * time.Second, MaxDuration: 10 * time.Minute,
				},
			},
		},
		Features: Features{Title: true},
		Rate:     RateLimits{PerAccount: Window{Count: 6, Per: time.Minute}},
	}
}

// YouTubeSpec returns YouTube's spec: one video per post (and an optional
// thumbnail image), a 100-character
// title and a 5000-character description, 15 hashtags, 100 videos.insert
// calls per day per project, native scheduling (publishAt).
func YouTubeSpec() Spec {
	return Spec{
		Network: YouTube, Name: "YouTube",
		Sources: []string{
			"https://developers.google.com/youtube/v3/docs/videos",
			"https://developers.google.com/youtube/v3/determine_quota_cost",
			"https://developers.google.com/youtube/v3/docs/thumbnails/set",
			"https://docs.zernio.com/platforms/youtube",
		},
		Text: TextRules{Method: text.CodePoints, MaxLength: 5000, MaxTitle: 100, MaxTags: 15},
		Media: MediaRules{
			// One video, and optionally one image set as its thumbnail
			// (thumbnails.set: JPEG or PNG, at most 2 MB).
			MinItems: 1, MaxItems: 2, Mixing: true,
			Kinds: map[assets.Kind]MediaLimit{
				// 15 minutes for unverified channels; verified channels may post longer.
				assets.KindVideo: {MaxCount: 1, MaxDuration: 15 * time.Minute},
				assets.KindImage: {MaxCount: 1, MaxSize: 2 * mib, MIME: []string{"image/jpeg", "image/png"}},
			},
		},
		Features: Features{Title: true, Scheduling: true, Delete: true},
		Rate:     RateLimits{PerApp: Window{Count: 100, Per: day}},
	}
}

// PinterestSpec returns Pinterest's spec: an 800-character description, a
// 100-character title, a 2048-byte link and 500-character alt text, one image
// or a carousel of 2 to 5 images, or one video with at most one image as its
// cover (the pinterest adapter refuses a video with more).
func PinterestSpec() Spec {
	return Spec{
		Network: Pinterest, Name: "Pinterest",
		Sources: []string{
			"https://github.com/pinterest/api-description/blob/main/v5/openapi.json",
			"https://developers.pinterest.com/docs/reference/rate-limits/",
			"https://developers.pinterest.com/docs/work-with-organic-content-and-users/create-boards-and-pins/",
		},
		Text: TextRules{Method: text.CodePoints, MaxLength: 800, MaxTitle: 100, MaxLink: 2048, MaxAlt: 500},
		Media: MediaRules{
			// A video pin's cover image (media_source.cover_image_url or
			// cover_image_data) is the one mix allowed.
			MinItems: 1, MaxItems: 5, Mixing: true,
			Kinds: map[assets.Kind]MediaLimit{
				assets.KindImage: {MaxCount: 5},
				assets.KindVideo: {MaxCount: 1},
			},
		},
		Features: Features{Title: true, Link: true, AltText: true, Delete: true},
	}
}
