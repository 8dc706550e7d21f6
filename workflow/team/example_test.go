package team_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/socialflow/socialflow/workflow/team"
)

func ExampleTeam_Authorize() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tm, err := team.NewTeam()
	if err != nil {
		log.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(tm.AddOrganization(team.Organization{ID: "acme", Name: "Acme Agency", Kind: team.OrgAgency}))
	must(tm.AddMember(team.Member{ID: "ana", OrgID: "acme"}))
	must(tm.AddMember(team.Member{ID: "ben", OrgID: "acme"}))
	must(tm.AddWorkspace(team.Workspace{ID: "coffee", OrgID: "acme", Client: "Coffee Co"}, "ana", now))
	must(tm.AddChannel(team.Channel{ID: "coffee-ig", WorkspaceID: "coffee", Network: "instagram"}))
	must(tm.AddChannel(team.Channel{ID: "coffee-x", WorkspaceID: "coffee", Network: "x"}))
	// Ben manages only Instagram.
	must(tm.Invite("ana", team.Membership{MemberID: "ben", WorkspaceID: "coffee", Role: team.RoleManager, Networks: []string{"instagram"}}, now))

	err = tm.Authorize("ben", team.PermPublishNow, team.Scope{Workspace: "coffee", Channel: "coffee-ig"})
	fmt.Println("ben publishes to Instagram:", err)
	err = tm.Authorize("ben", team.PermPublishNow, team.Scope{Workspace: "coffee", Channel: "coffee-x"})
	var fe *team.ForbiddenError
	if errors.As(err, &fe) {
		fmt.Println("ben publishes to X:", fe.Reason)
	}
	// Output:
	// ben publishes to Instagram: <nil>
	// ben publishes to X: outside the membership's channel or network scope
}

func ExampleParseRoles() {
	roles, err := team.ParseRoles([]byte(`{"roles": [
		{"name": "legal", "description": "legal review", "permissions": ["calendar.view", "comment.internal", "post.approve"]}
	]}`))
	if err != nil {
		log.Fatal(err)
	}
	tm, err := team.NewTeam(roles...)
	if err != nil {
		log.Fatal(err)
	}
	legal, _ := tm.Role("legal")
	fmt.Println(legal.Name, legal.Has(team.PermApprove), legal.Has(team.PermPublishNow))

	_, err = team.ParseRoles([]byte(`{"roles": [{"name": "x", "permissions": ["post.teleport"]}]}`))
	fmt.Println(err)
	// Output:
	// legal true false
	// workflow: role x permissions "post.teleport": unknown permission
}
