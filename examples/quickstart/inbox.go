package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// The community inbox's week: what arrives on the four channels from
// Monday 9 to Sunday 15 March, the second week of the spring campaign, is
// polled every half hour by one InboxPoller, assigned by each workspace's rules
// and rota, and answered by the community team (cam on weekdays, kim in the
// evenings and at weekends), while the script plays the moments worth
// seeing: a direct message whose reply's answer is lost, two members
// opening the same conversation, a complaint wave that trips the surge
// alert, a complaint reply a manager approves, and a hand-off to the
// client's customer service.
var (
	inboxStart = time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	inboxEnd   = time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)
)

// pollHolder and dispatcherHolder name the quickstart's two loops in leases
// and in the audit trail ("system:" + name).
const (
	pollHolder       = "inbox-1"
	dispatcherHolder = "dispatcher-1"
)

// pollEvery is the inbox's cadence: the poller's and the team's.
const pollEvery = 30 * time.Minute

// slas are the response-time targets the inbox report measures against.
var slas = []analytics.SLA{
	{Channel: "bakery-ig", FirstResponse: time.Hour, Resolution: 24 * time.Hour},
	{Channel: "bakery-li", FirstResponse: 4 * time.Hour, Resolution: 48 * time.Hour},
	{Channel: "cycles-x", FirstResponse: time.Hour, Resolution: 24 * time.Hour},
	{Channel: "cycles-bsky", FirstResponse: 2 * time.Hour, Resolution: 24 * time.Hour},
}

// desk is the inbox side of the simulation.
type desk struct {
	poller    *workflow.InboxPoller
	rng       *rand.Rand
	saved     map[string]string // saved reply name → asset ID
	streams   []*stream
	scripted  map[string]bool // conversations the script handles itself
	approvals []approvalDue
	ingest    workflow.IngestReport
	delivery  workflow.DeliveryReport
	polls     int
	dm        struct{ conv, reply, marker string } // the reply whose answer is lost
	dmLost    bool
	wave      string // the complaint wave's conversation
	waveItem  string // the complaint answered
}

// approvalDue is a reply awaiting approval and when its approver gets to it.
type approvalDue struct {
	at            time.Time
	conv, reply   string
	channel, from string
}

// stream is one channel's random traffic: a Poisson process at peak rate,
// thinned by how active the channel's audience is at the local hour (the
// audience model of the month's metrics), so nights are quiet.
type stream struct {
	channel string
	peak    float64 // items per hour at the busiest hour
	next    time.Time
}

// newDesk wires the poller over the Service and the connections.
func newDesk(svc *workflow.Service, conns *workflow.Connections, seed uint64) (*desk, error) {
	p, err := workflow.NewInboxPoller(svc, conns, workflow.WithPollHolder(pollHolder))
	if err != nil {
		return nil, err
	}
	d := &desk{poller: p, rng: rand.New(rand.NewPCG(seed, 0x1b0c5)), saved: map[string]string{}, scripted: map[string]bool{}}
	for _, c := range []struct {
		ch   string
		peak float64
	}{{"bakery-ig", 1.2}, {"bakery-li", 0.4}, {"cycles-bsky", 0.5}, {"cycles-x", 0.8}} {
		st := &stream{channel: c.ch, peak: c.peak}
		st.next = inboxStart.Add(d.gap(st))
		d.streams = append(d.streams, st)
	}
	return d, nil
}

func (d *desk) gap(st *stream) time.Duration {
	return time.Duration(d.rng.ExpFloat64() / st.peak * float64(time.Hour))
}

