package threads

import (
	"strings"
	"unicode/utf8"

	"github.com/socialflow/socialflow/networks"
)

// PostOptions are the Threads-only settings of a post that a
// [networks.Draft] does not carry
// (https://developers.facebook.com/docs/threads/reference/publishing,
// https://developers.facebook.com/docs/threads/posts#topic-tags).
type PostOptions struct {
	// ReplyControl says who may reply: everyone, accounts_you_follow,
	// mentioned_only, parent_post_author_only or followers_only; empty
	// leaves Threads' default (everyone). Applied to every part of a
	// thread.
	ReplyControl string
	// TopicTag files the root under a topic: 1 to 50 characters without a
	// period or an ampersand.
	TopicTag string
	// QuotePostID makes the root quote a post (its Threads media id).
	QuotePostID string
}

var replyControls = map[string]bool{"": true, "everyone": true, "accounts_you_follow": true, "mentioned_only": true,
	"parent_post_author_only": true, "followers_only": true}

func (o PostOptions) validate() error {
	n := utf8.RuneCountInString(o.TopicTag)
	switch {
	case !replyControls[o.ReplyControl]:
		return &networks.FieldError{Network: Network, Field: "reply_control", Value: o.ReplyControl,
			Reason: "must be everyone, accounts_you_follow, mentioned_only, parent_post_author_only or followers_only"}
	case o.TopicTag != "" && (n > 50 || strings.ContainsAny(o.TopicTag, ".&") || !utf8.ValidString(o.TopicTag)):
		return &networks.FieldError{Network: Network, Field: "topic_tag", Value: o.TopicTag, Reason: "1 to 50 characters without a period or an ampersand"}
	case o.QuotePostID != "" && (strings.Trim(o.QuotePostID, "0123456789") != "" || len(o.QuotePostID) > 30):
		return &networks.FieldError{Network: Network, Field: "quote_post_id", Value: o.QuotePostID, Reason: "not a Threads media id (digits)"}
	}
	return nil
}

// root adds the root's settings to a container's parameters.
func (o PostOptions) root(p map[string]any) map[string]any {
	if o.ReplyControl != "" {
		p["reply_control"] = o.ReplyControl
	}
	if o.TopicTag != "" {
		p["topic_tag"] = o.TopicTag
	}
	if o.QuotePostID != "" {
		p["quote_post_id"] = o.QuotePostID
	}
	return p
}
