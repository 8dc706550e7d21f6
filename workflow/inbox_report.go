package workflow

import (
	"context"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/workflow/team"
)

// Record returns the conversation as the inbox measures read it
// ([analytics.Inbox]): its channel, network, assignee, state, item count,
// and when it was opened, first answered and resolved.
func (c Conversation) Record() analytics.ConversationRecord {
	return analytics.ConversationRecord{
		ID: c.ID, Channel: c.Channel, Network: c.Network, Member: c.Assignee,
		State: string(c.State), Items: c.Items,
		Opened: c.Opened, FirstResponse: c.FirstResponse, Resolved: c.Resolved,
	}
}

// reportPage is how many conversations InboxReport reads per store call.
const reportPage = 500

// InboxReport computes the community-inbox measures of workspace
// ([analytics.Inbox]: first-response and resolution times per channel and
// member, SLA breaches, volume, workload) for actor, who needs
// [team.PermViewAnalytics] in the workspace; a member restricted to some
// channels is measured only on theirs. opts.Now defaults to the Service's
// clock. The read is audited as analytics.view.
func (s *Service) InboxReport(ctx context.Context, actor, workspace string, opts analytics.InboxOptions) (analytics.InboxReport, error) {
	if workspace == "" {
		return analytics.InboxReport{}, &ValidationError{Field: "workspace", Reason: "required"}
	}
	if err := s.allow(ctx, actor, team.PermViewAnalytics, team.Scope{Workspace: workspace}); err != nil {
		return analytics.InboxReport{}, err
	}
	var recs []analytics.ConversationRecord
	q := ConversationQuery{Workspace: workspace, Limit: reportPage}
	for {
		page, err := s.store.Conversations(ctx, q)
		if err != nil {
			return analytics.InboxReport{}, err
		}
		for _, c := range page {
			if s.team.Can(actor, team.PermViewAnalytics, team.Scope{Workspace: workspace, Channel: c.Channel}) {
				recs = append(recs, c.Record())
			}
		}
		if len(page) < reportPage {
			break
		}
		q.After = page[len(page)-1].ID
	}
	if opts.Now.IsZero() {
		opts.Now = s.now()
	}
	rep, err := analytics.Inbox(recs, opts)
	if err != nil {
		return analytics.InboxReport{}, err
	}
	return rep, s.record(ctx, Event{Workspace: workspace, Actor: actor, Action: "analytics.view", Object: "workspace:" + workspace, Summary: "inbox report"})
}
