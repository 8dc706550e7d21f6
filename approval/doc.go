// Package approval decides who must say yes before content goes out:
// policies (none, optional, required, multi-level), decisions, routing rules
// that pick a policy for a subject, deadlines in business hours with
// reminders and escalation, and signed links for external approvers.
//
// The package is pure: no I/O, no goroutines, no clock. Every function that
// depends on time takes now. The host stores policies, routing rules and
// decisions; this package says what they mean. The workflow package is its
// main user.
//
// # Policy kinds
//
// A [Policy] has a [Kind] and stages ([Stage]); each stage names its
// approvers (member IDs and groups resolved through [Policy.Groups]), a
// [Quorum] and an optional [Deadline].
//
//   - [None]: nothing waits. [Evaluate] returns [NotRequired] and publishing
//     is allowed; every decision is refused with a *[ClosedError]. The zero
//     Policy is a None policy.
//   - [Optional]: one stage of reviewers who may approve, request changes or
//     reject. Publishing is never blocked (Result.Publishable is always
//     true); the outcome is recorded. An empty approver set means anyone but
//     the author may review. Deadlines may remind and escalate but not
//     auto-approve or miss the slot.
//   - [Required]: one stage; N approvals from its approver set, N = 1 by
//     default ([Any]), or every approver ([All]), or at least N ([AtLeast]).
//   - [MultiLevel]: ordered, uniquely named stages. Only one stage is open at
//     a time: the first opens at [Subject.SubmittedAt]; stage k+1 opens at the
//     instant stage k is satisfied. The request is [Approved] when the last
//     stage is satisfied.
//
// # Decisions
//
// A [Decision] is an approver's [Approve], [RequestChanges] (a comment is
// required; the subject goes back to its author) or [Reject] (final until
// the subject is resubmitted), naming who, when, which stage and which
// version. [Check] says whether a decision may be recorded; [Evaluate]
// replays all recorded decisions in time order and counts exactly those that
// Check would have accepted at their time. Refused:
//
//   - by someone who is not an approver of the open stage (*[NotApproverError]);
//   - by the author, unless [Policy.AllowSelfApproval] (*[SelfApprovalError]);
//   - on a version other than the current one (*[VersionError]);
//   - on a stage that is not the open one (*[StageError]);
//   - after the request closed — approved, rejected or expired — or before
//     the current submission (*[ClosedError]).
//
// A second decision by the same approver in the same stage replaces the
// first: approving after asking for changes withdraws the change request,
// and approving twice counts once. A standing change request blocks its
// stage (outcome [ChangesRequested]) until its author replaces it or a new
// version resets the stage; other approvers may still decide meanwhile. A
// rejection closes the request at once.
//
// # Rules
//
//   - Self-approval: the author may not decide on their own subject unless
//     the policy allows it; [All] then means every approver but the author,
//     and a quorum that cannot be met without the author makes Evaluate
//     fail with a *[QuorumError] (ErrInvalid) rather than wait forever.
//   - Skip roles: an approval by a member acting in a role listed in
//     [Policy.SkipRoles] satisfies the open stage and every later one
//     ([ViaSkip]). To let some authors publish without any review, route
//     them to a None policy with [Condition.AuthorRoles].
//   - Edits: each edit makes a new version and, by default, earlier
//     decisions stop counting — the request starts again at the first
//     stage. With [Policy.KeepOnMinorEdit], approvals on versions from
//     [Subject.MinorSince] on survive edits the host marked minor (change
//     requests and rejections never carry over). Every counted approval
//     keeps the version it approved ([StageResult.Approvals]). Deadlines
//     still count from [Subject.SubmittedAt]: a host that sends an edited
//     subject back to review resubmits it (a new SubmittedAt), which also
//     starts a new round.
//
// # Validation
//
// Bad policies fail early: [Policy.Validate] (also run by [NewRouter],
// [ParseRouter], [Evaluate] and [Check]) returns a *[PolicyError] matching
// socialflow.ErrInvalid for an empty approver set, an unknown group, a
// quorum larger than its set, duplicate stage names, a deadline of zero or
// less, and so on, naming the field, the value and the limit.
// [Policy.ValidateMembers] also checks every approver against the host's
// member directory. Evaluation then only fails for a subject whose author is
// needed to reach a quorum (*[QuorumError]).
//
// # Evaluation
//
// [Evaluate] returns a [Result]: the [Outcome] ([NotRequired], [Pending],
// [Approved], [ChangesRequested], [Rejected], [Expired]), the open stage,
// the approvers still awaited, the due time, whether it is overdue or
// escalated, whether publishing is allowed now, a short reason, a record of
// every stage, and the decisions it ignored with their errors.
//
// # Deadlines
//
// A stage's [Deadline] runs from the moment the stage opens, in calendar time
// or, with [BusinessHours], in working time (working days and hours in an
// IANA zone, skipping weekends and listed holidays, computed in wall time so
// DST changes do not move opening hours). [Deadline.Schedule] gives the due
// time, the reminder times (percentages of the deadline, e.g. 50 and 90) and
// the escalation time. When the deadline passes with the stage unsatisfied,
// [Deadline.OnExpiry] decides:
//
//   - [Block] (default): the request stays [Pending] and overdue; publishing
//     stays blocked; late decisions still count.
//   - [Escalate]: the backup approvers in [Deadline.EscalateTo] join the
//     stage's approvers and count toward its quorum (standing in for the
//     missing approvers).
//   - [AutoApprove]: the stage is satisfied at the due time ([ViaAutoApprove])
//     unless a change request stands; the next stage opens then.
//   - [MissSlot]: the request closes as [Expired] at the due time; the post
//     misses its slot and must be resubmitted.
//
// A deadline "passes" strictly after the due instant: a decision at the due
// time is in time.
//
// # Routing
//
// A [Router] picks the policy for a subject from its [Attributes]
// (workspace, channel, network, campaign, kind, author role, labels, text).
// Its rules are data ([RouterConfig], loaded with [ParseRouter]), tried in
// order; the first match wins and a default applies otherwise. Content tests
// use keywords (whole words, case-insensitive) and RE2 patterns. [Match]
// says which rule matched and why. The rule order is the host's priority:
// an early rule sending managers to a None policy wins over a later one.
//
// A post going out on several channels has one set of attributes per
// channel; [Router.RouteAll] routes each and applies the strictest: the
// [Merge] of the policies found. None only when every channel routes to
// None; Optional only when none routes to Required or MultiLevel;
// otherwise every stage any blocking policy requires (stages with the same
// approvers become one, with the stricter quorum), and loosening flags
// (self-approval, skip roles, keeping approvals on minor edits) only where
// every policy grants them. The result does not depend on the order of the
// channels, and the Match lists the rules that contributed and those
// outweighed.
//
// # External approval links
//
// A [Signer] creates URL-safe tokens for a [Link] (request, version,
// approver, expiry) signed with HMAC-SHA256 under a key id, so keys can
// rotate. [Signer.Verify] compares signatures in constant time and returns a
// distinct error for a malformed token, an unknown key id, a wrong key, a
// tampered token, an expired link, a wrong version and a link already used
// (the host passes its "seen before" check). Tokens carry no secret.
//
// # Errors
//
// Every error is typed and matches one kind of the root package through
// [errors.Is]: bad policies, subjects, decisions and tokens match
// socialflow.ErrInvalid, refused approvers ErrForbidden, stale or closed
// requests ErrConflict, expired links ErrAuthExpired and reused links
// ErrDuplicate.
//
// Messages — errors, [Result.Reason], [Match.String] — bound every value
// they repeat (names, labels, matched text, comments: a few dozen runes
// each, marked "…(+N)" when clipped; at most a few names per list) and
// never render a zero time. No error, String, GoString, fmt verb, slog
// value or JSON encoding of a [Key] or [Signer] shows a secret.
package approval