// inboxSettings are the workspaces' inbox settings: rules (spam out, direct
// messages to the lead, the rest round robin), the rota in the agency's
// zone, a delegation while cam is away, and for the bakery the team
// complaints are handed to and the surge alert that pauses publishing.
func inboxSettings(ws string) workflow.InboxSettings {
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	st := workflow.InboxSettings{
		Rules: []workflow.AssignRule{
			{Name: "spam", When: workflow.InboxCondition{Labels: []string{"spam"}}, Spam: true},
			{Name: "direct messages", When: workflow.InboxCondition{Kinds: []string{string(networks.ItemMessage)}}, Members: []string{"cam"}},
			{Name: "community team", Members: []string{"cam", "kim"}},
		},
		Rota: []workflow.DutyShift{
			{Member: "cam", Zone: "Europe/Oslo", Days: weekdays, Start: "08:00", End: "16:00"},
			{Member: "kim", Zone: "Europe/Oslo", Days: weekdays, Start: "16:00", End: "22:00"},
			{Member: "kim", Zone: "Europe/Oslo", Days: []time.Weekday{time.Saturday, time.Sunday}, Start: "10:00", End: "18:00"},
		},
		// cam is away on Friday 13 March: kim takes her turns.
		Delegations: []workflow.Delegation{{From: "cam", To: "kim",
			Since: time.Date(2026, 3, 12, 23, 0, 0, 0, time.UTC), Until: time.Date(2026, 3, 13, 23, 0, 0, 0, time.UTC)}},
		ClaimTTL: 20 * time.Minute,
	}
	if ws == "bakery" {
		st.Teams = map[string][]string{"customer-service": {"tor"}}
		st.Surge = workflow.SurgeSettings{Threshold: 5, Window: time.Hour, Pause: true, Notify: []string{"mia", "leo"}}
	}
	return st
}

// savedReplies are the team's saved replies, with placeholders filled from
// the item answered.
var savedReplies = []struct{ name, body string }{
	{"thanks", "Thank you, @{author}! That made our day."},
	{"question", "Hi @{author}, good question! We have sent you the details in a message."},
	{"sorry", "We are sorry to hear that, @{author}. Please send us a message with your order and we will make it right."},
}

// setupInbox stores the inbox settings and the saved replies.
func (s *sim) setupInbox(ctx context.Context) error {
	for _, ws := range []string{"bakery", "cycles"} {
		if err := s.svc.SetInboxSettings(ctx, "mia", ws, inboxSettings(ws)); err != nil {
			return err
		}
	}
	for _, r := range savedReplies {
		a, err := s.lib.AddText(ctx, assets.NewAsset{Kind: assets.KindSavedReply, Name: r.name, Body: r.body, Creator: "cam"}, s.now)
		if err != nil {
			return err
		}
		if _, err := s.lib.Approve(ctx, a.ID, a.Version, "mia", s.now); err != nil {
			return err
		}
		s.desk.saved[r.name] = a.ID
	}
	return nil
}

// phrases are what the audience writes, by workspace and mood; the
// default lexicon classifier reads the mood back from the words.
var phrases = map[string]map[string][]string{
	"bakery": {
		"positive": {"love this!", "Looks amazing 😍", "best cinnamon buns in town", "great bread, thanks!", "the croissants were perfect this morning"},
		"question": {"when does the shop open on Sunday?", "do you have gluten-free bread?", "is the sourdough back tomorrow?", "can you deliver to Grünerløkka?"},
		"neutral":  {"saw this on my way to work", "tagging my sister here", "same as last week"},
		"negative": {"the queue this morning was terrible", "sold out again at 10, disappointed"},
		"spam":     {"free followers! click here", "crypto giveaway, check my profile"},
	},
	"cycles": {
		"positive": {"great ride, thanks for sharing", "love the river route", "awesome photos 👍"},
		"question": {"what route was this?", "is the ride club open to beginners?", "when is the next group ride?"},
		"neutral":  {"same route as mine", "tagging @jen here"},
		"negative": {"the app link is broken", "the booking page is so slow"},
		"spam":     {"earn money fast, dm me", "bitcoin investment opportunity"},
	},
}

var audience = map[string][]string{
	"bakery": {"ola", "kari", "nils", "ingrid", "lars", "sofie", "emil", "nora", "jonas", "maja"},
	"cycles": {"mike", "jen", "carlos", "priya", "dev", "ruth", "tomas", "amy"},
}

