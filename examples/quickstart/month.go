package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// The month simulated: March 2026, which has both DST changes that matter
// here (New York on 8 March, Oslo on 29 March).
var (
	monthStart = time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	monthEnd   = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
)

// routing is the agency's approval routing table: community replies need
// nothing, sponsored posts go through brand, legal and the client, every
// other post needs one approval from the brand's approvers.
const routing = `{
  "policies": {
    "community": {"name": "community", "kind": "none"},
    "reply-manager": {"name": "reply-manager", "kind": "required", "stages": [{"approvers": {"members": ["leo", "mia"]}}]},
    "brand-bakery": {"name": "brand-bakery", "kind": "required", "stages": [{"approvers": {"members": ["leo", "mia"]}}]},
    "brand-cycles": {"name": "brand-cycles", "kind": "required", "stages": [{"approvers": {"members": ["leo"]}}]},
    "sponsored": {"name": "sponsored", "kind": "multi_level", "stages": [
      {"name": "brand", "approvers": {"members": ["leo", "mia"]}, "deadline": {"within": "24h", "reminders": [50, 90]}},
      {"name": "legal", "approvers": {"members": ["lee"]}, "deadline": {"within": "48h", "on_expiry": "escalate", "escalate_to": {"members": ["mia"]}}},
      {"name": "client", "approvers": {"members": ["ann"]}}
    ]}
  },
  "rules": [
    {"name": "replies to complaints need a manager", "when": {"kinds": ["reply"], "labels": ["complaint"]}, "policy": "reply-manager"},
    {"name": "other replies go straight out", "when": {"kinds": ["reply"]}, "policy": "community"},
    {"name": "community replies need no approval", "when": {"labels": ["community"]}, "policy": "community"},
    {"name": "sponsored content goes to legal and the client", "when": {"labels": ["sponsored"]}, "policy": "sponsored"},
    {"name": "cycles brand posts", "when": {"workspaces": ["cycles"]}, "policy": "brand-cycles"}
  ],
  "default": "brand-bakery"
}`

// sim is the simulated agency: the SDK's parts on embedded defaults, a
// simulated clock and fake networks.
type sim struct {
	now     time.Time
	rng     *rand.Rand
	team    *team.Team
	svc     *workflow.Service
	disp    *workflow.Dispatcher
	planner *workflow.Planner
	lib     *assets.Library
	nets    map[string]*fakenet.Net
	inbox   *workflow.Inbox           // the notices sent
	desk    *desk                     // the community inbox's week
	zones   map[string]*time.Location // channel → zone
	images  map[string]string         // name → asset ID
	actions []action
	story   []string
	// replying is set while the Service writes an inbox reply, which
	// takes its ID from the reply series (see the Config's IDs).
	replying bool
	replies  int
}

// action is something a person does at a time.
type action struct {
	at   time.Time
	seq  int
	what string
	do   func(ctx context.Context) error
}

func (s *sim) Now() time.Time { return s.now }

func (s *sim) at(t time.Time, what string, do func(ctx context.Context) error) {
	s.actions = append(s.actions, action{at: t, seq: len(s.actions), what: what, do: do})
}

func (s *sim) note(format string, args ...any) {
	s.story = append(s.story, fmt.Sprintf("%s  %s", s.now.Format("Jan 02 15:04Z"), fmt.Sprintf(format, args...)))
}

