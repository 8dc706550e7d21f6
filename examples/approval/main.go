// Command approval shows the approval package at work: the four policy
// kinds, what happens when a deadline passes, a routing table and a signed
// client link. Every time is fixed, so the output is the same on every run.
//
//	go run ./examples/approval
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

// submitted is when every example post was submitted for approval.
var submitted = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

func hour(h float64) time.Time { return submitted.Add(time.Duration(h * float64(time.Hour))) }

// routing is the host's routing configuration, as it would be stored.
const routing = `{
  "policies": {
    "direct": {"kind": "none"},
    "review": {"kind": "optional", "stages": [{}]},
    "team": {
      "kind": "required",
      "groups": {"editors": ["ana", "bo"]},
      "stages": [{"approvers": {"groups": ["editors"]},
                  "deadline": {"within": "24h", "reminders": [50, 90]}}]
    },
    "legal": {
      "kind": "multi_level",
      "groups": {"editors": ["ana", "bo"], "legal": ["lea", "leo"]},
      "stages": [
        {"name": "editor", "approvers": {"groups": ["editors"]}},
        {"name": "legal", "approvers": {"groups": ["legal"]}, "quorum": {"rule": "all"},
         "deadline": {"within": "16h", "business_hours": {"zone": "UTC"}, "reminders": [50],
                      "on_expiry": "escalate", "escalate_to": {"members": ["gc"]}}}
      ]
    },
    "client": {
      "kind": "multi_level",
      "skip_roles": ["owner"],
      "stages": [
        {"name": "agency", "approvers": {"members": ["ana", "bo"]}},
        {"name": "client", "approvers": {"members": ["client-cleo"]},
         "deadline": {"within": "48h", "on_expiry": "auto_approve"}}
      ]
    }
  },
  "rules": [
    {"name": "managers publish directly", "when": {"author_roles": ["manager"]}, "policy": "direct"},
    {"name": "sponsored content", "when": {"labels": ["sponsored", "ad"]}, "policy": "legal"},
    {"name": "prices and competitors", "when": {"keywords": ["Rival Corp"], "patterns": ["[$€£]\\s?\\d", "\\d+\\s?(USD|EUR|NOK)\\b"]}, "policy": "legal"},
    {"name": "agency clients", "when": {"workspaces": ["acme"]}, "policy": "client"},
    {"name": "customer replies", "when": {"kinds": ["reply"]}, "policy": "review"}
  ],
  "default": "team"
}`

