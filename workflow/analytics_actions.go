package workflow

import (
	"context"
	"encoding/json"
	"io"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/workflow/team"
)

// TeamReport measures the team of workspace ([analytics.Team]) from its
// audit trail, for actor, who needs [team.PermViewAnalytics] there and an
// unrestricted membership (the report spans every channel). opts.Now
// defaults to the Service's clock. The view is audited.
func (s *Service) TeamReport(ctx context.Context, actor, workspace string, opts analytics.TeamOptions) (analytics.TeamReport, error) {
	rep, err := s.teamReport(ctx, actor, workspace, team.PermViewAnalytics, opts)
	if err != nil {
		return analytics.TeamReport{}, err
	}
	return rep, s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "analytics.view", Object: "workspace:" + workspace, Summary: "team report"})
}

// ExportTeamReport writes the team report of workspace (see
// [Service.TeamReport]) to w as JSON, for actor, who needs
// [team.PermExportReports] there. The export is audited.
func (s *Service) ExportTeamReport(ctx context.Context, actor, workspace string, w io.Writer, opts analytics.TeamOptions) error {
	rep, err := s.teamReport(ctx, actor, workspace, team.PermExportReports, opts)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(w).Encode(rep); err != nil {
		return err
	}
	return s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "analytics.export", Object: "workspace:" + workspace, Summary: "team report exported"})
}

func (s *Service) teamReport(ctx context.Context, actor, workspace string, perm team.Permission, opts analytics.TeamOptions) (analytics.TeamReport, error) {
	ws := team.Scope{Workspace: workspace}
	if err := s.allow(ctx, actor, perm, ws); err != nil {
		return analytics.TeamReport{}, err
	}
	if m, ok := s.team.Membership(actor, workspace); ok && m.Restricted() {
		return analytics.TeamReport{}, &team.ForbiddenError{Member: actor, Permission: perm, Scope: ws, Reason: team.ReasonOutsideScope, Role: m.Role}
	}
	all, err := s.store.Events(ctx, workspace, 0, 0)
	if err != nil {
		return analytics.TeamReport{}, err
	}
	if opts.Now.IsZero() {
		opts.Now = s.now()
	}
	return analytics.Team(TeamEvents(all), opts)
}