// newSim wires the SDK over st (memstore or pgstore, see openStore): the
// asset library, the planner, the routing table, a link signer for clients,
// fake networks with the real networks' specs, and the dispatcher.
func newSim(tm *team.Team, seed uint64, st stores) (*sim, error) {
	s := &sim{now: monthStart, rng: rand.New(rand.NewPCG(seed, seed^0x5bd1e995)), team: tm,
		inbox: &workflow.Inbox{}, zones: map[string]*time.Location{}, images: map[string]string{}, nets: map[string]*fakenet.Net{}}
	for _, ws := range []string{"bakery", "cycles"} {
		for _, c := range tm.Channels(ws) {
			loc, err := time.LoadLocation(c.Zone)
			if err != nil {
				return nil, err
			}
			s.zones[c.ID] = loc
		}
	}
	na := 0
	lib, err := assets.NewLibrary(st.assets, memblob.New(),
		assets.WithIDGenerator(func() string { na++; return fmt.Sprintf("img%d", na) }))
	if err != nil {
		return nil, err
	}
	s.lib = lib
	specs, err := networks.NewRegistry(networks.DefaultSpecs()...)
	if err != nil {
		return nil, err
	}
	router, err := approval.ParseRouter([]byte(routing))
	if err != nil {
		return nil, err
	}
	signer, err := approval.NewSigner(approval.Key{ID: "2026-03", Secret: []byte("quickstart demo key, 32 bytes ok")})
	if err != nil {
		return nil, err
	}
	// Fake networks with the real specs. The simulation runs a month in a
	// second, so the Publisher's real-time rate limiter is off; fakenet
	// enforces each spec's limits in simulated time and counts violations.
	conns := &workflow.Connections{}
	for _, spec := range []networks.Spec{networks.InstagramSpec(), networks.LinkedInSpec(), networks.XSpec(), networks.BlueskySpec()} {
		// The inbox's items are scripted and drawn by the desk (see
		// inbox.go); Traffic without a rate adds no items of its own but
		// makes the listings misbehave as real ones do: pages out of
		// order, an item listed again.
		net := fakenet.New(fakenet.Options{Spec: spec, Now: s.Now, Metrics: s.audience, Seed: seed,
			Traffic: &fakenet.Traffic{Disorder: 0.2, Duplicates: 0.01}})
		s.nets[spec.Network] = net
		pub, err := networks.NewPublisher(net.Adapter(), networks.WithRateLimits(networks.RateLimits{}),
			networks.WithBackOff(time.Millisecond, 5*time.Millisecond), networks.WithMaxElapsedTime(time.Second))
		if err != nil {
			return nil, err
		}
		conns.SetPublisher(spec.Network, pub)
	}
	for ch := range s.zones {
		c, _ := tm.Channel(ch)
		acct, tok := s.nets[c.Network].Connect(ch)
		acct.Tokens = oauth2.StaticTokenSource(tok)
		conns.SetAccount(ch, acct)
	}
	// One constructor wires the Service and the Dispatcher over one store,
	// the asset library once (rights check, validator media, dispatcher
	// media), and checks every channel can publish.
	s.planner = workflow.NewPlanner(nil)
	n := 0
	s.svc, s.disp, err = workflow.New(context.Background(), workflow.Config{
		Team: tm, Store: st.workflow, Connector: conns, Specs: specs, Library: lib,
		Router: router, Signer: signer, Notifier: s.inbox, Planner: s.planner, Clock: s,
		AuditKey: []byte("quickstart audit key"),
		// Posts are p01, p02, ...; the inbox's replies (the one other
		// thing the Service names here) r001, r002, ... (see sim.reply).
		IDs: func() string {
			if s.replying {
				s.replies++
				return fmt.Sprintf("r%03d", s.replies)
			}
			n++
			return fmt.Sprintf("p%02d", n)
		},
		Dispatcher: []workflow.DispatcherOption{workflow.WithConcurrency(1), workflow.WithHolder(dispatcherHolder),
			workflow.WithLeaseTTL(10 * time.Minute)},
	})
	if err != nil {
		return nil, err
	}
	// From here on the team is the Service's (kept in its store): read it
	// through the Service, change it through the Service's team actions.
	s.team = s.svc.Team()
	if s.desk, err = newDesk(s.svc, conns, seed); err != nil {
		return nil, err
	}
	return s, nil
}

// audience is the fake networks' metrics model: impressions grow over two
// days, scaled by how active the channel's audience is at the local hour the
// post went out (mornings, lunch and evenings; quieter weekends).
func (s *sim) audience(p fakenet.Post, at time.Time) analytics.Snapshot {
	loc := s.zones[p.AccountID]
	if loc == nil {
		loc = time.UTC
	}
	return audienceModel(string(p.ID), p.At.In(loc), at.Sub(p.At))
}

