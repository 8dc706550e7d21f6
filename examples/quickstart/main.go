// Command quickstart runs socialflow's main job on embedded defaults
// (memstore, fake networks with the real networks' specs, a simulated
// clock): an agency with two client workspaces plans, approves, publishes
// and measures a month of posts.
//
// It builds the team and prints who may do what; then it plays March 2026 in
// simulated time: 30 posts drafted with images from the asset library,
// routed by policy (none for community replies, one approval for brand
// posts, brand + legal + client for sponsored posts), a client approving
// through a signed link, an edit that resets an approval, guidelines and
// network rules refusing what would fail, the dispatcher publishing into
// posting slots through injected faults, and analytics with a best-time
// report. Inside the month, the week of 9 to 15 March is the community
// inbox's (see inbox.go): what arrives on the four channels is polled,
// assigned by rules and a rota, claimed, answered with saved replies,
// approved where a reply answers a complaint, handed off, and measured.
// It prints a summary and writes calendar.ics, report.csv, heatmap.svg and
// inbox.json to -out. The run is deterministic for a given -seed.
//
// With -postgres URL the same month runs on PostgreSQL (workflow/pgstore, in
// a fresh schema that is dropped at the end) and prints the same report.
//
//	go run ./examples/quickstart [-out DIR] [-seed N] [-postgres URL]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

func main() {
	out := flag.String("out", "quickstart-out", "folder for calendar.ics, report.csv, heatmap.svg and inbox.json")
	seed := flag.Uint64("seed", 1, "seed of the simulation")
	pg := flag.String("postgres", "", "run on PostgreSQL at this URL (pgstore, a fresh schema dropped at the end) instead of memstore")
	flag.Parse()
	if err := run(os.Stdout, *out, *seed, *pg); err != nil {
		log.Fatal(err)
	}
}

// run builds the agency, prints the authorization table, plays the month
// on the stores openStore gives for pg (memstore when empty) and reports.
func run(w io.Writer, out string, seed uint64, pg string) (err error) {
	tm, err := teamTable(w)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openStore(ctx, pg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.close()) }()
	s, err := newSim(tm, seed, st)
	if err != nil {
		return err
	}
	guardRails(ctx, w, s.svc)
	if err := s.setup(ctx); err != nil {
		return err
	}
	s.plan()
	s.scriptInbox()
	s.faults()
	if err := s.runMonth(ctx); err != nil {
		return err
	}
	return s.report(ctx, w, out)
}

// teamTable builds the agency (the team the Service starts from) and prints
// who may do what.
func teamTable(w io.Writer) (*team.Team, error) {
	now := monthStart
	tm, err := buildAgency(now)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "socialflow quickstart: Northwind Agency and two clients")
	fmt.Fprintln(w)
	for _, ws := range []string{"bakery", "cycles"} {
		w2, _ := tm.Workspace(ws)
		fmt.Fprintf(w, "workspace %s (client %s)\n", ws, w2.Client)
		for _, m := range tm.Memberships(ws) {
			scope := "all channels"
			if m.Restricted() {
				scope = "only " + strings.Join(append(append([]string{}, m.Channels...), m.Networks...), ", ")
			}
			fmt.Fprintf(w, "  %-6s %-10s %s\n", m.MemberID, m.Role, scope)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "who may do what:")
	checks := []struct {
		member string
		perm   team.Permission
		scope  team.Scope
	}{
		{"mia", team.PermPublishNow, team.Scope{Workspace: "bakery", Channel: "bakery-ig"}},
		{"leo", team.PermPublishNow, team.Scope{Workspace: "bakery", Channel: "bakery-ig"}},
		{"leo", team.PermPublishNow, team.Scope{Workspace: "bakery", Channel: "bakery-li"}},
		{"leo", team.PermCreateDraft, team.Scope{Workspace: "cycles"}},
		{"sam", team.PermCreateDraft, team.Scope{Workspace: "bakery"}},
		{"sam", team.PermApprove, team.Scope{Workspace: "bakery"}},
		{"ann", team.PermApprove, team.Scope{Workspace: "bakery"}},
		{"ann", team.PermViewCalendar, team.Scope{Workspace: "cycles"}},
		{"ann", team.PermCommentInternal, team.Scope{Workspace: "bakery"}},
		{"eve", team.PermExportReports, team.Scope{Workspace: "cycles"}},
		{"eve", team.PermViewAnalytics, team.Scope{Workspace: "bakery"}},
	}
	for _, c := range checks {
		err := tm.Authorize(c.member, c.perm, c.scope)
		verdict := "yes"
		var fe *team.ForbiddenError
		if errors.As(err, &fe) {
			verdict = "no: " + string(fe.Reason)
		} else if err != nil {
			return nil, err
		}
		where := c.scope.Workspace
		if c.scope.Channel != "" {
			where += "/" + c.scope.Channel
		}
		fmt.Fprintf(w, "  %-4s %-17s in %-17s %s\n", c.member, c.perm, where, verdict)
	}
	return tm, nil
}

