package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	assetstore "github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// The workspace: one bakery, two channels, a community team.
const (
	workspace = "bakery"
	chMasto   = "bakery-masto" // on Mastodon (fakenet with Mastodon's spec, or a real server)
	chBsky    = "bakery-bsky"  // on Bluesky (fakenet with Bluesky's spec)
	zone      = "Europe/Oslo"
)

// inboxSettings are the workspace's inbox settings as a host stores them
// (JSON, read by workflow.ParseInboxSettings; durations in nanoseconds, as
// encoding/json writes a time.Duration):
//
//   - spam is marked as spam; complaints go to cam or kim; the Bluesky
//     channel to kim or cam; everything else to whoever is on duty;
//   - cam is on duty 08:00–18:00 and kim 10:00–16:00, Oslo wall time, on
//     weekdays; from 13:00 Oslo (11:00 UTC) dee covers cam's turns;
//   - kim's membership covers only the Bluesky channel, so the rules never
//     give her a Mastodon conversation;
//   - conversations can be handed off to the customer-service team (ola);
//   - five negative items within 30 minutes are a surge: mia and max are
//     told and publishing pauses.
const inboxSettings = `{
  "rules": [
    {"name": "spam", "when": {"labels": ["spam"]}, "spam": true},
    {"name": "complaints", "when": {"labels": ["complaint"]}, "members": ["cam", "kim"]},
    {"name": "bluesky", "when": {"channels": ["bakery-bsky"]}, "members": ["kim", "cam"]}
  ],
  "rota": [
    {"member": "cam", "zone": "Europe/Oslo", "days": [1, 2, 3, 4, 5], "start": "08:00", "end": "18:00"},
    {"member": "kim", "zone": "Europe/Oslo", "days": [1, 2, 3, 4, 5], "start": "10:00", "end": "16:00"}
  ],
  "delegations": [{"from": "cam", "to": "dee", "since": "2026-03-31T11:00:00Z", "until": "2026-03-31T16:00:00Z"}],
  "teams": {"customer-service": ["ola"]},
  "claim_ttl": 900000000000,
  "surge": {"threshold": 5, "window": 1800000000000, "pause": true, "notify": ["mia", "max"]}
}`

// routing is the approval table: replies to items labelled complaint need
// the manager's approval; everything else none.
const routing = `{
  "policies": {
    "none": {"name": "none", "kind": "none"},
    "complaint-replies": {"name": "complaint-replies", "kind": "required", "stages": [{"approvers": {"members": ["max"]}}]}
  },
  "rules": [
    {"name": "replies to complaints", "when": {"kinds": ["reply"], "labels": ["complaint"]}, "policy": "complaint-replies"}
  ],
  "default": "none"
}`

// The saved replies mia uploads: placeholders are filled from the item
// ({author}, {network}) and from the reply's values ({hours}).
const (
	savedHours  = "Hi {author}! We are open {hours}. See you soon — the Bakery team"
	savedThanks = "Thanks {author}, we read every message on {network}. — the Bakery team"
)

// clock is the one time source of the run (workflow, Publishers, fakenet):
// simulated in the day on fakenet, the real time against a real server.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	wall bool // the real time (the live run)
}