func activity(local time.Time) float64 {
	h := float64(local.Hour()) + float64(local.Minute())/60
	bump := func(center, width, height float64) float64 {
		return height * math.Exp(-(h-center)*(h-center)/(2*width*width))
	}
	a := 0.15 + bump(8, 1, 0.6) + bump(12.5, 1, 0.9) + bump(19.5, 1.5, 1.2)
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		a *= 0.7
	}
	return a
}

func audienceModel(id string, local time.Time, age time.Duration) analytics.Snapshot {
	var snap analytics.Snapshot
	h := fnv.New32a()
	h.Write([]byte(id))
	base := 200 + float64(h.Sum32()%300)
	hours := min(max(age.Hours(), 0), 48)
	imp := int64(base * activity(local) * (1 - math.Exp(-hours/8)) * 10)
	eng := 0.02 + 0.03*activity(local)
	snap.Counters.Set(analytics.Impressions, imp)
	snap.Counters.Set(analytics.Reach, imp*7/10)
	snap.Counters.Set(analytics.Likes, int64(float64(imp)*eng))
	snap.Counters.Set(analytics.Comments, imp/180)
	snap.Counters.Set(analytics.Shares, imp/120)
	snap.Counters.Set(analytics.Clicks, imp/60)
	snap.Counters.Set(analytics.Followers, 5000)
	return snap
}

// picture returns a JPEG (or PNG) of a flat colour.
func picture(w, h int, c color.RGBA, asPNG bool) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if asPNG {
		_ = png.Encode(&b, img)
	} else {
		_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 60})
	}
	return b.Bytes()
}

// setup: guidelines, posting slots and rules, and the designer's uploads.
func (s *sim) setup(ctx context.Context) error {
	err := s.svc.SetGuidelines(ctx, "mia", "bakery", workflow.Guidelines{
		BannedWords: []string{"cheap"}, DisclosureLabels: []string{"sponsored"}, DisclosureTags: []string{"#ad"}, MaxHashtags: 5,
	})
	if err != nil {
		return err
	}
	slots := map[string]calendar.Schedule{
		"bakery-ig":   {Days: weekdays, Times: []string{"08:00", "12:30", "19:30"}},
		"bakery-li":   {Days: weekdays, Times: []string{"08:30", "12:00"}},
		"cycles-x":    {Times: []string{"07:30", "12:30", "18:00"}},
		"cycles-bsky": {Times: []string{"08:00", "19:00"}},
	}
	for _, ch := range sortedKeys(slots) {
		if err := s.svc.SetPostingSlots(ctx, "mia", ch, slots[ch]); err != nil {
			return err
		}
		if err := s.svc.SetRules(ctx, "mia", ch, calendar.Rules{MinGap: 2 * time.Hour, MaxPerDay: 3}); err != nil {
			return err
		}
	}
	uploads := []struct {
		name  string
		w, h  int
		c     color.RGBA
		png   bool
		until time.Time
	}{
		{"croissant", 1080, 1080, color.RGBA{200, 150, 80, 255}, false, time.Time{}},
		{"sourdough", 1080, 1350, color.RGBA{160, 110, 60, 255}, false, time.Time{}},
		{"storefront", 1440, 960, color.RGBA{90, 120, 160, 255}, false, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)},
		{"team-photo", 1200, 900, color.RGBA{120, 160, 90, 255}, true, time.Time{}},
		{"bike", 1200, 800, color.RGBA{30, 30, 30, 255}, false, time.Time{}},
	}
	for _, u := range uploads {
		data := picture(u.w, u.h, u.c, u.png)
		mime := "image/jpeg"
		if u.png {
			mime = "image/png"
		}
		a, err := s.lib.AddMedia(ctx, assets.NewAsset{Name: u.name, MIME: mime, AltText: "photo: " + u.name, Creator: "dan",
			Tags: []string{"2026-03"}, Rights: assets.Rights{License: "agency stock", Expires: u.until}}, bytes.NewReader(data), int64(len(data)), s.now)
		if err != nil {
			return err
		}
		if _, err := s.lib.Approve(ctx, a.ID, a.Version, "mia", s.now); err != nil {
			return err
		}
		s.images[u.name] = a.ID
	}
	// A duplicate upload is recognised and not stored twice.
	data := picture(1080, 1080, uploads[0].c, false)
	_, err = s.lib.AddMedia(ctx, assets.NewAsset{Name: "croissant-copy", MIME: "image/jpeg"}, bytes.NewReader(data), int64(len(data)), s.now)
	var dup *assets.DuplicateError
	if errors.As(err, &dup) {
		s.note("dan uploads croissant again: refused, duplicate of %s", dup.ExistingID)
	}
	return s.setupInbox(ctx)
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// plan queues the month's 30 posts: drafted on weekday mornings, routed by
// policy, approved after a while, and added to their channels' queues.
func (s *sim) plan() {
	day := monthStart
	for i := range 30 {
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = day.AddDate(0, 0, 1)
		}
		at := day.Add(time.Duration(s.rng.IntN(4*60)) * time.Minute)
		s.at(at, "draft", s.draft(i))
		if i%2 == 1 {
			day = day.AddDate(0, 0, 1)
		}
	}
}

