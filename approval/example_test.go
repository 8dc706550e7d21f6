package approval_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

func ExampleEvaluate() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p := approval.Policy{Kind: approval.Required, Stages: []approval.Stage{{
		Approvers: approval.Approvers{Members: []string{"ana", "bo"}},
	}}}
	s := approval.Subject{ID: "post-1", Version: 1, Author: "eve", SubmittedAt: now}

	res, err := approval.Evaluate(p, s, nil, now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Outcome, res.Awaiting, res.Publishable)

	approve := approval.Decision{Approver: "bo", Verdict: approval.Approve, Version: 1, At: now.Add(time.Hour)}
	res, err = approval.Evaluate(p, s, []approval.Decision{approve}, now.Add(2*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Outcome, res.Publishable)
	fmt.Println(res.Reason)
	// Output:
	// pending [ana bo] false
	// approved true
	// approved version 1 by bo
}

func Example_multiLevel() {
	submitted := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p := approval.Policy{
		Name:   "campaign",
		Kind:   approval.MultiLevel,
		Groups: map[string][]string{"legal": {"lea", "leo"}},
		Stages: []approval.Stage{
			{Name: "editor", Approvers: approval.Approvers{Members: []string{"ana", "bo"}}},
			{Name: "legal", Approvers: approval.Approvers{Groups: []string{"legal"}}, Quorum: approval.Quorum{Rule: approval.All},
				Deadline: &approval.Deadline{Within: approval.Duration(24 * time.Hour), Reminders: []int{50}}},
		},
	}
	s := approval.Subject{ID: "post-7", Version: 2, Author: "eve", SubmittedAt: submitted}
	ds := []approval.Decision{
		{Approver: "ana", Verdict: approval.Approve, Stage: "editor", Version: 2, At: submitted.Add(time.Hour)},
		{Approver: "lea", Verdict: approval.Approve, Stage: "legal", Version: 2, At: submitted.Add(3 * time.Hour)},
	}
	res, err := approval.Evaluate(p, s, ds, submitted.Add(4*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Outcome, res.Stage, res.Awaiting)
	fmt.Println("due", res.Due.Format(time.RFC3339), "remind", res.Schedule.Reminders[0].Format(time.RFC3339))

	// The author may not approve their own post.
	err = approval.Check(p, s, ds, approval.Decision{Approver: "eve", Verdict: approval.Approve, Stage: "legal", Version: 2, At: submitted.Add(4 * time.Hour)}, submitted.Add(4*time.Hour))
	fmt.Println(errors.Is(err, socialflow.ErrForbidden))

	ds = append(ds, approval.Decision{Approver: "leo", Verdict: approval.Approve, Stage: "legal", Version: 2, At: submitted.Add(5 * time.Hour)})
	res, err = approval.Evaluate(p, s, ds, submitted.Add(6*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Outcome)
	// Output:
	// pending legal [leo]
	// due 2026-03-03T10:00:00Z remind 2026-03-02T22:00:00Z
	// true
	// approved
}

func ExamplePolicy_Validate() {
	p := approval.Policy{Name: "board", Kind: approval.Required, Stages: []approval.Stage{{
		Approvers: approval.Approvers{Members: []string{"ana", "bo"}},
		Quorum:    approval.Quorum{Rule: approval.AtLeast, N: 3},
	}}}
	err := p.Validate()
	var pe *approval.PolicyError
	if errors.As(err, &pe) {
		fmt.Println(pe.Field, pe.Limit, errors.Is(err, socialflow.ErrInvalid))
	}
	// Output: stages[0].quorum.n 2 true
}

func ExampleParseRouter() {
	r, err := approval.ParseRouter([]byte(`{
	  "policies": {
	    "team":  {"kind": "required", "stages": [{"approvers": {"members": ["ana"]}}]},
	    "legal": {"kind": "required", "stages": [{"approvers": {"members": ["lea"]}}]}
	  },
	  "rules": [
	    {"name": "prices", "when": {"patterns": ["[$€]\\s?\\d"]}, "policy": "legal"},
	    {"name": "sponsored", "when": {"labels": ["sponsored"]}, "policy": "legal"}
	  ],
	  "default": "team"
	}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range []approval.Attributes{
		{Text: "Only $49 this week"},
		{Labels: []string{"Sponsored"}, Text: "Thanks to our partner"},
		{Text: "Good morning"},
	} {
		_, m, err := r.Route(a)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m)
	}
	// Output:
	// rule "prices" -> policy "legal": text matches /[$€]\s?\d/ at "$4"
	// rule "sponsored" -> policy "legal": label "Sponsored" is in [sponsored]
	// no rule matched: default policy "team"
}

func ExampleBusinessHours_Add() {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		log.Fatal(err)
	}
	h := approval.BusinessHours{Location: oslo, Holidays: []string{"2026-04-03"}} // Good Friday
	// Thursday 15:00, 8 working hours: 2h on Thursday, Friday is a holiday,
	// 6h on Monday.
	due, err := h.Add(time.Date(2026, 4, 2, 15, 0, 0, 0, oslo), 8*time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(due.Format("Mon 2006-01-02 15:04 MST"))
	// Output: Mon 2026-04-06 15:00 CEST
}

func ExampleSigner_Verify() {
	signer, err := approval.NewSigner(approval.Key{ID: "2026-03", Secret: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	token, err := signer.Sign(approval.Link{Request: "post-1", Version: 2, Approver: "client-ana", Expires: now.Add(48 * time.Hour)})
	if err != nil {
		log.Fatal(err)
	}
	used := map[string]bool{}
	seen := func(id string) bool { return used[id] }

	link, err := signer.Verify(token, 2, seen, now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.Approver, "may decide on", link.Request, "version", link.Version)
	used[link.ID] = true

	_, err = signer.Verify(token, 2, seen, now)
	fmt.Println("again:", errors.Is(err, socialflow.ErrDuplicate))
	_, err = signer.Verify(token, 3, nil, now)
	fmt.Println("after an edit:", errors.Is(err, socialflow.ErrConflict))
	_, err = signer.Verify(token, 2, nil, now.Add(72*time.Hour))
	fmt.Println("too late:", errors.Is(err, socialflow.ErrAuthExpired))
	// Output:
	// client-ana may decide on post-1 version 2
	// again: true
	// after an edit: true
	// too late: true
}
