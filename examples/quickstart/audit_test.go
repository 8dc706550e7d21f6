package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/socialflow/socialflow/workflow"
)

// auditDoc is one row of the README's audit table.
type auditDoc struct {
	action string   // e.g. "post.create", or "target.STATE"
	by     []string // the Service methods (or "Dispatcher") that record it
	actor  string   // "member", "system:deadlines" or "system:HOLDER"
}

// readAuditTable reads the table between the audit markers in README.md.
func readAuditTable(t *testing.T) []auditDoc {
	t.Helper()
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "<!-- audit:begin -->")
	end := strings.Index(s, "<!-- audit:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no audit:begin / audit:end block")
	}
	var rows []auditDoc
	for _, line := range strings.Split(s[start:end], "\n")[1:] {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") || strings.TrimSpace(cells[1]) == "action" {
			continue
		}
		row := auditDoc{action: strings.Trim(strings.TrimSpace(cells[1]), "`"), actor: strings.Trim(strings.TrimSpace(cells[3]), "`")}
		for _, by := range strings.Split(cells[2], ",") {
			row.by = append(row.by, strings.Trim(strings.TrimSpace(by), "`"))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatal("the README's audit table has no rows")
	}
	return rows
}

// documented finds the row for an action; target.<state> matches the
// target.STATE row when state is a workflow.TargetState.
func documented(rows []auditDoc, action string) (auditDoc, bool) {
	for _, r := range rows {
		if r.action == action {
			return r, true
		}
	}
	if state, ok := strings.CutPrefix(action, "target."); ok && slices.Contains(targetStates, workflow.TargetState(state)) {
		for _, r := range rows {
			if r.action == "target.STATE" {
				return r, true
			}
		}
	}
	return auditDoc{}, false
}

var targetStates = []workflow.TargetState{
	workflow.TargetPending, workflow.TargetScheduled, workflow.TargetPublishing, workflow.TargetAwaiting,
	workflow.TargetPublished, workflow.TargetFailed, workflow.TargetUnconfirmed, workflow.TargetManual,
	workflow.TargetCancelled,
}

// TestAuditActionsAreDocumented runs the quickstart's month and checks every
// audit event it records against the README's audit table: the action is
// listed, and the actor is of the documented kind (a member, system:deadlines,
// or system: and the holder name of the loop that recorded it: the
// dispatcher's for its rows, the inbox poller's for the inbox's).
func TestAuditActionsAreDocumented(t *testing.T) {
	rows := readAuditTable(t)
	s, _ := playMonth(t, defaultSeed)
	ctx := context.Background()
	tm := s.team
	members := map[string]bool{}
	for _, ws := range []string{"bakery", "cycles"} {
		for _, m := range tm.Memberships(ws) {
			members[m.MemberID] = true
		}
	}
	seen := map[string]bool{}
	for _, ws := range []string{"bakery", "cycles"} {
		events, err := s.svc.AuditTrail(ctx, "mia", ws, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			seen[e.Action] = true
			row, ok := documented(rows, e.Action)
			if !ok {
				t.Errorf("event %d: action %q is not in the README's audit table", e.Seq, e.Action)
				continue
			}
			var actorOK bool
			switch row.actor {
			case "member":
				actorOK = members[e.Actor]
			case "system:HOLDER":
				// The quickstart's two loops: the Dispatcher's WithHolder and
				// the InboxPoller's WithPollHolder; each records only its own
				// rows.
				switch {
				case row.by[0] == "Dispatcher":
					actorOK = e.Actor == "system:"+dispatcherHolder
				case strings.HasPrefix(e.Action, "inbox."):
					actorOK = e.Actor == "system:"+pollHolder
				}
			default:
				actorOK = e.Actor == row.actor
			}
			if !actorOK {
				t.Errorf("event %d (%s): actor %q, the README says %s", e.Seq, e.Action, e.Actor, row.actor)
			}
		}
	}
	// The month is rich enough to reach these; a rename shows up here.
	for _, a := range []string{"post.create", "post.edit", "post.submit", "post.decide", "post.link", "post.queue",
		"guidelines.set", "queue.slots", "queue.rules", "target.published", "target.failed",
		"inbox.settings", "inbox.ingest", "inbox.route", "inbox.spam", "inbox.surge", "inbox.assign", "inbox.claim",
		"inbox.reply", "inbox.reply_decide", "inbox.reply_sent", "inbox.state", "inbox.hand_off", "workspace.resume"} {
		if !seen[a] {
			t.Errorf("the quickstart month recorded no %q event", a)
		}
	}
}

