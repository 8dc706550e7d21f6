package approval

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/socialflow/socialflow/internal/echo"
)

// Kind is the kind of a [Policy]: [None], [Optional], [Required] or
// [MultiLevel]. Its zero value "" means [None].
type Kind string

// The four policy kinds. See the package documentation for their semantics.
const (
	None       Kind = "none"        // nothing waits
	Optional   Kind = "optional"    // reviews are recorded, publishing is never blocked
	Required   Kind = "required"    // N approvals from one approver set
	MultiLevel Kind = "multi_level" // ordered stages, each with its own quorum
)

// QuorumRule says how many approvals a stage needs. Its zero value "" means
// [Any].
type QuorumRule string

// The quorum rules.
const (
	Any     QuorumRule = "any"      // one approval from any approver
	All     QuorumRule = "all"      // every eligible approver (the author excluded unless self-approval is allowed)
	AtLeast QuorumRule = "at_least" // at least Quorum.N distinct approvers
)

// Quorum is the number of approvals a stage needs. The zero Quorum is
// {Rule: Any}: one approval.
type Quorum struct {
	Rule QuorumRule `json:"rule,omitempty"`
	N    int        `json:"n,omitempty"` // only with AtLeast; 1 ≤ N ≤ size of the approver set
}

// Approvers names who may decide: member IDs and named groups, resolved
// through [Policy.Groups]. The zero Approvers names nobody.
type Approvers struct {
	Members []string `json:"members,omitempty"`
	Groups  []string `json:"groups,omitempty"`
}

// IsZero reports whether a names nobody.
func (a Approvers) IsZero() bool { return len(a.Members) == 0 && len(a.Groups) == 0 }

// ExpiryAction is what happens when a stage's deadline passes without the
// stage being satisfied. Its zero value "" means [Block].
type ExpiryAction string

// The expiry actions. See the package documentation.
const (
	Block       ExpiryAction = "block"        // keep waiting; the result is overdue and publishing stays blocked
	Escalate    ExpiryAction = "escalate"     // Deadline.EscalateTo become approvers of the stage (their approvals count toward the quorum, standing in for approvers who did not decide, even under All)
	AutoApprove ExpiryAction = "auto_approve" // the stage counts as satisfied at the due time
	MissSlot    ExpiryAction = "miss_slot"    // the request closes as Expired; the post misses its slot
)

// Deadline bounds how long a stage may stay open. The zero Deadline is
// invalid (Within must be positive); a stage without a deadline has a nil
// *Deadline.
type Deadline struct {
	// Within is the time allowed, counted from the moment the stage opens.
	// With BusinessHours it is working time (8h is one default working day).
	Within Duration `json:"within"`
	// BusinessHours, when set, counts Within in working hours only.
	BusinessHours *BusinessHours `json:"business_hours,omitempty"`
	// Reminders are percentages of Within (1–99) at which to remind the
	// awaited approvers, e.g. [50, 90]. Nil means no reminders.
	Reminders []int `json:"reminders,omitempty"`
	// OnExpiry is what happens when the deadline passes. Default Block.
	OnExpiry ExpiryAction `json:"on_expiry,omitempty"`
	// EscalateTo is the backup approver or group; required with Escalate,
	// and must be empty otherwise.
	EscalateTo Approvers `json:"escalate_to,omitzero"`
}

// Stage is one level of approval. The zero Stage is invalid (it names no
// approvers), except in an [Optional] policy, where an empty approver set
// means anyone but the author may review.
type Stage struct {
	// Name identifies the stage in decisions. Required and unique in a
	// MultiLevel policy; may be empty in Required and Optional policies.
	Name      string    `json:"name,omitempty"`
	Approvers Approvers `json:"approvers"`
	Quorum    Quorum    `json:"quorum,omitzero"`
	Deadline  *Deadline `json:"deadline,omitempty"`
}

