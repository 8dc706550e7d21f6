package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// dayStart is the morning of the day played: Tuesday 31 March 2026, two
// days after Europe/Oslo went to summer time (UTC+2), 07:30 in Oslo.
var dayStart = time.Date(2026, 3, 31, 5, 30, 0, 0, time.UTC)

// dayEnd is when the day closes (20:00 in Oslo).
var dayEnd = time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC)

// pollEvery is the poller's cadence in the simulated day.
const pollEvery = 5 * time.Minute

// dayResult is what a test checks beyond the printed lines.
type dayResult struct {
	nets        map[string]*fakenet.Net
	svc         *workflow.Service
	post        map[string]networks.RemoteID // the morning post per channel
	question    networks.Incoming
	complaint   networks.Incoming
	complaintRe workflow.InboxReply
	stored      int // items stored by every poll
	duplicates  int // items listed again
	report      analytics.InboxReport
}

// sim is the day on fakenet in simulated time.
type sim struct {
	*host
	w    io.Writer
	nets map[string]*fakenet.Net // by channel
	res  *dayResult
}

// runDay plays the community manager's day against fakenet: scripted items
// and seeded random traffic, every step in simulated time.
func runDay(ctx context.Context, w io.Writer, seed uint64) (*dayResult, error) {
	clk := &clock{t: dayStart}
	tm, err := buildTeam(clk.Now(), networks.Mastodon)
	if err != nil {
		return nil, err
	}
	// Two fake networks with the real networks' specs. Random traffic:
	// about one item an hour per account, listed late (up to 3 minutes),
	// out of order and sometimes twice, as real networks do.
	// Random items are mentions and direct messages, so the post's thread
	// holds only the scripted replies.
	traffic := &fakenet.Traffic{PerHour: 1, Delay: 3 * time.Minute, Disorder: 0.3, Duplicates: 0.3,
		Kinds: map[networks.ItemKind]int{networks.ItemMention: 3, networks.ItemMessage: 2}}
	conns := &workflow.Connections{}
	nets := map[string]*fakenet.Net{}
	var specs []networks.Spec
	for _, c := range []struct {
		channel string
		spec    networks.Spec
	}{{chMasto, networks.MastodonSpec(networks.MastodonConfiguration{})}, {chBsky, networks.BlueskySpec()}} {
		net := fakenet.New(fakenet.Options{Spec: c.spec, Clock: clk, Seed: seed, Traffic: traffic})
		pub, err := networks.NewPublisher(net.Adapter(), networks.WithClock(clk), networks.WithRateLimits(networks.RateLimits{}),
			networks.WithBackOff(time.Millisecond, 5*time.Millisecond), networks.WithMaxElapsedTime(time.Second))
		if err != nil {
			return nil, err
		}
		conns.SetPublisher(c.spec.Network, pub)
		_, tok := net.Connect(c.channel)
		conns.SetAccount(c.channel, net.ConnectToken(c.channel, tok))
		nets[c.channel] = net
		specs = append(specs, c.spec)
	}
	h, err := newHost(ctx, tm, conns, specs, clk)
	if err != nil {
		return nil, err
	}
	s := &sim{host: h, w: w, nets: nets, res: &dayResult{nets: nets, svc: h.svc}}
	fmt.Fprintln(w, "socialflow community inbox: one day of the Bakery's community team")
	fmt.Fprintln(w, "(Tuesday 31 March 2026, times in Europe/Oslo; fakenet with Mastodon's and Bluesky's specs)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "team: mia owner, max manager (approves replies to complaints), cam and dee community,")
	fmt.Fprintln(w, "      kim community on bakery-bsky only, ola customer service")
	fmt.Fprintln(w, "rota: cam 08:00-18:00, kim 10:00-16:00; dee covers cam's turns from 13:00")
	fmt.Fprintln(w)
	if err := h.configure(ctx); err != nil {
		return nil, err
	}
	if s.res.post, err = h.publish(ctx, "Easter opening hours are up: see you at the counter! 🐣"); err != nil {
		return nil, err
	}
	s.say("mia publishes the morning post on %s and %s", chMasto, chBsky)
	if err := s.play(ctx); err != nil {
		return nil, err
	}
	return s.res, s.close(ctx)
}

// say prints a line of the day at the simulated time.
func (s *sim) say(format string, args ...any) {
	fmt.Fprintf(s.w, "%s  %s\n", s.local(s.clock.Now()), fmt.Sprintf(format, args...))
}

// arrive scripts an item on a channel's network.
func (s *sim) arrive(channel string, kind networks.ItemKind, from string, to networks.RemoteID, text string) (networks.Incoming, error) {
	return s.nets[channel].Arrive(fakenet.Arrival{Account: channel, Kind: kind, From: from, To: to, Text: text})
}

// event is one scripted moment of the day.
type event struct {
	at time.Time
	do func(ctx context.Context) error
}

// oslo is h:m in Oslo on the day.
func oslo(h, m int) time.Time { return time.Date(2026, 3, 31, h-2, m, 0, 0, time.UTC) }

// play runs the day minute by minute: the scripted events of the minute,
// then, every five minutes, a poller step (ingest, assign, deliver).
func (s *sim) play(ctx context.Context) error {
	events := s.script()
	next := 0
	for t := oslo(7, 50); !t.After(dayEnd); t = t.Add(time.Minute) {
		s.clock.set(t)
		for next < len(events) && !events[next].at.After(t) {
			if err := events[next].do(ctx); err != nil {
				return err
			}
			next++
		}
		if t.Sub(oslo(0, 0))%pollEvery == 0 {
			if err := s.poll(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// poll is one poller step; it prints what it did when it did something.
func (s *sim) poll(ctx context.Context) error {
	r, err := s.poller.RunOnce(ctx, s.clock.Now())
	if err != nil {
		return err
	}
	if len(r.Errors) > 0 {
		return errors.Join(r.Errors...)
	}
	s.res.stored += r.Ingest.Stored
	s.res.duplicates += r.Ingest.Duplicates
	in, d := r.Ingest, r.Delivery
	if in.Stored+d.Sent+d.Unconfirmed+d.Failed+d.Retry == 0 {
		return nil
	}
	line := fmt.Sprintf("poll: %d new, %d listed again; assigned %d, unassigned %d, spam %d; replies sent %d",
		in.Stored, in.Duplicates, in.Assigned, in.Unassigned, in.Spam, d.Sent)
	if d.Unconfirmed+d.Failed+d.Retry > 0 {
		line += fmt.Sprintf(", unconfirmed %d, failed %d, retry %d", d.Unconfirmed, d.Failed, d.Retry)
	}
	s.say("%s", line)
	for _, n := range s.notices.Notices(workflow.NoticeInboxSurge) {
		if n.At.Equal(s.clock.Now()) {
			s.say("  ALERT %s", noticeLine(n))
		}
	}
	return nil
}

// script is the day's scripted moments, in order.
func (s *sim) script() []event {
	var question, complaint, charged networks.Incoming
	var questionConv, complaintConv workflow.Conversation
	var hostile []networks.Incoming
	return []event{
		{oslo(9, 3), func(ctx context.Context) (err error) {
			question, err = s.arrive(chMasto, networks.ItemMention, "nora", "", "@bakery are you open on Easter Monday?")
			s.res.question = question
			s.say("@nora asks on %s: %s", chMasto, clip(question.Text, 60))
			return err
		}},
		{oslo(9, 11), func(ctx context.Context) error {
			// The host's webhook delivers the question once more: stored once.
			r, err := s.svc.IngestIncoming(ctx, "webhook", chMasto, []networks.Incoming{question})
			if err != nil {
				return err
			}
			s.say("the webhook delivers @nora's question again: %d new, %d listed again", r.Stored, r.Duplicates)
			if questionConv, err = s.conversation(ctx, "cam", networks.Mastodon, chMasto, question); err != nil {
				return err
			}
			s.say("  its conversation %s: %s to %s by %s", questionConv.ID, questionConv.State, questionConv.Assignee, questionConv.AssignedBy)
			return nil
		}},
		{oslo(9, 12), func(ctx context.Context) error {
			if _, err := s.svc.OpenConversation(ctx, "cam", questionConv.ID); err != nil {
				return err
			}
			s.say("cam opens it (claimed for 15 minutes)")
			return nil
		}},
		{oslo(9, 13), func(ctx context.Context) error {
			_, err := s.svc.OpenConversation(ctx, "dee", questionConv.ID)
			var ce *workflow.ClaimedError
			if !errors.As(err, &ce) {
				return fmt.Errorf("dee opening cam's conversation: want a *workflow.ClaimedError, got %v", err)
			}
			s.say("dee opens it meanwhile: refused, %s holds it since %s", ce.Holder, s.local(ce.Since))
			s.say("  %v", err)
			_, err = s.svc.OpenConversation(ctx, "kim", questionConv.ID)
			var fe *team.ForbiddenError
			if !errors.As(err, &fe) {
				return fmt.Errorf("kim opening a Mastodon conversation: want a *team.ForbiddenError, got %v", err)
			}
			s.say("kim tries too: %v", err)
			return nil
		}},
		{oslo(9, 16), func(ctx context.Context) error {
			r, err := s.svc.Reply(ctx, "cam", workflow.ReplyRequest{Conversation: questionConv.ID, Saved: s.saved["opening-hours"],
				Values: map[string]string{"hours": "10:00-16:00 on Easter Monday"}})
			if err != nil {
				return err
			}
			s.say("cam answers from the saved reply: %s (%s)", clip(r.Text, 90), r.State)
			return nil
		}},
		{oslo(9, 41), func(ctx context.Context) (err error) {
			complaint, err = s.arrive(chMasto, networks.ItemReply, "omar", s.res.post[chMasto], "My order never arrived and nobody answers the phone. I want a refund!")
			s.res.complaint = complaint
			s.say("@omar replies to the post: %s", clip(complaint.Text, 70))
			return err
		}},
		{oslo(9, 46), func(ctx context.Context) error {
			c, err := s.conversation(ctx, "cam", networks.Mastodon, chMasto, complaint)
			if err != nil {
				return err
			}
			complaintConv = c
			s.say("  its conversation: %s to %s by %s, mood %s, labels %v", c.State, c.Assignee, c.AssignedBy, c.Mood, c.Labels)
			if _, err := s.svc.OpenConversation(ctx, "cam", c.ID); err != nil {
				return err
			}
			r, err := s.svc.Reply(ctx, "cam", workflow.ReplyRequest{Conversation: c.ID, Item: workflow.InboxItemID(networks.Mastodon, chMasto, complaint.ID),
				Text: "So sorry, Omar! We are checking your order now and will refund you today."})
			if err != nil {
				return err
			}
			s.res.complaintRe = r
			s.say("cam opens it and answers: %s (policy %s)", r.State, r.Policy.Name)
			for _, n := range s.notices.Notices(workflow.NoticeReplyApproval) {
				s.say("  notice %s", noticeLine(n))
			}
			return nil
		}},
		{oslo(10, 30), func(ctx context.Context) error {
			r, err := s.svc.DecideReply(ctx, "max", workflow.DecideReplyRequest{Conversation: complaintConv.ID,
				Reply: s.res.complaintRe.ID, Verdict: approval.Approve})
			if err != nil {
				return err
			}
			s.say("max approves the reply: %s", r.State)
			// The network takes the reply and its answer is lost on the way back.
			s.nets[chMasto].Script(fakenet.LostResponse().On(networks.OpReply))
			s.say("  (the network will lose its answer to the next reply)")
			return nil
		}},
		{oslo(10, 31), func(ctx context.Context) error {
			v, err := s.svc.Conversation(ctx, "cam", complaintConv.ID)
			if err != nil {
				return err
			}
			r := v.Conversation.Reply(s.res.complaintRe.ID)
			net := s.nets[chMasto]
			s.say("the complaint's reply: %s after %d attempt(s), lost answers %d, on the network %d time(s) under @omar's item",
				r.State, r.Attempts, net.Faults()[fakenet.KindLostResponse], len(net.Replies(complaint.ID)))
			s.res.complaintRe = *r
			return nil
		}},
		{oslo(10, 52), func(ctx context.Context) error {
			spam, err := s.arrive(chBsky, networks.ItemMention, "growfast", "", "free followers!! click here for a crypto giveaway")
			s.say("@growfast on %s: %s", chBsky, clip(spam.Text, 60))
			return err
		}},
		{oslo(11, 20), func(ctx context.Context) error {
			for _, text := range fakenet.HostileTexts {
				it, err := s.arrive(chBsky, networks.ItemMessage, "mallory", "", text)
				if err != nil {
					return err
				}
				hostile = append(hostile, it)
			}
			s.say("@mallory sends %d hostile messages on %s (100 KB, invalid UTF-8, markup and script, control characters)", len(hostile), chBsky)
			return nil
		}},
		{oslo(11, 26), func(ctx context.Context) error {
			v, err := s.svc.Conversation(ctx, "kim", workflow.ConversationID(networks.Bluesky, chBsky, hostile[0].Thread))
			if err != nil {
				return err
			}
			s.say("kim reads @mallory's conversation (%s to %s): %d items", v.Conversation.State, v.Conversation.Assignee, len(v.Items))
			for _, it := range v.Items {
				given := it.TextBytes // set when the text was cut or repaired
				if given == 0 {
					given = len(it.Item.Text)
				}
				s.say("  the network gave %d bytes, stored %d (truncated %t): %s", given, len(it.Item.Text), it.Truncated, clip(it.Item.Text, 48))
			}
			if _, err := s.svc.SetConversationState(ctx, "kim", v.Conversation.ID, workflow.ConvSpam); err != nil {
				return err
			}
			s.say("kim marks it as spam")
			return nil
		}},
		{oslo(11, 45), func(ctx context.Context) error { return s.round(ctx, "cam", "kim") }},
		{oslo(13, 34), func(ctx context.Context) (err error) {
			charged, err = s.arrive(chMasto, networks.ItemMention, "per", "", "@bakery you charged me twice for one cake. Unacceptable, I need customer service")
			s.say("@per on %s: %s", chMasto, clip(charged.Text, 70))
			return err
		}},
		{oslo(13, 42), func(ctx context.Context) error {
			c, err := s.conversation(ctx, "dee", networks.Mastodon, chMasto, charged)
			if err != nil {
				return err
			}
			s.say("  its conversation: %s to %s by %s (dee covers cam's turns), labels %v", c.State, c.Assignee, c.AssignedBy, c.Labels)
			if _, err := s.svc.OpenConversation(ctx, "dee", c.ID); err != nil {
				return err
			}
			if _, err := s.svc.HandOff(ctx, "dee", workflow.HandOffRequest{Conversation: c.ID, Team: "customer-service", Note: "double charge, card payment at the counter"}); err != nil {
				return err
			}
			for _, n := range s.notices.Notices(workflow.NoticeInboxHandOff) {
				s.say("dee hands it off: notice %s", noticeLine(n))
				s.say("  author %s, items %s, mood %s, labels %s, note %q", n.Data["author"], n.Data["items"], n.Data["mood"], n.Data["labels"], n.Data["note"])
			}
			return nil
		}},
		{oslo(14, 30), func(ctx context.Context) error { return s.round(ctx, "dee", "kim") }},
		{oslo(15, 2), func(ctx context.Context) error {
			texts := []string{
				"the new rye bread is terrible", "awful queue today, so slow", "worst croissant I ever had",
				"so disappointed with my birthday cake", "rude staff and a horrible wait",
			}
			for i, text := range texts {
				ch := chMasto
				if i%2 == 1 {
					ch = chBsky
				}
				if _, err := s.arrive(ch, networks.ItemMention, fmt.Sprintf("guest%d", i+1), "", text); err != nil {
					return err
				}
			}
			s.say("%d negative items arrive on both channels within minutes", len(texts))
			return nil
		}},
		{oslo(15, 45), func(ctx context.Context) error { return s.round(ctx, "dee", "kim") }},
		{oslo(17, 30), func(ctx context.Context) error { return s.round(ctx, "cam") }},
		{oslo(17, 50), func(ctx context.Context) error {
			cs, err := s.svc.Conversations(ctx, "cam", workflow.ConversationQuery{Workspace: workspace, States: []workflow.ConversationState{workflow.ConvReplied}})
			if err != nil {
				return err
			}
			for _, c := range cs {
				if _, err := s.svc.SetConversationState(ctx, "cam", c.ID, workflow.ConvClosed); err != nil {
					return err
				}
			}
			s.say("cam closes the day's %d answered conversations before leaving", len(cs))
			return nil
		}},
	}
}

// round is members working their queues: each opens the conversations
// assigned to them and answers with the saved "thanks" reply; replies that
// need approval wait for max, who approves them in the same round.
func (s *sim) round(ctx context.Context, members ...string) error {
	for _, m := range members {
		cs, err := s.svc.Conversations(ctx, m, workflow.ConversationQuery{Workspace: workspace, Assignee: m, States: []workflow.ConversationState{workflow.ConvAssigned}})
		if err != nil {
			return err
		}
		queued, awaiting := 0, 0
		for _, c := range cs {
			if _, err := s.svc.OpenConversation(ctx, m, c.ID); err != nil {
				return err
			}
			r, err := s.svc.Reply(ctx, m, workflow.ReplyRequest{Conversation: c.ID, Saved: s.saved["thanks"]})
			if err != nil {
				return err
			}
			if r.State == workflow.ReplyAwaitingApproval {
				awaiting++
				if _, err := s.svc.DecideReply(ctx, "max", workflow.DecideReplyRequest{Conversation: c.ID, Reply: r.ID, Verdict: approval.Approve}); err != nil {
					return err
				}
				continue
			}
			queued++
		}
		s.say("%s works the queue: %d conversation(s) answered from the saved reply, %d approved by max first", m, queued+awaiting, awaiting)
	}
	return nil
}

// close ends the day: what is still unassigned, the notices, the report.
func (s *sim) close(ctx context.Context) error {
	s.clock.set(dayEnd)
	w := s.w
	fmt.Fprintln(w)
	all, err := s.svc.Conversations(ctx, "mia", workflow.ConversationQuery{Workspace: workspace})
	if err != nil {
		return err
	}
	states := map[workflow.ConversationState]int{}
	for _, c := range all {
		states[c.State]++
	}
	fmt.Fprintf(w, "end of the day: %d items stored once each (%d listed again), %d conversations:", s.res.stored, s.res.duplicates, len(all))
	for _, st := range workflow.ConversationStates() {
		if states[st] > 0 {
			fmt.Fprintf(w, " %s %d", st, states[st])
		}
	}
	fmt.Fprintln(w)
	dupReplies := 0
	for _, net := range s.nets {
		for _, n := range net.Duplicates() {
			dupReplies += n - 1
		}
	}
	fmt.Fprintf(w, "replies published twice: %d\n", dupReplies)
	counts := map[workflow.NoticeKind]int{}
	for _, n := range s.notices.Notices() {
		counts[n.Kind]++
	}
	fmt.Fprintf(w, "notices: assigned %d, reply approval %d, hand-off %d, surge %d, reply failed %d\n",
		counts[workflow.NoticeInboxAssigned], counts[workflow.NoticeReplyApproval], counts[workflow.NoticeInboxHandOff],
		counts[workflow.NoticeInboxSurge], counts[workflow.NoticeReplyFailed])
	fmt.Fprintln(w)
	rep, err := s.svc.InboxReport(ctx, "max", workspace, analytics.InboxOptions{SLAs: []analytics.SLA{
		{Channel: chMasto, FirstResponse: time.Hour, Resolution: 8 * time.Hour},
		{Channel: chBsky, FirstResponse: 2 * time.Hour},
	}})
	if err != nil {
		return err
	}
	s.res.report = rep
	fmt.Fprintf(w, "inbox report at 20:00 (SLA: %s first response 1h, resolution 8h; %s first response 2h)\n", chMasto, chBsky)
	printReport(w, rep)
	return nil
}
