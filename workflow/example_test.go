package workflow_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/socialflow/socialflow/workflow"
)

func ExampleTeam_Authorize() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	team, err := workflow.NewTeam()
	if err != nil {
		log.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(team.AddOrganization(workflow.Organization{ID: "acme", Name: "Acme Agency", Kind: workflow.OrgAgency}))
	must(team.AddMember(workflow.Member{ID: "ana", OrgID: "acme"}))
	must(team.AddMember(workflow.Member{ID: "ben", OrgID: "acme"}))
	must(team.AddWorkspace(workflow.Workspace{ID: "coffee", OrgID: "acme", Client: "Coffee Co"}, "ana", now))
	must(team.AddChannel(workflow.Channel{ID: "coffee-ig", WorkspaceID: "coffee", Network: "instagram"}))
	must(team.AddChannel(workflow.Channel{ID: "coffee-x", WorkspaceID: "coffee", Network: "x"}))
	// Ben manages only Instagram.
	must(team.Invite("ana", workflow.Membership{MemberID: "ben", WorkspaceID: "coffee", Role: workflow.RoleManager, Networks: []string{"instagram"}}, now))

	err = team.Authorize("ben", workflow.PermPublishNow, workflow.Scope{Workspace: "coffee", Channel: "coffee-ig"})
	fmt.Println("ben publishes to Instagram:", err)
	err = team.Authorize("ben", workflow.PermPublishNow, workflow.Scope{Workspace: "coffee", Channel: "coffee-x"})
	var fe *workflow.ForbiddenError
	if errors.As(err, &fe) {
		fmt.Println("ben publishes to X:", fe.Reason)
	}
	// Output:
	// ben publishes to Instagram: <nil>
	// ben publishes to X: outside the membership's channel or network scope
}

func ExampleParseRoles() {
	roles, err := workflow.ParseRoles([]byte(`{"roles": [
		{"name": "legal", "description": "legal review", "permissions": ["calendar.view", "comment.internal", "post.approve"]}
	]}`))
	if err != nil {
		log.Fatal(err)
	}
	team, err := workflow.NewTeam(roles...)
	if err != nil {
		log.Fatal(err)
	}
	legal, _ := team.Role("legal")
	fmt.Println(legal.Name, legal.Has(workflow.PermApprove), legal.Has(workflow.PermPublishNow))

	_, err = workflow.ParseRoles([]byte(`{"roles": [{"name": "x", "permissions": ["post.teleport"]}]}`))
	fmt.Println(err)
	// Output:
	// legal true false
	// workflow: role x permissions "post.teleport": unknown permission
}