func (c *clock) Now() time.Time {
	if c.wall {
		return time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// buildTeam creates the bakery: mia owns it, max manages (and approves
// replies to complaints), cam and dee answer the community on every
// channel, kim only on Bluesky, ola is customer service.
func buildTeam(now time.Time, mastoNetwork string) (*team.Team, error) {
	tm, err := team.NewTeam()
	if err != nil {
		return nil, err
	}
	steps := []func() error{
		func() error {
			return tm.AddOrganization(team.Organization{ID: "bakery-co", Name: "Bakery Co", Kind: team.OrgCompany})
		},
	}
	for _, m := range []team.Member{
		{ID: "mia", Name: "Mia (owner)"}, {ID: "max", Name: "Max (social media manager)"},
		{ID: "cam", Name: "Cam (community manager)"}, {ID: "dee", Name: "Dee (community manager)"},
		{ID: "kim", Name: "Kim (Bluesky community)"}, {ID: "ola", Name: "Ola (customer service)"},
	} {
		m.OrgID = "bakery-co"
		steps = append(steps, func() error { return tm.AddMember(m) })
	}
	steps = append(steps, func() error {
		return tm.AddWorkspace(team.Workspace{ID: workspace, OrgID: "bakery-co", Name: "Bakery"}, "mia", now)
	})
	for _, c := range []team.Channel{
		{ID: chMasto, WorkspaceID: workspace, Network: mastoNetwork, Handle: "@bakery", Zone: zone},
		{ID: chBsky, WorkspaceID: workspace, Network: networks.Bluesky, Handle: "bakery.bsky.social", Zone: zone},
	} {
		steps = append(steps, func() error { return tm.AddChannel(c) })
	}
	for _, m := range []team.Membership{
		{MemberID: "max", WorkspaceID: workspace, Role: team.RoleManager},
		{MemberID: "cam", WorkspaceID: workspace, Role: team.RoleCommunity},
		{MemberID: "dee", WorkspaceID: workspace, Role: team.RoleCommunity},
		{MemberID: "kim", WorkspaceID: workspace, Role: team.RoleCommunity, Channels: []string{chBsky}},
		{MemberID: "ola", WorkspaceID: workspace, Role: team.RoleAnalyst},
	} {
		steps = append(steps, func() error { return tm.Invite("mia", m, now) })
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	return tm, nil
}

// host is what a host product wires: the Service and Dispatcher over a
// memstore, the asset library for saved replies, the approval router, a
// notice inbox, and the inbox poller.
type host struct {
	svc     *workflow.Service
	disp    *workflow.Dispatcher
	poller  *workflow.InboxPoller
	notices *workflow.Inbox
	clock   *clock
	loc     *time.Location
	saved   map[string]string // saved reply name → asset ID
}

// newHost wires the SDK through its public constructors. specs are the
// networks' specs (replies are checked against them); conns connects both
// channels.
func newHost(ctx context.Context, tm *team.Team, conns *workflow.Connections, specs []networks.Spec, clk *clock) (*host, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, err
	}
	reg, err := networks.NewRegistry(specs...)
	if err != nil {
		return nil, err
	}
	router, err := approval.ParseRouter([]byte(routing))
	if err != nil {
		return nil, err
	}
	lib, err := assets.NewLibrary(assetstore.New(), memblob.New())
	if err != nil {
		return nil, err
	}
	h := &host{notices: &workflow.Inbox{}, clock: clk, loc: loc, saved: map[string]string{}}
	n := 0
	h.svc, h.disp, err = workflow.New(ctx, workflow.Config{
		Team: tm, Store: memstore.New(), Connector: conns, Specs: reg, Library: lib, Router: router,
		Notifier: h.notices, Clock: clk, AuditKey: []byte("community-inbox demo audit key"),
		IDs:        func() string { n++; return fmt.Sprintf("r%02d", n) },
		Dispatcher: []workflow.DispatcherOption{workflow.WithHolder("dispatcher-1")},
	})
	if err != nil {
		return nil, err
	}
	h.poller, err = workflow.NewInboxPoller(h.svc, conns, workflow.WithPollHolder("inbox-1"))
	if err != nil {
		return nil, err
	}
	return h, nil
}

// configure stores the inbox settings and uploads and approves the saved
// replies, as mia.
func (h *host) configure(ctx context.Context) error {
	st, err := workflow.ParseInboxSettings([]byte(inboxSettings))
	if err != nil {
		return err
	}
	if err := h.svc.SetInboxSettings(ctx, "mia", workspace, st); err != nil {
		return err
	}
	for _, s := range []struct{ name, body string }{{"opening-hours", savedHours}, {"thanks", savedThanks}} {
		a, err := h.svc.UploadAsset(ctx, "mia", workflow.UploadRequest{Workspace: workspace,
			Asset: assets.NewAsset{Kind: assets.KindSavedReply, Name: s.name, Body: s.body}})
		if err != nil {
			return err
		}
		if _, err := h.svc.ApproveAsset(ctx, "mia", workflow.AssetRequest{Workspace: workspace, Asset: a.ID, Version: a.Version}); err != nil {
			return err
		}
		h.saved[s.name] = a.ID
	}
	return nil
}

// publish posts text to both channels through the workflow (mia creates,
// submits — no approval for posts — and publishes now; the dispatcher
// sends) and returns each channel's remote post ID.
func (h *host) publish(ctx context.Context, text string) (map[string]networks.RemoteID, error) {
	p, err := h.svc.CreatePost(ctx, "mia", workflow.NewPost{Workspace: workspace, Content: workflow.Content{Text: text}, Channels: []string{chMasto, chBsky}})
	if err != nil {
		return nil, err
	}
	if _, err := h.svc.Submit(ctx, "mia", p.ID); err != nil {
		return nil, err
	}
	if _, err := h.svc.PublishNow(ctx, "mia", p.ID); err != nil {
		return nil, err
	}
	if _, err := h.disp.RunOnce(ctx, h.clock.Now()); err != nil {
		return nil, err
	}
	got, err := h.svc.Post(ctx, "mia", p.ID)
	if err != nil {
		return nil, err
	}
	ids := map[string]networks.RemoteID{}
	for _, t := range got.Targets {
		if t.State != workflow.TargetPublished {
			return nil, fmt.Errorf("post %s on %s: %s (%s)", p.ID, t.Channel, t.State, t.Outcome.Cause)
		}
		ids[t.Channel] = networks.RemoteID(t.Outcome.RemoteID)
	}
	return ids, nil
}

// conversation returns the conversation of a remote item as member sees it.
func (h *host) conversation(ctx context.Context, member string, network, account string, item networks.Incoming) (workflow.Conversation, error) {
	thread := item.Thread
	if thread == "" {
		thread = string(item.ID)
	}
	v, err := h.svc.Conversation(ctx, member, workflow.ConversationID(network, account, thread))
	return v.Conversation, err
}

// local formats t as Oslo wall time.
func (h *host) local(t time.Time) string { return t.In(h.loc).Format("15:04") }

// clip bounds and quotes untrusted text for printing.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		s = string(r[:n]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// printReport prints the day's InboxReport, as max (who may view
// analytics) reads it.
func printReport(w io.Writer, rep analytics.InboxReport) {
	dur := func(d analytics.Duration) string {
		if !d.OK {
			return "-"
		}
		return d.D.Round(time.Second).String()
	}
	fmt.Fprintln(w, "first response (median / p90), by channel and member:")
	rows := append([]analytics.ResponseTimes{rep.All}, rep.ByChannel...)
	rows = append(rows, rep.ByMember...)
	for i, r := range rows {
		key := r.Key
		if i == 0 {
			key = "all"
		}
		fmt.Fprintf(w, "  %-13s %2d conversations, %2d answered  %9s / %-9s  resolved %2d  breaches %d\n",
			key, r.Conversations, r.Answered, dur(r.FirstMedian), dur(r.FirstP90), r.Resolved, r.Breaches)
	}
	open := 0
	kinds := map[analytics.BreachKind]int{}
	for _, b := range rep.Breaches {
		kinds[b.Kind]++
		if b.Open {
			open++
		}
	}
	fmt.Fprintf(w, "SLA breaches: %d (first response %d, resolution %d; still open %d)\n",
		len(rep.Breaches), kinds[analytics.BreachFirstResponse], kinds[analytics.BreachResolution], open)
	fmt.Fprintln(w, "volume (network, state: conversations, items):")
	for _, v := range rep.Volume {
		fmt.Fprintf(w, "  %-9s %-11s %2d  %2d\n", v.Network, v.State, v.Conversations, v.Items)
	}
	fmt.Fprintln(w, "workload (member: open, answered, resolved, items):")
	for _, l := range rep.Workload {
		fmt.Fprintf(w, "  %-4s %2d  %2d  %2d  %2d\n", l.Member, l.Open, l.Answered, l.Resolved, l.Items)
	}
}

// noticeLine is one notice for printing: kind, recipients, summary.
func noticeLine(n workflow.Notice) string {
	to := slices.Clone(n.To)
	slices.Sort(to)
	return fmt.Sprintf("%s to %s: %s", n.Kind, strings.Join(to, ","), n.Summary)
}
