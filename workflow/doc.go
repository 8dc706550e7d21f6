// Package workflow runs a team's social-media workflow inside a host's
// product: posts and their versions, review and approval, scheduling on a
// calendar, publishing through the networks package, and an audit trail —
// every piece of state in the host's storage. A host wires it once with
// [New] (see the package Example) and then calls the [Service]'s methods,
// each authorized for the acting member and audited.
//
// # Team
//
// The team model — organizations, workspaces, channels, members, roles,
// permissions and memberships — is the leaf package
// [github.com/socialflow/socialflow/workflow/team], with the one
// authorization gate [team.Team.Authorize]. The Service keeps the team in
// its [TeamStore] and changes it only through its team actions
// ([Service.Invite], [Service.ChangeRole], [Service.AddChannel] and the
// others), each authorized, stored and audited; [Service.Team] returns a
// frozen snapshot.
//
// # Posts and versions
//
// [Service.CreatePost] starts a draft for one or more channels (with
// per-network variants); [Service.EditPost] records a new [Version] on every
// change of content, listed by [Service.Versions] and compared by
// [Service.DiffVersions]. Comments ([Service.Comment]) and tasks
// ([Service.AssignTask]) hang off posts; [Service.Awaiting] lists what waits
// for a member.
//
// # Review
//
// [Service.Submit] routes a post to its approval policy (an
// approval.Router, [WithRouter]); [Service.Decide] records a member's
// decision, [Service.ApprovalLink] and [Service.DecideByLink] let an
// external approver decide once through a signed link. Deadlines and
// reminders run in [Service.CheckDeadlines] (the Dispatcher calls it).
//
// # Scheduling and the calendar
//
// [Service.Schedule] books an approved post at an instant;
// [Service.AddToQueue] books the channel's next free posting slot
// ([Service.SetPostingSlots]) under its rules ([Service.SetRules]). Booking a
// slot and checking the rules is one atomic store step, so replicas never
// book one slot twice. [Service.PauseWorkspace] and [Service.PauseQueue]
// stop publishing at once. Day, week and month views ([Service.WeekView] and
// the others) read the calendar through the Service, scoped to what the
// member may see.
//
// # Publishing
//
// The [Dispatcher] publishes due targets through a [Connector] (for
// example a [*Connections]: a networks.Publisher per network and an
// account per channel): it claims each target with a fenced lease, records
// an intent before the network call, and the outcome after; an outcome it
// cannot know is reconciled by looking the post up, or left for
// [Service.ResolveUnconfirmed] and [Service.MarkPublishedManually].
// [Dispatcher.CheckWiring] lists every channel that cannot publish.
//
// # Storage and replicas
//
// Nothing the workflow decides from lives only in process memory: posts,
// versions, comments, tasks, leases, single-use keys and the audit trail
// ([Store]), the team ([TeamStore]), slots, queues, rules, blackouts,
// events and guidelines ([PlanStore]) and the due index ([DueIndex]) are
// the host's. package memstore is the in-memory default, package pgstore
// the PostgreSQL one, and package storetest the conformance suite every
// Store must pass. A write that lost a race is a [*ConflictError] whose
// [ConflictKind] says what to do (a stale post is merged and retried, a lost
// lease gives the work up); storetest checks every kind.
//
// # Audit
//
// Every action appends an [Event] to its workspace's hash chain (an HMAC
// chain under [WithAuditKey]); [AuditLog.Verify] checks a workspace's chain
// and [Service.AuditTrail] reads it, scoped to the member.
//
// # Errors
//
// Every typed error matches its root kind (socialflow.ErrInvalid,
// ErrNotFound, ErrConflict, ErrForbidden, ...) through an Is method, carries
// its details for errors.As, and returns its cause, if any, through Unwrap.
package workflow
