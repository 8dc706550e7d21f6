package workflow

import (
	"fmt"
	"slices"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/internal/echo"
)

// State is the lifecycle state of a [Post]. The flow, with the transitions
// of [Transition]:
//
//	draft ──submit──▶ in_review ──approved──▶ approved ──schedule──▶ scheduled
//	  ▲                  │                       │                      │
//	  └─changes_requested┘   edit (policy says) ─┘ back to in_review    ▼ (dispatcher)
//	                                      failed ◀── publishing ──▶ published
//	                                                   │   ▲           partially_published
//	                                                   ▼   │ reconcile
//	                                               unconfirmed
//
// Any state before publishing can be cancelled; draft, cancelled, failed
// and published posts can be archived.
type State string

// The post states.
const (
	StateDraft            State = "draft"
	StateInReview         State = "in_review"
	StateChangesRequested State = "changes_requested"
	StateRejected         State = "rejected"
	StateApproved         State = "approved"
	StateScheduled        State = "scheduled"
	StatePublishing       State = "publishing"
	StatePublished        State = "published"
	StatePartial          State = "partially_published"
	StateFailed           State = "failed"
	StateUnconfirmed      State = "unconfirmed"
	StateCancelled        State = "cancelled"
	StateArchived         State = "archived"
)

// Action names a lifecycle transition.
type Action string

// The lifecycle actions.
const (
	ActSubmit         Action = "submit"          // draft/changes_requested/rejected → in_review
	ActApprove        Action = "approve"         // in_review → approved (the policy is satisfied)
	ActRequestChanges Action = "request_changes" // in_review → changes_requested
	ActReject         Action = "reject"          // in_review → rejected
	ActEdit           Action = "edit"            // content change; approved/scheduled → in_review when approval resets
	ActSchedule       Action = "schedule"        // approved → scheduled
	ActUnschedule     Action = "unschedule"      // scheduled → approved
	ActPublishStart   Action = "publish_start"   // scheduled → publishing (the dispatcher claimed it)
	ActPublished      Action = "published"       // publishing/unconfirmed → published or partially_published
	ActFail           Action = "fail"            // publishing/unconfirmed → failed
	ActUnconfirmed    Action = "unconfirmed"     // publishing → unconfirmed
	ActRetry          Action = "retry"           // failed/partially_published → scheduled
	ActCancel         Action = "cancel"          // any state before publishing → cancelled
	ActArchive        Action = "archive"         // draft/cancelled/failed/published/partial/rejected → archived
	ActRestore        Action = "restore"         // cancelled → draft
)

// transitions lists, per action, the states it may start from and the state
// it leads to. ActEdit and ActPublished have computed targets (see Transition).
var transitions = map[Action]struct {
	from []State
	to   State
}{
	ActSubmit:         {[]State{StateDraft, StateChangesRequested, StateRejected}, StateInReview},
	ActApprove:        {[]State{StateInReview}, StateApproved},
	ActRequestChanges: {[]State{StateInReview}, StateChangesRequested},
	ActReject:         {[]State{StateInReview}, StateRejected},
	ActEdit:           {[]State{StateDraft, StateInReview, StateChangesRequested, StateRejected, StateApproved, StateScheduled}, ""},
	ActSchedule:       {[]State{StateApproved}, StateScheduled},
	ActUnschedule:     {[]State{StateScheduled}, StateApproved},
	ActPublishStart:   {[]State{StateScheduled, StateApproved}, StatePublishing},
	ActPublished:      {[]State{StatePublishing, StateUnconfirmed, StatePartial}, ""},
	ActFail:           {[]State{StatePublishing, StateUnconfirmed}, StateFailed},
	ActUnconfirmed:    {[]State{StatePublishing}, StateUnconfirmed},
	ActRetry:          {[]State{StateFailed, StatePartial}, StateScheduled},
	ActCancel:         {[]State{StateDraft, StateInReview, StateChangesRequested, StateRejected, StateApproved, StateScheduled}, StateCancelled},
	ActArchive:        {[]State{StateDraft, StateCancelled, StateFailed, StatePublished, StatePartial, StateRejected}, StateArchived},
	ActRestore:        {[]State{StateCancelled}, StateDraft},
}

// TransitionError reports an action that is not allowed in the post's
// current state. It matches socialflow.ErrConflict.
type TransitionError struct {
	Post   string
	State  State
	Action Action
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("workflow: post %s: cannot %s a post in state %s", echo.Quote(e.Post), e.Action, e.State)
}