// Policy says who must approve a subject before it may be published. It is
// plain data with JSON tags: hosts store it, load it with [ParseRouter] and
// check it with [Policy.Validate]. The zero Policy is a valid [None] policy: nothing
// waits.
//
// A Policy is a value; functions of this package never modify it and it is
// safe to share between goroutines once built.
type Policy struct {
	Name string `json:"name,omitempty"`
	Kind Kind   `json:"kind,omitempty"`
	// Stages: none for None, exactly one for Optional and Required, one or
	// more for MultiLevel, opened in order.
	Stages []Stage `json:"stages,omitempty"`
	// Groups resolves the named groups used in Approvers: group name →
	// member IDs. A group named but not defined here is an error.
	Groups map[string][]string `json:"groups,omitempty"`
	// AllowSelfApproval lets the subject's author decide on their own
	// subject. Default false: the author's decisions are refused.
	AllowSelfApproval bool `json:"allow_self_approval,omitempty"`
	// SkipRoles are role names (supplied with each [Decision]) whose approval
	// satisfies the open stage and every later one at once. The role holder
	// need not be listed among the approvers. Self-approval rules still apply.
	SkipRoles []string `json:"skip_roles,omitempty"`
	// KeepOnMinorEdit lets approvals survive edits the host marks minor (see
	// [Subject.MinorSince]). Default false: any new version resets approvals.
	KeepOnMinorEdit bool `json:"keep_on_minor_edit,omitempty"`
}

// Limits on policies, checked by [Policy.Validate].
const (
	MaxStages     = 32
	MaxApprovers  = 1000                 // distinct members in one stage after group resolution
	MaxDeadline   = 366 * 24 * time.Hour // longest Deadline.Within
	maxIDLength   = 256
	maxGroupCount = 1000
)

// Validate checks p and returns a *[PolicyError] (errors.Is ErrInvalid) for
// the first problem found: an unknown kind, a wrong stage count, an empty
// approver set, an unknown group, a quorum larger than its set, duplicate
// stage names, a deadline of zero or less, and so on. A valid policy never
// fails [Evaluate] except with a *[QuorumError] for a subject whose author
// is needed to reach a quorum.
func (p Policy) Validate() error {
	_, err := p.compile()
	return err
}

// ValidateMembers runs [Policy.Validate] and then checks that known reports
// every approver — members, members of the groups used, escalation targets —
// as a known member. The first unknown one is returned as a *[PolicyError]
// (errors.Is ErrInvalid) naming the stage field and the member ID. The
// package keeps no member directory; the host passes its own.
func (p Policy) ValidateMembers(known func(id string) bool) error {
	c, err := p.compile()
	if err != nil {
		return err
	}
	for i, st := range c.stages {
		for _, id := range st.eligible {
			if !known(id) {
				return p.errf(fpath{stage: i}.at(".approvers"), id, 0, "unknown approver")
			}
		}
		for _, id := range st.escalate {
			if !known(id) {
				return p.errf(fpath{stage: i}.at(".deadline.escalate_to"), id, 0, "unknown approver")
			}
		}
	}
	return nil
}

// compiled is the resolved form of a policy used by evaluation.
type compiled struct {
	p      *Policy
	stages []cstage
}

type cstage struct {
	name     string
	eligible []string // sorted, distinct; nil with anyone
	anyone   bool     // Optional with no approvers
	rule     QuorumRule
	n        int
	deadline *Deadline
	escalate []string // sorted, distinct
}

func (p *Policy) errf(field, value string, limit int, format string, args ...any) *PolicyError {
	return &PolicyError{Policy: p.Name, Field: field, Value: value, Limit: limit, Reason: fmt.Sprintf(format, args...)}
}