// post describes draft number i.
func (s *sim) post(i int) (workflow.NewPost, string) {
	in := workflow.NewPost{Labels: []string{"march"}}
	author := "sam"
	switch {
	case i%2 == 0:
		in.Workspace, in.Channels = "bakery", []string{"bakery-ig", "bakery-li"}
		img := []string{"croissant", "sourdough", "storefront"}[i/2%3]
		in.Content = workflow.Content{Text: fmt.Sprintf("Fresh from the oven, batch %d: %s of the day. #bakery #oslo", i, img),
			Media: []workflow.MediaRef{{Asset: s.images[img]}}}
		in.Campaign = "spring-menu"
	default:
		in.Workspace, in.Channels = "cycles", []string{"cycles-x", "cycles-bsky"}
		in.Content = workflow.Content{Text: fmt.Sprintf("Ride report %d: %d km along the river this morning. #cycling", i, 20+s.rng.IntN(60))}
		in.Campaign = "ride-club"
	}
	switch {
	case i%10 == 4:
		in.Labels = append(in.Labels, "sponsored")
		in.Content.Text = fmt.Sprintf("Our partner Mill & Co's new flour, in every loaf this week (%d).", i)
		in.Campaign = "mill-partnership"
	case i%10 == 7:
		in.Labels = append(in.Labels, "community")
		in.Content.Text = fmt.Sprintf("Thank you all for the kind words this week! (%d)", i)
		author = "cam"
	}
	if i == 12 {
		// The designer attaches a PNG: Instagram takes JPEG only.
		in.Content.Media = []workflow.MediaRef{{Asset: s.images["team-photo"]}}
	}
	return in, author
}

