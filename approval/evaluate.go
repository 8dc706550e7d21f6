package approval

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
)

// Subject is what is being approved: a post, a reply to a customer, an
// asset — anything with an ID and a version. The zero Subject is invalid
// for any policy but [None] (SubmittedAt is required).
type Subject struct {
	ID   string `json:"id"`
	Kind string `json:"kind,omitempty"` // free text for the host and for routing: "post", "reply", "asset"
	// Version is the current version; every edit makes a new one. Decisions
	// name the version they decided on.
	Version int `json:"version"`
	// Author is the member who submitted it; the self-approval rule applies
	// to them. Empty means no author is known and the rule never applies.
	Author string `json:"author,omitempty"`
	// SubmittedAt is when the current round was submitted for approval: the
	// first stage opens then, deadlines count from it, and decisions made
	// before it belong to an earlier round and no longer count.
	// Resubmitting (after a rejection, say) means a new SubmittedAt.
	SubmittedAt time.Time `json:"submitted_at"`
	// MinorSince is the oldest version whose approvals still apply because
	// every edit since it was marked minor by the host. It is honoured only
	// when [Policy.KeepOnMinorEdit] is set. 0 means only Version counts.
	MinorSince int `json:"minor_since,omitempty"`
}

// Verdict is an approver's decision. The zero Verdict is invalid.
type Verdict string

// The verdicts.
const (
	Approve        Verdict = "approve"
	RequestChanges Verdict = "request_changes" // needs a comment; the subject goes back to its author
	Reject         Verdict = "reject"          // final until the subject is resubmitted
)

