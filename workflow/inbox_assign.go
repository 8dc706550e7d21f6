package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/calendar"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// InboxSettings are a workspace's inbox settings, stored in its
// [WorkspacePlan] (so every replica decides from the same ones) and set
// with [Service.SetInboxSettings]; [ParseInboxSettings] reads them from
// JSON.
type InboxSettings struct {
	// Rules assign incoming conversations: tried in order, the first match
	// wins (as approval routing does); when none matches, every eligible
	// member takes turns.
	Rules []AssignRule `json:"rules,omitempty"`
	// Rota says who is on duty when. With no shifts every eligible member
	// is on duty; with shifts, only members whose shift covers the instant.
	Rota []DutyShift `json:"rota,omitempty"`
	// Delegations hand an away member's turns to another member.
	Delegations []Delegation `json:"delegations,omitempty"`
	// Teams are the teams conversations may be handed off to
	// ([Service.HandOff]): name → member IDs told by notice.
	Teams map[string][]string `json:"teams,omitempty"`
	// ClaimTTL is how long a claim lasts ([Service.OpenConversation]).
	// Default 15 minutes. (In JSON, like every duration here, in
	// nanoseconds, as encoding/json writes a time.Duration.)
	ClaimTTL time.Duration `json:"claim_ttl,omitempty"`
	// Surge raises an alert when negative items pile up.
	Surge SurgeSettings `json:"surge,omitzero"`
	// SurgeState is the detector's state, kept by the inbox.
	SurgeState SurgeState `json:"surge_state,omitzero"`
}

// AssignRule assigns the conversations whose newest item matches When to
// Members (round robin among those on duty; empty: every eligible member),
// or marks them as spam.
type AssignRule struct {
	Name    string         `json:"name"`
	When    InboxCondition `json:"when,omitzero"`
	Members []string       `json:"members,omitempty"`
	Spam    bool           `json:"spam,omitempty"`
}

// InboxCondition selects items. Each non-empty field must match (AND);
// inside a field any listed value may (OR). Keywords are whole words or
// phrases, matched case-insensitively at word boundaries; Authors match the
// author's ID or handle (without "@"), case-insensitively.
type InboxCondition struct {
	Networks   []string              `json:"networks,omitempty"`
	Channels   []string              `json:"channels,omitempty"`
	Kinds      []string              `json:"kinds,omitempty"`
	Languages  []string              `json:"languages,omitempty"` // BCP 47 primary tags or full tags: "en" matches "en-GB"
	Keywords   []string              `json:"keywords,omitempty"`
	Authors    []string              `json:"authors,omitempty"`
	Sentiments []analytics.Sentiment `json:"sentiments,omitempty"`
	Labels     []string              `json:"labels,omitempty"`
}

// DutyShift is one member's recurring hours on duty: on Days (the days a
// shift starts; empty: every day) from Start to End ("HH:MM" wall time in the IANA Zone; End before
// Start runs past midnight). Wall times are resolved with
// [calendar.Resolve] (RFC 5545 §3.3.5), so a shift keeps its wall-clock
// hours across DST changes.
type DutyShift struct {
	Member string         `json:"member"`
	Zone   string         `json:"zone"`
	Days   []time.Weekday `json:"days,omitempty"`
	Start  string         `json:"start"`
	End    string         `json:"end"`
}

// Delegation gives To the turns of From while From is away, in [Since,
// Until).
type Delegation struct {
	From  string    `json:"from"`
	To    string    `json:"to"`
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
}

// SurgeSettings configure the surge alert: when Threshold negative items
// (by their network time) fall within Window, the inbox notifies Notify
// once, audits "inbox.surge" once, and pauses the workspace's publishing
// when Pause is set. Threshold 0 turns the alert off.
type SurgeSettings struct {
	Threshold int           `json:"threshold,omitempty"`
	Window    time.Duration `json:"window,omitempty"`
	Pause     bool          `json:"pause,omitempty"`
	Notify    []string      `json:"notify,omitempty"`
}

// SurgeState is the surge detector's state: the newest negative items'
// times (at most Threshold of them) and whether a surge is under way.
type SurgeState struct {
	Recent []time.Time `json:"recent,omitempty"`
	Active bool        `json:"active,omitempty"`
	Since  time.Time   `json:"since,omitzero"`
	Surges int         `json:"surges,omitempty"`
}

// Limits on inbox settings.
const (
	MaxAssignRules  = 1000
	MaxShifts       = 10000
	defaultClaimTTL = 15 * time.Minute
)