// draft creates post i, submits it, and arranges what happens next.
func (s *sim) draft(i int) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		in, author := s.post(i)
		p, err := s.svc.CreatePost(ctx, author, in)
		if err != nil {
			return err
		}
		_, err = s.svc.Submit(ctx, author, p.ID)
		var ge *workflow.GuidelineError
		var ve *networks.Violation
		switch {
		case errors.As(err, &ge):
			s.note("%s submits %s: refused by the guidelines: %s", author, p.ID, ge.Findings[0])
			text := p.Content.Text + " #ad"
			p, err = s.svc.EditPost(ctx, author, p.ID, workflow.Edit{Rev: p.Rev, Content: &workflow.Content{Text: text, Media: p.Content.Media}})
			if err != nil {
				return err
			}
			_, err = s.svc.Submit(ctx, author, p.ID)
			s.note("%s adds #ad and submits again: %v", author, errText(err))
		case errors.As(err, &ve):
			s.note("%s submits %s: refused: %s", author, p.ID, ve)
			c := p.Content
			c.Media = []workflow.MediaRef{{Asset: s.images["croissant"]}}
			p, err = s.svc.EditPost(ctx, author, p.ID, workflow.Edit{Rev: p.Rev, Content: &c})
			if err != nil {
				return err
			}
			_, err = s.svc.Submit(ctx, author, p.ID)
			s.note("%s swaps in a JPEG and submits again: %v", author, errText(err))
		}
		if err != nil {
			return err
		}
		s.review(p.ID, i)
		return nil
	}
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// review arranges the approvals of post id, one stage at a time.
func (s *sim) review(id string, i int) {
	s.at(s.now.Add(s.delay()), "review", func(ctx context.Context) error {
		st, err := s.svc.ApprovalStatus(ctx, "mia", id)
		if err != nil {
			return err
		}
		p, err := s.svc.Post(ctx, "mia", id)
		if err != nil {
			return err
		}
		switch {
		case p.State == workflow.StateApproved:
			return s.queue(ctx, id, i)
		case st.Stage == "client":
			tok, err := s.svc.ApprovalLink(ctx, "mia", workflow.ApprovalLinkRequest{Post: id, Approver: "ann", Expires: s.now.Add(72 * time.Hour)})
			if err != nil {
				return err
			}
			s.note("mia sends ann (client) a signed approval link for %s", id)
			s.at(s.now.Add(s.delay()), "client", func(ctx context.Context) error {
				if _, err := s.svc.DecideByLink(ctx, workflow.DecideByLinkRequest{Post: id, Token: tok, Verdict: approval.Approve, Comment: "Looks lovely"}); err != nil {
					return err
				}
				_, err := s.svc.DecideByLink(ctx, workflow.DecideByLinkRequest{Post: id, Token: tok, Verdict: approval.Approve})
				s.note("ann approves %s through the link; using it again: %v", id, errText(err))
				return s.queue(ctx, id, i)
			})
			return nil
		}
		// The first awaited approver whose membership covers every
		// channel of the post decides (leo manages only Instagram).
		who := ""
		for _, a := range st.Awaiting {
			ok := true
			for _, t := range p.Targets {
				ok = ok && s.team.Can(a, team.PermApprove, team.Scope{Workspace: p.Workspace, Channel: t.Channel})
			}
			if ok {
				who = a
				break
			}
		}
		if who == "" {
			return fmt.Errorf("nobody awaited can approve %s", id)
		}
		if i == 8 && p.Version == 1 {
			// A change request goes back to the author.
			if _, err := s.svc.Decide(ctx, who, workflow.DecideRequest{Post: id, Verdict: approval.RequestChanges, Comment: "Please mention the opening hours"}); err != nil {
				return err
			}
			s.note("%s asks for changes on %s", who, id)
			s.at(s.now.Add(2*time.Hour), "fix", func(ctx context.Context) error {
				p, err := s.svc.Post(ctx, "sam", id)
				if err != nil {
					return err
				}
				c := p.Content
				c.Text += " Open 7-18 every day."
				if _, err := s.svc.EditPost(ctx, "sam", id, workflow.Edit{Rev: p.Rev, Content: &c}); err != nil {
					return err
				}
				if _, err := s.svc.Submit(ctx, "sam", id); err != nil {
					return err
				}
				s.review(id, i)
				return nil
			})
			return nil
		}
		if _, err := s.svc.Decide(ctx, who, workflow.DecideRequest{Post: id, Verdict: approval.Approve}); err != nil {
			return err
		}
		s.review(id, i)
		return nil
	})
}

func (s *sim) delay() time.Duration { return time.Duration(30+s.rng.IntN(6*60)) * time.Minute }

