package approval

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Merge returns the strictest combination of policies: the policy a subject
// must satisfy when several policies apply to it at once (a post going out
// on channels that route to different policies, say). "Strictest" is
// defined by kind, None < Optional < Required = MultiLevel, and then:
//
//   - Only None policies (or none at all): the result is None.
//   - Optional policies and no Required or MultiLevel one: None policies are
//     outweighed and the Optional ones merge into one Optional stage. Its
//     approvers are the union of theirs (anyone, when any of them lets
//     anyone review), its quorum the largest any of them needs, its
//     deadline the shortest one.
//   - Any Required or MultiLevel policy: None and Optional policies are
//     outweighed (an optional review never blocks) and the result is a
//     MultiLevel policy holding every stage any of the blocking policies
//     requires, in the order of the policies' names and, inside a policy,
//     in its own order. Stages with the same approvers (after group
//     resolution) and the same deadline are one stage with the stricter
//     quorum (the larger number of approvals; All over AtLeast N when N is
//     the whole set); so are stages with the same approvers where only one
//     has a deadline and it is Block or MissSlot, which never lets a
//     request through. Other stages stay separate, each with its own
//     approvers, quorum and deadline. A stage keeps its name, an unnamed
//     stage takes its policy's name, and a name already taken is qualified
//     as "policy/stage".
//
// So a subject approved under the merge was approved under every blocking
// policy: each of their stages was satisfied, with its own quorum, or with
// a stricter one. Flags that loosen a policy hold only when every
// contributing policy sets them: AllowSelfApproval and KeepOnMinorEdit are
// true only when all are, and SkipRoles are the roles all of them list.
// Groups are resolved into member IDs.
//
// A single policy (or several equal ones) is returned unchanged. Otherwise
// the result's Name joins the contributing policies' names, sorted, with
// "+" ("legal+team"). The result does not depend on the order of policies.
// Merge returns a *[PolicyError] (errors.Is ErrInvalid) for an invalid
// input and for a merge that breaks a limit ([MaxStages], [MaxApprovers]).
func Merge(policies ...Policy) (Policy, error) {
	ps, err := canonical(policies)
	if err != nil {
		return Policy{}, err
	}
	var none, optional, blocking []*compiled
	for _, c := range ps {
		switch c.p.Kind {
		case Optional:
			optional = append(optional, c)
		case Required, MultiLevel:
			blocking = append(blocking, c)
		default:
			none = append(none, c)
		}
	}
	var out Policy
	switch {
	case len(blocking) == 1:
		return clonePolicy(*blocking[0].p), nil
	case len(blocking) > 1:
		out = mergeBlocking(blocking)
	case len(optional) == 1:
		return clonePolicy(*optional[0].p), nil
	case len(optional) > 1:
		out = mergeOptional(optional)
	case len(none) == 1:
		return clonePolicy(*none[0].p), nil
	case len(none) > 1:
		out = Policy{Name: joinNames(none), Kind: None}
	default:
		return Policy{Kind: None}, nil
	}
	if err := out.Validate(); err != nil {
		return Policy{}, err
	}
	return out, nil
}

// canonical validates and compiles ps, drops duplicates and sorts them by
// name (then by content), so a merge does not depend on argument order.
func canonical(policies []Policy) ([]*compiled, error) {
	type keyed struct {
		c   *compiled
		key string
	}
	var ks []keyed
	for i := range policies {
		p := policies[i]
		c, err := p.compile()
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(p)
		if err != nil {
			return nil, &PolicyError{Policy: p.Name, Field: "policy", Reason: "cannot encode policy: " + err.Error()}
		}
		ks = append(ks, keyed{c: c, key: string(b)})
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.c.p.Name, b.c.p.Name); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	ks = slices.CompactFunc(ks, func(a, b keyed) bool { return a.key == b.key })
	out := make([]*compiled, len(ks))
	for i, k := range ks {
		out[i] = k.c
	}
	return out, nil
}

func joinNames(cs []*compiled) string {
	names := make([]string, 0, len(cs))
	for _, c := range cs {
		names = append(names, c.p.Name)
	}
	names = slices.Compact(names) // already sorted
	return strings.Join(names, "+")
}

// flags sets the loosening flags of out to what every policy in cs allows.
func flags(out *Policy, cs []*compiled) {
	out.AllowSelfApproval, out.KeepOnMinorEdit = true, true
	for i, c := range cs {
		out.AllowSelfApproval = out.AllowSelfApproval && c.p.AllowSelfApproval
		out.KeepOnMinorEdit = out.KeepOnMinorEdit && c.p.KeepOnMinorEdit
		if i == 0 {
			out.SkipRoles = slices.Clone(c.p.SkipRoles)
			continue
		}
		out.SkipRoles = slices.DeleteFunc(out.SkipRoles, func(r string) bool { return !slices.Contains(c.p.SkipRoles, r) })
	}
	slices.Sort(out.SkipRoles)
	out.SkipRoles = slices.Compact(out.SkipRoles)
	if len(out.SkipRoles) == 0 {
		out.SkipRoles = nil
	}
}

// needed is how many approvals a compiled stage's quorum asks for, before
// the author's exclusion: the measure of strictness between stages with the
// same approvers.
func (st *cstage) needed() int {
	switch st.rule {
	case All:
		return len(st.eligible)
	case AtLeast:
		return st.n
	}
	return 1
}

