package workflow

import (
	"strings"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/workflow/team"
)

// TeamEvents turns audit events into the workflow events analytics measures
// the team by ([analytics.Team]): drafts and edits, submissions (with the
// review deadline), decisions, scheduling (with the slot), publishes (with
// the slot, credited to the post's author) and failures (with their cause).
// Other events are left out.
func TeamEvents(events []Event) []analytics.Event {
	var out []analytics.Event
	for _, e := range events {
		post, _, _ := strings.Cut(strings.TrimPrefix(e.Object, "post:"), "/")
		ae := analytics.Event{At: e.At, Actor: e.Actor, Subject: post, Version: e.Version}
		switch e.Action {
		case "post.create", "post.edit":
			ae.Action = analytics.Drafted
		case "post.submit":
			ae.Action = analytics.Submitted
			ae.Due = parseTime(e.Data["due"])
		case "post.decide":
			switch e.Data["verdict"] {
			case "approve":
				ae.Action = analytics.Approved
			case "request_changes":
				ae.Action = analytics.ChangesRequested
			case "reject":
				ae.Action = analytics.Rejected
			default:
				continue
			}
		case "post.deadline_missed":
			ae.Action = analytics.DeadlineMissed
		case "post.schedule", "post.publish_now", "post.queue":
			ae.Action = analytics.Scheduled
			ae.Due = parseTime(e.Data["at"])
		case "target.published", "target.failed":
			ae.Action = analytics.Published
			if e.Action == "target.failed" {
				ae.Action = analytics.PublishFailed
				ae.Cause = e.Data["cause"]
			}
			ae.Subject = strings.TrimPrefix(strings.Replace(e.Object, "/channel:", "/", 1), "post:")
			ae.Due = parseTime(e.Data["slot"])
			if a := e.Data["author"]; a != "" {
				ae.Actor = a
			}
		default:
			continue
		}
		out = append(out, ae)
	}
	return out
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// AnalyticsTarget describes a published target for analytics: its key
// ([TargetKey]), network, channel, workspace, campaign, labels, author,
// publish time and the channel's zone.
func AnalyticsTarget(p Post, t Target, ch team.Channel) analytics.Target {
	return analytics.Target{
		ID: TargetKey(p.ID, t.Channel), Network: t.Network, Channel: t.Channel, Workspace: p.Workspace,
		Campaign: p.Campaign, Labels: append([]string(nil), p.Labels...), Author: p.Author,
		PublishedAt: t.Outcome.PublishedAt, Zone: ch.Zone,
	}
}
