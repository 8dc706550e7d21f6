package team

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The names of the built-in roles.
const (
	RoleOwner     = "owner"     // everything, including managing members; a workspace always keeps one
	RoleManager   = "manager"   // social media manager: everything except managing members
	RoleCreator   = "creator"   // content creator / copywriter: drafts, submits, uploads
	RoleDesigner  = "designer"  // designer: drafts and the asset library
	RoleCommunity = "community" // community manager: replies, saved replies, drafts
	RoleAnalyst   = "analyst"   // analyst: analytics and reports
	RoleApprover  = "approver"  // approver: reviews and approves
	RoleClient    = "client"    // an agency's client: view, comment client-visible, approve — nothing else
)

// Role is a named set of permissions. The zero Role is invalid: Name is
// required. Roles are data: hosts define their own and load them from JSON
// with [ParseRoles].
type Role struct {
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Permissions []Permission `json:"permissions"`
}

// Has reports whether r grants p.
func (r Role) Has(p Permission) bool { return slices.Contains(r.Permissions, p) }

// Validate reports an empty name, an unknown permission or a permission
// listed twice, as a [*ValidationError] matching socialflow.ErrInvalid.
func (r Role) Validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return &ValidationError{Field: "role.name", Reason: "must not be empty"}
	}
	seen := make(map[Permission]bool, len(r.Permissions))
	for _, p := range r.Permissions {
		if !p.Valid() {
			return &ValidationError{Field: "role " + r.Name + " permissions", Value: string(p), Reason: "unknown permission"}
		}
		if seen[p] {
			return &ValidationError{Field: "role " + r.Name + " permissions", Value: string(p), Reason: "listed twice"}
		}
		seen[p] = true
	}
	return nil
}

func perms(ps ...Permission) []Permission { return ps }

// BuiltinRoles returns the built-in roles, in documentation order. The
// caller may modify the result.
func BuiltinRoles() []Role {
	all := AllPermissions()
	manager := slices.DeleteFunc(AllPermissions(), func(p Permission) bool { return p == PermManageMembers })
	return []Role{
		{Name: RoleOwner, Description: "owns the workspace: every permission", Permissions: all},
		{Name: RoleManager, Description: "social media manager: runs the workflow, but does not manage members", Permissions: manager},
		{Name: RoleCreator, Description: "content creator or copywriter", Permissions: perms(
			PermViewCalendar, PermCreateDraft, PermEditOwnDraft, PermDeleteOwnDraft,
			PermCommentInternal, PermSubmit, PermUploadAsset, PermUseSavedReplies)},
		{Name: RoleDesigner, Description: "designer: drafts and the asset library", Permissions: perms(
			PermViewCalendar, PermCreateDraft, PermEditOwnDraft, PermDeleteOwnDraft,
			PermCommentInternal, PermSubmit, PermUploadAsset, PermArchiveAsset)},
		{Name: RoleCommunity, Description: "community manager: answers the community", Permissions: perms(
			PermViewCalendar, PermCreateDraft, PermEditOwnDraft, PermDeleteOwnDraft,
			PermCommentInternal, PermSubmit, PermUseSavedReplies, PermReplyCommunity, PermViewAnalytics)},
		{Name: RoleAnalyst, Description: "analyst: measures and reports", Permissions: perms(
			PermViewCalendar, PermCommentInternal, PermViewAnalytics, PermExportReports)},
		{Name: RoleApprover, Description: "approver: reviews content and assets", Permissions: perms(
			PermViewCalendar, PermCommentInternal, PermCommentClient, PermApprove, PermApproveAsset)},
		{Name: RoleClient, Description: "an agency's client: view, comment client-visible, approve", Permissions: perms(
			PermViewCalendar, PermCommentClient, PermApprove)},
	}
}

// rolesFile is the JSON form read by ParseRoles.
type rolesFile struct {
	Roles []Role `json:"roles"`
}

// ParseRoles reads custom role definitions from JSON of the form
//
//	{"roles": [{"name": "legal", "description": "...", "permissions": ["calendar.view", "post.approve"]}]}
//
// Unknown fields, an empty name, an unknown permission, a role defined twice
// or a name that is a built-in role's are errors matching
// socialflow.ErrInvalid; nothing is returned with an error.
func ParseRoles(data []byte) ([]Role, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var f rolesFile
	if err := dec.Decode(&f); err != nil {
		return nil, &ValidationError{Field: "roles", Reason: "malformed JSON: " + err.Error()}
	}
	if dec.More() {
		return nil, &ValidationError{Field: "roles", Reason: "trailing data after the JSON object"}
	}
	builtin := map[string]bool{}
	for _, r := range BuiltinRoles() {
		builtin[r.Name] = true
	}
	seen := map[string]bool{}
	for _, r := range f.Roles {
		if err := r.Validate(); err != nil {
			return nil, err
		}
		if seen[r.Name] || builtin[r.Name] {
			return nil, &ValidationError{Field: "role.name", Value: r.Name, Reason: "defined twice"}
		}
		seen[r.Name] = true
	}
	return f.Roles, nil
}

// RoleMatrix renders the role × permission matrix of roles as a Markdown
// table: one row per permission, one column per role, "✓" where granted.
// The README shows the built-in matrix; a test keeps the two equal.
func RoleMatrix(roles []Role) string {
	var b strings.Builder
	b.WriteString("| permission |")
	for _, r := range roles {
		fmt.Fprintf(&b, " %s |", r.Name)
	}
	b.WriteString("\n|---|")
	for range roles {
		b.WriteString(":-:|")
	}
	b.WriteString("\n")
	for _, p := range allPermissions {
		fmt.Fprintf(&b, "| `%s` |", p)
		for _, r := range roles {
			if r.Has(p) {
				b.WriteString(" ✓ |")
			} else {
				b.WriteString("   |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