// Decision is one approver's verdict on one version at one stage. The host
// stores decisions and passes all of them, in any order, to [Evaluate]; they
// are replayed in order of At (ties keep the order given). The zero Decision
// is invalid.
type Decision struct {
	Approver string  `json:"approver"`
	Verdict  Verdict `json:"verdict"`
	// Stage names the stage decided on; it must be the open stage. Empty
	// for a single-stage policy whose stage has no name.
	Stage   string    `json:"stage,omitempty"`
	Version int       `json:"version"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
	// Role is the role name the approver acted in, as the host maps it;
	// only compared with [Policy.SkipRoles].
	Role string `json:"role,omitempty"`
}

// Outcome is the state of an approval request. The zero Outcome is never
// returned by [Evaluate].
type Outcome string

// The outcomes.
const (
	NotRequired      Outcome = "not_required"      // the policy is None
	Pending          Outcome = "pending"           // a stage is open and awaits approvals
	Approved         Outcome = "approved"          // every stage is satisfied
	ChangesRequested Outcome = "changes_requested" // an approver of the open stage asked for changes
	Rejected         Outcome = "rejected"          // an approver rejected the version; final until resubmitted
	Expired          Outcome = "expired"           // a MissSlot deadline passed
)

// Via says how a stage was satisfied. The zero Via means "not satisfied".
type Via string

// The ways a stage is satisfied.
const (
	ViaQuorum      Via = "quorum"       // its quorum of approvals was met
	ViaSkip        Via = "skip"         // a skip role approved
	ViaAutoApprove Via = "auto_approve" // its deadline passed with OnExpiry AutoApprove
)

// StageResult is the record of one stage. The zero StageResult is a stage
// not opened yet.
type StageResult struct {
	Name      string
	Opened    time.Time // zero until the stage opens
	Satisfied time.Time // zero until satisfied
	Via       Via       // "" until satisfied
	Needed    int       // approvals its quorum needs for this subject
	// Approvals are the standing approvals (one per approver, the latest
	// replacing earlier ones), each naming the version it approved.
	Approvals []Decision
	// Schedule is the stage's deadline timetable; zero without a deadline
	// or before the stage opens.
	Schedule Schedule
}

// Ignored is a recorded decision that [Evaluate] did not count, with the
// error [Check] would have returned for it. The zero Ignored is not
// produced by this package.
type Ignored struct {
	Decision Decision
	Err      error
}

// Result is the outcome of [Evaluate]. The zero Result has an empty Outcome
// and does not allow publishing.
type Result struct {
	Outcome Outcome
	// Publishable reports whether the subject may be published now: true
	// for NotRequired, Approved, and every outcome of an Optional policy.
	Publishable bool
	// Reason is a short human-readable explanation; the names and the
	// comment it repeats are bounded.
	Reason  string
	Version int // the subject version this result is for
	// Stage and StageIndex name the open stage (Pending, ChangesRequested),
	// or the stage where the request closed (Rejected, Expired); "" and -1
	// otherwise.
	Stage      string
	StageIndex int
	// Awaiting lists the approvers still awaited in the open stage when
	// Pending, sorted; nil when anyone may review.
	Awaiting []string
	// Due is when the open stage's deadline passes; zero without one.
	Due time.Time
	// Overdue reports now is after Due.
	Overdue bool
	// Escalated reports the open stage's deadline passed with Escalate:
	// Schedule.EscalateTo may now decide too.
	Escalated bool
	// Schedule is the open stage's deadline timetable (zero without one).
	Schedule Schedule
	// ClosedAt is when the request reached Approved, Rejected or Expired.
	ClosedAt time.Time
	Stages   []StageResult
	Ignored  []Ignored
}

// Evaluate replays decisions under policy p for subject s and reports the
// state of the request at now. Decisions may be in any order; each is
// counted only if [Check] would have accepted it at its time, otherwise it
// is listed in Result.Ignored with the reason. A second decision by the same
// approver in the same stage replaces the first.
//
// It returns a *[PolicyError] for an invalid policy or subject and a
// *[QuorumError] when the author's exclusion makes a quorum unreachable; it
// never fails because of a decision.
func Evaluate(p Policy, s Subject, decisions []Decision, now time.Time) (Result, error) {
	r, err := newReplay(&p, s, now)
	if err != nil {
		return Result{}, err
	}
	r.run(decisions, nil)
	if r.err != nil {
		return Result{}, r.err
	}
	return r.result(), nil
}

// Check reports whether decision d may be recorded now, given the decisions
// already recorded: nil if [Evaluate] would count it. Errors:
//   - *[DecisionError] (ErrInvalid): malformed, or At after now;
//   - *[VersionError] (ErrConflict): d is not on the current version;
//   - *[ClosedError] (ErrConflict): the request is approved, rejected,
//     expired, needs no approval, or d predates the submission;
//   - *[StageError] (ErrConflict): d names a stage that is not open;
//   - *[SelfApprovalError], *[NotApproverError] (ErrForbidden);
//   - *[PolicyError], *[QuorumError] (ErrInvalid) as for Evaluate.
func Check(p Policy, s Subject, decisions []Decision, d Decision, now time.Time) error {
	r, err := newReplay(&p, s, now)
	if err != nil {
		return err
	}
	if d.Version != s.Version {
		return &VersionError{Got: d.Version, Current: s.Version}
	}
	all := make([]Decision, len(decisions)+1)
	copy(all, decisions)
	all[len(decisions)] = d
	probe := len(decisions)
	var probeErr error
	r.run(all, func(i int, err error) {
		if i == probe {
			probeErr = err
		}
	})
	if r.err != nil {
		return r.err
	}
	return probeErr
}

type perStage struct {
	hrs    *hours // nil without business hours
	needed int    // approvals the quorum needs for this subject
}

type replay struct {
	c   *compiled
	s   Subject
	now time.Time
	per []perStage

	cur       int
	votes     []Decision
	sched     Schedule
	hasSched  bool
	escalated bool
	closed    Outcome
	closedAt  time.Time
	stages    []StageResult
	ignored   []Ignored
	err       error
}

func newReplay(p *Policy, s Subject, now time.Time) (*replay, error) {
	c, err := p.compile()
	if err != nil {
		return nil, err
	}
	if s.Version < 0 {
		return nil, &PolicyError{Policy: p.Name, Field: "subject.version", Value: strconv.Itoa(s.Version), Reason: "version must not be negative"}
	}
	if s.MinorSince < 0 || s.MinorSince > s.Version {
		return nil, &PolicyError{Policy: p.Name, Field: "subject.minor_since", Value: strconv.Itoa(s.MinorSince), Limit: s.Version, Reason: "minor_since must be between 0 and the version"}
	}
	if len(c.stages) > 0 && s.SubmittedAt.IsZero() {
		return nil, &PolicyError{Policy: p.Name, Field: "subject.submitted_at", Reason: "submission time is required"}
	}
	r := &replay{c: c, s: s, now: now, cur: -1}
	r.per = make([]perStage, len(c.stages))
	r.stages = make([]StageResult, len(c.stages))
	for i := range c.stages {
		st := &c.stages[i]
		r.stages[i].Name = st.name
		count := len(st.eligible)
		if !p.AllowSelfApproval && s.Author != "" {
			if _, found := slices.BinarySearch(st.eligible, s.Author); found {
				count--
			}
		}
		need := 1
		switch st.rule {
		case All:
			need = count
		case AtLeast:
			need = st.n
		}
		if !st.anyone && (need > count || count == 0) {
			return nil, &QuorumError{Stage: st.name, Needed: max(need, 1), Eligible: count, Author: s.Author}
		}
		r.per[i].needed = need
		r.stages[i].Needed = need
		if st.deadline != nil && st.deadline.BusinessHours != nil {
			h, err := st.deadline.BusinessHours.compile()
			if err != nil {
				return nil, err
			}
			r.per[i].hrs = h
		}
	}
	return r, nil
}

// run replays ds in order of At; report, when set, hears every decision's
// verdict by its index in ds.
func (r *replay) run(ds []Decision, report func(i int, err error)) {
	if len(r.c.stages) > 0 {
		r.open(0, r.s.SubmittedAt)
	}
	sorted := slices.IsSortedFunc(ds, func(a, b Decision) int { return a.At.Compare(b.At) })
	var order []int
	if !sorted {
		order = make([]int, len(ds))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return ds[a].At.Compare(ds[b].At) })
	}
	for k := range ds {
		i := k
		if order != nil {
			i = order[k]
		}
		err := r.apply(ds[i], report != nil && i == len(ds)-1)
		if r.err != nil {
			return
		}
		if err != nil {
			r.ignored = append(r.ignored, Ignored{Decision: ds[i], Err: err})
		}
		if report != nil {
			report(i, err)
		}
	}
	r.advance(r.now)
}

func (r *replay) open(i int, at time.Time) {
	r.cur = i
	r.votes = r.votes[:0]
	r.escalated = false
	r.hasSched = false
	r.sched = Schedule{}
	r.stages[i].Opened = at
	st := &r.c.stages[i]
	if st.deadline == nil {
		return
	}
	sc, err := st.deadline.schedule(r.per[i].hrs, at)
	if err != nil {
		r.err = err
		return
	}
	sc.EscalateTo = st.escalate
	r.sched, r.hasSched = sc, true
	r.stages[i].Schedule = sc
}

func (r *replay) approvals() []Decision {
	n := 0
	for _, v := range r.votes {
		if v.Verdict == Approve {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Decision, 0, n)
	for _, v := range r.votes {
		if v.Verdict == Approve {
			out = append(out, v)
		}
	}
	return out
}

func (r *replay) changesStanding() (Decision, bool) {
	for _, v := range r.votes {
		if v.Verdict == RequestChanges {
			return v, true
		}
	}
	return Decision{}, false
}

func (r *replay) satisfy(at time.Time, via Via) {
	sr := &r.stages[r.cur]
	sr.Satisfied, sr.Via = at, via
	sr.Approvals = r.approvals()
	if r.cur+1 < len(r.stages) {
		r.open(r.cur+1, at)
		return
	}
	r.close(Approved, at)
}

func (r *replay) close(o Outcome, at time.Time) {
	r.closed, r.closedAt = o, at
}

// advance applies deadline actions that fall due up to t.
func (r *replay) advance(t time.Time) {
	for r.closed == "" && r.err == nil && r.hasSched && t.After(r.sched.Due) {
		switch r.sched.OnExpiry {
		case Escalate:
			r.escalated = true
			return
		case AutoApprove:
			if _, ok := r.changesStanding(); ok {
				return
			}
			r.satisfy(r.sched.Due, ViaAutoApprove)
		case MissSlot:
			r.close(Expired, r.sched.Due)
			return
		default: // Block
			return
		}
	}
}

func (r *replay) apply(d Decision, strict bool) error {
	switch d.Verdict {
	case Approve, Reject:
	case RequestChanges:
		if strings.TrimSpace(d.Comment) == "" {
			return &DecisionError{Field: "comment", Reason: "a change request needs a comment"}
		}
	default:
		return &DecisionError{Field: "verdict", Value: string(d.Verdict), Reason: "unknown verdict"}
	}
	if d.Approver == "" {
		return &DecisionError{Field: "approver", Reason: "approver is empty"}
	}
	if d.At.IsZero() {
		return &DecisionError{Field: "at", Reason: "decision time is missing"}
	}
	if d.At.After(r.now) {
		return &DecisionError{Field: "at", Value: d.At.Format(time.RFC3339), Reason: "decision is later than now"}
	}
	if d.At.Before(r.s.SubmittedAt) {
		return &ClosedError{Outcome: Pending, At: r.s.SubmittedAt}
	}
	if d.Version != r.s.Version {
		carried := !strict && r.c.p.KeepOnMinorEdit && d.Verdict == Approve &&
			r.s.MinorSince > 0 && d.Version >= r.s.MinorSince && d.Version < r.s.Version
		if !carried {
			return &VersionError{Got: d.Version, Current: r.s.Version}
		}
	}
	if len(r.c.stages) == 0 {
		return &ClosedError{Outcome: NotRequired}
	}
	r.advance(d.At)
	if r.err != nil {
		return nil
	}
	if r.closed != "" {
		return &ClosedError{Outcome: r.closed, At: r.closedAt}
	}
	st := &r.c.stages[r.cur]
	if d.Stage != st.name {
		return &StageError{Stage: d.Stage, Current: st.name}
	}
	if d.Approver == r.s.Author && !r.c.p.AllowSelfApproval {
		return &SelfApprovalError{Approver: d.Approver, Subject: r.s.ID}
	}
	if d.Verdict == Approve && d.Role != "" && slices.Contains(r.c.p.SkipRoles, d.Role) {
		for r.closed == "" && r.err == nil {
			r.record(d)
			r.satisfy(d.At, ViaSkip)
		}
		return nil
	}
	if !r.eligible(st, d.Approver) {
		return &NotApproverError{Approver: d.Approver, Stage: st.name}
	}
	r.record(d)
	if d.Verdict == Reject {
		r.close(Rejected, d.At)
		return nil
	}
	if _, ok := r.changesStanding(); ok {
		return nil
	}
	n := 0
	for _, v := range r.votes {
		if v.Verdict == Approve {
			n++
		}
	}
	if n >= r.per[r.cur].needed {
		r.satisfy(d.At, ViaQuorum)
	}
	return nil
}

func (r *replay) eligible(st *cstage, who string) bool {
	if st.anyone {
		return true
	}
	if _, ok := slices.BinarySearch(st.eligible, who); ok {
		return true
	}
	if r.escalated {
		_, ok := slices.BinarySearch(st.escalate, who)
		return ok
	}
	return false
}

// record stores d as its approver's standing vote, replacing an earlier one.
func (r *replay) record(d Decision) {
	for i := range r.votes {
		if r.votes[i].Approver == d.Approver {
			r.votes[i] = d
			return
		}
	}
	r.votes = append(r.votes, d)
}

func (r *replay) result() Result {
	res := Result{Version: r.s.Version, StageIndex: -1, Stages: r.stages, Ignored: r.ignored}
	optional := r.c.p.Kind == Optional
	switch {
	case len(r.c.stages) == 0:
		res.Outcome, res.Publishable = NotRequired, true
		res.Reason = "no approval required"
		return res
	case r.closed == Approved:
		res.Outcome, res.Publishable, res.ClosedAt = Approved, true, r.closedAt
		last := r.stages[len(r.stages)-1]
		res.Reason = fmt.Sprintf("approved version %d", r.s.Version)
		switch last.Via {
		case ViaSkip:
			res.Reason += " by skip role (" + approverList(last.Approvals) + ")"
		case ViaAutoApprove:
			res.Reason += " (auto-approved when " + stageLabel(last.Name) + " expired)"
		default:
			res.Reason += " by " + approverList(last.Approvals)
		}
		return res
	}
	res.Stage, res.StageIndex = r.c.stages[r.cur].name, r.cur
	if r.closed != "" {
		res.Outcome, res.Publishable, res.ClosedAt = r.closed, optional, r.closedAt
		if r.closed == Rejected {
			for _, v := range r.votes {
				if v.Verdict == Reject {
					res.Reason = fmt.Sprintf("rejected by %s%s", echo.Short(v.Approver), atStage(res.Stage))
					if v.Comment != "" {
						res.Reason += ": " + echo.Clip(v.Comment, maxReasonEcho)
					}
				}
			}
		} else {
			res.Reason = fmt.Sprintf("%s expired at %s; the post misses its slot", stageLabel(res.Stage), r.closedAt.UTC().Format(time.RFC3339))
		}
		return res
	}
	r.stages[r.cur].Approvals = r.approvals()
	if r.hasSched {
		res.Schedule, res.Due = r.sched, r.sched.Due
		res.Overdue = r.now.After(r.sched.Due)
		res.Escalated = r.escalated
	}
	res.Publishable = optional
	if v, ok := r.changesStanding(); ok {
		res.Outcome = ChangesRequested
		res.Reason = fmt.Sprintf("changes requested by %s%s: %s", echo.Short(v.Approver), atStage(res.Stage), echo.Clip(v.Comment, maxReasonEcho))
		return res
	}
	res.Outcome = Pending
	st := &r.c.stages[r.cur]
	var b strings.Builder
	if optional {
		b.WriteString("optional review, publishing not blocked; ")
	}
	if st.anyone {
		b.WriteString("awaiting any reviewer")
	} else {
		res.Awaiting = r.awaiting(st)
		fmt.Fprintf(&b, "%s has %d of %d approvals; awaiting %s",
			stageLabel(res.Stage), len(r.stages[r.cur].Approvals), r.per[r.cur].needed, nameList(res.Awaiting))
	}
	if r.hasSched {
		fmt.Fprintf(&b, "; due %s", res.Due.UTC().Format(time.RFC3339))
		if res.Escalated {
			b.WriteString(" (overdue, escalated to " + nameList(r.sched.EscalateTo) + ")")
		} else if res.Overdue {
			b.WriteString(" (overdue)")
		}
	}
	res.Reason = b.String()
	return res
}

func (r *replay) awaiting(st *cstage) []string {
	cand := st.eligible
	if r.escalated && len(st.escalate) > 0 {
		cand = append(slices.Clip(cand), st.escalate...)
		slices.Sort(cand)
		cand = slices.Compact(cand)
	}
	out := make([]string, 0, len(cand))
	for _, id := range cand {
		if id == r.s.Author && !r.c.p.AllowSelfApproval {
			continue
		}
		if slices.ContainsFunc(r.votes, func(v Decision) bool { return v.Approver == id && v.Verdict == Approve }) {
			continue
		}
		out = append(out, id)
	}
	return out
}

func approverList(ds []Decision) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Approver
	}
	return nameList(names)
}

// maxNamesEcho bounds the names one reason lists.
const maxNamesEcho = 10

// nameList joins member IDs for a reason: each bounded, at most
// maxNamesEcho of them, then a count of the rest.
func nameList(ids []string) string {
	var b strings.Builder
	for i, id := range ids {
		if i == maxNamesEcho {
			fmt.Fprintf(&b, " and %d more", len(ids)-maxNamesEcho)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(echo.Short(id))
	}
	return b.String()
}

// stageLabel names a stage in a reason: `stage "legal"`, or "the stage"
// for the unnamed stage of a single-stage policy.
func stageLabel(name string) string {
	if name == "" {
		return "the stage"
	}
	return "stage " + echo.Quote(name)
}

func atStage(name string) string {
	if name == "" {
		return ""
	}
	return " at stage " + echo.Quote(name)
}