func (p *Policy) compile() (*compiled, error) {
	c := &compiled{p: p}
	switch p.Kind {
	case "", None:
		if len(p.Stages) != 0 {
			return nil, p.errf("stages", strconv.Itoa(len(p.Stages)), 0, "a none policy has no stages")
		}
	case Optional, Required:
		if len(p.Stages) != 1 {
			return nil, p.errf("stages", strconv.Itoa(len(p.Stages)), 1, "a %s policy has exactly one stage", p.Kind)
		}
	case MultiLevel:
		if len(p.Stages) == 0 {
			return nil, p.errf("stages", "0", 0, "a multi_level policy needs at least one stage")
		}
		if len(p.Stages) > MaxStages {
			return nil, p.errf("stages", strconv.Itoa(len(p.Stages)), MaxStages, "too many stages")
		}
	default:
		return nil, p.errf("kind", string(p.Kind), 0, "unknown policy kind")
	}
	if len(p.Groups) > maxGroupCount {
		return nil, p.errf("groups", strconv.Itoa(len(p.Groups)), maxGroupCount, "too many groups")
	}
	for name, members := range p.Groups {
		if name == "" {
			return nil, p.errf("groups", name, 0, "group name is empty")
		}
		for _, m := range members {
			if err := p.checkID("groups."+name, m); err != nil {
				return nil, err
			}
		}
	}
	for i, r := range p.SkipRoles {
		if r == "" {
			return nil, p.errf(fmt.Sprintf("skip_roles[%d]", i), r, 0, "role name is empty")
		}
	}
	c.stages = make([]cstage, len(p.Stages))
	for i := range p.Stages {
		st := &p.Stages[i]
		f := fpath{stage: i}
		if p.Kind == MultiLevel && st.Name == "" {
			return nil, p.errf(f.at(".name"), "", 0, "stage name is required in a multi_level policy")
		}
		if len(st.Name) > maxIDLength {
			return nil, p.errf(f.at(".name"), echo.Clip(st.Name, 32), maxIDLength, "stage name too long")
		}
		if slices.ContainsFunc(p.Stages[:i], func(o Stage) bool { return o.Name == st.Name }) {
			return nil, p.errf(f.at(".name"), st.Name, 0, "duplicate stage name")
		}
		cs := cstage{name: st.Name, deadline: st.Deadline}
		eligible, err := p.resolve(fpath{stage: i, prefix: ".approvers"}, st.Approvers)
		if err != nil {
			return nil, err
		}
		if len(eligible) == 0 {
			if p.Kind != Optional || !st.Approvers.IsZero() {
				return nil, p.errf(f.at(".approvers"), "", 0, "approver set is empty")
			}
			cs.anyone = true
		}
		cs.eligible = eligible
		cs.rule = st.Quorum.Rule
		if cs.rule == "" {
			cs.rule = Any
		}
		switch cs.rule {
		case Any, All:
			if st.Quorum.N != 0 {
				return nil, p.errf(f.at(".quorum.n"), strconv.Itoa(st.Quorum.N), 0, "n is only used with at_least")
			}
		case AtLeast:
			if st.Quorum.N < 1 {
				return nil, p.errf(f.at(".quorum.n"), strconv.Itoa(st.Quorum.N), 1, "at_least needs n of 1 or more")
			}
			if cs.anyone {
				if st.Quorum.N != 1 {
					return nil, p.errf(f.at(".quorum.n"), strconv.Itoa(st.Quorum.N), 1, "quorum larger than approver set")
				}
			} else if st.Quorum.N > len(eligible) {
				return nil, p.errf(f.at(".quorum.n"), strconv.Itoa(st.Quorum.N), len(eligible), "quorum larger than approver set")
			}
			cs.n = st.Quorum.N
		default:
			return nil, p.errf(f.at(".quorum.rule"), string(st.Quorum.Rule), 0, "unknown quorum rule")
		}
		if cs.anyone && cs.rule == All {
			return nil, p.errf(f.at(".quorum.rule"), string(All), 0, "all needs a named approver set")
		}
		if d := st.Deadline; d != nil {
			esc, err := p.checkDeadline(fpath{stage: i, prefix: ".deadline"}, d)
			if err != nil {
				return nil, err
			}
			cs.escalate = esc
		}
		c.stages[i] = cs
	}
	return c, nil
}