func main() {
	log.SetFlags(0)
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run writes the whole demonstration to w.
func run(w io.Writer) error {
	router, err := approval.ParseRouter([]byte(routing))
	if err != nil {
		return err
	}
	policies := map[string]approval.Policy{}
	for _, name := range []string{"direct", "review", "team", "legal", "client"} {
		p, ok := router.Policy(name)
		if !ok {
			return fmt.Errorf("routing configuration has no policy %q", name)
		}
		policies[name] = p
	}
	policy := func(name string) approval.Policy { return policies[name] }
	d := &demo{w: w}
	show := d.show
	post := approval.Subject{ID: "post-1", Kind: "post", Version: 1, Author: "eve", SubmittedAt: submitted}
	approve := func(who, stage string, h float64) approval.Decision {
		return approval.Decision{Approver: who, Verdict: approval.Approve, Stage: stage, Version: 1, At: hour(h)}
	}

	section(w, "The four policy kinds")
	show("none", policy("direct"), post, nil, hour(1))
	show("optional, nobody reviewed", policy("review"), post, nil, hour(1))
	show("optional, changes requested", policy("review"), post, []approval.Decision{
		{Approver: "zoe", Verdict: approval.RequestChanges, Version: 1, At: hour(1), Comment: "add the store address"},
	}, hour(2))
	show("required, waiting", policy("team"), post, nil, hour(1))
	show("required, approved", policy("team"), post, []approval.Decision{approve("bo", "", 2)}, hour(3))
	show("required, author tried", policy("team"), post, []approval.Decision{approve("eve", "", 2)}, hour(3))
	show("required, rejected", policy("team"), post, []approval.Decision{
		{Approver: "ana", Verdict: approval.Reject, Version: 1, At: hour(2), Comment: "off brand"},
	}, hour(3))
	edited := post
	edited.Version = 2
	show("required, edited after approval", policy("team"), edited, []approval.Decision{approve("bo", "", 2)}, hour(3))
	show("multi-level, at legal", policy("legal"), post, []approval.Decision{approve("ana", "editor", 1), approve("lea", "legal", 2)}, hour(3))
	show("multi-level, approved", policy("legal"), post, []approval.Decision{
		approve("ana", "editor", 1), approve("lea", "legal", 2), approve("leo", "legal", 4),
	}, hour(5))
	show("multi-level, owner skips", policy("client"), post, []approval.Decision{
		{Approver: "olga", Role: "owner", Verdict: approval.Approve, Stage: "agency", Version: 1, At: hour(1)},
	}, hour(2))

	section(w, "When a deadline passes")
	show("block: overdue, still waiting", policy("team"), post, nil, hour(30))
	show("escalate: legal overdue", policy("legal"), post, []approval.Decision{approve("ana", "editor", 1)}, hour(60))
	show("escalate: backup stands in", policy("legal"), post, []approval.Decision{
		approve("ana", "editor", 1), approve("lea", "legal", 2), approve("gc", "legal", 60),
	}, hour(61))
	show("auto-approve: client silent", policy("client"), post, []approval.Decision{approve("bo", "agency", 1)}, hour(50))
	miss := policy("team")
	miss.Stages = []approval.Stage{miss.Stages[0]}
	dl := *miss.Stages[0].Deadline
	dl.OnExpiry = approval.MissSlot
	miss.Stages[0].Deadline = &dl
	show("miss slot: nobody approved", miss, post, nil, hour(30))

	if d.err != nil {
		return d.err
	}

	section(w, "Routing table")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBJECT\tRULE\tPOLICY\tWHY")
	for _, c := range []struct {
		name  string
		attrs approval.Attributes
	}{
		{"manager's post", approval.Attributes{AuthorRole: "manager", Network: "x", Text: "Team lunch!"}},
		{"sponsored post", approval.Attributes{Network: "instagram", Labels: []string{"Sponsored"}, Text: "Thanks to our partner"}},
		{"price mention", approval.Attributes{Network: "facebook", Text: "Now only €19 a month"}},
		{"price in NOK", approval.Attributes{Network: "linkedin", Text: "Fra 199 NOK"}},
		{"competitor", approval.Attributes{Network: "x", Text: "Faster than Rival Corp's app"}},
		{"agency client", approval.Attributes{Workspace: "acme", Network: "instagram", Text: "Spring is here"}},
		{"customer reply", approval.Attributes{Kind: "reply", Network: "x", Text: "Sorry about that, DM us"}},
		{"ordinary post", approval.Attributes{Workspace: "inhouse", Network: "linkedin", Text: "We are hiring"}},
	} {
		p, m, err := router.Route(c.attrs)
		if err != nil {
			return err
		}
		rule, why := m.Rule, strings.Join(m.Reasons, "; ")
		if m.Default {
			rule, why = "(default)", "no rule matched"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s (%s)\t%s\n", c.name, rule, p.Name, p.Kind, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	section(w, "A post on several channels")
	// One Attributes per channel the post goes out on. RouteAll applies the
	// strictest policy, whatever the order of the channels.
	for _, chs := range [][]approval.Attributes{
		{{Workspace: "inhouse", Network: "x", Text: "Spring sale"}, {Workspace: "inhouse", Network: "instagram", Labels: []string{"ad"}, Text: "Spring sale"}},
		{{Workspace: "inhouse", Network: "instagram", Labels: []string{"ad"}, Text: "Spring sale"}, {Workspace: "inhouse", Network: "x", Text: "Spring sale"}},
	} {
		p, m, err := router.RouteAll(chs)
		if err != nil {
			return err
		}
		var stages []string
		for _, st := range p.Stages {
			stages = append(stages, st.Name)
		}
		fmt.Fprintf(w, "%s then %s: policy %s (%s), stages %s\n  %s\n", chs[0].Network, chs[1].Network, p.Name, p.Kind, strings.Join(stages, ", "), m)
	}

	section(w, "A signed link for the client")
	signer, err := approval.NewSigner(approval.Key{ID: "2026-03", Secret: bytes.Repeat([]byte("demo-key"), 4)})
	if err != nil {
		return err
	}
	token, err := signer.Sign(approval.Link{Request: "post-1", Version: 1, Approver: "client-cleo", Stage: "client", Expires: hour(48)})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	seen := func(id string) bool { return used[id] }
	link, err := signer.Verify(token, 1, seen, hour(2))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "verified: %s may decide on %s v%d at stage %q (key %s)\n", link.Approver, link.Request, link.Version, link.Stage, link.KeyID)
	used[link.ID] = true
	for _, c := range []struct {
		name    string
		token   string
		version int
		now     time.Time
	}{
		{"used twice", token, 1, hour(3)},
		{"post edited since", token, 2, hour(3)},
		{"after expiry", token, 1, hour(49)},
		{"one character changed", flip(token), 1, hour(3)},
	} {
		_, err := signer.Verify(c.token, c.version, seen, c.now)
		fmt.Fprintf(w, "%-22s %-14s %v\n", c.name+":", kindOf(err), err)
	}
	return nil
}

func section(w io.Writer, title string) {
	fmt.Fprintf(w, "\n== %s ==\n", title)
}

// demo evaluates and prints one scenario per show call, keeping the first
// error.
type demo struct {
	w   io.Writer
	err error
}

func (d *demo) show(name string, p approval.Policy, s approval.Subject, ds []approval.Decision, now time.Time) {
	if d.err != nil {
		return
	}
	w := d.w
	res, err := approval.Evaluate(p, s, ds, now)
	if err != nil {
		d.err = fmt.Errorf("%s: %w", name, err)
		return
	}
	publish := "blocked"
	if res.Publishable {
		publish = "may publish"
	}
	fmt.Fprintf(w, "%-34s %-17s %-11s %s\n", name, res.Outcome, publish, res.Reason)
	for _, ig := range res.Ignored {
		fmt.Fprintf(w, "%-34s ignored %s's %s: %v\n", "", ig.Decision.Approver, ig.Decision.Verdict, ig.Err)
	}
	if sc := res.Schedule; !sc.Due.IsZero() && len(sc.Reminders) > 0 && !res.Overdue {
		fmt.Fprintf(w, "%-34s reminders at %s\n", "", formatTimes(sc.Reminders))
	}
}

func formatTimes(ts []time.Time) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.UTC().Format("Mon 15:04")
	}
	return strings.Join(out, ", ")
}

// flip changes one character in the middle of the payload.
func flip(token string) string {
	b := []byte(token)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func kindOf(err error) string {
	for _, k := range []error{socialflow.ErrInvalid, socialflow.ErrForbidden, socialflow.ErrConflict,
		socialflow.ErrAuthExpired, socialflow.ErrDuplicate} {
		if errors.Is(err, k) {
			return strings.TrimPrefix(k.Error(), "socialflow: ")
		}
	}
	return "ok"
}