// Clone returns a deep copy of st.
func (st InboxSettings) Clone() InboxSettings {
	st.Rules = slices.Clone(st.Rules)
	for i := range st.Rules {
		r := &st.Rules[i]
		r.Members = slices.Clone(r.Members)
		w := &r.When
		for _, l := range []*[]string{&w.Networks, &w.Channels, &w.Kinds, &w.Languages, &w.Keywords, &w.Authors, &w.Labels} {
			*l = slices.Clone(*l)
		}
		w.Sentiments = slices.Clone(w.Sentiments)
	}
	st.Rota = slices.Clone(st.Rota)
	for i := range st.Rota {
		st.Rota[i].Days = slices.Clone(st.Rota[i].Days)
	}
	st.Delegations = slices.Clone(st.Delegations)
	if st.Teams != nil {
		t := make(map[string][]string, len(st.Teams))
		for k, v := range st.Teams {
			t[k] = slices.Clone(v)
		}
		st.Teams = t
	}
	st.Surge.Notify = slices.Clone(st.Surge.Notify)
	st.SurgeState.Recent = slices.Clone(st.SurgeState.Recent)
	return st
}

// ParseInboxSettings reads settings from JSON (unknown fields refused) and
// validates them.
func ParseInboxSettings(data []byte) (InboxSettings, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var st InboxSettings
	if err := dec.Decode(&st); err != nil {
		return InboxSettings{}, &ValidationError{Field: "inbox settings", Reason: "not valid JSON: " + echo.Short(err.Error())}
	}
	return st, st.Validate()
}

// Validate checks the settings and returns a *ValidationError naming the
// first bad field.
func (st InboxSettings) Validate() error {
	if len(st.Rules) > MaxAssignRules {
		return &ValidationError{Field: "inbox.rules", Value: fmt.Sprint(len(st.Rules)), Reason: fmt.Sprintf("at most %d rules", MaxAssignRules)}
	}
	names := map[string]bool{}
	for i, r := range st.Rules {
		f := fmt.Sprintf("inbox.rules[%d]", i)
		if r.Name == "" || !utf8.ValidString(r.Name) {
			return &ValidationError{Field: f + ".name", Reason: "required"}
		}
		if names[r.Name] {
			return &ValidationError{Field: f + ".name", Value: r.Name, Reason: "two rules have this name"}
		}
		names[r.Name] = true
		if r.Spam && len(r.Members) > 0 {
			return &ValidationError{Field: f + ".members", Value: r.Name, Reason: "a spam rule assigns nobody"}
		}
		for _, s := range r.When.Sentiments {
			if s != analytics.SentimentPositive && s != analytics.SentimentNeutral && s != analytics.SentimentNegative {
				return &ValidationError{Field: f + ".when.sentiments", Value: string(s), Reason: "want positive, neutral or negative"}
			}
		}
		for _, k := range r.When.Keywords {
			if strings.TrimSpace(k) == "" {
				return &ValidationError{Field: f + ".when.keywords", Reason: "an empty keyword matches nothing"}
			}
		}
	}
	if len(st.Rota) > MaxShifts {
		return &ValidationError{Field: "inbox.rota", Value: fmt.Sprint(len(st.Rota)), Reason: fmt.Sprintf("at most %d shifts", MaxShifts)}
	}
	for i, sh := range st.Rota {
		if _, err := sh.compile(); err != nil {
			err.Field = fmt.Sprintf("inbox.rota[%d].%s", i, err.Field)
			return err
		}
	}
	for i, d := range st.Delegations {
		f := fmt.Sprintf("inbox.delegations[%d]", i)
		switch {
		case d.From == "" || d.To == "":
			return &ValidationError{Field: f, Reason: "from and to are required"}
		case d.From == d.To:
			return &ValidationError{Field: f + ".to", Value: d.To, Reason: "a member cannot delegate to themselves"}
		case !d.Until.After(d.Since):
			return &ValidationError{Field: f + ".until", Value: d.Until.Format(time.RFC3339), Reason: "must be after since"}
		}
	}
	if st.ClaimTTL < 0 || st.ClaimTTL > 24*time.Hour {
		return &ValidationError{Field: "inbox.claim_ttl", Value: st.ClaimTTL.String(), Reason: "between 0 (default 15m) and 24h"}
	}
	if st.Surge.Threshold < 0 || st.Surge.Threshold > 100000 {
		return &ValidationError{Field: "inbox.surge.threshold", Value: fmt.Sprint(st.Surge.Threshold), Reason: "between 0 (off) and 100000"}
	}
	if st.Surge.Threshold > 0 && (st.Surge.Window <= 0 || st.Surge.Window > 7*24*time.Hour) {
		return &ValidationError{Field: "inbox.surge.window", Value: st.Surge.Window.String(), Reason: "between 1ns and 7 days when a threshold is set"}
	}
	return nil
}