// guardRails shows two team changes the Service refuses: the last owner
// leaving, and a manager granting a role above their own. Team changes are
// Service actions (authorized, stored, audited); a refused one changes
// nothing and records nothing.
func guardRails(ctx context.Context, w io.Writer, svc *workflow.Service) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "guard rails:")
	err := svc.Remove(ctx, "mia", workflow.MemberRef{Member: "mia", Workspace: "bakery"})
	fmt.Fprintf(w, "  mia leaves bakery: %v\n", err)
	_, err = svc.ChangeMembership(ctx, "leo", workflow.MembershipRequest{Member: "sam", Workspace: "bakery", Role: team.RoleOwner})
	fmt.Fprintf(w, "  leo makes sam owner of bakery: %v\n", err)
}

// buildAgency creates the agency, its people, two client workspaces with
// their channels, and the memberships.
func buildAgency(now time.Time) (*team.Team, error) {
	tm, err := team.NewTeam()
	if err != nil {
		return nil, err
	}
	steps := []func() error{
		func() error {
			return tm.AddOrganization(team.Organization{ID: "northwind", Name: "Northwind Agency", Kind: team.OrgAgency})
		},
		func() error {
			return tm.AddOrganization(team.Organization{ID: "bakery-co", Name: "Bakery Co", Kind: team.OrgCompany})
		},
	}
	for _, m := range []team.Member{
		{ID: "mia", Name: "Mia (agency owner)", OrgID: "northwind"},
		{ID: "leo", Name: "Leo (social media manager)", OrgID: "northwind"},
		{ID: "sam", Name: "Sam (copywriter)", OrgID: "northwind"},
		{ID: "eve", Name: "Eve (analyst)", OrgID: "northwind"},
		{ID: "ann", Name: "Ann (client)", OrgID: "bakery-co"},
		{ID: "lee", Name: "Lee (legal)", OrgID: "northwind"},
		{ID: "cam", Name: "Cam (community manager)", OrgID: "northwind"},
		{ID: "dan", Name: "Dan (designer)", OrgID: "northwind"},
		{ID: "kim", Name: "Kim (community manager, evenings and weekends)", OrgID: "northwind"},
		{ID: "tor", Name: "Tor (customer service)", OrgID: "bakery-co"},
	} {
		steps = append(steps, func() error { return tm.AddMember(m) })
	}
	steps = append(steps,
		func() error {
			return tm.AddWorkspace(team.Workspace{ID: "bakery", OrgID: "northwind", Name: "Bakery", Client: "Bakery Co"}, "mia", now)
		},
		func() error {
			return tm.AddWorkspace(team.Workspace{ID: "cycles", OrgID: "northwind", Name: "Cycles", Client: "Cycles Ltd"}, "mia", now)
		},
	)
	for _, c := range []team.Channel{
		{ID: "bakery-ig", WorkspaceID: "bakery", Network: "instagram", Handle: "@bakery", Zone: "Europe/Oslo"},
		{ID: "bakery-li", WorkspaceID: "bakery", Network: "linkedin", Handle: "bakery-co", Zone: "Europe/Oslo"},
		{ID: "cycles-x", WorkspaceID: "cycles", Network: "x", Handle: "@cycles", Zone: "America/New_York"},
		{ID: "cycles-bsky", WorkspaceID: "cycles", Network: "bluesky", Handle: "cycles.bsky.social", Zone: "America/New_York"},
	} {
		steps = append(steps, func() error { return tm.AddChannel(c) })
	}
	for _, m := range []team.Membership{
		{MemberID: "leo", WorkspaceID: "bakery", Role: team.RoleManager, Networks: []string{"instagram"}},
		{MemberID: "leo", WorkspaceID: "cycles", Role: team.RoleApprover},
		{MemberID: "sam", WorkspaceID: "bakery", Role: team.RoleCreator},
		{MemberID: "sam", WorkspaceID: "cycles", Role: team.RoleCreator},
		{MemberID: "eve", WorkspaceID: "bakery", Role: team.RoleAnalyst},
		{MemberID: "eve", WorkspaceID: "cycles", Role: team.RoleAnalyst},
		{MemberID: "ann", WorkspaceID: "bakery", Role: team.RoleClient},
		{MemberID: "lee", WorkspaceID: "bakery", Role: team.RoleApprover},
		{MemberID: "cam", WorkspaceID: "bakery", Role: team.RoleCommunity},
		{MemberID: "cam", WorkspaceID: "cycles", Role: team.RoleCommunity},
		{MemberID: "kim", WorkspaceID: "bakery", Role: team.RoleCommunity},
		{MemberID: "kim", WorkspaceID: "cycles", Role: team.RoleCommunity},
		{MemberID: "tor", WorkspaceID: "bakery", Role: team.RoleClient}, // the client's customer service: hand-offs
		{MemberID: "dan", WorkspaceID: "bakery", Role: team.RoleDesigner},
	} {
		steps = append(steps, func() error { return tm.Invite("mia", m, now) })
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	return tm, nil
}
