package workflow

// TeamStore persists the team model (organizations, workspaces, channels,
// members, custom roles, memberships).
type TeamStore interface{}
