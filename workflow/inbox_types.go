package workflow

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
)

// The community inbox: what arrives on the networks for a workspace's
// channels (replies, mentions, quotes, direct messages) is stored once as an
// [InboxItem], grouped into a [Conversation] by the network's thread,
// assigned to a member by the workspace's rules, claimed by the member who
// answers, and answered with an [InboxReply] that may need approval and is
// published exactly once. Everything lives in the [InboxStore]; see
// [InboxPoller] for the loop and [Service.OpenConversation] for the actions.

// ConversationState is where a [Conversation] stands. The transitions are
// the table of [ConversationTransition].
type ConversationState string

// The conversation states.
const (
	ConvNew       ConversationState = "new"        // arrived, nobody assigned
	ConvAssigned  ConversationState = "assigned"   // a member is assigned to answer
	ConvWaiting   ConversationState = "waiting"    // answered or parked, waiting on the other side
	ConvReplied   ConversationState = "replied"    // our reply was published
	ConvClosed    ConversationState = "closed"     // done
	ConvHandedOff ConversationState = "handed_off" // given to another team (see Service.HandOff)
	ConvSpam      ConversationState = "spam"       // marked as spam
)

// conversationTransitions is the explicit table: from → the states it may
// move to. A new item arriving moves replied, waiting and closed
// conversations back (see [Conversation.Arrive]), within this table.
var conversationTransitions = map[ConversationState][]ConversationState{
	ConvNew:       {ConvAssigned, ConvWaiting, ConvReplied, ConvClosed, ConvHandedOff, ConvSpam},
	ConvAssigned:  {ConvNew, ConvAssigned, ConvWaiting, ConvReplied, ConvClosed, ConvHandedOff, ConvSpam},
	ConvWaiting:   {ConvNew, ConvAssigned, ConvReplied, ConvClosed, ConvHandedOff, ConvSpam},
	ConvReplied:   {ConvNew, ConvAssigned, ConvWaiting, ConvReplied, ConvClosed, ConvHandedOff, ConvSpam},
	ConvClosed:    {ConvNew},
	ConvHandedOff: {ConvNew, ConvClosed},
	ConvSpam:      {ConvNew},
}

// ConversationStates returns every conversation state, in documentation
// order.
func ConversationStates() []ConversationState {
	return []ConversationState{ConvNew, ConvAssigned, ConvWaiting, ConvReplied, ConvClosed, ConvHandedOff, ConvSpam}
}

// Valid reports whether s is one of [ConversationStates].
func (s ConversationState) Valid() bool { _, ok := conversationTransitions[s]; return ok }

// ConversationTransition returns nil when a conversation in state from may
// move to state to, and a [*ConversationStateError] otherwise.
func ConversationTransition(conversation string, from, to ConversationState) error {
	if !slices.Contains(conversationTransitions[from], to) {
		return &ConversationStateError{Conversation: conversation, From: from, To: to}
	}
	return nil
}

// ConversationStateError reports a state change the transition table does
// not allow. It matches socialflow.ErrConflict: the conversation is in
// another state than the caller assumed.
type ConversationStateError struct {
	Conversation string
	From, To     ConversationState
}

func (e *ConversationStateError) Error() string {
	return fmt.Sprintf("workflow: conversation %s: cannot move from %s to %s", echo.Quote(e.Conversation), echo.Quote(string(e.From)), echo.Quote(string(e.To)))
}

// Is reports whether target is socialflow.ErrConflict.
func (e *ConversationStateError) Is(target error) bool { return target == socialflow.ErrConflict }

// ClaimedError reports a conversation claimed by another member: Holder
// holds it since Since, until Expires. It matches socialflow.ErrConflict.
// It is also what a reply without the live claim gets (Holder empty when
// nobody holds it).
type ClaimedError struct {
	Conversation string
	Member       string // who asked
	Holder       string // who holds the claim; "" when nobody does
	Since        time.Time
	Expires      time.Time
}

func (e *ClaimedError) Error() string {
	if e.Holder == "" {
		return fmt.Sprintf("workflow: conversation %s: member %s does not hold its claim: open it first", echo.Quote(e.Conversation), echo.Quote(e.Member))
	}
	return fmt.Sprintf("workflow: conversation %s is claimed by %s since %s (until %s)", echo.Quote(e.Conversation),
		echo.Quote(e.Holder), e.Since.UTC().Format(time.RFC3339), e.Expires.UTC().Format(time.RFC3339))
}

// Is reports whether target is socialflow.ErrConflict.
func (e *ClaimedError) Is(target error) bool { return target == socialflow.ErrConflict }

// MaxItemText bounds, in bytes, the text of an item the inbox stores: a
// longer text is cut at a character boundary and [InboxItem.Truncated]
// set, with the original length in [InboxItem.TextBytes].
const MaxItemText = 64 << 10

