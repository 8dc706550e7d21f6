package analytics

import (
	"sort"
	"strconv"
	"time"
)

// ConversationRecord is one community-inbox conversation as the inbox
// measures need it: where it came in, who answered, and when it was opened,
// first answered and resolved. The workflow's inbox produces these.
type ConversationRecord struct {
	ID      string `json:"id"`
	Channel string `json:"channel"`
	Network string `json:"network,omitempty"`
	// Member is who the conversation is assigned to (the first responder
	// when it was answered), or empty while unassigned.
	Member string `json:"member,omitempty"`
	// State is the conversation's state as the inbox names it ("new",
	// "assigned", "replied", "closed", ...), counted in the volume.
	State string `json:"state"`
	// Items is the number of incoming items in the conversation.
	Items int `json:"items"`
	// Opened is when its first incoming item arrived. Required.
	Opened time.Time `json:"opened"`
	// FirstResponse is when the team first replied; zero while unanswered.
	FirstResponse time.Time `json:"first_response,omitzero"`
	// Resolved is when it was closed (or handed off, or marked spam); zero
	// while open.
	Resolved time.Time `json:"resolved,omitzero"`
}

// Validate checks that the record has an ID, a channel, a state and an
// opening instant, and that its responses do not precede it.
func (r ConversationRecord) Validate() error {
	const op = "ConversationRecord.Validate"
	switch {
	case r.ID == "":
		return &FieldError{Op: op, Field: "id", Reason: "required"}
	case r.Channel == "":
		return &FieldError{Op: op, Field: "channel", Reason: "required"}
	case r.State == "":
		return &FieldError{Op: op, Field: "state", Reason: "required"}
	case r.Opened.IsZero():
		return &FieldError{Op: op, Field: "opened", Reason: "required"}
	case r.Items < 0:
		return &FieldError{Op: op, Field: "items", Value: strconv.Itoa(r.Items), Reason: "negative"}
	case !r.FirstResponse.IsZero() && r.FirstResponse.Before(r.Opened):
		return &FieldError{Op: op, Field: "first_response", Value: r.FirstResponse.Format(time.RFC3339), Reason: "before opened"}
	case !r.Resolved.IsZero() && r.Resolved.Before(r.Opened):
		return &FieldError{Op: op, Field: "resolved", Value: r.Resolved.Format(time.RFC3339), Reason: "before opened"}
	}
	return nil
}

// SLA is a channel's response-time target. Channel "" applies to every
// channel without its own SLA. A zero duration sets no target.
type SLA struct {
	Channel       string        `json:"channel"`
	FirstResponse time.Duration `json:"first_response,omitempty"`
	Resolution    time.Duration `json:"resolution,omitempty"`
}

// InboxOptions configure [Inbox].
type InboxOptions struct {
	// Now closes the period: a conversation still unanswered (or unresolved)
	// at Now past its SLA is a breach. Required.
	Now time.Time
	// SLAs are the targets per channel; at most one per channel.
	SLAs []SLA
}

// BreachKind names which target a [Breach] missed.
type BreachKind string

// The breach kinds.
const (
	BreachFirstResponse BreachKind = "first_response"
	BreachResolution    BreachKind = "resolution"
)

// Breach is one conversation that missed one SLA target.
type Breach struct {
	Conversation string        `json:"conversation"`
	Channel      string        `json:"channel"`
	Member       string        `json:"member,omitempty"`
	Kind         BreachKind    `json:"kind"`
	Target       time.Duration `json:"target"`
	// Took is how long it took, or, when Open, how long it has been waiting
	// at Now.
	Took time.Duration `json:"took"`
	Open bool          `json:"open,omitempty"`
}

