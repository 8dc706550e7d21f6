package tiktok

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// CreatorInfo is what creator_info/query says of the account at the
// moment of posting
// (https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info):
// the privacy levels it may use, the interactions it turned off, and the
// longest video it may post.
type CreatorInfo struct {
	Username         string   `json:"creator_username"`
	Nickname         string   `json:"creator_nickname"`
	PrivacyOptions   []string `json:"privacy_level_options"`
	CommentDisabled  bool     `json:"comment_disabled"`
	DuetDisabled     bool     `json:"duet_disabled"`
	StitchDisabled   bool     `json:"stitch_disabled"`
	MaxVideoDuration int64    `json:"max_video_post_duration_sec"` // seconds; 0: not said
}

// MaxDuration is the longest video the creator may post, zero when TikTok
// did not say.
func (c CreatorInfo) MaxDuration() time.Duration {
	if c.MaxVideoDuration <= 0 || c.MaxVideoDuration > 1<<31 {
		return 0
	}
	return time.Duration(c.MaxVideoDuration) * time.Second
}

// CreatorInfo reads the account's current creator information
// (creator_info/query, 20 requests a minute per token). TikTok asks that it
// is read before every post; [Adapter.Publish] does. A creator who cannot
// post now (the daily cap, a ban) is refused here with the error the code
// maps to.
func (a *Adapter) CreatorInfo(ctx context.Context, acct networks.Account) (CreatorInfo, error) {
	if err := ctx.Err(); err != nil {
		return CreatorInfo{}, fmt.Errorf("tiktok: creator info: %w", err)
	}
	var out CreatorInfo
	_, err := call(ctx, a, &acct, &apikit.Request{URL: a.url("/v2/post/publish/creator_info/query/", nil),
		Name: "POST /v2/post/publish/creator_info/query/", Body: []byte{}, ContentType: "application/json; charset=UTF-8",
		Account: &acct, Op: networks.OpPublish, AccountID: acct.ID}, &out)
	if err != nil {
		return CreatorInfo{}, a.noteCap(acct.ID, err)
	}
	return out, nil
}

// Check returns every way d with s breaks what the creator may post, as a
// [*networks.ValidationError] (nil when none): a privacy level not among
// PrivacyOptions ("settings.privacy"), a video longer than the creator's
// maximum ("media[i].duration", limit and value in nanoseconds), and an
// interaction on that the creator turned off ("settings.disable_comment",
// "settings.disable_duet", "settings.disable_stitch"; duet and stitch for
// videos only).
func (c CreatorInfo) Check(d networks.Draft, s Settings) error {
	var vs []*networks.Violation
	if !slices.Contains(c.PrivacyOptions, s.privacy()) {
		vs = append(vs, violation("settings.privacy", networks.RuleInvalid, 0, 0,
			s.privacy()+" is not among the creator's options ("+strings.Join(c.PrivacyOptions, ", ")+")"))
	}
	video := false
	for i, m := range d.Media {
		if m.Kind != assets.KindVideo {
			continue
		}
		video = true
		if max := c.MaxDuration(); max > 0 && m.Duration > max {
			vs = append(vs, violation("media["+strconv.Itoa(i)+"].duration", networks.RuleMax, int64(max), int64(m.Duration),
				m.Duration.String()+"; the creator may post videos up to "+max.String()))
		}
	}
	off := func(field, what string) {
		vs = append(vs, violation(field, networks.RuleRequired, 0, 0, "the creator turned "+what+" off; the post must disable them"))
	}
	if c.CommentDisabled && !s.DisableComment {
		off("settings.disable_comment", "comments")
	}
	if video && c.DuetDisabled && !s.DisableDuet {
		off("settings.disable_duet", "duets")
	}
	if video && c.StitchDisabled && !s.DisableStitch {
		off("settings.disable_stitch", "stitches")
	}
	if len(vs) > 0 {
		return invalid(vs...)
	}
	return nil
}