// arrivals makes the random items due by now arrive on the fake networks:
// replies to the channel's latest posts (most of them), mentions, quotes
// and direct messages, drawn from the desk's seeded generator.
func (s *sim) arrivals() error {
	d := s.desk
	for _, st := range d.streams {
		ch, _ := s.team.Channel(st.channel)
		net := s.nets[ch.Network]
		for st.next.Before(inboxEnd) && !st.next.After(s.now) {
			at := st.next
			st.next = st.next.Add(d.gap(st))
			if d.rng.Float64()*1.6 > activity(at.In(s.zones[ch.ID])) {
				continue
			}
			var posts []networks.RemoteID
			for _, p := range net.Posts() {
				if p.AccountID == ch.ID && p.InReplyTo == "" && !p.At.After(at) {
					posts = append(posts, p.ID)
				}
			}
			kind := []networks.ItemKind{networks.ItemReply, networks.ItemReply, networks.ItemReply, networks.ItemReply, networks.ItemReply,
				networks.ItemReply, networks.ItemMention, networks.ItemMention, networks.ItemQuote, networks.ItemMessage}[d.rng.IntN(10)]
			var to networks.RemoteID
			if kind == networks.ItemReply || kind == networks.ItemQuote {
				if len(posts) == 0 {
					kind = networks.ItemMention
				} else {
					to = posts[len(posts)-1-d.rng.IntN(min(len(posts), 4))]
				}
			}
			x := d.rng.IntN(100)
			mood := "positive"
			switch {
			case x >= 95:
				mood = "spam"
			case x >= 88:
				mood = "negative"
			case x >= 76:
				mood = "neutral"
			case x >= 45:
				mood = "question"
			}
			ws := ch.WorkspaceID
			from := audience[ws][d.rng.IntN(len(audience[ws]))]
			if mood == "spam" {
				from = []string{"growth_guru", "crypto_king"}[d.rng.IntN(2)]
			}
			list := phrases[ws][mood]
			text := list[d.rng.IntN(len(list))]
			if kind == networks.ItemMention {
				text = ch.Handle + " " + text
				if !strings.HasPrefix(text, "@") {
					text = "@" + text
				}
			}
			if _, err := net.Arrive(fakenet.Arrival{Account: ch.ID, Kind: kind, From: from, To: to, Text: text, At: at,
				Delay: time.Duration(d.rng.IntN(5)) * time.Minute}); err != nil {
				return err
			}
		}
	}
	return nil
}

// inboxStep is the inbox's part of one simulation step during the week:
// the items due arrive, the team works its queue (and approvers their
// notices), then the poller stores what the networks list and delivers
// the replies written.
func (s *sim) inboxStep(ctx context.Context) error {
	if s.now.Before(inboxStart) || !s.now.Before(inboxEnd) || s.now.Sub(inboxStart)%pollEvery != 0 {
		return nil
	}
	if err := s.arrivals(); err != nil {
		return err
	}
	if err := s.approveReplies(ctx); err != nil {
		return err
	}
	for _, ws := range []string{"bakery", "cycles"} {
		if err := s.work(ctx, ws); err != nil {
			return err
		}
	}
	r, err := s.desk.poller.RunOnce(ctx, s.now)
	if err != nil {
		return err
	}
	if err := errors.Join(r.Errors...); err != nil {
		return err
	}
	d := s.desk
	d.polls++
	d.ingest.Stored += r.Ingest.Stored
	d.ingest.Duplicates += r.Ingest.Duplicates
	d.ingest.Assigned += r.Ingest.Assigned
	d.ingest.Unassigned += r.Ingest.Unassigned
	d.ingest.Spam += r.Ingest.Spam
	d.ingest.Refused = append(d.ingest.Refused, r.Ingest.Refused...)
	d.delivery.Sent += r.Delivery.Sent
	d.delivery.Unconfirmed += r.Delivery.Unconfirmed
	d.delivery.Reconciled += r.Delivery.Reconciled
	d.delivery.Retry += r.Delivery.Retry
	d.delivery.Failed += r.Delivery.Failed
	if r.Ingest.Surge {
		for _, n := range slices.Backward(s.inbox.Notices()) {
			if n.Kind == workflow.NoticeInboxSurge {
				s.note("surge alert to %s: %s", strings.Join(n.To, " and "), n.Summary)
				break
			}
		}
	}
	return s.watchDM(ctx, r.Delivery)
}

