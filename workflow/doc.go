// Package workflow is the team and the flow: members, organizations,
// workspaces, channels, roles and permissions, and the single authorization
// gate every action goes through.
package workflow