// queue adds an approved post to its channels' queues; post 6 is edited
// after approval, which resets it.
func (s *sim) queue(ctx context.Context, id string, i int) error {
	if i == 6 {
		p, err := s.svc.Post(ctx, "sam", id)
		if err != nil {
			return err
		}
		if p.Version == 1 {
			c := p.Content
			c.Text = strings.Replace(c.Text, "batch", "special batch", 1)
			p, err = s.svc.EditPost(ctx, "sam", id, workflow.Edit{Rev: p.Rev, Content: &c})
			if err != nil {
				return err
			}
			s.note("sam edits %s after approval: back to %s, approval reset (approved version %d, now version %d)", id, p.State, p.ApprovedVersion, p.Version)
			s.review(id, i)
			return nil
		}
	}
	p, err := s.svc.AddToQueue(ctx, "mia", id)
	var ue *assets.UseError
	if errors.As(err, &ue) {
		s.note("mia queues %s: refused: %s", id, ue.Error())
		p, err = s.svc.Post(ctx, "mia", id)
		if err != nil {
			return err
		}
		c := p.Content
		c.Media = []workflow.MediaRef{{Asset: s.images["sourdough"]}}
		p, err = s.svc.EditPost(ctx, "mia", id, workflow.Edit{Rev: p.Rev, Content: &c, Note: "swap an expired image"})
		if err != nil {
			return err
		}
		s.note("mia swaps in another image: %s goes back to %s", id, p.State)
		s.review(id, i)
		return nil
	}
	return err
}

// faults scripts what goes wrong on the networks this month.
func (s *sim) faults() {
	s.nets[networks.X].Script(fakenet.ServerError().On(networks.OpPublish).Times(2)...)
	s.nets[networks.Bluesky].Script(fakenet.LostResponse().On(networks.OpPublish))
	s.nets[networks.LinkedIn].Script(fakenet.Rejected("the organization page is restricted").On(networks.OpPublish))
	s.nets[networks.Instagram].Script(fakenet.Processing(20 * time.Minute).On(networks.OpPublish))
}

// runMonth plays the month in 15-minute steps: people act, the dispatcher
// publishes what is due.
func (s *sim) runMonth(ctx context.Context) error {
	for s.now.Before(monthEnd) {
		sort.SliceStable(s.actions, func(i, j int) bool {
			if !s.actions[i].at.Equal(s.actions[j].at) {
				return s.actions[i].at.Before(s.actions[j].at)
			}
			return s.actions[i].seq < s.actions[j].seq
		})
		for len(s.actions) > 0 && !s.actions[0].at.After(s.now) {
			a := s.actions[0]
			s.actions = s.actions[1:]
			if err := a.do(ctx); err != nil {
				return fmt.Errorf("%s at %s: %w", a.what, s.now.Format(time.RFC3339), err)
			}
		}
		if err := s.inboxStep(ctx); err != nil {
			return fmt.Errorf("inbox at %s: %w", s.now.Format(time.RFC3339), err)
		}
		if _, err := s.disp.RunOnce(ctx, s.now); err != nil {
			return err
		}
		s.now = s.now.Add(15 * time.Minute)
	}
	return nil
}