// working returns who answers workspace's inbox at now: the members on
// duty by the rota, an away member replaced by their delegate.
func working(st workflow.InboxSettings, now time.Time) []string {
	var out []string
	for _, sh := range st.Rota {
		if !st.OnDuty(sh.Member, now) {
			continue
		}
		m := sh.Member
		for _, d := range st.Delegations {
			if d.From == m && !now.Before(d.Since) && now.Before(d.Until) {
				m = d.To
			}
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// work is one step of the team on workspace's inbox: each member at work
// takes the conversations nobody could be assigned (they arrived off
// duty), answers up to four of theirs once they have read them, and closes
// the ones answered an hour ago.
func (s *sim) work(ctx context.Context, ws string) error {
	st := inboxSettings(ws)
	for _, m := range working(st, s.now) {
		fresh, err := s.svc.Conversations(ctx, m, workflow.ConversationQuery{Workspace: ws, States: []workflow.ConversationState{workflow.ConvNew}})
		if err != nil {
			return err
		}
		for _, c := range fresh {
			if s.desk.scripted[c.ID] || c.Assignee != "" {
				continue
			}
			if _, err := s.svc.AssignConversation(ctx, m, c.ID, m); err != nil {
				return err
			}
		}
		mine, err := s.svc.Conversations(ctx, m, workflow.ConversationQuery{Workspace: ws, Assignee: m,
			States: []workflow.ConversationState{workflow.ConvAssigned, workflow.ConvReplied}})
		if err != nil {
			return err
		}
		capacity := 4
		for _, c := range mine {
			if s.desk.scripted[c.ID] {
				continue
			}
			switch {
			case c.State == workflow.ConvReplied:
				if last := lastSent(c); !last.IsZero() && s.now.Sub(last) >= time.Hour {
					if _, err := s.svc.SetConversationState(ctx, m, c.ID, workflow.ConvClosed); err != nil {
						return err
					}
				}
			case capacity > 0 && !c.Outbox() && !answered(c) && s.now.Sub(c.LastAt) >= readDelay(c.ID):
				capacity--
				if err := s.answer(ctx, m, c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// lastSent is when the last reply of c went out.
func lastSent(c workflow.Conversation) time.Time {
	var t time.Time
	for _, r := range c.Replies {
		if r.SentAt.After(t) {
			t = r.SentAt
		}
	}
	return t
}

// answered reports whether c's newest item already has a reply in the
// works (awaiting approval, queued or sent after it arrived).
func answered(c workflow.Conversation) bool {
	for _, r := range c.Replies {
		if r.State != workflow.ReplyRejected && r.State != workflow.ReplyFailed && !r.SubmittedAt.Before(c.LastAt) {
			return true
		}
	}
	return false
}

// readDelay is how long a member takes to get to a conversation: 5 to 40
// minutes, fixed by its ID.
func readDelay(id string) time.Duration {
	h := 0
	for _, b := range []byte(id) {
		h = h*31 + int(b)
	}
	return time.Duration(5+(h&0x7fffffff)%36) * time.Minute
}

// answer opens c (claiming it) and replies to its newest item: a saved
// reply by its mood and labels, or a few words for a direct message.
func (s *sim) answer(ctx context.Context, member string, c workflow.Conversation) error {
	v, err := s.svc.OpenConversation(ctx, member, c.ID)
	if err != nil {
		return err
	}
	var newest workflow.InboxItem
	for _, it := range v.Items {
		if it.ID == v.Conversation.LastItem {
			newest = it
		}
	}
	req := workflow.ReplyRequest{Conversation: c.ID}
	labels := newest.Class.Labels
	switch {
	case newest.Item.Kind == networks.ItemMessage:
		req.Text = "Thanks for your message, " + newest.Item.Author.Handle + "! We will sort it out for you today."
	case slices.Contains(labels, "complaint") || newest.Class.Sentiment == analytics.SentimentNegative:
		req.Saved = s.desk.saved["sorry"]
	case slices.Contains(labels, "question"):
		req.Saved = s.desk.saved["question"]
	default:
		req.Saved = s.desk.saved["thanks"]
	}
	return s.reply(ctx, member, c, req)
}

// reply writes a reply and books its approval when a policy routes it.
func (s *sim) reply(ctx context.Context, member string, c workflow.Conversation, req workflow.ReplyRequest) error {
	r, err := s.svcReply(ctx, member, req)
	if err != nil {
		return err
	}
	if r.State == workflow.ReplyAwaitingApproval {
		s.desk.approvals = append(s.desk.approvals, approvalDue{at: s.now.Add(time.Duration(15+s.desk.rng.IntN(30)) * time.Minute),
			conv: c.ID, reply: r.ID, channel: c.Channel, from: member})
	}
	return nil
}

// approveReplies has the approvers decide the replies awaiting them once
// they get to their notice: leo on Instagram (his scope in bakery), mia
// elsewhere.
func (s *sim) approveReplies(ctx context.Context) error {
	d := s.desk
	rest := d.approvals[:0]
	var due []approvalDue
	for _, a := range d.approvals {
		if a.at.After(s.now) {
			rest = append(rest, a)
		} else {
			due = append(due, a)
		}
	}
	d.approvals = rest
	for _, a := range due {
		ch, _ := s.team.Channel(a.channel)
		who := "mia"
		if s.team.Can("leo", team.PermApprove, team.Scope{Workspace: ch.WorkspaceID, Channel: a.channel}) {
			who = "leo"
		}
		r, err := s.svc.DecideReply(ctx, who, workflow.DecideReplyRequest{Conversation: a.conv, Reply: a.reply, Verdict: "approve"})
		if err != nil {
			return err
		}
		if a.conv == d.wave && d.scripted[a.conv] {
			s.note("%s approves %s's reply (a reply to a complaint needs a manager): %s for the poller", who, a.from, r.State)
			delete(d.scripted, a.conv)
		}
	}
	return nil
}

// watchDM tells the story of the reply whose answer the network loses.
func (s *sim) watchDM(ctx context.Context, rep workflow.DeliveryReport) error {
	d := s.desk
	if d.dm.conv == "" || rep.Sent+rep.Unconfirmed == 0 {
		return nil
	}
	c, err := s.svc.Conversation(ctx, "cam", d.dm.conv)
	if err != nil {
		return err
	}
	r := c.Conversation.Reply(d.dm.reply)
	switch r.State {
	case workflow.ReplyUnconfirmed:
		s.note("cam's reply to @ingrid: the network's answer was lost; the next step looks it up by its marker")
	case workflow.ReplySent:
		how := "goes out"
		if d.dmLost = s.nets[networks.Instagram].Faults()[fakenet.KindLostResponse] > 0; d.dmLost {
			how = "goes out, the network's answer is lost, its marker finds it"
		}
		s.note("cam's reply to @ingrid %s: %s, on the network %d time(s)", how, r.State, s.nets[networks.Instagram].Published(d.dm.marker))
		delete(d.scripted, d.dm.conv)
		d.dm.conv = ""
	}
	return nil
}

// scriptInbox books the week's scripted moments.
func (s *sim) scriptInbox() {
	d := s.desk
	arrive := func(a fakenet.Arrival) (networks.Incoming, string, error) {
		ch, _ := s.team.Channel(a.Account)
		in, err := s.nets[ch.Network].Arrive(a)
		if err != nil {
			return in, "", err
		}
		thread := in.Thread
		if thread == "" {
			thread = string(in.ID)
		}
		conv := workflow.ConversationID(ch.Network, ch.ID, thread)
		d.scripted[conv] = true
		return in, conv, nil
	}
	latest := func(channel string) networks.RemoteID {
		ch, _ := s.team.Channel(channel)
		posts := s.nets[ch.Network].Posts()
		for i := len(posts) - 1; i >= 0; i-- {
			if posts[i].AccountID == channel && posts[i].InReplyTo == "" && !posts[i].At.After(s.now) {
				return posts[i].ID
			}
		}
		return ""
	}

	// Monday: a direct message, answered by cam; the network's answer to
	// the reply is lost.
	var dm string
	s.at(time.Date(2026, 3, 9, 9, 15, 0, 0, time.UTC), "dm", func(ctx context.Context) error {
		_, conv, err := arrive(fakenet.Arrival{Account: "bakery-ig", Kind: networks.ItemMessage, From: "ingrid",
			Text: "Hi! Could I order a birthday cake for Saturday, for 12 people?", At: s.now.Add(-5 * time.Minute)})
		dm = conv
		return err
	})
	s.at(time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC), "dm reply", func(ctx context.Context) error {
		v, err := s.svc.OpenConversation(ctx, "cam", dm)
		if err != nil {
			return err
		}
		s.note("cam opens @ingrid's direct message to bakery-ig (assigned to %s by %s) and answers it", v.Conversation.Assignee, v.Conversation.AssignedBy)
		r, err := s.svcReply(ctx, "cam", workflow.ReplyRequest{Conversation: dm, Text: "Hi Ingrid, happy to! A cake for 12 will be ready on Saturday from 10:00."})
		if err != nil {
			return err
		}
		d.dm.conv, d.dm.reply, d.dm.marker = dm, r.ID, r.Marker
		s.nets[networks.Instagram].Script(fakenet.LostResponse().On(networks.OpReply))
		return nil
	})

	// Tuesday, at the change of shift: cam opens a question, kim opens it
	// too and is told who has it.
	var q string
	s.at(time.Date(2026, 3, 10, 14, 15, 0, 0, time.UTC), "question", func(ctx context.Context) error {
		_, conv, err := arrive(fakenet.Arrival{Account: "bakery-ig", Kind: networks.ItemMention, From: "henrik",
			Text: "@bakery do you still have the spring menu croissants today?", At: s.now.Add(-5 * time.Minute)})
		q = conv
		return err
	})
	s.at(time.Date(2026, 3, 10, 14, 45, 0, 0, time.UTC), "claim", func(ctx context.Context) error {
		v, err := s.svc.OpenConversation(ctx, "cam", q)
		if err == nil {
			s.note("cam, near the end of her shift, opens @henrik's question (assigned to %s by %s): claimed until %s", v.Conversation.Assignee, v.Conversation.AssignedBy,
				v.Conversation.Claim.Expires.Format("15:04Z"))
		}
		return err
	})
	s.at(time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC), "collision", func(ctx context.Context) error {
		_, err := s.svc.OpenConversation(ctx, "kim", q)
		var ce *workflow.ClaimedError
		if !errors.As(err, &ce) {
			return fmt.Errorf("kim opened a conversation cam holds: %v", err)
		}
		s.note("kim, starting her shift, opens it too: %v", err)
		c, err := s.svc.Conversation(ctx, "cam", q)
		if err != nil {
			return err
		}
		delete(d.scripted, q)
		return s.reply(ctx, "cam", c.Conversation, workflow.ReplyRequest{Conversation: q, Saved: d.saved["question"]})
	})

	// Thursday evening: a wave of complaints about the new flour on the
	// latest Instagram post, and one customer charged twice.
	wave := []struct{ from, text string }{
		{"ola", "the new sourdough tastes awful, what happened?"},
		{"kari", "terrible batch today, the loaf was burnt"},
		{"nils", "disappointed, the new flour is a ripoff"},
		{"sofie", "worst bread I've bought here, unacceptable"},
		{"emil", "awful taste, I want a refund"},
		{"nora", "so bad today, what did you change?"},
	}
	var post networks.RemoteID
	for i, w := range wave {
		s.at(time.Date(2026, 3, 12, 18, 0, 0, 0, time.UTC).Add(time.Duration(i)*7*time.Minute), "wave", func(ctx context.Context) error {
			if i == 0 {
				post = latest("bakery-ig")
				s.note("complaints about the new flour start arriving under %s on bakery-ig", s.postOf(ctx, post))
			}
			in, conv, err := arrive(fakenet.Arrival{Account: "bakery-ig", Kind: networks.ItemReply, From: w.from, To: post, Text: w.text, At: s.now})
			d.wave = conv
			if i == len(wave)-2 { // the one asking for a refund
				d.waveItem = workflow.InboxItemID(networks.Instagram, "bakery-ig", in.ID)
			}
			return err
		})
	}
	var refund string
	s.at(time.Date(2026, 3, 12, 18, 30, 0, 0, time.UTC), "refund", func(ctx context.Context) error {
		_, conv, err := arrive(fakenet.Arrival{Account: "bakery-ig", Kind: networks.ItemMention, From: "marte",
			Text: "@bakery I was charged twice for my order, I want a refund", At: s.now})
		refund = conv
		return err
	})
	s.at(time.Date(2026, 3, 12, 19, 15, 0, 0, time.UTC), "answer the wave", func(ctx context.Context) error {
		if _, err := s.svc.OpenConversation(ctx, "kim", d.wave); err != nil {
			return err
		}
		c, err := s.svc.Conversation(ctx, "kim", d.wave)
		if err != nil {
			return err
		}
		r, err := s.svcReply(ctx, "kim", workflow.ReplyRequest{Conversation: d.wave, Item: d.waveItem, Saved: d.saved["sorry"]})
		if err != nil {
			return err
		}
		d.approvals = append(d.approvals, approvalDue{at: s.now.Add(30 * time.Minute), conv: d.wave, reply: r.ID, channel: "bakery-ig", from: "kim"})
		s.note("kim answers @emil's refund request in the complaints thread (%d items) with the saved reply \"sorry\": %s", c.Conversation.Items, r.State)
		if _, err := s.svc.OpenConversation(ctx, "kim", refund); err != nil {
			return err
		}
		c, err = s.svc.Conversation(ctx, "kim", refund)
		if err != nil {
			return err
		}
		if err := s.reply(ctx, "kim", c.Conversation, workflow.ReplyRequest{Conversation: refund, Saved: d.saved["sorry"]}); err != nil {
			return err
		}
		h, err := s.svc.HandOff(ctx, "kim", workflow.HandOffRequest{Conversation: refund, Team: "customer-service", Note: "charged twice for one order: please check the payment and refund"})
		if err != nil {
			return err
		}
		s.note("kim hands @marte's double charge to customer-service (tor is told, with the text, link and note): %s", h.State)
		return nil
	})
	// Friday morning: mia resumes the bakery's publishing.
	s.at(time.Date(2026, 3, 13, 7, 0, 0, 0, time.UTC), "resume", func(ctx context.Context) error {
		ps, err := s.svc.Posts(ctx, "mia", "bakery")
		if err != nil {
			return err
		}
		var held []string
		for _, p := range ps {
			for _, t := range p.Targets {
				if t.State == workflow.TargetScheduled && t.At.Before(s.now) {
					held = append(held, fmt.Sprintf("%s on %s (due %s)", p.ID, t.Channel, t.At.In(s.zones[t.Channel]).Format("Mon 15:04")))
				}
			}
		}
		if err := s.svc.PauseWorkspace(ctx, "mia", "bakery", false, "complaints answered"); err != nil {
			return err
		}
		s.note("mia resumes the bakery's publishing; held by the pause, now going out: %s", strings.Join(held, ", "))
		return nil
	})
}

// postOf names the month's post published as remote id.
func (s *sim) postOf(ctx context.Context, id networks.RemoteID) string {
	for _, ws := range []string{"bakery", "cycles"} {
		ps, err := s.svc.Posts(ctx, "mia", ws)
		if err != nil {
			continue
		}
		for _, p := range ps {
			for _, t := range p.Targets {
				if t.Outcome.RemoteID == string(id) {
					return p.ID
				}
			}
		}
	}
	return string(id)
}

// svcReply is Service.Reply with the reply's ID from the reply series.
func (s *sim) svcReply(ctx context.Context, member string, req workflow.ReplyRequest) (workflow.InboxReply, error) {
	s.replying = true
	defer func() { s.replying = false }()
	return s.svc.Reply(ctx, member, req)
}

// inboxReport prints the week's inbox measures (Service.InboxReport, per
// workspace, as the week closed) and returns them for inbox.json.
func (s *sim) inboxReport(ctx context.Context, w io.Writer) (map[string]analytics.InboxReport, error) {
	d := s.desk
	fmt.Fprintf(w, "\ncommunity inbox, 9-15 March (polled every %s by %s; measured as the week closed, %s):\n", dur(pollEvery), pollHolder, inboxEnd.Format("Mon 02 Jan 15:04Z"))
	fmt.Fprintln(w, "  rota (Europe/Oslo): cam weekdays 08-16, kim weekdays 16-22 and weekends 10-18; cam away on Friday 13 (kim covers)")
	fmt.Fprintf(w, "  %d polls: %d items stored once, %d listed again by the network, %d refused; %d conversations routed by the rules, %d marked spam, %d arrivals with nobody on duty\n",
		d.polls, d.ingest.Stored, d.ingest.Duplicates, len(d.ingest.Refused), d.ingest.Assigned, d.ingest.Spam, d.ingest.Unassigned)
	twice := 0
	for _, n := range s.nets {
		twice += len(n.Duplicates())
	}
	lost := ""
	if d.dmLost {
		lost = " (the one whose answer the network lost was found by its marker)"
	}
	fmt.Fprintf(w, "  replies: %d sent, %d published twice%s\n", d.delivery.Sent, twice, lost)
	out := map[string]analytics.InboxReport{}
	var breaches []analytics.Breach
	for _, ws := range []string{"bakery", "cycles"} {
		rep, err := s.svc.InboxReport(ctx, "mia", ws, analyticsOptions())
		if err != nil {
			return nil, err
		}
		out[ws] = rep
		items := 0
		for _, v := range rep.Volume {
			items += v.Items
		}
		a := rep.All
		fmt.Fprintf(w, "  %s: %d conversations, %d items; first response %s, resolution %s\n", ws, a.Conversations, items, medP90(a.FirstMedian, a.FirstP90), medP90(a.ResolveMedian, a.ResolveP90))
		for _, rt := range rep.ByChannel {
			target := time.Duration(0)
			for _, sl := range slas {
				if sl.Channel == rt.Key {
					target = sl.FirstResponse
				}
			}
			fmt.Fprintf(w, "    %-12s first response %-16s answered %2d of %2d  SLA %s: %d breach(es)\n", rt.Key, medP90(rt.FirstMedian, rt.FirstP90), rt.Answered, rt.Conversations, dur(target), rt.Breaches)
		}
		for i, rt := range rep.ByMember {
			wl := rep.Workload[i]
			fmt.Fprintf(w, "    %-12s first response %-16s answered %2d, resolved %2d, open %d, %d items\n", rt.Key, medP90(rt.FirstMedian, rt.FirstP90), wl.Answered, wl.Resolved, wl.Open, wl.Items)
		}
		var vol []string
		for i, v := range rep.Volume {
			if i == 0 || rep.Volume[i-1].Network != v.Network {
				vol = append(vol, v.Network+":")
			}
			vol[len(vol)-1] += fmt.Sprintf(" %s %d", v.State, v.Conversations)
		}
		fmt.Fprintf(w, "    conversations by state: %s\n", strings.Join(vol, "; "))
		breaches = append(breaches, rep.Breaches...)
	}
	open := 0
	for _, b := range breaches {
		if b.Open {
			open++
		}
	}
	slices.SortStableFunc(breaches, func(a, b analytics.Breach) int { return cmp.Compare(b.Took, a.Took) })
	fmt.Fprintf(w, "  SLA breaches: %d (%d still waiting)", len(breaches), open)
	if len(breaches) > 0 {
		b := breaches[0]
		state := "took"
		if b.Open {
			state = "still waiting"
		}
		who := "unassigned"
		if b.Member != "" {
			who = "assigned to " + b.Member
		}
		fmt.Fprintf(w, "; the longest: %s on %s, %s %s against %s (%s)", strings.ReplaceAll(string(b.Kind), "_", " "), b.Channel, state, dur(b.Took), dur(b.Target), who)
	}
	fmt.Fprintln(w)
	return out, nil
}

// medP90 prints a median and a 90th percentile.
func medP90(med, p90 analytics.Duration) string {
	if !med.OK {
		return "none"
	}
	return dur(med.D) + " / " + dur(p90.D)
}

// dur prints a duration in minutes, hours and days.
func dur(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// analyticsOptions are the options the report measures the week with.
func analyticsOptions() analytics.InboxOptions {
	return analytics.InboxOptions{Now: inboxEnd, SLAs: slas}
}