func (p *Policy) checkID(field, id string) error {
	if id == "" {
		return p.errf(field, "", 0, "member id is empty")
	}
	if len(id) > maxIDLength {
		return p.errf(field, echo.Clip(id, 32), maxIDLength, "member id too long")
	}
	return nil
}

// resolve expands members and groups into a sorted set of distinct IDs.
func (p *Policy) resolve(field fpath, a Approvers) ([]string, error) {
	size := len(a.Members)
	for _, g := range a.Groups {
		size += len(p.Groups[g])
	}
	out := make([]string, 0, size)
	for _, m := range a.Members {
		if m == "" || len(m) > maxIDLength {
			return nil, p.checkID(field.at(".members"), m)
		}
		out = append(out, m)
	}
	for _, g := range a.Groups {
		members, ok := p.Groups[g]
		if !ok {
			return nil, p.errf(field.at(".groups"), g, 0, "unknown group")
		}
		if len(members) == 0 {
			return nil, p.errf(field.at(".groups"), g, 0, "group has no members")
		}
		out = append(out, members...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxApprovers {
		return nil, p.errf(field.at(""), strconv.Itoa(len(out)), MaxApprovers, "too many approvers")
	}
	return out, nil
}

func (p *Policy) checkDeadline(f fpath, d *Deadline) ([]string, error) {
	if d.Within <= 0 {
		return nil, p.errf(f.at(".within"), d.Within.String(), 0, "deadline must be positive")
	}
	if time.Duration(d.Within) > MaxDeadline {
		return nil, p.errf(f.at(".within"), d.Within.String(), int(MaxDeadline/time.Hour), "deadline longer than the limit in hours")
	}
	if d.BusinessHours != nil {
		if err := d.BusinessHours.Validate(); err != nil {
			if pe, ok := err.(*PolicyError); ok {
				pe.Policy = p.Name
				pe.Field = f.at(".business_hours.") + pe.Field
			}
			return nil, err
		}
	}
	for i, r := range d.Reminders {
		if r < 1 || r > 99 {
			return nil, p.errf(f.at(".reminders["+strconv.Itoa(i)+"]"), strconv.Itoa(r), 99, "reminder percentage must be 1–99")
		}
	}
	switch d.OnExpiry {
	case "", Block, AutoApprove, MissSlot:
		if !d.EscalateTo.IsZero() {
			return nil, p.errf(f.at(".escalate_to"), "", 0, "escalate_to is only used with on_expiry escalate")
		}
		if p.Kind == Optional && d.OnExpiry != "" && d.OnExpiry != Block {
			return nil, p.errf(f.at(".on_expiry"), string(d.OnExpiry), 0, "an optional policy never blocks, so only block or escalate apply")
		}
		return nil, nil
	case Escalate:
		if d.EscalateTo.IsZero() {
			return nil, p.errf(f.at(".escalate_to"), "", 0, "escalate needs a backup approver or group")
		}
		return p.resolve(fpath{stage: f.stage, prefix: f.prefix + ".escalate_to"}, d.EscalateTo)
	default:
		return nil, p.errf(f.at(".on_expiry"), string(d.OnExpiry), 0, "unknown expiry action")
	}
}

// Duration is a [time.Duration] that reads and writes JSON as a Go duration
// string ("48h", "90m"); it also reads a number of nanoseconds. The zero
// Duration is zero.
type Duration time.Duration

// String returns the duration formatted like [time.Duration.String].
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return &PolicyError{Field: "duration", Value: s, Reason: "not a duration such as \"48h\""}
		}
		*d = Duration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return &PolicyError{Field: "duration", Value: string(b), Reason: "not a duration string or a number of nanoseconds"}
	}
	*d = Duration(n)
	return nil
}

// fpath is a field path inside a policy's stages, built only when an error
// needs it.
type fpath struct {
	stage  int
	prefix string
}

func (f fpath) at(suffix string) string {
	return "stages[" + strconv.Itoa(f.stage) + "]" + f.prefix + suffix
}