// ResponseTimes are the response measures of a group of conversations.
type ResponseTimes struct {
	Key           string   `json:"key"` // the channel or member; "" for everything
	Conversations int      `json:"conversations"`
	Answered      int      `json:"answered"` // with a first response
	Resolved      int      `json:"resolved"`
	FirstMedian   Duration `json:"first_median"` // first-response time
	FirstP90      Duration `json:"first_p90"`
	ResolveMedian Duration `json:"resolve_median"` // resolution time
	ResolveP90    Duration `json:"resolve_p90"`
	Breaches      int      `json:"breaches"`
}

// Volume counts conversations and items of one network in one state.
type Volume struct {
	Network       string `json:"network"`
	State         string `json:"state"`
	Conversations int    `json:"conversations"`
	Items         int    `json:"items"`
}

// Workload is what one member holds and has handled.
type Workload struct {
	Member   string `json:"member"`
	Open     int    `json:"open"`     // assigned and not resolved at Now
	Answered int    `json:"answered"` // assigned and answered
	Resolved int    `json:"resolved"` // assigned and resolved
	Items    int    `json:"items"`    // incoming items in their conversations
}

// InboxReport holds the inbox measures; see [Inbox] for the definitions.
type InboxReport struct {
	All       ResponseTimes   `json:"all"`
	ByChannel []ResponseTimes `json:"by_channel"` // sorted by channel
	ByMember  []ResponseTimes `json:"by_member"`  // sorted by member; unassigned conversations are not in it
	Breaches  []Breach        `json:"breaches"`   // by conversation, then kind
	Volume    []Volume        `json:"volume"`     // by network, then state
	Workload  []Workload      `json:"workload"`   // by member
}