// InboxItem is one incoming item as the inbox stores it: the network's
// [networks.Incoming] (its text made valid UTF-8, without NUL bytes, and
// bounded by [MaxItemText]), where it arrived, its conversation and its
// classification. (Item.Network, Item.AccountID, Item.ID) identifies it;
// ID is derived from that key ([InboxItemID]), so every replica names an
// item alike.
type InboxItem struct {
	ID           string                   `json:"id"`
	Workspace    string                   `json:"workspace"`
	Channel      string                   `json:"channel"`
	Conversation string                   `json:"conversation"`
	Item         networks.Incoming        `json:"item"`
	Class        analytics.Classification `json:"class"`
	Received     time.Time                `json:"received"`
	Truncated    bool                     `json:"truncated,omitempty"`
	TextBytes    int                      `json:"text_bytes,omitempty"` // the length the network gave, when Truncated or repaired
}

// InboxItemID returns the ID of the item (network, account, remote id).
func InboxItemID(network, account string, id networks.RemoteID) string {
	return "it-" + digest(network, account, string(id))
}

// ConversationID returns the ID of the conversation of thread on (network,
// account). An item without a thread is a conversation of its own: pass
// its remote ID as thread.
func ConversationID(network, account, thread string) string {
	return "cv-" + digest(network, account, thread)
}

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Claim is a member's exclusive hold on a conversation while they answer
// it. Token is the fencing revision: it grows with every grant of the
// conversation's claim, and a reply records the token it was written
// under.
type Claim struct {
	Member  string    `json:"member"`
	Since   time.Time `json:"since"`
	Expires time.Time `json:"expires"`
	Token   int64     `json:"token"`
}

// Live reports whether the claim is held at now.
func (c *Claim) Live(now time.Time) bool { return c != nil && c.Member != "" && now.Before(c.Expires) }

// ReplyState says where an [InboxReply] stands.
type ReplyState string

// The reply states.
const (
	ReplyAwaitingApproval ReplyState = "awaiting_approval" // an approval policy routes it; not sent until approved
	ReplyQueued           ReplyState = "queued"            // ready: delivered by the next DeliverReplies
	ReplySending          ReplyState = "sending"           // intent recorded, the network call may be under way
	ReplyUnconfirmed      ReplyState = "unconfirmed"       // the network's answer was lost: looked up by marker before anything is sent again
	ReplySent             ReplyState = "sent"
	ReplyFailed           ReplyState = "failed"
	ReplyRejected         ReplyState = "rejected" // an approver rejected it or asked for changes
)

// InboxReply is one reply to an item of a conversation.
type InboxReply struct {
	ID     string     `json:"id"`
	Item   string     `json:"item"` // the InboxItem answered
	Author string     `json:"author"`
	Text   string     `json:"text"`
	Saved  string     `json:"saved,omitempty"` // the saved reply it was rendered from
	State  ReplyState `json:"state"`
	// ClaimToken is the claim's fencing token the reply was written under.
	ClaimToken int64 `json:"claim_token"`
	// Policy and Decisions are the approval request, when a policy routes
	// replies (subject kind "reply").
	Policy      approval.Policy     `json:"policy,omitzero"`
	Decisions   []approval.Decision `json:"decisions,omitempty"`
	SubmittedAt time.Time           `json:"submitted_at"`
	// Marker is stable for the reply: the network carries it, so a lost
	// answer is found again ([networks.Publisher.Find]) and never sent twice.
	Marker   string            `json:"marker"`
	RemoteID networks.RemoteID `json:"remote_id,omitempty"`
	URL      string            `json:"url,omitempty"`
	Attempts int               `json:"attempts,omitempty"`
	Cause    string            `json:"cause,omitempty"`
	NextTry  time.Time         `json:"next_try,omitzero"`
	Parked   bool              `json:"parked,omitempty"` // unconfirmed and nobody can look it up: a person checks
	SentAt   time.Time         `json:"sent_at,omitzero"`
}

// pending reports whether DeliverReplies has work on r.
func (r InboxReply) pending() bool {
	switch r.State {
	case ReplyQueued, ReplySending:
		return true
	case ReplyUnconfirmed:
		return !r.Parked
	}
	return false
}