// Is reports whether target is socialflow.ErrConflict.
func (e *TransitionError) Is(target error) bool { return target == socialflow.ErrConflict }

// Transition returns the state a post in state from reaches by action a, or
// a [*TransitionError]. For [ActEdit], reset says whether the edit resets
// approval (an approved or scheduled post goes back to in_review); for
// [ActPublished], partial says whether some targets failed.
func Transition(post string, from State, a Action, reset, partial bool) (State, error) {
	t, ok := transitions[a]
	if !ok || !slices.Contains(t.from, from) {
		return "", &TransitionError{Post: post, State: from, Action: a}
	}
	switch a {
	case ActEdit:
		if reset && (from == StateApproved || from == StateScheduled) {
			return StateInReview, nil
		}
		return from, nil
	case ActPublished:
		if partial {
			return StatePartial, nil
		}
		return StatePublished, nil
	}
	return t.to, nil
}

// Editable reports whether content of a post in state s may still change.
func (s State) Editable() bool { return slices.Contains(transitions[ActEdit].from, s) }

// Content is the copy of a post, or a variant of it for one network or one
// channel.
//
// A variant overrides the base field by field: each field the variant sets
// (a non-empty Text, Link or FirstComment, a non-empty Media or Thread)
// replaces the base's, and every field it leaves empty is inherited, so an
// X variant with only Text goes out with the base's media, link and first
// comment. To drop a base field instead, a variant lists it in Omit. The
// content a target publishes is the base, then the variant of its network,
// then the variant of its channel (see [Post.ContentFor]).
type Content struct {
	Text         string     `json:"text"`
	Media        []MediaRef `json:"media,omitempty"`
	Link         string     `json:"link,omitempty"`
	FirstComment string     `json:"first_comment,omitempty"`
	Thread       []string   `json:"thread,omitempty"` // further parts after Text, for networks with threads
	// Omit, on a variant only, lists the fields the variant does not
	// inherit: they are empty in the result unless the variant sets them.
	Omit []ContentField `json:"omit,omitempty"`
}

// ContentField names a field of [Content], for [Content.Omit].
type ContentField string

// The content fields a variant may omit.
const (
	FieldText         ContentField = "text"
	FieldMedia        ContentField = "media"
	FieldLink         ContentField = "link"
	FieldFirstComment ContentField = "first_comment"
	FieldThread       ContentField = "thread"
)

// contentFields is the closed set of [ContentField]s.
var contentFields = []ContentField{FieldText, FieldMedia, FieldLink, FieldFirstComment, FieldThread}

// Override returns c with the variant v laid over it field by field (see
// [Content]): the fields v sets replace c's, the fields v lists in Omit and
// does not set are emptied, the rest stay c's. The result has no Omit.
func (c Content) Override(v Content) Content {
	out := c.Clone()
	out.Omit = nil
	for _, f := range v.Omit {
		switch f {
		case FieldText:
			out.Text = ""
		case FieldMedia:
			out.Media = nil
		case FieldLink:
			out.Link = ""
		case FieldFirstComment:
			out.FirstComment = ""
		case FieldThread:
			out.Thread = nil
		}
	}
	if v.Text != "" {
		out.Text = v.Text
	}
	if len(v.Media) > 0 {
		out.Media = slices.Clone(v.Media)
	}
	if v.Link != "" {
		out.Link = v.Link
	}
	if v.FirstComment != "" {
		out.FirstComment = v.FirstComment
	}
	if len(v.Thread) > 0 {
		out.Thread = slices.Clone(v.Thread)
	}
	return out
}

// MediaRef points at an asset of the library, with the alt text of this use.
type MediaRef struct {
	Asset   string `json:"asset"`
	AltText string `json:"alt_text,omitempty"`
}

// Clone returns a deep copy of c.
func (c Content) Clone() Content {
	c.Media = slices.Clone(c.Media)
	c.Thread = slices.Clone(c.Thread)
	c.Omit = slices.Clone(c.Omit)
	return c
}

// TargetState is the publishing state of one target of a post.
type TargetState string

