package approval_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/socialflow/socialflow/approval"
)

// benchCase is a 5-stage policy, 10 approvers per stage (quorum: all), with
// a 24h deadline and reminders on every stage, and the 50 decisions that
// approve it.
func benchCase() (approval.Policy, approval.Subject, []approval.Decision) {
	p := approval.Policy{Name: "bench", Kind: approval.MultiLevel}
	var ds []approval.Decision
	minute := 0
	for s := range 5 {
		st := approval.Stage{
			Name:     fmt.Sprintf("stage-%d", s),
			Quorum:   approval.Quorum{Rule: approval.All},
			Deadline: &approval.Deadline{Within: approval.Duration(24 * time.Hour), Reminders: []int{50, 90}},
		}
		for a := range 10 {
			id := fmt.Sprintf("m%d-%d", s, a)
			st.Approvers.Members = append(st.Approvers.Members, id)
			minute++
			ds = append(ds, approval.Decision{Approver: id, Verdict: approval.Approve, Stage: st.Name, Version: 1, At: t0.Add(time.Duration(minute) * time.Minute)})
		}
		p.Stages = append(p.Stages, st)
	}
	return p, approval.Subject{ID: "post", Version: 1, Author: "eve", SubmittedAt: t0}, ds
}

// go test -run '^$' -bench BenchmarkEvaluate -benchmem ./approval
func BenchmarkEvaluate(b *testing.B) {
	p, s, ds := benchCase()
	now := t0.Add(2 * time.Hour)
	res, err := approval.Evaluate(p, s, ds, now)
	if err != nil || res.Outcome != approval.Approved {
		b.Fatalf("setup: %v %v", res.Outcome, err)
	}
	for b.Loop() {
		if _, err := approval.Evaluate(p, s, ds, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	p, s, ds := benchCase()
	last := ds[len(ds)-1]
	ds = ds[:len(ds)-1]
	now := t0.Add(2 * time.Hour)
	for b.Loop() {
		if err := approval.Check(p, s, ds, last, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRoute(b *testing.B) {
	r := loadRouter(b)
	a := approval.Attributes{Workspace: "inhouse", Network: "linkedin", Labels: []string{"summer"},
		Text: "Our summer collection is here: light, bright and made to last. Come see it in store this weekend!"}
	for b.Loop() {
		if _, _, err := r.Route(a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s := signer(b, key1)
	tok, err := s.Sign(testLink())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Verify(tok, 3, nil, at(1)); err != nil {
			b.Fatal(err)
		}
	}
}
