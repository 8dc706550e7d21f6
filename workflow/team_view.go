package workflow

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/socialflow/socialflow/workflow/team"
)

// teamView is the Service's store-backed view of the team: a frozen
// snapshot of the stored [team.TeamDoc] and its revision. Every action refreshes
// it through [Service.allow] (one cheap [TeamStore.TeamRev] read; the
// document is loaded only when the revision changed), so a change made by
// another replica is enforced from the next action on. Its read methods are
// those of [team.Team], over the current snapshot.
type teamView struct {
	store TeamStore

	mu  sync.RWMutex
	cur *team.Team // frozen, never changed
	rev int64
}

func newTeamView(store TeamStore) *teamView {
	empty, _ := team.NewTeam()
	empty.Freeze()
	return &teamView{store: store, cur: empty}
}

// refresh loads the stored team when its revision differs from the
// snapshot's.
func (v *teamView) refresh(ctx context.Context) error {
	rev, err := v.store.TeamRev(ctx)
	if err != nil {
		return fmt.Errorf("workflow: read the team revision: %w", err)
	}
	v.mu.RLock()
	same := rev == v.rev
	v.mu.RUnlock()
	if same {
		return nil
	}
	doc, err := v.store.LoadTeam(ctx)
	if err != nil {
		return fmt.Errorf("workflow: load the team: %w", err)
	}
	t, err := team.TeamFromDoc(doc)
	if err != nil {
		return fmt.Errorf("workflow: the stored team (revision %d) is invalid: %w", doc.Rev, err)
	}
	v.set(t, doc.Rev)
	return nil
}

// set makes t (revision rev) the snapshot, unless a newer one is already
// there. It freezes t.
func (v *teamView) set(t *team.Team, rev int64) {
	t.Freeze()
	v.mu.Lock()
	defer v.mu.Unlock()
	if rev > v.rev {
		v.cur, v.rev = t, rev
	}
}

// snapshot returns the current frozen snapshot and its revision.
func (v *teamView) snapshot() (*team.Team, int64) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.cur, v.rev
}

func (v *teamView) team() *team.Team { t, _ := v.snapshot(); return t }

// Channel returns the channel with the given ID. A channel the snapshot
// does not know triggers one refresh, so code paths that do not pass the
// gate (the Dispatcher) see a channel added on another replica.
func (v *teamView) Channel(id string) (team.Channel, bool) {
	if c, ok := v.team().Channel(id); ok {
		return c, true
	}
	if v.refresh(context.Background()) != nil {
		return team.Channel{}, false
	}
	return v.team().Channel(id)
}

// Channels, Membership, Memberships, Member, Workspace, Role, Roles,
// WorkspacesOf and Can are [team.Team]'s, over the current snapshot.
func (v *teamView) Channels(workspace string) []team.Channel { return v.team().Channels(workspace) }
func (v *teamView) Membership(member, workspace string) (team.Membership, bool) {
	return v.team().Membership(member, workspace)
}
func (v *teamView) Memberships(workspace string) []team.Membership {
	return v.team().Memberships(workspace)
}
func (v *teamView) Member(id string) (team.Member, bool)       { return v.team().Member(id) }
func (v *teamView) Workspace(id string) (team.Workspace, bool) { return v.team().Workspace(id) }
func (v *teamView) Role(name string) (team.Role, bool)         { return v.team().Role(name) }
func (v *teamView) Roles() []team.Role                         { return v.team().Roles() }
func (v *teamView) WorkspacesOf(member string) []string        { return v.team().WorkspacesOf(member) }
func (v *teamView) Can(member string, perm team.Permission, scope team.Scope) bool {
	return v.team().Can(member, perm, scope)
}

// seedTeam applies NewService's team argument: saved as the first team when
// the store holds none; otherwise the stored team is the truth and seed is
// ignored (a different seed is logged, naming the first part that
// differs). It loads the snapshot either way.
func (s *Service) seedTeam(ctx context.Context, seed *team.Team) error {
	for attempt := 0; ; attempt++ {
		rev, err := s.store.TeamRev(ctx)
		if err != nil {
			return fmt.Errorf("workflow: read the team revision: %w", err)
		}
		if rev == 0 {
			if seed == nil {
				return &ValidationError{Field: "team", Reason: "the store holds no team: pass the first team to NewService"}
			}
			saved, err := s.store.SaveTeam(ctx, seed.Doc())
			var ce *ConflictError
			if errors.As(err, &ce) && ce.Kind == ConflictTeam && attempt < teamRetries {
				continue // another replica seeded meanwhile
			}
			if err != nil {
				return fmt.Errorf("workflow: save the first team: %w", err)
			}
			seed.Freeze()
			s.team.set(seed.Clone(), saved.Rev)
			return nil
		}
		if err := s.team.refresh(ctx); err != nil {
			return err
		}
		if seed != nil {
			seed.Freeze()
			stored, _ := s.team.snapshot()
			if part := team.FirstDifference(seed.Doc(), stored.Doc()); part != "" {
				s.log.WarnContext(ctx, "the team given to NewService differs from the stored team; the stored team is used", "differs_in", part, "rev", rev)
			}
		}
		return nil
	}
}

// teamRetries bounds how often a team change is retried after losing a
// compare-and-swap race to another writer.
const teamRetries = 16
