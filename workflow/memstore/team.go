package memstore

import (
	"context"
	"slices"

	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// teamState holds the team document (see [workflow.TeamStore]).
type teamState struct {
	doc team.TeamDoc // doc.Rev is 0 while no team is stored
}

// LoadTeam implements [workflow.TeamStore].
func (s *Store) LoadTeam(ctx context.Context) (team.TeamDoc, error) {
	if err := done(ctx); err != nil {
		return team.TeamDoc{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneTeamDoc(s.team.doc), nil
}

// TeamRev implements [workflow.TeamStore].
func (s *Store) TeamRev(ctx context.Context) (int64, error) {
	if err := done(ctx); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.team.doc.Rev, nil
}

// SaveTeam implements [workflow.TeamStore].
func (s *Store) SaveTeam(ctx context.Context, doc team.TeamDoc) (team.TeamDoc, error) {
	if err := done(ctx); err != nil {
		return team.TeamDoc{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if doc.Rev != s.team.doc.Rev {
		return team.TeamDoc{}, &workflow.ConflictError{Kind: workflow.ConflictTeam, ID: "team", Current: s.team.doc.Rev}
	}
	doc = cloneTeamDoc(doc)
	doc.Rev++
	s.team.doc = doc
	return cloneTeamDoc(doc), nil
}

func cloneTeamDoc(d team.TeamDoc) team.TeamDoc {
	d.Organizations = slices.Clone(d.Organizations)
	d.Workspaces = slices.Clone(d.Workspaces)
	d.Channels = slices.Clone(d.Channels)
	d.Members = slices.Clone(d.Members)
	d.Roles = slices.Clone(d.Roles)
	for i := range d.Roles {
		d.Roles[i].Permissions = slices.Clone(d.Roles[i].Permissions)
	}
	d.Memberships = slices.Clone(d.Memberships)
	for i := range d.Memberships {
		d.Memberships[i].Channels = slices.Clone(d.Memberships[i].Channels)
		d.Memberships[i].Networks = slices.Clone(d.Memberships[i].Networks)
	}
	return d
}
