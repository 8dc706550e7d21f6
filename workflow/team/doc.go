// Package team is the pure team model of socialflow: organizations,
// workspaces, channels, members, roles and permissions, memberships (with
// their channel and network restrictions), and the one authorization gate,
// [Team.Authorize], which returns a [*ForbiddenError] naming the member, the
// permission, the scope and the [Reason].
//
// It holds no storage and imports nothing of the workflow: a Team is a value
// the workflow loads from its store ([TeamFromDoc]), checks every action
// against, and saves back as a [TeamDoc]. Built-in roles are
// [BuiltinRoles]; custom roles come from [ParseRoles] or [Team.AddRole].
//
// Errors follow the module's idiom: each typed error matches its root kind
// (socialflow.ErrInvalid, ErrNotFound, ErrForbidden) through an Is method
// and carries its details for errors.As.
package team
