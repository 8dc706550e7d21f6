package workflow

import (
	"context"

	"github.com/socialflow/socialflow/workflow/team"
)

// TeamStore persists the team model (organizations, workspaces, channels,
// members, custom roles, memberships) as one document with a revision: team
// changes are rare, and one document keeps the invariants that span
// workspaces and members (a workspace's last owner, a membership naming an
// existing member, workspace and role) atomic.
//
// Contract, checked by storetest (besides the [Store] contract):
//
//   - TeamRev is the cheap read a Service makes before every action: 0 while
//     no team is stored, otherwise the Rev of the stored document.
//   - SaveTeam stores doc only when doc.Rev equals the stored revision (0
//     for the first save), and stores it with Rev+1; otherwise it returns a
//     [*ConflictError] with Kind "team" naming the current revision, and
//     nothing changes. Two writers that read the same revision: exactly one
//     wins.
//   - The store does not interpret the document: it validates nothing but
//     the revision; [team.TeamFromDoc] validates when the Service reads it.
type TeamStore interface {
	// LoadTeam returns the stored team document; a zero TeamDoc (Rev 0)
	// when none is stored.
	LoadTeam(ctx context.Context) (team.TeamDoc, error)
	// TeamRev returns the stored team document's revision, 0 when none.
	TeamRev(ctx context.Context) (int64, error)
	// SaveTeam stores doc if doc.Rev is current (see the type
	// documentation) and returns it with its new Rev.
	SaveTeam(ctx context.Context, doc team.TeamDoc) (team.TeamDoc, error)
}
