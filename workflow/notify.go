package workflow

import (
	"context"
	"slices"
	"sync"
	"time"
)

// NoticeKind says what a [Notice] is about.
type NoticeKind string

// The notice kinds.
const (
	NoticeApprovalRequested NoticeKind = "approval_requested"
	NoticeApprovalLink      NoticeKind = "approval_link" // Data["token"] is the signed link's token, for the approver only
	NoticeChangesRequested  NoticeKind = "changes_requested"
	NoticeApproved          NoticeKind = "approved"
	NoticeRejected          NoticeKind = "rejected"
	NoticeReminderDue       NoticeKind = "reminder_due"
	NoticeDeadlineMissed    NoticeKind = "deadline_missed"
	NoticePublished         NoticeKind = "published"
	NoticePublishFailed     NoticeKind = "publish_failed"
	NoticeUnconfirmed       NoticeKind = "unconfirmed"
	NoticeReconnect         NoticeKind = "channel_needs_reconnecting"
	NoticeManualPublish     NoticeKind = "manual_publish"
	NoticeMentioned         NoticeKind = "mentioned"
	NoticeTaskAssigned      NoticeKind = "task_assigned"
	NoticeInboxAssigned     NoticeKind = "inbox_assigned" // a conversation was assigned to the recipient; Data["conversation"]
	NoticeInboxHandOff      NoticeKind = "inbox_hand_off" // a conversation handed off to the recipient's team; Data has what they need (its "text", "author" and "url" are the network's untrusted values, bounded: escape them where rendered)
	NoticeInboxSurge        NoticeKind = "inbox_surge"    // negative items passed the workspace's threshold
	NoticeReplyApproval     NoticeKind = "reply_approval" // a reply awaits the recipient's approval; Data["conversation"], Data["reply"]
	NoticeReplyFailed       NoticeKind = "reply_failed"   // a reply could not be published, or must be checked by hand
)

// Notice is something a person should hear about. To lists member IDs: the
// Service delivers a notice only to active members of Workspace who may see
// it (the scope of [Service.Post]: for a member restricted to some channels,
// the notice's Channel or one of its Post's channels), and bounds Summary.
type Notice struct {
	Kind      NoticeKind        `json:"kind"`
	Workspace string            `json:"workspace"`
	Post      string            `json:"post,omitempty"`
	Channel   string            `json:"channel,omitempty"`
	To        []string          `json:"to"`
	Actor     string            `json:"actor,omitempty"`
	Summary   string            `json:"summary"`
	At        time.Time         `json:"at"`
	Data      map[string]string `json:"data,omitempty"`
}

// Notifier delivers notices (e-mail, chat, in-app) for the host. Notify is
// called after the action it reports was saved; an error is logged and does
// not undo the action. Implementations must be safe for concurrent use and
// should not block for long: queue the delivery.
type Notifier interface {
	Notify(ctx context.Context, n Notice) error
}

// NotifierFunc adapts a function to [Notifier].
type NotifierFunc func(ctx context.Context, n Notice) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, n Notice) error { return f(ctx, n) }

// Inbox is a [Notifier] that keeps every notice in memory, for tests,
// examples and hosts that poll. The zero Inbox is ready to use and safe for
// concurrent use.
type Inbox struct {
	mu      sync.Mutex
	notices []Notice
}

// Notify records n.
func (b *Inbox) Notify(_ context.Context, n Notice) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.notices = append(b.notices, n)
	return nil
}

// Notices returns the notices received so far, optionally only those of the
// given kinds.
func (b *Inbox) Notices(kinds ...NoticeKind) []Notice {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Notice
	for _, n := range b.notices {
		if len(kinds) == 0 || slices.Contains(kinds, n.Kind) {
			out = append(out, n)
		}
	}
	return out
}