// quorumFor expresses n approvals out of size approvers as a Quorum.
func quorumFor(n, size int) Quorum {
	switch {
	case n <= 1:
		return Quorum{}
	case n >= size:
		return Quorum{Rule: All}
	}
	return Quorum{Rule: AtLeast, N: n}
}

// resolvedDeadline is d with its escalation target resolved to members, so
// deadlines of different policies compare and travel without groups.
func resolvedDeadline(st *cstage) *Deadline {
	if st.deadline == nil {
		return nil
	}
	d := *st.deadline
	d.Reminders = slices.Clone(d.Reminders)
	if d.BusinessHours != nil {
		bh := *d.BusinessHours
		bh.Days = slices.Clone(bh.Days)
		bh.Holidays = slices.Clone(bh.Holidays)
		d.BusinessHours = &bh
	}
	d.EscalateTo = Approvers{}
	if len(st.escalate) > 0 {
		d.EscalateTo = Approvers{Members: slices.Clone(st.escalate)}
	}
	return &d
}

// sameOrTighter reports whether two stages with the same approvers and
// deadlines a and b can be one stage without loosening either: the
// deadlines are equal, or only one stage has a deadline and it never
// loosens the other (Block only reminds and marks overdue, MissSlot closes
// the request; AutoApprove and Escalate would let it through with fewer of
// its approvers).
func sameOrTighter(a, b *Deadline) bool {
	if a == nil && b == nil || reflect.DeepEqual(a, b) {
		return true
	}
	d := a
	if d == nil {
		d = b
	} else if b != nil {
		return false
	}
	return d.OnExpiry == "" || d.OnExpiry == Block || d.OnExpiry == MissSlot
}

func mergeBlocking(cs []*compiled) Policy {
	out := Policy{Name: joinNames(cs), Kind: MultiLevel}
	flags(&out, cs)
	type merged struct {
		stage  Stage
		set    []string
		needed int
	}
	var stages []merged
	taken := map[string]bool{}
	for _, c := range cs {
		for i := range c.stages {
			st := &c.stages[i]
			dl := resolvedDeadline(st)
			if j := slices.IndexFunc(stages, func(m merged) bool {
				return slices.Equal(m.set, st.eligible) && sameOrTighter(m.stage.Deadline, dl)
			}); j >= 0 {
				if stages[j].stage.Deadline == nil {
					stages[j].stage.Deadline = dl
				}
				if n := st.needed(); n > stages[j].needed {
					stages[j].needed = n
					stages[j].stage.Quorum = quorumFor(n, len(st.eligible))
				}
				continue
			}
			name := st.name
			if name == "" {
				name = c.p.Name
			}
			if taken[name] {
				name = c.p.Name + "/" + name
			}
			for k := 2; taken[name]; k++ {
				name = c.p.Name + "/" + st.name + "#" + strconv.Itoa(k)
			}
			taken[name] = true
			stages = append(stages, merged{
				stage: Stage{Name: name, Approvers: Approvers{Members: slices.Clone(st.eligible)},
					Quorum: quorumFor(st.needed(), len(st.eligible)), Deadline: dl},
				set: st.eligible, needed: st.needed(),
			})
		}
	}
	for _, m := range stages {
		out.Stages = append(out.Stages, m.stage)
	}
	return out
}

func mergeOptional(cs []*compiled) Policy {
	out := Policy{Name: joinNames(cs), Kind: Optional}
	flags(&out, cs)
	var (
		members []string
		anyone  bool
		need    = 1
		dl      *Deadline
		name    = cs[0].stages[0].name
	)
	for _, c := range cs {
		st := &c.stages[0]
		if st.name != name {
			name = ""
		}
		if st.anyone {
			anyone = true
		}
		members = append(members, st.eligible...)
		need = max(need, st.needed())
		if d := resolvedDeadline(st); d != nil && (dl == nil || d.Within < dl.Within) {
			dl = d
		}
	}
	slices.Sort(members)
	members = slices.Compact(members)
	stage := Stage{Name: name, Deadline: dl}
	if !anyone {
		stage.Approvers = Approvers{Members: members}
		stage.Quorum = quorumFor(need, len(members))
	}
	out.Stages = []Stage{stage}
	return out
}

// clonePolicy returns a copy of p that shares no slice or map with it.
func clonePolicy(p Policy) Policy {
	out := p
	out.SkipRoles = slices.Clone(p.SkipRoles)
	if p.Groups != nil {
		out.Groups = make(map[string][]string, len(p.Groups))
		for k, v := range p.Groups {
			out.Groups[k] = slices.Clone(v)
		}
	}
	out.Stages = make([]Stage, len(p.Stages))
	for i, st := range p.Stages {
		st.Approvers = Approvers{Members: slices.Clone(st.Approvers.Members), Groups: slices.Clone(st.Approvers.Groups)}
		if st.Deadline != nil {
			d := *st.Deadline
			d.Reminders = slices.Clone(d.Reminders)
			d.EscalateTo = Approvers{Members: slices.Clone(d.EscalateTo.Members), Groups: slices.Clone(d.EscalateTo.Groups)}
			if d.BusinessHours != nil {
				bh := *d.BusinessHours
				bh.Days = slices.Clone(bh.Days)
				bh.Holidays = slices.Clone(bh.Holidays)
				d.BusinessHours = &bh
			}
			st.Deadline = &d
		}
		out.Stages[i] = st
	}
	if p.Stages == nil {
		out.Stages = nil
	}
	return out
}