// TestAuditTableMatchesTheCode checks the README's audit table against the
// workflow package's source and API: every action literal the package
// records is listed, every listed action is recorded somewhere, and every
// method the table names exists on *workflow.Service.
func TestAuditTableMatchesTheCode(t *testing.T) {
	rows := readAuditTable(t)
	files, err := filepath.Glob("../../workflow/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("workflow sources: %v", err)
	}
	// Action: "x.y" in an Event literal, an action name passed as an
	// argument (s.schedule, the team, asset and queue steps), and
	// "post." + string(Act...) through s.simple.
	literal := regexp.MustCompile(`Action:\s*"([a-z_]+\.[a-z_]+)"`)
	lastArg := regexp.MustCompile(`[(,]\s*"((?:post|team|role|asset|channel|queue|reply|analytics|calendar|publishing|guidelines|workspace)\.[a-z_]+)"\s*[,)]`)
	assigned := regexp.MustCompile(`action\s*:?=\s*"([a-z_]+\.[a-z_]+)"`)
	simple := regexp.MustCompile(`s\.simple\([^)]*?, (Act[A-Za-z]+),`)
	actNames := map[string]workflow.Action{
		"ActUnschedule": workflow.ActUnschedule, "ActCancel": workflow.ActCancel, "ActArchive": workflow.ActArchive,
		"ActRetry": workflow.ActRetry, "ActRestore": workflow.ActRestore, "ActSubmit": workflow.ActSubmit,
		"ActSchedule": workflow.ActSchedule, "ActEdit": workflow.ActEdit,
	}
	recorded := map[string]string{} // action → file
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			recorded[m[1]] = f
		}
		for _, m := range lastArg.FindAllStringSubmatchIndex(string(src), -1) {
			// Field names of validation errors look like actions: skip them.
			before := string(src[max(0, m[0]-12):m[0]])
			if strings.HasSuffix(before, "checkID") || strings.HasSuffix(before, "CheckID") || strings.HasSuffix(before, "duplicate") {
				continue
			}
			recorded[string(src[m[2]:m[3]])] = f
		}
		for _, m := range assigned.FindAllStringSubmatch(string(src), -1) {
			recorded[m[1]] = f
		}
		for _, m := range simple.FindAllStringSubmatch(string(src), -1) {
			a, ok := actNames[m[1]]
			if !ok {
				t.Errorf("%s: s.simple with %s: add it to this test's actNames", f, m[1])
				continue
			}
			recorded["post."+string(a)] = f
		}
		if strings.Contains(string(src), `Action: "target." + string(`) {
			recorded["target.STATE"] = f
		}
	}
	for a, f := range recorded {
		if _, ok := documented(rows, a); !ok {
			t.Errorf("%s records %q, which the README's audit table does not list", filepath.Base(f), a)
		}
	}
	svc := reflect.TypeFor[*workflow.Service]()
	for _, r := range rows {
		if _, ok := recorded[r.action]; !ok {
			t.Errorf("the README's audit table lists %q, which the workflow package never records", r.action)
		}
		for _, by := range r.by {
			if by == "Dispatcher" {
				continue
			}
			if _, ok := svc.MethodByName(by); !ok {
				t.Errorf("the README's audit table says %q is recorded by Service.%s, which does not exist", r.action, by)
			}
		}
		switch r.actor {
		case "member", "system:deadlines", "system:HOLDER":
		default:
			t.Errorf("the README's audit table names an unknown actor kind %q for %q", r.actor, r.action)
		}
	}
}
