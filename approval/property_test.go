package approval_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/approval"
)

var pool = []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"}

func randomPolicy(rng *rand.Rand) (approval.Policy, [][]string) {
	p := approval.Policy{
		Kind:              approval.MultiLevel,
		AllowSelfApproval: rng.IntN(4) == 0,
		Groups:            map[string][]string{"g": {"m5", "m6", "m7"}},
	}
	var sets [][]string
	for i := range 1 + rng.IntN(4) {
		var a approval.Approvers
		for _, m := range pool[:5] {
			if rng.IntN(2) == 0 {
				a.Members = append(a.Members, m)
			}
		}
		if rng.IntN(3) == 0 || len(a.Members) == 0 {
			a.Groups = []string{"g"}
		}
		set := slices.Clone(a.Members)
		if len(a.Groups) > 0 {
			set = append(set, p.Groups["g"]...)
		}
		slices.Sort(set)
		q := approval.Quorum{}
		switch rng.IntN(3) {
		case 1:
			q.Rule = approval.All
		case 2:
			q = approval.Quorum{Rule: approval.AtLeast, N: 1 + rng.IntN(len(set))}
		}
		p.Stages = append(p.Stages, approval.Stage{Name: fmt.Sprintf("s%d", i), Approvers: a, Quorum: q})
		sets = append(sets, set)
	}
	return p, sets
}

// randomDecision biases towards plausible decisions (the open stage, one of
// its approvers, the current version) so that many runs reach Approved.
func randomDecision(rng *rand.Rand, p approval.Policy, sets [][]string, res approval.Result, version int, when time.Time) approval.Decision {
	d := approval.Decision{At: when, Version: version, Stage: res.Stage}
	if res.StageIndex >= 0 && rng.IntN(5) > 0 {
		set := sets[res.StageIndex]
		d.Approver = set[rng.IntN(len(set))]
	} else {
		d.Approver = pool[rng.IntN(len(pool))]
	}
	if rng.IntN(6) == 0 {
		d.Stage = p.Stages[rng.IntN(len(p.Stages))].Name
	}
	if rng.IntN(10) == 0 {
		d.Version = version - 1
	}
	switch n := rng.IntN(20); {
	case n < 15:
		d.Verdict = approval.Approve
	case n < 19:
		d.Verdict = approval.RequestChanges
		d.Comment = "shorter please"
	default:
		d.Verdict = approval.Reject
	}
	return d
}

func TestPropertyApprovedMeansQuorumsByEligibleApprovers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	approved := 0
	for c := range 500 {
		p, sets := randomPolicy(rng)
		require.NoError(t, p.Validate())
		s := approval.Subject{ID: "x", Version: 2, Author: pool[rng.IntN(len(pool))], SubmittedAt: t0}
		res, err := approval.Evaluate(p, s, nil, t0)
		var qe *approval.QuorumError
		if errors.As(err, &qe) {
			continue // the author is needed for a quorum: refused up front
		}
		require.NoError(t, err)
		var ds []approval.Decision
		wasApproved := false
		for i := range 30 {
			when := t0.Add(time.Duration(i+1) * time.Minute)
			d := randomDecision(rng, p, sets, res, s.Version, when)
			checkErr := approval.Check(p, s, ds, d, when)
			ds = append(ds, d)
			next, err := approval.Evaluate(p, s, ds, when)
			require.NoError(t, err)
			// Check and Evaluate agree on every decision.
			counted := len(next.Ignored) == len(res.Ignored)
			require.Equal(t, checkErr == nil, counted, "case %d decision %d: check %v", c, i, checkErr)
			// Once approved, no later decision on the same version moves it back.
			if wasApproved {
				require.Equal(t, approval.Approved, next.Outcome, "case %d: approved request moved back", c)
			}
			wasApproved = next.Outcome == approval.Approved
			res = next
		}
		if res.Outcome != approval.Approved {
			continue
		}
		approved++
		for i, st := range res.Stages {
			require.Equal(t, approval.ViaQuorum, st.Via)
			require.GreaterOrEqual(t, len(st.Approvals), st.Needed)
			seen := map[string]bool{}
			for _, a := range st.Approvals {
				require.False(t, seen[a.Approver], "approver %s counted twice", a.Approver)
				seen[a.Approver] = true
				require.Contains(t, sets[i], a.Approver)
				require.Equal(t, approval.Approve, a.Verdict)
				require.Equal(t, s.Version, a.Version)
				if !p.AllowSelfApproval {
					require.NotEqual(t, s.Author, a.Approver)
				}
			}
			if p.Stages[i].Quorum.Rule == approval.All {
				want := len(sets[i])
				if !p.AllowSelfApproval && slices.Contains(sets[i], s.Author) {
					want--
				}
				require.Equal(t, want, st.Needed)
			}
		}
		// A new version resets the approvals (no minor-edit carry-over).
		s2 := s
		s2.Version++
		reset, err := approval.Evaluate(p, s2, ds, t0.Add(time.Hour))
		require.NoError(t, err)
		require.Equal(t, approval.Pending, reset.Outcome)
		require.Equal(t, 0, reset.StageIndex)
	}
	require.Greater(t, approved, 50, "the generator should reach Approved often")
}

// Property: the replay does not depend on the order decisions are passed in.
func TestPropertyOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 300 {
		p, sets := randomPolicy(rng)
		s := approval.Subject{ID: "x", Version: 1, Author: "m7", SubmittedAt: t0}
		res, err := approval.Evaluate(p, s, nil, t0)
		if err != nil {
			continue
		}
		var ds []approval.Decision
		for i := range 20 {
			d := randomDecision(rng, p, sets, res, 1, t0.Add(time.Duration(i+1)*time.Minute))
			ds = append(ds, d)
			if res, err = approval.Evaluate(p, s, ds, d.At); err != nil {
				t.Fatal(err)
			}
		}
		shuffled := slices.Clone(ds)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		a, err := approval.Evaluate(p, s, ds, t0.Add(time.Hour))
		require.NoError(t, err)
		b, err := approval.Evaluate(p, s, shuffled, t0.Add(time.Hour))
		require.NoError(t, err)
		require.Equal(t, a.Outcome, b.Outcome)
		require.Equal(t, a.Stages, b.Stages)
		require.Equal(t, a.Awaiting, b.Awaiting)
	}
}