func (st InboxSettings) claimTTL() time.Duration {
	if st.ClaimTTL > 0 {
		return st.ClaimTTL
	}
	return defaultClaimTTL
}

type shift struct {
	loc        *time.Location
	days       [7]bool
	start, end calendar.TimeOfDay
}

func (sh DutyShift) compile() (shift, *ValidationError) {
	var c shift
	if sh.Member == "" {
		return c, &ValidationError{Field: "member", Reason: "required"}
	}
	loc, err := time.LoadLocation(sh.Zone)
	if err != nil || sh.Zone == "" || sh.Zone == "Local" {
		return c, &ValidationError{Field: "zone", Value: sh.Zone, Reason: "not an IANA time zone name"}
	}
	c.loc = loc
	if c.start, err = calendar.ParseTimeOfDay(sh.Start); err != nil {
		return c, &ValidationError{Field: "start", Value: sh.Start, Reason: "want HH:MM"}
	}
	if c.end, err = calendar.ParseTimeOfDay(sh.End); err != nil {
		return c, &ValidationError{Field: "end", Value: sh.End, Reason: "want HH:MM"}
	}
	if c.start == c.end {
		return c, &ValidationError{Field: "end", Value: sh.End, Reason: "a shift must not be empty"}
	}
	for _, d := range sh.Days {
		if d < time.Sunday || d > time.Saturday {
			return c, &ValidationError{Field: "days", Value: fmt.Sprint(int(d)), Reason: "not a weekday (0 Sunday to 6 Saturday)"}
		}
		c.days[d] = true
	}
	if len(sh.Days) == 0 {
		c.days = [7]bool{true, true, true, true, true, true, true}
	}
	return c, nil
}

// covers reports whether the shift covers instant t: it resolves the
// shift's start and end on the civil day of t in the zone and the day
// before (for shifts past midnight) with calendar.Resolve.
func (c shift) covers(t time.Time) bool {
	local := t.In(c.loc)
	for back := 0; back <= 1; back++ {
		d := local.AddDate(0, 0, -back)
		if !c.days[d.Weekday()] {
			continue
		}
		y, m, day := d.Date()
		start := calendar.Resolve(y, m, day, int(c.start)/60, int(c.start)%60, 0, c.loc)
		endDay := day
		if c.end < c.start {
			endDay++
		}
		end := calendar.Resolve(y, m, endDay, int(c.end)/60, int(c.end)%60, 0, c.loc)
		if !t.Before(start) && t.Before(end) {
			return true
		}
	}
	return false
}

// OnDuty reports whether member is on duty at t by the rota: true when
// the rota has no shifts, otherwise when one of member's shifts covers t.
// Invalid shifts cover nothing (Validate refuses them).
func (st InboxSettings) OnDuty(member string, t time.Time) bool {
	if len(st.Rota) == 0 {
		return true
	}
	for _, sh := range st.Rota {
		if sh.Member != member {
			continue
		}
		if c, err := sh.compile(); err == nil && c.covers(t) {
			return true
		}
	}
	return false
}

// delegate returns who takes member's turns at t.
func (st InboxSettings) delegate(member string, t time.Time) string {
	seen := map[string]bool{}
	for !seen[member] {
		seen[member] = true
		next := ""
		for _, d := range st.Delegations {
			if d.From == member && !t.Before(d.Since) && t.Before(d.Until) {
				next = d.To
				break
			}
		}
		if next == "" {
			return member
		}
		member = next
	}
	return member // a cycle of delegations: the last one reached
}

// Match returns the first rule matching it, and false when none does.
func (st InboxSettings) Match(it InboxItem) (AssignRule, bool) {
	for _, r := range st.Rules {
		if r.When.matches(it) {
			return r, true
		}
	}
	return AssignRule{}, false
}