// The target states.
const (
	TargetPending     TargetState = "pending"     // not yet due, or the post is not scheduled
	TargetScheduled   TargetState = "scheduled"   // due at At; the dispatcher will claim it
	TargetPublishing  TargetState = "publishing"  // claimed by a dispatcher under a lease
	TargetAwaiting    TargetState = "awaiting"    // accepted by the network, still processing (async)
	TargetPublished   TargetState = "published"   // live, RemoteID set
	TargetFailed      TargetState = "failed"      // failed for good, Cause set
	TargetUnconfirmed TargetState = "unconfirmed" // the outcome is unknown; reconcile before anything else
	TargetManual      TargetState = "manual"      // a person must publish it by hand
	TargetCancelled   TargetState = "cancelled"
)

// Target is one channel a post goes to, with its own variant and outcome.
type Target struct {
	Channel string       `json:"channel"`
	Network string       `json:"network"`
	Variant *Content     `json:"variant,omitempty"` // the channel's variant over the base (see Content); nil: none
	State   TargetState  `json:"state"`
	At      time.Time    `json:"at,omitzero"` // when it is due (UTC)
	Outcome TargetResult `json:"outcome,omitzero"`
	// Earlier holds the outcomes of the rounds an evergreen target
	// published before it came back ([Service.QueueEvergreen]), oldest first.
	Earlier []TargetResult `json:"earlier,omitempty"`
}

// TargetResult is what publishing one target produced.
type TargetResult struct {
	RemoteID    string    `json:"remote_id,omitempty"`
	URL         string    `json:"url,omitempty"`
	Marker      string    `json:"marker,omitempty"` // idempotency marker of the publish
	PublishedAt time.Time `json:"published_at,omitzero"`
	Attempts    int       `json:"attempts,omitempty"`   // recorded outcomes in this round
	Round       int       `json:"round,omitempty"`      // publishing rounds: a manual retry starts a new one
	Cause       string    `json:"cause,omitempty"`      // why it failed or is unconfirmed
	Retriable   bool      `json:"retriable,omitempty"`  // whether a retry may succeed
	NextTry     time.Time `json:"next_try,omitzero"`    // when a retriable failure is tried again
	PendingID   string    `json:"pending_id,omitempty"` // the network's processing job, when awaiting
}

// ContentFor returns base with t's channel variant laid over it field by
// field ([Content.Override]). It does not know the post's network variants:
// [Post.ContentFor] gives the content a target publishes.
func (t Target) ContentFor(base Content) Content {
	if t.Variant != nil {
		return base.Override(*t.Variant)
	}
	return base.Clone()
}

// ContentFor returns the content the post publishes on channel: the base
// content, then the variant of the channel's network ([Post.NetworkVariants]),
// then the channel's own variant ([Target.Variant]), each laid over the
// previous field by field ([Content.Override]); so a channel's variant wins
// over its network's, which wins over the base. A channel the post does not
// target gets the base content.
func (p Post) ContentFor(channel string) Content {
	t := p.Target(channel)
	if t == nil {
		return p.Content.Clone()
	}
	c := p.Content
	if v, ok := p.NetworkVariants[t.Network]; ok {
		c = c.Override(v)
	}
	return t.ContentFor(c)
}