// report prints the month's summary and writes the files.
func (s *sim) report(ctx context.Context, w io.Writer, out string) error {
	fmt.Fprintln(w, "\nwhat happened:")
	for _, l := range s.story {
		fmt.Fprintln(w, "  "+l)
	}
	var posts []workflow.Post
	for _, ws := range []string{"bakery", "cycles"} {
		ps, err := s.svc.Posts(ctx, "mia", ws)
		if err != nil {
			return err
		}
		posts = append(posts, ps...)
	}
	states := map[workflow.State]int{}
	for _, p := range posts {
		states[p.State]++
	}
	fmt.Fprintf(w, "\nposts: %d —", len(posts))
	for _, st := range sortedKeys(stateNames(states)) {
		fmt.Fprintf(w, " %s %d", st, states[workflow.State(st)])
	}
	fmt.Fprintln(w)

	for _, p := range posts {
		if p.State == workflow.StatePublishing || p.State == workflow.StateScheduled {
			for _, t := range p.Targets {
				fmt.Fprintf(w, "  %s on %s: %s for %s\n", p.ID, t.Channel, t.State, t.At.In(s.zones[t.Channel]).Format("Mon Jan 2 15:04 MST"))
			}
		}
	}
	if err := s.week(ctx, w); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nfailures with causes:")
	for _, p := range posts {
		for _, t := range p.Targets {
			if t.State == workflow.TargetFailed || t.State == workflow.TargetUnconfirmed {
				fmt.Fprintf(w, "  %s on %s: %s: %s\n", p.ID, t.Channel, t.State, t.Outcome.Cause)
			}
			if t.Outcome.Attempts > 1 && t.State == workflow.TargetPublished {
				fmt.Fprintf(w, "  %s on %s: published after %d attempts\n", p.ID, t.Channel, t.Outcome.Attempts)
			}
		}
	}
	dups, violations := 0, 0
	for _, n := range s.nets {
		dups += len(n.Duplicates())
		violations += n.Violations()
	}
	fmt.Fprintf(w, "  duplicates on the networks: %d, rate-limit violations: %d\n", dups, violations)
	inbox, err := s.inboxReport(ctx, w)
	if err != nil {
		return err
	}

	// Team metrics from the audit trail.
	var events []workflow.Event
	for _, ws := range []string{"bakery", "cycles"} {
		evs, err := s.svc.AuditTrail(ctx, "mia", ws, 0)
		if err != nil {
			return err
		}
		events = append(events, evs...)
	}
	// Each workspace has its own chain: merge them in time order (within a
	// workspace, chain order).
	slices.SortStableFunc(events, func(a, b workflow.Event) int { return a.At.Compare(b.At) })
	tm, err := analytics.Team(workflow.TeamEvents(events), analytics.TeamOptions{Now: s.now})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\napproval: %d reviews, time in review median %s, p90 %s, changes requested %.0f%%, deadline breaches %d\n",
		tm.Reviews, tm.TimeInReviewMedian.D.Round(time.Minute), tm.TimeInReviewP90.D.Round(time.Minute),
		100*tm.ChangesRequestedRate.V, tm.DeadlineBreaches)
	fmt.Fprintf(w, "publishing: %d published, %d on time (within 15 min of the slot)\n", tm.Published, tm.OnTime)
	for _, ws := range []string{"", "bakery", "cycles"} {
		if err := s.svc.Audit().Verify(ctx, ws); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "audit trail: %d events, hash chain verified\n", len(events))
	notices := map[string]int{}
	for _, n := range s.inbox.Notices() {
		notices[string(n.Kind)]++
	}
	var ns []string
	for _, k := range sortedKeys(notices) {
		ns = append(ns, fmt.Sprintf("%s %d", k, notices[k]))
	}
	fmt.Fprintf(w, "notices sent: %s\n", strings.Join(ns, ", "))

	problems, err := s.lib.ExpiringRights(ctx, s.now)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "assets whose rights expire before their posts go out: %d\n", len(problems))

	// Analytics: the month's posts plus 16 weeks of history.
	d := analytics.NewDataset()
	if err := s.history(d); err != nil {
		return err
	}
	for _, p := range posts {
		for _, t := range p.Targets {
			if t.State != workflow.TargetPublished {
				continue
			}
			ch, _ := s.team.Channel(t.Channel)
			tg := workflow.AnalyticsTarget(p, t, ch)
			if err := d.AddTarget(tg); err != nil {
				return err
			}
			for _, at := range []time.Time{t.Outcome.PublishedAt.Add(48 * time.Hour), s.now} {
				snap, ok := s.nets[t.Network].MetricsAt(networks.RemoteID(t.Outcome.RemoteID), at)
				if !ok {
					continue
				}
				snap.Target = tg.ID
				if err := d.Add(snap); err != nil {
					return err
				}
			}
		}
	}
	top, err := d.Top(analytics.EngagementRateByImpressions, 5, s.now, func(t analytics.Target) bool { return t.PublishedAt.After(monthStart) })
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\ntop posts of the month by engagement rate (engagements / impressions):")
	for _, r := range top {
		loc := s.zones[r.Target.Channel]
		fmt.Fprintf(w, "  %-18s %-12s %s  %.2f%%\n", r.Target.ID, r.Target.Channel, r.Target.PublishedAt.In(loc).Format("Mon 15:04 MST"), 100*r.Value.V)
	}
	maps, err := d.BestTimes(analytics.BestTimeOptions{Now: s.now})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nbest times to post (local time, confidence):")
	var heat analytics.WeekMap
	for _, m := range maps {
		fmt.Fprintf(w, "  %-12s", m.Channel)
		for _, ps := range m.PostingSlots(3) {
			fmt.Fprintf(w, "  %s %02d:%02d (%.2f)", ps.Weekday.String()[:3], ps.Hour, ps.Minute, ps.Confidence)
		}
		fmt.Fprintf(w, "  %s\n", m.Zone)
		if m.Channel == "bakery-ig" {
			heat = m
		}
	}
	return s.files(w, out, d, heat, inbox)
}