// Inbox computes the community-inbox measures of records:
//
//   - first-response time = FirstResponse − Opened, over answered
//     conversations; resolution time = Resolved − Opened, over resolved
//     ones. Medians average the two middle values of an even count; the 90th
//     percentile is the nearest rank ⌈0.9·n⌉; both are undefined (with a
//     reason) without a sample.
//   - a conversation breaches its channel's first-response target when it
//     was answered later than the target, or is unanswered at Now and has
//     waited longer (Open); the same for resolution. A conversation
//     resolved without a reply (marked spam, closed unanswered) waited for
//     its first response until it was resolved: it is never Open, and
//     breaches only when that took longer than the target. Each target
//     counts once per conversation.
//   - volume counts conversations and their items by network and state;
//     workload counts, per assigned member, the open, answered and resolved
//     conversations and their items.
//
// Wall-clock time is measured, not business hours. An invalid record is a
// [*FieldError] naming its index; so are two SLAs for one channel.
func Inbox(records []ConversationRecord, opts InboxOptions) (InboxReport, error) {
	if opts.Now.IsZero() {
		return InboxReport{}, &FieldError{Op: "Inbox", Field: "now", Reason: "required"}
	}
	slas := map[string]SLA{}
	for i, s := range opts.SLAs {
		field := "slas[" + strconv.Itoa(i) + "]"
		if _, dup := slas[s.Channel]; dup {
			return InboxReport{}, &FieldError{Op: "Inbox", Field: field + ".channel", Value: s.Channel, Reason: "a second SLA for the channel"}
		}
		if s.FirstResponse < 0 || s.Resolution < 0 {
			return InboxReport{}, &FieldError{Op: "Inbox", Field: field, Value: s.FirstResponse.String() + "/" + s.Resolution.String(), Reason: "negative target"}
		}
		slas[s.Channel] = s
	}
	for i, r := range records {
		if err := r.Validate(); err != nil {
			fe := err.(*FieldError)
			fe.Field = "records[" + strconv.Itoa(i) + "]." + fe.Field
			fe.Op = "Inbox"
			return InboxReport{}, fe
		}
	}

	type acc struct {
		rt             ResponseTimes
		first, resolve []time.Duration
	}
	all := &acc{}
	channels, members := map[string]*acc{}, map[string]*acc{}
	group := func(m map[string]*acc, key string) *acc {
		a := m[key]
		if a == nil {
			a = &acc{rt: ResponseTimes{Key: key}}
			m[key] = a
		}
		return a
	}
	volume := map[[2]string]*Volume{}
	work := map[string]*Workload{}
	var rep InboxReport
	for _, r := range records {
		groups := []*acc{all, group(channels, r.Channel)}
		if r.Member != "" {
			groups = append(groups, group(members, r.Member))
		}
		breaches := 0
		sla, ok := slas[r.Channel]
		if !ok {
			sla = slas[""]
		}
		check := func(kind BreachKind, target time.Duration, done time.Time) {
			if target <= 0 {
				return
			}
			b := Breach{Conversation: r.ID, Channel: r.Channel, Member: r.Member, Kind: kind, Target: target}
			if done.IsZero() {
				b.Took, b.Open = opts.Now.Sub(r.Opened), true
			} else {
				b.Took = done.Sub(r.Opened)
			}
			if b.Took > target {
				rep.Breaches = append(rep.Breaches, b)
				breaches++
			}
		}
		// Resolved without a reply (spam, closed unanswered): the wait for
		// a first response ended when it was resolved.
		firstDone := r.FirstResponse
		if firstDone.IsZero() {
			firstDone = r.Resolved
		}
		check(BreachFirstResponse, sla.FirstResponse, firstDone)
		check(BreachResolution, sla.Resolution, r.Resolved)
		for _, a := range groups {
			a.rt.Conversations++
			a.rt.Breaches += breaches
			if !r.FirstResponse.IsZero() {
				a.rt.Answered++
				a.first = append(a.first, r.FirstResponse.Sub(r.Opened))
			}
			if !r.Resolved.IsZero() {
				a.rt.Resolved++
				a.resolve = append(a.resolve, r.Resolved.Sub(r.Opened))
			}
		}
		v := volume[[2]string{r.Network, r.State}]
		if v == nil {
			v = &Volume{Network: r.Network, State: r.State}
			volume[[2]string{r.Network, r.State}] = v
		}
		v.Conversations++
		v.Items += r.Items
		if r.Member != "" {
			w := work[r.Member]
			if w == nil {
				w = &Workload{Member: r.Member}
				work[r.Member] = w
			}
			w.Items += r.Items
			switch {
			case !r.Resolved.IsZero():
				w.Resolved++
			default:
				w.Open++
			}
			if !r.FirstResponse.IsZero() {
				w.Answered++
			}
		}
	}
	finish := func(a *acc) ResponseTimes {
		rt := a.rt
		rt.FirstMedian = median(a.first, "no answered conversation")
		rt.FirstP90 = percentile(a.first, 90, "no answered conversation")
		rt.ResolveMedian = median(a.resolve, "no resolved conversation")
		rt.ResolveP90 = percentile(a.resolve, 90, "no resolved conversation")
		return rt
	}
	rep.All = finish(all)
	for _, k := range sortedKeys(channels) {
		rep.ByChannel = append(rep.ByChannel, finish(channels[k]))
	}
	for _, k := range sortedKeys(members) {
		rep.ByMember = append(rep.ByMember, finish(members[k]))
	}
	for _, v := range volume {
		rep.Volume = append(rep.Volume, *v)
	}
	sort.Slice(rep.Volume, func(a, b int) bool {
		va, vb := rep.Volume[a], rep.Volume[b]
		if va.Network != vb.Network {
			return va.Network < vb.Network
		}
		return va.State < vb.State
	})
	for _, k := range sortedKeys(work) {
		rep.Workload = append(rep.Workload, *work[k])
	}
	sort.SliceStable(rep.Breaches, func(a, b int) bool {
		ba, bb := rep.Breaches[a], rep.Breaches[b]
		if ba.Conversation != bb.Conversation {
			return ba.Conversation < bb.Conversation
		}
		return ba.Kind < bb.Kind
	})
	return rep, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