// Post is one piece of content on its way to one or more channels.
//
// Version counts content edits (every edit is a new [Version]); Rev counts
// every stored change and is what optimistic concurrency compares (see
// [Store]).
type Post struct {
	ID        string  `json:"id"`
	Workspace string  `json:"workspace"`
	Author    string  `json:"author"`
	State     State   `json:"state"`
	Version   int     `json:"version"`
	Rev       int64   `json:"rev"`
	Content   Content `json:"content"`
	// NetworkVariants override the content per network (network key →
	// variant), for every target on that network; a target's own
	// [Target.Variant] is laid over it (see [Post.ContentFor]).
	NetworkVariants map[string]Content `json:"network_variants,omitempty"`
	Targets         []Target           `json:"targets"`
	Labels          []string           `json:"labels,omitempty"`
	Campaign        string             `json:"campaign,omitempty"`
	At              time.Time          `json:"at,omitzero"`    // the scheduled instant (UTC), zero when unscheduled
	Zone            string             `json:"zone,omitempty"` // the IANA zone it was planned in
	Queue           bool               `json:"queue,omitempty"`
	Assignee        string             `json:"assignee,omitempty"`
	Due             time.Time          `json:"due,omitzero"`
	// Policy is the approval policy routing chose at submission, kept with
	// the post so that later changes to the routing table do not change a
	// request in flight; Route says which rule chose it and why.
	Policy    approval.Policy `json:"policy,omitzero"`
	Route     string          `json:"route,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	// SubmittedAt is when the current review round began.
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	// ApprovedVersion is the content version the last approval covered.
	ApprovedVersion int `json:"approved_version,omitempty"`
	// MinorSince is the oldest version whose approvals survive because
	// every edit since was marked minor (see approval.Subject.MinorSince).
	MinorSince int `json:"minor_since,omitempty"`
	// Decisions are the approval decisions recorded on the post.
	Decisions []approval.Decision `json:"decisions,omitempty"`
	// LinksUsed are the IDs of the signed approval links whose decisions
	// are in Decisions: saved in the same write as the decision, so a link
	// is used up exactly when its decision is stored.
	LinksUsed []string `json:"links_used,omitempty"`
	// RemindedAt is when approvers were last reminded of the open stage's
	// deadline; OverdueNoticed names the stage opening whose missed deadline
	// was already announced ("stage@RFC3339"), so each is sent once.
	RemindedAt     time.Time `json:"reminded_at,omitzero"`
	OverdueNoticed string    `json:"overdue_noticed,omitempty"`
}

// Clone returns a deep copy of p.
func (p Post) Clone() Post {
	p.Content = p.Content.Clone()
	p.NetworkVariants = cloneVariants(p.NetworkVariants)
	p.Targets = slices.Clone(p.Targets)
	for i := range p.Targets {
		if v := p.Targets[i].Variant; v != nil {
			c := v.Clone()
			p.Targets[i].Variant = &c
		}
		p.Targets[i].Earlier = slices.Clone(p.Targets[i].Earlier)
	}
	p.Labels = slices.Clone(p.Labels)
	p.Decisions = slices.Clone(p.Decisions)
	p.LinksUsed = slices.Clone(p.LinksUsed)
	return p
}

// Target returns a pointer to the target on channel (into p.Targets, so
// changes through it change p), or nil.
func (p Post) Target(channel string) *Target {
	for i := range p.Targets {
		if p.Targets[i].Channel == channel {
			return &p.Targets[i]
		}
	}
	return nil
}

// HasLabel reports whether p carries label l.
func (p Post) HasLabel(l string) bool { return slices.Contains(p.Labels, l) }

// outcomeState returns the post state implied by its targets once
// publishing began: published when all published, partially published when
// some published and the rest failed, failed when all failed, unconfirmed
// when any is unconfirmed, publishing while any is still in flight.
func (p Post) outcomeState() State {
	var pub, failed, unconf, open int
	for _, t := range p.Targets {
		switch t.State {
		case TargetPublished:
			pub++
		case TargetFailed:
			failed++
		case TargetUnconfirmed:
			unconf++
		case TargetCancelled:
		default:
			open++
		}
	}
	switch {
	case open > 0:
		return StatePublishing
	case unconf > 0:
		return StateUnconfirmed
	case failed > 0 && pub > 0:
		return StatePartial
	case failed > 0:
		return StateFailed
	default:
		return StatePublished
	}
}

// NextAction returns when the dispatcher should next look at t, and false
// when t needs nothing (published, failed for good, cancelled, pending or
// manual). Stores key the [DueIndex] by it ([DueIndex.DueTargets]):
//
//   - scheduled: At, or NextTry when a retriable failure set a later one;
//   - awaiting (async processing) and unconfirmed: NextTry;
//   - publishing: NextTry, which the dispatcher sets to its lease expiry, so
//     a target whose dispatcher crashed is picked up again.
//
// A zero NextTry on those three means "parked" (an unconfirmed target handed
// to a person): not due.
func (t Target) NextAction() (time.Time, bool) {
	switch t.State {
	case TargetScheduled:
		if t.Outcome.NextTry.After(t.At) {
			return t.Outcome.NextTry, true
		}
		return t.At, true
	case TargetAwaiting, TargetUnconfirmed, TargetPublishing:
		// A zero NextTry parks the target: an unconfirmed target waiting for
		// a person is not due again until they resolve it.
		return t.Outcome.NextTry, !t.Outcome.NextTry.IsZero()
	}
	return time.Time{}, false
}

// DueAt reports whether some target of p needs the dispatcher at or before
// now.
func (p Post) DueAt(now time.Time) bool {
	for _, t := range p.Targets {
		if at, ok := t.NextAction(); ok && !at.After(now) {
			return true
		}
	}
	return false
}

func cloneVariants(m map[string]Content) map[string]Content {
	if m == nil {
		return nil
	}
	out := make(map[string]Content, len(m))
	for k, v := range m {
		out[k] = v.Clone()
	}
	return out
}