// HandOffRecord says to which team a conversation was handed off.
type HandOffRecord struct {
	Team string    `json:"team"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// Conversation groups the items of one network thread (the item's
// [networks.Incoming.Thread]) on one channel, with its state, assignee,
// claim and replies. Rev is its optimistic-concurrency revision.
type Conversation struct {
	ID        string            `json:"id"`
	Workspace string            `json:"workspace"`
	Channel   string            `json:"channel"`
	Network   string            `json:"network"`
	AccountID string            `json:"account_id"`
	Thread    string            `json:"thread"`
	State     ConversationState `json:"state"`
	Rev       int64             `json:"rev"`
	// Assignee is the member assigned to answer; AssignedBy the rule
	// ("rule:NAME", "rule:default") or member who assigned.
	Assignee   string    `json:"assignee,omitempty"`
	AssignedBy string    `json:"assigned_by,omitempty"`
	Assigned   time.Time `json:"assigned,omitzero"`
	// Claim is the live or last claim; ClaimToken the last token granted.
	Claim      *Claim `json:"claim,omitempty"`
	ClaimToken int64  `json:"claim_token,omitempty"`

	Items    int                 `json:"items"`
	Opened   time.Time           `json:"opened"`  // first item received
	LastAt   time.Time           `json:"last_at"` // newest item's network time
	LastItem string              `json:"last_item"`
	Mood     analytics.Sentiment `json:"mood"` // the newest item's sentiment
	Labels   []string            `json:"labels,omitempty"`
	Reopened int                 `json:"reopened,omitempty"`
	// FirstResponse is when the first reply was published; Resolved when
	// the conversation was last closed, handed off or marked spam (zero
	// while open, cleared when an item reopens it). With Opened they are
	// what response-time measures need.
	FirstResponse time.Time `json:"first_response,omitzero"`
	Resolved      time.Time `json:"resolved,omitzero"`

	Replies []InboxReply   `json:"replies,omitempty"`
	HandOff *HandOffRecord `json:"hand_off,omitempty"`
}

// Outbox reports whether a reply of c waits to be delivered; stores index
// conversations by it ([ConversationQuery.Outbox]).
func (c Conversation) Outbox() bool {
	return slices.ContainsFunc(c.Replies, InboxReply.pending)
}

// Reply returns the reply with id, or nil.
func (c *Conversation) Reply(id string) *InboxReply {
	for i := range c.Replies {
		if c.Replies[i].ID == id {
			return &c.Replies[i]
		}
	}
	return nil
}

// Clone returns a deep copy of c.
func (c Conversation) Clone() Conversation {
	if c.Claim != nil {
		cl := *c.Claim
		c.Claim = &cl
	}
	if c.HandOff != nil {
		h := *c.HandOff
		c.HandOff = &h
	}
	c.Labels = slices.Clone(c.Labels)
	c.Replies = slices.Clone(c.Replies)
	for i := range c.Replies {
		r := &c.Replies[i]
		r.Decisions = slices.Clone(r.Decisions)
		r.Policy.Stages = slices.Clone(r.Policy.Stages)
		r.Policy.SkipRoles = slices.Clone(r.Policy.SkipRoles)
		r.Policy.Groups = maps.Clone(r.Policy.Groups)
	}
	return c
}

// Clone returns a deep copy of it.
func (it InboxItem) Clone() InboxItem {
	it.Class.Labels = slices.Clone(it.Class.Labels)
	return it
}

// Arrive applies the arrival of it to c, in the store's atomic step of
// [InboxItemStore.AddItem]: a zero c becomes the new conversation of it
// (state new); otherwise the count, the newest item and its mood move on,
// and a conversation that was replied, waiting or closed comes back — to
// its assignee (assigned) when it has one, else new (closed conversations
// lose their assignee and are routed again). Handed-off, spam, new and
// assigned conversations keep their state. Arrive does not touch Rev.
func (c *Conversation) Arrive(it InboxItem) {
	if c.ID == "" {
		*c = Conversation{
			ID: it.Conversation, Workspace: it.Workspace, Channel: it.Channel, Network: it.Item.Network,
			AccountID: it.Item.AccountID, Thread: threadOf(it.Item), State: ConvNew, Opened: it.Received,
		}
	}
	c.Items++
	if c.LastItem == "" || !it.Item.At.Before(c.LastAt) {
		c.LastAt, c.LastItem = it.Item.At, it.ID
		c.Mood, c.Labels = it.Class.Sentiment, slices.Clone(it.Class.Labels)
	}
	switch c.State {
	case ConvReplied, ConvWaiting:
		c.Reopened++
		c.State = ConvNew
		if c.Assignee != "" {
			c.State = ConvAssigned
		}
	case ConvClosed:
		c.Reopened++
		c.State, c.Assignee, c.AssignedBy = ConvNew, "", ""
		c.Resolved = time.Time{}
	}
}

// threadOf is the conversation key of an item: its thread, or its own ID.
func threadOf(in networks.Incoming) string {
	if in.Thread != "" {
		return in.Thread
	}
	return string(in.ID)
}

// GrantClaim gives member the claim of c at now for ttl, in the store's
// atomic step of [ConversationStore.ClaimConversation]: granted when nobody
// holds a live claim (a new Token, one more than c.ClaimToken) or when
// member holds it (extended, same Token); otherwise a [*ClaimedError]
// naming the holder. It does not touch Rev.
func GrantClaim(c *Conversation, member string, now time.Time, ttl time.Duration) error {
	if ttl <= 0 {
		return &ValidationError{Field: "claim ttl", Value: ttl.String(), Reason: "must be positive"}
	}
	if c.Claim.Live(now) {
		if c.Claim.Member != member {
			return &ClaimedError{Conversation: c.ID, Member: member, Holder: c.Claim.Member, Since: c.Claim.Since, Expires: c.Claim.Expires}
		}
		c.Claim.Expires = now.Add(ttl)
		return nil
	}
	c.ClaimToken++
	c.Claim = &Claim{Member: member, Since: now, Expires: now.Add(ttl), Token: c.ClaimToken}
	return nil
}