func (w InboxCondition) matches(it InboxItem) bool {
	in := it.Item
	in1 := func(set []string, v string) bool { return len(set) == 0 || slices.Contains(set, v) }
	if !in1(w.Networks, in.Network) || !in1(w.Channels, it.Channel) || !in1(w.Kinds, string(in.Kind)) {
		return false
	}
	if len(w.Languages) > 0 && !slices.ContainsFunc(w.Languages, func(l string) bool { return langMatches(l, in.Lang) }) {
		return false
	}
	if len(w.Sentiments) > 0 && !slices.Contains(w.Sentiments, it.Class.Sentiment) {
		return false
	}
	if len(w.Labels) > 0 && !slices.ContainsFunc(w.Labels, func(l string) bool {
		return slices.ContainsFunc(it.Class.Labels, func(x string) bool { return strings.EqualFold(x, l) })
	}) {
		return false
	}
	if len(w.Authors) > 0 && !slices.ContainsFunc(w.Authors, func(a string) bool {
		a = strings.TrimPrefix(a, "@")
		return strings.EqualFold(a, in.Author.ID) || strings.EqualFold(a, strings.TrimPrefix(in.Author.Handle, "@"))
	}) {
		return false
	}
	if len(w.Keywords) > 0 {
		lower := strings.ToLower(in.Text)
		if !slices.ContainsFunc(w.Keywords, func(k string) bool { return hasWord(lower, strings.ToLower(k)) }) {
			return false
		}
	}
	return true
}

// langMatches is BCP 47 basic filtering (RFC 4647 §3.3.1): a range matches
// a tag equal to it or starting with it and "-", case-insensitively.
func langMatches(rng, tag string) bool {
	rng, tag = strings.ToLower(rng), strings.ToLower(tag)
	return rng == "*" || tag == rng || strings.HasPrefix(tag, rng+"-")
}

// hasWord reports whether word occurs in s at word boundaries.
func hasWord(s, word string) bool {
	for i := 0; word != ""; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		at := i + j
		before, _ := utf8.DecodeLastRuneInString(s[:at])
		after, _ := utf8.DecodeRuneInString(s[at+len(word):])
		if (at == 0 || !isWordChar(before)) && (at+len(word) == len(s) || !isWordChar(after)) {
			return true
		}
		i = at + 1
	}
	return false
}

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// Routing is what the assignment decided for one conversation, and why.
type Routing struct {
	Assignee string // "" when nobody is on duty (the conversation stays new)
	Rule     string // the matching rule's name; "default" when none matched
	Spam     bool
	Why      string
}

// routeConversation decides who gets a conversation whose newest item is it: the
// first matching rule's pool (or every member who may reply on the
// channel), kept to members on duty at now (an away member's turn goes to
// their delegate), never a member outside the channel's scope, then the
// next turn of the pool's round-robin counter ([InboxCursorStore.NextTurn]).
// Two items of one new conversation stored at once by two replicas may each
// draw a turn; the one whose assignment loses the race skips its turn, so
// turns stay fair to within the races.
func (s *Service) routeConversation(ctx context.Context, st InboxSettings, it InboxItem, now time.Time) (Routing, error) {
	rule, ok := st.Match(it)
	r := Routing{Rule: "default"}
	if ok {
		r.Rule = rule.Name
		if rule.Spam {
			r.Spam, r.Why = true, "rule "+echo.Quote(rule.Name)+" marks it as spam"
			return r, nil
		}
	}
	tm := s.team.team()
	var pool []string
	if ok && len(rule.Members) > 0 {
		pool = slices.Clone(rule.Members)
	} else {
		for _, m := range tm.Memberships(it.Workspace) {
			pool = append(pool, m.MemberID)
		}
	}
	scope := team.Scope{Workspace: it.Workspace, Channel: it.Channel}
	eligible := map[string]bool{}
	for _, m := range pool {
		if !st.OnDuty(m, now) {
			continue
		}
		m = st.delegate(m, now)
		if tm.Can(m, team.PermReplyCommunity, scope) {
			eligible[m] = true
		}
	}
	members := slices.Sorted(maps.Keys(eligible))
	if len(members) == 0 {
		r.Why = "nobody who may reply on the channel is on duty"
		return r, nil
	}
	n, err := s.store.NextTurn(ctx, "inbox-rr:"+it.Workspace+"/"+r.Rule)
	if err != nil {
		return Routing{}, err
	}
	r.Assignee = members[int((n-1)%int64(len(members)))]
	r.Why = fmt.Sprintf("rule %s, turn %d among %d on duty", echo.Quote(r.Rule), n, len(members))
	return r, nil
}