func stateNames(m map[workflow.State]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

// history adds 16 weeks of earlier posts (as a host would import them) so
// the best-time model has data: about two posts a day per channel at
// random local times, scored by the same audience model.
func (s *sim) history(d *analytics.Dataset) error {
	start := monthStart.AddDate(0, 0, -16*7)
	rng := rand.New(rand.NewPCG(42, 7))
	for _, ch := range sortedKeys(s.zones) {
		c, _ := s.team.Channel(ch)
		loc := s.zones[ch]
		for day := start; day.Before(monthStart); day = day.AddDate(0, 0, 1) {
			for k := range 2 {
				local := time.Date(day.Year(), day.Month(), day.Day(), 6+rng.IntN(16), 15*rng.IntN(4), 0, 0, loc)
				id := fmt.Sprintf("h-%s-%s-%d", ch, day.Format("0102"), k)
				if err := d.AddTarget(analytics.Target{ID: id, Network: c.Network, Channel: ch, Workspace: c.WorkspaceID,
					Campaign: "history", PublishedAt: local.UTC(), Zone: c.Zone}); err != nil {
					return err
				}
				snap := audienceModel(id, local, 48*time.Hour)
				snap.Target, snap.At = id, local.Add(48*time.Hour).UTC()
				if err := d.Add(snap); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// files writes calendar.ics, report.csv, heatmap.svg and inbox.json (the
// inbox measures of each workspace) to out.
func (s *sim) files(w io.Writer, out string, d *analytics.Dataset, heat analytics.WeekMap, inbox map[string]analytics.InboxReport) error {
	if out == "" {
		return nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	write := func(name string, f func(io.Writer) error) error {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, name), b.Bytes(), 0o644)
	}
	err := write("calendar.ics", func(w io.Writer) error {
		return s.planner.Calendar().ExportICal(w, calendar.Query{}, calendar.ICalOptions{Stamp: s.now, Name: "Northwind Agency: March 2026", Domain: "quickstart.socialflow.invalid"})
	})
	if err != nil {
		return err
	}
	table, err := d.Aggregate(analytics.Query{By: analytics.ByChannel, Every: analytics.Week, Zone: "Europe/Oslo", Start: monthStart, End: monthEnd})
	if err != nil {
		return err
	}
	if err := write("report.csv", func(w io.Writer) error { return analytics.WriteCSV(w, table, analytics.InPeriod) }); err != nil {
		return err
	}
	if err := write("heatmap.svg", func(w io.Writer) error {
		return analytics.WriteHeatmapSVG(w, heat, "bakery-ig: best time to post (Europe/Oslo)")
	}); err != nil {
		return err
	}
	if err := write("inbox.json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(inbox)
	}); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwrote calendar.ics, report.csv, heatmap.svg and inbox.json to %s\n", out)
	return nil
}

// week prints the bakery's calendar for the week of the Oslo DST change.
func (s *sim) week(ctx context.Context, w io.Writer) error {
	oslo := s.zones["bakery-ig"]
	v, err := s.svc.WeekView(ctx, "mia", "bakery", time.Date(2026, 3, 27, 12, 0, 0, 0, oslo), "Europe/Oslo", time.Monday)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nbakery, week of 23 March in Europe/Oslo (clocks go forward on Sunday):")
	for _, d := range v.Days {
		var items []string
		for _, e := range d.Entries {
			items = append(items, fmt.Sprintf("%s %s %s", e.At.In(oslo).Format("15:04"), strings.TrimPrefix(e.Channel, "bakery-"), e.Host["post"]))
		}
		fmt.Fprintf(w, "  %s (%2.0fh)  %s\n", d.Date.Format("Mon 02"), d.End.Sub(d.Start).Hours(), strings.Join(items, ", "))
	}
	return nil
}
