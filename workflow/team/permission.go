package team

import "slices"

// Permission is one action a member may be allowed to take. The set is closed:
// [AllPermissions] lists every permission, and a role naming anything else is
// invalid. Values are stable strings, safe to store and to put in JSON.
type Permission string

// The permissions. Each covers one action of the other packages; "own" and
// "any" variants separate a creator's drafts from everybody's.
const (
	PermViewCalendar    Permission = "calendar.view"    // see the calendar, posts and their comments
	PermCreateDraft     Permission = "post.create"      // create a draft post or idea
	PermEditOwnDraft    Permission = "post.edit_own"    // edit drafts one authored
	PermEditAnyDraft    Permission = "post.edit_any"    // edit anybody's drafts
	PermDeleteOwnDraft  Permission = "post.delete_own"  // delete (archive) drafts one authored
	PermDeleteAnyDraft  Permission = "post.delete_any"  // delete (archive) anybody's drafts
	PermCommentInternal Permission = "comment.internal" // comment visible to the team only
	PermCommentClient   Permission = "comment.client"   // comment visible to the client too
	PermSubmit          Permission = "post.submit"      // submit a post for approval
	PermApprove         Permission = "post.approve"     // approve, request changes or reject
	PermSchedule        Permission = "post.schedule"    // schedule or unschedule an approved post
	PermPublishNow      Permission = "post.publish_now" // publish immediately
	PermManageQueue     Permission = "queue.manage"     // manage queues and posting slots
	PermUploadAsset     Permission = "asset.upload"     // add assets to the library
	PermApproveAsset    Permission = "asset.approve"    // approve an asset for use
	PermArchiveAsset    Permission = "asset.archive"    // archive or delete an asset
	PermUseSavedReplies Permission = "reply.use_saved"  // use saved replies and templates
	PermReplyCommunity  Permission = "community.reply"  // reply to the community on a channel
	PermViewAnalytics   Permission = "analytics.view"   // view analytics
	PermExportReports   Permission = "analytics.export" // export reports
	PermAssignTasks     Permission = "task.assign"      // assign posts and steps to members
	PermManageMembers   Permission = "team.manage"      // invite, change roles, suspend and remove members
	PermManageChannels  Permission = "channel.manage"   // connect and disconnect channels
	PermManagePolicies  Permission = "policy.manage"    // manage approval policies and guidelines
	PermViewAudit       Permission = "audit.view"       // view the audit trail
)

// allPermissions is the closed set, in documentation order.
var allPermissions = [...]Permission{
	PermViewCalendar, PermCreateDraft, PermEditOwnDraft, PermEditAnyDraft,
	PermDeleteOwnDraft, PermDeleteAnyDraft, PermCommentInternal, PermCommentClient,
	PermSubmit, PermApprove, PermSchedule, PermPublishNow, PermManageQueue,
	PermUploadAsset, PermApproveAsset, PermArchiveAsset, PermUseSavedReplies,
	PermReplyCommunity, PermViewAnalytics, PermExportReports, PermAssignTasks,
	PermManageMembers, PermManageChannels, PermManagePolicies, PermViewAudit,
}

// AllPermissions returns every permission, in documentation order. The
// caller may modify the returned slice.
func AllPermissions() []Permission { return slices.Clone(allPermissions[:]) }

// Valid reports whether p is one of [AllPermissions].
func (p Permission) Valid() bool { return slices.Contains(allPermissions[:], p) }

// ChannelBound reports whether p acts on one channel (publishing, scheduling,
// queues, community replies). A membership restricted to some channels or
// networks holds a channel-bound permission only for a [Scope] that names a
// channel inside its restriction; other permissions also apply to the
// workspace as a whole.
func (p Permission) ChannelBound() bool {
	switch p {
	case PermSchedule, PermPublishNow, PermManageQueue, PermReplyCommunity:
		return true
	}
	return false
}
